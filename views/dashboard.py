"""Dashboard: the planner's start page."""

from flask import Blueprint, render_template

from models.klanten import Klant
from models.medewerkers import Medewerker

bp = Blueprint("dashboard", __name__)


@bp.route("/")
def index():
    counts = {
        "klanten": Klant.select().where(Klant.active == True).count(),  # noqa: E712
        "medewerkers": Medewerker.select().where(Medewerker.active == True).count(),  # noqa: E712
    }
    return render_template("dashboard/index.html", counts=counts)
