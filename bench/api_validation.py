"""What the pydantic models cost the API: POST /api/v1/schedule/preview and GET /api/v1/werkbonnen
with the request checked by its model (views/api.typed, today) and by the hand-written spec it
replaced (validation.type_errors with schedule.TYPES), side by side in one run.

Target (issue #21): median latency of the new path <= 1.2x the old one, for both routes.

In-process through Flask's test client (the whole request: routing, the token, the limiter in
Redis... here off, the view, JSON), 2 000 werkbonnen, a real token, on the database
CADANS_BENCH_DB names (bench/pg.py). The two paths
take turns in rounds of 200 requests (10 rounds each) so that load on the machine hits both
alike; the median per request of each path is reported, and the bare validation call too.

Run: CADANS_BENCH_DB=sqlite|postgresql .venv/bin/python bench/api_validation.py  -> one JSON
line: the figure is the slower route's new-path median, its floor the old path's ("ok": both
ratios <= 1.2; the routes are under "routes").
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app import create_app  # noqa: E402
from bench._report import emit, quick  # noqa: E402
from bench.pg import bench_database  # noqa: E402
from models.common import validation  # noqa: E402
from models.db import connection  # noqa: E402
from models.migrations import migrate  # noqa: E402

ROUNDS, PER_ROUND, TARGET = (4 if quick() else 10), 200, 1.2
PREVIEW = {"start_date": "2026-01-01", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
           "holidays": "next_workday", "weekends": "next_workday", "count": 12,
           "extra_dates": ["2026-12-24"], "skip_dates": []}


def setup(bdb):
    folder = str(bdb.tmp)
    app = create_app({"TESTING": True, "SECRET_KEY": "bench", "INSTANCE_PATH": folder,
                      "DATABASE_URL": bdb.url, "REDIS_URL": None,
                      "API_LIMIT": "uit"})
    from models.stamdata.klanten import Klant
    from models.stamdata.users import ApiToken, User
    from models.werkbonnen.tables import Werkbon

    with connection():
        migrate()
        user = User(username="bench", name="Bench", role="planner")
        user.set_password("bench-wachtwoord")
        user.save()
        token = ApiToken.issue(user)
        klant = Klant.create(customer_number="D-1", name="Bakkerij Jansen")
        Werkbon.insert_many([{"number": f"W-2026-{i:06d}", "klant": klant.id, "status": "open",
                              "due_date": date(2026, 1, 1) + timedelta(days=i % 365),
                              "description": "Onderhoud"} for i in range(2000)]).execute()
    return app, {"Authorization": f"Bearer {token}"}


def old_typed(data, _model):
    """The check before the models: validation.type_errors with the hand-written spec."""
    from flask import abort

    from views.api import errors
    from views.api import schedule as schedule_api

    problems = validation.type_errors(data, schedule_api.TYPES)
    if problems:
        abort(errors(422, **problems))
    return data


def per_request(client, headers, method, path, body) -> float:
    start = time.perf_counter()
    for _ in range(PER_ROUND):
        resp = client.open(path, method=method, json=body, headers=headers)
        assert resp.status_code == 200, resp.get_data(as_text=True)
    return (time.perf_counter() - start) / PER_ROUND


def main():
    with bench_database() as bdb:
        measure(bdb)


def measure(bdb):
    app, headers = setup(bdb)
    client = app.test_client()
    from views.api import schedule as schedule_api
    from views.api import schemas

    new_typed = schedule_api.typed
    routes = {"preview": ("POST", "/api/v1/schedule/preview", PREVIEW),
              "werkbonnen": ("GET", "/api/v1/werkbonnen?limit=50", None)}
    result = {}
    for name, (method, path, body) in routes.items():
        times = {"old": [], "new": []}
        per_request(client, headers, method, path, body)  # warm-up
        for _ in range(ROUNDS):
            for label, check in (("old", old_typed), ("new", new_typed)):
                schedule_api.typed = check
                times[label].append(per_request(client, headers, method, path, body))
        schedule_api.typed = new_typed
        old, new = statistics.median(times["old"]), statistics.median(times["new"])
        result[name] = {"old_ms": round(old * 1000, 3), "new_ms": round(new * 1000, 3),
                        "ratio": round(new / old, 3)}
    loops = 20000
    start = time.perf_counter()
    for _ in range(loops):
        validation.type_errors(PREVIEW, schedule_api.TYPES)
    hand = (time.perf_counter() - start) / loops
    start = time.perf_counter()
    for _ in range(loops):
        schemas.PreviewIn.model_validate(PREVIEW)
    model = (time.perf_counter() - start) / loops
    result["validate_only_us"] = {"hand": round(hand * 1e6, 1), "model": round(model * 1e6, 1)}
    worst = max(routes, key=lambda n: result[n]["ratio"])
    emit("api_validation", bdb.kind, result[worst]["new_ms"], "ms", result[worst]["old_ms"],
         f"the hand-written check before the models ({worst}), median per request",
         result[worst]["new_ms"] / result[worst]["old_ms"], f"<= {TARGET}",
         all(result[n]["ratio"] <= TARGET for n in routes),
         routes={n: result[n] for n in routes}, validate_only_us=result["validate_only_us"])
    from models.db import db

    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


if __name__ == "__main__":
    main()
