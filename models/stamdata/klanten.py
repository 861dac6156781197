"""Klanten: the customers contracts are made with, with their werkadres."""

from peewee import BooleanField, CharField, DateTimeField

from models.db.base import BaseModel, utcnow

KLANT_FIELDS = (
    "customer_number", "name", "street", "house_number", "postcode", "city", "email", "phone",
)


class Klant(BaseModel):
    customer_number = CharField(unique=True)  # debiteurnummer
    name = CharField(index=True)
    street = CharField(default="")
    house_number = CharField(default="")
    postcode = CharField(default="")
    city = CharField(default="", index=True)
    email = CharField(default="")
    phone = CharField(default="")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    def to_dict(self) -> dict:
        return {"id": self.id, **{f: getattr(self, f) for f in KLANT_FIELDS}, "active": self.active}

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}".strip(" ,")
