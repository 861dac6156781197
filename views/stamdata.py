"""Klanten and medewerkers share one shape: a searchable list, create, edit, (de)activate.

One blueprint factory serves both so their behaviour (validation, htmx, audit) cannot drift.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user
from peewee import fn

from models.common.dutch_dates import count
from models.db import fulltext, paging
from models.stamdata import records
from views.render import redirect_after_post, render

PAGE_SIZE = 50
SEARCH_LIMIT = 1000  # the most rows a full-text search finds (models/db/fulltext.py)


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    type: str = "text"
    autocomplete: str = "off"
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Area:
    name: str  # blueprint and url part: "klanten"
    kind: records.Kind
    singular: str  # "klant"
    plural: str  # "Klanten"
    fields: tuple[Field, ...]
    columns: tuple[tuple[str, str], ...]  # (attribute, header) in the list
    search: tuple[str, ...]
    detail_context: Callable | None = None  # item -> more for its page (a klant's werkadressen)
    # a table of models/db/fulltext.py that answers the search (instead of LIKE over `search`)
    fulltext: str | None = None


WAS = "_was_"  # hidden fields with what the edit form showed when opened


def _flash_left_behind(medewerker) -> None:
    """What a deactivated medewerker still has: contracts whose new werkbonnen now wait in
    'nog in te plannen' (models.werkbonnen.materialise), and werkbonnen already planned for them."""
    from models.contracts.tables import Contract
    from models.werkbonnen.tables import CLOSED, Werkbon

    contracts = Contract.select().where(Contract.medewerker == medewerker.id,
                                        Contract.terminated_on.is_null()).count()
    planned = Werkbon.select().where(Werkbon.medewerker == medewerker.id,
                                     Werkbon.status.not_in(CLOSED)).count()
    if contracts or planned:
        flash(f"{medewerker.name} staat nog op {count(contracts, 'contract', 'contracten')} en "
              f"{count(planned, 'werkbon', 'werkbonnen')} die niet af zijn. Nieuwe werkbonnen "
              "van die contracten komen voortaan bij 'nog in te plannen'; wijs de contracten "
              "en de werkbonnen (planbord) aan iemand anders toe.", "info")


def make_blueprint(area: Area) -> Blueprint:
    bp = Blueprint(area.name, __name__, url_prefix=f"/{area.name}")
    model = area.kind.model

    def _get(item_id):
        item = model.get_or_none(model.id == item_id)
        if item is None:
            abort(404)
        return item

    @bp.route("/")
    def index():
        q = request.args.get("q", "").strip()
        show_all = request.args.get("toon") == "alle"
        query = model.select()
        if not show_all:
            query = query.where(model.active == True)  # noqa: E712
        if q and area.fulltext:
            query = query.where(model.id.in_(fulltext.matching_ids(
                area.fulltext, q, "text", SEARCH_LIMIT) + fulltext.matching_ids(
                area.fulltext, q, "number", SEARCH_LIMIT)))
        elif q:
            cond = None
            for name in area.search:
                term = fn.LOWER(getattr(model, name)).contains(q.lower())
                cond = term if cond is None else (cond | term)
            query = query.where(cond)
        try:
            rows, next_cursor = paging.page(query, [model.name, model.id],
                                            request.args.get("cursor"), PAGE_SIZE)
        except paging.BadCursor:
            rows, next_cursor = paging.page(query, [model.name, model.id], None, PAGE_SIZE)
        return render("stamdata/lijst.html", block="resultaten", area=area, rows=rows, q=q,
                      show_all=show_all, next_cursor=next_cursor)

    def _form(item, values, errors, status=200, original=None):
        return render("stamdata/formulier.html", block="formulier", area=area, item=item,
                      values=values, errors=errors, status=status, original=original or {})

    @bp.route("/nieuw", methods=["GET", "POST"])
    def create():
        if request.method == "GET":
            return _form(None, {}, {})
        data = {f.name: request.form.get(f.name, "") for f in area.fields}
        item, errors = records.save(area.kind, data, current_user.username)
        if errors:
            return _form(None, data, errors, 422)
        flash(f"{area.singular.capitalize()} {item.name} is opgeslagen.", "succes")
        return redirect_after_post(url_for(f"{area.name}.detail", item_id=item.id))

    @bp.route("/<int:item_id>")
    def detail(item_id):
        item = _get(item_id)
        extra = area.detail_context(item) if area.detail_context else {}
        return render(f"{area.name}/detail.html", area=area, item=item, **extra)

    @bp.route("/<int:item_id>/bewerken", methods=["GET", "POST"])
    def edit(item_id):
        item = _get(item_id)
        stored = {f.name: records.as_text(getattr(item, f.name)) for f in area.fields}
        if request.method == "GET":
            return _form(item, stored, {}, original=stored)
        data = {f.name: request.form.get(f.name, "") for f in area.fields}
        # what the form showed when it was opened (hidden fields): only what was changed
        # from that is saved, and someone else's change meanwhile is kept, or a conflict
        original = {f.name: request.form[WAS + f.name] for f in area.fields
                    if WAS + f.name in request.form}
        fresh, errors = records.save(area.kind, data, current_user.username, item,
                                     original=original if len(original) == len(data) else None)
        if errors:
            if any(isinstance(m, records.Conflict) for m in errors.values()):
                # from now on compared with what is stored now; the rest of
                # the form shows what is stored now where this planner changed nothing
                now = {f.name: records.as_text(getattr(fresh, f.name)) for f in area.fields}
                shown = {f: (data[f] if records.as_text(data[f]) != records.as_text(original.get(f))
                             else now[f]) for f in data}
                return _form(item, shown, errors, 409, original=now)
            return _form(item, data, errors, 422, original=original or stored)
        flash(f"Wijzigingen aan {item.name} zijn opgeslagen.", "succes")
        return redirect_after_post(url_for(f"{area.name}.detail", item_id=item.id))

    @bp.route("/<int:item_id>/actief", methods=["POST"])
    def set_active(item_id):
        item = _get(item_id)
        active = request.form.get("actief") == "1"
        records.set_active(area.kind, item, active, current_user.username)
        flash(f"{item.name} is {'weer actief' if active else 'gedeactiveerd'}.", "succes")
        if area.name == "medewerkers" and not active:
            _flash_left_behind(item)
        return redirect_after_post(url_for(f"{area.name}.detail", item_id=item.id))

    return bp
