"""SLA clocks: when a response or resolution target runs out, and how a werkbon stands against it.

Pure on purpose (design.md, "rules" modules): the werkbon lists, the planbord and the worker all
ask "when is this due?" and "how much time is left?", and must get the same answers. So nothing
here touches the database or reads the clock; every moment is an argument, and every moment is an
aware datetime (a naive one would silently mean a different instant on each server).

Two ways of counting (domain.md, "SLA"):

- Calendar hours: plain elapsed time. A "dag" is 24 real hours, so across a DST change it ends an
  hour later or earlier on the wall clock (Sat 28 March 2026 12:00 + 24 uur = Sun 13:00).
- Business hours: only the company's werktijden count, minus public holidays and closure days
  (`free_days`: anything that answers `day in free_days`, e.g. `holiday_calendar.FreeDays`).

What business time means, in order:

1. Werktijden are wall-clock ranges per weekday (0 = Monday) in the company time zone. A range
   never crosses midnight; END_OF_DAY (time(0, 0)) as a range's *end* means 24:00. A 24/7 desk is
   00:00-24:00 every day; a night shift is 22:00-24:00 plus 00:00-06:00 the next weekday.
2. Ranges become real instants and time is counted in real seconds, so a 00:00-24:00 Sunday holds
   23 hours on 29 March 2026 and 25 on 25 October 2026. A wall-clock time that does not exist or
   occurs twice is read as RFC 5545 does, with the UTC offset in force before the change (02:30
   on 29 March is 03:30 summer time; 02:30 on 25 October is the first, summer-time one). Range
   boundaries on whole hours are exact; only a boundary strictly between 02:00 and 03:00 on a
   change day shifts, and the ranges of one day never overlap after that reading.
3. Ranges are half-open: 08:00-17:00 contains 08:00 but not 17:00.
4. Adding working minutes or hours ends at the earliest moment at which that much working time
   has passed: Mon 16:00 + 1 uur is Mon 17:00, not Tue 08:00. Time outside the ranges does not
   count, so a clock started outside hours in effect starts at the next opening.
5. Adding working days steps by days, not seconds: from a moment inside day D's working time, N
   dagen end at the same wall-clock time on the N-th next working day (Fri 16:00 + 2 dagen = Tue
   16:00). A clock started outside hours starts at the next opening (Sat 10:00 counts from Mon
   08:00). The end is then, as in 4, the earliest moment with that much working time behind it:
   Sat 10:00 + 1 dag is Mon 17:00 (Tue 08:00 has no more working time behind it), and a clock
   time in a break or after closing on the last day ends at that break or closing. With the same
   werktijden every working day, N dagen is exactly N days' worth of working time.
6. A free day has no working time, whatever its weekday's ranges say.
7. Amount 0 is the moment the clock starts running: the start itself, or the next opening.

Returned moments are aware datetimes in the company time zone. Compare them after
`.astimezone(UTC)` (as this module does): Python compares two datetimes of the same zone by wall
clock, and never finds datetimes of different zones equal inside the repeated October hour
(PEP 495), so both go wrong between 02:00 and 03:00 on 25 October.

One job, pure, in one file on purpose (the rules above and their DST cases belong together), so
it is longer than the ~400 lines other modules keep to.
"""

from __future__ import annotations

import re
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

WorkingHours = dict[int, list[tuple[time, time]]]
Interval = tuple[datetime, datetime]

END_OF_DAY = time(0, 0)  # only as a range's end: 24:00
DEFAULT_TZ = "Europe/Amsterdam"
# Shared default: treat as read-only.
DEFAULT_HOURS: WorkingHours = {
    weekday: [(time(8, 0), time(17, 0))] if weekday < 5 else [] for weekday in range(7)
}
UNITS = ("minuten", "uren", "dagen")
STATES = ("op_schema", "dreigt", "verlopen", "gehaald", "niet_gehaald")
WARN_SHARE = 0.25
# Ten years: no real target is that long, so getting there means the werktijden and closure days
# leave (almost) no working time, and we stop instead of searching forever.
MAX_SEARCH_DAYS = 3653

NO_HOURS_MESSAGE = "Er zijn geen werktijden ingesteld, dus een termijn in werkuren loopt nooit af."
TOO_FAR_MESSAGE = (
    "Binnen tien jaar is er niet genoeg werktijd voor deze termijn; "
    "controleer de werktijden en sluitingsdagen."
)

ONE_DAY = timedelta(days=1)
ONE_SECOND = timedelta(seconds=1)
_WORKING_UNIT_SECONDS = {"minuten": 60, "uren": 3600}
_CALENDAR_UNIT_SECONDS = {"minuten": 60, "uren": 3600, "dagen": 86400}
_RANGE_RE = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?")


@dataclass(frozen=True)
class ClockState:
    """Where one deadline stands; `remaining_seconds` is negative when late, and counted in the
    clock's own mode (working seconds for business hours), like the `label` shown in lists."""

    state: str
    remaining_seconds: int
    label: str


# -- werktijden as text ------------------------------------------------------------------------


def parse_hours(text_by_weekday: Mapping[int, str]) -> tuple[WorkingHours, dict[int, str]]:
    """Werktijden from the settings form: per weekday "08:00-12:00, 13:00-17:00", empty = closed.

    Returns the ranges for all seven weekdays plus a Dutch message per weekday that is wrong, so
    the form can show each message next to its own day. A weekday with an error is closed in the
    returned hours; use them only when there are no errors. "24:00" (or "00:00") as an end means
    end of day; "8-17" and "8.00-17.00" are accepted because planners type them.
    """
    hours: WorkingHours = {weekday: [] for weekday in range(7)}
    errors: dict[int, str] = {}
    for weekday, text in text_by_weekday.items():
        if weekday not in range(7):
            raise ValueError(f"weekday must be 0..6, not {weekday!r}")
        try:
            hours[weekday] = _parse_day(text or "")
        except ValueError as error:
            errors[weekday] = str(error)
    return hours, errors


def hours_text(hours: Mapping[int, list[tuple[time, time]]]) -> dict[int, str]:
    """The inverse of parse_hours, to fill the settings form with the stored werktijden."""
    return {
        weekday: ", ".join(_range_text(start, end) for start, end in hours.get(weekday, []))
        for weekday in range(7)
    }


def _parse_day(text: str) -> list[tuple[time, time]]:
    ranges = []
    for part in re.split(r"[,;]", text):
        part = part.strip()
        if not part:
            continue
        match = _RANGE_RE.fullmatch(part)
        if not match:
            raise ValueError(
                f"‘{part}’ is geen tijdvak; schrijf bijvoorbeeld 08:00-12:00, 13:00-17:00."
            )
        start = _clock(match[1], match[2], is_end=False)
        end = _clock(match[3], match[4], is_end=True)
        if end != END_OF_DAY and end <= start:
            raise ValueError(f"In {_range_text(start, end)} ligt het einde niet na het begin.")
        ranges.append((start, end))
    ranges.sort()
    for (start1, end1), (start2, end2) in zip(ranges, ranges[1:], strict=False):
        if end1 == END_OF_DAY or end1 > start2:
            raise ValueError(
                f"{_range_text(start1, end1)} en {_range_text(start2, end2)} overlappen."
            )
    return ranges


def _clock(hour_text: str, minute_text: str | None, is_end: bool) -> time:
    hour, minute = int(hour_text), int(minute_text or 0)
    if hour == 24 and minute == 0:
        if is_end:
            return END_OF_DAY
        raise ValueError("24:00 kan alleen een eindtijd zijn.")
    if hour > 23 or minute > 59:
        raise ValueError(f"{hour_text}:{minute_text or '00'} is geen geldige tijd.")
    return time(hour, minute)


def _range_text(start: time, end: time) -> str:
    end_text = "24:00" if end == END_OF_DAY else end.strftime("%H:%M")
    return f"{start.strftime('%H:%M')}-{end_text}"


# -- deadlines ---------------------------------------------------------------------------------


def deadline(
    start: datetime,
    amount: int,
    unit: str,
    business_hours: bool,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    tz: str | tzinfo = DEFAULT_TZ,
) -> datetime:
    """The due moment for a target of the SLA-beleid, in whichever mode the beleid counts."""
    if business_hours:
        return add_business(start, amount, unit, hours, free_days, tz)
    return add_calendar(start, amount, unit, tz)


def add_calendar(
    start: datetime, amount: int, unit: str, tz: str | tzinfo = DEFAULT_TZ
) -> datetime:
    """Plain elapsed time (a dag is 24 real hours), shown in the company time zone."""
    _check_amount(amount, unit)
    moment = _utc(start, "start") + timedelta(seconds=amount * _CALENDAR_UNIT_SECONDS[unit])
    return moment.astimezone(_zone(tz))


def add_business(
    start: datetime,
    amount: int,
    unit: str,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    tz: str | tzinfo = DEFAULT_TZ,
) -> datetime:
    """`amount` working minutes, hours or days after `start` (rules 4-7 of the module docstring).

    Steps a whole range at a time and a day at a time, never minute by minute, so ten working
    days cost about fourteen days of work. Raises ValueError (Dutch message) when the werktijden
    have no working time at all or when the end lies more than ten years away.
    """
    _check_amount(amount, unit)
    _check_hours(hours, need_working_time=True)
    zone = _zone(tz)
    moment = _utc(start, "start")
    first = moment.astimezone(zone).date() - ONE_DAY  # yesterday's ranges may run up to 24:00
    days = _working_days(first, first + timedelta(days=MAX_SEARCH_DAYS), hours, free_days, zone)
    if amount == 0:
        result = _next_opening(moment, days)[0]
    elif unit == "dagen":
        result = _add_days(moment, amount, days, zone)
    else:
        result = _add_working_time(
            moment, timedelta(seconds=amount * _WORKING_UNIT_SECONDS[unit]), days
        )
    return result.astimezone(zone)


def business_seconds_between(
    a: datetime,
    b: datetime,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    tz: str | tzinfo = DEFAULT_TZ,
) -> int:
    """Working seconds in [a, b), negative when b is before a: the time left on a business clock.

    Whole seconds, truncated toward zero, so swapping a and b only flips the sign.
    """
    start, end = _utc(a, "a"), _utc(b, "b")
    if end < start:
        return -business_seconds_between(b, a, hours, free_days, tz)
    _check_hours(hours, need_working_time=False)
    zone = _zone(tz)
    first = start.astimezone(zone).date() - ONE_DAY
    last = end.astimezone(zone).date()
    total = timedelta(0)
    for _day, intervals in _working_days(first, last, hours, free_days, zone):
        for begin, finish in intervals:
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
    return total // ONE_SECOND


def _add_working_time(start: datetime, amount: timedelta, days: Iterator) -> datetime:
    left = amount
    for _day, intervals in days:
        for begin, end in intervals:
            begin = max(begin, start)
            if end <= begin:
                continue
            if left <= end - begin:  # `<=`: the earliest moment, so 17:00 rather than 08:00
                return begin + left
            left -= end - begin
    raise ValueError(TOO_FAR_MESSAGE)


def _next_opening(start: datetime, days: Iterator) -> tuple[datetime, list[Interval]]:
    """The first working moment at or after `start`, with the intervals of its day."""
    for _day, intervals in days:
        for begin, end in intervals:
            if end > start:
                return max(begin, start), intervals
    raise ValueError(TOO_FAR_MESSAGE)


def _add_days(start: datetime, count: int, days: Iterator, zone: tzinfo) -> datetime:
    opening, previous = _next_opening(start, days)
    clock = opening.astimezone(zone).time().replace(fold=0)
    seen = 0
    for day, intervals in days:
        if intervals:
            seen += 1
            if seen == count:
                return _earliest_at(datetime.combine(day, clock, tzinfo=zone), intervals, previous)
            previous = intervals
    raise ValueError(TOO_FAR_MESSAGE)


def _earliest_at(wall: datetime, intervals: list[Interval], previous: list[Interval]) -> datetime:
    """The earliest moment with as much working time behind it as `wall` on its working day
    (`intervals`), `previous` being the working day before: the end of a break or closing rather
    than the next opening, exactly as for added hours."""
    target = wall.astimezone(UTC)
    reached = previous[-1][1]
    for begin, end in intervals:
        if target <= begin:
            return reached
        if target <= end:
            return target
        reached = end
    return reached


def _working_days(
    first: date,
    last: date,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    zone: tzinfo,
) -> Iterator[tuple[date, list[Interval]]]:
    """Each day from `first` to `last` with its working time as sorted, disjoint UTC intervals.

    Also disjoint across days: whatever a time zone does around midnight, no working second is
    counted twice.
    """
    floor: datetime | None = None
    day = first
    while day <= last:
        intervals = _day_intervals(day, hours, free_days, zone)
        if floor is not None:
            intervals = [(max(begin, floor), end) for begin, end in intervals if end > floor]
        if intervals:
            floor = intervals[-1][1]
        yield day, intervals
        day += ONE_DAY


def _day_intervals(
    day: date,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    zone: tzinfo,
) -> list[Interval]:
    ranges = hours.get(day.weekday())
    if not ranges or day in free_days:
        return []
    intervals: list[Interval] = []
    for start, end in sorted(ranges):
        begin = datetime.combine(day, start, tzinfo=zone).astimezone(UTC)
        end_day = day + ONE_DAY if end == END_OF_DAY else day
        finish = datetime.combine(end_day, end, tzinfo=zone).astimezone(UTC)
        if intervals:  # a boundary in the spring-forward gap can reach into the next range
            begin = max(begin, intervals[-1][1])
        if finish > begin:
            intervals.append((begin, finish))
    return intervals


# -- where a clock stands ----------------------------------------------------------------------


def state_at(
    now: datetime,
    started: datetime,
    due: datetime,
    met_at: datetime | None,
    business_hours: bool,
    hours: Mapping[int, list[tuple[time, time]]],
    free_days: Container[date],
    tz: str | tzinfo = DEFAULT_TZ,
    warn_share: float = WARN_SHARE,
) -> ClockState:
    """How a deadline stands at `now`, for the op schema / dreigt / verlopen badges in lists.

    A met clock is judged by the moment it was met against the due moment, nothing else. An open
    clock is verlopen once `now` is past `due`; it dreigt when less than `warn_share` of its total
    time (started -> due, counted in the clock's own mode) is left. In business mode the time left
    and the lateness are working time: overdue since Friday 17:00 is still "te laat", without an
    amount, on Saturday. Labels never show days for business clocks, because "1 d" would read as
    one working day while meaning 24 working hours.
    """
    if not 0 <= warn_share <= 1:
        raise ValueError(f"warn_share must be between 0 and 1, not {warn_share!r}")

    def seconds(a: datetime, b: datetime) -> int:
        if business_hours:
            return business_seconds_between(a, b, hours, free_days, tz)
        return _whole_seconds(_utc(b, "b") - _utc(a, "a"))

    if met_at is not None:
        margin = seconds(met_at, due)
        if _utc(met_at, "met_at") <= _utc(due, "due"):
            return ClockState("gehaald", margin, "gehaald")
        return ClockState("niet_gehaald", margin, "te laat gehaald")
    remaining = seconds(now, due)
    with_days = not business_hours
    if _utc(now, "now") > _utc(due, "due"):
        label = format_remaining(remaining, with_days) if remaining < 0 else "te laat"
        return ClockState("verlopen", remaining, label)
    state = "dreigt" if remaining < warn_share * seconds(started, due) else "op_schema"
    return ClockState(state, remaining, format_remaining(remaining, with_days))


def format_remaining(seconds: int, with_days: bool = True) -> str:
    """Dutch time left ("nog 3 u 20 m") or lateness ("2 u te laat") for lists.

    Whole minutes: time left rounds down (never promise time that is not there), lateness rounds
    up (ten seconds late is late). From a day on, minutes are dropped ("nog 2 d 2 u"): at that
    distance they are noise. `with_days=False` keeps counting in hours.
    """
    late = seconds < 0
    minutes = -(seconds // 60) if late else seconds // 60
    days, rest = divmod(minutes, 24 * 60) if with_days else (0, minutes)
    whole_hours, whole_minutes = divmod(rest, 60)
    if days:
        parts = [f"{days} d"] + ([f"{whole_hours} u"] if whole_hours else [])
    else:
        parts = [f"{whole_hours} u"] if whole_hours else []
        if whole_minutes or not whole_hours:
            parts.append(f"{whole_minutes} m")
    text = " ".join(parts)
    return f"{text} te laat" if late else f"nog {text}"


# -- small checks ------------------------------------------------------------------------------


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _whole_seconds(delta: timedelta) -> int:
    """Truncated toward zero, like business_seconds_between."""
    whole = abs(delta) // ONE_SECOND
    return -whole if delta < timedelta(0) else whole


def _check_amount(amount: int, unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise ValueError(f"amount must be a whole number >= 0, not {amount!r}")


def _check_hours(hours: Mapping[int, list[tuple[time, time]]], need_working_time: bool) -> None:
    for weekday, ranges in hours.items():
        if weekday not in range(7):
            raise ValueError(f"weekday must be 0..6, not {weekday!r}")
        for start, end in ranges:
            if end != END_OF_DAY and end <= start:
                raise ValueError(f"range {start}-{end} on weekday {weekday} ends before it starts")
    if need_working_time and not any(hours.values()):
        raise ValueError(NO_HOURS_MESSAGE)
