"""Audit trail: who changed what, written in the same transaction as the change."""

import json

from peewee import CharField, DateTimeField, IntegerField, TextField

from models.db.base import BaseModel, utcnow


class AuditLog(BaseModel):
    entity = CharField()  # "klant", "medewerker", "contract", "werkbon", ...
    entity_id = IntegerField()
    action = CharField()  # "aangemaakt", "gewijzigd", "gedeactiveerd", ...
    actor = CharField()  # username, "api:<username>", "worker", "cli"
    at = DateTimeField(default=utcnow)
    changes = TextField(default="{}")

    class Meta:
        indexes = ((("entity", "entity_id"), False),)


def record(entity: str, entity_id: int, action: str, actor: str, changes: dict | None = None):
    return AuditLog.create(
        entity=entity,
        entity_id=entity_id,
        action=action,
        actor=actor,
        changes=json.dumps(changes or {}, default=str, ensure_ascii=False),
    )


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields that changed."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
