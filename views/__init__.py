"""Blueprints, extensions and the cross-cutting rules every response follows."""

import time
from functools import lru_cache

from flask import Flask, flash, jsonify, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_htmx import HTMX
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from itsdangerous import BadSignature
from werkzeug.exceptions import NotFound

from models.db import db, execute_prepared
from models.stamdata.users import SignedInUser
from views import limiter
from views.render import htmx_redirect, is_htmx, wants_fragment

csrf = CSRFProtect()
login_manager = LoginManager()
htmx = HTMX()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
NUL_IN_ADDRESS = ("Het adres bevat een onzichtbaar stuurteken (een NUL-teken). Haal het weg en "
                  "probeer het opnieuw.")
PUBLIC_ENDPOINTS = {"auth.login", "static", "api.health"}
LOAD_USER_SQL = ('SELECT id, username, name, role, active, session_key FROM "user" '  # noqa: S608
                 'WHERE id = {0} AND active AND session_key = {0}')


class SecurityHeaders:
    """Puts the same security headers on every response, at the WSGI level: static files and
    error pages included, and without four `Headers.set` calls (each a scan and a check) per
    request. A header a view set itself is kept."""

    HEADERS = (("Content-Security-Policy", CSP), ("X-Content-Type-Options", "nosniff"),
               ("Referrer-Policy", "same-origin"), ("X-Frame-Options", "DENY"))

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        def with_headers(status, headers, exc_info=None):
            have = {name.lower() for name, _ in headers}
            headers = headers + [h for h in self.HEADERS if h[0].lower() not in have]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, with_headers)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer built once per key set
    instead of on every request (building it serialises a probe value each time), and each
    distinct cookie verified once (see `_verified`).

    Lifetimes: the cookie's signature time is the idle clock. A cookie signed longer ago than
    SESSION_IDLE_TIMEOUT is no session; one older than SESSION_REFRESH_AFTER is signed afresh
    in this response (so a request every few minutes costs one re-signing, not one per
    request). A logged-in session carries when its login was (`_started`); after
    SESSION_MAX_AGE it has ended however busy it was. Who may still use a session at all is the
    user loader's question (the session key, models/stamdata/users.py)."""

    _cached = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._cached[0] != keys:
            self._cached = (keys, super().get_signing_serializer(app))
        return self._cached[1]

    def open_session(self, app: Flask, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        try:
            signed_at, payload = _verified(serializer, cookie)
        except BadSignature:
            return self.session_class()
        config = app.config
        now = int(time.time())
        age = now - signed_at  # itsdangerous' own test: expired, or from the future
        if not 0 <= age <= config["SESSION_IDLE_TIMEOUT"].total_seconds():
            return self.session_class()
        # decoded afresh every time: a session is changed in place (flash() appends to a list)
        session = self.session_class(self.serializer.loads(payload))
        if "_user_id" in session:
            started = session.get("_started")
            if not (isinstance(started, int)
                    and 0 <= now - started <= config["SESSION_MAX_AGE"].total_seconds()):
                return self.session_class()
        if age > config["SESSION_REFRESH_AFTER"].total_seconds():
            session.modified = True  # sign it again: the idle clock starts over
        return session


@lru_cache(maxsize=1024)
def _verified(serializer, cookie: str) -> tuple[int, str]:
    """(signed at, JSON payload) of a session cookie whose signature `serializer` accepts;
    raises BadSignature otherwise (not cached). A browser sends the same cookie with every
    request until the session changes; checking its HMAC, base64 and zlib again each time was
    ~45 µs of every request. The age is checked by the caller on every use; a new key set
    makes a new serializer, so a cookie verified with an old key is not found."""
    data, signed_at = serializer.loads(cookie, return_timestamp=True)
    return int(signed_at.timestamp()), serializer.serializer.dumps(data)


def _size(count: int) -> str:
    """A number of bytes as a person reads it: "1 MB", "512 kB", "2000 bytes"."""
    for unit, size in (("MB", 1024 * 1024), ("kB", 1024)):
        if count % size == 0:
            return f"{count // size} {unit}"
    return f"{count} bytes"


def register(app: Flask) -> None:
    app.session_interface = SessionInterface()
    htmx.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"

    limiter.init_app(app)

    @login_manager.user_loader
    def _load_user(alternative_id):
        # runs on every request: plain SQL and a plain cursor skip the query builder and
        # Peewee's raw-query machinery (~0.7 and ~0.3 ms); the password hash stays in the table.
        # The session names "<id>:<session key>": a session whose key the user no longer has
        # (logged out, password changed, deactivated) finds no row. A session without a login
        # time did not come from our login: Flask-Login's remember-me cookie (never set here)
        # writes its id into a session like that, and must not revive anything.
        if "_started" not in session:
            return None
        user_id, _, key = str(alternative_id).partition(":")
        try:
            user_id = int(user_id)
        except ValueError:
            return None
        if not key or not 0 < user_id < 2**63:
            return None
        row = execute_prepared(LOAD_USER_SQL.format(db.obj.param), (user_id, key)).fetchone()
        if row is None:
            return None
        return SignedInUser(id=row[0], username=row[1], name=row[2], role=row[3],
                            active=bool(row[4]), session_key=row[5])

    @login_manager.unauthorized_handler
    def _unauthorized():
        login_url = url_for("auth.login", next=request.full_path.rstrip("?"))
        if is_htmx():
            return htmx_redirect(login_url, status=401)
        return redirect(login_url)

    @app.before_request
    def _require_login():
        # Login is the default: a new view is protected unless it is listed as public.
        if request.blueprint == "api" or request.endpoint in PUBLIC_ENDPOINTS:
            return None
        if request.endpoint is None:
            return None  # 404 follows
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return None

    @app.before_request
    def _refuse_nul_in_the_address():
        # a NUL in a query string reached the database in a search (a 500 on PostgreSQL);
        # nobody types one, so the request is refused, naming the parameter. (Form fields and
        # JSON are checked per field, with the rest of their rules.)
        query = request.environ.get("QUERY_STRING", "")
        if "%00" not in query and "\x00" not in query:
            return None  # nothing in it decodes to a NUL (most addresses): not parsed here
        bad = sorted({key for key, value in request.args.items(multi=True)
                      if "\x00" in key or "\x00" in value})
        if not bad:
            return None
        if request.path.startswith("/api/"):
            return jsonify({"errors": dict.fromkeys(bad, NUL_IN_ADDRESS)}), 422
        return render_template("fout.html", title="Ongeldig adres", message=NUL_IN_ADDRESS), 400

    @app.after_request
    def _headers(response):
        # the header itself, not response.vary: that parses it into a set and writes it back
        # through a callback, ~15 µs of every request
        vary = response.headers.get("Vary")
        if not vary:
            response.headers["Vary"] = "HX-Request"
        elif "hx-request" not in (v.strip().lower() for v in vary.split(",")):
            response.headers["Vary"] = f"{vary}, HX-Request"
        return response

    app.wsgi_app = SecurityHeaders(app.wsgi_app)

    @app.errorhandler(CSRFError)
    def _csrf_error(err):
        message = ("Uw sessie is verlopen of het formulier is te oud. "
                   "Vernieuw de pagina en probeer het opnieuw; wat u typte staat er nog.")
        if request.blueprint == "api" or request.path.startswith("/api/"):
            return jsonify({"errors": {"csrf": message}}), 400
        if is_htmx():
            resp = app.make_response(
                (render_template("_melding.html", message=message, category="fout"), 403)
            )
            resp.headers["HX-Retarget"] = "#meldingen"
            resp.headers["HX-Reswap"] = "innerHTML"
            return resp
        flash(message, "fout")
        return render_template("fout.html", title="Sessie verlopen", message=message), 400

    @app.errorhandler(403)
    def _forbidden(err):
        message = "U heeft geen rechten voor deze pagina."
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"auth": message}}), 403
        return render_template("fout.html", title="Geen toegang", message=message), 403

    @app.errorhandler(404)
    def _not_found(err):
        message = "Deze pagina bestaat niet (meer)."
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"id": "Niet gevonden."}}), 404
        return render_template("fout.html", title="Niet gevonden", message=message), 404

    @app.errorhandler(500)
    def _server_error(err):
        # a bug of ours: logged by Flask with its traceback; the planner gets Dutch, and what
        # they typed is still in the browser (Back)
        message = ("Er ging bij ons iets mis; er is niets opgeslagen van deze actie. "
                   "Ga terug en probeer het nog eens; blijft het misgaan, meld het dan.")
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"server": message}}), 500
        return render_template("fout.html", title="Er ging iets mis", message=message), 500

    @app.errorhandler(400)
    def _bad_request(err):
        # a body or form Werkzeug could not read, or JSON nobody can parse (views/json_provider.py
        # makes "[" x 100,000 one of those, not a RecursionError); the CSRF handler above
        # still answers its own (a subclass)
        message = "Dit verzoek kon niet gelezen worden; er is niets opgeslagen."
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"body": message}}), 400
        return render_template("fout.html", title="Ongeldig verzoek", message=message), 400

    @app.errorhandler(413)
    def _too_large(err):
        # MAX_CONTENT_LENGTH (app.py): refused before the body is read or parsed
        limit = _size(app.config["MAX_CONTENT_LENGTH"])
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"body": (
                f"Dit verzoek is te groot: hooguit {limit}. Er is niets opgeslagen.")}}), 413
        message = (f"Wat u verstuurde is te groot om te verwerken (hooguit {limit}); er is "
                   "niets opgeslagen. Ga terug, maak de tekst korter en probeer het opnieuw.")
        return render_template("fout.html", title="Te groot", message=message), 413

    @app.errorhandler(405)
    def _method_not_allowed(err):
        # an id too large for the database matches a rule's pattern and fails only in its
        # converter; Werkzeug then calls another method's rule "allowed": not found is the truth
        try:
            app.url_map.bind_to_environ(request.environ).match(method="GET")
        except NotFound:
            return _not_found(err)
        except Exception:  # noqa: BLE001, S110 - any other answer: the 405 stands
            pass
        if request.path.startswith("/api/"):
            return jsonify({"errors": {"method": "Deze methode is hier niet toegestaan."}}), 405
        return render_template("fout.html", title="Niet toegestaan",
                               message="Deze actie is hier niet toegestaan."), 405

    app.jinja_env.globals["wants_fragment"] = wants_fragment

    from views import (
        api,
        api_docs,
        auth,
        dashboard,
        klanten,
        medewerkers,
        planning,
        schema,
        storingen,
        werkbonnen,
    )
    from views.contracten import pages as contracten
    from views.contracten import wizard
    from views.facturatie import pages as facturatie
    from views.instellingen import indexreeksen as instellingen_indexreeksen
    from views.instellingen import koppelingen as instellingen_koppelingen
    from views.instellingen import lijsten as instellingen_lijsten
    from views.instellingen import pages as instellingen
    from views.instellingen import sla as instellingen_sla
    from views.objecten import pages as objecten
    from views.objecten import werkadressen

    auth.init_app(app)
    for module in (auth, dashboard, klanten, medewerkers, contracten, wizard, werkbonnen, planning,
                   schema, storingen, instellingen, instellingen_lijsten, instellingen_sla,
                   instellingen_koppelingen, objecten, werkadressen, api_docs):
        app.register_blueprint(module.bp)
    app.register_blueprint(facturatie.bp)  # Te factureren and a contract's Facturatie
    app.register_blueprint(instellingen_indexreeksen.bp)  # the facturatie's index series
    # The API's resources add their routes to api.bp when imported.
    from views.api import access as api_access
    from views.api import contracten as api_contracten  # noqa: F401
    from views.api import objecten as api_objecten  # noqa: F401
    from views.api import openapi as api_openapi  # noqa: F401
    from views.api import schedule as api_schedule  # noqa: F401
    from views.api import stamdata as api_stamdata  # noqa: F401
    from views.api import termijnen as api_termijnen  # noqa: F401
    from views.api import werkbonnen as api_werkbonnen  # noqa: F401

    api_access.init_app(app)
    csrf.exempt(api.bp)
    app.register_blueprint(api.bp)
    from views import chrome, filters, werkbon_rij
    from views import objecten as objecten_rows

    chrome.register(app)
    filters.register(app)
    werkbon_rij.register(app)
    objecten_rows.register(app)
