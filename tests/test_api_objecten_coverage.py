"""The API of contracts that cover objecten: object_ids, werkadres_ids and werkbon_per on
contracten (strict types, Dutch field errors, 422 for another klant's or unknown ids, nothing
written), a PATCH of the coverage doing what the wizard's save does, and werkbonnen with their
werkadres_id and object_ids, filtered on object and werkadres."""

from datetime import date

import pytest

from models.contracts.tables import Contract, ContractObject
from models.db import connection
from models.werkbonnen.tables import Werkbon
from tests.objecten_data import contract_data, klant_with_objecten

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

URL = "/api/v1/contracten"
TODAY = "2026-03-10"


@pytest.fixture
def office(app):
    app.config["TODAY"] = TODAY  # a frozen date: what the save generates is known
    return klant_with_objecten()


def post(api, office, **changes):
    klant, _places, objecten = office
    data = contract_data(klant, objecten[:4], per="object", start="2026-03-01", lead=30)
    data.pop("end_date")
    data.update(changes)
    return api.post(URL, json=data)


def generate(runner, today=TODAY):
    result = runner.invoke(args=["generate", "--today", today])
    assert result.exit_code == 0, result.output


def test_a_contract_covers_objecten_and_its_werkbonnen_say_which(api, runner, office):
    klant, places, objecten = office
    resp = post(api, office)
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["werkbon_per"] == "object"
    assert body["object_ids"] == sorted(o.id for o in objecten[:4])
    assert body["werkadres_ids"] == []
    assert api.get(f"{URL}/{body['id']}").get_json() == {k: v for k, v in body.items()
                                                          if k != "notice"}
    listed = api.get(f"{URL}?klant_id={klant.id}").get_json()["items"]
    assert [(c["id"], c["object_ids"]) for c in listed] == [(body["id"], body["object_ids"])]
    generate(runner)  # 1 April is due (lead 30): one werkbon per object (saved on 10 March:
    # 1 March, before the save, is not made)
    werkbonnen = api.get("/api/v1/werkbonnen?limit=200").get_json()["items"]
    assert sorted((w["due_date"], w["object_ids"][0], w["werkadres_id"]) for w in werkbonnen) \
        == sorted(("2026-04-01", o.id, o.werkadres_id) for o in objecten[:4])
    one = werkbonnen[0]
    assert api.get(f"/api/v1/werkbonnen/{one['id']}").get_json()["object_ids"] == \
        one["object_ids"]
    # filtered on an object, and on a werkadres
    of_bb2 = api.get(f"/api/v1/werkbonnen?object_id={objecten[1].id}").get_json()["items"]
    assert [w["object_ids"] for w in of_bb2] == [[objecten[1].id]]
    at_two = api.get(f"/api/v1/werkbonnen?werkadres_id={places[1].id}").get_json()["items"]
    assert [w["object_ids"] for w in at_two] == [[objecten[3].id]]
    bad = api.get("/api/v1/werkbonnen?object_id=BB-001")
    assert bad.status_code == 422 and "object_id" in bad.get_json()["errors"]


@pytest.mark.parametrize("changes, field, message", [
    ({"object_ids": ["1"]}, "object_ids", "Geef een lijst van id's"),
    ({"object_ids": 5}, "object_ids", "Geef een lijst van id's"),
    ({"object_ids": [True]}, "object_ids", "Geef een lijst van id's"),
    ({"werkadres_ids": "1,2"}, "werkadres_ids", "Geef een lijst van id's"),
    ({"werkbon_per": "week"}, "werkbon_per", "Kies ‘datum’"),
    ({"werkbon_per": 1}, "werkbon_per", "Geef tekst"),
    ({"object_ids": [987654321]}, "object_ids", "Dit object bestaat niet: 987654321."),
    ({"werkadres_ids": [987654321]}, "werkadres_ids", "Dit werkadres bestaat niet"),
])
def test_bad_coverage_is_a_422_naming_the_field(api, office, changes, field, message):
    resp = post(api, office, **changes)
    assert resp.status_code == 422
    assert message in resp.get_json()["errors"][field]
    with connection():
        assert Contract.select().count() == 0


def test_another_klants_objecten_or_werkadres_are_refused_and_nothing_is_written(api, office):
    _klant, _places, _objecten = office
    _other, other_places, other_objecten = klant_with_objecten("Woonstichting", "D-501",
                                                               prefix="CV", kind="CV-ketel")
    resp = post(api, office, object_ids=[other_objecten[0].id])
    assert resp.status_code == 422
    assert resp.get_json()["errors"] == {"object_ids": (
        "Object CV-001 hoort niet bij klant Kantoorpand Zuidas; kies objecten van deze klant.")}
    resp = post(api, office, werkadres_ids=[other_places[0].id])
    assert resp.status_code == 422
    assert "hoort niet bij klant Kantoorpand Zuidas" in resp.get_json()["errors"]["werkadres_ids"]
    with connection():
        assert Contract.select().count() == ContractObject.select().count() == 0


def test_a_patch_of_the_coverage_replans_like_the_wizard(api, runner, office):
    _klant, _places, objecten = office
    created = post(api, office).get_json()
    generate(runner)
    patch = {"version": created["version"], "object_ids": [o.id for o in objecten[1:5]]}
    resp = api.patch(f"{URL}/{created['id']}", json=patch)
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["object_ids"] == sorted(o.id for o in objecten[1:5])
    with connection():
        rows = {(w.due_date, w.slot): w.status for w in Werkbon.select()}
    # BB-001 off: its waiting werkbon (1 April) is cancelled; BB-005 on: its due date
    # (1 April) is made at the save
    assert rows[(date(2026, 4, 1), f"o{objecten[0].id}")] == "geannuleerd"
    assert rows[(date(2026, 4, 1), f"o{objecten[4].id}")] == "open"
    assert (date(2026, 3, 1), f"o{objecten[4].id}") not in rows
    # a stale version is refused, and an unknown object id as well (nothing written)
    again = api.patch(f"{URL}/{created['id']}", json=patch)
    assert again.status_code == 409
    bad = api.patch(f"{URL}/{created['id']}", json={"version": created["version"] + 1,
                                                     "object_ids": [424242]})
    assert bad.status_code == 422 and "object_ids" in bad.get_json()["errors"]
    # werkbon_per alone: the werkadres werkbonnen replace the object ones from today
    resp = api.patch(f"{URL}/{created['id']}", json={"version": created["version"] + 1,
                                                     "werkbon_per": "datum"})
    assert resp.status_code == 200 and resp.get_json()["werkbon_per"] == "datum"
    with connection():
        live = sorted((w.due_date.isoformat(), w.slot[0]) for w in Werkbon.select().where(
            Werkbon.status != "geannuleerd", Werkbon.due_date >= date(2026, 3, 10)))
    assert live == [("2026-04-01", "w"), ("2026-04-01", "w")]
