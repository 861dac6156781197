"""RFC 5545 RRULE text to a checked `Rule`, with a Dutch message per mistake.

Pure: parsing and the cheap proofs that a rule can never give a date. The month lengths every
schedule module counts with live here too (one table).
"""

from __future__ import annotations

import re
from calendar import isleap
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from models.common.dutch_dates import month_name

FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTH_LENGTHS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # in a common year
_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 31, "YEARLY": 366}


def month_length(year: int, month: int) -> int:
    """The days of `month` in `year` (February 29 in a leap year)."""
    return MONTH_LENGTHS[month - 1] + (month == 2 and isleap(year))


def longest_month(month: int) -> int:
    """The most days `month` can have, in any year (29 for February)."""
    return MONTH_LENGTHS[month - 1] + (month == 2)


class ScheduleError(ValueError):
    """A schedule the planner must fix; `field` says which input to show `message` next to."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message



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
        if not any(abs(day) <= longest_month(m) for m in months for day in rule.bymonthday):
            if len(months) == 1 and len(rule.bymonthday) == 1:
                detail = f"{month_name(months[0])} heeft geen dag {abs(rule.bymonthday[0])}"
            else:
                detail = "geen van de gekozen dagen bestaat in de gekozen maanden"
            raise _rule_error(f"Deze regel levert nooit een datum op: {detail}.")
    return rule


