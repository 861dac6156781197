"""The step-by-step contract form. Each step is its own URL (full page, or the #wizard fragment
under htmx); the draft lives server-side per user, so back/next, refresh and a closed tab never
lose input. The steps check their part with the same functions the API uses."""

import dataclasses
import json
from datetime import date

from flask import abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from jobs.enqueue import after_save
from models.common.dutch_dates import short_date
from models.common.validation import search_text
from models.contracts import checks as contract_checks
from models.contracts import input as contract_input
from models.contracts import lifecycle
from models.contracts import service as contract_service
from models.contracts.tables import Contract, ContractDraft
from models.db import locked, write_transaction
from models.db.audit import record
from models.db.base import utcnow
from models.schedule import form as schedule_form
from models.schedule import preview as schedule_preview
from models.schedule import recurrence_form
from models.schedule.form import form_values
from models.stamdata import calendar_store
from models.stamdata.instellingen import (
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import replan
from views.contracten import bp
from views.render import htmx_redirect, is_htmx, render, wants_fragment
from views.schema import MADE_AT_SAVE, preview_fragment
from views.today import local_today

TEMPLATE = "contracten/wizard.html"
PLAN_STEP = {"preventief": "schema", "correctief": "sla", "jaarlijks": "aantal"}
LABELS = {"type": "Type", "overeenkomst": "Overeenkomst", "werkbon": "Werkbon",
          "schema": "Schema", "sla": "SLA", "aantal": "Aantal", "controle": "Controle"}
SCHEDULE_FIELDS = ["frequency", "interval", "weekdays", "monthly_mode", "day_of_month", "ordinal",
                   "ordinal_weekday", "month", "season_months", "end_mode", "until", "count"]
FIELDS = {
    "type": ["contracttype_id"],
    "overeenkomst": ["klant_id", "klant_q", "contractvoorwaarden_id", "start_date", "end_date",
                     "description", "reference"],
    "werkbon": ["wb_description", "werktype", "duration_minutes", "prioriteit", "start_time",
                "medewerker_id", "medewerker_q", "internal_note"],
    "schema": SCHEDULE_FIELDS + ["holidays", "weekends", "days_in_advance"],
    "aantal": ["visits_per_year", "holidays", "weekends", "days_in_advance"],
    "sla": ["sla_beleid_id"],
    "controle": [],
}
LIST_FIELDS = {"weekdays", "season_months"}
WERKBON_KEYS = {"werkbon.description": "wb_description", "werkbon.werktype": "werktype",
                "werkbon.duration_minutes": "duration_minutes",
                "werkbon.prioriteit": "prioriteit", "werkbon.start_time": "start_time",
                "werkbon.medewerker_id": "medewerker_id",
                "werkbon.internal_note": "internal_note"}


# --------------------------------------------------------------------------- draft <-> input


def kind_of(values: dict) -> str | None:
    ctype = Contracttype.get_or_none(Contracttype.id == _int(values.get("contracttype_id")))
    return ctype.kind if ctype else None


def steps_for(kind: str | None) -> list[str]:
    return ["type", "overeenkomst", "werkbon", PLAN_STEP.get(kind or "", "schema"), "controle"]


def _int(value):
    """An id from the draft's text, or None (also for 2**63 and up: no row has it, and the
    database driver refuses it)."""
    return contract_input.parse_int(value)


def schedule_input(values: dict) -> schedule_form.ScheduleInput:
    raw = {k: v for k, v in values.items() if k in set(SCHEDULE_FIELDS) | {
        "start_date", "end_date", "holidays", "weekends", "days_in_advance"}}
    raw.setdefault("start_date", values.get("start_date", ""))
    if not raw.get("end_date"):
        raw["end_date"] = _effective_end(values)
    return schedule_form.parse(raw)


def _effective_end(values: dict) -> str:
    """The end date typed, or the one the terms give."""
    if values.get("end_date"):
        return values["end_date"]
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    start = contract_input.parse_date(values.get("start_date"))
    if terms and start:
        from models.contracts.lifecycle import end_from_terms

        return end_from_terms(start, terms.duration_months).isoformat()
    return ""


def keeps_own_rule(values: dict) -> bool:
    """An edited contract whose rule the form cannot show (made through the API, e.g. "dag 1 en
    15") keeps that rule unless the planner chooses to replace it: the form showed its own
    default instead, Controle previewed that, and saving was refused."""
    return bool(values.get("rrule_unsupported")) and values.get("schema_vervangen") != "1"


def to_input(values: dict) -> dict:
    """The draft's raw strings in the API's shape, for contract_service.check."""
    ctype = Contracttype.get_or_none(Contracttype.id == _int(values.get("contracttype_id")))
    data = {
        "klant_id": values.get("klant_id") or None,
        "contracttype": ctype.name if ctype else None,
        "description": values.get("description", ""),
        "reference": values.get("reference", ""),
        "contractvoorwaarden_id": values.get("contractvoorwaarden_id") or None,
        "start_date": values.get("start_date") or None,
        "end_date": values.get("end_date") or None,
        "days_in_advance": values.get("days_in_advance", "0") or "0",
        "werkbon": {
            "description": values.get("wb_description", ""),
            "werktype": values.get("werktype") or None,
            "duration_minutes": values.get("duration_minutes") or None,
            "prioriteit": values.get("prioriteit") or None,
            "start_time": values.get("start_time") or None,
            "medewerker_id": values.get("medewerker_id") or None,
            "internal_note": values.get("internal_note", ""),
        },
    }
    kind = ctype.kind if ctype else None
    if kind == "preventief" and keeps_own_rule(values):
        data["schedule"] = {"rrule": values["rrule_unsupported"],
                            "holidays": values.get("holidays") or "ignore",
                            "weekends": values.get("weekends") or "ignore",
                            "extra_dates": json.loads(values.get("extra_dates") or "[]"),
                            "skip_dates": json.loads(values.get("skip_dates") or "[]")}
    elif kind == "preventief":
        parsed = schedule_input(values)
        if not any(k in parsed.errors for k in SCHEDULE_FIELDS):
            data["schedule"] = {"rrule": recurrence_form.to_rrule(parsed.form),
                                "holidays": values.get("holidays") or "ignore",
                                "weekends": values.get("weekends") or "ignore",
                                "extra_dates": json.loads(values.get("extra_dates") or "[]"),
                                "skip_dates": json.loads(values.get("skip_dates") or "[]")}
    elif kind == "jaarlijks":
        data["visits_per_year"] = values.get("visits_per_year") or None
        data["schedule"] = {"holidays": values.get("holidays") or "ignore",
                            "weekends": values.get("weekends") or "ignore"}
    elif kind == "correctief":
        data["sla_beleid_id"] = values.get("sla_beleid_id") or None
        data["days_in_advance"] = "0"
    return data


def from_contract(contract: Contract) -> dict:
    """Draft values for editing an existing contract (the wizard, prefilled)."""
    values = {
        "contracttype_id": str(contract.contracttype_id), "klant_id": str(contract.klant_id),
        "contractvoorwaarden_id": str(contract.voorwaarden_id or ""),
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else "",
        "description": contract.description, "reference": contract.reference,
        "wb_description": contract.wb_description,
        "werktype": contract.werktype.name if contract.werktype_id else "",
        "duration_minutes": str(contract.duration_minutes),
        "prioriteit": contract.prioriteit.name if contract.prioriteit_id else "",
        "start_time": contract.start_time, "medewerker_id": str(contract.medewerker_id or ""),
        "internal_note": contract.internal_note, "holidays": contract.holidays,
        "weekends": contract.weekends, "days_in_advance": str(contract.days_in_advance),
        "visits_per_year": str(contract.visits_per_year or ""),
        "sla_beleid_id": str(contract.sla_beleid_id or ""),
        "extra_dates": contract.extra_dates, "skip_dates": contract.skip_dates,
    }
    if contract.kind == "preventief" and contract.rrule:
        form = recurrence_form.from_rrule(contract.rrule)
        if form is not None:
            fv = form_values(schedule_form.ScheduleInput(form=form,
                                                         start_date=contract.start_date))
            values.update({k: fv[k] for k in SCHEDULE_FIELDS})
        else:
            values["rrule_unsupported"] = contract.rrule
    return values


# --------------------------------------------------------------------------- checking a step


def step_errors(step: str, values: dict, current: Contract | None) -> dict[str, str]:
    data = to_input(values)
    kind = kind_of(values)
    if step == "type":
        return {} if kind else {"contracttype_id": "Kies een contracttype."}
    if step == "overeenkomst":
        _, errors = contract_checks.check_agreement(data, current)
        return {k: v for k, v in errors.items() if k != "contracttype"}
    if step == "werkbon":
        ctype = Contracttype.get_or_none(Contracttype.id == _int(values.get("contracttype_id")))
        _, errors = contract_checks.check_werkbon(data["werkbon"], ctype, current)
        return {WERKBON_KEYS.get(k, k): v for k, v in errors.items()}
    if step in ("schema", "aantal", "sla"):
        start = contract_input.parse_date(values.get("start_date"))
        if start is None:
            return {"rrule": "Vul eerst een geldige startdatum in bij de stap Overeenkomst."}
        errors = {}
        if step == "schema" and not keeps_own_rule(values):
            parsed = schedule_input(values)
            errors = {k: contract_input.in_contract_words(k, v)
                      for k, v in parsed.errors.items() if k not in ("start_date", "end_date")}
            if errors:
                return errors
        end = contract_input.parse_date(_effective_end(values))
        _, plan_errors = contract_checks.check_plan(data, kind, start, end)
        for key, message in plan_errors.items():
            errors[key.removeprefix("schedule.")] = message
        return errors
    _, errors = contract_checks.check(data, current)
    return errors


def step_of_field(field: str, kind: str | None) -> str:
    for step in steps_for(kind):
        names = FIELDS[step] + (["rrule"] if step == "schema" else [])
        if field in names or WERKBON_KEYS.get(field) in names or \
                field.removeprefix("schedule.") in names:
            return step
    return "overeenkomst"


# --------------------------------------------------------------------------- drafts


class DraftGone(Exception):
    """The draft was saved or thrown away (by a click a moment ago: a double click, another tab;
    or long ago: a bookmark, Back after saving) while this request wanted it. Answered by
    `_draft_gone` (to the contract it became, when known), not with a 404."""

    def __init__(self, contract_id: int | None = None,
                 message: str = "Dit concept is er niet meer: het is al opgeslagen of "
                                "weggegooid."):
        super().__init__(contract_id)
        self.contract_id = contract_id
        self.message = message


@bp.errorhandler(DraftGone)
def _draft_gone(gone: DraftGone):
    flash(gone.message, "info")
    target = url_for("contracten.detail", contract_id=gone.contract_id) if gone.contract_id \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


DRAFT = "concept"  # the audit trail's entity for what became of a draft (draft ids never repeat)


def used_up(draft_id: int) -> DraftGone | None:
    """What became of this user's draft that is no longer there: saved as a contract (which),
    or thrown away; None when the audit trail knows nothing of it (then it never was theirs)."""
    from models.db.audit import AuditLog

    row = (AuditLog.select().where(AuditLog.entity == DRAFT, AuditLog.entity_id == draft_id,
                                   AuditLog.actor == current_user.username)
           .order_by(AuditLog.id.desc()).first())
    if row is None:
        return None
    contract = Contract.get_or_none(Contract.id == json.loads(row.changes or "{}")
                                    .get("contract_id"))
    if row.action == "opgeslagen" and contract is not None:
        return DraftGone(contract.id, f"Dit concept is al opgeslagen: dit is contract "
                                      f"{contract.number}.")
    if row.action == "weggegooid":
        return DraftGone(contract.id if contract else None, "Dit concept is weggegooid.")
    return DraftGone()


def _draft(draft_id: int) -> ContractDraft:
    draft = ContractDraft.get_or_none(ContractDraft.id == draft_id,
                                      ContractDraft.user == current_user.id)
    if draft is None:
        gone = used_up(draft_id)
        if gone is not None:
            raise gone  # a used-up draft's URL leads to the contract it became
        if request.method == "POST":
            raise DraftGone()  # most likely the second click of a double click
        abort(404)
    return draft


def _update(draft: ContractDraft, step: str, move_to: str | None = None) -> dict:
    """Merges the submitted fields of `step` into the draft and returns its values; `move_to`
    also makes that the step the draft resumes at.

    Read, merge and write happen in one write transaction on the row as it is then (db.locked),
    not on what this request read before: an autosave still in flight when Volgende is pressed,
    or a second tab on another step, would otherwise write back the older values it read and
    undo the other request's input."""
    with write_transaction():
        row = locked(ContractDraft.select(ContractDraft.data)
                     .where(ContractDraft.id == draft.id)).first()
        if row is None:
            raise DraftGone(draft.contract_id)
        values = _merge(row.values, step)
        if step in PLAN_FIELDS:
            remember_valid(values, row.values, draft.contract)
        fields = {"data": json.dumps(values, ensure_ascii=False), "updated_at": utcnow()}
        if move_to:
            fields["step"] = move_to
        ContractDraft.update(**fields).where(ContractDraft.id == draft.id).execute()
    draft.data = fields["data"]
    draft.step = move_to or draft.step
    return values


# the plan steps' fields the preview is built from (kept as the last valid preview's input)
PLAN_FIELDS = {"schema": FIELDS["schema"], "aantal": FIELDS["aantal"]}
LAST_VALID = "_geldig"


def remember_valid(values: dict, before: dict, contract: Contract | None) -> None:
    """Keep in the draft (under LAST_VALID) the plan input that last gave a preview: after a
    refused Volgende or a reload with a mistake in the schema, the step shows that preview,
    labelled as the last valid one, instead of "Vul het schema in…" exactly when the planner
    needs it. The input before this request counts too (the step opened with its defaults and
    the first thing typed was wrong)."""
    for candidate in (values, before):
        shown = with_schedule_defaults(candidate)
        if plan_schedule(shown, contract) is not None:
            values[LAST_VALID] = json.dumps(
                {k: shown[k] for k in PLAN_FIELDS["schema"] + PLAN_FIELDS["aantal"]
                 if k in shown}, ensure_ascii=False)
            return
        if LAST_VALID in values:
            return  # what was typed is wrong: the last valid input stays what it was


def last_valid(values: dict, contract: Contract | None) -> dict | None:
    """The draft with its plan input as it last gave a preview (None: it never did), or, for
    an edit that never did, as the contract is saved."""
    if LAST_VALID in values:
        return {**values, **json.loads(values[LAST_VALID])}
    if contract is not None:
        saved = from_contract(contract)
        return {**values, **{k: saved[k] for k in PLAN_FIELDS["schema"] + PLAN_FIELDS["aantal"]
                             if k in saved}}
    return None


def _move(draft: ContractDraft, step: str) -> None:
    """The step the draft resumes at (one column, one statement: nothing to race)."""
    ContractDraft.update(step=step, updated_at=utcnow()).where(
        ContractDraft.id == draft.id).execute()
    draft.step = step


def _merge(values: dict, step: str) -> dict:
    """The submitted fields of this step over the draft (only this step's fields)."""
    merged = dict(values)
    for name in FIELDS.get(step, []):
        if name in LIST_FIELDS:
            if step == "schema":
                merged[name] = request.form.getlist(name)
        elif name in request.form:
            merged[name] = request.form.get(name, "").strip()
    if step == "schema" and "frequency" in request.form:  # a checkbox: absent means off
        merged["schema_vervangen"] = request.form.get("schema_vervangen", "")
    if step == "type" and merged.get("contracttype_id") != values.get("contracttype_id"):
        _retype(merged, values.get("contracttype_id"))
    return merged


def type_defaults(ctype: Contracttype) -> dict:
    """What a new contract of this type starts with on the later steps."""
    return {"days_in_advance": str(ctype.default_days_in_advance),
            "werktype": ctype.default_werktype.name if ctype.default_werktype_id else "",
            "duration_minutes": str(ctype.default_duration or "")}


def _retype(values: dict, old_id) -> None:
    """Another type chosen in step 1 after going back: the old type's defaults the planner left
    as they were become the new type's (a Preventief after a Correctief had 'Storing', 90
    minutes and 0 days in advance); what the planner changed stays."""
    old = Contracttype.get_or_none(Contracttype.id == _int(old_id)) if old_id else None
    new_id = _int(values.get("contracttype_id"))
    new = Contracttype.get_or_none(Contracttype.id == new_id) if new_id else None
    if old is None or new is None:
        return
    before, after = type_defaults(old), type_defaults(new)
    for name, default in before.items():
        if values.get(name, default) == default:
            values[name] = after[name]


# --------------------------------------------------------------------------- rendering


def _context(draft: ContractDraft, step: str, values: dict, errors: dict) -> dict:
    kind = kind_of(values)
    today = local_today()
    ctx = {"draft": draft, "step": step, "steps": steps_for(kind), "labels": LABELS,
           "values": values, "errors": errors, "kind": kind, "contract": draft.contract,
           "today": today}
    if step == "type":
        ctx["types"] = Contracttype.select().where(Contracttype.active == True)  # noqa: E712
    elif step == "overeenkomst":
        ctx["terms"] = Contractvoorwaarden.select().where(
            Contractvoorwaarden.active == True).order_by(Contractvoorwaarden.name)  # noqa: E712
        ctx["klanten"] = klant_options(values.get("klant_q", ""), values.get("klant_id"))
        ctx["looptijd"] = looptijd(values, today)
        ctx["looptijd_fouten"] = period_errors(values, draft.contract)
    elif step == "werkbon":
        current = draft.contract
        ctx["werktypen"] = Werktype.select().where(
            _active_or(Werktype, current.werktype_id if current else None))
        ctx["prioriteiten"] = Prioriteit.select().where(
            _active_or(Prioriteit, current.prioriteit_id if current else None)
        ).order_by(Prioriteit.rank)
        ctx["medewerkers"] = medewerker_options(values.get("medewerker_q", ""),
                                                values.get("medewerker_id"))
    elif step in ("schema", "aantal"):
        ctx.update(plan_preview(values, today, draft.contract))
    elif step == "sla":
        current = draft.contract
        ctx["sla_beleid"] = SlaBeleid.select().where(
            _active_or(SlaBeleid, current.sla_beleid_id if current else None))
    elif step == "controle":
        ctx.update(controle(values, today, draft.contract))
        ctx["effect"] = edit_effect(draft, values, today)
        ctx["changes"] = edit_changes(draft, values, today) if ctx["effect"] else None
    return ctx


def _active_or(model, current_id):
    """The choices of a settings list: its active rows, plus the one the contract being edited
    has now even if a beheerder switched it off since (contract_service lets it stay).
    Without it, the form fell back to another value and saving changed the contract."""
    active = model.active == True  # noqa: E712
    return active if current_id is None else active | (model.id == current_id)


def show(draft, step, values, errors, status=200, push=False):
    ctx = _context(draft, step, values, errors)
    if wants_fragment():
        resp = render(TEMPLATE, block="wizard", status=status, **ctx)
        if push:
            resp.headers["HX-Push-Url"] = step_url(draft, step)
        return resp
    return render(TEMPLATE, status=status, **ctx)


def step_url(draft, step):
    return url_for("contracten.wizard_step", draft_id=draft.id, step=step)


class Options(list):
    """The first OPTIONS matches to choose from; `more` says there are others (search on)."""

    more = False


OPTIONS = 8


def _options(query, model, selected_id) -> Options:
    found = Options(query.order_by(model.name).limit(OPTIONS + 1))
    found.more = len(found) > OPTIONS
    del found[OPTIONS:]
    selected = model.get_or_none(model.id == _int(selected_id)) if selected_id else None
    if selected and selected not in found:
        found.insert(0, selected)
    return found


def klant_options(q: str, selected_id) -> Options:
    q = search_text(q)  # a NUL in the LIKE was a 500 on PostgreSQL
    query = Klant.select().where(Klant.active == True)  # noqa: E712
    if q:
        query = query.where(Klant.name.contains(q) | Klant.customer_number.contains(q)
                            | Klant.city.contains(q))
    return _options(query, Klant, selected_id)


def medewerker_options(q: str, selected_id) -> Options:
    q = search_text(q)
    query = Medewerker.select().where(Medewerker.active == True)  # noqa: E712
    if q:
        query = query.where(Medewerker.name.contains(q) | Medewerker.personnel_number.contains(q))
    return _options(query, Medewerker, selected_id)


def looptijd(values: dict, today: date) -> dict | None:
    """Derived status, renewal date and last day to give notice, for step 2's side panel."""
    start = contract_input.parse_date(values.get("start_date"))
    if start is None:
        return None
    end = contract_input.parse_date(_effective_end(values))
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    auto = bool(terms and terms.auto_renew)
    period_end = lifecycle.period_end(start, end, auto, terms.renewal_months if terms else 0,
                                      today)
    notice, stops = lifecycle.next_notice(period_end, auto, terms.renewal_months,
                                          terms.notice_value, terms.notice_unit,
                                          today) if terms else (None, None)
    status = lifecycle.status(start, end, False, auto, today) if not (end and end < start) else None
    return {"start": start, "end": end, "terms": terms, "status": status,
            "status_label": lifecycle.STATUSES.get(status or "", ""), "renewal": period_end if auto
            else None, "notice": notice, "notice_stops": stops,
            "end_from_terms": not values.get("end_date") and end}


def period_errors(values: dict, current: Contract | None) -> list[str]:
    """What the Overeenkomst step will say about the period (start and end date), in its own
    words, for the Looptijd panel while the planner types (it showed "ma 1 mrt 2027 t/m vr 15
    jan 2027" with status "—" instead). A missing start date the panel says in its own way."""
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    if not values.get("start_date"):
        return []
    _start, _end, errors = contract_checks.check_period(values, terms, current)
    return [errors[k] for k in ("start_date", "end_date") if k in errors]


def renews(values: dict, contract: Contract | None = None) -> bool:
    """Terms that renew automatically, on a contract not ended early: the schedule runs on past
    the end date (as `Contract.renews` says once it is saved)."""
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    return lifecycle.renews(terms, contract.terminated_on if contract is not None else None)


def plan_schedule(values: dict, contract: Contract | None = None):
    """The schedule the draft describes (None while it cannot be built), as the saved contract
    will expand it (`contract`: the one being edited)."""
    data = to_input(values)
    start = contract_input.parse_date(values.get("start_date"))
    if start is None:
        return None
    end = contract_input.parse_date(_effective_end(values))
    runs_on = renews(values, contract)
    plan, errors = contract_checks.check_plan(data, kind_of(values), start, end,
                                               renews=runs_on)
    if errors or not plan.get("rrule"):
        return None
    schedule = contract_input.schedule_of(plan, start, end)
    if schedule is not None and runs_on:
        schedule = dataclasses.replace(schedule, end_date=None)
    return schedule


def with_schedule_defaults(values: dict) -> dict:
    """A plan step opened for the first time starts from the start date (monthly on its day)."""
    start = contract_input.parse_date(values.get("start_date"))
    if start is None or "interval" in values:
        return values
    initial = schedule_form.initial(start)
    defaults = form_values(initial)
    return {**{k: defaults[k] for k in SCHEDULE_FIELDS}, **values,
            "frequency": values.get("frequency") or defaults["frequency"]}


def plan_preview(values: dict, today: date, contract: Contract | None = None) -> dict:
    values = with_schedule_defaults(values)
    schedule = plan_schedule(values, contract)
    parsed = schedule_input(values)
    shown, stale = values, False
    if schedule is None and (last := last_valid(values, contract)) is not None:
        # the input has a mistake: show the last preview it gave, labelled as such
        shown = with_schedule_defaults(last)
        schedule = plan_schedule(shown, contract)
        stale = schedule is not None
    preview = None
    if schedule is not None:
        after = max(today, schedule.start_date)
        from models.contracts.lifecycle import visits_sentence

        sentence = visits_sentence(_int(shown.get("visits_per_year"))) \
            if kind_of(shown) == "jaarlijks" else None
        preview = schedule_preview.build(schedule, calendar_store.free_days(), after,
                                         description=sentence)
    fv = form_values(parsed, None)
    for name in SCHEDULE_FIELDS + ["holidays", "weekends", "days_in_advance"]:
        if name in values:
            fv[name] = values[name]
    # an edit's dates up to today's lead already have their werkbon, or get it at the save
    made_now = MADE_AT_SAVE if contract is None else "al gemaakt of bij opslaan"
    return {"preview": preview, "data": schedule_input(shown) if stale else parsed,
            "schema_values": fv, "policy_labels": schedule_form.POLICY_LABELS,
            "today": today, "made_now": made_now, "stale": stale}


def controle(values: dict, today: date, contract: Contract | None = None) -> dict:
    ctx = plan_preview(values, today, contract)
    ids = {k: _int(values.get(k)) for k in ("klant_id", "medewerker_id",
                                            "contractvoorwaarden_id", "sla_beleid_id",
                                            "contracttype_id")}
    ctx.update({
        "klant": Klant.get_or_none(Klant.id == ids["klant_id"]),
        "medewerker": Medewerker.get_or_none(Medewerker.id == ids["medewerker_id"]),
        "voorwaarden": Contractvoorwaarden.get_or_none(
            Contractvoorwaarden.id == ids["contractvoorwaarden_id"]),
        "sla": SlaBeleid.get_or_none(SlaBeleid.id == ids["sla_beleid_id"]),
        "ctype": Contracttype.get_or_none(Contracttype.id == ids["contracttype_id"]),
        "looptijd": looptijd(values, today),
    })
    return ctx


def edit_effect(draft: ContractDraft, values: dict, today: date):
    """For an edit: what saving would do to the werkbonnen (replan.effect, which the save itself
    runs again), or None when it is no edit or does not pass the checks yet."""
    edited = edited_contract(draft.contract, values)
    if edited is None:
        return None
    return replan.effect(draft.contract, edited, today, calendar_store.free_days())


def edited_contract(current: Contract | None, values: dict) -> Contract | None:
    """The contract as saving the draft would make it (unsaved), or None: not an edit, or the
    draft does not pass the checks yet."""
    if current is None:
        return None
    checked, errors = contract_checks.check(to_input(values), current)
    if errors:
        return None
    return contract_service.edited(current, checked)


NEXT_DATES = 5  # the coming dates Controle compares before and after an edit
# fields only some contracts have: left out of "unchanged" when this one has nothing there
NOT_EVERY_KIND = {"visits_per_year", "sla_beleid_id", "schedule.extra_dates",
                  "schedule.skip_dates", "schedule.description", "schedule.holidays",
                  "schedule.weekends", "werkbon.internal_note", "reference"}


def edit_changes(draft: ContractDraft, values: dict, today: date) -> dict | None:
    """For an edit: every field the planner changed as (label, now, after saving), in the
    planner's words (names, Dutch dates, the schedule's sentence) and in the order of the
    form; the coming dates when they change; and the fields that stay as they are."""
    current = draft.contract
    edited = edited_contract(current, values)
    if edited is None:
        return None
    before = _flat(contract_service.serialise(current, today))
    after = _flat(contract_service.serialise(edited, today))
    changed, unchanged = [], []
    for field, label in CHANGE_LABELS.items():
        if field not in before and field not in after:
            continue
        old, new = readable(field, before.get(field)), readable(field, after.get(field))
        if field == "status":
            label = "Status na opslaan"
            old = lifecycle.STATUSES.get(before["status"], "—")
            new = lifecycle.STATUSES.get(after["status"], "—")
        if before.get(field) != after.get(field) and old != new:
            changed.append((label, old, new))
        elif new != "—" or field not in NOT_EVERY_KIND:
            unchanged.append((label, new))
    free = calendar_store.free_days()
    old_dates, new_dates = _coming(current, today, free), _coming(edited, today, free)
    if old_dates != new_dates:
        # (date, whether the other side lacks it): a date that goes or comes stands out
        changed.append(("Volgende datums",
                        [(short_date(d), d not in new_dates) for d in old_dates] or [("geen", 0)],
                        [(short_date(d), d not in old_dates) for d in new_dates] or [("geen", 0)]))
    return {"changed": changed, "unchanged": unchanged, "dates_change": old_dates != new_dates}


def _flat(shape: dict, prefix: str = "") -> dict:
    """The API shape with nested parts as "werkbon.medewerker_id" (contract_service.changes)."""
    flat = {}
    for key, value in shape.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _coming(contract: Contract, today: date, free) -> list[date]:
    """The contract's next NEXT_DATES dates from today (or its start)."""
    from models.schedule.expand import occurrences

    schedule = contract.schedule()
    if schedule is None:
        return []
    found, _more = occurrences(schedule, free, max(today, contract.start_date), NEXT_DATES)
    return [o.date for o in found]


# --------------------------------------------------------------------------- routes


@bp.route("/nieuw", methods=["GET", "POST"])
def wizard_new():
    """Step 1 for a new contract: choosing a type creates the draft."""
    if request.method == "GET":
        draft = ContractDraft(user=current_user.id, data="{}", step="type")
        draft.id = 0
        return show(draft, "type", {}, {})
    values = {"contracttype_id": request.form.get("contracttype_id", "")}
    errors = step_errors("type", values, None)
    if errors:
        draft = ContractDraft(user=current_user.id, data="{}", step="type")
        draft.id = 0
        return show(draft, "type", values, errors, 422)
    ctype = Contracttype.get_by_id(_int(values["contracttype_id"]))
    values.update({**type_defaults(ctype), "prioriteit": "Normaal", "start_time": "08:00",
                   "start_date": local_today().isoformat(),
                   **lifecycle.DEFAULT_POLICIES})
    draft = ContractDraft.new(user=current_user.id, step="overeenkomst",
                                 data=json.dumps(values))
    return _go(draft, "overeenkomst", values)


def _go(draft, step, values):
    if is_htmx():
        return show(draft, step, values, {}, push=True)
    return redirect(step_url(draft, step), 303)


@bp.route("/concept/<int:draft_id>/<step>", methods=["GET", "POST"])
def wizard_step(draft_id, step):
    draft = _draft(draft_id)
    values = draft.values
    steps = steps_for(kind_of(values))
    if step not in steps:
        abort(404)
    if request.method == "GET":
        return show(draft, step, values, {})
    action = request.form.get("actie", "volgende")
    index = steps.index(step)
    if action == "vorige":
        values = _update(draft, step, move_to=steps[max(index - 1, 0)])
        return _go(draft, steps[max(index - 1, 0)], values)
    values = _update(draft, step)
    if action in ("zoek-klant", "zoek-medewerker"):
        return show(draft, step, values, {})
    errors = step_errors(step, values, draft.contract)
    if errors:
        return show(draft, step, values, errors, 422)
    if step == "controle":
        return save(draft, values)
    _move(draft, steps[index + 1])
    return _go(draft, steps[index + 1], values)


@bp.route("/concept/<int:draft_id>/<step>/bewaren", methods=["POST"])
def wizard_autosave(draft_id, step):
    """Keeps what is typed (debounced by htmx) so a refresh or a closed tab loses nothing."""
    draft = _draft(draft_id)
    if step not in FIELDS:
        abort(404)
    _update(draft, step)
    return "", 204


@bp.route("/concept/<int:draft_id>/voorbeeld")
def wizard_preview(draft_id):
    """The live preview of the plan step: side-effect free, the draft merged with the query."""
    draft = _draft(draft_id)
    values = dict(draft.values)
    for name in FIELDS["schema"] + FIELDS["aantal"]:
        if name in LIST_FIELDS:
            values[name] = request.args.getlist(name)
        elif name in request.args:
            values[name] = request.args.get(name, "")
    step = PLAN_STEP.get(kind_of(values) or "", "schema")
    if step == "sla":
        abort(404)  # a storingsdienst has no dates to preview
    errors = step_errors(step, values, draft.contract)
    ctx = plan_preview(values, local_today(), draft.contract)
    ctx["errors"] = errors
    if wants_fragment():
        return preview_fragment(ctx, step)
    return show(draft, step, values, errors, 422 if errors else 200)


@bp.route("/concept/<int:draft_id>/looptijd")
def wizard_term(draft_id):
    draft = _draft(draft_id)
    values = dict(draft.values)
    for name in ("start_date", "end_date", "contractvoorwaarden_id"):
        if name in request.args:
            values[name] = request.args.get(name, "")
    ctx = _context(draft, "overeenkomst", values, {})
    if wants_fragment():
        return render_block("contracten/looptijd.html", "looptijd", **ctx)
    return render(TEMPLATE, **ctx)


@bp.route("/concept/<int:draft_id>/zoek/<what>")
def wizard_search(draft_id, what):
    draft = _draft(draft_id)
    q = request.args.get(f"{what}_q", "").strip()
    values = draft.values
    if what == "klant":
        ctx = {"klanten": klant_options(q, values.get("klant_id")), "values": values,
               "errors": {}}
        block = "klant_opties"
    elif what == "medewerker":
        ctx = {"medewerkers": medewerker_options(q, values.get("medewerker_id")),
               "values": values, "errors": {}}
        block = "medewerker_opties"
    else:
        abort(404)
    if wants_fragment():
        return render_block("contracten/zoekresultaten.html", block, **ctx)
    values = dict(values, **{f"{what}_q": q})
    return show(draft, "overeenkomst" if what == "klant" else "werkbon", values, {})


@bp.route("/concept/<int:draft_id>/weggooien", methods=["POST"])
def wizard_discard(draft_id):
    draft = _draft(draft_id)
    contract = draft.contract
    with write_transaction():
        if not ContractDraft.delete().where(ContractDraft.id == draft.id).execute():
            raise DraftGone(draft.contract_id)
        record(DRAFT, draft.id, "weggegooid", current_user.username,
               {"contract_id": contract.id if contract else None})
    flash("Het concept is weggegooid.", "info")
    target = url_for("contracten.detail", contract_id=contract.id) if contract \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


def save(draft: ContractDraft, values: dict):
    data = to_input(values)
    current = draft.contract
    checked, errors = contract_checks.check(data, current)
    if errors:
        return show(draft, "controle", values, errors, 422)
    today = local_today()
    actor = current_user.username
    redis_url = current_app.config.get("REDIS_URL")

    def use_up_draft():
        # The draft is used up in the same transaction that saves it: a second Opslaan at the
        # same moment (a double click, another tab) finds it gone and saves nothing, instead
        # of a second contract. A conflict rolls this back and keeps the draft.
        if not ContractDraft.delete().where(ContractDraft.id == draft.id).execute():
            raise used_up(draft.id) or DraftGone(draft.contract_id)

    def remember(contract_id: int):
        # the draft's URL (a bookmark, Back) then leads to the contract, not to a 404
        record(DRAFT, draft.id, "opgeslagen", actor, {"contract_id": contract_id})

    try:
        if current is None:
            with write_transaction():
                use_up_draft()
                contract = contract_service.create(checked, actor, today)
                remember(contract.id)
            message = f"Contract {contract.number} is opgeslagen."
        else:
            # the same path as the API's PATCH
            contract = replan.save_edit(
                current, checked, draft.base_version, actor, today,
                reassign=request.form.get("herverdelen") == "1",
                shown=request.form.get("gevolgen") or None,
                first=lambda: (use_up_draft(), remember(current.id)))
            message = f"Wijzigingen aan contract {contract.number} zijn opgeslagen."
    except contract_service.Conflict as conflict:
        return show_conflict(draft, values, conflict.current, today)
    except replan.PlanChanged:
        return show_changed_effect(draft, values)
    notice = after_save(contract, redis_url, today)

    flash(message, "succes")
    if notice:
        flash(notice, "info")
    target = url_for("contracten.detail", contract_id=contract.id)
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


CHANGE_LABELS = {
    "klant_id": "Klant", "contracttype": "Contracttype", "description": "Omschrijving",
    "reference": "Referentie", "contractvoorwaarden_id": "Contractvoorwaarden",
    "start_date": "Startdatum", "end_date": "Einddatum", "days_in_advance": "Dagen van tevoren",
    "schedule.description": "Schema", "schedule.holidays": "Feestdagen",
    "schedule.weekends": "Weekend", "schedule.extra_dates": "Extra datums",
    "schedule.skip_dates": "Overgeslagen datums", "visits_per_year": "Bezoeken per jaar",
    "sla_beleid_id": "SLA-beleid", "werkbon.description": "Omschrijving op de werkbon",
    "werkbon.werktype": "Werktype", "werkbon.duration_minutes": "Duur (minuten)",
    "werkbon.prioriteit": "Prioriteit", "werkbon.start_time": "Starttijd",
    "werkbon.medewerker_id": "Medewerker", "werkbon.internal_note": "Interne notitie",
    "status": "Status",
}  # the rest (version, the rule's RRULE text beside its sentence, ids) says nothing new


def readable(field: str, value) -> str:
    """A value of the API shape in the planner's words: names instead of ids, Dutch dates."""
    from models.schedule.describe import POLICY_LABELS

    names = {"klant_id": Klant, "werkbon.medewerker_id": Medewerker,
             "contractvoorwaarden_id": Contractvoorwaarden, "sla_beleid_id": SlaBeleid}
    if value is None or value == "" or value == []:
        return "—"
    if field in names:
        row = names[field].get_or_none(names[field].id == value)
        return row.name if row else str(value)
    if field in ("schedule.holidays", "schedule.weekends"):
        return POLICY_LABELS.get(value, "niets doen")
    if field == "contracttype":
        from models.stamdata.instellingen import KINDS

        return KINDS.get(value, str(value))
    if isinstance(value, list):
        return ", ".join(readable(field, v) for v in value)
    parsed = contract_input.parse_date(value) if isinstance(value, str) else None
    return short_date(parsed) if parsed else str(value)


def readable_changes(changed: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) in the planner's words: names instead of ids, Dutch dates."""
    return [(CHANGE_LABELS[field], readable(field, old), readable(field, new))
            for field, (old, new) in changed.items() if field in CHANGE_LABELS]


def show_changed_effect(draft, values):
    """The Controle step again, with the effect as it is now: a werkbon changed since the
    planner looked (someone planned, moved or started one), so the save wrote nothing."""
    ctx = _context(draft, "controle", values, {})
    ctx["effect_changed"] = True
    if wants_fragment():
        return render(TEMPLATE, block="wizard", status=409, **ctx)
    return render(TEMPLATE, status=409, **ctx)


def show_conflict(draft, values, current: Contract, today):
    base = json.loads(values.get("_base") or "{}")
    changed = readable_changes(
        contract_service.changes(base, contract_service.serialise(current, today)))
    errors = {"version": (
        f"Iemand anders heeft dit contract intussen opgeslagen (versie {current.version}). "
        "Uw wijzigingen zijn niet opgeslagen, zodat niets wordt overschreven.")}
    merged, clashes = rebase(draft, values, current, today)
    if merged is not None:
        values = merged
    ctx = _context(draft, "controle", values, errors)
    ctx["conflict"] = {"changes": changed, "version": current.version,
                       "merged": merged is not None, "clashes": clashes}
    if wants_fragment():
        return render(TEMPLATE, block="wizard", status=409, **ctx)
    return render(TEMPLATE, status=409, **ctx)


def rebase(draft, values: dict, current: Contract, today):
    """After a version conflict: bring the draft onto the saved version. What this planner did
    not change takes the other's value; what he changed stays his (a field both changed
    differently is named). The draft then builds on that version, so Opslaan after looking at
    it saves; before, the draft stayed on the old version and every Opslaan was refused again.
    (None, []) for a draft from before its starting values were kept (`_start`)."""
    if "_start" not in values:
        return None, []
    start, now = json.loads(values["_start"]), from_contract(current)
    merged, clashes = dict(values), []
    for key in set(start) | set(now):
        mine, old, theirs = values.get(key), start.get(key), now.get(key)
        if mine == old:
            if theirs is None:
                merged.pop(key, None)
            else:
                merged[key] = theirs
        elif theirs != old and theirs != mine:
            clashes.append(FIELD_LABELS.get(key, key))
    merged["_start"] = json.dumps(now, ensure_ascii=False)
    merged["_base"] = json.dumps(contract_service.serialise(current, today))
    with write_transaction():
        ContractDraft.update(base_version=current.version,
                             data=json.dumps(merged, ensure_ascii=False)).where(
            ContractDraft.id == draft.id).execute()
    draft.base_version = current.version
    return merged, sorted(clashes)


FIELD_LABELS = {
    "klant_id": "Klant", "contractvoorwaarden_id": "Contractvoorwaarden",
    "start_date": "Startdatum", "end_date": "Einddatum", "description": "Omschrijving",
    "reference": "Referentie", "wb_description": "Omschrijving op de werkbon",
    "werktype": "Werktype", "duration_minutes": "Duur", "prioriteit": "Prioriteit",
    "start_time": "Starttijd", "medewerker_id": "Medewerker", "internal_note": "Interne notitie",
    "holidays": "Feestdagen", "weekends": "Weekend", "days_in_advance": "Dagen van tevoren",
    "visits_per_year": "Bezoeken per jaar", "sla_beleid_id": "SLA-beleid",
    "extra_dates": "Extra datums", "skip_dates": "Overgeslagen datums",
}


def start_edit(contract: Contract, create: bool = True):
    """Open (or resume) this user's draft for editing the contract; with `create` False only
    resume one (None when there is none)."""
    draft = ContractDraft.get_or_none(ContractDraft.user == current_user.id,
                                      ContractDraft.contract == contract.id)
    if draft is None:
        if not create:
            return None
        values = from_contract(contract)
        values["_start"] = json.dumps(values, ensure_ascii=False)  # for a rebase after a conflict
        values["_base"] = json.dumps(contract_service.serialise(contract, local_today()))
        draft = ContractDraft.new(user=current_user.id, contract=contract,
                                     base_version=contract.version, step="overeenkomst",
                                     data=json.dumps(values, ensure_ascii=False))
    return redirect(step_url(draft, draft.step if draft.step != "type" else "overeenkomst"))
