"""One row of the werkbonnen list, rendered in Python.

The list page is 50 of these. As a Jinja macro a row cost ~40 µs (17 expressions, each an
attribute lookup, a call and a Markup escape), most of the page; written out here it costs
~3 µs. Everything a person typed (number, klant, contract number, description, medewerker,
cancel reason) goes through `html.escape`; the rest is ours: ids, ISO dates, Dutch labels from
fixed tables, URLs built by url_for (views.werkbonnen.Rows).

The parts that other pages share stay templates: the SLA badge (`_sla.html`, only for
storingen) and the change forms (`_formulieren.html`, only when a change failed and the row
comes back open with the errors), which the caller renders and passes in as `forms`.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from flask import current_app
from markupsafe import Markup

from views.filters import planned_element, time_element

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
    found = r.places.get(w.id)
    if found is not None and found[0] is not None:
        return f'<br><small class="werkadres">{_escaped(found[0].label)}</small>'
    address = w.klant_address
    return f'<br><small class="werkadres">{_escaped(address)}</small>' if address else ""


def _objects(w, r) -> str:
    """The objecten the werkbon is for, under its description: "BB-001", or "12 objecten:
    BB-001, BB-002, BB-003 …"."""
    found = r.places.get(w.id)
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
    label = r.statuses.get(status)
    if label is None:  # not one of ours (never written by Cadans): shown as it is, escaped
        status = label = escape(status)
    status_cell = f'<span class="badge wb-status wb-status-{status}">{label}</span>'
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


def register(app) -> None:
    app.jinja_env.globals["werkbon_rijen"] = rows
    app.jinja_env.globals["werkbon_rij"] = one_row
