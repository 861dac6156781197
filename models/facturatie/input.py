"""The billing terms a person types (form) or a client sends (API), checked: strings in,
clean values and Dutch errors per field out. Pure."""

import re
from datetime import date

from models.common.validation import DATE_RANGE_MESSAGE, control_problem, in_range, iso_date
from models.facturatie.termijnen import (
    BTW_TARIEVEN,
    FACTUREREN,
    PERIODS,
    parse_money,
    parse_percentage,
)

FIELDS = ("prijs", "btw_tarief", "factuurperiode", "factureren", "index_pct", "index_date")
MAX_CENTS = 10**11  # a billion euros a year is not a typo we want to invoice
DEFAULTS = {"prijs": "", "btw_tarief": "21", "factuurperiode": "", "factureren": "vooraf",
            "index_pct": "", "index_date": ""}


def clean(data: dict) -> tuple[dict, dict[str, str]]:
    """(values, errors). values: prijs_cents (None: the contract is not invoiced), btw_tarief,
    factuurperiode ("" = the voorwaarden's), factureren, index_pct (str of a Decimal, "" for
    none), index_date (date or None)."""
    text = {name: str(data.get(name) if data.get(name) is not None else DEFAULTS[name]).strip()
            for name in FIELDS}
    errors: dict[str, str] = {}
    for name, value in text.items():
        problem = control_problem(value)
        if problem:
            errors[name] = problem
    values: dict = {"prijs_cents": None, "btw_tarief": text["btw_tarief"],
                    "factuurperiode": text["factuurperiode"], "factureren": text["factureren"],
                    "index_pct": "", "index_date": None}
    if text["prijs"] and "prijs" not in errors:
        try:
            cents = parse_money(text["prijs"])
        except ValueError:
            errors["prijs"] = "Vul een bedrag in euro's in, zoals 1.250,00."
        else:
            if cents < 0:
                errors["prijs"] = "De prijs kan niet negatief zijn."
            elif cents > MAX_CENTS:
                errors["prijs"] = "Dat bedrag is te groot; controleer het."
            else:
                values["prijs_cents"] = cents
    if text["btw_tarief"] not in BTW_TARIEVEN:
        errors["btw_tarief"] = "Kies 21%, 9%, 0% of BTW verlegd."
    if text["factuurperiode"] and text["factuurperiode"] not in PERIODS:
        errors["factuurperiode"] = "Kies maand, kwartaal, halfjaar of jaar."
    if text["factureren"] not in FACTUREREN:
        errors["factureren"] = "Kies vooraf of achteraf."
    if text["index_pct"] and "index_pct" not in errors:
        try:
            pct = parse_percentage(text["index_pct"])
        except ValueError:
            errors["index_pct"] = "Vul een percentage in, zoals 2,5."
        else:
            if not -50 <= pct <= 100:
                errors["index_pct"] = "Kies een percentage tussen -50 en 100."
            elif pct.as_tuple().exponent < -2:
                errors["index_pct"] = "Gebruik hooguit twee decimalen."
            else:
                values["index_pct"] = str(pct)
    if text["index_date"] and "index_date" not in errors:
        day = iso_date(text["index_date"])
        if day is None:
            errors["index_date"] = "Vul een geldige datum in (JJJJ-MM-DD)."
        elif not in_range(day):
            errors["index_date"] = DATE_RANGE_MESSAGE
        else:
            values["index_date"] = day
    if values["index_pct"] and values["index_date"] is None and "index_date" not in errors:
        errors["index_date"] = "Kies de datum waarop de prijs jaarlijks wordt geïndexeerd."
    if values["index_date"] is not None and not text["index_pct"] and "index_pct" not in errors:
        errors["index_pct"] = "Vul het percentage van de jaarlijkse indexering in."
    if values["prijs_cents"] is None and not errors.get("prijs") and (
            text["index_pct"] or text["index_date"]):
        errors["prijs"] = "Vul de prijs in die geïndexeerd wordt."
    return values, errors


def as_form(values: dict) -> dict:
    """Stored values back into the form's strings."""
    from models.facturatie.termijnen import money

    cents = values.get("prijs_cents")
    day: date | None = values.get("index_date")
    return {"prijs": "" if cents is None else money(cents),
            "btw_tarief": values.get("btw_tarief") or "21",
            "factuurperiode": values.get("factuurperiode") or "",
            "factureren": values.get("factureren") or "vooraf",
            "index_pct": (values.get("index_pct") or "").replace(".", ","),
            "index_date": day.isoformat() if day else ""}


# --------------------------------------------------------------------------- the API's shape

API_FIELDS = ("prijs", "btw_tarief", "factuurperiode", "factureren", "indexering")
_API_MONEY = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,2})?$")


def from_api(body: dict, current: dict | None) -> tuple[dict, dict[str, str]]:
    """The API's contract fields (`prijs` "1200.00" per year or null, `btw_tarief`,
    `factuurperiode` or null, `factureren`, `indexering` {"percentage": "3.5", "datum":
    "2028-01-01"} or null) over the `current` terms (a PATCH changes only what it names):
    (values, errors keyed by the API's field names)."""
    form = as_form(current or {"prijs_cents": None})
    form["prijs"] = "" if not current or current.get("prijs_cents") is None else \
        _api_money(current["prijs_cents"])
    form["index_pct"] = (current or {}).get("index_pct") or ""
    errors: dict[str, str] = {}
    if "prijs" in body:
        value = body["prijs"]
        if value is None:
            form["prijs"] = ""
        elif isinstance(value, str) and _API_MONEY.match(value):
            form["prijs"] = value
        else:
            errors["prijs"] = 'Geef de prijs per jaar als tekst met een punt, zoals "1200.00".'
    for name in ("btw_tarief", "factuurperiode", "factureren"):
        if name in body:
            value = body[name]
            if value is None and name == "factuurperiode":
                form[name] = ""
            elif isinstance(value, str):
                form[name] = value
            else:
                errors[name] = "Geef dit veld als tekst."
    if "indexering" in body:
        value = body["indexering"]
        if value is None:
            form["index_pct"], form["index_date"] = "", ""
        elif isinstance(value, dict) and set(value) <= {"percentage", "datum"} and all(
                isinstance(v, str) for v in value.values()):
            form["index_pct"] = value.get("percentage", "")
            form["index_date"] = value.get("datum", "")
        else:
            errors["indexering"] = ('Geef {"percentage": "3.5", "datum": "JJJJ-MM-DD"} '
                                    "of null.")
    values, problems = clean(form)
    names = {"index_pct": "indexering.percentage", "index_date": "indexering.datum"}
    for name, message in problems.items():
        errors.setdefault(names.get(name, name), message)
    return values, errors


def _api_money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def to_api(values: dict | None) -> dict:
    """The contract's fields in the API's shape (all null when it is not invoiced)."""
    if not values:
        return {"prijs": None, "btw_tarief": None, "factuurperiode": None, "factureren": None,
                "indexering": None}
    day = values.get("index_date")
    return {"prijs": _api_money(values["prijs_cents"]), "btw_tarief": values["btw_tarief"],
            "factuurperiode": values["factuurperiode"] or None,
            "factureren": values["factureren"],
            "indexering": {"percentage": values["index_pct"], "datum": day.isoformat()}
            if values.get("index_pct") and day else None}
