"""Werkadressen, objecttypen and objecten (installations)."""

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.db.base import BaseModel, utcnow

# what an object's status means for the contracts that cover it: only an active object gets
# werkbonnen; one set buiten gebruik or verwijderd stops getting them from `status_since`
# (models/objecten/rules.py `produces`, where the statuses are defined)
from models.objecten.rules import PRODUCING, STATUSES  # noqa: F401
from models.stamdata.klanten import Klant


class Werkadres(BaseModel):
    """A place where the work is done (a location of the klant): a building, a complex, a
    floor. The klant's own address stays the invoice address."""

    klant = ForeignKeyField(Klant, backref="werkadressen", on_delete="RESTRICT")
    name = CharField(default="")  # "Hoofdkantoor", "Complex De Linde"; may stay empty
    street = CharField(default="")
    house_number = CharField(default="")
    postcode = CharField(default="")
    city = CharField(default="", index=True)
    access_notes = TextField(default="")  # "sleutel bij de buren", alarmcode via de klant
    active = BooleanField(default=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    @property
    def address(self) -> str:
        return f"{self.street} {self.house_number}, {self.postcode} {self.city}".strip(" ,")

    @property
    def label(self) -> str:
        """How lists name it: its name and address, or the address alone."""
        return f"{self.name} — {self.address}" if self.name else self.address


class Objecttype(BaseModel):
    """A kind of installation (a beheerder's list, like werktypen)."""

    name = CharField(unique=True)
    active = BooleanField(default=True)


class Object(BaseModel):
    """An installation at a werkadres. Removed objects keep their row and their history."""

    number = CharField(unique=True)  # the object number, unique in the company (on its label)
    werkadres = ForeignKeyField(Werkadres, backref="objecten", on_delete="RESTRICT")
    objecttype = ForeignKeyField(Objecttype, on_delete="RESTRICT")
    brand = CharField(default="")
    model = CharField(default="")
    serial_number = CharField(default="")
    location = CharField(default="")  # on site: "kelder", "3e verdieping, bij de lift"
    installed_on = DateField(null=True)
    warranty_until = DateField(null=True)
    status = CharField(default=PRODUCING, index=True)  # a key of STATUSES
    status_since = DateField(null=True)  # the day a status other than actief took effect
    notes = TextField(default="")
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "object"
        constraints = [SQL("CHECK (status IN ('actief', 'buiten_gebruik', 'verwijderd'))")]


# what every installation starts with (a beheerder edits the list under Instellingen)
OBJECTTYPEN = ("CV-ketel", "Warmtepomp", "Airco", "Brandblusser", "Brandslanghaspel",
               "Brandmeldinstallatie", "Noodverlichting", "Lift", "Mechanische ventilatie",
               "Zonnepanelen")


def seed_objecttypen() -> None:
    for name in OBJECTTYPEN:
        Objecttype.get_or_create(name=name)
