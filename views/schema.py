"""/schema-preview: try a terugkerend schema and see its next dates live."""

from flask import Blueprint, render_template, request

from models.schedule import form as schedule_form
from models.schedule import preview as schedule_preview
from models.schedule.holiday_calendar import HOLIDAY_KINDS
from models.stamdata import calendar_store
from views.render import render, wants_fragment
from views.today import local_today

bp = Blueprint("schema", __name__)
TEMPLATE = "schema/preview.html"


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
        context.update(values=schedule_form.form_values(data, raw),
                       policy_labels=schedule_form.POLICY_LABELS, holiday_kinds=HOLIDAY_KINDS)
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
