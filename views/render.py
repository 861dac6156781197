"""The one place that decides: full page or fragment."""

from flask import make_response, render_template
from jinja2_fragments.flask import render_block


def _htmx():
    from views import htmx

    return htmx


def is_htmx() -> bool:
    return bool(_htmx())


def wants_fragment() -> bool:
    """A fragment only for a plain htmx request: a history-restore miss or a boosted link needs
    the whole page (otherwise Back shows a bare fragment)."""
    h = _htmx()
    return bool(h) and not h.history_restore_request and not h.boosted


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
