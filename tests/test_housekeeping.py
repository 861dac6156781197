"""Housekeeping a year of production needs (issue 20, item 7): SQLite's write-ahead log stays
bounded under the worker while readers hold snapshots, and generation runs are forgotten after
CADANS_RUN_RETENTION_DAYS."""

import sqlite3
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from rq import Queue, SimpleWorker

from jobs import tasks
from jobs.connection import QUEUE
from models.db import connection, write_transaction
from models.db.base import utcnow
from models.werkbonnen.tables import GenerationRun, Werkbon
from tests.test_generation_robustness import seed_contracts

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


# --------------------------------------------------------------------------- the WAL bound


class Readers:
    """Two connections that take turns holding a read snapshot, overlapping, as web requests
    do: at every moment one of them reads. That is what keeps a WAL from ever restarting
    when only PASSIVE checkpoints run."""

    def __init__(self, path: Path):
        self.path, self.stop, self.reads, self.errors = path, threading.Event(), 0, []
        self.threads = [threading.Thread(target=self._read, args=(delay,), daemon=True)
                        for delay in (0.0, 0.03)]

    def _read(self, delay: float):
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            time.sleep(delay)
            while not self.stop.is_set():
                conn.execute("BEGIN")
                conn.execute("SELECT count(*) FROM werkbon").fetchone()  # the snapshot
                time.sleep(0.06)
                conn.execute("COMMIT")
                self.reads += 1
        except Exception as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)
        finally:
            conn.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(10)


class WalSize:
    """The largest size the -wal file had, sampled every few milliseconds."""

    def __init__(self, path: Path):
        self.wal, self.largest, self.stop = Path(f"{path}-wal"), 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self.stop.is_set():
            try:
                self.largest = max(self.largest, self.wal.stat().st_size)
            except FileNotFoundError:
                pass
            time.sleep(0.005)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


SWEEPS = 40  # days swept one after the other
CONTRACTS = 150  # daily contracts: 150 new werkbonnen per sweep
WAL_LIMIT = 2 * 1024 * 1024  # one sweep writes ~0.5 MB of log here; forty of them ~20 MB


@pytest.mark.sqlite_only  # SQLite's own machinery
@pytest.mark.slow
def test_wal_stays_bounded_under_the_worker_while_readers_hold_snapshots(app, redis_conn):
    path = Path(app.config["DATABASE_URL"].removeprefix("sqlite:///"))
    seed_contracts(CONTRACTS, rrule="FREQ=DAILY", start="2026-01-01")
    first = date(2026, 1, 1)
    queue = Queue(QUEUE, connection=redis_conn)
    for day in range(SWEEPS):  # the worker's sweeps of forty days, as rq cron queues them
        queue.enqueue("jobs.tasks.materialise_due", (first + timedelta(days=day)).isoformat())
    with Readers(path) as readers, WalSize(path) as wal:
        SimpleWorker([queue], connection=redis_conn).work(burst=True)
    assert readers.errors == []
    assert readers.reads > SWEEPS  # readers really held snapshots all along
    with connection():
        assert Werkbon.select().count() == CONTRACTS * SWEEPS
    assert 0 < wal.largest < WAL_LIMIT, wal.largest


# --------------------------------------------------------------------------- runs retention


def make_run(days_ago: int, trigger: str = "sweep", finished: bool = True) -> int:
    started = utcnow() - timedelta(days=days_ago)
    with write_transaction():
        return GenerationRun.create(started_at=started, today=started.date(), trigger=trigger,
                                    finished_at=started if finished else None).id


def test_generation_runs_are_pruned_after_the_retention(app, redis_conn, monkeypatch):
    monkeypatch.delenv("CADANS_RUN_RETENTION_DAYS", raising=False)
    with connection():
        old_contract = make_run(200, "contract")
        old_sweep = make_run(120)
        newest_sweep = make_run(100)  # the newest sweep: the catch-up reads when it started
        unfinished = make_run(95, "cli", finished=False)
        recent_share = make_run(80, "sweep-deel")
        recent = make_run(1, "contract")
    queue = Queue(QUEUE, connection=redis_conn)
    job = queue.enqueue("jobs.tasks.prune")
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    assert job.return_value()["generation_runs"] == 2  # default: 90 days
    with connection():
        left = {r.id for r in GenerationRun.select(GenerationRun.id)}
    assert left == {newest_sweep, unfinished, recent_share, recent}
    assert old_contract not in left and old_sweep not in left

    monkeypatch.setenv("CADANS_RUN_RETENTION_DAYS", "30")
    with connection():
        later_sweep = make_run(40)
    assert tasks.prune()["generation_runs"] == 2  # newest_sweep (no longer the newest), the share
    with connection():
        left = {r.id for r in GenerationRun.select(GenerationRun.id)}
    assert left == {later_sweep, unfinished, recent}


@pytest.mark.parametrize("raw, days", [("", 90), ("7", 7), ("0", 1), ("-3", 1), ("veel", 90)])
def test_retention_days_from_the_environment(monkeypatch, raw, days):
    from models.werkbonnen import runs

    monkeypatch.setenv("CADANS_RUN_RETENTION_DAYS", raw)
    assert runs.retention_days() == days
