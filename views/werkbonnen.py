"""Werkbonnen: the work orders contracts produce."""

from flask import Blueprint, render_template

bp = Blueprint("werkbonnen", __name__, url_prefix="/werkbonnen")


@bp.route("/")
def index():
    return render_template("werkbonnen/lijst.html")
