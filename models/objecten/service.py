"""Writing werkadressen and objecten: create, the versioned update, an object's status change,
wiping an object entered by mistake, and the API shape (also what the audit trail records).

The pages and the API call these, so both give the same Dutch errors. Every write checks and
writes in one write transaction, with its audit row. An update names the `version` it was read
at: someone else's save in between is a `Conflict` (the API's 409, the form's "intussen
gewijzigd"), never a silent overwrite. A status change is `set_status`, the one function every
caller uses (the object page, the API's PATCH, and later the contracts that re-plan).
"""

from datetime import date

from peewee import IntegrityError, fn

from models.common.validation import whole
from models.db import audit, locked, write_transaction
from models.db.base import utcnow
from models.db.counters import reserve
from models.objecten import rules
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant

NUMBER_PREFIX = "OBJ-"
NUMBER_SEQUENCE = "object"
MESSAGES = {
    "klant": "Kies een klant.",
    "klant_unknown": "Deze klant bestaat niet.",
    "klant_inactive": "Deze klant is gedeactiveerd; activeer hem eerst.",
    "klant_fixed": "Een werkadres blijft bij zijn klant; maak bij de andere klant een nieuw "
                   "werkadres aan.",
    "werkadres": "Kies een werkadres.",
    "werkadres_unknown": "Dit werkadres bestaat niet.",
    "werkadres_inactive": "Dit werkadres is gedeactiveerd; kies een actief werkadres.",
    "werkadres_other_klant": "Dit werkadres hoort niet bij deze klant; kies een werkadres van "
                             "de klant.",
    "object_klant_fixed": "Een object blijft bij zijn klant; kies een werkadres van dezelfde "
                          "klant (of maak bij de andere klant een nieuw object aan).",
    "objecttype": "Kies een objecttype.",
    "objecttype_unknown": "Dit objecttype bestaat niet.",
    "objecttype_inactive": "Dit objecttype is niet meer actief; kies een ander.",
    "active": "Kies waar of onwaar.",
}
WERKADRES_FIELDS = tuple(f for f, _l, _m in rules.WERKADRES_TEXT)
OBJECT_FIELDS = ("number", "werkadres_id", "objecttype_id", "brand", "model", "serial_number",
                 "location", "installed_on", "warranty_until", "notes")


class Conflict(Exception):
    """Someone else saved the row since it was read (at `version`)."""

    def __init__(self, current):
        super().__init__("stale version")
        self.current = current


def _id(value) -> int | None:
    """An id from a form (digits) or the API (a JSON number, type-checked before)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 < value < 2**63 else None
    return whole(value) if isinstance(value, str) else None


# --- werkadressen ------------------------------------------------------------------------------

def werkadres_dict(werkadres: Werkadres) -> dict:
    """The API shape (also what the audit trail records)."""
    return {"id": werkadres.id, "klant_id": werkadres.klant_id,
            **{f: getattr(werkadres, f) for f in WERKADRES_FIELDS},
            "active": werkadres.active, "version": werkadres.version}


def _klant_errors(data: dict) -> tuple[int | None, dict]:
    raw = data.get("klant_id")
    if raw in (None, ""):
        return None, {"klant_id": MESSAGES["klant"]}
    klant = Klant.get_or_none(Klant.id == _id(raw)) if _id(raw) else None
    if klant is None:
        return None, {"klant_id": MESSAGES["klant_unknown"]}
    if not klant.active:
        return None, {"klant_id": MESSAGES["klant_inactive"]}
    return klant.id, {}


def create_werkadres(data: dict, actor: str) -> tuple[Werkadres | None, dict]:
    """A new werkadres of `data["klant_id"]`; (werkadres, {}) or (None, errors)."""
    values, errors = rules.werkadres_values(data)
    klant_id, klant_errors = _klant_errors(data)
    errors.update(klant_errors)
    active = data.get("active", True)
    if active is not None and not isinstance(active, bool):
        errors["active"] = MESSAGES["active"]
    if errors:
        return None, errors
    with write_transaction():
        werkadres = Werkadres.create(klant=klant_id, active=active is not False, **values)
        audit.record("werkadres", werkadres.id, "aangemaakt", actor, werkadres_dict(werkadres))
    return werkadres, {}


def update_werkadres(werkadres: Werkadres, data: dict, version: int, actor: str):
    """Change the fields present in `data` of the werkadres read at `version`. Returns
    (werkadres as saved, errors); raises Conflict when someone else saved it meanwhile.
    Saving what is stored already writes nothing (no new version)."""
    values, errors = rules.werkadres_values(data, partial=True)
    if "klant_id" in data and _id(data["klant_id"]) != werkadres.klant_id:
        errors["klant_id"] = MESSAGES["klant_fixed"]
    if "active" in data:
        if not isinstance(data["active"], bool):
            errors["active"] = MESSAGES["active"]
        else:
            values["active"] = data["active"]
    if errors:
        return werkadres, errors
    with write_transaction():
        current = locked(Werkadres.select().where(Werkadres.id == werkadres.id)).get()
        if current.version != version:
            raise Conflict(current)
        changes = audit.diff({f: getattr(current, f) for f in values}, values)
        if not changes:
            return current, {}
        Werkadres.update(**values, version=Werkadres.version + 1, updated_at=utcnow()).where(
            Werkadres.id == werkadres.id).execute()
        action = "gedeactiveerd" if changes.get("active") == [True, False] else "gewijzigd"
        audit.record("werkadres", werkadres.id, action, actor, changes)
    return Werkadres.get_by_id(werkadres.id), {}


# --- objecten ----------------------------------------------------------------------------------

def object_select():
    """Objects with their werkadres and objecttype (what `object_dict` and the pages read)."""
    return Object.select(Object, Werkadres, Objecttype).join(Werkadres).switch(Object).join(
        Objecttype).switch(Object)


def get_object(object_id: int) -> Object | None:
    return object_select().where(Object.id == object_id).first()


def object_dict(obj: Object) -> dict:
    """The API shape (also what the audit trail records)."""
    return {
        "id": obj.id, "number": obj.number, "klant_id": obj.werkadres.klant_id,
        "werkadres_id": obj.werkadres_id, "objecttype_id": obj.objecttype_id,
        "objecttype": obj.objecttype.name, "brand": obj.brand, "model": obj.model,
        "serial_number": obj.serial_number, "location": obj.location,
        "installed_on": obj.installed_on.isoformat() if obj.installed_on else None,
        "warranty_until": obj.warranty_until.isoformat() if obj.warranty_until else None,
        "status": obj.status,
        "status_since": obj.status_since.isoformat() if obj.status_since else None,
        "notes": obj.notes, "version": obj.version,
    }


def _number_owner(number: str, except_id: int | None) -> Object | None:
    """The object that has this number already, in any case ("obj-7" beside "OBJ-7" is the
    same sticker to a person)."""
    query = object_select().where(fn.LOWER(Object.number) == number.lower())
    if except_id is not None:
        query = query.where(Object.id != except_id)
    return query.first()


def number_taken_message(owner: Object) -> str:
    return (f"Objectnummer {owner.number} is al in gebruik ({owner.objecttype.name} bij "
            f"{owner.werkadres.label}). Kies een ander nummer of laat het veld leeg.")


def _next_number() -> str:
    """The next free OBJ-000001 number (inside the write transaction). The sequence starts
    after the highest such number in use, and skips a number someone typed by hand."""
    def highest() -> int:
        numbers = (Object.select(Object.number)
                   .where(Object.number.startswith(NUMBER_PREFIX)).tuples())
        return max((n for (text,) in numbers
                    if (n := whole(text[len(NUMBER_PREFIX):])) is not None), default=0)

    while True:
        number = f"{NUMBER_PREFIX}{reserve(NUMBER_SEQUENCE, 1, highest):06d}"
        if _number_owner(number, None) is None:
            return number


def _refs(data: dict, current: Object | None) -> tuple[dict, dict]:
    """The werkadres and objecttype of `data` (for a change: those present), checked: they
    exist, are active (keeping an inactive one an object already has is fine), and the
    werkadres belongs to the klant (`klant_id` in data, or the object's own klant)."""
    values, errors = {}, {}
    if current is not None and data.get("klant_id") not in (None, "") \
            and _id(data["klant_id"]) != current.werkadres.klant_id:
        errors["klant_id"] = MESSAGES["object_klant_fixed"]
    if current is None or "werkadres_id" in data:
        raw = data.get("werkadres_id")
        werkadres = Werkadres.get_or_none(Werkadres.id == _id(raw)) if _id(raw) else None
        if raw in (None, ""):
            errors["werkadres_id"] = MESSAGES["werkadres"]
        elif werkadres is None:
            errors["werkadres_id"] = MESSAGES["werkadres_unknown"]
        elif not werkadres.active and (current is None or current.werkadres_id != werkadres.id):
            errors["werkadres_id"] = MESSAGES["werkadres_inactive"]
        else:
            klant_id = current.werkadres.klant_id if current is not None else None
            wanted = data.get("klant_id")
            if wanted not in (None, "") and _id(wanted) != werkadres.klant_id:
                errors["werkadres_id"] = MESSAGES["werkadres_other_klant"]
            elif klant_id is not None and werkadres.klant_id != klant_id:
                errors["werkadres_id"] = MESSAGES["object_klant_fixed"]
            else:
                values["werkadres"] = werkadres.id
    if current is None or "objecttype_id" in data:
        raw = data.get("objecttype_id")
        kind = Objecttype.get_or_none(Objecttype.id == _id(raw)) if _id(raw) else None
        if raw in (None, ""):
            errors["objecttype_id"] = MESSAGES["objecttype"]
        elif kind is None:
            errors["objecttype_id"] = MESSAGES["objecttype_unknown"]
        elif not kind.active and (current is None or current.objecttype_id != kind.id):
            errors["objecttype_id"] = MESSAGES["objecttype_inactive"]
        else:
            values["objecttype"] = kind.id
    return values, errors


def create_object(data: dict, actor: str, today: date) -> tuple[Object | None, dict]:
    """A new object; (object, {}) or (None, errors). An empty number gets the next OBJ-number.
    `status` and `status_since` may be given (default: actief)."""
    values, errors = rules.object_values(data, today)
    refs, ref_errors = _refs(data, None)
    errors.update(ref_errors)
    status = {"status": rules.PRODUCING, "status_since": None}
    if data.get("status") not in (None, rules.PRODUCING) or data.get("status_since"):
        status, status_errors = rules.status_values(data.get("status") or rules.PRODUCING,
                                                    data.get("status_since"), today)
        errors.update(status_errors)
    errors.update(rules.dates_in_order(values.get("installed_on"), values.get("warranty_until")))
    number = values.get("number")
    if number and "number" not in errors and (owner := _number_owner(number, None)):
        errors["number"] = number_taken_message(owner)
    if errors:
        return None, errors
    try:
        with write_transaction():
            if not number:
                values["number"] = _next_number()
            elif owner := _number_owner(number, None):  # saved meanwhile
                return None, {"number": number_taken_message(owner)}
            obj = Object.create(**values, **refs, **status)
            obj = get_object(obj.id)
            audit.record("object", obj.id, "aangemaakt", actor, object_dict(obj))
    except IntegrityError:
        # the same number, saved by someone else between our check and our insert
        owner = _number_owner(values["number"], None)
        return None, {"number": number_taken_message(owner) if owner else
                      "Dit objectnummer is al in gebruik."}
    return obj, {}


def update_object(obj: Object, data: dict, version: int, actor: str, today: date):
    """Change the fields present in `data` of the object read at `version`; `status` and
    `status_since` in data go through `set_status`, in the same transaction. Returns (object
    as saved, errors); raises Conflict when someone else saved it meanwhile. Saving what is
    stored already writes nothing (no new version)."""
    values, errors = rules.object_values(data, today, partial=True)
    refs, ref_errors = _refs(data, obj)
    errors.update(ref_errors)
    status = None
    if "status" in data or "status_since" in data:
        status, status_errors = rules.status_values(data.get("status", obj.status),
                                                    data.get("status_since"), today)
        errors.update(status_errors)
    if "number" in values and not values["number"]:
        errors["number"] = "Vul een objectnummer in."
    errors.update(rules.dates_in_order(values.get("installed_on", obj.installed_on),
                                       values.get("warranty_until", obj.warranty_until)))
    number = values.get("number")
    if number and "number" not in errors and (owner := _number_owner(number, obj.id)):
        errors["number"] = number_taken_message(owner)
    if errors:
        return obj, errors
    values.update(refs)
    try:
        with write_transaction():
            current = locked(Object.select().where(Object.id == obj.id)).get()
            if current.version != version:
                raise Conflict(get_object(obj.id))
            if number and (owner := _number_owner(number, obj.id)):
                return obj, {"number": number_taken_message(owner)}
            before = object_dict(get_object(obj.id))
            changes = {k: v for k, v in values.items() if getattr(current, _column(k)) != v}
            if changes:
                Object.update(**changes, version=Object.version + 1, updated_at=utcnow()).where(
                    Object.id == obj.id).execute()
                audit.record("object", obj.id, "gewijzigd", actor,
                             _changes(before, object_dict(get_object(obj.id))))
            fresh = get_object(obj.id)
            if status is not None:
                fresh, _errors = set_status(fresh, status["status"], status["status_since"],
                                            actor, today)
    except IntegrityError:
        owner = _number_owner(number or "", obj.id)
        return obj, {"number": number_taken_message(owner) if owner else
                     "Dit objectnummer is al in gebruik."}
    return fresh, {}


def _column(key: str) -> str:
    """The attribute of Object holding a value: werkadres and objecttype by their id."""
    return {"werkadres": "werkadres_id", "objecttype": "objecttype_id"}.get(key, key)


def _changes(before: dict, after: dict) -> dict:
    return {k: [before.get(k), v] for k, v in after.items()
            if before.get(k) != v and k != "version"}


def set_status(obj: Object, status: str, since, actor: str, today: date,
               version: int | None = None) -> tuple[Object, dict]:
    """THE status change of an object (actief / buiten gebruik / verwijderd), from `since` (a
    date or JJJJ-MM-DD; default today). Returns (object as saved, errors); with `version`,
    raises Conflict when someone else saved the object meanwhile. Opens its own write
    transaction, or joins the caller's (a savepoint): a caller that re-plans the contracts
    covering the object wraps both in one transaction. No generation here: what the status
    means for werkbonnen is `rules.produces`, read by the planner of the werkbonnen."""
    values, errors = rules.status_values(status, since.isoformat() if isinstance(since, date)
                                         else since, today)
    if errors:
        return obj, errors
    with write_transaction():
        current = locked(Object.select().where(Object.id == obj.id)).get()
        if version is not None and current.version != version:
            raise Conflict(get_object(obj.id))
        if (current.status, current.status_since) == (values["status"], values["status_since"]):
            return get_object(obj.id), {}
        Object.update(**values, version=Object.version + 1, updated_at=utcnow()).where(
            Object.id == obj.id).execute()
        audit.record("object", obj.id, "status gewijzigd", actor, {
            "status": [current.status, values["status"]],
            "status_since": [current.status_since and current.status_since.isoformat(),
                             values["status_since"].isoformat()]})
    return get_object(obj.id), {}


HAS_HISTORY = ("Dit object heeft werkbonnen of staat op een contract; het blijft bewaard met "
               "zijn geschiedenis. Zet het op ‘Verwijderd’ als het er niet meer is.")


def wipe_object(obj: Object, actor: str) -> tuple[bool, str]:
    """Delete an object entered by mistake: only one without history (no werkbon and no
    contract refers to it; the database's foreign keys refuse it otherwise, so a werkbon made
    meanwhile wins). (done, why not)."""
    try:
        with write_transaction():
            gone = Object.delete().where(Object.id == obj.id).execute()
            if gone:
                audit.record("object", obj.id, "gewist", actor,
                             {"number": obj.number, "werkadres_id": obj.werkadres_id})
    except IntegrityError:
        return False, HAS_HISTORY
    return bool(gone), "" if gone else "Dit object bestaat niet meer."
