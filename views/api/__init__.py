"""JSON API under /api/v1, authenticated with `Authorization: Bearer <token>`: the blueprint,
the helpers every resource uses (errors, the JSON body, strict types, paging), and the health
check. The resources add their routes to `bp` from their own modules (contracten, werkbonnen,
schedule, stamdata; views.register imports them), each declaring its scope with
`access.needs`; `access` is the gate every request passes first (token, rate limit, scope,
klant) and the Idempotency-Key and ETag machinery.

Errors always have the shape {"errors": {"field": "message"}}.
"""

from flask import Blueprint, abort, current_app, jsonify, request
from pydantic import BaseModel, ValidationError

from models.db import paging
from views.api import access, schemas
from views.json_provider import JsonTooDeep

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = {"api.health"}
MAX_LIMIT = 200


def errors(status: int, /, **fields):
    resp = jsonify({"errors": fields})
    resp.status_code = status
    return resp


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC:
        return None
    return access.authenticate()


def actor() -> str:
    """Who the audit trail names: "api:<user>" or, for a named token, "api:<user>/<name>"."""
    return access.grant().actor


def json_body():
    """The request's JSON object, or a 422 {"errors": {"body": ...}} via abort (a body over
    MAX_CONTENT_LENGTH is a 413 before it is read)."""
    data = None
    if request.is_json:
        try:
            data = current_app.json.loads(request.get_data(cache=True))
        except JsonTooDeep:
            abort(errors(422, body="Deze JSON is te diep genest."))
        except ValueError:  # also UnicodeDecodeError
            abort(errors(422, body="Dit is geen geldige JSON."))
    if not isinstance(data, dict):
        abort(errors(422, body="Stuur een JSON-object mee (Content-Type: application/json)."))
    return data


def list_params():
    """(limit, cursor) from the query string, or an error response via abort."""
    raw = request.args.get("limit", "50")
    try:
        limit = int(raw)
    except ValueError:
        abort(errors(422, limit="Geef een getal."))
    if not 1 <= limit <= MAX_LIMIT:
        abort(errors(422, limit=f"Kies een aantal van 1 tot en met {MAX_LIMIT}."))
    return limit, request.args.get("cursor") or None


def paged(query, model, serialise, each_page=None):
    """A page of `query` as {"items", "next"}. `each_page(rows)`: what the rows of a page
    share, read once for the page ({row id: extra}); `serialise` then gets it as `ids`."""
    limit, cursor = list_params()
    try:
        rows, next_cursor = paging.page(query, [model.id], cursor, limit)
    except paging.BadCursor:
        abort(errors(422, cursor="Ongeldige cursor."))
    if each_page is not None:
        shared = each_page(rows)
        items = [serialise(r, shared[r.id]) for r in rows]
    else:
        items = [serialise(r) for r in rows]
    return jsonify({"items": items, "next": next_cursor})


@bp.route("/health")
def health():
    """200 while the web app can serve (status "ok", or "degraded" with what is down: without
    Redis, saving still works and generation catches up later), 503 only when the database is
    down. A load balancer keeps sending traffic on "degraded"; monitoring alerts on it."""
    from jobs.status import health as read_health

    state = read_health(current_app.config.get("REDIS_URL"))
    return jsonify(state), 503 if state["status"] == "down" else 200


def type_problems(data: dict, model: type[BaseModel]) -> dict[str, str]:
    """{field path: Dutch message} for each field of `data` that `model` (views/api/schemas.py,
    strict: "1" is no integer, a NUL is no text) refuses. Unknown fields are the caller's
    business: each resource names them in its own order, next to its domain rules."""
    try:
        model.model_validate(data)
    except ValidationError as exc:
        return schemas.error_dict(exc, unknown=False)
    return {}


def typed(data: dict, model: type[BaseModel]) -> dict:
    """`data` when `model` takes every known field (type_problems); otherwise a 422 naming each
    field, via abort. The views go on reading the dict: the domain rules take raw values."""
    problems = type_problems(data, model)
    if problems:
        abort(errors(422, **problems))
    return data
