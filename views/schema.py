"""/schema-preview: try a terugkerend schema and see its next dates live."""

from flask import Blueprint, request

from models.schedule import form as schedule_form
from models.schedule import preview as schedule_preview
from models.schedule.holiday_calendar import HOLIDAY_KINDS
from models.stamdata import calendar_store
from views.previews import MADE_AT_SAVE, preview_fragment
from views.render import render, wants_fragment
from views.today import local_today

bp = Blueprint("schema", __name__)
TEMPLATE = "schema/preview.html"


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
