"""Asking the worker to do something, from the web app, after the transaction committed.

The save has already succeeded when this runs, so Redis being down must cost the planner
nothing: one attempt, bounded by connection.QUICK_TIMEOUT, and after a failure this process
does not try again for QUIET_AFTER_FAILURE seconds (a burst of saves during an outage answers
at once). Nothing is lost by skipping the job: the contract is due in the database
(`next_attention`), and the worker's catch-up (jobs/cron.py) generates it once Redis is back.
"""

import threading
import time
from datetime import date

from rq import Queue, Retry

from jobs import connection

DELAYED = ("Het aanmaken van werkbonnen is vertraagd: de wachtrij is niet bereikbaar. Het contract "
           "is opgeslagen; de volgende automatische ronde maakt de werkbonnen alsnog.")
QUIET_AFTER_FAILURE = 10.0  # seconds

_down_until: dict[str, float] = {}  # per Redis URL, in this process: time.monotonic() values
_lock = threading.Lock()


def materialise_contract(contract_id: int, redis_url: str | None = None,
                         today_iso: str | None = None) -> str | None:
    """Enqueue generation for one contract, as of `today_iso` (the day it was saved: the
    contract page then waits for exactly what was due at the save). Returns a notice for the
    planner when Redis is down (the save itself has already succeeded; the catch-up and the
    periodic sweep make up)."""
    url = connection.redis_url(redis_url)
    if not url or recently_down(url):
        return DELAYED
    try:
        conn = connection.get_redis(url, quick=True)
        try:
            Queue(connection.QUEUE, connection=conn).enqueue(
                "jobs.tasks.materialise_contract", contract_id, today_iso, job_timeout=600,
                retry=Retry(max=3, interval=[10, 60, 300]),
                description=f"werkbonnen voor contract {contract_id}")
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - any Redis failure means: delayed, not failed
        with _lock:
            _down_until[url] = time.monotonic() + QUIET_AFTER_FAILURE
        return DELAYED
    return None


WEBHOOKS_DELAYED = ("De wachtrij is niet bereikbaar: de verzending staat klaar en gaat mee met de "
                    "automatische ronde zodra de wachtrij terug is.")


def deliver_webhooks(redis_url: str | None = None) -> str | None:
    """Ask the worker to drain the webhook outbox now (after "Opnieuw versturen"); `rq cron`
    does it every few seconds anyway. A notice when Redis is down, as for materialise."""
    url = connection.redis_url(redis_url)
    if not url or recently_down(url):
        return WEBHOOKS_DELAYED
    try:
        conn = connection.get_redis(url, quick=True)
        try:
            Queue(connection.QUEUE, connection=conn).enqueue(
                "jobs.tasks.deliver_webhooks", job_timeout=WEBHOOK_JOB_TIMEOUT, result_ttl=0,
                description="webhooks versturen")
        finally:
            conn.close()
    except Exception:  # noqa: BLE001 - any Redis failure means: later, not failed
        with _lock:
            _down_until[url] = time.monotonic() + QUIET_AFTER_FAILURE
        return WEBHOOKS_DELAYED
    return None


WEBHOOK_JOB_TIMEOUT = 600  # seconds; a drain stops taking new work after 2 minutes


def recently_down(url: str) -> bool:
    with _lock:
        until = _down_until.get(url)
        if until is not None and until <= time.monotonic():
            del _down_until[url]
            until = None
    return until is not None


def after_save(contract, redis_url: str | None = None, today: date | None = None) -> str | None:
    """Call once the transaction that saved `contract` committed (the wizard's Opslaan, the
    API's POST and PATCH): asks the worker to generate its werkbonnen as of `today` (a correctief
    contract has none to make). Returns the notice for the planner when that is delayed."""
    if contract.kind == "correctief":
        return None
    return materialise_contract(contract.id, redis_url, today.isoformat() if today else None)
