"""/api/v1/klanten, /api/v1/medewerkers (list, create, read, change) and GET /api/v1/sla-beleid.

Klanten and medewerkers are saved through models.stamdata.records, with the same rules and Dutch
messages as their pages.
"""

from flask import abort, jsonify, request

from models.sla.tables import current_targets
from models.stamdata import records
from models.stamdata.instellingen import SlaBeleid
from views.api import actor, bp, errors, json_body, paged, schemas, typed
from views.api.access import needs, own, restrict


def _resource(kind: records.Kind, plural: str, body, klant_column=None):
    """`klant_column`: the column a token restricted to one klant is kept to (klanten: their
    own id); None: such a token may not use this resource at all."""
    model = kind.model
    allowed = set(kind.fields) | {"active"}

    def check_unknown(data):
        unknown = sorted(set(data) - allowed)
        if unknown:
            abort(errors(422, **{k: "Onbekend veld." for k in unknown}))
        typed(data, body)

    def collection():
        if request.method == "GET":
            return paged(restrict(model.select(), klant_column), model, lambda r: r.to_dict())
        data = json_body()
        check_unknown(data)
        item, errs = records.save(kind, data, actor())
        if errs:
            return errors(422, **errs)
        return jsonify(item.to_dict()), 201

    def item(item_id):
        obj = model.get_or_none(model.id == item_id)
        if obj is None:
            return errors(404, id="Niet gevonden.")
        if klant_column is not None:
            own(getattr(obj, klant_column.name))
        if request.method == "GET":
            return jsonify(obj.to_dict())
        data = json_body()
        check_unknown(data)
        obj, errs = records.save(kind, data, actor(), obj, partial=True)
        if errs:
            return errors(422, **errs)
        return jsonify(obj.to_dict())

    own_klant = klant_column is not None
    bp.add_url_rule(f"/{plural}", f"{plural}_collection",
                    needs(plural, klant=("GET",) if own_klant else ())(collection),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"/{plural}/<int(max=9223372036854775807):item_id>", f"{plural}_item",
                    needs(plural, klant=("GET", "PATCH") if own_klant else ())(item),
                    methods=["GET", "PATCH"])


_resource(records.KLANT, "klanten", schemas.KlantIn, klant_column=records.KLANT.model.id)
_resource(records.MEDEWERKER, "medewerkers", schemas.MedewerkerIn)


@bp.route("/sla-beleid")
@needs("contracten", action="lezen")
def sla_beleid_list():
    items = []
    for beleid in SlaBeleid.select().where(SlaBeleid.active == True).order_by(SlaBeleid.code):  # noqa: E712
        items.append({"id": beleid.id, "code": beleid.code, "name": beleid.name, "targets": [
            {"prioriteit": t.prioriteit.name, "response": t.response,
             "resolution": t.resolution, "unit": t.unit, "business_hours": t.business_hours}
            for t in current_targets(beleid)]})
    return jsonify({"items": items})
