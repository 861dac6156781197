"""One row of the werkbonnen list, rendered in Python.

The list page is 50 of these. As a Jinja macro a row cost ~40 µs (17 expressions, each an
attribute lookup, a call and a Markup escape), most of the page; written out here it costs
~3 µs. Everything a person typed (number, klant, contract number, description, medewerker,
cancel reason) goes through `html.escape`; the rest is ours: ids, ISO dates, Dutch labels from
fixed tables, URLs built by url_for (views.werkbonnen.Rows).

The section around the rows (`results`) is written here too: an htmx request (a search
keystroke, a filter, the next page) gets it without a template at all; the full page puts it
into templates/werkbonnen/lijst.html's `resultaten` block.

The parts that other pages share stay templates: the SLA badge (`_sla.html`, only for
storingen) and the change forms (`_formulieren.html`, only when a change failed and the row
comes back open with the errors), which the caller renders and passes in as `forms`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from flask import current_app
from markupsafe import Markup
from markupsafe import escape as attr

from models.werkbonnen.tables import STATUSES
from views.filters import oob_error_slots, planned_element, sla_poller, time_element

CLOSED = ("afgerond", "geannuleerd")
# "—" as a character reference: one non-ASCII character makes Python hold the whole page as
# two bytes per character and encode it to UTF-8 the slow way (73 µs for a page of 50 rows,
# against 1.4 µs for ASCII). What the planner sees is the same dash.
DASH = "&#8212;"
NOBODY = '<span class="leeg">Niemand</span>'
LATE = ' <span class="badge te-laat-label">te laat</span>'


# Klant and medewerker names, contract numbers and descriptions repeat from row to row and page
# to page; a cache hit costs less than escaping again (the key is the text itself).
_escaped = lru_cache(maxsize=8192)(escape)


def _status_cell(status: str, label: str) -> str:
    return f'<span class="badge wb-status wb-status-{status}">{label}</span>'


_STATUS_CELLS = {status: _status_cell(status, label) for status, label in STATUSES.items()}


def _text(value) -> str:
    return _escaped(value) if value else DASH


def _sla_badge(w, r) -> str:
    clock = r.sla.clock(w)
    if clock is None:
        return ""
    macro = current_app.jinja_env.get_template("werkbonnen/_sla.html").module.sla_badge
    return str(macro(w, clock))


SHOWN_OBJECTS = 3  # object numbers a row names before "…"


def _place(w, r) -> str:
    """Where the werkbon is done, under the klant: its werkadres, or the klant's own address."""
    found = r.places.get(w.id) if r.places else None
    if found is not None and found[0] is not None:
        return f'<br><small class="werkadres">{_escaped(found[0].label)}</small>'
    address = w.klant_address
    return f'<br><small class="werkadres">{_escaped(address)}</small>' if address else ""


def _objects(w, r) -> str:
    """The objecten the werkbon is for, under its description: "BB-001", or "12 objecten:
    BB-001, BB-002, BB-003 …"."""
    found = r.places.get(w.id) if r.places else None
    if not found or not found[1]:
        return ""
    numbers = [_escaped(o.number) for o in found[1]]
    if len(numbers) == 1:
        return f'<br><small class="objecten">{numbers[0]}</small>'
    shown = ", ".join(numbers[:SHOWN_OBJECTS]) + (" …" if len(numbers) > SHOWN_OBJECTS else "")
    return f'<br><small class="objecten">{len(numbers)} objecten: {shown}</small>'


def row(w, r, forms: str | None = None, problem: str = "") -> str:
    """The `<tr>` of werkbon `w` (a models.werkbonnen.pager.ListRow or a Werkbon); `r` is
    views.werkbonnen.Rows. Without `forms` the last cell holds the closed "Wijzigen" that
    loads its forms when opened (a page of 50 rows stays small); with them (after a failed
    change) it is open, under the message `problem`."""
    wid, status, due = w.id, w.status, w.due_date
    late = due is not None and due < r.today and status not in CLOSED
    number = escape(w.number)
    detail = r.detail(wid)
    status_cell = _STATUS_CELLS.get(status)
    if status_cell is None or r.statuses is not STATUSES:
        label = r.statuses.get(status)
        if label is None:  # not one of ours (never written by Cadans): shown as it is, escaped
            status = label = escape(status)
        status_cell = _status_cell(status, label)
    if status == "geannuleerd" and w.cancel_reason:
        status_cell += f"<br><small>{escape(w.cancel_reason)}</small>"
    if w.contract_id:
        contract = f'<a href="{r.contract(w.contract_id)}">{_escaped(w.contract_number)}</a>'
    else:
        contract = DASH
    summary = f'<summary>Wijzigen<span class="visually-hidden"> werkbon {number}</span></summary>'
    if forms is None:
        actions = (f'<details class="wijzig" hx-get="{r.forms(wid)}" hx-trigger="toggle once"'
                   f' hx-target="find .wijzig-inhoud" hx-swap="innerHTML">{summary}'
                   f'<div class="wijzig-inhoud"><p><a href="{detail}">Wijzigen op de werkbonpagina'
                   f'</a></p></div></details>')
    else:
        actions = (f'<p class="veldfout" role="alert">Niet opgeslagen: {escape(problem)}</p>'
                   f'<details class="wijzig" open>{summary}{forms}</details>')
    return (
        f'<tr id="werkbon-{wid}" class="werkbon-rij{" wb-te-laat" if late else ""}">'
        f'<th scope="row" class="nowrap"><a href="{detail}">{number}</a></th>'
        f'<td>{time_element(due, "nowrap") if due else DASH}{LATE if late else ""}</td>'
        f'<td>{_sla_badge(w, r) if w.resolve_due else ""}</td>'
        f'<td>{_escaped(w.klant_name)}{_place(w, r)}</td>'
        f'<td>{contract}</td>'
        f'<td>{_text(w.description)}{_objects(w, r)}</td>'
        f'<td>{status_cell}</td>'
        f'<td>{_escaped(w.medewerker_name) if w.medewerker_id else NOBODY}</td>'
        f'<td>{planned_element(w.planned_start) or DASH}</td>'
        f'<td>{actions}</td></tr>\n'
    )


def rows(werkbonnen, r) -> Markup:
    """The rows of a list page, in one call from the template."""
    return Markup("".join([row(w, r) for w in werkbonnen]))


def one_row(w, r, forms=None, problem: str = "") -> Markup:
    """One row, from templates/werkbonnen/_rij.html (`forms`: the open change forms after a
    failed change, with the message `problem`; None for the closed row)."""
    return Markup(row(w, r, None if forms is None else str(forms), problem))


HEAD = ('<div class="overflow-auto">\n<table class="striped werkbon-tabel">\n<thead><tr>'
        '<th scope="col">Nummer</th><th scope="col">Datum</th><th scope="col">SLA</th>'
        '<th scope="col">Klant en werkadres</th><th scope="col">Contract</th>'
        '<th scope="col">Omschrijving</th><th scope="col">Status</th>'
        '<th scope="col">Medewerker</th><th scope="col">Gepland</th>'
        '<th scope="col"><span class="visually-hidden">Acties</span></th>'
        '</tr></thead>\n<tbody>\n')
TAIL = "</tbody>\n</table>\n</div>\n"
PAGE_LINK = ('<a href="{url}" hx-get="{url}" hx-target="#resultaten"'
             ' hx-swap="outerHTML show:window:top" hx-push-url="true">{label}</a>')
EMPTY = {"searched": "Geen werkbonnen gevonden met deze zoekopdracht of filters.",
         "te_doen": "Niets meer te doen: er staan geen werkbonnen open.",
         "": "Nog geen werkbonnen. Ze ontstaan vanzelf uit uw contracten."}


def results(werkbonnen, r, *, to_do: bool, searched: bool, open_sla_ids, first_url=None,
            next_url=None, all_url=None, done_url=None, error_slots=None) -> Markup:
    """The list's results: `<section id="resultaten">` with the rows of `werkbonnen` (`r`:
    views.werkbonnen.Rows), the links to the first and next page, or what an empty list means;
    `to_do`: the list of what is still to do (it says so, with links to `all_url` and
    `done_url`); `error_slots`: the date filters' errors, swapped out of band (a fragment
    answering the filter form), None for none. URLs are ours (views.werkbonnen._list_url),
    escaped for the attribute like any other value."""
    parts = ['<section id="resultaten" aria-live="polite" aria-label="Gevonden werkbonnen">\n',
             sla_poller(open_sla_ids), "\n"]
    if to_do:
        parts.append(f'<p class="lijst-uitleg" id="wat-te-doen">Wat nog te doen is, te laat '
                     f'eerst. <a href="{attr(all_url)}">Alle werkbonnen</a> &#183; '
                     f'<a href="{attr(done_url)}">Afgerond</a></p>\n')
    if werkbonnen:
        parts += [HEAD, *[row(w, r) for w in werkbonnen], TAIL,
                  '<nav class="bladeren" aria-label="Pagina\'s">']
        if first_url:
            parts.append(PAGE_LINK.format(url=attr(first_url), label="Naar het begin"))
        if next_url:
            parts.append(PAGE_LINK.format(url=attr(next_url), label="Volgende pagina"))
        parts.append("</nav>\n")
    else:
        said = EMPTY["searched" if searched else "te_doen" if to_do else ""]
        parts.append(f'<p class="leeg">{said}</p>\n')
        if first_url:
            parts.append(f'<p><a href="{attr(first_url)}">Naar het begin van de lijst</a></p>\n')
    parts.append("</section>\n")
    if error_slots is not None:
        parts.append(oob_error_slots(("van", "tot"), error_slots))
    return Markup("".join(parts))


def register(app) -> None:
    app.jinja_env.globals["werkbon_rijen"] = rows
    app.jinja_env.globals["werkbon_rij"] = one_row
