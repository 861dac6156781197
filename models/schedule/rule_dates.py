"""A rule's own dates: dateutil's expansion of a checked `Rule` from any period on, a direct
computation for the common day-of-month rules, and the fast proof that a rule has no date at all.

Pure. No day-off policy here: `models.schedule.expand` applies those to these raw dates.
"""

from __future__ import annotations

from calendar import isleap
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import dropwhile, islice

from dateutil import rrule as du

from models.schedule.rrule import Rule, month_length

# Gregorian weekdays and leap years repeat every 400 years: a rule without a date in 400 years
# has none at all, so no search needs to look further.
HORIZON_YEARS = 400
_DU_FREQ = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


@lru_cache(maxsize=4096)
def dateutil_kwargs(rule: Rule, month: int, day: int, weekday: int) -> dict:
    """The rule as explicit dateutil arguments, with RFC's DTSTART-derived defaults filled in.

    RFC 5545 takes a missing day (monthly), month and day (yearly) or weekday (weekly) from
    DTSTART; `month`, `day` and `weekday` are the real start date's. Spelling them out lets the
    expansion begin at a later period start without changing the rule's meaning.
    """
    byday = rule.byday
    bymonth, bymonthday = rule.bymonth, rule.bymonthday
    if not (rule.byweekno or rule.byyearday or rule.bymonthday or rule.byday):
        if rule.freq == "YEARLY":
            bymonth, bymonthday = rule.bymonth or (month,), (day,)
        elif rule.freq == "MONTHLY":
            bymonthday = (day,)
        elif rule.freq == "WEEKLY":
            byday = ((0, weekday),)
    return {
        "interval": rule.interval,
        "wkst": rule.wkst if rule.wkst is not None else 0,
        "bymonth": bymonth or None,
        "bymonthday": bymonthday or None,
        "byyearday": rule.byyearday or None,
        "byweekno": rule.byweekno or None,
        "byweekday": tuple(du.weekday(wd, n) if n else wd for n, wd in byday) or None,
        "bysetpos": rule.bysetpos or None,
    }


def weekdays_produced(rule: Rule, start: date) -> set[int] | None:
    """The weekdays every date of the rule falls on, or None when BYDAY does not restrict it."""
    chosen = {weekday for _ordinal, weekday in rule.byday} if rule.byday else None
    if rule.freq == "DAILY" and rule.interval % 7 == 0:
        return {start.weekday()} & (chosen or {start.weekday()})
    if rule.freq == "WEEKLY" and not (rule.byday or rule.bymonthday or rule.byyearday):
        return {start.weekday()}
    return chosen


def period_start(rule: Rule, start: date, target: date) -> date:
    """The start of the latest period of the rule that begins on or before `target`.

    Periods count from DTSTART in steps of INTERVAL (days, wkst-weeks, months, years), so the
    result keeps the rule's phase; expanding from it gives exactly the dates a full expansion
    from DTSTART gives from there on, at a cost that does not grow with the contract's age.
    """
    n = rule.interval
    if rule.freq == "DAILY":
        return start + timedelta(days=(target - start).days // n * n)
    if rule.freq == "WEEKLY":
        wkst = rule.wkst if rule.wkst is not None else 0
        first = start - timedelta(days=(start.weekday() - wkst) % 7)
        return first + timedelta(weeks=(target - first).days // (7 * n) * n)
    if rule.freq == "MONTHLY":
        months = (target.year - start.year) * 12 + target.month - start.month
        index = start.month - 1 + months // n * n
        return date(start.year + index // 12, index % 12 + 1, 1)
    return date(start.year + (target.year - start.year) // n * n, 1, 1)


class _Expansion:
    """One dateutil expansion, pulled lazily and remembered, so that every schedule with the same
    rule arguments, period start and limit reads the same list instead of expanding again."""

    __slots__ = ("dates", "source")

    def __init__(self, source: Iterator[date]) -> None:
        self.dates: list[date] = []
        self.source = source

    def __iter__(self) -> Iterator[date]:
        dates, source = self.dates, self.source
        index = 0
        while True:
            if index == len(dates):  # nobody pulled this far yet
                day = next(source, None)
                if day is None:
                    return
                dates.append(day)
            yield dates[index]
            index += 1


def raw_dates(
    rule: Rule, start: date, raw_from: date, raw_limit: date, shared: dict | None = None
) -> Iterator[date]:
    """The rule's own dates from about `raw_from` up to `raw_limit` (inclusive), ascending.

    A COUNT rule is expanded from its start (which date is the last depends on all earlier
    ones); COUNT bounds that work. Everything else starts at the period containing `raw_from`.
    `shared`: see occurrences_and_next.
    """
    until = raw_limit if rule.until is None else min(rule.until, raw_limit)
    if until < start:
        return iter(())
    first = period_start(rule, start, start if rule.count else max(start, raw_from))
    kwargs = dateutil_kwargs(rule, start.month, start.day, start.weekday())
    if shared is None:
        dates = _expand(rule.freq, kwargs, first, until)
    else:
        # dateutil's output depends only on these: the start date itself is in `kwargs` only
        # where RFC 5545 takes a default from it, and dates before it are dropped below
        key = (rule.freq, tuple(kwargs.values()), first, until)
        dates = shared.get(key)
        if dates is None:
            dates = shared[key] = _Expansion(_expand(rule.freq, kwargs, first, until))
        dates = iter(dates)
    if first < start:
        dates = dropwhile(start.__gt__, dates)
    return islice(dates, rule.count) if rule.count else dates


def _dateutil(freq: str, kwargs: dict, first: date, until: date) -> du.rrule:
    return du.rrule(_DU_FREQ[freq], dtstart=_midnight(first), until=_midnight(until), **kwargs)


def _expand(freq: str, kwargs: dict, first: date, until: date) -> Iterator[date]:
    """The dates of the rule from the period start `first` up to `until`: dateutil's, or the
    same dates computed directly for the most common kind of rule."""
    if _days_of_month_only(freq, kwargs):
        return month_days(freq, kwargs, first, until)
    return map(datetime.date, _dateutil(freq, kwargs, first, until))


def _days_of_month_only(freq: str, kwargs: dict) -> bool:
    """Monthly or yearly on fixed days of the month ("de 15e", "de 31e of de laatste dag",
    "elk jaar op 1 april"): the rules most contracts have. Their dates need no weekday or week
    arithmetic, so they are computed here at a fraction of dateutil's cost (dateutil builds and
    filters a whole month's day set per period). tests/unit/test_schedule_fast_path.py holds this
    to dateutil's answer for every such rule."""
    return (
        kwargs["bymonthday"] is not None
        and kwargs["byweekday"] is None
        and kwargs["byyearday"] is None
        and kwargs["byweekno"] is None
        and freq in ("MONTHLY", "YEARLY")
    )


def month_days(freq: str, kwargs: dict, first: date, until: date) -> Iterator[date]:
    """RFC 5545 for FREQ=MONTHLY/YEARLY with BYMONTHDAY, optional BYMONTH and BYSETPOS: per
    period (month or year, every INTERVAL), the chosen days that exist (negative ones counted from
    the month's end), BYSETPOS picking from that period's sorted set."""
    interval, bysetpos = kwargs["interval"], kwargs["bysetpos"]
    months = frozenset(kwargs["bymonth"] or range(1, 13))
    # the day numbers a month of each length has (a month's own BYSETPOS choice included)
    days_in = {}
    for length in (28, 29, 30, 31):
        days = sorted({d if d > 0 else length + 1 + d for d in kwargs["bymonthday"]}
                      & set(range(1, length + 1)))
        days_in[length] = _pick(days, bysetpos) if freq == "MONTHLY" else days
    year, month = first.year, first.month
    while year <= until.year:
        if freq == "MONTHLY":
            days = ([date(year, month, d) for d in days_in[month_length(year, month)]]
                    if month in months else ())
            index = year * 12 + month - 1 + interval
            year, month = index // 12, index % 12 + 1
        else:
            days = [date(year, m, d) for m in sorted(months)
                    for d in days_in[month_length(year, m)]]
            days = _pick(days, bysetpos)
            year += interval
        for day in days:
            if day > until:
                return
            if day >= first:
                yield day


def _pick(days: list, bysetpos: tuple[int, ...] | None) -> list:
    """BYSETPOS on one period's sorted set: the 1st, 2nd, ... or from the end -1, -2, ..."""
    if not bysetpos:
        return days
    return sorted({days[p - 1 if p > 0 else p] for p in bysetpos if -len(days) <= p <= len(days)})



@lru_cache(maxsize=4096)  # validation asks it on every preview keystroke, for the same rules
def never_produces(rule: Rule, start: date) -> bool:
    """Whether the rule provably has no date at all, decided in milliseconds.

    Expanding an empty rule with dateutil walks on to the year 9999 (it ignores UNTIL while it
    finds nothing), which takes seconds. Instead: one period's dates depend only on the kind of
    period (for a year: leap or not, weekday of 1 January, neighbours for week numbers; for a
    month: which month, leap year, weekday of the 1st), the calendar repeats every 400 years,
    and there are few kinds. Yearly and monthly rules are tried once on each kind of period
    their interval reaches; daily and weekly rules are widened to a yearly superset (interval
    and BYSETPOS dropped) after the phase checks that can already prove them empty.
    """
    kwargs = dict(dateutil_kwargs(rule, start.month, start.day, start.weekday()))
    if _days_of_month_only(rule.freq, kwargs):
        # cheap to expand: 400 years (the calendar's cycle, which every INTERVAL's phase
        # pattern repeats within) are searched directly, and a date is usually found at once
        limit = date(min(start.year + 401, 9999), 12, 31)
        dates = month_days(rule.freq, kwargs, period_start(rule, start, start), limit)
        return next((day for day in dates if day >= start), None) is None
    if rule.freq == "YEARLY":
        freq, once = du.YEARLY, 9999
        periods = (date(year, 1, 1) for year in range(start.year, start.year + 400, rule.interval))
    elif rule.freq == "MONTHLY":
        freq, once = du.MONTHLY, 12 * 9999
        index = start.year * 12 + start.month - 1
        periods = (
            date(month // 12, month % 12 + 1, 1)
            for month in range(index, index + 12 * 400, rule.interval)
        )
    else:
        if rule.freq == "DAILY" and not (rule.bymonthday or rule.byday):
            return False  # every day of the chosen months
        weekdays = weekdays_produced(rule, start)
        if weekdays is not None and kwargs["byweekday"] is not None:
            kwargs["byweekday"] = tuple(
                day for day in kwargs["byweekday"] if _weekday_number(day) in weekdays
            )
            if not kwargs["byweekday"]:
                return True  # e.g. every 7 days, but only on a weekday the start is not
        if rule.freq == "WEEKLY" and rule.bysetpos:
            if all(abs(position) > len(kwargs["byweekday"]) for position in rule.bysetpos):
                return True
        kwargs["bysetpos"] = None
        freq, once = du.YEARLY, 9999
        periods = (date(year, 1, 1) for year in range(start.year, start.year + 400))
    seen = set()
    for first in periods:
        year = first.year
        kind = (first.month, isleap(year - 1), isleap(year), isleap(year + 1), first.weekday())
        if kind in seen:
            continue
        seen.add(kind)
        # An interval that leaves the calendar makes dateutil stop after this one period.
        one_period = du.rrule(freq, dtstart=_midnight(first), **{**kwargs, "interval": once})
        if next(iter(one_period), None) is not None:
            return False
    return True


def _weekday_number(day: object) -> int:
    return day if isinstance(day, int) else day.weekday


def first_raw_date(rule: Rule, start: date, end: date | None) -> date | None:
    limit = date(start.year + HORIZON_YEARS, 12, 31)
    if end is not None:
        limit = min(limit, end)
    return next(raw_dates(rule, start, start, limit), None)

