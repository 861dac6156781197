"""Jinja filters and globals: Dutch dates and numbers, and the small pieces of HTML that
pages repeat many times (dates, preview rows, error slots, the SLA poller), built in Python."""

import re
from datetime import UTC, date, datetime
from functools import lru_cache

from flask import url_for
from markupsafe import Markup, escape

from models.common.dutch_dates import count, long_date, short_date


@lru_cache(maxsize=4096)  # a page shows the same few dates many times, every page again
def time_element(d, css_class: str = "") -> Markup:
    """`<time datetime="2026-03-10">di 10 mrt 2026</time>` for a date, "" for none.

    One call instead of a template fragment with two expressions: lists and previews show many
    dates, and every expression a template evaluates costs a call and an escape. Nothing in it
    comes from a person (an ISO date, Dutch day and month names, a class from a template)."""
    if not isinstance(d, date):
        return Markup("")
    attr = f' class="{css_class}"' if css_class else ""
    return Markup(f'<time{attr} datetime="{d.isoformat()}">{short_date(d)}</time>')


@lru_cache(maxsize=4096)  # planned visits share their moments (09:00 on a busy day)
def planned_element(moment) -> Markup:
    """A planned start as `<time datetime="2026-03-10T08:30">` with the Dutch date and the
    time each kept on one line, "" for none."""
    if not isinstance(moment, datetime):
        return Markup("")
    return Markup(
        f'<time datetime="{moment:%Y-%m-%dT%H:%M}"><span class="nowrap">'
        f'{short_date(moment.date())}</span> <span class="nowrap">{moment:%H:%M}</span></time>'
    )


MOVED = ' class="verplaatst"'


@lru_cache(maxsize=4096)  # a planner typing sees the same dates over and over
def occurrence_row(occurrence, made_now: str | None = None) -> Markup:
    """One row of the schedule preview (templates/schema/_resultaat.html): the date, the day
    its werkbon is generated, and where it was moved from and why. Twelve rows as template
    code were half of the preview's render time. `made_now`: what to say instead of a
    generation day that is today or already past (such a werkbon is made at once)."""
    moved = occurrence.original_date is not None
    note = (f"Verplaatst van {short_date(occurrence.original_date)}"
            f" ({escape(occurrence.reason or '')})") if moved else ""
    made = escape(made_now) if made_now else time_element(occurrence.generate_on)
    return Markup(
        f"<tr{MOVED if moved else ''}>"
        f'<td class="datum">{time_element(occurrence.date)}</td>'
        f"<td>{made}</td><td>{note}</td></tr>\n"
    )


def occurrence_rows(occurrences, today=None, made_now=None, werkbonnen=None,
                    labels=None) -> Markup:
    """The preview's rows; with `today` (a date) and `made_now` (words), a werkbon whose
    generation day is not after today says `made_now` ("direct bij opslaan"): a contract
    starting today with 14 dagen van tevoren said "aangemaakt op" a day two weeks ago. With
    `werkbonnen` ({date: the plan's Visits}, a contract that covers objecten) each row gets a
    cell saying how many werkbonnen that date gives, and for what (`labels`: {slot: name})."""
    if not isinstance(today, date) or not made_now:
        rows = [occurrence_row(o) for o in occurrences]
    else:
        rows = [occurrence_row(o, made_now if o.generate_on <= today else None)
                for o in occurrences]
    if werkbonnen:
        # (Markup + str escapes the str: the row's end must be Markup too)
        rows = [row[:-6] + werkbonnen_cell(werkbonnen.get(o.date, []), labels or {})
                + Markup("</tr>\n") for row, o in zip(rows, occurrences, strict=True)]
    return Markup("".join(rows))


SHOWN_NAMES = 30  # names a preview cell lists before "en nog N"


def werkbonnen_cell(visits, labels: dict) -> Markup:
    """`<td>` with how many werkbonnen a date gives and, folded away, for which objecten or
    werkadressen: "12 werkbonnen" ▸ "BB-001, BB-002, …"."""
    if not visits:
        return Markup('<td class="werkbonnen-per-datum">geen: alle objecten buiten gebruik</td>')
    names = []
    for visit in visits:
        name = labels.get(visit.slot, visit.slot)
        if visit.slot.startswith("w") and visit.object_ids:
            name = f"{name} ({count(len(visit.object_ids), 'object', 'objecten')})"
        names.append(escape(name))
    more = len(names) - SHOWN_NAMES
    listed = ", ".join(names[:SHOWN_NAMES]) + (f" en nog {more}" if more > 0 else "")
    return Markup(f'<td class="werkbonnen-per-datum"><details><summary>'
                  f'{count(len(visits), "werkbon", "werkbonnen")}</summary><p>{listed}</p>'
                  f"</details></td>")


def sla_poller(ids, oob: bool = False) -> Markup:
    """The element that refreshes the SLA badges of the open clocks on a page every 30 s
    (views.werkbonnen.sla_times answers out of band and replaces it); without ids an empty
    placeholder a later answer can fill. A function, not a macro: the werkbonnen list renders
    it in a block, where importing a macro costs more than the whole element."""
    attrs = ' hx-swap-oob="true"' if oob else ""
    if ids:
        url = escape(url_for("werkbonnen.sla_times", ids=",".join(str(i) for i in ids)))
        attrs += f' hx-get="{url}" hx-trigger="every 30s" hx-swap="none"'
    return Markup(f'<div id="sla-poller"{attrs} hidden></div>')


_SLOT = Markup('<small id="fout-%s" class="veldfout"%s>%s</small>')
_OOB = Markup(' hx-swap-oob="true"')


def error_slot(name: str, errors: dict, oob: bool = False) -> Markup:
    """The slot next to a field where its Dutch error appears (empty when there is none);
    `oob` to swap it out of band from an htmx answer. The `error_slot` macro renders this."""
    message = errors.get(name)
    if not message:  # the usual case: the same text for the same field every time
        return _empty_slot(name, oob)
    return _SLOT % (name, _OOB if oob else "", message)


@lru_cache(maxsize=1024)
def _empty_slot(name: str, oob: bool) -> Markup:
    # Markup's % escapes each value through a helper object: ~9 µs a slot, four on a small form
    return _SLOT % (name, _OOB if oob else "", "")


def invalid_attrs(name: str, errors: dict, hint: str | None = None) -> Markup:
    """What the `invalid` macro of _macros.html writes into a field's tag (aria-invalid when
    the field has an error, aria-describedby its error slot and `hint`), as a function: a page
    that needs nothing else of _macros.html does not import the macro module on every render."""
    error = errors.get(name)
    if not hint and not error:
        return _valid_attrs(name)
    return Markup('%s aria-describedby="fout-%s%s"') % (
        Markup(' aria-invalid="true"') if error else "", name,
        Markup(" ") + hint if hint else "")


@lru_cache(maxsize=1024)
def _valid_attrs(name: str) -> Markup:
    return Markup(' aria-describedby="fout-%s"') % name


@lru_cache(maxsize=16)
def _empty_slots(slots: tuple[str, ...]) -> Markup:
    return Markup("").join(error_slot(name, {}, oob=True) for name in slots)


def oob_error_slots(slots: tuple[str, ...], errors: dict) -> Markup:
    """Every field's error slot, swapped out of band: the message, or empty to clear an old
    one. A valid input clears them all, which is the same few bytes every time, so that answer
    is built once per set of slots."""
    if not errors:
        return _empty_slots(tuple(slots))
    return Markup("").join(error_slot(name, errors, oob=True) for name in slots)


SOFT_HYPHEN = "\u00ad"
_LONG_WORD = re.compile(r"[^\W\d_]{9,}")  # letters only: numbers and codes stay whole


@lru_cache(maxsize=1)
def _dutch_hyphenator():
    import pyphen

    return pyphen.Pyphen(lang="nl_NL", left=3, right=3)


@lru_cache(maxsize=4096)  # the planbord shows the same descriptions week after week
def hyphenable(text) -> str:
    """`text` with soft hyphens in its long words, at Dutch syllable breaks ("lucht­be­han­de­ling"),
    so a narrow planbord cell breaks "luchtbehandeling" as lucht-behandeling, not luchtbehan|deling.
    Plain text out: autoescape still escapes it, and the soft hyphens show only at a break."""
    if not isinstance(text, str):
        return "" if text is None else str(text)
    hyphenator = _dutch_hyphenator()
    return _LONG_WORD.sub(lambda m: hyphenator.inserted(m.group(0), hyphen=SOFT_HYPHEN), text)


def number_of(n, one: str, many: str) -> str:
    """{{ n|aantal("dag", "dagen") }}: "1 dag", "14 dagen". A form value that is no whole number
    (it is shown as typed) takes the plural."""
    try:
        return count(int(n), one, many)
    except (TypeError, ValueError):
        return f"{n} {many}"


# A schedule preview kept while the input has a mistake (the field says which): one message.
STALE_PREVIEW = "Laatste geldige voorbeeld — pas het schema aan."


def register(app):
    app.jinja_env.globals["STALE"] = STALE_PREVIEW
    app.jinja_env.globals["oob_error_slots"] = oob_error_slots
    app.jinja_env.globals["voorbeeld_rijen"] = occurrence_rows
    app.jinja_env.globals["sla_poller"] = sla_poller
    app.jinja_env.globals["error_slot_html"] = error_slot
    app.jinja_env.globals["invalid_attrs"] = invalid_attrs
    app.jinja_env.filters["datum"] = lambda d: short_date(d) if isinstance(d, date) else ""
    app.jinja_env.filters["tijd"] = time_element
    app.jinja_env.filters["gepland"] = planned_element
    app.jinja_env.filters["datum_lang"] = lambda d: long_date(d) if isinstance(d, date) else ""
    app.jinja_env.filters["getal"] = lambda n: f"{n:,}".replace(",", ".")
    app.jinja_env.filters["afbreekbaar"] = hyphenable
    app.jinja_env.filters["aantal"] = number_of

    def lokaal(stored):
        """A stored (naive UTC) moment as local time: "vr 20 nov 2026 16:00"."""
        if not isinstance(stored, datetime):
            return "—"
        from zoneinfo import ZoneInfo

        aware = stored if stored.tzinfo else stored.replace(tzinfo=UTC)  # we store UTC naive
        local = aware.astimezone(ZoneInfo(app.config["TIMEZONE"]))
        return f"{short_date(local.date())} {local:%H:%M}"

    app.jinja_env.filters["lokaal"] = lokaal

