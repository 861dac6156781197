"""The API page (/api): /api/v1/openapi.json rendered by the vendored Swagger UI, for anyone
logged in. Swagger UI runs under the app's strict CSP (no inline script or style)."""

from flask import Blueprint, render_template

bp = Blueprint("api_docs", __name__)


@bp.route("/api")
def index():
    return render_template("api_docs/index.html")
