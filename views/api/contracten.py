"""/api/v1/contracten: create, read, list and change contracts as JSON.

Every rule (and its Dutch message) lives in models.contracts (checks, service) and an edit is
models.facturatie.edit.save_edit (the werkbonnen and the termijnen), shared with the wizard;
this module parses the request, turns a PATCH into a whole contract and maps the outcome to a
status.
"""

import re

from flask import abort, current_app, jsonify, request
from peewee import JOIN

from jobs.enqueue import after_save
from models.contracts import checks as contract_checks
from models.contracts import coverage as contract_coverage
from models.contracts import service as contract_service
from models.contracts.lifecycle import EVEN_MONTHS
from models.contracts.tables import Contract
from models.db import write_transaction
from models.facturatie import edit as facturatie_edit
from models.facturatie import input as facturatie_input
from models.facturatie import service as facturatie
from models.stamdata.instellingen import Contracttype, Contractvoorwaarden, Prioriteit, Werktype
from views.api import actor, bp, errors, json_body, paged, schemas, type_problems
from views.api.access import after_commit, etag, if_match, needs, own, restrict
from views.today import local_today

# Keys of the API shape that Cadans decides; a client never sends them (PATCH sends `version`).
READ_ONLY = ("id", "number", "status", "version", "contracttype_name")
READ_ONLY_MESSAGE = "Dit veld bepaalt Cadans zelf; u kunt het niet instellen."
NESTED = ("schedule", "werkbon")
STATUSES = ("toekomstig", "actief", "verlopen", "beeindigd")
ITEM = "/contracten/<int(max=9223372036854775807):contract_id>"  # larger ids cannot exist


def _select():
    """Contracts with the rows `serialise` reads, so a page of 200 is one query, not 800."""
    return (Contract.select(Contract, Contracttype, Contractvoorwaarden, Werktype, Prioriteit)
            .join(Contracttype).switch(Contract)
            .join(Contractvoorwaarden, JOIN.LEFT_OUTER).switch(Contract)
            .join(Werktype, JOIN.LEFT_OUTER).switch(Contract)
            .join(Prioriteit, JOIN.LEFT_OUTER).switch(Contract))


def _find(contract_id: int) -> Contract:
    contract = _select().where(Contract.id == contract_id).first()
    if contract is None:
        abort(errors(404, **{"id": "Niet gevonden."}))
    return contract


def _read_only_refused(body: dict, keep: tuple[str, ...] = ()) -> tuple[dict, dict]:
    """(body without read-only keys, an error for each read-only key it had)."""
    refused = [k for k in READ_ONLY if k in body and k not in keep]
    data = {k: v for k, v in body.items() if k not in refused}
    schedule = data.get("schedule")
    if isinstance(schedule, dict) and "description" in schedule:
        refused.append("schedule.description")
        data["schedule"] = {k: v for k, v in schedule.items() if k != "description"}
    return data, {k: READ_ONLY_MESSAGE for k in refused}


def _patched(current: dict, patch: dict) -> dict:
    """The whole contract in the API shape after `patch`; schedule and werkbon merge per key."""
    merged = {k: v for k, v in current.items() if k not in READ_ONLY}
    # The exact type by its (unique) name: the kind alone could pick another type of that kind.
    merged["contracttype"] = current["contracttype_name"]
    if isinstance(merged.get("schedule"), dict):
        merged["schedule"] = {k: v for k, v in merged["schedule"].items() if k != "description"}
    visits = current.get("visits_per_year")
    if visits and visits not in EVEN_MONTHS and isinstance(merged.get("schedule"), dict):
        # spread visits: their dates are derived from the number, not the planner's own extra
        # dates; carried along, a change to 4 a year kept the 5-a-year dates as well
        merged["schedule"] = {k: v for k, v in merged["schedule"].items() if k != "extra_dates"}
    for key, value in patch.items():
        if key in NESTED and isinstance(value, dict) and isinstance(merged.get(key), dict):
            value = {**merged[key], **value}
        merged[key] = value
    if merged.get("schedule") is None:
        merged.pop("schedule", None)  # correctief (or a schedule-less jaarlijks) has none
    return merged


def _serialise(contract: Contract, today, ids: tuple | None = None) -> dict:
    """The contract with its facturatie fields (models/facturatie/: prijs, btw_tarief, ...);
    `ids` as contract_service.serialise takes them."""
    terms = facturatie.terms_row(contract.id)
    return {**contract_service.serialise(contract, today, ids),
            **facturatie_input.to_api(terms.values if terms else None)}


def _facturatie_part(body: dict, contract: Contract | None) -> tuple[dict | None, dict]:
    """(the terms to save or None when the body names none, errors); the keys leave `body`."""
    named = {k: body.pop(k) for k in facturatie_input.API_FIELDS if k in body}
    if not named:
        return None, {}
    terms = facturatie.terms_row(contract.id) if contract else None
    values, errs = facturatie_input.from_api(named, terms.values if terms else None)
    values["_version"] = terms.version if terms else None
    return values, errs


class _Undo(Exception):
    """Raised inside the request's transaction to roll the contract back with it: the
    contract and its facturatie are saved together or not at all."""

    def __init__(self, response):
        super().__init__()
        self.response = response


def _save_facturatie(contract: Contract, values: dict | None, today):
    """Save the facturatie part; inside the contract's transaction, a refusal raises _Undo."""
    failed = _facturatie_refused(contract, values, today)
    if failed is not None:
        raise _Undo(failed)


def _facturatie_refused(contract: Contract, values: dict | None, today):
    if values is None:
        return None
    try:
        facturatie.save_terms(contract.id, values, values.pop("_version"), actor(), today)
    except facturatie.Conflict:
        return errors(409, prijs="De facturatie is intussen gewijzigd; haal het contract "
                                 "opnieuw op.")
    except facturatie.Refused as refused:
        names = {"index_reeks": "indexering.reeks_id"}
        return errors(422, **{names.get(k, k): v for k, v in refused.errors.items()})
    return None


def _conflict_message(current: Contract) -> str:
    return (f"Iemand anders heeft dit contract intussen gewijzigd (nu versie {current.version}). "
            "Haal het opnieuw op en breng uw wijziging daarop aan.")


def _conflict(current: Contract, header: bool = False):
    """409 on a stale `version` in the body; 412 (with the current ETag) when the client used
    If-Match."""
    if header:
        return etag(errors(412, **{"If-Match": _conflict_message(current)}), current.version)
    return errors(409, **{"version": _conflict_message(current)})


@bp.route("/contracten", methods=["GET"])
@needs("contracten", klant=("GET",))
def contracten_list():
    today = local_today()
    query = restrict(_select(), Contract.klant)
    klant_id = request.args.get("klant_id") or None
    if klant_id is not None:
        if not re.fullmatch(r"\d{1,18}", klant_id):
            return errors(422, **{"klant_id": "Geef het id van een klant (een getal)."})
        query = query.where(Contract.klant == int(klant_id))
    status = request.args.get("status") or None
    if status is not None:
        if status not in STATUSES:
            return errors(422, **{"status": "Kies toekomstig, actief, verlopen of beeindigd."})
        query = query.where(contract_service.status_condition(status, today))
    return paged(query, Contract, lambda c, ids: _serialise(c, today, ids),
                 each_page=lambda rows: contract_coverage.id_lists([c.id for c in rows]))


@bp.route("/contracten", methods=["POST"])
@needs("contracten")
def contracten_create():
    data, errs = _read_only_refused(json_body())
    terms, terms_errs = _facturatie_part(data, None)
    errs.update(terms_errs)
    types = type_problems(data, schemas.ContractIn)
    if types:  # the JSON types first, as a schema would (a "1" for a number: no guessing)
        return errors(422, **{**errs, **types})
    values, problems = contract_checks.check(data)
    errs.update(problems)
    if errs:
        return errors(422, **errs)
    today = local_today()
    try:
        with write_transaction():  # the contract and its price together or not at all
            contract = contract_service.create(values, actor(), today)
            _save_facturatie(contract, terms, today)
    except _Undo as undo:
        return undo.response
    notice = after_commit(lambda: after_save(contract, current_app.config.get("REDIS_URL"),
                                             today))
    body = _serialise(contract, today)
    if notice:
        body["notice"] = notice
    resp = etag(jsonify(body), contract.version)
    resp.headers["Location"] = f"{bp.url_prefix}/contracten/{contract.id}"
    return resp, 201


@bp.route(ITEM, methods=["GET"])
@needs("contracten", klant=("GET",))
def contracten_get(contract_id):
    contract = _find(contract_id)
    own(contract.klant_id)
    return etag(jsonify(_serialise(contract, local_today())), contract.version)


def _unchanged(contract: Contract, values: dict, today) -> bool:
    """Whether saving `values` would change nothing a client can see."""
    edited = contract_service.edited(contract, values)
    return contract_service.changes(contract_service.serialise(contract, today),
                                    contract_service.serialise(edited, today)) == {}


@bp.route(ITEM, methods=["PATCH"])
@needs("contracten")
def contracten_update(contract_id):
    """Optimistic locking by `version` in the body (409 when stale) or by If-Match with the
    ETag of a GET (412 when stale); with If-Match the body needs no version."""
    contract = _find(contract_id)
    matched = if_match(contract.version, _conflict_message(contract))
    patch, errs = _read_only_refused(json_body(), keep=("version",))
    terms, terms_errs = _facturatie_part(patch, contract)
    errs.update(terms_errs)
    version = patch.pop("version", None)
    if version is None and matched:
        version = contract.version
    if isinstance(version, bool) or not isinstance(version, int):
        errs["version"] = ("Geef de versie mee waarin u het contract heeft opgehaald (een getal), "
                           "of de header If-Match met zijn ETag.")
    errs.update(type_problems(patch, schemas.ContractIn))
    if errs:
        return errors(422, **errs)
    if version != contract.version:
        return _conflict(contract)
    today = local_today()
    values, problems = contract_checks.check(
        _patched(contract_service.serialise(contract, today), patch), current=contract)
    if problems:
        return errors(422, **problems)
    if _unchanged(contract, values, today):
        # nothing to save: no new version (another client holding this one got a needless
        # 409), no audit row, no recalculation
        return _facturatie_refused(contract, terms, today) or etag(
            jsonify(_serialise(contract, today)), contract.version)
    try:
        with write_transaction():  # the edit and the price together or not at all
            # the wizard's edit, with what its form does by default (the waiting werkbonnen
            # follow a new medewerker): the same werkbonnen, the same job, the same notice
            contract = facturatie_edit.save_edit(contract, values, version, actor(), today,
                                                 reassign=True)
            _save_facturatie(contract, terms, today)
    except contract_service.Conflict as exc:
        return _conflict(exc.current, header=matched)
    except _Undo as undo:
        return undo.response
    notice = after_save(contract, current_app.config.get("REDIS_URL"), today)
    body = _serialise(contract, today)
    if notice:
        body["notice"] = notice
    return etag(jsonify(body), contract.version)
