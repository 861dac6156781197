"""One sweep shared by real `rq worker` processes (issue 20, item 4).

Targets (from the issue), on PostgreSQL:
  - sweep_shared/one_day: 100,000 contracts due on one day (one werkbon each), swept by 1 worker
    and by 2 workers: speed-up t(1) / t(2) >= 1.5 on this 2-core machine, 0 duplicates, peak RSS
    per worker < 250 MB.
  - sweep_shared/catch_up: contracts generated through 400 days ago (the worker was down since)
    swept by 2 workers: it finishes, and the werkbonnen are exactly the expected set, computed
    apart from the app by dateutil's rrule over the same 400 days.

How: a throwaway PostgreSQL cluster (tests/postgres.py; or DATABASE_URL's server, where this
makes and drops its own databases) and a throwaway Valkey (jobs/redis_server.py). One template
database is seeded (a contract saved through contract_service, copied in SQL), every case gets a
fresh copy (CREATE DATABASE ... TEMPLATE). Each case starts N real `rq worker` processes (RQ's
forking worker, as in production), waits until all of them block on the queue, then queues one
`jobs.tasks.materialise_due` (what `rq cron` queues): it queues a share per other worker, and
the case ends when the sweep and its shares have finished. Wall clock from the enqueue to the
last job's end (polled every 20 ms). Peak RSS: VmHWM of each worker process and of its work
horses, sampled every 50 ms.

On SQLite (CADANS_BENCH_DB=sqlite) the same one-day case runs with 1 and 2 workers and is
reported without a target: SQLite has one writer, the sweep is not shared there (README).

Run: CADANS_BENCH_DB=postgresql .venv/bin/python bench/sweep_shared.py
Size: CADANS_BENCH_CONTRACTS (100000), CADANS_BENCH_QUICK=1 for 10,000.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2027, 3, 15)
QUICK = os.environ.get("CADANS_BENCH_QUICK") == "1"
CONTRACTS = int(os.environ.get("CADANS_BENCH_CONTRACTS") or (10_000 if QUICK else 100_000))
DOWNTIME = 400
CATCH_UP_RULES = ("FREQ=WEEKLY;BYDAY=MO", "FREQ=MONTHLY;BYMONTHDAY=15",
                  "FREQ=DAILY;INTERVAL=3", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
CATCH_UP_PER_RULE = 250 if QUICK else 1000
SPEED_UP_TARGET = 1.5
RSS_LIMIT_MB = 250
RQ = Path(sys.executable).parent / "rq"


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def emit(**line) -> None:
    print(json.dumps(line), flush=True)


# --------------------------------------------------------------------------- databases


class Databases:
    """Fresh databases of one kind: `new(name)` -> URL; everything removed by `close()`."""

    def __init__(self, kind: str):
        self.kind, self.tmp = kind, Path(tempfile.mkdtemp(prefix="cadans-bench-shared-"))
        self.server = self.external = None
        self.names = []
        if kind == "postgresql":
            url = os.environ.get("DATABASE_URL", "")
            if url.startswith(("postgresql:", "postgres:")):
                self.external = url
            else:
                from tests.postgres import Server

                self.server = Server()

    def _admin(self, sql: str) -> None:
        if self.server is not None:
            self.server._admin(sql)
            return
        import psycopg2

        conn = psycopg2.connect(self.external)
        conn.autocommit = True
        try:
            conn.cursor().execute(sql)
        finally:
            conn.close()

    def _url(self, name: str) -> str:
        if self.server is not None:
            return self.server.url(name)
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(self.external)
        return urlunsplit(parts._replace(path=f"/{name}"))

    def new(self, name: str, template: str | None = None) -> str:
        if self.kind == "sqlite":
            path = self.tmp / f"{name}.db"
            if template:
                shutil.copyfile(self.tmp / f"{template}.db", path)
            return f"sqlite:///{path}"
        real = f"cadans_bench_{os.getpid()}_{name}"
        source = f"cadans_bench_{os.getpid()}_{template}" if template else "template0"
        self._admin(f"CREATE DATABASE {real} TEMPLATE {source}")
        self.names.append(real)
        return self._url(real)

    def close(self) -> None:
        for name in reversed(self.names):
            try:
                self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except Exception:  # noqa: BLE001 - best effort at the end
                pass
        if self.server is not None:
            self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)


def bind(url: str):
    from models.db import db, init_db_from_url

    if db.obj is not None and not db.is_closed():
        db.close()
    if db.obj is not None and hasattr(db.obj, "close_all"):
        db.obj.close_all()
    return init_db_from_url(url)


def close_db() -> None:
    from models.db import db

    if db.obj is not None:
        if not db.is_closed():
            db.close()
        if hasattr(db.obj, "close_all"):
            db.obj.close_all()


# --------------------------------------------------------------------------- seeding


def template_contract(rrule: str, start: date, number: str) -> int:
    """One contract saved the way the API saves it; returns its id."""
    from models.contracts import checks, service
    from models.stamdata.klanten import Klant

    klant = Klant.get_or_none(Klant.customer_number == "B-1") or Klant.create(
        customer_number="B-1", name="Bakkerij Jansen")
    data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
            "start_date": start.isoformat(), "end_date": None, "days_in_advance": 0,
            "schedule": {"rrule": rrule},
            "werkbon": {"start_time": "08:30", "duration_minutes": 90}}
    values, errors = checks.check(data)
    if errors:
        raise RuntimeError(errors)
    return service.create(values, "bench", start).id


def clone(source_id: int, count: int, prefix: str, generated_through: date | None,
          next_attention: date) -> None:
    """`count` - 1 copies of contract `source_id` with their own numbers, in SQL, and the
    bookkeeping of all `count`."""
    from bench import _seed
    from models.db import db, is_sqlite, write_transaction

    columns = _seed.written("contract", [c.name for c in db.get_columns("contract")
                                         if c.name not in ("id", "number")])
    select = ", ".join(columns)
    if is_sqlite():
        series = ("WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g "
                  f"WHERE n < {count - 1}) ")
        source = "contract, g"
        number = f"'{prefix}' || printf('%07d', n)"
    else:
        series = ""
        source = f"contract, generate_series(1, {count - 1}) AS g(n)"
        number = f"'{prefix}' || lpad(n::text, 7, '0')"
    with write_transaction():
        db.execute_sql(f"{series}INSERT INTO contract (number, {select}) "
                       f"SELECT {number}, {select} FROM {source} WHERE contract.id = {source_id}")
        db.execute_sql("UPDATE contract SET generated_through = %s, next_attention = %s "
                       "WHERE number LIKE %s OR id = %s".replace("%s", db.obj.param),
                       (generated_through, next_attention, f"{prefix}%", source_id))


def seed_one_day(url: str) -> None:
    """CONTRACTS contracts each with one werkbon due on TODAY (monthly on TODAY's day, started
    TODAY), nothing generated yet."""
    from models.db import connection
    from models.migrations import migrate

    bind(url)
    with connection():
        migrate()
        first = template_contract(f"FREQ=MONTHLY;BYMONTHDAY={TODAY.day}", TODAY, "T-1")
        clone(first, CONTRACTS, "C-D-", None, TODAY)
    close_db()


def catch_up_start() -> date:
    return TODAY - timedelta(days=DOWNTIME + 30)


def seed_catch_up(url: str) -> None:
    """Per rule CATCH_UP_PER_RULE contracts started 430 days ago, generated through 400 days
    ago (then the worker went down): due since the day after."""
    from models.db import connection
    from models.migrations import migrate

    bind(url)
    through = TODAY - timedelta(days=DOWNTIME)
    with connection():
        migrate()
        for n, rule in enumerate(CATCH_UP_RULES):
            first = template_contract(rule, catch_up_start(), f"T-{n}")
            clone(first, CATCH_UP_PER_RULE, f"C-{n}-", through, through + timedelta(days=1))
    close_db()


def expected_catch_up() -> dict[str, set[date]]:
    """{rule: the dates each of its contracts owes}, by dateutil alone."""
    from dateutil.rrule import rrulestr

    start = catch_up_start()
    low = datetime.combine(TODAY - timedelta(days=DOWNTIME - 1), datetime.min.time())
    high = datetime.combine(TODAY, datetime.min.time())
    found = {}
    for rule in CATCH_UP_RULES:
        dates = rrulestr(rule, dtstart=datetime.combine(start, datetime.min.time()))
        found[rule] = {d.date() for d in dates.between(low, high, inc=True)}
    return found


# --------------------------------------------------------------------------- workers


def vm_hwm_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


class Peaks(threading.Thread):
    """The peak RSS (MB) of each worker: its own process or any of its work horses."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.peak, self.halt = pids, dict.fromkeys(pids, 0), threading.Event()

    def run(self):
        while not self.halt.is_set():
            for pid in self.pids:
                for p in [pid, *children_of(pid)]:
                    self.peak[pid] = max(self.peak[pid], vm_hwm_kb(p))
            time.sleep(0.05)

    def mb(self) -> list[float]:
        return [round(kb / 1024, 1) for kb in self.peak.values()]


def run_sweep(url: str, redis_url: str, workers: int, logdir: Path) -> dict:
    """Start `workers` rq workers on `url`, queue one sweep, wait for it and its shares."""
    from redis import Redis
    from rq import Queue
    from rq.job import JobStatus

    from jobs.connection import QUEUE

    redis = Redis.from_url(redis_url)
    redis.flushall()
    env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(ROOT))
    env.pop("REDIS_URL", None)
    procs = []
    try:
        for n in range(workers):
            with open(logdir / f"worker-{workers}-{n}.log", "wb") as out:
                procs.append(subprocess.Popen(
                    [str(RQ), "worker", "-u", redis_url, "-n", f"bench-{workers}-{n}",
                     "--logging_level", "WARNING", QUEUE], env=env, cwd=ROOT,
                    stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                    start_new_session=True))
        deadline = time.monotonic() + 120
        while sum("b" in c["flags"] for c in redis.client_list()) < workers:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise RuntimeError("workers did not start: see " + str(logdir))
            time.sleep(0.02)
        peaks = Peaks([p.pid for p in procs])
        peaks.start()
        queue = Queue(QUEUE, connection=redis)
        began = time.perf_counter()
        sweep = queue.enqueue("jobs.tasks.materialise_due", TODAY.isoformat(),
                              job_timeout=3600)
        while True:
            status = sweep.get_status(refresh=True)
            if status == JobStatus.FAILED:
                raise RuntimeError(sweep.latest_result().exc_string)
            if status == JobStatus.FINISHED:
                break
            time.sleep(0.02)
        shares = sweep.return_value()["shares"]
        while queue.finished_job_registry.count < 1 + shares:
            if queue.failed_job_registry.count:
                raise RuntimeError("a share failed: see " + str(logdir))
            time.sleep(0.02)
        seconds = time.perf_counter() - began
        peaks.halt.set()
        peaks.join()
        jobs = [queue.fetch_job(j) for j in queue.finished_job_registry.get_job_ids()]
        return {"seconds": seconds, "shares": shares, "rss_mb": peaks.mb(),
                "created": sum(j.return_value()["created"] for j in jobs),
                "workers_used": len({j.worker_name for j in jobs})}
    finally:
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, 9)
                except ProcessLookupError:
                    pass
            proc.wait(10)
        redis.close()


def facts(url: str) -> dict:
    """Duplicates and what is still due, counted by SQL."""
    from models.db import connection, db

    bind(url)
    with connection():
        total, pairs, numbers = db.execute_sql(
            "SELECT count(*), count(DISTINCT (contract_id, due_date, slot)), "
            "count(DISTINCT number) FROM werkbon" if db.obj.param == "%s" else
            "SELECT count(*), count(DISTINCT contract_id || '/' || due_date || '/' || slot), "
            "count(DISTINCT number) FROM werkbon").fetchone()
        due = db.execute_sql(f"SELECT count(*) FROM contract WHERE next_attention <= "
                             f"{db.obj.param}", (TODAY,)).fetchone()[0]
        found: dict[int, tuple[str, set]] = {
            cid: (rule, set()) for cid, rule in db.execute_sql("SELECT id, rrule FROM contract")}
        for cid, day in db.execute_sql("SELECT contract_id, due_date FROM werkbon"):
            found[cid][1].add(date.fromisoformat(day) if isinstance(day, str) else day)
    close_db()
    return {"total": total, "duplicates": total - pairs, "numbers_duplicated": total - numbers,
            "still_due": due, "dates": found}


# --------------------------------------------------------------------------- main


def main() -> None:
    kind = os.environ.get("CADANS_BENCH_DB", "sqlite").strip().lower() or "sqlite"
    kind = "postgresql" if kind in ("postgres", "pg") else kind
    from jobs import redis_server

    databases = Databases(kind)
    valkey_dir = Path(tempfile.mkdtemp(prefix="cadans-vk-"))
    proc, redis_url = redis_server.start(valkey_dir, persistent=False)
    logdir = databases.tmp
    try:
        began = time.perf_counter()
        seed_one_day(databases.new("oneday"))
        note(f"seeded {CONTRACTS} contracts in {time.perf_counter() - began:.1f} s")
        results = {}
        for workers in (1, 2):
            url = databases.new(f"oneday_{workers}", template="oneday")
            results[workers] = run_sweep(url, redis_url, workers, logdir)
            results[workers].update(facts(url))
            note(f"{workers} worker(s): {results[workers]['seconds']:.2f} s, "
                 f"shares {results[workers]['shares']}, rss {results[workers]['rss_mb']} MB")
        one, two = results[1], results[2]
        speed_up = one["seconds"] / two["seconds"]
        exact = all(r["total"] == CONTRACTS == r["created"] and r["duplicates"] == 0
                    and r["numbers_duplicated"] == 0 and r["still_due"] == 0
                    and all(d == {TODAY} for _rule, d in r["dates"].values())
                    for r in results.values())
        rss = max(one["rss_mb"] + two["rss_mb"])
        shared = kind == "postgresql"
        emit(bench="sweep_shared/one_day", db=kind, figure=round(two["seconds"], 3), unit="s",
             floor=round(one["seconds"], 3), floor_name="the same sweep with 1 worker",
             ratio=round(speed_up, 3),
             target=f">= {SPEED_UP_TARGET}" if shared else "none (SQLite: one writer)",
             ok=exact and rss < RSS_LIMIT_MB and (speed_up >= SPEED_UP_TARGET or not shared),
             contracts=CONTRACTS, werkbonnen=two["total"],
             duplicates=one["duplicates"] + two["duplicates"], exact=exact,
             peak_rss_mb_per_worker=two["rss_mb"], peak_rss_mb_one_worker=one["rss_mb"],
             rss_target_mb=f"< {RSS_LIMIT_MB}", shares=two["shares"],
             workers_used=two["workers_used"], rate_per_s=round(CONTRACTS / two["seconds"]))
        if kind == "postgresql":
            catch_up(databases, redis_url, logdir, CONTRACTS / two["seconds"])
    finally:
        close_db()
        redis_server.stop(proc)
        databases.close()
        shutil.rmtree(valkey_dir, ignore_errors=True)


def catch_up(databases: Databases, redis_url: str, logdir: Path, floor_rate: float) -> None:
    url = databases.new("catchup")
    seed_catch_up(url)
    result = run_sweep(url, redis_url, 2, logdir)
    found = facts(url)
    expected = expected_catch_up()
    wanted = sum(len(v) for v in expected.values()) * CATCH_UP_PER_RULE
    wrong = [cid for cid, (rule, dates) in found["dates"].items() if dates != expected[rule]]
    missing = CATCH_UP_PER_RULE * len(CATCH_UP_RULES) - len(found["dates"])
    exact = (not wrong and missing == 0 and found["total"] == wanted == result["created"]
             and found["duplicates"] == 0 and found["still_due"] == 0)
    rate = found["total"] / result["seconds"]
    note(f"catch-up: {found['total']} werkbonnen (expected {wanted}) in "
         f"{result['seconds']:.2f} s, wrong {len(wrong)}, missing {missing}")
    emit(bench="sweep_shared/catch_up", db="postgresql", figure=round(rate), unit="rows/s",
         floor=round(floor_rate), floor_name="contracts/s of the one-day sweep, 2 workers",
         ratio=round(rate / floor_rate, 3), target="exact (finishes, the expected set)",
         ok=exact, seconds=round(result["seconds"], 3), downtime_days=DOWNTIME,
         contracts=CATCH_UP_PER_RULE * len(CATCH_UP_RULES), werkbonnen=found["total"],
         expected=wanted, wrong_contracts=len(wrong), missing_contracts=missing,
         duplicates=found["duplicates"], peak_rss_mb_per_worker=result["rss_mb"],
         workers_used=result["workers_used"])


if __name__ == "__main__":
    main()
