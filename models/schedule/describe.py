"""A schedule as one plain Dutch sentence ("Elke 2 weken op maandag en donderdag").

Planners never see the RRULE; this sentence is what they check before saving, so it must say
exactly what the expansion does - including the clamping day ("of de laatste dag van de maand")
and the day-off policies.

One job, pure, in one file on purpose: every RFC 5545 form a rule can take has its sentence here,
so it is longer than the ~400 lines other modules keep to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache

from models.common.dutch_dates import WEEKDAYS_LONG, long_date, month_name
from models.schedule.definition import Schedule
from models.schedule.recurrence_form import RecurrenceForm, from_rrule
from models.schedule.rrule import WEEKDAY_CODES, Rule, ScheduleError, longest_month, parse_rrule

POLICY_LABELS = {
    "next_workday": "naar de volgende werkdag",
    "previous_workday": "naar de vorige werkdag",
    "skip": "overslaan",
}


def describe(schedule: Schedule, sentence: str | None = None,
             usual: dict[str, str] | None = None) -> str:
    """The rule's sentence (or `sentence`, for dates the rule alone does not say) plus what
    happens on holidays and weekends (when not ignored). With `usual` (the company's default
    policies, {"holidays": ..., "weekends": ...}) only a policy that differs from it is said,
    also "niets doen": a list of contracts then says what is special about each."""
    start = schedule.start_date if isinstance(schedule.start_date, date) else None
    parts = [sentence or describe_rrule(schedule.rrule, start)]
    for label, key in (("feestdagen", "holidays"), ("weekend", "weekends")):
        policy = getattr(schedule, key)
        if usual is not None:
            if policy != usual.get(key):
                parts.append(f"{label}: {POLICY_LABELS.get(policy, 'niets doen')}")
        elif policy in POLICY_LABELS:
            parts.append(f"{label}: {POLICY_LABELS[policy]}")
    return "; ".join(parts)


@lru_cache(maxsize=4096)  # pure (text, start); previews ask it on every keystroke
def describe_rrule(rrule: str, start: date | None = None) -> str:
    """The sentence for an RRULE read with `start` as DTSTART (RFC 5545 takes a missing day,
    month or weekday from it); without `start` the parts it would supply go unsaid."""
    try:
        rule = parse_rrule(rrule)
    except (ScheduleError, TypeError):
        return "Geen geldig schema"
    shown, years = _as_read(rule, start)
    if shown is None:
        return "Geen geldig schema"
    form = from_rrule(_rule_text(shown))
    if form is not None:
        sentence = _from_form(form)
    else:
        raw = _rule_text(replace(rule, count=None, until=None, wkst=None))
        sentence = _from_rule(shown, start, raw)
    if years > 1:
        sentence += f", om de {years} jaar"
    return sentence + _ending(rule)


def _as_read(rule: Rule, start: date | None) -> tuple[Rule | None, int]:
    """The rule as a planner would read it, with the same dates: what DTSTART supplies filled
    in, and rules whose BY-parts work at a finer level than FREQ said at that level (a yearly
    rule on the 15th without BYMONTH is the 15th of every month). Also how many years apart
    the periods of such a yearly rule are. The end (COUNT/UNTIL) is said separately, and WKST
    is left out: it shifts which weeks pair up, not what a planner reads. None when the start
    makes the rule impossible (31 April)."""
    rule = replace(rule, count=None, until=None, wkst=None)
    if start is not None and not (rule.byweekno or rule.byyearday or rule.bymonthday
                                  or rule.byday):
        if rule.freq == "YEARLY":
            rule = replace(rule, bymonth=rule.bymonth or (start.month,), bymonthday=(start.day,))
        elif rule.freq == "MONTHLY":
            rule = replace(rule, bymonthday=(start.day,))
        elif rule.freq == "WEEKLY":
            rule = replace(rule, byday=((0, start.weekday()),))
        try:
            parse_rrule(_rule_text(rule))
        except ScheduleError:
            return None, 1
    if (start is not None and rule.freq == "MONTHLY" and rule.interval % 12 == 0
            and not (rule.bymonth or rule.byweekno or rule.byyearday)
            and all(day <= longest_month(start.month) for day in rule.bymonthday)):
        # every 12 months reaches only the start's month: a planner says "Elk jaar op 1
        # januari", not "Elke 12 maanden op de 1e" (same dates: BYMONTH keeps the month's set;
        # a day that month never has stays monthly, and says so)
        rule = replace(rule, freq="YEARLY", interval=rule.interval // 12,
                       bymonth=(start.month,))
    plain = {day for ordinal, day in rule.byday if not ordinal}
    # "maandag" already holds "de 1e maandag"
    rule = replace(rule, byday=tuple(d for d in rule.byday if not d[0] or d[1] not in plain))
    years = 1
    if rule.freq == "DAILY":
        rule = replace(rule, bysetpos=())  # a day's set has one date: position 1 or -1 is it
        if rule.interval == 1 and rule.bymonthday:
            rule = replace(rule, freq="MONTHLY")
        elif rule.interval == 1 and rule.byday:
            rule = replace(rule, freq="WEEKLY")
    elif (rule.freq == "YEARLY" and not (rule.bymonth or rule.byweekno or rule.byyearday
                                         or rule.bysetpos)
          and not any(ordinal for ordinal, _day in rule.byday)):
        if rule.bymonthday:
            years, rule = rule.interval, replace(rule, freq="MONTHLY", interval=1)
        elif rule.byday:
            years, rule = rule.interval, replace(rule, freq="WEEKLY", interval=1)
    return rule, years


def _rule_text(rule: Rule) -> str:
    parts = [f"FREQ={rule.freq}"]
    if rule.interval != 1:
        parts.append(f"INTERVAL={rule.interval}")
    for name in ("bymonth", "bymonthday", "byyearday", "byweekno"):
        if getattr(rule, name):
            parts.append(f"{name.upper()}={','.join(map(str, getattr(rule, name)))}")
    if rule.byday:
        days = [f"{ordinal or ''}{WEEKDAY_CODES[day]}" for ordinal, day in rule.byday]
        parts.append(f"BYDAY={','.join(days)}")
    if rule.bysetpos:
        parts.append(f"BYSETPOS={','.join(map(str, rule.bysetpos))}")
    if rule.wkst is not None:
        parts.append(f"WKST={WEEKDAY_CODES[rule.wkst]}")
    if rule.count is not None:
        parts.append(f"COUNT={rule.count}")
    if rule.until is not None:
        parts.append(f"UNTIL={rule.until:%Y%m%d}")
    return ";".join(parts)


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


def _from_rule(rule: Rule, start: date | None, raw: str) -> str:
    """Rules the form cannot make (imported ones): as plain as the parts allow; the RRULE itself
    only for combinations no sentence says well."""
    head = _every(rule.freq, rule.interval)
    when = _with_setpos(rule, start) if rule.bysetpos else _selection(rule, start)
    if when is None:
        return f"{head} (volgens de regel {raw})"
    return head + when


# --------------------------------------------------------------------------- imported rules

_WORKDAYS = frozenset(range(5))
_ORDINAL_WORDS = ("eerste", "tweede", "derde", "vierde", "vijfde", "zesde", "zevende", "achtste",
                  "negende", "tiende")
_NUMBER_WORDS = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")


def _selection(rule: Rule, start: date | None) -> str | None:
    """What follows "Elke maand" for a rule without BYSETPOS: " op ...", months, notes."""
    if rule.freq == "DAILY":
        return _daily(rule)
    if rule.freq == "WEEKLY":
        days = [WEEKDAYS_LONG[day] for _ordinal, day in rule.byday]
        when = f" op {join(days)}" if days else ""
        return when + _months(rule.bymonth, bool(when))
    if rule.freq == "MONTHLY":
        when, notes = _in_month(rule, _months_reached(rule, start))
        return when + _months(rule.bymonth, bool(when)) + _notes(notes)
    return _yearly(rule, start)


def _daily(rule: Rule) -> str:
    """Every N days (N > 1, or with only a month filter): the other parts only filter."""
    conditions = []
    if rule.byday:
        conditions.append("een " + join([WEEKDAYS_LONG[day] for _o, day in rule.byday], "of"))
    if rule.bymonthday:
        conditions.append(_monthday_list(rule.bymonthday, "of") + " van de maand")
    when = f", als dat {join(conditions)} is" if conditions else ""
    return when + _months(rule.bymonth, bool(when))


def _in_month(rule: Rule, reached: set[int]) -> tuple[str, list[str]]:
    """" op ..." for the days a month-based rule picks within each month, and the notes on
    months that lack such a day."""
    plain = [WEEKDAYS_LONG[day] for ordinal, day in rule.byday if not ordinal]
    ordinals = sorted((d for d in rule.byday if d[0]), key=lambda d: (d[0] < 0, abs(d[0]), d[1]))
    nth = [_nth_weekday(ordinal, day) for ordinal, day in ordinals]
    days = rule.bymonthday
    notes = _missing_days(days, reached) + _missing_fifth(rule, reached)
    if not days:
        return (f" op {join(plain + nth)}" if plain or nth else ""), notes
    if not rule.byday:
        text = _monthday_list(days)
        if all(-2 <= day < 0 for day in days):
            text += " van de maand"
        return f" op {text}", notes
    positive = [str(day) for day in days if day > 0]
    if not nth and len(positive) == len(days):
        return f" op een {join(plain, 'of')} die op dag {join(positive, 'of')} valt", notes
    if not nth:
        return f" op {_monthday_list(days)}, als dat een {join(plain, 'of')} is", notes
    return f" op {join(plain + nth)}, als dat {_monthday_list(days, 'of')} is", notes


def _yearly(rule: Rule, start: date | None) -> str | None:
    if rule.byweekno:
        if rule.bymonthday or rule.byyearday:
            return None
        weeks = _week_list(rule.byweekno)
        days = [WEEKDAYS_LONG[day] for _ordinal, day in rule.byday]
        when = f" in {weeks} op {join(days)}" if days else f" op elke dag van {weeks}"
        notes = []
        if any(abs(week) == 53 for week in rule.byweekno):
            every = all(abs(week) == 53 for week in rule.byweekno)
            notes.append(("alleen" if every else "week 53 alleen") + " in jaren met 53 weken")
        return when + _months(rule.bymonth, True) + _notes(notes)
    if rule.byyearday:
        if rule.bymonthday or any(ordinal for ordinal, _day in rule.byday):
            return None
        when = f" op {_yearday_list(rule.byyearday)}"
        if rule.byday:
            when += f", als dat een {join([WEEKDAYS_LONG[d] for _o, d in rule.byday], 'of')} is"
        notes = []
        if any(abs(day) == 366 for day in rule.byyearday):
            every = all(abs(day) == 366 for day in rule.byyearday)
            notes.append(("alleen" if every else "dag 366 alleen") + " in schrikkeljaren")
        return when + _months(rule.bymonth, True) + _notes(notes)
    if not rule.bymonth:  # ordinals count in the whole year (the rest reads as monthly/weekly)
        return _in_year(rule)
    reached = set(rule.bymonth)
    when, notes = _in_month(rule, reached)
    if len(rule.bymonth) == 1:
        month = month_name(rule.bymonth[0])
        days, byday = rule.bymonthday, rule.byday
        if len(days) == 1 and days[0] > 0 and not byday:
            if days[0] == 29 and rule.bymonth == (2,):
                notes = ["alleen in schrikkeljaren"]
            return f" op {days[0]} {month}" + _notes(notes)
        if days and not byday and all(-2 <= day < 0 for day in days):
            return f" op {_monthday_list(days)} van {month}" + _notes(notes)
        if len(byday) == 1 and byday[0][0] and not days:
            return f" op {_nth_weekday(*byday[0])} van {month}" + _notes(notes)
    return when + _months(rule.bymonth, bool(when)) + _notes(notes)


def _in_year(rule: Rule) -> str | None:
    """Yearly, no BYMONTH, with BYDAY ordinals: "de 20e maandag van het jaar"."""
    plain = [WEEKDAYS_LONG[day] for ordinal, day in rule.byday if not ordinal]
    ordinals = sorted((d for d in rule.byday if d[0]), key=lambda d: (d[0] < 0, abs(d[0]), d[1]))
    if not ordinals:
        return ""  # nothing to choose by (no start date known)
    when = f" op {join(plain + [_nth_weekday(o, d) for o, d in ordinals])} van het jaar"
    if rule.bymonthday:
        when += f", als dat {_monthday_list(rule.bymonthday, 'of')} van de maand is"
    big = [WEEKDAYS_LONG[day] + "en" for ordinal, day in ordinals if abs(ordinal) == 53]
    notes = []
    if big:
        every = len(big) == len(ordinals) and not plain
        notes.append(("alleen in jaren met 53 " if every else "niet elk jaar heeft 53 ")
                     + join(sorted(set(big), key=big.index), "of"))
    return when + _notes(notes)


def _with_setpos(rule: Rule, start: date | None) -> str | None:
    """BYSETPOS picks from each period's dates: "op de laatste werkdag (maandag t/m vrijdag)"."""
    positions = sorted(rule.bysetpos, key=lambda p: (p < 0, p))
    which = join([_position(p) for p in positions])
    weekdays_only = (rule.byday and not (rule.bymonthday or rule.byyearday or rule.byweekno)
                     and not any(ordinal for ordinal, _day in rule.byday))
    months = _months(rule.bymonth, True) if rule.freq != "YEARLY" else ""
    if weekdays_only:
        chosen = {day for _ordinal, day in rule.byday}
        noun, aside = join([WEEKDAYS_LONG[day] for day in sorted(chosen)], "of"), ""
        if chosen == _WORKDAYS:
            noun, aside = "werkdag", " (maandag t/m vrijdag)"
        elif len(chosen) == 7:
            noun = "dag"
        scope = ""
        if rule.freq == "YEARLY":
            names = [month_name(month) for month in rule.bymonth]
            scope = (" van het jaar" if not names else f" van {names[0]}" if len(names) == 1
                     else f" van {join(names)} samen")
        return f" op de {which} {noun}{scope}{aside}{months}"
    inner_rule = replace(rule, bysetpos=(), bymonth=() if months else rule.bymonth)
    inner = _selection(inner_rule, start)
    if not inner or not inner.startswith(" op "):
        return None
    return f" op de {which} van: {inner[len(' op '):]}{months}"


# --------------------------------------------------------------------------- small phrases


def _position(position: int) -> str:
    """BYSETPOS in words: 'eerste', 'tweede', 'laatste', 'voorlaatste', 'op twee na laatste'."""
    if 0 < position <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[position - 1]
    if position > 0:
        return f"{position}e"
    if position == -1:
        return "laatste"
    if position == -2:
        return "voorlaatste"
    if -position - 2 <= len(_NUMBER_WORDS):
        return f"op {_NUMBER_WORDS[-position - 3]} na laatste"
    return f"{-position}e van achteren"


def _monthday_list(days: tuple[int, ...], last: str = "en") -> str:
    """'de 15e', 'dag 1 en 15', 'de laatste dag', 'dag 1 en de laatste dag'."""
    positive = [str(day) for day in days if day > 0]
    from_end = [_day_from_end(day) for day in days if day < 0]
    if len(positive) == 1 and not from_end:
        return f"de {positive[0]}e"
    return join(([f"dag {join(positive, last)}"] if positive else []) + from_end, last)


def _yearday_list(days: tuple[int, ...]) -> str:
    """'de laatste dag van het jaar en dag 60'."""
    from_end = [_day_from_end(day) + " van het jaar" for day in days if day < 0]
    positive = [day for day in days if day > 0]
    if from_end and len(positive) > 1:
        return join(from_end + [f"dag {day}" for day in positive])
    return join(from_end + ([f"dag {join([str(day) for day in positive])}"] if positive else []))


def _week_list(weeks: tuple[int, ...]) -> str:
    """'week 20', 'week 1 en 20', 'de laatste week', 'week 1 en de laatste week'."""
    from_end = []
    for week in weeks:
        if week == -1:
            from_end.append("de laatste week")
        elif week == -2:
            from_end.append("de voorlaatste week")
        elif week < 0:
            from_end.append(f"week {-week} van achteren")
    positive = [str(week) for week in weeks if week > 0]
    if from_end and len(positive) > 1:
        return join(from_end + [f"week {week}" for week in positive])
    return join(([f"week {join(positive)}"] if positive else []) + from_end)


def _months_reached(rule: Rule, start: date | None) -> set[int]:
    """The months a monthly rule has periods in (INTERVAL counts from the start's month)."""
    months = set(rule.bymonth or range(1, 13))
    if start is not None and rule.interval > 1:
        months &= {(start.month - 1 + k * rule.interval) % 12 + 1 for k in range(12)}
    return months


def _missing_days(days: tuple[int, ...], reached: set[int]) -> list[str]:
    """A note when a chosen day (29-31, or -29 to -31) is missing in a month the rule visits."""
    def has(month: int, day: int) -> bool:
        return abs(day) <= (28 if month == 2 else longest_month(month))

    if all(has(month, day) for month in reached for day in days):
        return []
    if len(days) > 1:
        return ["een dag die een maand niet heeft, wordt overgeslagen"]
    if reached == {2}:
        return ["alleen in schrikkeljaren"]
    return ["maanden zonder die dag worden overgeslagen"]


def _missing_fifth(rule: Rule, reached: set[int]) -> list[str]:
    """A note when a 5th (or 5th from the end) weekday is chosen: not every month has one."""
    fifths = [WEEKDAYS_LONG[day] for ordinal, day in rule.byday if abs(ordinal) == 5]
    if not fifths:
        return []
    if len(fifths) < len(rule.byday) or rule.bymonthday:
        return [f"niet elke maand heeft een 5e {join(fifths, 'of')}"]
    if rule.freq == "YEARLY" and len(reached) == 1:
        month = month_name(next(iter(reached)))
        return [f"alleen in jaren waarin {month} 5 {join([d + 'en' for d in fifths], 'of')} heeft"]
    return [f"maanden zonder 5e {join(fifths, 'of 5e')} worden overgeslagen"]


def _notes(notes: list[str]) -> str:
    return "".join(f" ({note})" for note in notes)


def _day_from_end(day: int) -> str:
    if day == -1:
        return "de laatste dag"
    if day == -2:
        return "de voorlaatste dag"
    return f"de {-day}e dag van achteren"
