"""Contracten and the drafts of the step-by-step form."""

import json
from datetime import date

from peewee import (
    SQL,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.contracts.lifecycle import renews, schedule_dates
from models.db.base import BaseModel, utcnow
from models.objecten.tables import Object, Werkadres
from models.schedule.definition import Schedule
from models.stamdata.instellingen import (
    Beeindigingsreden,
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.stamdata.users import User


class Contract(BaseModel):
    number = CharField(unique=True)  # C-2026-0001
    klant = ForeignKeyField(Klant, backref="contracten", on_delete="RESTRICT")
    contracttype = ForeignKeyField(Contracttype, on_delete="RESTRICT")
    kind = CharField(index=True)  # copied from the type: the type's kind never changes a contract
    voorwaarden = ForeignKeyField(Contractvoorwaarden, null=True, on_delete="RESTRICT")
    description = CharField()
    reference = CharField(default="")
    start_date = DateField()
    end_date = DateField(null=True)
    # schedule (preventief; jaarlijks stores visits_per_year and the derived rule)
    rrule = CharField(null=True)
    holidays = CharField(default="ignore")
    weekends = CharField(default="ignore")
    extra_dates = TextField(default="[]")
    skip_dates = TextField(default="[]")
    days_in_advance = IntegerField(default=0)
    visits_per_year = IntegerField(null=True)
    sla_beleid = ForeignKeyField(SlaBeleid, null=True, on_delete="RESTRICT")
    # what every generated werkbon carries
    wb_description = CharField(default="")
    werktype = ForeignKeyField(Werktype, null=True, on_delete="RESTRICT")
    duration_minutes = IntegerField(default=60)
    prioriteit = ForeignKeyField(Prioriteit, null=True, on_delete="RESTRICT")
    start_time = CharField(default="08:00")  # HH:MM, local time
    medewerker = ForeignKeyField(Medewerker, null=True, on_delete="RESTRICT")
    internal_note = TextField(default="")
    # what the contract covers (ContractWerkadres, ContractObject below): with objecten, each
    # date gives one werkbon per werkadres ("datum") or one per object ("object"); without any,
    # one werkbon per date at the klant's own address
    werkbon_per = CharField(default="datum", constraints=[SQL("DEFAULT 'datum'")])
    # Several cadences (onderdelen, models/schedule/cadence.py): a JSON list, stored in the row so
    # they are part of its version (optimistic locking, ETag, audit). "" for a contract with one
    # cadence, as every contract had before: the columns above are then its only cadence.
    onderdelen = TextField(default="", constraints=[SQL("DEFAULT ''")])
    # lifecycle
    terminated_on = DateField(null=True)  # set when ended early; end_date is then that date
    end_reason = ForeignKeyField(Beeindigingsreden, null=True, on_delete="RESTRICT")
    end_comment = TextField(default="")
    version = IntegerField(default=1)
    # generation bookkeeping: occurrences up to generated_through exist as werkbonnen; the sweep
    # looks at this contract again on next_attention (the next occurrence's generation day)
    generate_from = DateField(null=True)
    generated_through = DateField(null=True)
    next_attention = DateField(null=True, index=True)
    created_by = CharField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def dates(self, field: str) -> tuple[date, ...]:
        stored = getattr(self, field)
        if not stored or stored == "[]":  # nearly every contract: skip the JSON parser (sweeps)
            return ()
        return tuple(date.fromisoformat(d) for d in json.loads(stored))

    @property
    def renews(self) -> bool:
        """Automatically renewed (terms say so, not ended early): the schedule runs on past the
        current period's end date."""
        return bool(self.voorwaarden_id) and renews(self.voorwaarden, self.terminated_on)

    @property
    def last_day(self) -> date | None:
        """The last day it runs: None when it renews or has no end date (when it was ended
        early, end_date is that day)."""
        return None if self.renews else self.end_date

    def schedule(self) -> Schedule | None:
        """The schedule the engine expands (None for correctief contracts). Callers that expand
        many contracts select them with their voorwaarden joined (see `with_terms`)."""
        if not self.rrule:
            return None
        return Schedule(start_date=self.start_date, rrule=self.rrule, end_date=self.last_day,
                        **schedule_dates(self.visits_per_year, self.dates("extra_dates")),
                        skip_dates=self.dates("skip_dates"), holidays=self.holidays,
                        weekends=self.weekends, days_in_advance=self.days_in_advance)


    def onderdelen_list(self) -> list[dict]:
        return json.loads(self.onderdelen) if self.onderdelen else []

    def onderdelen_werktypen(self) -> dict:
        """{werktype id: name} of the werktypen its onderdelen give their werkbonnen."""
        ids = {p["werkbon"].get("werktype_id") for p in self.onderdelen_list()} - {None}
        if not ids:
            return {}
        return dict(Werktype.select(Werktype.id, Werktype.name).where(Werktype.id.in_(ids))
                    .tuples())

    def cadences(self) -> list:
        """The contract's cadences (models.schedule.cadence.Cadence), highest rank first; [] for a
        contract with one cadence (its schedule() is that one) or none (correctief)."""
        if not self.onderdelen or not self.rrule:
            return []
        from models.schedule.cadence import cadences_of

        return cadences_of(self.onderdelen_list(), self.schedule(), self.duration_minutes)


def with_terms(query=None):
    """Contracts with their voorwaarden in the same query (schedule() reads auto_renew)."""
    from peewee import JOIN

    query = query if query is not None else Contract.select(Contract, Contractvoorwaarden)
    return query.join(Contractvoorwaarden, JOIN.LEFT_OUTER, on=(
        Contract.voorwaarden == Contractvoorwaarden.id)).switch(Contract)


class ContractDraft(BaseModel):
    """A half-filled contract form, kept server-side per user: survives refresh, a closed tab
    and going back and forth between steps. One per contract being edited; new contracts may
    have several."""

    user = ForeignKeyField(User, on_delete="CASCADE")
    contract = ForeignKeyField(Contract, null=True, on_delete="CASCADE")
    base_version = IntegerField(null=True)  # the contract version the edit started from
    data = TextField(default="{}")
    step = CharField(default="type")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "contract"), False),)

    @property
    def values(self) -> dict:
        return json.loads(self.data or "{}")

    @classmethod
    def new(cls, **fields) -> "ContractDraft":
        """A draft with an id never handed out before. SQLite gives the highest id again once
        that draft is gone (saved or thrown away): a tab still open on the old draft then
        autosaved into the new one, and its Opslaan could save it. The ids come from a counter
        that only goes up (on PostgreSQL too; every draft is made here)."""
        from peewee import fn

        from models.db import write_transaction
        from models.db.counters import reserve

        with write_transaction():
            draft_id = reserve("contractdraft", floor=lambda: cls.select(fn.MAX(cls.id)).scalar()
                               or 0)
            return cls.create(id=draft_id, **fields)




WERKBON_PER = {"datum": "Eén werkbon per datum", "object": "Eén werkbon per object"}


class ContractWerkadres(BaseModel):
    """A werkadres the contract covers (where its werkbonnen are done)."""

    contract = ForeignKeyField(Contract, backref="werkadres_links", on_delete="CASCADE")
    werkadres = ForeignKeyField(Werkadres, backref="contract_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("contract", "werkadres"), True),)


class ContractObject(BaseModel):
    """An object the contract covers (serviced on each of its dates while it is actief)."""

    contract = ForeignKeyField(Contract, backref="object_links", on_delete="CASCADE")
    object = ForeignKeyField(Object, backref="contract_links", on_delete="RESTRICT")

    class Meta:
        indexes = ((("contract", "object"), True),)
