"""A start line for two facturatie sweeps that must really run at the same time (imported by
`rq worker`; see tests/worker_barrier.py for why). Returns the sweep's counts and the moments
it started and finished, so the test can check that the two overlapped."""

import time

from rq import get_current_job

from jobs.tasks import materialise_termijnen


def termijnen_together(today_iso: str, key: str, parties: int = 2, wait: float = 30.0) -> dict:
    redis = get_current_job().connection
    redis.incr(key)
    redis.expire(key, 300)
    deadline = time.monotonic() + wait
    while int(redis.get(key) or 0) < parties:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {redis.get(key)} of {parties} sweeps started within {wait} s")
        time.sleep(0.002)
    started = time.time()
    result = materialise_termijnen(today_iso)
    return dict(result, window=(started, time.time()))
