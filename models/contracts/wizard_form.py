"""The contract wizard's form, pure: its steps and their fields, the mapping between a draft's
raw strings and the API shape models.contracts.checks reads (and back, from a saved contract),
what a new contract starts with, and how a draft takes a submitted step or another planner's
newer version of the contract.

The rows a mapping needs (the contract type, the saved contract) are looked up by the caller
(models.contracts.draft_checks, models.contracts.drafts) and passed in; nothing here reads the
database or the clock. Like the schedule form (models.schedule.form), so the wizard's rules
can be tested with plain values.
"""

import json
from collections.abc import Mapping
from datetime import date, timedelta

from models.contracts import lifecycle
from models.contracts.input import parse_date
from models.schedule.cadence import ORIGINAL
from models.schedule.form import ScheduleInput, form_values, initial
from models.schedule.recurrence_form import from_rrule, to_rrule

PLAN_STEP = {"preventief": "schema", "correctief": "sla", "jaarlijks": "aantal"}
SCHEDULE_FIELDS = ["frequency", "interval", "weekdays", "monthly_mode", "day_of_month", "ordinal",
                   "ordinal_weekday", "month", "season_months", "end_mode", "until", "count"]
FIELDS = {
    "type": ["contracttype_id"],
    "overeenkomst": ["klant_id", "klant_q", "contractvoorwaarden_id", "start_date", "end_date",
                     "description", "reference",
                     # a new contract's price (models/facturatie/input.py checks them)
                     "prijs", "prijs_per", "btw_tarief", "factuurperiode", "factureren",
                     "index_pct", "index_date"],
    "werkbon": ["wb_description", "werktype", "duration_minutes", "prioriteit", "start_time",
                "medewerker_id", "medewerker_q", "internal_note", "werkbon_per", "werkadres_ids",
                "object_ids", "objecten_q", "objecttype_kies"],
    "schema": SCHEDULE_FIELDS + ["holidays", "weekends", "days_in_advance"],
    "aantal": ["visits_per_year", "holidays", "weekends", "days_in_advance"],
    "sla": ["sla_beleid_id"],
    "controle": [],
}
LIST_FIELDS = {"weekdays", "season_months", "werkadres_ids", "object_ids"}
COVERAGE = ("werkadres_ids", "object_ids")  # what the contract covers: the klant's own rows
# the werkbon step's picker of werkadressen and objecten was on the page (its checkboxes are
# all there, so none ticked means none): only then does a submit change the coverage
PICKER_SHOWN = "dekking_getoond"
WERKBON_KEYS = {"werkbon.description": "wb_description", "werkbon.werktype": "werktype",
                "werkbon.duration_minutes": "duration_minutes",
                "werkbon.prioriteit": "prioriteit", "werkbon.start_time": "start_time",
                "werkbon.medewerker_id": "medewerker_id",
                "werkbon.internal_note": "internal_note"}
# the plan steps' fields the preview is built from (kept as the last valid preview's input)
PLAN_FIELDS = {"schema": FIELDS["schema"], "aantal": FIELDS["aantal"]}
LAST_VALID = "_geldig"
FIELD_LABELS = {
    "klant_id": "Klant", "contractvoorwaarden_id": "Contractvoorwaarden",
    "start_date": "Startdatum", "end_date": "Einddatum", "description": "Omschrijving",
    "reference": "Referentie", "wb_description": "Omschrijving op de werkbon",
    "werktype": "Werktype", "duration_minutes": "Duur", "prioriteit": "Prioriteit",
    "start_time": "Starttijd", "medewerker_id": "Medewerker", "internal_note": "Interne notitie",
    "holidays": "Feestdagen", "weekends": "Weekend", "days_in_advance": "Dagen van tevoren",
    "visits_per_year": "Bezoeken per jaar", "sla_beleid_id": "SLA-beleid",
    "extra_dates": "Extra datums", "skip_dates": "Overgeslagen datums",
    "werkbon_per": "Werkbon per", "werkadres_ids": "Werkadressen", "object_ids": "Objecten",
}


# --------------------------------------------------------------------------- steps


def steps_for(kind: str | None) -> list[str]:
    return ["type", "overeenkomst", "werkbon", PLAN_STEP.get(kind or "", "schema"), "controle"]


def step_of_field(field: str, kind: str | None) -> str:
    """The step that shows `field` (an error's key), so an error leads back to it."""
    for step in steps_for(kind):
        names = FIELDS[step] + (["rrule"] if step == "schema" else [])
        if field in names or WERKBON_KEYS.get(field) in names or \
                field.removeprefix("schedule.") in names:
            return step
    return "overeenkomst"


def merge_step(values: dict, step: str, form: Mapping) -> dict:
    """The submitted fields of `step` (`form`: the request's form) over the draft's values; only
    that step's fields change."""
    merged = dict(values)
    for name in FIELDS.get(step, []):
        if name in LIST_FIELDS:
            if step == "schema" or (step == "werkbon" and PICKER_SHOWN in form):
                merged[name] = form.getlist(name)
        elif name in form:
            merged[name] = form.get(name, "").strip()
    if step == "schema" and "frequency" in form:  # a checkbox: absent means off
        merged["schema_vervangen"] = form.get("schema_vervangen", "")
    if step == "schema":
        merge_cadences(merged, form)
    if merged.get("klant_id") != values.get("klant_id"):
        # another klant: the werkadressen and objecten chosen were the other one's
        for name in COVERAGE:
            merged.pop(name, None)
    return merged


# --------------------------------------------------------------------------- draft -> input


def keeps_own_rule(values: dict) -> bool:
    """An edited contract whose rule the form cannot show (made through the API, e.g. "dag 1 en
    15") keeps that rule unless the planner chooses to replace it: the form showed its own
    default instead, Controle previewed that, and saving was refused."""
    return bool(values.get("rrule_unsupported")) and values.get("schema_vervangen") != "1"


def schedule_fields(values: dict, end_date: str) -> dict:
    """The draft's schedule block as models.schedule.form.parse reads it; `end_date`: the end
    typed, or the one the terms give."""
    raw = {k: v for k, v in values.items() if k in set(SCHEDULE_FIELDS) | {
        "start_date", "end_date", "holidays", "weekends", "days_in_advance"}}
    raw.setdefault("start_date", values.get("start_date", ""))
    if not raw.get("end_date"):
        raw["end_date"] = end_date
    return raw


def _dates(values: dict, key: str) -> list:
    return json.loads(values.get(key) or "[]")


def to_input(values: dict, ctype, schedule: ScheduleInput | None) -> dict:
    """The draft's raw strings in the API's shape, for models.contracts.checks. `ctype`: the
    Contracttype the draft chose (or None); `schedule`: its schedule block as parsed (needed for
    a preventief contract that does not keep its own rule)."""
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
        "werkbon_per": values.get("werkbon_per") or None,
        "werkadres_ids": list(values.get("werkadres_ids") or []),
        "object_ids": list(values.get("object_ids") or []),
    }
    kind = ctype.kind if ctype else None
    policies = {"holidays": values.get("holidays") or "ignore",
                "weekends": values.get("weekends") or "ignore"}
    if kind == "preventief" and keeps_own_rule(values):
        data["schedule"] = {"rrule": values["rrule_unsupported"], **policies,
                            "extra_dates": _dates(values, "extra_dates"),
                            "skip_dates": _dates(values, "skip_dates")}
    elif kind == "preventief":
        if not any(k in schedule.errors for k in SCHEDULE_FIELDS):
            data["schedule"] = {"rrule": to_rrule(schedule.form), **policies,
                                "extra_dates": _dates(values, "extra_dates"),
                                "skip_dates": _dates(values, "skip_dates")}
    if kind == "preventief" and data.get("schedule"):
        parts = cadences_input(values, data["schedule"].get("rrule"))
        if parts:
            data["onderdelen"] = parts
    elif kind == "jaarlijks":
        data["visits_per_year"] = values.get("visits_per_year") or None
        data["schedule"] = policies
    elif kind == "correctief":
        data["sla_beleid_id"] = values.get("sla_beleid_id") or None
        data["days_in_advance"] = "0"
    return data


def with_schedule_defaults(values: dict) -> dict:
    """A plan step opened for the first time starts from the start date (monthly on its day)."""
    start = parse_date(values.get("start_date"))
    if start is None or "interval" in values:
        return values
    defaults = form_values(initial(start))
    return {**{k: defaults[k] for k in SCHEDULE_FIELDS}, **values,
            "frequency": values.get("frequency") or defaults["frequency"]}


# --------------------------------------------------------------------------- contract -> draft


def from_contract(contract, covered: tuple = ("datum", [], [])) -> dict:
    """Draft values for editing a saved contract (the wizard, prefilled). `covered`: its
    (werkbon_per, werkadres ids, object ids), read by the caller."""
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
        "werkbon_per": covered[0], "werkadres_ids": [str(i) for i in covered[1]],
        "object_ids": [str(i) for i in covered[2]],
    }
    if contract.kind == "preventief" and contract.rrule:
        form = from_rrule(contract.rrule)
        if form is not None:
            shown = form_values(ScheduleInput(form=form, start_date=contract.start_date))
            values.update({k: shown[k] for k in SCHEDULE_FIELDS})
        else:
            values["rrule_unsupported"] = contract.rrule
        if contract.onderdelen:
            values.update(cadence_values(contract.onderdelen_list(), contract.rrule,
                                         contract.onderdelen_werktypen()))
    return values


def restart_values(contract, covered: tuple = ("datum", [], [])) -> dict:
    """A new contract with the same terms, details and coverage, starting the day after this
    one ends (lifecycle.restart_refusal says when that cannot be)."""
    values = from_contract(contract, covered)
    start = contract.end_date + timedelta(days=1)
    end = lifecycle.same_length_end(contract.start_date, contract.end_date, start)
    values.update({"start_date": start.isoformat(), "end_date": end.isoformat(),
                   "reference": "", "extra_dates": "[]", "skip_dates": "[]"})
    return values


# --------------------------------------------------------------------------- contract types


def type_defaults(ctype) -> dict:
    """What a new contract of this type starts with on the later steps."""
    return {"days_in_advance": str(ctype.default_days_in_advance),
            "werktype": ctype.default_werktype.name if ctype.default_werktype_id else "",
            "duration_minutes": str(ctype.default_duration or "")}


def new_contract_values(contracttype_id: str, ctype, today: date) -> dict:
    """The draft of a new contract of type `ctype` (chosen as `contracttype_id`), as step 1
    creates it."""
    return {"contracttype_id": contracttype_id, **type_defaults(ctype), "prioriteit": "Normaal",
            "start_time": "08:00", "start_date": today.isoformat(),
            **lifecycle.DEFAULT_POLICIES}


def take_new_type_defaults(values: dict, old, new) -> None:
    """Another type chosen in step 1 after going back: the old type's defaults the planner left
    as they were become the new type's (a Preventief after a Correctief had 'Storing', 90
    minutes and 0 days in advance); what the planner changed stays."""
    if old is None or new is None:
        return
    before, after = type_defaults(old), type_defaults(new)
    for name, default in before.items():
        if values.get(name, default) == default:
            values[name] = after[name]


# --------------------------------------------------------------------------- a newer version


def merge_onto(values: dict, saved_now: dict) -> tuple[dict, list[str]]:
    """After a version conflict: the draft brought onto the saved version (`saved_now`: its
    from_contract values). What this planner did not change since the draft started (`_start`)
    takes the other's value; what he changed stays his; a field both changed differently is
    named (its label) in the second result."""
    start = json.loads(values["_start"])
    merged, clashes = dict(values), []
    for key in set(start) | set(saved_now):
        mine, old, theirs = values.get(key), start.get(key), saved_now.get(key)
        if mine == old:
            if theirs is None:
                merged.pop(key, None)
            else:
                merged[key] = theirs
        elif theirs != old and theirs != mine:
            clashes.append(FIELD_LABELS.get(key, key))
    merged["_start"] = json.dumps(saved_now, ensure_ascii=False)
    return merged, sorted(clashes)


# --------------------------------------------------------------------------- onderdelen

# The plan step's list of cadences (issue 18): the schedule above is the first (the "hoofd"
# cadence); each further onderdeel is a row of plain fields "od-<n>-<field>", added and removed
# with buttons (no script needed), ordered by its rang. With no rows the step is as it was.
CADENCE_FREQS = {"maand": "Elke maand", "kwartaal": "Elk kwartaal", "halfjaar": "Elk halfjaar",
                 "jaar": "Elk jaar", "week": "Elke week", "eigen": "Eigen regel (RRULE)"}
CADENCE_UNITS = {"W": "weken", "M": "maanden", "Y": "jaar"}
ROW_FIELDS = ("sleutel", "naam", "rang", "anker", "freq", "dag", "maand", "rrule", "na",
              "eenheid", "venster", "omschrijving", "werktype", "duur", "checklist")
MAIN_FIELDS = ("hoofd_naam", "hoofd_rang", "hoofd_venster", "hoofd_sleutel")
MAX_ROWS = 9
ROWS = "onderdelen_rijen"
ADD, REMOVE = "onderdeel-toevoegen", "onderdeel-verwijder-"
# an onderdeel's API field -> the row field that shows its error
ROW_ERROR_FIELDS = {"name": "naam", "rank": "rang", "anchor": "anker", "rrule": "freq",
                    "visits_per_year": "freq", "interval_after_completion": "na",
                    "supersedes_within": "venster", "key": "naam",
                    "werkbon.description": "omschrijving", "werkbon.duration_minutes": "duur",
                    "werkbon.checklist": "checklist", "werkbon.werktype": "werktype"}
MAIN_ERROR_FIELDS = {"name": "hoofd_naam", "rank": "hoofd_rang", "rrule": "rrule",
                     "supersedes_within": "hoofd_venster"}


def new_row(rows: list[dict]) -> dict:
    """A new onderdeel: below the others (rank 1 ... the main one gets the highest)."""
    return {**dict.fromkeys(ROW_FIELDS, ""), "anker": "vast", "freq": "maand",
            "venster": "maand", "eenheid": "M", "rang": "", "naam": f"Onderdeel {len(rows) + 2}"}


def merge_cadences(merged: dict, form: Mapping) -> None:
    """The schema step's onderdelen from its form (only when the step showed them), and the
    add or remove button pressed."""
    if "od_aantal" not in form:
        return
    try:
        count = max(0, min(int(form.get("od_aantal") or 0), MAX_ROWS))
    except ValueError:
        count = 0
    rows = [{f: form.get(f"od-{n}-{f}", "").strip() for f in ROW_FIELDS} for n in range(count)]
    for name in MAIN_FIELDS:
        if name in form:
            merged[name] = form.get(name, "").strip()
    action = form.get("actie", "")
    if action == ADD and len(rows) < MAX_ROWS:
        rows.append(new_row(rows))
        if not merged.get("hoofd_rang"):
            merged["hoofd_rang"] = str(len(rows) + 1)
        if not merged.get("hoofd_naam"):
            merged["hoofd_naam"] = "Hoofdschema"
        if not rows[-1]["rang"]:
            used = {r["rang"] for r in rows} | {merged.get("hoofd_rang")}
            rows[-1]["rang"] = next(str(r) for r in range(1, 100) if str(r) not in used)
    elif action.startswith(REMOVE) and action[len(REMOVE):].isdigit():
        index = int(action[len(REMOVE):])
        if index < len(rows):
            rows.pop(index)
    merged[ROWS] = rows


def row_rrule(row: dict, start: date | None) -> str | None:
    """The RRULE of an onderdeel row's frequency, on its day (and month) or the start date's."""
    if row.get("freq") == "eigen":
        return row.get("rrule") or None
    start = start or date(2026, 1, 1)
    day = row.get("dag") or str(min(start.day, 28))
    month = row.get("maand") or str(start.month)
    if not day.isdigit() or not 1 <= int(day) <= 31 or not month.isdigit() \
            or not 1 <= int(month) <= 12:
        return "ONGELDIG"  # the check says what is wrong, at the frequency
    weekday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
    return {"maand": f"FREQ=MONTHLY;BYMONTHDAY={day}",
            "kwartaal": f"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={day}",
            "halfjaar": f"FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY={day}",
            "jaar": f"FREQ=YEARLY;BYMONTH={month};BYMONTHDAY={day}",
            "week": f"FREQ=WEEKLY;BYDAY={weekday}"}.get(row.get("freq"), "ONGELDIG")


def row_freq(rrule: str | None) -> dict:
    """The row fields that show `rrule` (the other way round), or "eigen" with the rule."""
    import re

    patterns = [(r"FREQ=MONTHLY;BYMONTHDAY=(\d+)", "maand"),
                (r"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=(\d+)", "kwartaal"),
                (r"FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=(\d+)", "halfjaar")]
    for pattern, freq in patterns:
        if found := re.fullmatch(pattern, rrule or ""):
            return {"freq": freq, "dag": found[1], "maand": "", "rrule": ""}
    if found := re.fullmatch(r"FREQ=YEARLY;BYMONTH=(\d+);BYMONTHDAY=(\d+)", rrule or ""):
        return {"freq": "jaar", "dag": found[2], "maand": found[1], "rrule": ""}
    return {"freq": "eigen", "dag": "", "maand": "", "rrule": rrule or ""}


def cadences_input(values: dict, main_rrule: str | None) -> list[dict] | None:
    """The draft's onderdelen in the API's shape (the schedule above first), or None: it has
    none (today's contract)."""
    rows = values.get(ROWS) or []
    if not rows and values.get("hoofd_sleutel") in (None, "", ORIGINAL):
        return None  # (a contract whose other onderdelen were all removed keeps the main
        # schedule's key: its werkbonnen keep their slot, models.contracts.onderdelen)
    start = parse_date(values.get("start_date"))
    found = [{"key": values.get("hoofd_sleutel") or None,
              "name": values.get("hoofd_naam") or "Hoofdschema",
              "rank": values.get("hoofd_rang") or None, "rrule": main_rrule,
              "supersedes_within": values.get("hoofd_venster") or "maand"}]
    for row in rows:
        floating = row.get("anker") == "na_afronding"
        found.append({
            "key": row.get("sleutel") or None, "name": row.get("naam", ""),
            "rank": row.get("rang") or None, "anchor": row.get("anker") or "vast",
            "rrule": None if floating else row_rrule(row, start),
            "interval_after_completion":
                f"P{row.get('na')}{row.get('eenheid') or 'M'}" if floating else None,
            "supersedes_within": row.get("venster") or "maand",
            "werkbon": {"description": row.get("omschrijving", ""),
                        "werktype": row.get("werktype") or None,
                        "duration_minutes": row.get("duur") or None,
                        "checklist": row.get("checklist", "")}})
    return found


def cadence_error_field(key: str) -> str:
    """The wizard field that shows the error at `key` ("onderdelen.2.rank")."""
    _prefix, index, field = key.split(".", 2)
    if index == "0":
        return MAIN_ERROR_FIELDS.get(field, "hoofd_naam")
    return f"od-{int(index) - 1}-{ROW_ERROR_FIELDS.get(field, 'naam')}"


def cadence_values(stored: list[dict], main_rrule: str | None,
                   werktypen: Mapping | None = None) -> dict:
    """Draft values of a saved contract's onderdelen (Contract.onderdelen_list): the one whose
    rule is the contract's is the schedule above; the others are rows, by rank. `werktypen`:
    {id: name} of their werktypen (Contract.onderdelen_werktypen)."""
    values, rows = {}, []
    main = next((p for p in stored if p["anchor"] == "vast" and p["rrule"] == main_rrule), None)
    for part in sorted(stored, key=lambda p: -p["rank"]):
        if part is main:
            values.update(hoofd_naam=part["name"], hoofd_rang=str(part["rank"]),
                          hoofd_venster=part["supersedes_within"], hoofd_sleutel=part["key"])
            continue
        werkbon = part.get("werkbon") or {}
        interval = part.get("interval_after_completion") or ""
        rows.append({**dict.fromkeys(ROW_FIELDS, ""), **row_freq(part.get("rrule")),
                     "sleutel": part["key"], "naam": part["name"], "rang": str(part["rank"]),
                     "anker": part["anchor"], "venster": part["supersedes_within"],
                     "na": interval[1:-1], "eenheid": interval[-1:] or "M",
                     "omschrijving": werkbon.get("description") or "",
                     "werktype": (werktypen or {}).get(werkbon.get("werktype_id"), ""),
                     "duur": str(werkbon.get("duration_minutes") or ""),
                     "checklist": werkbon.get("checklist") or ""})
    values[ROWS] = rows
    return values
