"""Hypothesis properties of the expansion, against a naive reference written from the spec.

The reference expands every date from DTSTART with plain dateutil and applies the policies one
date at a time - slow, obviously right. The real thing starts near `after` and streams; they must
agree on every schedule.
"""

from datetime import date, datetime, time, timedelta

from dateutil.rrule import rrulestr
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from models.schedule.definition import POLICIES, Schedule, validate_all
from models.schedule.expand import occurrences, occurrences_and_next, occurrences_between
from models.schedule.holiday_calendar import free_days

HOLIDAYS = free_days(range(1990, 2076))
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def subset(items, min_size=1, max_size=4):
    return st.lists(st.sampled_from(items), min_size=min_size, max_size=max_size, unique=True)


@st.composite
def rrules(draw, weekly_setpos: bool = False) -> str:
    """Date-based RRULEs of every shape the engine accepts (most of them plausible)."""
    freq = draw(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]))
    parts = [f"FREQ={freq}"]
    interval = draw(st.sampled_from([1, 1, 1, 2, 3, 4, 6] + ([12] if freq == "MONTHLY" else [])))
    if interval > 1:
        parts.append(f"INTERVAL={interval}")
    if draw(st.integers(0, 4)) == 0:
        months = sorted(draw(subset(list(range(1, 13)), max_size=7)))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
    shape = draw(st.integers(0, 4))
    if freq == "DAILY":
        if shape == 1:
            parts.append("BYDAY=" + ",".join(draw(subset(WEEKDAYS, max_size=5))))
        elif shape == 2:
            parts.append("BYMONTHDAY=" + ",".join(map(str, draw(subset(range(1, 32))))))
    elif freq == "WEEKLY":
        if shape >= 1:
            days = draw(subset(WEEKDAYS, max_size=5))
            parts.append("BYDAY=" + ",".join(days))
            if weekly_setpos and len(days) >= 2 and shape == 4:
                parts.append(f"BYSETPOS={draw(st.sampled_from([1, -1, 2]))}")
        if draw(st.booleans()):
            parts.append(f"WKST={draw(st.sampled_from(WEEKDAYS))}")
    elif freq == "MONTHLY":
        if shape == 1:
            days = draw(subset(list(range(1, 32)) + [-1, -2, -3, -7]))
            parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
        elif shape == 2:
            items = draw(subset([1, 2, 3, 4, -1, -2], max_size=2))
            parts.append(
                "BYDAY=" + ",".join(f"{n}{draw(st.sampled_from(WEEKDAYS))}" for n in items)
            )
        elif shape == 3:
            last = draw(st.sampled_from([29, 30, 31]))
            parts.append("BYMONTHDAY=" + ",".join(map(str, range(28, last + 1))))
            parts.append("BYSETPOS=-1")
        elif shape == 4:
            parts.append("BYDAY=" + ",".join(draw(subset(WEEKDAYS[:5], min_size=2, max_size=5))))
            parts.append(f"BYSETPOS={draw(st.sampled_from([1, 2, 3, -1, -2]))}")
    else:
        if shape == 1:
            parts.append(f"BYMONTH={draw(st.integers(1, 12))}")
            parts.append(f"BYMONTHDAY={draw(st.sampled_from([1, 13, 28, 29, 30, 31, -1]))}")
        elif shape == 2:
            parts.append(f"BYMONTH={draw(st.integers(1, 12))}")
            parts.append(
                f"BYDAY={draw(st.sampled_from([1, 2, -1]))}{draw(st.sampled_from(WEEKDAYS))}"
            )
        elif shape == 3:
            parts.append(
                "BYYEARDAY=" + ",".join(map(str, draw(subset([1, 60, 100, 200, 365, 366, -1]))))
            )
        elif shape == 4:
            parts.append(f"BYWEEKNO={draw(st.sampled_from([1, 20, 52, 53, -1]))}")
            parts.append(f"BYDAY={draw(st.sampled_from(WEEKDAYS))}")
    ending = draw(st.integers(0, 5))
    if ending == 0:
        parts.append(f"COUNT={draw(st.integers(1, 40))}")
    elif ending == 1:
        until = date(2000, 1, 1) + timedelta(days=draw(st.integers(0, 40 * 365)))
        parts.append(f"UNTIL={until:%Y%m%d}")
    return ";".join(parts)


@st.composite
def cases(draw, weekly_setpos: bool = False):
    """(schedule, free days, after): a valid schedule, a look-up point up to 25 years later."""
    start = date(1995, 1, 1) + timedelta(days=draw(st.integers(0, 40 * 365)))
    age = draw(st.one_of(st.integers(-60, 400), st.integers(0, 25 * 365)))
    after = start + timedelta(days=age)
    snap = draw(st.sampled_from([None, None, 0, 4]))  # a Monday or a Friday: where moves cross
    if snap is not None:
        after += timedelta(days=(snap - after.weekday()) % 7)
    near = st.integers(-20, 400).map(lambda days: after + timedelta(days=days))
    end = None
    if draw(st.booleans()):
        end = start + timedelta(days=draw(st.integers(0, 30 * 365)))
    extra = tuple(draw(st.lists(near, max_size=3)))
    if end is not None:
        extra = tuple(day for day in extra if start <= day <= end)
    else:
        extra = tuple(day for day in extra if start <= day)
    skip = tuple(day for day in draw(st.lists(near, max_size=3)) if day not in extra)
    schedule = Schedule(
        start_date=start,
        rrule=draw(rrules(weekly_setpos)),
        end_date=end,
        extra_dates=extra,
        skip_dates=skip,
        holidays=draw(st.sampled_from(POLICIES)),
        weekends=draw(st.sampled_from(POLICIES)),
        days_in_advance=draw(st.sampled_from([0, 1, 7, 30, 365])),
    )
    assume(validate_all(schedule) == {})
    closures = {day: "sluitingsdag" for day in draw(st.lists(near, max_size=5))}
    return schedule, {**closures, **HOLIDAYS}, after


def is_workday(day: date, free) -> bool:
    return day.weekday() < 5 and day not in free


def reference(schedule: Schedule, free, first: date, last: date | None, count: int | None):
    """Final (date, original, reason) from `first` on, naively; and whether the list is complete
    (the rule ran out, or enough dates were found well before the search stopped)."""
    start, end, skips = schedule.start_date, schedule.end_date, set(schedule.skip_dates)
    # the rule's UNTIL (the form's "einddatum" of the schema) bounds a moved date too
    until = next((datetime.strptime(part[6:14], "%Y%m%d").date()
                  for part in schedule.rrule.split(";") if part.startswith("UNTIL=")), None)
    horizon = (last or first) + timedelta(days=(60 if last else 60 * 365))
    chosen: dict[date, tuple[date | None, str | None]] = {}
    complete = True
    for moment in rrulestr(schedule.rrule, dtstart=datetime.combine(start, time())):
        raw = moment.date()
        if raw > horizon:
            complete = False
            break
        if count is not None:
            ahead = sorted(day for day in chosen if day >= first)
            if len(ahead) > count and raw > ahead[count] + timedelta(days=60):
                break
        if raw in skips:
            continue
        if schedule.holidays != "ignore" and raw in free:
            policy, why = schedule.holidays, free[raw]
        elif raw.weekday() >= 5:
            policy, why = schedule.weekends, "weekend"
        else:
            policy = "ignore"
        if policy == "skip":
            continue
        final, original = raw, None
        if policy != "ignore":
            step = timedelta(days=1 if policy == "next_workday" else -1)
            final, original = raw + step, raw
            while not is_workday(final, free):
                final += step
        else:
            why = None
        if final < start or (end is not None and final > end) or final in skips or (
                until is not None and final > until):
            continue
        if final not in chosen or (original is None and chosen[final][0] is not None):
            chosen[final] = (original, why)
    for day in schedule.extra_dates:
        if start <= day and (end is None or day <= end) and day not in skips:
            chosen[day] = (None, None)
    result = [
        (day, original, why)
        for day, (original, why) in sorted(chosen.items())
        if day >= first and (last is None or day <= last)
    ]
    return result, complete or (count is not None and len(result) > count)


def as_tuples(found):
    return [(o.date, o.original_date, o.reason) for o in found]


@SETTINGS
@given(cases(), st.integers(0, 8))
def test_jumped_expansion_equals_the_naive_full_expansion(case, count):
    schedule, free, after = case
    found, more = occurrences(schedule, free, after, count)
    expected, complete = reference(schedule, free, after, None, count)
    if complete:
        assert as_tuples(found) == expected[:count]
        assert more == (len(expected) > count)
    else:  # the reference gave up after 60 years; what it did find must match
        assert as_tuples(found)[: len(expected)] == expected[:count]


@SETTINGS
@given(cases(), st.integers(0, 800))
# the schema's UNTIL on a Sunday, moved on to Monday: past UNTIL, so it goes
@example((Schedule(date(2027, 1, 1), "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20270425",
                   weekends="next_workday"), HOLIDAYS, date(2027, 1, 1)), 400)
def test_between_equals_the_naive_full_expansion(case, span):
    schedule, free, after = case
    last = after + timedelta(days=span)
    found = occurrences_between(schedule, free, after, last)
    expected, _complete = reference(schedule, free, after, last, None)
    assert as_tuples(found) == expected


@SETTINGS
@given(cases(weekly_setpos=True), st.integers(0, 800))
def test_invariants(case, span):
    schedule, free, after = case
    found = occurrences_between(schedule, free, after, after + timedelta(days=span))
    days = [o.date for o in found]
    assert days == sorted(set(days))
    for occurrence in found:
        assert schedule.start_date <= occurrence.date
        assert schedule.end_date is None or occurrence.date <= schedule.end_date
        assert after <= occurrence.date <= after + timedelta(days=span)
        assert occurrence.generate_on == occurrence.date - timedelta(schedule.days_in_advance)
        assert (occurrence.original_date is None) == (occurrence.reason is None)
        if occurrence.date in schedule.extra_dates:
            continue
        assert occurrence.date not in schedule.skip_dates
        assert occurrence.original_date not in schedule.skip_dates
        if schedule.holidays in ("next_workday", "previous_workday"):
            assert occurrence.date not in free
            if schedule.weekends in ("next_workday", "previous_workday"):
                assert occurrence.date.weekday() < 5


@SETTINGS
@given(cases(weekly_setpos=True), st.integers(0, 6))
def test_more_means_there_is_a_next_one(case, count):
    schedule, free, after = case
    found, more = occurrences(schedule, free, after, count)
    longer, _ = occurrences(schedule, free, after, count + 1)
    assert longer[:count] == found
    assert more == (len(longer) == count + 1)


@SETTINGS
@given(cases(weekly_setpos=True), st.integers(-40, 800), st.integers(0, 400), st.booleans())
def test_one_expansion_gives_what_between_and_next_give(case, span, gap, share):
    """The worker's single expansion equals the two calls it replaces, shared or not."""
    schedule, free, start = case
    end = start + timedelta(days=span)
    after = max(start, end) + timedelta(days=1 + gap)
    shared = {} if share else None
    found, following = occurrences_and_next(schedule, free, start, end, after, shared)
    assert found == (occurrences_between(schedule, free, start, end) if start <= end else [])
    expected, _more = occurrences(schedule, free, after, 1)
    assert following == (expected[0] if expected else None)
    if share:  # a second schedule reading the same remembered expansion gets the same answer
        again = occurrences_and_next(schedule, free, start, end, after, shared)
        assert again == (found, following)


@SETTINGS
@given(cases(), cases(), st.integers(0, 800))
def test_shared_expansions_do_not_leak_between_schedules(first, second, span):
    shared: dict = {}
    for schedule, free, start in (first, second, first):
        end = start + timedelta(days=span)
        got = occurrences_and_next(schedule, free, start, end, end + timedelta(days=1), shared)
        assert got == occurrences_and_next(schedule, free, start, end, end + timedelta(days=1))


@settings(max_examples=200, deadline=None)
@given(st.dates(date(1990, 1, 1), date(2090, 12, 31)), st.sampled_from([29, 30, 31]))
def test_clamping_rule_gives_exactly_one_date_each_month(start, day):
    rrule = f"FREQ=MONTHLY;BYMONTHDAY={','.join(map(str, range(28, day + 1)))};BYSETPOS=-1"
    schedule = Schedule(start, rrule)
    found = occurrences_between(schedule, {}, start, start + timedelta(days=3 * 366))
    months = [(o.date.year, o.date.month) for o in found]
    assert len(months) == len(set(months))
    first = (start.year, start.month)
    expected_months = []
    year, month = first
    while date(year, month, 1) <= start + timedelta(days=3 * 366):
        expected_months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for year, month in expected_months:
        next_month = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        last_day = (next_month - timedelta(days=1)).day
        target = date(year, month, min(day, last_day))
        inside = start <= target <= start + timedelta(days=3 * 366)
        assert ((year, month) in months) == inside
        if inside:
            assert target in [o.date for o in found]


def _target(schedule: Schedule, free, raw: date) -> date | None:
    """Where a raw date of the rule goes under the policies (None: skipped by a policy)."""
    if schedule.holidays != "ignore" and raw in free:
        policy = schedule.holidays
    elif raw.weekday() >= 5:
        policy = schedule.weekends
    else:
        return raw
    if policy == "skip":
        return None
    if policy == "ignore":
        return raw
    step = timedelta(days=1 if policy == "next_workday" else -1)
    final = raw + step
    while not is_workday(final, free):
        final += step
    return final


@SETTINGS
@given(cases(weekly_setpos=True))
@example((Schedule(date(1995, 1, 1), "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYDAY=1MO;COUNT=4",
                   holidays="skip"), HOLIDAYS, date(1995, 1, 1)))
def test_every_date_of_the_rule_is_shown_or_explained(case):
    """The preview's promise: each date the rule gives, up to the last one shown, is a date in
    the list (where it was, or moved with its original), or is in `lost` with why - so
    "5 keer" with three dates listed is explained. Nothing is reported twice or made up."""
    from models.schedule.preview import LOST_SHOWN, build

    schedule, free, _after = case
    schedule = Schedule(**{**schedule.__dict__, "extra_dates": ()})  # extras win; not rule dates
    start = schedule.start_date
    preview = build(schedule, free, start, 12)
    assume(preview.lost_more == 0 and len(preview.lost) < LOST_SHOWN)
    shown = preview.occurrences
    assume(shown)
    last = shown[-1].date
    accounted = ({o.date for o in shown if o.original_date is None}
                 | {o.original_date for o in shown if o.original_date is not None})
    lost = [x.date for x in preview.lost]
    assert len(lost) == len(set(lost)) and not set(lost) & accounted
    skips = set(schedule.skip_dates)
    # the rule's own dates (the engine's, with its weekly BYSETPOS fix): no policies, no end
    bare = Schedule(start, schedule.rrule)
    # (a schedule that ends may drop dates long after its last one shown: COUNT=4 every two
    # years with the fourth on Nieuwjaarsdag and holidays "skip")
    reach = max([last, *lost]) + timedelta(400)
    rule_dates = {o.date for o in occurrences_between(bare, {}, start, reach)}
    for raw in sorted(rule_dates):
        if raw > last or raw in skips:
            continue
        target = _target(schedule, free, raw)
        if preview.more and target is not None and target > last:
            continue  # goes past the last date shown: the next page's business
        assert raw in accounted or raw in lost, (raw, target)
    assert set(lost) <= rule_dates - skips
