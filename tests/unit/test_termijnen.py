"""The termijn maths (models/facturatie/termijnen.py), with amounts worked out by hand.

The scenario tables: a contract of 1.200,00 a year that starts on 15 February 2027 (inside
every kind of period), is indexed 10 % on 10 May 2027 (inside every kind of period, so the
new price applies from the next period on) and ends on 20 November 2027 (inside every kind of
period); once invoiced vooraf and once achteraf. Then the same contract, invoiced vooraf as if
it ran on, is ended early: the last invoiced period gets a credit termijn."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from models.facturatie.termijnen import (
    Terms,
    btw,
    correction,
    due,
    expected,
    first_termijnen,
    full_amount,
    money,
    parse_money,
    parse_percentage,
    period_of,
    periods,
    price_history,
    round_half_up,
    termijnen,
    yearly_steps,
)

D = date
START, END, INDEX = D(2027, 2, 15), D(2027, 11, 20), D(2027, 5, 10)
STEPS = ((INDEX, Decimal("10")),)

# (label, first day covered, last day covered, cents); worked out in the comments
SCENARIO = {
    "maand": [
        ("februari 2027", D(2027, 2, 15), D(2027, 2, 28), 5000),  # 14 of 28 days of 100,00
        ("maart 2027", D(2027, 3, 1), D(2027, 3, 31), 10000),
        ("april 2027", D(2027, 4, 1), D(2027, 4, 30), 10000),
        ("mei 2027", D(2027, 5, 1), D(2027, 5, 31), 10000),  # started before 10 May: old price
        ("juni 2027", D(2027, 6, 1), D(2027, 6, 30), 11000),  # 1.320,00 / 12
        ("juli 2027", D(2027, 7, 1), D(2027, 7, 31), 11000),
        ("augustus 2027", D(2027, 8, 1), D(2027, 8, 31), 11000),
        ("september 2027", D(2027, 9, 1), D(2027, 9, 30), 11000),
        ("oktober 2027", D(2027, 10, 1), D(2027, 10, 31), 11000),
        ("november 2027", D(2027, 11, 1), D(2027, 11, 20), 7333),  # 110,00 * 20/30 = 73,333
    ],
    "kwartaal": [
        ("1e kwartaal 2027", D(2027, 2, 15), D(2027, 3, 31), 15000),  # 300,00 * 45/90
        ("2e kwartaal 2027", D(2027, 4, 1), D(2027, 6, 30), 30000),  # started before 10 May
        ("3e kwartaal 2027", D(2027, 7, 1), D(2027, 9, 30), 33000),
        ("4e kwartaal 2027", D(2027, 10, 1), D(2027, 11, 20), 18293),  # 330,00*51/92=182,9348
    ],
    "halfjaar": [
        ("1e halfjaar 2027", D(2027, 2, 15), D(2027, 6, 30), 45083),  # 600,00*136/181=450,8287
        ("2e halfjaar 2027", D(2027, 7, 1), D(2027, 11, 20), 51293),  # 660,00*143/184=512,9348
    ],
    "jaar": [
        ("2027", D(2027, 2, 15), D(2027, 11, 20), 91726),  # 1.200,00 * 279/365 = 917,2603
    ],
}
# invoicing days: vooraf the first day covered, achteraf the day after the last day covered
VOORAF_DAYS = {
    "maand": [D(2027, 2, 15)] + [D(2027, m, 1) for m in range(3, 12)],
    "kwartaal": [D(2027, 2, 15), D(2027, 4, 1), D(2027, 7, 1), D(2027, 10, 1)],
    "halfjaar": [D(2027, 2, 15), D(2027, 7, 1)],
    "jaar": [D(2027, 2, 15)],
}
ACHTERAF_DAYS = {
    "maand": [D(2027, m, 1) for m in range(3, 12)] + [D(2027, 11, 21)],
    "kwartaal": [D(2027, 4, 1), D(2027, 7, 1), D(2027, 10, 1), D(2027, 11, 21)],
    "halfjaar": [D(2027, 7, 1), D(2027, 11, 21)],
    "jaar": [D(2027, 11, 21)],
}


@pytest.mark.parametrize("factureren", ["vooraf", "achteraf"])
@pytest.mark.parametrize("kind", list(SCENARIO))
def test_scenario_mid_period_start_end_and_indexation(kind, factureren):
    terms = Terms(120000, kind, factureren, START, END, STEPS)
    found = termijnen(terms, D(2030, 1, 1))
    assert [(t.period.label(), t.period.cover_start, t.period.cover_end, t.cents)
            for t in found] == SCENARIO[kind]
    days = VOORAF_DAYS if factureren == "vooraf" else ACHTERAF_DAYS
    assert [t.invoice_on for t in found] == days[kind]


# Ended early on 20 November after the periods up to 25 November were invoiced vooraf as if
# it ran on: (the invoiced last period, what it was invoiced for, the credit)
EARLY_END = {
    "maand": (D(2027, 11, 1), 11000, 7333 - 11000),
    "kwartaal": (D(2027, 10, 1), 33000, 18293 - 33000),
    "halfjaar": (D(2027, 7, 1), 66000, 51293 - 66000),
    # the year invoiced from 15 February to 31 December: 1.200,00 * 320/365 = 1.052,0548
    "jaar": (D(2027, 1, 1), 105205, 91726 - 105205),
}


@pytest.mark.parametrize("kind", list(EARLY_END))
def test_early_end_credits_the_invoiced_period_pro_rata(kind):
    period_start, invoiced, credit = EARLY_END[kind]
    running = Terms(120000, kind, "vooraf", START, None, STEPS)
    invoiced_now = {t.period.start: t.cents for t in due(running, D(2027, 11, 25))}
    assert invoiced_now[period_start] == invoiced
    ended = Terms(120000, kind, "vooraf", START, END, STEPS)
    assert correction(ended, period_start, invoiced) == credit
    assert credit < 0
    # every earlier period stays as invoiced: no correction
    for start, cents in invoiced_now.items():
        if start != period_start:
            assert correction(ended, start, cents) == 0


@pytest.mark.parametrize("kind", ["maand", "kwartaal", "halfjaar"])
def test_ended_before_an_invoiced_period_credits_it_in_full(kind):
    running = Terms(120000, kind, "vooraf", D(2027, 1, 1), None)
    invoiced = {t.period.start: t.cents for t in due(running, D(2027, 7, 1))}
    ended = Terms(120000, kind, "vooraf", D(2027, 1, 1), D(2027, 6, 30))
    assert correction(ended, D(2027, 7, 1), invoiced[D(2027, 7, 1)]) == -invoiced[D(2027, 7, 1)]
    assert expected(ended, D(2027, 7, 1)) == 0


def test_price_raised_after_invoicing_gives_an_extra_charge():
    before = Terms(120000, "kwartaal", "vooraf", D(2027, 1, 1), None)
    after = Terms(132000, "kwartaal", "vooraf", D(2027, 1, 1), None)
    assert correction(after, D(2027, 1, 1), expected(before, D(2027, 1, 1))) == 33000 - 30000


# ------------------------------------------------------------------ leap years

LEAP = [
    # (kind, start, end, yearly cents, the first termijn's cents): worked out by hand
    ("maand", D(2028, 2, 15), None, 120000, 5172),  # 100,00 * 15/29 = 51,724
    ("maand", D(2027, 2, 15), None, 120000, 5000),  # 100,00 * 14/28
    ("kwartaal", D(2028, 2, 15), None, 120000, 15165),  # 300,00 * 46/91 = 151,648
    ("kwartaal", D(2027, 2, 15), None, 120000, 15000),  # 300,00 * 45/90
    ("halfjaar", D(2028, 3, 1), None, 120000, 40220),  # 600,00 * 122/182 = 402,1978
    ("jaar", D(2028, 7, 1), None, 36500, 18350),  # 365,00 * 184/366 = 183,497
    ("jaar", D(2027, 7, 1), None, 36500, 18400),  # 365,00 * 184/365
    ("maand", D(2028, 2, 1), D(2028, 2, 28), 120000, 9655),  # 100,00 * 28/29 = 96,551
]


@pytest.mark.parametrize("kind, start, end, yearly, cents", LEAP)
def test_leap_years(kind, start, end, yearly, cents):
    first = termijnen(Terms(yearly, kind, "vooraf", start, end), D(2030, 1, 1))[0]
    assert first.cents == cents


def test_a_leap_years_periods_have_their_days():
    assert [p.days for p in periods("kwartaal", D(2028, 1, 1), None, D(2028, 12, 31))] == [
        91, 91, 92, 92]
    assert [p.days for p in periods("halfjaar", D(2027, 1, 1), None, D(2027, 12, 31))] == [
        181, 184]
    assert periods("jaar", D(2028, 1, 1), None, D(2028, 1, 1))[0].days == 366


def test_indexation_on_29_february_falls_on_28_february_in_other_years():
    steps = yearly_steps(D(2028, 2, 29), Decimal("2"), D(2031, 3, 1))
    assert [day for day, _ in steps] == [D(2028, 2, 29), D(2029, 2, 28), D(2030, 2, 28),
                                         D(2031, 2, 28)]


# ------------------------------------------------------------------ cents add up


@pytest.mark.parametrize("yearly", [100000, 99999, 1, 7, 11, 123457, 1000001, 0, 58333])
@pytest.mark.parametrize("kind, count", [("maand", 12), ("kwartaal", 4), ("halfjaar", 2),
                                         ("jaar", 1)])
def test_a_full_years_termijnen_add_up_to_the_yearly_price(yearly, kind, count):
    found = termijnen(Terms(yearly, kind, "achteraf", D(2027, 1, 1), D(2027, 12, 31)),
                      D(2027, 12, 31))
    assert len(found) == count
    assert sum(t.cents for t in found) == yearly
    exact = Decimal(yearly) * Decimal(12 // count) / 12
    assert all(abs(Decimal(t.cents) - exact) < 1 for t in found)  # each within a cent


def test_twelve_months_of_1000_euro():
    found = termijnen(Terms(100000, "maand", "vooraf", D(2027, 1, 1), None), D(2027, 12, 1))
    assert [t.cents for t in found] == [8333, 8334, 8333] * 4
    assert sum(t.cents for t in found) == 100000


def test_each_year_of_an_indexed_contract_adds_up():
    """Indexed 3 % on 1 July: half a year at 1.000,00 and half at 1.030,00 (515,00)."""
    terms = Terms(100000, "maand", "vooraf", D(2027, 1, 1), None,
                  tuple(yearly_steps(D(2027, 7, 1), Decimal("3"), D(2029, 1, 1))))
    by_year = {}
    for t in termijnen(terms, D(2028, 12, 31)):
        by_year[t.period.start.year] = by_year.get(t.period.start.year, 0) + t.cents
    assert by_year == {2027: 50000 + 51500, 2028: 51500 + 53045}  # 1.060,90 / 2 = 530,45


def test_price_history_compounds_and_rounds_half_up():
    steps = yearly_steps(D(2028, 1, 1), Decimal("2.5"), D(2030, 1, 1))
    assert price_history(100001, D(2027, 3, 1), steps) == [
        (D(2027, 3, 1), 100001), (D(2028, 1, 1), 102501),  # 1.025,0103 -> 1.025,01
        (D(2029, 1, 1), 105064),  # 1.050,6353 -> 1.050,64
        (D(2030, 1, 1), 107691)]  # 1.050,64 * 1,025 = 1.076,906 -> 1.076,91


def test_an_indexation_on_or_before_the_start_is_in_the_agreed_price():
    assert price_history(1000, D(2027, 1, 1), [(D(2027, 1, 1), Decimal(5))]) == [
        (D(2027, 1, 1), 1000)]


def test_indexation_on_a_period_start_applies_to_that_period():
    terms = Terms(120000, "kwartaal", "vooraf", D(2027, 1, 1), None,
                  ((D(2027, 4, 1), Decimal(10)),))
    assert [t.cents for t in termijnen(terms, D(2027, 12, 31))] == [30000, 33000, 33000, 33000]


# ------------------------------------------------------------------ small rules


@pytest.mark.parametrize("numerator, denominator, result", [
    (5, 2, 3), (-5, 2, -3), (1, 3, 0), (2, 3, 1), (-2, 3, -1), (3, 2, 2), (7, 2, 4), (0, 5, 0),
    (5, -2, -3), (14999, 100, 150), (14949, 100, 149)])
def test_round_half_up(numerator, denominator, result):
    assert round_half_up(numerator, denominator) == result


@pytest.mark.parametrize("cents, tarief, result", [
    (8333, "21", 1750),  # 17,4993
    (8334, "21", 1750),  # 17,5014
    (10050, "9", 905),  # 9,045 -> 9,05 half-up
    (10000, "0", 0), (10000, "verlegd", 0), (-5000, "21", -1050)])
def test_btw(cents, tarief, result):
    assert btw(cents, tarief) == result


@pytest.mark.parametrize("kind, day, start, end", [
    ("maand", D(2028, 2, 10), D(2028, 2, 1), D(2028, 2, 29)),
    ("kwartaal", D(2027, 5, 31), D(2027, 4, 1), D(2027, 6, 30)),
    ("kwartaal", D(2027, 12, 31), D(2027, 10, 1), D(2027, 12, 31)),
    ("halfjaar", D(2027, 7, 1), D(2027, 7, 1), D(2027, 12, 31)),
    ("jaar", D(2027, 6, 6), D(2027, 1, 1), D(2027, 12, 31))])
def test_period_of(kind, day, start, end):
    assert period_of(kind, day) == (start, end)


@pytest.mark.parametrize("factureren, today, labels", [
    ("vooraf", D(2027, 7, 15), ["1e kwartaal 2027", "2e kwartaal 2027", "3e kwartaal 2027"]),
    ("achteraf", D(2027, 7, 15), ["1e kwartaal 2027", "2e kwartaal 2027"]),
    ("vooraf", D(2027, 6, 30), ["1e kwartaal 2027", "2e kwartaal 2027"]),
    ("achteraf", D(2027, 7, 1), ["1e kwartaal 2027", "2e kwartaal 2027"]),
    ("achteraf", D(2027, 6, 30), ["1e kwartaal 2027"]),
])
def test_due_catches_up_to_today(factureren, today, labels):
    terms = Terms(120000, "kwartaal", factureren, D(2027, 1, 1), None)
    assert [t.period.label() for t in due(terms, today)] == labels


def test_due_after_skips_what_was_made():
    terms = Terms(120000, "maand", "vooraf", D(2027, 1, 1), None)
    assert [t.period.start for t in due(terms, D(2027, 4, 2), after=D(2027, 2, 1))] == [
        D(2027, 3, 1), D(2027, 4, 1)]


def test_a_start_later_in_the_period_is_not_due_before_it():
    terms = Terms(120000, "kwartaal", "vooraf", D(2027, 2, 15), None)
    assert due(terms, D(2027, 2, 14)) == []
    assert len(due(terms, D(2027, 2, 15))) == 1


def test_first_three_termijnen_of_a_short_contract():
    terms = Terms(120000, "jaar", "vooraf", D(2027, 3, 1), D(2028, 2, 29))
    found = first_termijnen(terms)
    assert [(t.period.label(), t.cents) for t in found] == [
        ("2027", 100603),  # 1.200,00 * 306/365 = 1.006,0274
        ("2028", 19672)]  # 1.200,00 * 60/366 = 196,7213


def test_full_amount_of_a_kwartaal_uses_the_running_total():
    assert [full_amount("kwartaal", D(2027, m, 1), 100) for m in (1, 4, 7, 10)] == [
        25, 25, 25, 25]
    assert [full_amount("maand", D(2027, m, 1), 100) for m in range(1, 13)] == [
        8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9, 8]  # 8,33 16,67 25 33,33 41,67 ...


@pytest.mark.parametrize("cents, text", [(123450, "1.234,50"), (-1200, "-12,00"), (5, "0,05"),
                                         (100000000, "1.000.000,00"), (0, "0,00")])
def test_money(cents, text):
    assert money(cents) == text


@pytest.mark.parametrize("text, cents", [("1.234,50", 123450), ("1234.50", 123450),
                                         ("1234", 123400), ("€ 12,5", 1250), ("1.234", 123400),
                                         ("0,01", 1), ("1.234.567,8", 123456780),
                                         ("-12,00", -1200), ("12.5", 1250)])
def test_parse_money(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "1,234,5", "12,345", "NaN", "1e400x", "1.2.3",
                                  "1.23.456", "12.3456", "1,2.3", "1e3", "--1"])
def test_parse_money_refuses(text):
    with pytest.raises(ValueError):
        parse_money(text)


@pytest.mark.parametrize("text, value", [("3,5", Decimal("3.5")), ("-1", Decimal(-1)),
                                         (" 2.25 ", Decimal("2.25"))])
def test_parse_percentage(text, value):
    assert parse_percentage(text) == value


@pytest.mark.parametrize("kind, factureren, start, end, after, day", [
    ("maand", "vooraf", D(2027, 1, 1), None, None, D(2027, 1, 1)),
    ("maand", "vooraf", D(2027, 1, 1), None, D(2027, 11, 1), D(2027, 12, 1)),
    ("maand", "achteraf", D(2027, 1, 1), None, D(2027, 11, 1), D(2028, 1, 1)),
    ("kwartaal", "vooraf", D(2027, 2, 15), None, None, D(2027, 2, 15)),
    ("kwartaal", "achteraf", D(2027, 2, 15), None, None, D(2027, 4, 1)),
    ("kwartaal", "vooraf", D(2027, 2, 15), D(2027, 11, 20), D(2027, 7, 1), D(2027, 10, 1)),
    ("kwartaal", "achteraf", D(2027, 2, 15), D(2027, 11, 20), D(2027, 7, 1), D(2027, 11, 21)),
    ("kwartaal", "vooraf", D(2027, 2, 15), D(2027, 11, 20), D(2027, 10, 1), None),
    ("jaar", "vooraf", D(2027, 6, 1), None, D(2027, 1, 1), D(2028, 1, 1)),
    ("halfjaar", "achteraf", D(2028, 2, 29), None, D(2028, 1, 1), D(2029, 1, 1)),
])
def test_next_invoice_on(kind, factureren, start, end, after, day):
    from models.facturatie.termijnen import next_invoice_on

    assert next_invoice_on(Terms(1, kind, factureren, start, end), after) == day


def test_a_yearly_indexation_is_stepped_out_as_far_as_needed():
    lazy = Terms(100000, "jaar", "vooraf", D(2027, 1, 1), None,
                 yearly=(D(2028, 1, 1), Decimal("10")))
    listed = Terms(100000, "jaar", "vooraf", D(2027, 1, 1), None,
                   tuple(yearly_steps(D(2028, 1, 1), Decimal("10"), D(2031, 1, 1))))
    assert [t.cents for t in termijnen(lazy, D(2031, 1, 1))] == [
        t.cents for t in termijnen(listed, D(2031, 1, 1))] == [
        100000, 110000, 121000, 133100, 146410]


# --------------------------------------------------------------------------- other prices
# The same contract (15 February - 20 November 2027) with a price per factuurperiode, per
# object and per visit, and one invoiced only from 10 May ("factureren vanaf"). Every table is
# worked out by hand in its comments; the invoicing days are those of the scenario above.

from models.facturatie.termijnen import base_year, scaled, series_steps, unit_text  # noqa: E402

PER_PERIODE = {  # 300,00 per period: a whole one is 300,00, a part pro rata by days
    "maand": [15000] + [30000] * 8 + [20000],  # februari 14/28, november 20/30
    "kwartaal": [15000, 30000, 30000, 16630],  # 45/90; 4e kwartaal 51/92 = 166,304
    "halfjaar": [22541, 23315],  # 136/181 = 225,414; 143/184 = 233,152
    "jaar": [22932],  # 279/365 = 229,315
}
OUT_OF_USE = D(2027, 6, 15)  # one of three objects buiten gebruik from 15 June
PER_OBJECT = {  # 120,00 per object per year; the objects active on the first day covered
    # februari: 3 x 120,00 = 360,00 a year, 30,00 a month, 14/28 -> 15,00; march-june 30,00;
    # july-october 2 objects: 20,00; november 20,00 x 20/30 = 13,333
    "maand": [(1500, 3)] + [(3000, 3)] * 4 + [(2000, 2)] * 4 + [(1333, 2)],
    # 1e kwartaal 90,00 x 45/90; 2e 90,00 (3 on 1 April); 3e 60,00 (2 on 1 July);
    # 4e 60,00 x 51/92 = 33,261
    "kwartaal": [(4500, 3), (9000, 3), (6000, 2), (3326, 2)],
    # 180,00 x 136/181 = 135,249; 120,00 x 143/184 = 93,261
    "halfjaar": [(13525, 3), (9326, 2)],
    "jaar": [(27518, 3)],  # 360,00 x 279/365 = 275,178
}
VISITS = (D(2027, 2, 1), D(2027, 2, 20), D(2027, 3, 15), D(2027, 5, 10), D(2027, 6, 30),
          D(2027, 7, 1), D(2027, 9, 15), D(2027, 11, 20), D(2027, 11, 25))
PER_BEZOEK = {  # 85,00 per visit on the days covered (1 February and 25 November are not)
    "maand": [1, 1, 0, 1, 1, 1, 0, 1, 0, 1],
    "kwartaal": [2, 2, 2, 1],
    "halfjaar": [4, 3],
    "jaar": [7],
}
VANAF = D(2027, 5, 10)
FROM_VANAF = {  # 1.200,00 a year invoiced from 10 May: that period pro rata from that day
    "maand": [7097] + [10000] * 5 + [6667],  # mei 22/31 of 100,00 = 70,968; november 20/30
    "kwartaal": [17143, 30000, 16630],  # 2e kwartaal 52/91 of 300,00 = 171,429
    "halfjaar": [17238, 46630],  # 52/181 of 600,00 = 172,376; 143/184 of 600,00 = 466,304
    "jaar": [64110],  # 10 May - 20 November: 195/365 of 1.200,00 = 641,096
}


def _days(kind, factureren, count=None):
    days = (VOORAF_DAYS if factureren == "vooraf" else ACHTERAF_DAYS)[kind]
    return days if count is None else days[-count:]


@pytest.mark.parametrize("factureren", ["vooraf", "achteraf"])
@pytest.mark.parametrize("kind", list(PER_PERIODE))
def test_price_per_period_mid_period_start_and_end(kind, factureren):
    terms = Terms(30000, kind, factureren, START, END, basis="periode")
    found = termijnen(terms, D(2028, 12, 31))
    assert [t.cents for t in found] == PER_PERIODE[kind]
    assert [t.invoice_on for t in found] == _days(kind, factureren)
    assert all(t.quantity is None for t in found)
    # the full periods add up to the price per period times their number
    full = [t.cents for t in found if not t.period.pro_rata]
    assert sum(full) == 30000 * len(full)


@pytest.mark.parametrize("factureren", ["vooraf", "achteraf"])
@pytest.mark.parametrize("kind", list(PER_OBJECT))
def test_price_per_object_counts_the_active_objects_of_each_period(kind, factureren):
    terms = Terms(12000, kind, factureren, START, END, basis="object",
                  objects=(None, None, OUT_OF_USE))
    found = termijnen(terms, D(2028, 12, 31))
    assert [(t.cents, t.quantity) for t in found] == PER_OBJECT[kind]
    assert [t.invoice_on for t in found] == _days(kind, factureren)
    assert unit_text(found[0], "object") == "3 objecten à € 120,00 per jaar"


@pytest.mark.parametrize("factureren", ["vooraf", "achteraf"])
@pytest.mark.parametrize("kind", list(PER_BEZOEK))
def test_price_per_visit_counts_the_visits_on_the_days_covered(kind, factureren):
    terms = Terms(8500, kind, factureren, START, END, basis="bezoek", visits=VISITS)
    found = termijnen(terms, D(2028, 12, 31))
    assert [t.quantity for t in found] == PER_BEZOEK[kind]
    assert [t.cents for t in found] == [8500 * n for n in PER_BEZOEK[kind]]
    assert [t.invoice_on for t in found] == _days(kind, factureren)
    assert sum(t.cents for t in found) == 7 * 8500  # every kind: the same seven visits


def test_visit_text_and_a_count_kept_after_invoicing():
    terms = Terms(8500, "kwartaal", "vooraf", START, END, basis="bezoek", visits=VISITS)
    first = termijnen(terms, D(2027, 3, 31))[0]
    assert unit_text(first, "bezoek") == "2 bezoeken à € 85,00"
    # a visit cancelled after the 1e kwartaal was invoiced for 2: the count stays 2
    fewer = Terms(8500, "kwartaal", "vooraf", START, END, basis="bezoek",
                  visits=VISITS[2:], fixed=((D(2027, 1, 1), 2),))
    assert expected(fewer, D(2027, 1, 1)) == 17000
    assert expected(fewer, D(2027, 4, 1)) == 17000  # not invoiced yet: counted again (2)
    # a price raised after invoicing: the kept count at the new price, the difference
    dearer = Terms(9000, "kwartaal", "vooraf", START, END, basis="bezoek", visits=VISITS,
                   fixed=((D(2027, 1, 1), 2),))
    assert correction(dearer, D(2027, 1, 1), 17000) == 1000
    one = termijnen(Terms(8500, "maand", "vooraf", START, END, basis="bezoek",
                          visits=VISITS), D(2027, 2, 28))[0]
    assert unit_text(one, "bezoek") == "1 bezoek à € 85,00"


@pytest.mark.parametrize("factureren", ["vooraf", "achteraf"])
@pytest.mark.parametrize("kind", list(FROM_VANAF))
def test_factureren_vanaf_starts_the_termijnen_mid_period(kind, factureren):
    terms = Terms(120000, kind, factureren, START, END, vanaf=VANAF)
    found = termijnen(terms, D(2028, 12, 31))
    assert [t.cents for t in found] == FROM_VANAF[kind]
    assert found[0].period.cover_start == VANAF
    assert found[0].invoice_on == (VANAF if factureren == "vooraf"
                                   else found[0].period.cover_end + timedelta(days=1))
    assert first_termijnen(terms, 1)[0].period.cover_start == VANAF
    # a vanaf on or before the start changes nothing
    assert termijnen(Terms(120000, kind, factureren, START, END, vanaf=D(2026, 1, 1)),
                     D(2028, 1, 1)) == termijnen(Terms(120000, kind, factureren, START, END),
                                                 D(2028, 1, 1))


# index series: figures in the style of CBS "CAO-lonen per uur" (2020 = 100)
CAO = {2024: Decimal("116.4"), 2025: Decimal("121.9"), 2026: Decimal("126.1"),
       2028: Decimal("133.0")}
SERIES_START = D(2025, 3, 1)


def test_index_series_price_is_the_agreed_price_times_the_figure_over_the_base_figure():
    terms = Terms(120000, "jaar", "vooraf", SERIES_START, None,
                  series=(D(2025, 1, 1), CAO))
    # base year 2025 (1 January 2025 is on or before the start); 2027 not entered yet
    assert terms.history(D(2028, 12, 31)) == [
        (SERIES_START, 120000),
        (D(2026, 1, 1), 124135),  # 1.200,00 x 126,1 / 121,9 = 1.241,345 -> 1.241,35
        (D(2028, 1, 1), 130927),  # 1.200,00 x 133,0 / 121,9 = 1.309,270 (from the agreed
    ]                             # price, not from 2026's rounded one)
    assert terms.missing_figure(D(2027, 6, 1)) == 2027
    assert terms.missing_figure(D(2026, 6, 1)) is None
    found = termijnen(terms, D(2028, 12, 31))
    # 2025 pro rata 306/365 of 1.200,00 = 1.006,027; 2027 keeps 2026's price
    assert [t.cents for t in found] == [100603, 124135, 124135, 130927]
    # 2027 entered later: the termijn of 2027 owes 1.200,00 x 128,4 / 121,9 = 1.263,987
    later = Terms(120000, "jaar", "vooraf", SERIES_START, None,
                  series=(D(2025, 1, 1), {**CAO, 2027: Decimal("128.4")}))
    assert correction(later, D(2027, 1, 1), 124135) == 126399 - 124135
    assert correction(later, D(2026, 1, 1), 124135) == 0


def test_index_series_base_year_and_a_missing_base_figure():
    # the indexation day 1 July comes after a 1 March start: the price reflects 2024's figure
    assert base_year(D(2025, 7, 1), SERIES_START) == 2024
    assert base_year(D(2025, 1, 1), SERIES_START) == 2025
    assert base_year(D(2025, 3, 1), SERIES_START) == 2025  # on the start day itself
    steps, missing = series_steps(D(2025, 7, 1), CAO, SERIES_START, D(2026, 12, 31))
    # 1 July 2025: 121,9 / 116,4; 1 July 2026: 126,1 / 116,4
    assert steps == [(D(2025, 7, 1), CAO[2025], CAO[2024]), (D(2026, 7, 1), CAO[2026],
                                                              CAO[2024])]
    assert missing is None
    assert series_steps(D(2025, 1, 1), {2026: Decimal("126.1")}, SERIES_START,
                        D(2026, 12, 31)) == ([], 2025)  # no base figure: nothing moves yet
    # kwartaal, indexed 1 July: the 3e kwartaal 2025 is the first at the new price
    terms = Terms(120000, "kwartaal", "achteraf", SERIES_START, None,
                  series=(D(2025, 7, 1), CAO))
    found = termijnen(terms, D(2025, 12, 31))
    # 1.200,00 x 121,9 / 116,4 = 1.256,701 -> 1.256,70 a year
    assert [t.yearly_cents for t in found] == [120000, 120000, 125670, 125670]
    assert [t.cents for t in found] == [
        10333,  # 1e kwartaal from 1 March: 300,00 x 31/90 = 103,333
        30000,
        31418,  # running total: round(1.256,70 x 9/12) - round(1.256,70 x 6/12) = 942,53 - 628,35
        31417,  # 1.256,70 - 942,53
    ]


def test_scaled_rounds_half_up_exactly():
    assert scaled(100, Decimal("100.5"), Decimal("100")) == 101  # 100,5 cents -> 101
    assert scaled(100, Decimal("100.4"), Decimal("100")) == 100
    assert scaled(120000, Decimal("126.1"), Decimal("121.9")) == 124135


def test_index_series_scales_the_agreed_price_never_last_years_rounded_one():
    # 9,99 with figures 100 / 100,05 / 100,1: 2026 9,994995 -> 9,99; 2027 from the agreed price
    # 9,99999 -> 10,00 (compounding 2026's rounded 9,99 x 100,1/100,05 = 9,99499 would say 9,99)
    terms = Terms(999, "jaar", "vooraf", D(2025, 1, 1), None, series=(D(2025, 1, 1), {
        2025: Decimal("100"), 2026: Decimal("100.05"), 2027: Decimal("100.1")}))
    assert terms.history(D(2027, 12, 31)) == [(D(2025, 1, 1), 999), (D(2026, 1, 1), 999),
                                              (D(2027, 1, 1), 1000)]
