"""Schedule expansion: from a contract's terugkerend schema to the dates werkbonnen fall on.

Pure on purpose: the live preview and the worker both call these functions, so what a planner
sees is exactly what the worker creates. Nothing here reads the clock; `after`/`start` are
arguments.

The meaning, in order (domain.md, "Recurrence"):

1. The RRULE is RFC 5545, expanded with DTSTART = start_date (dateutil does the calendar work).
   Strict RFC: a day that does not exist is skipped (BYMONTHDAY=31 has no April date). The planner
   form writes the clamping form BYMONTHDAY=28,29,30,31;BYSETPOS=-1 when it means "or the last
   day". One deliberate fix over dateutil: a weekly BYSETPOS counts positions in the whole first
   week, as RFC 5545 says, not only in the days from DTSTART on.
2. Skipped dates (matched against the expanded date) go.
3. Day-off policies: a date in `free_days` (holiday or closure day) follows the holiday policy;
   with that policy "ignore", or on a normal Saturday/Sunday, the weekend policy applies. Moving
   goes to the nearest workday (Mon-Fri, not a free day); a moved date that lands on a date that
   already has one merges into it, the unmoved one wins.
4. Skipped dates (matched against the final date) go; extra dates are added as they are - they
   are the planner's explicit choice, so no policy touches them.
5. Only dates within [start_date, end_date] remain; UNTIL and COUNT end the series too, and a
   date moved past UNTIL goes as well: the planner's "einddatum" of the schema is UNTIL, and
   "tot en met 25 april" must not bring a visit on 26 April.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from heapq import merge
from itertools import islice

from models.common.validation import FIRST_YEAR, LAST_YEAR
from models.schedule.definition import (
    Lost,
    Occurrence,
    Schedule,
    checked_rule,
    is_date,
    make_occurrence,
)
from models.schedule.rrule import Rule, ScheduleError
from models.schedule.rule_dates import HORIZON_YEARS, raw_dates

ONE_DAY = timedelta(days=1)
# How far a moved date may travel looking for a workday; beyond that it is dropped (only a
# closure spanning a whole year could get there).
MAX_MOVE_DAYS = 366


def _is_workday(day: date, free_days: Mapping[date, str]) -> bool:
    return day.weekday() < 5 and day not in free_days


def _nearest_workday(day: date, free_days: Mapping[date, str], step: int) -> date | None:
    """The first workday strictly after (step 1) or before (step -1) `day`."""
    delta = timedelta(days=step)
    for _ in range(MAX_MOVE_DAYS):
        day += delta
        if day.weekday() < 5 and day not in free_days:
            return day
    return None


def _days_off_run(day: date, free_days: Mapping[date, str], step: int) -> int:
    """How many non-workdays follow `day` (step 1) or precede it (step -1), uninterrupted."""
    delta = timedelta(days=step)
    run = 0
    day += delta
    while run <= MAX_MOVE_DAYS and not _is_workday(day, free_days):
        run += 1
        day += delta
    return run


def _stream(
    schedule: Schedule,
    rule: Rule,
    free_days: Mapping[date, str],
    after: date,
    raw_limit: date,
    last: date | None = None,
    shared: dict | None = None,
    lost: list | None = None,
) -> Iterator[Occurrence]:
    """Final occurrences from `after` to `last` (and the end date), ascending, from the raw
    dates up to `raw_limit`. With a `lost` list, the rule's dates from `after` on that give no
    occurrence of their own because of a policy are appended to it (Lost), as they are met.

    Moving can reorder and merge dates, so a final date is only released once no later raw date
    can land on or before it: a later raw date ends up no earlier than the last workday on or
    before the day after the current raw date.
    """
    low = max(after, schedule.start_date)
    high = schedule.end_date if last is None else min(last, schedule.end_date or last)
    until = rule.until  # the rule's own dates keep to it; a moved one must too
    holiday_policy, weekend_policy = schedule.holidays, schedule.weekends
    policies = (holiday_policy, weekend_policy)
    moves_back = "previous_workday" in policies
    lead = timedelta(days=schedule.days_in_advance)
    skips = frozenset(schedule.skip_dates)
    extras = sorted(
        {d for d in schedule.extra_dates if low <= d and (high is None or d <= high)} - skips
    )
    raw_from = low
    if "next_workday" in policies:  # a raw date this far back can still be moved to `low`
        raw_from = low - timedelta(days=_days_off_run(low, free_days, -1))

    pending: dict[date, tuple[date | None, str | None]] = {}
    extras_left = extras[::-1]  # earliest last, so pop() takes it

    def release(final: date, original: date | None, reason: str | None) -> list[Occurrence]:
        """`final` preceded by the extra dates before it; an extra date on `final` wins."""
        released = []
        while extras_left and extras_left[-1] <= final:
            extra = extras_left.pop()
            if extra < final:
                released.append(make_occurrence(extra, extra - lead))
            else:
                original = reason = None
        released.append(make_occurrence(final, final - lead, original, reason))
        return released

    raw = raw_dates(rule, schedule.start_date, raw_from, raw_limit, shared)
    if schedule.spread_dates:
        raw = _with_spread(raw, schedule, raw_from, raw_limit)
    for day in raw:
        if day < raw_from or day in skips:
            continue
        final, original, reason = day, None, None
        if holiday_policy != "ignore" and day in free_days:
            policy, why = holiday_policy, free_days.get(day)
        elif day.weekday() >= 5:
            policy, why = weekend_policy, "weekend"
        else:
            policy = "ignore"
        if policy != "ignore":
            if policy == "skip":
                if lost is not None and day >= low:
                    lost.append(Lost(day, "vervalt", why))
                continue
            final = _nearest_workday(day, free_days, 1 if policy == "next_workday" else -1)
            original, reason = day, why
            if final is None:
                if lost is not None and day >= low:
                    lost.append(Lost(day, "geen_werkdag", why))
                continue
        if final < low or (high is not None and final > high) or final in skips or (
                until is not None and final > until):
            if lost is not None and original is not None and low <= day:
                _note_dropped(lost, schedule, day, final, reason, skips, until)
            continue

        # The common case: nothing waiting, and no later raw date can end up on or before
        # `final` (later ones end up no earlier than the last workday on or before day + 1).
        if (
            not pending
            and final <= day
            and (not moves_back or _is_workday(day + ONE_DAY, free_days))
        ):
            if extras_left and extras_left[-1] <= final:
                yield from release(final, original, reason)
            else:
                yield make_occurrence(final, final - lead, original, reason)
            continue
        bound = day + ONE_DAY
        if moves_back and not _is_workday(bound, free_days):
            bound = _nearest_workday(bound, free_days, -1) or bound - timedelta(MAX_MOVE_DAYS)
        if original is None or final not in pending:  # the unmoved date wins a merge
            if lost is not None and final in pending:  # a moved one was there first
                moved_from, moved_why = pending[final]
                if moved_from >= low:
                    lost.append(Lost(moved_from, "samengevoegd", moved_why, final))
            pending[final] = (original, reason)
        elif lost is not None and day >= low:
            lost.append(Lost(day, "samengevoegd", reason, final))
        for ready in sorted(d for d in pending if d < bound):
            yield from release(ready, *pending.pop(ready))

    for ready in sorted(pending):
        yield from release(ready, *pending[ready])
    for extra in reversed(extras_left):
        yield make_occurrence(extra, extra - lead)


def _note_dropped(lost: list, schedule: Schedule, day: date, final: date, reason: str | None,
                  skips: frozenset, until: date | None = None) -> None:
    """`day`, moved to `final`, gives no occurrence: say why, unless it only moved to before
    the point the caller counts from (it exists; it is just not asked for)."""
    if final < schedule.start_date or (schedule.end_date is not None
                                       and final > schedule.end_date) or (
            until is not None and final > until):
        lost.append(Lost(day, "buiten_looptijd", reason, final))
    elif final in skips:
        lost.append(Lost(day, "overgeslagen", reason, final))


def _with_spread(raw: Iterator[date], schedule: Schedule, raw_from: date,
                 raw_limit: date) -> Iterator[date]:
    """The rule's dates and the schedule's spread dates in one ascending stream, each once."""
    low = max(raw_from, schedule.start_date)
    spread = sorted({d for d in schedule.spread_dates if low <= d <= raw_limit})
    previous = None
    for day in merge(raw, spread):
        if day != previous:
            yield day
        previous = day


# --------------------------------------------------------------------------- public API


def occurrences(
    schedule: Schedule, free_days: Mapping[date, str], after: date, count: int,
    lost: list | None = None,
) -> tuple[list[Occurrence], bool]:
    """Up to `count` occurrences on or after `after`, and whether more follow. `lost`: a list
    that receives the rule's dates that merged or fell away on the way (see _stream).

    Costs the same for a contract started twenty years ago as for one started last month: the
    expansion starts at the rule's period around `after`, not at the start date (a COUNT rule
    is the exception: COUNT bounds its cost). Expects a schedule that passed validate(): a rule
    that never produces a date would make dateutil search on to the year 9999.
    """
    rule = checked_rule(schedule)
    if not is_date(after) or not FIRST_YEAR <= after.year <= LAST_YEAR + HORIZON_YEARS:
        raise ScheduleError("after", "Kies een geldige datum om vanaf te tellen.")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ScheduleError("count", "Het aantal moet een heel getal van 0 of meer zijn.")
    free_days = {} if free_days is None else free_days
    raw_limit = _open_raw_limit(schedule, free_days, after)
    found = list(islice(_stream(schedule, rule, free_days, after, raw_limit, lost=lost),
                        count + 1))
    return found[:count], len(found) > count


def _open_raw_limit(schedule: Schedule, free_days: Mapping[date, str], after: date) -> date:
    """How far an open-ended search from `after` looks (see HORIZON_YEARS), or the end date."""
    raw_limit = date(max(after, schedule.start_date).year + HORIZON_YEARS, 12, 31)
    if schedule.end_date is not None:
        raw_limit = min(raw_limit, _raw_limit(schedule, free_days, schedule.end_date))
    return raw_limit


def occurrences_between(
    schedule: Schedule, free_days: Mapping[date, str], start: date, end: date
) -> list[Occurrence]:
    """All occurrences with start <= date <= end (inclusive), ascending."""
    rule = checked_rule(schedule)
    if not (is_date(start) and is_date(end) and end.year <= LAST_YEAR + HORIZON_YEARS):
        raise ScheduleError("after", "Kies een geldige periode.")
    free_days = {} if free_days is None else free_days
    top = end if schedule.end_date is None else min(end, schedule.end_date)
    if top < start:
        return []
    raw_limit = _raw_limit(schedule, free_days, top)
    return list(_stream(schedule, rule, free_days, start, raw_limit, top))


def occurrences_and_next(
    schedule: Schedule,
    free_days: Mapping[date, str],
    start: date,
    end: date,
    after: date,
    shared: dict | None = None,
) -> tuple[list[Occurrence], Occurrence | None]:
    """`occurrences_between(start, end)` (nothing when start > end) and the first of
    `occurrences(after, 1)`, from one expansion: what the worker needs per contract (the dates
    due now, and the next one, which says when to look at the contract again). `after` > end.

    `shared`: a dict the caller keeps while it expands many schedules (one batch of a sweep):
    schedules with the same rule, period and horizon then share one dateutil expansion. The
    results are the same with or without it; it only saves work, at the memory of what it
    remembers, so keep it no longer than the batch.
    """
    rule = checked_rule(schedule)
    if not (is_date(start) and is_date(end) and is_date(after) and end < after):
        raise ScheduleError("after", "Kies een geldige periode.")
    if not FIRST_YEAR <= after.year <= LAST_YEAR + HORIZON_YEARS:
        raise ScheduleError("after", "Kies een geldige datum om vanaf te tellen.")
    free_days = {} if free_days is None else free_days
    # One stream from the earlier of the two points, as far as occurrences(after) would look
    # (which is at least as far as the period up to `end` needs). A stream from an earlier
    # point yields the same occurrences from any later date on: every raw date that can end up
    # on or after that date is read either way, in the same order.
    found: list[Occurrence] = []
    following = None
    for occurrence in _stream(
        schedule, rule, free_days, min(start, after), _open_raw_limit(schedule, free_days, after),
        shared=shared,
    ):
        day = occurrence.date
        if day >= after:
            following = occurrence
            break
        if start <= day <= end:
            found.append(occurrence)
    return found, following


def _raw_limit(schedule: Schedule, free_days: Mapping[date, str], last: date) -> date:
    """The last raw date that can still end up on or before `last` (moved back past days off)."""
    if "previous_workday" in (schedule.holidays, schedule.weekends):
        return last + timedelta(days=_days_off_run(last, free_days, 1))
    return last
