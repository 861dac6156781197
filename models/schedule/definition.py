"""What a schedule is (`Schedule`, and the `Occurrence` and `Lost` dates it gives) and when it
is valid: every problem as a Dutch message at the field the planner can change.

Pure: validation proves "never a date" without expanding (models.schedule.rule_dates).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from models.common.dutch_dates import short_date
from models.common.validation import DATE_RANGE_MESSAGE, in_range
from models.schedule.rrule import Rule, ScheduleError, parse_rrule
from models.schedule.rule_dates import first_raw_date, never_produces, weekdays_produced

POLICIES = ("ignore", "next_workday", "previous_workday", "skip")
MAX_DAYS_IN_ADVANCE = 365
# the years a date may have: models.common.validation (FIRST_YEAR, LAST_YEAR), one range for the app


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


def make_occurrence(
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



def is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _basic_problems(schedule: Schedule) -> dict[str, str]:
    """Everything that can be checked without expanding the rule (cheap: run on every call)."""
    problems: dict[str, str] = {}
    start, end = schedule.start_date, schedule.end_date
    start_ok = False
    if not is_date(start):
        problems["start_date"] = "Vul een geldige startdatum in."
    elif not in_range(start):
        problems["start_date"] = DATE_RANGE_MESSAGE
    else:
        start_ok = True
    if end is not None:
        if not is_date(end):
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
        dates = all(is_date(d) for d in values)
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
    elif never_produces(rule, start):
        problems["rrule"] = "Deze regel levert nooit een datum op."
    elif (end is not None or rule.until is not None) and first_raw_date(rule, start, end) is None:
        problems["rrule"] = "Deze regel levert geen enkele datum op tussen begin en einde."
    weekdays = weekdays_produced(rule, start)
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


def checked_rule(schedule: Schedule) -> Rule:
    """The parsed rule of a schedule that passes the cheap checks (run on every expansion)."""
    for field, message in _basic_problems(schedule).items():
        raise ScheduleError(field, message)
    return parse_rrule(schedule.rrule)
