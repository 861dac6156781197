"""POST /api/v1/werkbonnen (a storing) and GET /api/v1/sla-beleid."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, jsonify

from models.sla import service as sla_service
from models.sla.tables import current_targets
from models.stamdata.instellingen import SlaBeleid
from views.api import actor, bp, errors, json_body, typed


@bp.route("/werkbonnen", methods=["POST"])
def werkbonnen_create():
    from views.api_werkbonnen import _shape

    tz = current_app.config["TIMEZONE"]
    data = typed(json_body(), sla_service.API_TYPES)
    werkbon, errs = sla_service.create_storing(data, actor(), datetime.now(ZoneInfo(tz)), tz)
    if errs:
        return errors(422, **errs)
    return jsonify(_shape(werkbon)), 201


@bp.route("/sla-beleid")
def sla_beleid_list():
    items = []
    for beleid in SlaBeleid.select().where(SlaBeleid.active == True).order_by(SlaBeleid.code):  # noqa: E712
        items.append({"id": beleid.id, "code": beleid.code, "name": beleid.name, "targets": [
            {"prioriteit": t.prioriteit.name, "response": t.response,
             "resolution": t.resolution, "unit": t.unit, "business_hours": t.business_hours}
            for t in current_targets(beleid)]})
    return jsonify({"items": items})
