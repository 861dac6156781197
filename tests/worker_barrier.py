"""A start line for jobs that must really run at the same time (imported by `rq worker`).

`sweep_together` waits until `parties` jobs have reached it, then runs the real sweep
(`jobs.tasks.materialise_due`) in the work horse RQ forked for it. Queueing two sweeps to two
idle workers does not make them overlap by itself: on a busy machine one work horse can take
longer to fork and import than the other one's whole sweep, and then the test proves nothing.
The wait happens before the sweep, so nothing of the code under test is changed or skipped.
Each sweep notes the moment it leaves the start line (UTC, ISO) in the list `<key>:los`: on
SQLite a sweep's GenerationRun only starts once it has the one write lock, so that moment, not
the run's start, says when it began to contend.
"""

import time

from rq import get_current_job

from jobs.tasks import materialise_due
from models.db.base import utcnow


def sweep_together(today_iso: str, key: str, parties: int = 2, wait: float = 30.0,
                   share: bool = True) -> dict:
    redis = get_current_job().connection
    redis.incr(key)
    redis.expire(key, 300)
    deadline = time.monotonic() + wait
    while int(redis.get(key) or 0) < parties:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {redis.get(key)} of {parties} sweeps started within {wait} s")
        time.sleep(0.002)
    redis.rpush(f"{key}:los", utcnow().isoformat())
    redis.expire(f"{key}:los", 300)
    return materialise_due(today_iso, share=share)


def hold(key: str, wait: float = 60.0) -> str:
    """Keeps the worker busy until `key` is set in its Redis: the jobs queued after this one
    wait, as they do behind a long sweep, until the test lets go (set the key)."""
    redis = get_current_job().connection
    deadline = time.monotonic() + wait
    while not redis.exists(key):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{key} was not set within {wait} s")
        time.sleep(0.01)
    return "losgelaten"
