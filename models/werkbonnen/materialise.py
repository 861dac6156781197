"""The one writer of generated werkbonnen. `sweep` generates what is due for every contract
whose turn it is (the worker's periodic job, the job after a save, the CLI), batch by batch in
short write transactions; `insert_werkbonnen`, `werkbon_rows` and `refresh_bookkeeping` are
the writing it shares with the edits (models.werkbonnen.replan). The unique key on (contract,
due_date) plus insert-or-ignore make every run harmless to repeat, on any number of workers at
once; the contracts' `next_attention` column makes a sweep read only the contracts that are due.
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from peewee import DateField, Tuple

from models.contracts.tables import Contract, with_terms
from models.db import db, is_sqlite, locked, write_transaction
from models.db.base import utcnow
from models.schedule.definition import Occurrence
from models.schedule.expand import occurrences, occurrences_and_next
from models.werkbonnen import events
from models.werkbonnen.numbers import reserve_numbers, werkbon_number
from models.werkbonnen.plan import first_day, horizon
from models.werkbonnen.tables import GENERATED_KEY_WHERE, GenerationRun, Werkbon

# Contracts planned per write transaction (the lock is held only to write). Each commit rewrites
# the index pages the batch touched (due dates and klanten spread over the whole index), so fewer,
# larger transactions write less in all: 2,500 hold the lock about a second at 14 werkbonnen each.
BATCH = 2500
INSERT_COLUMNS = ("number", "contract_id", "klant_id", "due_date", "generated_on", "status",
                  "medewerker_id", "planned_start", "duration_minutes", "description",
                  "werktype", "prioriteit", "internal_note", "changed_by_hand", "cancel_reason",
                  "created_at", "updated_at")
MAX_NOTES = 200


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
          Contract.number)


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


def werkbon_rows(contract: Contract, due: list[Occurrence], today: date, names: dict,
          now: datetime) -> list[list]:
    """INSERT_COLUMNS rows (number still None) for a contract's due occurrences.

    Dates and times go in as the ISO text the database driver would make of them (SQLite stores
    dates as that text): building them here, once per contract where they repeat, costs a
    fraction of adapting a date object per column per row."""
    stamp, today_text = str(now), today.isoformat()
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
    contract_id, klant_id = contract.id, contract.klant_id
    rows = []
    for occurrence in due:
        day = occurrence.date.isoformat()
        rows.append([None, contract_id, klant_id, day, today_text, status, medewerker_id,
                     at and day + at, *fixed])
    return rows


# --------------------------------------------------------------------------- writing


def insert_werkbonnen(rows: list[list], year: int) -> int:
    """Insert-or-ignore; returns how many rows were really inserted."""
    if not rows:
        return 0
    first = reserve_numbers(year, len(rows))
    for offset, row in enumerate(rows):
        row[0] = werkbon_number(year, first + offset)
    param = db.obj.param
    sql = (f"INSERT INTO werkbon ({', '.join(INSERT_COLUMNS)}) VALUES "
           f"({', '.join([param] * len(INSERT_COLUMNS))}) "
           f"ON CONFLICT (contract_id, due_date, slot) WHERE {GENERATED_KEY_WHERE} DO NOTHING")
    connection = db.connection()
    if is_sqlite():
        before = connection.total_changes
        connection.executemany(sql, rows)
        return connection.total_changes - before
    cursor = connection.cursor()
    cursor.executemany(sql, rows)
    return cursor.rowcount


def _executemany(sql: str, rows: list) -> None:
    """Raw executemany inside the caller's transaction; `{p}` is the driver's placeholder."""
    if rows:
        db.connection().cursor().executemany(sql.format(p=db.obj.param), rows)


def _bookkeeping(updates: list[tuple]) -> None:
    _executemany("UPDATE contract SET generated_through = {p}, next_attention = {p} "
                 "WHERE id = {p}", updates)


def sweep(today: date, free_days, trigger: str = "sweep", actor: str = "worker",
          contract_ids: list[int] | None = None) -> Counts:
    """Generate what is due by `today` (catching up whatever was missed), batch by batch."""
    counts = Counts()
    with write_transaction():
        run = GenerationRun.create(today=today, trigger=trigger)
    try:
        with _one_checkpoint():
            _sweep_batches(today, free_days, counts, actor, run.id, contract_ids)
        _finish(run, counts, error=_failures(counts.failed))
    except Exception as exc:
        _finish(run, counts, error=repr(exc))
        raise
    return counts


@contextmanager
def _one_checkpoint():
    """SQLite: copy the write-ahead log back into the database once, after the whole sweep.
    Left to itself every batch's commit does it (the log is past 1,000 pages by then), and the
    batches touch the same index pages, so each of those copies rewrote most of the index. The
    final checkpoint is PASSIVE: it never waits for readers, what it cannot copy yet the next
    commit anywhere copies. Other connections keep checkpointing as usual."""
    if not is_sqlite():
        yield
        return
    previous = db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0]
    db.execute_sql("PRAGMA wal_autocheckpoint = 0")
    try:
        yield
    finally:
        db.execute_sql(f"PRAGMA wal_autocheckpoint = {int(previous)}")
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")


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
            query = _due_contracts().where(Contract.id.in_(contract_ids))
            if last is not None:
                query = query.where(Contract.id > last[1])
            query = query.order_by(Contract.id).limit(BATCH)
        batch = _load_contracts(query)
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


def _stand_ins(contract_ids: list[int]) -> set[tuple[int, date]]:
    """(contract, date) pairs a protected werkbon stands in for (models/werkbonnen/plan.py): those
    dates get no werkbon of their own. Few rows, read through their own partial index."""
    query = (Werkbon.select(Werkbon.contract, Werkbon.stands_for)
             .where(Werkbon.stands_for.is_null(False), Werkbon.contract.in_(contract_ids)))
    return set(query.tuples())


def _skip(counts: Counts, contract: Contract, exc: Exception) -> None:
    """One contract whose schedule cannot be read or expanded (a row changed outside Cadans,
    a rule an older version let through) must not stop the sweep for every other contract. It
    keeps its bookkeeping, so each sweep tries it again, and the run says which one failed."""
    counts.failed.append((contract.number, repr(exc)))
    counts.note(contract.id, f"overgeslagen door een fout: {exc!r}")


def _sweep_batch(batch, today, free_days, counts: Counts, actor: str, run_id: int) -> None:
    names = lookup_names(batch)
    covered = _stand_ins([c.id for c in batch])
    now = utcnow()
    shared = {}  # contracts with the same rule and period share one expansion (this batch only)
    rows, updates, created_dates = [], [], {}
    for contract in batch:
        counts.seen += 1
        try:
            schedule = contract.schedule()
        except Exception as exc:  # noqa: BLE001 - see below
            _skip(counts, contract, exc)
            continue
        if schedule is None:
            counts.note(contract.id, "geen schema (werkbonnen ontstaan bij een melding)")
            updates.append((contract.generated_through, None, contract.id))
            continue
        low = first_day(contract.generate_from, contract.start_date)
        if contract.generated_through is not None:
            low = max(low, contract.generated_through + timedelta(days=1))
        high = horizon(today, contract.days_in_advance)
        through = max(high, contract.generated_through or high)
        try:
            # one expansion for both: the dates due now and the one after them
            due, following = occurrences_and_next(schedule, free_days, low, high,
                                                  through + timedelta(days=1), shared)
        except Exception as exc:  # noqa: BLE001 - see _skip
            _skip(counts, contract, exc)
            continue
        if covered:
            due = [o for o in due if (contract.id, o.date) not in covered]
        contract_rows = werkbon_rows(contract, due, today, names, now)
        rows += contract_rows
        created_dates[contract.id] = [row[3] for row in contract_rows]
        updates.append((through, following and following.generate_on, contract.id))
        if not due:
            counts.note(contract.id, "niets te doen: de volgende datum is nog niet aan de beurt"
                        if updates[-1][1] else "het schema heeft geen datums meer")
    with write_transaction():
        # Planned outside the lock; skip contracts that changed since they were read (another
        # sweep got there first, or a planner edited or ended it: they set its bookkeeping).
        current = locked(Contract.select(Contract.id, Contract.version, Contract.generated_through)
                         .where(Contract.id.in_([c.id for c in batch])))
        state = {cid: (version, through) for cid, version, through in current.tuples()}
        stale = {c.id for c in batch if state.get(c.id) != (c.version, c.generated_through)}
        if stale:
            rows = [r for r in rows if r[1] not in stale]
            updates = [u for u in updates if u[-1] not in stale]
            created_dates = {k: v for k, v in created_dates.items() if k not in stale}
        counts.created += insert_werkbonnen(rows, today.year)
        events.created(rows)  # webhooks: only when one wants werkbon.aangemaakt
        _bookkeeping(updates)
        # one audit row per contract per run, written raw: the query builder costs more than the
        # insert at this volume
        audit_rows = [("contract", cid, "werkbonnen aangemaakt", actor, now,
                       json.dumps({"dates": dates, "run": run_id}))
                      for cid, dates in created_dates.items() if dates]
        _executemany("INSERT INTO audit_log (entity, entity_id, action, actor, at, changes) "
                     "VALUES ({p}, {p}, {p}, {p}, {p}, {p})", audit_rows)


def refresh_bookkeeping(contract: Contract, today: date, free_days) -> None:
    schedule = contract.schedule()
    if schedule is None:
        Contract.update(next_attention=None).where(Contract.id == contract.id).execute()
        return
    through = horizon(today, contract.days_in_advance)
    Contract.update(generated_through=through,
                    next_attention=next_attention(schedule, free_days, through)).where(
        Contract.id == contract.id).execute()
