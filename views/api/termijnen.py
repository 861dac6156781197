"""/api/v1/termijnen: the factuurtermijnen as JSON for the accounting package, and marking one
gefactureerd with the invoice number the package gave it (models/facturatie/service.py).

Money is a decimal string ("1234.50", exact) beside the integer cents."""

from flask import jsonify, request

from models.common.validation import DATE_RANGE_MESSAGE, control_problem, in_range, iso_date
from models.facturatie import service
from models.facturatie.tables import Factuurtermijn
from views.api import actor, bp, errors, json_body, paged
from views.api.access import needs, own, restrict

ITEM = "/termijnen/<int(max=9223372036854775807):termijn_id>"
STATUSES = ("concept", "gefactureerd")


def _filters() -> service.Filters:
    args, errs = request.args, {}
    filters = service.Filters(status="")
    status = args.get("status") or ""
    if status and status not in STATUSES:
        errs["status"] = "Kies concept of gefactureerd."
    filters.status = status if status in STATUSES else ""
    for name, attribute in (("klant_id", "klant_id"), ("contract_id", "contract_id")):
        raw = args.get(name) or ""
        if raw:
            if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
                errs[name] = "Geef een id (een getal)."
            else:
                setattr(filters, attribute, int(raw))
    for name, attribute in (("from", "date_from"), ("to", "date_to")):
        raw = args.get(name) or ""
        if raw:
            day = iso_date(raw)
            if day is None:
                errs[name] = "Geef een datum als JJJJ-MM-DD."
            elif not in_range(day):
                errs[name] = DATE_RANGE_MESSAGE
            else:
                setattr(filters, attribute, day)
    if errs:
        from flask import abort

        abort(errors(422, **errs))
    return filters


@bp.route("/termijnen", methods=["GET"])
@needs("termijnen", klant=("GET",))
def termijnen_list():
    """?status=&klant_id=&contract_id=&from=&to= (invoicing day) &limit=&cursor="""
    return paged(restrict(service.selected(_filters()), Factuurtermijn.klant), Factuurtermijn,
                 service.serialise)


def _one(termijn_id: int):
    """The termijn, or None; another klant's, for a token kept to one, answers 404."""
    termijn = service.selected(service.Filters(status="")).where(
        Factuurtermijn.id == termijn_id).first()
    if termijn is not None:
        own(termijn.klant_id)
    return termijn


@bp.route(ITEM, methods=["GET"])
@needs("termijnen", klant=("GET",))
def termijnen_get(termijn_id):
    termijn = _one(termijn_id)
    if termijn is None:
        return errors(404, id="Niet gevonden.")
    return jsonify(service.serialise(termijn))


@bp.route(ITEM, methods=["PATCH"])
@needs("termijnen", klant=("PATCH",))
def termijnen_update(termijn_id):
    """{"status": "gefactureerd", "factuurnummer": "F-2027-0042"}: the only change there is;
    a gefactureerd termijn is never changed again (409)."""
    if _one(termijn_id) is None:
        return errors(404, id="Niet gevonden.")
    body = json_body()
    errs = {k: "Onbekend veld; alleen status en factuurnummer." for k in body
            if k not in ("status", "factuurnummer")}
    if body.get("status") != "gefactureerd":
        errs["status"] = 'Alleen "gefactureerd" kan: een termijn gaat van concept naar ' \
                         "gefactureerd."
    number = body.get("factuurnummer", "")
    if not isinstance(number, str):
        errs["factuurnummer"] = "Geef het factuurnummer als tekst."
    elif len(number) > 60:
        errs["factuurnummer"] = "Hooguit 60 tekens."
    elif problem := control_problem(number):
        errs["factuurnummer"] = problem
    if errs:
        return errors(422, **errs)
    try:
        service.mark_invoiced([termijn_id], number.strip(), actor())
    except service.Refused as refused:
        return errors(409, status=refused.errors["ids"])
    return jsonify(service.serialise(_one(termijn_id)))


@bp.route("/indexreeksen", methods=["GET"])
@needs("termijnen")
def indexreeksen_list():
    """The index series the beheerder keeps (Instellingen > Indexreeksen), with their figures:
    the `reeks_id` a contract's indexering names. Few rows: one page, no cursor."""
    from models.facturatie import indexreeksen

    return jsonify({"items": [
        {"id": reeks.id, "naam": reeks.name,
         "cijfers": [{"jaar": year, "cijfer": figure} for year, figure in reeks.figures]}
        for reeks in indexreeksen.all_series()]})
