"""The API shape of a contract and the parsing of its raw values. Pure: strings and JSON values
in, Python values and Dutch problems out; no row is looked up here (models.contracts.checks
does that).

The shape: {"klant_id", "contracttype", "description", "reference", "contractvoorwaarden_id",
"start_date", "end_date", "days_in_advance", "schedule": {...}, "visits_per_year",
"sla_beleid_id", "werkbon": {...}}. Errors are keyed by field name, nested fields as
"schedule.rrule" or "werkbon.medewerker_id".
"""

import json
import re
from datetime import date

from models.common.validation import (
    DATE_LIST,
    DATE_RANGE_MESSAGE,
    ID_LIST,
    INTEGER,
    MULTILINE,
    TEXT,
    control_problem,
    in_range,
    iso_date,
)
from models.contracts import lifecycle
from models.schedule.definition import Schedule

TOP_FIELDS = {"klant_id", "contracttype", "description", "reference", "contractvoorwaarden_id",
              "start_date", "end_date", "days_in_advance", "schedule", "visits_per_year",
              "sla_beleid_id", "werkbon", "werkbon_per", "werkadres_ids", "object_ids",
              "onderdelen"}


SCHEDULE_FIELDS = {"rrule", "holidays", "weekends", "extra_dates", "skip_dates"}


WERKBON_FIELDS = {"description", "werktype", "duration_minutes", "prioriteit", "start_time",
                  "medewerker_id", "internal_note"}


TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


# The JSON types of the API shape (models.common.validation.type_errors): strict, null = not given.
API_TYPES = {
    "klant_id": INTEGER, "contracttype": TEXT, "description": TEXT, "reference": TEXT,
    "contractvoorwaarden_id": INTEGER, "start_date": TEXT, "end_date": TEXT,
    "days_in_advance": INTEGER, "visits_per_year": INTEGER, "sla_beleid_id": INTEGER,
    "werkbon_per": TEXT, "werkadres_ids": ID_LIST, "object_ids": ID_LIST,
    "schedule": {"rrule": TEXT, "holidays": TEXT, "weekends": TEXT, "extra_dates": DATE_LIST,
                 "skip_dates": DATE_LIST},
    "werkbon": {"description": TEXT, "werktype": TEXT, "duration_minutes": INTEGER,
                "prioriteit": TEXT, "start_time": TEXT, "medewerker_id": INTEGER,
                "internal_note": MULTILINE},
}


def parse_date(value) -> date | None:
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


def parse_int(value) -> int | None:
    """An integer that fits a database column, else None (never an OverflowError later)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,19}\s*", value):
        value = int(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:
        return value
    return None


def parse_text(value, limit: int, multiline: bool = False) -> tuple[str, str | None]:
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


def name_problem(value) -> str | None:
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


DATE_LIST_MESSAGE = "Geef een lijst van datums als JJJJ-MM-DD."


def parse_date_list(values) -> tuple[tuple[date, ...] | None, str]:
    """(the dates, "") or (None, why not)."""
    if values in (None, ""):
        return (), ""
    if not isinstance(values, list):
        return None, DATE_LIST_MESSAGE
    parsed = tuple(parse_date(v) for v in values)
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


NO_DATE_IN_PERIOD = ("Dit schema levert binnen de looptijd van het contract geen enkele datum op; "
                     "kies een ander schema of een latere einddatum.")


def in_contract_words(field: str, message: str) -> str:
    """The schedule engine speaks of begin and end; a planner thinks of the contract period."""
    if field == "rrule" and "tussen begin en einde" in message:
        return NO_DATE_IN_PERIOD
    return message


def schedule_of(values: dict, start: date, end: date | None) -> Schedule:
    return Schedule(start_date=start, rrule=values["rrule"], end_date=end,
                    **lifecycle.schedule_dates(values.get("visits_per_year"),
                                           tuple(values["extra_dates"])),
                    skip_dates=tuple(values["skip_dates"]), holidays=values["holidays"],
                    weekends=values["weekends"], days_in_advance=values["days_in_advance"])


COLUMNS = ("klant", "contracttype", "kind", "voorwaarden", "description", "reference",
           "start_date", "end_date", "rrule", "holidays", "weekends", "extra_dates",
           "skip_dates", "days_in_advance", "visits_per_year", "sla_beleid", "wb_description",
           "werktype", "duration_minutes", "prioriteit", "start_time", "medewerker",
           "internal_note", "werkbon_per", "onderdelen")


def columns(values: dict) -> dict:
    row = {k: values[k] for k in COLUMNS if k in values}
    for key in ("extra_dates", "skip_dates"):
        row[key] = json.dumps([d.isoformat() for d in sorted(values.get(key) or ())])
    return row
