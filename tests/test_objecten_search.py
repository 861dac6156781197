"""The object list's search (models/objecten/search.py object_condition): every word of the
term starts a word, diacritics-insensitive, from the search indexes, on SQLite and PostgreSQL;
a term that finds few objects is answered by their ids, one that finds many by conditions on a
walk in number order, and both answer the same."""

import pytest

from models.db import connection
from models.objecten import search
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


@pytest.fixture
def world(app):
    with connection():
        kinds = {t.name: t.id for t in Objecttype.select()}
        cafe = Klant.create(customer_number="D-1", name="Café de Zwaan", city="Utrecht")
        woon = Klant.create(customer_number="D-2", name="Woonstichting Lek",
                            city="Zwolle")  # its invoice address, not a werkadres
        places = {
            "markt": Werkadres.create(klant=cafe, name="Zaal", street="Oudegracht",
                                      house_number="12", postcode="3511 AB", city="Utrecht"),
            "lek": Werkadres.create(klant=woon, name="", street="Lekdijk", house_number="4",
                                    postcode="4141 HD", city="Leerdam"),
            "flat": Werkadres.create(klant=woon, name="Flat Zuid", street="Zuidweg",
                                     house_number="1", postcode="4142 AA", city="Leerdam"),
        }

        def obj(number, place, kind, **kw):
            return Object.create(number=number, werkadres=places[place],
                                 objecttype=kinds[kind], **kw).number

        obj("OBJ-000001", "markt", "CV-ketel", brand="Remeha", model="Tzerra Ace",
            serial_number="RH-7731", location="kelder")
        obj("OBJ-000002", "markt", "Brandblusser", brand="Gloria", location="3e verdieping")
        obj("OBJ-000003", "lek", "CV-ketel", brand="Intergas", serial_number="IG-2021-55")
        obj("OBJ-000004", "flat", "Lift", brand="KONE", location="trappenhuis")
        obj("OBJ-000005", "flat", "CV-ketel", brand="Nefit", location="zolder")
    return places


def found(q: str) -> list[str]:
    with connection():
        return [n for (n,) in search.find_objects(Object.select(Object.number), q)
                .order_by(Object.number).tuples()]


CASES = [
    ("cafe", ["OBJ-000001", "OBJ-000002"]),  # klant name, without its accent
    ("zwaan", ["OBJ-000001", "OBJ-000002"]),
    ("woonstichting lek", ["OBJ-000003", "OBJ-000004", "OBJ-000005"]),  # two words
    ("zwolle", []),  # a klant's invoice city is not where its objects are
    ("leerdam", ["OBJ-000003", "OBJ-000004", "OBJ-000005"]),  # werkadres city
    ("oudegr", ["OBJ-000001", "OBJ-000002"]),  # street, a word's beginning
    ("4141hd", ["OBJ-000003"]),  # a postcode as typed
    ("4141 hd", ["OBJ-000003"]),
    ("flat zuid", ["OBJ-000004", "OBJ-000005"]),  # werkadres name
    ("rh-77", ["OBJ-000001"]),  # serial number: its words' beginnings
    ("ig-2021", ["OBJ-000003"]),
    ("obj-000004", ["OBJ-000004"]),  # object number
    ("tzerra", ["OBJ-000001"]),  # model
    ("verdiep", ["OBJ-000002"]),  # location
    ("KONE", ["OBJ-000004"]),  # brand, any case
    ("ketel", ["OBJ-000001", "OBJ-000003", "OBJ-000005"]),  # objecttype (a substring)
    ("brandbl", ["OBJ-000002"]),
    ("remeha kelder", ["OBJ-000001"]),  # brand and location of the same object
    ("remeha zolder", []),  # ... not of two different ones
    ("xqzw", []),
    ("--", []),
]


@pytest.mark.parametrize("q, expected", CASES)
def test_the_object_search_finds_by_word_beginnings(world, q, expected):
    assert found(q) == expected


def test_the_walk_for_many_finds_what_the_indexes_find(world, monkeypatch):
    """With FEW at 0 every term is answered by the walk (a substring of the same columns): it
    finds at least what the indexes find, except what only folding diacritics finds."""
    by_index = {q: found(q) for q, _ in CASES}
    monkeypatch.setattr(search, "FEW", 0)
    monkeypatch.setattr(search, "FEW_OBJECTS", 0)
    walked = {q: found(q) for q, _ in CASES}
    assert walked["cafe"] == []  # "Café": the walk does not fold
    for q, _ in CASES:
        if q != "cafe":
            assert set(by_index[q]) <= set(walked[q]), q
    assert walked["4141hd"] == by_index["4141hd"] and walked["zwaan"] == by_index["zwaan"]


def test_a_term_inside_a_word_is_still_found(world):
    """No word starts with "7731" or "egrac": the list looks inside the words, as it always
    did."""
    assert found("7731") == ["OBJ-000001"]
    assert found("egrac") == ["OBJ-000001", "OBJ-000002"]  # Oudegracht


def test_the_list_and_its_pages_follow_the_search(world, planner):
    html = planner.get("/objecten/?q=leerdam", htmx=True).get_data(as_text=True)
    assert [n for n in ("OBJ-000003", "OBJ-000004", "OBJ-000005", "OBJ-000001") if n in html] \
        == ["OBJ-000003", "OBJ-000004", "OBJ-000005"]


def test_a_term_matches_inside_one_address_field_never_across_two(world):
    """The walk looks for a term inside a werkadres's name, street, city or postcode (on
    PostgreSQL in their one address text, a separator nobody types between them): a substring
    of one is found, a term spanning two is not."""
    assert found("erdam") == ["OBJ-000003", "OBJ-000004", "OBJ-000005"]  # Leerdam
    assert found("kdijk") == ["OBJ-000003"]  # Lekdijk
    assert found("lekdijkleerdam") == []  # street and city run together
    assert found("zaaloudegracht") == []  # name and street
    assert found("3511 abutrecht") == []  # postcode and city


def test_the_address_search_reads_its_trigram_index(world, backend):
    """PostgreSQL: the werkadressen of a city are read from werkadres_address_trgm (migration
    22), not from all werkadressen; the address text in the query is the index's expression."""
    from models.db import db

    if backend != "postgresql":
        assert "chr(31)" not in str(search.werkadres_ids("erdam").sql())
        return
    with connection():
        sql, params = search.werkadres_ids("erdam").sql()
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            text = "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params).fetchall())
        ids = [i for (i,) in db.execute_sql(sql, params).fetchall()]
    assert "werkadres_address_trgm" in text, text
    assert sorted(ids) == sorted([world["lek"].id, world["flat"].id])


@pytest.mark.postgresql_only
def test_without_pg_trgm_the_migration_passes_and_the_search_still_finds(world):
    """Migration 22 where pg_trgm cannot be created (here: a role without the right to create
    an extension in the database): it leaves the index out, the transaction it runs in goes on,
    and the object search finds what it found with the index."""
    import uuid

    from models.db import db, write_transaction
    from models.migrations import _address_trigrams

    role = f"cadans_zonder_rechten_{uuid.uuid4().hex[:8]}"
    with connection():
        with write_transaction():
            db.execute_sql("DROP INDEX IF EXISTS werkadres_address_trgm")
            db.execute_sql("DROP EXTENSION IF EXISTS pg_trgm")
        db.execute_sql(f"CREATE ROLE {role}")
        try:
            with write_transaction():
                db.execute_sql(f"GRANT USAGE, CREATE ON SCHEMA public TO {role}")
                db.execute_sql(f"SET LOCAL ROLE {role}")
                _address_trigrams(db.obj, None)
                # the refusal was rolled back to its savepoint: the transaction goes on
                assert db.execute_sql("SELECT 1").fetchone() == (1,)
            has = db.execute_sql(
                "SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'),"
                " (SELECT count(*) FROM pg_indexes WHERE indexname = 'werkadres_address_trgm')"
            ).fetchone()
        finally:
            db.execute_sql(f"DROP OWNED BY {role}")
            db.execute_sql(f"DROP ROLE {role}")
    assert has == (0, 0)
    assert found("erdam") == ["OBJ-000003", "OBJ-000004", "OBJ-000005"]
    assert found("lekdijkleerdam") == []
    with connection():
        _address_trigrams(db.obj, None)  # with the right, later: the index is made
        assert db.execute_sql("SELECT count(*) FROM pg_indexes "
                              "WHERE indexname = 'werkadres_address_trgm'").fetchone() == (1,)
