"""/api/v1/werkbonnen: list, read and change werkbonnen as JSON, and report a storing (POST).

The shape is models.werkbonnen.service.serialise plus the SLA fields; a PATCH goes through
werkbonnen.service.change and a POST through sla.service.create_storing, the same rules (and
Dutch messages) as the planner's screens. Lists are ordered by (due_date, id) with a keyset
cursor over both (models.werkbonnen.pager); werkbonnen without a due date come last.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, jsonify, request

from models.common.validation import DATE_RANGE_MESSAGE, in_range, iso_date
from models.db import paging
from models.sla import service as sla_service
from models.werkbonnen import objecten as werkbon_objecten
from models.werkbonnen import pager as werkbon_pager
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import STATUSES, Werkbon
from views.api import actor, bp, errors, json_body, list_params, schemas, typed
from views.api.access import klant_id, needs, own, own_klant, restrict
from views.today import local_today

ITEM = "/werkbonnen/<int(max=9223372036854775807):werkbon_id>"  # larger ids cannot exist
ID_FILTERS = {"contract_id": Werkbon.contract, "klant_id": Werkbon.klant,
              "medewerker_id": Werkbon.medewerker, "werkadres_id": Werkbon.werkadres,
              "object_id": None}


def _filters(query):
    """The query narrowed by the query string; 422 naming each bad field."""
    problems = {}
    for key, column in ID_FILTERS.items():
        value = request.args.get(key) or None
        if value is None:
            continue
        if not re.fullmatch(r"\d{1,18}", value):
            problems[key] = "Geef een id (een getal)."
        elif column is None:  # the werkbonnen that list this object
            query = query.where(Werkbon.id.in_(werkbon_objecten.werkbon_ids_of_object(
                int(value))))
        else:
            query = query.where(column == int(value))
    status = request.args.get("status") or None
    if status is not None:
        if status not in STATUSES:
            problems["status"] = "Onbekende status; kies " + ", ".join(STATUSES) + "."
        else:
            query = query.where(Werkbon.status == status)
    for key in ("from", "to"):
        value = request.args.get(key) or None
        if value is None:
            continue
        day = iso_date(value)
        if day is None:
            problems[key] = "Geef een datum als JJJJ-MM-DD."
        elif not in_range(day):
            problems[key] = DATE_RANGE_MESSAGE
        elif key == "from":
            query = query.where(Werkbon.due_date >= day)
        else:
            query = query.where(Werkbon.due_date <= day)
    if problems:
        abort(errors(422, **problems))
    return query


@bp.route("/werkbonnen", methods=["GET"])
@needs("werkbonnen", klant=("GET",))
def werkbonnen_list():
    query = restrict(_filters(Werkbon.select()), Werkbon.klant)
    limit, cursor = list_params()
    try:
        rows, next_cursor = werkbon_pager.page(query, cursor, limit)
    except paging.BadCursor:
        return errors(422, cursor="Ongeldige cursor.")
    sla = _sla()
    objects = werkbon_objecten.object_ids_of([w.id for w in rows if w.werkadres_id])
    return jsonify({"items": [shape(w, sla, objects.get(w.id, ())) for w in rows],
                    "next": next_cursor})


def _sla():
    tz = current_app.config["TIMEZONE"]
    return sla_service.SlaView(sla_service.now_in(tz), tz)


def shape(werkbon: Werkbon, sla=None, object_ids=None) -> dict:
    """The werkbon's API object: its fields (with werkadres_id and the object_ids it lists)
    plus response_due, resolve_due and sla_state. `object_ids`: read for a whole page."""
    if object_ids is None:
        object_ids = werkbon_objecten.object_ids_of([werkbon.id]).get(werkbon.id, ())
    return {**werkbon_service.serialise(werkbon), "object_ids": list(object_ids),
            **(sla or _sla()).api_fields(werkbon)}


def _find(werkbon_id: int) -> Werkbon:
    werkbon = Werkbon.get_or_none(Werkbon.id == werkbon_id)
    if werkbon is None:
        abort(errors(404, id="Niet gevonden."))
    own(werkbon.klant_id)
    return werkbon


@bp.route(ITEM, methods=["GET"])
@needs("werkbonnen", klant=("GET",))
def werkbonnen_get(werkbon_id):
    return jsonify(shape(_find(werkbon_id)))


@bp.route(ITEM, methods=["PATCH"])
@needs("werkbonnen", klant=("PATCH",))
def werkbonnen_update(werkbon_id):
    werkbon = _find(werkbon_id)
    data = typed(json_body(), schemas.WerkbonPatch)
    werkbon, problems = werkbon_service.change(werkbon, data, actor(), local_today())
    if problems:  # "id": deleted with its contract between _find and the change
        return errors(404 if "id" in problems else 422, **problems)
    return jsonify(shape(werkbon))


@bp.route("/werkbonnen", methods=["POST"])
@needs("werkbonnen", klant=("POST",))
def werkbonnen_create():
    tz = current_app.config["TIMEZONE"]
    data = typed(json_body(), schemas.StoringIn)
    if klant_id() is not None and data.get("klant_id") is None:
        data["klant_id"] = klant_id()  # a token for one klant reports for that klant
    own_klant("klant_id", data.get("klant_id"))
    werkbon, errs = sla_service.create_storing(data, actor(), datetime.now(ZoneInfo(tz)), tz)
    if errs:
        return errors(422, **errs)
    resp = jsonify(shape(werkbon))
    resp.headers["Location"] = f"{bp.url_prefix}/werkbonnen/{werkbon.id}"
    return resp, 201
