"""SLA clocks: business and calendar deadlines, time left, Dutch labels, werktijden parsing.

Every expected value below was worked out by hand from a calendar (weekdays and the 2026 DST
switches checked with GNU `date`), not copied from the code's output. 2026 facts used: Koningsdag
Mon 27 April, Hemelvaartsdag Thu 14 May, Tweede paasdag Mon 6 April (Goede Vrijdag Fri 3 April is
not a day off by default), Kerst Fri 25 + Sat 26 December, Nieuwjaarsdag 2027 on a Friday. Summer
time starts Sun 29 March (02:00 -> 03:00) and ends Sun 25 October (03:00 -> 02:00).
"""

import ast
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.schedule.holiday_calendar import FreeDays
from models.sla.clock import (
    DEFAULT_HOURS,
    END_OF_DAY,
    NO_HOURS_MESSAGE,
    TOO_FAR_MESSAGE,
    ClockState,
    add_business,
    add_calendar,
    business_seconds_between,
    deadline,
    format_remaining,
    hours_text,
    parse_hours,
    state_at,
)

AMS = ZoneInfo("Europe/Amsterdam")
FREE = FreeDays()
CLOSED_28_DEC = FreeDays(closure_days={date(2026, 12, 28): "Collectieve vrije dag"})
NO_FREE_DAYS: frozenset[date] = frozenset()

WEEKDAYS = range(5)
LUNCH = {day: [(time(8), time(12)), (time(13), time(17))] for day in WEEKDAYS}
SHORT_FRIDAY = {**{day: [(time(8), time(17))] for day in range(4)}, 4: [(time(8), time(12))]}
ALWAYS = {day: [(time(0), END_OF_DAY)] for day in range(7)}
NIGHTS = {day: [(time(1), time(4))] for day in range(7)}
SCHEDULES = {"default": DEFAULT_HOURS, "lunch": LUNCH, "always": ALWAYS, "nights": NIGHTS}


def at(text: str) -> datetime:
    """A wall-clock moment in Amsterdam (never on an ambiguous hour in these tables)."""
    return datetime.fromisoformat(text).replace(tzinfo=AMS)


# -- purity (same check as test_schedule_purity, for this module) ------------------------------


def test_module_is_pure():
    source = (Path(__file__).resolve().parents[2] / "models" / "sla" / "clock.py").read_text()
    forbidden = {"flask", "flask_htmx", "peewee", "playhouse", "redis", "rq", "valkey", "jinja2"}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]}
        else:
            continue
        assert not roots & forbidden, f"sla_clock imports {roots & forbidden}"
    for clock in ("today(", "now(", "utcnow(", "time.time("):
        assert clock not in source, f"sla_clock reads the clock via {clock}"


# -- business hours: tables ----------------------------------------------------------------------

# fmt: off
BUSINESS = [
    # start (Amsterdam wall clock), amount, unit, hours, free days, expected (ISO with offset)
    pytest.param("2026-03-09 09:00", 4, "uren", DEFAULT_HOURS, FREE, "2026-03-09T13:00:00+01:00",
                 id="within-a-day"),
    pytest.param("2026-03-09 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-03-10T09:00:00+01:00",
                 id="across-a-night"),
    pytest.param("2026-03-13 16:00", 3, "uren", DEFAULT_HOURS, FREE, "2026-03-16T10:00:00+01:00",
                 id="across-a-weekend"),
    pytest.param("2026-03-09 16:00", 1, "uren", DEFAULT_HOURS, FREE, "2026-03-09T17:00:00+01:00",
                 id="ends-at-closing-not-next-opening"),
    pytest.param("2026-03-09 10:00", 16, "uren", DEFAULT_HOURS, FREE, "2026-03-10T17:00:00+01:00",
                 id="16-hours-is-7-plus-9"),
    pytest.param("2026-03-09 16:30", 45, "minuten", DEFAULT_HOURS, FREE,
                 "2026-03-10T08:15:00+01:00", id="minutes-across-a-night"),
    pytest.param("2026-03-09 08:00", 540, "minuten", DEFAULT_HOURS, FREE,
                 "2026-03-09T17:00:00+01:00", id="a-whole-day-in-minutes"),
    pytest.param("2026-04-24 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-04-28T09:00:00+02:00",
                 id="koningsdag"),
    pytest.param("2026-05-13 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-05-15T09:00:00+02:00",
                 id="hemelvaart"),
    pytest.param("2026-04-02 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-04-03T09:00:00+02:00",
                 id="goede-vrijdag-is-a-workday"),
    pytest.param("2026-04-03 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-04-07T09:00:00+02:00",
                 id="tweede-paasdag"),
    pytest.param("2026-12-24 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2026-12-28T09:00:00+01:00",
                 id="kerst"),
    pytest.param("2026-12-31 16:00", 2, "uren", DEFAULT_HOURS, FREE, "2027-01-04T09:00:00+01:00",
                 id="nieuwjaarsdag-next-year"),
    pytest.param("2026-12-24 16:00", 2, "uren", DEFAULT_HOURS, CLOSED_28_DEC,
                 "2026-12-29T09:00:00+01:00", id="kerst-plus-closure-day"),
    pytest.param("2026-03-14 10:00", 1, "uren", DEFAULT_HOURS, FREE, "2026-03-16T09:00:00+01:00",
                 id="start-saturday"),
    pytest.param("2026-03-10 06:00", 1, "uren", DEFAULT_HOURS, FREE, "2026-03-10T09:00:00+01:00",
                 id="start-before-opening"),
    pytest.param("2026-03-10 18:00", 1, "uren", DEFAULT_HOURS, FREE, "2026-03-11T09:00:00+01:00",
                 id="start-after-closing"),
    pytest.param("2026-03-09 17:00", 1, "uren", DEFAULT_HOURS, FREE, "2026-03-10T09:00:00+01:00",
                 id="closing-time-is-outside"),
    pytest.param("2026-03-09 11:00", 2, "uren", LUNCH, FREE, "2026-03-09T14:00:00+01:00",
                 id="lunch-break"),
    pytest.param("2026-03-09 12:30", 1, "uren", LUNCH, FREE, "2026-03-09T14:00:00+01:00",
                 id="start-in-lunch-break"),
    pytest.param("2026-03-09 11:30", 30, "minuten", LUNCH, FREE, "2026-03-09T12:00:00+01:00",
                 id="ends-at-lunch-not-after"),
    pytest.param("2026-03-09 10:00", 0, "uren", DEFAULT_HOURS, FREE, "2026-03-09T10:00:00+01:00",
                 id="zero-inside-hours"),
    pytest.param("2026-03-14 10:00", 0, "uren", DEFAULT_HOURS, FREE, "2026-03-16T08:00:00+01:00",
                 id="zero-outside-hours-is-next-opening"),
    pytest.param("2026-03-14 10:00", 0, "dagen", DEFAULT_HOURS, FREE, "2026-03-16T08:00:00+01:00",
                 id="zero-days-outside-hours"),
    # business days
    pytest.param("2026-03-13 16:00", 2, "dagen", DEFAULT_HOURS, FREE, "2026-03-17T16:00:00+01:00",
                 id="issue-example-friday-plus-2-days"),
    pytest.param("2026-03-09 10:00", 1, "dagen", DEFAULT_HOURS, FREE, "2026-03-10T10:00:00+01:00",
                 id="one-day"),
    pytest.param("2026-03-09 10:00", 5, "dagen", DEFAULT_HOURS, FREE, "2026-03-16T10:00:00+01:00",
                 id="five-days-a-week"),
    pytest.param("2026-03-09 10:00", 10, "dagen", DEFAULT_HOURS, FREE, "2026-03-23T10:00:00+01:00",
                 id="ten-days"),
    pytest.param("2026-03-14 10:00", 1, "dagen", DEFAULT_HOURS, FREE, "2026-03-16T17:00:00+01:00",
                 id="saturday-plus-1-day-is-monday-end"),
    pytest.param("2026-03-09 08:00", 1, "dagen", DEFAULT_HOURS, FREE, "2026-03-09T17:00:00+01:00",
                 id="opening-plus-1-day-is-same-day-end"),
    pytest.param("2026-03-09 17:00", 1, "dagen", DEFAULT_HOURS, FREE, "2026-03-10T17:00:00+01:00",
                 id="closing-plus-1-day-is-next-day-end"),
    pytest.param("2026-04-24 16:00", 1, "dagen", DEFAULT_HOURS, FREE, "2026-04-28T16:00:00+02:00",
                 id="days-skip-koningsdag"),
    pytest.param("2026-12-24 10:00", 1, "dagen", DEFAULT_HOURS, CLOSED_28_DEC,
                 "2026-12-29T10:00:00+01:00", id="days-skip-kerst-and-closure"),
    pytest.param("2026-01-05 10:00", 253, "dagen", DEFAULT_HOURS, FREE,
                 "2026-12-31T10:00:00+01:00", id="all-working-days-of-2026"),
    pytest.param("2026-01-05 10:00", 254, "dagen", DEFAULT_HOURS, FREE,
                 "2027-01-04T10:00:00+01:00", id="into-2027-past-nieuwjaarsdag"),
    pytest.param("2026-03-09 12:30", 1, "dagen", LUNCH, FREE, "2026-03-10T12:00:00+01:00",
                 id="day-from-lunch-is-4h-plus-4h"),
    pytest.param("2026-03-09 14:00", 1, "dagen", LUNCH, FREE, "2026-03-10T14:00:00+01:00",
                 id="day-with-lunch"),
    pytest.param("2026-03-12 14:00", 1, "dagen", SHORT_FRIDAY, FREE, "2026-03-13T12:00:00+01:00",
                 id="clock-time-after-short-friday-closes"),
    pytest.param("2026-03-11 14:00", 2, "dagen", SHORT_FRIDAY, FREE, "2026-03-13T12:00:00+01:00",
                 id="two-days-to-short-friday"),
    pytest.param("2026-03-13 10:00", 1, "dagen", SHORT_FRIDAY, FREE, "2026-03-16T10:00:00+01:00",
                 id="short-friday-to-monday"),
    # DST: a 24/7 desk counts real hours; a day keeps the wall-clock time
    pytest.param("2026-03-28 12:00", 24, "uren", ALWAYS, NO_FREE_DAYS, "2026-03-29T13:00:00+02:00",
                 id="24-7-spring-forward"),
    pytest.param("2026-10-24 12:00", 24, "uren", ALWAYS, NO_FREE_DAYS, "2026-10-25T11:00:00+01:00",
                 id="24-7-fall-back"),
    pytest.param("2026-03-28 12:00", 1, "dagen", ALWAYS, NO_FREE_DAYS, "2026-03-29T12:00:00+02:00",
                 id="24-7-day-keeps-clock-time"),
    # nights 01:00-04:00: 3 h, but 2 h on 29 March and 4 h on 25 October
    pytest.param("2026-03-28 01:00", 5, "uren", NIGHTS, NO_FREE_DAYS, "2026-03-29T04:00:00+02:00",
                 id="nights-short-night"),
    pytest.param("2026-03-28 01:00", 6, "uren", NIGHTS, NO_FREE_DAYS, "2026-03-30T02:00:00+02:00",
                 id="nights-past-short-night"),
    pytest.param("2026-10-24 01:00", 6, "uren", NIGHTS, NO_FREE_DAYS, "2026-10-25T03:00:00+01:00",
                 id="nights-long-night"),
    pytest.param("2026-10-24 01:00", 270, "minuten", NIGHTS, NO_FREE_DAYS,
                 "2026-10-25T02:30:00+02:00", id="nights-first-0230"),
    pytest.param("2026-10-24 01:00", 330, "minuten", NIGHTS, NO_FREE_DAYS,
                 "2026-10-25T02:30:00+01:00", id="nights-second-0230"),
    pytest.param("2026-10-24 01:00", 7, "uren", NIGHTS, NO_FREE_DAYS, "2026-10-25T04:00:00+01:00",
                 id="nights-whole-long-night"),
]
# fmt: on


@pytest.mark.parametrize(("start", "amount", "unit", "hours", "free", "expected"), BUSINESS)
def test_add_business(start, amount, unit, hours, free, expected):
    result = add_business(at(start), amount, unit, hours, free)
    assert result.isoformat() == expected
    assert result.tzinfo == AMS


def test_start_in_another_time_zone():
    start = datetime(2026, 3, 9, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam
    result = add_business(start, 4, "uren", DEFAULT_HOURS, FREE)
    assert result.isoformat() == "2026-03-09T13:00:00+01:00"


def test_other_company_time_zone():
    # 08:00-17:00 London is 09:00-18:00 Amsterdam; Monday 16:00 UTC + 2 h -> Tuesday 09:00 UTC
    start = datetime(2026, 3, 9, 16, 0, tzinfo=UTC)
    result = add_business(start, 2, "uren", DEFAULT_HOURS, NO_FREE_DAYS, tz="Europe/London")
    assert result.isoformat() == "2026-03-10T09:00:00+00:00"


# fmt: off
BETWEEN = [
    ("2026-03-09 10:00", "2026-03-09 10:00", DEFAULT_HOURS, 0),
    ("2026-03-09 10:00", "2026-03-09 12:30", DEFAULT_HOURS, 9000),
    ("2026-03-09 16:00", "2026-03-10 09:00", DEFAULT_HOURS, 2 * 3600),
    ("2026-03-09 00:00", "2026-03-16 00:00", DEFAULT_HOURS, 45 * 3600),
    ("2026-04-27 00:00", "2026-05-04 00:00", DEFAULT_HOURS, 36 * 3600),  # Koningsdag week
    ("2026-03-13 17:00", "2026-03-16 08:00", DEFAULT_HOURS, 0),          # a weekend
    ("2026-03-09 07:00", "2026-03-09 19:00", LUNCH, 8 * 3600),
    ("2026-03-29 00:00", "2026-03-30 00:00", ALWAYS, 23 * 3600),
    ("2026-10-25 00:00", "2026-10-26 00:00", ALWAYS, 25 * 3600),
    ("2026-03-28 00:00", "2026-03-29 00:00", ALWAYS, 24 * 3600),
    ("2026-03-29 00:00", "2026-03-30 00:00", NIGHTS, 2 * 3600),
    ("2026-10-25 00:00", "2026-10-26 00:00", NIGHTS, 4 * 3600),
    # boundaries on a change day: whole hours are exact ...
    ("2026-10-25 00:00", "2026-10-26 00:00", {6: [(time(2), time(4))]}, 3 * 3600),
    ("2026-10-25 00:00", "2026-10-26 00:00", {6: [(time(0), time(2))]}, 2 * 3600),
    ("2026-03-29 00:00", "2026-03-30 00:00", {6: [(time(2), time(4))]}, 3600),
    ("2026-03-29 00:00", "2026-03-30 00:00", {6: [(time(1), time(2))]}, 3600),
    # ... and inside 02:00-03:00 they read RFC 5545 style (offset before the change):
    # 02:30 on 29 March is 03:30 summer time, 02:30 on 25 October the first (summer-time) one.
    ("2026-03-29 00:00", "2026-03-30 00:00", {6: [(time(2, 30), time(5))]}, 5400),
    ("2026-03-29 00:00", "2026-03-30 00:00", {6: [(time(1), time(2, 30))]}, 5400),
    ("2026-10-25 00:00", "2026-10-26 00:00", {6: [(time(1), time(2, 30))]}, 5400),
    ("2026-10-25 00:00", "2026-10-26 00:00", {6: [(time(2, 30), time(4))]}, 9000),
    # ... and ranges of one day still never overlap: 01:00-02:30 and 03:00-04:00 on 29 March
    # are 01:00 CET to 04:00 CEST, 2 real hours, not 2.5
    ("2026-03-29 00:00", "2026-03-30 00:00", {6: [(time(1), time(2, 30)), (time(3), time(4))]},
     2 * 3600),
]
# fmt: on


@pytest.mark.parametrize(("a", "b", "hours", "expected"), BETWEEN)
def test_business_seconds_between(a, b, hours, expected):
    assert business_seconds_between(at(a), at(b), hours, FREE) == expected
    assert business_seconds_between(at(b), at(a), hours, FREE) == -expected


# -- calendar hours ------------------------------------------------------------------------------

# fmt: off
CALENDAR = [
    ("2026-03-28 12:00", 24, "uren", "2026-03-29T13:00:00+02:00"),
    ("2026-10-24 12:00", 24, "uren", "2026-10-25T11:00:00+01:00"),
    ("2026-03-28 12:00", 1, "dagen", "2026-03-29T13:00:00+02:00"),  # a dag is 24 real hours
    ("2026-03-09 09:00", 8, "uren", "2026-03-09T17:00:00+01:00"),
    ("2026-03-09 16:00", 8, "uren", "2026-03-10T00:00:00+01:00"),   # werktijden do not matter
    ("2026-03-14 10:00", 90, "minuten", "2026-03-14T11:30:00+01:00"),
    ("2026-04-26 12:00", 2, "dagen", "2026-04-28T12:00:00+02:00"),  # nor does Koningsdag
]
# fmt: on


@pytest.mark.parametrize(("start", "amount", "unit", "expected"), CALENDAR)
def test_add_calendar(start, amount, unit, expected):
    assert add_calendar(at(start), amount, unit, "Europe/Amsterdam").isoformat() == expected


def test_deadline_dispatches_on_mode():
    start = at("2026-03-09 16:00")
    business = deadline(start, 2, "uren", True, DEFAULT_HOURS, FREE)
    calendar = deadline(start, 2, "uren", False, DEFAULT_HOURS, FREE)
    assert business.isoformat() == "2026-03-10T09:00:00+01:00"
    assert calendar.isoformat() == "2026-03-09T18:00:00+01:00"


# -- guards --------------------------------------------------------------------------------------


def test_no_working_time_at_all():
    closed = {day: [] for day in range(7)}
    with pytest.raises(ValueError, match="geen werktijden") as error:
        add_business(at("2026-03-09 10:00"), 1, "uren", closed, FREE)
    assert str(error.value) == NO_HOURS_MESSAGE
    assert business_seconds_between(at("2026-03-09"), at("2026-03-16"), closed, FREE) == 0


class EveryDayFree:
    def __contains__(self, day):
        return True


def test_no_working_time_for_ten_years_stops():
    with pytest.raises(ValueError) as error:
        add_business(at("2026-03-09 10:00"), 1, "uren", DEFAULT_HOURS, EveryDayFree())
    assert str(error.value) == TOO_FAR_MESSAGE
    with pytest.raises(ValueError, match="tien jaar"):
        add_business(at("2026-03-09 10:00"), 3000, "dagen", DEFAULT_HOURS, FREE)


@pytest.mark.parametrize(
    ("start", "amount", "unit"),
    [
        (datetime(2026, 3, 9, 10, 0), 1, "uren"),  # naive
        (at("2026-03-09 10:00"), -1, "uren"),
        (at("2026-03-09 10:00"), 1.5, "uren"),
        (at("2026-03-09 10:00"), True, "uren"),
        (at("2026-03-09 10:00"), 1, "weken"),
    ],
)
def test_bad_arguments(start, amount, unit):
    with pytest.raises(ValueError):
        add_business(start, amount, unit, DEFAULT_HOURS, FREE)
    with pytest.raises(ValueError):
        add_calendar(start, amount, unit)


def test_malformed_hours():
    with pytest.raises(ValueError):
        add_business(at("2026-03-09 10:00"), 1, "uren", {0: [(time(17), time(8))]}, FREE)
    with pytest.raises(ValueError):
        add_business(at("2026-03-09 10:00"), 1, "uren", {7: [(time(8), time(17))]}, FREE)


# -- state at a moment ---------------------------------------------------------------------------

# fmt: off
STATES = [
    # now, started, due, met_at, business?, expected state, remaining seconds, label
    # 4 working hours, Monday 09:00 -> 13:00
    ("2026-03-09 10:00", "2026-03-09 09:00", "2026-03-09 13:00", None, True,
     "op_schema", 3 * 3600, "nog 3 u"),
    ("2026-03-09 12:00", "2026-03-09 09:00", "2026-03-09 13:00", None, True,
     "op_schema", 3600, "nog 1 u"),        # exactly 25% left is not yet "dreigt"
    ("2026-03-09 12:01", "2026-03-09 09:00", "2026-03-09 13:00", None, True,
     "dreigt", 59 * 60, "nog 59 m"),
    ("2026-03-09 13:00", "2026-03-09 09:00", "2026-03-09 13:00", None, True,
     "dreigt", 0, "nog 0 m"),              # due, not yet past due
    ("2026-03-09 15:00", "2026-03-09 09:00", "2026-03-09 13:00", None, True,
     "verlopen", -7200, "2 u te laat"),
    # overdue since Friday 17:00: on Saturday no working time has passed since
    ("2026-03-14 10:00", "2026-03-13 13:00", "2026-03-13 17:00", None, True,
     "verlopen", 0, "te laat"),
    ("2026-03-16 09:00", "2026-03-13 13:00", "2026-03-13 17:00", None, True,
     "verlopen", -3600, "1 u te laat"),
    # 3 working hours Friday 16:00 -> Monday 10:00
    ("2026-03-14 12:00", "2026-03-13 16:00", "2026-03-16 10:00", None, True,
     "op_schema", 2 * 3600, "nog 2 u"),
    ("2026-03-16 09:30", "2026-03-13 16:00", "2026-03-16 10:00", None, True,
     "dreigt", 30 * 60, "nog 30 m"),
    # 2 working hours across Koningsdag: Friday 16:00 -> Tuesday 09:00
    ("2026-04-27 12:00", "2026-04-24 16:00", "2026-04-28 09:00", None, True,
     "op_schema", 3600, "nog 1 u"),
    # business labels count hours, never 24-hour days: Mon 08:00 -> Fri 17:00 is 45 h
    ("2026-03-09 08:00", "2026-03-09 08:00", "2026-03-13 17:00", None, True,
     "op_schema", 45 * 3600, "nog 45 u"),
    # calendar mode
    ("2026-03-09 12:30", "2026-03-09 09:00", "2026-03-09 13:00", None, False,
     "dreigt", 1800, "nog 30 m"),
    ("2026-03-09 15:20", "2026-03-09 09:00", "2026-03-09 13:00", None, False,
     "verlopen", -8400, "2 u 20 m te laat"),
    ("2026-03-14 10:00", "2026-03-13 13:00", "2026-03-13 17:00", None, False,
     "verlopen", -17 * 3600, "17 u te laat"),
    ("2026-03-09 09:00", "2026-03-09 00:00", "2026-03-12 12:00", None, False,
     "op_schema", 3 * 86400 + 3 * 3600, "nog 3 d 3 u"),
    ("2026-03-28 12:00", "2026-03-28 12:00", "2026-03-29 13:00", None, False,
     "op_schema", 24 * 3600, "nog 1 d"),   # across spring-forward: 24 real hours
    # met clocks: judged by met_at only, whatever `now` is
    ("2026-03-10 10:00", "2026-03-09 09:00", "2026-03-09 13:00", "2026-03-09 12:00", True,
     "gehaald", 3600, "gehaald"),
    ("2026-03-10 10:00", "2026-03-09 09:00", "2026-03-09 13:00", "2026-03-09 13:00", True,
     "gehaald", 0, "gehaald"),
    ("2026-03-10 10:00", "2026-03-09 09:00", "2026-03-09 13:00", "2026-03-09 14:00", True,
     "niet_gehaald", -3600, "te laat gehaald"),
    ("2026-03-09 10:00", "2026-03-09 09:00", "2026-03-09 13:00", "2026-03-09 13:30", False,
     "niet_gehaald", -1800, "te laat gehaald"),
]
# fmt: on


@pytest.mark.parametrize(
    ("now", "started", "due", "met_at", "business", "state", "remaining", "label"), STATES
)
def test_state_at(now, started, due, met_at, business, state, remaining, label):
    met = at(met_at) if met_at else None
    result = state_at(at(now), at(started), at(due), met, business, DEFAULT_HOURS, FREE)
    assert result == ClockState(state, remaining, label)


def test_warn_share_is_configurable():
    args = (at("2026-03-09 09:00"), at("2026-03-09 13:00"), None, True, DEFAULT_HOURS, FREE)
    assert state_at(at("2026-03-09 11:30"), *args).state == "op_schema"  # 1.5 h of 4 h left
    assert state_at(at("2026-03-09 11:30"), *args, warn_share=0.5).state == "dreigt"
    assert state_at(at("2026-03-09 09:30"), *args, warn_share=0.0).state == "op_schema"
    with pytest.raises(ValueError):
        state_at(at("2026-03-09 11:30"), *args, warn_share=1.5)


# -- format_remaining ----------------------------------------------------------------------------

# fmt: off
FORMATS = [
    (12000, "nog 3 u 20 m"),
    (12030, "nog 3 u 20 m"),      # time left rounds down
    (-7200, "2 u te laat"),
    (-7230, "2 u 1 m te laat"),   # lateness rounds up
    (-30, "1 m te laat"),
    (2700, "nog 45 m"),
    (0, "nog 0 m"),
    (59, "nog 0 m"),
    (60, "nog 1 m"),
    (3600, "nog 1 u"),
    (3660, "nog 1 u 1 m"),
    (86340, "nog 23 u 59 m"),
    (86400, "nog 1 d"),
    (180000, "nog 2 d 2 u"),
    (183540, "nog 2 d 2 u"),      # minutes dropped from a day on
    (2 * 86400 + 3 * 3600, "nog 2 d 3 u"),
    (-90000, "1 d 1 u te laat"),
]
# fmt: on


@pytest.mark.parametrize(("seconds", "expected"), FORMATS)
def test_format_remaining(seconds, expected):
    assert format_remaining(seconds) == expected


def test_format_remaining_without_days():
    assert format_remaining(180000, with_days=False) == "nog 50 u"
    assert format_remaining(-90000, with_days=False) == "25 u te laat"


# -- parse_hours ---------------------------------------------------------------------------------

# fmt: off
PARSED = [
    ("08:00-17:00", [(time(8), time(17))]),
    ("08:00-12:00, 13:00-17:00", [(time(8), time(12)), (time(13), time(17))]),
    ("13:00-17:00; 08:00-12:00", [(time(8), time(12)), (time(13), time(17))]),
    ("8-17", [(time(8), time(17))]),
    ("8.30 - 17.00", [(time(8, 30), time(17))]),
    ("08:00–17:00", [(time(8), time(17))]),                     # en dash
    ("08:00-12:00, 12:00-17:00", [(time(8), time(12)), (time(12), time(17))]),  # touching
    ("00:00-24:00", [(time(0), END_OF_DAY)]),
    ("22:00-24:00", [(time(22), END_OF_DAY)]),
    ("22:00-00:00", [(time(22), END_OF_DAY)]),
    ("08:00-17:00,", [(time(8), time(17))]),
    ("", []),
    ("   ", []),
]
# fmt: on


@pytest.mark.parametrize(("text", "expected"), PARSED)
def test_parse_hours(text, expected):
    hours, errors = parse_hours({2: text})
    assert errors == {}
    assert hours == {**{day: [] for day in range(7)}, 2: expected}


# fmt: off
PARSE_ERRORS = [
    ("8 tot 5", "‘8 tot 5’ is geen tijdvak; schrijf bijvoorbeeld 08:00-12:00, 13:00-17:00."),
    ("08:00", "‘08:00’ is geen tijdvak; schrijf bijvoorbeeld 08:00-12:00, 13:00-17:00."),
    ("17:00-08:00", "In 17:00-08:00 ligt het einde niet na het begin."),
    ("08:00-08:00", "In 08:00-08:00 ligt het einde niet na het begin."),
    ("08:00-12:00, 11:00-17:00", "08:00-12:00 en 11:00-17:00 overlappen."),
    ("00:00-24:00, 08:00-09:00", "00:00-24:00 en 08:00-09:00 overlappen."),
    ("25:00-26:00", "25:00 is geen geldige tijd."),
    ("08:60-17:00", "08:60 is geen geldige tijd."),
    ("24:00-24:00", "24:00 kan alleen een eindtijd zijn."),
]
# fmt: on


@pytest.mark.parametrize(("text", "message"), PARSE_ERRORS)
def test_parse_hours_errors(text, message):
    hours, errors = parse_hours({0: "08:00-17:00", 3: text})
    assert errors == {3: message}
    assert hours[0] == [(time(8), time(17))]
    assert hours[3] == []


def test_parse_hours_rejects_unknown_weekday():
    with pytest.raises(ValueError):
        parse_hours({7: "08:00-17:00"})


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_hours_text_round_trips(name):
    hours = SCHEDULES[name]
    assert parse_hours(hours_text(hours)) == ({d: hours.get(d, []) for d in range(7)}, {})


def test_hours_text_default():
    assert hours_text(DEFAULT_HOURS) == {
        0: "08:00-17:00",
        1: "08:00-17:00",
        2: "08:00-17:00",
        3: "08:00-17:00",
        4: "08:00-17:00",
        5: "",
        6: "",
    }
    assert hours_text(ALWAYS)[6] == "00:00-24:00"


# -- properties ----------------------------------------------------------------------------------

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Around the DST switches, Pasen, Koningsdag, Hemelvaart, Kerst/Nieuwjaar, and a plain week.
BASES = [
    at("2026-03-26 00:00"),
    at("2026-04-02 00:00"),
    at("2026-04-24 00:00"),
    at("2026-05-12 00:00"),
    at("2026-10-22 00:00"),
    at("2026-12-23 00:00"),
    at("2026-12-30 00:00"),
    at("2026-03-09 00:00"),
]
MINUTE = timedelta(minutes=1)


@st.composite
def moments(draw, span_days: int = 5) -> datetime:
    base = draw(st.sampled_from(BASES))
    return base + timedelta(minutes=draw(st.integers(0, span_days * 1440)))


# Boundaries on a half-hour grid (index 48 = 24:00), never strictly inside 02:00-03:00, where
# the module documents that a wall-clock boundary on a DST day is read RFC-5545 style.
GRID = [i for i in range(49) if i != 5]


@st.composite
def working_hours(draw) -> dict:
    hours = {}
    for day in range(7):
        points = sorted(draw(st.lists(st.sampled_from(GRID), max_size=4, unique=True)))
        points = points[: len(points) // 2 * 2]
        hours[day] = [
            (time(a // 2, a % 2 * 30), END_OF_DAY if b == 48 else time(b // 2, b % 2 * 30))
            for a, b in zip(points[::2], points[1::2], strict=True)
        ]
    if not any(hours.values()):
        hours[draw(st.integers(0, 6))] = [(time(9), time(10))]
    return hours


any_hours = st.one_of(st.sampled_from(list(SCHEDULES.values())), working_hours())


def is_working(moment: datetime, hours: dict) -> bool:
    """The spec, one instant at a time: its Amsterdam wall clock lies in a range of its day."""
    local = moment.astimezone(AMS)
    if local.date() in FREE:
        return False
    wall = local.time()
    return any(
        start <= wall and (end == END_OF_DAY or wall < end)
        for start, end in hours.get(local.weekday(), [])
    )


@SETTINGS
@given(a=moments(span_days=3), length=st.integers(0, 3 * 1440), hours=any_hours)
def test_between_matches_minute_by_minute_reference(a, length, hours):
    a = a.astimezone(UTC)
    expected = sum(is_working(a + i * MINUTE, hours) for i in range(length)) * 60
    assert business_seconds_between(a, a + length * MINUTE, hours, FREE) == expected


@SETTINGS
@given(start=moments(), n=st.integers(0, 900), hours=st.sampled_from(list(SCHEDULES.values())))
def test_add_matches_minute_by_minute_reference(start, n, hours):
    moment = start.astimezone(UTC)
    if n == 0:
        while not is_working(moment, hours):
            moment += MINUTE
    else:
        counted = 0
        while counted < n:
            counted += is_working(moment, hours)
            moment += MINUTE
    # Compared in UTC: == across zones is False inside the repeated hour (PEP 495).
    assert add_business(start, n, "minuten", hours, FREE).astimezone(UTC) == moment


@SETTINGS
@given(start=moments(), n=st.integers(0, 20_000), hours=any_hours)
def test_added_minutes_are_counted_back_and_earliest(start, n, hours):
    end = add_business(start, n, "minuten", hours, FREE)
    assert business_seconds_between(start, end, hours, FREE) == n * 60
    if n:
        assert business_seconds_between(start, end - timedelta(seconds=1), hours, FREE) < n * 60


@SETTINGS
@given(start=moments(), a=st.integers(0, 5000), b=st.integers(1, 5000), hours=any_hours)
def test_adding_in_two_steps(start, a, b, hours):
    step = add_business(add_business(start, a, "minuten", hours, FREE), b, "minuten", hours, FREE)
    assert step.astimezone(UTC) == add_business(start, a + b, "minuten", hours, FREE).astimezone(
        UTC
    )


@SETTINGS
@given(
    start=moments(),
    n=st.integers(0, 40),
    extra=st.integers(0, 40),
    unit=st.sampled_from(["minuten", "uren", "dagen"]),
    hours=any_hours,
)
def test_monotonic_in_amount(start, n, extra, unit, hours):
    # In UTC: comparing two Amsterdam datetimes compares wall clocks, wrong in the repeated hour.
    fewer = add_business(start, n, unit, hours, FREE).astimezone(UTC)
    more = add_business(start, n + extra, unit, hours, FREE).astimezone(UTC)
    assert start.astimezone(UTC) <= fewer <= more


@SETTINGS
@given(start=moments(), n=st.integers(0, 30), name=st.sampled_from(["default", "lunch"]))
def test_days_are_whole_days_of_working_time(start, n, name):
    """With the same werktijden every working day, N dagen is N days' worth of working time."""
    hours = SCHEDULES[name]
    per_day = 9 * 3600 if name == "default" else 8 * 3600
    end = add_business(start, n, "dagen", hours, FREE)
    assert business_seconds_between(start, end, hours, FREE) == n * per_day
