"""A klant's werkadressen: the list (search as you type, keyset pages), create, edit (with the
version it was opened at), (de)activate, and a werkadres's page with its objecten and their
labels. Every write is models.objecten.service, as the API's."""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from peewee import fn

from models.common.dutch_dates import count
from models.db import paging
from models.objecten import search, service
from models.objecten.tables import STATUSES, Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
from models.werkbonnen import replan as werkbon_replan
from views.contracten.steps import effect_names
from views.objecten import (
    WERKADRES_FORM,
    changed_meanwhile,
    form_values,
    labels_pdf,
    originals,
    stored,
    too_many,
    version_of,
)
from views.render import redirect_after_post, render
from views.today import local_today

bp = Blueprint("werkadressen", __name__)
PAGE_SIZE = 50
OBJECTS_PAGE = 100


def _klant(klant_id: int) -> Klant:
    klant = Klant.get_or_none(Klant.id == klant_id)
    if klant is None:
        abort(404)
    return klant


def _werkadres(werkadres_id: int) -> Werkadres:
    werkadres = (Werkadres.select(Werkadres, Klant).join(Klant)
                 .where(Werkadres.id == werkadres_id).first())
    if werkadres is None:
        abort(404)
    return werkadres


@bp.route("/klanten/<int:klant_id>/werkadressen")
def index(klant_id):
    klant = _klant(klant_id)
    q = request.args.get("q", "").strip()
    show_all = request.args.get("toon") == "alle"
    query = search.werkadressen(Werkadres.select().where(Werkadres.klant == klant.id), q)
    if not show_all:
        query = query.where(Werkadres.active == True)  # noqa: E712
    try:
        rows, next_cursor = search.werkadres_page(query, request.args.get("cursor"), PAGE_SIZE)
    except paging.BadCursor:
        rows, next_cursor = search.werkadres_page(query, None, PAGE_SIZE)
    return render("werkadressen/lijst.html", block="resultaten", klant=klant, rows=rows, q=q,
                  show_all=show_all, next_cursor=next_cursor,
                  counts=object_counts([w.id for w in rows]))


def object_counts(werkadres_ids: list[int]) -> dict[int, int]:
    """{werkadres id: its objecten not verwijderd} for a page of werkadressen (one query)."""
    if not werkadres_ids:
        return {}
    return dict(Object.select(Object.werkadres, fn.COUNT(Object.id))
                .where(Object.werkadres.in_(werkadres_ids), Object.status != "verwijderd")
                .group_by(Object.werkadres).tuples())


def _form(klant, werkadres, values, errors, status=200, original=None, meanwhile=None):
    return render("werkadressen/formulier.html", block="formulier", klant=klant,
                  werkadres=werkadres, values=values, errors=errors, status=status,
                  original=original or {}, meanwhile=meanwhile or {},
                  conflict=status == 409)


@bp.route("/klanten/<int:klant_id>/werkadressen/nieuw", methods=["GET", "POST"])
def create(klant_id):
    klant = _klant(klant_id)
    if request.method == "GET":
        return _form(klant, None, {}, {})
    values = form_values(WERKADRES_FORM)
    werkadres, errors = service.create_werkadres({**values, "klant_id": klant.id},
                                                 current_user.username)
    if errors:
        return _form(klant, None, values, errors, 422)
    flash(f"Werkadres {werkadres.label} is opgeslagen.", "succes")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))


@bp.route("/werkadressen/<int:werkadres_id>/bewerken", methods=["GET", "POST"])
def edit(werkadres_id):
    werkadres = _werkadres(werkadres_id)
    now = stored(werkadres, WERKADRES_FORM)
    if request.method == "GET":
        return _form(werkadres.klant, werkadres, now, {}, original=now)
    values = form_values(WERKADRES_FORM)
    version = version_of()
    try:
        saved, errors = service.update_werkadres(werkadres, values, version or 0,
                                                 current_user.username)
    except service.Conflict as exc:
        # shown what changed meanwhile, the planner's own input kept; the next save is made
        # on the version they have now seen
        current = exc.current
        fresh = stored(current, WERKADRES_FORM)
        werkadres.version = current.version
        return _form(werkadres.klant, werkadres, values, {}, 409, original=fresh,
                     meanwhile=changed_meanwhile(originals(WERKADRES_FORM), fresh))
    if errors:
        return _form(werkadres.klant, werkadres, values, errors, 422,
                     original=originals(WERKADRES_FORM))
    flash(f"Wijzigingen aan {saved.label} zijn opgeslagen.", "succes")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))


@bp.route("/werkadressen/<int:werkadres_id>/actief", methods=["POST"])
def set_active(werkadres_id):
    """(De)activate a werkadres. When that changes werkbonnen (deactivated: those from today on
    at it are cancelled, as for an object out of use; active again: they come back) the page
    first shows what it does, per contract; Bevestigen saves it and exactly that, or shows it
    again when a colleague changed a werkbon meanwhile."""
    werkadres = _werkadres(werkadres_id)
    active = request.form.get("actief") == "1"
    version = version_of() or werkadres.version
    today = local_today()
    if version != werkadres.version:
        return _changed_meanwhile(werkadres)
    confirmed = request.form.get("actie") == "bevestigen"
    effect = werkbon_replan.werkadres_active_effect(werkadres, active, today)
    if active != werkadres.active and not confirmed and not effect.empty:
        return _detail(werkadres, gevolgen=_gevolgen(effect, active))
    try:
        _saved, _errors, done = werkbon_replan.update_werkadres(
            werkadres, {"active": active}, version, current_user.username, today,
            shown=request.form.get("gevolgen", "") if confirmed else effect.fingerprint)
    except service.Conflict:
        return _changed_meanwhile(werkadres)
    except werkbon_replan.PlanChanged:
        fresh = werkbon_replan.werkadres_active_effect(werkadres, active, today)
        return _detail(werkadres, 409, gevolgen=_gevolgen(fresh, active, changed=True))
    cancelled = len(done.cancel) if done else 0
    flash(f"{werkadres.label} is {'weer actief' if active else 'gedeactiveerd'}."
          + (f" {count(cancelled, 'werkbon', 'werkbonnen')} geannuleerd." if cancelled else ""),
          "succes")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))


def _changed_meanwhile(werkadres: Werkadres):
    flash("Iemand anders wijzigde dit werkadres net; bekijk het en probeer het opnieuw.", "fout")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))


def _gevolgen(effect, active: bool, changed: bool = False) -> dict:
    """What the werkadres page shows before (de)activating: per contract its plan with the
    names of its slots and objecten (as an object's status change)."""
    rows = [{"contract": contract, "plan": plan, **effect_names(plan, [contract])}
            for contract, plan in effect.contracts]
    return {"active": active, "contracts": rows, "changed": changed,
            "fingerprint": effect.fingerprint}


@bp.route("/werkadressen/<int:werkadres_id>")
def detail(werkadres_id):
    return _detail(_werkadres(werkadres_id))


def _detail(werkadres: Werkadres, status: int = 200, gevolgen: dict | None = None):
    query = (Object.select(Object, Objecttype).join(Objecttype)
             .where(Object.werkadres == werkadres.id))
    order = [Object.number, Object.id]
    cursor = request.args.get("cursor") if request.method == "GET" else None
    try:
        objecten, next_cursor = paging.page(query, order, cursor, OBJECTS_PAGE)
    except paging.BadCursor:
        objecten, next_cursor = paging.page(query, order, None, OBJECTS_PAGE)
    total = Object.select().where(Object.werkadres == werkadres.id).count()
    return render("werkadressen/detail.html", block=None if gevolgen else "objecten",
                  status=status, werkadres=werkadres, klant=werkadres.klant, objecten=objecten,
                  next_cursor=next_cursor, total=total, statuses=STATUSES, gevolgen=gevolgen)


@bp.route("/werkadressen/<int:werkadres_id>/labels")
def labels(werkadres_id):
    werkadres = _werkadres(werkadres_id)
    query = Object.select().where(Object.werkadres == werkadres.id,
                                  Object.status != "verwijderd")
    message = too_many(query.count())
    if message:
        flash(message, "fout")
        return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))
    return labels_pdf(query, f"labels-{werkadres.postcode}-{werkadres.house_number}",
                      f"Objectlabels {werkadres.label}")
