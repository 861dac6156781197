"""Dutch date formatting for the planner's screens.

Planners read dates as "di 10 mrt 2026"; relying on the process locale (strftime %a/%b) would
make the output depend on how the server was installed, so the names live here.
"""

from __future__ import annotations

from datetime import date

WEEKDAYS_LONG = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
WEEKDAYS_SHORT = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS_LONG = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
MONTHS_SHORT = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def short_date(d: date) -> str:
    """'di 10 mrt 2026' — compact enough for lists and the planning board."""
    return f"{WEEKDAYS_SHORT[d.weekday()]} {d.day} {MONTHS_SHORT[d.month - 1]} {d.year}"


def long_date(d: date) -> str:
    """'31 december 2027' — for sentences such as the schedule description."""
    return f"{d.day} {MONTHS_LONG[d.month - 1]} {d.year}"


def weekday_long(d: date) -> str:
    """'dinsdag'."""
    return WEEKDAYS_LONG[d.weekday()]


def month_name(month: int) -> str:
    """'maart' for 3."""
    return MONTHS_LONG[month - 1]


def count(n: int, one: str, many: str) -> str:
    """"1 dag", "14 dagen", "0 werkbonnen": the number with the word it counts, never "dag(en)"."""
    return f"{n} {one if n == 1 else many}"
