"""Werkadressen and objecten: the pages (`werkadressen`: a klant's werkadressen and each one's
objecten; `pages`: the object list, the object page, its form, status and labels). This module
holds what both share: reading their forms, the "intussen gewijzigd" comparison, and the
labels PDF answer.
"""

import re
from functools import lru_cache

from flask import make_response, request, url_for
from markupsafe import Markup, escape

from models.common.dutch_dates import count
from models.common.validation import whole
from models.objecten import labels as object_labels
from models.objecten.tables import STATUSES, Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
from models.werkbonnen.object_history import Row
from models.werkbonnen.tables import STATUSES as WERKBON_STATUSES
from views.filters import time_element

WAS = "_was_"  # hidden fields: what the edit form showed when it was opened
WERKADRES_FORM = ("name", "street", "house_number", "postcode", "city", "access_notes")
OBJECT_FORM = ("number", "objecttype_id", "werkadres_id", "brand", "model", "serial_number",
               "location", "installed_on", "warranty_until", "notes")
TOO_MANY = ("Dat zijn {n}; labels afdrukken kan voor hooguit {max} objecten tegelijk. Maak de "
            "selectie kleiner met zoeken of de filters.")


def form_values(fields: tuple[str, ...]) -> dict:
    return {f: request.form.get(f, "") for f in fields}


def shown(value) -> str:
    """A stored value as its form field shows it (dates as JJJJ-MM-DD, ids as digits)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def stored(row, fields: tuple[str, ...]) -> dict:
    """The form's strings for a stored werkadres or object."""
    return {f: shown(getattr(row, f)) for f in fields}


def originals(fields: tuple[str, ...]) -> dict:
    return {f: request.form.get(WAS + f, "") for f in fields}


def changed_meanwhile(original: dict, now: dict) -> dict:
    """{field: what is stored now} for each field someone else changed since the form was
    opened (the form shows it beside the planner's own input)."""
    return {f: now[f] or "(leeg)" for f in now if f in original and original[f] != now[f]}


def version_of() -> int | None:
    return whole(request.form.get("version", ""))


def first_position() -> int:
    """Where on the sheet to start (?vanaf=1..24), 1 when missing or out of range."""
    first = whole(request.args.get("vanaf", "1") or "1")
    return first if first is not None and 1 <= first <= object_labels.PER_SHEET else 1


def label_rows(query):
    """The objects of `query` (any Object query, joined or not) with what a label prints, in
    number order."""
    return (Object.select(Object.id, Object.number, Objecttype.name, Werkadres.street,
                          Werkadres.house_number, Werkadres.city, Klant.name)
            .join(Werkadres).join(Klant).switch(Object).join(Objecttype)
            .where(Object.id.in_(query.select(Object.id)))
            .order_by(Object.number, Object.id).tuples())


def too_many(total: int) -> str | None:
    if total > object_labels.MAX_LABELS:
        return TOO_MANY.format(n=count(total, "object", "objecten"),
                               max=object_labels.MAX_LABELS)
    return None


def labels_pdf(query, filename: str, title: str):
    """The labels of the objects of `query` as a PDF answer (shown in the browser, to print).
    Each QR code opens the object page at the address this request came to: what the planner's
    browser reaches is what a technician's phone reaches."""
    detail = url_for("objecten.detail", object_id=0, _external=True).rsplit("0", 1)[0]
    rows = [object_labels.Label(
        number=number, objecttype=kind, klant=klant,
        werkadres=f"{street} {house}, {city}".strip(" ,"), url=f"{detail}{object_id}")
        for object_id, number, kind, street, house, city, klant in label_rows(query)]
    pdf = object_labels.sheet(rows, first_position(), title)
    resp = make_response(pdf)
    resp.headers["Content-Type"] = "application/pdf"
    # an object number is typed by a person: only letters, digits, - _ . reach the header
    filename = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "labels"
    resp.headers["Content-Disposition"] = f'inline; filename="{filename}.pdf"'

    resp.headers["Cache-Control"] = "no-store"
    return resp


_ROW = ('<tr><th scope="row"><a href="{detail}{id}">{number}</a></th><td>{kind}</td>'
        "<td>{brand}{location}</td><td>{street} {house}<br><small>{postcode} {city}</small></td>"
        '<td>{klant}</td><td><span class="badge obj-status-{status}">{label}</span></td></tr>\n')


_SEP = "\x1f"  # the unit separator: escape() leaves it alone, and no field holds one


def _escaped(fields: tuple) -> list[str]:
    """The text `fields` escaped for HTML: joined by _SEP and escaped in one call (one by one
    should a field hold _SEP after all)."""
    safe = str(escape(_SEP.join(fields))).split(_SEP)
    return safe if len(safe) == len(fields) else [str(escape(field)) for field in fields]


def object_rows(rows) -> Markup:
    """The object list's rows (models.objecten.search.ListRow), built in Python: fifty rows of
    template code with a url_for each cost more than the query. A row's HTML is remembered by
    the tuple it was read from (`_object_row`): the first pages of the list are asked again and
    again, and escaping and formatting 50 rows was a third of a page's CPU."""
    detail = url_for("objecten.detail", object_id=0)[:-1]
    return Markup("".join(_object_row(o.raw, detail) for o in rows))


@lru_cache(maxsize=4096)  # ~0.5 kB a row: a few MB per process at most
def _object_row(raw: tuple, detail: str) -> str:
    """One list row of `raw` (search.LIST_COLUMNS' tuple): all it shows, so the same tuple is
    the same HTML. Its text fields are escaped in one call (joined by _SEP; one by one should a
    field hold _SEP after all)."""
    (oid, number, status, brand, model, location, objecttype, street, house_number, postcode,
     city, klant) = raw
    fields = (number, objecttype or "", f"{brand or ''} {model or ''}".strip(),
              location or "", street or "", house_number or "", postcode or "",
              city or "", klant or "", status, STATUSES.get(status, status))
    (number, kind, brand, location, street, house, postcode, city, klant, status,
     label) = _escaped(fields)
    return _ROW.format(
        detail=detail, id=int(oid), number=number, kind=kind, brand=brand,
        location=f"<br><small>{location}</small>" if location else "", street=street,
        house=house, postcode=postcode, city=city, klant=klant, status=status, label=label)


_HISTORY_ROW = ('<tr><td class="nowrap">{day}</td>\n'
                '  <th scope="row"><a href="{werkbon_url}{id}">{number}</a></th>\n'
                "  <td>{contract}</td>\n  <td>{medewerker}</td>\n"
                '  <td><span class="badge wb-status wb-status-{status}">{label}</span>{reason}'
                "</td></tr>\n")


def history_rows(rows, werkbon_url: str, contract_url: str) -> Markup:
    """The object page's service history rows (models.werkbonnen.object_history.Row), built
    in Python like the object list's: 25 rows of template expressions were most of the page.
    A row's HTML is remembered by what it shows (`_history_row`)."""
    return Markup("".join(_history_row(w.raw, werkbon_url, contract_url) for w in rows))


@lru_cache(maxsize=4096)  # an object's history is read again and again, the same rows
def _history_row(raw: tuple, werkbon_url: str, contract_url: str) -> str:
    """One history row of `raw` (the query's tuple, object_history.HISTORY_COLUMNS): all it
    shows, so the same tuple is the same HTML."""
    w = Row(raw)
    number, contract, medewerker, status, label, reason = _escaped((
        w.number, w.contract_number or "", w.medewerker_name or "—", w.status,
        WERKBON_STATUSES.get(w.status, w.status),
        w.cancel_reason if w.status == "geannuleerd" and w.cancel_reason else ""))
    return _HISTORY_ROW.format(
        day=time_element(w.due_date), werkbon_url=werkbon_url, id=int(w.id),
        number=number, medewerker=medewerker, status=status, label=label,
        contract=(f'<a href="{contract_url}{int(w.contract_id)}">{contract}</a>'
                  if w.contract_id else "—"),
        reason=f" <small>{reason}</small>" if reason else "")


_OPEN_ROW = ('<tr><td class="nowrap">{day}{late}</td>\n'
             '  <th scope="row"><a href="{werkbon_url}{id}">{number}</a></th>\n'
             "  <td>{description}</td><td>{medewerker}</td>\n"
             '  <td><span class="badge wb-status wb-status-{status}">{label}</span></td></tr>\n')
_LATE = ' <span class="badge te-laat">te laat</span>'


def open_rows(rows, today, werkbon_url: str) -> Markup:
    """The object page's open werkbonnen (object_history.Row), soonest first, "te laat" on
    those past their date: built in Python like the history's rows (a template loop cost a
    call and an escape per cell)."""
    out = []
    for w in rows:
        number, description, medewerker, status, label = _escaped((
            w.number, w.description or "", w.medewerker_name or "—", w.status,
            WERKBON_STATUSES.get(w.status, w.status)))
        out.append(_OPEN_ROW.format(
            day=time_element(w.due_date), late=_LATE if w.due_date and w.due_date < today
            else "", werkbon_url=werkbon_url, id=int(w.id), number=number,
            description=description, medewerker=medewerker, status=status, label=label))
    return Markup("".join(out))


_VISIT_ROW = ('<tr><td class="nowrap">{day}</td><td class="nowrap">{made}</td>\n'
              '  <td><a href="{contract_url}{id}">{number}</a> {description}</td></tr>\n')


def visit_rows(visits, today, contract_url: str) -> Markup:
    """The object page's next visits (object_history.Visit): the date, the day its werkbon
    is made ("nu, wordt gemaakt" when that day has come) and the contract."""
    out = []
    for v in visits:
        number, description = _escaped((v.contract.number, v.contract.description or ""))
        out.append(_VISIT_ROW.format(
            day=time_element(v.date),
            made="nu, wordt gemaakt" if v.generate_on <= today else time_element(v.generate_on),
            contract_url=contract_url, id=int(v.contract.id), number=number,
            description=description))
    return Markup("".join(out))


def register(app) -> None:
    app.jinja_env.globals["object_rijen"] = object_rows
    app.jinja_env.globals["geschiedenis_rijen"] = history_rows
    app.jinja_env.globals["open_werkbon_rijen"] = open_rows
    app.jinja_env.globals["bezoek_rijen"] = visit_rows
