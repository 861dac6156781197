"""Every way a schedule can be wrong names the right field, in Dutch."""

from datetime import date, datetime

import pytest

from models.schedule.definition import Schedule, validate, validate_all
from models.schedule.expand import occurrences, occurrences_between
from models.schedule.rrule import ScheduleError

START = date(2026, 3, 10)


def problems(rrule: str = "FREQ=WEEKLY;BYDAY=MO", **fields) -> dict[str, str]:
    fields.setdefault("start_date", START)
    return validate_all(Schedule(rrule=rrule, **fields))


# rrule, words that must be in the message
RRULE_CASES = [
    ("", "Vul een herhaalregel in"),
    ("RRULE:FREQ=DAILY", "RRULE:"),
    ("DTSTART:19970902T090000Z\nRRULE:FREQ=DAILY", "DTSTART"),
    ("FREQ=DAILY;DTSTART=19970902", "DTSTART"),
    ("INTERVAL=2", "FREQ"),
    ("FREQ=HOURLY", "Vaker dan eens per dag"),
    ("FREQ=MINUTELY;INTERVAL=15", "Vaker dan eens per dag"),
    ("FREQ=SECONDLY", "Vaker dan eens per dag"),
    ("FREQ=FORTNIGHTLY", "bestaat niet"),
    ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
    ("FREQ=DAILY;INTERVAL=-2", "INTERVAL"),
    ("FREQ=DAILY;INTERVAL=two", "INTERVAL"),
    ("FREQ=DAILY;COUNT=0", "COUNT"),
    ("FREQ=DAILY;COUNT=5;UNTIL=20270101", "COUNT of UNTIL"),
    ("FREQ=DAILY;UNTIL=2027", "UNTIL"),
    ("FREQ=DAILY;UNTIL=20270230", "UNTIL"),
    ("FREQ=DAILY;BYHOUR=9", "hele dagen"),
    ("FREQ=DAILY;BYMINUTE=30", "hele dagen"),
    ("FREQ=WEEKLY;BYFOO=1", "Onbekend onderdeel"),
    ("FREQ=YEARLY;BYEASTER=0", "Onbekend onderdeel"),
    ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
    ("FREQ=WEEKLY;BYDAY=2MO", "rangnummer"),
    ("FREQ=DAILY;BYDAY=-1FR", "rangnummer"),
    ("FREQ=MONTHLY;BYDAY=6MO", "vijf keer"),
    ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO", "BYWEEKNO"),
    ("FREQ=WEEKLY;BYMONTHDAY=3", "wekelijks"),
    ("FREQ=MONTHLY;BYYEARDAY=3", "jaarlijks"),
    ("FREQ=MONTHLY;BYWEEKNO=3", "jaarlijks"),
    ("FREQ=MONTHLY;BYSETPOS=1", "BYSETPOS"),
    ("FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=3", "BYSETPOS"),
    ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
    ("FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY"),
    ("FREQ=YEARLY;BYMONTH=13", "BYMONTH"),
    ("FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "februari heeft geen dag 30"),
    ("FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31", "nooit"),
    ("FREQ=YEARLY;BYYEARDAY=60;BYMONTH=1", "nooit"),
    ("FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6", "nooit"),
    ("FREQ=MONTHLY;BYMONTHDAY=15;BYDAY=MO;BYSETPOS=2", "nooit"),
    ("FREQ=DAILY;INTERVAL=7;BYDAY=WE", "nooit"),  # 10 March 2026 is a Tuesday
    ("FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "nooit"),  # 2026, 2030, ...: no leap
    ("FREQ=DAILY;UNTIL=20260101", "vóór de startdatum"),
    # Friday 13 March 2026 is the first Friday the 13th after the start: one day too late.
    ("FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;UNTIL=20260312", "tussen begin en einde"),
    ("FREQ=DAILY;;INTERVAL=2", "NAAM=WAARDE"),
    ("FREQ=DAILY;FREQ=WEEKLY", "twee keer"),
    ("FREQ = DAILY", "spaties"),
]


@pytest.mark.parametrize(("rrule", "words"), RRULE_CASES)
def test_bad_rrule(rrule, words):
    found = problems(rrule)
    assert set(found) == {"rrule"}
    assert words in found["rrule"]
    with pytest.raises(ScheduleError) as caught:
        validate(Schedule(START, rrule))
    assert (caught.value.field, caught.value.message) == ("rrule", found["rrule"])


def test_every_12_months_on_the_31st_depends_on_the_start_month():
    rule = "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31"
    assert "nooit" in problems(rule, start_date=date(2026, 4, 1))["rrule"]  # only Aprils
    assert problems(rule, start_date=date(2026, 3, 1)) == {}  # only Marches


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=WEEKLY;BYDAY=MO",
        "freq=weekly;byday=mo",  # names are case-insensitive in RFC 5545
        "FREQ=DAILY;",  # a trailing semicolon is tolerated
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",  # strict, leap years only: rare, not never
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO",  # every 28 years or so
        "FREQ=MONTHLY;BYDAY=5MO;BYMONTH=2",  # a fifth Monday in February: leap years only
        "FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH",
        "FREQ=YEARLY;BYYEARDAY=366",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
    ],
)
def test_valid_rules(rrule):
    assert problems(rrule) == {}


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"start_date": None}, "start_date", "startdatum"),
        ({"start_date": "2026-03-10"}, "start_date", "startdatum"),
        ({"start_date": datetime(2026, 3, 10)}, "start_date", "startdatum"),
        ({"start_date": date(1850, 1, 1)}, "start_date", "tussen 1900 en 2999"),
        ({"end_date": date(2026, 3, 9)}, "end_date", "vóór de startdatum"),
        ({"end_date": "morgen"}, "end_date", "einddatum"),
        ({"holidays": "sometimes"}, "holidays", "feestdagen"),
        ({"weekends": "never"}, "weekends", "weekenddagen"),
        ({"days_in_advance": -1}, "days_in_advance", "0 tot en met 365"),
        ({"days_in_advance": 366}, "days_in_advance", "0 tot en met 365"),
        ({"days_in_advance": True}, "days_in_advance", "0 tot en met 365"),
        ({"days_in_advance": "7"}, "days_in_advance", "0 tot en met 365"),
        ({"extra_dates": (date(2026, 3, 1),)}, "extra_dates", "zo 1 mrt 2026"),
        (
            {"extra_dates": (date(2027, 1, 5),), "end_date": date(2026, 12, 31)},
            "extra_dates",
            "buiten de looptijd",
        ),
        ({"extra_dates": ("2026-04-01",)}, "extra_dates", "geen geldige datum"),
        ({"skip_dates": (None,)}, "skip_dates", "geen geldige datum"),
        (
            {"extra_dates": (date(2026, 4, 1),), "skip_dates": (date(2026, 4, 1),)},
            "skip_dates",
            "wo 1 apr 2026",
        ),
    ],
)
def test_bad_fields(fields, field, words):
    found = problems(**fields)
    assert set(found) == {field}
    assert words in found[field]


def test_weekend_only_rule_with_weekends_skipped_gives_nothing():
    found = problems("FREQ=WEEKLY;BYDAY=SA,SU", weekends="skip")
    assert set(found) == {"weekends"}
    # Weekly without BYDAY takes the start's weekday: Saturday 14 March 2026.
    assert "weekends" in problems("FREQ=WEEKLY", start_date=date(2026, 3, 14), weekends="skip")
    # Moving them is fine, and so is skipping when the holiday policy still moves some.
    assert problems("FREQ=WEEKLY;BYDAY=SA,SU", weekends="next_workday") == {}


def test_validate_all_reports_every_field_and_validate_the_first():
    schedule = Schedule(
        start_date=START,
        rrule="FREQ=HOURLY",
        holidays="x",
        weekends="y",
        days_in_advance=400,
    )
    assert set(validate_all(schedule)) == {"rrule", "holidays", "weekends", "days_in_advance"}
    with pytest.raises(ScheduleError) as caught:
        validate(schedule)
    assert caught.value.field == "rrule"
    assert isinstance(caught.value, ValueError)


def test_valid_schedule_passes():
    schedule = Schedule(
        start_date=START,
        rrule="FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1;COUNT=12",
        end_date=date(2027, 12, 31),
        extra_dates=(date(2026, 6, 1),),
        skip_dates=(date(2026, 7, 31),),
        holidays="next_workday",
        weekends="previous_workday",
        days_in_advance=30,
    )
    assert validate_all(schedule) == {}
    validate(schedule)


def test_expansion_refuses_bad_input_with_the_field():
    good = Schedule(START, "FREQ=DAILY")
    with pytest.raises(ScheduleError) as caught:
        occurrences(good, {}, START, -1)
    assert caught.value.field == "count"
    with pytest.raises(ScheduleError) as caught:
        occurrences(good, {}, None, 5)
    assert caught.value.field == "after"
    with pytest.raises(ScheduleError) as caught:
        occurrences(Schedule(START, "FREQ=HOURLY"), {}, START, 5)
    assert caught.value.field == "rrule"
    with pytest.raises(ScheduleError) as caught:
        occurrences_between(Schedule(START, "FREQ=DAILY", holidays="x"), {}, START, START)
    assert caught.value.field == "holidays"


def test_rule_without_a_date_before_the_contract_ends():
    # From 10 March 2026 the next 1 January is in 2027, after the contract's end.
    found = problems("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", end_date=date(2026, 12, 31))
    assert found == {"rrule": "Deze regel levert geen enkele datum op tussen begin en einde."}
    assert problems("FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=1", end_date=date(2027, 1, 1)) == {}
