"""Search (models/db/fulltext.py, models/werkbonnen/search.py): what a term finds and in what
order, diacritics either way round, the indexes following inserts, edits and deletes made by
any path (the ORM, raw SQL like the worker's bulk insert), and the list's `q` using it. On
SQLite (FTS5) and PostgreSQL (tsvector GIN): both must answer the same."""

from datetime import date

import pytest

from models.db import connection, db, fulltext, write_transaction
from models.objecten.tables import Werkadres
from models.stamdata.klanten import Klant
from models.werkbonnen import search
from models.werkbonnen.tables import Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


@pytest.fixture
def world(app):
    with connection(), write_transaction():
        cafe = Klant.create(customer_number="D-100", name="Café De Zwaan", city="Hilversum")
        bakker = Klant.create(customer_number="D-200", name="Bakkerij Jansen", city="Utrecht")
        zorg = Klant.create(customer_number="D-300", name="Zorggroep Noord", city="Groningen")
        linde = Werkadres.create(klant=zorg, name="Complex De Linde", street="Lindelaan",
                                 house_number="4", postcode="9711 AB", city="Groningen")

        def werkbon(number, klant, description, werkadres=None):
            return Werkbon.create(number=number, klant=klant, description=description,
                                  due_date=date(2026, 3, 20), werkadres=werkadres).id

        ids = {
            "cafe_old": werkbon("W-2026-000001", cafe, "Onderhoud koffiemachine"),
            "cafe_new": werkbon("W-2026-000002", cafe, "Storing koelcel"),
            "bakker": werkbon("W-2026-000010", bakker, "Oven controleren in het café"),
            "linde": werkbon("W-2026-000011", zorg, "Lift keuren", linde),
            "zorg": werkbon("W-2026-000100", zorg, "Brandmelders testen"),
            "crème": werkbon("W-2025-000001", bakker, "Crèmemachine reinigen"),
        }
    return ids


def found(q, limit=search.LIMIT):
    with connection():
        return search.ranked_ids(q, limit)


def names(world, ids):
    by_id = {v: k for k, v in world.items()}
    return [by_id[i] for i in ids]


@pytest.mark.parametrize("q, expected", [
    # the exact number first, then other numbers with its words
    ("W-2026-000010", ["bakker"]),
    ("w-2026-000010", ["bakker"]),
    ("2026-00001", ["linde", "bakker"]),
    ("000001", ["crème", "cafe_old"]),
    # klant name (newest werkbon first), then descriptions
    ("cafe", ["cafe_new", "cafe_old", "bakker"]),
    ("Café", ["cafe_new", "cafe_old", "bakker"]),
    ("CAFÉ zwaan", ["cafe_new", "cafe_old"]),
    ("creme", ["crème"]),
    ("crème", ["crème"]),
    ("bakk", ["crème", "bakker"]),
    # klant city and debiteurnummer, werkadres
    ("hilversum", ["cafe_new", "cafe_old"]),
    ("D-300", ["zorg", "linde"]),
    ("lindelaan", ["linde"]),
    ("9711", ["linde"]),
    ("complex linde", ["linde"]),
    # description words by prefix, every word must match
    ("koel", ["cafe_new"]),
    ("lift keur", ["linde"]),
    ("lift oven", []),
    # one letter: klant names only
    ("z", ["zorg", "linde", "cafe_new", "cafe_old"]),
    ("k", []),
    ("", []),
    ("%", []),
    ("' OR 1=1 --", []),
    ('"koel*"', ["cafe_new"]),
])
def test_ranking_and_diacritics(world, q, expected):
    assert names(world, found(q)) == expected


def test_limit_stops_early(world):
    assert names(world, found("cafe", limit=2)) == ["cafe_new", "cafe_old"]


def test_indexes_follow_every_write(world):
    """Edits through the ORM and raw SQL (the worker's bulk path) and deletes reach the index;
    a change to another column leaves the row findable."""
    with connection(), write_transaction():
        Werkbon.update(description="Dakgoot reinigen").where(
            Werkbon.id == world["cafe_new"]).execute()
        Werkbon.update(status="afgerond").where(Werkbon.id == world["zorg"]).execute()
        Klant.update(name="Brasserie Het Hoekje").where(Klant.customer_number == "D-100").execute()
        db.execute_sql("INSERT INTO werkbon (number, klant_id, description, due_date, status, "
                       "duration_minutes, werktype, prioriteit, internal_note, changed_by_hand, "
                       "cancel_reason, created_at, updated_at, slot) SELECT 'W-2026-000500', "
                       "klant_id, 'Ruiten wassen', due_date, 'open', 60, '', '', '', "
                       f"{'0' if backend_is_sqlite() else 'false'}, '', created_at, "
                       f"updated_at, '' FROM werkbon WHERE id = {world['bakker']}")
        Werkbon.delete().where(Werkbon.id == world["linde"]).execute()
    assert names(world, found("koel")) == []
    assert names(world, found("dakgoot")) == ["cafe_new"]
    assert names(world, found("brandmeld")) == ["zorg"]
    assert names(world, found("zwaan")) == []
    assert names(world, found("hoekje")) == ["cafe_new", "cafe_old"]
    with connection():
        new_id = Werkbon.get(Werkbon.number == "W-2026-000500").id
    assert found("ruiten") == [new_id]
    assert found("lift") == []


def backend_is_sqlite():
    from models.db import is_sqlite

    return is_sqlite()


def test_words():
    assert fulltext.words("Café-De Zwaan_2 %x") == ["cafe", "de", "zwaan", "2", "x"]
    assert fulltext.words("ÉÈÊË ñ ç") == ["eeee", "n", "c"]


@pytest.mark.postgresql_only
def test_fold_matches_python_on_postgresql(app, backend):
    """cadans_fold (PostgreSQL's folding in the index) and words() agree on every letter it
    lists."""
    assert backend == "postgresql"
    with connection():
        folded = db.execute_sql("SELECT cadans_fold(%s)", (fulltext.ACCENTED.upper(),)
                                ).fetchone()[0]
    assert folded == "".join(fulltext.words(fulltext.ACCENTED))
    with connection():
        assert db.execute_sql("SELECT cadans_fold(%s)", ("W-2026-000123",)).fetchone()[0] \
            == "w 2026 000123"


def test_list_q_uses_search(world, planner):
    html = planner.get("/werkbonnen/?q=cafe&status=alle", htmx=True).get_data(as_text=True)
    assert "W-2026-000001" in html and "W-2026-000002" in html and "W-2026-000010" in html
    assert "W-2026-000011" not in html
    html = planner.get("/werkbonnen/?q=creme&status=alle", htmx=True).get_data(as_text=True)
    assert "W-2025-000001" in html and "W-2026-000001" not in html


def test_klanten_and_contracten_lists_use_search(world, planner):
    from models.contracts.tables import Contract
    from models.stamdata.instellingen import Contracttype

    with connection(), write_transaction():
        ctype = Contracttype.get(Contracttype.kind == "preventief")
        for number, customer, description in (("C-2026-0001", "D-100", "Koelcel onderhoud"),
                                              ("C-2026-0002", "D-200", "Ovens keuren")):
            Contract.create(number=number, klant=Klant.get(Klant.customer_number == customer),
                            contracttype=ctype, kind="preventief", description=description,
                            start_date=date(2026, 1, 1))

    def listed(path):
        return planner.get(path, htmx=True).get_data(as_text=True)

    klanten = listed("/klanten/?q=cafe")
    assert "Café De Zwaan" in klanten and "Bakkerij Jansen" not in klanten
    assert "Zorggroep Noord" in listed("/klanten/?q=gron") and "Café" not in listed(
        "/klanten/?q=gron")
    assert "Bakkerij Jansen" in listed("/klanten/?q=D-200")
    contracten = listed("/contracten/?q=café")
    assert "C-2026-0001" in contracten and "C-2026-0002" not in contracten
    contracten = listed("/contracten/?q=ovens")
    assert "C-2026-0002" in contracten and "C-2026-0001" not in contracten
    contracten = listed("/contracten/?q=c-2026-0002")
    assert "C-2026-0002" in contracten and "C-2026-0001" not in contracten


def test_migration_18_indexes_existing_rows(world, backend):
    """A database from before migration 18 (no search indexes, the single-column werkbon
    indexes): migrating builds the indexes over the rows already there."""
    from models.migrations import SchemaMigration, migrate
    from models.werkbonnen.tables import LIST_INDEXES, OPEN_MEDEWERKER_INDEX

    with connection():
        with write_transaction():
            if backend == "sqlite":
                for table, groups in fulltext.SEARCHED.items():
                    for group in groups:
                        fts = fulltext.fts_table(table, group)
                        db.execute_sql(f"DROP TABLE {fts}_terms")
                        db.execute_sql(f"DROP TABLE {fts}")
                        for suffix in ("insert", "update", "delete"):
                            db.execute_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            else:
                for table, groups in fulltext.SEARCHED.items():
                    for group in groups:
                        db.execute_sql(f"DROP INDEX {table}_search_{group}")
            for name, column in LIST_INDEXES.items():
                db.execute_sql(f"DROP INDEX {name}")
                db.execute_sql(f"CREATE INDEX werkbon_{column} ON werkbon ({column})")
            db.execute_sql(f"DROP INDEX {OPEN_MEDEWERKER_INDEX}")
            SchemaMigration.delete().where(SchemaMigration.version == 18).execute()
        assert migrate() == [18]
        indexes = {i.name for i in db.get_indexes("werkbon")}
    assert set(LIST_INDEXES) <= indexes and "werkbon_status" not in indexes
    assert OPEN_MEDEWERKER_INDEX in indexes
    assert names(world, found("café")) == ["cafe_new", "cafe_old", "bakker"]
    assert names(world, found("lindelaan")) == ["linde"]


@pytest.mark.postgresql_only
def test_migration_21_stores_the_vectors_of_existing_rows(world, backend):
    """PostgreSQL, a database from before migration 21 (the GIN indexes on the expression, no
    stored vectors): migrating adds the columns, filled for the rows already there, and puts
    each index on its column; the searches find what they found before."""
    from models.migrations import SchemaMigration, migrate

    assert backend == "postgresql"
    with connection():
        with write_transaction():
            for table, groups in fulltext.SEARCHED.items():
                for group, columns in groups.items():
                    db.execute_sql(f"DROP INDEX {table}_search_{group}")
                    db.execute_sql(f"ALTER TABLE {table} DROP COLUMN {fulltext.pg_column(group)}")
                    db.execute_sql(f"CREATE INDEX {table}_search_{group} ON {table} USING gin "
                                   f"(({fulltext._pg_vector(columns)}))")
            SchemaMigration.delete().where(SchemaMigration.version == 21).execute()
        assert migrate() == [21]
        definitions = dict(db.execute_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_search_%%'"))
        filled = db.execute_sql("SELECT count(*) FROM klant WHERE search_text IS NULL").fetchone()
    assert len(definitions) == sum(len(groups) for groups in fulltext.SEARCHED.values())
    for name, definition in definitions.items():
        assert "to_tsvector" not in definition and "(search_" in definition, (name, definition)
    assert filled == (0,)
    assert names(world, found("café")) == ["cafe_new", "cafe_old", "bakker"]
    assert names(world, found("lindelaan")) == ["linde"]


def test_word_prefixes_of_every_length(app, backend):
    """A word of any length finds the words it starts, however many: on SQLite a length
    without a prefix index is looked up in the vocabulary (fulltext.expand) and searched as
    those exact terms, or as a prefix when there are more than EXPAND_AT_MOST of them."""
    many = fulltext.EXPAND_AT_MOST + 8
    with connection(), write_transaction():
        klant = Klant.create(customer_number="D-900", name="Bureau Meetwerk", city="Ede")
        ids = [Werkbon.create(number=f"W-2026-{9000 + i:06d}", klant=klant,
                              description=f"Meting insp{i:02d} en rapport",
                              due_date=date(2026, 3, 20)).id for i in range(many)]
        keuring = Werkbon.create(number="W-2026-009999", klant=klant,
                                 description="Inspectie van de ketel",
                                 due_date=date(2026, 3, 20)).id
    newest_first = sorted(ids, reverse=True)
    assert found("insp") == [keuring, *newest_first]  # more terms than the cap: a prefix
    assert found("inspe") == [keuring]
    assert found("inspectie ketel") == [keuring]
    assert found("insp07") == [ids[7]]
    assert found("insp0") == sorted(ids[:10], reverse=True)
    assert found("meting rapp") == newest_first
    assert found("inspz") == [] and found("rapportage") == []
    if backend == "sqlite":
        with connection():
            fts = fulltext.fts_table("werkbon", "text")
            assert fulltext.expand(fts, "inspe") == ["inspectie"]
            assert fulltext.expand(fts, "insp0") == [f"insp{i:02d}" for i in range(10)]
            assert fulltext.expand(fts, "insp") is None
            assert fulltext.expand(fts, "inspz") == []


def executed(work):
    """(what `work()` returns, the SQL of every statement it ran)."""
    statements = []
    real = db.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return real(sql, params, *args, **kwargs)

    db.obj.execute_sql = spy
    try:
        return work(), statements
    finally:
        del db.obj.execute_sql


@pytest.mark.sqlite_only
def test_vocabulary_answers_are_kept_until_the_index_changes(world):
    """SQLite: expand() keeps what the vocabulary said for a word, checked against the FTS
    index's structure record: asked again unchanged, it reads no vocabulary; a committed
    change anywhere in that index is read afresh; inside a transaction, always afresh (the
    transaction's own rows are not in the record yet)."""
    fts = fulltext.fts_table("werkbon", "text")

    def vocabulary_reads(word):
        answer, statements = executed(lambda: fulltext.expand(fts, word))
        return answer, sum("_terms" in sql for sql in statements)

    with connection():
        first = vocabulary_reads("brandm")
        assert first[0] == ["brandmelders"] and first[1] == 2  # the term, and the step past it
        assert vocabulary_reads("brandm") == (["brandmelders"], 0)  # kept
        with write_transaction():
            Werkbon.create(number="W-2026-000700", klant=Werkbon.get_by_id(world["zorg"]).klant,
                           description="Brandmeldcentrale vervangen", due_date=date(2026, 4, 1))
            inside = vocabulary_reads("brandm")
            assert inside[1] > 0  # the transaction's own row counts
            assert inside[0] == ["brandmeldcentrale", "brandmelders"]
        after = vocabulary_reads("brandm")
        assert after == (["brandmeldcentrale", "brandmelders"], 3)  # committed: read afresh
        assert vocabulary_reads("brandm")[1] == 0
        Werkbon.update(description="Rookmelders testen").where(
            Werkbon.id == world["zorg"]).execute()  # autocommit, another word changes
        assert vocabulary_reads("brandm") == (["brandmeldcentrale"], 2)
    assert found("brandmelders") == [] and len(found("brandm")) == 1


@pytest.mark.sqlite_only
def test_a_search_of_several_words_reads_the_index_structure_once(world):
    """SQLite: each word longer than a prefix index is expanded (expand()), each checked against
    the index's structure record; a search of several such words reads that record once, not
    once a word."""
    fts = fulltext.fts_table("werkbon", "text")
    with connection():
        (ids, none), statements = executed(lambda: (
            fulltext.matching_ids("werkbon", "brandm testen", "text", 10),
            fulltext.matching_ids("werkbon", "brandm testen koelcel", "text", 10)))
    assert sum(f"{fts}_data" in sql for sql in statements) == 2, statements  # once a search
    assert ids == [world["zorg"]] and none == []


@pytest.mark.postgresql_only
def test_postgresql_plans_by_how_common_the_words_are(app, backend):
    """PostgreSQL: a word in (nearly) every row may walk the primary key backwards and stop at
    the limit (the planner's choice: at a million rows it does); a rare or absent word reads
    the GIN index, whatever the planner guesses (walking the key for a word in no row reads
    the whole table); never a parallel plan, even where the planner would like one."""
    assert backend == "postgresql"  # (SQLite's FTS5 query has one plan)
    with connection(), write_transaction():
        klant = Klant.create(customer_number="D-1", name="Klant", city="Ede")
        db.execute_sql(
            "INSERT INTO werkbon (number, klant_id, description, due_date, status, "
            "duration_minutes, werktype, prioriteit, internal_note, changed_by_hand, "
            "cancel_reason, created_at, updated_at, slot) SELECT 'W-2026-' || lpad(n::text, 6, "
            "'0'), %s, 'Periodiek onderhoud', '2026-03-01', 'open', 60, '', '', '', false, '', "
            "now(), now(), '' FROM generate_series(1, 3000) AS n", (klant.id,))
    with connection():
        db.execute_sql("ANALYZE werkbon")
        fulltext._COMMON.clear()
        db.execute_sql("SET parallel_setup_cost = 0")
        db.execute_sql("SET parallel_tuple_cost = 0")
        db.execute_sql("SET min_parallel_table_scan_size = 0")
        db.execute_sql("SET min_parallel_index_scan_size = 0")

        def plan(q):
            sql, params = fulltext.search_sql("werkbon", q, "text", 200)
            return "\n".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params))

        common, rare = plan("periodie"), plan("xqzwvk")
        assert "Gather" not in common and "Gather" not in rare, (common, rare)
        db.execute_sql("SET enable_sort = off")  # the walk where a sort would be dearer
        common = plan("periodie")
        assert "Index Scan Backward using werkbon_pkey" in common, common
        # (3,000 rows whose stored vectors are cheap to test: a scan would be cheapest here;
        # at a million the choice is between the index and the walk)
        db.execute_sql("SET enable_seqscan = off")
        rare = plan("xqzwvk")
        assert "search_text @@ " in common + rare and "cadans_fold" not in common + rare
        assert "werkbon_search_text" in rare and "werkbon_pkey" not in rare, rare
        assert "Gather" not in common and "Gather" not in rare, (common, rare)
        assert len(fulltext.matching_ids("werkbon", "periodie", "text", 200)) == 200
        assert fulltext.matching_ids("werkbon", "xqzwvk", "text", 200) == []


@pytest.mark.parametrize("word, starts", [
    ("periodie", True), ("periodiek", True), ("onder", True), ("a", True), ("zwolle", True),
    ("zwollen", False), ("periodiekx", False), ("b", False), ("zz", False), ("0", False),
])
def test_a_word_starts_a_common_element_by_binary_search(word, starts):
    """fulltext._pg_common's question, asked of the sorted most common elements by a binary
    search: does the word start one of them?"""
    common = tuple(sorted(["onderhoud", "periodiek", "zwolle", "amsterdam", "ketel"]))
    assert fulltext._starts_one(common, word) is starts
    assert any(e.startswith(word) for e in common) is starts  # the scan it replaces
