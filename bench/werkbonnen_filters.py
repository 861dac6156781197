"""The werkbonnen list's filters over 1,000,000 werkbonnen (issue #20 item 3): every filter
of the list on its own and the common combinations, first page and a deep cursor, against the
hello-world floor of bench/http_preview.py, on SQLite (CADANS_BENCH_DB=sqlite, the default)
or PostgreSQL (CADANS_BENCH_DB=postgresql).

Target: the median of every case <= 3x the floor's median. The database is
bench/werkbonnen_list.py's (bench/_million.py caches it). Each case is `GET /werkbonnen/?...`
with HX-Request (the list's own htmx navigation); `<case>_deep` carries the cursor of the
werkbon at 90% of that filter's werkbonnen in list order, the format of the page's "Volgende
pagina" link. (werkadres and object filters: the seed has no werkadressen or objecten; the
EXPLAIN tests in tests/test_list_indexes.py hold their plans.)

Run: .venv/bin/python bench/werkbonnen_filters.py  -> one JSON line (exit code 0 even when
missed).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _million  # noqa: E402

OPEN = "status NOT IN ('afgerond', 'geannuleerd')"
DEEP_SHARE = 0.9


def cases() -> dict:
    """name -> (query string, SQL condition of the same werkbonnen, given today)."""
    return {
        "status_open": ({"status": "open"}, lambda t: "status = 'open'"),
        "status_afgerond": ({"status": "afgerond"}, lambda t: "status = 'afgerond'"),
        "te_doen_medewerker": ({"status": "te_doen", "medewerker": "3"},
                               lambda t: f"{OPEN} AND medewerker_id = 3"),
        "medewerker": ({"status": "alle", "medewerker": "3"}, lambda t: "medewerker_id = 3"),
        "contract": ({"status": "alle", "contract": "{contract}"},
                     lambda t: "contract_id = {contract}"),
        "klant": ({"status": "alle", "klant": "7"}, lambda t: "klant_id = 7"),
        "open_klant": ({"status": "open", "klant": "7"},
                       lambda t: "status = 'open' AND klant_id = 7"),
        "te_laat": ({"status": "alle", "te_laat": "1"},
                    lambda t: f"due_date < '{t}' AND {OPEN}"),
        "ongepland": ({"status": "alle", "ongepland": "1"},
                      lambda t: f"(medewerker_id IS NULL OR planned_start IS NULL) AND {OPEN}"),
        "periode": ({"status": "alle", "van": "{month}-01", "tot": "{month}-28"},
                    lambda t: "due_date BETWEEN '{month}-01' AND '{month}-28'"),
    }


def paths(seeded) -> dict:
    from datetime import date, timedelta

    from app import create_app
    from models.db import connection, db, paging
    from views.today import local_today

    with create_app().app_context():
        today = local_today()
    month = (today - timedelta(days=60)).isoformat()[:7]
    out = {}
    with connection():
        # the contract with the most werkbonnen (a weekly one: 56 in the seeded 13 months)
        contract = db.execute_sql("SELECT contract_id FROM werkbon GROUP BY contract_id "
                                  "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        for name, (args, condition) in cases().items():
            args = {k: v.format(month=month, contract=contract) for k, v in args.items()}
            where = condition(today.isoformat()).format(month=month, contract=contract)
            count = db.execute_sql(f"SELECT count(*) FROM werkbon WHERE {where} "
                                   "AND due_date IS NOT NULL").fetchone()[0]
            due, last = db.execute_sql(
                f"SELECT due_date, id FROM werkbon WHERE {where} AND due_date IS NOT NULL "
                f"ORDER BY due_date, id LIMIT 1 OFFSET {int(count * DEEP_SHARE)}").fetchone()
            due = due.isoformat() if isinstance(due, date) else due
            out[name] = "/werkbonnen/?" + urlencode(args)
            out[f"{name}_deep"] = "/werkbonnen/?" + urlencode(
                {**args, "cursor": paging.encode([due, last])})
    return out


def check(name, url, body):
    rows = body.count(b'class="werkbon-rij')
    # some filters match fewer than a page (a contract's tens of werkbonnen, a klant's open
    # ones); the rows counted are in the JSON line
    if rows == 0:
        raise RuntimeError(f"{url}: {rows} rows, not a full page")


if __name__ == "__main__":
    found = {}

    def path_of(name):
        def path(seeded):
            if not found:
                found.update(paths(seeded))
            return found[name]
        return path

    names = [n for c in cases() for n in (c, f"{c}_deep")]
    _million.run_cases("werkbonnen_filters", {n: path_of(n) for n in names}, target=3.0,
                       check=check)
