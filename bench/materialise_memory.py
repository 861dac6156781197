"""Peak memory of the process that materialises 1,000,000 werkbonnen.

Target (from the issue): peak memory of the process materialising 1,000,000 werkbonnen stays under
250 MB.

This process seeds a fresh database (CADANS_BENCH_DB: a SQLite file, or a PostgreSQL database
through bench/pg.py) with brand-new contracts (bench/_seed.py: the rule mix,
half holidays=next_workday, half with a medewerker, start dates spread over four weeks, no lead),
as many as it takes for the sweep on `today` to owe at least 1,000,000 werkbonnen (the engine
counts that beforehand; the sweep's result is checked against it). Then a fresh Python process
runs the real job, `jobs.tasks.materialise_due(today)` (binding the database from DATABASE_URL
like an RQ work horse, with rq imported as a worker has it), and reports its own peak RSS
(VmHWM from /proc/self/status; ru_maxrss is reported too, but on Linux it also covers the
forked parent image before exec, so it is not the child's own), its RSS before the job, and RSS
samples every 0.5 s during the job (a steady climb would mean memory grows with the work,
i.e. a leak or an accumulating list).

Run: .venv/bin/python bench/materialise_memory.py  -> prints one JSON line (exit code 0 even when
the target is missed). Takes about as long as the sweep of 1M werkbonnen (minutes).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._report import emit_dict, quick  # noqa: E402

WERKBONNEN = 100_000 if quick() else 1_000_000  # make bench-quick: a tenth
START = date(2026, 1, 1)
SPREAD = 28
TODAY = date(2027, 1, 20)
LEAD = 0
LIMIT_MB = 250.0


def status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"{field} not in /proc/self/status")


# --- the measured process ------------------------------------------------------------------------

def child(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    import rq  # noqa: F401 - a worker process has it loaded

    from jobs import tasks

    samples: list[tuple[float, float]] = []
    stop = threading.Event()
    began = time.perf_counter()

    def sample() -> None:
        while not stop.wait(0.5):
            samples.append((time.perf_counter() - began, status_mb("VmRSS")))

    before = status_mb("VmRSS")
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    result = tasks.materialise_due(TODAY.isoformat())
    seconds = time.perf_counter() - began
    stop.set()
    sampler.join()
    print(json.dumps({
        "result": result, "seconds": seconds, "rss_before_mb": before,
        "rss_after_mb": status_mb("VmRSS"), "vmhwm_mb": status_mb("VmHWM"),
        "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "samples": samples,
    }))


# --- the bench ---------------------------------------------------------------------------------

def seed(url: str) -> tuple[int, int]:
    from bench import _seed
    from models.db import connection, db
    from models.stamdata import calendar_store

    _seed.open_url(url)
    with connection():
        free_days = calendar_store.free_days()
        count = _seed.contracts_for(WERKBONNEN, START, LEAD, SPREAD, TODAY, free_days)
        seeded = _seed.seed_contracts(count, START, LEAD, SPREAD)
        owed = _seed.expected_werkbonnen(seeded, START, LEAD, SPREAD, TODAY, free_days)
    db.close()
    return count, owed


def result_of(url: str) -> tuple[int, Counter, float]:
    """(werkbon rows, contracts per rule, the database's size in MB) after the job."""
    from models.db import connection, db, init_db_from_url, is_sqlite

    init_db_from_url(url)
    with connection():
        rows = db.execute_sql("SELECT count(*) FROM werkbon").fetchone()[0]
        rules = Counter(r for (r,) in db.execute_sql("SELECT rrule FROM contract"))
        if is_sqlite():
            path = url.removeprefix("sqlite:///")
            size = sum(os.path.getsize(f) for f in (path, f"{path}-wal") if os.path.exists(f))
        else:
            size = db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
    db.close()
    return rows, rules, size / 2**20


def summary_of(samples: list, seconds: float) -> dict:
    """RSS at about 10%, 50% and 90% of the job, to show whether it climbs with the work."""
    if not samples:
        return {}
    at = {}
    for share in (0.1, 0.5, 0.9):
        t, rss = min(samples, key=lambda s: abs(s[0] - share * seconds))
        at[f"rss_at_{int(share * 100)}pct_mb"] = round(rss, 1)
    return at


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    from bench.pg import bench_database

    wall = time.perf_counter()
    with bench_database() as bdb:
        kind = bdb.kind
        began = time.perf_counter()
        contracts, owed = seed(bdb.url)
        seed_seconds = time.perf_counter() - began
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env["PYTHONPATH"] = str(ROOT)
        proc = subprocess.run([sys.executable, __file__, "--child", bdb.url], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        report = json.loads(proc.stdout.strip().splitlines()[-1])
        rows, rules, db_mb = result_of(bdb.url)

    created = report["result"]["created"]
    if not (created == rows == owed):
        raise RuntimeError(f"created {created}, {rows} rows, owed {owed}")
    # VmHWM is this process image's own peak. ru_maxrss is not: Linux carries the high-water
    # mark of the pre-exec image over, i.e. of this (seeding) process forked for the child.
    peak = report["vmhwm_mb"]
    ok = peak < LIMIT_MB and created >= WERKBONNEN
    r = lambda x: round(x, 1)  # noqa: E731
    total = time.perf_counter() - wall
    print(f"sweep of {created:,} werkbonnen ({contracts:,} contracts) in {report['seconds']:.0f} s:"
          f" peak RSS {peak:.1f} MB (before the job {report['rss_before_mb']:.1f} MB; limit"
          f" {LIMIT_MB:.0f} MB): {'OK' if ok else 'MISSED'}; bench took {total:.0f} s",
          file=sys.stderr)
    emit_dict({
        "contracts": contracts, "werkbonnen": created,
        "today": TODAY.isoformat(),
        "peak_rss_mb": r(peak), "limit_mb": LIMIT_MB,
        "ru_maxrss_mb_incl_parent_before_exec": r(report["ru_maxrss_mb"]),
        "rss_before_job_mb": r(report["rss_before_mb"]),
        "peak_minus_before_mb": r(peak - report["rss_before_mb"]),
        "rss_after_job_mb": r(report["rss_after_mb"]),
        **summary_of(report["samples"], report["seconds"]),
        "sweep_s": r(report["seconds"]), "werkbonnen_per_s": round(created / report["seconds"]),
        "seed_s": r(seed_seconds), "bench_s": r(total), "db_mb": r(db_mb),
        "rules": len(rules), "cpus": os.cpu_count(),
    }, "materialise_memory", kind, peak, "MB", LIMIT_MB, "the limit (peak RSS, MB)",
        peak / LIMIT_MB, "< 1 (peak RSS < 250 MB)", ok)


if __name__ == "__main__":
    main()
