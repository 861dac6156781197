"""Medewerkers: the technicians werkbonnen are planned for."""

from peewee import BooleanField, CharField, DateTimeField

from models.db.base import BaseModel, utcnow

MEDEWERKER_FIELDS = ("personnel_number", "name", "email", "phone")


class Medewerker(BaseModel):
    personnel_number = CharField(unique=True)  # personeelsnummer
    name = CharField(index=True)
    email = CharField(default="")
    phone = CharField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def to_dict(self) -> dict:
        fields = {f: getattr(self, f) for f in MEDEWERKER_FIELDS}
        return {"id": self.id, **fields, "active": self.active}
