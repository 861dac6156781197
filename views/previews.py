"""The live schedule preview as an htmx fragment: the preview region plus each field's error out
of band. Shared by /schema-preview and the plan steps of the contract wizard, so both answer
the same way while the planner types.
"""

from flask import render_template

# a werkbon whose day to be made is today or already past is made when the contract is saved
MADE_AT_SAVE = "direct bij opslaan"

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
