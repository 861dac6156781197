"""models.db.Compiled reads joined model rows with its own reader (models/db `_JoinedModelRows`:
field values straight into each instance's data). It must give exactly what Peewee's own reader
gives for the same query: the same instances with the same data and relations (a LEFT OUTER
join that found nothing gives None; a null foreign key stays None), none dirty, and columns
that are not fields (an alias) still set. On SQLite and PostgreSQL."""

from datetime import date

from peewee import JOIN, fn

from models.contracts.tables import Contract
from models.db import Compiled, connection
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon
from tests.objecten_data import medewerker

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def looks(instance) -> tuple:
    """All that makes an instance what it is: its data, its loaded relations (as their
    looks, or None), its dirty fields and any attribute set beside its fields."""
    if instance is None:
        return None
    extra = {k: v for k, v in vars(instance).items()
             if k not in ("__data__", "__rel__", "_dirty")}
    # each value with its type: 1 and True, "1" and 1 must not pass for each other (the reader
    # leaves out the converters that would give back what the driver read, and only those)
    data = {k: (type(v).__name__, v) for k, v in instance.__data__.items()}
    return (type(instance).__name__, data,
            {k: looks(v) for k, v in instance.__rel__.items()}, set(instance._dirty), extra)


def query(low):
    return (Werkbon.select(Werkbon, Klant, Medewerker, Contract.number,
                           fn.LOWER(Klant.name).alias("klant_lower"))
            .join(Klant).switch(Werkbon)
            .join(Medewerker, JOIN.LEFT_OUTER).switch(Werkbon)
            .join(Contract, JOIN.LEFT_OUTER)
            .where(Werkbon.id > low).order_by(Werkbon.id))


def test_joined_rows_are_what_peeweees_own_reader_makes(app):
    with connection():
        klant = Klant.create(customer_number="K-1", name="Bakkerij De Vries")
        who = medewerker()
        for i, mw in enumerate((who.id, None, who.id)):
            Werkbon.create(number=f"W-2026-{i + 1:06d}", klant=klant.id, medewerker=mw,
                           due_date=date(2026, 3, 2 + i), status="open", description=f"bon {i}")
        compiled = Compiled(query, (-7_919_000_000_000_041,))
        expected = [looks(w) for w in query(0)]
        for _ in range(3):  # the first read works the reader out; later ones reuse it
            got = compiled.rows(0)
            assert [looks(w) for w in got] == expected
        assert len(expected) == 3
        first, without = got[0], got[1]
        assert first.medewerker.name == who.name and first.klant.name == klant.name
        assert without.medewerker is None and without.medewerker_id is None
        assert first.klant_lower == "bakkerij de vries"
        assert not first.is_dirty() and not first.klant.is_dirty()
        assert [looks(w) for w in compiled.rows(got[1].id)] == expected[2:]
