"""A contract's billing terms (ContractFacturatie, one row per invoiced contract) and its
factuurtermijnen. Money in integer cents; the key of a termijn is (contract, period start,
seq): seq 0 is the period's own termijn, 1, 2, ... the corrections made after it was
gefactureerd. The worker inserts seq 0 with ON CONFLICT DO NOTHING, so a period gets one."""

from datetime import date
from decimal import Decimal

from peewee import (
    SQL,
    BigIntegerField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
)

from models.contracts.tables import Contract
from models.db.base import BaseModel, utcnow
from models.facturatie.termijnen import Terms
from models.stamdata.klanten import Klant

STATUSES = {"concept": "Concept", "gefactureerd": "Gefactureerd"}


class Indexreeks(BaseModel):
    """An index series the beheerder keeps by hand (CBS CAO-lonen, CPI): a figure per year."""

    name = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)


class Indexcijfer(BaseModel):
    reeks = ForeignKeyField(Indexreeks, backref="cijfers", on_delete="CASCADE")
    year = IntegerField()
    figure = CharField()  # a Decimal as text ("118.4")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("reeks", "year"), True),)


class ContractFacturatie(BaseModel):
    contract = ForeignKeyField(Contract, unique=True, backref="facturatie", on_delete="CASCADE")
    prijs_cents = BigIntegerField()  # per year, excl. BTW
    btw_tarief = CharField(default="21")  # 21 | 9 | 0 | verlegd
    factuurperiode = CharField(default="")  # "" = the voorwaarden's invoice_period
    factureren = CharField(default="vooraf")  # vooraf | achteraf
    index_pct = CharField(default="")  # a Decimal as text, "" = not indexed
    index_date = DateField(null=True)  # the first indexation; then every year on that day
    # jaar | periode | bezoek | object (termijnen.BASES)
    prijs_per = CharField(default="jaar", constraints=[SQL("DEFAULT 'jaar'")])
    # indexation by an index series (then index_pct is ""), on index_date's day every year
    index_reeks = ForeignKeyField(Indexreeks, null=True, backref="contracten",
                                  on_delete="RESTRICT")
    factureren_vanaf = DateField(null=True)  # no termijn before it (None: from the start)
    version = IntegerField(default=1)
    # the worker's bookkeeping: termijnen exist for the periods starting up to billed_through;
    # it looks again on next_invoice_on, or when the contract's version is no longer the one
    # its termijnen were reconciled with (an edit or an early end changed what is owed)
    billed_through = DateField(null=True)
    next_invoice_on = DateField(null=True, index=True)
    contract_version = IntegerField(default=0)
    updated_at = DateTimeField(default=utcnow)

    @property
    def values(self) -> dict:
        return {"prijs_cents": self.prijs_cents, "btw_tarief": self.btw_tarief,
                "factuurperiode": self.factuurperiode, "factureren": self.factureren,
                "index_pct": self.index_pct, "index_date": self.index_date,
                "prijs_per": self.prijs_per, "index_reeks_id": self.index_reeks_id,
                "factureren_vanaf": self.factureren_vanaf}


class Factuurtermijn(BaseModel):
    # no index of their own: the key below starts with the contract, and the index on (klant,
    # status, invoicing day) with the klant (fewer indexes: a faster sweep)
    contract = ForeignKeyField(Contract, backref="termijnen", on_delete="CASCADE", index=False)
    klant = ForeignKeyField(Klant, on_delete="RESTRICT", index=False)
    period_start = DateField()
    period_end = DateField()
    seq = IntegerField(default=0)  # 0: the period's termijn; 1, 2, ...: corrections
    cover_start = DateField()
    cover_end = DateField()
    invoice_on = DateField()  # the invoicing day
    cents = BigIntegerField()  # excl. BTW; negative for a credit
    btw_tarief = CharField()
    btw_cents = BigIntegerField()
    description = CharField()
    quantity = IntegerField(null=True)  # visits or objects invoiced (prijs per bezoek, object)
    status = CharField(default="concept")
    factuurnummer = CharField(default="")  # from the accounting package
    invoiced_at = DateTimeField(null=True)
    invoiced_by = CharField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = (
            (("contract", "period_start", "seq"), True),
            # Te factureren: its list in (invoice_on, id) order, a page read from an index,
            # also filtered on a klant or a BTW rate (its totals: TermijnTotaal*, migration 14)
            (("status", "invoice_on"), False),
            (("klant", "status", "invoice_on"), False),
            (("status", "btw_tarief", "invoice_on"), False),
        )


class TermijnTotaalKlantAlles(BaseModel):
    """The Te factureren totals, kept in the transaction of every termijn write: triggers on
    factuurtermijn take away a deleted row (an update: moved), the inserts add theirs up
    themselves (models/facturatie/totals.py). Per (status, klant, BTW rate) over every day: a
    klant's total up to a date is this minus its few termijnen after that date (migration 14)."""

    status = CharField()
    klant_id = IntegerField()
    btw_tarief = CharField()
    cents = BigIntegerField(default=0)
    btw_cents = BigIntegerField(default=0)
    count = IntegerField(default=0)

    class Meta:
        table_name = "termijn_totaal_klant_alles"
        indexes = ((("status", "klant_id", "btw_tarief"), True),)


class TermijnTotaalDag(BaseModel):
    """The same per (status, BTW rate, invoicing day), for the totals over all klanten."""

    status = CharField()
    btw_tarief = CharField()
    invoice_on = DateField()
    cents = BigIntegerField(default=0)
    btw_cents = BigIntegerField(default=0)
    count = IntegerField(default=0)

    class Meta:
        table_name = "termijn_totaal_dag"
        indexes = ((("status", "btw_tarief", "invoice_on"), True),)


def kind_of(facturatie_period: str, voorwaarden_period: str | None) -> str:
    return facturatie_period or voorwaarden_period or "jaar"


def terms_of(values: dict, start: date, end: date | None, voorwaarden_period: str | None,
             extras: dict | None = None) -> Terms:
    """The maths' Terms from stored (or typed) values and the contract's dates; `extras`
    (models/facturatie/quantities.extras) carries the visits, objects, counts kept and index
    figures a price per bezoek/object or an index series needs."""
    yearly = None
    if values.get("index_pct") and values.get("index_date"):
        yearly = (values["index_date"], Decimal(values["index_pct"]))
    kind = kind_of(values.get("factuurperiode") or "", voorwaarden_period)
    factureren = values.get("factureren") or "vooraf"
    basis, vanaf = values.get("prijs_per") or "jaar", values.get("factureren_vanaf")
    if basis == "jaar" and vanaf is None and not values.get("index_reeks_id"):
        # the common case, as before these options (the sweep builds a million of these)
        return Terms(values["prijs_cents"], kind, factureren, start, end, yearly=yearly)
    extras = extras or {}
    series = None
    if values.get("index_reeks_id") and values.get("index_date"):
        series = (values["index_date"], extras.get("figures") or {})
    return Terms(values["prijs_cents"], kind, factureren, start, end, yearly=yearly,
                 basis=basis, vanaf=vanaf, visits=tuple(extras.get("visits", ())),
                 objects=tuple(extras.get("objects", ())), fixed=tuple(extras.get("fixed", ())),
                 series=series)
