"""The company's free days as stored in Instellingen, in the form the schedule engine reads."""

from models.holiday_calendar import HOLIDAY_KINDS, FreeDays
from models.instellingen import ClosureDay, HolidaySetting


def enabled_kinds() -> set[str]:
    stored = {s.kind: s.enabled for s in HolidaySetting.select()}
    return {key for key, _label, default in HOLIDAY_KINDS if stored.get(key, default)}


def closure_days() -> dict:
    return {c.date: c.description for c in ClosureDay.select()}


def free_days() -> FreeDays:
    """Two small queries; callers use one per request or job run."""
    return FreeDays(enabled_kinds=enabled_kinds(), closure_days=closure_days())
