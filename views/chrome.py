"""What every full page repeats: the stylesheets and scripts in <head>, and the header with
the menu and the account menu. Both are the same for every page of a section, so each is
rendered once (per script root, and for the header per section and user) and kept; only the
logout form's CSRF token is put in per request. Seventeen url_for calls and a loop in Jinja
on every page were about as much work as a whole hello-world response."""

import time
from functools import lru_cache

from flask import current_app, g, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

CSRF_MARKER = "\x00csrf\x00"
OWN_LINKS = ("auth.wachtwoord", "api_docs.index")  # the account menu marks these as current


@lru_cache(maxsize=8)
def _links(script_root: str) -> Markup:
    return Markup(render_template("_kop_links.html"))


@lru_cache(maxsize=2048)
def _header(script_root: str, blueprint: str | None, endpoint: str | None, beheerder: bool,
            username: str) -> tuple[str, str]:
    html = render_template("_kop.html", blueprint=blueprint, endpoint=endpoint,
                           beheerder=beheerder, username=username, csrf_marker=CSRF_MARKER)
    before, after = html.split(CSRF_MARKER)
    return before, after


def _fresh() -> bool:
    """Templates are reloaded when they change (development): then so is this."""
    return current_app.jinja_env.auto_reload


def head_links() -> Markup:
    if _fresh():
        return _links.__wrapped__(request.script_root)
    return _links(request.script_root)


def header() -> Markup:
    endpoint = request.endpoint if request.endpoint in OWN_LINKS else None
    key = (request.script_root, request.blueprint, endpoint, bool(current_user.is_beheerder),
           current_user.username)
    before, after = _header.__wrapped__(*key) if _fresh() else _header(*key)
    return Markup(before + str(escape(csrf_token())) + after)


SIGNED_FOR = 60.0  # seconds a signed CSRF token is handed out again (WTF_CSRF_TIME_LIMIT: 8 h)
_SIGNED: dict = {}  # (secret key, the session's raw token) -> (signed at, signed token)


def csrf_token() -> str:
    """Flask-WTF's generate_csrf (the session's token, signed with a timestamp), the signed
    form reused for a minute: signing it afresh (a serializer, JSON, zlib, an HMAC) was ~25 µs
    of every page. Flask-WTF checks the signature and its age (WTF_CSRF_TIME_LIMIT) and that
    it is the session's token, as before; a signature a minute old has a minute less of the
    eight hours. A session without a token yet, and each new minute, go to generate_csrf."""
    signed = g.get("csrf_token")
    if signed is not None:
        return signed
    raw = session.get("csrf_token")
    now = time.monotonic()
    found = _SIGNED.get((current_app.secret_key, raw)) if raw is not None else None
    if found is not None and now - found[0] < SIGNED_FOR:
        g.csrf_token = found[1]
        return found[1]
    signed = generate_csrf()
    if len(_SIGNED) >= 4096:  # one per session; old ones are of no use after a minute
        _SIGNED.clear()
    _SIGNED[(current_app.secret_key, session.get("csrf_token"))] = (now, signed)
    return signed


@lru_cache(maxsize=4096)
def _url(script_root: str, endpoint: str, values: tuple) -> str:
    return url_for(endpoint, **dict(values))


def template_url_for(endpoint: str, **values) -> str:
    """Flask's url_for for the templates, remembering its answers: a link to the same page is
    the same text every time (this app has no URL defaults; the script root is in the key), and
    building it was ~12 µs a link, a few dozen links a page. Relative endpoints (".x"), the
    underscore options (_external, _anchor, ...) and values that cannot be a key go to url_for
    itself."""
    if endpoint.startswith(".") or any(k.startswith("_") for k in values):
        return url_for(endpoint, **values)
    try:
        return _url(request.script_root, endpoint, tuple(sorted(values.items())))
    except TypeError:  # an unhashable value
        return url_for(endpoint, **values)


def register(app) -> None:
    # csrf_token in the templates is the one above: Flask-WTF registers its generate_csrf
    # both as a global and through a context processor (which would win over the global)
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if getattr(p, "__module__", "") != "flask_wtf.csrf"]
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["kop"] = header
    app.jinja_env.globals["kop_links"] = head_links
    if not app.url_default_functions:  # with URL defaults a link depends on more than this
        app.jinja_env.globals["url_for"] = template_url_for
