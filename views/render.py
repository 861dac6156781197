"""The one place that decides: full page or fragment."""

from flask import make_response, redirect, render_template, request
from jinja2_fragments.flask import render_block


def is_htmx() -> bool:
    """The request came from htmx: the header flask-htmx reads (`bool(htmx)`), read from the
    WSGI environ, as wants_fragment does with its other two (each flask-htmx property is a
    proxy and a header lookup, and a page asks more than once)."""
    return request.environ.get("HTTP_HX_REQUEST") == "true"


def wants_fragment() -> bool:
    """A fragment only for a plain htmx request: a history-restore miss or a boosted link needs
    the whole page (otherwise Back shows a bare fragment)."""
    environ = request.environ
    return (is_htmx()
            and environ.get("HTTP_HX_HISTORY_RESTORE_REQUEST") != "true"
            and environ.get("HTTP_HX_BOOSTED") != "true")


def render(template: str, block: str | None = None, status: int = 200, **context):
    if block and wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    return make_response(body, status)


def htmx_redirect(url: str, status: int = 200):
    resp = make_response("", status)
    resp.headers["HX-Redirect"] = url
    return resp


def redirect_after_post(url: str):
    """htmx follows a plain redirect inside the XHR and would swap the next page into the form;
    HX-Redirect makes it a real navigation."""
    return htmx_redirect(url) if is_htmx() else redirect(url, 303)
