"""Contracts: the tables (`tables`: Contract and the wizard's ContractDraft); the lifecycle rules
(`lifecycle`, pure: status, terms, renewal, notice, visits per year); the input (`input`, pure:
the API shape and the parsing of raw values; `checks`: the rules that look rows up); the
service (`service`: create, the versioned update, the API shape, status); the wizard's form
(`wizard_form`, pure), its drafts read (`draft_checks`) and kept (`drafts`), an edit in the
planner's words (`changes`); and the settings lists contracts choose from (`settings_lists`).
May import models.common, models.db, models.schedule and models.stamdata; never
models.werkbonnen or models.sla, which build on contracts (what an edit or the end of a
contract does to its werkbonnen is models.werkbonnen.replan and contract_end)."""
