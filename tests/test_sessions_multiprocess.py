"""A session created through one gunicorn process and used through another (issue #20, item 8:
several web hosts behind a load balancer).

Two real gunicorn servers, one worker each, on their own ports: each request goes to a process
we chose, as a load balancer without sticky sessions may send it anywhere. They share what the
README says web hosts must share (SECRET_KEY, the database, Redis) and nothing else: a login
through one is valid on the other, and a logout through either ends the session on both (the
session key lives in the database, not in a process). A third server with another SECRET_KEY
is the control: the same cookie is no session there, so the test does show what sharing the key
buys.
"""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import make_user

ON_POSTGRESQL = True

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
SECRET = "gedeeld-geheim-voor-alle-webhosts"
USER_AGENT = "cadans-test/1"  # one browser: flask-login's session protection hashes it
CSRF_RE = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    """`gunicorn -w 1 app:create_app()` on its own port, as production starts it."""

    def __init__(self, env: dict, instance: Path):
        self.port = free_port()
        instance.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [GUNICORN, "-w", "1", "-b", f"127.0.0.1:{self.port}", "--log-level", "warning",
             "app:create_app()"],
            cwd=ROOT, env={**env, "CADANS_INSTANCE": str(instance)})
        deadline = time.monotonic() + 60
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode})")
            try:
                self.request("GET", "/api/v1/health")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def request(self, method, path, cookies: SimpleCookie | None = None, form=None,
                headers=None):
        """(status, headers, body); Set-Cookie values land in `cookies`."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            sent = {"User-Agent": USER_AGENT, **(headers or {})}
            if cookies:
                sent["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in cookies.items())
            body = None
            if form is not None:
                body = urlencode(form)
                sent["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=body, headers=sent)
            resp = conn.getresponse()
            data = resp.read()
            if cookies is not None:
                for value in resp.msg.get_all("Set-Cookie") or []:
                    cookies.load(value)
            return resp.status, resp, data
        finally:
            conn.close()

    def worker_pid(self) -> int:
        """The pid of the one worker process (a child of the gunicorn arbiter)."""
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    return int(entry)
        raise RuntimeError("no gunicorn worker")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def csrf(server: Gunicorn, cookies: SimpleCookie, path: str) -> str:
    status, _, body = server.request("GET", path, cookies)
    assert status == 200, (path, status)
    match = CSRF_RE.search(body)
    assert match, f"geen CSRF-token op {path}"
    return match.group(1).decode()


def logged_in(server: Gunicorn, cookies: SimpleCookie) -> bool:
    status, resp, _ = server.request("GET", "/klanten/", SimpleCookie(cookies.output(
        header="", sep=";")) if cookies else None)
    if status == 200:
        return True
    assert status == 302 and "/login" in resp.getheader("Location"), status
    return False


@pytest.fixture
def servers(app, database_url, redis_url, tmp_path):
    """Servers "a" and "b" sharing SECRET_KEY, database and Redis; "other" with another key."""
    make_user("planner1", "planner")
    env = {k: v for k, v in os.environ.items()
           if k not in ("GUNICORN_CMD_ARGS", "WEB_CONCURRENCY", "FLASK_APP", "FLASK_DEBUG")}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, SECRET_KEY=SECRET,
               CADANS_ENV="development")  # a cookie without `Secure`: we speak plain http
    started = {}
    try:
        started["a"] = Gunicorn(env, tmp_path / "host-a")
        started["b"] = Gunicorn(env, tmp_path / "host-b")
        started["other"] = Gunicorn({**env, "SECRET_KEY": "een-ander-geheim"},
                                    tmp_path / "host-other")
        yield started
    finally:
        for server in started.values():
            server.stop()


def login_through(server: Gunicorn) -> SimpleCookie:
    cookies = SimpleCookie()
    token = csrf(server, cookies, "/login")
    status, resp, body = server.request("POST", "/login", cookies, form={
        "username": "planner1", "password": "geheim-wachtwoord", "csrf_token": token})
    assert status == 302, body[:500]
    return cookies


def test_login_through_one_process_is_valid_on_the_other(servers):
    a, b = servers["a"], servers["b"]
    assert a.worker_pid() != b.worker_pid()
    cookies = login_through(a)
    assert logged_in(a, cookies)
    assert logged_in(b, cookies)  # the other process knows this session
    # ... and can write with it: the CSRF token a page on b gave is good on a (and back)
    token = csrf(b, cookies, "/klanten/nieuw")
    status, _, body = a.request("POST", "/klanten/nieuw", cookies, form={
        "csrf_token": token, "name": "Over twee hosts B.V.", "customer_number": "D-MULTI-1",
        "street": "Dorpsstraat", "house_number": "1", "postcode": "1234 AB",
        "city": "Utrecht", "email": "", "phone": ""})
    assert status in (302, 303), body[:800]
    status, _, body = b.request("GET", "/klanten/?q=Over+twee+hosts", cookies)
    assert status == 200 and b"Over twee hosts B.V." in body
    # the control: a host with another SECRET_KEY does not accept the cookie
    assert not logged_in(servers["other"], cookies)


@pytest.mark.parametrize("logout_on", ["a", "b"])
def test_logout_through_one_process_ends_the_session_on_both(servers, logout_on):
    a, b = servers["a"], servers["b"]
    cookies = login_through(a)
    kept = SimpleCookie(cookies.output(header="", sep=";"))  # a copy of the cookie, as stolen
    assert logged_in(a, cookies) and logged_in(b, cookies)
    where = servers[logout_on]
    token = csrf(where, cookies, "/")
    status, _, _ = where.request("POST", "/logout", cookies, form={"csrf_token": token})
    assert status == 302
    for server in (a, b):
        assert not logged_in(server, cookies)
        assert not logged_in(server, kept)  # the old cookie is no session anywhere either
    # a new login through the other host works, and holds on both
    again = login_through(b if logout_on == "a" else a)
    assert logged_in(a, again) and logged_in(b, again)
