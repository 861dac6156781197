"""The werkbonnen list's pages: keyset pagination over (due_date, id) that stays fast at a
million werkbonnen, and the plain list rows it reads. The list page and the API share it.
"""

from datetime import date, datetime
from functools import lru_cache

from peewee import JOIN, Tuple

from models.contracts.tables import Contract
from models.db import is_sqlite, paging
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon


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


def _dated_query(query, after):
    """`query` limited to werkbonnen with a due date, after `after` in (due_date, id) order.

    The keyset is written out as `due_date >= d AND (due_date > d OR id > i)`, not as the row
    value `(due_date, id) > (d, i)`: SQLite seeks on a row value's first column only when it is
    the index's first column, so behind an equality filter ((status, due_date, id), the index a
    filtered list walks) it read the filter's whole history up to the cursor; the written-out
    range is a seek on both databases."""
    dated = query.where(Werkbon.due_date.is_null(False))
    if after:
        due, last_id = after
        dated = dated.where((Werkbon.due_date >= due)
                            & ((Werkbon.due_date > due) | (Werkbon.id > last_id)))
    return dated


def after_row_value(query, due, last_id, limit):
    """PostgreSQL's page after a cursor (due, id) in one statement: the row value
    `(due_date, id) > (d, i)` is an Index Cond in every (filter, due_date, id) index there, a
    seek past the cursor. (SQLite seeks on a row value's first column only when it is the
    index's first column: there the page is two statements, see `_dated`.)"""
    return (query.where(Werkbon.due_date.is_null(False))
            .where(Tuple(Werkbon.due_date, Werkbon.id) > Tuple(due, last_id))
            .order_by(Werkbon.due_date, Werkbon.id).limit(limit))


def _dated(query, after, limit: int, filtered: bool = True, fetch=list, plain=None) -> list:
    """Up to `limit` werkbonnen with a due date after `after`, in (due_date, id) order.

    Every filter of the list has an index that starts with it and goes on in list order
    ((status|medewerker_id|contract_id|klant_id|werkadres_id, due_date, id), the open werkbonnen's
    (due_date, id); models/werkbonnen/tables.py), or is a short list of ids (search, object,
    SLA states): either way a page is a seek and `limit` reads, or a sort of a few hundred
    rows, on both databases (tests/test_list_indexes.py holds the plans to that)."""
    if not filtered and plain is not None:
        return plain(after, limit)
    if not after:
        return fetch(_dated_query(query, None).order_by(Werkbon.due_date, Werkbon.id)
                     .limit(limit))
    due, last_id = after
    if not is_sqlite():
        return fetch(after_row_value(query, due, last_id, limit))
    dated = query.where(Werkbon.due_date.is_null(False))
    # SQLite: two seeks, the rest of the cursor's day, then the days after
    # it. One range `due_date >= d AND (due_date > d OR id > i)` is a seek to the day, then a
    # read of every werkbon of that day up to the cursor: thousands on a busy day (a deep page
    # of a month: 10 ms of a 13 ms page at a million werkbonnen); SQLite seeks on a row value's
    # first column only when it is the index's first column
    found = fetch(dated.where(Werkbon.due_date == due, Werkbon.id > last_id)
                  .order_by(Werkbon.id).limit(limit))
    if len(found) < limit:
        found += fetch(dated.where(Werkbon.due_date > due)
                       .order_by(Werkbon.due_date, Werkbon.id).limit(limit - len(found)))
    return found


def page(query, cursor: str | None, limit: int, filtered: bool = True, fetch=list, plain=None):
    """(rows, next_cursor): keyset pagination over (due_date, id), werkbonnen without a due
    date last. Never OFFSET, never a count; each page starts where the last one stopped.
    Without filters the (due_date, id) index answers directly (`filtered=False`).
    `fetch` turns a query into its rows (`list`: model instances; `list_rows`: ListRow);
    `plain(after, limit)`, when given, answers the dated part of an unfiltered page.
    Raises paging.BadCursor for a cursor this function did not make."""
    due, last_id = _decode(cursor) if cursor else (None, None)
    rows = []
    if not cursor or due is not None:
        rows = _dated(query, (due, last_id) if cursor else None, limit + 1, filtered, fetch,
                      plain)
    if len(rows) <= limit:
        undated = (list_select() if query is None else query).where(Werkbon.due_date.is_null())
        if cursor and due is None:
            undated = undated.where(Werkbon.id > last_id)
        rows += fetch(undated.order_by(Werkbon.id).limit(limit + 1 - len(rows)))
    return cut(rows, limit)


def cut(rows: list, limit: int) -> tuple[list, str | None]:
    """(the first `limit` of `rows`, the cursor after the last of them, or None when `rows`
    had no more: a page reads one row more than it shows to know that there is a next one)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
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
