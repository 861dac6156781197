"""The database plumbing, and (this module) the one database proxy, bound at start-up.

Everything imports `db` from here; `init_db_from_url` binds it once per process. SQLite gets
WAL, foreign keys and a busy timeout on every connection, because each of those is per
connection. Write transactions (`write_transaction`, `locked`) and explicit connections for jobs
and CLI commands (`connection`) live here too. Beside it: `base` (the base model every table
derives from), `audit` (the audit trail), `paging` (keyset pagination), `counters` (number
sequences), `instance` (where instance/ is) and `idempotency` (the API's Idempotency-Keys). The
package imports peewee and nothing else of models; the migrations, which know every table, are
`models.migrations`.
"""

import itertools
import logging
import os
import re
import select
import time
from contextlib import contextmanager
from decimal import Decimal

from peewee import (
    SQL,
    DatabaseProxy,
    Field,
    FieldAccessor,
    ForeignKeyAccessor,
    ForeignKeyField,
    IntegerField,
    ModelCursorWrapper,
    NodeList,
    SqliteDatabase,
    _StringField,
)
from playhouse.db_url import connect, parse
from playhouse.pool import PooledPostgresqlDatabase

GENERIC_PLANS = "-c plan_cache_mode=force_generic_plan"  # the web pool's prepared statements
TRANSACTION_STATUS_IDLE = 0  # psycopg2.extensions.TRANSACTION_STATUS_IDLE (psycopg2 is optional)
OFF = {"0", "uit", "nee", "no", "off", "false"}

log = logging.getLogger(__name__)

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    # a sweep checkpoints once at its end, so the log can grow large meanwhile; once it has been
    # copied back, the next write cuts the file back to this size instead of keeping it
    "journal_size_limit": 64 * 1024 * 1024,
}


def init_db_from_url(url: str, pool: bool = False):
    """Bind the proxy; returns the concrete database.

    SQLite connections come from a pool: opening a WAL database costs ~1.2 ms before the first
    read, more than a whole preview request should take. Requests still "open" and "close"
    explicitly; closing hands the connection back, and each connection serves one thread at a
    time (hence check_same_thread=False).

    PostgreSQL connections come from a pool only where `pool` says so: the web app (app.py).
    A new PostgreSQL connection is a new server process (a fork and the authentication, several
    ms): with one per request the preview served a tenth of the hello floor's requests under 16
    clients (bench/web_concurrency.py, issue #20). The pool replaces a connection the server
    dropped (a restart, PgBouncer) before a request gets it (WebPool), and rolls back what a
    request left open. Job
    processes keep one connection per job: the RQ worker forks, and a pooled connection would
    be carried across the fork."""
    if url.startswith("sqlite:"):
        database = connect(url.replace("sqlite:", "sqlite+pool:", 1), pragmas=SQLITE_PRAGMAS,
                           max_connections=32, stale_timeout=600, check_same_thread=False)
    elif pool and url.startswith(("postgresql:", "postgres:")):
        prepare = os.environ.get("CADANS_PG_PREPARE", "").strip().lower() not in OFF
        params = parse(url)
        if prepare:
            params["connection_factory"] = preparing_connection()
            # A generic plan for every prepared statement: each is an index walk to a LIMIT or
            # a read by key, and where PostgreSQL judged the generic plan dearer than planning
            # anew, it planned every run (0.7 ms each, the werkbonnen list's deep pages). The
            # plain statements (with their values written in) are planned as always.
            params["options"] = " ".join(filter(None, (params.get("options"),
                                                       GENERIC_PLANS)))
        database = WebPool(**params, max_connections=32, stale_timeout=300)
    else:
        database = connect(url)
    db.initialize(database)
    return database


class WebPool(PooledPostgresqlDatabase):
    """The web app's PostgreSQL pool: peewee's, but its check that a pooled connection is still
    alive (a `SELECT 1` round trip before every request, a third of the preview's round trips
    with the user and the holiday settings) only when there is a reason to doubt it: the
    connection sat unused for PING_AFTER seconds, or its socket has something to read. An idle
    connection has nothing to read unless the server wrote to it on its own, which it does when
    it ends the connection (a restart, pg_terminate_backend, PgBouncer closing it: a FATAL
    message or the end of the stream). Checking that is a poll of the socket, no round trip."""

    PING_AFTER = 10.0

    def execute_sql(self, sql, params=None, prepare=None):
        """peewee's, or with `prepare` = (variable, token) as a prepared statement
        (execute_prepared)."""
        if prepare is None:
            return super().execute_sql(sql, params)
        return _run_prepared(self, sql, params or (), *prepare)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._returned: dict[int, float] = {}

    def _close(self, conn, close_conn=False):
        self._returned[id(conn)] = time.monotonic()
        super()._close(conn, close_conn)

    def _is_closed(self, conn):
        returned = self._returned.pop(id(conn), None)
        if (not conn.closed and returned is not None
                and time.monotonic() - returned < self.PING_AFTER
                and conn.info.transaction_status == TRANSACTION_STATUS_IDLE
                and not select.select([conn.fileno()], [], [], 0)[0]):
            return False
        return super()._is_closed(conn)


_PREPARING = None


def preparing_connection():
    """psycopg2's connection class with a `prepared` dict: which statements this connection's
    server process has prepared, key -> (name, EXECUTE's arguments) (execute_prepared). Only the web
    pool's connections get it (CADANS_PG_PREPARE, default on); a job's connection has none and
    runs every statement as it is."""
    global _PREPARING
    if _PREPARING is None:
        from psycopg2.extensions import connection

        class PreparingConnection(connection):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.prepared: dict[tuple, str] = {}

        _PREPARING = PreparingConnection
    return _PREPARING


# The parameter types a prepared statement declares, by the Python type of the value. An int as
# bigint: left to the server, `id = $1` makes $1 an integer, and an id beyond it (a URL's
# 2**40) would be an error where the plain statement (`id = 1099511627776`) finds no row. Every
# other value is `unknown`: typed by where it stands, as psycopg2's quoted literal is.
_PARAM_TYPES = {bool: "boolean", int: "bigint", float: "double precision", Decimal: "numeric"}
_PLACE = re.compile(r"%%|%s")
_NAMES = itertools.count(1)
_KEYS = itertools.count(1)
MAX_PREPARED = 200  # per connection; beyond it statements run plain (the server keeps each plan)
MAX_TEXTS = 5000
_TEXTS: dict[tuple, tuple[str, str]] = {}  # key -> ("(types) AS sql-with-$n", "(%s, ...)")
_REFUSED: set[tuple] = set()  # keys whose prepared form failed where the plain statement ran
_LIMITS: dict[str, tuple[int, ...]] = {}  # sql -> the places of the values of LIMIT and OFFSET
_AFTER_LIMIT = re.compile(r"\b(LIMIT|OFFSET)\s*$", re.IGNORECASE)


def _limit_places(sql: str) -> tuple[int, ...]:
    """The places of the values that follow LIMIT or OFFSET. Those go into the prepared SQL
    as they are (a statement per value; a page size is one or two values): with `LIMIT $1`
    the planner of a generic plan expects a tenth of the rows, prefers sorting them all to
    reading an index in order, and PostgreSQL then plans every run anew (the werkbonnen
    list's first page: 834 plans in 833 runs)."""
    places = _LIMITS.get(sql)
    if places is None:
        found, count = [], 0
        for match in _PLACE.finditer(sql):
            if match.group() == "%s":
                if _AFTER_LIMIT.search(sql, 0, match.start()):
                    found.append(count)
                count += 1
        places = _LIMITS[sql] = tuple(found)
    return places


def _texts(conn, key: tuple, sql: str, params: tuple, variable, types: tuple):
    """What PREPARE and EXECUTE say for `key`: the SQL with $1, $2... in the places of the
    values that vary (the places in `variable`) and the others written in as the literals
    psycopg2 would send. A value that is the same every time belongs in the SQL: a generic plan
    can then use what it says (a partial index on `status NOT IN ('afgerond', ...)` serves only
    a query that names those statuses, not one that says `NOT IN ($2, $3)`)."""
    if key not in _TEXTS:
        from psycopg2.extensions import encodings

        if len(_TEXTS) >= MAX_TEXTS:  # only a cache (each connection keeps its own statements)
            _TEXTS.clear()
        cursor = conn.cursor()
        places, numbers = iter(range(len(params))), itertools.count(1)
        encoding = encodings[conn.encoding]

        def replace(match):
            if match.group() == "%%":
                return "%%"
            place = next(places)
            if place in variable:
                return f"${next(numbers)}"
            literal = cursor.mogrify("%s", (params[place],)).decode(encoding)
            return literal.replace("%", "%%")

        body = _PLACE.sub(replace, sql)
        declared = f" ({', '.join(types)})" if types else ""
        args = f"({', '.join(['%s'] * len(types))})" if types else ""
        _TEXTS[key] = (f"{declared} AS {body}", args)
    return _TEXTS[key]


def execute_prepared(sql: str, params=(), variable: tuple | None = None, token=None):
    """`db.execute_sql(sql, params)`, as a prepared statement where the connection is the web
    pool's: the server parses and plans a statement every time it gets its text, and for the
    small indexed reads a page makes that was most of the server's time per statement (planning
    0.2-0.5 ms against 0.01-0.1 ms executing, on the object page). A prepared statement is
    parsed once per connection, and PostgreSQL plans it once more for each of its first five
    runs, then keeps a generic plan if that costs no more than the custom ones
    (plan_cache_mode auto): the pages' reads by an id, a cursor, a limit.

    `variable`: the places in `params` whose values change from run to run (None: all); the
    others are written into the prepared SQL, and `token` (Compiled's) then names the statement
    with its values. Safe as the plain statement is: only a SELECT is prepared, and only outside
    a transaction (PREPARE and EXECUTE go in one round trip; if that fails, the plain statement
    runs and decides: its error is raised, or, when it succeeds, the prepared form is not tried
    again). Inside a transaction a statement is EXECUTEd only if the connection prepared it
    before, else it runs plain. A statement the server no longer knows (someone ran
    `DEALLOCATE`) is prepared again. Behind PgBouncer in transaction mode, where the next
    transaction may land on a server process that never saw the PREPARE: CADANS_PG_PREPARE=uit.
    """
    database = db.obj
    if isinstance(database, WebPool):  # through the instance: a test's spy sees the SELECT
        return database.execute_sql(sql, params, prepare=(variable, token))
    return database.execute_sql(sql, params)


def _run_prepared(database: "WebPool", sql: str, params, variable, token):
    """execute_prepared's work on the web pool (WebPool.execute_sql with `prepare`)."""
    plain = super(WebPool, database).execute_sql
    conn = database.connection()
    prepared = getattr(conn, "prepared", None)
    if prepared is None or not sql.lstrip()[:6].upper() == "SELECT":
        return plain(sql, params)
    params = tuple(params)
    variable = range(len(params)) if variable is None else sorted(variable)
    limits = _limit_places(sql)
    if limits:
        variable = [place for place in variable if place not in limits]
    values = tuple(params[place] for place in variable)
    types = tuple(_PARAM_TYPES.get(type(value), "unknown") for value in values)
    key = (token or sql, types, tuple(params[place] for place in limits))
    idle = conn.info.transaction_status == TRANSACTION_STATUS_IDLE
    known = prepared.get(key)
    if known is not None:
        try:
            return plain(f"EXECUTE {known[0]}{known[1]}", values)
        except Exception:
            del prepared[key]
            if not idle:
                raise
            # outside a transaction: prepare it again (a read: running it twice is harmless)
    if key in _REFUSED or not idle or len(prepared) >= MAX_PREPARED:
        return plain(sql, params)
    name = f"cadans_{next(_NAMES)}"
    try:
        declared, args = _texts(conn, key, sql, params, variable, types)
        cursor = plain(f"PREPARE {name}{declared}; EXECUTE {name}{args}", values)
    except Exception:
        cursor = plain(sql, params)  # its error, if it has one, is the answer
        _REFUSED.add(key)
        log.warning("Niet als prepared statement uit te voeren, voortaan zonder: %s", sql[:200])
        return cursor
    prepared[key] = (name, args)
    return cursor


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


def write_transaction():
    """A transaction that will write: IMMEDIATE on SQLite.

    A SQLite transaction that reads first and writes later fails at once with "database is
    locked" under concurrency (the busy timeout does not help); taking the write lock up front
    makes it wait its turn instead.
    """
    if is_sqlite():
        return db.atomic("IMMEDIATE")
    return db.atomic()


def locked(query):
    """`query` with FOR UPDATE where the database needs it, for a row read inside a write
    transaction and then changed on what it said. PostgreSQL reads committed data without locks,
    so a second transaction could read the same row meanwhile and both would write on what they
    saw; FOR UPDATE makes the second one wait and then read the first one's result. SQLite has
    no FOR UPDATE: there `write_transaction` already holds the database's only write lock."""
    return query if is_sqlite() else query.for_update()


TERMIJNEN_LOCK = 191_914  # PostgreSQL advisory lock of the writers of factuurtermijnen


def serialise_termijnen_writers() -> None:
    """Inside a write transaction that will write (or delete) factuurtermijnen, before it locks
    any row: on PostgreSQL, wait for the other such writers. The triggers that keep the Te
    factureren totals take this lock too (models/facturatie/totals.py); taken first by everyone,
    two writers never wait for each other's rows in opposite orders. SQLite has one writer."""
    if not is_sqlite():
        db.execute_sql(f"SELECT pg_advisory_xact_lock({TERMIJNEN_LOCK})")


@contextmanager
def connection():
    """An explicit connection for jobs and CLI commands (closed again if we opened it)."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield db
    finally:
        if opened:
            db.close()


class Compiled:
    """A query whose SQL is built once and then run with new values: Peewee compiling a
    four-table list query took longer than SQLite answering it.

    `build(*markers)` returns the query with a marker in the place of each value; each marker must
    reach the SQL parameters unchanged and exactly once (checked). Compiled per database kind."""

    def __init__(self, build, markers: tuple):
        self.build, self.markers, self._sql, self._readers = build, markers, {}, {}
        self._token = ("compiled", next(_KEYS))  # its prepared statements' name (execute_prepared)

    def _compiled(self):
        kind = type(db.obj).__name__
        if kind not in self._sql:
            query = self.build(*self.markers)
            sql, params = query.sql()
            places = [params.index(m) if params.count(m) == 1 else None for m in self.markers]
            if None in places:
                raise ValueError(f"markers {self.markers!r} not each once in {params!r}")
            self._sql[kind] = (query, sql, params, places)
        return self._sql[kind]

    def execute(self, *values):
        """The database cursor of the query run with `values` in the markers' places."""
        _query, sql, params, places = self._compiled()
        params = list(params)
        for place, value in zip(places, values, strict=True):
            params[place] = value
        return execute_prepared(sql, params, places, self._token)

    def rows(self, *values) -> list:
        """The rows as the query itself gives them (model instances with their joined models,
        or what .tuples()/.scalar-style selects give): the query's own result reader over
        `execute`'s cursor."""
        query = self._compiled()[0]
        wrapper = query._get_cursor_wrapper(self.execute(*values))
        if type(wrapper) is ModelCursorWrapper:
            wrapper.__class__ = _JoinedModelRows
        kind = type(db.obj).__name__
        reader = self._readers.get(kind)
        if reader is not None:
            wrapper.__dict__.update(reader)
            wrapper.initialized = True
        else:
            self._remember_reader(wrapper, kind)
        return list(wrapper)

    def _remember_reader(self, wrapper, kind: str) -> None:
        """Keep what the result reader works out from its first row (which column goes to
        which model and field, and its converter): the same SQL gives the same columns every
        time, and working that out again was a third of a small query's time."""
        fresh = set(vars(wrapper))
        initialize = wrapper.initialize

        def remembering():
            initialize()
            self._readers[kind] = {k: v for k, v in vars(wrapper).items()
                                   if k not in fresh and k != "initialize"}

        wrapper.initialize = remembering


_AS_READ = {(Field.python_value, IntegerField.adapt), (Field.python_value, _StringField.adapt)}


def _as_read(converter) -> bool:
    """Is `converter` (a column's python_value) one that gives back what both drivers already
    return for its column: int() of an integer column, str() of a text one, or of the integer
    or text column a foreign key points at? Those are left out of the fast path (a third of
    reading a wide row was calls that changed nothing)."""
    field = getattr(converter, "__self__", None)
    if not isinstance(field, Field) or converter.__func__ is not type(field).python_value:
        return False
    if type(field).python_value is ForeignKeyField.python_value:
        field = field.rel_field
    kind = type(field)
    return (kind.python_value, kind.adapt) in _AS_READ


class _JoinedModelRows(ModelCursorWrapper):
    """Peewee's reader of joined model rows (a model per joined table), filling each instance's
    field values straight into its data instead of through the field's descriptor, one
    attribute assignment per column (that was half of reading the object page's object with its
    werkadres, klant and type). Only fields whose descriptor does nothing else for a fresh
    instance are filled so; every other column, and the joins between the instances, go the
    way Peewee's own `process_row` takes them. Its result is the same instances with the same
    data, none dirty."""

    _plan = None

    def initialize(self):
        super().initialize()
        self._fast_plan()  # kept with the rest of the reader (Compiled._remember_reader)

    def _fast_plan(self):
        """[(key, its plain field columns, its other columns)], each column (index, name,
        converter), grouped by the instance that holds them."""
        groups: dict = {}
        for idx, key, column, converter in self._row_spec:
            ctor = self.key_to_constructor.get(key)
            model = ctor[0] if ctor and ctor[1] else None  # a model instance holds this column
            accessor = next((k.__dict__[column] for k in (model.__mro__ if model else ())
                             if column in k.__dict__), None)
            plain = type(accessor) in (FieldAccessor, ForeignKeyAccessor)
            if plain and _as_read(converter):
                converter = None
            groups.setdefault(key, ([], []))[0 if plain else 1].append((idx, column, converter))
        self._plan = [(key, tuple(plain), tuple(other))
                      for key, (plain, other) in groups.items()]
        return self._plan

    def process_row(self, row):
        plan = self._plan or self._fast_plan()
        objects = {}
        model_list = []
        for key, constructor, is_model in self._constructor_list:
            if is_model:
                objects[key] = instance = constructor(__no_default__=True)
                model_list.append(instance)
            else:
                objects[key] = constructor()
        default_instance = objects[self.model]
        set_keys = set()
        for key, plain, other in plan:
            instance = objects.get(key, default_instance)
            found = False
            if plain:  # `instance` is this key's own model instance (see _fast_plan)
                data = instance.__data__
                for idx, column, converter in plain:
                    value = row[idx]
                    if value is not None:
                        found = True
                    data[column] = value if converter is None else converter(value)
            for idx, column, converter in other:
                value = row[idx]
                if value is not None:
                    found = True
                if converter is not None:
                    value = converter(value)
                if isinstance(instance, dict):
                    instance[column] = value
                else:
                    setattr(instance, column, value)
            if found:
                set_keys.add(key)
        for src, attr, dest, is_dict, is_outer, is_fk in self.src_to_dest:
            instance = objects.get(src)
            joined_instance = objects.get(dest)
            if joined_instance is None and dest not in objects:
                continue
            assign = False
            if dest not in set_keys and dest in self._dest_reachable:
                assign = bool(self._dest_reachable[dest] & set_keys)
            if dest not in set_keys and not assign:
                if is_outer:
                    joined_instance = None
                else:
                    continue
            if src not in set_keys and dest not in set_keys and is_outer:
                continue
            if is_dict:
                instance[attr] = joined_instance
            elif is_fk and joined_instance is None:
                instance.__rel__[attr] = None
            else:
                setattr(instance, attr, joined_instance)
        for instance in model_list:
            instance._dirty.clear()
        return objects[self.model]


def among(column, ids):
    """`column IN ids`, its SQL made in one go: Peewee building a node and a placeholder per id
    of a 2,500-contract batch cost more than the database running the query. On PostgreSQL
    `= ANY(array)`, one parameter."""
    ids = [int(i) for i in ids]  # ints only: on SQLite they are written into the SQL
    if not ids:
        return column.in_(ids)  # Peewee's own spelling of an empty IN
    if is_sqlite():
        # as literals: even a parameter per id costs a Peewee call per id
        return NodeList((column, SQL(f"IN ({', '.join(map(str, ids))})")))
    return NodeList((column, SQL("= ANY(%s)", [ids])))


@contextmanager
def one_checkpoint():
    """SQLite: copy the write-ahead log back into the database once, after a whole sweep
    (werkbonnen and termijnen). Left to itself every batch's commit does it (the log is past
    1,000 pages by then), and the batches touch the same index pages, so each of those copies
    rewrote most of the index. The final checkpoint is `checkpoint()`: it waits briefly for
    readers and cuts the log short; what it cannot copy yet the next commit anywhere copies.
    Other connections keep checkpointing as usual."""
    if not is_sqlite():
        yield
        return
    previous = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {int(previous)}")
        checkpoint()


# The page cache of a connection while it sweeps (KiB): SQLite's default is 2 MB, and a sweep
# inserts into a dozen werkbon indexes whose pages, once the cache is full, are written out to
# the log and read back for the next rows. Only for the sweep's length: each of the web's
# pooled connections keeps the small default.
SWEEP_CACHE_KIB = int(os.environ.get("CADANS_SWEEP_CACHE_MB") or 64) * 1024


@contextmanager
def sweep_cache():
    """SQLite: a page cache of SWEEP_CACHE_KIB for the connection while it sweeps (the
    default again afterwards, which gives the memory back)."""
    if not is_sqlite():
        yield
        return
    previous = db.execute_sql("PRAGMA cache_size").fetchone()[0]
    db.execute_sql(f"PRAGMA cache_size = -{SWEEP_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA cache_size = {int(previous)}")


CHECKPOINT_WAIT_MS = 2000


def checkpoint() -> tuple | None:
    """SQLite: copy the write-ahead log back into the database and cut it to zero bytes
    (TRUNCATE), waiting at most CHECKPOINT_WAIT_MS for readers. The automatic checkpoints are
    PASSIVE: they never wait, so while readers overlap (web requests, each holding a snapshot)
    some reader always pins the log and it is never restarted: it grows without bound. This
    one waits for the readers of the old snapshot to finish (new readers then read the
    database file) and writers wait meanwhile; a reader that holds on longer only makes it
    give up for this time. Called after each sweep (one_checkpoint) and hourly
    (jobs.tasks.prune). Returns SQLite's (busy, log pages, checkpointed pages); None on
    PostgreSQL, which checkpoints by itself."""
    if not is_sqlite():
        return None
    busy = db.execute_sql("PRAGMA busy_timeout").fetchone()[0]
    db.execute_sql(f"PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}")
    try:
        return tuple(db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)").fetchone())
    finally:
        db.execute_sql(f"PRAGMA busy_timeout = {int(busy)}")
