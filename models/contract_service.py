"""Reading, checking and writing contracts. The wizard and the API both go through `check` and
`save`, so a rule (and its Dutch message) exists once.

Input is the API's shape: {"klant_id", "contracttype", "description", "reference",
"contractvoorwaarden_id", "start_date", "end_date", "days_in_advance", "schedule": {...},
"visits_per_year", "sla_beleid_id", "werkbon": {...}}. Errors are keyed by field name, nested
fields as "schedule.rrule" or "werkbon.medewerker_id".
"""

import json
import re
from datetime import date

from peewee import IntegrityError, fn

from models import contract_rules as rules
from models.common.validation import (
    DATE_LIST,
    DATE_RANGE_MESSAGE,
    INTEGER,
    MULTILINE,
    TEXT,
    control_problem,
    in_range,
    iso_date,
)
from models.contracten import Contract
from models.db import audit, write_transaction
from models.db.base import utcnow
from models.schedule.definition import MAX_DAYS_IN_ADVANCE, POLICIES, Schedule, validate_all
from models.schedule.expand import occurrences
from models.stamdata.instellingen import (
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker

TOP_FIELDS = {"klant_id", "contracttype", "description", "reference", "contractvoorwaarden_id",
              "start_date", "end_date", "days_in_advance", "schedule", "visits_per_year",
              "sla_beleid_id", "werkbon"}
SCHEDULE_FIELDS = {"rrule", "holidays", "weekends", "extra_dates", "skip_dates"}
WERKBON_FIELDS = {"description", "werktype", "duration_minutes", "prioriteit", "start_time",
                  "medewerker_id", "internal_note"}
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# The JSON types of the API shape (models.validation.type_errors): strict, null = not given.
API_TYPES = {
    "klant_id": INTEGER, "contracttype": TEXT, "description": TEXT, "reference": TEXT,
    "contractvoorwaarden_id": INTEGER, "start_date": TEXT, "end_date": TEXT,
    "days_in_advance": INTEGER, "visits_per_year": INTEGER, "sla_beleid_id": INTEGER,
    "schedule": {"rrule": TEXT, "holidays": TEXT, "weekends": TEXT, "extra_dates": DATE_LIST,
                 "skip_dates": DATE_LIST},
    "werkbon": {"description": TEXT, "werktype": TEXT, "duration_minutes": INTEGER,
                "prioriteit": TEXT, "start_time": TEXT, "medewerker_id": INTEGER,
                "internal_note": MULTILINE},
}


class Conflict(Exception):
    """Someone else saved the contract since it was read."""

    def __init__(self, current: Contract):
        super().__init__("stale version")
        self.current = current


def _date(value) -> date | None:
    """A contract date, or None: also for years outside the one range (validation.in_range;
    0001-01-01 or 9999-12-31 overflowed later, ending or renewing it)."""
    if isinstance(value, str):
        value = iso_date(value)
    if isinstance(value, date) and in_range(value):
        return value
    return None


def date_problem(value, invalid: str) -> str:
    """Why `value` is no contract date: outside the range, or `invalid` (no date at all)."""
    parsed = iso_date(value) if isinstance(value, str) else value
    return DATE_RANGE_MESSAGE if isinstance(parsed, date) else invalid


def _int(value) -> int | None:
    """An integer that fits a database column, else None (never an OverflowError later)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,19}\s*", value):
        value = int(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:
        return value
    return None


def _text(value, limit: int, multiline: bool = False) -> tuple[str, str | None]:
    """(the text, stripped, or "", and the Dutch problem with it or None)."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", "Geef tekst."
    value = value.strip()
    if problem := control_problem(value, multiline):
        return "", problem
    if len(value) > limit:
        return "", f"Maximaal {limit} tekens."
    return value, None


def _name_problem(value) -> str | None:
    """Why `value` cannot be a name to look a row up by (werktype, prioriteit, contracttype):
    a NUL in that query was a 500 on PostgreSQL."""
    return control_problem(value) if isinstance(value, str) else None


def unknown_fields(data: dict) -> dict[str, str]:
    errors = {k: "Onbekend veld." for k in set(data) - TOP_FIELDS}
    for key, allowed in (("schedule", SCHEDULE_FIELDS), ("werkbon", WERKBON_FIELDS)):
        part = data.get(key)
        if part is not None and not isinstance(part, dict):
            errors[key] = "Geef een object."
        elif part:
            errors.update({f"{key}.{k}": "Onbekend veld." for k in set(part) - allowed})
    return errors


def find_type(value) -> Contracttype | None:
    if not isinstance(value, str) or not value.strip() or _name_problem(value):
        return None
    value = value.strip()
    by_name = Contracttype.get_or_none(Contracttype.name == value)
    if by_name is not None:
        return by_name
    return (Contracttype.select().where(Contracttype.kind == value.lower(),
                                        Contracttype.active == True)  # noqa: E712
            .order_by(Contracttype.id).first())


def check_agreement(data: dict, current: Contract | None = None):
    """(values, errors) for the agreement part: klant, type, terms, period, description."""
    values, errors = {}, {}
    wanted = data.get("contracttype")
    if current is not None and wanted in (current.kind, current.contracttype.name):
        ctype = current.contracttype  # the kind alone must not switch a contract's own type
    else:
        ctype = find_type(wanted)
    if ctype is None:
        errors["contracttype"] = _name_problem(wanted) or \
            "Kies een contracttype (preventief, correctief of jaarlijks)."
    elif not ctype.active and (current is None or current.contracttype_id != ctype.id):
        errors["contracttype"] = "Dit contracttype wordt niet meer gebruikt."
    else:
        values["contracttype"] = ctype

    klant_id = _int(data.get("klant_id"))
    klant = Klant.get_or_none(Klant.id == klant_id) if klant_id is not None else None
    if data.get("klant_id") in (None, ""):
        errors["klant_id"] = "Kies een klant."
    elif klant is None:
        errors["klant_id"] = "Deze klant bestaat niet."
    elif not klant.active and (current is None or current.klant_id != klant.id):
        errors["klant_id"] = f"Klant {klant.name} is niet actief; kies een actieve klant."
    else:
        values["klant"] = klant

    terms = None
    if data.get("contractvoorwaarden_id") not in (None, ""):
        terms_id = _int(data.get("contractvoorwaarden_id"))
        terms = Contractvoorwaarden.get_or_none(Contractvoorwaarden.id == terms_id) \
            if terms_id is not None else None
        if terms is None:
            errors["contractvoorwaarden_id"] = "Deze contractvoorwaarden bestaan niet."
        elif not terms.active and (current is None or current.voorwaarden_id != terms.id):
            errors["contractvoorwaarden_id"] = "Deze contractvoorwaarden worden niet meer gebruikt."
    values["voorwaarden"] = terms

    values["start_date"], values["end_date"], period_errors = check_period(data, terms, current)
    errors.update(period_errors)

    description, problem = _text(data.get("description"), 200)
    if problem:
        errors["description"] = problem
    elif not description:
        errors["description"] = "Vul een omschrijving in, bijvoorbeeld ‘Onderhoud cv-ketel’."
    values["description"] = description
    values["reference"], problem = _text(data.get("reference"), 60)
    if problem:
        errors["reference"] = problem
    return values, errors


def check_period(data: dict, terms: Contractvoorwaarden | None, current: Contract | None = None):
    """(start, end, errors) of the period: the agreement check, and the wizard's Looptijd panel
    while the planner types, so the panel warns in the words the step's error will use."""
    errors = {}
    start = _date(data.get("start_date"))
    if data.get("start_date") in (None, ""):
        errors["start_date"] = "Vul een startdatum in."
    elif start is None:
        errors["start_date"] = date_problem(data.get("start_date"),
                                            "Vul een geldige startdatum in (JJJJ-MM-DD).")
    end = None
    if data.get("end_date") not in (None, ""):
        end = _date(data.get("end_date"))
        if end is None:
            errors["end_date"] = date_problem(data.get("end_date"),
                                              "Vul een geldige einddatum in (JJJJ-MM-DD).")
        elif start is not None and end < start:
            errors["end_date"] = "De einddatum ligt vóór de startdatum."
    elif terms is not None and start is not None:
        end = rules.end_from_terms(start, terms.duration_months)
    if current is not None and current.terminated_on is not None and end != current.end_date \
            and "end_date" not in errors:
        # ended early: the end date is the termination date; a later one made the contract run
        # on (and generate) while the page still said "Beëindigd"
        from models.common.dutch_dates import short_date

        errors["end_date"] = (f"Dit contract is beëindigd per {short_date(current.end_date)}; "
                              "die einddatum ligt vast. Start het opnieuw voor een nieuwe "
                              "periode.")
    return start, end, errors


def check_werkbon(part: dict | None, ctype: Contracttype | None,
                  current: Contract | None = None):
    """(values, errors) for what every generated werkbon carries; keys "werkbon.<field>"."""
    part = part or {}
    values, errors = {}, {}
    values["wb_description"], problem = _text(part.get("description"), 200)
    if problem:
        errors["werkbon.description"] = problem

    werktype = None
    name = part.get("werktype")
    if name in (None, ""):
        werktype = ctype.default_werktype if ctype is not None else None
    elif problem := _name_problem(name):
        errors["werkbon.werktype"] = problem
    elif not isinstance(name, str) or (werktype := Werktype.get_or_none(
            Werktype.name == name.strip())) is None:
        errors["werkbon.werktype"] = "Onbekend werktype."
    elif not werktype.active and (current is None or current.werktype_id != werktype.id):
        errors["werkbon.werktype"] = "Dit werktype wordt niet meer gebruikt."
    values["werktype"] = werktype

    duration = part.get("duration_minutes")
    if duration in (None, ""):
        duration = (werktype.default_duration if werktype else None) or \
            (ctype.default_duration if ctype else None) or 60
    duration = _int(duration)
    if duration is None or not 5 <= duration <= 24 * 60:
        errors["werkbon.duration_minutes"] = "Vul een duur van 5 tot en met 1440 minuten in."
    values["duration_minutes"] = duration

    prio_name = part.get("prioriteit") or "Normaal"
    prio = Prioriteit.get_or_none(Prioriteit.name == prio_name) \
        if isinstance(prio_name, str) and not _name_problem(prio_name) else None
    if prio is None:
        errors["werkbon.prioriteit"] = _name_problem(prio_name) or "Onbekende prioriteit."
    elif not prio.active and (current is None or current.prioriteit_id != prio.id):
        errors["werkbon.prioriteit"] = "Deze prioriteit wordt niet meer gebruikt."
    values["prioriteit"] = prio

    start_time = part.get("start_time") or "08:00"
    if not isinstance(start_time, str) or not TIME_RE.match(start_time.strip()):
        errors["werkbon.start_time"] = "Vul een tijd in als UU:MM, bijvoorbeeld 08:30."
    else:
        values["start_time"] = start_time.strip()

    medewerker = None
    if part.get("medewerker_id") not in (None, ""):
        mid = _int(part.get("medewerker_id"))
        medewerker = Medewerker.get_or_none(Medewerker.id == mid) if mid is not None else None
        if medewerker is None:
            errors["werkbon.medewerker_id"] = "Deze medewerker bestaat niet."
        elif not medewerker.active and (current is None or current.medewerker_id != mid):
            errors["werkbon.medewerker_id"] = (
                f"{medewerker.name} is niet actief; kies een actieve medewerker of niemand.")
    values["medewerker"] = medewerker

    values["internal_note"], problem = _text(part.get("internal_note"), 2000, multiline=True)
    if problem:
        errors["werkbon.internal_note"] = problem
    return values, errors


DATE_LIST_MESSAGE = "Geef een lijst van datums als JJJJ-MM-DD."


def _date_list(values) -> tuple[tuple[date, ...] | None, str]:
    """(the dates, "") or (None, why not)."""
    if values in (None, ""):
        return (), ""
    if not isinstance(values, list):
        return None, DATE_LIST_MESSAGE
    parsed = tuple(_date(v) for v in values)
    if None not in parsed:
        return parsed, ""
    problems = {date_problem(v, DATE_LIST_MESSAGE) for v, p in zip(values, parsed, strict=True)
                if p is None}
    return None, DATE_LIST_MESSAGE if DATE_LIST_MESSAGE in problems else DATE_RANGE_MESSAGE


FOREIGN = {
    "preventief": ("visits_per_year", "sla_beleid_id"),
    "jaarlijks": ("sla_beleid_id",),
    "correctief": ("visits_per_year", "schedule"),
}


def _schedule_options(part: dict, values: dict, errors: dict) -> None:
    """Holiday and weekend policies and the extra/skipped dates of a schedule part."""
    for key in ("holidays", "weekends"):
        policy = part.get(key) or "ignore"
        if policy not in POLICIES:
            errors[f"schedule.{key}"] = "Kies ignore, next_workday, previous_workday of skip."
        values[key] = policy
    for key in ("extra_dates", "skip_dates"):
        parsed, problem = _date_list(part.get(key))
        if parsed is None:
            errors[f"schedule.{key}"] = problem
        else:
            values[key] = parsed


def check_plan(data: dict, kind: str, start: date | None, end: date | None,
               current: Contract | None = None, renews: bool = False):
    """(values, errors) for the schedule / visits / SLA part, per contract kind. `renews`: the
    terms renew automatically, so the schedule runs on past `end`."""
    # A new contract may not carry another kind's fields (an edit may still hold the old ones
    # when it switches kind; those are simply not used).
    foreign = {} if current is not None else {
        k: "Hoort niet bij dit contracttype." for k in FOREIGN.get(kind, ())
        if data.get(k) not in (None, "", [], {})}
    if current is None and kind == "jaarlijks" and isinstance(data.get("schedule"), dict) \
            and data["schedule"].get("rrule") not in (None, ""):
        # the visits make its rule; a client's own rule was dropped without a word
        foreign["schedule.rrule"] = ("Een jaarlijks contract maakt zijn schema zelf uit het "
                                     "aantal bezoeken per jaar; laat rrule weg.")
    values, errors = {"rrule": None, "visits_per_year": None, "sla_beleid": None,
                      "holidays": "ignore", "weekends": "ignore", "extra_dates": (),
                      "skip_dates": ()}, foreign
    days = data.get("days_in_advance")
    days = 0 if days in (None, "") else _int(days)
    if days is None or not 0 <= days <= MAX_DAYS_IN_ADVANCE:
        errors["days_in_advance"] = "Vul een aantal dagen van 0 tot en met 365 in."
    values["days_in_advance"] = days if days is not None else 0

    if kind == "preventief":
        part = data.get("schedule")
        if not isinstance(part, dict) or not part.get("rrule"):
            errors["schedule.rrule"] = "Stel een terugkerend schema in."
            return values, errors
        _schedule_options(part, values, errors)
        rrule = part.get("rrule")
        if not isinstance(rrule, str):
            errors["schedule.rrule"] = "Geef de herhaalregel als tekst."
            return values, errors
        values["rrule"] = rrule.strip()
    elif kind == "jaarlijks":
        visits = _int(data.get("visits_per_year"))
        if visits is None or not 1 <= visits <= rules.MAX_VISITS:
            errors["visits_per_year"] = "Vul een aantal bezoeken per jaar van 1 tot en met 52 in."
            return values, errors
        values["visits_per_year"] = visits
        values["rrule"] = rules.visits_rrule(visits, start) if start else None
        part = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
        _schedule_options(part, values, errors)
        if start is not None and values["rrule"] is None:
            # other numbers: spread evenly over each contract year (the extra dates are derived)
            # (a renewing contract runs on past its end date: its visits are spread as far as
            # an open-ended one's, not only up to the first end date)
            values["rrule"], values["extra_dates"] = rules.uneven_visits(
                visits, start, None if renews else end)
    elif kind == "correctief":
        sla_id = data.get("sla_beleid_id")
        if sla_id not in (None, ""):
            sla = SlaBeleid.get_or_none(SlaBeleid.id == _int(sla_id)) \
                if _int(sla_id) is not None else None
            if sla is None:
                errors["sla_beleid_id"] = "Dit SLA-beleid bestaat niet."
            elif not sla.active and (current is None or current.sla_beleid_id != sla.id):
                errors["sla_beleid_id"] = "Dit SLA-beleid wordt niet meer gebruikt."
            values["sla_beleid"] = sla
        return values, errors

    if start is not None and values["rrule"] and not errors:
        problems = validate_all(schedule_of(values, start, end))
        for key, message in problems.items():
            field = {"rrule": "schedule.rrule", "end_date": "end_date",
                     "start_date": "start_date", "days_in_advance": "days_in_advance"}.get(
                key, f"schedule.{key}")
            errors[field] = in_contract_words(key, message)
        if not problems and not _gives_a_date(schedule_of(values, start,
                                                          None if renews else end)):
            # the rule has dates, but skipping (holidays, weekends, skipped dates) takes them
            # all: the contract would never make a werkbon
            errors["schedule.rrule"] = NO_DATE_AFTER_POLICIES
    return values, errors


def _gives_a_date(schedule: Schedule) -> bool:
    from models.stamdata import calendar_store

    found, _more = occurrences(schedule, calendar_store.free_days(), schedule.start_date, 1)
    return bool(found)


NO_DATE_AFTER_POLICIES = (
    "Na de feestdagen, weekenden en overgeslagen datums blijft er binnen de looptijd geen "
    "enkele datum over; het contract zou nooit een werkbon maken. Kies een ander schema of "
    "verschuif in plaats van over te slaan.")
NO_DATE_IN_PERIOD = ("Dit schema levert binnen de looptijd van het contract geen enkele datum op; "
                     "kies een ander schema of een latere einddatum.")


def in_contract_words(field: str, message: str) -> str:
    """The schedule engine speaks of begin and end; a planner thinks of the contract period."""
    if field == "rrule" and "tussen begin en einde" in message:
        return NO_DATE_IN_PERIOD
    return message


def schedule_of(values: dict, start: date, end: date | None) -> Schedule:
    return Schedule(start_date=start, rrule=values["rrule"], end_date=end,
                    **rules.schedule_dates(values.get("visits_per_year"),
                                           tuple(values["extra_dates"])),
                    skip_dates=tuple(values["skip_dates"]), holidays=values["holidays"],
                    weekends=values["weekends"], days_in_advance=values["days_in_advance"])


def check(data: dict, current: Contract | None = None):
    """All rules at once: (values for the Contract columns, errors)."""
    if not isinstance(data, dict):
        return {}, {"body": "Stuur een JSON-object mee."}
    errors = unknown_fields(data)
    agreement, errs = check_agreement(data, current)
    errors.update(errs)
    ctype = agreement.get("contracttype")
    werkbon, errs = check_werkbon(data.get("werkbon") if isinstance(data.get("werkbon"), dict)
                                  else {}, ctype, current)
    errors.update(errs)
    plan = {}
    if ctype is not None:
        renews = rules.renews(agreement.get("voorwaarden"),
                              current.terminated_on if current is not None else None)
        plan, errs = check_plan(data, ctype.kind, agreement.get("start_date"),
                                agreement.get("end_date"), current, renews)
        errors.update(errs)
    values = {**agreement, **werkbon, **plan}
    if ctype is not None:
        values["kind"] = ctype.kind
    return values, errors


COLUMNS = ("klant", "contracttype", "kind", "voorwaarden", "description", "reference",
           "start_date", "end_date", "rrule", "holidays", "weekends", "extra_dates",
           "skip_dates", "days_in_advance", "visits_per_year", "sla_beleid", "wb_description",
           "werktype", "duration_minutes", "prioriteit", "start_time", "medewerker",
           "internal_note")


def _columns(values: dict) -> dict:
    row = {k: values[k] for k in COLUMNS if k in values}
    for key in ("extra_dates", "skip_dates"):
        row[key] = json.dumps([d.isoformat() for d in sorted(values.get(key) or ())])
    return row


def _next_number(year: int) -> str:
    prefix = f"C-{year}-"
    last = (Contract.select(Contract.number).where(Contract.number.startswith(prefix))
            .order_by(fn.LENGTH(Contract.number).desc(), Contract.number.desc()).scalar())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def create(values: dict, actor: str, today: date) -> Contract:
    """Insert with a fresh number; the unique key settles a race, we then take the next one."""
    for _attempt in range(5):
        try:
            with write_transaction():
                start = values["start_date"]
                contract = Contract.create(number=_next_number(today.year), created_by=actor,
                                           generate_from=max(start, today),
                                           next_attention=today if values.get("rrule") else None,
                                           **_columns(values))
                audit.record("contract", contract.id, "aangemaakt", actor,
                             serialise(contract, today))
                return contract
        except IntegrityError:
            continue
    raise RuntimeError("Kon geen contractnummer toekennen.")


def update(contract: Contract, values: dict, version: int, actor: str, today: date,
           on_saved=None) -> Contract:
    """Optimistic locking: the UPDATE only succeeds on the version the editor read. `on_saved`
    runs with the fresh contract inside the same transaction (recalculating its werkbonnen), so
    the contract and its werkbonnen change together or not at all."""
    row = _columns(values)
    with write_transaction():
        before = serialise(Contract.get_by_id(contract.id), today)
        updated = (Contract.update(**row, version=Contract.version + 1,
                                   updated_at=utcnow())
                   .where(Contract.id == contract.id, Contract.version == version).execute())
        if updated != 1:
            raise Conflict(Contract.get_by_id(contract.id))
        fresh = Contract.get_by_id(contract.id)
        after = serialise(fresh, today)
        audit.record("contract", contract.id, "gewijzigd", actor, changes(before, after))
        if on_saved is not None:
            on_saved(fresh)
        return fresh


def changes(before: dict, after: dict, prefix: str = "") -> dict:
    """{field: [old, new]} over the API shape, nested fields as "werkbon.medewerker_id"."""
    result = {}
    for key in after:
        old, new = before.get(key), after[key]
        if isinstance(new, dict) and isinstance(old, dict):
            result.update(changes(old, new, f"{prefix}{key}."))
        elif old != new and key not in ("version", "status"):
            result[f"{prefix}{key}"] = [old, new]
    return result


def status_condition(status: str, today: date):
    """SQL equivalent of status_of (contract_rules.status): auto-renewing terms never expire."""
    terminated = Contract.terminated_on.is_null(False)
    future = Contract.start_date > today
    ended = Contract.end_date.is_null(False) & (Contract.end_date < today)
    before_start = Contract.end_date.is_null(False) & (Contract.end_date < Contract.start_date)
    auto_renewing = Contract.voorwaarden.is_null(False) & Contract.voorwaarden.in_(
        Contractvoorwaarden.select(Contractvoorwaarden.id)
        .where(Contractvoorwaarden.auto_renew == True))  # noqa: E712
    return {
        "toekomstig": future & ~(terminated & before_start),
        "beeindigd": terminated & ((future & before_start) | (~future & ended)),
        "verlopen": ~future & ended & ~terminated & ~auto_renewing,
        "actief": ~future & (~ended | (~terminated & auto_renewing)),
    }.get(status)


def status_of(contract: Contract, today: date) -> str:
    terms = contract.voorwaarden
    auto = bool(terms and terms.auto_renew and contract.terminated_on is None)
    return rules.status(contract.start_date, contract.end_date, contract.terminated_on is not None,
                        auto, today)


def serialise(contract: Contract, today: date) -> dict:
    """The API shape (also what the audit trail records)."""

    schedule = contract.schedule()
    return {
        "id": contract.id,
        "number": contract.number,
        "klant_id": contract.klant_id,
        "contracttype": contract.kind,
        "contracttype_name": contract.contracttype.name,
        "description": contract.description,
        "reference": contract.reference,
        "contractvoorwaarden_id": contract.voorwaarden_id,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "days_in_advance": contract.days_in_advance,
        "schedule": None if schedule is None else {
            "rrule": contract.rrule, "holidays": contract.holidays,
            "weekends": contract.weekends,
            "extra_dates": [d.isoformat() for d in contract.dates("extra_dates")],
            "skip_dates": [d.isoformat() for d in contract.dates("skip_dates")],
            "description": rules.schedule_sentence(contract.visits_per_year, schedule),
        },
        "visits_per_year": contract.visits_per_year,
        "sla_beleid_id": contract.sla_beleid_id,
        "werkbon": {
            "description": contract.wb_description,
            "werktype": contract.werktype.name if contract.werktype_id else None,
            "duration_minutes": contract.duration_minutes,
            "prioriteit": contract.prioriteit.name if contract.prioriteit_id else None,
            "start_time": contract.start_time,
            "medewerker_id": contract.medewerker_id,
            "internal_note": contract.internal_note,
        },
        "status": status_of(contract, today),
        "version": contract.version,
    }
