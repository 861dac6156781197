"""The termijn maths, pure: which invoicing periods a contract has, on which day each is
invoiced, and for how many cents. No database; `today` and dates come in as arguments.

Periods follow the calendar (a kwartaal is January-March, ...), so a termijn reads
"1e kwartaal 2027". A contract that starts or ends inside a period pays that period pro rata
by days (the days of the period it covers over the period's days; a leap year's February and
first kwartaal have a day more).

Money is integer cents, rounded half-up. The price is per year; a full period's amount is the
difference of the year's running total at its end and at its start, each rounded half-up:
round(Y * m1 / 12) - round(Y * m0 / 12) for the months m0..m1 of the calendar year it covers.
That is cumulative rounding (each termijn is within a cent of its exact share, rounded half-up
on its own), and the periods of a year add up to the yearly price to the cent: 12 monthly
termijnen of 1000,00 are 83,33 83,34 83,33 83,33 ... = 1000,00. It needs no other termijn to
compute one, so the worker can make them one at a time, years apart, and get the same cents.

Indexation: a list of (date, percentage) steps; each step multiplies the yearly price from that
date on, rounded half-up to the cent (Decimal). A period's price is the price in force on the
day the period starts, so an indexation inside a period applies from the next period on.
Or an index series (CBS CAO-lonen, CPI) the beheerder enters per year: from the indexation day
of year Y the price is the agreed price x index(Y) / index(base year), rounded half-up to the
cent once, from the agreed price (never compounded from last year's rounded price, so no drift).
The base year is the year of the last indexation day on or before the contract's start. A year
whose figure is not entered yet changes nothing (the price of the last known year stays).

What the price is per (`basis`):
- jaar: per year (above).
- periode: per Factuurperiode; a whole period is that price, a part pro rata by days.
- object: per covered object per year: the yearly price is price x the objects that count on
  the first day the period covers (active then: an object taken out of use counts up to its
  status date), then as jaar (cumulative rounding, pro rata).
- bezoek: per visit: price x the planned visits (dates of the contract's schedule, the same
  expansion the werkbonnen come from) on the days the period covers; a visit whose werkbonnen
  were all cancelled does not count. No pro rata: the visits already are the covered days.
  Vooraf counts the visits planned when the termijn is made; achteraf (after the period) the
  visits of the period that were not cancelled. Once a termijn exists, its count (`quantity`)
  is kept: a price edit recomputes with it, a visit cancelled after invoicing is not credited
  automatically (the administration credits it by hand, as with any single visit).

Factureren vanaf: a contract priced while it runs is invoiced from that day (the first period
pro rata), not from its start.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

PERIODS = {"maand": 1, "kwartaal": 3, "halfjaar": 6, "jaar": 12}
BASES = {"jaar": "per jaar", "periode": "per factuurperiode", "bezoek": "per bezoek",
         "object": "per object per jaar"}
PERIOD_LABELS = {"maand": "Maand", "kwartaal": "Kwartaal", "halfjaar": "Halfjaar", "jaar": "Jaar"}
FACTUREREN = {"vooraf": "Vooraf (begin van de periode)", "achteraf": "Achteraf (na de periode)"}
# BTW: the rate in percent; "verlegd" is 0 % on the invoice, the klant pays it (B2B installation)
BTW_TARIEVEN = {"21": 21, "9": 9, "0": 0, "verlegd": 0}
BTW_LABELS = {"21": "21% (hoog)", "9": "9% (laag)", "0": "0%", "verlegd": "BTW verlegd"}
MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
               "september", "oktober", "november", "december")
ORDINALS = {1: "1e", 2: "2e", 3: "3e", 4: "4e"}
ONE_DAY = timedelta(days=1)


def round_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (away from zero at .5), in exact integers."""
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if numerator < 0:
        return -((-2 * numerator + denominator) // (2 * denominator))
    return (2 * numerator + denominator) // (2 * denominator)


class Period(NamedTuple):
    """One invoicing period of the calendar and the part of it a contract covers (a tuple: the
    sweep makes a million of them)."""

    kind: str
    start: date  # the calendar period: the key of its termijn
    end: date  # inclusive
    cover_start: date
    cover_end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def covered_days(self) -> int:
        return (self.cover_end - self.cover_start).days + 1

    @property
    def pro_rata(self) -> bool:
        return self.cover_start != self.start or self.cover_end != self.end

    def label(self) -> str:
        """'1e kwartaal 2027', 'januari 2027', '2e halfjaar 2027', '2027'."""
        year = self.start.year
        if self.kind == "maand":
            return f"{MONTH_NAMES[self.start.month - 1]} {year}"
        if self.kind == "kwartaal":
            return f"{ORDINALS[(self.start.month - 1) // 3 + 1]} kwartaal {year}"
        if self.kind == "halfjaar":
            return f"{ORDINALS[(self.start.month - 1) // 6 + 1]} halfjaar {year}"
        return str(year)


def _month_start(index: int) -> date:
    """The first day of month `index` (year * 12 + month - 1)."""
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, day: date) -> tuple[date, date]:
    """The calendar period of `kind` that holds `day`: (first day, last day)."""
    months = PERIODS[kind]
    first = day.year * 12 + (day.month - 1) // months * months
    return _month_start(first), _month_start(first + months) - ONE_DAY


def periods(kind: str, start: date, end: date | None, through: date,
            after: date | None = None) -> list[Period]:
    """The contract's periods (covering start..end) whose calendar period starts by `through`
    (and after the period that starts on `after`, when given: the sweep's catch-up does not walk
    a ten-year-old contract from its start)."""
    months = PERIODS[kind]
    index = start.year * 12 + (start.month - 1) // months * months
    if after is not None:
        index = max(index, after.year * 12 + (after.month - 1) // months * months + months)
    first = _month_start(index)
    result = []
    while first <= through and (end is None or first <= end):
        following = _month_start(index + months)
        last = following - ONE_DAY
        result.append(Period(kind, first, last, start if start > first else first,
                             last if end is None or end >= last else end))
        index, first = index + months, following
    return result


def invoice_day(period: Period, factureren: str) -> date:
    """Vooraf: the first day it covers. Achteraf: the day after the last day it covers."""
    if factureren == "vooraf":
        return period.cover_start
    return period.cover_end + timedelta(days=1)


# --------------------------------------------------------------------------- prices


def parse_percentage(text: str) -> Decimal:
    """'3,5' or '3.5' -> Decimal('3.5'); ValueError for anything else."""
    from decimal import InvalidOperation

    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def indexed(cents: int, percentage: Decimal) -> int:
    """A yearly price raised by `percentage`, half-up to the cent."""
    exact = Decimal(cents) * (Decimal(100) + percentage) / Decimal(100)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yearly_steps(first: date, percentage: Decimal, through: date) -> list[tuple[date, Decimal]]:
    """A yearly percentage from `first` on, every year on the same day (29 February: 28
    February in other years), up to `through`."""
    steps, year = [], first.year
    while True:
        day = date(year, first.month, min(first.day, calendar.monthrange(year, first.month)[1]))
        if day > through:
            return steps
        steps.append((day, percentage))
        year += 1


def anniversary(first: date, year: int) -> date:
    """`first`'s day and month in `year` (29 February: 28 February in other years)."""
    return date(year, first.month, min(first.day, calendar.monthrange(year, first.month)[1]))


def base_year(index_day: date, start: date) -> int:
    """The year whose index figure the agreed price reflects: that of the last indexation day
    on or before the start."""
    return start.year if anniversary(index_day, start.year) <= start else start.year - 1


def series_steps(index_day: date, figures: dict, start: date, through: date,
                 ) -> tuple[list[tuple[date, Decimal, Decimal]], int | None]:
    """An index series' steps up to `through`: (day, figure of its year, base figure) for each
    year after the base year whose figure is entered, and the first year (base year included)
    whose figure is missing (None: none missing)."""
    base = base_year(index_day, start)
    if figures.get(base) is None:
        return [], base
    steps, missing, year = [], None, base + 1
    while (day := anniversary(index_day, year)) <= through:
        if figures.get(year) is None:
            missing = year if missing is None else missing
        else:
            steps.append((day, Decimal(figures[year]), Decimal(figures[base])))
        year += 1
    return steps, missing


def scaled(cents: int, figure: Decimal, base: Decimal) -> int:
    """cents x figure / base, half-up to the cent, in exact integers."""
    num, den = figure.as_integer_ratio(), base.as_integer_ratio()
    return round_half_up(cents * num[0] * den[1], num[1] * den[0])


def price_history(base_cents: int, start: date,
                  steps: list[tuple[date, Decimal]]) -> list[tuple[date, int]]:
    """(from, yearly cents): the agreed price from the start, then after each indexation step
    that falls after the start (a step on or before the start is in the agreed price)."""
    history = [(start, base_cents)]
    for step in sorted(steps):
        if step[0] <= start:
            continue
        if len(step) == 3:  # an index series: from the agreed price, never compounded
            history.append((step[0], scaled(base_cents, step[1], step[2])))
        else:
            history.append((step[0], indexed(history[-1][1], step[1])))
    return history


def price_on(history: list[tuple[date, int]], day: date) -> int:
    price = history[0][1]
    for since, cents in history:
        if since > day:
            break
        price = cents
    return price


# --------------------------------------------------------------------------- amounts


def full_amount(kind: str, period_start: date, yearly_cents: int) -> int:
    """A whole period's cents: the year's running total at its end minus at its start."""
    m0 = period_start.month - 1
    m1 = m0 + PERIODS[kind]
    if yearly_cents >= 0:  # round_half_up of x / 12, written out (a million calls a sweep)
        return (yearly_cents * m1 * 2 + 12) // 24 - (yearly_cents * m0 * 2 + 12) // 24
    return round_half_up(yearly_cents * m1, 12) - round_half_up(yearly_cents * m0, 12)


def amount(period: Period, yearly_cents: int) -> int:
    """What the contract owes for the period: the full amount, pro rata by the days it covers."""
    full = full_amount(period.kind, period.start, yearly_cents)
    if not period.pro_rata:
        return full
    return round_half_up(full * period.covered_days, period.days)


def btw(cents: int, tarief: str) -> int:
    return round_half_up(cents * BTW_TARIEVEN[tarief], 100)


@dataclass(frozen=True)
class Terms:
    """What the maths needs of a contract. `yearly_cents` is the agreed price per `basis`."""

    yearly_cents: int
    kind: str  # maand | kwartaal | halfjaar | jaar
    factureren: str  # vooraf | achteraf
    start: date
    end: date | None  # the last day it runs (None: runs on)
    steps: tuple = ()  # indexation (date, percentage)
    yearly: tuple | None = None  # (first date, percentage): a yearly indexation from that date
    basis: str = "jaar"  # jaar | periode | bezoek | object (BASES)
    vanaf: date | None = None  # factureren vanaf: no termijn covers a day before it
    visits: tuple = ()  # bezoek: the visit dates that count (sorted)
    objects: tuple = ()  # object: per covered object the day it stops counting (None: never)
    fixed: tuple = ()  # (period start, quantity) of periods whose termijn keeps its count
    series: tuple | None = None  # (index day, {year: figure}): indexation by an index series

    @property
    def first_day(self) -> date:
        """The first day invoiced: the start, or factureren vanaf when that is later."""
        return self.start if self.vanaf is None or self.vanaf < self.start else self.vanaf

    def all_steps(self, through: date) -> list:
        """The explicit steps and the yearly ones up to `through`."""
        if self.series is not None:
            return list(self.steps) + series_steps(self.series[0], self.series[1], self.start,
                                                   through)[0]
        if self.yearly is None:
            return list(self.steps)
        return list(self.steps) + yearly_steps(self.yearly[0], self.yearly[1], through)

    def missing_figure(self, through: date) -> int | None:
        """The first year whose index figure is needed by `through` and not entered yet."""
        if self.series is None:
            return None
        return series_steps(self.series[0], self.series[1], self.start, through)[1]

    def quantity(self, period: Period) -> int | None:
        """How many visits or objects the period is invoiced for (None: jaar and periode)."""
        if self.basis == "bezoek":
            for start, count in self.fixed:
                if start == period.start:
                    return count
            return sum(1 for day in self.visits if period.cover_start <= day <= period.cover_end)
        if self.basis == "object":
            for start, count in self.fixed:
                if start == period.start:
                    return count
            return sum(1 for stop in self.objects if stop is None or stop > period.cover_start)
        return None

    def cents_for(self, period: Period, price: int) -> tuple[int, int | None]:
        """(cents, quantity) of a period at the unit price `price` (in force on its start)."""
        if self.basis == "jaar":
            return amount(period, price), None
        if self.basis == "periode":
            if not period.pro_rata:
                return price, None
            return round_half_up(price * period.covered_days, period.days), None
        count = self.quantity(period)
        if self.basis == "bezoek":
            return price * count, count
        return amount(period, price * count), count

    def history(self, through: date) -> list[tuple[date, int]]:
        """price_history with the steps up to `through`."""
        return price_history(self.yearly_cents, self.start, self.all_steps(through))


class Termijn(NamedTuple):
    period: Period
    invoice_on: date
    cents: int
    yearly_cents: int  # the (unit) price it was computed from
    quantity: int | None = None  # visits or objects (basis bezoek, object)


def unit_text(termijn: Termijn, basis: str) -> str:
    """'4 bezoeken à € 85,00', '12 objecten à € 25,00 per jaar' ('' for jaar and periode)."""
    count = termijn.quantity
    if count is None:
        return ""
    if basis == "bezoek":
        noun = "bezoek" if count == 1 else "bezoeken"
        return f"{count} {noun} à € {money(termijn.yearly_cents)}"
    noun = "object" if count == 1 else "objecten"
    return f"{count} {noun} à € {money(termijn.yearly_cents)} per jaar"


def termijnen(terms: Terms, through: date, after: date | None = None) -> list[Termijn]:
    """The termijnen of the periods starting after `after` (a period start) whose calendar
    period starts by `through`, with their invoicing day and amount."""
    history = terms.history(through)
    simple = len(history) == 1
    vooraf = terms.factureren == "vooraf"
    plain = terms.basis == "jaar"
    result = []
    for period in periods(terms.kind, terms.first_day, terms.end, through, after):
        yearly = terms.yearly_cents if simple else price_on(history, period.cover_start)
        invoice_on = period.cover_start if vooraf else period.cover_end + ONE_DAY
        if not plain:
            cents, count = terms.cents_for(period, yearly)
            result.append(Termijn(period, invoice_on, cents, yearly, count))
            continue
        # amount() and invoice_day(), written out: the sweep runs this a million times
        if period.cover_start == period.start and period.cover_end == period.end:
            cents = full_amount(period.kind, period.start, yearly)
        else:
            cents = amount(period, yearly)
        result.append(Termijn(period, invoice_on, cents, yearly))
    return result


def due(terms: Terms, today: date, after: date | None = None) -> list[Termijn]:
    """The termijnen whose invoicing day is today or earlier (catch-up included)."""
    through = today if terms.factureren == "vooraf" else today - timedelta(days=1)
    return [t for t in termijnen(terms, through, after) if t.invoice_on <= today]


def next_invoice_on(terms: Terms, after: date | None) -> date | None:
    """The invoicing day of the first period after the one starting on `after` (None: there is
    none, the contract ends before it). No amounts: the sweep's bookkeeping."""
    months = PERIODS[terms.kind]
    if after is None:
        first, _last = period_of(terms.kind, terms.first_day)
    else:
        first = _month_start(after.year * 12 + (after.month - 1) // months * months + months)
    found = periods(terms.kind, terms.first_day, terms.end, first, after)
    return invoice_day(found[0], terms.factureren) if found else None


def first_termijnen(terms: Terms, count: int = 3) -> list[Termijn]:
    """The first `count` termijnen (the form's preview)."""
    through = terms.first_day
    while True:
        found = termijnen(terms, through)
        if len(found) >= count or (terms.end is not None and through > terms.end):
            return found[:count]
        through = through + timedelta(days=366)


def expected(terms: Terms, period_start: date) -> int:
    """What the contract owes now for the period that starts on `period_start` (0 when the
    contract no longer covers it: ended before it)."""
    first, _last = period_of(terms.kind, period_start)
    if first != period_start:
        return 0  # a period of another kind (the factuurperiode changed): credited in full
    for termijn in termijnen(terms, period_start):
        if termijn.period.start == period_start:
            return termijn.cents
    return 0


def correction(terms: Terms, period_start: date, invoiced_cents: int) -> int:
    """The correction termijn for a period already invoiced for `invoiced_cents`: negative is a
    credit (ended early, price lowered), positive an extra charge. 0: nothing to correct."""
    return expected(terms, period_start) - invoiced_cents


def money(cents: int) -> str:
    """Dutch notation: 1.234,50 and -12,00."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    return f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"


_DUTCH_MONEY = re.compile(r"^-?(\d{1,3}(\.\d{3})+|\d+)(,\d{1,2})?$")  # 1.234,50 1234,5
_POINT_MONEY = re.compile(r"^-?\d+(\.\d{1,2})?$")  # 1234.50 (as a machine writes it)


def parse_money(text: str) -> int:
    """'1.234,50', '1234,50', '1234.50', '1234' -> cents; ValueError when it is not an amount
    (also '1.2.3' or '12,345': a guess at what was meant would invoice the wrong amount). A
    point followed by three digits is a thousands separator: '1.234' is 1234 euro."""
    cleaned = text.strip().replace(" ", "").replace("€", "")
    if _DUTCH_MONEY.match(cleaned):
        whole, _, cents = cleaned.replace(".", "").partition(",")
    elif _POINT_MONEY.match(cleaned):
        whole, _, cents = cleaned.partition(".")
    else:
        raise ValueError(text)
    sign = -1 if whole.startswith("-") else 1
    return sign * (abs(int(whole)) * 100 + int((cents + "00")[:2]))
