"""One sweep shared by several real worker processes (issue 20, item 4).

On PostgreSQL each sweep claims its contracts batch by batch with FOR UPDATE SKIP LOCKED, so
workers that sweep at the same time plan different contracts: together they see every due
contract exactly once. On SQLite the database has one writer; sweeps at the same time stay
exact (the stale check and the unique key) without splitting the work. Both are checked with
two and three `rq worker` processes released at once from a start line
(tests/worker_barrier.py), and the sweep's own sharing (a share queued per other worker).
"""

import os
import time
from datetime import date, datetime

import pytest
from rq import Queue
from rq.job import JobStatus
from rq.registry import FailedJobRegistry

from jobs.connection import QUEUE
from jobs.tasks import SHARE_TRIGGER
from models.contracts.tables import Contract
from models.db import connection
from models.werkbonnen.tables import GenerationRun
from tests.test_generation_robustness import (
    TODAY,
    blocked_clients,
    expected_pairs,
    logs,
    reap,
    seed_contracts,
    spawn_worker,
    werkbon_facts,
)

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

CONTRACTS = 1500  # six werkbonnen each by TODAY
BATCH = 100  # contracts a sweep claims at a time (CADANS_SWEEP_BATCH): 15 batches to share


def start_workers(app, redis_url, redis_conn, tmp_path, count: int):
    logfiles = [tmp_path / f"werker-{n}.log" for n in range(count)]
    procs = [spawn_worker(app, redis_url, f"werker-{n}", logfiles[n], max_jobs=1)
             for n in range(count)]
    deadline = time.monotonic() + 60
    while blocked_clients(redis_conn) < count:  # every worker waits on the queue
        assert time.monotonic() < deadline, logs(*logfiles)
        assert all(p.poll() is None for p in procs), logs(*logfiles)
        time.sleep(0.02)
    return procs, logfiles


def assert_exact(ids, jobs, queue, output):
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 0, output
    for job in jobs:
        job.refresh()
    assert [job.get_status() for job in jobs] == [JobStatus.FINISHED] * len(jobs), output
    facts = werkbon_facts()
    assert facts["total"] == 6 * CONTRACTS
    assert facts["distinct_numbers"] == facts["distinct_pairs"] == facts["total"]
    assert facts["pairs"] == expected_pairs(ids)
    # what the jobs say they made is what exists: nothing counted twice
    assert sum(job.return_value()["created"] for job in jobs) == 6 * CONTRACTS
    with connection():
        assert not Contract.select().where(Contract.next_attention <= date(2026, 6, 15)).exists()
        runs = list(GenerationRun.select().order_by(GenerationRun.id))
    assert all(r.finished_at is not None and r.error == "" for r in runs), output
    assert sum(r.created for r in runs) == 6 * CONTRACTS
    return runs


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 3])
def test_workers_sweeping_at_once_share_the_contracts(app, backend, redis_conn, redis_url,
                                                      tmp_path, monkeypatch, workers):
    monkeypatch.setenv("CADANS_SWEEP_BATCH", str(BATCH))
    ids = seed_contracts(CONTRACTS)
    queue = Queue(QUEUE, connection=redis_conn)
    procs, logfiles = start_workers(app, redis_url, redis_conn, tmp_path, workers)
    try:
        start_line = f"cadans-test-shared-{os.getpid()}-{time.monotonic_ns()}"
        jobs = queue.enqueue_many([
            Queue.prepare_data("tests.worker_barrier.sweep_together", (TODAY, start_line),
                               {"parties": workers, "share": False}, timeout=600)
            for _ in range(workers)])
        codes = [p.wait(300) for p in procs]
    finally:
        reap(procs)
    output = logs(*logfiles)
    assert codes == [0] * workers, output
    assert "database is locked" not in output, output
    runs = assert_exact(ids, jobs, queue, output)
    assert len(runs) == workers
    assert {job.worker_name for job in jobs} == {f"werker-{n}" for n in range(workers)}
    overlapped = [(a.started_at < b.finished_at and b.started_at < a.finished_at)
                  for i, a in enumerate(runs) for b in runs[i + 1:]]
    spans = [(r.started_at, r.finished_at) for r in runs]
    if backend == "postgresql":
        # the sweeps ran at the same time: each claimed its own batches, so every pair of runs
        # overlaps; claimed, not raced: each contract was planned by exactly one sweep, and
        # each sweep took its share (its first claim cannot be another's)
        assert all(overlapped), spans
        assert sum(r.contracts_seen for r in runs) == CONTRACTS, [r.contracts_seen for r in runs]
        assert all(r.created > 0 for r in runs), [r.created for r in runs]
    else:
        # one writer: a run starts when it has the write lock, so a sweep that waited for it
        # can start after a short one ended (CI once: the third began 73 ms after the second
        # ended). That they ran at the same time means here: every sweep left the start line
        # before any ended, and two runs overlapped.
        released = [datetime.fromisoformat(t.decode() if isinstance(t, bytes) else t)
                    for t in redis_conn.lrange(f"{start_line}:los", 0, -1)]
        assert len(released) == workers
        assert max(released) < min(r.finished_at for r in runs), (released, spans)
        assert any(overlapped), spans
        # between each other's batches the sweeps take what is still due: together they saw
        # every contract (one read twice is caught by the stale check, not written twice)
        assert sum(r.contracts_seen for r in runs) >= CONTRACTS, [r.contracts_seen for r in runs]


@pytest.mark.slow
def test_the_sweep_queues_a_share_for_each_other_worker(app, backend, redis_conn, redis_url,
                                                        tmp_path, monkeypatch):
    monkeypatch.setenv("CADANS_SWEEP_BATCH", str(BATCH))
    ids = seed_contracts(CONTRACTS)
    queue = Queue(QUEUE, connection=redis_conn)
    procs, logfiles = start_workers(app, redis_url, redis_conn, tmp_path, 3)
    try:
        sweep = queue.enqueue("jobs.tasks.materialise_due", TODAY, job_timeout=600)
        deadline = time.monotonic() + 300
        while sweep.get_status(refresh=True) != JobStatus.FINISHED:
            assert sweep.get_status() != JobStatus.FAILED, logs(*logfiles)
            assert time.monotonic() < deadline, logs(*logfiles)
            time.sleep(0.05)
        shares = sweep.return_value()["shares"]
        share_jobs = [queue.fetch_job(j) for j in queue.finished_job_registry.get_job_ids()
                      if j != sweep.id]
        deadline = time.monotonic() + 300
        while (backend == "postgresql"
               and sum(j.get_status(refresh=True) == JobStatus.FINISHED
                       for j in share_jobs) < shares):
            assert time.monotonic() < deadline, logs(*logfiles)
            time.sleep(0.05)
            share_jobs = [queue.fetch_job(j) for j in queue.finished_job_registry.get_job_ids()
                          if j != sweep.id]
    finally:
        reap(procs)
    output = logs(*logfiles)
    if backend == "sqlite":
        assert shares == 0  # one writer: nothing to share
        assert share_jobs == []
    else:
        assert shares == 2  # three workers: the sweep's and one share each for the others
        assert sorted(j.func_name for j in share_jobs) == ["jobs.tasks.materialise_share"] * 2
        assert len({j.worker_name for j in [sweep, *share_jobs]}) == 3
    runs = assert_exact(ids, [sweep, *share_jobs], queue, output)
    assert sorted(r.trigger for r in runs) == sorted(["sweep"] + [SHARE_TRIGGER] * shares)
    if backend == "postgresql":
        assert sum(r.contracts_seen for r in runs) == CONTRACTS
