"""Instellingen (beheerder only): status panel, users."""

from flask import Blueprint, current_app

from models.users import User
from views.auth import requires_role
from views.render import render

bp = Blueprint("instellingen", __name__, url_prefix="/instellingen")


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


@bp.route("/")
def index():
    users = User.select().order_by(User.username)
    return render("instellingen/index.html", users=users)


@bp.route("/status")
def status():
    from jobs.status import health

    state = health(current_app.config.get("REDIS_URL"), detail=True)
    return render("instellingen/status.html", block="status", state=state)
