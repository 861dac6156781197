"""The direct computation of day-of-month rules (models.schedule.rule_dates.month_days) gives
exactly dateutil's dates, for every rule it is used for."""

from datetime import date

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from models.schedule import rule_dates
from models.schedule.rrule import ScheduleError, parse_rrule
from models.schedule.rule_dates import _dateutil, _days_of_month_only, _expand, month_days

MONTHDAYS = [d for d in range(-31, 32) if d != 0]


@st.composite
def day_of_month_rules(draw):
    freq = draw(st.sampled_from(["MONTHLY", "YEARLY"]))
    months = draw(st.none() | st.lists(st.integers(1, 12), min_size=1, max_size=4, unique=True))
    days = draw(st.lists(st.sampled_from(MONTHDAYS), min_size=1, max_size=5, unique=True))
    setpos = draw(st.none() | st.lists(st.sampled_from([1, 2, 3, -1, -2, 5, -6]), min_size=1,
                                       max_size=3, unique=True))
    kwargs = {"interval": draw(st.sampled_from([1, 1, 2, 3, 4, 6, 12, 13])), "wkst": 0,
              "bymonth": tuple(months) if months else None, "bymonthday": tuple(days),
              "byyearday": None, "byweekno": None, "byweekday": None,
              "bysetpos": tuple(setpos) if setpos else None}
    year = draw(st.integers(1996, 2104))
    first = date(year, draw(st.integers(1, 12)) if freq == "MONTHLY" else 1, 1)
    until = date(min(first.year + draw(st.integers(0, 25)), 9999), draw(st.integers(1, 12)),
                 draw(st.integers(1, 28)))
    return freq, kwargs, first, until


@settings(max_examples=400, deadline=None)
@given(day_of_month_rules())
def test_day_of_month_rules_match_dateutil(case):
    freq, kwargs, first, until = case
    assert _days_of_month_only(freq, kwargs)
    expected = [d.date() for d in _dateutil(freq, kwargs, first, until)]
    assert list(month_days(freq, kwargs, first, until)) == expected


def test_the_forms_month_end_rules_take_the_fast_path_and_agree():
    start = date(2024, 1, 31)
    for text, first_dates in [
        ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
         [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]),
        ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
         [date(2024, 4, 1), date(2024, 7, 1), date(2024, 10, 1), date(2025, 1, 1)]),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
         [date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28), date(2027, 2, 28)]),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31),
                                        date(2024, 4, 30)]),
    ]:
        rule = parse_rrule(text)
        kwargs = rule_dates.dateutil_kwargs(rule, start.month, start.day, start.weekday())
        assert _days_of_month_only(rule.freq, kwargs), text
        until = date(2040, 12, 31)
        got = list(_expand(rule.freq, kwargs, start.replace(day=1), until))
        assert got == [d.date() for d in _dateutil(rule.freq, kwargs, start.replace(day=1), until)]
        assert [d for d in got if d >= start][:4] == first_dates, text


def test_weekday_rules_stay_with_dateutil():
    rule = parse_rrule("FREQ=MONTHLY;BYDAY=-1FR")
    kwargs = rule_dates.dateutil_kwargs(rule, 1, 31, 2)
    assert not _days_of_month_only(rule.freq, kwargs)


@st.composite
def day_of_month_texts(draw):
    parts = [f"FREQ={draw(st.sampled_from(['MONTHLY', 'YEARLY']))}",
             f"INTERVAL={draw(st.sampled_from([1, 2, 3, 4, 5, 12, 24]))}"]
    if draw(st.booleans()):
        months = draw(st.lists(st.integers(1, 12), min_size=1, max_size=3, unique=True))
        parts.append("BYMONTH=" + ",".join(map(str, months)))
    days = draw(st.lists(st.sampled_from([1, 15, 28, 29, 30, 31, -1, -29, -31]), min_size=1,
                         max_size=3, unique=True))
    parts.append("BYMONTHDAY=" + ",".join(map(str, days)))
    if draw(st.booleans()):
        parts.append(f"BYSETPOS={draw(st.sampled_from([1, 2, -1, 3]))}")
    return ";".join(parts)


@settings(max_examples=200, deadline=None)
@given(day_of_month_texts(), st.dates(date(1999, 1, 1), date(2101, 12, 31)))
def test_never_produces_agrees_with_a_400_year_dateutil_search(text, start):
    try:
        rule = parse_rrule(text)
    except ScheduleError:  # refused on its face ("februari heeft geen dag 30")
        reject()
    kwargs = rule_dates.dateutil_kwargs(rule, start.month, start.day, start.weekday())
    assert _days_of_month_only(rule.freq, kwargs)
    period_start = rule_dates.period_start(rule, start, start)
    search = _dateutil(rule.freq, kwargs, period_start, date(start.year + 401, 12, 31))
    found = next((d for d in search if d.date() >= start), None)
    assert rule_dates.never_produces(rule, start) is (found is None)
