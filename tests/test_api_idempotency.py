"""Idempotency-Key on the API's POSTs and ETag/If-Match on contracten (issue #21, item 6): a
client that retries a POST (ten times, and ten at once) makes one contract or storing; the same
key with another body is a 422, and one whose first request is still running a 409; a refused
request does not use up its key. An edit with If-Match of a stale ETag is a 412 and changes
nothing. On SQLite and PostgreSQL, with real threads and the real locks."""

import threading
from datetime import timedelta

import pytest

from models.contracts.tables import Contract
from models.db import connection, idempotency
from models.db.base import utcnow
from models.stamdata.klanten import Klant
from models.werkbonnen.tables import Werkbon
from tests.conftest import make_user
from tests.test_races import Hold, race

ON_POSTGRESQL = True  # tests/conftest.py: each test that uses `app` runs on both databases

KEY = "8e03978e-40d5-43e8-bc93-6894a57f9324"


@pytest.fixture
def klant(app):
    with connection():
        return Klant.create(customer_number="D-1", name="Bakkerij Jansen")


def contract_body(klant, description="Onderhoud cv-ketel"):
    return {"klant_id": klant.id, "contracttype": "preventief", "description": description,
            "start_date": "2026-01-01", "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}}


def contracts() -> int:
    with connection():
        return Contract.select().count()


def post(api, body, key=KEY, path="/api/v1/contracten", client=None):
    headers = {**api.headers, "Idempotency-Key": key}
    return (client or api.client).post(path, json=body, headers=headers)


@pytest.fixture
def api(app, api_token):
    """A second `api` fixture that also exposes its client and can make more clients."""

    class Api:
        headers = {"Authorization": f"Bearer {api_token}"}
        client = app.test_client()

        def new_client(self):
            return app.test_client()

    return Api()


# --------------------------------------------------------------------------- Idempotency-Key


def test_a_retried_post_is_answered_again_and_makes_one_contract(api, klant):
    first = post(api, contract_body(klant))
    assert first.status_code == 201, first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    for _ in range(9):
        again = post(api, contract_body(klant))
        assert again.status_code == 201
        assert again.headers["Idempotent-Replayed"] == "true"
        assert again.get_json() == first.get_json()
        assert again.headers["Location"] == first.headers["Location"] \
            == f"/api/v1/contracten/{first.get_json()['id']}"
        assert again.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert contracts() == 1


def test_ten_at_once_make_one_contract(api, klant):
    """Ten clients retry the same POST at the same moment: one contract; every answer is that
    contract (201) or "still running, try again" (409), never a second one."""
    start = threading.Barrier(10)
    answers, failures = [], []

    def one():
        client = api.new_client()
        try:
            start.wait(10)
            answers.append(post(api, contract_body(klant), client=client))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    threads = [threading.Thread(target=one) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert contracts() == 1
    statuses = sorted(a.status_code for a in answers)
    assert set(statuses) <= {201, 409} and 201 in statuses, statuses
    made = {a.get_json()["id"] for a in answers if a.status_code == 201}
    assert len(made) == 1
    busy = [a for a in answers if a.status_code == 409]
    assert all(a.headers["Retry-After"] == "1" for a in busy)
    # and whoever got 409 gets the contract on its retry
    assert post(api, contract_body(klant)).get_json()["id"] in made
    assert contracts() == 1


def test_the_same_key_with_another_body_is_refused(api, klant):
    assert post(api, contract_body(klant)).status_code == 201
    resp = post(api, contract_body(klant, "Iets anders"))
    assert resp.status_code == 422
    assert resp.get_json() == {"errors": {"Idempotency-Key": (
        "Deze sleutel is al gebruikt voor een ander verzoek (in de afgelopen 24 uur). "
        "Gebruik per nieuw verzoek een nieuwe sleutel.")}}
    other_path = post(api, contract_body(klant), path="/api/v1/werkbonnen")
    assert other_path.status_code == 422  # the key names one request, path included
    assert contracts() == 1


def test_the_same_json_in_another_order_is_the_same_request(api, klant):
    body = contract_body(klant)
    assert post(api, body).status_code == 201
    reordered = dict(reversed(list(body.items())))
    assert post(api, reordered).headers.get("Idempotent-Replayed") == "true"


def test_keys_are_per_token(api, app, klant):
    from models.stamdata.users import ApiToken

    assert post(api, contract_body(klant)).status_code == 201
    with connection():
        other = ApiToken.issue(make_user("tweede", "planner"))
    resp = api.client.post("/api/v1/contracten", json=contract_body(klant),
                           headers={"Authorization": f"Bearer {other}", "Idempotency-Key": KEY})
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp.headers
    assert contracts() == 2


def test_a_refused_request_does_not_use_up_its_key(api, klant):
    bad = post(api, {**contract_body(klant), "start_date": "morgen"})
    assert bad.status_code == 422
    good = post(api, contract_body(klant))  # corrected, with the same key
    assert good.status_code == 201 and "Idempotent-Replayed" not in good.headers
    with connection():
        assert idempotency.IdempotencyKey.select().count() == 1


def test_a_request_that_fails_gives_its_key_back(api, klant, monkeypatch):
    from models.contracts import service as contract_service

    original = contract_service.create

    def broken(*args, **kwargs):
        monkeypatch.setattr(contract_service, "create", original)
        raise RuntimeError("de database viel even weg")

    monkeypatch.setattr(contract_service, "create", broken)
    with pytest.raises(RuntimeError):  # TESTING: Flask lets it through instead of a 500
        post(api, contract_body(klant))
    assert contracts() == 0
    resp = post(api, contract_body(klant))
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp.headers


def test_while_the_first_runs_a_retry_hears_409(api, klant, monkeypatch):
    from models.contracts import service as contract_service

    hold = Hold(monkeypatch, contract_service, "create")
    first, second = race(hold, lambda: post(api, contract_body(klant)),
                         lambda: post(api, contract_body(klant), client=api.new_client()))
    assert first.status_code == 201
    assert second.status_code == 409 and second.headers["Retry-After"] == "1"
    assert second.get_json()["errors"]["Idempotency-Key"].startswith("Een verzoek met deze")
    assert post(api, contract_body(klant)).get_json() == first.get_json()
    assert contracts() == 1


def test_a_storing_reported_ten_times_is_one_storing(api, app):
    from datetime import date

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.stamdata.instellingen import SlaBeleid

    with connection():
        klant = Klant.create(customer_number="D-5", name="Hotel Aan de Maas")
        values, _ = contract_checks.check({
            "klant_id": klant.id, "contracttype": "correctief", "description": "Storingen",
            "start_date": "2026-01-01",
            "sla_beleid_id": SlaBeleid.get(SlaBeleid.code == "STANDAARD").id})
        contract = contract_service.create(values, "test", date(2026, 1, 1))
    body = {"klant_id": klant.id, "contract_id": contract.id, "prioriteit": "Hoog",
            "description": "Geen warm water"}
    answers = [post(api, body, key="storing-1", path="/api/v1/werkbonnen") for _ in range(10)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_json()["id"] for a in answers}) == 1
    with connection():
        assert Werkbon.select().where(Werkbon.reported_at.is_null(False)).count() == 1


def test_the_notice_is_given_when_redis_is_down(api, app, klant):
    from jobs import enqueue

    app.config["REDIS_URL"] = "unix:///nonexistent/valkey.sock"
    enqueue._down_until.clear()
    try:
        resp = post(api, contract_body(klant))
        assert resp.status_code == 201
        assert resp.get_json()["notice"] == enqueue.DELAYED  # queued after the commit
        replay = post(api, contract_body(klant))
        assert "notice" not in replay.get_json()  # a replay is the contract, not the moment
        assert replay.get_json()["id"] == resp.get_json()["id"]
    finally:
        enqueue._down_until.clear()


@pytest.mark.parametrize("header, ok", [
    (KEY, True), (f'"{KEY}"', True), ("a", True), ("x" * 255, True), ("", False),
    ("x" * 256, False), ("met spatie", False), ("sleutel\u00e9", False), ('"', False),
    ("a\\b", False)])
def test_what_a_key_may_be(header, ok):
    assert (idempotency.parse_key(header) is not None) is ok


def test_an_unreadable_key_is_400(api, klant):
    resp = post(api, contract_body(klant), key="met spatie")
    assert resp.status_code == 400 and "Idempotency-Key" in resp.get_json()["errors"]
    assert contracts() == 0
    assert post(api, contract_body(klant), key=f'"{KEY}"').status_code == 201
    assert post(api, contract_body(klant), key=KEY).headers["Idempotent-Replayed"] == "true"


def test_a_day_later_the_key_is_new_and_pruning_forgets_it(api, klant):
    assert post(api, contract_body(klant)).status_code == 201
    with connection():
        idempotency.IdempotencyKey.update(
            created_at=utcnow() - idempotency.TTL - timedelta(minutes=1)).execute()
    resp = post(api, contract_body(klant, "Een nieuw contract"))
    assert resp.status_code == 201 and "Idempotent-Replayed" not in resp.headers
    assert contracts() == 2
    with connection():
        assert idempotency.prune() == 0  # the key was reused just now
        idempotency.IdempotencyKey.update(
            created_at=utcnow() - idempotency.TTL - timedelta(minutes=1)).execute()
        assert idempotency.prune() == 1


def test_a_claim_whose_request_died_is_taken_over(app):
    now = utcnow()
    print_ = idempotency.fingerprint("POST", "/x", b"{}")
    with connection():
        first = idempotency.claim(1, "k", print_, now)
        assert first.outcome == "ours"
        assert idempotency.claim(1, "k", print_, now + timedelta(seconds=5)).outcome == "busy"
        second = idempotency.claim(1, "k", print_, now + idempotency.STALE + timedelta(seconds=1))
        assert second.outcome == "ours"
        with pytest.raises(idempotency.Lost):  # the first may no longer finish it
            idempotency.finish(first, 201, "{}", {})
        idempotency.finish(second, 201, '{"id": 1}', {"Content-Type": "application/json"})
        replay = idempotency.claim(1, "k", print_, now + timedelta(minutes=2))
        assert (replay.outcome, replay.status, replay.body) == ("replay", 201, '{"id": 1}')


def test_without_a_key_nothing_changes(api, klant):
    assert api.client.post("/api/v1/contracten", json=contract_body(klant),
                           headers=api.headers).status_code == 201
    assert api.client.post("/api/v1/contracten", json=contract_body(klant),
                           headers=api.headers).status_code == 201
    assert contracts() == 2


# --------------------------------------------------------------------------- ETag / If-Match


def test_etag_and_if_match(api, klant):
    made = post(api, contract_body(klant), key="etag-1")
    url = made.headers["Location"]
    got = api.client.get(url, headers=api.headers)
    assert got.headers["ETag"] == '"1"'

    # If-Match instead of the version in the body
    resp = api.client.patch(url, json={"description": "Nieuw"},
                            headers={**api.headers, "If-Match": '"1"'})
    assert resp.status_code == 200, resp.get_json()
    assert resp.headers["ETag"] == '"2"' and resp.get_json()["version"] == 2

    # the old ETag again: 412, the current ETag in the answer, nothing changed
    stale = api.client.patch(url, json={"description": "Over de ander heen"},
                             headers={**api.headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["ETag"] == '"2"'
    assert stale.get_json() == {"errors": {"If-Match": (
        "Iemand anders heeft dit contract intussen gewijzigd (nu versie 2). Haal het opnieuw "
        "op en breng uw wijziging daarop aan.")}}
    with connection():
        saved = Contract.get_by_id(made.get_json()["id"])
    assert (saved.description, saved.version) == ("Nieuw", 2)

    # a weak tag never matches (If-Match compares strongly); "*" matches what exists
    assert api.client.patch(url, json={"description": "x"},
                            headers={**api.headers, "If-Match": 'W/"2"'}).status_code == 412
    assert api.client.patch(url, json={"description": "Sterretje"},
                            headers={**api.headers, "If-Match": "*"}).status_code == 200
    bad = api.client.patch(url, json={"description": "x"},
                           headers={**api.headers, "If-Match": "3"})
    assert bad.status_code == 400 and "If-Match" in bad.get_json()["errors"]
    # one of several tags; the body's version still works, and still answers 409
    assert api.client.patch(url, json={"description": "Lijst"},
                            headers={**api.headers, "If-Match": '"1", "3"'}).status_code == 200
    assert api.client.patch(url, json={"description": "Oud", "version": 1},
                            headers=api.headers).status_code == 409
    assert api.client.patch(url, json={"description": "Zonder"},
                            headers=api.headers).status_code == 422  # neither: say so


def test_if_match_lost_race_is_412(api, klant, monkeypatch):
    """Two clients PATCH with the same ETag at the same moment: one wins, the other gets 412."""
    from models.werkbonnen import replan

    url = post(api, contract_body(klant), key="race").headers["Location"]
    hold = Hold(monkeypatch, replan, "effect")
    headers = {**api.headers, "If-Match": '"1"'}
    first, second = race(
        hold, lambda: api.client.patch(url, json={"description": "A"}, headers=headers),
        lambda: api.new_client().patch(url, json={"description": "B"}, headers=headers))
    assert sorted([first.status_code, second.status_code]) == [200, 412]
    with connection():
        assert Contract.get().version == 2
