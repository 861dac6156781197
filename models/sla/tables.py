"""SLA tables: the targets of each SLA-beleid per prioriteit (versioned), and company settings
the SLA clock reads (werktijden, the share of time left that counts as "dreigt")."""

import json

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from models.db.base import BaseModel
from models.stamdata.instellingen import Prioriteit, SlaBeleid

UNITS = ("minuten", "uren", "dagen")
UNIT_LABELS = {"minuten": "min", "uren": "uur", "dagen": "werkdag"}
DEFAULT_HOURS_TEXT = {0: "08:00-17:00", 1: "08:00-17:00", 2: "08:00-17:00", 3: "08:00-17:00",
                      4: "08:00-17:00", 5: "", 6: ""}
DEFAULT_WARN_SHARE = 0.25


class SlaDoel(BaseModel):
    """One prioriteit's targets in one version of a policy. Versions are never edited: a change
    adds rows with the next version, so werkbonnen keep the deadlines they were given."""

    sla_beleid = ForeignKeyField(SlaBeleid, backref="doelen", on_delete="CASCADE")
    version = IntegerField(default=1)
    prioriteit = ForeignKeyField(Prioriteit, on_delete="RESTRICT")
    response = IntegerField()
    resolution = IntegerField()
    unit = CharField(default="uren")
    business_hours = BooleanField(default=True)

    class Meta:
        indexes = ((("sla_beleid", "version", "prioriteit"), True),)


class Bedrijfsinstelling(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


def get_setting(key: str, default):
    row = Bedrijfsinstelling.get_or_none(Bedrijfsinstelling.key == key)
    return json.loads(row.value) if row else default


def set_setting(key: str, value) -> None:
    (Bedrijfsinstelling.insert(key=key, value=json.dumps(value))
     .on_conflict(conflict_target=[Bedrijfsinstelling.key],
                  update={Bedrijfsinstelling.value: json.dumps(value)}).execute())


def current_version(beleid: SlaBeleid) -> int:
    return (SlaDoel.select(SlaDoel.version).where(SlaDoel.sla_beleid == beleid.id)
            .order_by(SlaDoel.version.desc()).scalar()) or 0


def current_targets(beleid: SlaBeleid) -> list[SlaDoel]:
    version = current_version(beleid)
    return list(SlaDoel.select(SlaDoel, Prioriteit).join(Prioriteit)
                .where(SlaDoel.sla_beleid == beleid.id, SlaDoel.version == version)
                .order_by(Prioriteit.rank))


STANDAARD = [  # prioriteit, response, resolution, unit, business hours
    ("Spoed", 4, 8, "uren", False),
    ("Hoog", 8, 16, "uren", True),
    ("Normaal", 2, 5, "dagen", True),
    ("Laag", 5, 10, "dagen", True),
]


def seed_standaard() -> None:
    beleid = SlaBeleid.get_or_none(SlaBeleid.code == "STANDAARD")
    if beleid is None or current_version(beleid):
        return
    for name, response, resolution, unit, business in STANDAARD:
        prio = Prioriteit.get(Prioriteit.name == name)
        SlaDoel.create(sla_beleid=beleid, version=1, prioriteit=prio, response=response,
                       resolution=resolution, unit=unit, business_hours=business)
