"""The domain, one package per area, layered from the bottom up: `common` (pure helpers) ·
`schedule` (the pure schedule rules) and `db` (the database plumbing) · `webhooks` (the outbox
every change can write to, and its delivery) · `stamdata` (master data and company settings) ·
`objecten` (werkadressen and installations) · `contracts` · `werkbonnen` · `sla`; `migrations`
and `demo` on top use them all. A package imports only from its own layer and the ones below;
nothing here imports views, jobs, app or Flask (tests/unit/test_import_rules.py keeps these
rules). Import from the module that holds a name; the package __init__ files hold no re-exports.
"""
