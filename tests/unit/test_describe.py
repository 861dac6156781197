"""The Dutch sentence a planner reads instead of the RRULE."""

from datetime import date

import pytest

from models.describe import describe, describe_rrule
from models.schedule import Schedule

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
     "Elke maand op dag 31 (maanden zonder die dag worden overgeslagen)"),
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
     "Elke maand (volgens de regel FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2)"),
    ("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3",
     "Elk jaar (volgens de regel FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO;COUNT=3), 3 keer"),
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
