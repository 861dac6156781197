"""/schema-preview: try a terugkerend schema and see its next dates live."""

from flask import Blueprint, render_template, request

from models import calendar_store, schedule_form, schedule_preview
from models import recurrence_form as rf
from models.holiday_calendar import HOLIDAY_KINDS
from views.render import render, wants_fragment
from views.today import local_today

bp = Blueprint("schema", __name__)
TEMPLATE = "schema/preview.html"


LIST_FIELDS = ("weekdays", "season_months")
SCALAR_FIELDS = ("start_date", "end_date", "frequency", "interval", "monthly_mode", "day_of_month",
                 "ordinal", "ordinal_weekday", "month", "end_mode", "until", "count", "holidays",
                 "weekends", "days_in_advance")


def form_values(data: schedule_form.ScheduleInput, raw=None) -> dict:
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


def _prefill_hidden(values: dict, data: schedule_form.ScheduleInput) -> None:
    """Fields hidden for the current frequency start from the start date, so switching to
    "wekelijks" or "op de 2e dinsdag" shows a sensible choice at once instead of an error."""
    form = data.form
    for frequency, mode in (("wekelijks", "dag"), ("jaarlijks", "dag"), ("maandelijks", "weekdag")):
        if form.frequency == frequency and (frequency != "maandelijks"
                                            or form.monthly_mode == mode):
            continue  # that choice is on show: its fields hold the planner's own values
        filled = rf.with_defaults(rf.RecurrenceForm(frequency=frequency, monthly_mode=mode),
                                  data.start_date)
        if frequency == "wekelijks" and not values["weekdays"]:
            values["weekdays"] = list(filled.weekdays)
        for name in ("day_of_month", "month", "ordinal", "ordinal_weekday"):
            if not values.get(name) and getattr(filled, name) is not None:
                values[name] = str(getattr(filled, name))


# a werkbon whose day to be made is today or already past is made when the contract is saved
MADE_AT_SAVE = "direct bij opslaan"


def preview_context(data: schedule_form.ScheduleInput, today, raw=None, inputs=True):
    """What the preview needs; `inputs=False` for the htmx fragment, which never re-renders
    the inputs (so their values are not worked out)."""
    preview = None
    if data.schedule is not None:
        preview = schedule_preview.build(data.schedule, calendar_store.free_days(), today)
    context = {"data": data, "preview": preview, "today": today, "errors": data.errors,
               "made_now": MADE_AT_SAVE}
    if inputs:
        context.update(values=form_values(data, raw), policy_labels=schedule_form.POLICY_LABELS,
                       holiday_kinds=HOLIDAY_KINDS)
    return context


FRAGMENTS = "schema/fragmenten.html"
# the error slots each page has (an out-of-band swap needs its target on the page)
RECURRENCE_SLOTS = ("rrule", "frequency", "interval", "weekdays", "monthly_mode", "day_of_month",
                    "ordinal", "ordinal_weekday", "month", "season_months", "end_mode", "until",
                    "count", "holidays", "weekends", "days_in_advance")
SLOTS = {"preview": ("start_date", "end_date") + RECURRENCE_SLOTS,
         "schema": RECURRENCE_SLOTS,
         "aantal": ("rrule", "visits_per_year", "holidays", "weekends", "days_in_advance")}


def preview_fragment(context: dict, page: str = "preview"):
    """The preview region plus the field errors out of band; on invalid input only the errors
    (the last valid preview stays, greyed by the `verouderd` marker)."""
    body = render_template(FRAGMENTS, slots=SLOTS[page], **context)
    if context["errors"]:
        return body, 422, {"HX-Reswap": "none"}
    return body, 200, {}


@bp.route("/schema-preview")
def preview():
    today = local_today()
    if request.args:  # the planner's input: an emptied start date is an error, not today
        data = schedule_form.parse(request.args)
    else:
        data = schedule_form.initial(today)
    if wants_fragment():
        return preview_fragment(preview_context(data, today, inputs=False))
    context = preview_context(data, today, request.args)
    return render(TEMPLATE, status=422 if data.errors else 200, fresh=not request.args,
                  **context)
