"""The whole schedule block of a form (recurrence + period + policies + dagen van tevoren) read
from raw request values into a Schedule, with Dutch errors per field. Pure: the schema preview
page, the contract wizard and the API all read schedules through here."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from models.schedule.definition import MAX_DAYS_IN_ADVANCE, POLICIES, Schedule, validate_all
from models.schedule.recurrence_form import RecurrenceForm, parse_form, to_rrule, with_defaults

POLICY_LABELS = {
    "ignore": "Niets doen",
    "next_workday": "Naar de volgende werkdag",
    "previous_workday": "Naar de vorige werkdag",
    "skip": "Overslaan",
}
MESSAGES = {
    "start_date": "Vul een geldige startdatum in.",
    "start_date_missing": "Vul een startdatum in.",
    "end_date": "Vul een geldige einddatum in.",
    "days_in_advance": f"Vul een aantal dagen van 0 tot en met {MAX_DAYS_IN_ADVANCE} in.",
    "holidays": "Kies wat er gebeurt op een feestdag.",
    "weekends": "Kies wat er gebeurt in het weekend.",
    "until_before_start": "Deze datum ligt vóór de startdatum.",
}


@dataclass
class ScheduleInput:
    form: RecurrenceForm
    start_date: date | None = None
    end_date: date | None = None
    holidays: str = "ignore"
    weekends: str = "ignore"
    days_in_advance: int = 0
    errors: dict[str, str] = field(default_factory=dict)
    schedule: Schedule | None = None  # set when there are no errors

    @property
    def rrule(self) -> str | None:
        return self.schedule.rrule if self.schedule else None


def _scalar(raw: Mapping, key: str) -> str:
    if hasattr(raw, "getlist"):
        values = raw.getlist(key)
    else:
        value = raw.get(key)
        values = value if isinstance(value, list) else ([] if value is None else [value])
    return str(values[-1]).strip() if values else ""


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse(raw: Mapping, default_start: date | None = None) -> ScheduleInput:
    """Never raises: whatever was posted comes back as values plus Dutch errors."""
    form, errors = parse_form(raw)
    result = ScheduleInput(form=form, errors=errors)

    text = _scalar(raw, "start_date")
    if text:
        result.start_date = _date(text)
        if result.start_date is None:
            errors["start_date"] = MESSAGES["start_date"]
    elif default_start is not None:
        result.start_date = default_start
    else:
        errors["start_date"] = MESSAGES["start_date_missing"]

    text = _scalar(raw, "end_date")
    if text:
        result.end_date = _date(text)
        if result.end_date is None:
            errors["end_date"] = MESSAGES["end_date"]

    for key in ("holidays", "weekends"):
        text = _scalar(raw, key) or "ignore"
        if text in POLICIES:
            setattr(result, key, text)
        else:
            errors[key] = MESSAGES[key]

    text = _scalar(raw, "days_in_advance") or "0"
    try:
        result.days_in_advance = int(text)
        if not 0 <= result.days_in_advance <= MAX_DAYS_IN_ADVANCE:
            errors["days_in_advance"] = MESSAGES["days_in_advance"]
    except ValueError:
        errors["days_in_advance"] = MESSAGES["days_in_advance"]

    if errors:
        return result
    schedule = Schedule(
        start_date=result.start_date, rrule=to_rrule(form), end_date=result.end_date,
        holidays=result.holidays, weekends=result.weekends,
        days_in_advance=result.days_in_advance,
    )
    problems = validate_all(schedule)
    if problems:
        errors.update(problems)
        if form.end_mode == "einddatum" and form.until < result.start_date:
            # the rule's UNTIL is the form's "tot en met": say it there, in its words
            errors["until"] = MESSAGES["until_before_start"]
            errors.pop("rrule", None)
        elif "rrule" in errors:
            # A rule that gives no date is the planner's choice of fields, not a "regel" he
            # sees: say it at the field he can change, in his words (it sat above the form)
            field, message = _no_date_field(form, result, errors["rrule"])
            if field:
                errors[field] = message
                errors.pop("rrule")
        return result
    result.schedule = schedule
    return result


NO_DATE = ("Dit schema levert nooit een datum op (bijvoorbeeld een dag die in de gekozen "
           "maanden niet voorkomt); kies een andere dag, andere maanden of een andere herhaling.")
NO_DATE_IN_PERIOD = "Tussen de startdatum en deze einddatum valt geen enkele datum van het schema."


def _no_date_field(form, result, problem: str) -> tuple[str | None, str]:
    """(field, message) for validate_all's "no date" problems; (None, "") for other ones."""
    if "tussen begin en einde" in problem and form.end_mode == "einddatum" and (
            result.end_date is None or form.until <= result.end_date):
        return "until", NO_DATE_IN_PERIOD  # (a contract's end date is not on every page)
    if "nooit een datum" in problem:
        return "frequency", NO_DATE
    return None, ""


def initial(start: date) -> ScheduleInput:
    """A fresh form: monthly on the start date's day."""
    form = with_defaults(RecurrenceForm(), start)
    return parse_values(form, start)


def parse_values(form: RecurrenceForm, start: date, **kwargs) -> ScheduleInput:
    result = ScheduleInput(form=form, start_date=start, **kwargs)
    schedule = Schedule(start_date=start, rrule=to_rrule(form), end_date=result.end_date,
                        holidays=result.holidays, weekends=result.weekends,
                        days_in_advance=result.days_in_advance)
    result.errors = validate_all(schedule)
    result.schedule = None if result.errors else schedule
    return result


# --------------------------------------------------------------------------- showing

LIST_FIELDS = ("weekdays", "season_months")
SCALAR_FIELDS = ("start_date", "end_date", "frequency", "interval", "monthly_mode", "day_of_month",
                 "ordinal", "ordinal_weekday", "month", "end_mode", "until", "count", "holidays",
                 "weekends", "days_in_advance")


def form_values(data: ScheduleInput, raw=None) -> dict:
    """What the inputs show: the planner's own text where there is any (never lose typing),
    otherwise the parsed values."""
    form = data.form
    parsed = {
        "start_date": data.start_date, "end_date": data.end_date, "holidays": data.holidays,
        "weekends": data.weekends, "days_in_advance": data.days_in_advance,
        **{name: getattr(form, name) for name in SCALAR_FIELDS if hasattr(form, name)},
    }
    values = {k: "" if v is None else (v.isoformat() if hasattr(v, "isoformat") else str(v))
              for k, v in parsed.items()}
    values["weekdays"] = list(form.weekdays)
    values["season_months"] = [str(m) for m in form.season_months]
    if raw:
        for name in SCALAR_FIELDS:
            if name in raw:
                values[name] = raw.get(name, "")
        for name in LIST_FIELDS:
            values[name] = raw.getlist(name) if hasattr(raw, "getlist") else raw.get(name, [])
    if data.start_date:
        _prefill_hidden(values, data)
    return values


def _prefill_hidden(values: dict, data: ScheduleInput) -> None:
    """Fields hidden for the current frequency start from the start date, so switching to
    "wekelijks" or "op de 2e dinsdag" shows a sensible choice at once instead of an error."""
    form = data.form
    for frequency, mode in (("wekelijks", "dag"), ("jaarlijks", "dag"), ("maandelijks", "weekdag")):
        if form.frequency == frequency and (frequency != "maandelijks"
                                            or form.monthly_mode == mode):
            continue  # that choice is on show: its fields hold the planner's own values
        filled = with_defaults(RecurrenceForm(frequency=frequency, monthly_mode=mode),
                               data.start_date)
        if frequency == "wekelijks" and not values["weekdays"]:
            values["weekdays"] = list(filled.weekdays)
        for name in ("day_of_month", "month", "ordinal", "ordinal_weekday"):
            if not values.get(name) and getattr(filled, name) is not None:
                values[name] = str(getattr(filled, name))
