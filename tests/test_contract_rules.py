"""Contract lifecycle rules (pure)."""

from datetime import date

import pytest

from models.contracts import lifecycle
from models.schedule.definition import Schedule
from models.schedule.expand import occurrences_between


@pytest.mark.parametrize("start, months, end", [
    (date(2026, 1, 1), 12, date(2026, 12, 31)), (date(2026, 1, 31), 1, date(2026, 2, 27)),
    (date(2024, 2, 29), 12, date(2025, 2, 27)), (date(2026, 3, 15), 36, date(2029, 3, 14)),
])
def test_end_from_terms(start, months, end):
    assert lifecycle.end_from_terms(start, months) == end


@pytest.mark.parametrize("start, end, terminated, auto, today, status", [
    (date(2027, 1, 1), None, False, False, date(2026, 6, 1), "toekomstig"),
    (date(2026, 1, 1), None, False, False, date(2026, 6, 1), "actief"),
    (date(2025, 1, 1), date(2025, 12, 31), False, False, date(2026, 6, 1), "verlopen"),
    (date(2025, 1, 1), date(2025, 12, 31), False, True, date(2026, 6, 1), "actief"),
    (date(2025, 1, 1), date(2025, 12, 31), True, False, date(2026, 6, 1), "beeindigd"),
    (date(2025, 1, 1), date(2026, 12, 31), True, False, date(2026, 6, 1), "actief"),
])
def test_status(start, end, terminated, auto, today, status):
    assert lifecycle.status(start, end, terminated, auto, today) == status


def test_renewal_and_notice():
    end = lifecycle.period_end(date(2025, 1, 1), date(2025, 12, 31), True, 12, date(2026, 6, 1))
    assert end == date(2026, 12, 31)
    assert lifecycle.notice_deadline(end, 1, "maanden") == date(2026, 11, 30)
    assert lifecycle.notice_deadline(end, 30, "dagen") == date(2026, 12, 1)
    assert lifecycle.period_end(date(2025, 1, 1), date(2025, 12, 31), False, 12,
                                date(2026, 6, 1)) == date(2025, 12, 31)


@pytest.mark.parametrize("visits, rule", [
    (1, "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=15"), (2, "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15"),
    (4, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"), (12, "FREQ=MONTHLY;BYMONTHDAY=15"),
    (5, None), (52, None),
])
def test_visits_rrule(visits, rule):
    assert lifecycle.visits_rrule(visits, date(2026, 1, 15)) == rule


@pytest.mark.parametrize("visits", [5, 7, 10, 26, 52])
def test_uneven_visits_spread_over_each_contract_year(visits):
    start, end = date(2026, 3, 10), date(2029, 3, 9)
    rrule, extras = lifecycle.uneven_visits(visits, start, end)
    dates = [o.date for o in occurrences_between(
        Schedule(start_date=start, rrule=rrule, end_date=end, extra_dates=extras), {}, start,
        end)]
    for year in range(3):
        first, last = date(2026 + year, 3, 10), date(2027 + year, 3, 9)
        in_year = [d for d in dates if first <= d <= last]
        assert len(in_year) == visits and in_year[0] == first
        gaps = {(b - a).days for a, b in zip(in_year, in_year[1:], strict=False)}
        assert max(gaps) - min(gaps) <= 1  # evenly spread in days


@pytest.mark.parametrize("today, expected", [
    # period 20 dec 2025 - 19 dec 2026, renews by 12 months, one month's notice
    (date(2026, 11, 19), (date(2026, 11, 19), date(2026, 12, 19))),  # the last day itself
    (date(2026, 11, 20), (date(2027, 11, 19), date(2027, 12, 19))),  # passed: the next one
    (date(2028, 1, 5), (date(2028, 11, 19), date(2028, 12, 19))),
])
def test_notice_moves_to_the_next_period_once_passed_when_the_terms_renew(today, expected):
    period_end = lifecycle.period_end(date(2025, 12, 20), date(2026, 12, 19), True, 12, today)
    assert lifecycle.next_notice(period_end, True, 12, 1, "maanden", today) == expected


def test_notice_of_terms_that_do_not_renew_stays_put():
    end = date(2026, 11, 9)
    assert lifecycle.next_notice(end, False, 0, 1, "maanden", date(2026, 11, 27)) == (
        date(2026, 10, 9), end)


@pytest.mark.parametrize("start, end, new_start, expected", [
    ("2027-01-01", "2027-12-31", "2028-01-01", "2028-12-31"),  # whole months stay months
    ("2027-03-10", "2027-04-20", "2027-04-21", "2027-06-01"),  # otherwise days (41 days)
    # Review of issue #4: a leap-day contract to 28 Feb restarted one day too long
    ("2028-02-29", "2029-02-28", "2029-03-01", "2030-02-28"),
    ("2028-02-29", "2031-02-28", "2031-03-01", "2034-02-28"),
])
def test_restart_period_as_long_as_the_old_one(start, end, new_start, expected):
    from models.contracts.lifecycle import same_length_end

    assert same_length_end(date.fromisoformat(start), date.fromisoformat(end),
                           date.fromisoformat(new_start)) == date.fromisoformat(expected)
