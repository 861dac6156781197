"""Fixtures: a real SQLite file per test, one real Valkey server per session, real CSRF.

A test module that sets `ON_POSTGRESQL = True` runs each of its tests that use `app` twice: on
SQLite and on a fresh database of a real PostgreSQL server (tests/postgres.py), the database
the README names for production. Without the server the PostgreSQL runs are skipped on a
developer machine; in CI (CI=true) that is a failure, so a green CI means they ran."""

import os
import re
import threading
import uuid
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from jobs import redis_server
from models.db import connection, db
from models.migrations import migrate
from models.stamdata.users import User

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """The same pip-installed Valkey binary `make run` uses, once per test session."""
    proc, url = redis_server.start(tmp_path_factory.mktemp("valkey"), persistent=False)
    yield url
    redis_server.stop(proc)


@pytest.fixture
def redis_conn(redis_url):
    from redis import Redis

    conn = Redis.from_url(redis_url)
    conn.flushall()
    yield conn
    conn.close()


def pytest_generate_tests(metafunc):
    if ("app" in metafunc.fixturenames and getattr(metafunc.module, "ON_POSTGRESQL", False)
            and metafunc.definition.get_closest_marker("sqlite_only") is None):
        only = metafunc.definition.get_closest_marker("postgresql_only") is not None
        metafunc.parametrize("backend", ["postgresql"] if only else ["sqlite", "postgresql"],
                             indirect=True)


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):
    """One line at the end when tests were skipped: how many, why, and what to install (the
    browser tests without Chromium, the PostgreSQL runs without its server)."""
    reasons: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        reasons[reason] = reasons.get(reason, 0) + 1
    if reasons:
        terminalreporter.write_line(
            "OVERGESLAGEN: " + "; ".join(f"{count} tests: {reason}" for reason, count
                                         in sorted(reasons.items(), key=lambda r: -r[1])),
            yellow=True, bold=True)


@pytest.fixture
def backend(request):
    """Which database `app` uses: "sqlite" unless the module asks for both (see above)."""
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def postgres_server():
    from tests import postgres

    if postgres.bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL ontbreekt (apt-get install postgresql); in CI is dat een fout.")
        pytest.skip("PostgreSQL niet geïnstalleerd (apt-get install postgresql)")
    server = postgres.Server()
    yield server
    server.stop()


@pytest.fixture
def database_url(backend, tmp_path, request):
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'cadans.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(prepare=_migrated)
    yield server.url(name)
    server.drop_database(name)


def _migrated(url: str) -> None:
    """An empty database at `url` brought to the current schema, its connection closed."""
    from models.db import init_db_from_url

    database = init_db_from_url(url)
    with connection():
        migrate()
    database.close()


def _make_app(tmp_path: Path, redis_url: str | None, database_url: str | None = None, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-not-used-outside-tests",
        "DATABASE_URL": database_url or f"sqlite:///{tmp_path / 'cadans.db'}",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "REDIS_URL": redis_url,
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        # the session's one Valkey is shared by every test: each app counts failed logins
        # under its own prefix unless a test asks for a shared one
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    config.update(extra)
    app = create_app(config)
    with connection():
        migrate()
    return app


@pytest.fixture
def app(tmp_path, redis_url, database_url):
    app = _make_app(tmp_path, redis_url, database_url)
    yield app
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):  # the SQLite pool; PostgreSQL has one connection per thread
        db.obj.close_all()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def make_user(username="planner1", role="planner", password="geheim-wachtwoord"):
    with connection():
        user = User(username=username, name=username.title(), role=role)
        user.set_password(password)
        user.save()
    return user


def csrf_token(client, path="/login") -> str:
    html = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"geen CSRF-token op {path}"
    return match.group(1)


def login(client, username, password="geheim-wachtwoord"):
    token = csrf_token(client)
    resp = client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token})
    assert resp.status_code == 302, resp.get_data(as_text=True)
    return csrf_token(client, "/")


class Session:
    """A logged-in test client that sends the CSRF token the way htmx and forms do."""

    def __init__(self, client, token):
        self.client = client
        self.token = token

    def get(self, path, htmx=False, **kw):
        headers = kw.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self.client.get(path, headers=headers, **kw)

    def post(self, path, data=None, htmx=False, **kw):
        headers = kw.pop("headers", {})
        data = dict(data or {})
        if htmx:
            headers["HX-Request"] = "true"
            headers["X-CSRFToken"] = self.token
        else:
            data.setdefault("csrf_token", self.token)
        return self.client.post(path, data=data, headers=headers, **kw)


@pytest.fixture
def planner(client):
    make_user("planner1", "planner")
    return Session(client, login(client, "planner1"))


@pytest.fixture
def beheerder(client):
    make_user("beheer1", "beheerder")
    return Session(client, login(client, "beheer1"))


@pytest.fixture
def api_token(app):
    from models.stamdata.users import ApiToken

    user = make_user("api-user", "planner")
    with connection():
        return ApiToken.issue(user)


@pytest.fixture
def api(client, api_token):
    class Api:
        headers = {"Authorization": f"Bearer {api_token}"}

        def get(self, path, **kw):
            return client.get(path, headers=self.headers, **kw)

        def post(self, path, json=None, **kw):
            return client.post(path, json=json, headers=self.headers, **kw)

        def patch(self, path, json=None, **kw):
            return client.patch(path, json=json, headers=self.headers, **kw)

    return Api()


# The date the browser tests live on: their typed dates ("start 2026-11-30, a Monday") were
# chosen relative to it, and a test must not start failing when the calendar moves on.
BROWSER_TODAY = "2026-11-27"  # a Friday


@pytest.fixture
def live_server(tmp_path, redis_url):
    """The app served over real HTTP in a thread, for Chromium, on a frozen today."""
    app = _make_app(tmp_path, redis_url, TODAY=BROWSER_TODAY)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)
