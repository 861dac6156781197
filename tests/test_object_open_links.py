"""The object page's "Open werkbonnen" reads werkbon_object's open links from their own partial
index: each link says whether its werkbon is still open (models/werkbonnen/tables.py
WerkbonObject.werkbon_open). These tests keep that copy true on every path that links a
werkbon or changes its status (the sweep, completing, reopening and cancelling a werkbon, an
edit that cancels and relinks, ending a contract), check that the page's list is exactly the
werkbonnen the werkbon table says are open, that migration 20 fills the copy for the links there
are, and that the list is read from its index. On SQLite and PostgreSQL."""

from datetime import date

from models.db import connection, db, is_sqlite
from models.werkbonnen import object_history
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import CLOSED, OPEN_LINK_INDEX, Werkbon, WerkbonObject
from tests.objecten_data import klant_with_objecten, medewerker
from tests.test_generation_objecten import covering_contract, edit, generate

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def mismatches() -> list[tuple]:
    """Links whose werkbon_open is not what their werkbon's status says (none, ever)."""
    with connection():
        return [(wid, oid, flag, status) for wid, oid, flag, status in
                WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.object,
                                     WerkbonObject.werkbon_open, Werkbon.status)
                .join(Werkbon).tuples()
                if bool(flag) != (status not in CLOSED)]


def shown(object_id: int) -> list[int]:
    with connection():
        return [row.id for row in object_history.open_werkbonnen(object_id)]


def truth(object_id: int) -> list[int]:
    """The object's open werkbonnen as the werkbon table orders them, soonest first."""
    with connection():
        return [w for (w,) in Werkbon.select(Werkbon.id).join(WerkbonObject)
                .where(WerkbonObject.object == object_id, Werkbon.status.not_in(CLOSED))
                .order_by(Werkbon.due_date, Werkbon.id).tuples()]


def set_status(werkbon_id: int, status: str, **extra) -> None:
    with connection():
        _saved, errors = werkbon_service.change(Werkbon.get_by_id(werkbon_id),
                                                {"status": status, **extra}, "test",
                                                date(2026, 3, 10))
    assert errors == {}, errors


def plan(werkbon_id: int) -> None:
    set_status(werkbon_id, "ingepland", planned_start="2026-03-11T08:00",
               medewerker_id=str(medewerker(number=f"P-{werkbon_id}").id))


def complete(werkbon_id: int, day: str) -> None:
    """open -> ingepland -> onderweg -> in uitvoering -> afgerond, as a technician's day
    goes."""
    plan(werkbon_id)
    for status in ("onderweg", "in_uitvoering"):
        set_status(werkbon_id, status)
    set_status(werkbon_id, "afgerond", completed_on=day)


def werkbonnen_of(object_id: int) -> list[int]:
    with connection():
        return [w for (w,) in WerkbonObject.select(WerkbonObject.werkbon)
                .where(WerkbonObject.object == object_id)
                .order_by(WerkbonObject.due_date, WerkbonObject.werkbon).tuples()]


def test_new_links_are_open_and_a_status_change_keeps_them_true(app, runner):
    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:2], per="object", lead=40)
    covering_contract(klant, objecten[1:3], per="datum", lead=40,
                      rrule="FREQ=MONTHLY;BYMONTHDAY=15")
    generate(runner, "2026-03-10")
    assert mismatches() == []
    ids = werkbonnen_of(objecten[1].id)
    assert len(ids) == 8 and shown(objecten[1].id) == ids  # all open, soonest first

    complete(ids[0], "2026-01-02")
    set_status(ids[1], "geannuleerd", cancel_reason="klant niet thuis")
    plan(ids[2])
    set_status(ids[2], "onderweg")  # open to open: still open
    assert mismatches() == []
    assert shown(objecten[1].id) == truth(objecten[1].id) == ids[2:]

    set_status(ids[0], "in_uitvoering")  # reopened
    assert mismatches() == []
    assert shown(objecten[1].id) == truth(objecten[1].id) == [ids[0]] + ids[2:]
    # a datum werkbon lists objecten[1] and objecten[2]: both links follow its status
    assert shown(objecten[2].id) == truth(objecten[2].id)


def test_an_edit_that_cancels_and_relinks_keeps_the_links_true(app, runner):
    klant, _places, objecten = klant_with_objecten()
    contract = covering_contract(klant, objecten[:3], per="datum", lead=40)
    generate(runner, "2026-02-20")
    with app.test_request_context():
        edit(contract.id, date(2026, 2, 20), object_ids=[objecten[0].id, objecten[2].id],
             schedule={"rrule": "FREQ=MONTHLY;BYMONTHDAY=6"})
    assert mismatches() == []
    for obj in objecten[:3]:
        assert shown(obj.id) == truth(obj.id)
    assert truth(objecten[2].id) != []
    with app.test_request_context():  # the end of the contract cancels what is still to come
        edit(contract.id, date(2026, 2, 20), end_date="2026-02-28")
    assert mismatches() == []
    for obj in objecten[:3]:
        assert shown(obj.id) == truth(obj.id)


def test_migration_20_fills_the_open_flag_of_the_links_there_are(app, runner):
    """A database as it was before migration 20 (werkbon_object without werkbon_open, no
    trigger, no index) gets the column filled from the werkbonnen, the index and the trigger."""
    from models.migrations import migrate

    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:2], per="object", lead=40)
    generate(runner, "2026-03-10")
    ids = werkbonnen_of(objecten[0].id)
    complete(ids[0], "2026-01-02")
    with connection():
        db.execute_sql(f"DROP INDEX {OPEN_LINK_INDEX}")
        db.execute_sql("DROP TRIGGER werkbon_object_open" + ("" if is_sqlite() else
                                                             " ON werkbon"))
        db.execute_sql("ALTER TABLE werkbon_object DROP COLUMN werkbon_open")
        db.execute_sql("DELETE FROM schema_migration WHERE version = 20")
        assert migrate() == [20]
        assert migrate() == []
        assert OPEN_LINK_INDEX in {i.name for i in db.get_indexes("werkbon_object")}
    assert mismatches() == []
    assert shown(objecten[0].id) == truth(objecten[0].id) == ids[1:]
    complete(ids[1], "2026-02-02")  # the trigger is back
    assert mismatches() == []
    assert shown(objecten[0].id) == ids[2:]


def test_the_open_werkbonnen_are_read_from_their_index(app, runner):
    """EXPLAIN: the open links come from the partial index, not from every link of the
    object (which would read the object's whole history)."""
    klant, _places, objecten = klant_with_objecten()
    covering_contract(klant, objecten[:1], per="object", lead=40)
    generate(runner, "2026-03-10")
    with connection():
        _query, sql, params, places = object_history._OPEN._compiled()
        params = list(params)
        params[places[0]], params[places[1]] = objecten[0].id, 50
        if is_sqlite():
            plan = " ".join(str(r[3]) for r in db.execute_sql("EXPLAIN QUERY PLAN " + sql,
                                                              params))
        else:
            with db.atomic():  # a tiny table: judge whether the index serves, not its size
                db.execute_sql("SET LOCAL enable_seqscan = off")
                plan = " ".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params))
    assert OPEN_LINK_INDEX in plan, plan
