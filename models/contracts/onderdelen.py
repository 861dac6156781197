"""A contract's onderdelen (several cadences, models/schedule/cadence.py): checking what the API
and the wizard send, and their API shape. Stored as a JSON list in the contract row
(Contract.onderdelen), so they are part of its version.

A request with one onderdeel (fixed, "vast") is today's contract: its rule becomes the
contract's schedule and its werkbon details the contract's, and nothing more is stored. With
two or more (or one that floats) the list is stored; the contract's own rule is then that of its
highest-ranked fixed onderdeel (or the calendar of a floating one), so every reader that asks
"does it have a schedule" still gets its answer.
"""

import json
from datetime import date

from models.contracts import lifecycle
from models.contracts.input import in_contract_words, name_problem, parse_int, parse_text
from models.schedule.cadence import ANCHORS, ORIGINAL, WINDOWS, interval_problem, interval_rrule
from models.schedule.definition import Schedule, validate_all
from models.stamdata.instellingen import Werktype

MAX_ONDERDELEN = 10
FIELDS = {"key", "name", "rrule", "visits_per_year", "anchor", "interval_after_completion",
          "rank", "supersedes_within", "werkbon",
          "description"}  # the API's sentence: read back, ignored when sent
WERKBON_FIELDS = {"description", "werktype", "duration_minutes", "checklist"}


def check(data: dict, kind: str | None, start: date | None, end: date | None,
          values: dict, current=None) -> dict:
    """Check `data["onderdelen"]`; set values["onderdelen"] (the JSON to store, "" for none) and,
    for onderdelen, the contract's rule and werkbon details. Returns the errors, keyed
    "onderdelen.<n>.<field>"."""
    raw = data.get("onderdelen")
    values["onderdelen"] = ""
    if raw in (None, []):
        return {}
    if not isinstance(raw, list):
        return {"onderdelen": "Geef een lijst van onderdelen."}
    if kind != "preventief":
        return {"onderdelen": "Onderdelen horen bij een preventief contract."}
    if len(raw) > MAX_ONDERDELEN:
        return {"onderdelen": f"Maximaal {MAX_ONDERDELEN} onderdelen."}
    errors: dict = {}
    previous = {p["name"]: p["key"] for p in (current.onderdelen_list() if current else [])}
    parsed = []
    for n, item in enumerate(raw):
        at = f"onderdelen.{n}"
        if not isinstance(item, dict):
            errors[at] = "Geef elk onderdeel als object."
            continue
        errors.update({f"{at}.{k}": "Onbekend veld." for k in set(item) - FIELDS})
        part, errs = _one(item, at, start, end, values)
        errors.update(errs)
        parsed.append(part)
    if errors:
        return errors
    ranks = [p["rank"] for p in parsed]
    for n, part in enumerate(parsed):
        if ranks.count(part["rank"]) > 1:
            errors[f"onderdelen.{n}.rank"] = "Elk onderdeel heeft een eigen rang."
    names = [p["name"].lower() for p in parsed]
    for n, part in enumerate(parsed):
        if names.count(part["name"].lower()) > 1:
            errors[f"onderdelen.{n}.name"] = "Geef elk onderdeel een eigen naam."
    if errors:
        return errors
    if len(parsed) == 1 and parsed[0]["anchor"] == "vast" \
            and not _keeps_its_key(parsed[0], previous):  # today's contract
        only = parsed[0]
        values["rrule"] = only["rrule"]
        werkbon = only["werkbon"]
        values["wb_description"] = werkbon["description"] or values.get("wb_description", "")
        if werkbon["werktype_id"]:
            values["werktype"] = Werktype.get_by_id(werkbon["werktype_id"])
        if werkbon["duration_minutes"]:
            values["duration_minutes"] = werkbon["duration_minutes"]
        return {}
    used = set()
    for part in parsed:
        if part["key"] == ORIGINAL and part["anchor"] != "vast":
            part["key"] = None  # the original cadence's werkbonnen have no onderdeel in
            # their slot, and a floating one's chain is found by it: it gets a key of its own
    if current is not None and not previous and current.rrule and current.kind == "preventief":
        # one cadence becomes several: the one with the contract's rule (else the first fixed
        # one, the wizard's schedule above) stays that cadence, and its werkbonnen stay
        fixed = [p for p in parsed if p["anchor"] == "vast" and not p["key"]]
        original = next((p for p in fixed if p["rrule"] == current.rrule),
                        fixed[0] if fixed else None)
        if original is not None:
            original["key"] = ORIGINAL
    for part in parsed:  # keys stay with their onderdeel across edits (its werkbonnen' slot)
        key = part.pop("key") or previous.get(part["name"])
        if not key or key in used:
            key = next(str(k) for k in range(1, 100) if str(k) not in used
                       and str(k) not in previous.values())
        used.add(key)
        part["key"] = key
    parsed.sort(key=lambda p: -p["rank"])
    fixed = [p for p in parsed if p["anchor"] == "vast"]
    values["rrule"] = fixed[0]["rrule"] if fixed else interval_rrule(
        parsed[0]["interval_after_completion"])
    values["onderdelen"] = json.dumps(parsed, sort_keys=True)
    return {}


def _keeps_its_key(part: dict, previous: dict) -> bool:
    """Whether the one onderdeel left of several stays an onderdeel (a list of one): its
    werkbonnen carry its key in their slot ("#2"), which a plain contract's have not, so making
    it today's contract would cancel and remake all of them. The original cadence (the contract
    had one schedule before it got onderdelen) has no key in its slots: it becomes today's
    contract again."""
    key = part.get("key") or previous.get(part["name"])
    return bool(key) and key != ORIGINAL and key in previous.values()


def _one(item: dict, at: str, start, end, values: dict) -> tuple[dict, dict]:
    errors = {}
    name, problem = parse_text(item.get("name"), 80)
    if problem or not name:
        errors[f"{at}.name"] = problem or "Geef het onderdeel een naam."
    key = item.get("key")
    if key not in (None, "") and (not isinstance(key, str) or not key.isalnum() or len(key) > 8):
        errors[f"{at}.key"] = "Een sleutel is een kort woord van letters en cijfers."
    rank = parse_int(item.get("rank"))
    if rank is None or not 1 <= rank <= 99:
        errors[f"{at}.rank"] = "Geef een rang van 1 tot en met 99 (hoger gaat voor)."
    anchor = item.get("anchor") or "vast"
    if anchor not in ANCHORS:
        errors[f"{at}.anchor"] = "Kies vast of na_afronding."
    window = item.get("supersedes_within") or "maand"
    if window not in WINDOWS:
        errors[f"{at}.supersedes_within"] = "Kies dag, week of maand."
    rrule, interval = None, None
    if anchor == "na_afronding":
        interval = item.get("interval_after_completion")
        if problem := interval_problem(interval):
            errors[f"{at}.interval_after_completion"] = problem
    elif anchor == "vast":
        rrule = item.get("rrule")
        visits = item.get("visits_per_year")
        if visits not in (None, "") and start is not None:
            count = parse_int(visits)
            rrule = lifecycle.visits_rrule(count, start) if count else None
            if rrule is None:
                errors[f"{at}.visits_per_year"] = "Kies 1, 2, 3, 4, 6 of 12 bezoeken per jaar."
        elif not isinstance(rrule, str) or not rrule.strip():
            errors[f"{at}.rrule"] = "Stel een terugkerend schema in."
            rrule = None
        else:
            rrule = rrule.strip()
        if rrule and start is not None and f"{at}.visits_per_year" not in errors:
            problems = validate_all(Schedule(
                start_date=start, rrule=rrule, end_date=end,
                holidays=values.get("holidays", "ignore"),
                weekends=values.get("weekends", "ignore")))
            for field, message in problems.items():
                if field in ("rrule", "holidays", "weekends"):
                    errors[f"{at}.rrule"] = in_contract_words(field, message)
    werkbon = item.get("werkbon") or {}
    shaped = {"description": "", "werktype_id": None, "duration_minutes": None, "checklist": ""}
    if not isinstance(werkbon, dict):
        errors[f"{at}.werkbon"] = "Geef een object."
        werkbon = {}
    errors.update({f"{at}.werkbon.{k}": "Onbekend veld." for k in set(werkbon) - WERKBON_FIELDS})
    shaped["description"], problem = parse_text(werkbon.get("description"), 200)
    if problem:
        errors[f"{at}.werkbon.description"] = problem
    shaped["checklist"], problem = parse_text(werkbon.get("checklist"), 2000, multiline=True)
    if problem:
        errors[f"{at}.werkbon.checklist"] = problem
    werktype = werkbon.get("werktype")
    if werktype not in (None, ""):
        found = None if name_problem(werktype) or not isinstance(werktype, str) else \
            Werktype.get_or_none(Werktype.name == werktype.strip())
        if found is None:
            errors[f"{at}.werkbon.werktype"] = "Onbekend werktype."
        else:
            shaped["werktype_id"] = found.id
    duration = werkbon.get("duration_minutes")
    if duration not in (None, ""):
        minutes = parse_int(duration)
        if minutes is None or not 5 <= minutes <= 24 * 60:
            errors[f"{at}.werkbon.duration_minutes"] = \
                "Vul een duur van 5 tot en met 1440 minuten in."
        shaped["duration_minutes"] = minutes
    return {"key": key or None, "name": name, "rank": rank, "anchor": anchor, "rrule": rrule,
            "interval_after_completion": interval, "supersedes_within": window,
            "werkbon": shaped}, errors


def sentence(cadence) -> str:
    """What a cadence is called: its rule in words, or "6 maanden na afronding van de vorige"."""
    from models.schedule.cadence import interval_text
    from models.schedule.describe import describe_rrule

    if cadence.floating:
        return f"{interval_text(cadence.interval)} na afronding van de vorige"
    return describe_rrule(cadence.schedule.rrule, cadence.schedule.start_date)


def to_api(contract) -> list[dict] | None:
    """The API shape of a contract's onderdelen (None: it has one cadence, its own). Each has
    an RRULE (a floating one: the calendar it keeps when each visit is done on its date)."""
    stored = contract.onderdelen_list()
    if not stored:
        return None
    sentences = {c.key: sentence(c) for c in contract.cadences()}
    names = {w.id: w.name for w in Werktype.select(Werktype.id, Werktype.name).where(
        Werktype.id.in_([p["werkbon"]["werktype_id"] for p in stored
                         if p["werkbon"].get("werktype_id")]))}
    return [{"key": p["key"], "name": p["name"], "rank": p["rank"], "anchor": p["anchor"],
             "rrule": p["rrule"] or interval_rrule(p["interval_after_completion"]),
             "description": sentences.get(p["key"], ""),
             "interval_after_completion": p["interval_after_completion"],
             "supersedes_within": p["supersedes_within"],
             "werkbon": {"description": p["werkbon"]["description"],
                         "werktype": names.get(p["werkbon"].get("werktype_id")),
                         "duration_minutes": p["werkbon"]["duration_minutes"],
                         "checklist": p["werkbon"]["checklist"]}}
            for p in stored]
