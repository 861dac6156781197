"""Werkbonnen: the list (filters, search, keyset pages, inline changes) and the werkbon page.

Every change goes through models.werkbonnen.service.change; with htmx a change answers with the
changed row (or the werkbon page's region), without JavaScript it redirects back to where the
planner was.
"""

import json
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlencode

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from models.common.dutch_dates import long_date, short_date
from models.common.validation import DATE_RANGE_MESSAGE, in_range, iso_date, whole
from models.contracts.tables import Contract
from models.db import audit, paging
from models.objecten.tables import Object, Werkadres
from models.sla import service as sla_service
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import list_query as werkbon_list
from models.werkbonnen import objecten as werkbon_objecten
from models.werkbonnen import pager as werkbon_pager
from models.werkbonnen import replan
from models.werkbonnen import search as werkbon_search
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.list_query import Condition
from models.werkbonnen.tables import STATUSES, TRANSITIONS, Werkbon
from views import werkbon_rij
from views.render import is_htmx, render, wants_fragment
from views.today import local_today

bp = Blueprint("werkbonnen", __name__, url_prefix="/werkbonnen")
PAGE_SIZE = 50
TO_DO = "te_doen"  # a status filter for "not done and not cancelled", as the dashboard counts
ALL = "alle"  # every status (said in the URL: without a filter the list shows what is to do)
STATUS_FILTERS = {TO_DO: "Nog te doen", **STATUSES}
FILTERS = ("q", "status", "medewerker", "contract", "klant", "object", "werkadres", "van", "tot",
           "ongepland", "te_laat", "dreigt", "verlopen")
CLOSED = ("afgerond", "geannuleerd")
HISTORY_LIMIT = 50
LABELS = {"medewerker_id": "Medewerker", "planned_start": "Gepland", "status": "Status",
          "cancel_reason": "Reden annulering", "due_date": "Datum", "description": "Omschrijving",
          "duration_minutes": "Duur (minuten)", "completed_on": "Afgerond op"}


def select(full: bool = False):
    """Werkbonnen with their klant, contract and medewerker in one query; a list reads only
    what its rows show (werkbon_service.list_select, read with list_rows)."""
    if not full:
        return werkbon_pager.list_select()
    return werkbon_pager.with_related(Werkbon.select(Werkbon, Klant, Contract, Medewerker))


def active_medewerkers():
    return list(Medewerker.select().where(Medewerker.active == True)  # noqa: E712
                .order_by(Medewerker.name, Medewerker.id))


def _date(value: str) -> date | None:
    day = iso_date(value)
    return day if day is not None and in_range(day) else None


def understood(args) -> dict:
    """The list's filters from the query string; values that make no sense are dropped, so
    the links on the page never carry them along. Without any (the landing page and its next
    pages) the list shows what is still to do, te laat first: finished work is one filter
    away ("alle", or a status)."""
    if not any(k in args for k in FILTERS):
        return {**dict.fromkeys(FILTERS, ""), "status": TO_DO}
    f = {k: args.get(k, "").strip() for k in FILTERS}
    if f["status"] not in STATUS_FILTERS:
        f["status"] = ALL
    for key in ("medewerker", "contract", "klant", "object", "werkadres"):
        if whole(f[key]) is None:
            f[key] = ""
    for key in ("van", "tot"):
        if _date(f[key]) is None:
            f[key] = ""
    for key in ("ongepland", "te_laat", "dreigt", "verlopen"):
        if f[key] != "1":
            f[key] = ""
    return f


def filter_errors(args, f: dict) -> dict:
    """Dutch errors for the date filters (the others are choices, not typing): a date that is
    no date is left out of the filter and said so; an end before the start finds nothing,
    and says why."""
    errors = {}
    for key in ("van", "tot"):
        typed = args.get(key, "").strip()
        if typed and not f[key]:
            errors[key] = (f"{DATE_RANGE_MESSAGE} Dit filter telt nu niet mee."
                           if iso_date(typed) else
                           "Dit is geen geldige datum; dit filter telt nu niet mee.")
    if f["van"] and f["tot"] and f["tot"] < f["van"]:  # ISO dates sort as text
        errors["tot"] = "Deze datum ligt vóór ‘Datum vanaf’: daartussen vallen geen werkbonnen."
    return errors


def conditions(f: dict, today: date) -> list[Condition]:
    """The list's conditions (models/werkbonnen/list_query.py) for the `understood` filters
    `f`, in the order the statements write them."""
    found = []
    if f["q"]:
        # the best matches by the full-text indexes (models/werkbonnen/search.py), at most
        # werkbon_search.LIMIT of them, then the list's own filters and order
        found.append(Condition("ids", tuple(werkbon_search.ranked_ids(f["q"]))))
    if f["status"] == TO_DO:
        found.append(Condition("open"))  # as its index says it (models/werkbonnen/tables.py)
    elif f["status"] != ALL:
        found.append(Condition("status", (f["status"],)))
    for key in ("medewerker", "contract", "klant", "werkadres", "object"):
        if f[key]:
            found.append(Condition(key, (int(f[key]),)))
    for key in ("van", "tot"):
        if f[key]:
            found.append(Condition(key, (_date(f[key]),)))
    if f["ongepland"]:
        found.append(Condition("ongepland"))
    if f["te_laat"]:
        found.append(Condition("te_laat", (today,)))
    wanted = {state for state in ("dreigt", "verlopen") if f[state]}
    if wanted:
        # SLA states depend on working time, so they are computed, over the open storingen only
        tz = current_app.config["TIMEZONE"]
        found.append(Condition("ids", tuple(
            w.id for w, c in sla_service.open_clocks(sla_service.now_in(tz), tz)
            if c.state in wanted)))
    return found


def _list_url(filters: dict, **extra) -> str:
    """url_for("werkbonnen.index", **filters, **extra) without the empty values; the path
    comes from `_path` (a page builds three of these)."""
    args = {k: v for k, v in filters.items() if v}
    args.update({k: v for k, v in extra.items() if v})
    path = _path("werkbonnen.index")
    return f"{path}?{_query(args)}" if args else path


def _query(args: dict) -> str:
    return urlencode(args, safe=URL_SAFE)


URL_SAFE = "!$'()*,/:;?@"  # what url_for leaves unescaped in a query (werkzeug's _urlencode)


def _path(endpoint: str, **values) -> str:
    """url_for(endpoint, **values) for a URL without a query, built once per app and
    application root: url_for costs ~10 µs, and a list page built six."""
    return _built(current_app._get_current_object(), request.script_root, endpoint,
                  tuple(sorted(values.items())))


@lru_cache(maxsize=256)
def _built(app, script_root: str, endpoint: str, values: tuple) -> str:
    url = url_for(endpoint, **dict(values))
    if "?" in url:
        raise ValueError(f"{endpoint}: {values} do not all belong in the path")
    return url


def row_context(today: date, medewerkers=None) -> dict:
    from models.sla.service import SlaView, now_in

    tz = current_app.config["TIMEZONE"]
    return {"statuses": STATUSES, "status_filters": STATUS_FILTERS, "transitions": TRANSITIONS,
            "today": today,
            "medewerkers": active_medewerkers() if medewerkers is None else medewerkers,
            "sla": SlaView(now_in(tz), tz)}


_MARK = 7_919_000_000_000_001  # an id no row has; its place in a built URL is where ids go


def id_url(endpoint: str, key: str, **query):
    """url_for(endpoint, key=id, **query) for many ids at the cost of none: the path is built
    (once, by `_around`) around a marker and split there; `query` goes after it."""
    before, after = _around(current_app._get_current_object(), request.script_root, endpoint,
                            key)
    if query:
        after = f"{after}?{_query(query)}"
    return lambda value: f"{before}{value}{after}"


@lru_cache(maxsize=64)
def _around(app, script_root: str, endpoint: str, key: str) -> tuple[str, str]:
    before, mark, after = _built(app, script_root, endpoint, ((key, _MARK),)).partition(
        str(_MARK))
    if not mark:
        raise ValueError(f"{endpoint}: {key} not in its URL")
    return before, after


class Rows:
    """What every row of a werkbonnen list needs, built once per page (templates/werkbonnen/
    _rij.html): a url_for per row and an include per row were most of a page's render time."""

    def __init__(self, context: dict, terug: str):
        self.today, self.sla = context["today"], context["sla"]
        self.statuses, self.transitions = context["statuses"], context["transitions"]
        self.medewerkers, self.terug = context["medewerkers"], terug
        self.detail = id_url("werkbonnen.detail", "werkbon_id")
        self.forms = id_url("werkbonnen.row_forms", "werkbon_id", terug=terug)
        self.contract = id_url("contracten.detail", "contract_id")
        self.places = {}  # {werkbon id: (werkadres, objecten)}: see `for_rows`

    def for_rows(self, werkbonnen) -> "Rows":
        """Where these werkbonnen are done and for which objecten, read once for them all."""
        self.places = werkbon_objecten.of_werkbonnen(werkbonnen)
        return self


@bp.route("/sla")
def sla_times():
    """The SLA badges of the given werkbonnen, out of band (polled by the list and planbord);
    the poller replaces itself without a trigger once none of them is open."""
    ids = [n for n in map(whole, request.args.get("ids", "").split(",")) if n is not None][:200]
    rows = list(Werkbon.select().where(Werkbon.id.in_(ids))) if ids else []
    ctx = row_context(local_today(), medewerkers=[])
    return render_template("werkbonnen/sla_tijden.html", rows=rows, sla=ctx["sla"],
                           open_ids=sla_service.open_sla_ids(rows))


def _page(filters: dict, today: date, cursor: str | None):
    """(rows, next_cursor) of the list for the `understood` filters, through SQL compiled once
    per shape of the filters (models/werkbonnen/list_query.py)."""
    return werkbon_list.page(conditions(filters, today), cursor, PAGE_SIZE)


def _labels(filters: dict) -> dict:
    """The contract, klant, object and werkadres the filters name (for the labels above the
    list that say what is filtered on and undo it); absent when the filter names none."""
    found = {}
    for key, model in (("contract", Contract), ("klant", Klant), ("object", Object),
                       ("werkadres", Werkadres)):
        if filters[key]:
            found[key] = model.get_or_none(model.id == int(filters[key]))
    return found


@bp.route("/")
def index():
    today = local_today()
    # the query string as a plain dict of first values: a missing key in Werkzeug's MultiDict
    # raises (and catches) an exception per get(), 3-4 µs each, a dozen per page
    args = request.args.to_dict()
    filters = understood(args)
    others = any(v for k, v in filters.items() if k != "status")
    cursor = args.get("cursor") or None
    try:
        rows, next_cursor = _page(filters, today, cursor)
    except paging.BadCursor:
        cursor = None
        rows, next_cursor = _page(filters, today, None)
    fragment, to_do = wants_fragment(), filters["status"] == TO_DO
    # the filter form and its labels are not in a fragment (the results only): no medewerkers
    # for its select, no names for the labels
    labels = {} if fragment else _labels(filters)
    here = _list_url(filters, cursor=cursor)
    context = row_context(today, medewerkers=[] if fragment else None)
    # the form was used (not the landing page or its bare next pages): say what made no sense
    submitted = any(key in args for key in FILTERS)
    errors = filter_errors(args, filters) if submitted else {}
    # the results, written in Python (views/werkbon_rij.py): all an htmx request gets
    results = werkbon_rij.results(
        rows, Rows(context, here).for_rows(rows), to_do=to_do,
        searched=others or filters["status"] not in (ALL, TO_DO),
        open_sla_ids=sla_service.open_sla_ids(rows),
        first_url=_list_url(filters) if cursor else None,
        next_url=_list_url(filters, cursor=next_cursor) if next_cursor else None,
        # the links of "what is still to do" (its explanation names the others)
        all_url=_list_url({**filters, "status": ALL}) if to_do else None,
        done_url=_list_url({**filters, "status": "afgerond"}) if to_do else None,
        error_slots=errors if submitted and fragment else None)
    if fragment:
        return make_response(str(results))
    return render("werkbonnen/lijst.html", resultaten=results, filters=filters, errors=errors,
                  contract=labels.get("contract"), klant=labels.get("klant"),
                  chosen_object=labels.get("object"), werkadres=labels.get("werkadres"),
                  without=lambda key: _list_url({**filters, key: ""}), **context)


def _get(werkbon_id: int) -> Werkbon:
    werkbon = select(full=True).where(Werkbon.id == werkbon_id).first()
    if werkbon is None:
        abort(404)
    return werkbon


def _history(werkbon: Werkbon) -> list[dict]:
    rows = list(audit.AuditLog.select()
                .where(audit.AuditLog.entity == "werkbon", audit.AuditLog.entity_id == werkbon.id)
                .order_by(audit.AuditLog.at.desc(), audit.AuditLog.id.desc())
                .limit(HISTORY_LIMIT))
    parsed = []
    ids = set()
    for row in rows:
        try:
            changes = json.loads(row.changes or "{}")
        except ValueError:
            changes = {}
        if not isinstance(changes, dict):
            changes = {}
        parsed.append((row, changes))
        pair = changes.get("medewerker_id")
        if isinstance(pair, list):
            ids.update(v for v in pair if isinstance(v, int))
    names = {m.id: m.name for m in Medewerker.select().where(Medewerker.id.in_(list(ids)))} \
        if ids else {}
    return [{"row": row, "changes": [(LABELS.get(k, k), _shown(k, pair, 0, names),
                                      _shown(k, pair, 1, names))
                                     for k, pair in changes.items()
                                     if k != "changed_by_hand" and isinstance(pair, list)
                                     and len(pair) == 2]}
            for row, changes in parsed]


def _shown(key: str, pair: list, index: int, names: dict) -> str:
    value = pair[index]
    if value in (None, ""):
        return "—"
    if key == "medewerker_id":
        return names.get(value, f"medewerker {value}")
    if key == "status":
        return STATUSES.get(value, str(value))
    if key in ("due_date", "completed_on") and isinstance(value, str):
        try:
            return short_date(date.fromisoformat(value))
        except ValueError:
            return value
    if key == "planned_start" and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{short_date(moment.date())} {moment:%H:%M}"
    return str(value)


def _detail(werkbon: Werkbon, errors: dict, values: dict, status: int = 200,
            melding: str | None = None):
    today = local_today()
    medewerkers = active_medewerkers()
    return render("werkbonnen/detail.html", block="werkbon", status=status, w=werkbon,
                  objecten=werkbon_objecten.objecten_of([werkbon.id]).get(werkbon.id, []),
                  history=_history(werkbon), errors=errors, values=values, melding=melding,
                  terug=url_for("werkbonnen.detail", werkbon_id=werkbon.id),
                  overdue=_is_overdue(werkbon, today), **row_context(today, medewerkers))


def _is_overdue(werkbon: Werkbon, today: date) -> bool:
    return bool(werkbon.due_date and werkbon.due_date < today and werkbon.status not in CLOSED)


@bp.route("/<int(max=9223372036854775807):werkbon_id>")
def detail(werkbon_id):
    return _detail(_get(werkbon_id), {}, {})


def _safe_back(value: str | None, werkbon: Werkbon, view: str) -> str:
    """Back to the page the form was on, never off-site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    if view == "detail":
        return url_for("werkbonnen.detail", werkbon_id=werkbon.id)
    return url_for("werkbonnen.index")


def _apply(werkbon_id: int, data: dict, done: str):
    """Change the werkbon; answer htmx with the changed region, a plain form with a redirect."""
    werkbon = _get(werkbon_id)
    view = request.form.get("weergave", "rij")
    changed, errors = werkbon_service.change(werkbon, data, current_user.username,
                                             local_today())
    values = {k: request.form.get(k, "") for k in ("medewerker_id", "planned_start", "status",
                                                  "cancel_reason", "completed_on")
              if k in request.form}
    melding = None if errors else _completion_notice(changed, data, werkbon.status)
    if is_htmx():
        fresh = _get(werkbon_id)
        status = 422 if errors else 200
        if view == "detail":
            return _detail(fresh, errors, values if errors else {}, status, melding)
        back = _safe_back(request.form.get("terug"), fresh, view)
        html = render_template("werkbonnen/_rij_los.html", w=fresh, errors=errors,
                               values=values if errors else {},
                               r=Rows(row_context(local_today()), back).for_rows([fresh]))
        if melding:  # the list has no place of its own for it: the page's notices
            html += render_template("werkbonnen/_melding_oob.html", message=melding,
                                    category="succes")
        return html, status
    if errors:
        for field, message in errors.items():
            flash(f"{werkbon.number}: {LABELS.get(field, field)} — {message}", "fout")
    else:
        flash(f"Werkbon {changed.number} {done}.", "succes")
        if melding:
            flash(melding, "succes")
    return redirect(_safe_back(request.form.get("terug"), werkbon, view), 303)


def _completion_notice(werkbon: Werkbon, data: dict, before: str) -> str | None:
    """After a completion (or its date corrected, or a reopening) of a werkbon of a floating
    ("na afronding") onderdeel: where its next visit now stands, as Controle would say it."""
    if before == "afgerond" and werkbon.status != "afgerond":
        return _reopened_notice(werkbon)
    if werkbon.status != "afgerond" or not ({"status", "completed_on"} & set(data)):
        return None
    following = replan.floating_next(werkbon.id)
    if following is None:
        return None
    day, made, name = following
    when = long_date(day)
    if made:
        return (f"Afgerond op {long_date(werkbon.completed_on)}: de volgende werkbon van "
                f"{name} staat nu op {when}.")
    return (f"Afgerond op {long_date(werkbon.completed_on)}: de volgende werkbon van {name} "
            f"wordt verwacht op {when} (hij wordt gemaakt als hij aan de beurt is).")


def _reopened_notice(werkbon: Werkbon) -> str | None:
    """A floating onderdeel's werkbon reopened: its next werkbon was cancelled (it waits for
    this one again), unless someone had changed that one by hand."""
    following = replan.floating_next(werkbon.id)
    if following is not None and following[1]:
        day, _made, name = following
        return (f"Heropend: de volgende werkbon van {name} op {long_date(day)} blijft staan "
                f"(met de hand gewijzigd).")
    name = replan.floating_name(werkbon)
    if name is None:
        return None
    return (f"Heropend: de volgende werkbon van {name} komt pas als deze werkbon "
            f"weer is afgerond.")


@bp.route("/<int(max=9223372036854775807):werkbon_id>/wijzigen")
def row_forms(werkbon_id):
    """The change forms of one list row, loaded when the planner opens it."""
    werkbon = _get(werkbon_id)
    back = _safe_back(request.args.get("terug"), werkbon, "rij")
    if not is_htmx():
        return redirect(url_for("werkbonnen.detail", werkbon_id=werkbon.id))
    return render_template("werkbonnen/_wijzig_rij.html", w=werkbon, terug=back,
                           **row_context(local_today()))


@bp.route("/<int(max=9223372036854775807):werkbon_id>/toewijzen", methods=["POST"])
def assign(werkbon_id):
    medewerker_id = request.form.get("medewerker_id", "")
    return _apply(werkbon_id, {"medewerker_id": medewerker_id or None},
                  "is toegewezen" if medewerker_id else "heeft geen medewerker meer")


@bp.route("/<int(max=9223372036854775807):werkbon_id>/plannen", methods=["POST"])
def plan(werkbon_id):
    return _apply(werkbon_id, {"planned_start": request.form.get("planned_start", "") or None},
                  "heeft een nieuwe datum en tijd")


@bp.route("/<int(max=9223372036854775807):werkbon_id>/status", methods=["POST"])
def set_status(werkbon_id):
    status = request.form.get("status", "")
    data = {"status": status}
    if status == "afgerond" and request.form.get("completed_on"):
        data["completed_on"] = request.form["completed_on"]  # empty: today
    return _apply(werkbon_id, data, f"heeft nu status {STATUSES.get(status, status).lower()}")


@bp.route("/<int(max=9223372036854775807):werkbon_id>/afgerond-op", methods=["POST"])
def completed_on(werkbon_id):
    """Correct the day an afgerond werkbon was completed (a floating onderdeel's next visit
    follows it)."""
    return _apply(werkbon_id, {"completed_on": request.form.get("completed_on", "")},
                  "heeft een nieuwe datum van afronding")


@bp.route("/<int(max=9223372036854775807):werkbon_id>/annuleren", methods=["POST"])
def cancel(werkbon_id):
    return _apply(werkbon_id, {"status": "geannuleerd",
                               "cancel_reason": request.form.get("cancel_reason", "")},
                  "is geannuleerd")
