"""Factuurtermijnen per second of a real facturatie sweep against raw `sqlite3.executemany` of
the same rows, measured in the same run.

Target (issue 19): materialising termijnen for 100,000 contracts x 12 months runs at >= 0.5x the
rate of a raw `executemany` insert of the same rows into the same schema.

Ours: `models.facturatie.materialise.sweep(today)` end to end, exactly as
jobs.tasks.materialise_termijnen calls it (reading the due contracts in batches, the termijn
maths, insert-or-ignore on the key, the bookkeeping), on 100,000 contracts with a price that
started on 1 January 2027 and are invoiced monthly, vooraf (a quarter of them achteraf, a fifth
indexed on 1 July, prices and BTW rates varied), on 1 December 2027: 12 termijnen each for
vooraf, 11 for achteraf. The contracts are raw copies of one contract saved through
contract_service (bench/_seed.py does the same for werkbonnen).

Floor: the termijn rows the sweep wrote, selected back (every inserted column, id order), inserted
with `sqlite3.executemany` in one transaction into the empty factuurtermijn table of a database
made by the same migrate() (same unique key and indexes, WAL, synchronous=NORMAL; without the
triggers that keep the Te factureren totals: the sweep adds those up itself), on a plain
sqlite3 connection (foreign keys off, as sqlite3 opens it; the app's connection has them on,
so the same insert with foreign keys on, parents copied first, is reported too: "floor_fk_s").
Read back in chunks of 200,000 (memory); only the executemany calls and the commit are timed.
"ratio_cpu" compares CPU seconds (both run in this process): steadier on a shared machine.

Run: .venv/bin/python bench/materialise_termijnen.py [contracts]  -> one JSON line on stdout
(exit code 0 even when the target is missed; "ok" says whether it was met).
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

CONTRACTS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000 if quick() else 100_000
START = date(2027, 1, 1)
TODAY = date(2027, 12, 1)
TARGET = 0.5
CHUNK = 200_000


def seed(url: str) -> int:
    """CONTRACTS contracts with their terms; returns the number of termijnen the sweep owes."""
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.db import connection, is_sqlite

    _seed.open_url(url)
    day = "" if is_sqlite() else "DATE "  # PostgreSQL types a CASE's text, not the column
    with connection():
        _seed.seed_people(klanten=2_000, medewerkers=1)
        data = {"klant_id": 1, "contracttype": "preventief", "description": "Onderhoud",
                "start_date": START.isoformat(), "end_date": None, "days_in_advance": 0,
                "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                "werkbon": {"start_time": "08:30", "duration_minutes": 60}}
        values, errors = contract_checks.check(data)
        assert not errors, errors
        contract_service.create(values, "bench", START)
        conn = _seed.raw()
        columns = _seed.written("contract", [d[0] for d in conn.execute(
            "SELECT * FROM contract LIMIT 0").description])
        copied = [c for c in columns if c not in ("id", "number", "klant_id")]
        with _seed.transaction():
            conn.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {CONTRACTS}) "
                f"INSERT INTO contract (number, klant_id, {', '.join(copied)}) "
                f"SELECT 'C-B-' || n.i, 1 + n.i % 2000, {', '.join('c.' + c for c in copied)} "
                f"FROM n, contract c WHERE c.id = 1")
            # monthly; every 4th achteraf, every 5th indexed 2,5 % on 1 July; prices vary
            conn.execute(
                "INSERT INTO contract_facturatie (contract_id, prijs_cents, btw_tarief, "
                "factuurperiode, factureren, index_pct, index_date, version, billed_through, "
                "next_invoice_on, contract_version, updated_at) "
                "SELECT id, 60000 + (id * 7919) % 500000, "
                "CASE id % 3 WHEN 0 THEN '21' WHEN 1 THEN '9' ELSE 'verlegd' END, 'maand', "
                "CASE WHEN id % 4 = 0 THEN 'achteraf' ELSE 'vooraf' END, "
                "CASE WHEN id % 5 = 0 THEN '2.5' ELSE '' END, "
                f"CASE WHEN id % 5 = 0 THEN {day}'2027-07-01' ELSE NULL END, 1, NULL, "
                f"CASE WHEN id % 4 = 0 THEN {day}'2027-02-01' ELSE {day}'2027-01-01' END, "
                "version, '2027-01-01 00:00:00' FROM contract")
        achteraf = CONTRACTS // 4
        return (CONTRACTS - achteraf) * 12 + achteraf * 11


def run_sweep():
    from models.db import connection
    from models.facturatie import materialise

    gc.collect()
    with connection():
        wall, cpu = time.perf_counter(), time.process_time()
        counts = materialise.sweep(TODAY)
        return counts, time.perf_counter() - wall, time.process_time() - cpu


def check(counts, expected: int) -> None:
    from models.db import connection

    with connection():
        conn = _seed.raw()
        total, keys = conn.execute(
            "SELECT count(*), count(DISTINCT contract_id || '/' || period_start) "
            "FROM factuurtermijn").fetchone()
        left = conn.execute("SELECT count(*) FROM contract_facturatie "
                            "WHERE next_invoice_on <= ?", (TODAY.isoformat(),)).fetchone()[0]
        # each vooraf contract's twelve months add up to its yearly price (not indexed ones)
        wrong = conn.execute(
            "SELECT count(*) FROM (SELECT f.contract_id, sum(f.cents) AS s, c.prijs_cents AS p "
            "FROM factuurtermijn f JOIN contract_facturatie c ON c.contract_id = f.contract_id "
            "WHERE c.factureren = 'vooraf' AND c.index_pct = '' GROUP BY f.contract_id, "
            "c.prijs_cents) AS sums WHERE s <> p").fetchone()[0]
    if not (counts.created == total == keys == expected) or left or wrong or counts.failed:
        raise RuntimeError(f"created={counts.created} rows={total} keys={keys} "
                           f"expected={expected} still_due={left} wrong_sums={wrong} "
                           f"failed={counts.failed[:3]}")


def floor(source: str, empty: str, path: str, columns: list[str],
          foreign_keys: bool = False) -> tuple[float, float, int]:
    shutil.copyfile(empty, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA synchronous = normal")
    # the bare table with its indexes: the Te factureren totals (triggers, migration 14) are
    # work the sweep does (grouped, per batch), not part of the floor
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"
                                ).fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    if foreign_keys:  # the parents first, then checked as the app's connection checks them
        conn.execute("ATTACH DATABASE ? AS src", (source,))
        conn.execute("BEGIN")
        for table in ("klant", "contract"):
            conn.execute(f"INSERT INTO main.{table} SELECT * FROM src.{table}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE src")
        conn.execute("PRAGMA foreign_keys = on")
    src = sqlite3.connect(source)
    sql = (f"INSERT INTO factuurtermijn ({', '.join(columns)}) VALUES "
           f"({', '.join('?' * len(columns))})")
    reader = src.execute(f"SELECT {', '.join(columns)} FROM factuurtermijn ORDER BY id")
    seconds = cpu = 0.0
    conn.execute("BEGIN")
    while rows := reader.fetchmany(CHUNK):
        gc.collect()
        began, began_cpu = time.perf_counter(), time.process_time()
        conn.executemany(sql, rows)
        seconds += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
    began, began_cpu = time.perf_counter(), time.process_time()
    conn.execute("COMMIT")
    seconds += time.perf_counter() - began
    cpu += time.process_time() - began_cpu
    count = conn.execute("SELECT count(*) FROM factuurtermijn").fetchone()[0]
    src.close()
    conn.close()
    os.remove(path)
    return seconds, cpu, count


def main() -> None:
    from bench.pg import kind

    if kind() == "postgresql":
        main_postgresql()
        return
    from models.db import db
    from models.facturatie.materialise import INSERT_COLUMNS

    tmp = tempfile.mkdtemp(prefix="cadans-bench-termijnen-")
    try:
        empty = f"{tmp}/empty.db"
        _seed.open_database(empty)
        db.obj.close_all()
        began = time.perf_counter()
        expected = seed(f"sqlite:///{tmp}/sweep.db")
        seed_s = time.perf_counter() - began
        counts, wall, cpu = run_sweep()
        check(counts, expected)
        db.obj.close_all()
        floors = [floor(f"{tmp}/sweep.db", empty, f"{tmp}/floor.db", list(INSERT_COLUMNS))
                  for _ in range(2)]
        floor_fk = floor(f"{tmp}/sweep.db", empty, f"{tmp}/floor.db", list(INSERT_COLUMNS),
                         foreign_keys=True)
    finally:
        if db.obj is not None:
            db.obj.close_all()
        shutil.rmtree(tmp, ignore_errors=True)
    floor_s, floor_cpu, inserted = min(floors)
    if inserted != counts.created:
        raise RuntimeError(f"floor inserted {inserted} of {counts.created}")
    ratio = floor_s / wall
    ok = ratio >= TARGET
    r = lambda x: round(x, 3)  # noqa: E731
    print(f"sweep: {counts.created:,} termijnen of {CONTRACTS:,} contracts in {wall:.2f} s "
          f"({cpu:.2f} s CPU) = {counts.created / wall:,.0f}/s; raw executemany "
          f"{floor_s:.2f} s = {counts.created / floor_s:,.0f}/s (foreign keys on, as the app: "
          f"{floor_fk[0]:.2f} s); ratio {ratio:.3f} "
          f"(target >= {TARGET}): {'OK' if ok else 'MISSED'}", file=sys.stderr)
    emit_dict({
        "contracts": CONTRACTS, "termijnen": counts.created,
        "today": TODAY.isoformat(), "sweep_s": r(wall), "sweep_cpu_s": r(cpu),
        "ours_per_s": round(counts.created / wall), "floor_per_s": round(counts.created / floor_s),
        "ratio": r(ratio), "target": TARGET, "ok": ok, "ratio_cpu": r(floor_cpu / cpu),
        "floor_s_all": [r(f[0]) for f in floors], "seed_s": r(seed_s),
        "floor_fk_s": r(floor_fk[0]), "ratio_vs_floor_fk": r(floor_fk[0] / wall),
        "sqlite": sqlite3.sqlite_version, "cpus": os.cpu_count()},
        "materialise_termijnen", "sqlite", counts.created / wall, "rows/s",
        counts.created / floor_s, "raw sqlite3 executemany of the same rows, rows/s", ratio,
        f">= {TARGET}", ok)


# --------------------------------------------------------------------------- PostgreSQL


def pg_floor(columns: list[str], how: str) -> tuple[float, int]:
    """Seconds to insert the sweep's termijnen again, in one transaction, into the same
    database's factuurtermijn table emptied by TRUNCATE, its triggers (the Te factureren
    totals, work the sweep does) off as on SQLite: by psycopg2 execute_values ("values") or COPY
    ("copy"), CHUNK rows at a time as the SQLite floor does, read from a copy of the table by id.
    Only the inserts are timed. Returns (seconds, rows in the table after it)."""
    from psycopg2.extras import execute_values

    from models.db import connection, db, write_transaction
    from models.werkbonnen.materialise import _copy_text

    names = ", ".join(columns)
    seconds = 0.0
    with connection():
        db.execute_sql("TRUNCATE factuurtermijn CASCADE")
        with write_transaction():
            cursor, last = db.connection().cursor(), 0
            while True:
                cursor.execute(f"SELECT id, {names} FROM termijnen_copy WHERE id > %s "
                               f"ORDER BY id LIMIT {CHUNK}", (last,))
                rows = cursor.fetchall()
                if not rows:
                    break
                last = rows[-1][0]
                rows = [row[1:] for row in rows]
                gc.collect()
                began = time.perf_counter()
                if how == "values":
                    execute_values(cursor, f"INSERT INTO factuurtermijn ({names}) VALUES %s",
                                   rows, page_size=1000)
                else:
                    cursor.copy_expert(f"COPY factuurtermijn ({names}) FROM STDIN",
                                       _copy_text(rows))
                seconds += time.perf_counter() - began
            began = time.perf_counter()
        seconds += time.perf_counter() - began  # the commit
        count = db.execute_sql("SELECT count(*) FROM factuurtermijn").fetchone()[0]
    return seconds, count


def main_postgresql() -> None:
    from bench.pg import bench_database
    from models.db import connection, db
    from models.facturatie.materialise import INSERT_COLUMNS

    columns = list(INSERT_COLUMNS)
    with bench_database("postgresql") as bdb:
        began = time.perf_counter()
        expected = seed(bdb.url)
        seed_s = time.perf_counter() - began
        counts, wall, cpu = run_sweep()
        check(counts, expected)
        with connection():
            db.execute_sql(f"CREATE TABLE termijnen_copy AS SELECT id, {', '.join(columns)} "
                           f"FROM factuurtermijn")
            db.execute_sql("ALTER TABLE factuurtermijn DISABLE TRIGGER USER")
        floors = {how: [pg_floor(columns, how) for _ in range(2)] for how in ("values", "copy")}
        db.close()
    for runs in floors.values():
        for _seconds, inserted in runs:
            if inserted != counts.created:
                raise RuntimeError(f"floor inserted {inserted} of {counts.created}")
    best = {how: min(s for s, _ in runs) for how, runs in floors.items()}
    how = min(best, key=best.get)
    floor_s = best[how]
    ratio = floor_s / wall
    ok = ratio >= TARGET
    r = lambda x: round(x, 3)  # noqa: E731
    print(f"sweep: {counts.created:,} termijnen of {CONTRACTS:,} contracts in {wall:.2f} s "
          f"= {counts.created / wall:,.0f}/s; best raw insert ({how}) {floor_s:.2f} s = "
          f"{counts.created / floor_s:,.0f}/s; ratio {ratio:.3f} (target >= {TARGET}): "
          f"{'OK' if ok else 'MISSED'}", file=sys.stderr)
    emit_dict({
        "contracts": CONTRACTS, "termijnen": counts.created, "today": TODAY.isoformat(),
        "sweep_s": r(wall), "client_cpu_s": r(cpu), "floor_s": r(floor_s), "floor_how": how,
        "values_per_s": round(counts.created / best["values"]),
        "copy_per_s": round(counts.created / best["copy"]),
        "floor_s_all": {k: [r(s) for s, _ in v] for k, v in floors.items()},
        "seed_s": r(seed_s), "cpus": os.cpu_count()},
        "materialise_termijnen", "postgresql", counts.created / wall, "rows/s",
        counts.created / floor_s,
        "best of psycopg2 execute_values and COPY of the same rows (triggers off), rows/s",
        ratio, f">= {TARGET}", ok)


if __name__ == "__main__":
    main()
