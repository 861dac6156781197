"""Dashboard: the planner's start page — what needs attention today."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, render_template

from jobs import tasks
from models.common.dutch_dates import short_date
from models.db.base import utcnow
from models.sla import service as sla_service
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import GenerationRun, Werkbon
from views.today import local_today

bp = Blueprint("dashboard", __name__)
OPEN = ("open", "ingepland", "onderweg", "in_uitvoering")
# RQ stops a sweep after its job_timeout; an unfinished sweep older than that was killed with
# its worker and will never finish.
SWEEP_TIMEOUT = timedelta(seconds=tasks.SWEEP_TIMEOUT)
MAX_ERROR = 200


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
    tz = current_app.config["TIMEZONE"]
    clocks = sla_service.open_clocks(datetime.now(ZoneInfo(tz)), tz)
    counts["dreigt"] = sum(1 for _w, c in clocks if c.state == "dreigt")
    counts["verlopen"] = sum(1 for _w, c in clocks if c.state == "verlopen")
    next_five = [(w, c) for w, c in clocks if c.state != "verlopen"][:5]
    return render_template("dashboard/index.html", counts=counts, sweep=last_sweep(today, tz),
                           next_five=next_five,
                           week_start=week_start, week_end=week_end, today=today)


def last_sweep(today, tz: str) -> dict | None:
    """The newest periodic sweep and how it went: "klaar", "mislukt", "bezig" or "afgebroken",
    and when, in a planner's words ("om 14:15", or "op vr 20 nov 2026 om 16:00" when it was not
    today). Runs for one saved contract, from the CLI (maybe with another --today) or for the
    demo data say nothing about whether the worker's clock still ticks, so they are left out."""
    run = (GenerationRun.select().where(GenerationRun.trigger == "sweep")
           .order_by(GenerationRun.id.desc()).first())
    if run is None:
        return None
    if run.error:
        state = "mislukt"
    elif run.finished_at is not None:
        state = "klaar"
    elif utcnow() - run.started_at < SWEEP_TIMEOUT:
        state = "bezig"
    else:
        state = "afgebroken"
    return {"run": run, "state": state, "error": short_error(run.error),
            "when": _when(run.finished_at or run.started_at, today, tz)}


def _when(stored: datetime, today, tz: str) -> str:
    """A stored (naive UTC) moment as the dashboard says it: "om 14:15" today, else with the
    date."""
    local = stored.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))
    if local.date() == today:
        return f"om {local:%H:%M}"
    return f"op {short_date(local.date())} om {local:%H:%M}"


def short_error(error: str) -> str:
    """The first line of a stored error, at most MAX_ERROR characters (the log has the rest)."""
    lines = (error or "").strip().splitlines()
    first = lines[0].strip() if lines else ""
    return first if len(first) <= MAX_ERROR else first[:MAX_ERROR - 1].rstrip() + "…"
