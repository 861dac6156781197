"""Input nobody types but somebody sends: each case here was a 500 found by fuzzing every route.
The answer must be a page or a JSON error, never an unhandled exception (TESTING propagates
them, so a regression fails loudly here)."""

import base64
import json

import pytest

from models.db import connection
from tests.test_contract_wizard import WERKBON, start, world  # noqa: F401

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TOO_BIG = str(2**63)  # one more than the largest id a database column holds
SUPERSCRIPT_TWO = "\u00b2"  # str.isdigit() says yes, int() says no


def cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


@pytest.mark.parametrize("path, status", [
    (f"/werkbonnen/?medewerker={SUPERSCRIPT_TWO}", 200),
    (f"/werkbonnen/?klant={TOO_BIG}", 200),
    (f"/werkbonnen/sla?ids={SUPERSCRIPT_TWO},{TOO_BIG},1", 200),
    (f"/contracten/?medewerker={SUPERSCRIPT_TWO}", 200),
    (f"/storingen/nieuw?klant_id={SUPERSCRIPT_TWO}", 200),
    (f"/klanten/{TOO_BIG}", 404),
    (f"/contracten/{TOO_BIG}", 404),
    (f"/contracten/concept/{TOO_BIG}/overeenkomst", 404),
    (f"/klanten/?cursor={cursor([[1, 2]])}", 200),  # a bad cursor: the first page
    (f"/werkbonnen/?cursor={cursor([None, 10**30])}", 200),
])
def test_pages_answer_hostile_queries(planner, path, status):
    assert planner.get(path).status_code == status


@pytest.mark.parametrize("path", [
    f"/api/v1/klanten?cursor={cursor([[1, 2]])}",
    f"/api/v1/klanten?cursor={cursor([{'a': 1}])}",
    f"/api/v1/contracten?cursor={cursor([10**30])}",
    f"/api/v1/werkbonnen?cursor={cursor(['2026-01-01', 10**30])}",
])
def test_api_refuses_malformed_cursors(api, path):
    resp = api.get(path)
    assert resp.status_code == 422 and "cursor" in resp.get_json()["errors"]


def test_a_huge_id_in_a_draft_is_refused_and_the_draft_stays_usable(planner, world):  # noqa: F811
    _, base = start(planner, world)
    resp = planner.post(f"{base}/overeenkomst", data={
        "klant_id": TOO_BIG, "contractvoorwaarden_id": TOO_BIG, "start_date": "2026-01-01",
        "description": "x"})
    assert resp.status_code == 422
    assert planner.get(f"{base}/overeenkomst").status_code == 200
    resp = planner.post(f"{base}/werkbon", data=dict(WERKBON, medewerker_id=TOO_BIG))
    assert resp.status_code == 422
    assert planner.get(f"{base}/controle").status_code == 200


def test_correctief_draft_has_no_schedule_preview(planner, world):  # noqa: F811
    _, base = start(planner, world, "correctief")
    assert planner.get(f"{base}/voorbeeld", htmx=True).status_code == 404


def test_sla_targets_are_capped(beheerder, app):
    from models.stamdata.instellingen import Prioriteit, SlaBeleid

    with connection():
        beleid = SlaBeleid.select().first()
        prio = {p.name: p.id for p in Prioriteit.select()}
    form = {"code": beleid.code, "name": beleid.name, "description": "",
            **{f"{f}_{pid}": v for pid in prio.values()
               for f, v in (("response", "100000"), ("resolution", "100000"), ("unit", "dagen"))},
            "bevestigd": "1"}
    resp = beheerder.post(f"/instellingen/sla/{beleid.id}", data=form)
    assert resp.status_code == 422
    assert "Vul een heel getal van 1 tot en met 365 in." in resp.get_data(as_text=True)


@pytest.mark.parametrize("number", [TOO_BIG, "99999999999999999999"])
def test_a_huge_id_is_404_for_every_method(api, number):
    """PATCH to a 20-digit id answered 405 'method not allowed' while GET said 404."""
    assert api.get(f"/api/v1/werkbonnen/{number}").status_code == 404
    resp = api.patch(f"/api/v1/werkbonnen/{number}", json={"status": "open"})
    assert resp.status_code == 404 and resp.get_json() == {"errors": {"id": "Niet gevonden."}}
