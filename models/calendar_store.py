"""The company's free days as stored in Instellingen, in the form the schedule engine reads."""

from models.db import db
from models.holiday_calendar import HOLIDAY_KINDS, FreeDays
from models.instellingen import ClosureDay, HolidaySetting


def enabled_kinds() -> set[str]:
    # plain SQL: these run on every preview request, and building them with the query builder
    # cost more than executing them
    rows = db.execute_sql(f"SELECT kind, enabled FROM {HolidaySetting._meta.table_name}")
    stored = {kind: bool(enabled) for kind, enabled in rows}
    return {key for key, _label, default in HOLIDAY_KINDS if stored.get(key, default)}


def closure_days() -> dict:
    rows = db.execute_sql(f"SELECT date, description FROM {ClosureDay._meta.table_name}")
    return {ClosureDay.date.python_value(day): description for day, description in rows}


def free_days() -> FreeDays:
    """Two small queries; callers use one per request or job run."""
    return FreeDays(enabled_kinds=enabled_kinds(), closure_days=closure_days())
