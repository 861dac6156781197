"""The planner's form <-> RRULE, both ways, and reading raw HTML input."""

from datetime import date

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from models.schedule.definition import Schedule, validate_all
from models.schedule.expand import occurrences
from models.schedule.recurrence_form import (
    END_MODES,
    FREQUENCIES,
    MONTHLY_MODES,
    ORDINALS,
    RecurrenceForm,
    form_errors,
    from_rrule,
    normalise,
    parse_form,
    to_rrule,
    with_defaults,
)
from models.schedule.rrule import WEEKDAY_CODES

F = RecurrenceForm

# fmt: off
PAIRS = [
    (F("dagelijks"), "FREQ=DAILY"),
    (F("dagelijks", interval=3), "FREQ=DAILY;INTERVAL=3"),
    (F("werkdagen"), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    (F("werkdagen", interval=2), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR"),
    (F("wekelijks", weekdays=("MO",)), "FREQ=WEEKLY;BYDAY=MO"),
    (F("wekelijks", interval=2, weekdays=("MO", "TH")), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH"),
    (F("wekelijks", weekdays=("SA", "SU"), season_months=(4, 5, 6)),
     "FREQ=WEEKLY;BYMONTH=4,5,6;BYDAY=SA,SU"),
    (F("maandelijks", day_of_month=1), "FREQ=MONTHLY;BYMONTHDAY=1"),
    (F("maandelijks", day_of_month=28), "FREQ=MONTHLY;BYMONTHDAY=28"),
    (F("maandelijks", day_of_month=29), "FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1"),
    (F("maandelijks", day_of_month=30), "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
    (F("maandelijks", day_of_month=31), "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
    (F("maandelijks", interval=3, day_of_month=1), "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
    (F("maandelijks", monthly_mode="weekdag", ordinal=2, ordinal_weekday="TU",
       season_months=(4, 5, 6, 7, 8, 9, 10)),
     "FREQ=MONTHLY;BYMONTH=4,5,6,7,8,9,10;BYDAY=2TU"),
    (F("maandelijks", monthly_mode="weekdag", ordinal=-1, ordinal_weekday="FR"),
     "FREQ=MONTHLY;BYDAY=-1FR"),
    (F("jaarlijks", month=3, day_of_month=15), "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15"),
    (F("jaarlijks", month=1, day_of_month=31), "FREQ=YEARLY;BYMONTH=1;BYMONTHDAY=31"),
    (F("jaarlijks", month=2, day_of_month=29),
     "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"),
    (F("jaarlijks", interval=2, month=11, monthly_mode="weekdag", ordinal=-1,
       ordinal_weekday="FR"),
     "FREQ=YEARLY;INTERVAL=2;BYMONTH=11;BYDAY=-1FR"),
    (F("maandelijks", day_of_month=15, end_mode="aantal", count=12),
     "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12"),
    (F("maandelijks", day_of_month=15, end_mode="einddatum", until=date(2027, 12, 31)),
     "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20271231"),
]
# fmt: on


@pytest.mark.parametrize(("form", "rrule"), PAIRS)
def test_form_to_rrule_and_back(form, rrule):
    assert to_rrule(form) == rrule
    assert from_rrule(rrule) == normalise(form)


def test_irrelevant_fields_do_not_leak_into_the_rule():
    form = F(
        "wekelijks",
        weekdays=("TH", "MO", "TH"),
        day_of_month=31,
        month=5,
        ordinal=2,
        season_months=tuple(range(1, 13)),
        end_mode="geen",
        count=7,
        until=date(2027, 1, 1),
    )
    assert to_rrule(form) == "FREQ=WEEKLY;BYDAY=MO,TH"
    assert normalise(form) == F("wekelijks", weekdays=("MO", "TH"))


def test_weekly_on_monday_to_friday_is_workdays():
    assert normalise(F("wekelijks", weekdays=WEEKDAY_CODES[:5])) == F("werkdagen")


@pytest.mark.parametrize(
    ("rrule", "form"),
    [
        ("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR", F("werkdagen")),  # same dates as the weekly rule
        ("freq=weekly;byday=th,mo", F("wekelijks", weekdays=("MO", "TH"))),
        (
            "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
            F("jaarlijks", month=4, day_of_month=30),
        ),  # April always ends on the 30th
        ("FREQ=WEEKLY;BYDAY=MO;WKST=MO", F("wekelijks", weekdays=("MO",))),
    ],
)
def test_equivalent_rules_read_back(rrule, form):
    assert from_rrule(rrule) == form


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=MONTHLY;BYMONTHDAY=31",  # strict: skips short months, the form clamps
        "FREQ=MONTHLY;BYMONTHDAY=1,15",
        "FREQ=MONTHLY",  # day taken from the start date
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",  # strict 29 February
        "FREQ=YEARLY;BYMONTH=6,7",
        "FREQ=YEARLY;BYDAY=20MO",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO",
        "FREQ=YEARLY;BYYEARDAY=100",
        "FREQ=MONTHLY;BYDAY=5MO",
        "FREQ=MONTHLY;BYDAY=1SU,-1SU",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
        "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
        "FREQ=WEEKLY",  # weekday taken from the start date
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;WKST=SU",
        "FREQ=DAILY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR",
        "FREQ=DAILY;INTERVAL=100",
        "FREQ=DAILY;COUNT=5000",
        "FREQ=HOURLY",
        "not a rule",
    ],
)
def test_rules_the_form_cannot_express(rrule):
    assert from_rrule(rrule) is None


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        (F("elke dag"), {"frequency": "Kies hoe vaak het werk terugkomt."}),
        (F("dagelijks", interval=0), {"interval": "Vul een getal van 1 tot en met 99 in."}),
        (F("dagelijks", interval=100), {"interval": "Vul een getal van 1 tot en met 99 in."}),
        (F("wekelijks"), {"weekdays": "Kies minstens één weekdag."}),
        (F("wekelijks", weekdays=("MA",)), {"weekdays": "Kies minstens één weekdag."}),
        (F("maandelijks"), {"day_of_month": "Vul een dag van 1 tot en met 31 in."}),
        (
            F("maandelijks", day_of_month=32),
            {"day_of_month": "Vul een dag van 1 tot en met 31 in."},
        ),
        (
            F("maandelijks", monthly_mode="soms"),
            {"monthly_mode": "Kies een dag van de maand of een weekdag."},
        ),
        (
            F("maandelijks", monthly_mode="weekdag", ordinal=5, ordinal_weekday="MO"),
            {"ordinal": "Kies eerste, tweede, derde, vierde of laatste."},
        ),
        (
            F("maandelijks", monthly_mode="weekdag", ordinal=1),
            {"ordinal_weekday": "Kies een weekdag."},
        ),
        (F("jaarlijks", day_of_month=1), {"month": "Kies een maand."}),
        (F("jaarlijks", month=4, day_of_month=31), {"day_of_month": "April heeft 30 dagen."}),
        (
            F("jaarlijks", month=2, day_of_month=30),
            {"day_of_month": "Februari heeft hooguit 29 dagen."},
        ),
        (
            F("dagelijks", season_months=(0, 13)),
            {"season_months": "Kies maanden van januari tot en met december."},
        ),
        (F("dagelijks", end_mode="morgen"), {"end_mode": "Kies hoe het schema eindigt."}),
        (F("dagelijks", end_mode="einddatum"), {"until": "Vul een geldige einddatum in."}),
        (
            F("dagelijks", end_mode="aantal", count=0),
            {"count": "Vul een aantal van 1 tot en met 999 in."},
        ),
    ],
)
def test_form_errors(form, errors):
    assert form_errors(form) == errors
    with pytest.raises(ValueError):
        to_rrule(form)


class MultiDict:
    """Enough of werkzeug's MultiDict: `in`, get (first value) and getlist."""

    def __init__(self, pairs):
        self.pairs = pairs

    def __contains__(self, key):
        return any(name == key for name, _value in self.pairs)

    def get(self, key, default=None):
        return next((value for name, value in self.pairs if name == key), default)

    def getlist(self, key):
        return [value for name, value in self.pairs if name == key]


def test_parse_form_from_a_multidict():
    raw = MultiDict(
        [
            ("frequency", "wekelijks"),
            ("interval", " 2 "),
            ("weekdays", "mo"),
            ("weekdays", "TH"),
            ("end_mode", "einddatum"),
            ("until", "2027-12-31"),
            ("day_of_month", "not used, not checked"),
        ]
    )
    form, errors = parse_form(raw)
    assert errors == {}
    assert to_rrule(form) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231"


def test_parse_form_from_a_dict_of_lists_and_dutch_dates():
    form, errors = parse_form(
        {
            "frequency": ["maandelijks"],
            "monthly_mode": ["weekdag"],
            "ordinal": ["-1"],
            "ordinal_weekday": ["fr"],
            "season_months": ["4", "5", "6"],
            "end_mode": "einddatum",
            "until": "31-12-2027",
        }
    )
    assert errors == {}
    assert to_rrule(form) == "FREQ=MONTHLY;BYMONTH=4,5,6;BYDAY=-1FR;UNTIL=20271231"


@pytest.mark.parametrize(
    ("raw", "errors"),
    [
        (
            {"frequency": "dagelijks", "interval": "twee"},
            {"interval": "Vul een getal van 1 tot en met 99 in."},
        ),
        (
            {"frequency": "dagelijks", "interval": "1,5"},
            {"interval": "Vul een getal van 1 tot en met 99 in."},
        ),
        (
            {"frequency": "dagelijks", "interval": ""},
            {"interval": "Vul een getal van 1 tot en met 99 in."},
        ),
        (
            {"frequency": "maandelijks", "day_of_month": "31e"},
            {"day_of_month": "Vul een dag van 1 tot en met 31 in."},
        ),
        (
            {"frequency": "dagelijks", "end_mode": "einddatum", "until": "31 december"},
            {"until": "Vul een geldige einddatum in."},
        ),
        (
            {"frequency": "dagelijks", "end_mode": "einddatum", "until": "2027-02-30"},
            {"until": "Vul een geldige einddatum in."},
        ),
        (
            {"frequency": "dagelijks", "season_months": ["4", "mei"]},
            {"season_months": "Kies maanden van januari tot en met december."},
        ),
        ({"frequency": "wekelijks"}, {"weekdays": "Kies minstens één weekdag."}),
        ({}, {"day_of_month": "Vul een dag van 1 tot en met 31 in."}),  # default: maandelijks
    ],
)
def test_parse_form_errors_are_dutch_and_per_field(raw, errors):
    assert parse_form(raw)[1] == errors


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "frequency",
                "interval",
                "weekdays",
                "monthly_mode",
                "day_of_month",
                "ordinal",
                "ordinal_weekday",
                "month",
                "season_months",
                "end_mode",
                "until",
                "count",
                "x",
            ]
        ),
        st.one_of(st.text(max_size=12), st.lists(st.text(max_size=6), max_size=3)),
    )
)
def test_parse_form_never_raises(raw):
    form, errors = parse_form(raw)
    assert isinstance(form, RecurrenceForm)
    assert all(isinstance(message, str) and message for message in errors.values())
    if not errors:
        to_rrule(form)


def test_with_defaults_fills_from_the_start_date():
    start = date(2026, 3, 10)  # Tuesday, second Tuesday of March
    assert with_defaults(F("wekelijks"), start).weekdays == ("TU",)
    assert with_defaults(F("maandelijks"), start).day_of_month == 10
    filled = with_defaults(F("jaarlijks", monthly_mode="weekdag"), start)
    assert (filled.month, filled.ordinal, filled.ordinal_weekday) == (3, 2, "TU")
    # Tuesday 31 March 2026 is the fifth, i.e. the last Tuesday of March.
    filled = with_defaults(F("maandelijks", monthly_mode="weekdag"), date(2026, 3, 31))
    assert (filled.ordinal, filled.ordinal_weekday) == (-1, "TU")


@st.composite
def valid_forms(draw):
    month = draw(st.integers(1, 12))
    longest = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    form = RecurrenceForm(
        frequency=draw(st.sampled_from(FREQUENCIES)),
        interval=draw(st.integers(1, 99)),
        weekdays=tuple(draw(st.lists(st.sampled_from(WEEKDAY_CODES), min_size=1, max_size=7))),
        monthly_mode=draw(st.sampled_from(MONTHLY_MODES)),
        day_of_month=draw(st.integers(1, longest)),
        ordinal=draw(st.sampled_from(ORDINALS)),
        ordinal_weekday=draw(st.sampled_from(WEEKDAY_CODES)),
        month=month,
        season_months=tuple(draw(st.lists(st.integers(1, 12), max_size=12))),
        end_mode=draw(st.sampled_from(END_MODES)),
        until=draw(st.dates(date(2000, 1, 1), date(2999, 12, 31))),
        count=draw(st.integers(1, 999)),
    )
    assume(form_errors(form) == {})
    return form


@settings(max_examples=400, deadline=None)
@given(valid_forms())
def test_form_rrule_form_identity(form):
    assert from_rrule(to_rrule(form)) == normalise(form)
    assert normalise(normalise(form)) == normalise(form)


@settings(max_examples=150, deadline=None)
@given(valid_forms(), st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_every_form_gives_a_working_schedule(form, start):
    # (An end date before the first date, or a season the interval never reaches - every 99
    # months, only in February - are for validate_all to report; see test_schedule_validation.)
    assume(form.end_mode != "einddatum" and (not form.season_months or form.interval == 1))
    schedule = Schedule(start, to_rrule(form))
    assert validate_all(schedule) == {}
    found, _more = occurrences(schedule, {}, start, 3)
    assert found
