"""The object page's service history is read in order from werkbon_object's (object, due_date,
werkbon) index: each link carries its werkbon's due_date (models/werkbonnen/tables.py
WerkbonObject). These tests check that copy on every path that writes a link or moves a linked
werkbon (the sweep, an edit that moves waiting werkbonnen, an edit that changes a werkbon's
objecten), that the history pages stay newest first across a move, and that migration 19 fills
the copy for the links that exist. On SQLite and PostgreSQL."""

from datetime import date

from models.db import connection, db, is_sqlite
from models.werkbonnen import object_history
from models.werkbonnen.tables import HISTORY_INDEX, OPEN_LINK_INDEX, Werkbon, WerkbonObject
from tests.objecten_data import klant_with_objecten
from tests.test_generation_objecten import covering_contract, edit, generate

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def mismatches() -> list[tuple]:
    """Links whose due_date is not their werkbon's (none, ever)."""
    with connection():
        return list(WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.due_date,
                                         Werkbon.due_date)
                    .join(Werkbon).where(WerkbonObject.due_date != Werkbon.due_date).tuples())


def history(object_id: int, limit: int = 2) -> list[tuple]:
    """(due_date, werkbon id) of the whole history, page by page of `limit`."""
    out, cursor = [], None
    with connection():
        while True:
            rows, cursor = object_history.history_page(object_id, cursor, limit)
            out += [(r.due_date, r.id) for r in rows]
            if cursor is None:
                return out


def expected(object_id: int) -> list[tuple]:
    """The history as the werkbon table itself orders it, newest first."""
    with connection():
        return list(Werkbon.select(Werkbon.due_date, Werkbon.id).join(WerkbonObject)
                    .where(WerkbonObject.object == object_id)
                    .order_by(Werkbon.due_date.desc(), Werkbon.id.desc()).tuples())


def test_the_sweep_writes_each_link_with_its_werkbons_date(app, runner):
    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:2], per="object", lead=40)
    covering_contract(klant, objecten[1:3], per="datum", lead=40,
                      rrule="FREQ=MONTHLY;BYMONTHDAY=15")
    generate(runner, "2026-03-10")
    with connection():
        assert WerkbonObject.select().count() == 4 * 2 + 4 * 2  # Jan..Apr: 2 objecten each
    assert mismatches() == []
    for obj in objecten[:3]:
        assert history(obj.id) == expected(obj.id) != []


def test_a_move_takes_the_links_date_along_and_the_history_follows(app, runner):
    klant, _places, objecten = klant_with_objecten()
    contract = covering_contract(klant, objecten[:2], per="object", lead=40)
    generate(runner, "2026-02-20")  # 1 Jan, 1 Feb, 1 Mar (and 1 Apr is beyond the lead)
    with connection():
        waiting = Werkbon.get(Werkbon.due_date == date(2026, 3, 1),
                              Werkbon.id.in_(WerkbonObject.select(WerkbonObject.werkbon).where(
                                  WerkbonObject.object == objecten[0].id)))
    with app.test_request_context():
        edit(contract.id, date(2026, 2, 20), schedule={"rrule": "FREQ=MONTHLY;BYMONTHDAY=5"})
    with connection():
        moved = Werkbon.get_by_id(waiting.id)
        link = WerkbonObject.get(WerkbonObject.werkbon == waiting.id)
    assert moved.due_date == date(2026, 3, 5)  # moved, not replaced
    assert link.due_date == date(2026, 3, 5)
    assert mismatches() == []
    shown = history(objecten[0].id)
    assert shown == expected(objecten[0].id)
    assert [day for day, _id in shown] == sorted((day for day, _id in shown), reverse=True)
    assert (date(2026, 3, 5), waiting.id) in shown


def test_new_objecten_on_a_waiting_werkbon_carry_its_date(app, runner):
    klant, _places, objecten = klant_with_objecten()
    contract = covering_contract(klant, objecten[:3], per="datum", lead=40)
    generate(runner, "2026-02-20")
    with app.test_request_context():
        edit(contract.id, date(2026, 2, 20), object_ids=[objecten[0].id, objecten[2].id],
             schedule={"rrule": "FREQ=MONTHLY;BYMONTHDAY=6"})  # relinked and moved at once
    with connection():
        relinked = WerkbonObject.select().where(WerkbonObject.object == objecten[2].id,
                                                WerkbonObject.due_date == date(2026, 3, 6))
        assert relinked.count() == 1
        assert not WerkbonObject.select().where(WerkbonObject.object == objecten[1].id,
                                                WerkbonObject.due_date >= date(2026, 3, 1)
                                                ).exists()
    assert mismatches() == []
    assert history(objecten[2].id) == expected(objecten[2].id)


def test_migration_19_fills_the_date_of_the_links_there_are(app, runner):
    """A database as it was before migration 19 (werkbon_object without due_date, the
    (object, werkbon) index) gets the column filled from the werkbonnen, NOT NULL, and the
    history index in place of the old one."""
    from models.migrations import migrate

    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:2], per="object", lead=40)
    generate(runner, "2026-03-10")
    with connection():
        before = sorted(WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.object)
                        .tuples())
        db.execute_sql(f"DROP INDEX {HISTORY_INDEX}")
        # migration 20's index (on due_date too) and trigger (a rebuilt werkbon_object)
        db.execute_sql(f"DROP INDEX {OPEN_LINK_INDEX}")
        db.execute_sql("DROP TRIGGER werkbon_object_open" + ("" if is_sqlite() else " ON werkbon"))
        db.execute_sql("ALTER TABLE werkbon_object DROP COLUMN due_date")
        db.execute_sql("CREATE INDEX werkbon_object_object_id_werkbon_id ON werkbon_object "
                       "(object_id, werkbon_id)")
        db.execute_sql("DELETE FROM schema_migration WHERE version = 19")
        assert migrate() == [19]
        assert migrate() == []
        columns = {c.name: c for c in db.get_columns("werkbon_object")}
        assert not columns["due_date"].null
        indexes = {i.name for i in db.get_indexes("werkbon_object")}
        assert HISTORY_INDEX in indexes
        assert "werkbon_object_object_id_werkbon_id" not in indexes
        assert sorted(WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.object)
                      .tuples()) == before
    assert mismatches() == []
    assert history(objecten[0].id) == expected(objecten[0].id) != []


def test_the_first_page_and_the_count_in_one_statement_are_the_two_asked_apart(app, runner):
    """first_page_with_total (the object page's one statement) gives what history_page and
    history_count give, for an object with a history and for one without."""
    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:1], per="object", lead=40)
    generate(runner, "2026-03-10")
    with connection():
        for obj in objecten[:2]:
            for limit in (2, 25):
                rows, cursor, total = object_history.first_page_with_total(obj.id, limit)
                apart_rows, apart_cursor = object_history.history_page(obj.id, None, limit)
                assert [r.raw for r in rows] == [r.raw for r in apart_rows]
                assert cursor == apart_cursor
                assert total == object_history.history_count(obj.id)
        assert object_history.first_page_with_total(objecten[0].id, 2)[2] == 4  # Jan-Apr
        assert object_history.first_page_with_total(objecten[1].id) == ([], None, 0)
