"""Several cadences (issue 18) against one, side by side in one run.

Targets (from the issue):
- preview: the wizard's live preview of the plan step (GET /contracten/concept/<id>/voorbeeld,
  the htmx fragment, logged in, through the whole Flask app in this process) for a contract with
  three cadences (monthly controle, quarterly kleine beurt, yearly groot onderhoud) has a median
  latency <= 1.5x that of today's single-cadence preview (the same draft without onderdelen).
  The two take turns (TURNS slices of REQUESTS each, after a warm-up), so both see the same
  machine.
- generation: a real sweep (materialise.sweep, as the worker runs it) of CONTRACTS three-cadence
  contracts makes werkbonnen at >= 0.8x the rate (werkbonnen per second) of a sweep of CONTRACTS
  single-cadence contracts, each into its own fresh SQLite file; best of ROUNDS each.

Run: .venv/bin/python bench/cadences.py  -> prints one JSON line with each figure, its floor and
the ratio (exit code 0 even when a target is missed; "ok" says whether both were met).
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PREVIEW_TARGET = 1.5
GENERATION_TARGET = 0.8
TURNS, REQUESTS, WARMUP = 10, 20, 10
CONTRACTS = 1000
ROUNDS = 2
START, TODAY = date(2026, 1, 1), date(2028, 12, 31)  # three years of werkbonnen, lead 0
MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=1"
ONDERDELEN = [
    {"name": "Controle", "rank": 1, "rrule": MONTHLY},
    {"name": "Kleine beurt", "rank": 2, "rrule": "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"},
    {"name": "Groot onderhoud", "rank": 3, "rrule": "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15"},
]
SCHEMA = {"frequency": "maandelijks", "interval": "1", "monthly_mode": "dag",
          "day_of_month": "1", "end_mode": "geen", "holidays": "next_workday",
          "weekends": "ignore", "days_in_advance": "14"}
ROWS = {"od_aantal": "2", "hoofd_naam": "Controle", "hoofd_rang": "1", "hoofd_venster": "maand",
        "od-0-naam": "Kleine beurt", "od-0-rang": "2", "od-0-anker": "vast",
        "od-0-freq": "kwartaal", "od-0-dag": "1", "od-0-venster": "maand",
        "od-1-naam": "Groot onderhoud", "od-1-rang": "3", "od-1-anker": "vast",
        "od-1-freq": "jaar", "od-1-maand": "10", "od-1-dag": "15", "od-1-venster": "maand"}


# --------------------------------------------------------------------------- preview


def preview_figures(tmp: str) -> dict:
    from models.db import connection
    from models.stamdata.instellingen import Contracttype
    from models.stamdata.klanten import Klant
    from tests.conftest import Session, _make_app, login, make_user

    app = _make_app(Path(tmp), None, TODAY="2026-01-01")
    make_user("bench", "planner")
    client = app.test_client()
    planner = Session(client, login(client, "bench"))
    with connection():
        klant = Klant.create(customer_number="B-1", name="Bench B.V.")
        preventief = Contracttype.get(Contracttype.kind == "preventief").id

    def draft(extra: dict) -> str:
        planner.post("/contracten/nieuw", data={"contracttype_id": preventief})
        from models.contracts.tables import ContractDraft

        with connection():
            newest = ContractDraft.select().order_by(ContractDraft.id.desc()).get()
        base = f"/contracten/concept/{newest.id}"
        planner.post(f"{base}/overeenkomst", data={
            "klant_id": klant.id, "start_date": "2026-01-01", "end_date": "",
            "description": "Bench", "reference": "", "contractvoorwaarden_id": ""})
        planner.post(f"{base}/werkbon", data={"wb_description": "Beurt", "werktype":
                                              "Onderhoud", "duration_minutes": "60",
                                              "prioriteit": "Normaal", "start_time": "08:00"})
        query = {**SCHEMA, **extra}
        html = planner.get(f"{base}/voorbeeld", query_string=query, htmx=True).get_data(
            as_text=True)
        assert "Elke maand op de 1e" in html, html[:500]
        if extra:
            assert "vervalt: groot onderhoud in dezelfde maand" in html
        return base, query

    single, three = draft({}), draft(ROWS)
    times = {"single": [], "three": []}

    def one(kind, target, record=True):
        base, query = target
        t0 = time.perf_counter()
        resp = planner.get(f"{base}/voorbeeld", query_string=query, htmx=True)
        elapsed = time.perf_counter() - t0
        assert resp.status_code == 200
        if record:
            times[kind].append(elapsed)

    for _ in range(WARMUP):
        one("single", single, False)
        one("three", three, False)
    for _ in range(TURNS):
        for _ in range(REQUESTS):
            one("single", single)
        for _ in range(REQUESTS):
            one("three", three)
    median = {k: statistics.median(v) * 1000 for k, v in times.items()}
    return {"preview_ms_three": round(median["three"], 2),
            "preview_ms_single": round(median["single"], 2),
            "preview_ratio": round(median["three"] / median["single"], 3),
            "preview_ceiling": PREVIEW_TARGET, "preview_requests": len(times["three"])}


# --------------------------------------------------------------------------- generation


def seeded(path: str, onderdelen) -> int:
    """A fresh database with CONTRACTS copies of one contract saved the way the API saves it."""
    from bench import _seed
    from models.contracts import checks, service
    from models.contracts.tables import Contract
    from models.db import connection, write_transaction
    from models.stamdata.klanten import Klant

    _seed.open_database(path)
    with connection():
        klant = Klant.create(customer_number="B-1", name="Bench B.V.")
        data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Bench",
                "start_date": START.isoformat(), "days_in_advance": 0,
                "schedule": {"rrule": MONTHLY}, "werkbon": {"duration_minutes": 60}}
        if onderdelen:
            data["onderdelen"] = onderdelen
        values, errors = checks.check(data)
        assert not errors, errors
        template = service.create(values, "bench", START)
        row = {k: v for k, v in template.__data__.items() if k not in ("id", "number")}
        with write_transaction():
            for offset in range(0, CONTRACTS - 1, 500):
                Contract.insert_many([{**row, "number": f"C-B-{n:06d}"} for n in range(
                    offset, min(offset + 500, CONTRACTS - 1))]).execute()
        return Contract.select().count()


def sweep_rate(path: str, onderdelen) -> tuple[float, int]:
    from models.db import connection
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    seeded(path, onderdelen)
    gc.collect()
    with connection():
        free = calendar_store.free_days()
        t0 = time.perf_counter()
        counts = materialise.sweep(TODAY, free)
        elapsed = time.perf_counter() - t0
    assert not counts.failed, counts.failed
    return counts.created / elapsed, counts.created


def generation_figures(tmp: str) -> dict:
    best = {"single": (0.0, 0), "three": (0.0, 0)}
    for round_ in range(ROUNDS):
        for kind, parts in (("single", None), ("three", ONDERDELEN)):
            rate, made = sweep_rate(f"{tmp}/{kind}-{round_}.db", parts)
            if rate > best[kind][0]:
                best[kind] = (rate, made)
    return {"werkbonnen_per_s_three": round(best["three"][0]),
            "werkbonnen_per_s_single": round(best["single"][0]),
            "werkbonnen_three": best["three"][1], "werkbonnen_single": best["single"][1],
            "generation_ratio": round(best["three"][0] / best["single"][0], 3),
            "generation_floor": GENERATION_TARGET}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        figures = preview_figures(tmp)
        figures.update(generation_figures(tmp))
    figures["ok"] = (figures["preview_ratio"] <= PREVIEW_TARGET
                     and figures["generation_ratio"] >= GENERATION_TARGET)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
