"""The company's free days as stored in Instellingen, in the form the schedule engine reads."""

from models.db import db, execute_prepared
from models.schedule.holiday_calendar import HOLIDAY_KINDS, FreeDays
from models.stamdata.instellingen import ClosureDay, HolidaySetting

# plain SQL: these run on every preview request, and building them with the query builder
# cost more than executing them
KINDS_SQL = f"SELECT kind, enabled FROM {HolidaySetting._meta.table_name}"  # noqa: S608
CLOSURES_SQL = f"SELECT date, description FROM {ClosureDay._meta.table_name}"  # noqa: S608
# Both as one result; each column one type on PostgreSQL too (a UNION needs that): the kind or
# the date as text, "ja"/"" for enabled beside the description.
FREE_DAYS_SQL = (
    f"SELECT 1, kind, CASE WHEN enabled THEN 'ja' ELSE '' END "  # noqa: S608
    f"FROM {HolidaySetting._meta.table_name} "
    f"UNION ALL SELECT 2, CAST(date AS TEXT), description FROM {ClosureDay._meta.table_name}")


def _kinds(rows) -> set[str]:
    stored = {kind: bool(enabled) for kind, enabled in rows}
    return {key for key, _label, default in HOLIDAY_KINDS if stored.get(key, default)}


def _closures(rows) -> dict:
    return {ClosureDay.date.python_value(day): description for day, description in rows}


def enabled_kinds() -> set[str]:
    return _kinds(db.execute_sql(KINDS_SQL))


def closure_days() -> dict:
    return _closures(db.execute_sql(CLOSURES_SQL))


def free_days() -> FreeDays:
    """Both in one query (a query costs more than these few rows); callers use one per
    request or job run."""
    rows = execute_prepared(FREE_DAYS_SQL).fetchall()  # (PostgreSQL web: planned once)
    return FreeDays(enabled_kinds=_kinds(r[1:] for r in rows if r[0] == 1),
                    closure_days=_closures(r[1:] for r in rows if r[0] == 2))
