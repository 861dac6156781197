"""Dashboard: the planner's start page — what needs attention today."""

from datetime import timedelta

from flask import Blueprint, render_template

from models.klanten import Klant
from models.medewerkers import Medewerker
from models.werkbonnen import GenerationRun, Werkbon
from views.today import local_today

bp = Blueprint("dashboard", __name__)
OPEN = ("open", "ingepland", "onderweg", "in_uitvoering")


@bp.route("/")
def index():
    today = local_today()
    week_start = today - timedelta(days=today.weekday())
    week_end = week_start + timedelta(days=6)
    active = Werkbon.status.in_(OPEN)
    counts = {
        "deze_week": Werkbon.select().where(active, Werkbon.due_date.between(week_start, week_end))
        .count(),
        "ongepland": Werkbon.select().where(Werkbon.status == "open").count(),
        "te_laat": Werkbon.select().where(active, Werkbon.due_date < today).count(),
        "vandaag_gemaakt": Werkbon.select().where(Werkbon.generated_on == today).count(),
        "klanten": Klant.select().where(Klant.active == True).count(),  # noqa: E712
        "medewerkers": Medewerker.select().where(Medewerker.active == True).count(),  # noqa: E712
    }
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from flask import current_app

    from models import sla_service

    tz = current_app.config["TIMEZONE"]
    clocks = sla_service.open_clocks(datetime.now(ZoneInfo(tz)), tz)
    counts["dreigt"] = sum(1 for _w, c in clocks if c.state == "dreigt")
    counts["verlopen"] = sum(1 for _w, c in clocks if c.state == "verlopen")
    next_five = [(w, c) for w, c in clocks if c.state != "verlopen"][:5]
    last_run = GenerationRun.select().where(GenerationRun.finished_at.is_null(False)).order_by(
        GenerationRun.id.desc()).first()
    return render_template("dashboard/index.html", counts=counts, last_run=last_run,
                           next_five=next_five,
                           week_start=week_start, week_end=week_end, today=today)
