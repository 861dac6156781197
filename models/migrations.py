"""Schema migrations, applied in order and recorded in `schema_migration`.

Each migration is a function of (database, migrator). A migration that creates tables names the
models it introduces; a later migration that adds a column goes through
`playhouse.migrations` and first checks the column is not already there (a fresh database
created by migration 1 from today's models already has it). `migrate()` is safe to run any
number of times and from several processes: it runs inside one IMMEDIATE transaction on SQLite.
"""

import logging

from peewee import CharField, DateField, DateTimeField, IntegerField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

from models.db import db, is_sqlite, write_transaction
from models.db.audit import AuditLog
from models.db.base import BaseModel, utcnow
from models.stamdata import seeds
from models.stamdata.instellingen import ClosureDay, HolidaySetting
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.stamdata.users import ApiToken, User


class SchemaMigration(BaseModel):
    version = IntegerField(primary_key=True)
    name = CharField()
    applied_at = DateTimeField(default=utcnow)


def _initial(database, migrator):
    database.create_tables(
        [User, ApiToken, AuditLog, Klant, Medewerker, HolidaySetting, ClosureDay]
    )


def _contracts(database, migrator):
    from models.contracts.tables import Contract, ContractDraft
    from models.stamdata.instellingen import (
        Beeindigingsreden,
        Contracttype,
        Contractvoorwaarden,
        Prioriteit,
        SlaBeleid,
        Werktype,
    )

    database.create_tables([Werktype, Prioriteit, Beeindigingsreden, Contracttype,
                            Contractvoorwaarden, SlaBeleid, Contract, ContractDraft])
    seeds.contract_settings()


def _werkbonnen(database, migrator):
    from playhouse.migrate import migrate as run

    from models.contracts.tables import Contract
    from models.db.counters import Counter
    from models.objecten.tables import Werkadres
    from models.werkbonnen.tables import GenerationRun, Werkbon

    # a fresh database gets today's werkbon table, whose werkadres_id (migration 8) refers to
    # werkadres: PostgreSQL wants that table first
    database.create_tables([Werkadres, Werkbon, Counter, GenerationRun])
    additions = []
    for name in ("generate_from", "generated_through", "next_attention"):
        if not has_column("contract", name):
            additions.append(migrator.add_column("contract", name, getattr(Contract, name)))
    run(*additions)
    if not any(i.name == "contract_next_attention" for i in database.get_indexes("contract")):
        run(migrator.add_index("contract", ("next_attention",), False))


def _sla(database, migrator):
    from playhouse.migrate import migrate as run

    from models.sla.tables import Bedrijfsinstelling, SlaDoel, seed_standaard
    from models.werkbonnen.tables import Werkbon

    database.create_tables([SlaDoel, Bedrijfsinstelling])
    columns = ("reported_at", "response_due", "resolve_due", "responded_at", "resolved_at",
               "sla_version", "sla_business_hours")
    run(*[migrator.add_column("werkbon", name, getattr(Werkbon, name))
          for name in columns if not has_column("werkbon", name)])
    if not any(i.name == "werkbon_resolve_due" for i in database.get_indexes("werkbon")):
        run(migrator.add_index("werkbon", ("resolve_due",), False))
    seed_standaard()


def _stand_in(database, migrator):
    from playhouse.migrate import migrate as run

    from models.werkbonnen.tables import STAND_IN_WHERE, Werkbon

    if not has_column("werkbon", "stands_for"):
        run(migrator.add_column("werkbon", "stands_for", Werkbon.stands_for))
    if not any(i.name == "werkbon_stands_for_contract_id" for i in database.get_indexes("werkbon")):
        database.execute_sql("CREATE INDEX werkbon_stands_for_contract_id ON werkbon "
                             f"(stands_for, contract_id) WHERE {STAND_IN_WHERE}")


def _session_key(database, migrator):
    """Each user's session key (models/stamdata/users.py). Added NOT NULL with an SQL default,
    so SQLite adds the column in place: playhouse's NOT NULL step would rebuild the table, and
    dropping the old "user" table deletes every API token and draft by ON DELETE CASCADE. Then
    each user gets a key of their own; sessions from before hold no key and have ended."""
    from playhouse.migrate import migrate as run

    from models.stamdata.users import new_session_key

    if not has_column("user", "session_key"):
        run(migrator.add_column("user", "session_key", User.session_key, allow_not_null=True))
    for user_id in [u.id for u in User.select(User.id).where(User.session_key == "")]:
        User.update(session_key=new_session_key()).where(User.id == user_id).execute()


def _open_index(database, migrator):
    from models.werkbonnen.tables import OPEN_INDEX, OPEN_WHERE

    if not any(i.name == OPEN_INDEX for i in database.get_indexes("werkbon")):
        database.execute_sql(f"CREATE INDEX {OPEN_INDEX} ON werkbon (due_date, id) "
                             f"WHERE {OPEN_WHERE}")


def _objecten(database, migrator):
    """Werkadressen and objecten (installations), the werkadressen and objecten a contract
    covers, and a werkbon's werkadres, objecten and slot. The unique key of generated werkbonnen
    gains the slot: one werkbon per (contract, date, slot), where the slot names the werkadres or
    object it is for ("" for the whole contract, as every existing werkbon is). Columns arrive
    NOT NULL with an SQL DEFAULT, so SQLite adds them in place (no rebuild of a big table)."""
    from playhouse.migrate import migrate as run

    from models.contracts.tables import Contract, ContractObject, ContractWerkadres
    from models.objecten.tables import Object, Objecttype, Werkadres, seed_objecttypen
    from models.werkbonnen.tables import GENERATED_KEY, GENERATED_KEY_WHERE, Werkbon, WerkbonObject

    database.create_tables([Werkadres, Objecttype, Object, ContractWerkadres, ContractObject,
                            WerkbonObject])
    if not has_column("contract", "werkbon_per"):
        run(migrator.add_column("contract", "werkbon_per", Contract.werkbon_per,
                                allow_not_null=True))
    additions = [migrator.add_column("werkbon", name, getattr(Werkbon, name), **extra)
                 for name, extra in (("werkadres_id", {}), ("slot", {"allow_not_null": True}))
                 if not has_column("werkbon", name)]
    run(*additions)
    indexes = {i.name for i in database.get_indexes("werkbon")}
    if GENERATED_KEY not in indexes:
        # the new key first, then the old one goes: no moment without a key
        database.execute_sql(f"CREATE UNIQUE INDEX {GENERATED_KEY} ON werkbon "
                             f"(contract_id, due_date, slot) WHERE {GENERATED_KEY_WHERE}")
    if "werkbon_contract_id_due_date" in indexes:
        database.execute_sql("DROP INDEX werkbon_contract_id_due_date")
    if "werkbon_werkadres_id_due_date" not in indexes:
        database.execute_sql("CREATE INDEX werkbon_werkadres_id_due_date ON werkbon "
                             "(werkadres_id, due_date) WHERE werkadres_id IS NOT NULL")
    seed_objecttypen()


def _api_tokens(database, migrator):
    """Scoped API tokens (a name, scopes, one klant, an expiry, revocation) and
    Idempotency-Keys. A token that exists gets scope "*": everything its user may do, as
    before. The new token columns arrive NOT NULL with an SQL DEFAULT or nullable, so SQLite
    adds them in place (a rebuild of api_token is not needed)."""
    from playhouse.migrate import migrate as run

    from models.db.idempotency import IdempotencyKey

    columns = ApiToken._meta.columns
    run(*[migrator.add_column("api_token", name, columns[name],
                              **({"allow_not_null": True} if not columns[name].null else {}))
          for name in ("name", "scopes", "klant_id", "expires_at", "revoked_at", "created_by")
          if not has_column("api_token", name)])
    database.create_tables([IdempotencyKey])


def _webhooks(database, migrator):
    """Webhooks: the subscriptions, the outbox of deliveries and the log of attempts."""
    from models.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

    database.create_tables([Webhook, WebhookDelivery, WebhookAttempt])


def _facturatie(database, migrator):
    """A contract's billing terms and its factuurtermijnen (models/facturatie/)."""
    from models.facturatie.tables import (
        ContractFacturatie,
        Factuurtermijn,
        Indexcijfer,
        Indexreeks,
    )

    # (the index series first: today's ContractFacturatie refers to them, see migration 15)
    database.create_tables([Indexreeks, Indexcijfer, ContractFacturatie, Factuurtermijn])


def _prijzen(database, migrator):
    """Prices per period, visit or object; index series entered by hand; factureren vanaf;
    the count a termijn was invoiced for. Columns arrive nullable or with an SQL default, so
    SQLite adds them in place."""
    from playhouse.migrate import migrate as run

    from models.facturatie.tables import (
        ContractFacturatie,
        Factuurtermijn,
        Indexcijfer,
        Indexreeks,
    )

    database.create_tables([Indexreeks, Indexcijfer])  # safe: a fresh database has them
    columns = ContractFacturatie._meta.columns
    run(*[migrator.add_column("contract_facturatie", name, columns[name],
                              **({"allow_not_null": True} if not columns[name].null else {}))
          for name in ("prijs_per", "index_reeks_id", "factureren_vanaf")
          if not has_column("contract_facturatie", name)])
    if not has_column("factuurtermijn", "quantity"):
        run(migrator.add_column("factuurtermijn", "quantity",
                                Factuurtermijn._meta.columns["quantity"]))


def _onderdelen(database, migrator):
    """Several cadences per contract (onderdelen, a JSON list in the contract row: part of its
    version) and the day a werkbon was completed (a floating cadence counts from it). Existing
    contracts keep "" (one cadence: their own columns), so they plan exactly as before."""
    from playhouse.migrate import migrate as run

    from models.contracts.tables import Contract
    from models.werkbonnen.tables import Werkbon

    additions = []
    if not has_column("contract", "onderdelen"):
        additions.append(migrator.add_column("contract", "onderdelen", Contract.onderdelen,
                                             allow_not_null=True))
    if not has_column("werkbon", "completed_on"):
        additions.append(migrator.add_column("werkbon", "completed_on", Werkbon.completed_on))
    run(*additions)


def _termijn_totals(database, migrator):
    """The Te factureren totals kept by triggers (models/facturatie/totals.py), filled from the
    termijnen that exist."""
    from models.facturatie import totals
    from models.facturatie.tables import TermijnTotaalDag, TermijnTotaalKlantAlles

    database.create_tables([TermijnTotaalKlantAlles, TermijnTotaalDag])
    for statement in totals.trigger_sql(is_sqlite()):
        database.execute_sql(statement)
    totals.rebuild()
    # the list filtered on a klant or a BTW rate reads its page from an index in its order;
    # the wide index that served the totals' GROUP BY is not needed any more (a database made
    # by migration 13 from today's models has the new ones already)
    for index in ("factuurtermijn_status_klant_id_btw_tarief_invoice_on_cen_8e68d56",
                  "factuurtermijn_contract_id", "factuurtermijn_klant_id"):
        database.execute_sql(f"DROP INDEX IF EXISTS {index}")  # (the key and the next serve)
    for columns in (("klant_id", "status", "invoice_on"), ("status", "btw_tarief", "invoice_on")):
        database.execute_sql(f"CREATE INDEX IF NOT EXISTS factuurtermijn_{'_'.join(columns)} "
                             f"ON factuurtermijn ({', '.join(columns)})")


def _termijn_order(database, migrator):
    """PostgreSQL: the Te factureren list's indexes end in the termijn's id. The list reads a
    page in (invoice_on, id) order; SQLite's index entries end in the rowid (the id) anyway,
    PostgreSQL's do not, so it read every termijn of the first day (all monthly termijnen
    share the 1st: 8,500 rows) and sorted them for a page of 50 (106 ms at 100,000 open
    termijnen; bench/facturatie_page.py). Each new index replaces the one it extends."""
    if is_sqlite():
        return
    for columns in (("status", "invoice_on"), ("klant_id", "status", "invoice_on"),
                    ("status", "btw_tarief", "invoice_on")):
        name = f"factuurtermijn_{'_'.join(columns)}"
        database.execute_sql(f"CREATE INDEX IF NOT EXISTS {name}_id ON factuurtermijn "
                             f"({', '.join(columns)}, id)")
        database.execute_sql(f"DROP INDEX IF EXISTS {name}")


def _history_order(database, migrator):
    """A werkbon's due_date beside each of its object links, indexed (object, due_date,
    werkbon): the object page reads the newest werkbonnen of its history from that index in
    order, instead of every werkbon the object ever had (models/werkbonnen/tables.py
    WerkbonObject). Filled from the werkbonnen; the index replaces (object, werkbon), which it
    serves as well."""
    from playhouse.migrate import migrate as run

    from models.werkbonnen.tables import HISTORY_INDEX

    if not has_column("werkbon_object", "due_date"):
        run(migrator.add_column("werkbon_object", "due_date", DateField(null=True)))
        database.execute_sql("UPDATE werkbon_object SET due_date = (SELECT due_date FROM werkbon"
                             " WHERE werkbon.id = werkbon_object.werkbon_id)")
        run(migrator.add_not_null("werkbon_object", "due_date"))
    database.execute_sql(f"CREATE INDEX IF NOT EXISTS {HISTORY_INDEX} ON werkbon_object "
                         "(object_id, due_date, werkbon_id)")
    database.execute_sql("DROP INDEX IF EXISTS werkbon_object_object_id_werkbon_id")


def _search(database, migrator):
    """Search and filtered lists that stay fast: full-text indexes over werkbonnen, klanten,
    werkadressen, contracten and objecten (models/db/fulltext.py), filled from the rows already
    there, and the werkbonnen list's filter indexes (models/werkbonnen/tables.py LIST_INDEXES)
    in place of the single-column ones."""
    from models.db import fulltext
    from models.werkbonnen.tables import (
        LIST_INDEXES,
        OPEN_MEDEWERKER_INDEX,
        OPEN_WHERE,
        REPLACED_INDEXES,
    )

    fulltext.install(database)
    for name, column in LIST_INDEXES.items():
        database.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON werkbon "
                             f"({column}, due_date, id)")
    database.execute_sql(f"CREATE INDEX IF NOT EXISTS {OPEN_MEDEWERKER_INDEX} ON werkbon "
                         f"(medewerker_id, due_date, id) WHERE {OPEN_WHERE}")
    for name in REPLACED_INDEXES:
        database.execute_sql(f"DROP INDEX IF EXISTS {name}")
    if not is_sqlite():  # the statistics of the new indexes' words (fulltext._pg_common)
        for table in fulltext.SEARCHED:
            database.execute_sql(f"ANALYZE {table}")


def _open_links(database, migrator):
    """Each object link says whether its werkbon is still open, kept by a trigger on the
    werkbon's status and indexed for the open ones: the object page's open werkbonnen read
    only those (models/werkbonnen/tables.py WerkbonObject). Filled from the werkbonnen."""
    from models.werkbonnen.tables import (
        CLOSED,
        OPEN_LINK_INDEX,
        OPEN_LINK_WHERE,
        open_link_trigger_sql,
    )

    if not has_column("werkbon_object", "werkbon_open"):
        database.execute_sql("ALTER TABLE werkbon_object ADD COLUMN werkbon_open BOOLEAN "
                             "NOT NULL DEFAULT TRUE")
    closed = ", ".join(f"'{status}'" for status in CLOSED)
    database.execute_sql(  # noqa: S608 (constants)
        "UPDATE werkbon_object SET werkbon_open = FALSE WHERE werkbon_id IN "
        f"(SELECT id FROM werkbon WHERE status IN ({closed}))")
    database.execute_sql(f"CREATE INDEX IF NOT EXISTS {OPEN_LINK_INDEX} ON werkbon_object "
                         f"(object_id, due_date, werkbon_id) WHERE {OPEN_LINK_WHERE}")
    for statement in open_link_trigger_sql(is_sqlite()):
        database.execute_sql(statement)
    # statistics for the new index where the database keeps them (SQLite: only once someone
    # ran ANALYZE; without any, the planner takes the partial index by its WHERE term)
    if not is_sqlite() or database.execute_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        database.execute_sql("ANALYZE werkbon_object")


def _stored_search_vectors(database, migrator):
    """PostgreSQL: each searched group's tsvector stored in a generated column with the GIN
    index on it, in place of the index on the expression (models/db/fulltext.py: a common
    word's walk tests the stored vector instead of folding every row's text again). Adding a
    stored column rewrites the table under an exclusive lock: a million werkbonnen took 133 s
    on the 2-core bench machine, in which nothing reads or writes them (plan it outside
    working hours; README "In productie"). SQLite: nothing (FTS5)."""
    from models.db import fulltext

    if is_sqlite():
        return
    for table, groups in fulltext.SEARCHED.items():
        for group in groups:
            index = f"{table}_search_{group}"
            row = database.execute_sql("SELECT indexdef FROM pg_indexes WHERE indexname = %s "
                                       "AND schemaname = current_schema()", (index,)).fetchone()
            if row and "to_tsvector" in row[0]:  # the index on the expression (migration 18)
                database.execute_sql(f"DROP INDEX {index}")
    fulltext.install(database)
    for table in fulltext.SEARCHED:  # the words' statistics (fulltext._pg_common)
        database.execute_sql(f"ANALYZE {table}")


def _address_trigrams(database, migrator):
    """PostgreSQL: a trigram index on a werkadres's address text (models/objecten/search.py
    ADDRESS_TEXT_SQL), so the object list searched by a city or street ("zwolle", a substring
    of any of them) reads the werkadressen that have it instead of all of them. pg_trgm is a
    trusted extension (PostgreSQL 13+): the database's owner may create it. Where it cannot be
    created (no contrib package, no right), the search works as before, without the index;
    README "In productie" says how to add it later. SQLite: nothing (LIKE on its columns)."""
    if is_sqlite():
        return
    from peewee import DatabaseError

    from models.objecten.search import ADDRESS_TEXT_SQL

    try:
        with database.atomic():  # a savepoint: a refusal must not end the migration
            database.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logging.getLogger(__name__).warning(
            "pg_trgm niet beschikbaar (%s); zoeken op plaats in de objectenlijst zonder "
            "trigramindex", str(exc).strip())
        return
    database.execute_sql("CREATE INDEX IF NOT EXISTS werkadres_address_trgm ON werkadres "
                         f"USING gin ({ADDRESS_TEXT_SQL} gin_trgm_ops)")
    database.execute_sql("ANALYZE werkadres")


MIGRATIONS = [
    (1, "gebruikers, klanten, medewerkers, audit, instellingen", _initial),
    (2, "contracten, concepten en hun instellingen (met standaardwaarden)", _contracts),
    (3, "werkbonnen, nummering, generatieruns; contract onthoudt zijn volgende beurt", _werkbonnen),
    (4, "SLA-doelen per prioriteit (met versies), werktijden, SLA-tijden op werkbonnen", _sla),
    (5, "een beschermde werkbon onthoudt voor welke nieuwe datum hij telt", _stand_in),
    (6, "sessiesleutel per gebruiker: afmelden en wachtwoord wijzigen beëindigen sessies",
     _session_key),
    (7, "de werkbonnenlijst opent op wat nog te doen is: index op open werkbonnen", _open_index),
    (8, "werkadressen en objecten; contracten dekken ze; een werkbon per datum of per object",
     _objecten),
    # 9 and 10 were reserved and never used; migrate() applies every version it has not
    # applied before, whatever its place, so a gap (or 9 arriving after 11) is harmless as long
    # as those migrations do not depend on each other.
    (11, "API: tokens met scopes, klant en vervaldatum; Idempotency-Key", _api_tokens),
    (12, "webhooks: abonnementen, uitgaande berichten en hun pogingen", _webhooks),
    (13, "facturatie: prijs, factuurperiode en indexering per contract; factuurtermijnen",
     _facturatie),
    (14, "facturatie: totalen per klant, BTW-tarief en factuurdatum, bijgehouden door triggers",
     _termijn_totals),
    (15, "facturatie: prijs per periode, bezoek of object; indexreeksen; factureren vanaf",
     _prijzen),
    (16, "onderdelen: meerdere cadansen per contract; afronddatum van een werkbon", _onderdelen),
    (17, "facturatie: de lijst Te factureren leest haar volgorde uit een index (PostgreSQL)",
     _termijn_order),
    # 18 arrived after 19 (a database of main before it applies 18 after 19: they touch
    # different tables)
    (18, "zoeken en filteren: full-text-indexen; werkbonnenfilters met hun eigen index",
     _search),
    (19, "objectgeschiedenis: datum van de werkbon bij elk object, geïndexeerd", _history_order),
    (20, "objectpagina: open werkbonnen van een object uit hun eigen index (trigger op status)",
     _open_links),
    (21, "zoeken (PostgreSQL): woorden per rij bewaard in een kolom, de index daarop",
     _stored_search_vectors),
    (22, "objectenlijst (PostgreSQL): zoeken op plaats of straat uit een trigramindex",
     _address_trigrams),
]


def has_column(table: str, column: str) -> bool:
    return any(c.name == column for c in db.get_columns(table))


def migrate() -> list[int]:
    """Apply the missing migrations; returns the versions applied now."""
    migrator = SqliteMigrator(db.obj) if is_sqlite() else PostgresqlMigrator(db.obj)
    applied_now = []
    with write_transaction():
        db.create_tables([SchemaMigration], safe=True)
        done = {m.version for m in SchemaMigration.select(SchemaMigration.version)}
        for version, name, func in MIGRATIONS:
            if version in done:
                continue
            func(db.obj, migrator)
            SchemaMigration.create(version=version, name=name)
            applied_now.append(version)
    return applied_now


def schema_version() -> int:
    if not db.table_exists("schema_migration"):
        return 0
    return SchemaMigration.select(SchemaMigration.version).order_by(
        SchemaMigration.version.desc()
    ).scalar() or 0
