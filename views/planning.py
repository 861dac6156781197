"""Planning: the planbord, werkbonnen per medewerker per day."""

from flask import Blueprint, render_template

bp = Blueprint("planning", __name__, url_prefix="/planning")


@bp.route("/")
def index():
    return render_template("planning/bord.html")
