"""Holiday and weekend policies, merges, extra and skipped dates, end dates, lead time, age.

Holiday dates and weekdays for 2026-2030 checked against a calendar; the next/previous workday
columns are worked out by hand (Goede Vrijdag is not a day off by default).
"""

from datetime import date, datetime, timedelta

import pytest
from dateutil.rrule import rrulestr

from models.schedule.definition import Schedule
from models.schedule.expand import occurrences, occurrences_between
from models.schedule.holiday_calendar import FreeDays, free_days

FREE = free_days(range(2025, 2032))


def d(text: str) -> date:
    return date.fromisoformat(text)


# holiday, its name, next workday, previous workday
# fmt: off
HOLIDAYS = [
    ("2026-01-01", "Nieuwjaarsdag", "2026-01-02", "2025-12-31"),       # Thu
    ("2026-04-05", "Eerste paasdag", "2026-04-07", "2026-04-03"),      # Sun
    ("2026-04-06", "Tweede paasdag", "2026-04-07", "2026-04-03"),      # Mon
    ("2026-04-27", "Koningsdag", "2026-04-28", "2026-04-24"),          # Mon
    ("2026-05-14", "Hemelvaartsdag", "2026-05-15", "2026-05-13"),      # Thu
    ("2026-05-24", "Eerste pinksterdag", "2026-05-26", "2026-05-22"),  # Sun
    ("2026-05-25", "Tweede pinksterdag", "2026-05-26", "2026-05-22"),  # Mon
    ("2026-12-25", "Eerste kerstdag", "2026-12-28", "2026-12-24"),     # Fri
    ("2026-12-26", "Tweede kerstdag", "2026-12-28", "2026-12-24"),     # Sat
    ("2027-01-01", "Nieuwjaarsdag", "2027-01-04", "2026-12-31"),       # Fri
    ("2027-03-28", "Eerste paasdag", "2027-03-30", "2027-03-26"),      # Sun
    ("2027-03-29", "Tweede paasdag", "2027-03-30", "2027-03-26"),      # Mon
    ("2027-04-27", "Koningsdag", "2027-04-28", "2027-04-26"),          # Tue
    ("2027-05-06", "Hemelvaartsdag", "2027-05-07", "2027-05-05"),      # Thu
    ("2027-05-16", "Eerste pinksterdag", "2027-05-18", "2027-05-14"),  # Sun
    ("2027-05-17", "Tweede pinksterdag", "2027-05-18", "2027-05-14"),  # Mon
    ("2027-12-25", "Eerste kerstdag", "2027-12-27", "2027-12-24"),     # Sat
    ("2027-12-26", "Tweede kerstdag", "2027-12-27", "2027-12-24"),     # Sun
    ("2028-01-01", "Nieuwjaarsdag", "2028-01-03", "2027-12-31"),       # Sat
    ("2028-04-16", "Eerste paasdag", "2028-04-18", "2028-04-14"),      # Sun
    ("2028-04-17", "Tweede paasdag", "2028-04-18", "2028-04-14"),      # Mon
    ("2028-04-27", "Koningsdag", "2028-04-28", "2028-04-26"),          # Thu
    ("2028-05-25", "Hemelvaartsdag", "2028-05-26", "2028-05-24"),      # Thu
    ("2028-06-04", "Eerste pinksterdag", "2028-06-06", "2028-06-02"),  # Sun
    ("2028-06-05", "Tweede pinksterdag", "2028-06-06", "2028-06-02"),  # Mon
    ("2028-12-25", "Eerste kerstdag", "2028-12-27", "2028-12-22"),     # Mon
    ("2028-12-26", "Tweede kerstdag", "2028-12-27", "2028-12-22"),     # Tue
    ("2029-01-01", "Nieuwjaarsdag", "2029-01-02", "2028-12-29"),       # Mon
    ("2029-04-01", "Eerste paasdag", "2029-04-03", "2029-03-30"),      # Sun
    ("2029-04-02", "Tweede paasdag", "2029-04-03", "2029-03-30"),      # Mon
    ("2029-04-27", "Koningsdag", "2029-04-30", "2029-04-26"),          # Fri
    ("2029-05-10", "Hemelvaartsdag", "2029-05-11", "2029-05-09"),      # Thu
    ("2029-05-20", "Eerste pinksterdag", "2029-05-22", "2029-05-18"),  # Sun
    ("2029-05-21", "Tweede pinksterdag", "2029-05-22", "2029-05-18"),  # Mon
    ("2029-12-25", "Eerste kerstdag", "2029-12-27", "2029-12-24"),     # Tue
    ("2029-12-26", "Tweede kerstdag", "2029-12-27", "2029-12-24"),     # Wed
    ("2030-01-01", "Nieuwjaarsdag", "2030-01-02", "2029-12-31"),       # Tue
    ("2030-04-21", "Eerste paasdag", "2030-04-23", "2030-04-19"),      # Sun
    ("2030-04-22", "Tweede paasdag", "2030-04-23", "2030-04-19"),      # Mon
    ("2030-04-27", "Koningsdag", "2030-04-29", "2030-04-26"),          # Sat
    ("2030-05-05", "Bevrijdingsdag", "2030-05-06", "2030-05-03"),      # Sun, lustrum year
    ("2030-05-30", "Hemelvaartsdag", "2030-05-31", "2030-05-29"),      # Thu
    ("2030-06-09", "Eerste pinksterdag", "2030-06-11", "2030-06-07"),  # Sun
    ("2030-06-10", "Tweede pinksterdag", "2030-06-11", "2030-06-07"),  # Mon
    ("2030-12-25", "Eerste kerstdag", "2030-12-27", "2030-12-24"),     # Wed
    ("2030-12-26", "Tweede kerstdag", "2030-12-27", "2030-12-24"),     # Thu
]
# fmt: on


def test_holiday_table_is_the_calendar():
    in_range = {day: name for day, name in FREE.items() if 2026 <= day.year <= 2030}
    assert in_range == {d(day): name for day, name, _next, _previous in HOLIDAYS}


def single(day: date, **policies) -> Schedule:
    """A schedule whose only rule date is `day`, starting two weeks earlier (so a move back
    stays inside the contract)."""
    return Schedule(
        start_date=day - timedelta(days=14),
        rrule=f"FREQ=YEARLY;BYMONTH={day.month};BYMONTHDAY={day.day};COUNT=1",
        **policies,
    )


def one(schedule: Schedule, free=FREE) -> list[tuple[str, str | None, str | None]]:
    found, more = occurrences(schedule, free, schedule.start_date - timedelta(days=30), 5)
    assert more is False
    return [
        (o.date.isoformat(), o.original_date and o.original_date.isoformat(), o.reason)
        for o in found
    ]


@pytest.mark.parametrize(("day", "name", "next_day", "previous_day"), HOLIDAYS)
@pytest.mark.parametrize("policy", ["ignore", "next_workday", "previous_workday", "skip"])
def test_every_holiday_under_every_policy(day, name, next_day, previous_day, policy):
    expected = {
        "ignore": [(day, None, None)],
        "next_workday": [(next_day, day, name)],
        "previous_workday": [(previous_day, day, name)],
        "skip": [],
    }[policy]
    assert one(single(d(day), holidays=policy)) == expected


@pytest.mark.parametrize(
    ("day", "weekends", "expected"),
    [
        # Holiday policy "ignore": a holiday on a weekend follows the weekend policy.
        ("2027-12-25", "next_workday", [("2027-12-27", "2027-12-25", "weekend")]),
        ("2027-12-25", "previous_workday", [("2027-12-24", "2027-12-25", "weekend")]),
        ("2027-12-25", "skip", []),
        ("2027-12-25", "ignore", [("2027-12-25", None, None)]),
        # ... and a holiday on a weekday stays put.
        ("2027-04-27", "next_workday", [("2027-04-27", None, None)]),
    ],
)
def test_ignored_holiday_on_a_weekend_follows_the_weekend_policy(day, weekends, expected):
    assert one(single(d(day), holidays="ignore", weekends=weekends)) == expected


def test_holiday_policy_wins_over_weekend_policy():
    # Koningsdag 2030 is a Saturday: the holiday policy moves it, with the holiday's name.
    schedule = single(d("2030-04-27"), holidays="next_workday", weekends="skip")
    assert one(schedule) == [("2030-04-29", "2030-04-27", "Koningsdag")]


@pytest.mark.parametrize(
    ("day", "policy", "expected"),
    [
        ("2026-03-14", "next_workday", [("2026-03-16", "2026-03-14", "weekend")]),  # Sat
        ("2026-03-15", "previous_workday", [("2026-03-13", "2026-03-15", "weekend")]),  # Sun
        ("2026-03-15", "skip", []),
        ("2026-03-15", "ignore", [("2026-03-15", None, None)]),
        # A weekend next to a holiday: Sat 25 April 2026, Mon 27 is Koningsdag.
        ("2026-04-25", "next_workday", [("2026-04-28", "2026-04-25", "weekend")]),
    ],
)
def test_weekend_policy(day, policy, expected):
    assert one(single(d(day), weekends=policy)) == expected


def test_closure_days_are_free_days_with_their_reason():
    free = FreeDays(closure_days={d("2026-12-28"): "", d("2026-12-29"): "Inventarisatie"})
    schedule = single(d("2026-12-28"), holidays="next_workday")
    assert one(schedule, free) == [("2026-12-30", "2026-12-28", "sluitingsdag")]
    schedule = single(d("2026-12-29"), holidays="previous_workday")
    # 28 closed, 26/27 weekend, 25 Eerste kerstdag: back to Thursday 24 December.
    assert one(schedule, free) == [("2026-12-24", "2026-12-29", "Inventarisatie")]


def listing(found):
    return [
        (o.date.isoformat(), o.original_date and o.original_date.isoformat(), o.reason)
        for o in found
    ]


def test_moved_date_merges_into_an_existing_one_and_the_unmoved_one_wins():
    # Mondays and Fridays; Koningsdag Mon 27 April 2026 moves back onto Fri 24 April.
    schedule = Schedule(d("2026-04-20"), "FREQ=WEEKLY;BYDAY=MO,FR", holidays="previous_workday")
    found = occurrences_between(schedule, FREE, d("2026-04-20"), d("2026-05-01"))
    assert listing(found) == [
        ("2026-04-20", None, None),
        ("2026-04-24", None, None),
        ("2026-05-01", None, None),
    ]


def test_two_moved_dates_merge_and_the_earliest_original_is_kept():
    # Saturdays and Sundays, both moved to the next Monday.
    schedule = Schedule(d("2026-03-01"), "FREQ=WEEKLY;BYDAY=SA,SU", weekends="next_workday")
    found = occurrences_between(schedule, FREE, d("2026-03-09"), d("2026-03-16"))
    assert listing(found) == [
        ("2026-03-09", "2026-03-07", "weekend"),
        ("2026-03-16", "2026-03-14", "weekend"),
    ]


def test_christmas_run_collapses_onto_the_next_workday():
    schedule = Schedule(
        d("2026-12-20"), "FREQ=DAILY", holidays="next_workday", weekends="next_workday"
    )
    found = occurrences_between(schedule, FREE, d("2026-12-23"), d("2026-12-30"))
    assert listing(found) == [
        ("2026-12-23", None, None),
        ("2026-12-24", None, None),
        ("2026-12-28", None, None),  # 25, 26 and 27 merged into the real Monday
        ("2026-12-29", None, None),
        ("2026-12-30", None, None),
    ]


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Saturdays moved back to Friday: from Friday 13 March the Saturday after counts.
        ("2026-03-13", ["2026-03-13", "2026-03-20"]),
        ("2026-03-14", ["2026-03-20", "2026-03-27"]),
    ],
)
def test_a_date_moved_back_across_after_is_found(after, expected):
    schedule = Schedule(d("2026-01-01"), "FREQ=WEEKLY;BYDAY=SA", weekends="previous_workday")
    found, more = occurrences(schedule, FREE, d(after), 2)
    assert [o.date.isoformat() for o in found] == expected
    assert more is True
    between = occurrences_between(schedule, FREE, d("2026-03-13"), d("2026-03-13"))
    assert listing(between) == [("2026-03-13", "2026-03-14", "weekend")]


def test_a_date_moved_forward_across_after_is_found():
    schedule = Schedule(d("2026-01-01"), "FREQ=WEEKLY;BYDAY=SU", weekends="next_workday")
    found, _more = occurrences(schedule, FREE, d("2026-03-16"), 1)
    assert listing(found) == [("2026-03-16", "2026-03-15", "weekend")]


def test_extra_dates_are_added_as_they_are():
    # An extra date on Koningsdag stays there: extra dates are the planner's own choice.
    schedule = Schedule(
        d("2026-04-01"),
        "FREQ=MONTHLY;BYMONTHDAY=15",
        extra_dates=(d("2026-04-27"), d("2026-05-15"), d("2026-04-02")),
        holidays="next_workday",
    )
    found = occurrences_between(schedule, FREE, d("2026-04-01"), d("2026-05-31"))
    assert listing(found) == [
        ("2026-04-02", None, None),
        ("2026-04-15", None, None),
        ("2026-04-27", None, None),
        ("2026-05-15", None, None),  # extra and rule date: one occurrence
    ]


def test_spread_dates_follow_the_policies_like_the_rules_own_dates():
    # Visits spread over the year (contract_rules.uneven_visits) are part of the schedule, not a
    # planner's own choice: Koningsdag moves, a Sunday moves, one moved onto a rule date merges
    # into it, a skipped one is skipped, and those outside the period are dropped.
    schedule = Schedule(
        d("2026-04-01"),
        "FREQ=MONTHLY;BYMONTHDAY=15",
        end_date=d("2026-06-30"),
        spread_dates=(d("2026-03-30"), d("2026-04-27"), d("2026-05-03"), d("2026-05-14"),
                      d("2026-06-10"), d("2026-06-15"), d("2026-07-01")),
        skip_dates=(d("2026-06-10"),),
        holidays="next_workday",
        weekends="next_workday",
    )
    found = occurrences_between(schedule, FREE, d("2026-03-01"), d("2026-07-31"))
    assert listing(found) == [
        ("2026-04-15", None, None),
        ("2026-04-28", "2026-04-27", "Koningsdag"),
        ("2026-05-04", "2026-05-03", "weekend"),
        # Hemelvaart Thu 14 May moves onto Fri 15 May, the rule's own date: one occurrence
        ("2026-05-15", None, None),
        ("2026-06-15", None, None),  # spread and rule date: one occurrence
    ]


def test_spread_dates_beside_extra_dates():
    # the same Sunday: as an extra date it stays, as a spread date it moves to Monday
    for field, expected in (("extra_dates", "2026-05-03"), ("spread_dates", "2026-05-04")):
        schedule = Schedule(d("2026-04-01"), "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=1",
                            weekends="next_workday", **{field: (d("2026-05-03"),)})
        found = occurrences_between(schedule, FREE, d("2026-04-02"), d("2026-12-31"))
        assert [o.date.isoformat() for o in found] == [expected], field


def test_extra_date_wins_over_a_moved_date_landing_on_it():
    schedule = Schedule(
        d("2026-04-01"),
        "FREQ=MONTHLY;BYMONTHDAY=27",
        extra_dates=(d("2026-04-28"),),
        holidays="next_workday",
    )
    found = occurrences_between(schedule, FREE, d("2026-04-01"), d("2026-04-30"))
    assert listing(found) == [("2026-04-28", None, None)]


@pytest.mark.parametrize("skipped", ["2026-04-27", "2026-04-28"])
def test_skipped_dates_match_the_original_and_the_final_date(skipped):
    schedule = Schedule(
        d("2026-04-01"),
        "FREQ=MONTHLY;BYMONTHDAY=27",
        skip_dates=(d(skipped),),
        holidays="next_workday",
    )
    found = occurrences_between(schedule, FREE, d("2026-04-01"), d("2026-06-30"))
    # Koningsdag 27 April would move to the 28th; 27 June is a Saturday, weekends ignored.
    assert [o.date.isoformat() for o in found] == ["2026-05-27", "2026-06-27"]


def test_without_skipped_dates_koningsdag_moves():
    schedule = Schedule(d("2026-04-01"), "FREQ=MONTHLY;BYMONTHDAY=27", holidays="next_workday")
    found = occurrences_between(schedule, FREE, d("2026-04-01"), d("2026-06-30"))
    assert listing(found) == [
        ("2026-04-28", "2026-04-27", "Koningsdag"),
        ("2026-05-27", None, None),
        ("2026-06-27", None, None),
    ]


def test_end_date_cuts_after_moving():
    # Monthly on the 26th, contract ends Thursday 24 December 2026.
    base = dict(rrule="FREQ=MONTHLY;BYMONTHDAY=26", start_date=d("2026-11-01"))
    # Sat 26 December is Tweede kerstdag: moved back to the 24th, inside the contract.
    back = Schedule(**base, end_date=d("2026-12-24"), holidays="previous_workday")
    assert listing(occurrences_between(back, FREE, d("2026-11-01"), d("2027-12-31"))) == [
        ("2026-11-26", None, None),
        ("2026-12-24", "2026-12-26", "Tweede kerstdag"),
    ]
    found, more = occurrences(back, FREE, d("2026-12-01"), 5)
    assert (listing(found), more) == ([("2026-12-24", "2026-12-26", "Tweede kerstdag")], False)
    # Moved forward to Monday 28 December: after the end, so gone.
    forward = Schedule(**base, end_date=d("2026-12-27"), holidays="next_workday")
    assert listing(occurrences_between(forward, FREE, d("2026-11-01"), d("2027-12-31"))) == [
        ("2026-11-26", None, None),
    ]


def test_the_schemas_own_einddatum_until_cuts_after_moving_too():
    """The form's "einddatum" of the schema is UNTIL: "tot en met 25 april 2027" brought a
    visit on Monday 26 April (Sunday the 25th moved to the next workday)."""
    base = dict(rrule="FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20270425", start_date=d("2027-01-01"))
    forward = Schedule(**base, weekends="next_workday")
    found, more = occurrences(forward, FREE, d("2027-03-01"), 5)
    assert (listing(found), more) == ([("2027-03-25", None, None)], False)
    # moved back it stays inside, and so does a date the rule itself has on UNTIL
    back = Schedule(**base, weekends="previous_workday")
    assert listing(occurrences_between(back, FREE, d("2027-03-01"), d("2027-12-31"))) == [
        ("2027-03-25", None, None), ("2027-04-23", "2027-04-25", "weekend")]
    # Christmas 2026 (Friday) with UNTIL on the 25th: moved to Monday the 28th, so it goes,
    # and the preview can say why
    christmas = Schedule(d("2026-12-01"), "FREQ=MONTHLY;BYMONTHDAY=25;UNTIL=20261225",
                         holidays="next_workday")
    lost = []
    assert occurrences(christmas, FREE, d("2026-12-01"), 3, lost=lost) == ([], False)
    assert [(x.date, x.kind, x.into) for x in lost] == [
        (d("2026-12-25"), "buiten_looptijd", d("2026-12-28"))]


def test_moving_back_before_the_start_drops_the_date():
    schedule = Schedule(d("2026-04-27"), "FREQ=MONTHLY;BYMONTHDAY=27", holidays="previous_workday")
    found, _more = occurrences(schedule, FREE, d("2026-01-01"), 1)
    assert listing(found) == [("2026-05-27", None, None)]


@pytest.mark.parametrize(
    ("lead", "day", "generate_on"),
    [
        (0, "2026-08-31", "2026-08-31"),
        (1, "2026-08-31", "2026-08-30"),
        (30, "2026-08-31", "2026-08-01"),  # domain.md's example
        (365, "2027-03-01", "2026-03-01"),
        (365, "2028-03-01", "2027-03-02"),  # across 29 February 2028
    ],
)
def test_days_in_advance(lead, day, generate_on):
    schedule = Schedule(d(day), "FREQ=YEARLY", days_in_advance=lead)
    found, _more = occurrences(schedule, {}, d(day), 1)
    assert (found[0].date, found[0].generate_on) == (d(day), d(generate_on))


def test_count_and_until_end_the_series_and_more_says_so():
    count = Schedule(d("2026-01-01"), "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3")
    assert occurrences(count, {}, d("2026-01-01"), 3)[1] is False
    assert occurrences(count, {}, d("2026-01-01"), 2)[1] is True
    until = Schedule(d("2026-01-01"), "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260301")
    found, more = occurrences(until, {}, d("2026-01-01"), 10)
    assert ([o.date.month for o in found], more) == ([1, 2, 3], False)
    # A skipped last date means there is nothing more.
    skipped = Schedule(
        d("2026-01-01"), "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=3", skip_dates=(d("2026-03-01"),)
    )
    assert occurrences(skipped, {}, d("2026-01-01"), 2)[1] is False


def naive(schedule: Schedule, after: date, count: int) -> list[date]:
    """Every date from DTSTART on, the way dateutil does it unaided."""
    start = datetime.combine(schedule.start_date, datetime.min.time())
    found = []
    for moment in rrulestr(schedule.rrule, dtstart=start):
        if moment.date() >= after:
            found.append(moment.date())
            if len(found) == count:
                return found
    return found


@pytest.mark.parametrize(
    ("start", "rrule", "after", "expected"),
    [
        # 31 January 2006, every 3 months, day from DTSTART: Jan/Apr/Jul/Oct 31st, but April
        # has no 31st (strict RFC).
        (
            "2006-01-31",
            "FREQ=MONTHLY;INTERVAL=3",
            "2026-11-26",
            ["2027-01-31", "2027-07-31", "2027-10-31", "2028-01-31", "2028-07-31"],
        ),
        (
            "2006-01-31",
            "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
            "2026-11-26",
            ["2027-01-31", "2027-04-30", "2027-07-31", "2027-10-31", "2028-01-31"],
        ),
        # Every 3 weeks from Monday 2 January 2006: Monday 30 November 2026 is 7637 days = 1091
        # weeks later (1091 = 3 * 363 + 2), so the series hits week 1092, Monday 7 December.
        (
            "2006-01-02",
            "FREQ=WEEKLY;INTERVAL=3",
            "2026-11-26",
            ["2026-12-07", "2026-12-28", "2027-01-18"],
        ),
        (
            "2006-02-28",
            "FREQ=YEARLY;INTERVAL=3",
            "2026-11-26",
            ["2027-02-28", "2030-02-28", "2033-02-28"],
        ),
        ("2006-01-01", "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=250", "2026-09-15", ["2026-10-01"]),
    ],
)
def test_twenty_year_old_start(start, rrule, after, expected):
    schedule = Schedule(d(start), rrule)
    found, _more = occurrences(schedule, {}, d(after), len(expected))
    assert [o.date.isoformat() for o in found] == expected
    assert [o.date for o in found] == naive(schedule, d(after), len(expected))


# --- dates of the rule that give no werkbon of their own (the preview explains them) ---------

def lost_listing(lost):
    return [(x.date.isoformat(), x.kind, x.reason, x.into and x.into.isoformat()) for x in lost]


@pytest.mark.parametrize(
    ("schedule", "after", "expected_dates", "expected_lost"),
    [
        # Daily, 5 times, from Saturday 28 November 2026: the weekend merges into Monday, so the
        # sentence's "5 keer" gives three dates. Sat arrives first and is replaced by the
        # unmoved Monday; Sun arrives second and merges into the waiting Monday.
        (Schedule(d("2026-11-28"), "FREQ=DAILY;COUNT=5", weekends="next_workday"), "2026-11-27",
         ["2026-11-30", "2026-12-01", "2026-12-02"],
         [("2026-11-28", "samengevoegd", "weekend", "2026-11-30"),
          ("2026-11-29", "samengevoegd", "weekend", "2026-11-30")]),
        (Schedule(d("2026-11-28"), "FREQ=DAILY;COUNT=5", weekends="skip"), "2026-11-27",
         ["2026-11-30", "2026-12-01", "2026-12-02"],
         [("2026-11-28", "vervalt", "weekend", None), ("2026-11-29", "vervalt", "weekend", None)]),
        # Moved back before the start date (Friday 27 November): outside the contract period.
        (Schedule(d("2026-11-28"), "FREQ=DAILY;COUNT=3", weekends="previous_workday"),
         "2026-11-01", ["2026-11-30"],
         [("2026-11-28", "buiten_looptijd", "weekend", "2026-11-27"),
          ("2026-11-29", "buiten_looptijd", "weekend", "2026-11-27")]),
        # Koningsdag Mon 27 April 2026 moved back onto Friday 24 April, already a date.
        (Schedule(d("2026-04-20"), "FREQ=WEEKLY;BYDAY=MO,FR;COUNT=5",
                  holidays="previous_workday"), "2026-04-20",
         ["2026-04-20", "2026-04-24", "2026-05-01", "2026-05-04"],
         [("2026-04-27", "samengevoegd", "Koningsdag", "2026-04-24")]),
        # Tweede kerstdag (Sat 26 Dec) moved forward past the end date, Sun 27 Dec.
        (Schedule(d("2026-11-01"), "FREQ=MONTHLY;BYMONTHDAY=26", end_date=d("2026-12-27"),
                  holidays="next_workday"), "2026-11-01",
         ["2026-11-26"],
         [("2026-12-26", "buiten_looptijd", "Tweede kerstdag", "2026-12-28")]),
        # Moved onto a date the planner skipped.
        (Schedule(d("2026-03-01"), "FREQ=WEEKLY;BYDAY=SA;COUNT=2", weekends="next_workday",
                  skip_dates=(d("2026-03-09"),)), "2026-03-01",
         ["2026-03-16"],
         [("2026-03-07", "overgeslagen", "weekend", "2026-03-09")]),
        # Moved back across `after` but inside the period: it exists, just before the preview;
        # nothing to explain.
        (Schedule(d("2026-01-01"), "FREQ=WEEKLY;BYDAY=SA", weekends="previous_workday",
                  end_date=d("2026-03-27")), "2026-03-14",
         ["2026-03-20", "2026-03-27"], []),
        # Nothing moves: nothing to explain.
        (Schedule(d("2026-01-31"), "FREQ=MONTHLY;BYMONTHDAY=31", end_date=d("2026-12-31")),
         "2026-01-01", ["2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31",
                        "2026-10-31", "2026-12-31"], []),
    ],
)
def test_dates_that_merge_or_fall_away_are_reported(schedule, after, expected_dates,
                                                     expected_lost):
    lost = []
    found, _more = occurrences(schedule, FREE, d(after), 20, lost)
    assert [o.date.isoformat() for o in found] == expected_dates
    assert sorted(lost_listing(lost)) == expected_lost
    # reporting them changes nothing about the dates
    assert occurrences(schedule, FREE, d(after), 20) == (found, _more)


def test_a_holiday_with_no_workday_within_a_year_is_reported():
    every_day = FreeDays(closure_days={d("2026-06-01") + timedelta(days=n): "sluitingsdag"
                                       for n in range(400)})
    schedule = Schedule(d("2026-06-01"), "FREQ=MONTHLY;BYMONTHDAY=1;COUNT=1",
                        holidays="next_workday")
    lost = []
    assert occurrences(schedule, every_day, d("2026-06-01"), 5, lost) == ([], False)
    assert lost_listing(lost) == [("2026-06-01", "geen_werkdag", "sluitingsdag", None)]
