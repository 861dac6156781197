"""RQ job functions: ids and ISO strings in, plain counts out, own DB connection each run."""

from datetime import UTC, date, datetime

from jobs.context import ensure_database
from models.db import connection


def _today(today_iso: str | None) -> date:
    if today_iso:
        return date.fromisoformat(today_iso)
    from zoneinfo import ZoneInfo

    from jobs.context import timezone

    return datetime.now(ZoneInfo(timezone())).date()


SWEEP_TIMEOUT = 30 * 60  # seconds RQ lets one sweep run (jobs/cron.py); then it is stopped


def materialise_due(today_iso: str | None = None, share: bool = True) -> dict:
    """The sweep: every werkbon that is due by today (and whatever was missed) is created.

    On PostgreSQL it first queues a share of itself (`materialise_share`) for every other
    worker listening on the queue (at most CADANS_SWEEP_SHARES, default 8), so the workers of
    every host sweep together; each claims its own contracts (models/werkbonnen/materialise.py).
    On SQLite the database has one writer: no shares."""
    ensure_database()
    from models.db import is_sqlite
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    today = _today(today_iso)
    shares = _queue_shares(today) if share and not is_sqlite() else 0
    with connection():
        counts = materialise.sweep(today, calendar_store.free_days())
    return {"created": counts.created, "moved": counts.moved, "cancelled": counts.cancelled,
            "contracts": counts.seen, "shares": shares}


SHARE_TRIGGER = "sweep-deel"  # the GenerationRun of a share; the sweep's own run stays "sweep"


def materialise_share(today_iso: str) -> dict:
    """One worker's share of a sweep that another worker started (see materialise_due)."""
    ensure_database()
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    with connection():
        counts = materialise.sweep(_today(today_iso), calendar_store.free_days(),
                                   trigger=SHARE_TRIGGER)
    return {"created": counts.created, "contracts": counts.seen}


def _queue_shares(today: date) -> int:
    """Queue one share per other worker of this queue; 0 outside a worker (the CLI)."""
    import os

    from rq import Worker, get_current_job

    job = get_current_job()
    if job is None:
        return 0
    limit = int(os.environ.get("CADANS_SWEEP_SHARES") or 8)
    queue = job.origin
    from rq import Queue

    redis = job.connection
    others = max(0, Worker.count(connection=redis, queue=Queue(queue, connection=redis)) - 1)
    count = min(others, limit)
    if count:
        # at the front: a share that waits behind other jobs helps nobody; and short-lived,
        # like the catch-up: when no worker is free within a sweep interval it is not needed
        Queue(queue, connection=redis).enqueue_many([
            Queue.prepare_data("jobs.tasks.materialise_share", (today.isoformat(),),
                               timeout=SWEEP_TIMEOUT, ttl=15 * 60, result_ttl=3600,
                               at_front=True)
            for _ in range(count)])
    return count


def materialise_contract(contract_id: int, today_iso: str | None = None) -> dict:
    """One contract right after it was saved (the sweep would get there too, later)."""
    ensure_database()
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    with connection():
        counts = materialise.sweep(_today(today_iso), calendar_store.free_days(),
                                   trigger="contract", contract_ids=[contract_id])
    return {"created": counts.created, "contracts": counts.seen}


def catch_up(today_iso: str | None = None) -> dict:
    """Contracts whose own job never ran: saved while Redis was down (the enqueue failed), or
    queued in a Redis that lost it. The database says which: due (`next_attention`), never
    generated (`generated_through` empty), and saved after the newest sweep started, so the
    sweep cannot have seen them (older ones are the sweep's, which also retries a contract it
    could not read; here that would repeat every minute). Runs every minute (jobs/cron.py) and
    costs one indexed query when there is nothing to do, which is nearly always."""
    ensure_database()
    from models.contracts.tables import Contract
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise
    from models.werkbonnen.tables import GenerationRun

    today = _today(today_iso)
    with connection():
        last_sweep = (GenerationRun.select(GenerationRun.started_at)
                      .where(GenerationRun.trigger == "sweep")
                      .order_by(GenerationRun.id.desc()).first())
        query = Contract.select(Contract.id).where(Contract.next_attention <= today,
                                                   Contract.generated_through.is_null())
        if last_sweep is not None:
            query = query.where(Contract.created_at >= last_sweep.started_at)
        ids = [c.id for c in query.order_by(Contract.id)]
        if not ids:
            return {"created": 0, "contracts": 0}
        counts = materialise.sweep(today, calendar_store.free_days(), trigger="contract",
                                   contract_ids=ids)
    return {"created": counts.created, "contracts": counts.seen}


def materialise_termijnen(today_iso: str | None = None) -> dict:
    """The facturatie sweep: every factuurtermijn whose invoicing day has come (and whatever
    was missed), and the corrections of contracts that changed (models/facturatie/)."""
    ensure_database()
    from models.facturatie import materialise as facturatie

    with connection():
        counts = facturatie.sweep(_today(today_iso))
    return {"created": counts.created, "corrected": counts.corrected, "contracts": counts.seen,
            "failed": len(counts.failed)}


def health_check() -> dict:
    """Proves the worker can reach the database."""
    ensure_database()
    from models.stamdata.klanten import Klant

    with connection():
        klanten = Klant.select().count()
    return {"checked_at": datetime.now(UTC).isoformat(timespec="seconds"), "klanten": klanten}


def deliver_webhooks() -> dict:
    """Send the webhook deliveries that are due (the outbox, models/webhooks): `rq cron` every
    CADANS_WEBHOOK_SECONDS, and at once after "Opnieuw versturen". Safe to run on several
    workers at once: each delivery attempt is claimed by one."""
    ensure_database()
    from jobs.context import webhook_settings
    from models.webhooks import delivery

    timeout, allow_private = webhook_settings()
    with connection():
        return delivery.drain(timeout=timeout, allow_private=allow_private)


def prune() -> dict:
    """Hourly: forget Idempotency-Keys older than a day, webhook deliveries (delivered or
    failed) older than 30 days and generation runs older than CADANS_RUN_RETENTION_DAYS (90);
    then copy SQLite's write-ahead log back and cut it short (models.db.checkpoint)."""
    ensure_database()
    from models.db import checkpoint, idempotency
    from models.webhooks import delivery
    from models.werkbonnen import runs

    with connection():
        pruned = {"idempotency_keys": idempotency.prune(), "webhook_deliveries": delivery.prune(),
                  "generation_runs": runs.prune()}
        checkpoint()
    return pruned
