"""What a draft of the contract wizard says, read with the rows it names: its type and terms,
its schedule, its input in the API's shape, whether each step passes (the same checks the API
runs), the Looptijd panel, the schedule its plan step previews, and the contract it would save.
The mapping itself is pure (models.contracts.wizard_form); this module looks the rows up.
"""

import dataclasses
import json

from models.contracts import checks, coverage, lifecycle, onderdelen, service
from models.contracts.input import in_contract_words, parse_date, parse_int, schedule_of
from models.contracts.tables import Contract
from models.contracts.wizard_form import (
    LAST_VALID,
    PLAN_FIELDS,
    WERKBON_KEYS,
    cadence_error_field,
    from_contract,
    keeps_own_rule,
    schedule_fields,
    to_input,
    with_schedule_defaults,
)
from models.schedule import form as schedule_form
from models.stamdata.instellingen import Contracttype, Contractvoorwaarden


def contract_type(type_id) -> Contracttype | None:
    """The Contracttype a draft's text id names, or None."""
    type_id = parse_int(type_id)
    return Contracttype.get_or_none(Contracttype.id == type_id) if type_id else None


def kind_of(values: dict) -> str | None:
    ctype = contract_type(values.get("contracttype_id"))
    return ctype.kind if ctype else None


def terms_of(values: dict) -> Contractvoorwaarden | None:
    return Contractvoorwaarden.get_or_none(
        Contractvoorwaarden.id == parse_int(values.get("contractvoorwaarden_id")))


def effective_end(values: dict) -> str:
    """The end date typed, or the one the terms give."""
    if values.get("end_date"):
        return values["end_date"]
    terms = terms_of(values)
    start = parse_date(values.get("start_date"))
    if terms and start:
        return lifecycle.end_from_terms(start, terms.duration_months).isoformat()
    return ""


def schedule_input(values: dict) -> schedule_form.ScheduleInput:
    """The draft's schedule block, parsed (with the end the terms give)."""
    return schedule_form.parse(schedule_fields(values, effective_end(values)))


def draft_input(values: dict) -> dict:
    """The draft in the API's shape, for models.contracts.checks."""
    ctype = contract_type(values.get("contracttype_id"))
    needs_schedule = ctype is not None and ctype.kind == "preventief" \
        and not keeps_own_rule(values)
    return to_input(values, ctype, schedule_input(values) if needs_schedule else None)


def step_errors(step: str, values: dict, current: Contract | None) -> dict[str, str]:
    """The errors of one step (keyed by its fields), with the rules the API checks."""
    data = draft_input(values)
    kind = kind_of(values)
    if step == "type":
        return {} if kind else {"contracttype_id": "Kies een contracttype."}
    if step == "overeenkomst":
        _, errors = checks.check_agreement(data, current)
        return {k: v for k, v in errors.items() if k != "contracttype"}
    if step == "werkbon":
        ctype = contract_type(values.get("contracttype_id"))
        _, errors = checks.check_werkbon(data["werkbon"], ctype, current)
        _, covers = coverage.check(data, coverage.klant_of(values), current)
        return {WERKBON_KEYS.get(k, k): v for k, v in {**errors, **covers}.items()}
    if step in ("schema", "aantal", "sla"):
        start = parse_date(values.get("start_date"))
        if start is None:
            return {"rrule": "Vul eerst een geldige startdatum in bij de stap Overeenkomst."}
        errors = {}
        if step == "schema" and not keeps_own_rule(values):
            parsed = schedule_input(values)
            errors = {k: in_contract_words(k, v)
                      for k, v in parsed.errors.items() if k not in ("start_date", "end_date")}
            if errors:
                return errors
        end = parse_date(effective_end(values))
        plan, plan_errors = checks.check_plan(data, kind, start, end)
        for key, message in plan_errors.items():
            errors[key.removeprefix("schedule.")] = message
        if step == "schema" and data.get("onderdelen") and not errors:
            for key, message in onderdelen.check(data, kind, start, end, plan,
                                                 current).items():
                errors[cadence_error_field(key) if key.count(".") >= 2 else "hoofd_naam"] = \
                    message
        return errors
    _, errors = checks.check(data, current)
    return errors


def new_contract(values: dict) -> Contract | None:
    """A new contract as saving the draft would make it (unsaved, with the werkadressen and
    objecten it names), or None while the draft does not pass the checks: what Controle prices
    (models.facturatie.quantities counts its visits and objecten)."""
    checked, errors = checks.check(draft_input(values), None)
    if errors:
        return None
    return coverage.edited_with(Contract(**service.columns(checked)), checked, None)


def edited_contract(current: Contract | None, values: dict) -> Contract | None:
    """The contract as saving the draft would make it (unsaved), or None: not an edit, or the
    draft does not pass the checks yet."""
    if current is None:
        return None
    checked, errors = checks.check(draft_input(values), current)
    if errors:
        return None
    return service.edited(current, checked)


# --------------------------------------------------------------------------- the Looptijd panel


def term(values: dict, today) -> dict | None:
    """Derived status, renewal date and last day to give notice, for step 2's side panel."""
    start = parse_date(values.get("start_date"))
    if start is None:
        return None
    end = parse_date(effective_end(values))
    return lifecycle.term(start, end, terms_of(values), today,
                          end_typed=bool(values.get("end_date")))


def period_errors(values: dict, current: Contract | None) -> list[str]:
    """What the Overeenkomst step will say about the period (start and end date), in its own
    words, for the Looptijd panel while the planner types (it showed "ma 1 mrt 2027 t/m vr 15
    jan 2027" with status "—" instead). A missing start date the panel says in its own way."""
    terms = terms_of(values)
    if not values.get("start_date"):
        return []
    _start, _end, errors = checks.check_period(values, terms, current)
    return [errors[k] for k in ("start_date", "end_date") if k in errors]


# --------------------------------------------------------------------------- the plan step


def renews(values: dict, contract: Contract | None = None) -> bool:
    """Terms that renew automatically, on a contract not ended early: the schedule runs on past
    the end date (as `Contract.renews` says once it is saved)."""
    return lifecycle.renews(terms_of(values),
                            contract.terminated_on if contract is not None else None)


def plan_schedule(values: dict, contract: Contract | None = None):
    """The schedule the draft describes (None while it cannot be built), as the saved contract
    will expand it (`contract`: the one being edited)."""
    data = draft_input(values)
    start = parse_date(values.get("start_date"))
    if start is None:
        return None
    end = parse_date(effective_end(values))
    runs_on = renews(values, contract)
    plan, errors = checks.check_plan(data, kind_of(values), start, end, renews=runs_on)
    if errors or not plan.get("rrule"):
        return None
    schedule = schedule_of(plan, start, end)
    if schedule is not None and runs_on:
        schedule = dataclasses.replace(schedule, end_date=None)
    return schedule


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
        saved = from_contract(contract, coverage.draft_tuple(contract))
        return {**values, **{k: saved[k] for k in PLAN_FIELDS["schema"] + PLAN_FIELDS["aantal"]
                             if k in saved}}
    return None


def draft_cadences(values: dict, schedule, contract: Contract | None = None) -> list:
    """The cadences (models.schedule.cadence) the draft's onderdelen make with the draft's valid
    `schedule` (plan_schedule: the first onderdeel's, with the contract's period and policies),
    as the saved contract will have them; [] while there are none or they are not valid."""
    from models.contracts.wizard_form import cadences_input
    from models.schedule.cadence import cadences_of

    parts = cadences_input(values, schedule.rrule) if schedule is not None else None
    if not parts:
        return []
    plan = {"holidays": schedule.holidays, "weekends": schedule.weekends}
    if onderdelen.check({"onderdelen": parts}, "preventief", schedule.start_date,
                        schedule.end_date, plan, contract) or not plan.get("onderdelen"):
        return []
    return cadences_of(json.loads(plan["onderdelen"]), schedule)
