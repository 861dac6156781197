"""Latency of the werkbonnen list (first page and a deep cursor) with 1,000,000 werkbonnen,
against the hello-world fragment floor of bench/http_preview.py.

Target (from the issue): the werkbonnen list page (first page and a deep cursor) with 1,000,000
werkbonnen: median <= 3x the hello-world fragment floor of the schedule benchmark.

The database: the bench user, 2,000 klanten, 20 medewerkers and ~70,000 contracts (bench/_seed.py:
the rule mix, templates saved through contract_service), and their werkbonnen over the 13 months
up to two weeks from today - 1,000,000 rows written with raw executemany (numbers unique, the
app's own indexes). Statuses as a real history has them: older werkbonnen mostly afgerond (some
geannuleerd, a small overdue backlog still open or ingepland), the last month mixed, the future
open or ingepland.

Served exactly like bench/http_preview.py (its Server, login, load and take_turns are reused):
gunicorn, one sync worker, 4 client processes opening a connection per request, 10 s per case
after a 1 s warm-up, as ten 1 s slices taking turns with the hello floor (bench/hello_app.py) and
the other cases (each slice after 0.2 s that is not counted), with the same headers.
Cases, each `GET /werkbonnen/` with `HX-Request: true` (the list's own htmx navigation, answered
with the `resultaten` fragment, like the floor). Without filters the list shows what is still to
do (not afgerond or geannuleerd), te laat first (issue #15):
  - first: no cursor (the oldest 50 werkbonnen still to do: the overdue backlog)
  - deep:  `cursor` = paging.encode([due_date, id]) of the werkbon at DEEP_SHARE of the
           werkbonnen still to do in (due_date, id) order (the format views/werkbonnen.py puts in
           its "Volgende pagina" link; checked against the first page's link) - well past today,
           where every row is open and carries its change forms
and, as a reference (not part of "ok"), the same two without HX-Request (the full page a browser
gets on a plain load), and `all_deep`: every status (`status=alle`), the werkbon at position
DEEP_POSITION of all of them - 18,000 pages deep, a few weeks before today.

The database: CADANS_BENCH_DB (bench/pg.py): a SQLite file, or a PostgreSQL database the
seeding fills by COPY (and ANALYZE), the app and the hello floor served from it alike.

Run: .venv/bin/python bench/werkbonnen_list.py  -> prints one JSON line (exit code 0 even when the
target is missed; "ok" says whether it was met).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import _seed  # noqa: E402
from bench._report import emit_dict, quick  # noqa: E402
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

WERKBONNEN = 100_000 if quick() else 1_000_000  # make bench-quick: a tenth
DEEP_POSITION = WERKBONNEN * 9 // 10
DEEP_SHARE = 0.9
OPEN = "status NOT IN ('afgerond', 'geannuleerd')"
TARGET_RATIO = 3.0
SPREAD = 28
LEAD = 0
LIST_PATH = "/werkbonnen/"
ROW = b'class="werkbon-rij'


def statuses(today: date):
    """A werkbon's status from its age, deterministic per (contract, date)."""
    def status(index: int, day: date, has_medewerker: bool) -> str:
        roll = int(hashlib.blake2b(f"{index}/{day}".encode(), digest_size=2).hexdigest(), 16) % 100
        planned = "ingepland" if has_medewerker else "open"
        if day < today - timedelta(days=30):
            return "afgerond" if roll < 93 else "geannuleerd" if roll < 96 else planned
        if day < today:
            return "afgerond" if roll < 55 else "geannuleerd" if roll < 58 else \
                "in_uitvoering" if roll < 61 else planned
        return planned
    return status


def seed(app_today: date) -> dict:
    """Contracts and exactly WERKBONNEN werkbonnen (the history is cut at that many rows)."""
    from itertools import islice

    from models.db import connection
    from models.stamdata import calendar_store

    last = app_today + timedelta(days=14)
    start = last - timedelta(days=396)
    with connection():
        free_days = calendar_store.free_days()
        count = _seed.contracts_for(WERKBONNEN, start, LEAD, SPREAD, last, free_days)
        _seed.seed_people()
        templates = _seed.make_templates(start, LEAD)
        picks = _seed.assign(templates, count)
        info = {"templates": templates, "picks": picks}
        dates = _seed.Dates(info, start, SPREAD, LEAD, free_days)
        # the contracts are up to date: generated through `last`, next visit after it
        _seed.copy_contracts(templates, picks, start, SPREAD,
                             lambda i, t, b: (last, last + timedelta(days=1)))
        conn = _seed.raw()
        conn.execute("DELETE FROM audit_log")  # the templates' "aangemaakt" rows
        rows = islice(_seed.werkbon_history(info, dates, last, status=statuses(app_today)),
                      WERKBONNEN)
        _seed.bulk_werkbonnen(conn, list(_seed.WERKBON_COLUMNS), rows)
        total = conn.execute("SELECT count(*) FROM werkbon").fetchone()[0]
        by_status = dict(conn.execute("SELECT status, count(*) FROM werkbon GROUP BY status"))
        all_deep, all_after = conn.execute(
            "SELECT due_date, id FROM werkbon ORDER BY due_date, id LIMIT 2 OFFSET ?",
            (DEEP_POSITION - 1,)).fetchall()
        still_open = conn.execute(f"SELECT count(*) FROM werkbon WHERE {OPEN}").fetchone()[0]
        deep, after = conn.execute(
            f"SELECT due_date, id FROM werkbon WHERE {OPEN} ORDER BY due_date, id "
            "LIMIT 2 OFFSET ?", (int(still_open * DEEP_SHARE) - 1,)).fetchall()
    deep, all_deep = _iso(deep), _iso(all_deep)  # PostgreSQL's driver gives dates
    return {"contracts": count, "werkbonnen": total, "by_status": by_status, "deep": deep,
            "after_deep": after[1], "all_deep": all_deep, "all_after_deep": all_after[1],
            "still_open": still_open}


def _iso(key: tuple) -> tuple:
    """(due_date, id) with the date as the ISO text the list's cursor holds."""
    due, werkbon_id = key
    return (due if isinstance(due, str) else due.isoformat()), werkbon_id


def next_cursor(body: bytes) -> str | None:
    match = re.search(rb'href="(/werkbonnen/\?[^"]*cursor=[^"]*)"[^>]*>Volgende pagina', body)
    if not match:
        return None
    query = parse_qs(urlparse(match.group(1).decode().replace("&amp;", "&")).query)
    return query["cursor"][0]


def check_page(port: int, path: str, headers: dict, fragment: bool) -> bytes:
    status, _, _, body = request(port, "GET", path, headers=headers)
    rows = body.count(ROW)
    if status != 200 or rows != 50:
        raise RuntimeError(f"{path} answered {status} with {rows} rows: {body[:300]!r}")
    if fragment == (b"<html" in body.lower()):
        raise RuntimeError(f"{path}: expected {'a fragment' if fragment else 'a full page'}")
    return body


def open_rows(body: bytes) -> int:
    """Rows that carry the change forms (not afgerond / geannuleerd)."""
    return body.count(b'name="medewerker_id"') if body else 0


def main() -> None:
    from bench.pg import bench_database

    with bench_database() as bdb:
        measure(bdb)


def measure(bdb) -> None:
    from models.db import paging

    wall = time.perf_counter()
    tmp = str(bdb.tmp)
    servers: list[Server] = []
    results, pages = {}, {}
    try:
        env = server_env(tmp)
        env["DATABASE_URL"] = bdb.url
        prepare_database(tmp, env)  # schema + bench user; binds models.db to bdb.url
        from app import create_app
        from views.today import local_today

        with create_app().app_context():
            app_today = local_today()
        began = time.perf_counter()
        seeded = seed(app_today)
        seed_seconds = time.perf_counter() - began
        from models.db import db

        if not db.is_closed():
            db.close()

        due, last_id = seeded["deep"]
        deep_cursor = paging.encode([due, last_id])
        deep_path = LIST_PATH + "?" + urlencode({"cursor": deep_cursor})
        all_deep_path = LIST_PATH + "?" + urlencode(
            {"status": "alle", "cursor": paging.encode(list(seeded["all_deep"]))})

        app_server = Server("app:create_app()", env, "/api/v1/health")
        servers.append(app_server)
        hello_server = Server("bench.hello_app:create_app()", env, HELLO_PATH)
        servers.append(hello_server)
        cookie = login(app_server.port)
        headers = {"HX-Request": "true", "Cookie": cookie}  # identical for both servers
        full_headers = {"Cookie": cookie}
        check_hello(hello_server.port, headers)

        # the cursor format must be the one the page itself links to
        first_body = check_page(app_server.port, LIST_PATH, headers, fragment=True)
        link = next_cursor(first_body)
        if link is None:
            raise RuntimeError("the first page has no 'Volgende pagina' link with a cursor")
        decoded = paging.decode(link)
        if not (isinstance(decoded, list) and len(decoded) == 2 and isinstance(decoded[1], int)
                and date.fromisoformat(decoded[0])):
            raise RuntimeError(f"unexpected cursor in the page's link: {decoded!r}")
        deep_body = check_page(app_server.port, deep_path, headers, fragment=True)
        for body, wanted in ((deep_body, seeded["after_deep"]),
                             (check_page(app_server.port, all_deep_path, headers, fragment=True),
                              seeded["all_after_deep"])):
            first_id = int(re.search(rb'id="werkbon-(\d+)"', body).group(1))
            if first_id != wanted:
                raise RuntimeError(f"a deep page starts at werkbon {first_id}, not at {wanted} "
                                   "(the one after its cursor)")
        check_page(app_server.port, LIST_PATH, full_headers, fragment=False)
        check_page(app_server.port, deep_path, full_headers, fragment=False)
        pages = {"first_open_rows": open_rows(first_body), "deep_open_rows": open_rows(deep_body),
                 "first_bytes": len(first_body), "deep_bytes": len(deep_body)}

        cases = {
            "first": (app_server, LIST_PATH, headers),
            "deep": (app_server, deep_path, headers),
            "first_full": (app_server, LIST_PATH, full_headers),
            "deep_full": (app_server, deep_path, full_headers),
            "all_deep": (app_server, all_deep_path, headers),
        }
        load(hello_server, HELLO_PATH, headers, WARMUP)
        for server, path, hdrs in cases.values():
            load(server, path, hdrs, WARMUP)
        results = take_turns({"hello": (hello_server, HELLO_PATH, headers), **cases}, DURATION)
        check_page(app_server.port, deep_path, headers, fragment=True)  # still logged in
    finally:
        for server in servers:
            server.stop()

    hello = results["hello"]
    ratios = {name: m["p50_ms"] / hello["p50_ms"] for name, m in results.items()
              if name != "hello"}
    errors = sum(m["errors"] for m in results.values())
    ok = ratios["first"] <= TARGET_RATIO and ratios["deep"] <= TARGET_RATIO and errors == 0
    r = lambda x: round(x, 3)  # noqa: E731
    for name, m in results.items():
        print(f"{name:10s} p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:7.2f} ms"
              f"  {m['rps']:6.0f} req/s  server CPU {m['server_cpu_ms']:.2f} ms/req"
              f"  errors {m['errors']}  (other load: {m['other_cores']:.2f} cores)"
              + (f"  ratio {ratios[name]:.2f}" if name in ratios else ""), file=sys.stderr)
    total = time.perf_counter() - wall
    print(f"ratio p50 first {ratios['first']:.2f}, deep {ratios['deep']:.2f} (target <= "
          f"{TARGET_RATIO}): {'OK' if ok else 'MISSED'}; bench took {total:.0f} s", file=sys.stderr)
    out = {
        "bench": "werkbonnen_list", "werkbonnen": seeded["werkbonnen"],
        "contracts": seeded["contracts"], "clients": 4, "seconds": DURATION,
        "slice_warmup_s": SLICE_WARMUP,
        "hello_p50_ms": r(hello["p50_ms"]), "hello_p99_ms": r(hello["p99_ms"]),
    }
    for name in ("first", "deep", "first_full", "deep_full", "all_deep"):
        out[f"{name}_p50_ms"] = r(results[name]["p50_ms"])
        out[f"{name}_p99_ms"] = r(results[name]["p99_ms"])
    out.update({
        "ratio_first": r(ratios["first"]), "ratio_deep": r(ratios["deep"]),
        "target_ratio": TARGET_RATIO, "ok": ok,
        "ratio_first_full": r(ratios["first_full"]), "ratio_deep_full": r(ratios["deep_full"]),
        "ratio_all_deep": r(ratios["all_deep"]), "still_open": seeded["still_open"],
        "server_cpu_ms": {k: r(m["server_cpu_ms"]) for k, m in results.items()},
        "rps": {k: round(m["rps"]) for k, m in results.items()},
        "errors": {k: m["errors"] for k, m in results.items()},
        "other_cores_busy": {k: r(m["other_cores"]) for k, m in results.items()},
        "deep_share": DEEP_SHARE, "all_deep_position": DEEP_POSITION, "deep_cursor_due": due,
        **pages,
        "by_status": seeded["by_status"], "seed_s": r(seed_seconds), "bench_s": r(total),
        "cpus": os.cpu_count(),
    })
    emit_dict(out, "werkbonnen_list", bdb.kind, max(results["first"]["p50_ms"],
                                                     results["deep"]["p50_ms"]), "ms",
              hello["p50_ms"], "hello-world fragment, same gunicorn and clients, p50 ms",
              max(ratios["first"], ratios["deep"]), f"<= {TARGET_RATIO} (first page and deep)",
              ok)


if __name__ == "__main__":
    main()
