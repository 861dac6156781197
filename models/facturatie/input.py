"""The billing terms a person types (form) or a client sends (API), checked: strings in,
clean values and Dutch errors per field out. Pure."""

import re
from datetime import date

from models.common.validation import DATE_RANGE_MESSAGE, control_problem, in_range, iso_date
from models.facturatie.termijnen import (
    BASES,
    BTW_TARIEVEN,
    FACTUREREN,
    PERIODS,
    parse_money,
    parse_percentage,
)

FIELDS = ("prijs", "btw_tarief", "factuurperiode", "factureren", "index_pct", "index_date",
          "prijs_per", "index_reeks", "factureren_vanaf")
MAX_CENTS = 10**11  # a billion euros a year is not a typo we want to invoice
DEFAULTS = {"prijs": "", "btw_tarief": "21", "factuurperiode": "", "factureren": "vooraf",
            "index_pct": "", "index_date": "", "prijs_per": "jaar", "index_reeks": "",
            "factureren_vanaf": ""}


def clean(data: dict) -> tuple[dict, dict[str, str]]:
    """(values, errors). values: prijs_cents (None: the contract is not invoiced), btw_tarief,
    factuurperiode ("" = the voorwaarden's), factureren, index_pct (str of a Decimal, "" for
    none), index_date (date or None), prijs_per (jaar | periode | bezoek | object),
    index_reeks_id (int or None: an index series instead of a percentage), factureren_vanaf
    (date or None: from the start)."""
    text = {name: str(data.get(name) if data.get(name) is not None else DEFAULTS[name]).strip()
            for name in FIELDS}
    errors: dict[str, str] = {}
    for name, value in text.items():
        problem = control_problem(value)
        if problem:
            errors[name] = problem
    values: dict = {"prijs_cents": None, "btw_tarief": text["btw_tarief"],
                    "factuurperiode": text["factuurperiode"], "factureren": text["factureren"],
                    "index_pct": "", "index_date": None, "prijs_per": text["prijs_per"] or "jaar",
                    "index_reeks_id": None, "factureren_vanaf": None}
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
    if values["prijs_per"] not in BASES:
        errors["prijs_per"] = "Kies per jaar, per factuurperiode, per bezoek of per object."
        values["prijs_per"] = "jaar"
    elif values["prijs_per"] == "periode" and not text["factuurperiode"] \
            and "factuurperiode" not in errors:
        # the voorwaarden's period may change later: a price per kwartaal must stay one
        errors["factuurperiode"] = ("Kies de factuurperiode zelf bij een prijs per "
                                    "factuurperiode.")
    if text["index_reeks"] and "index_reeks" not in errors:
        if not text["index_reeks"].isdigit() or not 0 < int(text["index_reeks"]) < 2**31:
            errors["index_reeks"] = "Kies een indexreeks uit de lijst."
        elif text["index_pct"]:
            errors["index_reeks"] = "Kies een vast percentage óf een indexreeks, niet allebei."
        else:
            values["index_reeks_id"] = int(text["index_reeks"])
    if text["factureren_vanaf"] and "factureren_vanaf" not in errors:
        day = iso_date(text["factureren_vanaf"])
        if day is None:
            errors["factureren_vanaf"] = "Vul een geldige datum in (JJJJ-MM-DD)."
        elif not in_range(day):
            errors["factureren_vanaf"] = DATE_RANGE_MESSAGE
        else:
            values["factureren_vanaf"] = day
    indexed = values["index_pct"] or values["index_reeks_id"]
    if indexed and values["index_date"] is None and "index_date" not in errors:
        errors["index_date"] = "Kies de datum waarop de prijs jaarlijks wordt geïndexeerd."
    if values["index_date"] is not None and not text["index_pct"] and not text["index_reeks"] \
            and "index_pct" not in errors:
        errors["index_pct"] = "Vul het percentage van de jaarlijkse indexering in (of kies een " \
                              "indexreeks)."
    if values["prijs_cents"] is None and not errors.get("prijs") and (
            text["index_pct"] or text["index_date"] or text["index_reeks"]):
        errors["prijs"] = "Vul de prijs in die geïndexeerd wordt."
    return values, errors


def as_form(values: dict) -> dict:
    """Stored values back into the form's strings."""
    from models.facturatie.termijnen import money

    cents = values.get("prijs_cents")
    day: date | None = values.get("index_date")
    vanaf: date | None = values.get("factureren_vanaf")
    return {"prijs": "" if cents is None else money(cents),
            "btw_tarief": values.get("btw_tarief") or "21",
            "factuurperiode": values.get("factuurperiode") or "",
            "factureren": values.get("factureren") or "vooraf",
            "index_pct": (values.get("index_pct") or "").replace(".", ","),
            "index_date": day.isoformat() if day else "",
            "prijs_per": values.get("prijs_per") or "jaar",
            "index_reeks": str(values.get("index_reeks_id") or ""),
            "factureren_vanaf": vanaf.isoformat() if vanaf else ""}


# --------------------------------------------------------------------------- the API's shape

API_FIELDS = ("prijs", "btw_tarief", "factuurperiode", "factureren", "indexering", "prijs_per",
              "factureren_vanaf")
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
    if "prijs_per" in body:
        value = body["prijs_per"]
        if value is None:
            form["prijs_per"] = "jaar"
        elif isinstance(value, str):
            form["prijs_per"] = value
        else:
            errors["prijs_per"] = "Geef dit veld als tekst: jaar, periode, bezoek of object."
    if "factureren_vanaf" in body:
        value = body["factureren_vanaf"]
        if value is None:
            form["factureren_vanaf"] = ""
        elif isinstance(value, str):
            form["factureren_vanaf"] = value
        else:
            errors["factureren_vanaf"] = "Geef een datum als tekst (JJJJ-MM-DD) of null."
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
        reeks = value.get("reeks_id") if isinstance(value, dict) else None
        if value is None:
            form["index_pct"], form["index_date"], form["index_reeks"] = "", "", ""
        elif isinstance(value, dict) and set(value) <= {"percentage", "datum", "reeks_id"} and all(
                isinstance(v, str) or v is None for k, v in value.items() if k != "reeks_id"
        ) and (reeks is None or (isinstance(reeks, int) and not isinstance(reeks, bool))):
            form["index_pct"] = value.get("percentage") or ""
            form["index_date"] = value.get("datum") or ""
            form["index_reeks"] = "" if reeks is None else str(reeks)
        else:
            errors["indexering"] = ('Geef {"percentage": "3.5", "datum": "JJJJ-MM-DD"}, '
                                    '{"reeks_id": 1, "datum": "JJJJ-MM-DD"} of null.')
    values, problems = clean(form)
    names = {"index_pct": "indexering.percentage", "index_date": "indexering.datum",
             "index_reeks": "indexering.reeks_id", "prijs": "prijs"}
    for name, message in problems.items():
        errors.setdefault(names.get(name, name), message)
    return values, errors


def _api_money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def to_api(values: dict | None) -> dict:
    """The contract's fields in the API's shape (all null when it is not invoiced)."""
    if not values:
        return {"prijs": None, "btw_tarief": None, "factuurperiode": None, "factureren": None,
                "indexering": None, "prijs_per": None, "factureren_vanaf": None}
    day = values.get("index_date")
    vanaf = values.get("factureren_vanaf")
    indexering = None
    if values.get("index_reeks_id") and day:
        indexering = {"percentage": None, "datum": day.isoformat(),
                      "reeks_id": values["index_reeks_id"]}
    elif values.get("index_pct") and day:
        indexering = {"percentage": values["index_pct"], "datum": day.isoformat(),
                      "reeks_id": None}
    return {"prijs": _api_money(values["prijs_cents"]), "btw_tarief": values["btw_tarief"],
            "factuurperiode": values["factuurperiode"] or None,
            "factureren": values["factureren"], "indexering": indexering,
            "prijs_per": values.get("prijs_per") or "jaar",
            "factureren_vanaf": vanaf.isoformat() if vanaf else None}
