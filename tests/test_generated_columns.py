"""Code that copies rows with a column list read from the database (the benches' seeding,
bench/_seed.written) must leave out the columns the database computes itself: PostgreSQL
refuses a value for a generated column (the stored search vectors, migration 21). The list
of those columns (models/db/fulltext.pg_generated) is checked here against what the
database itself says, for every table, so a new generated column cannot be missed."""

from bench import _seed
from models.db import connection, db, is_sqlite

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def generated_columns(table: str) -> set[str]:
    if is_sqlite():  # table_xinfo: hidden 2 and 3 are generated (virtual, stored) columns
        rows = db.execute_sql(f"PRAGMA table_xinfo({table})").fetchall()
        return {row[1] for row in rows if row[6] in (2, 3)}
    rows = db.execute_sql("SELECT column_name FROM information_schema.columns WHERE "
                          "table_schema = current_schema() AND table_name = %s AND "
                          "is_generated = 'ALWAYS'", (table,)).fetchall()
    return {row[0] for row in rows}


def test_row_copies_leave_out_exactly_the_generated_columns(app):
    with connection():
        tables = [t for t in db.get_tables() if "_fts" not in t]
        found = {}
        for table in tables:
            columns = [c.name for c in db.get_columns(table)]
            left_out = set(columns) - set(_seed.written(table, columns))
            assert left_out == generated_columns(table), table
            found[table] = left_out
    if not is_sqlite():  # the search vectors are there to be left out
        assert found["werkbon"] == {"search_number", "search_text"}
        assert found["klant"] == {"search_number", "search_text"}
        assert found["werkadres"] == {"search_text"}
