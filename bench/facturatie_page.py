"""Latency of the Te factureren page (/facturatie/) with 100,000 open termijnen, against the
hello-world fragment floor measured in the same run.

Target (issue 19): the Te factureren page with 100,000 open termijnen: median <= 3x the hello
floor - for the default view and the common filters (klant, up to a date, BTW rate).

The database: the bench user, 2,000 klanten (bench/_seed.py), CONTRACTS monthly contracts
(raw copies of one contract saved through contract_service, as bench/materialise_termijnen.py
makes them; klant = 1 + n % 2000, prices and BTW rates varied, a quarter achteraf) that started
17 months before today's month, their termijnen made by the real sweep
(models.facturatie.materialise.sweep, the worker's code path: triggers keep the totals), then
the termijnen of the first six months marked gefactureerd with one UPDATE (the history an
administration has). What stays concept and is due by today: the open termijnen (>= 100,000).

Served exactly like bench/werkbonnen_list.py (bench/http_preview.py's Server, login, load and
take_turns): gunicorn, one sync worker, 4 client processes, ten 1 s slices per case taking
turns with the hello floor. Cases, each `GET /facturatie/...` with HX-Request (the page's own
filter navigation: the `resultaten` fragment: totals per klant (a page of 25 klanten) and per
BTW rate over the whole selection, the first 50 termijnen with their checkboxes):
  - default: no filters (concept, factuurdatum t/m today)
  - klant:   klant=<a klant in the middle> (its 48 open termijnen: one page)
  - tot:     tot=<the 1st of the month three months ago>
  - btw:     btw=9
and also: `deep` (the "Volgende pagina" cursor 50 pages deep), `full` (the default view
without HX-Request: the whole page with its filter form) and `zoek` (the klant filter's search
as the planner types "Klant 10": GET /facturatie/klanten, 8 matches); each its own line with
its own "ok" against the same target ("reference": true marks those beyond the issue's four). Before
measuring, each case's totals are checked against a fresh SUM over the termijnen (to the cent).
Once, after the timed cases: the CSV export of the default view (all open termijnen): its
time, size and rows.

On SQLite or PostgreSQL (`CADANS_BENCH_DB`, bench/pg.py): the seeding is plain SQL both
databases speak, the server the same gunicorn against `bdb.url`.

Run: CADANS_BENCH_DB=sqlite|postgresql .venv/bin/python bench/facturatie_page.py  -> one JSON
line per view (`"bench": "facturatie_page/<view>"`, bench/README.md), each against the hello
floor of the same run (exit code 0 even when a target is missed; "ok" says whether it was met).
`make bench-quick` (bench/_report.quick()): a tenth of the termijnen, the same shape.
"""

from __future__ import annotations

import os
import re
import sys
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _report, _seed  # noqa: E402
from bench._report import emit  # noqa: E402
from bench.http_preview import (  # noqa: E402
    DURATION,
    HELLO_PATH,
    SLICE_WARMUP,
    WARMUP,
    Server,
    check_hello,
    load,
    login,
    prepare_database,
    request,
    server_env,
    take_turns,
)

OPEN_WANTED = 10_000 if _report.quick() else 100_000
INVOICED_MONTHS = 6
TARGET_RATIO = 3.0
PAGE = "/facturatie/"
ROW = b'name="ids"'


def months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def sql(statement: str, params=()):
    """Run `statement` (written with `?` placeholders, `%` the modulo) on the bound database,
    SQLite or PostgreSQL (psycopg2's placeholder is %s, so a `%` of the SQL is doubled there);
    returns the cursor."""
    from models.db import db, is_sqlite

    if not is_sqlite():
        statement = statement.replace("%", "%%")
    return db.execute_sql(statement.replace("?", db.obj.param), params)


def seed_people(klanten: int) -> None:
    """bench/_seed.py's klanten (and one medewerker), on either database."""
    from models.db import db

    p = db.obj.param
    with _seed.transaction():
        cursor = db.cursor()
        cursor.executemany(
            "INSERT INTO klant (customer_number, name, street, house_number, postcode, city,"
            f" email, phone, active, created_at) VALUES ({', '.join([p] * 6)}, '', '', {p},"
            " '2025-01-01 08:00:00')",
            [(f"D-{n:05d}", f"Klant {n} B.V.", "Dorpsstraat", str(n % 200 + 1),
              f"{1000 + n % 8999} AB", ("Utrecht", "Zwolle", "Breda", "Delft")[n % 4], True)
             for n in range(1, klanten + 1)])
        cursor.execute("INSERT INTO medewerker (personnel_number, name, email, phone, active, "
                       f"created_at) VALUES ('P-001', 'Monteur 01', '', '', {p}, "
                       "'2025-01-01 08:00:00')", (True,))


def seed(today: date) -> dict:
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.db import connection
    from models.facturatie import materialise

    start = months_back(today, 17)
    invoiced_before = months_back(today, 17 - INVOICED_MONTHS)
    # vooraf: 18 periods due, 12 open; achteraf (a quarter): 17 due, 11 open
    per_contract = (12 * 3 + 11) / 4
    contracts = int(OPEN_WANTED / per_contract) + 2
    with connection():
        seed_people(_seed.KLANTEN)
        data = {"klant_id": 1, "contracttype": "preventief", "description": "Onderhoud",
                "start_date": start.isoformat(), "end_date": None, "days_in_advance": 0,
                "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                "werkbon": {"start_time": "08:30", "duration_minutes": 60}}
        values, errors = contract_checks.check(data)
        assert not errors, errors
        contract_service.create(values, "bench", start)
        columns = _seed.written("contract",
                                [d[0] for d in sql("SELECT * FROM contract LIMIT 0").description])
        copied = [c for c in columns if c not in ("id", "number", "klant_id")]
        with _seed.transaction():
            sql(f"WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {contracts}) "
                f"INSERT INTO contract (number, klant_id, {', '.join(copied)}) "
                f"SELECT 'C-B-' || n.i, 1 + n.i % {_seed.KLANTEN}, "
                f"{', '.join('c.' + c for c in copied)} FROM n, contract c WHERE c.id = 1")
            sql("INSERT INTO contract_facturatie (contract_id, prijs_cents, btw_tarief, "
                "factuurperiode, factureren, index_pct, index_date, version, billed_through, "
                "next_invoice_on, contract_version, updated_at) "
                "SELECT id, 60000 + (id * 7919) % 500000, "
                "CASE id % 3 WHEN 0 THEN '21' WHEN 1 THEN '9' ELSE 'verlegd' END, 'maand', "
                "CASE WHEN id % 4 = 0 THEN 'achteraf' ELSE 'vooraf' END, '', NULL, 1, NULL, "
                "?, version, '2025-01-01 00:00:00' FROM contract", (start.isoformat(),))
        counts = materialise.sweep(today)
        if counts.failed:
            raise RuntimeError(f"sweep failed: {counts.failed[:3]}")
        with _seed.transaction():
            sql("UPDATE factuurtermijn SET status = 'gefactureerd', "
                "factuurnummer = 'F-' || id, invoiced_at = created_at, "
                "invoiced_by = 'bench' WHERE invoice_on < ?", (invoiced_before.isoformat(),))
        sql("DELETE FROM audit_log")
        sql("ANALYZE")
        by_status = dict(sql("SELECT status, count(*) FROM factuurtermijn GROUP BY status")
                         .fetchall())
        open_due = sql("SELECT count(*) FROM factuurtermijn WHERE status = 'concept' "
                       "AND invoice_on <= ?", (today.isoformat(),)).fetchone()[0]
        deep = sql("SELECT invoice_on, id FROM factuurtermijn WHERE status = 'concept' AND "
                   "invoice_on <= ? ORDER BY invoice_on, id LIMIT 1 OFFSET ?",
                   (today.isoformat(), 50 * 50 - 1)).fetchone()
    return {"contracts": contracts, "by_status": by_status, "open_due": open_due,
            "deep": (str(deep[0]), deep[1]), "start": start.isoformat()}


def fresh_sums(where: str, params: tuple) -> tuple[int, int, int]:
    """(count, cents, btw_cents) straight from the termijnen: what the page must say."""
    from models.db import connection

    with connection():
        return tuple(int(v or 0) for v in sql(
            f"SELECT count(*), sum(cents), sum(btw_cents) FROM factuurtermijn WHERE {where}",
            params).fetchone())


def money(cents: int) -> str:
    from models.facturatie.termijnen import money as dutch

    return "€ " + dutch(cents)


def check_case(port: int, path: str, headers: dict, expected: tuple, fragment: bool = True):
    status, _, _, body = request(port, "GET", path, headers=headers)
    rows = body.count(ROW)
    if status != 200 or rows != min(50, expected[0]):
        raise RuntimeError(f"{path} answered {status} with {rows} rows: {body[:300]!r}")
    if fragment == (b"<html" in body.lower()):
        raise RuntimeError(f"{path}: expected {'a fragment' if fragment else 'a full page'}")
    count, cents, btw = expected
    foot = re.search(rb"<tfoot>.*?</tfoot>", body, re.S).group(0).decode()
    for text in (f">{count}<", f">{money(cents)}<", f">{money(btw)}<"):
        if text not in foot:
            raise RuntimeError(f"{path}: the totals say {foot!r}, a fresh SUM {expected}")
    return body


def main() -> None:
    from bench.pg import bench_database

    with bench_database() as bdb:
        measure(bdb)


def measure(bdb) -> None:
    from models.db import paging

    wall = time.perf_counter()
    tmp = str(bdb.tmp)
    servers: list[Server] = []
    results, export = {}, {}
    try:
        env = server_env(tmp)
        env["DATABASE_URL"] = bdb.url
        prepare_database(tmp, env)
        from app import create_app
        from views.today import local_today

        with create_app().app_context():
            today = local_today()
        began = time.perf_counter()
        seeded = seed(today)
        seed_seconds = time.perf_counter() - began
        from models.db import db

        if hasattr(db.obj, "close_all"):
            db.obj.close_all()
        elif not db.is_closed():
            db.close()
        klant = min(1000, seeded["contracts"] // 2)  # a klant in the middle, with termijnen
        tot = months_back(today, 3)
        due = "status = 'concept' AND invoice_on <= ?"
        paths = {
            "default": (PAGE, fresh_sums(due, (today.isoformat(),))),
            "klant": (PAGE + "?" + urlencode({"klant": klant}),
                      fresh_sums(due + " AND klant_id = ?", (today.isoformat(), klant))),
            "tot": (PAGE + "?" + urlencode({"tot": tot.isoformat()}),
                    fresh_sums(due, (tot.isoformat(),))),
            "btw": (PAGE + "?" + urlencode({"btw": "9"}),
                    fresh_sums(due + " AND btw_tarief = '9'", (today.isoformat(),))),
            "deep": (PAGE + "?" + urlencode({"cursor": paging.encode(list(seeded["deep"]))}),
                     fresh_sums(due, (today.isoformat(),))),
        }

        app_server = Server("app:create_app()", env, "/api/v1/health")
        servers.append(app_server)
        hello_server = Server("bench.hello_app:create_app()", env, HELLO_PATH)
        servers.append(hello_server)
        cookie = login(app_server.port)
        headers = {"HX-Request": "true", "Cookie": cookie}
        full_headers = {"Cookie": cookie}
        check_hello(hello_server.port, headers)
        for path, expected in paths.values():
            check_case(app_server.port, path, headers, expected)
        check_case(app_server.port, PAGE, full_headers, paths["default"][1], fragment=False)
        first = check_case(app_server.port, PAGE, headers, paths["default"][1])
        if b"Volgende pagina" not in first or b"Volgende klanten" not in first:
            raise RuntimeError("the default view has no next page of termijnen or klanten")

        # the klant filter's search as the planner types (htmx): "Alle klanten" and 8 matches
        zoek = PAGE + "klanten?" + urlencode({"klant_q": "Klant 10"})
        status, _, _, body = request(app_server.port, "GET", zoek, headers=headers)
        if status != 200 or body.count(b'name="klant"') != 9 or b"<html" in body.lower():
            raise RuntimeError(f"{zoek} answered {status}: {body[:300]!r}")

        cases = {name: (app_server, case[0], headers) for name, case in paths.items()}
        cases["full"] = (app_server, PAGE, full_headers)
        cases["zoek"] = (app_server, zoek, headers)
        load(hello_server, HELLO_PATH, headers, WARMUP)
        for server, path, hdrs in cases.values():
            load(server, path, hdrs, WARMUP)
        results = take_turns({"hello": (hello_server, HELLO_PATH, headers), **cases}, DURATION)

        began = time.perf_counter()
        status, resp_headers, _, body = request(app_server.port, "GET", "/facturatie/export.csv",
                                                headers=full_headers)
        export_s = time.perf_counter() - began
        lines = body.count(b"\r\n") - 1
        if status != 200 or lines != paths["default"][1][0] or not body.startswith(b"\xef\xbb\xbf"):
            raise RuntimeError(f"export answered {status} with {lines} rows")
        export = {"export_s": round(export_s, 3), "export_rows": lines,
                  "export_mb": round(len(body) / 1e6, 2),
                  "export_streamed": "Content-Length" not in resp_headers}
    finally:
        for server in servers:
            server.stop()

    hello = results["hello"]
    ratios = {name: m["p50_ms"] / hello["p50_ms"] for name, m in results.items()
              if name != "hello"}
    measured = ("default", "klant", "tot", "btw")
    errors = sum(m["errors"] for m in results.values())
    ok = all(ratios[n] <= TARGET_RATIO for n in ratios) and errors == 0
    r = lambda x: round(x, 3)  # noqa: E731
    for name, m in results.items():
        print(f"{name:8s} p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:7.2f} ms"
              f"  {m['rps']:6.0f} req/s  server CPU {m['server_cpu_ms']:.2f} ms/req"
              f"  errors {m['errors']}  (other load: {m['other_cores']:.2f} cores)"
              + (f"  ratio {ratios[name]:.2f}" if name in ratios else ""), file=sys.stderr)
    total = time.perf_counter() - wall
    print(f"{bdb.kind}: ratio p50 {', '.join(f'{n} {ratios[n]:.2f}' for n in ratios)} "
          f"(target <= {TARGET_RATIO}): {'OK' if ok else 'MISSED'}; export {export}; bench "
          f"took {total:.0f} s", file=sys.stderr)
    floor_name = ("hello-world fragment, same gunicorn -w 1 and 4 clients taking turns, p50 ms")
    common = {"open_termijnen": seeded["open_due"], "by_status": seeded["by_status"],
              "contracts": seeded["contracts"], "klanten": _seed.KLANTEN, "clients": 4,
              "seconds": DURATION, "slice_warmup_s": SLICE_WARMUP,
              "hello_p50_ms": r(hello["p50_ms"]), "hello_p99_ms": r(hello["p99_ms"]),
              "hello_server_cpu_ms": r(hello["server_cpu_ms"]), "cpus": os.cpu_count()}
    for name in cases:
        m = results[name]
        extra = {"path": cases[name][1], "htmx": name != "full",
                 "reference": name not in measured, "p99_ms": r(m["p99_ms"]),
                 "server_cpu_ms": r(m["server_cpu_ms"]),
                 "ratio_server_cpu": r(m["server_cpu_ms"] / hello["server_cpu_ms"]),
                 "rps": round(m["rps"]), "errors": m["errors"],
                 "other_cores_busy": r(m["other_cores"]), **common}
        if name == "default":
            extra.update(export, seed_s=r(seed_seconds), bench_s=r(total))
        emit(f"facturatie_page/{name}", bdb.kind, m["p50_ms"], "ms", hello["p50_ms"],
             floor_name, ratios[name], f"<= {TARGET_RATIO}",
             ratios[name] <= TARGET_RATIO and m["errors"] == 0 and hello["errors"] == 0,
             **extra)


if __name__ == "__main__":
    main()
