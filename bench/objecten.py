"""Latency of the object page (an object with 500 werkbonnen of history) and of the object
list at 100,000 objects, against the hello-world fragment floor measured in the same run.

Target (issue #17): both median <= 3x the hello-world floor.

The database: the bench user, 2,000 klanten (bench/_seed.py), 20,000 werkadressen (ten per
klant) and 100,000 objecten over them (five per werkadres; the seeded objecttypen; ~5 %
buiten gebruik, ~3 % verwijderd), written with raw executemany. One object (in the middle of
the number range) is covered by a weekly preventive contract (saved through the contract
service, as the API saves one) and has 500 werkbonnen of history over ten years, linked with
WerkbonObject; 60,000 other werkbonnen belong to other objects, so the history is read out of a
werkbon table that is not just this object's.

Served exactly like bench/werkbonnen_list.py (bench/http_preview.py's Server, login, load and
take_turns): gunicorn, one sync worker, 4 client processes, ten 1 s slices per case taking
turns with the hello floor (bench/hello_app.py).
Cases:
  - object:       GET /objecten/<id>, the full page (what a technician who scans the label
                  gets): data, werkadres, open werkbonnen, the next visits (schedule expanded),
                  the covering contract, the newest 25 of the 500 werkbonnen
  - list_first:   GET /objecten/ with HX-Request (the list's own navigation: the fragment)
  - list_deep:    the same with the cursor at 90 % of the objects (the list's "Volgende pagina"
                  format, checked against the first page's link)
and as references (not part of "ok"): `history_deep` (the object page's history fragment at its
last page), `list_full` (the first page without HX-Request), `list_search` (q= a city: about a
quarter of the objects match, the first page fills quickly), `list_search_rare` (q= one serial
number: every object is looked at) and `list_uncovered` (zonder lopend contract).

The database is the one CADANS_BENCH_DB names (bench/pg.py): SQLite, or PostgreSQL (seeded with
the same statements through bench/_seed.py's PgRaw).

Run: CADANS_BENCH_DB=sqlite|postgresql .venv/bin/python bench/objecten.py -> one JSON line (exit
code 0 even when the target is missed; "ok" says whether it was met).
"""

from __future__ import annotations

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

OBJECTS = 20_000 if quick() else 100_000  # make bench-quick: a fifth
PER_WERKADRES = 5
WERKADRESSEN = OBJECTS // PER_WERKADRES
HISTORY = 500
OTHER_WERKBONNEN = 60_000
TARGET_RATIO = 3.0
DEEP_SHARE = 0.9
CITIES = ("Utrecht", "Zwolle", "Breda", "Delft")
ROW = b'<tr><th scope="row"><a href="/objecten/'
STAMP = "2025-01-01 08:00:00"


def seed(today: date) -> dict:
    """Klanten, werkadressen, objecten, the covered object and its history (see the
    docstring). Returns what the cases need."""
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.db import connection, is_sqlite

    with connection():
        _seed.seed_people()
        conn = _seed.raw()
        kinds = [row[0] for row in conn.execute("SELECT id FROM objecttype ORDER BY id")]
        with _seed.transaction():
            conn.executemany(
                "INSERT INTO werkadres (klant_id, name, street, house_number, postcode, city,"
                " access_notes, active, version, created_at, updated_at)"
                " VALUES (?, '', ?, ?, ?, ?, '', TRUE, 1, ?, ?)",
                [(1 + n % _seed.KLANTEN, ("Dorpsstraat", "Kerkweg", "Molenlaan")[n % 3],
                  str(1 + n // 3 % 300), f"{1000 + n % 8999} {'ABCDEFGH'[n % 8]}K",
                  CITIES[n % 4], STAMP, STAMP) for n in range(WERKADRESSEN)])

            def status(n):
                return "verwijderd" if n % 33 == 7 else "buiten_gebruik" if n % 20 == 3 \
                    else "actief"

            conn.executemany(
                "INSERT INTO object (number, werkadres_id, objecttype_id, brand, model,"
                " serial_number, location, installed_on, warranty_until, status, status_since,"
                " notes, version, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, '', 1, ?, ?)",
                [(f"OBJ-{n + 1:06d}", 1 + n // PER_WERKADRES, kinds[n % len(kinds)],
                  ("Remeha", "Intergas", "Gloria", "KONE", "Daikin")[n % 5],
                  f"Model {n % 40}", f"SN-{n * 7919 % 10**7:07d}",
                  ("kelder", "zolder", "1e verdieping", "dak")[n % 4],
                  f"{2010 + n % 15}-0{1 + n % 9}-1{n % 10}", status(n),
                  None if status(n) == "actief" else "2026-01-01", STAMP, STAMP)
                 for n in range(OBJECTS)])
        target = conn.execute("SELECT id, werkadres_id FROM object WHERE number = ?",
                              (f"OBJ-{OBJECTS // 2:06d}",)).fetchone()
        klant = conn.execute("SELECT klant_id FROM werkadres WHERE id = ?",
                             (target[1],)).fetchone()[0]
        start = today - timedelta(weeks=HISTORY - 3)
        values, errors = contract_checks.check({
            "klant_id": klant, "contracttype": "preventief",
            "description": "Onderhoud installatie", "start_date": start.isoformat(),
            "days_in_advance": 14,
            "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=MO", "holidays": "ignore"},
            "werkbon": {"start_time": "08:30", "duration_minutes": 60,
                        "description": "Wekelijkse controle", "medewerker_id": 1}})
        if errors:
            raise RuntimeError(f"contract refused: {errors}")
        contract = contract_service.create(values, "bench", start)
        mondays = [start + timedelta(days=(7 - start.weekday()) % 7 + 7 * i)
                   for i in range(HISTORY)]
        through = mondays[-1]
        conn.execute("UPDATE contract SET generated_through = ?, next_attention = ? "
                     "WHERE id = ?", (through.isoformat(),
                                      (through + timedelta(days=1)).isoformat(), contract.id))
        conn.execute("DELETE FROM audit_log")

        def werkbon(number, day, klant_id, contract_id, werkadres_id, state):
            return (number, contract_id, klant_id, day.isoformat(),
                    (day - timedelta(days=14)).isoformat(), state, 1,
                    f"{day.isoformat()} 08:30:00", 60, "Wekelijkse controle", "Onderhoud",
                    "Normaal", "", False, "", STAMP, STAMP, werkadres_id)

        columns = list(_seed.WERKBON_COLUMNS) + ["werkadres_id"]
        history = [werkbon(f"W-H-{i:06d}", day, klant, contract.id, target[1],
                           "afgerond" if day < today - timedelta(days=7) else
                           "ingepland") for i, day in enumerate(mondays)]
        others = [werkbon(f"W-O-{i:06d}", today - timedelta(days=i % 700), 1 + i % 2000, None,
                          1 + i % WERKADRESSEN, "afgerond") for i in range(OTHER_WERKBONNEN)]
        if is_sqlite():
            _seed.bulk_werkbonnen(conn, columns, history + others)
        else:
            with _seed.transaction():
                conn.executemany(f"INSERT INTO werkbon ({', '.join(columns)}) VALUES "
                                 f"({', '.join('?' * len(columns))})", history + others)
        with _seed.transaction():
            # each link says whether its werkbon is open (WerkbonObject.werkbon_open)
            links = ("INSERT INTO werkbon_object (werkbon_id, object_id, due_date, werkbon_open)"
                     " SELECT id, ")
            still_open = ", status NOT IN ('afgerond', 'geannuleerd')"
            conn.execute(links + f"?, due_date{still_open} FROM werkbon WHERE number LIKE 'W-H-%'",
                         (target[0],))
            conn.execute(links + f"1 + (id * 7) % {OBJECTS}, due_date{still_open} FROM werkbon "
                         f"WHERE number LIKE 'W-O-%' AND 1 + (id * 7) % {OBJECTS} != ?",
                         (target[0],))
            conn.execute("INSERT INTO contract_object (contract_id, object_id) VALUES (?, ?)",
                         (contract.id, target[0]))
        conn.execute("ANALYZE")
        shown = conn.execute("SELECT count(*) FROM object WHERE status != 'verwijderd'")
        listed = shown.fetchone()[0]
        deep = conn.execute(
            "SELECT number, id FROM object WHERE status != 'verwijderd' ORDER BY number, id "
            "LIMIT 2 OFFSET ?", (int(listed * DEEP_SHARE) - 1,)).fetchall()
        rare = conn.execute("SELECT serial_number FROM object WHERE id = ?",
                            (OBJECTS - 10,)).fetchone()[0]
        links = conn.execute("SELECT count(*) FROM werkbon_object WHERE object_id = ?",
                             (target[0],)).fetchone()[0]
        totals = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                  for t in ("werkadres", "object", "werkbon", "werkbon_object")}
    return {"object": target[0], "history": links,
            "open": sum(1 for row in history if row[5] != "afgerond"),
            "deep": deep[0], "after_deep": deep[1][1],
            "rare_serial": rare, "totals": totals, "first_history": mondays[-1]}


def check(port: int, path: str, headers: dict, rows: int | None = None,
          contains: bytes | None = None) -> bytes:
    status, _, _, body = request(port, "GET", path, headers=headers)
    if status != 200:
        raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
    if rows is not None and body.count(ROW) != rows:
        raise RuntimeError(f"{path}: {body.count(ROW)} rows, expected {rows}")
    if contains is not None and contains not in body:
        raise RuntimeError(f"{path}: {contains!r} not in the answer")
    return body


def next_cursor(body: bytes) -> str:
    match = re.search(rb'href="(/objecten/\?[^"]*cursor=[^"]*)"[^>]*>Volgende pagina', body)
    if not match:
        raise RuntimeError("no 'Volgende pagina' link on the first page")
    return parse_qs(urlparse(match.group(1).decode().replace("&amp;", "&")).query)["cursor"][0]


def main() -> None:
    from bench.pg import bench_database

    with bench_database() as bdb:
        measure(bdb)


def measure(bdb) -> None:
    from models.db import paging

    wall = time.perf_counter()
    tmp = str(bdb.tmp)
    servers: list[Server] = []
    results: dict = {}
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

        if hasattr(db.obj, "close_all"):  # the pool's connections: gunicorn opens its own
            db.obj.close_all()
        elif not db.is_closed():
            db.close()

        app_server = Server("app:create_app()", env, "/api/v1/health")
        servers.append(app_server)
        hello_server = Server("bench.hello_app:create_app()", env, HELLO_PATH)
        servers.append(hello_server)
        cookie = login(app_server.port)
        htmx = {"HX-Request": "true", "Cookie": cookie}
        full = {"Cookie": cookie}
        check_hello(hello_server.port, htmx)

        object_path = f"/objecten/{seeded['object']}"
        page = check(app_server.port, object_path, full,
                     contains=b"Servicegeschiedenis <small>(500 werkbonnen)</small>")
        if page.count(b'<a href="/werkbonnen/') < 25 or b"Volgende bezoeken" not in page:
            raise RuntimeError("the object page does not show its history and visits")
        open_rows = page.split(b'id="open-kop"')[1].split(b"</section>")[0].count(b"<tr><td")
        if open_rows != seeded["open"]:
            raise RuntimeError(f"the object page shows {open_rows} open werkbonnen, "
                               f"not {seeded['open']}")
        last_history = paging.encode([(seeded["first_history"] - timedelta(weeks=HISTORY - 5))
                                      .isoformat(), 1])
        history_path = f"{object_path}?" + urlencode({"historie": last_history})
        check(app_server.port, history_path, htmx, contains=b'<div id="geschiedenis">')
        first = check(app_server.port, "/objecten/", htmx, rows=50)
        cursor = next_cursor(first)
        decoded = paging.decode(cursor)
        if not (len(decoded) == 2 and str(decoded[0]).startswith("OBJ-")
                and isinstance(decoded[1], int)):
            raise RuntimeError(f"unexpected cursor in the page's link: {decoded}")
        deep_path = "/objecten/?" + urlencode({"cursor": paging.encode(list(seeded["deep"]))})
        deep = check(app_server.port, deep_path, htmx, rows=50)
        if f'href="/objecten/{seeded["after_deep"]}"'.encode() not in deep[:deep.index(ROW)
                                                                             + 200]:
            raise RuntimeError("the deep page does not start after its cursor")
        search_path = "/objecten/?q=zwolle"
        rare_path = "/objecten/?" + urlencode({"q": seeded["rare_serial"]})
        uncovered_path = "/objecten/?zonder_contract=1"
        check(app_server.port, search_path, htmx, rows=50)
        check(app_server.port, rare_path, htmx, rows=1)
        check(app_server.port, uncovered_path, htmx, rows=50)
        check(app_server.port, "/objecten/", full, rows=50)

        cases = {
            "object": (app_server, object_path, full),
            "list_first": (app_server, "/objecten/", htmx),
            "list_deep": (app_server, deep_path, htmx),
            "history_deep": (app_server, history_path, htmx),
            "list_full": (app_server, "/objecten/", full),
            "list_search": (app_server, search_path, htmx),
            "list_search_rare": (app_server, rare_path, htmx),
            "list_uncovered": (app_server, uncovered_path, htmx),
        }
        load(hello_server, HELLO_PATH, htmx, WARMUP)
        for server, path, hdrs in cases.values():
            load(server, path, hdrs, WARMUP)
        results = take_turns({"hello": (hello_server, HELLO_PATH, htmx), **cases}, DURATION)
        check(app_server.port, object_path, full)  # still logged in
    finally:
        for server in servers:
            server.stop()

    hello = results["hello"]
    ratios = {name: m["p50_ms"] / hello["p50_ms"] for name, m in results.items()
              if name != "hello"}
    targets = ("object", "list_first", "list_deep")
    errors = sum(m["errors"] for m in results.values())
    ok = all(ratios[name] <= TARGET_RATIO for name in targets) and errors == 0
    r = lambda x: round(x, 3)  # noqa: E731
    for name, m in results.items():
        print(f"{name:17s} p50 {m['p50_ms']:7.2f} ms  p99 {m['p99_ms']:7.2f} ms"
              f"  {m['rps']:6.0f} req/s  server CPU {m['server_cpu_ms']:.2f} ms/req"
              f"  errors {m['errors']}  (other load: {m['other_cores']:.2f} cores)"
              + (f"  ratio {ratios[name]:.2f}" if name in ratios else ""), file=sys.stderr)
    total = time.perf_counter() - wall
    print("ratio p50 " + ", ".join(f"{n} {ratios[n]:.2f}" for n in targets)
          + f" (target <= {TARGET_RATIO}): {'OK' if ok else 'MISSED'}; bench took {total:.0f} s",
          file=sys.stderr)
    out = {"bench": "objecten", "objects": seeded["totals"]["object"],
           "werkadressen": seeded["totals"]["werkadres"],
           "werkbonnen": seeded["totals"]["werkbon"], "history": seeded["history"],
           "clients": 4, "seconds": DURATION, "slice_warmup_s": SLICE_WARMUP,
           "hello_p50_ms": r(hello["p50_ms"]), "hello_p99_ms": r(hello["p99_ms"])}
    for name in results:
        if name != "hello":
            out[f"{name}_p50_ms"] = r(results[name]["p50_ms"])
            out[f"ratio_{name}"] = r(ratios[name])
    out.update({"target_ratio": TARGET_RATIO, "targets": list(targets), "ok": ok,
                "server_cpu_ms": {k: r(m["server_cpu_ms"]) for k, m in results.items()},
                "errors": {k: m["errors"] for k, m in results.items()},
                "other_cores_busy": {k: r(m["other_cores"]) for k, m in results.items()},
                "seed_s": r(seed_seconds), "bench_s": r(total), "cpus": os.cpu_count()})
    worst = max(targets, key=lambda n: ratios[n])
    emit_dict(out, "objecten", bdb.kind, results[worst]["p50_ms"], "ms", hello["p50_ms"],
              f"hello-world fragment, same gunicorn and clients, p50 ms (worst: {worst})",
              ratios[worst], f"<= {TARGET_RATIO} ({', '.join(targets)})", ok)


if __name__ == "__main__":
    main()
