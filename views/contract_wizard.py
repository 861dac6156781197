"""The step-by-step contract form. Each step is its own URL (full page, or the #wizard fragment
under htmx); the draft lives server-side per user, so back/next, refresh and a closed tab never
lose input. The steps check their part with the same functions the API uses."""

import dataclasses
import json
from datetime import date

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from models import calendar_store, contract_service, materialise, schedule_form, schedule_preview
from models import contract_rules as cr
from models import recurrence_form as rf
from models.base import utcnow
from models.contracten import Contract, ContractDraft
from models.db import locked, write_transaction
from models.instellingen import (
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)
from models.klanten import Klant
from models.medewerkers import Medewerker
from models.validation import search_text
from views.contracten import bp
from views.render import htmx_redirect, is_htmx, render, wants_fragment
from views.schema import form_values, preview_fragment
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
    return contract_service._int(value)


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
    start = contract_service._date(values.get("start_date"))
    if terms and start:
        from models.contract_rules import end_from_terms

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
            data["schedule"] = {"rrule": rf.to_rrule(parsed.form),
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
        form = rf.from_rrule(contract.rrule)
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
        _, errors = contract_service.check_agreement(data, current)
        return {k: v for k, v in errors.items() if k != "contracttype"}
    if step == "werkbon":
        ctype = Contracttype.get_or_none(Contracttype.id == _int(values.get("contracttype_id")))
        _, errors = contract_service.check_werkbon(data["werkbon"], ctype, current)
        return {WERKBON_KEYS.get(k, k): v for k, v in errors.items()}
    if step in ("schema", "aantal", "sla"):
        start = contract_service._date(values.get("start_date"))
        if start is None:
            return {"rrule": "Vul eerst een geldige startdatum in bij de stap Overeenkomst."}
        errors = {}
        if step == "schema" and not keeps_own_rule(values):
            parsed = schedule_input(values)
            errors = {k: contract_service.in_contract_words(k, v)
                      for k, v in parsed.errors.items() if k not in ("start_date", "end_date")}
            if errors:
                return errors
        end = contract_service._date(_effective_end(values))
        _, plan_errors = contract_service.check_plan(data, kind, start, end)
        for key, message in plan_errors.items():
            errors[key.removeprefix("schedule.")] = message
        return errors
    _, errors = contract_service.check(data, current)
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
    """The draft was saved or thrown away (by a click a moment ago: a double click, another tab)
    while this request wanted it. Answered by `_draft_gone`, not with a 404."""

    def __init__(self, contract_id: int | None = None):
        super().__init__(contract_id)
        self.contract_id = contract_id


@bp.errorhandler(DraftGone)
def _draft_gone(gone: DraftGone):
    flash("Dit concept is er niet meer: het is al opgeslagen of weggegooid.", "info")
    target = url_for("contracten.detail", contract_id=gone.contract_id) if gone.contract_id \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


def _draft(draft_id: int) -> ContractDraft:
    draft = ContractDraft.get_or_none(ContractDraft.id == draft_id,
                                      ContractDraft.user == current_user.id)
    if draft is None:
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
        fields = {"data": json.dumps(values, ensure_ascii=False), "updated_at": utcnow()}
        if move_to:
            fields["step"] = move_to
        ContractDraft.update(**fields).where(ContractDraft.id == draft.id).execute()
    draft.data = fields["data"]
    draft.step = move_to or draft.step
    return values


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
    start = contract_service._date(values.get("start_date"))
    if start is None:
        return None
    end = contract_service._date(_effective_end(values))
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    auto = bool(terms and terms.auto_renew)
    period_end = cr.period_end(start, end, auto, terms.renewal_months if terms else 0, today)
    notice, stops = cr.next_notice(period_end, auto, terms.renewal_months, terms.notice_value,
                                   terms.notice_unit, today) if terms else (None, None)
    status = cr.status(start, end, False, auto, today) if not (end and end < start) else None
    return {"start": start, "end": end, "terms": terms, "status": status,
            "status_label": cr.STATUSES.get(status or "", ""), "renewal": period_end if auto
            else None, "notice": notice, "notice_stops": stops,
            "end_from_terms": not values.get("end_date") and end}


def renews(values: dict, contract: Contract | None = None) -> bool:
    """Terms that renew automatically, on a contract not ended early: the schedule runs on past
    the end date (as `Contract.renews` says once it is saved)."""
    terms = Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == _int(values.get("contractvoorwaarden_id")))
    return cr.renews(terms, contract.terminated_on if contract is not None else None)


def plan_schedule(values: dict, contract: Contract | None = None):
    """The schedule the draft describes (None while it cannot be built), as the saved contract
    will expand it (`contract`: the one being edited)."""
    data = to_input(values)
    start = contract_service._date(values.get("start_date"))
    if start is None:
        return None
    end = contract_service._date(_effective_end(values))
    runs_on = renews(values, contract)
    plan, errors = contract_service.check_plan(data, kind_of(values), start, end,
                                               renews=runs_on)
    if errors or not plan.get("rrule"):
        return None
    schedule = contract_service.schedule_of(plan, start, end)
    if schedule is not None and runs_on:
        schedule = dataclasses.replace(schedule, end_date=None)
    return schedule


def with_schedule_defaults(values: dict) -> dict:
    """A plan step opened for the first time starts from the start date (monthly on its day)."""
    start = contract_service._date(values.get("start_date"))
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
    preview = None
    if schedule is not None:
        after = max(today, schedule.start_date)
        from models.contract_rules import visits_sentence

        sentence = visits_sentence(_int(values.get("visits_per_year"))) \
            if kind_of(values) == "jaarlijks" else None
        preview = schedule_preview.build(schedule, calendar_store.free_days(), after,
                                         description=sentence)
    fv = form_values(parsed, None)
    for name in SCHEDULE_FIELDS + ["holidays", "weekends", "days_in_advance"]:
        if name in values:
            fv[name] = values[name]
    return {"preview": preview, "data": parsed, "schema_values": fv,
            "policy_labels": schedule_form.POLICY_LABELS}


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


def edit_effect(draft: ContractDraft, values: dict, today: date) -> dict | None:
    """For an edit: what saving would do to the werkbonnen, computed exactly as the save will."""
    from models import materialise
    from models.describe import join
    from models.generation import reassignable

    current = draft.contract
    if current is None:
        return None
    checked, errors = contract_service.check(to_input(values), current)
    if errors:
        return None
    edited = Contract(**contract_service._columns(checked))
    edited.id = current.id
    edited.generate_from = current.generate_from
    edited.terminated_on = current.terminated_on  # an ended contract no longer renews
    plan = materialise.plan_for(edited, today, calendar_store.free_days())
    reassign, kept = [], []
    existing = materialise.existing_from(current, today)
    if edited.medewerker_id != current.medewerker_id:
        reassign = reassignable(existing, today, edited.medewerker_id)
        # the ones a person assigned by hand keep their medewerker: say so, by name
        kept = [w for w in existing if w.due_date >= today and w.changed_by_hand
                and w.status in ("open", "ingepland") and w.medewerker_id != edited.medewerker_id]
    details = [label for field, label in WERKBON_DETAILS
               if getattr(edited, field) != getattr(current, field)]
    waiting = sum(1 for w in existing if w.status in ("open", "ingepland"))
    return {"plan": plan, "reassign": reassign, "kept": kept, "medewerker": edited.medewerker,
            "details": details, "details_text": join(details), "waiting": waiting,
            "fingerprint": plan.fingerprint(reassign)}


# werkbon details copied onto each new werkbon (models/materialise.py _rows); existing ones keep
# theirs, which the Controle step says rather than "geen gevolgen"
WERKBON_DETAILS = (("wb_description", "omschrijving"), ("werktype_id", "werktype"),
                   ("prioriteit_id", "prioriteit"), ("duration_minutes", "duur"),
                   ("start_time", "starttijd"), ("internal_note", "interne notitie"))


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
                   "holidays": "next_workday", "weekends": "next_workday"})
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
    draft.delete_instance()
    flash("Het concept is weggegooid.", "info")
    target = url_for("contracten.detail", contract_id=contract.id) if contract \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


def save(draft: ContractDraft, values: dict):
    data = to_input(values)
    current = draft.contract
    checked, errors = contract_service.check(data, current)
    if errors:
        return show(draft, "controle", values, errors, 422)
    today = local_today()
    actor = current_user.username
    from views.contracten import after_save, edit_contract

    def use_up_draft():
        # The draft is used up in the same transaction that saves it: a second Opslaan at the
        # same moment (a double click, another tab) finds it gone and saves nothing, instead
        # of a second contract. A conflict rolls this back and keeps the draft.
        if not ContractDraft.delete().where(ContractDraft.id == draft.id).execute():
            raise DraftGone(draft.contract_id)

    try:
        if current is None:
            with write_transaction():
                use_up_draft()
                contract = contract_service.create(checked, actor, today)
            notice = after_save(contract)
            message = f"Contract {contract.number} is opgeslagen."
        else:
            # the same path as the API's PATCH (views.contracten.edit_contract)
            contract, notice = edit_contract(
                current, checked, draft.base_version, actor, today,
                reassign=request.form.get("herverdelen") == "1",
                shown=request.form.get("gevolgen") or None, first=use_up_draft)
            message = f"Wijzigingen aan contract {contract.number} zijn opgeslagen."
    except contract_service.Conflict as conflict:
        return show_conflict(draft, values, conflict.current, today)
    except materialise.PlanChanged:
        return show_changed_effect(draft, values)

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


def readable_changes(changed: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) in the planner's words: names instead of ids, Dutch dates."""
    from models.describe import POLICY_LABELS
    from models.dutch_dates import short_date
    from models.instellingen import SlaBeleid

    names = {"klant_id": Klant, "werkbon.medewerker_id": Medewerker,
             "contractvoorwaarden_id": Contractvoorwaarden, "sla_beleid_id": SlaBeleid}

    def word(field, value):
        if value is None or value == "" or value == []:
            return "—"
        if field in names:
            row = names[field].get_or_none(names[field].id == value)
            return row.name if row else str(value)
        if field in ("schedule.holidays", "schedule.weekends"):
            return POLICY_LABELS.get(value, "niets doen")
        if isinstance(value, list):
            return ", ".join(word(field, v) for v in value)
        parsed = contract_service._date(value) if isinstance(value, str) else None
        return short_date(parsed) if parsed else str(value)

    return [(CHANGE_LABELS[field], word(field, old), word(field, new))
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
