"""The werkbonnen API: exact shape, filters, keyset pages, PATCH through the change service."""

import json
from datetime import date, datetime

import pytest

from models.db import connection
from models.db.audit import AuditLog
from tests.test_werkbonnen_views import (
    make_contract,
    make_klant,
    make_medewerker,
    make_werkbon,
    reload,
)

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

KEYS = {"id", "number", "contract_id", "klant_id", "due_date", "generated_on", "status",
        "medewerker_id", "planned_start", "duration_minutes", "description", "changed_by_hand",
        "cancel_reason", "response_due", "resolve_due", "sla_state", "werkadres_id", "object_ids",
        "completed_on"}


@pytest.fixture
def data(app):
    jansen, smit = make_klant("Bakkerij Jansen"), make_klant("Garage Smit")
    contract = make_contract(jansen)
    anouk, bram = make_medewerker("Anouk de Wit"), make_medewerker("Bram Visser")
    return {
        "a": make_werkbon(jansen, due=date(2026, 3, 1), contract=contract),
        "b": make_werkbon(jansen, due=date(2026, 3, 12), status="ingepland", medewerker=anouk,
                          planned=datetime(2026, 3, 12, 8, 30), contract=contract),
        "c": make_werkbon(smit, due=date(2026, 3, 12)),
        "d": make_werkbon(smit, due=date(2026, 4, 1), status="afgerond", medewerker=bram,
                          planned=datetime(2026, 4, 1, 13, 0)),
        "e": make_werkbon(smit, due=None),
        "jansen": jansen, "smit": smit, "contract": contract, "anouk": anouk, "bram": bram,
    }


def ids(resp) -> list[int]:
    return [item["id"] for item in resp.get_json()["items"]]


def test_shape_is_exact(api, data):
    body = api.get("/api/v1/werkbonnen").get_json()
    assert set(body) == {"items", "next"} and body["next"] is None
    b = next(i for i in body["items"] if i["id"] == data["b"].id)
    assert set(b) == KEYS
    assert b == {
        "id": data["b"].id, "number": data["b"].number, "contract_id": data["contract"].id,
        "klant_id": data["jansen"].id, "due_date": "2026-03-12", "generated_on": None,
        "status": "ingepland", "medewerker_id": data["anouk"].id,
        "planned_start": "2026-03-12T08:30:00", "duration_minutes": 60,
        "description": "Jaarlijks onderhoud", "changed_by_hand": False, "cancel_reason": "",
        "response_due": None, "resolve_due": None, "sla_state": None,  # no SLA on this one
        "werkadres_id": None, "object_ids": [],  # at the klant's own address, no objecten
        "completed_on": None,
    }
    assert api.get(f"/api/v1/werkbonnen/{data['b'].id}").get_json() == b
    e = api.get(f"/api/v1/werkbonnen/{data['e'].id}").get_json()
    assert e["due_date"] is None and e["planned_start"] is None and e["contract_id"] is None


def test_ordered_by_due_date_then_id_undated_last(api, data):
    d = data
    assert ids(api.get("/api/v1/werkbonnen")) == [d[k].id for k in "abcde"]


@pytest.mark.parametrize("query, expected", [
    ("contract_id={contract}", "ab"),
    ("klant_id={smit}", "cde"),
    ("medewerker_id={anouk}", "b"),
    ("status=open", "ace"),
    ("from=2026-03-12", "bcd"),
    ("to=2026-03-12", "abc"),
    ("from=2026-03-02&to=2026-03-31", "bc"),
    ("klant_id={jansen}&status=ingepland", "b"),
    ("contract_id=&status=", "abcde"),  # empty means no filter
])
def test_filters(api, data, query, expected):
    query = query.format(contract=data["contract"].id, smit=data["smit"].id,
                         anouk=data["anouk"].id, jansen=data["jansen"].id)
    assert ids(api.get(f"/api/v1/werkbonnen?{query}")) == [data[k].id for k in expected]


@pytest.mark.parametrize("query, field", [
    ("contract_id=abc", "contract_id"), ("klant_id=-1", "klant_id"),
    ("medewerker_id=1.5", "medewerker_id"), ("status=klaar", "status"),
    ("from=2026-13-01", "from"), ("to=morgen", "to"), ("limit=0", "limit"),
    ("limit=201", "limit"), ("cursor=@@", "cursor"),
    ("cursor=WyIyMDI2LTAxLTAxIl0", "cursor"),  # a cursor with one value, not two
])
def test_bad_filter_values_are_422_with_the_field(api, data, query, field):
    resp = api.get(f"/api/v1/werkbonnen?{query}")
    assert resp.status_code == 422
    assert field in resp.get_json()["errors"]


def test_pagination_over_due_date_and_id(api, app):
    klant = make_klant()
    made = [make_werkbon(klant, due=date(2026, 5, 1 + i % 3)) for i in range(7)]
    made.append(make_werkbon(klant, due=None))
    expected = [w.id for w in sorted(made, key=lambda w: (w.due_date is None,
                                                          w.due_date or date.min, w.id))]
    seen, url, pages = [], "/api/v1/werkbonnen?limit=3", 0
    while url:
        body = api.get(url).get_json()
        seen += [i["id"] for i in body["items"]]
        url = f"/api/v1/werkbonnen?limit=3&cursor={body['next']}" if body["next"] else None
        pages += 1
    assert pages == 3 and seen == expected


def test_patch_assigns_and_plans(api, data):
    a = data["a"]
    resp = api.patch(f"/api/v1/werkbonnen/{a.id}", json={
        "medewerker_id": data["bram"].id, "planned_start": "2026-03-05T07:45"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert set(body) == KEYS
    assert body["status"] == "ingepland" and body["changed_by_hand"] is True
    assert body["planned_start"] == "2026-03-05T07:45:00" and body["medewerker_id"] == data[
        "bram"].id
    with connection():
        entry = AuditLog.get(AuditLog.entity == "werkbon", AuditLog.entity_id == a.id)
    assert entry.actor == "api:api-user"
    assert json.loads(entry.changes)["planned_start"] == [None, "2026-03-05T07:45:00"]
    # unassign: back to open
    body = api.patch(f"/api/v1/werkbonnen/{a.id}", json={"medewerker_id": None}).get_json()
    assert body["status"] == "open" and body["medewerker_id"] is None


def test_setting_a_planned_werkbon_to_open_takes_it_off_the_planbord(api, data):
    """ingepland -> open kept the medewerker and the time: the planbord showed it as planned,
    the list to plan missed it, and the dashboard counted it as unplanned."""
    b = data["b"]  # ingepland with Anouk
    assert reload(b).planned_start is not None and reload(b).medewerker_id is not None
    body = api.patch(f"/api/v1/werkbonnen/{b.id}", json={"status": "open"}).get_json()
    assert body["status"] == "open"
    assert body["medewerker_id"] is None and body["planned_start"] is None
    # open together with a new planning contradicts itself
    body = api.patch(f"/api/v1/werkbonnen/{b.id}", json={
        "medewerker_id": data["bram"].id, "planned_start": "2026-03-12T09:00"}).get_json()
    assert body["status"] == "ingepland"
    resp = api.patch(f"/api/v1/werkbonnen/{b.id}",
                     json={"status": "open", "planned_start": "2026-03-13T10:00"})
    assert resp.status_code == 422 and "status" in resp.get_json()["errors"]
    assert reload(b).status == "ingepland"


def test_patch_cancel_with_reason(api, data):
    resp = api.patch(f"/api/v1/werkbonnen/{data['c'].id}",
                     json={"status": "geannuleerd", "cancel_reason": "Klant gestopt"})
    assert resp.status_code == 200
    assert resp.get_json()["cancel_reason"] == "Klant gestopt"
    resp = api.patch(f"/api/v1/werkbonnen/{data['a'].id}", json={"status": "geannuleerd"})
    assert resp.status_code == 422 and "cancel_reason" in resp.get_json()["errors"]


def test_nobody_can_be_on_the_way_to_a_werkbon_without_a_medewerker(api, data):
    """open -> onderweg -> in uitvoering -> afgerond went through with no medewerker at all."""
    a = data["a"]  # open, nobody
    resp = api.patch(f"/api/v1/werkbonnen/{a.id}", json={"status": "onderweg"})
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {"status": "Kies eerst een medewerker: een werkbon kan "
                                         "niet onderweg zijn zonder iemand die gaat."}
    assert reload(a).status == "open"
    resp = api.patch(f"/api/v1/werkbonnen/{a.id}",
                     json={"status": "onderweg", "medewerker_id": data["anouk"].id})
    assert resp.status_code == 200 and resp.get_json()["status"] == "onderweg"
    b = data["b"]  # ingepland with Anouk: taking her off while starting is refused too
    resp = api.patch(f"/api/v1/werkbonnen/{b.id}",
                     json={"status": "in_uitvoering", "medewerker_id": None})
    assert resp.status_code == 422 and "status" in resp.get_json()["errors"]


def test_a_refused_status_is_not_followed_by_a_second_contradicting_error(api, data):
    d = data["d"]  # afgerond
    resp = api.patch(f"/api/v1/werkbonnen/{d.id}",
                     json={"status": "geannuleerd", "cancel_reason": "Dubbel"})
    assert resp.status_code == 422 and list(resp.get_json()["errors"]) == ["status"]


def test_patch_invalid_transition_is_422_on_status(api, data):
    d = data["d"]  # afgerond
    resp = api.patch(f"/api/v1/werkbonnen/{d.id}", json={"status": "open"})
    assert resp.status_code == 422
    assert set(resp.get_json()) == {"errors"}
    assert list(resp.get_json()["errors"]) == ["status"]
    assert reload(d).status == "afgerond" and reload(d).changed_by_hand is False


@pytest.mark.parametrize("body, field", [
    ({"number": "W-1"}, "number"),
    ({"changed_by_hand": False}, "changed_by_hand"),
    ({"status": "geannuleerd", "cancel_reason": "x", "colour": "red"}, "colour"),
])
def test_patch_unknown_field_is_422_and_changes_nothing(api, data, body, field):
    a = data["a"]
    resp = api.patch(f"/api/v1/werkbonnen/{a.id}", json=body)
    assert resp.status_code == 422
    assert resp.get_json()["errors"][field] == "Onbekend veld."
    assert reload(a).status == "open" and reload(a).changed_by_hand is False


@pytest.mark.parametrize("body, field", [
    ({"medewerker_id": "Anouk"}, "medewerker_id"),
    ({"medewerker_id": 999}, "medewerker_id"),
    ({"planned_start": "10-03-2026 08:00"}, "planned_start"),
    ({"planned_start": 20260310}, "planned_start"),
    ({"status": 3}, "status"),
    # the planbord shows 1900-2999 only: a werkbon planned in 9999 was never seen again
    ({"planned_start": "9999-12-31T23:30"}, "planned_start"),
    ({"planned_start": "0001-01-01T08:00"}, "planned_start"),
])
def test_patch_bad_values_are_422(api, data, body, field):
    resp = api.patch(f"/api/v1/werkbonnen/{data['a'].id}", json=body)
    assert resp.status_code == 422 and field in resp.get_json()["errors"]


def test_patch_needs_a_json_object(api, data):
    resp = api.patch(f"/api/v1/werkbonnen/{data['a'].id}", json=["status", "open"])
    assert resp.status_code == 422 and "body" in resp.get_json()["errors"]


def test_unknown_id_is_404(api, app):
    assert api.get("/api/v1/werkbonnen/999").status_code == 404
    resp = api.patch("/api/v1/werkbonnen/999", json={"status": "open"})
    assert resp.status_code == 404 and resp.get_json() == {"errors": {"id": "Niet gevonden."}}


@pytest.mark.parametrize("method, path", [
    ("GET", "/api/v1/werkbonnen"), ("GET", "/api/v1/werkbonnen/1"),
    ("PATCH", "/api/v1/werkbonnen/1"),
])
def test_without_token_401(client, app, method, path):
    resp = client.open(path, method=method, json={"status": "open"})
    assert resp.status_code == 401 and "token" in resp.get_json()["errors"]
