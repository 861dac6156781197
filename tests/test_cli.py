"""The CLI commands other tools call: names and output are an interface."""

from models.db import connection
from models.migrations import schema_version
from models.stamdata.klanten import Klant
from models.stamdata.users import ApiToken, User

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def test_init_db_is_repeatable(runner):
    first = runner.invoke(args=["init-db"])
    second = runner.invoke(args=["init-db"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert "al bijgewerkt" in second.output
    with connection():
        assert schema_version() >= 1


def test_demo_data_fills_empty_db_and_refuses_after(runner, app):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "beheerder /" in result.output and "planner /" in result.output
    with connection():
        cities = {k.city for k in Klant.select()}
        assert len(cities) >= 5
        assert User.select().where(User.role == "beheerder").exists()
        from models.contracts.tables import Contract
        from models.werkbonnen.tables import Werkbon

        assert {c.kind for c in Contract.select()} == {"preventief", "correctief", "jaarlijks"}
        statuses = {w.status for w in Werkbon.select()}
        assert {"afgerond", "ingepland", "open"} <= statuses
        assert Werkbon.select().where(Werkbon.medewerker.is_null()).exists()  # unplanned
        from datetime import datetime
        from zoneinfo import ZoneInfo

        from models.sla import service as sla_service

        tz = "Europe/Amsterdam"
        now = datetime.now(ZoneInfo(tz))
        states = {sla_service.clock(w, now, tz).state
                  for w in Werkbon.select().where(Werkbon.reported_at.is_null(False))}
        assert states == {"op_schema", "dreigt", "verlopen", "gehaald", "niet_gehaald"}
    again = runner.invoke(args=["demo-data"])
    assert again.exit_code != 0
    assert "bevat al gegevens" in again.output


def test_demo_login_works(runner, client):
    from tests.conftest import csrf_token

    output = runner.invoke(args=["demo-data"]).output
    line = next(ln for ln in output.splitlines() if ln.strip().startswith("planner /"))
    password = line.split("/")[1].split("(")[0].strip()
    token = csrf_token(client)
    resp = client.post("/login", data={"username": "planner", "password": password,
                                       "csrf_token": token})
    assert resp.status_code == 302


def test_users_create(runner):
    result = runner.invoke(args=["users", "create", "els", "--role", "beheerder",
                                 "--password", "lang-genoeg-1"])
    assert result.exit_code == 0, result.output
    with connection():
        user = User.get(User.username == "els")
    assert user.role == "beheerder" and user.check_password("lang-genoeg-1")
    assert user.password_hash.startswith("scrypt:")
    dup = runner.invoke(args=["users", "create", "els", "--role", "planner",
                              "--password", "lang-genoeg-1"])
    assert dup.exit_code != 0 and "bestaat al" in dup.output
    bad = runner.invoke(args=["users", "create", "x", "--role", "baas", "--password", "12345678"])
    assert bad.exit_code != 0


def test_tokens_create_prints_only_the_token(runner, client):
    runner.invoke(args=["users", "create", "els", "--role", "planner", "--password", "lang-genoeg"])
    result = runner.invoke(args=["tokens", "create", "els"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert result.output == token + "\n" and len(token) >= 40
    with connection():
        stored = ApiToken.get()
    assert stored.token_hash != token and stored.token_hash == ApiToken.hash(token)
    resp = client.get("/api/v1/klanten", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    unknown = runner.invoke(args=["tokens", "create", "niemand"])
    assert unknown.exit_code != 0


def test_generate_refuses_a_day_outside_the_range(runner):
    """--today 9999-12-31 overflowed the generation horizon: a traceback, not a message."""
    from models.common.validation import DATE_RANGE_MESSAGE

    for day in ("9999-12-31", "0001-01-01"):
        result = runner.invoke(args=["generate", "--today", day])
        assert result.exit_code == 2 and DATE_RANGE_MESSAGE in result.output, result.output
    result = runner.invoke(args=["generate", "--today", "2026-13-01"])
    assert result.exit_code == 2 and "JJJJ-MM-DD" in result.output
    assert runner.invoke(args=["generate", "--today", "2999-12-31"]).exit_code == 0


def test_demo_data_has_a_contract_of_each_kind_of_werkbon_over_objecten(runner):
    """The corporation's 40 ketels: one werkbon per object (40 on its yearly date, most done);
    the office's 30 brandblussers: one werkbon per date at the office listing them all."""
    from models.contracts.tables import Contract, ContractObject
    from models.werkbonnen.tables import Werkbon, WerkbonObject

    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with connection():
        covering = {c.werkbon_per: c for c in Contract.select().join(ContractObject)
                    .distinct()}
        assert set(covering) == {"object", "datum"}
        ketels, blussers = covering["object"], covering["datum"]
        assert ketels.klant.customer_number == "D-10001"
        assert blussers.klant.customer_number == "D-10007"
        made = list(Werkbon.select().where(Werkbon.contract == ketels.id))
        assert len(made) == 40 == len({w.werkadres_id for w in made})
        assert {WerkbonObject.select().where(WerkbonObject.werkbon == w.id).count()
                for w in made} == {1}
        assert sum(w.status == "afgerond" for w in made) > 30
        # its first date five months ago (the next one is made when it is two weeks away)
        office = list(Werkbon.select().where(Werkbon.contract == blussers.id))
        assert 1 <= len(office) <= 2 and len({w.due_date for w in office}) == len(office)
        assert {WerkbonObject.select().where(WerkbonObject.werkbon == w.id).count()
                for w in office} == {30}
