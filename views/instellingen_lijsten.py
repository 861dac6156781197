"""Instellingen > lijsten: contracttypen, contractvoorwaarden, werktypen, prioriteiten, redenen."""

from flask import Blueprint

from views.auth import requires_role

bp = Blueprint("lijsten", __name__, url_prefix="/instellingen")


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None
