"""Finding werkadressen and objecten: what the lists, the werkadres picker and the API search.
A search term matches the small tables on their own (klanten by name, werkadressen by name,
street, postcode and city, objecttypen by name) and the objects by their own columns and by
those ids: no LIKE through a join for every object. "4141hd" finds 4141 HD.
"""

from peewee import Tuple, fn

from models.common.validation import normalise_postcode, search_text
from models.db import Compiled, db, paging
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant


def werkadres_condition(q: str):
    """SQL over Werkadres: its name, street, postcode or city, or its klant's name, has `q`."""
    condition = (Werkadres.name.contains(q) | Werkadres.street.contains(q)
                 | Werkadres.city.contains(q) | Werkadres.postcode.contains(q)
                 | Werkadres.klant.in_(Klant.select(Klant.id).where(Klant.name.contains(q))))
    if postcode := normalise_postcode(q):
        condition |= Werkadres.postcode == postcode
    return condition


def werkadressen(query, q: str):
    """`query` (over Werkadres) narrowed to the werkadressen `q` finds."""
    q = search_text(q).strip()
    return query.where(werkadres_condition(q)) if q else query


def objects():
    """Objects with their werkadres, klant and objecttype, in one query."""
    return (Object.select(Object, Werkadres, Klant, Objecttype)
            .join(Werkadres).join(Klant).switch(Object).join(Objecttype).switch(Object))


def find_objects(query, q: str = "", klant_id: int | None = None,
                 werkadres_id: int | None = None, objecttype_id: int | None = None,
                 statuses: tuple[str, ...] | None = None):
    """`query` (over Object) narrowed: `q` in the number, brand, model, serial number,
    location, objecttype, werkadres or klant; the other arguments when given."""
    q = search_text(q).strip()
    if q:
        places = Werkadres.select(Werkadres.id).where(werkadres_condition(q))
        kinds = Objecttype.select(Objecttype.id).where(Objecttype.name.contains(q))
        query = query.where(Object.number.contains(q) | Object.brand.contains(q)
                            | Object.model.contains(q) | Object.serial_number.contains(q)
                            | Object.location.contains(q) | Object.objecttype.in_(kinds)
                            | Object.werkadres.in_(places))
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
    __slots__ = ("id", "number", "status", "brand", "model", "location", "objecttype",
                 "street", "house_number", "postcode", "city", "klant")

    def __init__(self, row: tuple):
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
