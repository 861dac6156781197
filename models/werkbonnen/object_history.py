"""What the object page reads of the werkbonnen: its service history (every werkbon that
touched the object, newest first, in keyset pages that stay fast with years of visits), the
werkbonnen still open, and its next visits with the day each werkbon will be made.

`next_visits` is where "what will happen to this object" is decided for the page: the
upcoming dates of the running contracts that cover it (as the contract page's timeline shows
them), planned by the same per-slot planner as the worker and the edits
(models.werkbonnen.plan.visits with materialise.coverage_of), so the object's status stops them
exactly where it stops its werkbonnen.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from peewee import JOIN, SQL, fn

from models.contracts.tables import Contract
from models.db import Compiled, paging
from models.objecten.tables import Object
from models.schedule.definition import Occurrence
from models.schedule.expand import occurrences
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import coming, materialise, plan
from models.werkbonnen.tables import OPEN_LINK_WHERE, Werkbon, WerkbonObject

HISTORY_PAGE = 25
OPEN_SHOWN = 50


NEWEST_FIRST = (Werkbon.due_date.desc(), Werkbon.id.desc())
HISTORY_COLUMNS = (Werkbon.id, Werkbon.number, Werkbon.due_date, Werkbon.status,
                   Werkbon.cancel_reason, Werkbon.description, Werkbon.contract,
                   Contract.number, Werkbon.medewerker, Medewerker.name)


class Row:
    """A werkbon as the object page lists it (read as a plain tuple: a model per row for
    werkbon, contract and medewerker was most of the page's time)."""

    __slots__ = ("id", "number", "due_date", "status", "cancel_reason", "description",
                 "contract_id", "contract_number", "medewerker_id", "medewerker_name", "raw")

    def __init__(self, row: tuple):
        self.raw = row  # what it shows, as read (views/objecten history_rows keys on it)
        (self.id, self.number, due, self.status, self.cancel_reason, self.description,
         self.contract_id, self.contract_number, self.medewerker_id,
         self.medewerker_name) = row
        self.due_date = date.fromisoformat(due[:10]) if isinstance(due, str) else due


# The history's order read from the index itself: WerkbonObject.due_date is the werkbon's date
# (models/werkbonnen/tables.py), so the newest `limit` links are the newest werkbonnen, found
# without reading the object's older ones.
LINKS_NEWEST_FIRST = (WerkbonObject.due_date.desc(), WerkbonObject.werkbon.desc())


def _newest_links(object_id: int):
    """The object's werkbon ids, newest first, straight from the werkbon_object index (no
    werkbon row read): filter and limit this, then `_listed` it."""
    return (WerkbonObject.select(WerkbonObject.werkbon)
            .where(WerkbonObject.object == object_id).order_by(*LINKS_NEWEST_FIRST))


def _listed(chosen):
    """The werkbonnen `chosen` (a query of ids, ordered and limited) with their contract's
    number and medewerker's name. Joined after the choice: joined first, SQLite looked up the
    contract and medewerker of every werkbon the object ever had before it sorted and cut."""
    return (Werkbon.select(*HISTORY_COLUMNS)
            .join(Contract, JOIN.LEFT_OUTER)
            .switch(Werkbon).join(Medewerker, JOIN.LEFT_OUTER)
            .switch(Werkbon)
            .where(Werkbon.id.in_(chosen)))


def history_page(object_id: int, cursor: str | None, limit: int = HISTORY_PAGE):
    """(werkbonnen newest first, cursor of the next page or None). Keyset on (due_date, id)
    descending: every werkbon has a date (generated ones by their CHECK, storingen the day
    they were reported). Raises paging.BadCursor for a cursor that is not one of ours."""
    if cursor:
        values = paging.decode(cursor)
        if (len(values) != 2 or not isinstance(values[0], str) or type(values[1]) is not int):
            raise paging.BadCursor(cursor)
        try:
            day = date.fromisoformat(values[0])
        except ValueError as exc:
            raise paging.BadCursor(cursor) from exc
        rows = [Row(row) for row in _OLDER.execute(object_id, day, day, values[1], limit + 1)]
    else:
        rows = [Row(row) for row in _NEWEST.execute(object_id, limit + 1)]
    return _paged(rows, limit)


def _paged(rows: list[Row], limit: int) -> tuple[list[Row], str | None]:
    """(the first `limit` of `rows`, the cursor after them when there were more)."""
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = paging.encode([last.due_date.isoformat(), last.id]) if more else None
    return rows, next_cursor


def first_page_with_total(object_id: int, limit: int = HISTORY_PAGE):
    """(`history_page(object_id, None)`'s rows and cursor, `history_count(object_id)`) in one
    statement: the object page asks both on every view (on PostgreSQL a statement is a round
    trip). The count rides along on each row; no row, no werkbonnen."""
    found = _NEWEST_COUNTED.execute(object_id, limit + 1, object_id).fetchall()
    total = found[0][-1] if found else 0
    rows, next_cursor = _paged([Row(row[:-1]) for row in found], limit)
    return rows, next_cursor, total


def open_werkbonnen(object_id: int, limit: int = OPEN_SHOWN) -> list[Row]:
    """The werkbonnen of the object still to do, soonest first (what a technician at the
    object looks for)."""
    return [Row(row) for row in _OPEN.execute(object_id, limit)]


def history_count(object_id: int) -> int:
    return _COUNT.execute(object_id).fetchone()[0]


# The object page's queries with their SQL built once (models.db.Compiled): Peewee building
# them took longer than the database answering them.
_OBJECT, _LIMIT = -7_919_000_000_000_011, -7_919_000_000_000_013
_NEWEST = Compiled(lambda object_id, limit: _listed(
    _newest_links(object_id).limit(limit)).order_by(*NEWEST_FIRST), (_OBJECT, _LIMIT))
_COUNTED = -7_919_000_000_000_043
_NEWEST_COUNTED = Compiled(lambda object_id, limit, counted: _listed(
    _newest_links(object_id).limit(limit)).select_extend(
        WerkbonObject.select(fn.COUNT(WerkbonObject.werkbon))
        .where(WerkbonObject.object == counted)).order_by(*NEWEST_FIRST),
    (_OBJECT, _LIMIT, _COUNTED))
_DAY, _SAME_DAY, _BEFORE = -7_919_000_000_000_029, -7_919_000_000_000_031, -7_919_000_000_000_037
_OLDER = Compiled(lambda object_id, day, same_day, before, limit: _listed(
    _newest_links(object_id).where((WerkbonObject.due_date < day) | (
        (WerkbonObject.due_date == same_day) & (WerkbonObject.werkbon < before))).limit(limit))
    .order_by(*NEWEST_FIRST), (_OBJECT, _DAY, _SAME_DAY, _BEFORE, _LIMIT))
# the open links only, soonest first, from their partial index (WerkbonObject.werkbon_open)
_OPEN = Compiled(lambda object_id, limit: _listed(
    WerkbonObject.select(WerkbonObject.werkbon)
    .where(WerkbonObject.object == object_id, SQL(OPEN_LINK_WHERE))
    .order_by(WerkbonObject.due_date, WerkbonObject.werkbon).limit(limit))
    .order_by(Werkbon.due_date, Werkbon.id), (_OBJECT, _LIMIT))
_COUNT = Compiled(lambda object_id: WerkbonObject.select(fn.COUNT(WerkbonObject.werkbon))
                  .where(WerkbonObject.object == object_id), (_OBJECT,))


_DATES: dict = {}  # (schedule, free days' key, after, count) -> occurrences
_DATES_KEPT = 2048


def _next_dates(schedule, free_days, after: date, count: int) -> list[Occurrence]:
    """`occurrences(...)[0]`, remembered: a schedule (a frozen value: rule, dates, policies),
    the free days it is weighed against and the day to count from determine the dates, and the
    object page asks the same ones on every view. Bounded: emptied when full."""
    try:
        key = (schedule, free_days.key, after, count)
        hash(key)
    except (AttributeError, TypeError):  # free days or a schedule that cannot be a key
        key = None
    found = _DATES.get(key) if key is not None else None
    if found is None:
        found, _more = occurrences(schedule, free_days, after, count)
        if key is not None:
            if len(_DATES) >= _DATES_KEPT:
                _DATES.clear()
            _DATES[key] = found
    return list(found)


@dataclass(frozen=True)
class Visit:
    """A date a covering contract will visit the object, and the day its werkbon is made."""

    occurrence: Occurrence
    contract: Contract

    @property
    def date(self) -> date:
        return self.occurrence.date

    @property
    def generate_on(self) -> date:
        return self.occurrence.generate_on


def still_to_come_from(contract: Contract, today: date) -> date:
    """The first day whose werkbon the contract has not made yet: as the contract page's
    timeline counts it (dates up to generated_through have their werkbonnen)."""
    after = max(today, contract.start_date)
    if contract.generated_through is not None:
        after = max(after, contract.generated_through + timedelta(days=1))
    return after


def next_visits(obj: Object, covering: list[Contract], free_days, today: date,
                count: int = 6) -> list[Visit]:
    """The next `count` visits of the object over the running contracts that cover it
    (`covering`), soonest first: each contract's dates still to come (the same expansion the
    worker runs), planned slot by slot as the worker plans them (models.werkbonnen.plan.visits:
    per object or per werkadres, the object only on the dates its status lets it get
    werkbonnen), keeping the dates whose werkbon lists this object, and not those a protected
    werkbon already stands in for (as the worker skips them)."""
    found = []
    scheduled = [c for c in covering if c.rrule]  # correctief: werkbonnen come from storingen
    if not scheduled:
        return found
    ids = [c.id for c in scheduled]
    taken = materialise.stand_ins(ids)
    # what each contract covers as the worker reads it (light rows, one contract's SQL built
    # once), not replan.coverage_of's model per object: the same Coverage for a saved contract
    coverages = materialise.coverage_of(ids, {c.id: c.werkbon_per for c in scheduled})
    for contract in scheduled:
        schedule = contract.schedule()
        if schedule is None:
            continue
        coverage = coverages.get(contract.id) or plan.Coverage(contract.werkbon_per or "datum")
        skip = taken.get(contract.id, set())  # a protected werkbon is that visit already
        low = still_to_come_from(contract, today)
        if contract.onderdelen:  # several onderdelen: all of them together (issue 18)
            wanted = coming.visits(contract, free_days, low, count, coverage)
        else:
            wanted = plan.visits(_next_dates(schedule, free_days, low, count), coverage)
        found += [Visit(v.occurrence, contract) for v in wanted
                  if obj.id in v.object_ids and (v.date, v.slot) not in skip]
    found.sort(key=lambda v: (v.date, v.contract.id))
    return found[:count]
