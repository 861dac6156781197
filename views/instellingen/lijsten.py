"""Instellingen > lijsten: contracttypen, contractvoorwaarden, werktypen, prioriteiten, redenen,
objecttypen.

The six lists share one shape, described as data in models.contracts.settings_lists (with
their parsing, saving and list-specific guards); one set of views serves them all: a table,
create, edit, (de)activate. Contractvoorwaarden used by an active contract are edited by saving
them as new terms.
"""

from flask import Blueprint, abort, flash, request, url_for
from flask_login import current_user

from models.contracts.settings_lists import (
    FORM_ERROR,
    LIJSTEN,
    VOORWAARDEN,
    Lijst,
    active_contracts_with_terms,
    cell,
    in_use_message,
    options,
    parse,
    raw_of,
    save,
    set_active,
)
from views.access import requires_role
from views.render import redirect_after_post, render
from views.today import local_today

bp = Blueprint("lijsten", __name__, url_prefix="/instellingen")


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


def _get(lijst: Lijst, item_id: int):
    item = lijst.model.get_or_none(lijst.model.id == item_id)
    if item is None:
        abort(404)
    return item


def _form(lijst: Lijst, item, values: dict, errors: dict, status: int = 200, **extra):
    extra.setdefault("in_use", 0)
    locked = lijst.locked(item) if lijst.locked and item is not None else set()
    return render("instellingen/lijsten/formulier.html", block="formulier", lijst=lijst,
                  item=item, values=values, errors=errors, options=options(lijst, item),
                  form_error=errors.get(FORM_ERROR), locked=locked, status=status, **extra)


def _back(lijst: Lijst):
    return redirect_after_post(url_for(f"lijsten.{lijst.name}"))


def _register(lijst: Lijst, edit=None) -> None:
    def index():
        rows = [(item, [cell(lijst, item, name) for name, _header in lijst.columns])
                for item in lijst.model.select().order_by(*lijst.order())]
        return render("instellingen/lijsten/lijst.html", lijst=lijst, rows=rows)

    def create():
        if request.method == "GET":
            return _form(lijst, None, {}, {})
        values, raw, errors = parse(lijst, request.form)
        if not errors:
            item, errors = save(lijst, values, current_user.username, local_today())
        if errors:
            return _form(lijst, None, raw, errors, 422)
        flash(f"{lijst.label_of(item)} is toegevoegd.", "succes")
        return _back(lijst)

    def edit_in_place(item_id):
        item = _get(lijst, item_id)
        if request.method == "GET":
            return _form(lijst, item, raw_of(lijst, item), {})
        values, raw, errors = parse(lijst, request.form, item)
        if not errors:
            _, errors = save(lijst, values, current_user.username, local_today(), item)
        if errors:
            return _form(lijst, item, raw, errors, 422)
        flash(f"Wijzigingen aan {lijst.label_of(item)} zijn opgeslagen.", "succes")
        return _back(lijst)

    def toggle(item_id):
        item = _get(lijst, item_id)
        active = request.form.get("actief") == "1"
        set_active(lijst, item, active, current_user.username)
        flash(f"{lijst.label_of(item)} is {'weer actief' if active else 'gedeactiveerd'}.",
              "succes")
        return _back(lijst)

    base = f"/{lijst.name}"
    bp.add_url_rule(base, endpoint=lijst.name, view_func=index)
    bp.add_url_rule(f"{base}/nieuw", endpoint=f"{lijst.name}_nieuw", view_func=create,
                    methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<int:item_id>/bewerken", endpoint=f"{lijst.name}_bewerken",
                    view_func=edit or edit_in_place, methods=["GET", "POST"])
    bp.add_url_rule(f"{base}/<int:item_id>/actief", endpoint=f"{lijst.name}_actief",
                    view_func=toggle, methods=["POST"])


def voorwaarden_bewerken(item_id):
    """Unused terms are edited in place. Terms an active contract runs on are only copied: the
    form then asks for a new code, and a POST that saves in place anyway is refused."""
    lijst = VOORWAARDEN
    item = _get(lijst, item_id)
    in_use = active_contracts_with_terms(item, local_today())
    if request.method == "GET":
        values = raw_of(lijst, item)
        if in_use:
            values["code"] = ""  # the copy needs its own code
        return _form(lijst, item, values, {}, in_use=in_use)
    as_copy = request.form.get("actie") == "kopie"
    values, raw, errors = parse(lijst, request.form, item)
    if in_use and not as_copy:
        errors[FORM_ERROR] = in_use_message(in_use)
    if not errors:
        if as_copy:
            copy, errors = save(lijst, values, current_user.username, local_today(),
                                note={"kopie_van": item.code})
        else:
            _, errors = save(lijst, values, current_user.username, local_today(), item)
    if errors:
        count = active_contracts_with_terms(item, local_today()) if FORM_ERROR in errors \
            else in_use
        return _form(lijst, item, raw, errors, 422, in_use=count)
    if as_copy:
        flash(f"Nieuwe voorwaarden {copy.code} zijn opgeslagen; {item.code} is ongewijzigd.",
              "succes")
    else:
        flash(f"Wijzigingen aan {item.code} zijn opgeslagen.", "succes")
    return _back(lijst)


for _lijst in LIJSTEN:
    _register(_lijst, edit=voorwaarden_bewerken if _lijst is VOORWAARDEN else None)
