"""Search-as-you-type over 1,000,000 werkbonnen (issue #20 item 2): the werkbonnen list with a
search term, against the hello-world floor of bench/http_preview.py, on SQLite
(CADANS_BENCH_DB=sqlite, the default) or PostgreSQL (CADANS_BENCH_DB=postgresql).

Target: median <= 3x the floor's median and p99 <= 10x it, for one-, three- and eight-letter
terms. The database is bench/werkbonnen_list.py's (bench/_million.py caches it): klanten
"Klant <n> B.V." in Utrecht, Zwolle, Breda and Delft, werkbonnen "Periodiek onderhoud".
Cases, each `GET /werkbonnen/?status=alle&q=<term>` with HX-Request (the fragment the search
field asks for as you type):
  - letter1: "k"         a klant-name prefix (one letter searches klant names only)
  - letters3: "zwo"      a city prefix (a quarter of the klanten)
  - letters8: "periodie" a description word every werkbon has
  - number:   the exact number of a werkbon deep in the table
  - miss:     "xqzwvk"   nothing matches

Run: .venv/bin/python bench/search.py  -> one JSON line (exit code 0 even when missed).
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import _million  # noqa: E402


def path(q: str) -> str:
    return "/werkbonnen/?" + urlencode({"status": "alle", "q": q})


def deep_number(seeded) -> str:
    from models.db import connection
    from models.werkbonnen.tables import Werkbon

    with connection():
        return path(Werkbon.select(Werkbon.number).order_by(Werkbon.id)
                    .offset(seeded["werkbonnen"] * 9 // 10).scalar())


def check(name, url, body):
    rows = body.count(b'class="werkbon-rij')
    wanted = {"miss": 0, "number": 1}.get(name)
    if (wanted is None and rows != 50) or (wanted is not None and rows != wanted):
        raise RuntimeError(f"{url}: {rows} rows")


if __name__ == "__main__":
    _million.run_cases("search", {
        "letter1": path("k"), "letters3": path("zwo"), "letters8": path("periodie"),
        "number": deep_number, "miss": path("xqzwvk"),
    }, target=3.0, p99_target=10.0, check=check)
