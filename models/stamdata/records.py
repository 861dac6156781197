"""Create/update of simple master data (klanten, medewerkers): validate, check the unique number,
write and audit in one transaction. Views and the API both call `save`, so both give the same
Dutch errors."""

from dataclasses import dataclass

from peewee import IntegrityError, fn

from models.common import validation
from models.db import audit, locked, write_transaction
from models.stamdata.klanten import KLANT_FIELDS, Klant
from models.stamdata.medewerkers import MEDEWERKER_FIELDS, Medewerker


@dataclass(frozen=True)
class Kind:
    model: type
    entity: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    unique: str
    unique_message: str


KLANT = Kind(Klant, "klant", KLANT_FIELDS,
             ("customer_number", "name", "street", "house_number", "postcode", "city"),
             "customer_number", "Dit debiteurnummer is al in gebruik.")
MEDEWERKER = Kind(Medewerker, "medewerker", MEDEWERKER_FIELDS, ("personnel_number", "name"),
                  "personnel_number", "Dit personeelsnummer is al in gebruik.")


class Conflict(str):
    """An error message that says someone else changed the field meanwhile (the form then
    compares with what is stored now)."""


CONFLICT = ("Iemand anders heeft dit intussen gewijzigd in “{now}”. Kijk of uw waarde nog "
            "klopt en sla opnieuw op.")


def as_text(value) -> str:
    """A field's value as the edit form shows and compares it."""
    return "" if value is None else str(value).strip()


def save(kind: Kind, data: dict, actor: str, instance=None, partial: bool = False,
         original: dict | None = None):
    """Returns (instance, errors). With `partial`, only the fields present in `data` change.

    `original`: what the edit form showed (field -> text). Only the fields the person changed
    from that are written; a field someone else changed meanwhile to something else is a
    conflict (an error at that field, nothing written). Without it, a second tab wrote back
    every field it had shown and silently undid the first tab's save."""
    fields = tuple(f for f in kind.fields if f in data) if partial else kind.fields
    required = tuple(f for f in kind.required if f in fields)
    values, errors = validation.clean(data, fields, required)
    active = data.get("active")
    if active is not None and not isinstance(active, bool):
        errors["active"] = "Kies waar of onwaar."
    model = kind.model
    if errors:
        # said together with the other errors, not only once those are fixed
        if kind.unique in values and _taken(kind, values[kind.unique], instance):
            errors[kind.unique] = kind.unique_message
        return instance, errors
    if active is not None:
        values["active"] = active
    try:
        with write_transaction():
            if kind.unique in values and _taken(kind, values[kind.unique], instance):
                return instance, {kind.unique: kind.unique_message}
            if instance is None:
                instance = model.create(**values)
                audit.record(kind.entity, instance.id, "aangemaakt", actor, values)
            else:
                # compared with and written over the row as it is now, and only the fields that
                # change: a planner editing another field of it meanwhile keeps that edit
                # (klanten and medewerkers are deactivated, never deleted)
                instance = locked(model.select().where(model.id == instance.id)).get()
                if original is not None:
                    values, conflicts = _three_way(instance, values, original)
                    if conflicts:
                        return instance, conflicts
                before = {f: getattr(instance, f) for f in values}
                changes = audit.diff(before, values)
                if changes:
                    for f, v in values.items():
                        setattr(instance, f, v)
                    instance.save(only=[getattr(model, f) for f in changes])
                    deactivated = changes.get("active") == [True, False]
                    action = "gedeactiveerd" if deactivated else "gewijzigd"
                    audit.record(kind.entity, instance.id, action, actor, changes)
    except IntegrityError:
        # Another planner saved the same number between our check and our insert.
        return instance, {kind.unique: kind.unique_message}
    return instance, {}


def _taken(kind: Kind, number: str, instance) -> bool:
    """Another row has this number, in any case ("d-10001" beside "D-10001" is the same
    debiteur to a person)."""
    model = kind.model
    clash = model.select().where(fn.LOWER(getattr(model, kind.unique)) == number.lower())
    if instance is not None:
        clash = clash.where(model.id != instance.id)
    return clash.exists()


def _three_way(instance, values: dict, original: dict) -> tuple[dict, dict]:
    """(the values to write, conflicts): the fields changed from `original`, unless the row
    changed that field meanwhile to something else."""
    mine, conflicts = {}, {}
    for field, value in values.items():
        if field not in original or as_text(value) == as_text(original[field]):
            continue  # not changed in this form: what is stored now stays
        now = getattr(instance, field)
        if as_text(now) not in (as_text(original[field]), as_text(value)):
            conflicts[field] = Conflict(CONFLICT.format(now=as_text(now) or "(leeg)"))
        mine[field] = value
    return mine, conflicts


def set_active(kind: Kind, instance, active: bool, actor: str):
    return save(kind, {"active": active}, actor, instance, partial=True)
