"""/api/v1/werkadressen and /api/v1/objecten: shapes, strict types, field errors, filters,
cursor pages, optimistic locking (409), and nothing written on bad input."""

import pytest

from models.db import connection
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

ADRES = {"name": "Complex De Linde", "street": "Lindelaan", "house_number": "12",
         "postcode": "4141hd", "city": "Leerdam", "access_notes": "Sleutel\nbij de buren"}


@pytest.fixture
def ids(app):
    with connection():
        linge = Klant.create(customer_number="D-1", name="De Linge", street="s",
                             house_number="1", postcode="4141 HD", city="Leerdam")
        zuidas = Klant.create(customer_number="D-2", name="Zuidas", street="s",
                              house_number="1", postcode="1082 MK", city="Amsterdam")
        kinds = {t.name: t.id for t in Objecttype.select()}
    return {"linge": linge.id, "zuidas": zuidas.id, **kinds}


def counts():
    with connection():
        return Werkadres.select().count(), Object.select().count()


def new_adres(api, klant_id, **extra):
    resp = api.post("/api/v1/werkadressen", json={**ADRES, "klant_id": klant_id, **extra})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def new_object(api, adres, kind, **extra):
    resp = api.post("/api/v1/objecten", json={"werkadres_id": adres["id"],
                                              "objecttype_id": kind, **extra})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_werkadres_create_get_patch(api, ids):
    body = new_adres(api, ids["linge"])
    assert body == {"id": body["id"], "klant_id": ids["linge"], "name": "Complex De Linde",
                    "street": "Lindelaan", "house_number": "12", "postcode": "4141 HD",
                    "city": "Leerdam", "access_notes": "Sleutel\nbij de buren", "active": True,
                    "version": 1}
    assert api.get(f"/api/v1/werkadressen/{body['id']}").get_json() == body
    patched = api.patch(f"/api/v1/werkadressen/{body['id']}",
                        json={"city": "Gorinchem", "active": False, "version": 1})
    assert patched.status_code == 200
    assert patched.get_json() == {**body, "city": "Gorinchem", "active": False, "version": 2}
    # the same again: nothing changes, no new version
    same = api.patch(f"/api/v1/werkadressen/{body['id']}", json={"city": "Gorinchem",
                                                                 "version": 2})
    assert same.get_json()["version"] == 2
    stale = api.patch(f"/api/v1/werkadressen/{body['id']}", json={"city": "X", "version": 1})
    assert stale.status_code == 409 and "nu versie 2" in stale.get_json()["errors"]["version"]
    assert api.get(f"/api/v1/werkadressen/{body['id']}").get_json()["city"] == "Gorinchem"


@pytest.mark.parametrize("change, field, message", [
    ({"postcode": None}, "postcode", "Vul een postcode in."),
    ({"postcode": ""}, "postcode", "Vul een postcode in."),
    ({"postcode": "12345"}, "postcode", "Vul een geldige postcode in, bijvoorbeeld 1234 AB."),
    ({"street": ""}, "street", "Vul een straat in."),
    ({"klant_id": 999999}, "klant_id", "Deze klant bestaat niet."),
    ({"klant_id": "1"}, "klant_id", "Geef een geheel getal"),
    ({"klant_id": True}, "klant_id", "Geef een geheel getal"),
    ({"klant_id": None}, "klant_id", "Kies een klant."),
    ({"city": 5}, "city", "Geef tekst (een JSON-string)."),
    ({"city": "Leer\x00dam"}, "city", "stuurteken"),
    ({"active": "ja"}, "active", "Geef true of false."),
    ({"kleur": "rood"}, "kleur", "Onbekend veld."),
    ({"id": 5}, "id", "Dit veld bepaalt Cadans zelf"),
    ({"version": 3}, "version", "Dit veld bepaalt Cadans zelf"),
])
def test_bad_werkadres_is_422_with_the_field_and_writes_nothing(api, ids, change, field,
                                                                  message):
    data = {**ADRES, "klant_id": ids["linge"], **change}
    resp = api.post("/api/v1/werkadressen", json=data)
    assert resp.status_code == 422
    assert message in resp.get_json()["errors"][field]
    assert counts() == (0, 0)


def test_werkadres_patch_needs_a_version_and_stays_with_its_klant(api, ids):
    body = new_adres(api, ids["linge"])
    url = f"/api/v1/werkadressen/{body['id']}"
    assert "version" in api.patch(url, json={"city": "X"}).get_json()["errors"]
    assert "version" in api.patch(url, json={"city": "X", "version": "1"}).get_json()["errors"]
    moved = api.patch(url, json={"klant_id": ids["zuidas"], "version": 1})
    assert moved.status_code == 422 and "blijft bij zijn klant" in \
        moved.get_json()["errors"]["klant_id"]
    bad = api.patch(url, json={"postcode": "x", "city": "Zeist", "version": 1})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"postcode"}
    assert api.get(url).get_json() == body
    assert api.patch("/api/v1/werkadressen/999999", json={"version": 1}).status_code == 404


def test_werkadressen_list_filters_and_cursor(api, ids):
    for n in range(5):
        new_adres(api, ids["linge"], house_number=str(n + 1))
    new_adres(api, ids["zuidas"], street="Gustav Mahlerlaan", postcode="1082 MK",
              city="Amsterdam")
    page = api.get(f"/api/v1/werkadressen?klant_id={ids['linge']}&limit=3").get_json()
    assert len(page["items"]) == 3 and page["next"]
    rest = api.get(f"/api/v1/werkadressen?klant_id={ids['linge']}&limit=3&cursor="
                   f"{page['next']}").get_json()
    assert len(rest["items"]) == 2 and rest["next"] is None
    assert {i["house_number"] for i in page["items"] + rest["items"]} == {"1", "2", "3", "4", "5"}
    found = api.get("/api/v1/werkadressen?q=1082mk").get_json()["items"]
    assert [i["street"] for i in found] == ["Gustav Mahlerlaan"]
    assert api.get("/api/v1/werkadressen?klant_id=x").status_code == 422
    assert api.get("/api/v1/werkadressen?active=ja").status_code == 422
    assert api.get("/api/v1/werkadressen?cursor=zz").status_code == 422


def test_object_create_get_patch(api, ids):
    adres = new_adres(api, ids["linge"])
    body = new_object(api, adres, ids["CV-ketel"], brand="Remeha", model="Calenta Ace 28c",
                      serial_number="RH-1", location="zolder", installed_on="2019-05-01",
                      warranty_until="2026-05-01", notes="Regel 1\nRegel 2")
    assert body == {
        "id": body["id"], "number": "OBJ-000001", "klant_id": ids["linge"],
        "werkadres_id": adres["id"], "objecttype_id": ids["CV-ketel"], "objecttype": "CV-ketel",
        "brand": "Remeha", "model": "Calenta Ace 28c", "serial_number": "RH-1",
        "location": "zolder", "installed_on": "2019-05-01", "warranty_until": "2026-05-01",
        "status": "actief", "status_since": None, "notes": "Regel 1\nRegel 2", "version": 1}
    assert api.get(f"/api/v1/objecten/{body['id']}").get_json() == body
    url = f"/api/v1/objecten/{body['id']}"
    patched = api.patch(url, json={"location": "kelder", "version": 1}).get_json()
    assert patched["location"] == "kelder" and patched["version"] == 2
    out = api.patch(url, json={"status": "buiten_gebruik", "status_since": "2027-01-01",
                               "version": 2}).get_json()
    assert (out["status"], out["status_since"], out["version"]) == (
        "buiten_gebruik", "2027-01-01", 3)
    stale = api.patch(url, json={"brand": "Intergas", "version": 2})
    assert stale.status_code == 409
    assert api.get(url).get_json()["brand"] == "Remeha"


@pytest.mark.parametrize("change, field, message", [
    ({"werkadres_id": None}, "werkadres_id", "Kies een werkadres."),
    ({"werkadres_id": 999999}, "werkadres_id", "Dit werkadres bestaat niet."),
    ({"werkadres_id": "1"}, "werkadres_id", "Geef een geheel getal"),
    ({"klant_id": "zuidas"}, "werkadres_id", "Dit werkadres hoort niet bij deze klant"),
    ({"objecttype_id": 999999}, "objecttype_id", "Dit objecttype bestaat niet."),
    ({"objecttype_id": None}, "objecttype_id", "Kies een objecttype."),
    ({"number": "obj-9"}, "number", "Objectnummer OBJ-9 is al in gebruik"),
    ({"number": 9}, "number", "Geef tekst (een JSON-string)."),
    ({"installed_on": "01-05-2019"}, "installed_on", "Vul een datum in als dd-mm-jjjj."),
    ({"installed_on": "2019-05-01", "warranty_until": "2019-04-30"}, "warranty_until",
     "vóór de installatiedatum"),
    ({"status": "kapot"}, "status", "Kies actief, buiten gebruik of verwijderd."),
    ({"status_since": "gisteren", "status": "verwijderd"}, "status_since",
     "Vul een datum in als dd-mm-jjjj."),
    ({"objecttype": "Lift"}, "objecttype", "Dit veld bepaalt Cadans zelf"),
    ({"serienummer": "x"}, "serienummer", "Onbekend veld."),
    ({"notes": "a\x00"}, "notes", "stuurteken"),
])
def test_bad_object_is_422_with_the_field_and_writes_nothing(api, ids, change, field, message):
    adres = new_adres(api, ids["linge"])
    new_object(api, adres, ids["Lift"], number="OBJ-9")
    change = {k: ids["zuidas"] if v == "zuidas" else v for k, v in change.items()}
    before = counts()
    resp = api.post("/api/v1/objecten", json={"werkadres_id": adres["id"],
                                              "objecttype_id": ids["CV-ketel"], **change})
    assert resp.status_code == 422
    assert message in resp.get_json()["errors"][field], resp.get_json()
    assert counts() == before


def test_an_object_does_not_move_to_another_klant(api, ids):
    linge = new_adres(api, ids["linge"])
    linge2 = new_adres(api, ids["linge"], house_number="14")
    zuidas = new_adres(api, ids["zuidas"])
    obj = new_object(api, linge, ids["Lift"])
    url = f"/api/v1/objecten/{obj['id']}"
    resp = api.patch(url, json={"werkadres_id": zuidas["id"], "version": 1})
    assert resp.status_code == 422 and "blijft bij zijn klant" in \
        resp.get_json()["errors"]["werkadres_id"]
    resp = api.patch(url, json={"klant_id": ids["zuidas"], "version": 1})
    assert resp.status_code == 422 and "klant_id" in resp.get_json()["errors"]
    assert api.get(url).get_json() == obj
    moved = api.patch(url, json={"werkadres_id": linge2["id"], "version": 1}).get_json()
    assert moved["werkadres_id"] == linge2["id"]


def test_objecten_list_filters_and_cursor(api, ids):
    linge = new_adres(api, ids["linge"])
    zuidas = new_adres(api, ids["zuidas"], street="Gustav Mahlerlaan", postcode="1082 MK",
                       city="Amsterdam")
    ketels = [new_object(api, linge, ids["CV-ketel"], brand="Remeha") for _ in range(3)]
    blusser = new_object(api, zuidas, ids["Brandblusser"], brand="Gloria",
                         serial_number="GL-4410")
    lift = new_object(api, zuidas, ids["Lift"], status="verwijderd")

    def found(query):
        resp = api.get("/api/v1/objecten" + query)
        assert resp.status_code == 200, resp.get_json()
        return [i["id"] for i in resp.get_json()["items"]]

    assert found("") == [o["id"] for o in (*ketels, blusser, lift)]  # every status
    assert found(f"?klant_id={ids['zuidas']}") == [blusser["id"], lift["id"]]
    assert found(f"?werkadres_id={linge['id']}") == [o["id"] for o in ketels]
    assert found("?status=verwijderd") == [lift["id"]]
    assert found("?objecttype=brandblusser") == [blusser["id"]]
    assert found(f"?objecttype={ids['Lift']}") == [lift["id"]]
    assert found("?q=gl-44") == [blusser["id"]]
    assert found("?q=amsterdam&status=actief") == [blusser["id"]]
    page = api.get("/api/v1/objecten?limit=2").get_json()
    second = api.get(f"/api/v1/objecten?limit=2&cursor={page['next']}").get_json()
    assert [i["id"] for i in page["items"] + second["items"]] == found("")[:4]
    for bad, field in (("?status=stuk", "status"), ("?objecttype=Raket", "objecttype"),
                       ("?klant_id=-1", "klant_id"), ("?werkadres_id=a", "werkadres_id"),
                       ("?limit=0", "limit"), ("?cursor=%5B%5D", "cursor")):
        resp = api.get("/api/v1/objecten" + bad)
        assert resp.status_code == 422 and field in resp.get_json()["errors"], bad


def test_unknown_ids_and_no_token(api, client, ids):
    assert api.get("/api/v1/objecten/999999").status_code == 404
    assert api.get("/api/v1/werkadressen/999999").get_json() == {"errors": {"id": "Niet gevonden."}}
    assert api.patch("/api/v1/objecten/999999", json={"version": 1}).status_code == 404
    assert client.get("/api/v1/objecten").status_code == 401
    assert client.post("/api/v1/werkadressen", json=ADRES).status_code == 401
    body = api.post("/api/v1/objecten", json=[1, 2])
    assert body.status_code == 422 and "body" in body.get_json()["errors"]
    assert counts() == (0, 0)


def test_api_writes_leave_audit_rows_under_the_token_user(api, ids):
    from models.db.audit import AuditLog

    adres = new_adres(api, ids["linge"])
    obj = new_object(api, adres, ids["Lift"])
    api.patch(f"/api/v1/objecten/{obj['id']}", json={"status": "verwijderd", "version": 1})
    with connection():
        rows = [(r.entity, r.action, r.actor) for r in AuditLog.select().order_by(AuditLog.id)
                if r.entity in ("werkadres", "object")]
    assert rows == [("werkadres", "aangemaakt", "api:api-user"),
                    ("object", "aangemaakt", "api:api-user"),
                    ("object", "status gewijzigd", "api:api-user")]
