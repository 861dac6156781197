"""Werkbonnen per second when contracts cover objecten, against raw `executemany` of the same
rows, on SQLite and on PostgreSQL, and the peak memory of the process that does it.

Target (issue #17): materialising 1,000 contracts x 50 objecten x 12 months per object (600,000
werkbonnen, "één werkbon per object"): werkbonnen/s >= 0.5x a raw `executemany` of the same
rows, on SQLite and on PostgreSQL, peak RSS < 250 MB.

The database (per kind): 1,000 klanten, each with two werkadressen and 50 objecten (25 at each),
and one preventief contract per klant covering its 50 objecten, per object, monthly on the
first or on the last day (half of those moving a holiday to the next workday), half with a
medewerker; 8 templates saved through contract check + create, the others copies of their rows,
starting on a day in December 2025. On 1 December 2026 each owes 12 dates x 50 objecten.

Ours: a fresh Python process runs the real job, `jobs.tasks.materialise_due(today)` (binding the
database from DATABASE_URL like an RQ work horse), timing the job and reporting its own peak RSS
(VmHWM). It writes 600,000 werkbonnen, 600,000 WerkbonObject links and the bookkeeping and audit.

Floor: the werkbon rows the sweep wrote (every column it writes, plus their id) and their
WerkbonObject rows, read back, inserted into a copy of the database as it was before the sweep
(same schema, indexes and parent rows; copied before the sweep ran) in one transaction:
  - SQLite: `sqlite3.executemany` on a plain connection (foreign keys off, as sqlite3 opens it;
    "floor_fk" with them on, as the app runs, is reported too), without the search index's
    triggers on werkbon (the rows alone; "floor_with_search": with them, 500 werkbonnen a
    statement as the sweep writes them, the same work done raw);
  - PostgreSQL: psycopg2 `cursor.executemany` (the floor of the target), and COPY FROM STDIN
    as a reference ("ratio_vs_copy"), the fastest way PostgreSQL takes rows.
The PostgreSQL server is a throwaway cluster (tests/postgres.py: fsync and synchronous_commit
off, a unix socket), as the tests use.
On PostgreSQL the sweep hands a write of 500 rows or more to the server by COPY into a
temporary table and one INSERT ... SELECT ... ON CONFLICT DO NOTHING (models/werkbonnen/
materialise.py COPY_FROM), so "ratio_vs_copy" is the telling figure there; psycopg2's
executemany (one statement per row) is the floor the issue names, and takes minutes.

Run: .venv/bin/python bench/materialise_objecten.py [--contracts N] [sqlite|postgresql]  -> one
JSON line per database (without a database argument: the one CADANS_BENCH_DB names; exit code
0 even when a target is missed, "ok" says whether it was met; CADANS_BENCH_QUICK=1: 100).
The full size (1,000 contracts, the target) takes several minutes per database; --contracts 100
(60,000 werkbonnen) is a quick check of the same shape.
"""

from __future__ import annotations

import gc
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench._report import emit, emit_dict, quick  # noqa: E402
from bench.pg import kind  # noqa: E402

CONTRACTS = 1_000
OBJECTEN = 50  # per contract, 25 at each of two werkadressen
TODAY = date(2026, 12, 1)
MONTHS = 12
RULES = [("FREQ=MONTHLY;BYMONTHDAY=1", "ignore"), ("FREQ=MONTHLY;BYMONTHDAY=1", "next_workday"),
         ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "ignore"),
         ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "next_workday")]
TARGET = 0.5
LIMIT_MB = 250.0
CHUNK = 1000


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

    gc.collect()
    before = status_mb("VmRSS")
    began, cpu = time.perf_counter(), time.process_time()
    result = tasks.materialise_due(TODAY.isoformat())
    print(json.dumps({"result": result, "seconds": time.perf_counter() - began,
                      "cpu_seconds": time.process_time() - cpu, "rss_before_mb": before,
                      "vmhwm_mb": status_mb("VmHWM")}))


# --- seeding -------------------------------------------------------------------------------------

def _chunks(rows: list, size: int = CHUNK):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def seed() -> None:
    """The klanten, werkadressen, objecten and contracts, in the bound database."""
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.contracts.tables import Contract, ContractObject
    from models.db import write_transaction
    from models.objecten.tables import Object, Objecttype, Werkadres
    from models.stamdata.klanten import Klant
    from models.stamdata.medewerkers import Medewerker

    stamp = "2025-11-01 08:00:00"
    with write_transaction():
        for rows in _chunks([{"customer_number": f"D-{n:05d}", "name": f"Woonstichting {n}",
                              "street": "Dorpsstraat", "house_number": str(n), "city": "Utrecht",
                              "postcode": "3511 AB", "created_at": stamp}
                             for n in range(1, CONTRACTS + 1)]):
            Klant.insert_many(rows).execute()
        Medewerker.insert_many([{"personnel_number": f"P-{n:03d}", "name": f"Monteur {n}",
                                 "created_at": stamp} for n in range(1, 21)]).execute()
        for rows in _chunks([{"klant": k, "name": f"Complex {k}-{p}", "street": "Laan",
                              "house_number": str(p), "postcode": "3511 AB", "city": "Utrecht",
                              "created_at": stamp, "updated_at": stamp}
                             for k in range(1, CONTRACTS + 1) for p in (1, 2)]):
            Werkadres.insert_many(rows).execute()
        kind = Objecttype.get(Objecttype.name == "CV-ketel").id
        for rows in _chunks([{"number": f"K{w:05d}-{n:02d}", "werkadres": w, "objecttype": kind,
                              "brand": "Remeha", "location": "zolder", "created_at": stamp,
                              "updated_at": stamp}
                             for w in range(1, 2 * CONTRACTS + 1)
                             for n in range(1, OBJECTEN // 2 + 1)]):
            Object.insert_many(rows).execute()
    templates = []
    for rrule, holidays in RULES:
        for medewerker in (None, 1):
            data = {"klant_id": 1, "contracttype": "preventief",
                    "description": "Onderhoud cv-ketels", "start_date": "2025-12-01",
                    "end_date": None, "days_in_advance": 0, "werkbon_per": "object",
                    "schedule": {"rrule": rrule, "holidays": holidays},
                    "werkbon": {"start_time": "08:30", "duration_minutes": 45,
                                "description": "Jaarlijks onderhoud",
                                "medewerker_id": medewerker}}
            values, errors = contract_checks.check(data)
            if errors:
                raise RuntimeError(errors)
            templates.append(contract_service.create(values, "bench", date(2025, 12, 1)).id)
    rows = {t: Contract.select().where(Contract.id == t).dicts().get() for t in templates}
    copies = []
    for index in range(CONTRACTS):
        row = dict(rows[templates[index % len(templates)]])
        row.pop("id")
        begins = date(2025, 12, 2) + timedelta(days=index % 29)  # 2 .. 30 December 2025
        row.update(number=f"C-OBJ-{index + 1:05d}", klant=index + 1,
                   start_date=begins, generate_from=begins, next_attention=begins,
                   start_time=("07:30", "08:00", "08:30", "13:00")[index % 4])
        if row["medewerker"]:
            row["medewerker"] = 1 + index % 20
        copies.append(row)
    with write_transaction():
        Contract.delete().where(Contract.id.in_(templates)).execute()
        for chunk in _chunks(copies, 200):
            Contract.insert_many(chunk).execute()
        ids = [c.id for c in Contract.select(Contract.id, Contract.klant).order_by(Contract.id)]
        klant_of = {c.id: c.klant_id for c in Contract.select(Contract.id, Contract.klant)}
        objecten: dict[int, list[int]] = {}
        for oid, klant in (Object.select(Object.id, Werkadres.klant).join(Werkadres).tuples()):
            objecten.setdefault(klant, []).append(oid)
        links = [(cid, oid) for cid in ids for oid in objecten[klant_of[cid]]]
        for chunk in _chunks(links):
            ContractObject.insert_many(chunk, fields=[ContractObject.contract,
                                                      ContractObject.object]).execute()
    if len(ids) != CONTRACTS or len(links) != CONTRACTS * OBJECTEN:
        raise RuntimeError(f"seeded {len(ids)} contracts, {len(links)} links")


def prepared(url: str) -> None:
    from models.db import connection, db, init_db_from_url
    from models.migrations import migrate

    database = init_db_from_url(url)
    with connection():
        migrate()
        seed()
    if hasattr(database, "close_all"):
        database.close_all()
    else:
        database.close()
    db.initialize(None)


# --- measuring -----------------------------------------------------------------------------------

def columns() -> list[str]:
    from models.werkbonnen.materialise import INSERT_COLUMNS

    return ["id", *INSERT_COLUMNS]


def run_child(url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run([sys.executable, __file__, "--child", url], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"child failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def written(connect) -> tuple[list[tuple], list[tuple], dict]:
    """The werkbon rows and links the sweep wrote, and what to check them by."""
    conn = connect()
    cur = conn.cursor()
    cur.execute(f"SELECT {', '.join(columns())} FROM werkbon ORDER BY id")
    werkbonnen = cur.fetchall()
    cur.execute("SELECT werkbon_id, object_id, due_date FROM werkbon_object ORDER BY werkbon_id")
    links = cur.fetchall()
    cur.execute("SELECT count(DISTINCT contract_id || '/' || due_date || '/' || slot), "
                "count(DISTINCT number) FROM werkbon")
    keys, numbers = cur.fetchone()
    cur.execute("SELECT count(*) FROM contract WHERE next_attention <= %s" %
                ("?" if isinstance(conn, sqlite3.Connection) else "%s"), (TODAY.isoformat(),))
    not_done = cur.fetchone()[0]
    conn.close()
    return werkbonnen, links, {"keys": keys, "numbers": numbers, "not_done": not_done}


def check(report: dict, werkbonnen: list, links: list, facts: dict) -> None:
    owed = CONTRACTS * OBJECTEN * MONTHS
    created = report["result"]["created"]
    problems = []
    if not (created == len(werkbonnen) == facts["keys"] == facts["numbers"] == owed):
        problems.append(f"created={created} rows={len(werkbonnen)} keys={facts['keys']} "
                        f"numbers={facts['numbers']} owed={owed}")
    if len(links) != owed or len({link[0] for link in links}) != owed:
        problems.append(f"{len(links)} links")
    if facts["not_done"]:
        problems.append(f"{facts['not_done']} contracts still due")
    if problems:
        raise RuntimeError("; ".join(problems))


def sqlite_floor(path: str, werkbonnen: list, links: list, foreign_keys: bool,
                 search: bool = False) -> tuple:
    """(seconds, CPU seconds) to insert the rows raw. Without `search` the search index's
    triggers on werkbon (models/db/fulltext.py, migration 18) are dropped first: the floor is
    the rows alone, as the issue's target means (bench/materialise_throughput.py does the
    same). With `search` they stay and the werkbonnen go in 500 a statement, as the sweep
    writes them (FTS5 flushes at every statement: one row a statement would make that floor
    a tenth as fast and flatter the ratio)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = wal")
    conn.execute("PRAGMA synchronous = normal")
    if foreign_keys:
        conn.execute("PRAGMA foreign_keys = on")
    if not search:
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'werkbon' AND name LIKE '%_fts_%'"
                                    ).fetchall():
            conn.execute(f"DROP TRIGGER {name}")
    names = columns()
    one = f"({', '.join('?' * len(names))})"
    gc.collect()
    began, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN")
    whole = len(werkbonnen) - len(werkbonnen) % 500 if search else 0
    for start in range(0, whole, 500):
        conn.execute(f"INSERT INTO werkbon ({', '.join(names)}) VALUES "
                     + ", ".join([one] * 500),
                     [v for row in werkbonnen[start:start + 500] for v in row])
    conn.executemany(f"INSERT INTO werkbon ({', '.join(names)}) VALUES {one}",
                     werkbonnen[whole:])
    conn.executemany("INSERT INTO werkbon_object (werkbon_id, object_id, due_date) "
                     "VALUES (?, ?, ?)", links)
    conn.execute("COMMIT")
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    count = conn.execute("SELECT count(*) FROM werkbon").fetchone()[0]
    conn.close()
    if count != len(werkbonnen):
        raise RuntimeError(f"floor inserted {count} of {len(werkbonnen)}")
    return seconds, cpu


def bench_sqlite(tmp: str) -> dict:
    source = f"{tmp}/objecten.db"
    began = time.perf_counter()
    prepared(f"sqlite:///{source}")
    seed_seconds = time.perf_counter() - began
    for suffix in ("", "-wal", "-shm"):  # the database before the sweep, for the floors
        if os.path.exists(source + suffix):
            shutil.copyfile(source + suffix, f"{tmp}/before.db{suffix}")
    report = run_child(f"sqlite:///{source}")
    werkbonnen, links, facts = written(lambda: sqlite3.connect(source))
    check(report, werkbonnen, links, facts)
    floors = {}
    for name, foreign_keys, search in (("floor", False, False), ("floor_fk", True, False),
                                       ("floor_with_search", False, True)):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{tmp}/before.db{suffix}"):
                shutil.copyfile(f"{tmp}/before.db{suffix}", f"{tmp}/floor.db{suffix}")
        floors[name] = sqlite_floor(f"{tmp}/floor.db", werkbonnen, links, foreign_keys,
                                    search)
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(f"{tmp}/floor.db{suffix}"):
                os.remove(f"{tmp}/floor.db{suffix}")
    return summary("sqlite", report, len(werkbonnen), floors, seed_seconds,
                   {"sqlite": sqlite3.sqlite_version})


def pg_connect(server, name: str):
    import psycopg2

    from tests.postgres import USER

    return psycopg2.connect(dbname=name, user=USER, host=str(server.base))


def pg_floor(server, name: str, werkbonnen: list, links: list, copy: bool) -> tuple:
    conn = pg_connect(server, name)
    cur = conn.cursor()
    names = columns()
    gc.collect()
    began, cpu = time.perf_counter(), time.process_time()
    if copy:
        cur.copy_expert(f"COPY werkbon ({', '.join(names)}) FROM STDIN", _tsv(werkbonnen))
        cur.copy_expert("COPY werkbon_object (werkbon_id, object_id, due_date) FROM STDIN",
                        _tsv(links))
    else:
        cur.executemany(f"INSERT INTO werkbon ({', '.join(names)}) VALUES "
                        f"({', '.join(['%s'] * len(names))})", werkbonnen)
        cur.executemany("INSERT INTO werkbon_object (werkbon_id, object_id, due_date) "
                        "VALUES (%s, %s, %s)", links)
    conn.commit()
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    cur.execute("SELECT count(*) FROM werkbon")
    count = cur.fetchone()[0]
    conn.close()
    if count != len(werkbonnen):
        raise RuntimeError(f"floor inserted {count} of {len(werkbonnen)}")
    return seconds, cpu


def _tsv(rows: list) -> io.StringIO:
    def field(value) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
    return io.StringIO("".join("\t".join(field(v) for v in row) + "\n" for row in rows))


def bench_postgresql() -> dict:
    from tests.postgres import Server, bindir

    if bindir() is None:
        return {"bench": "materialise_objecten", "database": "postgresql",
                "skipped": "PostgreSQL niet geïnstalleerd (apt-get install postgresql)"}
    server = Server()
    try:
        began = time.perf_counter()
        # seeded once (the server keeps it as the template "prepared"), then copied: the sweep
        # and each floor start from the same database
        swept = server.create_database(prepare=prepared)
        seed_seconds = time.perf_counter() - began
        report = run_child(server.url(swept))
        werkbonnen, links, facts = written(lambda: pg_connect(server, swept))
        check(report, werkbonnen, links, facts)
        floors = {}
        for name, copy in (("floor", False), ("floor_copy", True)):
            target = server.create_database(prepare=prepared)
            floors[name] = pg_floor(server, target, werkbonnen, links, copy)
            server.drop_database(target)
        import psycopg2

        conn = pg_connect(server, swept)
        version = conn.server_version
        conn.close()
    finally:
        server.stop()
    return summary("postgresql", report, len(werkbonnen), floors, seed_seconds,
                   {"postgresql": version, "psycopg2": psycopg2.__version__.split()[0]})


def summary(database: str, report: dict, rows: int, floors: dict, seed_seconds: float,
            extra: dict) -> dict:
    ours = rows / report["seconds"]
    floor_s, floor_cpu = floors["floor"]
    ratio = ours / (rows / floor_s)
    peak = report["vmhwm_mb"]
    ok = ratio >= TARGET and peak < LIMIT_MB
    r = lambda x: round(x, 3)  # noqa: E731
    result = {
        "bench": "materialise_objecten", "database": database, "contracts": CONTRACTS,
        "objecten_per_contract": OBJECTEN, "werkbonnen": rows, "links": rows,
        "today": TODAY.isoformat(),
        "sweep_s": r(report["seconds"]), "sweep_cpu_s": r(report["cpu_seconds"]),
        "ours_per_s": round(ours), "floor_per_s": round(rows / floor_s), "floor_s": r(floor_s),
        "ratio": r(ratio), "target": TARGET, "peak_rss_mb": round(peak, 1),
        "limit_mb": LIMIT_MB, "rss_before_job_mb": round(report["rss_before_mb"], 1),
        "ok": ok, "seed_s": r(seed_seconds), "cpus": os.cpu_count(), **extra,
    }
    for name, (seconds, _cpu) in floors.items():
        if name != "floor":
            result[f"{name}_per_s"] = round(rows / seconds)
            result[f"ratio_vs_{name.removeprefix('floor_')}"] = r(ours / (rows / seconds))
    print(f"{database}: {rows:,} werkbonnen (+ {rows:,} links) in {report['seconds']:.1f} s = "
          f"{ours:,.0f}/s; executemany {floor_s:.1f} s = {rows / floor_s:,.0f}/s; ratio "
          f"{ratio:.2f} (target >= {TARGET}); peak RSS {peak:.0f} MB (limit {LIMIT_MB:.0f}): "
          f"{'OK' if ok else 'MISSED'}", file=sys.stderr)
    return result


def report(result: dict) -> None:
    """The line of bench/_report.py (a missing server: "ok" false, "not_measured")."""
    target = f">= {TARGET} (and peak RSS < {LIMIT_MB:.0f} MB)"
    if "skipped" in result:
        emit("materialise_objecten", result["database"], None, "rows/s", None, "", None, target,
             False, not_measured=result["skipped"])
        return
    emit_dict(result, "materialise_objecten", result["database"], result["ours_per_s"],
              "rows/s", result["floor_per_s"],
              "raw executemany of the same rows (sqlite3; psycopg2 on PostgreSQL), rows/s",
              result["ratio"], target, result["ok"])


def main() -> None:
    global CONTRACTS
    args = sys.argv[1:]
    if "--contracts" in args:
        at = args.index("--contracts")
        CONTRACTS = int(args[at + 1])
        del args[at:at + 2]
    if len(args) == 2 and args[0] == "--child":
        child(args[1])
        return
    if quick() and "--contracts" not in sys.argv:
        CONTRACTS = 100
    wanted = args or [kind()]
    for database in wanted:
        if database == "sqlite":
            tmp = tempfile.mkdtemp(prefix="cadans-bench-obj-")
            try:
                report(bench_sqlite(tmp))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        elif database == "postgresql":
            report(bench_postgresql())
        else:
            raise SystemExit(f"unknown database {database!r}: sqlite or postgresql")


if __name__ == "__main__":
    main()
