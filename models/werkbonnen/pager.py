"""The werkbonnen list's pages: keyset pagination over (due_date, id) that stays fast at a
million werkbonnen, and the plain list rows it reads. The list page and the API share it.
"""

from datetime import date, datetime
from functools import lru_cache

from peewee import JOIN, Tuple

from models.contracts.tables import Contract
from models.db import Compiled, is_sqlite, paging
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import OPEN_CONDITION, Werkbon

WINDOWS = (512, 8192)  # index entries a list page looks at before SQLite may sort instead


def _decode(cursor: str) -> tuple[str | None, int]:
    values = paging.decode(cursor)
    if len(values) != 2 or isinstance(values[1], bool) or not isinstance(values[1], int):
        raise paging.BadCursor(cursor)
    due, last_id = values
    if due is None:
        return None, last_id
    if not isinstance(due, str):
        raise paging.BadCursor(cursor)
    try:
        return date.fromisoformat(due).isoformat(), last_id
    except ValueError as exc:
        raise paging.BadCursor(cursor) from exc


def _window(after, size: int, *columns, scope=None):
    """The next `size` entries of the (due_date, id) index after `after`, read from the index
    alone (both columns are in it); with `scope` (OPEN_CONDITION) of the partial index of the
    werkbonnen still to do, which a page of those then walks instead of all history."""
    query = Werkbon.select(*columns)
    if scope is not None:
        query = query.where(scope)
    return (_dated_query(query, after).order_by(Werkbon.due_date, Werkbon.id).limit(size))


def _window_end(after, size: int, scope=None):
    """(due_date, id) of the window's last entry, or None when fewer than `size` are left."""
    entries = _window(after, size, Werkbon.due_date, Werkbon.id, scope=scope)
    if entries.count() < size:
        return None
    entries = entries.alias("venster")
    last = (Werkbon.select(entries.c.due_date, entries.c.id).from_(entries)
            .order_by(entries.c.due_date.desc(), entries.c.id.desc()).limit(1).tuples().first())
    due = last[0].isoformat() if isinstance(last[0], date) else last[0]
    return due, last[1]


def _dated_query(query, after):
    """`query` limited to werkbonnen with a due date, after `after` in (due_date, id) order."""
    dated = query.where(Werkbon.due_date.is_null(False))
    if after:
        dated = dated.where(Tuple(Werkbon.due_date, Werkbon.id) > Tuple(*after))
    return dated


def _dated(query, after, limit: int, filtered: bool = True, fetch=list, plain=None,
           scope=None) -> list:
    """Up to `limit` werkbonnen with a due date after `after`, in (due_date, id) order.

    Walking the (due_date, id) index is fast when the filters match often (a page reads about
    limit / share rows) and ruinous when they match rarely: a search with a typo reads the
    whole table in index order, seconds at a million rows. Without statistics SQLite also
    likes to answer `status = ?` from the status index and sort every match instead. So on
    SQLite a page first looks only at the next few index entries (`id IN window`: one probe per
    entry, whatever the filters), then at a larger window; when even that does not fill the
    page, the rest comes from a query that cannot use the (due_date, id) index (a scan or
    another index, then a sort of the matches): bounded by the table size, never multiplied by
    random reads in index order. Other databases plan with statistics of their own and get the
    plain query."""
    if not filtered and plain is not None:
        return plain(after, limit)
    ordered = (Werkbon.due_date, Werkbon.id)
    dated = _dated_query(query, after)
    if not is_sqlite() or not filtered:
        return fetch(dated.order_by(*ordered).limit(limit))
    for size in WINDOWS:
        rows = fetch(dated.where(Werkbon.id.in_(_window(after, size, Werkbon.id, scope=scope)))
                     .order_by(*ordered).limit(limit))
        if len(rows) == limit:
            return rows
        end = _window_end(after, size, scope)
        if end is None:
            return rows  # the window held everything that is left
    # `due_date || ''` keeps the order of ISO dates and hides the column from the planner
    hidden = Werkbon.due_date.concat("")
    rest = (query.where(hidden.is_null(False), Tuple(hidden, Werkbon.id) > Tuple(*end))
            .order_by(hidden, Werkbon.id).limit(limit - len(rows)))
    return rows + fetch(rest)


def page(query, cursor: str | None, limit: int, filtered: bool = True, fetch=list, plain=None,
         scope=None):
    """(rows, next_cursor): keyset pagination over (due_date, id), werkbonnen without a due
    date last. Never OFFSET, never a count; each page starts where the last one stopped.
    Without filters the (due_date, id) index answers directly (`filtered=False`).
    `fetch` turns a query into its rows (`list`: model instances; `list_rows`: ListRow);
    `plain(after, limit)`, when given, answers the dated part of an unfiltered page; `scope`
    (OPEN_CONDITION, which `query` then has too) narrows the index windows of a filtered one.
    Raises paging.BadCursor for a cursor this function did not make."""
    due, last_id = _decode(cursor) if cursor else (None, None)
    rows = []
    if not cursor or due is not None:
        rows = _dated(query, (due, last_id) if cursor else None, limit + 1, filtered, fetch,
                      plain, scope)
    if len(rows) <= limit:
        undated = (list_select() if query is None else query).where(Werkbon.due_date.is_null())
        if cursor and due is None:
            undated = undated.where(Werkbon.id > last_id)
        rows += fetch(undated.order_by(Werkbon.id).limit(limit + 1 - len(rows)))
    more = len(rows) > limit
    rows = rows[:limit]
    if not more:
        return rows, None
    last = rows[-1]
    return rows, paging.encode([last.due_date.isoformat() if last.due_date else None, last.id])


# --- list rows ----------------------------------------------------------------------------------
# A list page shows 50 werkbonnen with a few columns of their klant, contract and medewerker.
# Peewee building a model per row plus one per joined row (and parsing every date through its
# format list) was half of such a page's time; a list reads these columns as plain tuples into
# ListRow instead. Pages that change a werkbon still load the Werkbon model.

LIST_COLUMNS = (Werkbon.id, Werkbon.number, Werkbon.contract, Werkbon.klant, Werkbon.due_date,
                Werkbon.status, Werkbon.medewerker, Werkbon.planned_start, Werkbon.description,
                Werkbon.cancel_reason, Werkbon.reported_at, Werkbon.response_due,
                Werkbon.resolve_due, Werkbon.responded_at, Werkbon.resolved_at,
                Werkbon.sla_business_hours, Werkbon.werkadres)


def list_select():
    """The LIST_COLUMNS of werkbonnen, with their klant's name and address, contract's number
    and medewerker's name, in one query (filters are added by the caller); read it with
    `list_rows`."""
    return with_related(
        Werkbon.select(*LIST_COLUMNS, Klant.name, Klant.street, Klant.house_number,
                       Klant.postcode, Klant.city, Contract.number, Medewerker.name))


def with_related(query):
    """A werkbon query joined to its klant, contract and medewerker (the last two optional)."""
    return (query.join(Klant).switch(Werkbon)
            .join(Contract, JOIN.LEFT_OUTER).switch(Werkbon)
            .join(Medewerker, JOIN.LEFT_OUTER).switch(Werkbon))


class ListRow:
    """What a list row shows, with the attribute names of Werkbon (plus its `klant_name`,
    `contract_number` and `medewerker_name`), so the row renderer and the SLA clock read it
    like a werkbon."""

    __slots__ = ("id", "number", "contract_id", "klant_id", "due_date", "status",
                 "medewerker_id", "planned_start", "description", "cancel_reason", "reported_at",
                 "response_due", "resolve_due", "responded_at", "resolved_at",
                 "sla_business_hours", "werkadres_id", "klant_name", "klant_address",
                 "contract_number", "medewerker_name")

    def __init__(self, row: tuple):
        (self.id, self.number, self.contract_id, self.klant_id, due, self.status,
         self.medewerker_id, planned, self.description, self.cancel_reason, reported, response,
         resolve, responded, resolved, business, self.werkadres_id, self.klant_name, street,
         house_number, postcode, city, self.contract_number, self.medewerker_name) = row
        self.klant_address = _address(street, house_number, postcode, city)
        self.due_date = _day(due)
        self.planned_start = _moment(planned)
        if reported is None and resolve is None and response is None and responded is None \
                and resolved is None:  # no SLA: every werkbon but a storing
            self.reported_at = self.response_due = self.resolve_due = None
            self.responded_at = self.resolved_at = None
        else:
            self.reported_at, self.response_due, self.resolve_due = (
                _moment(reported), _moment(response), _moment(resolve))
            self.responded_at, self.resolved_at = _moment(responded), _moment(resolved)
        self.sla_business_hours = None if business is None else bool(business)


@lru_cache(maxsize=4096)  # a page shows the same few klanten many times
def _address(street, house_number, postcode, city) -> str:
    """As Klant.address says it."""
    return f"{street} {house_number}, {postcode} {city}".strip(" ,")


def _day(value):
    return _iso_day(value) if isinstance(value, str) else value


@lru_cache(maxsize=4096)  # a page has a few distinct days, 50 times
def _iso_day(value: str) -> date:
    return date.fromisoformat(value[:10])


def _moment(value):
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def list_rows(query) -> list[ListRow]:
    """The rows of a `list_select()` query (plain tuples from the driver, no model per row)."""
    return [ListRow(row) for row in Werkbon._meta.database.execute(query)]


_MARKS = ("\x00due", -7_919_000_000_000_001, -7_919_000_000_000_002)


def _keyset_rows(condition=None):
    """rows(after, limit): the dated ListRows after `after` in (due_date, id) order, of all
    werkbonnen or of those matching `condition`, through SQL compiled once per database kind.

    After a cursor (due, id), as two seeks. SQLite answers `(due_date, id) > (?, ?)` by seeking on
    due_date alone (id is the rowid, which a row-value seek does not reach) and then reads every
    werkbon of that day up to the cursor: a page deep into a busy day (thousands of visits on the
    1st of the month) read thousands of index entries. The rest of the cursor's day (`due_date = ?
    AND id > ?`) and the days after it (`due_date > ?`) each seek straight to their first row."""
    def listed():
        return list_select() if condition is None else list_select().where(condition)

    first = Compiled(lambda limit: _dated_query(listed(), None)
                     .order_by(Werkbon.due_date, Werkbon.id).limit(limit), _MARKS[2:])
    same_day = Compiled(lambda due, last, limit: listed()
                        .where(Werkbon.due_date == due, Werkbon.id > last)
                        .order_by(Werkbon.id).limit(limit), _MARKS)
    later_days = Compiled(lambda due, limit: listed().where(Werkbon.due_date > due)
                          .order_by(Werkbon.due_date, Werkbon.id).limit(limit),
                          (_MARKS[0], _MARKS[2]))

    def rows(after, limit: int) -> list[ListRow]:
        if not after:
            return [ListRow(row) for row in first.execute(limit)]
        due, last = after
        found = [ListRow(row) for row in same_day.execute(due, last, limit)]
        if len(found) < limit:
            found += [ListRow(row) for row in later_days.execute(due, limit - len(found))]
        return found

    return rows


_unfiltered_rows = _keyset_rows()
# what is still to do: read from its own partial index (models/werkbonnen/tables.py OPEN_INDEX)
_open_rows = _keyset_rows(OPEN_CONDITION)


def list_page(query, cursor: str | None, limit: int, still_to_do: bool = False,
              other_filters: bool = True):
    """page() of ListRow for the werkbonnen list; `query` is list_select() with the filters,
    None without any. `still_to_do`: the query keeps only the werkbonnen still to do
    (OPEN_CONDITION), where the list opens; its pages look through their own index. The
    landing page and that list without `other_filters` run SQL compiled once: compiling took
    as long as answering, and so did building the query."""
    if query is None:
        return page(None, cursor, limit, False, fetch=list_rows, plain=_unfiltered_rows)
    if still_to_do and not other_filters:
        return page(query, cursor, limit, False, fetch=list_rows, plain=_open_rows)
    return page(query, cursor, limit, True, fetch=list_rows,
                scope=OPEN_CONDITION if still_to_do else None)
