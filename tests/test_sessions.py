"""Sessions end when they should (issue #14, section 2): logout, a password change and
deactivation end a user's sessions everywhere; an idle session and an old one expire; nothing
(a copied cookie, a remember-me cookie, a cookie from before this change) revives them."""

import json
import time
from datetime import timedelta

import pytest

from models.db import connection
from tests.conftest import Session, csrf_token, login, make_user

ON_POSTGRESQL = True


def logged_in(client) -> bool:
    resp = client.get("/klanten/")
    if resp.status_code == 200:
        return True
    assert resp.status_code == 302 and "/login" in resp.headers["Location"], resp.status_code
    return False


def second_client(app, username, password="geheim-wachtwoord"):
    """The same user in another browser."""
    other = app.test_client()
    return Session(other, login(other, username, password))


def audit_rows(action=None):
    from models.db.audit import AuditLog

    with connection():
        query = AuditLog.select().where(AuditLog.entity == "gebruiker").order_by(AuditLog.id)
        if action:
            query = query.where(AuditLog.action == action)
        return [(r.entity_id, r.action, r.actor, json.loads(r.changes)) for r in query]


# --- logout ---------------------------------------------------------------------------------

def test_a_session_cookie_copied_before_logout_is_dead_after_it(client, planner):
    copied = client.get_cookie("session").value
    assert planner.post("/logout").status_code == 302
    client.set_cookie("session", copied)
    assert not logged_in(client)


def test_logout_ends_the_users_sessions_in_other_browsers_too(app, client, planner):
    other = second_client(app, "planner1")
    assert logged_in(other.client)
    planner.post("/logout")
    assert not logged_in(other.client)
    assert not logged_in(client)


def test_logout_of_one_user_leaves_another_user_logged_in(app, client, planner):
    make_user("planner2", "planner")
    other = second_client(app, "planner2")
    planner.post("/logout")
    assert logged_in(other.client)


def test_login_and_logout_are_in_the_audit_trail(client):
    make_user("jan", "planner")
    session = Session(client, login(client, "jan"))
    session.post("/logout")
    rows = audit_rows()
    assert [r[1:3] for r in rows] == [("aangemeld", "jan"), ("afgemeld", "jan")]
    assert all(r[3]["adres"] == "127.0.0.1" for r in rows)


# --- password change --------------------------------------------------------------------------

def test_a_user_changes_their_own_password_and_other_sessions_end(app, client, planner):
    other = second_client(app, "planner1")
    page = planner.get("/account/wachtwoord")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for field in ("huidig", "nieuw", "herhaal"):
        assert f'<label for="{field}"' in html
    resp = planner.post("/account/wachtwoord", data={
        "huidig": "geheim-wachtwoord", "nieuw": "een-nieuw-wachtwoord",
        "herhaal": "een-nieuw-wachtwoord"})
    assert resp.status_code == 303
    assert "Uw wachtwoord is gewijzigd" in planner.get("/").get_data(as_text=True)
    assert logged_in(client)  # this browser stays logged in
    assert not logged_in(other.client)  # the other one is out
    fresh = app.test_client()
    token = csrf_token(fresh)
    assert fresh.post("/login", data={"username": "planner1", "password": "geheim-wachtwoord",
                                      "csrf_token": token}).status_code == 401
    login(fresh, "planner1", "een-nieuw-wachtwoord")
    assert [r[1] for r in audit_rows("wachtwoord gewijzigd")] == ["wachtwoord gewijzigd"]
    assert "een-nieuw-wachtwoord" not in json.dumps(audit_rows())


@pytest.mark.parametrize("form, field, message", [
    ({"huidig": "fout", "nieuw": "een-nieuw-wachtwoord", "herhaal": "een-nieuw-wachtwoord"},
     "huidig", "Het huidige wachtwoord klopt niet."),
    ({"huidig": "geheim-wachtwoord", "nieuw": "kort", "herhaal": "kort"},
     "nieuw", "Een wachtwoord heeft minstens 8 tekens."),
    ({"huidig": "geheim-wachtwoord", "nieuw": "een-nieuw-wachtwoord", "herhaal": "iets-anders"},
     "herhaal", "De twee wachtwoorden zijn niet gelijk."),
])
def test_a_refused_password_change_says_why_next_to_the_field_and_changes_nothing(
        app, client, planner, form, field, message):
    other = second_client(app, "planner1")
    resp = planner.post("/account/wachtwoord", data=form)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert message in html
    assert f'id="{field}"' in html and 'aria-invalid="true"' in html
    assert logged_in(other.client)
    with connection():
        from models.stamdata.users import User

        assert User.get(User.username == "planner1").check_password("geheim-wachtwoord")


# --- deactivation and a password set by the beheerder ---------------------------------------

def _user_id(username):
    from models.stamdata.users import User

    with connection():
        return User.get(User.username == username).id


def test_deactivation_ends_sessions_and_tokens_and_reactivation_revives_neither_session(
        app, client):
    from models.stamdata.users import ApiToken

    make_user("beheer1", "beheerder")
    admin = second_client(app, "beheer1")
    planner_user = make_user("planner1", "planner")
    planner = Session(client, login(client, "planner1"))
    with connection():
        token = ApiToken.issue(planner_user)
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/klanten", headers=bearer).status_code == 200
    uid = _user_id("planner1")

    resp = admin.post(f"/instellingen/gebruikers/{uid}/deactiveren")
    assert resp.status_code == 303
    assert not logged_in(planner.client)
    assert app.test_client().get("/api/v1/klanten", headers=bearer).status_code == 401
    assert "Inactief" in admin.get("/instellingen/").get_data(as_text=True)

    copied = client.get_cookie("session")
    admin.post(f"/instellingen/gebruikers/{uid}/activeren")
    if copied is not None:
        client.set_cookie("session", copied.value)
    assert not logged_in(client)  # the old session stays dead
    assert app.test_client().get("/api/v1/klanten", headers=bearer).status_code == 200
    actions = [r[1] for r in audit_rows() if r[0] == uid]
    assert "gedeactiveerd" in actions and "geactiveerd" in actions


def test_a_beheerder_cannot_deactivate_themselves(app, client, beheerder):
    uid = _user_id("beheer1")
    resp = beheerder.post(f"/instellingen/gebruikers/{uid}/deactiveren")
    assert resp.status_code == 303
    page = beheerder.get("/instellingen/").get_data(as_text=True)
    assert "U kunt uzelf niet deactiveren." in page
    assert logged_in(client)


def test_a_planner_cannot_deactivate_anyone(app, client, planner):
    make_user("beheer1", "beheerder")
    resp = planner.post(f"/instellingen/gebruikers/{_user_id('beheer1')}/deactiveren")
    assert resp.status_code == 403


def test_a_password_set_by_the_beheerder_ends_that_users_sessions(app, client):
    make_user("beheer1", "beheerder")
    admin = second_client(app, "beheer1")
    make_user("planner1", "planner")
    planner = Session(client, login(client, "planner1"))
    uid = _user_id("planner1")
    short = admin.post(f"/instellingen/gebruikers/{uid}/wachtwoord", data={"nieuw": "kort"})
    assert short.status_code == 422
    assert "Een wachtwoord heeft minstens 8 tekens." in short.get_data(as_text=True)
    assert logged_in(planner.client)
    resp = admin.post(f"/instellingen/gebruikers/{uid}/wachtwoord",
                      data={"nieuw": "door-beheer-gezet"})
    assert resp.status_code == 303
    assert not logged_in(planner.client)
    login(app.test_client(), "planner1", "door-beheer-gezet")
    assert logged_in(admin.client)  # the beheerder's own session is untouched


def test_cli_deactivate_activate_and_set_password_end_sessions(app, client, runner):
    make_user("planner1", "planner")
    Session(client, login(client, "planner1"))
    result = runner.invoke(args=["users", "deactivate", "planner1"])
    assert result.exit_code == 0, result.output
    assert "gedeactiveerd" in result.output
    assert not logged_in(client)
    assert runner.invoke(args=["users", "activate", "planner1"]).exit_code == 0
    Session(client, login(client, "planner1"))
    result = runner.invoke(args=["users", "set-password", "planner1", "--password", "via-de-cli-1"])
    assert result.exit_code == 0, result.output
    assert not logged_in(client)
    login(client, "planner1", "via-de-cli-1")
    result = runner.invoke(args=["users", "set-password", "planner1", "--password", "kort"])
    assert result.exit_code != 0 and "minstens 8 tekens" in result.output
    assert runner.invoke(args=["users", "deactivate", "niemand"]).exit_code != 0
    assert {"gedeactiveerd", "geactiveerd", "wachtwoord gewijzigd"} <= {
        r[1] for r in audit_rows() if r[2] == "cli"}


# --- idle timeout and absolute lifetime -----------------------------------------------------

class Clock:
    """Moves time.time() for the app (and itsdangerous, which signs with it)."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        self.monkeypatch = monkeypatch
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, **delta):
        self.now += timedelta(**delta).total_seconds()


def test_defaults_are_8_hours_idle_and_7_days_in_all(app):
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(hours=8)
    assert app.config["SESSION_MAX_AGE"] == timedelta(days=7)


def test_lifetimes_come_from_the_environment(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.setenv("CADANS_SESSION_IDLE_MINUTES", "30")
    monkeypatch.setenv("CADANS_SESSION_MAX_HOURS", "12")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"})
    assert app.config["SESSION_IDLE_TIMEOUT"] == timedelta(minutes=30)
    assert app.config["SESSION_MAX_AGE"] == timedelta(hours=12)
    monkeypatch.setenv("CADANS_SESSION_IDLE_MINUTES", "acht uur")
    with pytest.raises(RuntimeError, match="CADANS_SESSION_IDLE_MINUTES"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"})


def test_an_idle_session_expires_and_htmx_is_sent_to_the_login_page(client, planner,
                                                                      monkeypatch):
    clock = Clock(monkeypatch)
    clock.advance(hours=7, minutes=50)
    assert logged_in(client)  # used within 8 hours: the cookie is renewed
    clock.advance(hours=7, minutes=50)
    assert logged_in(client)
    clock.advance(hours=8, minutes=1)
    resp = client.get("/klanten/?q=bak", headers={"HX-Request": "true"})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/login?next=")
    assert not logged_in(client)


def test_the_cookie_is_renewed_only_every_few_minutes(client, planner, monkeypatch):
    """Renewing the cookie re-signs it: not on every request, only when it is minutes old."""
    clock = Clock(monkeypatch)
    clock.advance(seconds=30)
    assert "Set-Cookie" not in client.get("/klanten/").headers
    clock.advance(minutes=6)
    resp = client.get("/klanten/")
    assert resp.status_code == 200 and "session=" in resp.headers["Set-Cookie"]
    assert "Set-Cookie" not in client.get("/klanten/").headers


def test_a_session_in_use_still_ends_after_7_days(client, planner, monkeypatch):
    clock = Clock(monkeypatch)
    for _ in range(7 * 24 // 4 - 1):
        clock.advance(hours=4)  # within the 8 idle hours each time
        assert logged_in(client)
    clock.advance(hours=3)
    assert logged_in(client)  # 7 days less 1 hour after logging in
    clock.advance(hours=2)  # 7 days and 1 hour
    assert not logged_in(client)


def test_a_remember_me_cookie_cannot_revive_a_revoked_or_expired_session(
        app, client, planner, monkeypatch):
    from flask_login.utils import encode_cookie

    from models.stamdata.users import User

    with app.test_request_context(), connection():  # encode_cookie signs with the app's key
        remembered = encode_cookie(User.get(User.username == "planner1").get_id())
    planner.post("/logout")
    client.set_cookie("remember_token", remembered)
    assert not logged_in(client)
    # a remember cookie for the current session key, with the session itself expired
    other = second_client(app, "planner1")
    with app.test_request_context(), connection():
        current = encode_cookie(User.get(User.username == "planner1").get_id())
    other.client.set_cookie("remember_token", current)
    clock = Clock(monkeypatch)
    clock.advance(hours=9)
    assert not logged_in(other.client)


def test_a_session_cookie_from_before_session_keys_is_refused(app, client, planner):
    """Cookies signed before this change hold the bare user id: they log nobody in."""
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(client.get_cookie("session").value)
    assert data["_user_id"] != str(_user_id("planner1"))
    data["_user_id"] = str(_user_id("planner1"))  # everything else as a real login wrote it
    client.set_cookie("session", serializer.dumps(data))
    assert not logged_in(client)


# --- the migration ------------------------------------------------------------------------

def test_migration_6_gives_existing_users_their_own_key_and_keeps_api_tokens(app):
    from models.db import db
    from models.migrations import SchemaMigration, migrate
    from models.stamdata.users import ApiToken, User

    a, b = make_user("a-user", "planner"), make_user("b-user", "beheerder")
    with connection():
        ApiToken.issue(a)
        db.execute_sql('ALTER TABLE "user" DROP COLUMN session_key')
        SchemaMigration.delete().where(SchemaMigration.version == 6).execute()
        assert migrate() == [6]
        keys = [u.session_key for u in User.select().order_by(User.id)]
        assert len(keys) == 2 and all(len(k) >= 16 for k in keys) and keys[0] != keys[1]
        assert ApiToken.select().count() == 1
        assert migrate() == []
    assert {a.username, b.username} == {"a-user", "b-user"}
