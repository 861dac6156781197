"""The Dutch sentence a planner reads instead of the RRULE."""

from datetime import date

import pytest

from models.schedule.definition import Schedule
from models.schedule.describe import describe, describe_rrule

# fmt: off
SENTENCES = [
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", "Elke 2 weken op maandag en donderdag"),
    ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "Elke week op maandag, woensdag en vrijdag"),
    ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
     "Elke maand op de 31e (of de laatste dag van de maand)"),
    ("FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1",
     "Elke maand op de 29e (of de laatste dag van de maand)"),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "Elk kwartaal op de 1e"),
    ("FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=15", "Elk halfjaar op de 15e"),
    ("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=15", "Elke 2 maanden op de 15e"),
    ("FREQ=MONTHLY;INTERVAL=6", "Elk halfjaar"),
    # without a start date the month of "every 12 months" is unknown
    ("FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1", "Elke 12 maanden op de 1e"),
    ("FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", "Elk jaar op de laatste vrijdag van november"),
    ("FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=1MO", "Elke 2 jaar op de 1e maandag van maart"),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "Elk jaar op 15 maart"),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
     "Elk jaar op 29 februari (of 28 februari als het geen schrikkeljaar is)"),
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Elke werkdag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TU,WE,TH,FR", "Elke 2 weken op werkdagen"),
    ("FREQ=MONTHLY;BYMONTH=4,5,6,7,8,9,10;BYDAY=2TU",
     "Elke maand op de 2e dinsdag, van april t/m oktober"),
    ("FREQ=MONTHLY;BYMONTH=10,11,12,1,2,3;BYDAY=-1FR",
     "Elke maand op de laatste vrijdag, van oktober t/m maart"),
    ("FREQ=WEEKLY;BYMONTH=6,8;BYDAY=SA", "Elke week op zaterdag, in juni en augustus"),
    ("FREQ=DAILY", "Elke dag"),
    ("FREQ=DAILY;INTERVAL=3", "Elke 3 dagen"),
    ("FREQ=DAILY;BYMONTH=4,5,6,7,8,9,10", "Elke dag van april t/m oktober"),
    ("FREQ=WEEKLY;BYDAY=MO", "Elke week op maandag"),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20271231",
     "Elke 2 weken op maandag en donderdag, tot en met 31 december 2027"),
    ("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=12", "Elke maand op de 15e, 12 keer"),
    ("FREQ=MONTHLY;BYMONTHDAY=1;COUNT=1", "Elke maand op de 1e, 1 keer"),
    # Rules the form cannot make: still plain where possible.
    ("FREQ=MONTHLY;BYMONTHDAY=1,15", "Elke maand op dag 1 en 15"),
    ("FREQ=MONTHLY;BYMONTHDAY=31",
     "Elke maand op de 31e (maanden zonder die dag worden overgeslagen)"),
    ("FREQ=MONTHLY;BYMONTHDAY=1,-1", "Elke maand op dag 1 en de laatste dag"),
    ("FREQ=MONTHLY;BYMONTHDAY=-3", "Elke maand op de 3e dag van achteren"),
    ("FREQ=MONTHLY;BYDAY=-3WE", "Elke maand op de 3e woensdag van achteren"),
    ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1SU,-1SU",
     "Elke 2 maanden op de 1e zondag en de laatste zondag"),
    ("FREQ=MONTHLY;BYDAY=-2MO", "Elke maand op de voorlaatste maandag"),
    ("FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "Elke maand op een vrijdag die op dag 13 valt"),
    ("FREQ=YEARLY;BYMONTH=3;BYDAY=TH", "Elk jaar op donderdag, in maart"),
    ("FREQ=YEARLY;BYMONTH=6,7", "Elk jaar in juni en juli"),
    ("FREQ=YEARLY", "Elk jaar"),
    ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
     "Elke maand op de voorlaatste werkdag (maandag t/m vrijdag)"),
    ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3", "Elk jaar in week 20 op maandag, 3 keer"),
    # Without a start date the parts DTSTART would supply go unsaid.
    ("FREQ=MONTHLY", "Elke maand"),
    ("FREQ=WEEKLY", "Elke week"),
    ("FREQ=HOURLY", "Geen geldig schema"),
    ("", "Geen geldig schema"),
]
# fmt: on


@pytest.mark.parametrize(("rrule", "sentence"), SENTENCES)
def test_describe_rrule(rrule, sentence):
    assert describe_rrule(rrule) == sentence


@pytest.mark.parametrize(
    ("holidays", "weekends", "sentence"),
    [
        ("ignore", "ignore", "Elke week op maandag"),
        (
            "next_workday",
            "skip",
            "Elke week op maandag; feestdagen: naar de volgende werkdag; weekend: overslaan",
        ),
        ("previous_workday", "ignore", "Elke week op maandag; feestdagen: naar de vorige werkdag"),
        (
            "skip",
            "next_workday",
            "Elke week op maandag; feestdagen: overslaan; weekend: naar de volgende werkdag",
        ),
        ("ignore", "previous_workday", "Elke week op maandag; weekend: naar de vorige werkdag"),
    ],
)
def test_describe_schedule_adds_the_policies(holidays, weekends, sentence):
    schedule = Schedule(
        date(2026, 3, 9),
        "FREQ=WEEKLY;BYDAY=MO",
        end_date=date(2027, 3, 8),  # the contract's end is not part of the sentence
        holidays=holidays,
        weekends=weekends,
    )
    assert describe(schedule) == sentence


USUAL = {"holidays": "next_workday", "weekends": "next_workday"}  # the company's default


@pytest.mark.parametrize(
    ("holidays", "weekends", "sentence"),
    [
        ("next_workday", "next_workday", "Elke week op maandag"),
        ("skip", "next_workday", "Elke week op maandag; feestdagen: overslaan"),
        ("next_workday", "previous_workday",
         "Elke week op maandag; weekend: naar de vorige werkdag"),
        ("ignore", "ignore",
         "Elke week op maandag; feestdagen: niets doen; weekend: niets doen"),
    ],
)
def test_a_list_says_only_the_policies_that_differ_from_the_usual(holidays, weekends, sentence):
    schedule = Schedule(date(2026, 3, 9), "FREQ=WEEKLY;BYDAY=MO", holidays=holidays,
                        weekends=weekends)
    assert describe(schedule, usual=USUAL) == sentence


# The start date is DTSTART: it supplies the day, month or weekday a rule leaves out, and
# decides which months an INTERVAL reaches. Each case here was described wrongly before
# (the dates were right, the sentence was not).
JAN_1 = date(2026, 1, 1)
# fmt: off
WITH_START = [
    # DTSTART supplies what the rule leaves out
    (JAN_1, "FREQ=YEARLY;BYMONTHDAY=15", "Elke maand op de 15e"),
    (JAN_1, "FREQ=YEARLY;BYDAY=MO", "Elke week op maandag"),
    (date(2026, 1, 31), "FREQ=MONTHLY",
     "Elke maand op de 31e (maanden zonder die dag worden overgeslagen)"),
    (date(2024, 2, 29), "FREQ=YEARLY", "Elk jaar op 29 februari (alleen in schrikkeljaren)"),
    (JAN_1, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
     "Elk jaar op 29 februari (alleen in schrikkeljaren)"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=5FR",
     "Elke maand op de 5e vrijdag (maanden zonder 5e vrijdag worden overgeslagen)"),
    (date(2026, 3, 10), "FREQ=WEEKLY", "Elke week op dinsdag"),
    (date(2026, 3, 10), "FREQ=WEEKLY;INTERVAL=2;COUNT=6", "Elke 2 weken op dinsdag, 6 keer"),
    (date(2026, 3, 31), "FREQ=YEARLY", "Elk jaar op 31 maart"),
    (date(2026, 1, 15), "FREQ=MONTHLY", "Elke maand op de 15e"),
    (date(2026, 1, 15), "FREQ=YEARLY;BYMONTH=6,7", "Elk jaar op de 15e, in juni en juli"),
    # every 6 months from January 31st reaches only July, which has a 31st too
    (date(2026, 1, 31), "FREQ=MONTHLY;INTERVAL=6", "Elk halfjaar op de 31e"),
    (date(2026, 1, 31), "FREQ=MONTHLY;INTERVAL=2",
     "Elke 2 maanden op de 31e (maanden zonder die dag worden overgeslagen)"),
    (date(2026, 4, 30), "FREQ=MONTHLY;INTERVAL=2",
     "Elke 2 maanden op de 30e (maanden zonder die dag worden overgeslagen)"),
    (JAN_1, "FREQ=YEARLY;INTERVAL=2;BYMONTHDAY=15", "Elke maand op de 15e, om de 2 jaar"),
    (JAN_1, "FREQ=YEARLY;BYMONTHDAY=-1", "Elke maand op de laatste dag van de maand"),
    # a start that makes the rule impossible: no date ever, so no sentence either
    (date(2026, 1, 31), "FREQ=YEARLY;BYMONTH=4", "Geen geldig schema"),
    # BYSETPOS
    (JAN_1, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
     "Elke maand op de laatste werkdag (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
     "Elke maand op de eerste werkdag (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=2",
     "Elke maand op de tweede werkdag (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-3",
     "Elke maand op de op twee na laatste werkdag (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1;COUNT=4",
     "Elke maand op de eerste en laatste werkdag (maandag t/m vrijdag), 4 keer"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=SA,SU;BYSETPOS=1", "Elke maand op de eerste zaterdag of zondag"),
    (JAN_1, "FREQ=YEARLY;BYMONTH=12;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
     "Elk jaar op de laatste werkdag van december (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
     "Elk jaar op de laatste werkdag van het jaar (maandag t/m vrijdag)"),
    (JAN_1, "FREQ=MONTHLY;BYMONTHDAY=1,15;BYSETPOS=-1",
     "Elke maand op de laatste van: dag 1 en 15"),
    # days counted from the end of the month
    (JAN_1, "FREQ=MONTHLY;BYMONTHDAY=-1;BYDAY=FR",
     "Elke maand op de laatste dag, als dat een vrijdag is"),
    (JAN_1, "FREQ=MONTHLY;BYMONTHDAY=-1", "Elke maand op de laatste dag van de maand"),
    (JAN_1, "FREQ=MONTHLY;BYMONTHDAY=-2", "Elke maand op de voorlaatste dag van de maand"),
    (JAN_1, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1", "Elk jaar op de laatste dag van februari"),
    # weeks and days of the year
    (JAN_1, "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "Elk jaar in week 20 op maandag"),
    (JAN_1, "FREQ=YEARLY;BYWEEKNO=20", "Elk jaar op elke dag van week 20"),
    (JAN_1, "FREQ=YEARLY;BYYEARDAY=-1,60", "Elk jaar op de laatste dag van het jaar en dag 60"),
    (JAN_1, "FREQ=YEARLY;BYYEARDAY=366", "Elk jaar op dag 366 (alleen in schrikkeljaren)"),
    (JAN_1, "FREQ=YEARLY;BYDAY=20MO", "Elk jaar op de 20e maandag van het jaar"),
    (JAN_1, "FREQ=YEARLY;BYMONTH=3;BYDAY=5FR",
     "Elk jaar op de 5e vrijdag van maart (alleen in jaren waarin maart 5 vrijdagen heeft)"),
    # WKST is left out, and the end is said once (RFC 5545 example)
    (date(1997, 9, 2), "FREQ=WEEKLY;UNTIL=19971007;WKST=SU;BYDAY=TU,TH",
     "Elke week op dinsdag en donderdag, tot en met 7 oktober 1997"),
    (JAN_1, "FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=TU,SU", "Elke 2 weken op dinsdag en zondag"),
    # natural Dutch
    (JAN_1, "FREQ=DAILY;BYMONTHDAY=1", "Elke maand op de 1e"),
    (JAN_1, "FREQ=DAILY;BYDAY=MO", "Elke week op maandag"),
    (JAN_1, "FREQ=DAILY;INTERVAL=2;BYMONTHDAY=1", "Elke 2 dagen, als dat de 1e van de maand is"),
    (JAN_1, "FREQ=MONTHLY;BYDAY=1MO,MO", "Elke maand op maandag"),
    # every 12 months reaches only the start's month: the planner's words (issue #15)
    (JAN_1, "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1", "Elk jaar op 1 januari"),
    (date(2026, 1, 15), "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1", "Elk jaar op 1 januari"),
    (date(2026, 3, 1), "FREQ=MONTHLY;INTERVAL=24;BYMONTHDAY=15", "Elke 2 jaar op 15 maart"),
    (date(2026, 4, 30), "FREQ=MONTHLY;INTERVAL=12", "Elk jaar op 30 april"),
    (date(2026, 1, 31), "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
     "Elk jaar op 31 januari"),
    (date(2024, 2, 29), "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=28,29;BYSETPOS=-1",
     "Elk jaar op 29 februari (of 28 februari als het geen schrikkeljaar is)"),
    (date(2026, 11, 1), "FREQ=MONTHLY;INTERVAL=12;BYDAY=-1FR",
     "Elk jaar op de laatste vrijdag van november"),
    (JAN_1, "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1;COUNT=3", "Elk jaar op 1 januari, 3 keer"),
    # ... but not to a day that month never has (no date ever: the monthly words say why)
    (date(2026, 4, 1), "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=31",
     "Elke 12 maanden op de 31e (maanden zonder die dag worden overgeslagen)"),
]
# fmt: on


@pytest.mark.parametrize(("start", "rrule", "sentence"), WITH_START)
def test_describe_reads_the_rule_from_the_start_date(start, rrule, sentence):
    assert describe(Schedule(start, rrule)) == sentence
    assert describe_rrule(rrule, start) == sentence


# A rule that says its own days reads the same whatever the start date (the planner's form
# always makes such rules); only these leave a part to DTSTART (every 12 months: the month).
LEAVES_A_PART_OUT = {"FREQ=MONTHLY", "FREQ=WEEKLY", "FREQ=YEARLY", "FREQ=MONTHLY;INTERVAL=6",
                     "FREQ=YEARLY;BYMONTH=6,7", "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=1"}


@pytest.mark.parametrize(
    ("rrule", "sentence"), [case for case in SENTENCES if case[0] not in LEAVES_A_PART_OUT]
)
def test_a_start_date_does_not_change_a_complete_rule(rrule, sentence):
    assert describe_rrule(rrule, date(2026, 3, 9)) == sentence


VARIED = [rrule for _start, rrule, _sentence in WITH_START] + [
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
    "FREQ=MONTHLY;BYMONTH=4,5,6,7,8,9,10;BYDAY=2TU",
    "FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR;UNTIL=20301231",
    "FREQ=DAILY;INTERVAL=3;BYDAY=MO,FR;BYMONTH=6,7,8",
    "FREQ=MONTHLY;BYDAY=5MO,5FR",
    "FREQ=MONTHLY;BYDAY=1MO;BYMONTHDAY=1,2,3",
    "FREQ=MONTHLY;BYDAY=1MO,3MO;BYSETPOS=-1",
    "FREQ=MONTHLY;BYMONTHDAY=13;BYDAY=FR;BYSETPOS=1",
    "FREQ=YEARLY;BYWEEKNO=-1,1,20;WKST=SU",
    "FREQ=YEARLY;BYYEARDAY=1;BYDAY=MO;COUNT=5",
    "FREQ=YEARLY;BYDAY=53MO",
    "FREQ=YEARLY;BYMONTH=6,12;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;WKST=SU",
    "FREQ=DAILY;BYDAY=MO;BYSETPOS=1",
]


@pytest.mark.parametrize("rrule", VARIED)
@pytest.mark.parametrize("start", [date(2026, 1, 1), date(2024, 2, 29), date(2026, 8, 31), None])
def test_no_varied_rule_falls_back_to_the_raw_rrule(rrule, start):
    sentence = describe_rrule(rrule, start)
    assert "volgens de regel" not in sentence
    assert "=" not in sentence
    assert sentence.count(" keer") + sentence.count("tot en met ") <= 1
