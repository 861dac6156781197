from datetime import date, datetime

import pytest

from models.common.dutch_dates import long_date, month_name, short_date, weekday_long

# fmt: off
CASES = [
    (date(2026, 3, 10), "di 10 mrt 2026", "10 maart 2026", "dinsdag"),
    (date(2027, 12, 31), "vr 31 dec 2027", "31 december 2027", "vrijdag"),
    (date(2026, 1, 5), "ma 5 jan 2026", "5 januari 2026", "maandag"),
    (date(2026, 2, 4), "wo 4 feb 2026", "4 februari 2026", "woensdag"),
    (date(2026, 4, 2), "do 2 apr 2026", "2 april 2026", "donderdag"),
    (date(2026, 5, 16), "za 16 mei 2026", "16 mei 2026", "zaterdag"),
    (date(2026, 6, 7), "zo 7 jun 2026", "7 juni 2026", "zondag"),
    (date(2026, 7, 1), "wo 1 jul 2026", "1 juli 2026", "woensdag"),
    (date(2026, 8, 31), "ma 31 aug 2026", "31 augustus 2026", "maandag"),
    (date(2026, 9, 1), "di 1 sep 2026", "1 september 2026", "dinsdag"),
    (date(2026, 10, 1), "do 1 okt 2026", "1 oktober 2026", "donderdag"),
    (date(2026, 11, 27), "vr 27 nov 2026", "27 november 2026", "vrijdag"),
    (date(2028, 2, 29), "di 29 feb 2028", "29 februari 2028", "dinsdag"),
]
# fmt: on


@pytest.mark.parametrize(("day", "short", "long", "weekday"), CASES)
def test_dutch_dates(day, short, long, weekday):
    assert short_date(day) == short
    assert long_date(day) == long
    assert weekday_long(day) == weekday


def test_datetimes_format_by_their_date():
    assert short_date(datetime(2026, 3, 10, 23, 59)) == "di 10 mrt 2026"


def test_month_name():
    assert [month_name(m) for m in (1, 3, 12)] == ["januari", "maart", "december"]
