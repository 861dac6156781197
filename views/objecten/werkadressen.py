"""A klant's werkadressen: the list (search as you type, keyset pages), create, edit (with the
version it was opened at), (de)activate, and a werkadres's page with its objecten and their
labels. Every write is models.objecten.service, as the API's."""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from peewee import fn

from models.db import paging
from models.objecten import search, service
from models.objecten.tables import STATUSES, Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
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
    werkadres = _werkadres(werkadres_id)
    active = request.form.get("actief") == "1"
    try:
        service.update_werkadres(werkadres, {"active": active}, werkadres.version,
                                 current_user.username)
    except service.Conflict:  # saved in between: this form read the version just now
        flash("Iemand anders wijzigde dit werkadres net; probeer het opnieuw.", "fout")
        return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))
    flash(f"{werkadres.label} is {'weer actief' if active else 'gedeactiveerd'}.", "succes")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=werkadres.id))


@bp.route("/werkadressen/<int:werkadres_id>")
def detail(werkadres_id):
    werkadres = _werkadres(werkadres_id)
    query = (Object.select(Object, Objecttype).join(Objecttype)
             .where(Object.werkadres == werkadres.id))
    order = [Object.number, Object.id]
    try:
        objecten, next_cursor = paging.page(query, order, request.args.get("cursor"),
                                            OBJECTS_PAGE)
    except paging.BadCursor:
        objecten, next_cursor = paging.page(query, order, None, OBJECTS_PAGE)
    total = Object.select().where(Object.werkadres == werkadres.id).count()
    return render("werkadressen/detail.html", block="objecten", werkadres=werkadres,
                  klant=werkadres.klant, objecten=objecten, next_cursor=next_cursor,
                  total=total, statuses=STATUSES)


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
