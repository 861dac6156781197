"""Schedule expansion: from a contract's terugkerend schema to the dates werkbonnen fall on.

Pure on purpose: the live preview and the worker both call these functions, so what a planner
sees is exactly what the worker creates. Nothing here reads the clock; `after`/`start` are
arguments.

The meaning, in order (domain.md, "Recurrence"):

1. The RRULE is RFC 5545, expanded with DTSTART = start_date (dateutil does the calendar work).
   Strict RFC: a day that does not exist is skipped (BYMONTHDAY=31 has no April date). The planner
   form writes the clamping form BYMONTHDAY=28,29,30,31;BYSETPOS=-1 when it means "or the last
   day". One deliberate fix over dateutil: a weekly BYSETPOS counts positions in the whole first
   week, as RFC 5545 says, not only in the days from DTSTART on.
2. Skipped dates (matched against the expanded date) go.
3. Day-off policies: a date in `free_days` (holiday or closure day) follows the holiday policy;
   with that policy "ignore", or on a normal Saturday/Sunday, the weekend policy applies. Moving
   goes to the nearest workday (Mon-Fri, not a free day); a moved date that lands on a date that
   already has one merges into it, the unmoved one wins.
4. Skipped dates (matched against the final date) go; extra dates are added as they are - they
   are the planner's explicit choice, so no policy touches them.
5. Only dates within [start_date, end_date] remain; UNTIL and COUNT end the series too, and a
   date moved past UNTIL goes as well: the planner's "einddatum" of the schema is UNTIL, and
   "tot en met 25 april" must not bring a visit on 26 April.
"""

from __future__ import annotations

import re
from calendar import isleap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from heapq import merge
from itertools import dropwhile, islice

from dateutil import rrule as du

from models.common.dutch_dates import month_name, short_date
from models.common.validation import DATE_RANGE_MESSAGE, FIRST_YEAR, LAST_YEAR, in_range

POLICIES = ("ignore", "next_workday", "previous_workday", "skip")
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MAX_DAYS_IN_ADVANCE = 365
# the years a date may have: models.validation (FIRST_YEAR, LAST_YEAR), one range for the app

ONE_DAY = timedelta(days=1)
# Gregorian weekdays and leap years repeat every 400 years: a rule without a date in 400 years
# has none at all, so no search needs to look further.
HORIZON_YEARS = 400
# How far a moved date may travel looking for a workday; beyond that it is dropped (only a
# closure spanning a whole year could get there).
MAX_MOVE_DAYS = 366

_DU_FREQ = {"DAILY": du.DAILY, "WEEKLY": du.WEEKLY, "MONTHLY": du.MONTHLY, "YEARLY": du.YEARLY}
_MAX_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


class ScheduleError(ValueError):
    """A schedule the planner must fix; `field` says which input to show `message` next to."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Schedule:
    start_date: date
    rrule: str
    end_date: date | None = None
    extra_dates: tuple[date, ...] = ()
    skip_dates: tuple[date, ...] = ()
    holidays: str = "ignore"
    weekends: str = "ignore"
    days_in_advance: int = 0
    # Dates that belong to the schedule like the rule's own, so the policies move them: visits
    # spread evenly over a contract year (contract_rules.uneven_visits), which no RRULE can say.
    # Extra dates, by contrast, are days a planner chose and stay where they are.
    spread_dates: tuple[date, ...] = ()


@dataclass(frozen=True)
class Occurrence:
    date: date
    generate_on: date
    original_date: date | None = None
    reason: str | None = None


def _occurrence(
    day: date, generate_on: date, original: date | None = None, reason: str | None = None
) -> Occurrence:
    """An Occurrence built without the frozen dataclass __init__ (one object.__setattr__ per
    field, ~1 µs): expansion makes one per date and this was a third of its own cost."""
    occurrence = object.__new__(Occurrence)
    fields = occurrence.__dict__
    fields["date"] = day
    fields["generate_on"] = generate_on
    fields["original_date"] = original
    fields["reason"] = reason
    return occurrence


@dataclass(frozen=True)
class Lost:
    """A date of the rule that gives no werkbon of its own, so a planner can see why a preview
    lists fewer dates than the rule says ("5 keer" and three dates). `kind`:
    "samengevoegd" (moved onto a date that already has one: `into`), "vervalt" (the policy is
    skip), "buiten_looptijd" (moved to `into`, outside the contract period), "overgeslagen"
    (moved to `into`, a skipped date) or "geen_werkdag" (no workday within a year to move to).
    `reason` is why it would move: a holiday's name, "weekend" or a closure day's description."""

    date: date
    kind: str
    reason: str
    into: date | None = None


@dataclass(frozen=True)
class Rule:
    """A parsed, checked RRULE. `byday` holds (ordinal, weekday 0-6); ordinal 0 means every."""

    freq: str
    interval: int = 1
    count: int | None = None
    until: date | None = None
    bymonth: tuple[int, ...] = ()
    bymonthday: tuple[int, ...] = ()
    byyearday: tuple[int, ...] = ()
    byweekno: tuple[int, ...] = ()
    byday: tuple[tuple[int, int], ...] = ()
    bysetpos: tuple[int, ...] = ()
    wkst: int | None = None


# --------------------------------------------------------------------------- parsing

_NUMBER = re.compile(r"[+-]?[0-9]{1,4}\Z")
_BYDAY = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)\Z")
_UNTIL = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(T[0-9]{6}Z?)?\Z")
_TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
_SUBDAILY = ("HOURLY", "MINUTELY", "SECONDLY")
# part -> (largest absolute value, negative values allowed, what the range means in Dutch)
_NUMBER_LISTS = {
    "BYMONTH": (12, False, "1 tot en met 12"),
    "BYMONTHDAY": (31, True, "1 tot en met 31, of -1 tot en met -31 vanaf het einde"),
    "BYYEARDAY": (366, True, "1 tot en met 366, of -1 tot en met -366 vanaf het einde"),
    "BYWEEKNO": (53, True, "1 tot en met 53, of -1 tot en met -53 vanaf het einde"),
    "BYSETPOS": (366, True, "1 tot en met 366, of -1 tot en met -366 vanaf het einde"),
}


def _rule_error(message: str) -> ScheduleError:
    return ScheduleError("rrule", message)


MAX_POSITIVE = 100_000  # INTERVAL and COUNT: far beyond any schedule, far below an overflow


def _positive(name: str, value: str) -> int:
    # not validation.whole(): that forgives spaces, and an RRULE part has none
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_POSITIVE:
        raise _rule_error(f"{name} moet een heel getal van 1 tot en met {MAX_POSITIVE:,} zijn."
                          .replace(",", "."))
    return int(value)


def _number_list(name: str, value: str) -> tuple[int, ...]:
    high, negatives, meaning = _NUMBER_LISTS[name]
    numbers = []
    for item in value.split(","):
        if not _NUMBER.match(item):
            raise _rule_error(f"{name} bevat '{item}'; dat is geen getal.")
        number = int(item)
        if number == 0 or abs(number) > high or (number < 0 and not negatives):
            raise _rule_error(f"{name}={item} bestaat niet; gebruik {meaning}.")
        numbers.append(number)
    return tuple(sorted(set(numbers)))


def _weekday_list(value: str) -> tuple[tuple[int, int], ...]:
    days = []
    for item in value.split(","):
        match = _BYDAY.match(item)
        if not match:
            raise _rule_error(f"BYDAY bevat '{item}'; gebruik MO, TU, WE, TH, FR, SA of SU.")
        ordinal = int(match.group(1) or 0)
        if match.group(1) and (ordinal == 0 or abs(ordinal) > 53):
            raise _rule_error(f"BYDAY={item} bestaat niet; het rangnummer loopt van 1 tot 53.")
        days.append((ordinal, WEEKDAY_CODES.index(match.group(2))))
    return tuple(sorted(set(days), key=lambda day: (day[1], day[0])))


def _until(value: str) -> date:
    match = _UNTIL.match(value)
    try:
        if not match:
            raise ValueError
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise _rule_error("UNTIL is geen geldige datum; schrijf hem als JJJJMMDD.") from None


@lru_cache(maxsize=4096)
def parse_rrule(text: str) -> Rule:
    """Parse and check an RRULE value. Raises ScheduleError(field="rrule") with a Dutch message.

    Cached: the worker and the previews parse the same few rule strings over and over.
    """
    if not isinstance(text, str) or not text.strip():
        raise _rule_error("Vul een herhaalregel in.")
    upper = text.strip().upper()
    if "DTSTART" in upper:
        raise _rule_error("Laat DTSTART weg: de startdatum staat in een eigen veld.")
    if "RRULE" in upper:
        raise _rule_error("Laat 'RRULE:' weg; geef alleen de regel zelf, zoals FREQ=WEEKLY.")
    if any(char.isspace() for char in upper):
        raise _rule_error("Een herhaalregel bevat geen spaties of regeleinden.")
    raw: dict[str, str] = {}
    for chunk in upper.strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        if not sep or not name or not value:
            raise _rule_error(f"'{chunk}' is geen onderdeel van de vorm NAAM=WAARDE.")
        if name in raw:
            raise _rule_error(f"{name} staat twee keer in de regel.")
        raw[name] = value
    return _check_rule(_build_rule(raw))


def _build_rule(raw: dict[str, str]) -> Rule:
    freq = raw.pop("FREQ", None)
    if freq is None:
        raise _rule_error("De regel mist FREQ (hoe vaak), bijvoorbeeld FREQ=WEEKLY.")
    if freq in _SUBDAILY:
        raise _rule_error("Vaker dan eens per dag kan niet; kies dagelijks of minder vaak.")
    if freq not in FREQUENCIES:
        raise _rule_error(f"FREQ={freq} bestaat niet; kies DAILY, WEEKLY, MONTHLY of YEARLY.")
    fields: dict = {"freq": freq}
    for name, value in raw.items():
        if name == "INTERVAL":
            fields["interval"] = _positive(name, value)
        elif name == "COUNT":
            fields["count"] = _positive(name, value)
        elif name == "UNTIL":
            fields["until"] = _until(value)
        elif name in _NUMBER_LISTS:
            fields[name.lower()] = _number_list(name, value)
        elif name == "BYDAY":
            fields["byday"] = _weekday_list(value)
        elif name == "WKST":
            if value not in WEEKDAY_CODES:
                raise _rule_error(f"WKST={value} bestaat niet; gebruik MO tot en met SU.")
            fields["wkst"] = WEEKDAY_CODES.index(value)
        elif name in _TIME_PARTS:
            raise _rule_error(f"{name} kan niet: een schema rekent in hele dagen, zonder tijden.")
        else:
            raise _rule_error(f"Onbekend onderdeel '{name}' in de herhaalregel.")
    return Rule(**fields)


def _check_rule(rule: Rule) -> Rule:
    """The RFC 5545 combinations that are meaningless, and cheap proofs of "never a date"."""
    if rule.count is not None and rule.until is not None:
        raise _rule_error("Gebruik COUNT of UNTIL, niet allebei.")
    ordinals = [ordinal for ordinal, _day in rule.byday if ordinal]
    if ordinals and rule.freq not in ("MONTHLY", "YEARLY"):
        raise _rule_error("Een rangnummer bij BYDAY (zoals 2TU) past alleen bij maand of jaar.")
    if ordinals and rule.byweekno:
        raise _rule_error("Een rangnummer bij BYDAY kan niet samen met BYWEEKNO.")
    in_month = rule.freq == "MONTHLY" or (rule.freq == "YEARLY" and rule.bymonth)
    if in_month and any(abs(ordinal) > 5 for ordinal in ordinals):
        raise _rule_error("Een maand heeft hooguit vijf keer dezelfde weekdag.")
    if rule.bymonthday and rule.freq == "WEEKLY":
        raise _rule_error("BYMONTHDAY kan niet bij een wekelijkse regel.")
    if rule.byyearday and rule.freq != "YEARLY":
        raise _rule_error("BYYEARDAY kan alleen bij een jaarlijkse regel.")
    if rule.byweekno and rule.freq != "YEARLY":
        raise _rule_error("BYWEEKNO kan alleen bij een jaarlijkse regel.")
    if rule.bysetpos:
        if not (rule.bymonth or rule.bymonthday or rule.byyearday or rule.byweekno or rule.byday):
            raise _rule_error("BYSETPOS heeft een ander BY-onderdeel nodig, zoals BYDAY.")
        most = _PERIOD_DAYS[rule.freq]
        if rule.freq == "WEEKLY" and rule.byday:
            most = len(rule.byday)
        if all(abs(position) > most for position in rule.bysetpos):
            raise _rule_error(
                f"BYSETPOS kan nooit: er zijn per periode hooguit {most} "
                f"{'datum' if most == 1 else 'data'} om uit te kiezen."
            )
    if rule.bymonthday:
        months = rule.bymonth or range(1, 13)
        if not any(abs(day) <= _MAX_MONTH_DAYS[m - 1] for m in months for day in rule.bymonthday):
            if len(months) == 1 and len(rule.bymonthday) == 1:
                detail = f"{month_name(months[0])} heeft geen dag {abs(rule.bymonthday[0])}"
            else:
                detail = "geen van de gekozen dagen bestaat in de gekozen maanden"
            raise _rule_error(f"Deze regel levert nooit een datum op: {detail}.")
    return rule


# --------------------------------------------------------------------------- validation


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _basic_problems(schedule: Schedule) -> dict[str, str]:
    """Everything that can be checked without expanding the rule (cheap: run on every call)."""
    problems: dict[str, str] = {}
    start, end = schedule.start_date, schedule.end_date
    start_ok = False
    if not _is_date(start):
        problems["start_date"] = "Vul een geldige startdatum in."
    elif not in_range(start):
        problems["start_date"] = DATE_RANGE_MESSAGE
    else:
        start_ok = True
    if end is not None:
        if not _is_date(end):
            problems["end_date"] = "Vul een geldige einddatum in."
        elif not in_range(end):
            problems["end_date"] = DATE_RANGE_MESSAGE
        elif start_ok and end < start:
            problems["end_date"] = "De einddatum ligt vóór de startdatum."
    try:
        parse_rrule(schedule.rrule)
    except ScheduleError as error:
        problems[error.field] = error.message
    except TypeError:  # unhashable garbage instead of a string
        problems["rrule"] = "Vul een herhaalregel in."
    if schedule.holidays not in POLICIES:
        problems["holidays"] = "Kies wat er met feestdagen en sluitingsdagen gebeurt."
    if schedule.weekends not in POLICIES:
        problems["weekends"] = "Kies wat er met weekenddagen gebeurt."
    lead = schedule.days_in_advance
    if isinstance(lead, bool) or not isinstance(lead, int) or not 0 <= lead <= MAX_DAYS_IN_ADVANCE:
        problems["days_in_advance"] = "Vul een aantal dagen van 0 tot en met 365 in."
    extra = _date_list_problem(schedule.extra_dates, "extra") \
        or _date_list_problem(schedule.spread_dates, "verdeelde")
    skip = _date_list_problem(schedule.skip_dates, "overgeslagen")
    if extra is None and start_ok and "end_date" not in problems:
        outside = [d for d in schedule.extra_dates if d < start or (end is not None and d > end)]
        if outside:
            extra = f"De extra datum {short_date(min(outside))} valt buiten de looptijd."
    if extra is None and skip is None:
        both = set(schedule.extra_dates) & set(schedule.skip_dates)
        if both:
            skip = f"{short_date(min(both))} staat zowel bij de extra als bij de overgeslagen data."
    if extra:
        problems["extra_dates"] = extra
    if skip:
        problems["skip_dates"] = skip
    return problems


def _date_list_problem(values: object, kind: str) -> str | None:
    try:
        dates = all(_is_date(d) for d in values)
    except TypeError:
        dates = False
    if not dates:
        return f"Een van de {kind} data is geen geldige datum."
    return None if all(in_range(d) for d in values) else DATE_RANGE_MESSAGE


def validate_all(schedule: Schedule) -> dict[str, str]:
    """Every problem, one Dutch message per field, so the form can mark each wrong input."""
    problems = _basic_problems(schedule)
    if problems.keys() & {"start_date", "end_date", "rrule"}:
        return problems
    rule = parse_rrule(schedule.rrule)
    start, end = schedule.start_date, schedule.end_date
    if rule.until is not None and rule.until < start:
        problems["rrule"] = "De regel eindigt (UNTIL) vóór de startdatum."
    elif _never_produces(rule, start):
        problems["rrule"] = "Deze regel levert nooit een datum op."
    elif (end is not None or rule.until is not None) and _first_raw_date(rule, start, end) is None:
        problems["rrule"] = "Deze regel levert geen enkele datum op tussen begin en einde."
    weekdays = _weekdays_produced(rule, start)
    if (
        weekdays
        and weekdays <= {5, 6}
        and schedule.weekends == "skip"
        and schedule.holidays in ("ignore", "skip")
        and "weekends" not in problems
    ):
        problems["weekends"] = (
            "Alle data van deze regel vallen in het weekend; met 'overslaan' blijft er niets over."
        )
    return problems


def validate(schedule: Schedule) -> None:
    """Raise ScheduleError for the first problem (see validate_all)."""
    for field, message in validate_all(schedule).items():
        raise ScheduleError(field, message)


def _prepare(schedule: Schedule) -> Rule:
    """The parsed rule of a schedule that passes the cheap checks (run on every expansion)."""
    for field, message in _basic_problems(schedule).items():
        raise ScheduleError(field, message)
    return parse_rrule(schedule.rrule)


# --------------------------------------------------------------------------- raw expansion


def _midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


@lru_cache(maxsize=4096)
def _dateutil_kwargs(rule: Rule, month: int, day: int, weekday: int) -> dict:
    """The rule as explicit dateutil arguments, with RFC's DTSTART-derived defaults filled in.

    RFC 5545 takes a missing day (monthly), month and day (yearly) or weekday (weekly) from
    DTSTART; `month`, `day` and `weekday` are the real start date's. Spelling them out lets the
    expansion begin at a later period start without changing the rule's meaning.
    """
    byday = rule.byday
    bymonth, bymonthday = rule.bymonth, rule.bymonthday
    if not (rule.byweekno or rule.byyearday or rule.bymonthday or rule.byday):
        if rule.freq == "YEARLY":
            bymonth, bymonthday = rule.bymonth or (month,), (day,)
        elif rule.freq == "MONTHLY":
            bymonthday = (day,)
        elif rule.freq == "WEEKLY":
            byday = ((0, weekday),)
    return {
        "interval": rule.interval,
        "wkst": rule.wkst if rule.wkst is not None else 0,
        "bymonth": bymonth or None,
        "bymonthday": bymonthday or None,
        "byyearday": rule.byyearday or None,
        "byweekno": rule.byweekno or None,
        "byweekday": tuple(du.weekday(wd, n) if n else wd for n, wd in byday) or None,
        "bysetpos": rule.bysetpos or None,
    }


def _weekdays_produced(rule: Rule, start: date) -> set[int] | None:
    """The weekdays every date of the rule falls on, or None when BYDAY does not restrict it."""
    chosen = {weekday for _ordinal, weekday in rule.byday} if rule.byday else None
    if rule.freq == "DAILY" and rule.interval % 7 == 0:
        return {start.weekday()} & (chosen or {start.weekday()})
    if rule.freq == "WEEKLY" and not (rule.byday or rule.bymonthday or rule.byyearday):
        return {start.weekday()}
    return chosen


def _period_start(rule: Rule, start: date, target: date) -> date:
    """The start of the latest period of the rule that begins on or before `target`.

    Periods count from DTSTART in steps of INTERVAL (days, wkst-weeks, months, years), so the
    result keeps the rule's phase; expanding from it gives exactly the dates a full expansion
    from DTSTART gives from there on, at a cost that does not grow with the contract's age.
    """
    n = rule.interval
    if rule.freq == "DAILY":
        return start + timedelta(days=(target - start).days // n * n)
    if rule.freq == "WEEKLY":
        wkst = rule.wkst if rule.wkst is not None else 0
        first = start - timedelta(days=(start.weekday() - wkst) % 7)
        return first + timedelta(weeks=(target - first).days // (7 * n) * n)
    if rule.freq == "MONTHLY":
        months = (target.year - start.year) * 12 + target.month - start.month
        index = start.month - 1 + months // n * n
        return date(start.year + index // 12, index % 12 + 1, 1)
    return date(start.year + (target.year - start.year) // n * n, 1, 1)


class _Expansion:
    """One dateutil expansion, pulled lazily and remembered, so that every schedule with the same
    rule arguments, period start and limit reads the same list instead of expanding again."""

    __slots__ = ("dates", "source")

    def __init__(self, source: Iterator[date]) -> None:
        self.dates: list[date] = []
        self.source = source

    def __iter__(self) -> Iterator[date]:
        dates, source = self.dates, self.source
        index = 0
        while True:
            if index == len(dates):  # nobody pulled this far yet
                day = next(source, None)
                if day is None:
                    return
                dates.append(day)
            yield dates[index]
            index += 1


def _raw_dates(
    rule: Rule, start: date, raw_from: date, raw_limit: date, shared: dict | None = None
) -> Iterator[date]:
    """The rule's own dates from about `raw_from` up to `raw_limit` (inclusive), ascending.

    A COUNT rule is expanded from its start (which date is the last depends on all earlier
    ones); COUNT bounds that work. Everything else starts at the period containing `raw_from`.
    `shared`: see occurrences_and_next.
    """
    until = raw_limit if rule.until is None else min(rule.until, raw_limit)
    if until < start:
        return iter(())
    first = _period_start(rule, start, start if rule.count else max(start, raw_from))
    kwargs = _dateutil_kwargs(rule, start.month, start.day, start.weekday())
    if shared is None:
        dates = _expand(rule.freq, kwargs, first, until)
    else:
        # dateutil's output depends only on these: the start date itself is in `kwargs` only
        # where RFC 5545 takes a default from it, and dates before it are dropped below
        key = (rule.freq, tuple(kwargs.values()), first, until)
        dates = shared.get(key)
        if dates is None:
            dates = shared[key] = _Expansion(_expand(rule.freq, kwargs, first, until))
        dates = iter(dates)
    if first < start:
        dates = dropwhile(start.__gt__, dates)
    return islice(dates, rule.count) if rule.count else dates


def _dateutil(freq: str, kwargs: dict, first: date, until: date) -> du.rrule:
    return du.rrule(_DU_FREQ[freq], dtstart=_midnight(first), until=_midnight(until), **kwargs)


def _expand(freq: str, kwargs: dict, first: date, until: date) -> Iterator[date]:
    """The dates of the rule from the period start `first` up to `until`: dateutil's, or the
    same dates computed directly for the most common kind of rule."""
    if _days_of_month_only(freq, kwargs):
        return _month_days(freq, kwargs, first, until)
    return map(datetime.date, _dateutil(freq, kwargs, first, until))


def _days_of_month_only(freq: str, kwargs: dict) -> bool:
    """Monthly or yearly on fixed days of the month ("de 15e", "de 31e of de laatste dag",
    "elk jaar op 1 april"): the rules most contracts have. Their dates need no weekday or week
    arithmetic, so they are computed here at a fraction of dateutil's cost (dateutil builds and
    filters a whole month's day set per period). tests/unit/test_schedule_fast_path.py holds this
    to dateutil's answer for every such rule."""
    return (
        kwargs["bymonthday"] is not None
        and kwargs["byweekday"] is None
        and kwargs["byyearday"] is None
        and kwargs["byweekno"] is None
        and freq in ("MONTHLY", "YEARLY")
    )


def _month_days(freq: str, kwargs: dict, first: date, until: date) -> Iterator[date]:
    """RFC 5545 for FREQ=MONTHLY/YEARLY with BYMONTHDAY, optional BYMONTH and BYSETPOS: per
    period (month or year, every INTERVAL), the chosen days that exist (negative ones counted from
    the month's end), BYSETPOS picking from that period's sorted set."""
    interval, bysetpos = kwargs["interval"], kwargs["bysetpos"]
    months = frozenset(kwargs["bymonth"] or range(1, 13))
    # the day numbers a month of each length has (a month's own BYSETPOS choice included)
    days_in = {}
    for length in (28, 29, 30, 31):
        days = sorted({d if d > 0 else length + 1 + d for d in kwargs["bymonthday"]}
                      & set(range(1, length + 1)))
        days_in[length] = _pick(days, bysetpos) if freq == "MONTHLY" else days
    year, month = first.year, first.month
    while year <= until.year:
        if freq == "MONTHLY":
            days = ([date(year, month, d) for d in days_in[_month_length(year, month)]]
                    if month in months else ())
            index = year * 12 + month - 1 + interval
            year, month = index // 12, index % 12 + 1
        else:
            days = [date(year, m, d) for m in sorted(months)
                    for d in days_in[_month_length(year, m)]]
            days = _pick(days, bysetpos)
            year += interval
        for day in days:
            if day > until:
                return
            if day >= first:
                yield day


def _pick(days: list, bysetpos: tuple[int, ...] | None) -> list:
    """BYSETPOS on one period's sorted set: the 1st, 2nd, ... or from the end -1, -2, ..."""
    if not bysetpos:
        return days
    return sorted({days[p - 1 if p > 0 else p] for p in bysetpos if -len(days) <= p <= len(days)})


def _month_length(year: int, month: int) -> int:
    return _MONTH_LENGTHS[month - 1] + (month == 2 and isleap(year))


_MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@lru_cache(maxsize=4096)  # validation asks it on every preview keystroke, for the same rules
def _never_produces(rule: Rule, start: date) -> bool:
    """Whether the rule provably has no date at all, decided in milliseconds.

    Expanding an empty rule with dateutil walks on to the year 9999 (it ignores UNTIL while it
    finds nothing), which takes seconds. Instead: one period's dates depend only on the kind of
    period (for a year: leap or not, weekday of 1 January, neighbours for week numbers; for a
    month: which month, leap year, weekday of the 1st), the calendar repeats every 400 years,
    and there are few kinds. Yearly and monthly rules are tried once on each kind of period
    their interval reaches; daily and weekly rules are widened to a yearly superset (interval
    and BYSETPOS dropped) after the phase checks that can already prove them empty.
    """
    kwargs = dict(_dateutil_kwargs(rule, start.month, start.day, start.weekday()))
    if _days_of_month_only(rule.freq, kwargs):
        # cheap to expand: 400 years (the calendar's cycle, which every INTERVAL's phase
        # pattern repeats within) are searched directly, and a date is usually found at once
        limit = date(min(start.year + 401, 9999), 12, 31)
        dates = _month_days(rule.freq, kwargs, _period_start(rule, start, start), limit)
        return next((day for day in dates if day >= start), None) is None
    if rule.freq == "YEARLY":
        freq, once = du.YEARLY, 9999
        periods = (date(year, 1, 1) for year in range(start.year, start.year + 400, rule.interval))
    elif rule.freq == "MONTHLY":
        freq, once = du.MONTHLY, 12 * 9999
        index = start.year * 12 + start.month - 1
        periods = (
            date(month // 12, month % 12 + 1, 1)
            for month in range(index, index + 12 * 400, rule.interval)
        )
    else:
        if rule.freq == "DAILY" and not (rule.bymonthday or rule.byday):
            return False  # every day of the chosen months
        weekdays = _weekdays_produced(rule, start)
        if weekdays is not None and kwargs["byweekday"] is not None:
            kwargs["byweekday"] = tuple(
                day for day in kwargs["byweekday"] if _weekday_number(day) in weekdays
            )
            if not kwargs["byweekday"]:
                return True  # e.g. every 7 days, but only on a weekday the start is not
        if rule.freq == "WEEKLY" and rule.bysetpos:
            if all(abs(position) > len(kwargs["byweekday"]) for position in rule.bysetpos):
                return True
        kwargs["bysetpos"] = None
        freq, once = du.YEARLY, 9999
        periods = (date(year, 1, 1) for year in range(start.year, start.year + 400))
    seen = set()
    for first in periods:
        year = first.year
        kind = (first.month, isleap(year - 1), isleap(year), isleap(year + 1), first.weekday())
        if kind in seen:
            continue
        seen.add(kind)
        # An interval that leaves the calendar makes dateutil stop after this one period.
        one_period = du.rrule(freq, dtstart=_midnight(first), **{**kwargs, "interval": once})
        if next(iter(one_period), None) is not None:
            return False
    return True


def _weekday_number(day: object) -> int:
    return day if isinstance(day, int) else day.weekday


def _first_raw_date(rule: Rule, start: date, end: date | None) -> date | None:
    limit = date(start.year + HORIZON_YEARS, 12, 31)
    if end is not None:
        limit = min(limit, end)
    return next(_raw_dates(rule, start, start, limit), None)


# --------------------------------------------------------------------------- policies


def _is_workday(day: date, free_days: Mapping[date, str]) -> bool:
    return day.weekday() < 5 and day not in free_days


def _nearest_workday(day: date, free_days: Mapping[date, str], step: int) -> date | None:
    """The first workday strictly after (step 1) or before (step -1) `day`."""
    delta = timedelta(days=step)
    for _ in range(MAX_MOVE_DAYS):
        day += delta
        if day.weekday() < 5 and day not in free_days:
            return day
    return None


def _days_off_run(day: date, free_days: Mapping[date, str], step: int) -> int:
    """How many non-workdays follow `day` (step 1) or precede it (step -1), uninterrupted."""
    delta = timedelta(days=step)
    run = 0
    day += delta
    while run <= MAX_MOVE_DAYS and not _is_workday(day, free_days):
        run += 1
        day += delta
    return run


def _stream(
    schedule: Schedule,
    rule: Rule,
    free_days: Mapping[date, str],
    after: date,
    raw_limit: date,
    last: date | None = None,
    shared: dict | None = None,
    lost: list | None = None,
) -> Iterator[Occurrence]:
    """Final occurrences from `after` to `last` (and the end date), ascending, from the raw
    dates up to `raw_limit`. With a `lost` list, the rule's dates from `after` on that give no
    occurrence of their own because of a policy are appended to it (Lost), as they are met.

    Moving can reorder and merge dates, so a final date is only released once no later raw date
    can land on or before it: a later raw date ends up no earlier than the last workday on or
    before the day after the current raw date.
    """
    low = max(after, schedule.start_date)
    high = schedule.end_date if last is None else min(last, schedule.end_date or last)
    until = rule.until  # the rule's own dates keep to it; a moved one must too
    holiday_policy, weekend_policy = schedule.holidays, schedule.weekends
    policies = (holiday_policy, weekend_policy)
    moves_back = "previous_workday" in policies
    lead = timedelta(days=schedule.days_in_advance)
    skips = frozenset(schedule.skip_dates)
    extras = sorted(
        {d for d in schedule.extra_dates if low <= d and (high is None or d <= high)} - skips
    )
    raw_from = low
    if "next_workday" in policies:  # a raw date this far back can still be moved to `low`
        raw_from = low - timedelta(days=_days_off_run(low, free_days, -1))

    pending: dict[date, tuple[date | None, str | None]] = {}
    extras_left = extras[::-1]  # earliest last, so pop() takes it

    def release(final: date, original: date | None, reason: str | None) -> list[Occurrence]:
        """`final` preceded by the extra dates before it; an extra date on `final` wins."""
        released = []
        while extras_left and extras_left[-1] <= final:
            extra = extras_left.pop()
            if extra < final:
                released.append(_occurrence(extra, extra - lead))
            else:
                original = reason = None
        released.append(_occurrence(final, final - lead, original, reason))
        return released

    raw = _raw_dates(rule, schedule.start_date, raw_from, raw_limit, shared)
    if schedule.spread_dates:
        raw = _with_spread(raw, schedule, raw_from, raw_limit)
    for day in raw:
        if day < raw_from or day in skips:
            continue
        final, original, reason = day, None, None
        if holiday_policy != "ignore" and day in free_days:
            policy, why = holiday_policy, free_days.get(day)
        elif day.weekday() >= 5:
            policy, why = weekend_policy, "weekend"
        else:
            policy = "ignore"
        if policy != "ignore":
            if policy == "skip":
                if lost is not None and day >= low:
                    lost.append(Lost(day, "vervalt", why))
                continue
            final = _nearest_workday(day, free_days, 1 if policy == "next_workday" else -1)
            original, reason = day, why
            if final is None:
                if lost is not None and day >= low:
                    lost.append(Lost(day, "geen_werkdag", why))
                continue
        if final < low or (high is not None and final > high) or final in skips or (
                until is not None and final > until):
            if lost is not None and original is not None and low <= day:
                _note_dropped(lost, schedule, day, final, reason, skips, until)
            continue

        # The common case: nothing waiting, and no later raw date can end up on or before
        # `final` (later ones end up no earlier than the last workday on or before day + 1).
        if (
            not pending
            and final <= day
            and (not moves_back or _is_workday(day + ONE_DAY, free_days))
        ):
            if extras_left and extras_left[-1] <= final:
                yield from release(final, original, reason)
            else:
                yield _occurrence(final, final - lead, original, reason)
            continue
        bound = day + ONE_DAY
        if moves_back and not _is_workday(bound, free_days):
            bound = _nearest_workday(bound, free_days, -1) or bound - timedelta(MAX_MOVE_DAYS)
        if original is None or final not in pending:  # the unmoved date wins a merge
            if lost is not None and final in pending:  # a moved one was there first
                moved_from, moved_why = pending[final]
                if moved_from >= low:
                    lost.append(Lost(moved_from, "samengevoegd", moved_why, final))
            pending[final] = (original, reason)
        elif lost is not None and day >= low:
            lost.append(Lost(day, "samengevoegd", reason, final))
        for ready in sorted(d for d in pending if d < bound):
            yield from release(ready, *pending.pop(ready))

    for ready in sorted(pending):
        yield from release(ready, *pending[ready])
    for extra in reversed(extras_left):
        yield _occurrence(extra, extra - lead)


def _note_dropped(lost: list, schedule: Schedule, day: date, final: date, reason: str | None,
                  skips: frozenset, until: date | None = None) -> None:
    """`day`, moved to `final`, gives no occurrence: say why, unless it only moved to before
    the point the caller counts from (it exists; it is just not asked for)."""
    if final < schedule.start_date or (schedule.end_date is not None
                                       and final > schedule.end_date) or (
            until is not None and final > until):
        lost.append(Lost(day, "buiten_looptijd", reason, final))
    elif final in skips:
        lost.append(Lost(day, "overgeslagen", reason, final))


def _with_spread(raw: Iterator[date], schedule: Schedule, raw_from: date,
                 raw_limit: date) -> Iterator[date]:
    """The rule's dates and the schedule's spread dates in one ascending stream, each once."""
    low = max(raw_from, schedule.start_date)
    spread = sorted({d for d in schedule.spread_dates if low <= d <= raw_limit})
    previous = None
    for day in merge(raw, spread):
        if day != previous:
            yield day
        previous = day


# --------------------------------------------------------------------------- public API


def occurrences(
    schedule: Schedule, free_days: Mapping[date, str], after: date, count: int,
    lost: list | None = None,
) -> tuple[list[Occurrence], bool]:
    """Up to `count` occurrences on or after `after`, and whether more follow. `lost`: a list
    that receives the rule's dates that merged or fell away on the way (see _stream).

    Costs the same for a contract started twenty years ago as for one started last month: the
    expansion starts at the rule's period around `after`, not at the start date (a COUNT rule
    is the exception: COUNT bounds its cost). Expects a schedule that passed validate(): a rule
    that never produces a date would make dateutil search on to the year 9999.
    """
    rule = _prepare(schedule)
    if not _is_date(after) or not FIRST_YEAR <= after.year <= LAST_YEAR + HORIZON_YEARS:
        raise ScheduleError("after", "Kies een geldige datum om vanaf te tellen.")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ScheduleError("count", "Het aantal moet een heel getal van 0 of meer zijn.")
    free_days = {} if free_days is None else free_days
    raw_limit = _open_raw_limit(schedule, free_days, after)
    found = list(islice(_stream(schedule, rule, free_days, after, raw_limit, lost=lost),
                        count + 1))
    return found[:count], len(found) > count


def _open_raw_limit(schedule: Schedule, free_days: Mapping[date, str], after: date) -> date:
    """How far an open-ended search from `after` looks (see HORIZON_YEARS), or the end date."""
    raw_limit = date(max(after, schedule.start_date).year + HORIZON_YEARS, 12, 31)
    if schedule.end_date is not None:
        raw_limit = min(raw_limit, _raw_limit(schedule, free_days, schedule.end_date))
    return raw_limit


def occurrences_between(
    schedule: Schedule, free_days: Mapping[date, str], start: date, end: date
) -> list[Occurrence]:
    """All occurrences with start <= date <= end (inclusive), ascending."""
    rule = _prepare(schedule)
    if not (_is_date(start) and _is_date(end) and end.year <= LAST_YEAR + HORIZON_YEARS):
        raise ScheduleError("after", "Kies een geldige periode.")
    free_days = {} if free_days is None else free_days
    top = end if schedule.end_date is None else min(end, schedule.end_date)
    if top < start:
        return []
    raw_limit = _raw_limit(schedule, free_days, top)
    return list(_stream(schedule, rule, free_days, start, raw_limit, top))


def occurrences_and_next(
    schedule: Schedule,
    free_days: Mapping[date, str],
    start: date,
    end: date,
    after: date,
    shared: dict | None = None,
) -> tuple[list[Occurrence], Occurrence | None]:
    """`occurrences_between(start, end)` (nothing when start > end) and the first of
    `occurrences(after, 1)`, from one expansion: what the worker needs per contract (the dates
    due now, and the next one, which says when to look at the contract again). `after` > end.

    `shared`: a dict the caller keeps while it expands many schedules (one batch of a sweep):
    schedules with the same rule, period and horizon then share one dateutil expansion. The
    results are the same with or without it; it only saves work, at the memory of what it
    remembers, so keep it no longer than the batch.
    """
    rule = _prepare(schedule)
    if not (_is_date(start) and _is_date(end) and _is_date(after) and end < after):
        raise ScheduleError("after", "Kies een geldige periode.")
    if not FIRST_YEAR <= after.year <= LAST_YEAR + HORIZON_YEARS:
        raise ScheduleError("after", "Kies een geldige datum om vanaf te tellen.")
    free_days = {} if free_days is None else free_days
    # One stream from the earlier of the two points, as far as occurrences(after) would look
    # (which is at least as far as the period up to `end` needs). A stream from an earlier
    # point yields the same occurrences from any later date on: every raw date that can end up
    # on or after that date is read either way, in the same order.
    found: list[Occurrence] = []
    following = None
    for occurrence in _stream(
        schedule, rule, free_days, min(start, after), _open_raw_limit(schedule, free_days, after),
        shared=shared,
    ):
        day = occurrence.date
        if day >= after:
            following = occurrence
            break
        if start <= day <= end:
            found.append(occurrence)
    return found, following


def _raw_limit(schedule: Schedule, free_days: Mapping[date, str], last: date) -> date:
    """The last raw date that can still end up on or before `last` (moved back past days off)."""
    if "previous_workday" in (schedule.holidays, schedule.weekends):
        return last + timedelta(days=_days_off_run(last, free_days, 1))
    return last
