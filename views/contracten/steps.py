"""What each step of the contract wizard shows: the template context per step, the pickers'
first matches, the plan step's preview and the Controle summary (with what an edit does to the
werkbonnen and which fields it changes). Rendering only: the draft's rules are in
models.contracts.draft_checks and wizard_form, an edit's effect in models.werkbonnen.replan.
"""

from datetime import date

from models.common.validation import search_text
from models.contracts import changes, coverage, draft_checks
from models.contracts.input import parse_int
from models.contracts.lifecycle import visits_sentence
from models.contracts.tables import WERKBON_PER, Contract, ContractDraft
from models.contracts.wizard_form import SCHEDULE_FIELDS, steps_for, with_schedule_defaults
from models.facturatie import edit as facturatie_edit
from models.schedule import form as schedule_form
from models.schedule import preview as schedule_preview
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
from models.werkbonnen.plan import visits
from views.previews import MADE_AT_SAVE

LABELS = {"type": "Type", "overeenkomst": "Overeenkomst", "werkbon": "Werkbon",
          "schema": "Schema", "sla": "SLA", "aantal": "Aantal", "controle": "Controle"}
OPTIONS = 8


def step_context(draft: ContractDraft, step: str, values: dict, errors: dict,
                 today: date) -> dict:
    """Everything templates/contracten/wizard.html needs to show `step` of the draft."""
    kind = draft_checks.kind_of(values)
    current = draft.contract
    ctx = {"draft": draft, "step": step, "steps": steps_for(kind), "labels": LABELS,
           "values": values, "errors": errors, "kind": kind, "contract": current,
           "today": today}
    if step == "type":
        ctx["types"] = Contracttype.select().where(Contracttype.active == True)  # noqa: E712
    elif step == "overeenkomst":
        ctx["terms"] = Contractvoorwaarden.select().where(
            Contractvoorwaarden.active == True).order_by(Contractvoorwaarden.name)  # noqa: E712
        ctx["klanten"] = klant_options(values.get("klant_q", ""), values.get("klant_id"))
        ctx["looptijd"] = draft_checks.term(values, today)
        ctx["looptijd_fouten"] = draft_checks.period_errors(values, current)
    elif step == "werkbon":
        ctx["werktypen"] = Werktype.select().where(
            _active_or(Werktype, current.werktype_id if current else None))
        ctx["prioriteiten"] = Prioriteit.select().where(
            _active_or(Prioriteit, current.prioriteit_id if current else None)
        ).order_by(Prioriteit.rank)
        ctx["medewerkers"] = medewerker_options(values.get("medewerker_q", ""),
                                                values.get("medewerker_id"))
        ctx["dekking"] = coverage.picker(values, current)
        ctx["werkbon_per"] = WERKBON_PER
    elif step in ("schema", "aantal"):
        ctx.update(plan_preview(values, today, current))
    elif step == "sla":
        ctx["sla_beleid"] = SlaBeleid.select().where(
            _active_or(SlaBeleid, current.sla_beleid_id if current else None))
    elif step == "controle":
        ctx.update(controle(values, today, current))
        edited = draft_checks.edited_contract(current, values)
        ctx["effect"] = None if edited is None else \
            replan.effect(current, edited, today, calendar_store.free_days())
        ctx["changes"] = changes.edit_changes(current, edited, today) if ctx["effect"] else None
        if ctx["effect"] is not None:
            ctx.update(effect_names(ctx["effect"].plan, [current, edited]))
            # what the edit does to the termijnen (a priced contract), in the same digest
            ctx["termijnen"] = facturatie_edit.termijnen_effect(edited, today)
            ctx["gevolgen"] = facturatie_edit.fingerprint(ctx["effect"].fingerprint,
                                                          ctx["termijnen"])
    return ctx


def _active_or(model, current_id):
    """The choices of a settings list: its active rows, plus the one the contract being edited
    has now even if a beheerder switched it off since (the checks let it stay). Without it, the
    form fell back to another value and saving changed the contract."""
    active = model.active == True  # noqa: E712
    return active if current_id is None else active | (model.id == current_id)


# --------------------------------------------------------------------------- the pickers


class Options(list):
    """The first OPTIONS matches to choose from; `more` says there are others (search on)."""

    more = False


def _options(query, model, selected_id) -> Options:
    found = Options(query.order_by(model.name).limit(OPTIONS + 1))
    found.more = len(found) > OPTIONS
    del found[OPTIONS:]
    selected = model.get_or_none(model.id == parse_int(selected_id)) if selected_id else None
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


# --------------------------------------------------------------------------- plan and Controle


def plan_preview(values: dict, today: date, contract: Contract | None = None) -> dict:
    """The plan step's preview: the next dates of the schedule the draft describes, or, while it
    has a mistake, the last preview it gave (marked stale), with the inputs as typed."""
    values = with_schedule_defaults(values)
    schedule = draft_checks.plan_schedule(values, contract)
    parsed = draft_checks.schedule_input(values)
    shown, stale = values, False
    if schedule is None and (last := draft_checks.last_valid(values, contract)) is not None:
        # the input has a mistake: show the last preview it gave, labelled as such
        shown = with_schedule_defaults(last)
        schedule = draft_checks.plan_schedule(shown, contract)
        stale = schedule is not None
    preview = None
    if schedule is not None:
        after = max(today, schedule.start_date)
        sentence = visits_sentence(parse_int(shown.get("visits_per_year"))) \
            if draft_checks.kind_of(shown) == "jaarlijks" else None
        preview = schedule_preview.build(schedule, calendar_store.free_days(), after,
                                         description=sentence)
    inputs = schedule_form.form_values(parsed, None)
    for name in SCHEDULE_FIELDS + ["holidays", "weekends", "days_in_advance"]:
        if name in values:
            inputs[name] = values[name]
    # an edit's dates up to today's lead already have their werkbon, or get it at the save
    made_now = MADE_AT_SAVE if contract is None else "al gemaakt of bij opslaan"
    return {"preview": preview,
            **cadence_preview(shown, schedule if not stale else None, today, contract),
            "data": draft_checks.schedule_input(shown) if stale else parsed,
            "schema_values": inputs, "policy_labels": schedule_form.POLICY_LABELS,
            "today": today, "made_now": made_now, "stale": stale,
            **werkbonnen_per_date(values, preview, today, contract)}


def cadence_preview(values: dict, schedule, today: date,
                    contract: Contract | None = None) -> dict:
    """The plan step's onderdelen: the fields' choices, and while they are valid the merged
    timeline of all of them (models.schedule.cadence.timeline) with each one's sentence."""
    from models.common.dutch_dates import MONTHS_LONG
    from models.contracts.onderdelen import sentence
    from models.contracts.wizard_form import CADENCE_FREQS, CADENCE_UNITS
    from models.schedule.cadence import WINDOWS, timeline

    ctx = {"frequenties": CADENCE_FREQS, "eenheden": CADENCE_UNITS, "maanden": MONTHS_LONG,
           "vensters": {k: v.removeprefix("in ").removeprefix("op ") for k, v in WINDOWS.items()},
           "tijdlijn": None}
    if not values.get("onderdelen_rijen"):
        return ctx
    chosen = [row.get("werktype") for row in values["onderdelen_rijen"] if row.get("werktype")]
    ctx["werktypen"] = Werktype.select().where(  # as the werkbon step's: active or chosen
        (Werktype.active == True) | Werktype.name.in_(chosen))  # noqa: E712
    cadences = draft_checks.draft_cadences(values, schedule, contract)
    if cadences:
        start = cadences[0].schedule.start_date
        first = max(start, today) if contract is None else max(
            start, contract.generate_from or start)
        ctx["tijdlijn"] = timeline(cadences, calendar_store.free_days(), max(today, start),
                                   first, 12)
        ctx["tijdlijn_cadansen"] = [(c.name, c.rank, sentence(c)) for c in cadences]
    return ctx


def werkbonnen_per_date(values: dict, preview, today: date, contract: Contract | None) -> dict:
    """For a draft that covers objecten: per date of the preview how many werkbonnen it gives
    and for which objecten or werkadressen (`werkbonnen`: {date: Visits}, with the `labels` to
    name them), and how many of them are made at once (`werkbonnen_nu`)."""
    if preview is None or not preview.occurrences:
        return {}
    covers = coverage.of_draft(values, contract)
    if covers is None or covers.empty:
        return {}
    planned = replan.coverage_from(covers)
    per_date = {o.date: visits([o], planned) for o in preview.occurrences}
    now = sum(len(per_date[o.date]) for o in preview.occurrences if o.generate_on <= today)
    return {"werkbonnen": per_date, "werkbonnen_labels": slot_labels(covers),
            "werkbonnen_nu": now}


def slot_labels(covers) -> dict:
    """{slot: what the planner calls it}: an object's number, a werkadres's name or address
    (models/werkbonnen/plan.py parts)."""
    labels = {f"o{o.id}": o.number for o in covers.objecten}
    for werkadres, _objects in covers.places():
        labels[f"w{werkadres.id}"] = werkadres.label
    return labels


def controle(values: dict, today: date, contract: Contract | None = None) -> dict:
    """The Controle step: the plan's preview and the rows the draft names."""
    ctx = plan_preview(values, today, contract)
    ids = {k: parse_int(values.get(k)) for k in ("klant_id", "medewerker_id",
                                                 "contractvoorwaarden_id", "sla_beleid_id")}
    ctx.update({
        "klant": Klant.get_or_none(Klant.id == ids["klant_id"]),
        "medewerker": Medewerker.get_or_none(Medewerker.id == ids["medewerker_id"]),
        "voorwaarden": Contractvoorwaarden.get_or_none(
            Contractvoorwaarden.id == ids["contractvoorwaarden_id"]),
        "sla": SlaBeleid.get_or_none(SlaBeleid.id == ids["sla_beleid_id"]),
        "ctype": draft_checks.contract_type(values.get("contracttype_id")),
        "looptijd": draft_checks.term(values, today),
        "gedekt": coverage.of_draft(values, contract),
        "werkbon_per": WERKBON_PER,
    })
    return ctx


def _per_cadence(plan, names: dict, labels: dict) -> list[tuple]:
    """Controle's effect per onderdeel: (name, new, moved, cancelled, protected) for each that
    an edit touches; each cadence slot also gets its name in `labels` (changed in place)."""
    from models.schedule.cadence import ORIGINAL
    from models.werkbonnen.plan import cadence_of

    counts: dict = {}
    parts = dict(labels)  # the objecten and werkadressen, before onderdelen are added
    rows = [("create", v) for v in plan.create] + [("move", w) for w, _o in plan.move] + [
        ("cancel", w) for w in plan.cancel] + [("protected", w) for w, _why in plan.protected]
    for kind, item in rows:
        slot = getattr(item, "slot", "")
        key = cadence_of(slot)
        if key is None:
            if ORIGINAL not in names:  # a one-cadence contract's own werkbonnen
                continue
            key = ORIGINAL  # the cadence the contract had before it got onderdelen
        base = slot.rpartition("#")[0] if "#" in slot else slot
        name = names.get(key, f"onderdeel {key}")
        labels[slot] = f"{name} · {parts[base]}" if base in parts else name
        counts.setdefault(name, {"create": 0, "move": 0, "cancel": 0, "protected": 0})
        counts[name][kind] += 1
    return [(name, c["create"], c["move"], c["cancel"], c["protected"])
            for name, c in counts.items()]


def effect_names(plan, contracts) -> dict:
    """What Controle names the werkbonnen of an edit by, for a contract with objecten: `slots`
    ({slot: object number or werkadres}), the new werkbonnen per date (`create_groups`: (date,
    names)), and the numbers of the objecten werkbonnen list before and after (`objects`)."""
    from models.objecten.tables import Object

    labels = {}
    names = {}
    for contract in contracts:
        labels.update(slot_labels(coverage.covered(contract)))
        names.update({c.key: c.name for c in contract.cadences()})
    per_cadence = _per_cadence(plan, names, labels) if names else []
    groups: dict = {}
    for visit in plan.create:
        groups.setdefault(visit.date, []).append(labels.get(getattr(visit, "slot", ""), ""))
    ids = {i for w, v in plan.relink for i in (*w.object_ids, *v.object_ids)}
    numbers = {o.id: o.number for o in Object.select(Object.id, Object.number).where(
        Object.id.in_(sorted(ids)))} if ids else {}
    return {"slots": labels, "objects": numbers, "per_cadence": per_cadence,
            "create_groups": [(day, [n for n in names if n]) for day, names in groups.items()]}
