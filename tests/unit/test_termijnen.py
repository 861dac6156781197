"""The termijn maths (models/facturatie/termijnen.py), with amounts worked out by hand.

The scenario tables: a contract of 1.200,00 a year that starts on 15 February 2027 (inside
every kind of period), is indexed 10 % on 10 May 2027 (inside every kind of period, so the
new price applies from the next period on) and ends on 20 November 2027 (inside every kind of
period); once invoiced vooraf and once achteraf. Then the same contract, invoiced vooraf as if
it ran on, is ended early: the last invoiced period gets a credit termijn."""

from datetime import date
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
