"""Month ends and leap years: strict RFC rules skip, the planner's clamping rules fall back."""

from datetime import date

import pytest

from models.schedule.definition import Schedule
from models.schedule.expand import occurrences, occurrences_between


def d(text: str) -> date:
    return date.fromisoformat(text)


def expand(start: str, rrule: str, count: int, after: str | None = None) -> list[str]:
    found, _more = occurrences(Schedule(d(start), rrule), {}, d(after or start), count)
    return [occurrence.date.isoformat() for occurrence in found]


CLAMP_31 = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"
CLAMP_30 = "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"
CLAMP_29 = "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"
FEB_29_CLAMPED = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"

# fmt: off
CASES = [
    pytest.param("2024-01-31", CLAMP_31, None, [
        "2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30",
        "2024-07-31", "2024-08-31", "2024-09-30", "2024-10-31", "2024-11-30", "2024-12-31",
        "2025-01-31", "2025-02-28",
    ], id="clamp-31-leap-2024"),
    pytest.param("2028-01-01", CLAMP_30, None, [
        "2028-01-30", "2028-02-29", "2028-03-30", "2028-04-30", "2028-05-30",
    ], id="clamp-30-leap-2028"),
    pytest.param("2100-01-01", CLAMP_29, None, [
        "2100-01-29", "2100-02-28", "2100-03-29",
    ], id="clamp-29-2100-not-leap"),
    pytest.param("2096-01-01", CLAMP_29, None, [
        "2096-01-29", "2096-02-29", "2096-03-29",
    ], id="clamp-29-2096-leap"),
    pytest.param("2026-01-01", "FREQ=MONTHLY;BYMONTHDAY=31", None, [
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31",
        "2026-12-31",
    ], id="strict-31-skips-short-months"),
    pytest.param("2026-01-31", "FREQ=MONTHLY", None, [
        "2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31",
    ], id="day-from-start-31-strict"),
    pytest.param("2026-01-30", "FREQ=MONTHLY", None, [
        "2026-01-30", "2026-03-30", "2026-04-30",
    ], id="day-from-start-30-skips-february"),
    pytest.param("2024-02-29", "FREQ=YEARLY", None, [
        "2024-02-29", "2028-02-29", "2032-02-29",
    ], id="yearly-from-29-feb-strict"),
    pytest.param("2096-01-01", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", None, [
        "2096-02-29", "2104-02-29",
    ], id="strict-29-feb-skips-2100"),
    pytest.param("2024-01-01", FEB_29_CLAMPED, None, [
        "2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29",
    ], id="clamped-29-feb"),
    pytest.param("2096-01-01", FEB_29_CLAMPED, None, [
        "2096-02-29", "2097-02-28", "2098-02-28", "2099-02-28", "2100-02-28", "2101-02-28",
        "2102-02-28", "2103-02-28", "2104-02-29",
    ], id="clamped-29-feb-around-2100"),
    pytest.param("2100-01-01", "FREQ=MONTHLY;BYMONTHDAY=-1", None, [
        "2100-01-31", "2100-02-28", "2100-03-31",
    ], id="last-day-2100"),
    pytest.param("2026-01-01", "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", None, [
        "2026-11-27", "2027-11-26", "2028-11-24", "2029-11-30", "2030-11-29",
    ], id="last-friday-of-november"),
    pytest.param("2026-01-01", "FREQ=MONTHLY;BYMONTH=4,5,6,7,8,9,10;BYDAY=2TU", None, [
        "2026-04-14", "2026-05-12", "2026-06-09", "2026-07-14", "2026-08-11", "2026-09-08",
        "2026-10-13", "2027-04-13",
    ], id="season-april-to-october"),
    pytest.param("2026-01-01", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", None, [
        "2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01", "2027-01-01",
    ], id="quarterly"),
    pytest.param("2026-03-10", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", None, [
        "2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13", "2026-03-16",
    ], id="workdays"),
    pytest.param("2026-02-27", "FREQ=DAILY;INTERVAL=3", None, [
        "2026-02-27", "2026-03-02", "2026-03-05",
    ], id="every-3-days-over-february"),
]
# fmt: on


@pytest.mark.parametrize(("start", "rrule", "after", "expected"), CASES)
def test_month_ends_and_leap_years(start, rrule, after, expected):
    assert expand(start, rrule, len(expected), after) == expected


@pytest.mark.parametrize("year", [2024, 2025, 2028, 2100])
@pytest.mark.parametrize(("rrule", "day"), [(CLAMP_31, 31), (CLAMP_30, 30), (CLAMP_29, 29)])
def test_clamping_rule_gives_one_date_a_month(year, rrule, day):
    found = occurrences_between(
        Schedule(date(year, 1, 1), rrule), {}, date(year, 1, 1), date(year, 12, 31)
    )
    assert [o.date.month for o in found] == list(range(1, 13))
    february = 29 if year in (2024, 2028) else 28
    expected_days = [
        min(day, last) for last in (31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    ]
    assert [o.date.day for o in found] == expected_days
