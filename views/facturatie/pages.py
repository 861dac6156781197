"""Te factureren (`/facturatie`) and a contract's Facturatie (`/contracten/<id>/facturatie`).

Reading is for every signed-in user; changing terms and marking termijnen gefactureerd is for
planners and beheerders (requires_role("planner") lets both through)."""

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from html import escape
from urllib.parse import parse_qsl, urlencode

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user
from jinja2_fragments.flask import render_block
from markupsafe import Markup

from models.common.dutch_dates import short_date
from models.common.validation import (
    DATE_RANGE_MESSAGE,
    control_problem,
    in_range,
    iso_date,
    whole,
)
from models.contracts import draft_checks
from models.contracts.tables import Contract
from models.db import paging
from models.facturatie import indexreeksen, service
from models.facturatie import input as terms_input
from models.facturatie import termijnen as maths
from models.facturatie import totals as totals_store
from models.facturatie.tables import STATUSES, Factuurtermijn, terms_of
from models.stamdata.klanten import Klant
from views.access import requires_role
from views.render import redirect_after_post, render, wants_fragment
from views.today import local_today

bp = Blueprint("facturatie", __name__)
SHOWN = 50  # rows on a page (keyset pages); the totals and the export cover the whole selection
KLANTEN_SHOWN = 25  # klanten in "Totaal per klant" on a page (by name; "Volgende klanten")
STATUS_FILTERS = {"concept": "Te factureren (concept)", "gefactureerd": "Gefactureerd",
                  "alle": "Alle"}


_escaped = lru_cache(maxsize=8192)(escape)  # klanten, debiteurnummers, labels recur


def termijn_rows(rows, contract_url: str, statuses: dict) -> Markup:
    """The list's rows as one string (the template's loop over 50 rows was most of the
    page's time): the same markup, every text from the database escaped (html.escape, as
    views/werkbon_rij.py). Per row only what is its own is built: the date, the amount and
    the closing cells (BTW rate and status, without an invoice number) come from small
    caches, the fields from the row's tuple."""
    parts = []
    days: dict = {}
    tails: dict = {}
    for (termijn_id, contract_id, invoice_on, description, cents, btw_tarief, status,
         factuurnummer, klant, debiteurnummer, contract_number) in rows:
        description, number = escape(description), escape(contract_number)
        box = (f'<input type="checkbox" name="ids" value="{termijn_id}" '
               f'id="termijn-{termijn_id}" aria-label="Termijn {description} kiezen">'
               if status == "concept" else "")
        day = days.get(invoice_on) or days.setdefault(invoice_on, short_date(
            date.fromisoformat(invoice_on) if isinstance(invoice_on, str) else invoice_on))
        key = (btw_tarief, status)
        tail = tails.get(key) or tails.setdefault(key, (
            f"<td>{_escaped(maths.BTW_LABELS.get(btw_tarief, btw_tarief))}</td>\n"
            f"<td>{_escaped(statuses.get(status, status))}"))
        parts.append(
            f"<tr>\n<td>{box}</td>\n<td>{day}</td>\n"
            f"<td>{_escaped(klant)}<br><small>{_escaped(debiteurnummer)}</small></td>\n"
            f'<td><label for="termijn-{termijn_id}">{description}</label> '
            f'<a href="{contract_url.format(contract_id)}" aria-label="Contract {number}">'
            f"{number}</a></td>\n"
            f'<td class="getal{" negatief" if cents < 0 else ""}">{_bedrag(cents)}</td>\n'
            f"{tail}"
            f"{f'<br><small>{escape(factuurnummer)}</small>' if factuurnummer else ''}"
            "</td>\n</tr>\n")
    return Markup("".join(parts))


def klant_rows(klanten) -> Markup:
    """Totaal per klant's rows (as termijn_rows: one string, the names escaped)."""
    return Markup("".join(
        f'<tr><td>{_escaped(name)}</td><td class="getal">{count}</td>'
        f'<td class="getal">{_bedrag(cents)}</td><td class="getal">{_bedrag(btw)}</td></tr>'
        for _klant_id, name, cents, btw, count in klanten))


@bp.app_template_filter("bedrag")
@lru_cache(maxsize=16384)  # amounts recur (a contract's termijnen, the totals' rows)
def _bedrag(cents) -> str:
    return "" if cents is None else "€ " + maths.money(int(cents))


@dataclass
class PrijsVoorbeeld:
    error: str = ""
    yearly: int | None = None
    first: list = field(default_factory=list)
    kind: str = ""
    factureren: str = ""
    basis: str = "jaar"
    price: int | None = None  # the typed price (per jaar, factuurperiode, bezoek or object)
    waits: str = ""  # basis bezoek/object before the schedule or objecten are known

    def units(self) -> list[str]:
        """Per termijn what it counts ('4 bezoeken à € 85,00'), '' for jaar and periode."""
        return [maths.unit_text(t, self.basis) for t in self.first]


PERIODS_PER_YEAR = {"maand": 12, "kwartaal": 4, "halfjaar": 2, "jaar": 1}


def _shown(terms, terms_values: dict, start: date, first: bool = True) -> PrijsVoorbeeld:
    """The preview of `terms`: kind, factureren and typed price; with `first` its first three
    termijnen, and for a price per jaar or factuurperiode its yearly value."""
    basis = terms_values["prijs_per"]
    shown = PrijsVoorbeeld(kind=maths.PERIOD_LABELS[terms.kind], basis=basis,
                           price=terms_values["prijs_cents"],
                           factureren="vooraf" if terms.factureren == "vooraf" else "achteraf")
    if first:
        shown.first = maths.first_termijnen(terms)
    if basis in ("jaar", "periode"):
        price = maths.price_on(terms.history(start), start)
        shown.yearly = price * PERIODS_PER_YEAR[terms.kind] if basis == "periode" else price
    return shown


def prijs_voorbeeld(values: dict) -> PrijsVoorbeeld:
    """The wizard's price preview (templates/facturatie/_wizard_prijs.html): the yearly value
    and the first three termijnen of the typed price over the typed period. Pure reading."""
    terms_values, errors = terms_input.clean(values)
    if errors:
        return PrijsVoorbeeld(error="Het voorbeeld wacht op een geldige prijs.")
    if terms_values["prijs_cents"] is None:
        return PrijsVoorbeeld()
    start = iso_date(values.get("start_date") or "")
    if start is None or not in_range(start):
        return PrijsVoorbeeld(error="Vul een startdatum in om de termijnen te zien.")
    end = None if draft_checks.renews(values) else iso_date(draft_checks.effective_end(values))
    if end is not None and (not in_range(end) or end < start):
        return PrijsVoorbeeld(error="Het voorbeeld wacht op een geldige looptijd.")
    voorwaarden = draft_checks.terms_of(values)
    basis = terms_values["prijs_per"]
    terms = terms_of(terms_values, start, end, voorwaarden.invoice_period if voorwaarden
                     else None)
    # per bezoek/object, what a termijn counts (the schedule's visits, the covered objecten) is
    # chosen in the steps after this one: Controle shows the termijnen, counted as the sweep will
    shown = _shown(terms, terms_values, start, first=basis in ("jaar", "periode"))
    if basis == "bezoek":
        shown.waits = "de termijnen tellen de bezoeken van het schema"
    elif basis == "object":
        shown.waits = "de termijnen tellen de gedekte objecten die in gebruik zijn"
    return shown


def prijs_controle(values: dict, today: date) -> PrijsVoorbeeld | None:
    """Controle of a new contract: its price and first three termijnen, counted as the sweep
    will count them (the visits of its schedule, its covered objecten); None without a price.
    Pure reading."""
    terms_values, errors = terms_input.clean(values)
    if errors or terms_values["prijs_cents"] is None:
        return None
    contract = draft_checks.new_contract(values)
    if contract is None:
        return PrijsVoorbeeld(error="De termijnen volgen als het contract compleet is.")
    terms = service.terms_for(contract, terms_values, today)
    return _shown(terms, terms_values, contract.start_date)


@bp.record_once
def _globals(state):
    """What the wizard's step Overeenkomst shows of facturatie (an include of this area)."""
    state.app.jinja_env.globals.update(
        prijs_voorbeeld=prijs_voorbeeld, prijs_controle=prijs_controle,
        facturatie_bases=maths.BASES, facturatie_btw=maths.BTW_LABELS,
        facturatie_perioden=maths.PERIOD_LABELS, facturatie_factureren=maths.FACTUREREN)


@bp.get("/facturatie/voorbeeld")
def wizard_preview():
    """The wizard's live price preview (GET, side-effect free): the block for htmx, a page of
    its own when loaded directly."""
    values = {k: request.args[k] for k in (*terms_input.FIELDS, "start_date", "end_date",
                                            "contractvoorwaarden_id") if k in request.args}
    if wants_fragment():
        return render_block("facturatie/_wizard_prijs.html", "prijs_voorbeeld", values=values,
                            errors={}, contract=None)
    return render("facturatie/voorbeeld.html", values=values, errors={}, contract=None)


# --------------------------------------------------------------------------- Te factureren


def _filters(args, today: date) -> tuple[service.Filters, dict, dict]:
    """(filters, the form's values, errors): a bad date is named next to its field and the
    list falls back to its default for it."""
    form = {"tot": args.get("tot", "").strip(), "van": args.get("van", "").strip(),
            "status": args.get("status", "concept"), "klant": args.get("klant", ""),
            "contract": args.get("contract", ""), "btw": args.get("btw", ""),
            "klant_q": args.get("klant_q", "").strip()[:100]}
    errors = {}
    filters = service.Filters(date_to=today)
    for name in ("tot", "van"):
        if not form[name]:
            continue
        day = iso_date(form[name])
        if day is None:
            errors[name] = "Vul een geldige datum in (JJJJ-MM-DD)."
        elif not in_range(day):
            errors[name] = DATE_RANGE_MESSAGE
        elif name == "tot":
            filters.date_to = day
        else:
            filters.date_from = day
    if not form["tot"]:
        form["tot"] = today.isoformat()
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        errors["van"] = "De begindatum ligt na de einddatum."
        filters.date_from = None
    if form["status"] not in STATUS_FILTERS:
        form["status"] = "concept"
    filters.status = "" if form["status"] == "alle" else form["status"]
    filters.klant_id = whole(form["klant"], 1) if form["klant"] else None
    filters.contract_id = whole(form["contract"], 1) if form["contract"] else None
    filters.btw_tarief = form["btw"] if form["btw"] in maths.BTW_TARIEVEN else ""
    return filters, form, errors


def _page_url(args, **changes) -> str:
    """This list's URL with its filters and `changes` (None: left out), for the page links."""
    query = {k: v for k, v in args.items() if k not in changes and v != ""}
    query.update({k: v for k, v in changes.items() if v is not None})
    return url_for("facturatie.index") + ("?" + urlencode(query) if query else "")


@bp.get("/facturatie/")
def index():
    filters, form, errors = _filters(request.args, local_today())
    args = {k: v for k, v in request.args.items() if k in (*form, "cursor", "klanten")}
    after = None
    if request.args.get("cursor"):
        try:
            day, termijn_id = paging.decode(request.args["cursor"])
            after = (date.fromisoformat(day), int(termijn_id))
        except (paging.BadCursor, ValueError, TypeError):
            args.pop("cursor", None)  # a broken link: the first page
    rows, more = totals_store.rows_page(filters, after, SHOWN)
    # (a row's day is a date on PostgreSQL, ISO text on SQLite: str() is the ISO form of both)
    next_cursor = paging.encode([str(rows[-1][2]), rows[-1][0]]) if more else None
    klanten_after = None
    if request.args.get("klanten"):
        try:
            name, klant_id = paging.decode(request.args["klanten"])
            klanten_after = (str(name), int(klant_id))
        except (paging.BadCursor, ValueError, TypeError):
            args.pop("klanten", None)
    totals = service.totals(filters, klanten_after, KLANTEN_SHOWN)
    following = totals["klanten_next"]
    return render(
        "facturatie/index.html", "resultaten", rows=rows, totals=totals, form=form,
        errors=errors, statuses=STATUS_FILTERS, termijn_statuses=STATUSES,
        # the klant search's matches only on a full page (a fragment has no filter form)
        klant_keuze=None if wants_fragment() else service.klant_choices(form["klant_q"],
                                                                        filters.klant_id),
        btw_labels=maths.BTW_LABELS, shown=SHOWN, query=request.query_string.decode(),
        next_url=_page_url(args, cursor=next_cursor) if next_cursor else None,
        first_url=_page_url(args, cursor=None) if args.get("cursor") else None,
        klanten_next_url=_page_url(args, klanten=paging.encode(list(following)))
        if following else None,
        klanten_first_url=_page_url(args, klanten=None) if args.get("klanten") else None,
        # one URL pattern for the rows' contract links (url_for per row was a tenth of the page)
        klant_rows=klant_rows(totals["klanten"]),
        termijn_rows=termijn_rows(rows, url_for("contracten.detail", contract_id=4242424242)
                                  .replace("4242424242", "{}"), STATUSES))


@bp.get("/facturatie/klanten")
def klanten():
    """The klant filter's search as the planner types (the form's values with it, so the
    chosen klant stays chosen): its choices for htmx; without htmx the page itself."""
    chosen, form, _errors = _filters(request.args, local_today())
    if not wants_fragment():
        query = {k: v for k, v in request.args.items() if k in form and v != ""}
        return redirect(url_for("facturatie.index") + ("?" + urlencode(query) if query else ""))
    return render_block("facturatie/index.html", "klant_opties", form=form,
                        klant_keuze=service.klant_choices(form["klant_q"], chosen.klant_id))


@bp.get("/facturatie/export.csv")
def export():
    filters, _form, errors = _filters(request.args, local_today())
    if errors:
        abort(400)
    # streamed (a batch of rows at a time) with the request's context, so its connection
    # stays open until the last batch
    resp = Response(stream_with_context(service.csv_stream(filters)),
                    content_type="text/csv; charset=utf-8")
    stamp = (filters.date_to or local_today()).isoformat()
    resp.headers["Content-Disposition"] = f'attachment; filename="te-factureren-{stamp}.csv"'
    return resp


@bp.post("/facturatie/gefactureerd")
@requires_role("planner")
def mark():
    ids = [whole(v, 1) for v in request.form.getlist("ids")]
    number = request.form.get("factuurnummer", "").strip()
    # back to the list as it was filtered (its query string, rebuilt: never a raw value)
    query = urlencode(parse_qsl(request.form.get("terug", ""))[:20])
    back = url_for("facturatie.index") + ("?" + query if query else "")
    problem = None
    if None in ids:
        problem = "Kies termijnen uit de lijst."
    elif len(number) > 60:
        problem = "Het factuurnummer is te lang (hooguit 60 tekens)."
    elif (msg := control_problem(number)):
        problem = msg
    if problem is None:
        try:
            count = service.mark_invoiced(ids, number, current_user.username)
        except service.Refused as refused:
            problem = refused.errors["ids"]
        else:
            flash(f"{count} {'termijn' if count == 1 else 'termijnen'} gemarkeerd als "
                  "gefactureerd.", "succes")
            return redirect_after_post(back)
    flash(problem, "fout")
    return redirect_after_post(back)


# --------------------------------------------------------------------------- a contract's terms


def _contract(contract_id: int) -> Contract:
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None:
        abort(404)
    return contract


def _context(contract: Contract, values: dict, form: dict, errors: dict, version):
    today = local_today()
    preview = None if errors else service.preview(contract, values, today)
    return {"contract": contract, "form": form, "errors": errors, "version": version,
            "preview": preview, "periods": maths.PERIOD_LABELS, "factureren": maths.FACTUREREN,
            "btw_labels": maths.BTW_LABELS, "kind_label": service.kind_label(contract, values),
            "today": today, "bases": maths.BASES, "reeksen": indexreeksen.options(),
            "unit_text": maths.unit_text}


@bp.route("/contracten/<int:contract_id>/facturatie", methods=["GET", "POST"])
def terms(contract_id: int):
    contract = _contract(contract_id)
    current = service.terms_row(contract.id)
    if request.method == "GET":
        values = current.values if current else dict(terms_input.DEFAULTS, prijs_cents=None)
        if current is None:  # a running contract priced now: invoiced from today's period
            values["factureren_vanaf"] = service.default_vanaf(contract, values, local_today())
        return render("facturatie/voorwaarden.html", **_context(
            contract, values, terms_input.as_form(values), {},
            current.version if current else ""))
    if not current_user.may("planner"):
        abort(403)
    values, errors = terms_input.clean(request.form)
    version = whole(request.form.get("version", ""), 1)
    if not errors:
        try:
            _row, corrected = service.save_terms(contract.id, values, version,
                                                 current_user.username, local_today())
        except service.Conflict:
            errors = {"prijs": "Een collega heeft de facturatie van dit contract intussen "
                               "gewijzigd. Hieronder staat wat nu geldt; voer uw wijziging "
                               "opnieuw in."}
            current = service.terms_row(contract.id)
            values = current.values if current else dict(terms_input.DEFAULTS, prijs_cents=None)
            return render("facturatie/voorwaarden.html", status=409, **_context(
                contract, values, terms_input.as_form(values), errors,
                current.version if current else ""))
        except service.Refused as refused:
            errors = refused.errors
        else:
            message = "Facturatie opgeslagen."
            if corrected:
                noun = "correctietermijn" if corrected == 1 else "correctietermijnen"
                message += f" {corrected} {noun} aangemaakt voor al gefactureerde perioden."
            flash(message, "succes")
            return redirect_after_post(url_for("contracten.detail", contract_id=contract.id))
    form = {name: request.form.get(name, "") for name in terms_input.FIELDS}
    return render("facturatie/voorwaarden.html", status=422, **_context(
        contract, values, form, errors, request.form.get("version", "")))


@bp.get("/contracten/<int:contract_id>/facturatie/voorbeeld")
def terms_preview(contract_id: int):
    """The live preview while typing: yearly value, the first three termijnen, and what saving
    does to termijnen already made. Side-effect free."""
    contract = _contract(contract_id)
    values, errors = terms_input.clean(request.args)
    form = {name: request.args.get(name, "") for name in terms_input.FIELDS}
    return render("facturatie/voorwaarden.html", "voorbeeld",
                  **_context(contract, values, form, errors, ""))


@bp.get("/contracten/<int:contract_id>/facturatie/overzicht")
def summary(contract_id: int):
    """The Facturatie section of the contract page: terms, price history, termijnen."""
    contract = _contract(contract_id)
    current = service.terms_row(contract.id)
    preview = service.preview(contract, current.values, local_today()) if current else None
    rows = list(Factuurtermijn.select().where(Factuurtermijn.contract == contract.id)
                .order_by(Factuurtermijn.period_start.desc(), Factuurtermijn.seq.desc())
                .limit(24))
    return render("facturatie/overzicht.html", "overzicht", contract=contract, current=current,
                  preview=preview, rows=rows, termijn_statuses=STATUSES,
                  btw_labels=maths.BTW_LABELS, bases=maths.BASES,
                  kind_label=service.kind_label(contract, current.values) if current else "",
                  factureren=maths.FACTUREREN, klant=Klant.get_by_id(contract.klant_id))
