"""The planbord: werkbonnen per medewerker per day, overlaps, the list still to plan, and
planning from that list."""

import re
from datetime import date, datetime

import pytest

from models.db import connection
from models.werkbonnen.tables import Werkbon
from tests.test_werkbonnen_views import (
    TODAY,
    make_klant,
    make_medewerker,
    make_werkbon,
    reload,
)
from views.filters import SOFT_HYPHEN

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

WEEK = "2026-W11"  # ma 9 mrt t/m zo 15 mrt 2026; TODAY is Tuesday 10 March


@pytest.fixture
def today(monkeypatch):
    import views.planning

    monkeypatch.setattr(views.planning, "local_today", lambda: TODAY)
    return TODAY


def text(response) -> str:
    """The page as a reader sees it: the planbord puts soft hyphens in long words, which show
    only where a line breaks."""
    return response.get_data(as_text=True).replace(SOFT_HYPHEN, "")


def cell(html: str, medewerker, day: str) -> str:
    start = html.index(f'id="cel-{medewerker.id}-{day}"')
    return html[start:html.index("</td>", start)]


def unplanned_numbers(html: str) -> list[str]:
    section = html[html.index('id="ongepland-titel"'):]
    return re.findall(r'<li id="ongepland-\d+"[^>]*>\s*<p class="ongepland-kop">\s*'
                      r'<a [^>]*>([^<]+)</a>', section)


def test_planned_werkbon_shows_in_its_row_and_day(planner, today):
    klant = make_klant()
    anouk, bram = make_medewerker("Anouk de Wit"), make_medewerker("Bram Visser")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 10, 10, 0), description="Cv-ketel onderhoud")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 17, 10, 0), description="Over een week")
    make_werkbon(klant, status="geannuleerd", medewerker=anouk, description="Afgezegd",
                 planned=datetime(2026, 3, 10, 14, 0))
    html = text(planner.get(f"/planning/?week={WEEK}"))
    assert "<html" in html and "Week 11" in html
    tuesday = cell(html, anouk, "2026-03-10")
    assert "Cv-ketel onderhoud" in tuesday and ">10:00</time>" in tuesday
    assert "Afgezegd" not in html  # cancelled werkbonnen leave the board
    assert "Cv-ketel onderhoud" not in cell(html, anouk, "2026-03-09")
    assert "Cv-ketel onderhoud" not in cell(html, bram, "2026-03-10")
    assert "Over een week" not in html
    header = re.findall(r'<th scope="col" id="dag-([\d-]+)"', html)
    assert header == [f"2026-03-{d:02d}" for d in range(9, 16)]
    assert 'id="dag-2026-03-10" class="vandaag" aria-current="date"' in html


def test_cell_lists_werkbonnen_by_time(planner, today):
    klant = make_klant()
    anouk = make_medewerker()
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 11, 13, 0), description="Middag")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 11, 8, 0), description="Ochtend")
    wednesday = cell(text(planner.get(f"/planning/?week={WEEK}")), anouk,
                     "2026-03-11")
    assert wednesday.index("Ochtend") < wednesday.index("Middag")
    assert "overlap" not in wednesday


def test_overlap_is_flagged_in_the_cell(planner, today):
    klant = make_klant()
    anouk = make_medewerker()
    make_werkbon(klant, status="ingepland", medewerker=anouk, duration=60,
                 planned=datetime(2026, 3, 12, 9, 0), description="Eerste")
    make_werkbon(klant, status="ingepland", medewerker=anouk, duration=30,
                 planned=datetime(2026, 3, 12, 9, 45), description="Tweede")
    # back to back is not an overlap
    make_werkbon(klant, status="ingepland", medewerker=anouk, duration=60,
                 planned=datetime(2026, 3, 13, 9, 0), description="Derde")
    make_werkbon(klant, status="ingepland", medewerker=anouk, duration=60,
                 planned=datetime(2026, 3, 13, 10, 0), description="Vierde")
    html = text(planner.get(f"/planning/?week={WEEK}"))
    thursday = cell(html, anouk, "2026-03-12")
    assert "bord-cel overlap" in thursday and "overlap</strong>" in thursday
    assert thursday.count("overlapt") == 2
    friday = cell(html, anouk, "2026-03-13")
    assert "overlap" not in friday


def test_unplanned_list_sorted_by_deadline(planner, today):
    klant = make_klant()
    anouk = make_medewerker()
    late = make_werkbon(klant, due=date(2026, 3, 20), number="W-2026-000003")
    early = make_werkbon(klant, due=date(2026, 3, 2), number="W-2026-000001")
    middle = make_werkbon(klant, due=date(2026, 3, 12), number="W-2026-000002",
                          medewerker=anouk)  # a medewerker but no time: still to plan
    make_werkbon(klant, due=date(2026, 3, 1), status="geannuleerd", number="W-2026-000009")
    make_werkbon(klant, due=date(2026, 3, 1), status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 1, 8), number="W-2026-000008")
    make_werkbon(klant, due=date(2026, 3, 1), status="afgerond", number="W-2026-000007")
    html = text(planner.get(f"/planning/?week={WEEK}"))
    assert unplanned_numbers(html) == [early.number, middle.number, late.number]
    item = html[html.index(f'id="ongepland-{early.id}"'):]
    item = item[:item.index("</li>")]
    assert "te laat" in item  # 2 March, today is 10 March
    # a late werkbon is planned from today on: its deadline (2 March) lies in the past
    assert 'name="datum" type="date" required value="2026-03-10"' in item
    assert 'name="tijd" type="time" required value="08:00"' in item
    assert f'hx-post="/planning/werkbonnen/{early.id}/inplannen"' in item
    assert "Inplannen" in item and f'for="ip{early.id}-medewerker"' in item
    # one not late yet: its deadline
    later = html[html.index(f'id="ongepland-{late.id}"'):]
    assert 'name="datum" type="date" required value="2026-03-20"' in later[:later.index("</li>")]


def test_planning_from_the_list_moves_it_onto_the_board(planner, today):
    klant = make_klant()
    anouk = make_medewerker("Anouk de Wit")
    werkbon = make_werkbon(klant, due=date(2026, 3, 13), description="Brandblussers")
    resp = planner.post(f"/planning/werkbonnen/{werkbon.id}/inplannen", htmx=True,
                        data={"medewerker_id": anouk.id, "datum": "2026-03-11", "tijd": "13:30",
                              "week": WEEK})
    body = text(resp)
    assert resp.status_code == 200
    assert body.strip().startswith('<section id="planbord"') and "<html" not in body
    assert "Brandblussers" in cell(body, anouk, "2026-03-11")
    assert ">13:30</time>" in cell(body, anouk, "2026-03-11")
    assert unplanned_numbers(body) == []
    assert "is ingepland bij Anouk de Wit op wo 11 mrt 2026 om 13:30" in body
    row = reload(werkbon)
    assert row.status == "ingepland" and row.changed_by_hand is True
    assert row.planned_start == datetime(2026, 3, 11, 13, 30)


def test_planning_without_javascript_redirects_to_the_week(planner, today):
    klant = make_klant()
    anouk = make_medewerker()
    werkbon = make_werkbon(klant, due=date(2026, 3, 13))
    resp = planner.post(f"/planning/werkbonnen/{werkbon.id}/inplannen",
                        data={"medewerker_id": anouk.id, "datum": "2026-03-20", "tijd": "08:00",
                              "week": WEEK})
    assert resp.status_code == 303 and resp.headers["Location"] == f"/planning/?week={WEEK}"
    page = text(planner.get(resp.headers["Location"]))
    assert "Die dag valt in week 12." in page
    assert reload(werkbon).status == "ingepland"


@pytest.mark.parametrize("data, message", [
    ({"medewerker_id": "", "datum": "2026-03-11", "tijd": "08:00"}, "Kies een medewerker."),
    ({"datum": "11-03-2026", "tijd": "08:00"}, "Vul een geldige datum in."),
    ({"datum": "2026-03-11", "tijd": "8 uur"}, "Vul een tijd in als UU:MM"),
    ({"datum": "2026-02-30", "tijd": "08:00"}, "Vul een geldige datum in."),
])
def test_planning_errors_keep_the_input_and_change_nothing(planner, today, data, message):
    klant = make_klant()
    anouk = make_medewerker()
    werkbon = make_werkbon(klant, due=date(2026, 3, 13))
    data = {"medewerker_id": anouk.id, "week": WEEK, **data}
    resp = planner.post(f"/planning/werkbonnen/{werkbon.id}/inplannen", htmx=True, data=data)
    body = text(resp)
    assert resp.status_code == 422 and message in body
    assert f'value="{data["datum"]}"' in body  # the planner's typing stays
    assert 'aria-invalid="true"' in body
    row = reload(werkbon)
    assert row.status == "open" and row.medewerker_id is None and row.changed_by_hand is False


def test_planning_an_inactive_medewerker_is_refused(planner, today):
    klant = make_klant()
    gone = make_medewerker("Piet Oud", active=False)
    werkbon = make_werkbon(klant, due=date(2026, 3, 13))
    resp = planner.post(f"/planning/werkbonnen/{werkbon.id}/inplannen", htmx=True,
                        data={"medewerker_id": gone.id, "datum": "2026-03-11", "tijd": "08:00",
                              "week": WEEK})
    assert resp.status_code == 422
    assert "Piet Oud is niet actief" in text(resp)
    assert reload(werkbon).medewerker_id is None


def test_week_navigation_swaps_the_board_under_htmx(planner, today):
    resp = planner.get("/planning/?week=2026-W12", htmx=True)
    body = text(resp)
    assert body.strip().startswith('<section id="planbord"') and "<html" not in body
    assert "HX-Request" in resp.headers["Vary"]
    assert "ma 16 mrt 2026 t/m zo 22 mrt 2026" in body
    prev = re.search(r'<a href="([^"]+)" hx-get="([^"]+)"\s+hx-target="#planbord" '
                     r'hx-swap="outerHTML" hx-push-url="true" rel="prev">', body)
    nxt = re.search(r'<a href="([^"]+)" hx-get="([^"]+)"\s+hx-target="#planbord" '
                    r'hx-swap="outerHTML" hx-push-url="true" rel="next">', body)
    assert prev.group(1) == prev.group(2) == "/planning/?week=2026-W11"
    assert nxt.group(1) == nxt.group(2) == "/planning/?week=2026-W13"
    full = text(planner.get("/planning/?week=2026-W12"))
    assert "<html" in full and "js/planbord.js" in full
    restore = planner.get("/planning/?week=2026-W12", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in text(restore)


@pytest.mark.parametrize("week, title, prev_week, next_week", [
    (None, "ma 9 mrt 2026 t/m zo 15 mrt 2026", "2026-W10", "2026-W12"),  # the current week
    ("2026-W01", "ma 29 dec 2025 t/m zo 4 jan 2026", "2025-W52", "2026-W02"),
    ("2026-W53", "ma 28 dec 2026 t/m zo 3 jan 2027", "2026-W52", "2027-W01"),
    ("2025-W53", "ma 9 mrt 2026 t/m zo 15 mrt 2026", "2026-W10", "2026-W12"),  # no such week
    ("volgende", "ma 9 mrt 2026 t/m zo 15 mrt 2026", "2026-W10", "2026-W12"),
])
def test_iso_weeks(planner, today, week, title, prev_week, next_week):
    url = "/planning/" + (f"?week={week}" if week else "")
    body = text(planner.get(url, htmx=True))
    assert title in body
    assert f'href="/planning/?week={prev_week}"' in body
    assert f'href="/planning/?week={next_week}"' in body


def test_inactive_medewerker_with_planned_work_stays_visible(planner, today):
    klant = make_klant()
    gone = make_medewerker("Piet Oud", active=False)
    make_medewerker("Zonder Werk", active=False)
    make_werkbon(klant, status="ingepland", medewerker=gone,
                 planned=datetime(2026, 3, 12, 8, 0), description="Nog van Piet")
    html = text(planner.get(f"/planning/?week={WEEK}"))
    assert "Piet Oud <small>(inactief)</small>" in html and "Nog van Piet" in html
    assert "Zonder Werk" not in html
    # the form cannot plan new work for him: no drop target, no option
    assert f'data-medewerker="{gone.id}"' not in html


def test_empty_board_says_what_to_do(planner, today):
    html = text(planner.get("/planning/"))
    assert "nog geen actieve medewerkers" in html.lower()
    assert "Alles is ingepland." in html


def test_board_counts_only_this_weeks_werkbonnen(planner, today):
    """Sunday 23:59 belongs to the week, Monday 00:00 of the next week does not."""
    klant = make_klant()
    anouk = make_medewerker()
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 15, 23, 59), description="Zondagavond")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 16, 0, 0), description="Maandagnacht")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 8, 23, 59), description="Vorige zondag")
    html = text(planner.get(f"/planning/?week={WEEK}"))
    assert "Zondagavond" in cell(html, anouk, "2026-03-15")
    assert "Maandagnacht" not in html and "Vorige zondag" not in html
    with connection():
        assert Werkbon.select().count() == 3


@pytest.mark.parametrize("week", ["9999-W52", "0001-W01", "1899-W10", "3000-W01"])
def test_weeks_without_neighbours_show_the_current_week(planner, week):
    # the previous/next links of 9999-W52 would be dates Python cannot hold (was a 500)
    resp = planner.get(f"/planning/?week={week}")
    assert resp.status_code == 200
    assert week not in text(resp)


def test_a_bug_of_ours_answers_in_dutch(app, planner, monkeypatch):
    from views import planning

    def broken(*args):
        raise RuntimeError("stuk")

    monkeypatch.setattr(planning, "week_start", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production: the handler answers
    resp = planner.get("/planning/")
    assert resp.status_code == 500
    html = text(resp)
    assert "Er ging bij ons iets mis" in html and "Internal Server Error" not in html


def test_free_days_are_named_on_the_board_and_planning_on_one_is_flagged(planner, today):
    """The planbord ignored holidays and closure days: nothing in the header, and planning on
    one went through without a word. Allowed still (a storing may need it), but said."""
    from models.stamdata.instellingen import ClosureDay

    klant = make_klant()
    anouk = make_medewerker("Anouk de Wit")
    werkbon = make_werkbon(klant, due=date(2026, 3, 13), description="Brandblussers")
    with connection():
        ClosureDay.create(date=date(2026, 3, 11), description="Bedrijfsuitje")
    html = text(planner.get(f"/planning/?week={WEEK}"))
    header = html[html.index('id="dag-2026-03-11"'):]
    assert "Vrij: Bedrijfsuitje" in header[:header.index("</th>")]
    assert "vrije-dag" in cell(html, anouk, "2026-03-11")
    assert "vrije-dag" not in cell(html, anouk, "2026-03-12")
    resp = planner.post(f"/planning/werkbonnen/{werkbon.id}/inplannen", htmx=True,
                        data={"medewerker_id": anouk.id, "datum": "2026-03-11", "tijd": "09:00",
                              "week": WEEK})
    body = text(resp)
    assert resp.status_code == 200
    assert "Let op: dat is een vrije dag (Bedrijfsuitje)." in body
    assert reload(werkbon).planned_start == datetime(2026, 3, 11, 9, 0)
    koningsdag = text(planner.get("/planning/?week=2026-W18"))  # 27 April
    assert "Vrij: Koningsdag" in koningsdag


def test_cards_break_long_words_at_syllables_and_quiet_weekends_are_narrow(planner, today):
    """A day cell on a tablet is a few centimetres wide: "luchtbehandeling" broke as
    "luchtbehan|deling". Long words carry soft hyphens at Dutch syllable breaks, and a weekend
    day nobody works on gets a narrow column so the working days get the room."""
    klant = make_klant()
    anouk = make_medewerker("Anouk de Wit")
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 10, 10, 0),
                 description="Onderhoud luchtbehandeling <kantoor>")
    raw = planner.get(f"/planning/?week={WEEK}").get_data(as_text=True)
    tuesday = cell(raw, anouk, "2026-03-10")
    assert f"lucht{SOFT_HYPHEN}be" in tuesday and "&lt;kantoor&gt;" in tuesday
    narrow = re.findall(r'<th scope="col" id="dag-([\d-]+)" class="[^"]*\bsmal\b', raw)
    assert narrow == ["2026-03-14", "2026-03-15"]

    # work on the Saturday: that column keeps its width, the empty Sunday stays narrow
    make_werkbon(klant, status="ingepland", medewerker=anouk,
                 planned=datetime(2026, 3, 14, 9, 0), description="Zaterdagdienst")
    raw = planner.get(f"/planning/?week={WEEK}").get_data(as_text=True)
    assert re.findall(r'<th scope="col" id="dag-([\d-]+)" class="[^"]*\bsmal\b', raw) == \
        ["2026-03-15"]
