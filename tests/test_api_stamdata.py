"""The klanten and medewerkers API: shape, auth, errors, pagination."""

import pytest

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

KLANT = {"customer_number": "D-1", "name": "Bakkerij Jansen", "street": "Dorpsstraat",
         "house_number": "4", "postcode": "1234ab", "city": "Utrecht", "email": "",
         "phone": ""}


def test_create_get_patch_klant(api):
    resp = api.post("/api/v1/klanten", json=KLANT)
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["postcode"] == "1234 AB" and body["active"] is True
    assert set(body) == {"id", "customer_number", "name", "street", "house_number", "postcode",
                         "city", "email", "phone", "active"}
    got = api.get(f"/api/v1/klanten/{body['id']}").get_json()
    assert got == body
    patched = api.patch(f"/api/v1/klanten/{body['id']}", json={"city": "Zeist", "active": False})
    assert patched.status_code == 200
    assert patched.get_json()["city"] == "Zeist" and patched.get_json()["active"] is False
    assert patched.get_json()["name"] == "Bakkerij Jansen"


@pytest.mark.parametrize("change, field", [
    ({"postcode": "123"}, "postcode"), ({"name": ""}, "name"), ({"email": "a@"}, "email"),
    ({"phone": "1"}, "phone"), ({"name": 5}, "name"), ({"colour": "red"}, "colour"),
    ({"id": 9}, "id"), ({"active": "ja"}, "active"),
])
def test_invalid_klant_is_422_with_field(api, change, field):
    resp = api.post("/api/v1/klanten", json=dict(KLANT, **change))
    assert resp.status_code == 422
    assert field in resp.get_json()["errors"]
    assert api.get("/api/v1/klanten").get_json()["items"] == []


def test_patch_invalid_changes_nothing(api):
    kid = api.post("/api/v1/klanten", json=KLANT).get_json()["id"]
    resp = api.patch(f"/api/v1/klanten/{kid}", json={"city": "Zeist", "postcode": "x"})
    assert resp.status_code == 422 and "postcode" in resp.get_json()["errors"]
    assert api.get(f"/api/v1/klanten/{kid}").get_json()["city"] == "Utrecht"


def test_duplicate_number_is_422(api):
    api.post("/api/v1/klanten", json=KLANT)
    resp = api.post("/api/v1/klanten", json=KLANT)
    assert resp.status_code == 422
    assert resp.get_json() == {
        "errors": {"customer_number": "Dit debiteurnummer is al in gebruik."}}


def test_body_must_be_json_object(api, client, api_token):
    resp = client.post("/api/v1/klanten", data="nope", headers={
        "Authorization": f"Bearer {api_token}", "Content-Type": "application/json"})
    assert resp.status_code == 422 and "body" in resp.get_json()["errors"]


def test_unknown_id_404(api):
    assert api.get("/api/v1/klanten/999").status_code == 404
    assert api.patch("/api/v1/medewerkers/999", json={"name": "x"}).status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_without_valid_token_401(client, header):
    headers = {"Authorization": header} if header else {}
    resp = client.get("/api/v1/klanten", headers=headers)
    assert resp.status_code == 401
    assert "token" in resp.get_json()["errors"]


def test_token_of_inactive_user_refused(api, app):
    from models.db import connection
    from models.stamdata.users import User

    with connection():
        User.update(active=False).where(User.username == "api-user").execute()
    assert api.get("/api/v1/klanten").status_code == 401


def test_pagination(api):
    for i in range(7):
        api.post("/api/v1/medewerkers", json={"personnel_number": f"P{i}", "name": f"M {i}"})
    page1 = api.get("/api/v1/medewerkers?limit=3").get_json()
    assert [m["personnel_number"] for m in page1["items"]] == ["P0", "P1", "P2"]
    page2 = api.get(f"/api/v1/medewerkers?limit=3&cursor={page1['next']}").get_json()
    page3 = api.get(f"/api/v1/medewerkers?limit=3&cursor={page2['next']}").get_json()
    assert [m["personnel_number"] for m in page2["items"] + page3["items"]] == \
        ["P3", "P4", "P5", "P6"]
    assert page3["next"] is None
    assert set(page1["items"][0]) == {"id", "personnel_number", "name", "email", "phone",
                                      "active"}


@pytest.mark.parametrize("query, field", [("limit=0", "limit"), ("limit=abc", "limit"),
                                          ("limit=500", "limit"), ("cursor=@@", "cursor"),
                                          ("cursor=WyJ4Il0", "cursor"),  # ["x"]
                                          ("cursor=W251bGxd", "cursor")])  # [null]
def test_bad_list_params_422(api, query, field):
    resp = api.get(f"/api/v1/medewerkers?{query}")
    assert resp.status_code == 422 and field in resp.get_json()["errors"]


def test_medewerker_requires_name_and_number(api):
    resp = api.post("/api/v1/medewerkers", json={})
    assert resp.status_code == 422
    assert set(resp.get_json()["errors"]) == {"personnel_number", "name"}
