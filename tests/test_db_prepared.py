"""The web app's reads as prepared statements on PostgreSQL (models/db execute_prepared, issue
#20): the server parses and plans a page's small reads once per connection instead of on every
request. What must hold: the same answers as the plain statements (values, constants written
into the SQL, ids beyond an integer, errors), nothing prepared inside a transaction, recovery
when the server forgot a statement, and a switch (CADANS_PG_PREPARE=uit) for PgBouncer in
transaction mode."""

from datetime import date

import peewee
import pytest

from models.db import Compiled, connection, db, execute_prepared, write_transaction
from models.stamdata.klanten import Klant
from models.werkbonnen.tables import OPEN_INDEX, Werkbon
from tests.conftest import _make_app, login, make_user


@pytest.fixture
def backend():
    return "postgresql"  # prepared statements are PostgreSQL's; SQLite runs the plain SQL


def prepared_statements() -> dict[str, str]:
    """name -> statement of what the current connection's server process has prepared."""
    return dict(db.execute_sql("SELECT name, statement FROM pg_prepared_statements").fetchall())


def klanten(*names, city="Utrecht"):
    for n, name in enumerate(names, 1):
        Klant.create(customer_number=f"K-{n}", name=name, city=city)


def test_a_read_is_prepared_once_and_answers_with_each_runs_values(app):
    with connection():
        klanten("Bakkerij 100% Jansen", "Café 't Hoekje", "Garage Smit")
        sql = 'SELECT name FROM klant WHERE customer_number > %s ORDER BY customer_number'
        assert [r[0] for r in execute_prepared(sql, ("K-1",))] == ["Café 't Hoekje",
                                                                    "Garage Smit"]
        (name, statement), = prepared_statements().items()
        assert "customer_number > $1" in statement
        assert [r[0] for r in execute_prepared(sql, ("K-2",))] == ["Garage Smit"]
        assert [r[0] for r in execute_prepared(sql, ("K-0",))] == [
            "Bakkerij 100% Jansen", "Café 't Hoekje", "Garage Smit"]
        assert list(prepared_statements()) == [name]  # prepared once, executed three times


def test_a_compiled_querys_constants_are_written_into_the_prepared_sql(app):
    """Only the markers vary; the rest is in the SQL as literals (a '%' and a quote among them),
    so that a generic plan can use a partial index on those values."""
    with connection():
        klanten("Bakkerij 100% Jansen", "Café 't Hoekje", "Garage Smit")
        percent = Compiled(lambda low: Klant.select(Klant.name).where(
            Klant.customer_number > low, Klant.name.contains("100%")), ("\x00low",))
        quote = Compiled(lambda low: Klant.select(Klant.name).where(
            Klant.customer_number > low, Klant.name == "Café 't Hoekje"), ("\x00low",))
        assert [r[0] for r in percent.execute("K-0")] == ["Bakkerij 100% Jansen"]
        assert [r[0] for r in quote.execute("K-0")] == ["Café 't Hoekje"]
        assert [r[0] for r in percent.execute("K-1")] == []
        assert [r[0] for r in quote.execute("K-1")] == ["Café 't Hoekje"]
        statements = sorted(prepared_statements().values())
        assert len(statements) == 2
        assert "ILIKE '%100\\%%'" in statements[0]
        assert "= 'Café ''t Hoekje'" in statements[1]
        assert all("$1" in s and "$2" not in s for s in statements)


def test_compiled_queries_that_differ_only_in_their_constants_do_not_share_a_statement(app):
    with connection():
        klanten("Garage Smit")
        klanten_of = {city: Compiled(lambda low, city=city: Klant.select(Klant.name).where(
            Klant.customer_number > low, Klant.city == city), ("\x00low",))
            for city in ("Utrecht", "Zwolle")}
        assert klanten_of["Utrecht"]._compiled()[1] == klanten_of["Zwolle"]._compiled()[1]
        for _ in range(2):
            assert [r[0] for r in klanten_of["Utrecht"].execute("K-0")] == ["Garage Smit"]
            assert [r[0] for r in klanten_of["Zwolle"].execute("K-0")] == []
        assert len(prepared_statements()) == 2


def test_the_werkbonnen_lists_open_page_keeps_its_partial_index_in_a_generic_plan(app):
    """The list of what is still to do reads its own partial index; prepared, after five runs
    PostgreSQL may keep one generic plan for every cursor, and that plan must still read it.
    Through the list's own pages (list_query.page with the "open" filter, a cursor: the page
    after it as one row-value statement)."""
    from models.db import paging
    from models.werkbonnen import list_query

    with connection():
        klant = Klant.create(customer_number="K-1", name="Klant")
        Werkbon.insert_many([{"number": f"W-{i:05d}", "klant": klant.id, "status": s,
                              "due_date": date(2026, 1, 1 + i % 28)}
                             for i, s in enumerate(["open", "afgerond", "ingepland"] * 2000)]
                            ).execute()  # enough rows that reading them all costs more
        db.execute_sql("ANALYZE werkbon")
        cursor = paging.encode(["2026-01-05", 0])
        for _ in range(7):
            rows, _next = list_query.page((list_query.Condition("open"),), cursor, 10)
        assert len(rows) == 10 and all(r.due_date >= date(2026, 1, 5) for r in rows)
        assert all(r.status in ("open", "ingepland") for r in rows)
        names = [n for n, s in prepared_statements().items()
                 if '"due_date", "t1"."id") > ($1, $2)' in s]
        assert names, prepared_statements()
        db.execute_sql("SET plan_cache_mode = force_generic_plan")
        try:
            plan = "\n".join(r[0] for r in db.execute_sql(
                f"EXPLAIN EXECUTE {names[0]} ('2026-01-05', 0)").fetchall())
        finally:
            db.execute_sql("RESET plan_cache_mode")
        assert OPEN_INDEX in plan, plan


def test_an_id_beyond_an_integer_finds_nothing_instead_of_failing(app):
    with connection():
        klanten("Garage Smit")
        sql = "SELECT name FROM klant WHERE id = %s"
        assert execute_prepared(sql, (1,)).fetchall() == [("Garage Smit",)]
        assert execute_prepared(sql, (2**40,)).fetchall() == []
        with write_transaction():  # no second try in a transaction: the statement must take it
            assert execute_prepared(sql, (2**62,)).fetchall() == []
            assert execute_prepared(sql, (1,)).fetchall() == [("Garage Smit",)]
        assert len(prepared_statements()) == 1


def test_the_object_page_of_an_id_beyond_an_integer_is_not_found(client):
    make_user()
    login(client, "planner1")
    for _ in range(2):
        assert client.get(f"/objecten/{2**40}").status_code == 404


def test_inside_a_transaction_only_what_was_prepared_before_is_executed(app):
    with connection():
        klanten("Garage Smit")
        before = "SELECT name FROM klant WHERE customer_number = %s"
        inside = "SELECT city FROM klant WHERE customer_number = %s"
        execute_prepared(before, ("K-1",))
        with write_transaction():
            assert execute_prepared(before, ("K-1",)).fetchall() == [("Garage Smit",)]
            assert execute_prepared(inside, ("K-1",)).fetchall() == [("Utrecht",)]
            assert len(prepared_statements()) == 1  # `inside` ran as it is
        execute_prepared(inside, ("K-1",))
        assert len(prepared_statements()) == 2  # and is prepared outside the transaction


def test_a_statement_the_server_forgot_is_prepared_again(app):
    with connection():
        klanten("Garage Smit")
        sql = "SELECT name FROM klant WHERE customer_number = %s"
        execute_prepared(sql, ("K-1",))
        db.execute_sql("DEALLOCATE ALL")
        assert execute_prepared(sql, ("K-1",)).fetchall() == [("Garage Smit",)]
        assert len(prepared_statements()) == 1


def test_what_cannot_be_prepared_runs_plain_and_a_plain_error_is_raised(app):
    with connection():
        # declared bigint, `date + bigint` has no operator: the prepared form fails, the plain
        # statement (an integer literal) answers
        plus = "SELECT CAST('2026-01-30' AS date) + %s"
        assert execute_prepared(plus, (2,)).fetchone() == (date(2026, 2, 1),)
        assert execute_prepared(plus, (3,)).fetchone() == (date(2026, 2, 2),)
        assert prepared_statements() == {}
        with pytest.raises(peewee.DataError):
            execute_prepared("SELECT 1 / %s", (0,))
        assert execute_prepared("SELECT 1 / %s", (1,)).fetchone() == (1,)


def test_writes_are_not_prepared(app):
    with connection():
        execute_prepared("INSERT INTO klant (customer_number, name, street, house_number,"
                         " postcode, city, email, phone, active, created_at)"
                         " VALUES (%s, %s, '', '', '', '', '', '', TRUE, now())",
                         ("K-9", "Nieuw"))
        assert prepared_statements() == {}
        assert Klant.get(Klant.customer_number == "K-9").name == "Nieuw"


def test_pages_prepare_their_reads_and_leave_nothing_prepared_when_switched_off(
        tmp_path, redis_url, database_url, monkeypatch):
    for setting, expect_prepared in (("", True), ("uit", False)):
        monkeypatch.setenv("CADANS_PG_PREPARE", setting)
        app = _make_app(tmp_path / setting, redis_url, database_url)
        client = app.test_client()
        if expect_prepared:
            make_user()
        login(client, "planner1")
        for _ in range(3):
            assert client.get("/werkbonnen/").status_code == 200
        with app.app_context(), connection():
            statements = prepared_statements()
            mode = db.execute_sql("SHOW plan_cache_mode").fetchone()[0]
        db.obj.close_all()
        if expect_prepared:
            assert any('FROM "user"' in s for s in statements.values()), statements
            # one generic plan per statement, never planned anew on every run
            assert mode == "force_generic_plan"
        else:
            assert statements == {}
            assert mode == "auto"


def test_a_connection_prepares_at_most_max_prepared_statements(app, monkeypatch):
    import models.db

    monkeypatch.setattr(models.db, "MAX_PREPARED", 2)
    with connection():
        klanten("Garage Smit")
        for column in ("name", "city", "customer_number"):
            sql = f"SELECT {column} FROM klant WHERE customer_number = %s"
            assert len(execute_prepared(sql, ("K-1",)).fetchall()) == 1
        assert len(prepared_statements()) == 2


def test_who_watches_execute_sql_sees_the_select_not_its_execute(app):
    """Tests (test_list_indexes) and profilers wrap db.obj.execute_sql to see a page's SQL."""
    with connection():
        klanten("Garage Smit")
        seen = []
        real = db.obj.execute_sql

        def spy(sql, params=None, *args, **kwargs):
            seen.append(sql)
            return real(sql, params, *args, **kwargs)

        db.obj.execute_sql = spy
        try:
            sql = "SELECT name FROM klant WHERE customer_number = %s"
            for _ in range(2):
                assert execute_prepared(sql, ("K-1",)).fetchall() == [("Garage Smit",)]
        finally:
            del db.obj.execute_sql
        assert seen == [sql, sql]
        assert len(prepared_statements()) == 1
