"""RFC 5545 §3.8.5.3 examples, date-based (DTSTART's date part, no time zones).

Expected dates are the RFC's own lists. Where the RFC's UNTIL falls on a matching date and only
the 09:00 time excludes it, the case is noted: with whole days, UNTIL's date is included.
"""

from datetime import date

import pytest

from models.schedule.definition import Schedule
from models.schedule.expand import occurrences, occurrences_between


def d(text: str) -> date:
    return date.fromisoformat(text)


def dates(*items: str) -> list[date]:
    return [d(item) for item in items]


def expand(start: str, rrule: str, count: int) -> list[date]:
    found, _more = occurrences(Schedule(d(start), rrule), {}, d(start), count)
    return [occurrence.date for occurrence in found]


RFC_CASES = [
    pytest.param(
        "1997-09-02",
        "FREQ=DAILY;COUNT=10",
        dates(
            "1997-09-02",
            "1997-09-03",
            "1997-09-04",
            "1997-09-05",
            "1997-09-06",
            "1997-09-07",
            "1997-09-08",
            "1997-09-09",
            "1997-09-10",
            "1997-09-11",
        ),
        id="daily-10",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=DAILY;INTERVAL=2",
        dates(
            "1997-09-02",
            "1997-09-04",
            "1997-09-06",
            "1997-09-08",
            "1997-09-10",
            "1997-09-12",
            "1997-09-14",
            "1997-09-16",
            "1997-09-18",
            "1997-09-20",
            "1997-09-22",
            "1997-09-24",
            "1997-09-26",
            "1997-09-28",
            "1997-09-30",
            "1997-10-02",
        ),
        id="every-other-day",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=DAILY;INTERVAL=10;COUNT=5",
        dates("1997-09-02", "1997-09-12", "1997-09-22", "1997-10-02", "1997-10-12"),
        id="every-10-days-5-times",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=WEEKLY;COUNT=10",
        dates(
            "1997-09-02",
            "1997-09-09",
            "1997-09-16",
            "1997-09-23",
            "1997-09-30",
            "1997-10-07",
            "1997-10-14",
            "1997-10-21",
            "1997-10-28",
            "1997-11-04",
        ),
        id="weekly-10",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=WEEKLY;UNTIL=19971224T000000Z",
        dates(
            "1997-09-02",
            "1997-09-09",
            "1997-09-16",
            "1997-09-23",
            "1997-09-30",
            "1997-10-07",
            "1997-10-14",
            "1997-10-21",
            "1997-10-28",
            "1997-11-04",
            "1997-11-11",
            "1997-11-18",
            "1997-11-25",
            "1997-12-02",
            "1997-12-09",
            "1997-12-16",
            "1997-12-23",
        ),
        id="weekly-until-dec-24",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=WEEKLY;INTERVAL=2;WKST=SU",
        dates(
            "1997-09-02",
            "1997-09-16",
            "1997-09-30",
            "1997-10-14",
            "1997-10-28",
            "1997-11-11",
            "1997-11-25",
            "1997-12-09",
            "1997-12-23",
            "1998-01-06",
            "1998-01-20",
            "1998-02-03",
            "1998-02-17",
        ),
        id="every-other-week",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH",
        dates(
            "1997-09-02",
            "1997-09-04",
            "1997-09-09",
            "1997-09-11",
            "1997-09-16",
            "1997-09-18",
            "1997-09-23",
            "1997-09-25",
            "1997-09-30",
            "1997-10-02",
        ),
        id="tue-thu-five-weeks",
    ),
    pytest.param(
        # RFC: UNTIL=19971224T000000Z with 09:00 starts; Wed 24 December would be included
        # with whole days, so the date-based variant ends one day earlier.
        "1997-09-01",
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971223;WKST=SU;BYDAY=MO,WE,FR",
        dates(
            "1997-09-01",
            "1997-09-03",
            "1997-09-05",
            "1997-09-15",
            "1997-09-17",
            "1997-09-19",
            "1997-09-29",
            "1997-10-01",
            "1997-10-03",
            "1997-10-13",
            "1997-10-15",
            "1997-10-17",
            "1997-10-27",
            "1997-10-29",
            "1997-10-31",
            "1997-11-10",
            "1997-11-12",
            "1997-11-14",
            "1997-11-24",
            "1997-11-26",
            "1997-11-28",
            "1997-12-08",
            "1997-12-10",
            "1997-12-12",
            "1997-12-22",
        ),
        id="every-other-week-mo-we-fr",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH",
        dates(
            "1997-09-02",
            "1997-09-04",
            "1997-09-16",
            "1997-09-18",
            "1997-09-30",
            "1997-10-02",
            "1997-10-14",
            "1997-10-16",
        ),
        id="every-other-week-tu-th-8",
    ),
    pytest.param(
        "1997-09-05",
        "FREQ=MONTHLY;COUNT=10;BYDAY=1FR",
        dates(
            "1997-09-05",
            "1997-10-03",
            "1997-11-07",
            "1997-12-05",
            "1998-01-02",
            "1998-02-06",
            "1998-03-06",
            "1998-04-03",
            "1998-05-01",
            "1998-06-05",
        ),
        id="monthly-first-friday",
    ),
    pytest.param(
        "1997-09-05",
        "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR",
        dates("1997-09-05", "1997-10-03", "1997-11-07", "1997-12-05"),
        id="monthly-first-friday-until",
    ),
    pytest.param(
        "1997-09-07",
        "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
        dates(
            "1997-09-07",
            "1997-09-28",
            "1997-11-02",
            "1997-11-30",
            "1998-01-04",
            "1998-01-25",
            "1998-03-01",
            "1998-03-29",
            "1998-05-03",
            "1998-05-31",
        ),
        id="every-other-month-first-and-last-sunday",
    ),
    pytest.param(
        "1997-09-22",
        "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO",
        dates("1997-09-22", "1997-10-20", "1997-11-17", "1997-12-22", "1998-01-19", "1998-02-16"),
        id="monthly-second-to-last-monday",
    ),
    pytest.param(
        "1997-09-28",
        "FREQ=MONTHLY;BYMONTHDAY=-3",
        dates("1997-09-28", "1997-10-29", "1997-11-28", "1997-12-29", "1998-01-29", "1998-02-26"),
        id="monthly-third-to-last-day",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15",
        dates(
            "1997-09-02",
            "1997-09-15",
            "1997-10-02",
            "1997-10-15",
            "1997-11-02",
            "1997-11-15",
            "1997-12-02",
            "1997-12-15",
            "1998-01-02",
            "1998-01-15",
        ),
        id="monthly-2nd-and-15th",
    ),
    pytest.param(
        "1997-09-30",
        "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1",
        dates(
            "1997-09-30",
            "1997-10-01",
            "1997-10-31",
            "1997-11-01",
            "1997-11-30",
            "1997-12-01",
            "1997-12-31",
            "1998-01-01",
            "1998-01-31",
            "1998-02-01",
        ),
        id="monthly-first-and-last-day",
    ),
    pytest.param(
        "1997-09-10",
        "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15",
        dates(
            "1997-09-10",
            "1997-09-11",
            "1997-09-12",
            "1997-09-13",
            "1997-09-14",
            "1997-09-15",
            "1999-03-10",
            "1999-03-11",
            "1999-03-12",
            "1999-03-13",
        ),
        id="every-18-months-10th-to-15th",
    ),
    pytest.param(
        "1997-09-02",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU",
        dates(
            "1997-09-02",
            "1997-09-09",
            "1997-09-16",
            "1997-09-23",
            "1997-09-30",
            "1997-11-04",
            "1997-11-11",
            "1997-11-18",
            "1997-11-25",
            "1998-01-06",
            "1998-01-13",
            "1998-01-20",
            "1998-01-27",
            "1998-03-03",
            "1998-03-10",
            "1998-03-17",
            "1998-03-24",
            "1998-03-31",
        ),
        id="every-tuesday-every-other-month",
    ),
    pytest.param(
        "1997-06-10",
        "FREQ=YEARLY;COUNT=10;BYMONTH=6,7",
        dates(
            "1997-06-10",
            "1997-07-10",
            "1998-06-10",
            "1998-07-10",
            "1999-06-10",
            "1999-07-10",
            "2000-06-10",
            "2000-07-10",
            "2001-06-10",
            "2001-07-10",
        ),
        id="yearly-june-and-july",
    ),
    pytest.param(
        "1997-03-10",
        "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3",
        dates(
            "1997-03-10",
            "1999-01-10",
            "1999-02-10",
            "1999-03-10",
            "2001-01-10",
            "2001-02-10",
            "2001-03-10",
            "2003-01-10",
            "2003-02-10",
            "2003-03-10",
        ),
        id="every-other-year-jan-feb-mar",
    ),
    pytest.param(
        "1997-01-01",
        "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
        dates(
            "1997-01-01",
            "1997-04-10",
            "1997-07-19",
            "2000-01-01",
            "2000-04-09",
            "2000-07-18",
            "2003-01-01",
            "2003-04-10",
            "2003-07-19",
            "2006-01-01",
        ),
        id="every-third-year-day-1-100-200",
    ),
    pytest.param(
        "1997-05-19",
        "FREQ=YEARLY;BYDAY=20MO",
        dates("1997-05-19", "1998-05-18", "1999-05-17"),
        id="every-20th-monday",
    ),
    pytest.param(
        "1997-05-12",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        dates("1997-05-12", "1998-05-11", "1999-05-17"),
        id="monday-of-week-20",
    ),
    pytest.param(
        "1997-03-13",
        "FREQ=YEARLY;BYMONTH=3;BYDAY=TH",
        dates(
            "1997-03-13",
            "1997-03-20",
            "1997-03-27",
            "1998-03-05",
            "1998-03-12",
            "1998-03-19",
            "1998-03-26",
            "1999-03-04",
            "1999-03-11",
            "1999-03-18",
            "1999-03-25",
        ),
        id="every-thursday-in-march",
    ),
    pytest.param(
        "1997-06-05",
        "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8",
        dates(
            "1997-06-05",
            "1997-06-12",
            "1997-06-19",
            "1997-06-26",
            "1997-07-03",
            "1997-07-10",
            "1997-07-17",
            "1997-07-24",
            "1997-07-31",
            "1997-08-07",
            "1997-08-14",
            "1997-08-21",
            "1997-08-28",
            "1998-06-04",
            "1998-06-11",
        ),
        id="every-thursday-in-summer",
    ),
    pytest.param(
        # The RFC adds EXDATE for its DTSTART (RFC counts DTSTART as the first instance);
        # here the first date is the first matching one, so no EXDATE is needed.
        "1997-09-02",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        dates("1998-02-13", "1998-03-13", "1998-11-13", "1999-08-13", "2000-10-13"),
        id="friday-the-13th",
    ),
    pytest.param(
        "1997-09-13",
        "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13",
        dates(
            "1997-09-13",
            "1997-10-11",
            "1997-11-08",
            "1997-12-13",
            "1998-01-10",
            "1998-02-07",
            "1998-03-07",
            "1998-04-11",
            "1998-05-09",
            "1998-06-13",
        ),
        id="first-saturday-after-first-sunday",
    ),
    pytest.param(
        "1996-11-05",
        "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8",
        dates("1996-11-05", "2000-11-07", "2004-11-02"),
        id="us-presidential-election-day",
    ),
    pytest.param(
        "1997-09-04",
        "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3",
        dates("1997-09-04", "1997-10-07", "1997-11-06"),
        id="third-of-tu-we-th",
    ),
    pytest.param(
        "1997-09-29",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        dates(
            "1997-09-29",
            "1997-10-30",
            "1997-11-27",
            "1997-12-30",
            "1998-01-29",
            "1998-02-26",
            "1998-03-30",
        ),
        id="second-to-last-weekday",
    ),
    pytest.param(
        "1997-08-05",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
        dates("1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"),
        id="wkst-monday",
    ),
    pytest.param(
        "1997-08-05",
        "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
        dates("1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"),
        id="wkst-sunday",
    ),
    pytest.param(
        "2007-01-15",
        "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5",
        dates("2007-01-15", "2007-01-30", "2007-02-15", "2007-03-15", "2007-03-30"),
        id="invalid-date-skipped",
    ),
]


@pytest.mark.parametrize(("start", "rrule", "expected"), RFC_CASES)
def test_rfc_example(start, rrule, expected):
    assert expand(start, rrule, len(expected)) == expected


def test_daily_until_includes_the_until_date():
    # RFC: FREQ=DAILY;UNTIL=19971224T000000Z from 1997-09-02 09:00 ends on 23 December; with
    # whole days UNTIL's date itself is a date of the series: 2 September .. 24 December.
    found = occurrences_between(
        Schedule(d("1997-09-02"), "FREQ=DAILY;UNTIL=19971224T000000Z"),
        {},
        d("1997-01-01"),
        d("1998-12-31"),
    )
    assert len(found) == 29 + 31 + 30 + 24
    assert (found[0].date, found[-1].date) == (d("1997-09-02"), d("1997-12-24"))


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA",
        "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1",
    ],
)
def test_every_day_in_january_for_three_years(rrule):
    found = occurrences_between(
        Schedule(d("1998-01-01"), rrule), {}, d("1998-01-01"), d("2001-12-31")
    )
    expected = [date(year, 1, day) for year in (1998, 1999, 2000) for day in range(1, 32)]
    assert [o.date for o in found] == expected


def test_weekly_bysetpos_counts_the_whole_first_week():
    # RFC 5545: BYSETPOS picks from the period's full set. The week of Wed 11 March 2026 holds
    # Mon 9, Wed 11, Fri 13; position 1 is Mon 9, before the start, so the first date is Mon 16.
    # (dateutil alone would count from the start date and give Wed 11.)
    assert expand("2026-03-11", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYSETPOS=1", 3) == dates(
        "2026-03-16", "2026-03-23", "2026-03-30"
    )


def test_first_date_is_first_match_on_or_after_start():
    # Start Wednesday 4 March 2026, weekly on Monday: the first date is Monday 9 March.
    assert expand("2026-03-04", "FREQ=WEEKLY;BYDAY=MO", 2) == dates("2026-03-09", "2026-03-16")
