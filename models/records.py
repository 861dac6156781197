"""Create/update of simple master data (klanten, medewerkers): validate, check the unique number,
write and audit in one transaction. Views and the API both call `save`, so both give the same
Dutch errors."""

from dataclasses import dataclass

from peewee import IntegrityError

from models import audit, validation
from models.db import locked, write_transaction
from models.klanten import KLANT_FIELDS, Klant
from models.medewerkers import MEDEWERKER_FIELDS, Medewerker


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


def save(kind: Kind, data: dict, actor: str, instance=None, partial: bool = False):
    """Returns (instance, errors). With `partial`, only the fields present in `data` change."""
    fields = tuple(f for f in kind.fields if f in data) if partial else kind.fields
    required = tuple(f for f in kind.required if f in fields)
    values, errors = validation.clean(data, fields, required)
    active = data.get("active")
    if active is not None and not isinstance(active, bool):
        errors["active"] = "Kies waar of onwaar."
    if errors:
        return instance, errors
    if active is not None:
        values["active"] = active
    model = kind.model
    try:
        with write_transaction():
            if kind.unique in values:
                clash = model.select().where(getattr(model, kind.unique) == values[kind.unique])
                if instance is not None:
                    clash = clash.where(model.id != instance.id)
                if clash.exists():
                    return instance, {kind.unique: kind.unique_message}
            if instance is None:
                instance = model.create(**values)
                audit.record(kind.entity, instance.id, "aangemaakt", actor, values)
            else:
                # compared with and written over the row as it is now, and only the fields that
                # change: a planner editing another field of it meanwhile keeps that edit
                # (klanten and medewerkers are deactivated, never deleted)
                instance = locked(model.select().where(model.id == instance.id)).get()
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


def set_active(kind: Kind, instance, active: bool, actor: str):
    return save(kind, {"active": active}, actor, instance, partial=True)
