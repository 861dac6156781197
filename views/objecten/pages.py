"""Objecten: the list (search as you type, filters, keyset pages, labels of a selection), the
object page (its data, werkadres and klant, the contracts that cover it, its open werkbonnen,
next visits and service history), the object form (create and the versioned edit), a status
change, wiping one entered by mistake, and its label. Every write is models.objecten.service,
as the API's."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from models.common.dutch_dates import count, short_date
from models.common.validation import search_text, whole
from models.contracts import lifecycle
from models.contracts.covering import contracts_covering, uncovered_condition
from models.db import Compiled, audit, paging
from models.objecten import rules, search, service
from models.objecten.tables import STATUSES, Object, Objecttype, Werkadres
from models.stamdata import calendar_store
from models.stamdata.klanten import Klant
from models.werkbonnen import object_history
from models.werkbonnen import replan as werkbon_replan
from models.werkbonnen.tables import STATUSES as WERKBON_STATUSES
from views.contracten.steps import effect_names
from views.objecten import (
    OBJECT_FORM,
    changed_meanwhile,
    form_values,
    labels_pdf,
    originals,
    stored,
    too_many,
    version_of,
)
from views.render import redirect_after_post, render, wants_fragment
from views.today import local_today

bp = Blueprint("objecten", __name__, url_prefix="/objecten")
PAGE_SIZE = 50
FILTERS = ("q", "klant", "werkadres", "objecttype", "status", "zonder_contract")
ALL = "alle"  # every status; without a status filter the list leaves the verwijderde out
STATUS_FILTERS = {"": "Niet verwijderd", ALL: "Alle statussen", **STATUSES}


def understood(args) -> dict:
    """The list's filters from the query string; values that make no sense are dropped."""
    f = {k: args.get(k, "").strip() for k in FILTERS}
    for key in ("klant", "werkadres", "objecttype"):
        if whole(f[key]) is None:
            f[key] = ""
    if f["status"] not in STATUS_FILTERS:
        f["status"] = ""
    if f["zonder_contract"] != "1":
        f["zonder_contract"] = ""
    return f


def landing(f: dict) -> bool:
    """The list as it opens: no search, no filter but the default status."""
    return not any(f[k] for k in FILTERS)


def filtered(f: dict, today, base=None):
    """The objects the `understood` filters `f` select (`base`: the query to narrow, by
    default the list's columns)."""
    status = f["status"]
    statuses = (search.NOT_REMOVED if status == ""
                else None if status == ALL else (status,))
    query = search.find_objects(
        search.list_select() if base is None else base, f["q"],
        klant_id=int(f["klant"]) if f["klant"] else None,
        werkadres_id=int(f["werkadres"]) if f["werkadres"] else None,
        objecttype_id=int(f["objecttype"]) if f["objecttype"] else None, statuses=statuses)
    if f["zonder_contract"]:
        query = query.where(uncovered_condition(today))
    return query


def _list_url(endpoint: str, filters: dict, **extra) -> str:
    args = {k: v for k, v in {**filters, **extra}.items() if v}
    return url_for(endpoint, **args)


@bp.route("/")
def index():
    filters = understood(request.args)
    query = None if landing(filters) else filtered(filters, local_today())
    cursor = request.args.get("cursor") or None
    try:
        rows, next_cursor = search.list_page(query, cursor, PAGE_SIZE)
    except paging.BadCursor:
        cursor = None
        rows, next_cursor = search.list_page(query, None, PAGE_SIZE)
    klant = Klant.get_or_none(Klant.id == int(filters["klant"])) if filters["klant"] else None
    werkadres = (Werkadres.get_or_none(Werkadres.id == int(filters["werkadres"]))
                 if filters["werkadres"] else None)
    searched = any(filters[k] for k in FILTERS if k != "status") or filters["status"] != ""
    return render("objecten/lijst.html", block="resultaten", rows=rows, filters=filters,
                  klant=klant, werkadres=werkadres, statuses=STATUSES,
                  status_filters=STATUS_FILTERS, searched=searched,
                  objecttypen=[] if wants_fragment() else
                  list(Objecttype.select().order_by(Objecttype.name)),
                  next_url=_list_url("objecten.index", filters, cursor=next_cursor)
                  if next_cursor else None,
                  first_url=_list_url("objecten.index", filters) if cursor else None,
                  labels_url=_list_url("objecten.labels", filters),
                  without=lambda key: _list_url("objecten.index", {**filters, key: ""}))


@bp.route("/labels")
def labels():
    """The labels of the objects the list's filters select (at most MAX_LABELS)."""
    filters = understood(request.args)
    query = filtered(filters, local_today(), base=Object.select())
    total = query.count()
    message = too_many(total) if total else "Er zijn geen objecten met deze selectie."
    if message:
        flash(message, "fout")
        return redirect(_list_url("objecten.index", filters), 303)
    return labels_pdf(query, "labels-objecten", "Objectlabels")


_OBJECT = Compiled(lambda object_id: Object.select(Object, Werkadres, Klant, Objecttype)
                   .join(Werkadres).join(Klant).switch(Object).join(Objecttype)
                   .where(Object.id == object_id), (-7_919_000_000_000_019,))


_CHANGES = Compiled(lambda object_id: audit.AuditLog.select()
                    .where(audit.AuditLog.entity == "object", audit.AuditLog.entity_id == object_id)
                    .order_by(audit.AuditLog.at.desc(), audit.AuditLog.id.desc()).limit(10),
                    (-7_919_000_000_000_023,))


def _get(object_id: int) -> Object:
    found = _OBJECT.rows(object_id)
    if not found:
        abort(404)
    return found[0]


@bp.route("/<int:object_id>")
def detail(object_id):
    obj = _get(object_id)
    cursor = request.args.get("historie")
    if wants_fragment():  # "Oudere werkbonnen": only the history block, only what it shows
        try:
            history, next_cursor = object_history.history_page(obj.id, cursor)
        except paging.BadCursor:
            history, next_cursor = object_history.history_page(obj.id, None)
        return render("objecten/detail.html", block="geschiedenis", obj=obj, history=history,
                      next_cursor=next_cursor, werkbon_statuses=WERKBON_STATUSES,
                      **_urls())
    return _detail(obj, cursor=cursor)


def _history(object_id: int, cursor: str | None) -> tuple:
    """(a page of the service history, the cursor after it, how many werkbonnen in all): the
    page `cursor` names, or the newest with its count in one statement."""
    if cursor:
        try:
            rows, next_cursor = object_history.history_page(object_id, cursor)
            return rows, next_cursor, object_history.history_count(object_id)
        except paging.BadCursor:
            pass
    return object_history.first_page_with_total(object_id)


def _urls() -> dict:
    """The werkbon and contract links' beginnings (one url_for, not one per row)."""
    return {"werkbon_url": url_for("werkbonnen.detail", werkbon_id=0)[:-1],
            "contract_url": url_for("contracten.detail", contract_id=0)[:-1]}


def _detail(obj: Object, status: int = 200, status_values=None, status_errors=None,
            cursor: str | None = None, **extra):
    today = local_today()
    history, next_cursor, history_total = _history(obj.id, cursor)
    covering = contracts_covering(obj.id, today)
    running = [row["contract"] for row in covering if row["running"]]
    visits = object_history.next_visits(obj, running, calendar_store.free_days(), today)
    changes = _CHANGES.rows(obj.id)
    return render("objecten/detail.html", block="geschiedenis", status=status, obj=obj,
                  werkadres=obj.werkadres, klant=obj.werkadres.klant, covering=covering,
                  open_werkbonnen=object_history.open_werkbonnen(obj.id), visits=visits,
                  history_total=history_total, wipeable=not (history_total or covering),
                  **_urls(),
                  changes=changes,
                  statuses=STATUSES, werkbon_statuses=WERKBON_STATUSES, today=today,
                  contract_statuses=lifecycle.STATUSES,
                  status_values=status_values or {"status": obj.status,
                                                  "status_since": today.isoformat()},
                  status_errors=status_errors or {}, history=history,
                  next_cursor=next_cursor, **extra)


def _options(klant_id: int, obj: Object | None) -> dict:
    """The werkadressen of the klant (active ones, and the object's own) and the active
    objecttypen (and the object's own) for the form's selects."""
    current_adres = obj.werkadres_id if obj else None
    current_type = obj.objecttype_id if obj else None
    adressen = (Werkadres.select().where(
        Werkadres.klant == klant_id,
        (Werkadres.active == True) | (Werkadres.id == current_adres))  # noqa: E712
        .order_by(*search.werkadres_order()))
    kinds = (Objecttype.select().where(
        (Objecttype.active == True) | (Objecttype.id == current_type))  # noqa: E712
        .order_by(Objecttype.name))
    return {
        "werkadressen": [(w.id, w.label + ("" if w.active else " (inactief)")) for w in adressen],
        "objecttypen": [(t.id, t.name + ("" if t.active else " (inactief)")) for t in kinds],
    }


def _form(werkadres: Werkadres, obj, values, errors, status=200, original=None,
          meanwhile=None):
    return render("objecten/formulier.html", block="formulier", obj=obj, werkadres=werkadres,
                  klant=werkadres.klant, values=values, errors=errors, status=status,
                  original=original or {}, meanwhile=meanwhile or {},
                  conflict=status == 409,
                  **_options(werkadres.klant_id, obj))


def _pick_werkadres():
    """Nieuw object without a werkadres: find the werkadres first (search as you type)."""
    q = search_text(request.args.get("q", "")).strip()
    rows = []
    if q:
        rows = list(search.werkadressen(Werkadres.select(Werkadres, Klant).join(Klant), q)
                    .where(Werkadres.active == True)  # noqa: E712
                    .order_by(Klant.name, *search.werkadres_order()).limit(25))
    return render("objecten/kies_werkadres.html", block="resultaten", q=q, rows=rows)


@bp.route("/nieuw", methods=["GET", "POST"])
def create():
    werkadres_id = whole(request.values.get("werkadres", ""))
    werkadres = (Werkadres.select(Werkadres, Klant).join(Klant)
                 .where(Werkadres.id == werkadres_id).first() if werkadres_id else None)
    if werkadres is None:
        return _pick_werkadres()
    if request.method == "GET":
        return _form(werkadres, None, {"werkadres_id": str(werkadres.id)}, {})
    values = form_values(OBJECT_FORM)
    obj, errors = service.create_object({**values, "klant_id": werkadres.klant_id},
                                        current_user.username, local_today())
    if errors:
        return _form(werkadres, None, values, errors, 422)
    flash(f"Object {obj.number} is opgeslagen.", "succes")
    return redirect_after_post(url_for("objecten.detail", object_id=obj.id))


@bp.route("/<int:object_id>/bewerken", methods=["GET", "POST"])
def edit(object_id):
    obj = _get(object_id)
    now = stored(obj, OBJECT_FORM)
    if request.method == "GET":
        return _form(obj.werkadres, obj, now, {}, original=now)
    values = form_values(OBJECT_FORM)
    try:
        saved, errors = service.update_object(obj, values, version_of() or 0,
                                              current_user.username, local_today())
    except service.Conflict as exc:
        fresh = stored(exc.current, OBJECT_FORM)
        obj.version = exc.current.version
        return _form(obj.werkadres, obj, values, {}, 409, original=fresh,
                     meanwhile=changed_meanwhile(originals(OBJECT_FORM), fresh))
    if errors:
        return _form(obj.werkadres, obj, values, errors, 422, original=originals(OBJECT_FORM))
    flash(f"Wijzigingen aan object {saved.number} zijn opgeslagen.", "succes")
    return redirect_after_post(url_for("objecten.detail", object_id=obj.id))


@bp.route("/<int:object_id>/status", methods=["POST"])
def set_status(object_id):
    """An object's status change. When it changes werkbonnen (cancels those from that day,
    takes the object off a werkbon's list, brings them back) the object page first shows what
    it does, per contract (models.werkbonnen.replan.object_status_effect); Bevestigen saves the
    status and exactly that, or shows it again when a colleague changed a werkbon meanwhile."""
    obj = _get(object_id)
    values = {k: request.form.get(k, "") for k in ("status", "status_since")}
    today = local_today()
    version = version_of() or 0
    parsed, errors = rules.status_values(values["status"], values["status_since"], today)
    if errors:
        return _detail(obj, 422, status_values=values, status_errors=errors)
    if version != obj.version:
        return _status_conflict(obj, values)
    status, since = parsed["status"], parsed["status_since"]
    confirmed = request.form.get("actie") == "bevestigen"
    effect = werkbon_replan.object_status_effect(obj, status, since, today)
    if not confirmed and not effect.empty:
        return _detail(obj, status_values=values, gevolgen=_gevolgen(effect, status, since))
    try:
        saved, errors, done = werkbon_replan.apply_object_status(
            obj, status, since, current_user.username, today, version=version,
            shown=request.form.get("gevolgen", "") if confirmed else effect.fingerprint)
    except service.Conflict:
        return _status_conflict(obj, values)
    except werkbon_replan.PlanChanged:
        fresh = werkbon_replan.object_status_effect(obj, status, since, today)
        return _detail(obj, 409, status_values=values,
                       gevolgen=_gevolgen(fresh, status, since, changed=True))
    if errors:
        return _detail(obj, 422, status_values=values, status_errors=errors)
    label = STATUSES[saved.status].lower()
    when = f" (met ingang van {short_date(saved.status_since)})" if saved.status != "actief" \
        else ""
    cancelled = len(done.cancel)
    flash(f"Object {saved.number} is nu {label}{when}."
          + (f" {count(cancelled, 'werkbon', 'werkbonnen')} geannuleerd." if cancelled else ""),
          "succes")
    return redirect_after_post(url_for("objecten.detail", object_id=obj.id))


def _status_conflict(obj: Object, values: dict):
    flash("Iemand anders heeft dit object intussen gewijzigd (zie hieronder). Kijk of de "
          "status nog gewijzigd moet worden en probeer het opnieuw.", "fout")
    return _detail(_get(obj.id), 409, status_values=values)


def _gevolgen(effect, status: str, since, changed: bool = False) -> dict:
    """What the object page shows of a status change before it is saved: per contract its
    plan with the names of its slots and objecten (as the contract edit's Controle)."""
    rows = []
    for contract, plan in effect.contracts:
        names = effect_names(plan, [contract])
        rows.append({"contract": contract, "plan": plan, **names})
    return {"status": status, "since": since, "contracts": rows, "changed": changed,
            "fingerprint": effect.fingerprint}


@bp.route("/<int:object_id>/wissen", methods=["POST"])
def wipe(object_id):
    obj = _get(object_id)
    done, why = service.wipe_object(obj, current_user.username)
    if not done:
        flash(why, "fout")
        return redirect_after_post(url_for("objecten.detail", object_id=obj.id))
    flash(f"Object {obj.number} is gewist.", "succes")
    return redirect_after_post(url_for("werkadressen.detail", werkadres_id=obj.werkadres_id))


@bp.route("/<int:object_id>/labels")
def label(object_id):
    obj = _get(object_id)
    return labels_pdf(Object.select().where(Object.id == obj.id), f"label-{obj.number}",
                      f"Objectlabel {obj.number}")
