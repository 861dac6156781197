"""The rules a contract's input must meet, with the rows it names looked up: the klant, type,
terms, werktype, prioriteit, medewerker and SLA-beleid must exist (and be active, unless the
contract being edited has them already), the period must hold, the schedule must give at
least one date, and the werkadressen and objecten it covers must be the klant's
(models.contracts.coverage). The wizard's steps and the API both call `check` (or one part
of it), so a rule and its Dutch message exist once. Raw values are parsed by models.contracts.input.
"""

from datetime import date

from models.contracts import coverage, lifecycle, onderdelen
from models.contracts.input import (
    FOREIGN,
    TIME_RE,
    date_problem,
    in_contract_words,
    name_problem,
    parse_date,
    parse_date_list,
    parse_int,
    parse_text,
    schedule_of,
    unknown_fields,
)
from models.contracts.tables import Contract
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


def find_type(value) -> Contracttype | None:
    if not isinstance(value, str) or not value.strip() or name_problem(value):
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
        errors["contracttype"] = name_problem(wanted) or \
            "Kies een contracttype (preventief, correctief of jaarlijks)."
    elif not ctype.active and (current is None or current.contracttype_id != ctype.id):
        errors["contracttype"] = "Dit contracttype wordt niet meer gebruikt."
    else:
        values["contracttype"] = ctype

    klant_id = parse_int(data.get("klant_id"))
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
        terms_id = parse_int(data.get("contractvoorwaarden_id"))
        terms = Contractvoorwaarden.get_or_none(Contractvoorwaarden.id == terms_id) \
            if terms_id is not None else None
        if terms is None:
            errors["contractvoorwaarden_id"] = "Deze contractvoorwaarden bestaan niet."
        elif not terms.active and (current is None or current.voorwaarden_id != terms.id):
            errors["contractvoorwaarden_id"] = "Deze contractvoorwaarden worden niet meer gebruikt."
    values["voorwaarden"] = terms

    values["start_date"], values["end_date"], period_errors = check_period(data, terms, current)
    errors.update(period_errors)

    description, problem = parse_text(data.get("description"), 200)
    if problem:
        errors["description"] = problem
    elif not description:
        errors["description"] = "Vul een omschrijving in, bijvoorbeeld ‘Onderhoud cv-ketel’."
    values["description"] = description
    values["reference"], problem = parse_text(data.get("reference"), 60)
    if problem:
        errors["reference"] = problem
    return values, errors


def check_period(data: dict, terms: Contractvoorwaarden | None, current: Contract | None = None):
    """(start, end, errors) of the period: the agreement check, and the wizard's Looptijd panel
    while the planner types, so the panel warns in the words the step's error will use."""
    errors = {}
    start = parse_date(data.get("start_date"))
    if data.get("start_date") in (None, ""):
        errors["start_date"] = "Vul een startdatum in."
    elif start is None:
        errors["start_date"] = date_problem(data.get("start_date"),
                                            "Vul een geldige startdatum in (JJJJ-MM-DD).")
    end = None
    if data.get("end_date") not in (None, ""):
        end = parse_date(data.get("end_date"))
        if end is None:
            errors["end_date"] = date_problem(data.get("end_date"),
                                              "Vul een geldige einddatum in (JJJJ-MM-DD).")
        elif start is not None and end < start:
            errors["end_date"] = "De einddatum ligt vóór de startdatum."
    elif terms is not None and start is not None:
        end = lifecycle.end_from_terms(start, terms.duration_months)
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
    values["wb_description"], problem = parse_text(part.get("description"), 200)
    if problem:
        errors["werkbon.description"] = problem

    werktype = None
    name = part.get("werktype")
    if name in (None, ""):
        werktype = ctype.default_werktype if ctype is not None else None
    elif problem := name_problem(name):
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
    duration = parse_int(duration)
    if duration is None or not 5 <= duration <= 24 * 60:
        errors["werkbon.duration_minutes"] = "Vul een duur van 5 tot en met 1440 minuten in."
    values["duration_minutes"] = duration

    prio_name = part.get("prioriteit") or "Normaal"
    prio = Prioriteit.get_or_none(Prioriteit.name == prio_name) \
        if isinstance(prio_name, str) and not name_problem(prio_name) else None
    if prio is None:
        errors["werkbon.prioriteit"] = name_problem(prio_name) or "Onbekende prioriteit."
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
        mid = parse_int(part.get("medewerker_id"))
        medewerker = Medewerker.get_or_none(Medewerker.id == mid) if mid is not None else None
        if medewerker is None:
            errors["werkbon.medewerker_id"] = "Deze medewerker bestaat niet."
        elif not medewerker.active and (current is None or current.medewerker_id != mid):
            errors["werkbon.medewerker_id"] = (
                f"{medewerker.name} is niet actief; kies een actieve medewerker of niemand.")
    values["medewerker"] = medewerker

    values["internal_note"], problem = parse_text(part.get("internal_note"), 2000, multiline=True)
    if problem:
        errors["werkbon.internal_note"] = problem
    return values, errors


def _schedule_options(part: dict, values: dict, errors: dict) -> None:
    """Holiday and weekend policies and the extra/skipped dates of a schedule part."""
    for key in ("holidays", "weekends"):
        policy = part.get(key) or "ignore"
        if policy not in POLICIES:
            errors[f"schedule.{key}"] = "Kies ignore, next_workday, previous_workday of skip."
        values[key] = policy
    for key in ("extra_dates", "skip_dates"):
        parsed, problem = parse_date_list(part.get(key))
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
    days = 0 if days in (None, "") else parse_int(days)
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
        visits = parse_int(data.get("visits_per_year"))
        if visits is None or not 1 <= visits <= lifecycle.MAX_VISITS:
            errors["visits_per_year"] = "Vul een aantal bezoeken per jaar van 1 tot en met 52 in."
            return values, errors
        values["visits_per_year"] = visits
        values["rrule"] = lifecycle.visits_rrule(visits, start) if start else None
        part = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
        _schedule_options(part, values, errors)
        if start is not None and values["rrule"] is None:
            # other numbers: spread evenly over each contract year (the extra dates are derived)
            # (a renewing contract runs on past its end date: its visits are spread as far as
            # an open-ended one's, not only up to the first end date)
            values["rrule"], values["extra_dates"] = lifecycle.uneven_visits(
                visits, start, None if renews else end)
    elif kind == "correctief":
        sla_id = data.get("sla_beleid_id")
        if sla_id not in (None, ""):
            sla = SlaBeleid.get_or_none(SlaBeleid.id == parse_int(sla_id)) \
                if parse_int(sla_id) is not None else None
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


def _with_onderdeel_rule(data: dict, kind: str) -> dict:
    """A contract given as onderdelen has its rules there: the contract's schedule part (its
    policies, dates, lead time) is checked with the rule of its first fixed onderdeel
    (models.contracts.onderdelen sets the contract's own rule after)."""
    parts = data.get("onderdelen")
    if kind != "preventief" or not isinstance(parts, list) or not parts:
        return data
    schedule = data.get("schedule") if isinstance(data.get("schedule"), dict) else {}
    if schedule.get("rrule"):
        return data
    rules = [p.get("rrule") for p in parts if isinstance(p, dict)
             and (p.get("anchor") or "vast") == "vast" and isinstance(p.get("rrule"), str)
             and p.get("rrule").strip()]
    # a wrong rule is the onderdeel's error (at onderdelen.<n>.rrule), not the contract's
    return {**data, "schedule": {**schedule, "rrule": next(
        (r for r in rules if not validate_all(Schedule(date(2000, 1, 1), r))), "FREQ=MONTHLY")}}


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
        renews = lifecycle.renews(agreement.get("voorwaarden"),
                              current.terminated_on if current is not None else None)
        plan, errs = check_plan(_with_onderdeel_rule(data, ctype.kind), ctype.kind,
                                agreement.get("start_date"), agreement.get("end_date"),
                                current, renews)
        errors.update(errs)
        plan.update(werkbon)
        errors.update(onderdelen.check(data, ctype.kind, agreement.get("start_date"),
                                       agreement.get("end_date"), plan, current))
    covers, errs = coverage.check(data, agreement.get("klant"), current)
    errors.update(errs)
    values = {**agreement, **werkbon, **plan, **covers}
    if ctype is not None:
        values["kind"] = ctype.kind
    return values, errors


