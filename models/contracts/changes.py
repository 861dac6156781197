"""An edit of a saved contract in the planner's words, for the wizard's Controle step and the
conflict it shows when another planner saved first: each changed field as (label, before,
after), with names instead of ids, Dutch dates and the schedule's sentence, and the coming
dates before and after. (What the edit does to the werkbonnen is
models.werkbonnen.replan.effect.)
"""

from datetime import date

from models.common.dutch_dates import count, short_date
from models.contracts import lifecycle, service
from models.contracts.input import parse_date
from models.contracts.tables import WERKBON_PER, Contract
from models.objecten.tables import Object, Werkadres
from models.schedule.cadence import coming
from models.schedule.describe import POLICY_LABELS
from models.schedule.expand import occurrences
from models.stamdata import calendar_store
from models.stamdata.instellingen import KINDS, Contractvoorwaarden, SlaBeleid
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker

CHANGE_LABELS = {
    "klant_id": "Klant", "contracttype": "Contracttype", "description": "Omschrijving",
    "reference": "Referentie", "contractvoorwaarden_id": "Contractvoorwaarden",
    "start_date": "Startdatum", "end_date": "Einddatum", "days_in_advance": "Dagen van tevoren",
    "schedule.description": "Schema", "schedule.holidays": "Feestdagen",
    "schedule.weekends": "Weekend", "schedule.extra_dates": "Extra datums",
    "schedule.skip_dates": "Overgeslagen datums", "visits_per_year": "Bezoeken per jaar",
    "sla_beleid_id": "SLA-beleid", "werkbon.description": "Omschrijving op de werkbon",
    "werkbon.werktype": "Werktype", "werkbon.duration_minutes": "Duur (minuten)",
    "werkbon.prioriteit": "Prioriteit", "werkbon.start_time": "Starttijd",
    "werkbon.medewerker_id": "Medewerker", "werkbon.internal_note": "Interne notitie",
    "werkbon_per": "Werkbon per", "werkadres_ids": "Werkadressen", "object_ids": "Objecten",
    "status": "Status",
}  # the rest (version, the rule's RRULE text beside its sentence, ids) says nothing new


def readable(field: str, value) -> str:
    """A value of the API shape in the planner's words: names instead of ids, Dutch dates."""
    names = {"klant_id": Klant, "werkbon.medewerker_id": Medewerker,
             "contractvoorwaarden_id": Contractvoorwaarden, "sla_beleid_id": SlaBeleid}
    if value is None or value == "" or value == []:
        return "—"
    if field in names:
        row = names[field].get_or_none(names[field].id == value)
        return row.name if row else str(value)
    if field in ("schedule.holidays", "schedule.weekends"):
        return POLICY_LABELS.get(value, "niets doen")
    if field == "contracttype":
        return KINDS.get(value, str(value))
    if field == "werkbon_per":
        return WERKBON_PER.get(value, str(value))
    if field == "object_ids" and isinstance(value, list):
        return _summary([o.number for o in _rows(Object, value, Object.number)], "object",
                        "objecten")
    if field == "werkadres_ids" and isinstance(value, list):
        return _summary([w.label for w in _rows(Werkadres, value, Werkadres.name)],
                        "werkadres", "werkadressen")
    if isinstance(value, list):
        return ", ".join(readable(field, v) for v in value)
    parsed = parse_date(value) if isinstance(value, str) else None
    return short_date(parsed) if parsed else str(value)


SUMMARY_NAMES = 8  # names a changed list of objecten shows before "…"


def _rows(model, ids: list, order) -> list:
    return list(model.select().where(model.id.in_(ids)).order_by(order, model.id)) if ids else []


def _summary(names: list[str], one: str, many: str) -> str:
    """"3 objecten: BB-001, BB-002, BB-003", or with many "40 objecten: BB-001, … BB-040"."""
    if len(names) <= SUMMARY_NAMES:
        return f"{count(len(names), one, many)}: {', '.join(names)}"
    return (f"{count(len(names), one, many)}: {', '.join(names[:SUMMARY_NAMES - 1])}, … "
            f"{names[-1]}")


def readable_changes(changed: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) in the planner's words: names instead of ids, Dutch dates."""
    return [(CHANGE_LABELS[field], readable(field, old), readable(field, new))
            for field, (old, new) in changed.items() if field in CHANGE_LABELS]


NEXT_DATES = 5  # the coming dates Controle compares before and after an edit
# fields only some contracts have: left out of "unchanged" when this one has nothing there
NOT_EVERY_KIND = {"visits_per_year", "sla_beleid_id", "schedule.extra_dates",
                  "schedule.skip_dates", "schedule.description", "schedule.holidays",
                  "schedule.weekends", "werkbon.internal_note", "reference", "object_ids",
                  "werkadres_ids"}


def edit_changes(current: Contract, edited: Contract, today: date) -> dict:
    """What saving `edited` over `current` changes: every field the planner changed as (label,
    now, after saving), in the planner's words (names, Dutch dates, the schedule's sentence) and
    in the order of the form; the coming dates when they change; and the fields that stay."""
    before = _flat(service.serialise(current, today))
    after = _flat(service.serialise(edited, today))
    changed, unchanged = [], []
    for field, label in CHANGE_LABELS.items():
        if field not in before and field not in after:
            continue
        old, new = readable(field, before.get(field)), readable(field, after.get(field))
        if field == "status":
            label = "Status na opslaan"
            old = lifecycle.STATUSES.get(before["status"], "—")
            new = lifecycle.STATUSES.get(after["status"], "—")
        if before.get(field) != after.get(field) and old != new:
            changed.append((label, old, new))
            if field == "object_ids" and before.get(field) and after.get(field):
                changed += _added_and_removed(before[field], after[field])
        elif field == "werkbon_per" and not (after.get("object_ids")
                                             or after.get("werkadres_ids")):
            continue  # says nothing for a contract without werkadressen or objecten
        elif new != "—" or field not in NOT_EVERY_KIND:
            unchanged.append((label, new))
    free = calendar_store.free_days()
    old_dates, new_dates = _coming(current, today, free), _coming(edited, today, free)
    if old_dates != new_dates:
        # (date, whether the other side lacks it): a date that goes or comes stands out
        changed.append(("Volgende datums",
                        [(short_date(d), d not in new_dates) for d in old_dates] or [("geen", 0)],
                        [(short_date(d), d not in old_dates) for d in new_dates] or [("geen", 0)]))
    return {"changed": changed, "unchanged": unchanged, "dates_change": old_dates != new_dates}


def _added_and_removed(old: list, new: list) -> list[tuple[str, str, str]]:
    """The objecten an edit adds and takes off, each as its own row."""
    rows = []
    for label, ids in (("Objecten erbij", sorted(set(new) - set(old))),
                       ("Objecten eraf", sorted(set(old) - set(new)))):
        if ids:
            names = [o.number for o in _rows(Object, ids, Object.number)]
            rows.append((label, "—", _summary(names, "object", "objecten")))
    return rows


def _flat(shape: dict, prefix: str = "") -> dict:
    """The API shape with nested parts as "werkbon.medewerker_id" (service.changes)."""
    flat = {}
    for key, value in shape.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _coming(contract: Contract, today: date, free) -> list[date]:
    """The contract's next NEXT_DATES dates from today (or its start)."""
    schedule = contract.schedule()
    if schedule is None:
        return []
    low = max(today, contract.start_date)
    cadences = contract.cadences()
    if cadences:  # all onderdelen together; a floating one's dates follow the completions
        return [o.date for _c, o in coming(cadences, free, low, NEXT_DATES)]
    found, _more = occurrences(schedule, free, low, NEXT_DATES)
    return [o.date for o in found]
