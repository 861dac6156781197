"""Planning: the planbord, werkbonnen per medewerker per day, and the werkbonnen still to plan.

`/planning/?week=2026-W48` shows one ISO week. Planning a werkbon from the list posts a small
form (medewerker, date, time) that goes through models.werkbonnen.service.change, like every other
change by a person; htmx swaps the board region, without JavaScript the page redirects back.
"""

import re
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from models.common.dutch_dates import short_date
from models.common.validation import DATE_RANGE_MESSAGE, in_range, iso_date
from models.sla import service as sla_service
from models.stamdata import calendar_store
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import objecten as werkbon_objecten
from models.werkbonnen import pager as werkbon_pager
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import STATUSES, Werkbon
from views.render import is_htmx, render
from views.today import local_today
from views.weeks import week_key, week_start

bp = Blueprint("planning", __name__, url_prefix="/planning")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
UNPLANNED_LIMIT = 50
DEFAULT_TIME = "08:00"


def overlapping(items: list[Werkbon]) -> set[int]:
    """Ids of the werkbonnen whose [start, start + duration) intersects another's."""
    spans = [(w.planned_start, w.planned_start + timedelta(minutes=max(w.duration_minutes or 0, 0)),
              w.id) for w in items]
    found = set()
    for i, (start_a, end_a, id_a) in enumerate(spans):
        for start_b, end_b, id_b in spans[i + 1:]:
            if start_a < end_b and start_b < end_a:
                found.update((id_a, id_b))
    return found


def places(werkbonnen) -> tuple[dict, dict]:
    """({werkbon id: where it is done}, {werkbon id: its objecten}) for the cards: the werkadres
    (or the klant's own address) and "BB-001" or "12 objecten"."""
    found = werkbon_objecten.of_werkbonnen(werkbonnen)
    where, what = {}, {}
    for w in werkbonnen:
        werkadres, objecten = found.get(w.id, (None, []))
        where[w.id] = werkadres.label if werkadres is not None else w.klant.address
        if len(objecten) == 1:
            what[w.id] = objecten[0].number
        elif objecten:
            what[w.id] = f"{len(objecten)} objecten"
    return where, what


def board(monday: date, free=None) -> dict:
    days = [monday + timedelta(days=i) for i in range(7)]
    start = datetime.combine(monday, time())
    everyone = list(Medewerker.select().order_by(Medewerker.name, Medewerker.id))
    # `medewerker_id IN (...)` plus the range: one probe of the (medewerker, planned_start)
    # index per medewerker, instead of a pass over every planned werkbon ever
    planned = list(Werkbon.select(Werkbon, Klant).join(Klant)
                   .where(Werkbon.medewerker.in_([m.id for m in everyone]),
                          Werkbon.planned_start >= start,
                          Werkbon.planned_start < start + timedelta(days=7),
                          Werkbon.status != "geannuleerd")
                   .order_by(Werkbon.planned_start, Werkbon.id)) if everyone else []
    # planned work of a medewerker who has left stays visible until it is moved
    busy = {w.medewerker_id for w in planned}
    medewerkers = [m for m in everyone if m.active or m.id in busy]
    cells = {}
    for w in planned:
        cells.setdefault((w.medewerker_id, w.planned_start.date()), []).append(w)
    rows = []
    for m in medewerkers:
        row = []
        for day in days:
            items = cells.get((m.id, day), [])
            row.append({"day": day, "werkbonnen": items, "overlap": overlapping(items)})
        rows.append({"medewerker": m, "cells": row})
    # by deadline (none last), through the same keyset pages as the werkbonnen list
    unplanned, more = werkbon_pager.page(
        Werkbon.select(Werkbon, Klant).join(Klant)
        .where(Werkbon.status == "open",
               Werkbon.medewerker.is_null() | Werkbon.planned_start.is_null()),
        None, UNPLANNED_LIMIT)
    free = calendar_store.free_days() if free is None else free
    # a weekend day nobody works on gets a narrow column, so the working days have room for
    # their cards (on a tablet they broke every word); it still takes a drop or a plan
    worked = {w.planned_start.date() for w in planned}
    where, what = places(planned + unplanned)
    return {"days": days, "rows": rows, "unplanned": unplanned, "more_unplanned": bool(more),
            "where": where, "what": what,
            "narrow_days": {day for day in days if day.weekday() >= 5 and day not in worked},
            "active_medewerkers": [m for m in medewerkers if m.active],
            "free_days": {day: free.get(day) for day in days if day in free}}


def _render(monday: date, status: int = 200, errors=None, values=None, melding=None,
            free=None):
    from flask import current_app

    from models.sla.service import SlaView, now_in

    today = local_today()
    tz = current_app.config["TIMEZONE"]
    data = board(monday, free)
    shown = data["unplanned"] + [w for row in data["rows"] for cell in row["cells"]
                                 for w in cell["werkbonnen"]]
    return render("planning/bord.html", block="bord", status=status, today=today,
                  sla=SlaView(now_in(tz), tz), open_sla_ids=sla_service.open_sla_ids(shown),
                  week=week_key(monday), week_number=monday.isocalendar()[1],
                  prev_week=week_key(monday - timedelta(days=7)),
                  next_week=week_key(monday + timedelta(days=7)),
                  this_week=week_key(today - timedelta(days=today.weekday())),
                  statuses=STATUSES, errors=errors or {}, values=values or {}, melding=melding,
                  **data)


@bp.route("/")
def index():
    return _render(week_start(request.args.get("week"), local_today()))


@bp.route("/werkbonnen/<int(max=9223372036854775807):werkbon_id>/inplannen", methods=["POST"])
def plan(werkbon_id):
    werkbon = Werkbon.get_or_none(Werkbon.id == werkbon_id)
    if werkbon is None:
        abort(404)
    monday = week_start(request.form.get("week"), local_today())
    values = {k: request.form.get(k, "").strip() for k in ("medewerker_id", "datum", "tijd")}
    errors = {}
    if not values["medewerker_id"]:
        errors["medewerker_id"] = "Kies een medewerker."
    day = iso_date(values["datum"])
    if day is None:
        errors["planned_start"] = "Vul een geldige datum in."
    elif not in_range(day):
        errors["planned_start"] = DATE_RANGE_MESSAGE
    if not TIME_RE.match(values["tijd"]):
        errors["tijd"] = "Vul een tijd in als UU:MM, bijvoorbeeld 08:00."
    if not errors:
        werkbon, errors = werkbon_service.change(
            werkbon, {"medewerker_id": values["medewerker_id"],
                      "planned_start": f"{values['datum']}T{values['tijd']}"},
            current_user.username, local_today())
    if errors:
        if is_htmx():
            return _render(monday, 422, errors={werkbon.id: errors},
                           values={werkbon.id: values})
        for message in errors.values():
            flash(f"{werkbon.number}: {message}", "fout")
    else:
        name = werkbon.medewerker.name
        melding = (f"{werkbon.number} is ingepland bij {name} op {short_date(day)} om "
                   f"{values['tijd']}.")
        if day - timedelta(days=day.weekday()) != monday:
            melding += f" Die dag valt in week {day.isocalendar()[1]}."
        free = calendar_store.free_days()
        if day in free:  # allowed (a storing may need it), but not without saying so
            melding += f" Let op: dat is een vrije dag ({free.get(day)})."
        if is_htmx():
            return _render(monday, melding=melding, free=free)
        flash(melding, "succes")
    return redirect(url_for("planning.index", week=week_key(monday)), 303)
