"""Webhooks: a beheerder subscribes a URL to events (`tables.EVENTS`), and Cadans POSTs each
event there, signed, until the receiver accepts it.

`outbox.emit` writes one delivery row per subscribed webhook IN THE TRANSACTION OF THE CHANGE
it reports (a change that rolls back reports nothing; one that commits is never lost, whether
Redis or the receiver is down). The worker drains the outbox (`delivery.drain`, started by
`rq cron` every few seconds): Standard Webhooks signatures (`send`), no redirects, a deadline per
attempt, exponential backoff for about a day, a log of every attempt. Low in the layers
(above db, below stamdata) so that every domain package can emit; it imports only models.db.
"""
