"""Instellingen > Indexreeksen (beheerder): the index series contracts can be indexed by, and
their figure per year, entered by hand (models/facturatie/indexreeksen.py)."""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from models.facturatie import indexreeksen
from models.facturatie.tables import Indexreeks
from views.access import requires_role
from views.render import redirect_after_post, render

bp = Blueprint("indexreeksen", __name__, url_prefix="/instellingen")


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200,
          reeks_id: int | None = None):
    """The page; `errors` and `values` belong to the form of `reeks_id` (None: a new series)."""
    return render("instellingen/indexreeksen.html", series=indexreeksen.all_series(),
                  errors=errors or {}, values=values or {}, failed=reeks_id, status=status)


@bp.get("/indexreeksen")
def index():
    return _page()


@bp.post("/indexreeksen")
def create():
    reeks, errors = indexreeksen.create(request.form.get("naam", ""), current_user.username)
    if errors:
        return _page(errors, {"naam": request.form.get("naam", "")}, 422)
    flash(f"Indexreeks {reeks.name} aangemaakt; vul de cijfers per jaar in.", "succes")
    return redirect_after_post(url_for("indexreeksen.index"))


@bp.post("/indexreeksen/<int:reeks_id>/cijfers")
def figure(reeks_id: int):
    if Indexreeks.get_or_none(Indexreeks.id == reeks_id) is None:
        abort(404)
    values = {"jaar": request.form.get("jaar", ""), "cijfer": request.form.get("cijfer", "")}
    count, errors = indexreeksen.save_figure(reeks_id, values["jaar"], values["cijfer"],
                                             current_user.username)
    if errors:  # keyed per series: each form has its own error slots (unique ids)
        return _page({f"{k}{reeks_id}": v for k, v in errors.items()}, values, 422, reeks_id)
    message = f"Indexcijfer {values['jaar'].strip()} opgeslagen."
    if count:
        message += (f" De termijnen van {count} {'contract' if count == 1 else 'contracten'} "
                    "worden bijgewerkt (al gefactureerde perioden krijgen een correctietermijn).")
    flash(message, "succes")
    return redirect_after_post(url_for("indexreeksen.index"))
