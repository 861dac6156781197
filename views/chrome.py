"""What every full page repeats: the stylesheets and scripts in <head>, and the header with
the menu and the account menu. Both are the same for every page of a section, so each is
rendered once (per script root, and for the header per section and user) and kept; only the
logout form's CSRF token is put in per request. Seventeen url_for calls and a loop in Jinja
on every page were about as much work as a whole hello-world response."""

from functools import lru_cache

from flask import current_app, render_template, request
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


def register(app) -> None:
    app.jinja_env.globals["kop"] = header
    app.jinja_env.globals["kop_links"] = head_links
