"""Keyset pagination: stays fast however deep the cursor, unlike OFFSET."""

import base64
import json

from peewee import Tuple


class BadCursor(ValueError):
    pass


def encode(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def decode(cursor: str) -> list:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, RecursionError) as exc:  # "[[[[..." in a cursor: too deep
        raise BadCursor(cursor) from exc
    if not isinstance(values, list) or not all(_plain(v) for v in values):
        raise BadCursor(cursor)
    return values


def _plain(value) -> bool:
    """What our cursors hold: text, null, or a whole number a database column can take (a
    list, an object or 10**30 went on to the SQL and failed there)."""
    if value is None or isinstance(value, str):
        return True
    return type(value) is int and -(2**63) <= value < 2**63


def page(query, fields, cursor: str | None, limit: int):
    """(rows, next_cursor). `fields` is the ordering, its last field unique (usually the id)."""
    if cursor:
        values = decode(cursor)
        # ending in the id, a cursor needs a whole number there: ["x"] or [null] matched
        # nothing and gave an empty page instead of "Ongeldige cursor"
        if len(values) != len(fields) or (getattr(fields[-1], "primary_key", False)
                                          and type(values[-1]) is not int):
            raise BadCursor(cursor)
        if len(fields) == 1:
            query = query.where(fields[0] > values[0])
        else:
            query = query.where(Tuple(*fields) > Tuple(*values))
    rows = list(query.order_by(*fields).limit(limit + 1))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = encode([_value(rows[-1], f) for f in fields]) if more else None
    return rows, next_cursor


def _value(row, field):
    """The row's value of an ordering field, also of a joined model's field (contracts sorted
    on their klant's name: Klant.name lives on row.klant, and row.name raised a 500)."""
    if isinstance(row, field.model):
        return getattr(row, field.name)
    for related in row.__rel__.values():
        if isinstance(related, field.model):
            return getattr(related, field.name)
    raise ValueError(f"{field} is not in the selected rows")
