"""Migration 8 on a real database of the version before it (schema 7, with the demo data that
code made: tests/data/db_v7.*.sql, dumped from it on SQLite and PostgreSQL). The objecten tables
arrive, the werkbonnen keep their rows, and the unique key of generated werkbonnen becomes
(contract, date, slot) with no moment without a key."""

import sqlite3
from pathlib import Path

import pytest
from peewee import IntegrityError

from models.db import connection, db, init_db_from_url
from models.migrations import MIGRATIONS, migrate, schema_version

DATA = Path(__file__).parent / "data"


@pytest.fixture(params=["sqlite", "postgresql"])
def version_7(request, tmp_path):
    """The URL of a database as schema version 7 left it, bound as the app's database."""
    if request.param == "sqlite":
        path = tmp_path / "v7.db"
        with sqlite3.connect(path) as con:
            con.executescript((DATA / "db_v7.sqlite.sql").read_text())
        url = f"sqlite:///{path}"
    else:
        server = request.getfixturevalue("postgres_server")
        url = server.restore("v7_" + tmp_path.name[-12:].lower().replace("-", "_"),
                             DATA / "db_v7.postgresql.sql")
    init_db_from_url(url)
    yield url
    if not db.is_closed():
        db.close()


def test_migration_8_keeps_the_werkbonnen_and_moves_the_key(version_7):
    from models.contracts.tables import Contract
    from models.objecten.tables import Objecttype
    from models.werkbonnen.tables import GENERATED_KEY, Werkbon

    with connection():
        assert schema_version() == 7
        rows = db.execute_sql("SELECT id, number, contract_id, due_date FROM werkbon "
                              "ORDER BY id").fetchall()
        assert len(rows) > 10  # the demo data's werkbonnen
        old_key = {i.name for i in db.get_indexes("werkbon")}
        assert "werkbon_contract_id_due_date" in old_key

        assert migrate() == [v for v, _name, _func in MIGRATIONS if v > 7]  # 8 and later
        assert migrate() == []
        indexes = {i.name: i for i in db.get_indexes("werkbon")}
        assert indexes[GENERATED_KEY].unique
        assert "werkbon_contract_id_due_date" not in indexes
        assert {"werkadres", "objecttype", "object", "contract_werkadres", "contract_object",
                "werkbon_object"} <= set(db.get_tables())
        assert db.execute_sql("SELECT id, number, contract_id, due_date FROM werkbon "
                              "ORDER BY id").fetchall() == rows
        assert {w.slot for w in Werkbon.select()} == {""}
        assert {w.werkadres_id for w in Werkbon.select()} == {None}
        assert {c.werkbon_per for c in Contract.select()} == {"datum"}
        assert Objecttype.select().where(Objecttype.name == "Brandblusser").exists()

        # the key holds for what existed, and lets another slot of the same date in
        first = Werkbon.select().where(Werkbon.contract.is_null(False),
                                       Werkbon.reported_at.is_null()).first()
        copy = {f: getattr(first, f) for f in ("contract", "klant", "due_date", "status")}
        with pytest.raises(IntegrityError), db.atomic():
            Werkbon.create(number="W-X-1", **copy)
        Werkbon.create(number="W-X-2", slot="o1", **copy)
