"""Who may call which route of the API, and the headers that make writing safe to retry.

- Every route declares what it needs, once, with `@needs(resource)` under its `@bp.route`: the
  scope (models/stamdata/api_scopes.py; GET reads, other methods write unless `action` says
  otherwise) and for which methods the view itself keeps a token to its one klant (`klant`).
  `declared(endpoint)` reads it back (the OpenAPI document, tests/test_api_tokens.py, which
  fails for an /api/v1 route without one). A route without a declaration is refused (403).
- `authenticate` (the blueprint's before_request): the token (401 when unknown, revoked or
  expired: checked on every request), its last use (written at most once a minute), the rate
  limit per token (429 with Retry-After, in the login throttle's limiter: views/limiter.py),
  the scope and the klant restriction (403 with a Dutch message under "token").
- A token restricted to one klant: lists go through `restrict`, one item through `own`
  (another klant's is not found, 404), a write for a klant through `own_klant` (403).
- POST with `Idempotency-Key` (every POST of the API; models/db/idempotency.py): the view runs
  inside one write transaction with the stored answer; a retry gets that answer again.
  `after_commit` defers what must wait for the commit (queueing the worker's job).
- `etag` / `if_match`: optimistic locking by header, for resources with a version.
"""

import re
from dataclasses import dataclass
from functools import wraps

from flask import Response, abort, current_app, g, jsonify, request

from models.db import idempotency, write_transaction
from models.stamdata import api_scopes, users
from views.limiter import Rule, limiter, too_many

READING = frozenset({"GET", "HEAD", "OPTIONS"})
ALL_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"})
KEPT_HEADERS = ("Content-Type", "Location", "ETag")  # replayed with a stored answer
ETAG_RE = re.compile(r'(W/)?"[\x21\x23-\x7e\x80-\xff]*"')


def _error(status: int, /, **fields):
    resp = jsonify({"errors": fields})
    resp.status_code = status
    return resp


@dataclass(frozen=True)
class Need:
    """What a route needs: its resource's scope, and the methods for which the view keeps a
    token restricted to one klant to that klant (any other method refuses such a token)."""

    resource: str
    action: str | None  # None: lezen for GET/HEAD/OPTIONS, schrijven otherwise
    klant: frozenset

    def action_for(self, method: str) -> str:
        return self.action or ("lezen" if method in READING else "schrijven")

    def scope_for(self, method: str) -> str:
        return f"{self.resource}:{self.action_for(method)}"


def needs(resource: str, action: str | None = None, klant=()):
    """Declare a route's scope (see the module docstring). `klant`: the methods ("GET", ...)
    the view restricts to a token's klant itself, True for all of them."""
    if resource not in api_scopes.RESOURCES:
        raise ValueError(f"onbekende API-resource {resource!r} (api_scopes.RESOURCES)")
    if action not in (None, *api_scopes.ACTIONS):
        raise ValueError(f"onbekende actie {action!r}")
    methods = ALL_METHODS if klant is True else frozenset(klant)
    if "GET" in methods:
        methods |= {"HEAD", "OPTIONS"}
    need = Need(resource, action, frozenset(methods))

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method == "POST" and "Idempotency-Key" in request.headers:
                return _idempotent(view, args, kwargs)
            return view(*args, **kwargs)

        wrapped.api_need = need
        return wrapped

    return decorator


def declared(endpoint: str, app=None) -> Need | None:
    """What `endpoint` (e.g. "api.werkbonnen_list") declared with `needs`, or None."""
    return getattr((app or current_app).view_functions.get(endpoint), "api_need", None)


# --------------------------------------------------------------------------- the gate


def init_app(app) -> None:
    """The rate limit per token from the settings (CADANS_API_LIMIT), read once: a setting
    that is not a rate stops the app from starting; "" or "uit" switches it off."""
    text = (app.config.get("API_LIMIT") or "").strip()
    app.extensions["cadans_api_rule"] = (None if text.lower() in ("", "uit", "off")
                                         else Rule.parse("API_LIMIT", text))


def authenticate():
    """None when the request may go on to its view; else the refusal."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    grant, problem = (users.lookup(token.strip()) if scheme.lower() == "bearer" and token
                      else (None, users.UNKNOWN_TOKEN))
    if grant is None:
        resp = _error(401, token=problem)
        resp.headers["WWW-Authenticate"] = 'Bearer realm="cadans"'
        return resp
    g.api_grant = grant
    try:
        users.mark_used(grant)
    except Exception:  # noqa: BLE001 - a busy database must not cost the request its answer
        current_app.logger.warning("last_used_at van token %s niet bijgewerkt", grant.id,
                                   exc_info=True)
    rule = current_app.extensions["cadans_api_rule"]
    if rule is not None:
        wait = limiter().hit(rule, str(grant.id))
        if wait:
            return too_many(wait, f"Te veel verzoeken met dit token (hooguit {rule.rate}). "
                                  f"Probeer het over {wait} s opnieuw.")
    if request.endpoint is None:
        return None  # 404 or 405 follows
    need = declared(request.endpoint)
    if need is None:  # fail closed: tests/test_api_tokens.py keeps this from happening
        return _error(403, token="Deze route heeft geen scope; geen enkel token mag hier "
                                 "komen.")
    action = need.action_for(request.method)
    if not grant.allows(need.resource, action):
        return _error(403, token=api_scopes.refusal(need.resource, action))
    if grant.klant_id is not None and request.method not in need.klant:
        return _error(403, token=api_scopes.klant_refusal(grant.klant_name, need.resource,
                                                          action))
    return None


def grant() -> users.Grant:
    return g.api_grant


# --------------------------------------------------------------------------- one klant


def klant_id() -> int | None:
    """The klant the request's token is restricted to, or None."""
    return g.api_grant.klant_id


def restrict(query, column):
    """A list query narrowed to the token's klant (`column`: the klant id column)."""
    restricted = klant_id()
    return query if restricted is None else query.where(column == restricted)


def own(owner_id: int | None) -> None:
    """404, as if it did not exist, when an item belongs to another klant than the token's."""
    restricted = klant_id()
    if restricted is not None and owner_id != restricted:
        abort(_error(404, id="Niet gevonden."))


def own_klant(field: str, value) -> None:
    """403 when a write names another klant than the token's (`field`: where it was named)."""
    restricted = klant_id()
    if restricted is not None and value != restricted:
        abort(_error(403, **{field: f"Dit token is beperkt tot klant {g.api_grant.klant_name}."}))


# --------------------------------------------------------------------------- ETag / If-Match


def etag(response, version: int):
    """`ETag: "<version>"` (strong: If-Match compares strong tags). The tag is the version of the
    resource, not a hash of the bytes."""
    response.headers["ETag"] = f'"{version}"'
    return response


def if_match(version: int, conflict: str) -> bool:
    """Whether an If-Match header was sent (and matched `version`). A header that does not
    match answers 412 with `conflict` (and the current ETag); one that cannot be read, 400."""
    header = request.headers.get("If-Match")
    if header is None:
        return False
    tags = [t.strip() for t in header.split(",") if t.strip()]
    if tags == ["*"]:
        return True
    if not tags or not all(ETAG_RE.fullmatch(t) for t in tags):
        abort(_error(400, **{"If-Match": 'Geef de ETag die u ophaalde, met aanhalingstekens: '
                                         'If-Match: "3".'}))
    if f'"{version}"' in tags:  # strong comparison: a weak W/"3" never matches
        return True
    abort(etag(_error(412, **{"If-Match": conflict}), version))


# --------------------------------------------------------------------------- Idempotency-Key


class _NotStored(Exception):
    def __init__(self, response):
        super().__init__("not stored")
        self.response = response


def after_commit(action):
    """Run `action` (which may return a notice for the client) once the request's writes are
    committed: now, or after an idempotent POST's transaction. Returns its notice, or None when
    deferred (the idempotent POST then adds it to its answer; a replay has none)."""
    deferred = g.get("api_after_commit")
    if deferred is None:
        return action()
    deferred.append(action)
    return None


def _idempotent(view, args, kwargs):
    key = idempotency.parse_key(request.headers["Idempotency-Key"])
    if key is None:
        return _error(400, **{"Idempotency-Key": "Geef een sleutel van 1 tot 255 zichtbare "
                                                 "ASCII-tekens, bijvoorbeeld een UUID."})
    print_ = idempotency.fingerprint(request.method, request.path, request.get_data(cache=True))
    held = idempotency.claim(g.api_grant.id, key, print_)
    if held.outcome == "replay":
        resp = Response(held.body, status=held.status, headers=held.headers)
        resp.headers["Idempotent-Replayed"] = "true"
        return resp
    if held.outcome == "mismatch":
        return _error(422, **{"Idempotency-Key": (
            "Deze sleutel is al gebruikt voor een ander verzoek (in de afgelopen 24 uur). "
            "Gebruik per nieuw verzoek een nieuwe sleutel.")})
    if held.outcome == "busy":
        return _busy()
    g.api_after_commit = []
    try:
        with write_transaction():
            resp = current_app.make_response(view(*args, **kwargs))
            if not 200 <= resp.status_code < 300:
                raise _NotStored(resp)  # rolls back: nothing of a refused request stays
            idempotency.finish(held, resp.status_code, resp.get_data(as_text=True),
                               {k: resp.headers[k] for k in KEPT_HEADERS if k in resp.headers})
    except _NotStored as refused:
        idempotency.release(held)
        return refused.response
    except idempotency.Lost:
        return _busy()
    except Exception:  # also abort()'s HTTPException: the 4xx it carries stands
        idempotency.release(held)
        raise
    finally:
        actions = g.pop("api_after_commit", [])
    notices = [notice for notice in (action() for action in actions) if notice]
    body = resp.get_json(silent=True) if notices else None
    if isinstance(body, dict):
        body["notice"] = notices[0]
        resp.set_data(current_app.json.dumps(body))
    return resp


def _busy():
    resp = _error(409, **{"Idempotency-Key": "Een verzoek met deze sleutel is nog bezig. "
                                             "Probeer het over een seconde opnieuw."})
    resp.headers["Retry-After"] = "1"
    return resp
