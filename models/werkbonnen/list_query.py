"""The werkbonnen list's filtered pages through SQL compiled once per shape of the filters.

A filtered page is the same few statements every time, only with other values: a status, a
medewerker, a cursor, the ids a search found. Peewee building and compiling them (four joined
tables, a condition per filter, 200 ids of a search as 200 parameters) cost more than the
database answering them: 1-2 ms of a 2-5 ms page. Here each statement is built by Peewee once,
for a shape (which filters, and how many ids), with markers in the place of the values
(models.db.Compiled); later pages of that shape run the compiled SQL with their own values.
The SQL is the one models/werkbonnen/pager.py `page()` runs for the same query (the same
conditions in the same order, the same keyset), so the plans tests/test_list_indexes.py holds
are the plans of these statements. Exceptions: a page of werkbonnen found by id (a search), and
on PostgreSQL every page, chooses its ids first and joins only those (`_chosen_first`); on
PostgreSQL a page after a cursor is one statement with a row value, not two (PHASES "after").

A filter is a `Condition`: a name, its values, and how Peewee writes it with markers in their
place. `page(conditions, cursor, limit)` is pager.page(query, cursor, limit, fetch=list_rows)
for the list_select() query with those conditions.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from models.db import Compiled, is_sqlite
from models.werkbonnen import objecten as werkbon_objecten
from models.werkbonnen import pager
from models.werkbonnen.tables import OPEN_CONDITION, Werkbon

# Markers: values no filter ever has, one per place (Compiled checks each reaches the SQL
# parameters once). Integer columns get integers (Peewee turns a foreign key's value into an
# int), text and date columns get text (a date column leaves text it cannot read as a date as
# it is).
_INT_MARK = -7_919_000_000_000_000
_TEXT_MARK = "\x00cadans-mark-"


def _marker(kind: str, n: int):
    return _INT_MARK - n if kind == "i" else f"{_TEXT_MARK}{n}"


class Condition(NamedTuple):
    """A filter of the list: `name` says how it is written (BUILDERS), `values` what goes in."""
    name: str
    values: tuple = ()

    @property
    def shape(self) -> tuple:
        return self.name, len(self.values)


def _ids(*ids):
    return Werkbon.id.in_(list(ids))


# name -> (the kind of each value: "i" integer, "t" text or date; "*i": any number of
# integers), a function of the values (or markers) giving the Peewee condition
BUILDERS = {
    "ids": ("*i", _ids),  # a search's or the SLA states' werkbonnen
    "open": ("", lambda: OPEN_CONDITION),  # as its partial index says it
    "status": ("t", lambda status: Werkbon.status == status),
    "medewerker": ("i", lambda i: Werkbon.medewerker == i),
    "contract": ("i", lambda i: Werkbon.contract == i),
    "klant": ("i", lambda i: Werkbon.klant == i),
    "werkadres": ("i", lambda i: Werkbon.werkadres == i),
    # through the werkbon_object (object, werkbon) index
    "object": ("i", lambda i: Werkbon.id.in_(werkbon_objecten.werkbon_ids_of_object(i))),
    "van": ("t", lambda day: Werkbon.due_date >= day),
    "tot": ("t", lambda day: Werkbon.due_date <= day),
    "ongepland": ("", lambda: (Werkbon.medewerker.is_null() | Werkbon.planned_start.is_null())
                  & OPEN_CONDITION),
    # OPEN_CONDITION as its partial index says it (SQLite matches the literal text)
    "te_laat": ("t", lambda today: (Werkbon.due_date < today) & OPEN_CONDITION),
}


def _filtered(shape: tuple, markers: list, query=None):
    """list_select() (or `query`) with the conditions of `shape`, their values taken from
    `markers`."""
    query = pager.list_select() if query is None else query
    for name, count in shape:
        values, markers = markers[:count], markers[count:]
        query = query.where(BUILDERS[name][1](*values))
    return query


# The page's statements, as pager.page writes them for a filtered query (after the filters:
# its own values, then the limit)
PHASES = {
    # the first page: dated werkbonnen in (due_date, id) order
    "first": ("i", lambda q, limit: pager._dated_query(q, None)
              .order_by(Werkbon.due_date, Werkbon.id).limit(limit)),
    # after a cursor (due, id): the rest of its day, then the days after it
    "same_day": ("tii", lambda q, due, last, limit: q.where(Werkbon.due_date.is_null(False))
                 .where(Werkbon.due_date == due, Werkbon.id > last)
                 .order_by(Werkbon.id).limit(limit)),
    "later_days": ("ti", lambda q, due, limit: q.where(Werkbon.due_date.is_null(False))
                   .where(Werkbon.due_date > due)
                   .order_by(Werkbon.due_date, Werkbon.id).limit(limit)),
    # the same on PostgreSQL, in one statement with a row value (pager.after_row_value)
    "after": ("tii", pager.after_row_value),
    # werkbonnen without a due date come last, by id
    "undated": ("i", lambda q, limit: q.where(Werkbon.due_date.is_null())
                .order_by(Werkbon.id).limit(limit)),
    "undated_after": ("ii", lambda q, last, limit: q.where(Werkbon.due_date.is_null())
                      .where(Werkbon.id > last).order_by(Werkbon.id).limit(limit)),
}

SHAPES = 512  # compiled statements kept (a shape with a search has one per number of ids)


def _statement(conditions: tuple[Condition, ...], phase: str) -> Compiled:
    return _compiled(tuple(c.shape for c in conditions), phase)


@lru_cache(maxsize=SHAPES)
def _compiled(shape: tuple, phase: str) -> Compiled:
    """The statement of `phase` for the conditions of `shape` ((name, number of values), ...),
    with a marker in the place of each value (compiled on its first use)."""
    kinds = "".join("i" * count if BUILDERS[name][0] == "*i" else BUILDERS[name][0]
                    for name, count in shape) + PHASES[phase][0]
    markers = tuple(_marker(kind, n) for n, kind in enumerate(kinds))
    split = len(markers) - len(PHASES[phase][0])
    build = PHASES[phase][1]
    found_by_id = any(name == "ids" for name, _ in shape)

    def query(*m):  # built once per database kind (Compiled)
        if found_by_id or not is_sqlite():
            return _chosen_first(build, shape, m, split)
        return build(_filtered(shape, list(m[:split])), *m[split:])

    return Compiled(query, markers)


def _chosen_first(build, shape: tuple, markers: tuple, split: int):
    """A page's ids chosen from the werkbon table alone (its conditions, order and limit),
    then only those joined to their klant, contract and medewerker: the same rows in the same
    order as build() over list_select(). For werkbonnen found by id (a search's 200) on both
    databases: with the joins around the whole choice PostgreSQL hashed every klant to join 200
    werkbonnen before it sorted and cut them to a page (1.9 of 2.3 ms), SQLite joined all 200.
    And for every page on PostgreSQL: a prepared statement's generic plan does not know the
    values, and for a guess of a few rows (a date range's deep page: 9 guessed, 904 there) it
    joined them all and sorted, 6.5 ms, where walking the index to the limit takes 0.3 ms;
    without joins, the choice is that walk whatever the guess."""
    chosen = build(_filtered(shape, list(markers[:split]), Werkbon.select(Werkbon.id)),
                   *markers[split:])
    return (pager.list_select().where(Werkbon.id.in_(chosen))
            .order_by(*chosen._order_by))


def _rows(conditions, phase: str, *values) -> list[pager.ListRow]:
    filters = [v for c in conditions for v in c.values]
    cursor = _statement(conditions, phase).execute(*filters, *values)
    return [pager.ListRow(row) for row in cursor]


def page(conditions, cursor: str | None, limit: int) -> tuple[list[pager.ListRow], str | None]:
    """(rows, next_cursor) of the werkbonnen matching every condition: pager.page() for that
    query, with the same cursors. Raises paging.BadCursor for a cursor it did not make."""
    conditions = tuple(conditions)
    due, last_id = pager._decode(cursor) if cursor else (None, None)
    if any(c.name == "ids" and not c.values for c in conditions):
        return [], None  # a search that found nothing: no statement to ask that
    day = date.fromisoformat(due) if due is not None else None
    wanted = limit + 1
    rows: list[pager.ListRow] = []
    if not cursor:
        rows = _rows(conditions, "first", wanted)
    elif day is not None and not is_sqlite():
        rows = _rows(conditions, "after", day, last_id, wanted)
    elif day is not None:
        rows = _rows(conditions, "same_day", day, last_id, wanted)
        if len(rows) < wanted:
            rows += _rows(conditions, "later_days", day, wanted - len(rows))
    if len(rows) <= limit:
        if cursor and day is None:
            rows += _rows(conditions, "undated_after", last_id, wanted - len(rows))
        else:
            rows += _rows(conditions, "undated", wanted - len(rows))
    return pager.cut(rows, limit)
