"""Field rules (pure: strings in, clean values and Dutch errors out).

The same functions serve the HTML forms and the JSON API, so a rule is written once: the date
range every date input keeps to, the characters a text may hold, the JSON types the API
accepts, and the fields of klanten and medewerkers.
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


# --- characters ---------------------------------------------------------------------------------
# C0 control characters and DEL are no text a person means (a NUL even broke PostgreSQL: a 500),
# and neither is half of a UTF-16 surrogate pair, which JSON can carry ("\ud800") and no
# database can store. A multi-line field keeps its tabs and line ends (a browser sends \r\n).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|\r(?!\n)")
CONTROL_MESSAGE = ("Hier staat een onzichtbaar stuurteken in (zoals een tab of een NUL-teken); "
                   "haal het weg.")
CONTROL_MESSAGE_MULTILINE = ("Hier staat een onzichtbaar stuurteken in (zoals een NUL-teken); "
                             "alleen tabs en regeleinden mogen.")


def control_problem(text: str, multiline: bool = False) -> str | None:
    """The Dutch message when `text` holds a character no field may hold, else None."""
    if multiline:
        return CONTROL_MESSAGE_MULTILINE if _CONTROL_MULTILINE.search(text) else None
    return CONTROL_MESSAGE if _CONTROL.search(text) else None


def search_text(text: str) -> str:
    """A search term without control characters (they match nothing a person typed)."""
    return _CONTROL.sub("", text or "")


# --- JSON types (the API) -------------------------------------------------------------------
# Strict, as a typed JSON API usually is: "1" is no integer, true is no integer (Python calls it
# one), 1.0 is no integer. null means "not given" (the field's default, or "required"), as it
# always did. The field paths and messages are the API's: {"errors": {"werkbon.medewerker_id":
# ...}}. A spec maps each known field to one of these kinds, or to a nested spec (an object).
INTEGER, TEXT, MULTILINE, BOOLEAN, DATE_LIST = "integer", "text", "multiline", "boolean", "dates"
ID_LIST = "ids"  # a list of ids: JSON numbers, never strings or booleans
TYPE_MESSAGES = {
    INTEGER: "Geef een geheel getal (een JSON-getal, niet tussen aanhalingstekens).",
    TEXT: "Geef tekst (een JSON-string).",
    MULTILINE: "Geef tekst (een JSON-string).",
    BOOLEAN: "Geef true of false.",
    DATE_LIST: "Geef een lijst van datums als JJJJ-MM-DD.",
    ID_LIST: "Geef een lijst van id's (JSON-getallen, niet tussen aanhalingstekens).",
    "object": "Geef een object.",
}


def type_errors(data: dict, spec: dict, prefix: str = "") -> dict[str, str]:
    """{field path: Dutch message} for each known field whose JSON type is wrong, or whose text
    holds a control character. Unknown fields are the caller's business."""
    errors = {}
    for key, kind in spec.items():
        value = data.get(key)
        if value is None:
            continue
        path = f"{prefix}{key}"
        if isinstance(kind, dict):
            if not isinstance(value, dict):
                errors[path] = TYPE_MESSAGES["object"]
            else:
                errors.update(type_errors(value, kind, f"{path}."))
        elif kind == INTEGER:
            if type(value) is not int:
                errors[path] = TYPE_MESSAGES[INTEGER]
        elif kind == BOOLEAN:
            if type(value) is not bool:
                errors[path] = TYPE_MESSAGES[BOOLEAN]
        elif kind == ID_LIST:
            if not isinstance(value, list) or not all(type(v) is int for v in value):
                errors[path] = TYPE_MESSAGES[ID_LIST]
        elif kind == DATE_LIST:
            if not isinstance(value, list) or not all(
                    isinstance(v, str) and not control_problem(v) for v in value):
                errors[path] = TYPE_MESSAGES[DATE_LIST]
        elif not isinstance(value, str):
            errors[path] = TYPE_MESSAGES[kind]
        elif problem := control_problem(value, multiline=kind == MULTILINE):
            errors[path] = problem
    return errors


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
        if problem := control_problem(value):
            errors[field] = problem
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
