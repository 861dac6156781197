"""/api/v1/werkadressen and /api/v1/objecten: list (filters and a cursor), read, create and
change (PATCH with the `version` it was read at: 409 when someone saved in between).

Every rule and its Dutch message lives in models.objecten (rules, service); this module checks
the JSON types, refuses unknown and read-only fields, and maps the outcome to a status. The
shapes are service.werkadres_dict and service.object_dict.
"""

import re

from flask import abort, jsonify, request
from peewee import fn

from models.common import validation
from models.objecten import search, service
from models.objecten.tables import STATUSES, Object, Objecttype, Werkadres
from models.werkbonnen import replan as werkbon_replan
from views.api import actor, bp, errors, json_body, paged, schemas, type_problems
from views.api.access import klant_id as token_klant
from views.api.access import needs, own, own_klant, restrict
from views.today import local_today

READ_ONLY_MESSAGE = "Dit veld bepaalt Cadans zelf; u kunt het niet instellen."
UNKNOWN = "Onbekend veld."
MAX_ID = "<int(max=9223372036854775807):item_id>"
T, M, N, B = validation.TEXT, validation.MULTILINE, validation.INTEGER, validation.BOOLEAN
WERKADRES_TYPES = {"klant_id": N, "name": T, "street": T, "house_number": T, "postcode": T,
                   "city": T, "access_notes": M, "active": B}
OBJECT_TYPES = {"number": T, "klant_id": N, "werkadres_id": N, "objecttype_id": N, "brand": T,
                "model": T, "serial_number": T, "location": T, "installed_on": T,
                "warranty_until": T, "status": T, "status_since": T, "notes": M}
READ_ONLY = ("id", "version", "objecttype")
# the JSON types are checked by the models of views/api/schemas.py (tests/test_api_openapi.py
# holds them to the specs above)
MODELS = {id(WERKADRES_TYPES): schemas.WerkadresIn, id(OBJECT_TYPES): schemas.ObjectIn}


def _body(types: dict, patch: bool) -> tuple[dict, int | None]:
    """The JSON body checked: known fields with their JSON types, no read-only ones (a PATCH
    must carry `version`). 422 naming each bad field, via abort."""
    data = json_body()
    problems = {k: READ_ONLY_MESSAGE for k in READ_ONLY
                if k in data and not (patch and k == "version")}
    problems.update({k: UNKNOWN for k in data if k not in types and k not in READ_ONLY})
    version = data.pop("version", None) if patch else None
    if patch and (isinstance(version, bool) or not isinstance(version, int)):
        problems["version"] = "Geef de versie mee waarin u dit heeft opgehaald (een getal)."
    data = {k: v for k, v in data.items() if k in types}
    problems.update(type_problems(data, MODELS[id(types)]))
    if problems:
        abort(errors(422, **problems))
    return data, version


def _conflict(current, what: str):
    return errors(409, version=(
        f"Iemand anders heeft {what} intussen gewijzigd (nu versie {current.version}). Haal "
        "het opnieuw op en breng uw wijziging daarop aan."))


def _id_filter(name: str) -> int | None:
    value = request.args.get(name) or None
    if value is None:
        return None
    if not re.fullmatch(r"\d{1,18}", value):
        abort(errors(422, **{name: "Geef een id (een getal)."}))
    return int(value)


# --- werkadressen ------------------------------------------------------------------------------

@bp.route("/werkadressen", methods=["GET"])
@needs("werkadressen", klant=("GET",))
def werkadressen_list():
    query = restrict(Werkadres.select(), Werkadres.klant)
    if (klant_id := _id_filter("klant_id")) is not None:
        query = query.where(Werkadres.klant == klant_id)
    active = request.args.get("active") or None
    if active is not None:
        if active not in ("true", "false"):
            return errors(422, active="Kies true of false.")
        query = query.where(Werkadres.active == (active == "true"))
    query = search.werkadressen(query, request.args.get("q", ""))
    return paged(query, Werkadres, service.werkadres_dict)


def _for_token_klant(data: dict) -> dict:
    """A create by a token kept to one klant: for that klant (also without naming it), never
    for another (403 naming klant_id)."""
    if token_klant() is not None:
        data.setdefault("klant_id", token_klant())
        own_klant("klant_id", data["klant_id"])
    return data


@bp.route("/werkadressen", methods=["POST"])
@needs("werkadressen", klant=("POST",))
def werkadressen_create():
    data, _ = _body(WERKADRES_TYPES, patch=False)
    _for_token_klant(data)
    werkadres, problems = service.create_werkadres(data, actor())
    if problems:
        return errors(422, **problems)
    return jsonify(service.werkadres_dict(werkadres)), 201


def _werkadres(item_id: int) -> Werkadres:
    werkadres = Werkadres.get_or_none(Werkadres.id == item_id)
    if werkadres is None:
        abort(errors(404, id="Niet gevonden."))
    own(werkadres.klant_id)  # another klant's, for a token kept to one: not found
    return werkadres


@bp.route(f"/werkadressen/{MAX_ID}", methods=["GET"])
@needs("werkadressen", klant=("GET",))
def werkadressen_get(item_id):
    return jsonify(service.werkadres_dict(_werkadres(item_id)))


@bp.route(f"/werkadressen/{MAX_ID}", methods=["PATCH"])
@needs("werkadressen", klant=("PATCH",))
def werkadressen_update(item_id):
    werkadres = _werkadres(item_id)
    data, version = _body(WERKADRES_TYPES, patch=True)
    if version != werkadres.version:
        return _conflict(werkadres, "dit werkadres")
    try:
        # `active` false re-plans the contracts at the werkadres in the same transaction: its
        # waiting werkbonnen from today on are cancelled (the werkadres page shows it first)
        saved, problems, _done = werkbon_replan.update_werkadres(werkadres, data, version,
                                                                 actor(), local_today())
    except service.Conflict as exc:
        return _conflict(exc.current, "dit werkadres")
    if problems:
        return errors(422, **problems)
    return jsonify(service.werkadres_dict(saved))


# --- objecten ----------------------------------------------------------------------------------

def _objecttype_filter() -> int | None:
    """?objecttype= an objecttype's id or its name (any case)."""
    value = (request.args.get("objecttype") or "").strip()
    if not value:
        return None
    if re.fullmatch(r"\d{1,18}", value):
        return int(value)
    kind = Objecttype.get_or_none(fn.LOWER(Objecttype.name) == value.lower())
    if kind is None:
        abort(errors(422, objecttype="Onbekend objecttype; geef een id of een naam uit de "
                                     "lijst objecttypen."))
    return kind.id


@bp.route("/objecten", methods=["GET"])
@needs("objecten", klant=("GET",))
def objecten_list():
    status = request.args.get("status") or None
    if status is not None and status not in STATUSES:
        return errors(422, status="Kies " + ", ".join(STATUSES) + ".")
    query = search.find_objects(
        search.objects(), request.args.get("q", ""), klant_id=_id_filter("klant_id"),
        werkadres_id=_id_filter("werkadres_id"), objecttype_id=_objecttype_filter(),
        statuses=(status,) if status else None)
    return paged(restrict(query, Werkadres.klant), Object, service.object_dict)


@bp.route("/objecten", methods=["POST"])
@needs("objecten", klant=("POST",))
def objecten_create():
    data, _ = _body(OBJECT_TYPES, patch=False)
    _for_token_klant(data)
    obj, problems = service.create_object(data, actor(), local_today())
    if problems:
        return errors(422, **problems)
    return jsonify(service.object_dict(obj)), 201


def _object(item_id: int) -> Object:
    obj = service.get_object(item_id)
    if obj is None:
        abort(errors(404, id="Niet gevonden."))
    own(obj.werkadres.klant_id)  # another klant's, for a token kept to one: not found
    return obj


@bp.route(f"/objecten/{MAX_ID}", methods=["GET"])
@needs("objecten", klant=("GET",))
def objecten_get(item_id):
    return jsonify(service.object_dict(_object(item_id)))


@bp.route(f"/objecten/{MAX_ID}", methods=["PATCH"])
@needs("objecten", klant=("PATCH",))
def objecten_update(item_id):
    obj = _object(item_id)
    data, version = _body(OBJECT_TYPES, patch=True)
    if version != obj.version:
        return _conflict(obj, "dit object")
    try:
        # a status in the body re-plans the contracts that cover the object, in the same
        # transaction (what the object page shows before confirming, the API does at once)
        saved, problems = werkbon_replan.update_object(obj, data, version, actor(),
                                                       local_today())
    except service.Conflict as exc:
        return _conflict(exc.current, "dit object")
    if problems:
        return errors(422, **problems)
    return jsonify(service.object_dict(saved))
