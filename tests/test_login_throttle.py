"""Failed logins are throttled per username and per client address (issue #14, section 2), in
the real Redis the app uses, and logging in keeps working when that Redis is down or hangs."""

import json
import math
import os
import re
import shutil
import signal
import tempfile
import uuid
from pathlib import Path

import pytest

from jobs import redis_server
from models.db import connection, db
from tests.conftest import _make_app, csrf_token, make_user

ON_POSTGRESQL = True  # the audit rows; tests that build their own app run on SQLite

THROTTLED = re.compile(r"Te veel mislukte pogingen\. Probeer het over (\d+) (minuut|minuten) "
                       r"opnieuw\.")
SAME_ANSWER = "Onbekende gebruikersnaam of verkeerd wachtwoord."


def attempt(client, username, password, **kw):
    token = csrf_token(client)
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token}, **kw)


def assert_throttled(resp):
    assert resp.status_code == 429, resp.status_code
    html = resp.get_data(as_text=True)
    match = THROTTLED.search(html)
    assert match, html
    retry_after = int(resp.headers["Retry-After"])
    assert 0 < retry_after <= 15 * 60
    assert int(match.group(1)) == math.ceil(retry_after / 60)
    assert SAME_ANSWER not in html
    return retry_after


@pytest.fixture
def cleanup_apps():
    """For tests that build their own apps (other settings): close what they opened."""
    yield
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def test_twelve_wrong_passwords_then_the_right_one_is_refused(client):
    """The repro of the issue: with the defaults (10 per 15 minutes per username)."""
    make_user("jan", "planner")
    for _ in range(10):
        resp = attempt(client, "jan", "fout")
        assert resp.status_code == 401
        assert SAME_ANSWER in resp.get_data(as_text=True)
    for _ in range(2):
        assert_throttled(attempt(client, "jan", "fout"))
    retry_after = assert_throttled(attempt(client, "jan", "geheim-wachtwoord"))
    assert retry_after > 14 * 60  # the window is 15 minutes and the attempts were just now


def test_an_unknown_user_gets_the_same_answers_as_a_wrong_password(app):
    make_user("jan", "planner")
    known, unknown = app.test_client(), app.test_client()
    for i in range(12):
        a = attempt(known, "jan", "fout", environ_base={"REMOTE_ADDR": "10.0.0.1"})
        b = attempt(unknown, "jaap", "fout", environ_base={"REMOTE_ADDR": "10.0.0.2"})
        assert a.status_code == b.status_code == (401 if i < 10 else 429)
        message = re.compile(r'role="alert"[^>]*>([^<]*)<')
        assert (message.search(a.get_data(as_text=True)).group(1)
                == message.search(b.get_data(as_text=True)).group(1))


def test_a_wrong_password_and_an_unknown_user_each_check_one_password_hash(
        app, client, monkeypatch):
    """No timing difference to tell users apart: every attempt verifies one scrypt hash, also
    for a user that does not exist or is deactivated (werkzeug's function, counted, not faked)."""
    import models.stamdata.users

    calls = []
    real = models.stamdata.users.check_password_hash

    def counting(pwhash, password):
        calls.append(pwhash.split("$")[0])
        return real(pwhash, password)

    monkeypatch.setattr(models.stamdata.users, "check_password_hash", counting)
    make_user("jan", "planner")
    make_user("oud", "planner")
    with connection():
        models.stamdata.users.User.update(active=False).where(
            models.stamdata.users.User.username == "oud").execute()
    for username, password in (("jan", "fout"), ("niemand", "fout"), ("oud", "geheim-wachtwoord"),
                               ("jan", "geheim-wachtwoord")):
        calls.clear()
        attempt(app.test_client(), username, password)
        assert len(calls) == 1, (username, calls)
        assert calls[0].startswith("scrypt:"), calls


def test_success_starts_the_username_count_again(client):
    make_user("jan", "planner")
    for _ in range(9):
        assert attempt(client, "jan", "fout").status_code == 401
    assert attempt(client, "jan", "geheim-wachtwoord").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for _ in range(9):
        assert attempt(client, "jan", "fout").status_code == 401
    assert attempt(client, "jan", "geheim-wachtwoord").status_code == 302


def test_username_throttle_holds_across_addresses_and_casing(app):
    make_user("jan", "planner")
    for i in range(10):
        resp = attempt(app.test_client(), "jan" if i % 2 else " JAN ", "fout",
                       environ_base={"REMOTE_ADDR": f"10.0.1.{i}"})
        assert resp.status_code == 401
    assert_throttled(attempt(app.test_client(), "jan", "geheim-wachtwoord",
                             environ_base={"REMOTE_ADDR": "10.0.1.99"}))


def test_address_throttle_across_usernames_and_other_addresses_still_log_in(
        tmp_path, redis_url, cleanup_apps):
    app = _make_app(tmp_path, redis_url, LOGIN_LIMIT_ADDRESS="4 per 15 minutes")
    make_user("jan", "planner")
    here = {"REMOTE_ADDR": "192.0.2.7"}
    for i in range(4):
        assert attempt(app.test_client(), f"naam{i}", "fout", environ_base=here).status_code == 401
    assert_throttled(attempt(app.test_client(), "jan", "geheim-wachtwoord", environ_base=here))
    elsewhere = {"REMOTE_ADDR": "192.0.2.8"}
    assert attempt(app.test_client(), "jan", "geheim-wachtwoord",
                   environ_base=elsewhere).status_code == 302


def test_ipv6_addresses_count_per_64_network(tmp_path, redis_url, cleanup_apps):
    app = _make_app(tmp_path, redis_url, LOGIN_LIMIT_ADDRESS="3 per 15 minutes")
    make_user("jan", "planner")
    for i in range(3):
        assert attempt(app.test_client(), f"naam{i}", "fout",
                       environ_base={"REMOTE_ADDR": f"2001:db8:1:2::{i + 1}"}).status_code == 401
    assert_throttled(attempt(app.test_client(), "jan", "geheim-wachtwoord",
                             environ_base={"REMOTE_ADDR": "2001:db8:1:2:ffff::9"}))
    assert attempt(app.test_client(), "jan", "geheim-wachtwoord",
                   environ_base={"REMOTE_ADDR": "2001:db8:1:3::1"}).status_code == 302


def test_behind_a_proxy_the_forwarded_address_counts_and_is_not_trusted_without_one(
        tmp_path, redis_url, cleanup_apps):
    limit = {"LOGIN_LIMIT_ADDRESS": "2 per 15 minutes"}
    proxied = _make_app(tmp_path / "a", redis_url, PROXY_COUNT=1, **limit)
    make_user("jan", "planner")
    proxy = {"REMOTE_ADDR": "10.9.9.9"}
    for i in range(2):
        attempt(proxied.test_client(), f"x{i}", "fout", environ_base=proxy,
                headers={"X-Forwarded-For": "203.0.113.5"})
    assert_throttled(attempt(proxied.test_client(), "jan", "geheim-wachtwoord",
                             environ_base=proxy, headers={"X-Forwarded-For": "203.0.113.5"}))
    assert attempt(proxied.test_client(), "jan", "geheim-wachtwoord", environ_base=proxy,
                   headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 302

    direct = _make_app(tmp_path / "b", redis_url, **limit)
    make_user("jan", "planner")
    for i in range(2):
        attempt(direct.test_client(), f"x{i}", "fout",
                headers={"X-Forwarded-For": f"198.51.100.{i}"})
    assert_throttled(attempt(direct.test_client(), "jan", "geheim-wachtwoord",
                             headers={"X-Forwarded-For": "198.51.100.77"}))


def test_the_count_lives_in_redis_and_is_shared_by_every_web_process(
        tmp_path, redis_url, cleanup_apps):
    from redis import Redis

    prefix = f"gedeeld-{uuid.uuid4().hex}"
    first = _make_app(tmp_path / "a", redis_url, RATELIMIT_KEY_PREFIX=prefix)
    make_user("jan", "planner")
    for _ in range(10):
        assert attempt(first.test_client(), "jan", "fout").status_code == 401
    keys = Redis.from_url(redis_url).keys(f"*{prefix}*")
    assert len(keys) == 2 and not any(b"jan" in k for k in keys)  # hashed names, not the names
    second = _make_app(tmp_path / "b", redis_url, RATELIMIT_KEY_PREFIX=prefix)
    make_user("jan", "planner")
    assert_throttled(attempt(second.test_client(), "jan", "geheim-wachtwoord"))


def test_failed_logins_are_in_the_audit_trail_without_the_password(client):
    from models.db.audit import AuditLog

    jan = make_user("jan", "planner")
    attempt(client, "jan", "mijn-geheime-poging", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    attempt(client, "onbekend", "nog-een-poging", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    long_name = "x" * 5000
    attempt(client, long_name, "derde-poging", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    with connection():
        rows = list(AuditLog.select().where(AuditLog.action == "aanmelding mislukt")
                    .order_by(AuditLog.id))
    assert [(r.entity, r.entity_id) for r in rows] == [("gebruiker", jan.id), ("gebruiker", 0),
                                                       ("gebruiker", 0)]
    changes = [json.loads(r.changes) for r in rows]
    assert [c["gebruikersnaam"] for c in changes[:2]] == ["jan", "onbekend"]
    assert len(changes[2]["gebruikersnaam"]) <= 100
    assert all(c["adres"] == "10.1.2.3" for c in changes)
    everything = json.dumps([(r.actor, r.changes) for r in rows])
    for password in ("mijn-geheime-poging", "nog-een-poging", "derde-poging"):
        assert password not in everything


def test_a_wrong_current_password_in_the_change_form_counts_as_a_failed_attempt(planner):
    for _ in range(10):
        resp = planner.post("/account/wachtwoord", data={
            "huidig": "fout", "nieuw": "een-nieuw-wachtwoord", "herhaal": "een-nieuw-wachtwoord"})
        assert resp.status_code == 422
    resp = planner.post("/account/wachtwoord", data={
        "huidig": "geheim-wachtwoord", "nieuw": "een-nieuw-wachtwoord",
        "herhaal": "een-nieuw-wachtwoord"})
    assert resp.status_code == 429
    assert THROTTLED.search(resp.get_data(as_text=True))


# --- Redis down -----------------------------------------------------------------------------

@pytest.fixture
def own_redis():
    """A Valkey of this test's own, to stop, freeze and start again (the session one stays)."""
    folder = Path(tempfile.mkdtemp(prefix="v", dir="/tmp"))
    server = {}
    server["proc"], server["url"] = redis_server.start(folder, persistent=False)
    server["dir"] = folder
    yield server
    if server["proc"].poll() is None:
        os.kill(server["proc"].pid, signal.SIGCONT)
    redis_server.stop(server["proc"])
    shutil.rmtree(folder, ignore_errors=True)


def test_with_redis_stopped_logins_work_and_are_throttled_per_process(
        tmp_path, own_redis, cleanup_apps):
    from redis import Redis

    app = _make_app(tmp_path, own_redis["url"], LIMITER_RETRY_SECONDS=0)
    make_user("jan", "planner")
    client = app.test_client()
    assert attempt(client, "jan", "fout").status_code == 401
    assert Redis.from_url(own_redis["url"]).dbsize() == 2  # counted in Redis while it ran
    redis_server.stop(own_redis["proc"])

    assert attempt(client, "jan", "geheim-wachtwoord").status_code == 302
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    for _ in range(10):
        assert attempt(client, "jan", "fout").status_code == 401
    assert_throttled(attempt(client, "jan", "geheim-wachtwoord"))  # in this process's memory

    own_redis["proc"], url = redis_server.start(own_redis["dir"], persistent=False)
    assert url == own_redis["url"]
    assert attempt(client, "piet", "fout").status_code == 401
    assert Redis.from_url(url).dbsize() == 2  # back in Redis (username and address)


def test_with_redis_never_reachable_logging_in_works(tmp_path, cleanup_apps):
    app = _make_app(tmp_path, "unix:///nonexistent/valkey.sock")
    make_user("jan", "planner")
    client = app.test_client()
    assert attempt(client, "jan", "fout").status_code == 401
    assert attempt(client, "jan", "geheim-wachtwoord").status_code == 302


def test_with_redis_hanging_logging_in_answers_within_seconds(tmp_path, own_redis, cleanup_apps):
    import time

    app = _make_app(tmp_path, own_redis["url"])
    make_user("jan", "planner")
    client = app.test_client()
    token = csrf_token(client)
    os.kill(own_redis["proc"].pid, signal.SIGSTOP)  # accepts connections, never answers
    try:
        started = time.monotonic()
        resp = client.post("/login", data={"username": "jan", "password": "geheim-wachtwoord",
                                           "csrf_token": token})
        assert resp.status_code == 302
        assert time.monotonic() - started < 5
    finally:
        os.kill(own_redis["proc"].pid, signal.SIGCONT)


def test_a_username_with_control_characters_is_an_unknown_user(app):
    """A NUL in the username was a 500 on PostgreSQL (it cannot hold one in a text value);
    such a name is no user's, so it gets the same answer as any unknown name."""
    make_user("jan", "planner")
    for name in ("jan\x00", "\x00", "ja\x01n"):
        resp = attempt(app.test_client(), name, "fout")
        assert resp.status_code == 401, name
        assert SAME_ANSWER in resp.get_data(as_text=True)
    assert attempt(app.test_client(), "jan", "geheim-wachtwoord").status_code == 302
