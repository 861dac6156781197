"""The field rules of werkadressen and objecten, and when an object gets werkbonnen. Pure:
strings (a form) or JSON values (the API) in, clean values and Dutch errors out; `today` is an
argument. models.objecten.service adds what needs the database (the klant, the objecttype,
the werkadres, a number already in use) and writes.
"""

from datetime import date

from models.common import validation

STATUSES = {"actief": "Actief", "buiten_gebruik": "Buiten gebruik", "verwijderd": "Verwijderd"}
PRODUCING = "actief"

# werkadres: (field, longest, multi-line); required ones below
WERKADRES_TEXT = (("name", 120, False), ("street", 120, False), ("house_number", 20, False),
                  ("postcode", 7, False), ("city", 80, False), ("access_notes", 2000, True))
WERKADRES_REQUIRED = ("street", "house_number", "postcode", "city")
OBJECT_TEXT = (("number", 30, False), ("brand", 80, False), ("model", 80, False),
               ("serial_number", 60, False), ("location", 120, False), ("notes", 2000, True))
OBJECT_DATES = ("installed_on", "warranty_until")

MESSAGES = {
    "street": "Vul een straat in.",
    "house_number": "Vul een huisnummer in.",
    "postcode": "Vul een postcode in.",
    "city": "Vul een plaats in.",
    "postcode_invalid": "Vul een geldige postcode in, bijvoorbeeld 1234 AB.",
    "date": "Vul een datum in als dd-mm-jjjj.",
    "warranty_before": "De garantie kan niet eindigen vóór de installatiedatum.",
    "status": "Kies actief, buiten gebruik of verwijderd.",
    "status_since": "Vul de datum in waarop de status ingaat.",
    "future_install": "Een installatiedatum ligt niet in de toekomst.",
}


def _text(value, longest: int, multiline: bool) -> tuple[str, str | None]:
    """(clean text, error): None and absence are "", a non-string is an error."""
    if value is None:
        return "", None
    if not isinstance(value, str):
        return "", "Vul hier tekst in."
    value = value.strip()
    if problem := validation.control_problem(value, multiline=multiline):
        return value, problem
    if len(value) > longest:
        return value, f"Maximaal {longest} tekens."
    return value, None


def werkadres_values(data: dict, partial: bool = False) -> tuple[dict, dict]:
    """(values, errors) of a werkadres's own fields in `data` (all of them, or with `partial`
    only those present). The postcode becomes "1234 AB", as a klant's does."""
    values, errors = {}, {}
    for field, longest, multiline in WERKADRES_TEXT:
        if partial and field not in data:
            continue
        value, problem = _text(data.get(field), longest, multiline)
        if field == "postcode" and not problem and value:
            normal = validation.normalise_postcode(value)
            problem = None if normal else MESSAGES["postcode_invalid"]
            value = normal or value
        if not problem and field in WERKADRES_REQUIRED and not value:
            problem = MESSAGES[field]
        if problem:
            errors[field] = problem
        else:
            values[field] = value
    return values, errors


def parse_date(value) -> tuple[date | None, str | None]:
    """A form's or the API's date (JJJJ-MM-DD; "" or None: no date) as (date, error)."""
    if value is None or value == "":
        return None, None
    if not isinstance(value, str):
        return None, MESSAGES["date"]
    day = validation.iso_date(value)
    if day is None:
        return None, MESSAGES["date"]
    if not validation.in_range(day):
        return None, validation.DATE_RANGE_MESSAGE
    return day, None


def object_values(data: dict, today: date, partial: bool = False) -> tuple[dict, dict]:
    """(values, errors) of an object's own fields (text and dates; the number may stay empty:
    the service then gives the next free one). Werkadres, objecttype and status are the
    service's: they need the database or are changed on their own (`status_values`)."""
    values, errors = {}, {}
    for field, longest, multiline in OBJECT_TEXT:
        if partial and field not in data:
            continue
        value, problem = _text(data.get(field), longest, multiline)
        if problem:
            errors[field] = problem
        else:
            values[field] = value
    for field in OBJECT_DATES:
        if partial and field not in data:
            continue
        day, problem = parse_date(data.get(field))
        if problem:
            errors[field] = problem
        else:
            values[field] = day
    if values.get("installed_on") and values["installed_on"] > today:
        errors["installed_on"] = MESSAGES["future_install"]
    return values, errors


def dates_in_order(installed_on: date | None, warranty_until: date | None) -> dict:
    """The error when the warranty ends before the installation (checked over the whole object,
    so a PATCH of one of the two is checked against the other as stored)."""
    if installed_on and warranty_until and warranty_until < installed_on:
        return {"warranty_until": MESSAGES["warranty_before"]}
    return {}


def status_values(status, since, today: date) -> tuple[dict, dict]:
    """(values, errors) of a status change: the status and the day it takes effect (default
    today; it may lie in the past, as the day the ketel was really taken out, or in the
    future: "buiten gebruik per 1 januari")."""
    if status not in STATUSES:
        return {}, {"status": MESSAGES["status"]}
    day, problem = parse_date(since)
    if problem:
        return {}, {"status_since": problem}
    return {"status": status, "status_since": day or today}, {}


def produces(status: str, since: date | None, day: date) -> bool:
    """Whether an object with this status gets werkbonnen on `day`: an active one always, one
    buiten gebruik or verwijderd only before the day that took effect."""
    if status == PRODUCING:
        return True
    return since is not None and day < since

