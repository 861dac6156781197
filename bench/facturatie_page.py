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
and as references (not part of "ok"): `deep` (the "Volgende pagina" cursor 50 pages deep),
`full` (the default view without HX-Request: the whole page with its filter form). Before
measuring, each case's totals are checked against a fresh SUM over the termijnen (to the cent).
Once, after the timed cases: the CSV export of the default view (all open termijnen): its
time, size and rows.

Run: .venv/bin/python bench/facturatie_page.py  -> one JSON line (exit code 0 even when the
target is missed; "ok" says whether it was met).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _seed  # noqa: E402
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

OPEN_WANTED = 100_000
INVOICED_MONTHS = 6
TARGET_RATIO = 3.0
PAGE = "/facturatie/"
ROW = b'name="ids"'


def months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


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
        _seed.seed_people(klanten=_seed.KLANTEN, medewerkers=1)
        data = {"klant_id": 1, "contracttype": "preventief", "description": "Onderhoud",
                "start_date": start.isoformat(), "end_date": None, "days_in_advance": 0,
                "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                "werkbon": {"start_time": "08:30", "duration_minutes": 60}}
        values, errors = contract_checks.check(data)
        assert not errors, errors
        contract_service.create(values, "bench", start)
        conn = _seed.raw()
        columns = [d[0] for d in conn.execute("SELECT * FROM contract LIMIT 0").description]
        copied = [c for c in columns if c not in ("id", "number", "klant_id")]
        with _seed.transaction():
            conn.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {contracts}) "
                f"INSERT INTO contract (number, klant_id, {', '.join(copied)}) "
                f"SELECT 'C-B-' || n.i, 1 + n.i % 2000, {', '.join('c.' + c for c in copied)} "
                f"FROM n, contract c WHERE c.id = 1")
            conn.execute(
                "INSERT INTO contract_facturatie (contract_id, prijs_cents, btw_tarief, "
                "factuurperiode, factureren, index_pct, index_date, version, billed_through, "
                "next_invoice_on, contract_version, updated_at) "
                "SELECT id, 60000 + (id * 7919) % 500000, "
                "CASE id % 3 WHEN 0 THEN '21' WHEN 1 THEN '9' ELSE 'verlegd' END, 'maand', "
                "CASE WHEN id % 4 = 0 THEN 'achteraf' ELSE 'vooraf' END, '', NULL, 1, NULL, ?, "
                "version, '2025-01-01 00:00:00' FROM contract", (start.isoformat(),))
        counts = materialise.sweep(today)
        if counts.failed:
            raise RuntimeError(f"sweep failed: {counts.failed[:3]}")
        with _seed.transaction():
            conn.execute("UPDATE factuurtermijn SET status = 'gefactureerd', "
                         "factuurnummer = 'F-' || id, invoiced_at = created_at, "
                         "invoiced_by = 'bench' WHERE invoice_on < ?",
                         (invoiced_before.isoformat(),))
        conn.execute("DELETE FROM audit_log")
        conn.execute("ANALYZE")
        by_status = dict(conn.execute(
            "SELECT status, count(*) FROM factuurtermijn GROUP BY status"))
        open_due = conn.execute("SELECT count(*) FROM factuurtermijn WHERE status = 'concept' "
                                "AND invoice_on <= ?", (today.isoformat(),)).fetchone()[0]
        deep = conn.execute(
            "SELECT invoice_on, id FROM factuurtermijn WHERE status = 'concept' AND "
            "invoice_on <= ? ORDER BY invoice_on, id LIMIT 1 OFFSET ?",
            (today.isoformat(), 50 * 50 - 1)).fetchone()
    return {"contracts": contracts, "by_status": by_status, "open_due": open_due,
            "deep": deep, "start": start.isoformat()}


def fresh_sums(where: str, params: tuple) -> tuple[int, int, int]:
    """(count, cents, btw_cents) straight from the termijnen: what the page must say."""
    from models.db import connection

    with connection():
        return tuple(int(v or 0) for v in _seed.raw().execute(
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
    from models.db import paging

    wall = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="cadans-bench-facturatie-")
    servers: list[Server] = []
    results, export = {}, {}
    try:
        env = server_env(tmp)
        prepare_database(tmp, env)
        from app import create_app
        from views.today import local_today

        with create_app().app_context():
            today = local_today()
        began = time.perf_counter()
        seeded = seed(today)
        seed_seconds = time.perf_counter() - began
        from models.db import db

        db.obj.close_all()
        klant = 1000
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

        cases = {name: (app_server, case[0], headers) for name, case in paths.items()}
        cases["full"] = (app_server, PAGE, full_headers)
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
        shutil.rmtree(tmp, ignore_errors=True)

    hello = results["hello"]
    ratios = {name: m["p50_ms"] / hello["p50_ms"] for name, m in results.items()
              if name != "hello"}
    measured = ("default", "klant", "tot", "btw")
    errors = sum(m["errors"] for m in results.values())
    ok = all(ratios[n] <= TARGET_RATIO for n in measured) and errors == 0
    r = lambda x: round(x, 3)  # noqa: E731
    for name, m in results.items():
        print(f"{name:8s} p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:7.2f} ms"
              f"  {m['rps']:6.0f} req/s  server CPU {m['server_cpu_ms']:.2f} ms/req"
              f"  errors {m['errors']}  (other load: {m['other_cores']:.2f} cores)"
              + (f"  ratio {ratios[name]:.2f}" if name in ratios else ""), file=sys.stderr)
    total = time.perf_counter() - wall
    print(f"ratio p50 {', '.join(f'{n} {ratios[n]:.2f}' for n in measured)} (target <= "
          f"{TARGET_RATIO}): {'OK' if ok else 'MISSED'}; export {export}; bench took "
          f"{total:.0f} s", file=sys.stderr)
    out = {"bench": "facturatie_page", "open_termijnen": seeded["open_due"],
           "by_status": seeded["by_status"], "contracts": seeded["contracts"], "clients": 4,
           "seconds": DURATION, "slice_warmup_s": SLICE_WARMUP,
           "hello_p50_ms": r(hello["p50_ms"]), "hello_p99_ms": r(hello["p99_ms"])}
    for name in cases:
        out[f"{name}_p50_ms"] = r(results[name]["p50_ms"])
        out[f"{name}_p99_ms"] = r(results[name]["p99_ms"])
    out.update({f"ratio_{name}": r(ratios[name]) for name in ratios})
    out.update({
        "target_ratio": TARGET_RATIO, "ok": ok, **export,
        "server_cpu_ms": {k: r(m["server_cpu_ms"]) for k, m in results.items()},
        "errors": {k: m["errors"] for k, m in results.items()},
        "other_cores_busy": {k: r(m["other_cores"]) for k, m in results.items()},
        "seed_s": r(seed_seconds), "bench_s": r(total), "cpus": os.cpu_count()})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
