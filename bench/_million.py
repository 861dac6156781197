"""The million-werkbonnen database of bench/werkbonnen_list.py, for the search and filter
benches, on SQLite or PostgreSQL, served like bench/http_preview.py. Not a benchmark itself.

Seeding a million werkbonnen takes minutes on a 2-core machine, so the seeded SQLite file is
kept in ~/.cache/cadans-bench/ (CADANS_BENCH_CACHE), keyed by the company's today (the statuses
depend on it) and the source of the seed and the migrations; a run copies it. PostgreSQL gets
the same rows: the schema by migrate(), then each seeded table by COPY from that SQLite file.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import http_preview  # noqa: E402

SEEDED_TABLES = ("klant", "medewerker", "contract", "werkbon")
SOURCES = ("bench/_seed.py", "bench/werkbonnen_list.py", "bench/_million.py",
           "models/migrations.py", "models/db/fulltext.py", "models/werkbonnen/tables.py")


def database_kind() -> str:
    from bench.pg import kind

    return kind()


def _cache_file(app_today) -> Path:
    """The cached file for `app_today`, the sources and the size (`make bench-quick` seeds a
    smaller database of the same shape: it must never stand in for the million, nor the other
    way round)."""
    from bench._report import quick

    size = "quick" if quick() else "1m"
    digest = hashlib.sha256(f"{app_today}|{size}".encode())
    for name in SOURCES:
        digest.update((ROOT / name).read_bytes())
    base = Path(os.environ.get("CADANS_BENCH_CACHE", Path.home() / ".cache" / "cadans-bench"))
    base.mkdir(parents=True, exist_ok=True)
    return base / f"werkbonnen-{size}-{digest.hexdigest()[:16]}.db"


def seeded_sqlite(tmp: str, env: dict) -> dict:
    """{tmp}/cadans.db with the bench user and the million werkbonnen (from the cache when it
    has them); returns what werkbonnen_list.seed returned."""
    import json

    from bench import werkbonnen_list

    http_preview.prepare_database(tmp, env)  # binds models.db to {tmp}/cadans.db
    from app import create_app
    from models.db import db
    from views.today import local_today

    # create_app() below binds a new pool: close this one's connections first, or one stays
    # open on the file (and its -wal and -shm) that the cached copy replaces ("disk I/O error")
    db.obj.close_all()

    with create_app().app_context():
        app_today = local_today()
    cached = _cache_file(app_today)
    info = cached.with_suffix(".json")
    if cached.exists() and info.exists():
        db.obj.close_all()
        for suffix in ("-wal", "-shm"):
            Path(f"{tmp}/cadans.db{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, f"{tmp}/cadans.db")
        return json.loads(info.read_text())
    seeded = werkbonnen_list.seed(app_today)
    db.obj.close_all()
    conn = sqlite3.connect(f"{tmp}/cadans.db")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    shutil.copyfile(f"{tmp}/cadans.db", cached)
    info.write_text(json.dumps(seeded, default=str))
    return seeded


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    return (str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def to_postgresql(sqlite_file: str, url: str) -> None:
    """The seeded rows of `sqlite_file` into the PostgreSQL database at `url` (migrated, with
    the bench user), by COPY; then ANALYZE, as autovacuum would."""
    import psycopg2

    source = sqlite3.connect(sqlite_file)
    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cursor:
            cursor.execute("DELETE FROM audit_log")
            cursor.execute("TRUNCATE werkbon, contract, klant, medewerker CASCADE")
            for table in SEEDED_TABLES:
                columns = [d[0] for d in source.execute(f"SELECT * FROM {table} LIMIT 0")
                           .description]
                types = dict(_pg_types(cursor, table))
                rows = source.execute(f"SELECT {', '.join(columns)} FROM {table}")
                while True:
                    chunk = rows.fetchmany(100_000)
                    if not chunk:
                        break
                    buffer = io.StringIO()
                    for row in chunk:
                        buffer.write("\t".join(_copy_text(_pg_value(v, types[c]))
                                               for c, v in zip(columns, row, strict=True)) + "\n")
                    buffer.seek(0)
                    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN",
                                       buffer)
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT max(id) FROM {table}))")
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finally:
        conn.close()
        source.close()


def _pg_types(cursor, table):
    cursor.execute("SELECT column_name, data_type FROM information_schema.columns "
                   "WHERE table_name = %s", (table,))
    return cursor.fetchall()


def _pg_value(value, kind: str):
    if kind == "boolean" and value is not None:
        return "t" if value else "f"
    return value


class Database:
    """The bench database for CADANS_BENCH_DB, with env for the servers; `stop()` at the end."""

    def __init__(self, tmp: str):
        self.kind = database_kind()
        self.env = http_preview.server_env(tmp)
        self.pg = None
        self.seeded = seeded_sqlite(tmp, self.env)
        if self.kind == "postgresql":
            from bench.pg import BenchDatabase

            # DATABASE_URL's server (a database of its own) or a throwaway one (bench/pg.py)
            self.pg = BenchDatabase("postgresql")
            url = self.pg.url
            self.env = {**self.env, "DATABASE_URL": url}
            from models.db import db

            db.obj.close_all()
            http_preview.prepare_database(tmp, self.env)  # schema + bench user on PostgreSQL
            db.obj.close()
            to_postgresql(f"{tmp}/cadans.db", url)

    def stop(self) -> None:
        if self.pg is not None:
            self.pg.close()


def run_cases(bench: str, cases: dict, target: float, p99_target: float | None = None,
              check=None) -> None:
    """Serve the million werkbonnen and the hello floor with gunicorn (bench/http_preview.py),
    check each case's page with `check(path, body)`, measure them taking turns with the floor,
    and print the one JSON line of bench/README.md: the worst case's median against the floor's
    (and its p99 when `p99_target`). `cases`: name -> path, or a callable(seeded) -> path."""
    import tempfile
    import time

    wall = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix=f"cadans-bench-{bench}-")
    database = None
    servers = []
    try:
        began = time.perf_counter()
        database = Database(tmp)
        seed_seconds = time.perf_counter() - began
        from models.db import db

        getattr(db.obj, "close_all", db.obj.close)()
        paths = {name: (path(database.seeded) if callable(path) else path)
                 for name, path in cases.items()}
        app_server = http_preview.Server("app:create_app()", database.env, "/api/v1/health")
        servers.append(app_server)
        hello = http_preview.Server("bench.hello_app:create_app()", database.env,
                                    http_preview.HELLO_PATH)
        servers.append(hello)
        cookie = http_preview.login(app_server.port)
        headers = {"HX-Request": "true", "Cookie": cookie}
        http_preview.check_hello(hello.port, headers)
        rows = {}
        for name, path in paths.items():
            status, _, _, body = http_preview.request(app_server.port, "GET", path,
                                                      headers=headers)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
            rows[name] = body.count(b'class="werkbon-rij')
            if check is not None:
                check(name, path, body)
        http_preview.load(hello, http_preview.HELLO_PATH, headers, http_preview.WARMUP)
        for path in paths.values():
            http_preview.load(app_server, path, headers, http_preview.WARMUP)
        results = http_preview.take_turns(
            {"hello": (hello, http_preview.HELLO_PATH, headers),
             **{name: (app_server, path, headers) for name, path in paths.items()}},
            http_preview.DURATION)
    finally:
        for server in servers:
            server.stop()
        if database is not None:
            database.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    floor = results.pop("hello")
    worst = max(results, key=lambda n: results[n]["p50_ms"])
    worst_p99 = max(results, key=lambda n: results[n]["p99_ms"])
    ratio = results[worst]["p50_ms"] / floor["p50_ms"]
    p99_ratio = results[worst_p99]["p99_ms"] / floor["p50_ms"]
    errors = sum(m["errors"] for m in results.values())
    ok = ratio <= target and errors == 0 and (p99_target is None or p99_ratio <= p99_target)
    for name, m in results.items():
        print(f"{database.kind:10s} {name:14s} p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:7.2f}"
              f" ms  rows {rows[name]:3d}  ratio {m['p50_ms'] / floor['p50_ms']:.2f}"
              f"  errors {m['errors']}", file=sys.stderr)
    r = lambda x: round(x, 3)  # noqa: E731
    extra = {"worst_case": worst, "werkbonnen": database.seeded["werkbonnen"],
             "cases": {n: {"p50_ms": r(m["p50_ms"]), "p99_ms": r(m["p99_ms"]),
                           "ratio": r(m["p50_ms"] / floor["p50_ms"]), "rows": rows[n],
                           "errors": m["errors"], "server_cpu_ms": r(m["server_cpu_ms"])}
                       for n, m in results.items()},
             "floor_p99_ms": r(floor["p99_ms"]), "floor_server_cpu_ms": r(floor["server_cpu_ms"]),
             "other_cores_busy": r(floor["other_cores"]), "seed_s": r(seed_seconds),
             "bench_s": r(time.perf_counter() - wall)}
    if p99_target is not None:
        extra.update({"p99_ratio": r(p99_ratio), "p99_target": f"<= {p99_target}",
                      "worst_p99_case": worst_p99})
    from bench._report import emit

    emit(bench, database.kind, results[worst]["p50_ms"], "ms", floor["p50_ms"],
         "hello p50 (bench/hello_app.py, same gunicorn -w 1 and 4 clients, taking turns)",
         ratio, f"<= {target}" + (f" (and p99 <= {p99_target}x the floor)" if p99_target
                                  else ""), ok, **extra)
