"""The template helpers that build small pieces of HTML in Python (views/filters.py)."""

from datetime import date, datetime

from jinja2 import Environment
from markupsafe import Markup

from models.schedule.definition import Occurrence
from views.filters import (
    occurrence_row,
    occurrence_rows,
    oob_error_slots,
    planned_element,
    time_element,
)

MACROS = Environment(autoescape=True).from_string(
    "{% for name in slots %}"
    '<small id="fout-{{ name }}" class="veldfout" hx-swap-oob="true">{{ errors.get(name, "") }}'
    "</small>{% endfor %}"
)


def test_time_element_shows_the_dutch_date_with_the_iso_date_for_machines():
    assert time_element(date(2026, 3, 10)) == '<time datetime="2026-03-10">di 10 mrt 2026</time>'
    assert time_element(date(2026, 3, 10), "nowrap") == (
        '<time class="nowrap" datetime="2026-03-10">di 10 mrt 2026</time>'
    )
    assert isinstance(time_element(date(2026, 3, 10)), Markup)
    assert time_element(None) == "" and time_element("2026-03-10") == ""


def test_planned_element_keeps_date_and_time_each_on_one_line():
    assert planned_element(datetime(2026, 11, 30, 8, 5)) == (
        '<time datetime="2026-11-30T08:05"><span class="nowrap">ma 30 nov 2026</span> '
        '<span class="nowrap">08:05</span></time>'
    )
    assert planned_element(None) == "" and planned_element(date(2026, 11, 30)) == ""


def test_error_slots_match_what_the_template_loop_made_and_escape_messages():
    slots = ("start_date", "interval", "weekdays")
    for errors in ({}, {"interval": "Vul een getal van 1 tot en met 99 in."},
                   {"weekdays": '<script>alert("x")</script> & meer'}):
        assert oob_error_slots(slots, errors) == MACROS.render(slots=slots, errors=errors)
    assert "&lt;script&gt;" in oob_error_slots(slots, {"weekdays": "<script>"})
    assert oob_error_slots(list(slots), {}) == oob_error_slots(slots, {})  # lists are fine too


def test_the_error_slot_macro_renders_the_same_slot_in_place(app):
    macro = app.jinja_env.from_string(
        '{% from "_macros.html" import error_slot %}{{ error_slot("interval", errors) }}'
        '{{ error_slot("interval", errors, oob=True) }}'
    )
    html = macro.render(errors={"interval": "Vul <1> in."})
    assert html == ('<small id="fout-interval" class="veldfout">Vul &lt;1&gt; in.</small>'
                    '<small id="fout-interval" class="veldfout" hx-swap-oob="true">'
                    "Vul &lt;1&gt; in.</small>")


def test_preview_rows_show_date_generation_day_and_why_a_date_moved():
    plain = Occurrence(date(2026, 3, 31), date(2026, 3, 17))
    assert occurrence_row(plain) == (
        '<tr><td class="datum"><time datetime="2026-03-31">di 31 mrt 2026</time></td>'
        '<td><time datetime="2026-03-17">di 17 mrt 2026</time></td><td></td></tr>\n')
    moved = Occurrence(date(2027, 4, 28), date(2027, 4, 14), date(2027, 4, 27), "Koningsdag")
    assert occurrence_row(moved).startswith('<tr class="verplaatst"><td class="datum">')
    assert "<td>Verplaatst van di 27 apr 2027 (Koningsdag)</td>" in occurrence_row(moved)
    typed = Occurrence(date(2026, 12, 28), date(2026, 12, 28), date(2026, 12, 24),
                       '<b>Kerst & "sluiting"</b>')
    assert "(&lt;b&gt;Kerst &amp; &#34;sluiting&#34;&lt;/b&gt;)" in occurrence_row(typed)
    both = occurrence_rows([plain, moved])
    assert isinstance(both, Markup) and both == occurrence_row(plain) + occurrence_row(moved)
    assert occurrence_rows([]) == ""


def test_sla_poller_polls_only_while_there_are_open_clocks(app):
    from views.filters import sla_poller

    with app.test_request_context("/"):
        assert sla_poller([]) == '<div id="sla-poller" hidden></div>'
        assert sla_poller([], oob=True) == '<div id="sla-poller" hx-swap-oob="true" hidden></div>'
        assert sla_poller([3, 41]) == (
            '<div id="sla-poller" hx-get="/werkbonnen/sla?ids=3,41" hx-trigger="every 30s"'
            ' hx-swap="none" hidden></div>')
        assert isinstance(sla_poller([3]), Markup)


def test_hyphenable_puts_soft_hyphens_at_dutch_syllable_breaks_of_long_words_only():
    from views.filters import SOFT_HYPHEN, hyphenable

    text = hyphenable("Onderhoud luchtbehandeling kantoorpand")
    assert text.replace(SOFT_HYPHEN, "") == "Onderhoud luchtbehandeling kantoorpand"
    # "lucht" + "behandeling": the break falls between the parts, never inside "lucht"
    assert f"lucht{SOFT_HYPHEN}be" in text
    assert all(part.count(SOFT_HYPHEN) >= 1 for part in text.split())
    # short words, numbers and codes stay whole; anything that is not text is made text
    assert hyphenable("Cv-ketel W-2026-000012 B.V.") == "Cv-ketel W-2026-000012 B.V."
    assert hyphenable(None) == "" and hyphenable(12) == "12"


def test_hyphenable_text_is_still_escaped_by_the_template():
    from views.filters import SOFT_HYPHEN, hyphenable

    env = Environment(autoescape=True)
    env.filters["afbreekbaar"] = hyphenable
    html = env.from_string("{{ t|afbreekbaar }}").render(t="<script>luchtbehandeling</script>")
    assert html.startswith("&lt;script&gt;lucht") and "<script>" not in html
    assert SOFT_HYPHEN in html
