"""Werkbonnen per second of a real sweep against raw `sqlite3.executemany` of the same rows.

Target (issue #20 item 5; it was >= 0.5x before): materialising 10,000 contracts x 13 months (about
138,000 werkbonnen) into an empty database runs at >= 0.7x the rate of a raw insert of the same
rows into the same schema, measured in the same run: on SQLite a raw `sqlite3.executemany`, on
PostgreSQL the best of psycopg2's `execute_values` (its fast executemany: 1,000 rows per
statement) and `COPY FROM STDIN`.

Ours: `calendar_store.free_days()` + `materialise.sweep(today, free_days)` end to end, exactly as
jobs.tasks.materialise_due calls it (planning, numbering, insert-or-ignore, bookkeeping, audit
rows, the GenerationRun record), on 10,000 brand-new contracts (bench/_seed.py: a mix of monthly,
month-end, quarterly, weekly, fortnightly and yearly rules, half with holidays=next_workday, half
with a medewerker) that started 13 months before `today` with no lead time.

Floor on SQLite: the werkbon rows that sweep wrote, selected back as tuples (every column but the
id, in id order), inserted with one `sqlite3.executemany` in one transaction into the empty
werkbon table of a second database made by the same migrate() (same indexes, same WAL +
synchronous=NORMAL pragmas, the default page cache), on a plain sqlite3 connection (foreign keys
off, as sqlite3 opens it), without the search index's triggers (migration 18): the floor is the
werkbon rows alone, and keeping the search index is part of what the sweep pays for. As
references the same insert with foreign keys ON (parents copied over first, "floor_fk") and the
same rows with the search triggers, 500 rows a statement as the sweep writes them
("floor_with_search": the same work done raw) are reported too.

Floor on PostgreSQL (CADANS_BENCH_DB=postgresql, bench/pg.py): the rows that sweep wrote, selected
back the same way, inserted in one transaction into the same database's werkbon table emptied by
TRUNCATE (same indexes; PostgreSQL always checks the foreign keys, so the parents stay), by
psycopg2 `execute_values` and by `COPY` (building COPY's text from the rows counts, as it does
for the sweep); the faster of the two is the floor. `cursor.executemany` (a round trip per row)
is reported beside it on a sample, not as the floor: it would flatter us.

Wall-clock time (perf_counter), best of ROUNDS fresh databases for the sweep and of 2 x ROUNDS
fresh copies for the floor; "ratio_cpu" (SQLite only) is the same ratio on CPU seconds (both run
in this process), steadier when other work shares the machine. On PostgreSQL the server does
much of the work in its own process, so only wall time compares.
PROFILE=1 additionally runs one profiled sweep and prints the top functions to stderr.

Run: .venv/bin/python bench/materialise_throughput.py  -> prints one JSON line (exit code 0 even
when the target is missed; "ok" says whether it was met).
"""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import _seed  # noqa: E402
from bench._report import emit_dict, quick  # noqa: E402

CONTRACTS = 2_000 if quick() else 10_000  # make bench-quick: a fifth
START = date(2026, 1, 1)  # contracts start 0..27 days before this (bench/_seed.py start_of)
SPREAD = 28
TODAY = date(2027, 1, 20)  # about 13 months of occurrences are due, lead 0
LEAD = 0
ROUNDS = 3
TARGET = 0.7


def seeded(tmp: str, name: str) -> dict:
    from models.db import connection

    _seed.open_database(f"{tmp}/{name}.db")
    with connection():
        return _seed.seed_contracts(CONTRACTS, START, LEAD, SPREAD)


def expected_total(seed: dict) -> int:
    from models.db import connection
    from models.stamdata import calendar_store

    with connection():
        free_days = calendar_store.free_days()
    return _seed.expected_werkbonnen(seed, START, LEAD, SPREAD, TODAY, free_days)


def run_sweep() -> tuple[object, float, float]:
    from models.db import connection
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    gc.collect()
    with connection():
        wall, cpu = time.perf_counter(), time.process_time()
        counts = materialise.sweep(TODAY, calendar_store.free_days())
        return counts, time.perf_counter() - wall, time.process_time() - cpu


def check_result(counts, expected: int) -> dict:
    from models.db import connection

    with connection():
        conn = _seed.raw()
        total, pairs, numbers = conn.execute(
            "SELECT count(*), count(DISTINCT contract_id || '/' || due_date),"
            " count(DISTINCT number) FROM werkbon").fetchone()
        not_done = conn.execute("SELECT count(*) FROM contract WHERE next_attention <= ?",
                                (TODAY.isoformat(),)).fetchone()[0]
        audits = conn.execute("SELECT count(*) FROM audit_log WHERE action = "
                              "'werkbonnen aangemaakt'").fetchone()[0]
    problems = []
    if not (counts.created == total == pairs == numbers == expected):
        problems.append(f"created={counts.created} rows={total} pairs={pairs} "
                        f"numbers={numbers} expected={expected}")
    if not_done:
        problems.append(f"{not_done} contracts still due after the sweep")
    if problems:
        raise RuntimeError("; ".join(problems))
    return {"audit_rows": audits}


def werkbon_rows(columns: list[str]) -> list[tuple]:
    from models.db import connection

    with connection():
        return _seed.raw().execute(
            f"SELECT {', '.join(columns)} FROM werkbon ORDER BY id").fetchall()


def empty_schema(path: str) -> None:
    """A database made by the same migrate(), closed (so the file alone is the database)."""
    from models.db import db

    _seed.open_database(path)
    db.obj.close_all()


def floor_insert(template_db: str, path: str, columns: list[str], rows: list[tuple],
                 parents_from: str | None = None, search: bool = False) -> float:
    """Seconds (wall, CPU) to insert `rows` raw into a copy of the empty schema. Without
    `search` the search index's triggers (models/db/fulltext.py) are dropped first: the floor
    is the werkbon rows alone, as the issue's target means, and the sweep pays for keeping the
    search index besides. With `search` they stay and the rows go in 500 a statement (FTS5
    flushes at every statement: one row a statement would make the floor a tenth as fast and
    flatter the ratio): the same work as the sweep, done raw."""
    shutil.copyfile(template_db, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA synchronous = normal")
    if not search:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'werkbon' AND name LIKE '%_fts_%'"
                                    ).fetchall():
            conn.execute(f"DROP TRIGGER {name}")
    if parents_from:  # the rows' klanten, medewerkers and contracts, so FKs can be checked
        conn.execute("ATTACH DATABASE ? AS src", (parents_from,))
        conn.execute("BEGIN")
        for table in ("klant", "medewerker", "contract"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        conn.execute("PRAGMA foreign_keys = on")
    one = f"({', '.join('?' * len(columns))})"
    sql = f"INSERT INTO werkbon ({', '.join(columns)}) VALUES {one}"
    gc.collect()
    began, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    if search:
        for start in range(0, len(rows) - len(rows) % 500, 500):
            conn.execute(f"INSERT INTO werkbon ({', '.join(columns)}) VALUES "
                         + ", ".join([one] * 500),
                         [v for row in rows[start:start + 500] for v in row])
        conn.executemany(sql, rows[len(rows) - len(rows) % 500:])
    else:
        conn.executemany(sql, rows)
    conn.execute("COMMIT")
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    inserted = conn.execute("SELECT count(*) FROM werkbon").fetchone()[0]
    conn.close()
    os.remove(path)
    if inserted != len(rows):
        raise RuntimeError(f"floor inserted {inserted} of {len(rows)} rows")
    return seconds, cpu


def profile_once(tmp: str) -> None:
    import cProfile
    import pstats

    from models.db import db

    seeded(tmp, "profiled")
    profiler = cProfile.Profile()
    profiler.enable()
    run_sweep()
    profiler.disable()
    db.obj.close_all()
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(35)
    stats.sort_stats("tottime").print_stats(25)


def main() -> None:
    from bench.pg import kind

    if kind() == "postgresql":
        main_postgresql()
        return
    from models.db import db
    from models.werkbonnen.materialise import INSERT_COLUMNS

    columns = list(INSERT_COLUMNS)
    tmp = tempfile.mkdtemp(prefix="cadans-bench-mat-")
    sweeps, floors, floors_fk, floors_search, seed_seconds = [], [], [], [], []
    created = expected = 0
    extra = {}
    try:
        empty = f"{tmp}/empty.db"
        empty_schema(empty)
        for round_no in range(ROUNDS):
            began = time.perf_counter()
            seed = seeded(tmp, f"sweep{round_no}")
            seed_seconds.append(time.perf_counter() - began)
            expected = expected_total(seed)
            counts, wall, cpu = run_sweep()
            extra = check_result(counts, expected)
            created = counts.created
            sweeps.append((wall, cpu))
            rows = werkbon_rows(columns)
            db.obj.close_all()
            source = f"{tmp}/sweep{round_no}.db"
            for _ in range(2):
                floors.append(floor_insert(empty, f"{tmp}/floor.db", columns, rows))
            floors_fk.append(floor_insert(empty, f"{tmp}/floor.db", columns, rows, source))
            floors_search.append(floor_insert(empty, f"{tmp}/floor.db", columns, rows,
                                              search=True))
            del rows
            os.remove(source)
        if os.environ.get("PROFILE") == "1":
            profile_once(tmp)
    finally:
        if db.obj is not None:
            db.obj.close_all()
        shutil.rmtree(tmp, ignore_errors=True)

    wall, cpu = min(sweeps)
    (floor, floor_cpu), (floor_fk, _) = min(floors), min(floors_fk)
    floor_search = min(floors_search)[0]
    ratio_cpu = floor_cpu / min(c for _, c in sweeps)
    ours_rate, floor_rate, floor_fk_rate = created / wall, created / floor, created / floor_fk
    ratio = ours_rate / floor_rate
    ok = ratio >= TARGET
    r = lambda x: round(x, 3)  # noqa: E731
    print(f"sweep: {created} werkbonnen from {CONTRACTS} contracts in {wall:.2f} s wall "
          f"({cpu:.2f} s CPU) = {ours_rate:,.0f}/s; raw executemany {floor:.3f} s = "
          f"{floor_rate:,.0f}/s (FK on: {floor_fk_rate:,.0f}/s; with the search index, 500 "
          f"a statement: {created / floor_search:,.0f}/s); ratio {ratio:.3f} "
          f"(target >= {TARGET}): {'OK' if ok else 'MISSED'}", file=sys.stderr)
    emit_dict({
        "contracts": CONTRACTS, "werkbonnen": created, "today": TODAY.isoformat(),
        "sweep_s": r(wall), "sweep_cpu_s": r(cpu),
        "ours_per_s": round(ours_rate), "floor_per_s": round(floor_rate),
        "ratio": r(ratio), "target": TARGET, "ok": ok,
        "ratio_cpu": r(ratio_cpu), "floor_s": r(floor), "floor_cpu_s": r(floor_cpu),
        "floor_fk_per_s": round(floor_fk_rate),
        "ratio_vs_floor_fk": r(ours_rate / floor_fk_rate),
        "floor_with_search_per_s": round(created / floor_search),
        "ratio_vs_floor_with_search": r(ours_rate / (created / floor_search)),
        "sweep_s_all": [r(w) for w, _ in sweeps], "floor_s_all": [r(f) for f, _ in floors],
        "audit_rows": extra.get("audit_rows"), "seed_s": r(min(seed_seconds)),
        "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count(),
    }, "materialise_throughput", "sqlite", ours_rate, "rows/s", floor_rate,
        "raw sqlite3 executemany of the same rows, rows/s", ratio, f">= {TARGET}", ok)


# --------------------------------------------------------------------------- PostgreSQL

EXECUTEMANY_SAMPLE = 3_000  # rows psycopg2's plain executemany inserts (a round trip each)


def pg_floor(columns: list[str], rows: list[tuple], how: str) -> float:
    """Seconds to insert `rows` into the bound database's emptied werkbon table, one
    transaction: "values" (execute_values), "copy" (COPY FROM STDIN) or "executemany"."""
    from psycopg2.extras import execute_values

    from models.db import connection, db, write_transaction
    from models.werkbonnen.materialise import _copy_text

    with connection():
        db.execute_sql("TRUNCATE werkbon CASCADE")
        gc.collect()
        began = time.perf_counter()
        with write_transaction():
            cursor = db.connection().cursor()
            names = ", ".join(columns)
            if how == "values":
                execute_values(cursor, f"INSERT INTO werkbon ({names}) VALUES %s", rows,
                               page_size=1000)
            elif how == "copy":
                cursor.copy_expert(f"COPY werkbon ({names}) FROM STDIN", _copy_text(rows))
            else:
                cursor.executemany(f"INSERT INTO werkbon ({names}) VALUES "
                                   f"({', '.join(['%s'] * len(columns))})", rows)
        seconds = time.perf_counter() - began
        inserted = db.execute_sql("SELECT count(*) FROM werkbon").fetchone()[0]
    if inserted != len(rows):
        raise RuntimeError(f"floor ({how}) inserted {inserted} of {len(rows)} rows")
    return seconds


def main_postgresql() -> None:
    from bench.pg import bench_database
    from models.db import db
    from models.werkbonnen.materialise import INSERT_COLUMNS

    columns = list(INSERT_COLUMNS)
    sweeps, floors, seed_seconds = [], {"values": [], "copy": []}, []
    sample = None
    created = 0
    extra = {}
    with bench_database("postgresql") as bdb:
        for round_no in range(ROUNDS):
            began = time.perf_counter()
            _seed.open_url(bdb.new_url(f"sweep{round_no}"))
            from models.db import connection

            with connection():
                seed = _seed.seed_contracts(CONTRACTS, START, LEAD, SPREAD)
            seed_seconds.append(time.perf_counter() - began)
            expected = expected_total(seed)
            counts, wall, cpu = run_sweep()
            extra = check_result(counts, expected)
            created = counts.created
            sweeps.append((wall, cpu))
            rows = werkbon_rows(columns)
            for _ in range(2):
                for how in ("values", "copy"):
                    floors[how].append(pg_floor(columns, rows, how))
            if sample is None:
                part = rows[:EXECUTEMANY_SAMPLE]
                sample = len(part) / pg_floor(columns, part, "executemany")
            del rows
            db.close()
    wall, cpu = min(sweeps)
    best = {how: min(seconds) for how, seconds in floors.items()}
    how = min(best, key=best.get)
    floor = best[how]
    ours_rate, floor_rate = created / wall, created / floor
    ratio = ours_rate / floor_rate
    ok = ratio >= TARGET
    r = lambda x: round(x, 3)  # noqa: E731
    print(f"sweep: {created} werkbonnen from {CONTRACTS} contracts in {wall:.2f} s wall "
          f"= {ours_rate:,.0f}/s; best raw insert ({how}) {floor:.3f} s = {floor_rate:,.0f}/s "
          f"(execute_values {created / best['values']:,.0f}/s, COPY "
          f"{created / best['copy']:,.0f}/s, executemany {sample:,.0f}/s on "
          f"{EXECUTEMANY_SAMPLE} rows); ratio {ratio:.3f} (target >= {TARGET}): "
          f"{'OK' if ok else 'MISSED'}", file=sys.stderr)
    emit_dict({
        "contracts": CONTRACTS, "werkbonnen": created, "today": TODAY.isoformat(),
        "sweep_s": r(wall), "client_cpu_s": r(cpu), "floor_s": r(floor), "floor_how": how,
        "values_per_s": round(created / best["values"]),
        "copy_per_s": round(created / best["copy"]),
        "executemany_per_s": round(sample), "executemany_sample_rows": EXECUTEMANY_SAMPLE,
        "sweep_s_all": [r(w) for w, _ in sweeps],
        "floor_s_all": {k: [r(x) for x in v] for k, v in floors.items()},
        "audit_rows": extra.get("audit_rows"), "seed_s": r(min(seed_seconds)),
        "cpus": os.cpu_count(),
    }, "materialise_throughput", "postgresql", ours_rate, "rows/s", floor_rate,
        "best of psycopg2 execute_values and COPY of the same rows, rows/s", ratio,
        f">= {TARGET}", ok)


if __name__ == "__main__":
    main()
