"""The one place where a person's change to a werkbon is checked and written.

The web pages (list, detail, planbord) and the API all call `change`, so a rule and its Dutch
message exist once. A change by a person marks the werkbon `changed_by_hand`: regeneration of its
contract leaves it alone from then on. `serialise` is the API shape; `page` the keyset pagination
over (due_date, id) that the list and the API share.
"""

import re
from datetime import date, datetime
from functools import lru_cache

from peewee import JOIN, Tuple

from models.common.validation import DATE_RANGE_MESSAGE, INTEGER, TEXT, control_problem, in_range
from models.contracten import Contract
from models.db import Compiled, audit, is_sqlite, locked, paging, write_transaction
from models.db.base import utcnow
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import OPEN_CONDITION, STARTED, STATUSES, TRANSITIONS, Werkbon

FIELDS = ("medewerker_id", "planned_start", "status", "cancel_reason")
# the JSON types of the API's PATCH /werkbonnen/<id> (models.validation.type_errors)
API_TYPES = {"medewerker_id": INTEGER, "planned_start": TEXT, "status": TEXT,
             "cancel_reason": TEXT}
WINDOWS = (512, 8192)  # index entries a list page looks at before SQLite may sort instead
CLOSED = ("afgerond", "geannuleerd")
MAX_REASON = 200
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
DATETIME_MESSAGE = "Vul een datum en tijd in, bijvoorbeeld 2026-03-10T08:30."


def serialise(werkbon: Werkbon) -> dict:
    """The API shape of a werkbon (also what the audit trail compares)."""
    return {
        "id": werkbon.id,
        "number": werkbon.number,
        "contract_id": werkbon.contract_id,
        "klant_id": werkbon.klant_id,
        "due_date": werkbon.due_date.isoformat() if werkbon.due_date else None,
        "generated_on": werkbon.generated_on.isoformat() if werkbon.generated_on else None,
        "status": werkbon.status,
        "medewerker_id": werkbon.medewerker_id,
        "planned_start": _iso(werkbon.planned_start),
        "duration_minutes": werkbon.duration_minutes,
        "description": werkbon.description,
        "changed_by_hand": werkbon.changed_by_hand,
        "cancel_reason": werkbon.cancel_reason,
    }


def _iso(moment) -> str | None:
    if not isinstance(moment, datetime):
        return None
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def _medewerker_id(value):
    """(id or None, error). Web forms send strings, the API numbers or null."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,18}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        return None, "Kies een medewerker uit de lijst."
    return value, None


def _planned_start(value):
    """(local naive datetime or None, error)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return None, "Geef een lokale datum en tijd, zonder tijdzone."
        parsed = value
    elif isinstance(value, str) and DATETIME_RE.match(value.strip()):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None, "Deze datum of tijd bestaat niet."
    else:
        return None, DATETIME_MESSAGE
    # the planbord (and every date in Cadans) keeps to the one range: a werkbon planned in
    # the year 9999 could never be found on it again
    if not in_range(parsed):
        return None, DATE_RANGE_MESSAGE
    return parsed.replace(second=0, microsecond=0), None


def check(werkbon: Werkbon, data: dict) -> tuple[dict, dict]:
    """(the werkbon's new column values, errors). Pure reading: nothing is written."""
    if not isinstance(data, dict):
        return {}, {"body": "Geef de wijzigingen als een object."}
    errors = {str(k): "Onbekend veld." for k in data if k not in FIELDS}
    current = werkbon.status
    values = {"medewerker": werkbon.medewerker_id, "planned_start": werkbon.planned_start,
              "status": current, "cancel_reason": werkbon.cancel_reason}

    if "medewerker_id" in data:
        mid, problem = _medewerker_id(data["medewerker_id"])
        if problem is None and mid is not None:
            medewerker = Medewerker.get_or_none(Medewerker.id == mid)
            if medewerker is None:
                problem = "Deze medewerker bestaat niet."
            elif not medewerker.active and mid != werkbon.medewerker_id:
                problem = f"{medewerker.name} is niet actief; kies een actieve medewerker."
        if problem:
            errors["medewerker_id"] = problem
        else:
            values["medewerker"] = mid

    if "planned_start" in data:
        start, problem = _planned_start(data["planned_start"])
        if problem:
            errors["planned_start"] = problem
        else:
            values["planned_start"] = start

    if "cancel_reason" in data:
        reason = data["cancel_reason"]
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            errors["cancel_reason"] = "Geef de reden als tekst."
        elif problem := control_problem(reason.strip()):
            errors["cancel_reason"] = problem
        elif len(reason.strip()) > MAX_REASON:
            errors["cancel_reason"] = f"Maximaal {MAX_REASON} tekens."
        else:
            values["cancel_reason"] = reason.strip()

    planned = values["medewerker"] is not None and values["planned_start"] is not None
    if "status" in data:
        status = data["status"]
        if not isinstance(status, str) or status not in STATUSES:
            errors["status"] = "Onbekende status; kies " + ", ".join(STATUSES) + "."
        elif status != current and status not in TRANSITIONS[current]:
            errors["status"] = (f"Een werkbon met status {STATUSES[current].lower()} kan niet "
                                f"naar {STATUSES[status].lower()}.")
        elif status == "ingepland" and not planned:
            errors["status"] = "Kies eerst een medewerker en een datum en tijd om in te plannen."
        elif status in STARTED and status != current and values["medewerker"] is None:
            # onderweg, in uitvoering, afgerond: someone went; open -> onderweg took nobody
            errors["status"] = (f"Kies eerst een medewerker: een werkbon kan niet "
                                f"{STATUSES[status].lower()} zijn zonder iemand die gaat.")
        else:
            values["status"] = status
    elif current == "open" and planned:
        values["status"] = "ingepland"
    elif current == "ingepland" and not planned:
        values["status"] = "open"
    if values["status"] == "open" and "status" in data and planned:
        # open is "deadline only": a planned werkbon set to open is taken off the planbord (it
        # stayed there, counted as unplanned on the dashboard and missing from the list to plan)
        if ("medewerker_id" in data and values["medewerker"] is not None
                and values["medewerker"] != werkbon.medewerker_id) or (
                "planned_start" in data and values["planned_start"] is not None
                and values["planned_start"] != werkbon.planned_start):
            errors.setdefault("status", "Een open werkbon is niet ingepland: laat medewerker "
                              "en tijd leeg, of kies status ingepland.")
        else:
            values["medewerker"] = values["planned_start"] = None

    new = values["status"]
    if new == "geannuleerd" and current != "geannuleerd" and not values["cancel_reason"]:
        errors.setdefault("cancel_reason", "Geef een reden om de werkbon te annuleren.")
    if current == "geannuleerd" and new != "geannuleerd" and "cancel_reason" not in data:
        values["cancel_reason"] = ""  # reopened: the old reason stays in the history only
    if new != "geannuleerd" and values["cancel_reason"] and "cancel_reason" in data \
            and "status" not in errors:  # a refused status says it already
        errors.setdefault("cancel_reason",
                          "Een reden hoort alleen bij het annuleren (status geannuleerd).")
    if current in CLOSED and new in CLOSED:
        hint = " Heropen hem eerst." if current == "geannuleerd" else ""
        message = (f"Deze werkbon is {STATUSES[current].lower()}; de planning verandert niet "
                   f"meer.{hint}")
        if "medewerker_id" in data and values["medewerker"] != werkbon.medewerker_id:
            errors.setdefault("medewerker_id", message)
        if "planned_start" in data and values["planned_start"] != werkbon.planned_start:
            errors.setdefault("planned_start", message)
    return values, errors


def _action(before: dict, after: dict) -> str:
    if after["status"] != before["status"]:
        return {"ingepland": "ingepland", "geannuleerd": "geannuleerd",
                "open": "heropend" if before["status"] == "geannuleerd" else "uitgepland"}.get(
            after["status"], "status gewijzigd")
    return "gewijzigd"


def change(werkbon: Werkbon, data: dict, actor: str) -> tuple[Werkbon, dict]:
    """(werkbon, errors). Checked against the row as it is inside the write transaction, so a
    transition is judged on the current status even when someone else changed it meanwhile
    (locked: on PostgreSQL a second change waits for this one and is judged on its result).
    With errors nothing is written; otherwise the change and its audit row commit together."""
    with write_transaction():
        fresh = locked(Werkbon.select().where(Werkbon.id == werkbon.id)).first()
        if fresh is None:
            return werkbon, {"id": "Deze werkbon bestaat niet (meer)."}
        values, errors = check(fresh, data)
        if errors:
            return fresh, errors
        before = serialise(fresh)
        row = {"medewerker": values["medewerker"], "planned_start": values["planned_start"],
               "status": values["status"], "cancel_reason": values["cancel_reason"]}
        after = {**before, "medewerker_id": row["medewerker"],
                 "planned_start": _iso(row["planned_start"]), "status": row["status"],
                 "cancel_reason": row["cancel_reason"], "changed_by_hand": True}
        changes = audit.diff(before, after)
        if not changes:
            return fresh, {}
        from models.sla_service import record_progress

        progress = record_progress(fresh, row["status"])  # SLA: first response, resolution
        Werkbon.update(**row, **progress, changed_by_hand=True, updated_at=utcnow()).where(
            Werkbon.id == fresh.id).execute()
        audit.record("werkbon", fresh.id, _action(before, after), actor, changes)
        return Werkbon.get_by_id(fresh.id), {}


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
                Werkbon.sla_business_hours)


def list_select():
    """The LIST_COLUMNS of werkbonnen, with their klant's, contract's and medewerker's name or
    number, in one query (filters are added by the caller); read it with `list_rows`."""
    return with_related(
        Werkbon.select(*LIST_COLUMNS, Klant.name, Contract.number, Medewerker.name))


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
                 "sla_business_hours", "klant_name", "contract_number", "medewerker_name")

    def __init__(self, row: tuple):
        (self.id, self.number, self.contract_id, self.klant_id, due, self.status,
         self.medewerker_id, planned, self.description, self.cancel_reason, reported, response,
         resolve, responded, resolved, business, self.klant_name, self.contract_number,
         self.medewerker_name) = row
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
# what is still to do: read from its own partial index (models/werkbonnen.py OPEN_INDEX)
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
