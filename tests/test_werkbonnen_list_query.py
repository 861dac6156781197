"""The werkbonnen list's pages through SQL compiled once per shape of the filters
(models/werkbonnen/list_query.py), against an oracle written in Python: for every filter of the
list, alone and combined, paging with the list's cursors gives exactly the werkbonnen that
match, in list order ((due_date, id), those without a date last), each once. One compiled
statement serves other values of the same shape (another klant, another status, another set
of ids), so each case runs twice with different values."""

from datetime import date, datetime, timedelta

import pytest

from models.db import connection, paging, write_transaction
from models.werkbonnen import list_query
from models.werkbonnen.list_query import Condition

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = date(2026, 3, 10)
STATUSES = ("open", "ingepland", "afgerond", "onderweg", "geannuleerd", "in_uitvoering",
            "open")
OPEN = lambda w: w["status"] not in ("afgerond", "geannuleerd")  # noqa: E731


@pytest.fixture
def world(app):
    """Two klanten, two medewerkers, two contracts, a werkadres with an object, and 150
    werkbonnen over them: many on the same day (a cursor inside a day), some without a date."""
    from models.contracts.tables import Contract
    from models.objecten.tables import Object, Objecttype, Werkadres
    from models.stamdata.instellingen import Contracttype
    from models.stamdata.klanten import Klant
    from models.stamdata.medewerkers import Medewerker
    from models.werkbonnen.tables import Werkbon, WerkbonObject

    with connection(), write_transaction():
        klanten = [Klant.create(customer_number=f"D-{n}", name=f"Klant {n}") for n in (1, 2)]
        mensen = [Medewerker.create(personnel_number=f"P-{n}", name=f"Monteur {n}")
                  for n in (1, 2)]
        ctype = Contracttype.get(Contracttype.kind == "preventief")
        contracts = [Contract.create(number=f"C-{n}", klant=klanten[n], contracttype=ctype,
                                     kind="preventief", description="Onderhoud",
                                     start_date=date(2025, 1, 1)) for n in (0, 1)]
        werkadres = Werkadres.create(klant=klanten[0], name="Hoofdkantoor", city="Utrecht")
        thing = Object.create(number="OBJ-1", werkadres=werkadres,
                              objecttype=Objecttype.select().first())
        rows = []
        for n in range(150):
            due = None if n % 11 == 0 else date(2026, 2, 20) + timedelta(days=(n * 7) % 40)
            rows.append({"number": f"W-2026-{n:06d}", "klant": klanten[n % 2].id,
                         "contract": contracts[n % 2].id if n % 3 and due else None,
                         "due_date": due, "status": STATUSES[n % len(STATUSES)],
                         "medewerker": mensen[n % 2].id if n % 5 else None,
                         "planned_start": datetime(2026, 3, 1, 9) if n % 4 else None,
                         "werkadres": werkadres.id if n % 4 == 0 else None,
                         "slot": f"s{n}", "description": "Periodiek onderhoud"})
        Werkbon.insert_many(rows).execute()
        werkbonnen = list(Werkbon.select(
            Werkbon.id, Werkbon.klant, Werkbon.contract, Werkbon.due_date, Werkbon.status,
            Werkbon.medewerker, Werkbon.planned_start, Werkbon.werkadres).dicts())
        linked = [w for w in werkbonnen if w["werkadres"] is not None
                  and w["due_date"] is not None][::2]
        WerkbonObject.insert_many([{"werkbon": w["id"], "object": thing.id,
                                    "due_date": w["due_date"]} for w in linked]).execute()
    for w in werkbonnen:  # PostgreSQL gives dates, SQLite's driver text: the oracle needs dates
        if isinstance(w["due_date"], str):
            w["due_date"] = date.fromisoformat(w["due_date"])
    return {"werkbonnen": werkbonnen, "klanten": [k.id for k in klanten],
            "mensen": [m.id for m in mensen], "contracts": [c.id for c in contracts],
            "werkadres": werkadres.id, "object": thing.id,
            "linked": {w["id"] for w in linked}}


def cases(world):
    """name -> [(conditions, the oracle: which werkbonnen they keep)], two sets of values each."""
    k, m, c = world["klanten"], world["mensen"], world["contracts"]
    ids = [w["id"] for w in world["werkbonnen"]]
    some, others = ids[::3], ids[1::7] + [10**9]  # an id no werkbon has finds nothing
    linked = world["linked"]
    return {
        "alles": [([], lambda w: True)],
        "te_doen": [([Condition("open")], OPEN)],
        "status": [([Condition("status", (s,))], lambda w, s=s: w["status"] == s)
                   for s in ("open", "afgerond")],
        "klant": [([Condition("klant", (i,))], lambda w, i=i: w["klant"] == i) for i in k],
        "medewerker": [([Condition("medewerker", (i,))], lambda w, i=i: w["medewerker"] == i)
                       for i in m],
        "contract": [([Condition("contract", (i,))], lambda w, i=i: w["contract"] == i)
                     for i in c],
        "werkadres": [([Condition("werkadres", (world["werkadres"],))],
                       lambda w: w["werkadres"] == world["werkadres"])],
        "object": [([Condition("object", (world["object"],))], lambda w: w["id"] in linked)],
        "periode": [([Condition("van", (van,)), Condition("tot", (tot,))],
                     lambda w, van=van, tot=tot: w["due_date"] is not None
                     and van <= w["due_date"] <= tot)
                    for van, tot in ((date(2026, 2, 25), date(2026, 3, 5)),
                                     (date(2026, 3, 1), date(2026, 3, 31)))],
        "ongepland": [([Condition("ongepland")], lambda w: OPEN(w) and (
            w["medewerker"] is None or w["planned_start"] is None))],
        "te_laat": [([Condition("te_laat", (day,))], lambda w, day=day: OPEN(w)
                     and w["due_date"] is not None and w["due_date"] < day)
                    for day in (TODAY, date(2026, 3, 20))],
        "zoeken": [([Condition("ids", tuple(found))], lambda w, found=set(found): w["id"] in found)
                   for found in (some, others)],
        "niets_gevonden": [([Condition("ids", ())], lambda w: False)],
        "te_doen_medewerker": [([Condition("open"), Condition("medewerker", (i,))],
                                lambda w, i=i: OPEN(w) and w["medewerker"] == i) for i in m],
        "zoeken_status_klant": [
            ([Condition("ids", tuple(some)), Condition("status", (s,)), Condition("klant", (i,))],
             lambda w, s=s, i=i: w["id"] in set(some) and w["status"] == s and w["klant"] == i)
            for s, i in (("open", k[0]), ("ingepland", k[1]))],
    }


def in_list_order(werkbonnen):
    return [w["id"] for w in sorted(werkbonnen, key=lambda w: (
        w["due_date"] is None, w["due_date"] or date.min, w["id"]))]


def paged(conditions, limit: int) -> list[int]:
    """Every page from the first, following each page's cursor (as the list's link does)."""
    found, cursor = [], None
    for _ in range(200):
        rows, cursor = list_query.page(conditions, cursor, limit)
        found += [row.id for row in rows]
        if cursor is None:
            return found
    raise AssertionError("no last page")


@pytest.mark.parametrize("name", [
    "alles", "te_doen", "status", "klant", "medewerker", "contract", "werkadres", "object",
    "periode", "ongepland", "te_laat", "zoeken", "niets_gevonden", "te_doen_medewerker",
    "zoeken_status_klant"])
def test_pages_give_exactly_the_matching_werkbonnen_in_list_order(app, world, name):
    with connection():
        for conditions, keeps in cases(world)[name]:
            wanted = in_list_order(w for w in world["werkbonnen"] if keeps(w))
            for limit in (50, 7, 1):  # one page; pages ending inside a day; every row a page
                assert paged(conditions, limit) == wanted, (name, conditions, limit)


def test_one_compiled_statement_serves_every_value_of_its_shape(app, world):
    list_query._compiled.cache_clear()
    with connection():
        first = [list_query.page([Condition("klant", (i,))], None, 5)[0]
                 for i in world["klanten"]]
        assert list_query._compiled.cache_info().currsize == 1
        for i, rows in zip(world["klanten"], first, strict=True):
            assert rows and {row.klant_id for row in rows} == {i}
        # a search finding another number of werkbonnen is another shape (each short of a
        # page: the first page's statement, then the one for werkbonnen without a date)
        assert [r.id for r in list_query.page([Condition("ids", (1, 2))], None, 5)[0]] == [2, 1]
        assert list_query._compiled.cache_info().currsize == 3
        assert [r.id for r in list_query.page([Condition("ids", (3, 4))], None, 5)[0]] == [3, 4]
        assert list_query._compiled.cache_info().currsize == 3
        list_query.page([Condition("ids", (1, 2, 3))], None, 5)
        assert list_query._compiled.cache_info().currsize == 5


def test_a_cursor_it_did_not_make_is_refused(app, world):
    with connection():
        for cursor in ("nonsense", paging.encode(["2026-02-30", 1]), paging.encode([1, 2]),
                       paging.encode(["2026-03-01"])):
            with pytest.raises(paging.BadCursor):
                list_query.page([Condition("open")], cursor, 10)


@pytest.mark.parametrize("name", ["alles", "status", "klant", "periode"])
def test_the_api_pager_pages_the_same_werkbonnen(app, world, name):
    """models/werkbonnen/pager.page (the API's list) over a Peewee query, with its own cursors
    (two statements after a cursor on SQLite, one row value on PostgreSQL): the same oracle."""
    from models.werkbonnen import pager
    from models.werkbonnen.tables import Werkbon

    where = {"alles": lambda v: True, "status": lambda v: Werkbon.status == v[0],
             "klant": lambda v: Werkbon.klant == v[0],
             "periode": lambda v: (Werkbon.due_date >= v[0]) & (Werkbon.due_date <= v[1])}
    with connection():
        for conditions, keeps in cases(world)[name]:
            values = conditions[0].values if conditions else ()
            if name == "periode":
                values = (conditions[0].values[0], conditions[1].values[0])
            query = Werkbon.select().where(where[name](values))
            wanted = in_list_order(w for w in world["werkbonnen"] if keeps(w))
            for limit in (50, 7, 1):
                found, cursor = [], None
                for _ in range(200):
                    rows, cursor = pager.page(query, cursor, limit)
                    found += [row.id for row in rows]
                    if cursor is None:
                        break
                assert found == wanted, (name, values, limit)
