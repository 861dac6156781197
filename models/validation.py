"""Field rules (pure: strings in, clean values and Dutch errors out).

The same functions serve the HTML forms and the JSON API, so a rule is written once: the date
range every date input keeps to, and the fields of klanten and medewerkers.
"""

import re
from datetime import date, datetime

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
PHONE_RE = re.compile(r"^(0[1-9][0-9]{8}|(\+|00)[1-9][0-9]{8,13})$")


def whole(text, low: int = 0, high: int = 2**63 - 1) -> int | None:
    """The whole number `text` spells in ASCII digits, if within [low, high]; else None.
    str.isdigit() also says yes to "²", which int() refuses, and int() of a 20-digit id
    overflows a database column later: both were 500s."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    value = int(text)
    return value if low <= value <= high else None


# --- dates ------------------------------------------------------------------------------------
# One range for every date a person or a client types (forms and API alike): the schedule
# engine looks up to 400 years past a date, the planbord a week on, a sluitingsdag a day on;
# from the year 1 or 9999 those overflowed Python's date (a 500, once after the commit).
FIRST_YEAR, LAST_YEAR = 1900, 2999
DATE_RANGE_MESSAGE = f"Kies een datum tussen {FIRST_YEAR} en {LAST_YEAR}."
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def iso_date(value) -> date | None:
    """The calendar date `value` spells as JJJJ-MM-DD (any year), or None. Not the other forms
    date.fromisoformat also reads ("20261231", "2026-W01-1"): a person never types those."""
    if not isinstance(value, str) or not ISO_DATE_RE.match(value.strip()):
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def in_range(day: date | datetime | int) -> bool:
    """Whether a date (or a datetime, or a year) lies in FIRST_YEAR..LAST_YEAR."""
    year = day if isinstance(day, int) else day.year
    return FIRST_YEAR <= year <= LAST_YEAR


# --- klanten and medewerkers ------------------------------------------------------------------
MAX_LEN = {"name": 120, "street": 120, "house_number": 20, "city": 80, "email": 120, "phone": 30,
           "customer_number": 30, "personnel_number": 30}


def normalise_postcode(value: str) -> str | None:
    """'1234ab' -> '1234 AB'; None when it is no Dutch postcode (SA, SD and SS are never issued)."""
    m = POSTCODE_RE.match(value or "")
    if not m or m.group(2).upper() in ("SA", "SD", "SS"):
        return None
    return f"{m.group(1)} {m.group(2).upper()}"


def _text(data, field) -> str:
    value = data.get(field, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise TypeError(field)
    return value.strip()


def clean(data: dict, fields: tuple[str, ...], required: tuple[str, ...]):
    """(values, errors) for the given fields; unknown types give an error, never an exception."""
    values, errors = {}, {}
    for field in fields:
        try:
            value = _text(data, field)
        except TypeError:
            errors[field] = "Vul hier tekst in."
            continue
        if field in required and not value:
            errors[field] = REQUIRED_MESSAGES.get(field, "Dit veld is verplicht.")
            continue
        if len(value) > MAX_LEN.get(field, 200):
            errors[field] = f"Maximaal {MAX_LEN.get(field, 200)} tekens."
            continue
        if value and field == "postcode":
            normal = normalise_postcode(value)
            if normal is None:
                errors[field] = "Vul een geldige postcode in, bijvoorbeeld 1234 AB."
                continue
            value = normal
        if value and field == "email" and not EMAIL_RE.match(value):
            errors[field] = "Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl."
            continue
        if value and field == "phone":
            digits = re.sub(r"[\s\-().]", "", value)
            if not PHONE_RE.match(digits):
                errors[field] = (
                    "Vul een geldig telefoonnummer in, bijvoorbeeld 020-1234567 of +31 6 12345678."
                )
                continue
        values[field] = value
    return values, errors


REQUIRED_MESSAGES = {
    "name": "Vul een naam in.",
    "customer_number": "Vul een debiteurnummer in.",
    "personnel_number": "Vul een personeelsnummer in.",
    "street": "Vul een straat in.",
    "house_number": "Vul een huisnummer in.",
    "postcode": "Vul een postcode in.",
    "city": "Vul een plaats in.",
}
