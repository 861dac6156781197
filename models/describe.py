"""A schedule as one plain Dutch sentence ("Elke 2 weken op maandag en donderdag").

Planners never see the RRULE; this sentence is what they check before saving, so it must say
exactly what the expansion does - including the clamping day ("of de laatste dag van de maand")
and the day-off policies.
"""

from __future__ import annotations

from functools import lru_cache

from models.dutch_dates import WEEKDAYS_LONG, long_date, month_name
from models.recurrence_form import RecurrenceForm, from_rrule
from models.schedule import WEEKDAY_CODES, Rule, Schedule, ScheduleError, parse_rrule

POLICY_LABELS = {
    "next_workday": "naar de volgende werkdag",
    "previous_workday": "naar de vorige werkdag",
    "skip": "overslaan",
}


def describe(schedule: Schedule, sentence: str | None = None) -> str:
    """The rule's sentence (or `sentence`, for dates the rule alone does not say) plus what
    happens on holidays and weekends (when not ignored)."""
    parts = [sentence or describe_rrule(schedule.rrule)]
    for label, policy in (("feestdagen", schedule.holidays), ("weekend", schedule.weekends)):
        if policy in POLICY_LABELS:
            parts.append(f"{label}: {POLICY_LABELS[policy]}")
    return "; ".join(parts)


@lru_cache(maxsize=4096)  # a pure function of the text; previews ask it on every keystroke
def describe_rrule(rrule: str) -> str:
    try:
        rule = parse_rrule(rrule)
    except (ScheduleError, TypeError):
        return "Geen geldig schema"
    form = from_rrule(rrule)
    sentence = _from_form(form) if form is not None else _from_rule(rule, rrule)
    return sentence + _ending(rule)


# --------------------------------------------------------------------------- pieces


def join(items: list[str], last: str = "en") -> str:
    """'a', 'a en b', 'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def _every(freq: str, interval: int) -> str:
    if freq == "DAILY":
        return "Elke dag" if interval == 1 else f"Elke {interval} dagen"
    if freq == "WEEKLY":
        return "Elke week" if interval == 1 else f"Elke {interval} weken"
    if freq == "MONTHLY":
        named = {1: "Elke maand", 3: "Elk kwartaal", 6: "Elk halfjaar"}
        return named.get(interval, f"Elke {interval} maanden")
    return "Elk jaar" if interval == 1 else f"Elke {interval} jaar"


def _nth_weekday(ordinal: int, weekday: int) -> str:
    """'de 2e dinsdag', 'de laatste vrijdag', 'de voorlaatste maandag'."""
    name = WEEKDAYS_LONG[weekday]
    if ordinal == -1:
        return f"de laatste {name}"
    if ordinal == -2:
        return f"de voorlaatste {name}"
    if ordinal < 0:
        return f"de {-ordinal}e {name} van achteren"
    return f"de {ordinal}e {name}"


def _months(months: tuple[int, ...], after_when: bool) -> str:
    """'van april t/m oktober' for a run of months (also across new year), else a list; after
    an "op ..." part it needs a comma to read well."""
    if not months or len(months) == 12:
        return ""
    chosen = set(months)
    text = "in " + join([month_name(month) for month in sorted(chosen)])
    if len(months) >= 3:
        for first in months:
            run = [(first - 1 + i) % 12 + 1 for i in range(len(months))]
            if set(run) == chosen:
                text = f"van {month_name(run[0])} t/m {month_name(run[-1])}"
                break
    return (", " if after_when else " ") + text


def _ending(rule: Rule) -> str:
    if rule.until is not None:
        return f", tot en met {long_date(rule.until)}"
    if rule.count is not None:
        return f", {rule.count} keer"
    return ""


def _from_form(form: RecurrenceForm) -> str:
    n = form.interval
    if form.frequency == "dagelijks":
        head = _every("DAILY", n)
    elif form.frequency == "werkdagen":
        head = "Elke werkdag" if n == 1 else f"Elke {n} weken op werkdagen"
    elif form.frequency == "wekelijks":
        days = join([WEEKDAYS_LONG[WEEKDAY_CODES.index(day)] for day in form.weekdays])
        head = f"{_every('WEEKLY', n)} op {days}"
    elif form.frequency == "maandelijks":
        if form.monthly_mode == "weekdag":
            when = _nth_weekday(form.ordinal, WEEKDAY_CODES.index(form.ordinal_weekday))
        elif form.day_of_month > 28:
            when = f"de {form.day_of_month}e (of de laatste dag van de maand)"
        else:
            when = f"de {form.day_of_month}e"
        head = f"{_every('MONTHLY', n)} op {when}"
    else:
        month = month_name(form.month)
        if form.monthly_mode == "weekdag":
            weekday = WEEKDAY_CODES.index(form.ordinal_weekday)
            when = f"{_nth_weekday(form.ordinal, weekday)} van {month}"
        elif form.month == 2 and form.day_of_month == 29:
            when = "29 februari (of 28 februari als het geen schrikkeljaar is)"
        else:
            when = f"{form.day_of_month} {month}"
        head = f"{_every('YEARLY', n)} op {when}"
    return head + _months(form.season_months, " op " in head)


def _from_rule(rule: Rule, text: str) -> str:
    """Rules the form cannot make (imported ones): as plain as the parts allow."""
    head = _every(rule.freq, rule.interval)
    if rule.bysetpos or rule.byyearday or rule.byweekno or rule.wkst not in (None, 0):
        return f"{head} (volgens de regel {text.strip()})"
    plain = [WEEKDAYS_LONG[day] for ordinal, day in rule.byday if not ordinal]
    ordinals = sorted((day for day in rule.byday if day[0]), key=lambda d: (d[0] < 0, abs(d[0])))
    nth = [_nth_weekday(ordinal, day) for ordinal, day in ordinals]
    positive = [str(day) for day in rule.bymonthday if day > 0]
    from_end = [_day_from_end(day) for day in rule.bymonthday if day < 0]
    monthdays = ([f"dag {join(positive)}"] if positive else []) + from_end
    if plain and not nth and monthdays:
        when = f" op een {join(plain, 'of')} die op dag {join(positive, 'of')} valt"
        if from_end:
            return f"{head} (volgens de regel {text.strip()})"
    elif plain or nth or monthdays:
        when = " op " + join(plain + nth + monthdays)
    else:
        when = ""
    sentence = head + when + _months(rule.bymonth, bool(when))
    if rule.freq == "MONTHLY" and any(day > 28 for day in rule.bymonthday):
        sentence += " (maanden zonder die dag worden overgeslagen)"
    return sentence


def _day_from_end(day: int) -> str:
    if day == -1:
        return "de laatste dag"
    if day == -2:
        return "de voorlaatste dag"
    return f"de {-day}e dag van achteren"
