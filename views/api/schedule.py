"""POST /api/v1/schedule/preview: the same preview the planner sees, as JSON."""

from flask import jsonify

from models.common.validation import (
    DATE_LIST,
    DATE_RANGE_MESSAGE,
    INTEGER,
    TEXT,
    in_range,
    iso_date,
)
from models.schedule.definition import Schedule, validate_all
from models.schedule.describe import describe
from models.schedule.expand import occurrences
from models.schedule.rrule import ScheduleError
from models.stamdata import calendar_store
from views.api import bp, errors, json_body, schemas, typed
from views.api.access import needs
from views.today import local_today

ALLOWED = {"start_date", "end_date", "rrule", "holidays", "weekends", "days_in_advance",
           "extra_dates", "skip_dates", "after", "count"}
MAX_COUNT = 500
TYPES = {"start_date": TEXT, "end_date": TEXT, "rrule": TEXT, "holidays": TEXT, "weekends": TEXT,
         "days_in_advance": INTEGER, "extra_dates": DATE_LIST, "skip_dates": DATE_LIST,
         "after": TEXT, "count": INTEGER}  # JSON types (models.common.validation.type_errors)
DATE_MESSAGE = "Geef een datum als JJJJ-MM-DD."


def _date(value):
    """A JJJJ-MM-DD date, any year: the range is the schedule's rule (validate_all)."""
    return iso_date(value)


def _parse(body: dict):
    """(kwargs for Schedule, after, count, errors)."""
    errs = {key: "Onbekend veld." for key in sorted(set(body) - ALLOWED)}
    kwargs = {}
    for key in ("start_date", "end_date"):
        value = body.get(key)
        if value is None:
            if key == "start_date":
                errs[key] = "Vul een startdatum in."
            continue
        kwargs[key] = _date(value)
        if kwargs[key] is None:
            errs[key] = DATE_MESSAGE
    rrule = body.get("rrule")
    if not isinstance(rrule, str) or not rrule.strip():
        errs["rrule"] = "Geef een herhaalregel (RRULE), bijvoorbeeld FREQ=MONTHLY;BYMONTHDAY=1."
    else:
        kwargs["rrule"] = rrule.strip()
    # every optional field: null is the same as leaving it out (its default)
    for key in ("holidays", "weekends", "days_in_advance"):
        if body.get(key) is not None:
            kwargs[key] = body[key]
    for key in ("extra_dates", "skip_dates"):
        value = body.get(key) or []
        parsed = [_date(v) for v in value] if isinstance(value, list) else [None]
        if None in parsed:
            errs[key] = "Geef een lijst van datums als JJJJ-MM-DD."
        else:
            kwargs[key] = tuple(parsed)
    after = local_today()
    if body.get("after") is not None:
        after = _date(body["after"])
        if after is None:
            errs["after"] = DATE_MESSAGE
        elif not in_range(after):
            errs["after"] = DATE_RANGE_MESSAGE
    count = 12 if body.get("count") is None else body["count"]
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        errs["count"] = f"Kies een aantal van 1 tot en met {MAX_COUNT}."
    return kwargs, after, count, errs


@bp.route("/schedule/preview", methods=["POST"])
@needs("contracten", action="lezen", klant=True)  # computes, reads nothing of a klant
def schedule_preview():
    kwargs, after, count, errs = _parse(typed(json_body(), schemas.PreviewIn))
    if errs:
        return errors(422, **errs)
    schedule = Schedule(**kwargs)
    problems = validate_all(schedule)
    if problems:
        return errors(422, **problems)
    try:
        items, more = occurrences(schedule, calendar_store.free_days(), after, count)
    except ScheduleError as problem:  # e.g. `after` in year 1
        return errors(422, **{problem.field: problem.message})
    return jsonify({
        "rrule": schedule.rrule,
        "description": describe(schedule),
        "occurrences": [
            {"date": o.date.isoformat(), "generate_on": o.generate_on.isoformat(),
             "original_date": o.original_date.isoformat() if o.original_date else None,
             "reason": o.reason}
            for o in items
        ],
        "more": more,
    })
