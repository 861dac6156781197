"""Finding werkadressen and objecten: what the lists, the werkadres picker and the API search.

The werkadressen of one klant (its page, the picker) are few: a term is a substring of their
name, street, postcode or city, or of their klant's name. "4141hd" finds 4141 HD.

The objects (100,000 and more) are searched as the werkbonnen are (models/db/fulltext.py: every
word of the term starts a word, diacritics-insensitive, from an index on both databases): an
object is found by its number or serial number, its brand, model or location, its werkadres
(name, street, city, postcode), its klant's name or its objecttype's name (a substring: the
list of types is short), and "4141hd" still finds 4141 HD. A term that finds few objects is
answered by their ids (read from the indexes, then a page of them in number order: a serial
number among 100,000 objects in 2 ms instead of a 70 ms scan). One that finds many (a city, a
brand, a type, a single letter) is matched as before, as a substring of the same columns while
the list is walked in number order: dense matches fill a page after a few rows, and a full-text
answer of tens of thousands of ids would cost more than the walk. So is a term no word starts
("731" of serial number RH-7731): the walk finds a substring in the middle of a word, as the
list always did (at the old price). The walk does not fold diacritics.
"""

import operator
from functools import reduce

from peewee import SQL, Tuple, fn

from models.common.validation import normalise_postcode, search_text
from models.db import Compiled, among, db, fulltext, is_sqlite, paging
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant

# PostgreSQL: a werkadres's name, street, city and postcode as one text (chr(31) between them,
# which nobody types, so a term still matches inside one of them, never across two), the
# expression of the trigram index werkadres_address_trgm (migration 22, models/migrations.py).
# One ILIKE per werkadres instead of four even without that index (17 -> 10 ms over 20,000).
ADDRESS_TEXT_SQL = ("(name || chr(31) || street || chr(31) || city || chr(31) || postcode)")


def _address_text():
    sep = SQL("chr(31)")
    return (Werkadres.name.concat(sep).concat(Werkadres.street).concat(sep)
            .concat(Werkadres.city).concat(sep).concat(Werkadres.postcode))


def _werkadres_parts(q: str) -> list:
    """The conditions over Werkadres of which one finds a werkadres for `q`: its name, street,
    city or postcode has `q` (on PostgreSQL in the one address text, `_address_text`), its
    klant's name has it, or `q` is its postcode as typed ("4141hd")."""
    if is_sqlite():
        address = (Werkadres.name.contains(q) | Werkadres.street.contains(q)
                   | Werkadres.city.contains(q) | Werkadres.postcode.contains(q))
    else:
        address = _address_text().contains(q)
    parts = [address, Werkadres.klant.in_(Klant.select(Klant.id).where(Klant.name.contains(q)))]
    if postcode := normalise_postcode(q):
        parts.append(Werkadres.postcode == postcode)
    return parts


def werkadres_condition(q: str):
    """SQL over Werkadres: its name, street, postcode or city, or its klant's name, has `q`."""
    return reduce(operator.or_, _werkadres_parts(q))


def werkadres_ids(q: str):
    """A query of the ids of the werkadressen `werkadres_condition(q)` finds. On PostgreSQL as
    a UNION of its parts, so each reads its own index (the address text's trigrams when
    pg_trgm is there, the klant's werkadressen, the postcode) where the OR of them all, one
    arm a subquery, read all 20,000 werkadressen (17 ms for "zwolle" on the objecten bench)."""
    if is_sqlite():
        return Werkadres.select(Werkadres.id).where(werkadres_condition(q))
    return reduce(operator.or_, [Werkadres.select(Werkadres.id).where(part)
                                 for part in _werkadres_parts(q)])


def werkadressen(query, q: str):
    """`query` (over Werkadres) narrowed to the werkadressen `q` finds."""
    q = search_text(q).strip()
    return query.where(werkadres_condition(q)) if q else query


def objects():
    """Objects with their werkadres, klant and objecttype, in one query."""
    return (Object.select(Object, Werkadres, Klant, Objecttype)
            .join(Werkadres).join(Klant).switch(Object).join(Objecttype).switch(Object))


FEW = 500  # ids a search collects from one index before it counts as finding many
FEW_OBJECTS = 5_000  # objects at the werkadressen found, before it counts as many


def _has_words(text: str, terms: list[str]) -> bool:
    """Does every word of `terms` start a word of `text` (fulltext's meaning)?"""
    have = fulltext.words(text or "")
    return all(any(word.startswith(term) for word in have) for term in terms)


def _klanten(q: str, terms: list[str]) -> list[int] | None:
    """Ids of the klanten whose name has the words of `q`; None when more than FEW have them
    (the klant index covers the invoice address too: its answers are checked by name)."""
    ids = fulltext.matching_ids("klant", q, "text", FEW + 1)
    if len(ids) > FEW:
        return None
    return [k for k, name in Klant.select(Klant.id, Klant.name).where(among(Klant.id, ids))
            .tuples() if _has_words(name, terms)] if ids else []


def _few(q: str, terms: list[str]) -> list[int] | None:
    """The ids of the objects `q` finds when they are few, else None (see the module)."""
    found: set[int] = set()
    for group in ("number", "text"):
        ids = fulltext.matching_ids("object", q, group, FEW + 1)
        if len(ids) > FEW:
            return None
        found.update(ids)
    places = fulltext.matching_ids("werkadres", q, "text", FEW + 1)
    if len(places) > FEW:
        return None
    klanten = _klanten(q, terms)
    if klanten is None:
        return None
    condition = among(Werkadres.id, places) if places else None
    if klanten:
        by_klant = among(Werkadres.klant, klanten)
        condition = by_klant if condition is None else condition | by_klant
    if postcode := normalise_postcode(q):
        by_postcode = Werkadres.postcode == postcode
        condition = by_postcode if condition is None else condition | by_postcode
    if condition is not None:
        there = [o for (o,) in Object.select(Object.id).join(Werkadres).where(condition)
                 .limit(FEW_OBJECTS + 1).tuples()]
        if len(there) > FEW_OBJECTS:
            return None
        found.update(there)
    return sorted(found)


def _many(q: str, kinds: list[int]):
    """SQL over Object: a term that finds many objects, each of its parts (split at spaces) a
    substring of one of the same columns, while the list is walked in number order (dense
    matches fill a page after a few rows; a superset of what the indexes find). The whole term
    is a postcode or an objecttype's part as well ("4141 hd", "cv-ketel")."""
    def found_by(part: str):
        places = werkadres_ids(part)
        return (Object.number.contains(part) | Object.brand.contains(part)
                | Object.model.contains(part) | Object.serial_number.contains(part)
                | Object.location.contains(part) | Object.werkadres.in_(places))

    parts = q.split() or [q]
    condition = found_by(parts[0])
    for part in parts[1:]:
        condition &= found_by(part)
    whole = Object.objecttype.in_(kinds) if kinds else None
    if len(parts) > 1:
        whole_places = werkadres_ids(q)
        whole = (Object.werkadres.in_(whole_places) if whole is None
                 else whole | Object.werkadres.in_(whole_places))
    return condition if whole is None else condition | whole


SHORT = 2  # a shorter term finds many objects anyway: walked, not looked up


def object_condition(q: str):
    """SQL over Object: the objects the search term `q` finds (see the module)."""
    terms = fulltext.words(q)
    kinds = [k for (k,) in Objecttype.select(Objecttype.id)
             .where(Objecttype.name.contains(q)).tuples()]
    if kinds or len(q) < SHORT or not terms:
        return _many(q, kinds)
    few = _few(q, terms)
    if not few:  # many, or none by a word's beginning: look inside the words as well
        return _many(q, kinds)
    return among(Object.id, few)


def find_objects(query, q: str = "", klant_id: int | None = None,
                 werkadres_id: int | None = None, objecttype_id: int | None = None,
                 statuses: tuple[str, ...] | None = None):
    """`query` (over Object) narrowed: the objects `q` finds (`object_condition`); the other
    arguments when given."""
    q = search_text(q).strip()
    if q:
        query = query.where(object_condition(q))
    if klant_id is not None:
        query = query.where(Object.werkadres.in_(
            Werkadres.select(Werkadres.id).where(Werkadres.klant == klant_id)))
    if werkadres_id is not None:
        query = query.where(Object.werkadres == werkadres_id)
    if objecttype_id is not None:
        query = query.where(Object.objecttype == objecttype_id)
    if statuses is not None:
        query = query.where(Object.status.in_(statuses))
    return query


def werkadres_order():
    """Werkadressen as a person lists them: by postcode, then house number as a number ("2"
    before "10": the shorter number first, then as text, so "12" < "12a" < "14")."""
    return [Werkadres.postcode, fn.LENGTH(Werkadres.house_number), Werkadres.house_number,
            Werkadres.id]


def werkadres_page(query, cursor: str | None, limit: int):
    """(werkadressen, next cursor) in `werkadres_order`, keyset-paged (models.db.paging's
    cursor format). Raises paging.BadCursor for a cursor that is not one of ours."""
    order = werkadres_order()
    if cursor:
        values = paging.decode(cursor)
        if len(values) != 4 or not isinstance(values[0], str) or type(values[1]) is not int \
                or not isinstance(values[2], str) or type(values[3]) is not int:
            raise paging.BadCursor(cursor)
        query = query.where(Tuple(*order) > Tuple(*values))
    rows = list(query.order_by(*order).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    last = rows[-1] if rows else None
    next_cursor = paging.encode([last.postcode, len(last.house_number), last.house_number,
                                 last.id]) if more else None
    return rows, next_cursor


# --- the object list's pages -----------------------------------------------------------------
# What a list row shows, read as plain tuples (no model object per row: building four models
# for each of 50 rows was most of a page's time), ordered by the object number (unique, so the
# number alone places a row; the cursor keeps the id too, in models.db.paging's format).

LIST_COLUMNS = (Object.id, Object.number, Object.status, Object.brand, Object.model,
                Object.location, Objecttype.name, Werkadres.street, Werkadres.house_number,
                Werkadres.postcode, Werkadres.city, Klant.name)


class ListRow:
    """One row of the list, and the tuple it was read from (`raw`: all it shows, so the list
    renders the same tuple to the same HTML once, views/objecten object_rows)."""

    __slots__ = ("id", "number", "status", "brand", "model", "location", "objecttype",
                 "street", "house_number", "postcode", "city", "klant", "raw")

    def __init__(self, row: tuple):
        self.raw = row
        (self.id, self.number, self.status, self.brand, self.model, self.location,
         self.objecttype, self.street, self.house_number, self.postcode, self.city,
         self.klant) = row


def list_select():
    """The LIST_COLUMNS of objects, joined, for `find_objects` to narrow."""
    return (Object.select(*LIST_COLUMNS).join(Werkadres).join(Klant).switch(Object)
            .join(Objecttype).switch(Object))


def _after(cursor: str) -> str:
    values = paging.decode(cursor)
    if len(values) != 2 or not isinstance(values[0], str) or type(values[1]) is not int:
        raise paging.BadCursor(cursor)
    return values[0]


_MARKS = ("\x00number", -7_919_000_000_000_001)
NOT_REMOVED = ("actief", "buiten_gebruik")


def _landing():
    """The list as it opens (every object not verwijderd), its first page and the pages after
    a cursor: SQL compiled once (building it cost more than SQLite answering it)."""
    def listed():
        return list_select().where(Object.status.in_(NOT_REMOVED))

    first = Compiled(lambda limit: listed().order_by(Object.number).limit(limit), _MARKS[1:])
    after = Compiled(lambda number, limit: listed().where(Object.number > number)
                     .order_by(Object.number).limit(limit), _MARKS)
    return first, after


_LANDING = _landing()


def list_page(query, cursor: str | None, limit: int):
    """(ListRows, next cursor): a page of `query` (a `list_select()` narrowed by
    `find_objects`), or with `query` None of the landing list (objects not verwijderd).
    Raises paging.BadCursor for a cursor that is not one of ours."""
    number = _after(cursor) if cursor else None
    if query is None:
        first, after = _LANDING
        found = (first.execute(limit + 1) if number is None
                 else after.execute(number, limit + 1))
    else:
        if number is not None:
            query = query.where(Object.number > number)
        found = db.execute(query.order_by(Object.number).limit(limit + 1).tuples())
    rows = [ListRow(row) for row in found]
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = paging.encode([rows[-1].number, rows[-1].id]) if more else None
    return rows, next_cursor
