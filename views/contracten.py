"""Contracten: the agreements that make Cadans create werkbonnen."""

from flask import Blueprint, render_template

bp = Blueprint("contracten", __name__, url_prefix="/contracten")


@bp.route("/")
def index():
    return render_template("contracten/lijst.html")
