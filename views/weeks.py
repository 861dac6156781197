"""The planbord's week in a URL ("2026-W48"): read and written here, so the planbord and every
link to one of its weeks (the contract page's timeline) agree."""

import re
from datetime import date, timedelta

from models.common.validation import in_range

WEEK_RE = re.compile(r"^(\d{4})-W(\d{1,2})$")


def week_start(value: str | None, today: date) -> date:
    """Monday of the ISO week "2026-W48"; the current week when absent or not a real week (or
    one whose neighbours a date cannot hold: 9999-W52 has no next week)."""
    match = WEEK_RE.match((value or "").strip())
    if match and in_range(int(match[1])):
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    return today - timedelta(days=today.weekday())


def week_key(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"
