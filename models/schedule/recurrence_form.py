"""The planner's schedule form and the RRULE it stands for, in both directions.

Planners pick "elke 2 weken op maandag en donderdag" from a handful of fields; the contract stores
an RFC 5545 RRULE so it can go to and come from calendars. Keeping the translation here (pure)
means the wizard, the edit screen and the preview all agree, and `from_rrule(to_rrule(f))` gives
back the same (normalised) form, so editing an existing contract shows what was chosen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from models.common.dutch_dates import month_name
from models.common.validation import DATE_RANGE_MESSAGE, in_range
from models.schedule.rrule import WEEKDAY_CODES, Rule, ScheduleError, longest_month, parse_rrule

FREQUENCIES = ("dagelijks", "werkdagen", "wekelijks", "maandelijks", "jaarlijks")
MONTHLY_MODES = ("dag", "weekdag")
END_MODES = ("geen", "einddatum", "aantal")
ORDINALS = (1, 2, 3, 4, -1)
WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
MAX_INTERVAL = 99
MAX_COUNT = 999
_FREQ_OF = {
    "dagelijks": "DAILY",
    "werkdagen": "WEEKLY",
    "wekelijks": "WEEKLY",
    "maandelijks": "MONTHLY",
    "jaarlijks": "YEARLY",
}

MESSAGES = {
    "frequency": "Kies hoe vaak het werk terugkomt.",
    "interval": f"Vul een getal van 1 tot en met {MAX_INTERVAL} in.",
    "weekdays": "Kies minstens één weekdag.",
    "monthly_mode": "Kies een dag van de maand of een weekdag.",
    "day_of_month": "Vul een dag van 1 tot en met 31 in.",
    "ordinal": "Kies eerste, tweede, derde, vierde of laatste.",
    "ordinal_weekday": "Kies een weekdag.",
    "month": "Kies een maand.",
    "season_months": "Kies maanden van januari tot en met december.",
    "end_mode": "Kies hoe het schema eindigt.",
    "until": "Vul een geldige einddatum in.",
    "count": f"Vul een aantal van 1 tot en met {MAX_COUNT} in.",
}


@dataclass
class RecurrenceForm:
    frequency: str = "maandelijks"
    interval: int = 1
    weekdays: tuple[str, ...] = ()
    monthly_mode: str = "dag"
    day_of_month: int | None = None
    ordinal: int | None = None
    ordinal_weekday: str | None = None
    month: int | None = None
    season_months: tuple[int, ...] = ()
    end_mode: str = "geen"
    until: date | None = None
    count: int | None = None


# --------------------------------------------------------------------------- checking


def relevant_fields(form: RecurrenceForm) -> set[str]:
    """The fields that mean something for the chosen frequency, mode and end."""
    fields = {"frequency", "interval", "end_mode"}
    if form.frequency == "wekelijks":
        fields.add("weekdays")
    if form.frequency in ("dagelijks", "werkdagen", "wekelijks", "maandelijks"):
        fields.add("season_months")
    if form.frequency in ("maandelijks", "jaarlijks"):
        fields.add("monthly_mode")
        if form.monthly_mode == "weekdag":
            fields |= {"ordinal", "ordinal_weekday"}
        elif form.monthly_mode == "dag":
            fields.add("day_of_month")
    if form.frequency == "jaarlijks":
        fields.add("month")
    if form.end_mode == "einddatum":
        fields.add("until")
    elif form.end_mode == "aantal":
        fields.add("count")
    return fields


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def form_errors(form: RecurrenceForm) -> dict[str, str]:
    """Dutch messages per field, only for the fields that matter for this choice."""
    errors: dict[str, str] = {}
    fields = relevant_fields(form)
    if form.frequency not in FREQUENCIES:
        errors["frequency"] = MESSAGES["frequency"]
    if not (_is_int(form.interval) and 1 <= form.interval <= MAX_INTERVAL):
        errors["interval"] = MESSAGES["interval"]
    if "weekdays" in fields and (
        not form.weekdays or any(day not in WEEKDAY_CODES for day in form.weekdays)
    ):
        errors["weekdays"] = MESSAGES["weekdays"]
    if "monthly_mode" in fields and form.monthly_mode not in MONTHLY_MODES:
        errors["monthly_mode"] = MESSAGES["monthly_mode"]
    if "month" in fields and not (_is_int(form.month) and 1 <= form.month <= 12):
        errors["month"] = MESSAGES["month"]
    if "day_of_month" in fields:
        day = form.day_of_month
        if not (_is_int(day) and 1 <= day <= 31):
            errors["day_of_month"] = MESSAGES["day_of_month"]
        elif "month" in fields and "month" not in errors and day > longest_month(form.month):
            name = month_name(form.month).capitalize()
            how_many = "hooguit 29" if form.month == 2 else str(longest_month(form.month))
            errors["day_of_month"] = f"{name} heeft {how_many} dagen."
    if "ordinal" in fields and form.ordinal not in ORDINALS:
        errors["ordinal"] = MESSAGES["ordinal"]
    if "ordinal_weekday" in fields and form.ordinal_weekday not in WEEKDAY_CODES:
        errors["ordinal_weekday"] = MESSAGES["ordinal_weekday"]
    if "season_months" in fields and any(
        not (_is_int(month) and 1 <= month <= 12) for month in form.season_months
    ):
        errors["season_months"] = MESSAGES["season_months"]
    if form.end_mode not in END_MODES:
        errors["end_mode"] = MESSAGES["end_mode"]
    if "until" in fields and not isinstance(form.until, date):
        errors["until"] = MESSAGES["until"]
    elif "until" in fields and not in_range(form.until):
        errors["until"] = DATE_RANGE_MESSAGE
    if "count" in fields and not (_is_int(form.count) and 1 <= form.count <= MAX_COUNT):
        errors["count"] = MESSAGES["count"]
    return errors


def normalise(form: RecurrenceForm) -> RecurrenceForm:
    """The same choice with irrelevant fields cleared and lists in canonical order.

    Two forms that mean the same schedule normalise to equal forms; "wekelijks on Monday to
    Friday" is "werkdagen".
    """
    weekdays = tuple(day for day in WEEKDAY_CODES if day in form.weekdays)
    frequency = form.frequency
    if frequency == "wekelijks" and weekdays == WORKDAYS:
        frequency = "werkdagen"
    season = tuple(sorted(set(form.season_months)))
    if season == tuple(range(1, 13)):
        season = ()
    clean = RecurrenceForm(frequency=frequency, interval=form.interval, end_mode=form.end_mode)
    fields = relevant_fields(replace(form, frequency=frequency))
    if "weekdays" in fields and frequency == "wekelijks":
        clean.weekdays = weekdays
    if "season_months" in fields:
        clean.season_months = season
    if "monthly_mode" in fields:
        clean.monthly_mode = form.monthly_mode
        if form.monthly_mode == "weekdag":
            clean.ordinal, clean.ordinal_weekday = form.ordinal, form.ordinal_weekday
        else:
            clean.day_of_month = form.day_of_month
    if "month" in fields:
        clean.month = form.month
    if form.end_mode == "einddatum":
        clean.until = form.until
    elif form.end_mode == "aantal":
        clean.count = form.count
    return clean


# --------------------------------------------------------------------------- form -> RRULE


def _day_parts(day: int) -> tuple[str, str | None]:
    """BYMONTHDAY (and BYSETPOS) for "day X": 29-31 fall back to the month's last day."""
    if day <= 28:
        return str(day), None
    return ",".join(str(d) for d in range(28, day + 1)), "-1"


def to_rrule(form: RecurrenceForm) -> str:
    """The RRULE for a valid form (check form_errors first; raises ValueError otherwise)."""
    errors = form_errors(form)
    if errors:
        raise ValueError(f"invalid recurrence form: {errors}")
    form = normalise(form)
    parts: dict[str, str | None] = dict.fromkeys(
        ("FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "COUNT", "UNTIL")
    )
    parts["FREQ"] = _FREQ_OF[form.frequency]
    if form.interval != 1:
        parts["INTERVAL"] = str(form.interval)
    if form.season_months:
        parts["BYMONTH"] = ",".join(str(month) for month in form.season_months)
    if form.frequency == "werkdagen":
        parts["BYDAY"] = ",".join(WORKDAYS)
    elif form.frequency == "wekelijks":
        parts["BYDAY"] = ",".join(form.weekdays)
    elif form.frequency in ("maandelijks", "jaarlijks"):
        if form.frequency == "jaarlijks":
            parts["BYMONTH"] = str(form.month)
        if form.monthly_mode == "weekdag":
            parts["BYDAY"] = f"{form.ordinal}{form.ordinal_weekday}"
        elif form.frequency == "jaarlijks" and not (form.month == 2 and form.day_of_month == 29):
            parts["BYMONTHDAY"] = str(form.day_of_month)  # exists every year
        else:
            parts["BYMONTHDAY"], parts["BYSETPOS"] = _day_parts(form.day_of_month)
    if form.end_mode == "aantal":
        parts["COUNT"] = str(form.count)
    elif form.end_mode == "einddatum":
        parts["UNTIL"] = form.until.strftime("%Y%m%d")
    return ";".join(f"{name}={value}" for name, value in parts.items() if value is not None)


# --------------------------------------------------------------------------- RRULE -> form


def _day_of_month(rule: Rule, month: int | None) -> int | None:
    """The X of "day X (or the month's last day)" that the rule's day parts mean, if any.

    A single day counts when it exists in every period (monthly: up to 28; yearly: up to the
    month's length, 28 for February); otherwise only the clamp 28..X with BYSETPOS=-1 does.
    """
    days, setpos = rule.bymonthday, rule.bysetpos
    always = 28 if month in (None, 2) else longest_month(month)
    if len(days) == 1 and not setpos and 1 <= days[0] <= always:
        return days[0]
    if setpos == (-1,) and len(days) >= 2 and days == tuple(range(28, days[-1] + 1)):
        return days[-1] if month is None else min(days[-1], longest_month(month))
    return None


def from_rrule(rrule: str) -> RecurrenceForm | None:
    """The (normalised) form for an RRULE, or None when the form cannot express it exactly."""
    try:
        rule = parse_rrule(rrule)
    except (ScheduleError, TypeError):
        return None
    if rule.wkst not in (None, 0) or rule.byyearday or rule.byweekno:
        return None
    if not 1 <= rule.interval <= MAX_INTERVAL or (rule.count or 0) > MAX_COUNT:
        return None
    form = RecurrenceForm(interval=rule.interval)
    if rule.count is not None:
        form.end_mode, form.count = "aantal", rule.count
    elif rule.until is not None:
        form.end_mode, form.until = "einddatum", rule.until
    plain_days = tuple(WEEKDAY_CODES[day] for ordinal, day in rule.byday if not ordinal)
    has_ordinal = any(ordinal for ordinal, _day in rule.byday)
    if rule.freq in ("DAILY", "WEEKLY"):
        if rule.bymonthday or rule.bysetpos or has_ordinal:
            return None
        form.season_months = rule.bymonth
        if rule.freq == "DAILY" and not rule.byday:
            form.frequency = "dagelijks"
        elif plain_days == WORKDAYS and (rule.freq == "WEEKLY" or rule.interval == 1):
            form.frequency = "werkdagen"  # FREQ=DAILY;BYDAY=MO..FR is the same every workday
        elif rule.freq == "WEEKLY" and plain_days:
            form.frequency, form.weekdays = "wekelijks", plain_days
        else:
            return None
        return normalise(form)

    form.frequency = "maandelijks" if rule.freq == "MONTHLY" else "jaarlijks"
    if rule.freq == "MONTHLY":
        form.season_months = rule.bymonth
    elif len(rule.bymonth) == 1:
        form.month = rule.bymonth[0]
    else:
        return None
    if len(rule.byday) == 1 and has_ordinal and not rule.bymonthday and not rule.bysetpos:
        ordinal, day = rule.byday[0]
        if ordinal not in ORDINALS:
            return None
        form.monthly_mode = "weekdag"
        form.ordinal, form.ordinal_weekday = ordinal, WEEKDAY_CODES[day]
    elif not rule.byday and rule.bymonthday:
        day = _day_of_month(rule, form.month)
        if day is None:  # e.g. strict day 31 (skips short months) or several days
            return None
        form.monthly_mode, form.day_of_month = "dag", day
    else:
        return None
    return None if form_errors(form) else normalise(form)


# --------------------------------------------------------------------------- raw HTML input

_INT_TEXT = re.compile(r"\s*[+-]?[0-9]{1,6}\s*\Z")


def _values(mapping: Mapping, key: str, split: bool = True) -> list[str]:
    """All submitted values for `key`, from a MultiDict, a dict of lists or a dict of strings
    (list fields also accept one comma-separated string)."""
    if hasattr(mapping, "getlist"):
        raw = mapping.getlist(key)
    else:
        raw = mapping.get(key)
        raw = [] if raw is None else raw if isinstance(raw, list | tuple) else [raw]
    values = []
    for item in raw:
        parts = str(item).split(",") if split else [str(item)]
        values.extend(part.strip() for part in parts if part.strip())
    return values


def _int(text: str) -> int | None:
    return int(text) if _INT_TEXT.match(text) else None


def _date(text: str) -> date | None:
    """ISO (from <input type=date>) or Dutch d-m-jjjj."""
    iso = re.fullmatch(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
    dutch = re.fullmatch(r"([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})", text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if dutch:
            return date(int(dutch[3]), int(dutch[2]), int(dutch[1]))
    except ValueError:
        return None
    return None


def parse_form(mapping: Mapping) -> tuple[RecurrenceForm, dict[str, str]]:
    """Read the raw form strings; never raises. Unreadable input leaves the field at its default
    and gives a Dutch message (the view re-renders the planner's own text from the request)."""
    form = RecurrenceForm()
    errors: dict[str, str] = {}

    def scalar(key: str) -> str | None:
        values = _values(mapping, key, split=False) if key in mapping else None
        if values is None:
            return None
        return values[-1] if values else ""

    try:
        for key in ("frequency", "monthly_mode", "end_mode"):
            text = scalar(key)
            if text is not None:
                setattr(form, key, text.lower())
        ordinal_weekday = scalar("ordinal_weekday")
        if ordinal_weekday:
            form.ordinal_weekday = ordinal_weekday.upper()
        for key in ("interval", "day_of_month", "ordinal", "month", "count"):
            text = scalar(key)
            if text is None or (text == "" and key != "interval"):
                continue
            number = _int(text)
            if number is None:
                errors[key] = MESSAGES[key]
            else:
                setattr(form, key, number)
        text = scalar("until")
        if text:
            form.until = _date(text)
            if form.until is None:
                errors["until"] = MESSAGES["until"]
        form.weekdays = tuple(day.upper() for day in _values(mapping, "weekdays"))
        months = [_int(text) for text in _values(mapping, "season_months")]
        if None in months:
            errors["season_months"] = MESSAGES["season_months"]
        form.season_months = tuple(month for month in months if month is not None)
    except Exception:  # a view must get a form back, whatever was posted
        return RecurrenceForm(), {"frequency": MESSAGES["frequency"]}

    fields = relevant_fields(form)
    errors = {key: message for key, message in errors.items() if key in fields}
    for key, message in form_errors(form).items():
        errors.setdefault(key, message)
    return form, errors


def with_defaults(form: RecurrenceForm, start: date) -> RecurrenceForm:
    """Fill the day/weekday/month fields a planner has not chosen yet from the start date, so a
    fresh form previews something sensible."""
    filled = replace(form)
    if filled.frequency == "wekelijks" and not filled.weekdays:
        filled.weekdays = (WEEKDAY_CODES[start.weekday()],)
    if filled.frequency in ("maandelijks", "jaarlijks"):
        if filled.monthly_mode == "weekdag":
            if filled.ordinal is None:  # the 29th-31st are always the last of their weekday
                nth = (start.day - 1) // 7 + 1
                filled.ordinal = nth if nth <= 4 else -1
            if filled.ordinal_weekday is None:
                filled.ordinal_weekday = WEEKDAY_CODES[start.weekday()]
        elif filled.day_of_month is None:
            filled.day_of_month = start.day
    if filled.frequency == "jaarlijks" and filled.month is None:
        filled.month = start.month
    return filled
