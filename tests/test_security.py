"""Login everywhere, CSRF on every write, security headers, no inline script or style."""

import re
from pathlib import Path

import pytest

from tests.conftest import csrf_token

PUBLIC = {"auth.login", "static", "api.health", "api.openapi"}  # the document needs no token
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def concrete_url(rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{arg}>", "1", url)
    return url


def routes(app, methods):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods & methods):
            yield rule, method


def test_every_page_requires_login(app, client):
    seen = 0
    for rule, method in routes(app, {"GET", "POST", "PUT", "PATCH", "DELETE"}):
        url = concrete_url(rule)
        if rule.endpoint.startswith("api."):
            resp = client.open(url, method=method)
            assert resp.status_code == 401, (url, method, resp.status_code)
            assert "errors" in resp.get_json()
        elif method == "GET":
            resp = client.get(url)
            assert resp.status_code == 302, (url, resp.status_code)
            assert "/login" in resp.headers["Location"]
        seen += 1
    assert seen > 15


def test_htmx_request_with_expired_session_gets_hx_redirect(client):
    resp = client.get("/klanten/?q=bak", headers={"HX-Request": "true"})
    assert resp.status_code == 401
    assert resp.headers["HX-Redirect"].startswith("/login?next=")
    assert resp.get_data(as_text=True) == ""


def test_every_write_route_refuses_a_request_without_csrf_token(app, client, planner):
    checked = 0
    for rule, method in routes(app, {"POST", "PUT", "PATCH", "DELETE"}):
        if rule.endpoint.startswith("api."):
            continue  # API token routes authenticate per request, no cookie session
        url = concrete_url(rule)
        resp = client.open(url, method=method, data={"name": "x"})
        assert resp.status_code == 400, (url, method, resp.status_code)
        assert "sessie is verlopen" in resp.get_data(as_text=True)
        htmx = client.open(url, method=method, data={"name": "x"},
                           headers={"HX-Request": "true"})
        assert htmx.status_code == 403, (url, method)
        assert htmx.headers["HX-Retarget"] == "#meldingen"
        checked += 1
    assert checked >= 6


def test_login_itself_needs_csrf(client):
    resp = client.post("/login", data={"username": "a", "password": "b"})
    assert resp.status_code == 400


@pytest.mark.parametrize("path", ["/login", "/api/v1/health"])
def test_security_headers_logged_out(client, path):
    resp = client.get(path)
    csp = resp.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"]
    assert "HX-Request" in resp.headers["Vary"]


def test_vary_names_hx_request_once_beside_what_else_varies(planner, app):
    """The answer differs with HX-Request (fragment or page) and, logged in, with the Cookie:
    both in Vary, each once, also when a view set Vary itself."""
    resp = planner.get("/werkbonnen/", htmx=True)
    vary = [v.strip().lower() for v in resp.headers["Vary"].split(",")]
    assert vary.count("hx-request") == 1 and "cookie" in vary

    with app.test_request_context("/"):
        answer = app.make_response("x")
        answer.headers["Vary"] = "Accept-Encoding, hx-request"
        resp = app.process_response(answer)
    vary = [v.strip().lower() for v in resp.headers["Vary"].split(",")]
    assert vary.count("hx-request") == 1 and "accept-encoding" in vary


@pytest.mark.parametrize("path", ["/", "/klanten/", "/medewerkers/", "/klanten/nieuw",
                                  "/werkbonnen/"])
def test_security_headers_on_html_pages(planner, path):
    for htmx in (False, True):
        resp = planner.get(path, htmx=htmx)
        assert resp.status_code == 200
        assert resp.mimetype == "text/html"
        assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["Referrer-Policy"] == "same-origin"
        for name in ("Content-Security-Policy", "X-Frame-Options"):
            assert len(resp.headers.getlist(name)) == 1


@pytest.mark.parametrize("path", ["/static/js/app.js", "/bestaat-niet", "/werkbonnen/999999"])
def test_security_headers_on_static_files_and_errors(planner, path):
    resp = planner.get(path)
    resp.close()  # a static file is streamed from an open file
    assert resp.status_code == (200 if path.startswith("/static/") else 404)
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_a_header_a_view_sets_itself_is_kept(app):
    from views import SecurityHeaders

    def wsgi(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain"),
                                  ("X-Frame-Options", "SAMEORIGIN")])
        return [b"x"]

    seen = []
    SecurityHeaders(wsgi)({}, lambda status, headers, exc_info=None: seen.extend(headers))
    assert [v for k, v in seen if k == "X-Frame-Options"] == ["SAMEORIGIN"]
    assert ("X-Content-Type-Options", "nosniff") in seen


def test_session_cookie_flags(client):
    csrf_token(client)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax"


def test_session_cookie_secure_outside_development(tmp_path, monkeypatch):
    from app import create_app

    monkeypatch.delenv("CADANS_ENV", raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                      "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("CADANS_ENV", "development")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                      "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SESSION_COOKIE_SECURE"] is False


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.name)
def test_no_inline_script_or_style(template):
    html = template.read_text()
    for match in re.finditer(r"<script\b([^>]*)>", html):
        assert "src=" in match.group(1), f"inline <script> in {template}"
    assert "<style" not in html, template
    assert not re.search(r"\sstyle\s*=", html), template
    assert not re.search(r"\son[a-z]+\s*=", html), f"inline event handler in {template}"
    assert "hx-on" not in html, template


def test_planner_cannot_open_instellingen(planner):
    assert planner.get("/instellingen/").status_code == 403
    assert planner.get("/instellingen/status", htmx=True).status_code == 403
    assert "Instellingen" not in planner.get("/").get_data(as_text=True)


def test_beheerder_sees_instellingen_and_users(beheerder):
    resp = beheerder.get("/instellingen/")
    assert resp.status_code == 200
    assert "beheer1" in resp.get_data(as_text=True)


def test_wrong_password_is_refused_in_dutch(client):
    from tests.conftest import make_user

    make_user("jan", "planner")
    token = csrf_token(client)
    resp = client.post("/login", data={"username": "jan", "password": "fout",
                                       "csrf_token": token})
    assert resp.status_code == 401
    assert "verkeerd wachtwoord" in resp.get_data(as_text=True)


def test_login_redirects_only_to_local_next(client):
    from tests.conftest import make_user

    make_user("jan", "planner")
    token = csrf_token(client)
    resp = client.post("/login?next=https://evil.example/", data={
        "username": "jan", "password": "geheim-wachtwoord", "csrf_token": token})
    assert resp.headers["Location"] == "/"


def test_logout_ends_the_session(planner):
    resp = planner.post("/logout")
    assert resp.status_code == 302
    assert planner.get("/klanten/").status_code == 302


def test_deactivated_user_is_logged_out_on_the_next_request(client, planner):
    from models.db import connection
    from models.stamdata.users import User

    assert client.get("/werkbonnen/").status_code == 200
    with connection():
        User.update(active=False).where(User.username == "planner1").execute()
    resp = client.get("/werkbonnen/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_loaded_user_has_its_role_and_a_changed_secret_key_ends_sessions(app, client, planner):
    """The user loader reads id, name and role only; the session serializer is cached per key
    set, so a new SECRET_KEY must still end every session signed with the old one."""
    page = client.get("/").get_data(as_text=True)
    assert "Planner1" in page
    assert client.get("/instellingen/").status_code == 403  # a planner, not a beheerder
    app.secret_key = "a-new-key-after-a-leak"
    resp = client.get("/werkbonnen/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_session_user_cannot_be_saved_over_the_real_row(app, client, planner):
    """current_user comes from the session without the password hash; it is a read-only
    SignedInUser, not a model, so no view can save() it and wipe the hash."""
    import dataclasses

    from flask import session
    from flask_login import current_user

    from models.db import connection
    from models.stamdata.users import SignedInUser, User

    with app.test_request_context("/"), connection():
        session["_started"] = 0  # what a login writes; the loader needs it
        user = app.login_manager._user_callback(User.get(User.username == "planner1").get_id())
        assert isinstance(user, SignedInUser) and not isinstance(user, User)
        assert (user.username, user.role, user.is_active, user.is_beheerder) == (
            "planner1", "planner", True, False)
        assert user.may("planner") and not user.may("beheerder")
        assert not hasattr(user, "save") and not hasattr(user, "password_hash")
        with pytest.raises(dataclasses.FrozenInstanceError):
            user.role = "beheerder"
        assert current_user.is_anonymous  # nobody logged in within this bare request
    assert client.get("/werkbonnen/").status_code == 200  # the real session still works
    with connection():
        assert User.get(User.username == "planner1").check_password("geheim-wachtwoord")


def test_a_verified_session_cookie_is_still_checked_for_tampering_age_and_sharing(
        app, client, planner, monkeypatch):
    """Each distinct session cookie is verified once (views.SessionInterface, `_verified`);
    a cached cookie must still expire, a changed one must still fail, and two requests with
    the same cookie must not share the session's contents."""
    import time

    import views

    cookie = client.get_cookie("session").value
    assert client.get("/werkbonnen/").status_code == 200  # verified now, cached from here on
    assert client.get("/werkbonnen/").status_code == 200
    head, _, signature = cookie.rpartition(".")
    forged = head + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    client.set_cookie("session", forged)
    resp = client.get("/werkbonnen/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    client.set_cookie("session", cookie)
    assert client.get("/werkbonnen/").status_code == 200
    lifetime = app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    now = time.time()
    monkeypatch.setattr(views.time, "time", lambda: now + lifetime + 60)
    resp = client.get("/werkbonnen/")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    monkeypatch.setattr(views.time, "time", lambda: now - 3600)  # signed "in the future"
    assert client.get("/werkbonnen/").status_code == 302
    monkeypatch.setattr(views.time, "time", lambda: now)
    assert client.get("/werkbonnen/").status_code == 200
    serializer = app.session_interface.get_signing_serializer(app)
    signed = serializer.dumps({"_flashes": [["info", "een"]]})
    with app.test_request_context("/", headers={"Cookie": f"session={signed}"}):
        from flask import request

        first = app.session_interface.open_session(app, request)
        first["_flashes"].append(["info", "twee"])  # what flash() does
        second = app.session_interface.open_session(app, request)
        assert second["_flashes"] == [["info", "een"]]
