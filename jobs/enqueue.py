"""Asking the worker to do something, from the web app, after the transaction committed."""

from rq import Queue, Retry

from jobs.connection import QUEUE, get_redis

DELAYED = ("Het aanmaken van werkbonnen is vertraagd: de wachtrij is niet bereikbaar. Het contract "
           "is opgeslagen; de volgende automatische ronde maakt de werkbonnen alsnog.")


def materialise_contract(contract_id: int, redis_url: str | None = None,
                         today_iso: str | None = None) -> str | None:
    """Enqueue generation for one contract, as of `today_iso` (the day it was saved: the
    contract page then waits for exactly what was due at the save). Returns a notice for the
    planner when Redis is down (the save itself has already succeeded; the periodic sweep
    catches up)."""
    try:
        queue = Queue(QUEUE, connection=get_redis(redis_url))
        queue.enqueue("jobs.tasks.materialise_contract", contract_id, today_iso, job_timeout=600,
                      retry=Retry(max=3, interval=[10, 60, 300]),
                      description=f"werkbonnen voor contract {contract_id}")
    except Exception:  # noqa: BLE001 - any Redis failure means: delayed, not failed
        return DELAYED
    return None
