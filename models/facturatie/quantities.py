"""What a price per bezoek or per object, or an index series, needs from the database: the
contract's visit dates (its schedule expanded as the werkbonnen are, less the dates whose
werkbonnen were all cancelled), its covered objecten with the day each stops counting, the
counts its termijnen were made with (kept), and the series' figures. Read here, handed to the
pure maths (termijnen.Terms) as plain values."""

from datetime import date, timedelta

from peewee import Case, fn

from models.contracts.tables import Contract, ContractObject
from models.facturatie.tables import Factuurtermijn, Indexcijfer
from models.objecten.rules import PRODUCING
from models.objecten.tables import Object

HORIZON_DAYS = 3 * 366  # the preview's first termijnen and the sweep's catch-up fit in this


def figures(reeks_id: int | None) -> dict:
    """{year: Decimal figure} of an index series."""
    from decimal import Decimal

    if not reeks_id:
        return {}
    return {year: Decimal(figure) for year, figure in Indexcijfer.select(
        Indexcijfer.year, Indexcijfer.figure).where(Indexcijfer.reeks == reeks_id).tuples()}


def visits(contract: Contract, first: date, through: date) -> list[date]:
    """The contract's visit dates first..through that count: its schedule's dates (the
    werkbonnen's expansion), less a date whose werkbonnen were all geannuleerd."""
    from models.schedule.expand import occurrences_between
    from models.stamdata.calendar_store import free_days
    from models.werkbonnen.tables import Werkbon

    schedule = contract.schedule() if contract.id or contract.rrule else None
    if schedule is None or through < first:
        return []
    dates = [o.date for o in occurrences_between(schedule, free_days(), first, through)]
    if not contract.id or not dates:
        return dates
    w = Werkbon
    cancelled = {day for day, in (
        w.select(w.due_date).where(w.contract == contract.id, w.due_date.between(first, through))
        .group_by(w.due_date)
        # every werkbon of the date cancelled
        .having(fn.SUM(Case(None, [(w.status != "geannuleerd", 1)], 0)) == 0)
        .tuples())}
    return [d for d in dates if d not in cancelled]


def objects(contract_id: int | None, object_ids: list[int] | None = None) -> list:
    """Per covered object the day it stops counting (None: actief): `object_ids` for an edit
    not saved yet, else the contract's own."""
    if object_ids is None:
        if not contract_id:
            return []
        object_ids = [i for i, in ContractObject.select(ContractObject.object).where(
            ContractObject.contract == contract_id).tuples()]
    if not object_ids:
        return []
    rows = Object.select(Object.status, Object.status_since).where(
        Object.id.in_(object_ids)).tuples()
    return [None if status == PRODUCING else (since or date.min) for status, since in rows]


def fixed(contract_id: int | None) -> list[tuple[date, int]]:
    """(period start, count) of the periods whose own termijn was gefactureerd with a count:
    that count stays (a concept termijn is recounted when its contract changes)."""
    if not contract_id:
        return []
    t = Factuurtermijn
    return list(t.select(t.period_start, t.quantity).where(
        t.contract == contract_id, t.seq == 0, t.quantity.is_null(False),
        t.status == "gefactureerd").tuples())


def extras(contract: Contract, values: dict, today: date) -> dict:
    """Everything terms_of needs beyond the stored values, for `contract` (saved or not)."""
    found: dict = {}
    basis = values.get("prijs_per") or "jaar"
    if basis in ("bezoek", "object"):
        found["fixed"] = fixed(contract.id)
    if basis == "bezoek":
        first = max(contract.start_date, values.get("factureren_vanaf") or contract.start_date)
        through = max(today, first) + timedelta(days=HORIZON_DAYS)
        found["visits"] = visits(contract, first, through)
    if basis == "object":
        pending = getattr(contract, "_covered", None)
        found["objects"] = objects(contract.id, pending.object_ids if pending else None)
    if values.get("index_reeks_id"):
        found["figures"] = figures(values["index_reeks_id"])
    return found
