"""What every full page repeats: the stylesheets and scripts in <head>, and the header with
the menu and the account menu. Both are the same for every page of a section, so each is
rendered once (per script root, and for the header per section and user) and kept; only the
logout form's CSRF token is put in per request. Seventeen url_for calls and a loop in Jinja
on every page were about as much work as a whole hello-world response."""

from functools import lru_cache

from flask import current_app, render_template, request, url_for
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
    return Markup(before + str(escape(generate_csrf())) + after)


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
    app.jinja_env.globals["kop"] = header
    app.jinja_env.globals["kop_links"] = head_links
    if not app.url_default_functions:  # with URL defaults a link depends on more than this
        app.jinja_env.globals["url_for"] = template_url_for
