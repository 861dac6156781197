"""The one writer of generated werkbonnen. `sweep` generates what is due for every contract
whose turn it is (the worker's periodic job, the job after a save, the CLI), batch by batch in
short write transactions; `insert_werkbonnen`, `werkbon_rows`, `coverage_of` and
`refresh_bookkeeping` are the writing it shares with the edits (models.werkbonnen.replan). The
unique key on (contract, due_date, slot) plus insert-or-ignore make every run harmless to
repeat, on any number of workers at once; the contracts' `next_attention` column makes a sweep
read only the contracts that are due.

Shared sweeps. On PostgreSQL a sweep claims its contracts batch by batch (BATCH contracts,
`CADANS_SWEEP_BATCH`) with `SELECT ... FOR UPDATE SKIP LOCKED` and plans and writes each batch
in that one transaction: sweeps running at the same time on any number of workers and hosts
(jobs.tasks.materialise_due queues a share per idle worker) each take different contracts, and
the unique key stays the final guard. A contract a planner holds locked at that moment is
skipped and swept next time. On SQLite there is one writer at a time (the database's own write
lock): a sweep plans outside that lock and writes under it, skipping contracts another sweep
moved on meanwhile (`_write`); a second worker there adds safety, not speed.

A contract that covers objecten owes a werkbon per date and slot (models.werkbonnen.plan), each
with the objecten it lists (WerkbonObject). Those links are written in the transaction that
inserts their werkbon, only for werkbonnen this insert really made: a werkbon that already
existed (another worker made it) already has its links, written with it.
"""

import io
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter

from peewee import DateField, Tuple

from models.contracts.tables import Contract, with_terms
from models.db import (
    Compiled,
    among,
    db,
    is_sqlite,
    locked,
    one_checkpoint,
    sweep_cache,
    write_transaction,
)
from models.db.base import utcnow
from models.schedule.cadence import Link, floating_wanted, merged
from models.schedule.definition import Occurrence
from models.schedule.expand import occurrences, occurrences_and_next
from models.werkbonnen import events
from models.werkbonnen.numbers import reserve_numbers, werkbon_number
from models.werkbonnen.plan import (
    WHOLE_PART,
    CadenceVisit,
    Coverage,
    CoveredObject,
    first_day,
    floating_visits,
    horizon,
    parts,
)
from models.werkbonnen.tables import GENERATED_KEY_WHERE, GenerationRun, Werkbon

# Contracts planned per write transaction (the lock is held only to write). Each commit rewrites
# the index pages the batch touched (due dates and klanten spread over the whole index), so fewer,
# larger transactions write less in all: 2,500 hold the lock about a second at 14 werkbonnen each.
BATCH = int(os.environ.get("CADANS_SWEEP_BATCH") or 2500)
INSERT_COLUMNS = ("number", "contract_id", "klant_id", "due_date", "generated_on", "status",
                  "medewerker_id", "planned_start", "duration_minutes", "description",
                  "werktype", "prioriteit", "internal_note", "changed_by_hand", "cancel_reason",
                  "created_at", "updated_at", "slot", "werkadres_id")
NUMBER, DUE, SLOT = 0, 3, 17  # where a row holds its number, its date and its slot
MAX_NOTES = 200
# Werkbonnen (plus the objecten they list) planned before they are written: a batch of contracts
# that each cover hundreds of objecten owes far more rows than memory should hold at once.
ROW_BUDGET = 50_000
COVERAGE_GROUP = 250  # contracts whose objecten are read in one query


@dataclass
class Counts:
    created: int = 0
    moved: int = 0
    cancelled: int = 0
    seen: int = 0
    notes: dict = field(default_factory=dict)
    failed: list = field(default_factory=list)  # (contract number, error) of skipped contracts

    def line(self) -> str:
        return f"created={self.created} moved={self.moved} cancelled={self.cancelled}"

    def note(self, contract_id: int, why: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes[str(contract_id)] = why


# --------------------------------------------------------------------------- reading


_SWEPT = (Contract.id, Contract.version, Contract.klant, Contract.start_date, Contract.end_date,
          Contract.terminated_on, Contract.rrule, Contract.holidays, Contract.weekends,
          Contract.extra_dates, Contract.skip_dates, Contract.days_in_advance,
          Contract.generate_from, Contract.generated_through, Contract.next_attention,
          Contract.medewerker, Contract.start_time, Contract.duration_minutes,
          Contract.wb_description, Contract.description, Contract.werktype, Contract.prioriteit,
          Contract.internal_note, Contract.visits_per_year, Contract.voorwaarden,
          Contract.number, Contract.werkbon_per, Contract.onderdelen)


def _due_contracts():
    """Contracts with only the columns a sweep reads (schedule(), the werkbon columns, the
    bookkeeping): building a model of every column was a tenth of a sweep's time. Read it with
    `_load_contracts`."""
    from models.stamdata.instellingen import Contractvoorwaarden

    terms = Contractvoorwaarden
    return with_terms(Contract.select(*_SWEPT, terms.id, terms.auto_renew))


def _converter(field):
    if isinstance(field, DateField):
        return lambda value: date.fromisoformat(value) if isinstance(value, str) else value
    return None


_CONVERTERS = [(field.name, _converter(field)) for field in _SWEPT]


def _load_contracts(query) -> list[Contract]:
    """The contracts of a `_due_contracts()` query, from the driver's plain tuples. Peewee's own
    row processing (a converter and a descriptor call per column, a model per joined row) cost
    six times the query; this fills the same fields the same way: what a FK column holds under
    its field name, dates as dates, and the voorwaarden that schedule() reads."""
    from models.stamdata.instellingen import Contractvoorwaarden

    contracts = []
    for row in db.execute(query):
        contract = Contract(__no_default__=True)
        data = contract.__data__
        for (name, convert), value in zip(_CONVERTERS, row, strict=False):
            data[name] = value if convert is None or value is None else convert(value)
        if data["voorwaarden"] is not None:
            terms = Contractvoorwaarden(__no_default__=True)
            terms.__data__.update(id=data["voorwaarden"], auto_renew=bool(row[-1]))
            terms._dirty.clear()
            contract.__rel__["voorwaarden"] = terms
        contract._dirty.clear()
        contracts.append(contract)
    return contracts


def next_attention(schedule, free_days, after: date) -> date | None:
    """The generation day of the first occurrence after `after` (None: nothing ever again)."""
    found, _more = occurrences(schedule, free_days, after + timedelta(days=1), 1)
    return found[0].generate_on if found else None


def lookup_names(contracts) -> dict:
    from models.stamdata.instellingen import Prioriteit, Werktype
    from models.stamdata.medewerkers import Medewerker

    werktypen = {w.id: w.name for w in Werktype.select(Werktype.id, Werktype.name)}
    prioriteiten = {p.id: p.name for p in Prioriteit.select(Prioriteit.id, Prioriteit.name)}
    inactive = {m.id for m in Medewerker.select(Medewerker.id).where(
        Medewerker.active == False)}  # noqa: E712
    return {"werktype": werktypen, "prioriteit": prioriteiten, "inactive": inactive}


def _fixed(contract: Contract, names: dict, now: datetime) -> tuple:
    """(status, medewerker id, " HH:MM" or None, the columns every row of the contract shares)."""
    stamp = str(now)
    status, medewerker_id, at = "open", contract.medewerker_id, None
    if medewerker_id in names["inactive"]:  # left the company: the werkbon waits to be planned
        medewerker_id = None
    if medewerker_id:
        hours, minutes = (int(x) for x in contract.start_time.split(":"))
        status, at = "ingepland", f" {time(hours, minutes)}"
    fixed = (contract.duration_minutes, contract.wb_description or contract.description,
             names["werktype"].get(contract.werktype_id, ""),
             names["prioriteit"].get(contract.prioriteit_id, ""), contract.internal_note,
             False, "", stamp, stamp)
    return status, medewerker_id, at, fixed


def _cadence_fixed(fixed: tuple, cadence, names: dict) -> tuple:
    """The shared columns of a cadence's werkbonnen: its duration, description, werktype and
    checklist (after the contract's internal note) where it has its own."""
    note = fixed[4]
    if cadence.checklist:
        note = (note + "\n\n" if note else "") + "Checklist:\n" + cadence.checklist
    return (cadence.duration_minutes or fixed[0], cadence.description or fixed[1],
            names["werktype"].get(cadence.werktype_id, "") if cadence.werktype_id else fixed[2],
            fixed[3], note, *fixed[5:])


def werkbon_rows(contract: Contract, wanted: list, today: date, names: dict,
                 now: datetime) -> tuple[list[list], list[tuple[int, ...]]]:
    """(INSERT_COLUMNS rows with the number still None, the objecten of each row) for a
    contract's wanted werkbonnen: models.werkbonnen.plan.Visit (date, slot, werkadres, objecten)
    or, for the whole contract, plain Occurrences.

    Dates and times go in as the ISO text the database driver would make of them (SQLite stores
    dates as that text): building them here, once per contract where they repeat, costs a
    fraction of adapting a date object per column per row."""
    status, medewerker_id, at, fixed = _fixed(contract, names, now)
    contract_id, klant_id, today_text = contract.id, contract.klant_id, today.isoformat()
    rows, objects = [], []
    per_cadence = {}
    for visit in wanted:
        day = visit.date.isoformat()
        part = getattr(visit, "part", WHOLE_PART)
        cadence = getattr(visit, "cadence", None)
        if cadence is None:
            columns, slot = fixed, part.slot
        else:
            if cadence.key not in per_cadence:
                per_cadence[cadence.key] = _cadence_fixed(fixed, cadence, names)
            columns, slot = per_cadence[cadence.key], visit.slot
        rows.append([None, contract_id, klant_id, day, today_text, status, medewerker_id,
                     at and day + at, *columns, slot, part.werkadres_id])
        objects.append(getattr(visit, "object_ids", ()))
    return rows, objects


def _due_rows(contract: Contract, due: list[Occurrence], days: list[str], layout,
              today_text: str, names: dict, now: datetime,
              skip: set) -> tuple[list[list], list[tuple[int, ...]]]:
    """The sweep's rows: every due date (`due`, and `days`: their dates as ISO text) in every
    slot of the contract (`layout`, plan.parts), except the (date, slot) pairs a protected
    werkbon stands in for (`skip`). What werkbon_rows makes of the same visits, without
    building a Visit per row."""
    status, medewerker_id, at, fixed = _fixed(contract, names, now)
    contract_id, klant_id = contract.id, contract.klant_id
    if len(layout) == 1 and not layout[0].objects and not skip:  # the whole contract
        tail = (*fixed, layout[0].slot, layout[0].werkadres_id)
        if at:
            rows = [[None, contract_id, klant_id, day, today_text, status, medewerker_id,
                     day + at, *tail] for day in days]
        else:
            rows = [[None, contract_id, klant_id, day, today_text, status, medewerker_id,
                     None, *tail] for day in days]
        return rows, [()] * len(rows)
    rows, objects = [], []
    constant = [part.object_ids_on(date.min) if part.constant else None for part in layout]
    for occurrence, day in zip(due, days, strict=True):
        planned = at and day + at
        for part, ids in zip(layout, constant, strict=True):
            if skip and (occurrence.date, part.slot) in skip:
                continue
            if ids is None:
                ids = part.object_ids_on(occurrence.date)
                if ids is None:
                    continue
            rows.append([None, contract_id, klant_id, day, today_text, status, medewerker_id,
                         planned, *fixed, part.slot, part.werkadres_id])
            objects.append(ids)
    return rows, objects


def coverage_of(contract_ids: list[int], werkbon_per: dict[int, str],
                override: dict | None = None) -> dict[int, Coverage]:
    """The Coverage (models.werkbonnen.plan) of each contract that covers anything, read in two
    queries; contracts that cover nothing are not in it. `override`: {object id: (status,
    since)} to plan as if an object had that status (the preview of a status change)."""
    from models.objecten.tables import PRODUCING

    if len(contract_ids) == 1:  # the object page, on every view: the SQL built once, the
        # rows as the database gives them (the loops below take SQLite's 0/1 and ISO text)
        place_rows = _PLACES.execute(contract_ids[0])
        object_rows = _COVERED_OBJECTS.execute(contract_ids[0])
    else:
        place_rows = _places(contract_ids)
        object_rows = _covered_objects(contract_ids)
    places: dict[int, list[int]] = {}
    closed: dict[int, set[int]] = {}  # a deactivated werkadres: no werkbonnen (plan.parts)
    for cid, wid, in_use in place_rows:
        places.setdefault(cid, []).append(wid)
        if not in_use:
            closed.setdefault(cid, set()).add(wid)
    objects: dict[int, list[CoveredObject]] = {}
    for cid, oid, wid, number, status, since, in_use in object_rows:
        if override and oid in override:
            status, since = override[oid]
        if isinstance(since, str):
            since = date.fromisoformat(since)
        stops = None if status == PRODUCING else (since or date.min)
        if not in_use:
            stops = date.min
        objects.setdefault(cid, []).append(CoveredObject(oid, wid, number, stops))
    return {cid: Coverage(werkbon_per.get(cid) or "datum", tuple(places.get(cid, ())),
                          tuple(objects.get(cid, ())), frozenset(closed.get(cid, ())))
            for cid in places.keys() | objects.keys()}


def _places(contract_ids, one=None):
    from models.contracts.tables import ContractWerkadres
    from models.objecten.tables import Werkadres

    return (ContractWerkadres.select(ContractWerkadres.contract, ContractWerkadres.werkadres,
                                     Werkadres.active)
            .join(Werkadres, on=(ContractWerkadres.werkadres == Werkadres.id))
            .where(among(ContractWerkadres.contract, contract_ids) if one is None
                   else ContractWerkadres.contract == one)
            .order_by(ContractWerkadres.contract, ContractWerkadres.werkadres).tuples())


def _covered_objects(contract_ids, one=None):
    from models.contracts.tables import ContractObject
    from models.objecten.tables import Object, Werkadres

    return (ContractObject.select(ContractObject.contract, Object.id, Object.werkadres,
                                  Object.number, Object.status, Object.status_since,
                                  Werkadres.active)
            .join(Object).join(Werkadres, on=(Object.werkadres == Werkadres.id))
            .where(among(ContractObject.contract, contract_ids) if one is None
                   else ContractObject.contract == one)
            .order_by(ContractObject.contract, Object.werkadres, Object.number, Object.id)
            .tuples())


_ONE_CONTRACT = -7_919_000_000_000_037
# (one contract as a parameter: among() writes ids into the SQL on SQLite, Compiled needs them
# as parameters)
_PLACES = Compiled(lambda marker: _places(None, one=marker), (_ONE_CONTRACT,))
_COVERED_OBJECTS = Compiled(lambda marker: _covered_objects(None, one=marker), (_ONE_CONTRACT,))


# --------------------------------------------------------------------------- writing


def _insert_sql(values: str, returning: str = "") -> str:
    return (f"INSERT INTO werkbon ({', '.join(INSERT_COLUMNS)}) VALUES {values} "
            f"ON CONFLICT (contract_id, due_date, slot) WHERE {GENERATED_KEY_WHERE} DO NOTHING"
            f"{returning}")


def insert_werkbonnen(rows: list[list], year: int,
                      objects: list[tuple[int, ...]] | None = None) -> int:
    """Insert-or-ignore; returns how many rows were really inserted. `objects`: the objecten of
    each row, linked (WerkbonObject) to the rows this insert made; a row that existed already
    keeps the links it was made with."""
    if not rows:
        return 0
    first = reserve_numbers(year, len(rows))
    prefix = werkbon_number(year, 0)[:-6]  # "W-2026-": the number's format in one place
    for offset, row in enumerate(rows, first):
        row[NUMBER] = f"{prefix}{offset:06d}"
    linked = objects is not None and any(objects)
    connection = db.connection()
    if is_sqlite():
        last_id = _last_id() if linked else None
        inserted = _insert_sqlite(connection, rows)
        if linked and inserted:
            # under the write lock every row past the id we saw is one of ours
            made = dict(connection.execute("SELECT number, id FROM werkbon WHERE id > ?",
                                           (last_id,)).fetchall())
            _link(made, rows, objects)
        return inserted
    if len(rows) >= COPY_FROM:
        made = _insert_copied(connection, rows)
    else:
        from psycopg2.extras import execute_values

        # many rows per statement, and the ids of the rows it made (not those it ignored) back
        made = dict(execute_values(connection.cursor(),
                                   _insert_sql("%s", " RETURNING number, id"), rows,
                                   page_size=PAGE, fetch=True))
    if linked:
        _link(made, rows, objects)
    return len(made)


SQLITE_ROWS = 500  # rows per INSERT on SQLite (10,500 parameters of the 32,766 allowed)


def _insert_sqlite(connection, rows: list[list]) -> int:
    """Many rows per INSERT statement. The search index's triggers (models/db/fulltext.py)
    write into FTS5 tables, and FTS5 writes what it holds in memory to disk at every statement
    of a transaction (its savepoint): one row per statement, as executemany runs them, made a
    new index segment per werkbon and made the insert four times slower; 500 rows per
    statement cost about what the triggers' words cost. Returns the rows inserted
    (sqlite3_changes per statement: total_changes would count the triggers' rows too)."""
    one = f"({', '.join('?' * len(INSERT_COLUMNS))})"
    inserted = 0
    for start in range(0, len(rows), SQLITE_ROWS):
        chunk = rows[start:start + SQLITE_ROWS]
        inserted += connection.execute(_insert_sql(", ".join([one] * len(chunk))),
                                       [value for row in chunk for value in row]).rowcount
    return inserted


PAGE = 1000  # rows per statement on PostgreSQL (psycopg2's execute_values)
# From this many rows on, PostgreSQL gets them by COPY: into a temporary table of this session,
# then one INSERT ... SELECT with the same insert-or-ignore. Parsing thousands of VALUES
# statements cost the server twice what COPY and one statement cost.
COPY_FROM = 500
STAGE = "werkbon_stage"


def _copy_text(rows) -> io.StringIO:
    """`rows` in COPY's text format."""
    def field(value) -> str:
        if value is None:
            return "\\N"
        if value is True or value is False:
            return "t" if value else "f"
        text = str(value)
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            text = (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                    .replace("\r", "\\r"))
        return text
    return io.StringIO("".join(["\t".join([field(v) for v in row]) + "\n" for row in rows]))


def _insert_copied(connection, rows: list[list]) -> dict[str, int]:
    """{number: id} of the rows that were inserted (the others hit the key: ignored)."""
    columns = ", ".join(INSERT_COLUMNS)
    cursor = connection.cursor()
    # once per session; emptied at every commit (and gone with a rolled back transaction,
    # then made again)
    cursor.execute(f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGE} ON COMMIT DELETE ROWS AS "
                   f"SELECT {columns} FROM werkbon WITH NO DATA")
    cursor.copy_expert(f"COPY {STAGE} ({columns}) FROM STDIN", _copy_text(rows))
    cursor.execute(f"INSERT INTO werkbon ({columns}) SELECT {columns} FROM {STAGE} "
                   f"ORDER BY number ON CONFLICT (contract_id, due_date, slot) "
                   f"WHERE {GENERATED_KEY_WHERE} DO NOTHING RETURNING number, id")
    made = dict(cursor.fetchall())
    cursor.execute(f"TRUNCATE {STAGE}")
    return made


def _last_id() -> int:
    return db.connection().execute("SELECT coalesce(max(id), 0) FROM werkbon").fetchone()[0]


def _link(made: dict[str, int], rows: list[list], objects: list[tuple[int, ...]]) -> None:
    """WerkbonObject rows for the werkbonnen in `made` ({number: id}: those this insert made)."""
    # with the werkbon's date (WerkbonObject.due_date: the object's history reads it)
    links = [(made[row[NUMBER]], object_id, row[DUE])
             for row, ids in zip(rows, objects, strict=True)
             if ids and row[NUMBER] in made for object_id in ids]
    if not links:
        return
    sql = ("INSERT INTO werkbon_object (werkbon_id, object_id, due_date) VALUES {} "
           "ON CONFLICT DO NOTHING")
    if is_sqlite():
        db.connection().executemany(sql.format("(?, ?, ?)"), links)
    elif len(links) >= COPY_FROM:  # new werkbonnen: no link of theirs can exist yet
        db.connection().cursor().copy_expert(
            "COPY werkbon_object (werkbon_id, object_id, due_date) FROM STDIN", _copy_text(links))
    else:
        from psycopg2.extras import execute_values

        execute_values(db.connection().cursor(), sql.format("%s"), links, page_size=PAGE)


def _executemany(sql: str, rows: list) -> None:
    """Raw executemany inside the caller's transaction; `{p}` is the driver's placeholder."""
    if rows:
        db.connection().cursor().executemany(sql.format(p=db.obj.param), rows)


def _bookkeeping(updates: list[tuple]) -> None:
    if is_sqlite() or not updates:
        _executemany("UPDATE contract SET generated_through = {p}, next_attention = {p} "
                     "WHERE id = {p}", updates)
        return
    from psycopg2.extras import execute_values

    # psycopg2's executemany is a round trip per row (half of a PostgreSQL sweep's time): one
    # UPDATE ... FROM (VALUES ...) per page instead
    execute_values(db.connection().cursor(),
                   "UPDATE contract SET generated_through = v.through::date, "
                   "next_attention = v.attention::date FROM (VALUES %s) AS v(through, "
                   "attention, id) WHERE contract.id = v.id", updates, page_size=PAGE)


def _audit(rows: list[tuple]) -> None:
    """One audit row per contract per run, written raw: the query builder costs more than the
    insert at this volume (and psycopg2's executemany a round trip per row)."""
    sql = "INSERT INTO audit_log (entity, entity_id, action, actor, at, changes) VALUES "
    if is_sqlite():
        _executemany(sql + "({p}, {p}, {p}, {p}, {p}, {p})", rows)
    elif rows:
        from psycopg2.extras import execute_values

        execute_values(db.connection().cursor(), sql + "%s", rows, page_size=PAGE)


def sweep(today: date, free_days, trigger: str = "sweep", actor: str = "worker",
          contract_ids: list[int] | None = None) -> Counts:
    """Generate what is due by `today` (catching up whatever was missed), batch by batch."""
    counts = Counts()
    with write_transaction():
        run = GenerationRun.create(today=today, trigger=trigger)
    try:
        with one_checkpoint(), sweep_cache():
            _sweep_batches(today, free_days, counts, actor, run.id, contract_ids)
        _finish(run, counts, error=_failures(counts.failed))
    except Exception as exc:
        _finish(run, counts, error=repr(exc))
        raise
    return counts


def due_query(today: date, last: tuple | None = None):
    """The contracts a sweep reads next: due by `today`, after `last` (next_attention, id).
    It walks the next_attention index, so only due contracts are read however many exist
    (keyset, never OFFSET)."""
    query = _due_contracts().where(Contract.next_attention <= today)
    if last is not None:
        query = query.where(Tuple(Contract.next_attention, Contract.id) > Tuple(*last))
    return query.order_by(Contract.next_attention, Contract.id).limit(BATCH)


def _sweep_batches(today, free_days, counts: Counts, actor: str, run_id: int,
                   contract_ids: list[int] | None) -> None:
    last = None
    while True:
        if contract_ids is None:
            query = due_query(today, last)
        else:
            query = _due_contracts().where(among(Contract.id, contract_ids))
            if last is not None:
                query = query.where(Contract.id > last[1])
            query = query.order_by(Contract.id).limit(BATCH)
        if is_sqlite():
            batch = _load_contracts(query)
            if not batch:
                break
            last = (batch[-1].next_attention, batch[-1].id)
            _sweep_batch(batch, today, free_days, counts, actor, run_id)
            continue
        with write_transaction():
            # PostgreSQL: the batch is this sweep's claim until it commits. Another sweep
            # (another worker, another host) skips these rows and claims the next due ones, so
            # any number of them share one sweep, each contract planned once.
            batch = _load_contracts(query.for_update(of=Contract, skip_locked=True))
            if not batch:
                break
            last = (batch[-1].next_attention, batch[-1].id)
            _sweep_batch(batch, today, free_days, counts, actor, run_id)


def _failures(failed: list) -> str:
    """The run's error when contracts had to be skipped (the others were done)."""
    if not failed:
        return ""
    named = "; ".join(f"{number}: {error}" for number, error in failed[:5])
    more = f" (en nog {len(failed) - 5})" if len(failed) > 5 else ""
    skipped = "1 contract" if len(failed) == 1 else f"{len(failed)} contracten"
    return f"{skipped} overgeslagen door een fout: {named}{more}"


def _finish(run: GenerationRun, counts: Counts, error: str = "") -> None:
    with write_transaction():
        GenerationRun.update(finished_at=utcnow(), contracts_seen=counts.seen,
                             created=counts.created, moved=counts.moved,
                             cancelled=counts.cancelled, notes=json.dumps(counts.notes),
                             error=error).where(GenerationRun.id == run.id).execute()


def stand_ins(contract_ids: list[int]) -> dict[int, set[tuple[date, str]]]:
    """{contract: (date, slot) pairs} a protected werkbon stands in for (models/werkbonnen/
    plan.py): those get no werkbon of their own. Few rows, read through their own partial
    index."""
    found: dict[int, set[tuple[date, str]]] = {}
    if len(contract_ids) == 1:  # the object page, on every view: its SQL built once, its
        # rows read as the database gives them (Peewee's reader cost more than the query)
        rows = [(cid, date.fromisoformat(day[:10]) if isinstance(day, str) else day, slot)
                for cid, day, slot in _STAND_INS.execute(contract_ids[0])]
    else:
        rows = (Werkbon.select(Werkbon.contract, Werkbon.stands_for, Werkbon.slot)
                .where(Werkbon.stands_for.is_null(False), among(Werkbon.contract, contract_ids))
                .tuples())
    for cid, day, slot in rows:
        found.setdefault(cid, set()).add((day, slot))
    return found


_STAND_INS = Compiled(lambda contract_id: Werkbon.select(
    Werkbon.contract, Werkbon.stands_for, Werkbon.slot)
    .where(Werkbon.stands_for.is_null(False), Werkbon.contract == contract_id).tuples(),
    (-7_919_000_000_000_031,))


def _skip(counts: Counts, contract: Contract, exc: Exception) -> None:
    """One contract whose schedule cannot be read or expanded (a row changed outside Cadans,
    a rule an older version let through) must not stop the sweep for every other contract. It
    keeps its bookkeeping, so each sweep tries it again, and the run says which one failed."""
    counts.failed.append((contract.number, repr(exc)))
    counts.note(contract.id, f"overgeslagen door een fout: {exc!r}")


@dataclass
class _Pending:
    """What the sweep planned and has not written yet, for the contracts in `contracts`."""

    contracts: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    objects: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    created: dict = field(default_factory=dict)  # contract id -> (its dates, how many werkbonnen)
    size: int = 0


def _sweep_batch(batch, today, free_days, counts: Counts, actor: str, run_id: int) -> None:
    names = lookup_names(batch)
    covered = stand_ins([c.id for c in batch])
    now = utcnow()
    today_text = today.isoformat()
    shared = {}  # contracts with the same rule and period share one expansion (this batch only)
    pending = _Pending()
    for offset in range(0, len(batch), COVERAGE_GROUP):
        group = batch[offset:offset + COVERAGE_GROUP]
        layouts = {cid: parts(coverage) for cid, coverage in coverage_of(
            [c.id for c in group], {c.id: c.werkbon_per for c in group}).items()}
        for contract in group:
            _plan_contract(contract, layouts.get(contract.id, [WHOLE_PART]), today, today_text,
                           free_days, names, now, covered.get(contract.id), shared, counts,
                           pending)
            if pending.size >= ROW_BUDGET:
                _write(pending, today, counts, actor, run_id, now)
                pending = _Pending()
    _write(pending, today, counts, actor, run_id, now)


def _plan_contract(contract, layout, today, today_text, free_days, names, now, skip, shared,
                   counts: Counts, pending: _Pending) -> None:
    """Plan one contract of a sweep into `pending`: its due werkbonnen and its bookkeeping."""
    counts.seen += 1
    pending.contracts.append(contract)
    if not contract.rrule:  # schedule() is None: a correctief contract
        counts.note(contract.id, "geen schema (werkbonnen ontstaan bij een melding)")
        pending.updates.append((contract.generated_through, None, contract.id))
        return
    low = first_day(contract.generate_from, contract.start_date)
    if contract.generated_through is not None:
        low = max(low, contract.generated_through + timedelta(days=1))
    high = horizon(today, contract.days_in_advance)
    through = max(high, contract.generated_through or high)
    if contract.onderdelen:
        try:
            contract.schedule()  # a schedule that cannot be read: skipped like below
            _plan_cadences(contract, layout, low, high, through, today, free_days, names, now,
                           skip or set(), shared, counts, pending)
        except Exception as exc:  # noqa: BLE001 - see _skip
            _skip(counts, contract, exc)
        return
    found = _expanded(contract, free_days, low, high, through, shared)
    if found is None:
        _skip(counts, contract, shared.pop(_FAILED))
        return
    due, following, days = found
    rows, objects = _due_rows(contract, due, days, layout, today_text, names, now,
                              skip or set())
    pending.rows += rows
    pending.objects += objects
    pending.size += len(rows) + sum(map(len, objects))
    if rows:
        if len(rows) == len(days) and len(layout) == 1:  # every due date, one slot: `days`
            made = days
        else:
            made = list(dict.fromkeys(row[3] for row in rows))
        pending.created[contract.id] = (made, len(rows))
    pending.updates.append((through, following and following.generate_on, contract.id))
    if not rows:
        counts.note(contract.id, "niets te doen: de volgende datum is nog niet aan de beurt"
                    if pending.updates[-1][1] else "het schema heeft geen datums meer")


_FAILED = object()  # where _expanded leaves the exception of a schedule it could not expand
# the columns Contract.schedule() reads besides last_day (its end_date, voorwaarden and
# terminated_on), read from the loaded values without a descriptor call each
_SCHEDULE_COLUMNS = itemgetter("rrule", "start_date", "visits_per_year", "extra_dates",
                               "skip_dates", "holidays", "weekends", "days_in_advance")


def _expanded(contract, free_days, low: date, high: date, through: date, shared: dict):
    """(the occurrences due from low to high, the one after `through`, their dates as ISO
    text) of a contract's schedule, or None when it cannot be read or expanded (the error is
    then in shared[_FAILED]). Contracts of a batch with the same schedule columns and the same
    period share one expansion: most contracts of a company follow a handful of rules and start
    on a handful of dates, and expanding each again was a third of a sweep's own work.

    The key is every column `Contract.schedule()` reads (`last_day` stands for end_date, the
    voorwaarden and terminated_on) plus the period; the same key gives the same Schedule, so
    the same occurrences. The lists are shared between those contracts: read, never changed."""
    try:
        key = ("contract", *_SCHEDULE_COLUMNS(contract.__data__), contract.last_day, low, high,
               through)
        found = shared.get(key)
        if found is not None:
            return found
        schedule = contract.schedule()
        # one expansion for both: the dates due now and the one after them
        due, following = occurrences_and_next(schedule, free_days, low, high,
                                              through + timedelta(days=1), shared)
    except Exception as exc:  # noqa: BLE001 - see _skip
        shared[_FAILED] = exc
        return None
    found = shared[key] = (due, following, [o.date.isoformat() for o in due])
    return found


def _write(pending: _Pending, today: date, counts: Counts, actor: str, run_id: int,
           now: datetime) -> None:
    """Write what the sweep planned for `pending.contracts`, in one write transaction."""
    if not pending.contracts:
        return
    rows, objects, updates, created = (pending.rows, pending.objects, pending.updates,
                                       pending.created)
    with write_transaction():
        # Planned outside the lock; skip contracts that changed since they were read (another
        # sweep got there first, or a planner edited or ended it: they set its bookkeeping).
        current = locked(Contract.select(Contract.id, Contract.version, Contract.generated_through)
                         .where(among(Contract.id, [c.id for c in pending.contracts])))
        state = {cid: (version, through if through is None or not isinstance(through, str)
                       else date.fromisoformat(through))  # the driver's row: SQLite's text
                 for cid, version, through in db.execute(current)}
        stale = {c.id for c in pending.contracts
                 if state.get(c.id) != (c.version, c.generated_through)}
        if stale:
            kept = [n for n, row in enumerate(rows) if row[1] not in stale]
            rows, objects = [rows[n] for n in kept], [objects[n] for n in kept]
            updates = [u for u in updates if u[-1] not in stale]
            created = {k: v for k, v in created.items() if k not in stale}
        counts.created += insert_werkbonnen(rows, today.year, objects)
        events.created(rows)  # webhooks: only when one wants werkbon.aangemaakt
        _bookkeeping(updates)
        _audit(_audit_rows(created, actor, now, run_id))


def _audit_rows(created: dict, actor: str, now: datetime, run_id: int) -> list[tuple]:
    """The audit rows of the contracts that got werkbonnen. Contracts that share an expansion
    share its list of dates (_expanded), so each such list is written out as JSON once."""
    texts: dict[tuple[int, int], str] = {}
    found = []
    for cid, (dates, made) in created.items():
        key = (id(dates), made)  # the lists live in `created` meanwhile: ids stay unique
        text = texts.get(key)
        if text is None:
            text = texts[key] = json.dumps(
                {"dates": dates, "run": run_id} if made == len(dates) else
                {"dates": dates, "werkbonnen": made, "run": run_id})
        found.append(("contract", cid, "werkbonnen aangemaakt", actor, now, text))
    return found


def refresh_bookkeeping(contract: Contract, today: date, free_days) -> None:
    schedule = contract.schedule()
    if schedule is None:
        Contract.update(next_attention=None).where(Contract.id == contract.id).execute()
        return
    through = horizon(today, contract.days_in_advance)
    cadences = contract.cadences()
    if cadences:
        attention = cadence_attention(contract, cadences, free_days, through, today,
                                      chains_of(contract, cadences))
    else:
        attention = next_attention(schedule, free_days, through)
    Contract.update(generated_through=through, next_attention=attention).where(
        Contract.id == contract.id).execute()


# --------------------------------------------------------------------------- cadences


def chains_of(contract: Contract, cadences: list) -> dict:
    """{slot: [Link]}: every werkbon of the contract's floating cadences, whatever its date (a
    floating cadence counts on from the last one). Few rows: one per visit made."""

    keys = {c.key for c in cadences if c.floating}
    if not keys or not contract.id:
        return {}
    query = (Werkbon.select(Werkbon.slot, Werkbon.due_date, Werkbon.status,
                            Werkbon.completed_on, Werkbon.changed_by_hand)
             .where(Werkbon.contract == contract.id, Werkbon.reported_at.is_null(),
                    Werkbon.slot.contains("#")))
    found: dict = {}
    for slot, due, status, completed, by_hand in query.tuples():
        if slot.rpartition("#")[2] in keys:
            found.setdefault(slot, []).append(Link(due, status, completed, bool(by_hand)))
    return found



def cadence_attention(contract: Contract, cadences: list, free_days, through: date, today: date,
                      chains: dict) -> date | None:
    """When the sweep must look at a contract with cadences again: the first generation day
    after `through` of its fixed cadences (a date that is then superseded only makes it look
    once for nothing), and the generation day of a floating cadence's next visit not made yet.
    A floating cadence waiting for a completion needs no look: completing it re-plans."""
    found = [next_attention(c.schedule, free_days, through) for c in cadences if not c.floating]
    found += _floating_attention(contract, cadences, free_days, today, chains)
    found = [d for d in found if d is not None]
    return min(found) if found else None


def _floating_attention(contract: Contract, cadences: list, free_days, today: date,
                        chains: dict) -> list[date]:
    """The generation days of the floating cadences' next visits not made yet."""
    found = []
    first = first_day(contract.generate_from, contract.start_date)
    for cadence in (c for c in cadences if c.floating):
        slots = [s for s in chains if s.rpartition("#")[2] == cadence.key] or [None]
        for slot in slots:
            _wanted, following = floating_wanted(cadence, chains.get(slot, []), first,
                                                 free_days)
            if following is not None:
                found.append(max(following.generate_on, today + timedelta(days=1)))
    return found


def _plan_cadences(contract, layout, low, high, through, today, free_days, names, now, skip,
                   shared: dict, counts: Counts, pending: _Pending) -> None:
    """_plan_contract for a contract with cadences (onderdelen): the fixed cadences' dates from
    low to high after supersession, and each floating cadence's next visit once it is due.
    Contracts of a batch with the same onderdelen, period and policies share their cadences,
    the supersession and the next look (`shared`, as the single-cadence expansion does)."""
    first = first_day(contract.generate_from, contract.start_date)
    key = ("cadences", contract.onderdelen, contract.start_date, contract.last_day,
           contract.holidays, contract.weekends, contract.skip_dates, contract.days_in_advance,
           contract.duration_minutes, low, high, through)
    found = shared.get(key)
    if found is None:
        cadences = contract.cadences()
        kept, _lost = merged(cadences, free_days, low, high)
        fixed = [c for c in cadences if not c.floating]
        attention = [next_attention(c.schedule, free_days, through) for c in fixed]
        found = shared[key] = (cadences, kept, [d for d in attention if d is not None])
    cadences, kept, fixed_attention = found
    chains = chains_of(contract, cadences)
    wanted = []
    for cadence, occurrence in kept:
        if occurrence.generate_on > today:
            continue
        for part in layout:
            ids = part.object_ids_on(occurrence.date)
            if ids is not None:
                wanted.append(CadenceVisit(occurrence, part, ids, cadence))
    if chains or any(c.floating for c in cadences):
        made = {(slot, link.due_date) for slot, links in chains.items() for link in links}
        wanted += [v for v in floating_visits(cadences, free_days, low, layout, chains, first)
                   if v.generate_on <= today and (v.slot, v.date) not in made]
        wanted.sort(key=lambda v: (v.date, -v.cadence.rank))
    if skip:
        wanted = [v for v in wanted if (v.date, v.slot) not in skip]
    rows, objects = werkbon_rows(contract, wanted, today, names, now)
    pending.rows += rows
    pending.objects += objects
    pending.size += len(rows) + sum(map(len, objects))
    if rows:
        pending.created[contract.id] = (list(dict.fromkeys(row[3] for row in rows)), len(rows))
    attention = min(fixed_attention + _floating_attention(contract, cadences, free_days, today,
                                                          chains), default=None)
    pending.updates.append((through, attention, contract.id))
    if not rows:
        counts.note(contract.id, "niets te doen: de volgende datum is nog niet aan de beurt"
                    if attention else "het schema heeft geen datums meer")
