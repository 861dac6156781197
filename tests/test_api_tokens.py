"""Scoped API tokens (issue #21, item 4): every /api/v1 route declares its scope, and the table
of each scope x each route (generated from those declarations, so a new route is in it at once)
says allowed or 403; a token for one klant sees that klant only; expiry and revocation take
effect at the next request; the last use is written at most once a minute; the rate limit per
token answers 429 with Retry-After, also with Redis stopped; Instellingen and the CLI make and
revoke tokens; a token from before scopes keeps full access after the migration."""

import re
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from models.db import connection, db
from models.db.base import utcnow
from models.stamdata import api_scopes, users
from models.stamdata.klanten import Klant
from models.stamdata.users import ApiToken, User
from tests.conftest import _make_app, make_user

ON_POSTGRESQL = True  # tests/conftest.py: each test that uses `app` runs on both databases

PUBLIC = {"api.health", "api.openapi"}  # no token: the health check and the OpenAPI document
ID = re.compile(r"<(?:int(?:\([^)]*\))?:)?(\w+)>")


def issue(username="koppeling", **kw) -> str:
    with connection():
        user = User.get_or_none(User.username == username) or make_user(username, "planner")
        return ApiToken.issue(user, **kw)


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def api_routes(app):
    """(endpoint, method, url) for every rule under /api/v1, ids filled in with 1."""
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, ID.sub("1", rule.rule)))
    return found


def call(client, method, url, token, **kw):
    kw.setdefault("json", {} if method in ("POST", "PATCH") else None)
    return client.open(url, method=method, headers=bearer(token), **kw)


# --------------------------------------------------------------------------- declarations


def test_every_api_route_declares_its_scope(app):
    """The one place a route's scope is written (views/api/access.py `needs`); the OpenAPI
    document reads it from there too. A route without one would be refused to every token."""
    from views.api.access import declared

    routes = api_routes(app)
    assert len({endpoint for endpoint, _, _ in routes}) >= 10  # a rule over nothing passes
    missing = [f"{method} {url} ({endpoint})" for endpoint, method, url in routes
               if declared(endpoint, app) is None]
    assert missing == []
    for endpoint, method, _url in routes:
        need = declared(endpoint, app)
        assert need.resource in api_scopes.RESOURCES
        assert need.action_for(method) in api_scopes.ACTIONS


def test_the_scope_table(app, client):
    """Each scope of the vocabulary x each route and method: allowed, or 403 with the message
    that names the scope it lacks. Expected from api_scopes.allows and the declarations, so a
    new route or a new scope is covered without touching this test."""
    from views.api.access import declared

    tokens = {scope: issue(f"scope-{i}", name=scope, scopes=[scope])
              for i, scope in enumerate(api_scopes.vocabulary())}
    wrong = []
    checked = 0
    for endpoint, method, url in api_routes(app):
        need = declared(endpoint, app)
        action = need.action_for(method)
        for scope, token in tokens.items():
            resp = call(client, method, url, token)
            allowed = api_scopes.allows(frozenset([scope]), need.resource, action)
            refused = resp.status_code == 403
            if allowed == refused:
                wrong.append(f"{scope}: {method} {url} -> {resp.status_code} {resp.get_json()}")
            elif refused and resp.get_json() != {
                    "errors": {"token": api_scopes.refusal(need.resource, action)}}:
                wrong.append(f"{scope}: {method} {url} says {resp.get_json()}")
            checked += 1
    assert wrong == []
    assert checked >= 16 * len(tokens)


def test_the_refusal_says_what_is_missing(api, client):
    token = issue(name="Boekhouding", scopes=["contracten:lezen"])
    resp = client.post("/api/v1/contracten", json={}, headers=bearer(token))
    assert resp.status_code == 403
    assert resp.get_json() == {"errors": {"token": (
        "Dit token mag geen contracten wijzigen (daarvoor is de scope contracten:schrijven "
        "nodig).")}}
    assert client.get("/api/v1/contracten", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/werkbonnen", headers=bearer(token)).status_code == 403


@pytest.mark.parametrize("text, expected, problem", [
    ("werkbonnen:lezen contracten:schrijven", {"werkbonnen:lezen", "contracten:schrijven"}, None),
    ("*:lezen,klanten:schrijven", {"*:lezen", "klanten:schrijven"}, None),
    (["*"], {"*"}, None),
    ("werkbonnen:lezen werkbonnen:lezen", {"werkbonnen:lezen"}, None),
    ("werkbonnen:beheren", set(), "Onbekende scope: werkbonnen:beheren"),
    ("facturen:lezen", set(), "Onbekende scope"),
    ("", set(), "Kies minstens één recht"),
])
def test_scope_vocabulary(text, expected, problem):
    scopes, error = api_scopes.parse(text)
    assert scopes == expected
    assert (error is None) if problem is None else (problem in error)


@pytest.mark.parametrize("granted, resource, action, allowed", [
    ({"*"}, "medewerkers", "schrijven", True),
    ({"*:lezen"}, "contracten", "lezen", True),
    ({"*:lezen"}, "contracten", "schrijven", False),
    ({"*:schrijven"}, "objecten", "lezen", True),  # schrijven includes lezen
    ({"werkbonnen:schrijven"}, "werkbonnen", "lezen", True),
    ({"werkbonnen:lezen"}, "werkbonnen", "schrijven", False),
    ({"werkbonnen:schrijven"}, "contracten", "lezen", False),
    ({"contracten:lezen", "klanten:schrijven"}, "klanten", "schrijven", True),
    (set(), "klanten", "lezen", False),
])
def test_what_a_scope_allows(granted, resource, action, allowed):
    assert api_scopes.allows(frozenset(granted), resource, action) is allowed


def test_describe_in_dutch():
    assert api_scopes.describe({"*"}) == "alles"
    assert api_scopes.describe({"*:lezen", "werkbonnen:schrijven"}) == \
        "alles lezen, werkbonnen lezen en wijzigen"
    assert api_scopes.describe({"contracten:lezen"}) == "contracten lezen"


# --------------------------------------------------------------------------- one klant


@pytest.fixture
def two_klanten(app):
    """Klant A and klant B, each with a correctief contract and a storing."""
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.sla import service as sla_service
    from models.stamdata.instellingen import SlaBeleid

    ids = {}
    with connection():
        sla = SlaBeleid.get(SlaBeleid.code == "STANDAARD")
        for key, name in (("a", "Hotel Aan de Maas"), ("b", "Garage Smit")):
            klant = Klant.create(customer_number=f"D-{key}", name=name)
            values, errors = contract_checks.check({
                "klant_id": klant.id, "contracttype": "correctief", "description": "Storingen",
                "start_date": "2026-01-01", "sla_beleid_id": sla.id})
            assert not errors
            contract = contract_service.create(values, "test", date(2026, 1, 1))
            werkbon, errors = sla_service.create_storing(
                {"klant_id": klant.id, "contract_id": contract.id, "prioriteit": "Hoog",
                 "description": "Lekkage", "reported_at": "2026-11-20T10:00:00+01:00"},
                "test", datetime(2026, 11, 21, tzinfo=ZoneInfo("Europe/Amsterdam")),
                "Europe/Amsterdam")
            assert not errors
            ids[key] = {"klant": klant.id, "contract": contract.id, "werkbon": werkbon.id}
    return ids


def test_a_token_for_one_klant_sees_only_that_klant(client, two_klanten):
    a, b = two_klanten["a"], two_klanten["b"]
    token = issue(name="Portaal Maas", scopes=["werkbonnen:schrijven", "contracten:lezen",
                                               "klanten:schrijven", "medewerkers:lezen"],
                  klant_id=a["klant"])
    get = lambda url: client.get(url, headers=bearer(token))  # noqa: E731

    def listed(url):
        resp = get(url)
        assert resp.status_code == 200, resp.get_json()
        return [item["id"] for item in resp.get_json()["items"]]

    assert listed("/api/v1/werkbonnen") == [a["werkbon"]]
    assert listed(f"/api/v1/werkbonnen?klant_id={b['klant']}") == []
    assert listed("/api/v1/contracten") == [a["contract"]]
    assert listed("/api/v1/klanten") == [a["klant"]]
    assert get(f"/api/v1/werkbonnen/{a['werkbon']}").status_code == 200
    for url in (f"/api/v1/werkbonnen/{b['werkbon']}", f"/api/v1/contracten/{b['contract']}",
                f"/api/v1/klanten/{b['klant']}"):
        resp = get(url)
        assert (resp.status_code, resp.get_json()) == (404, {"errors": {"id": "Niet gevonden."}})

    # changing: its own werkbon and klant yes, another's is not found
    patch = client.patch(f"/api/v1/werkbonnen/{b['werkbon']}", headers=bearer(token),
                         json={"status": "geannuleerd", "cancel_reason": "Niet van u"})
    assert patch.status_code == 404
    assert client.patch(f"/api/v1/klanten/{a['klant']}", headers=bearer(token),
                        json={"city": "Venlo"}).status_code == 200
    assert client.patch(f"/api/v1/klanten/{b['klant']}", headers=bearer(token),
                        json={"city": "Venlo"}).status_code == 404
    with connection():
        assert Klant.get_by_id(b["klant"]).city == ""

    # reporting a storing: for its klant (also without naming it), never for another
    storing = {"contract_id": a["contract"], "prioriteit": "Hoog", "description": "Geen warmte"}
    resp = client.post("/api/v1/werkbonnen", headers=bearer(token), json=storing)
    assert resp.status_code == 201 and resp.get_json()["klant_id"] == a["klant"]
    other = client.post("/api/v1/werkbonnen", headers=bearer(token),
                        json={**storing, "klant_id": b["klant"], "contract_id": b["contract"]})
    assert other.status_code == 403
    assert other.get_json() == {"errors": {"klant_id": (
        "Dit token is beperkt tot klant Hotel Aan de Maas.")}}

    # what has no klant, or is not kept to one, is refused whatever the scopes
    resp = get("/api/v1/medewerkers")
    assert resp.status_code == 403
    assert resp.get_json() == {"errors": {"token": (
        "Dit token is beperkt tot klant Hotel Aan de Maas en mag hier geen medewerkers lezen.")}}
    assert client.post("/api/v1/contracten", headers=bearer(token), json={}).status_code == 403


def test_klant_tokens_are_refused_where_a_route_does_not_keep_them_to_their_klant(
        app, client, two_klanten):
    """Generated from the declarations: every route and method not declared as keeping a token
    to its klant answers 403 to one, whatever its scopes; the others do not."""
    from views.api.access import declared

    token = issue(name="Alles van A", scopes=["*"], klant_id=two_klanten["a"]["klant"])
    wrong = []
    for endpoint, method, url in api_routes(app):
        resp = call(client, method, url, token)
        kept = method in declared(endpoint, app).klant
        if (resp.status_code == 403 and "beperkt tot klant" in str(resp.get_json())) == kept:
            wrong.append(f"{method} {url} -> {resp.status_code} {resp.get_json()}")
    assert wrong == []


# --------------------------------------------------------------------------- life of a token


def test_revocation_takes_effect_at_the_next_request(app, client, runner):
    token = issue(name="Weg ermee")
    assert client.get("/api/v1/klanten", headers=bearer(token)).status_code == 200
    with connection():
        token_id = ApiToken.get().id
    result = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert result.exit_code == 0 and "ingetrokken" in result.output
    resp = client.get("/api/v1/klanten", headers=bearer(token))
    assert resp.status_code == 401
    assert resp.get_json() == {"errors": {"token": "Dit API-token is ingetrokken."}}
    assert resp.headers["WWW-Authenticate"] == 'Bearer realm="cadans"'
    again = runner.invoke(args=["tokens", "revoke", str(token_id)])
    assert "was al ingetrokken" in again.output
    assert runner.invoke(args=["tokens", "revoke", "999"]).exit_code != 0


def test_expiry_takes_effect_at_once(app, client):
    soon = utcnow() + timedelta(seconds=2)
    token = issue(name="Kort", expires_at=soon)
    assert client.get("/api/v1/klanten", headers=bearer(token)).status_code == 200
    with connection():
        ApiToken.update(expires_at=utcnow() - timedelta(seconds=1)).execute()  # time passes
    resp = client.get("/api/v1/klanten", headers=bearer(token))
    assert (resp.status_code, resp.get_json()) == (
        401, {"errors": {"token": "Dit API-token is verlopen."}})


def test_a_last_day_means_through_that_day_in_company_time():
    moment = users.expiry_moment(date(2026, 3, 28), "Europe/Amsterdam")
    assert moment == datetime(2026, 3, 28, 23, 0)  # 29 March 00:00 CET, before the clock change
    summer = users.expiry_moment(date(2026, 7, 1), "Europe/Amsterdam")
    assert summer == datetime(2026, 7, 1, 22, 0)
    assert moment.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Amsterdam")).hour == 0


def test_unknown_and_deactivated_are_401(app, client):
    assert client.get("/api/v1/klanten", headers=bearer("nep")).status_code == 401
    assert client.get("/api/v1/klanten", headers={"Authorization": "Basic abc"}).status_code \
        == 401
    token = issue("weg", name="x")
    with connection():
        users.set_active(User.get(User.username == "weg").id, False, "test")
    assert client.get("/api/v1/klanten", headers=bearer(token)).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(app, client):
    token = issue(name="Teller")
    with connection():
        assert ApiToken.get().last_used_at is None
    client.get("/api/v1/klanten", headers=bearer(token))
    with connection():
        first = ApiToken.get().last_used_at
    assert first is not None and utcnow() - first < timedelta(seconds=30)
    client.get("/api/v1/klanten", headers=bearer(token))
    with connection():
        assert ApiToken.get().last_used_at == first  # within the minute: no write
        ApiToken.update(last_used_at=first - timedelta(minutes=2)).execute()
    client.get("/api/v1/klanten", headers=bearer(token))
    with connection():
        assert ApiToken.get().last_used_at > first


def test_two_processes_mark_a_use_once(app):
    """mark_used's condition decides when two requests find the same stale value."""
    issue(name="x")
    with connection():
        row = ApiToken.get()
        stale = users.Grant(id=row.id, user_id=row.user_id, username="x", name="x",
                            scopes=frozenset({"*"}), klant_id=None, klant_name=None,
                            last_used_at=None)
        now = utcnow()
        assert users.mark_used(stale, now) is True
        assert users.mark_used(stale, now + timedelta(seconds=5)) is False


# --------------------------------------------------------------------------- rate limit


@pytest.fixture
def cleanup_apps():
    yield
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def test_rate_limit_per_token_is_a_json_429_with_retry_after(tmp_path, redis_url, cleanup_apps):
    app = _make_app(tmp_path, redis_url, API_LIMIT="3 per minute")
    client = app.test_client()
    first, second = issue(name="een"), issue(name="twee")
    assert [client.get("/api/v1/klanten", headers=bearer(first)).status_code
            for _ in range(3)] == [200, 200, 200]
    resp = client.get("/api/v1/klanten", headers=bearer(first))
    assert resp.status_code == 429
    wait = int(resp.headers["Retry-After"])
    assert 1 <= wait <= 60
    assert resp.get_json() == {"errors": {"limiet": (
        f"Te veel verzoeken met dit token (hooguit 3 per 1 minute). Probeer het over {wait} s "
        "opnieuw.")}}
    assert client.get("/api/v1/klanten", headers=bearer(second)).status_code == 200  # per token
    assert client.get("/api/v1/health").status_code == 200  # no token, no limit


def test_rate_limit_holds_per_process_with_redis_stopped(tmp_path, cleanup_apps):
    from redis import Redis

    from jobs import redis_server

    folder = tmp_path / "vk"
    proc, url = redis_server.start(folder, persistent=False)
    try:
        app = _make_app(tmp_path, url, API_LIMIT="2 per minute", LIMITER_RETRY_SECONDS=0)
        client = app.test_client()
        token = issue(name="een")
        assert client.get("/api/v1/klanten", headers=bearer(token)).status_code == 200
        assert Redis.from_url(url).dbsize() == 1  # counted in Redis while it ran
        redis_server.stop(proc)
        statuses = [client.get("/api/v1/klanten", headers=bearer(token)).status_code
                    for _ in range(3)]
        assert statuses == [200, 200, 429]  # in this process's memory now
    finally:
        redis_server.stop(proc)


def test_rate_limit_setting(tmp_path, redis_url, cleanup_apps, monkeypatch):
    from app import create_app

    monkeypatch.setenv("CADANS_API_LIMIT", "zestig")
    with pytest.raises(ValueError, match="API_LIMIT"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"})
    app = _make_app(tmp_path, redis_url, API_LIMIT="uit")
    token = issue(name="veel")
    client = app.test_client()
    assert {client.get("/api/v1/klanten", headers=bearer(token)).status_code
            for _ in range(5)} == {200}


# --------------------------------------------------------------------------- CLI


def test_cli_makes_lists_and_revokes_tokens(app, runner, client):
    make_user("els", "planner")
    with connection():
        klant = Klant.create(customer_number="D-9", name="Garage Visser")
    result = runner.invoke(args=["tokens", "create", "els", "--name", "Portaal",
                                 "--scope", "werkbonnen:lezen", "--scope", "klanten:lezen",
                                 "--klant", str(klant.id), "--expires", "2999-12-31"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    with connection():
        row = ApiToken.get()
    assert (row.name, row.scopes, row.klant_id) == ("Portaal", "klanten:lezen werkbonnen:lezen",
                                                    klant.id)
    assert row.expires_at == users.expiry_moment(date(2999, 12, 31), "Europe/Amsterdam")
    assert client.get("/api/v1/werkbonnen", headers=bearer(token)).status_code == 200
    assert client.get("/api/v1/contracten", headers=bearer(token)).status_code == 403

    listing = runner.invoke(args=["tokens", "list"])
    assert listing.exit_code == 0
    line = listing.output.strip().splitlines()[0].split("\t")
    assert line[:6] == [str(row.id), "actief", "els", "Portaal",
                        "klanten:lezen werkbonnen:lezen", f"klant {klant.id} (Garage Visser)"]
    assert token not in listing.output

    for args, says in ((["--scope", "facturen:lezen"], "Onbekende scope"),
                       (["--klant", "999999"], "Deze klant bestaat niet"),
                       (["--expires", "2020-01-01"], "al voorbij"),
                       (["--expires", "morgen"], "JJJJ-MM-DD")):
        bad = runner.invoke(args=["tokens", "create", "els", *args])
        assert bad.exit_code != 0 and says in bad.output, bad.output
    with connection():
        assert ApiToken.select().count() == 1
    runner.invoke(args=["tokens", "revoke", str(row.id)])
    assert "\tingetrokken\t" in runner.invoke(args=["tokens", "list"]).output


# --------------------------------------------------------------------------- Instellingen


def test_beheerder_makes_a_token_sees_it_once_and_revokes_it(app, beheerder, client):
    with connection():
        Klant.create(customer_number="D-77", name="Woningstichting Oost")
        me = User.get(User.username == "beheer1")
    page = beheerder.get("/instellingen/api-tokens").get_data(as_text=True)
    assert "Nieuw token" in page and 'value="werkbonnen:lezen"' in page

    bad = beheerder.post("/instellingen/api-tokens", data={
        "name": "Portaal", "user_id": str(me.id), "klant": "D-404", "expires": "2020-01-01"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    for message in ("Geen klant met dit klantnummer.", "Kies minstens één recht",
                    "al voorbij"):
        assert message in html
    assert 'value="Portaal"' in html and 'value="D-404"' in html  # nothing typed is lost
    with connection():
        assert ApiToken.select().count() == 0

    resp = beheerder.post("/instellingen/api-tokens", data={
        "name": "Portaal", "user_id": str(me.id), "scopes": ["werkbonnen:lezen"],
        "klant": "D-77", "expires": ""})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    html = resp.get_data(as_text=True)
    shown = re.search(r'id="nieuw-token" class="geheim" value="([^"]+)"', html).group(1)
    with connection():
        row = ApiToken.get()
    assert row.token_hash == ApiToken.hash(shown) and shown not in row.token_hash
    assert row.created_by == "beheer1" and row.klant.name == "Woningstichting Oost"
    assert client.get("/api/v1/werkbonnen", headers=bearer(shown)).status_code == 200
    listing = beheerder.get("/instellingen/api-tokens").get_data(as_text=True)
    assert shown not in listing and "werkbonnen lezen" in listing
    assert "Woningstichting Oost" in listing

    assert beheerder.client.post(f"/instellingen/api-tokens/{row.id}/intrekken").status_code \
        == 400  # without the CSRF token: nothing happens
    assert client.get("/api/v1/werkbonnen", headers=bearer(shown)).status_code == 200
    assert beheerder.post(f"/instellingen/api-tokens/{row.id}/intrekken").status_code == 303
    assert client.get("/api/v1/werkbonnen", headers=bearer(shown)).status_code == 401
    assert "Ingetrokken" in beheerder.get("/instellingen/api-tokens").get_data(as_text=True)


def test_audit_names_the_token(app, client):
    from models.db.audit import AuditLog

    token = issue("els", name="Boekhouding")
    resp = client.post("/api/v1/klanten", headers=bearer(token),
                       json={"customer_number": "D-3", "name": "Smit", "street": "Markt",
                             "house_number": "1", "postcode": "1234AB", "city": "Ede"})
    assert resp.status_code == 201, resp.get_json()
    with connection():
        row = AuditLog.select().where(AuditLog.entity == "klant").get()
    assert row.actor == "api:els/Boekhouding"


# --------------------------------------------------------------------------- migration


@pytest.fixture(params=["sqlite", "postgresql"])
def version_7_with_a_token(request, tmp_path):
    """A schema-7 database (tests/data) with an API token as that version made them."""
    data = Path(__file__).parent / "data"
    token = "oud-token-van-voor-de-scopes"
    if request.param == "sqlite":
        path = tmp_path / "v7.db"
        with sqlite3.connect(path) as con:
            con.executescript((data / "db_v7.sqlite.sql").read_text())
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.restore("v7t_" + tmp_path.name[-12:].lower().replace("-", "_"),
                             data / "db_v7.postgresql.sql")
    from models.db import init_db_from_url

    init_db_from_url(url)
    with connection():
        user_id = db.execute_sql('SELECT id FROM "user" ORDER BY id LIMIT 1').fetchone()[0]
        db.execute_sql(f"INSERT INTO api_token (user_id, token_hash, created_at) VALUES "
                       f"({db.obj.param}, {db.obj.param}, {db.obj.param})",
                       (user_id, ApiToken.hash(token), datetime(2026, 1, 1)))
    yield token
    if not db.is_closed():
        db.close()


def test_migrations_11_and_12_give_tokens_that_exist_full_access(version_7_with_a_token):
    from models.migrations import migrate

    with connection():
        assert {11, 12} <= set(migrate())
        grant, problem = users.lookup(version_7_with_a_token)
        assert problem == "" and grant.scopes == frozenset({"*"}) and grant.klant_id is None
        assert grant.name == "" and grant.actor == f"api:{grant.username}"
        row = ApiToken.get()
        assert (row.revoked_at, row.expires_at, row.created_by) == (None, None, "")
        for table in ("idempotency_key", "webhook", "webhook_delivery", "webhook_attempt"):
            assert db.table_exists(table)


def test_a_klant_token_keeps_to_its_klant_on_werkadressen_objecten_and_termijnen(
        client, two_klanten):
    """Issue #17: werkadressen, objecten and termijnen keep a token for one klant to that klant
    as the other resources do: lists show only its klant (whatever klant_id asks), another
    klant's item is not found (reading and changing), and a new werkadres or object is for its
    klant (also without naming it) and never for another (403 naming klant_id)."""
    from models.facturatie import materialise as facturatie
    from models.facturatie import service as facturatie_service
    from models.facturatie.tables import Factuurtermijn
    from models.objecten.tables import Object, Objecttype, Werkadres

    a, b = two_klanten["a"], two_klanten["b"]
    with connection():
        kind = Objecttype.select().first()
        for n, key in enumerate(("a", "b")):
            ids = two_klanten[key]
            place = Werkadres.create(klant=ids["klant"], name=f"Pand {key}", street="Kade",
                                     house_number=str(n + 1), postcode="3011 AB",
                                     city="Rotterdam")
            obj = Object.create(number=f"KET-{key}", werkadres=place, objecttype=kind)
            ids.update(werkadres=place.id, object=obj.id)
            facturatie_service.save_terms(
                ids["contract"], {"prijs_cents": 12000, "btw_tarief": "21",
                                  "factuurperiode": "kwartaal", "factureren": "vooraf",
                                  "index_pct": "", "index_date": None},
                None, "test", date(2026, 1, 1))
        facturatie.sweep(date(2026, 12, 1))
        for key in ("a", "b"):
            ids = two_klanten[key]
            ids["termijn"] = (Factuurtermijn.select().where(
                Factuurtermijn.klant == ids["klant"]).order_by(Factuurtermijn.id).first().id)
    token = issue(name="Portaal Maas", scopes=["werkadressen:schrijven", "objecten:schrijven",
                                               "termijnen:schrijven"], klant_id=a["klant"])
    get = lambda url: client.get(url, headers=bearer(token))  # noqa: E731

    def listed(url):
        resp = get(url)
        assert resp.status_code == 200, resp.get_json()
        return {item["klant_id"] for item in resp.get_json()["items"]}

    for plural in ("werkadressen", "objecten", "termijnen"):
        assert listed(f"/api/v1/{plural}") == {a["klant"]}
        assert listed(f"/api/v1/{plural}?klant_id={b['klant']}") == set()
    for plural, key in (("werkadressen", "werkadres"), ("objecten", "object"),
                        ("termijnen", "termijn")):
        assert get(f"/api/v1/{plural}/{a[key]}").status_code == 200
        resp = get(f"/api/v1/{plural}/{b[key]}")
        assert (resp.status_code, resp.get_json()) == (404, {"errors": {"id": "Niet gevonden."}})

    # changing another klant's: not found, nothing written; its own: yes
    for url, body in ((f"/api/v1/werkadressen/{b['werkadres']}",
                       {"version": 1, "access_notes": "Niet van u"}),
                      (f"/api/v1/objecten/{b['object']}", {"version": 1, "brand": "Niet van u"}),
                      (f"/api/v1/termijnen/{b['termijn']}",
                       {"status": "gefactureerd", "factuurnummer": "F-1"})):
        resp = client.patch(url, headers=bearer(token), json=body)
        assert (resp.status_code, resp.get_json()) == (404, {"errors": {"id": "Niet gevonden."}})
    with connection():
        assert Werkadres.get_by_id(b["werkadres"]).access_notes == ""
        assert Object.get_by_id(b["object"]).brand == ""
        assert Factuurtermijn.get_by_id(b["termijn"]).status == "concept"
    assert client.patch(f"/api/v1/objecten/{a['object']}", headers=bearer(token),
                        json={"version": 1, "brand": "Remeha"}).status_code == 200

    # creating: for its klant, also without naming it; never for another
    place = {"name": "Dependance", "street": "Kade", "house_number": "9",
             "postcode": "3011 AB", "city": "Rotterdam"}
    resp = client.post("/api/v1/werkadressen", headers=bearer(token), json=place)
    assert resp.status_code == 201 and resp.get_json()["klant_id"] == a["klant"]
    refusal = {"errors": {"klant_id": "Dit token is beperkt tot klant Hotel Aan de Maas."}}
    other = client.post("/api/v1/werkadressen", headers=bearer(token),
                        json={**place, "klant_id": b["klant"]})
    assert (other.status_code, other.get_json()) == (403, refusal)
    new = {"werkadres_id": a["werkadres"], "objecttype_id": kind.id, "number": "KET-A2"}
    resp = client.post("/api/v1/objecten", headers=bearer(token), json=new)
    assert resp.status_code == 201 and resp.get_json()["klant_id"] == a["klant"]
    other = client.post("/api/v1/objecten", headers=bearer(token),
                        json={**new, "number": "KET-B2", "klant_id": b["klant"],
                              "werkadres_id": b["werkadres"]})
    assert (other.status_code, other.get_json()) == (403, refusal)
    # at another klant's werkadres without naming a klant: a field error, nothing made
    other = client.post("/api/v1/objecten", headers=bearer(token),
                        json={**new, "number": "KET-B3", "werkadres_id": b["werkadres"]})
    assert other.status_code == 422 and set(other.get_json()["errors"]) == {"werkadres_id"}
    with connection():
        assert Werkadres.select().where(Werkadres.klant == b["klant"]).count() == 1
        assert Object.select().where(Object.number.in_(["KET-B2", "KET-B3"])).count() == 0
