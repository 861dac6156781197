"""Werkbonnen in Chromium: an edit shows its effect before saving; the planbord; a storing."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.db import connection
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon
from tests.browser.conftest import at_step, browser_login, unexpected_console_errors
from tests.conftest import make_user


def test_edit_shows_effect_then_planbord(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())  # next Monday (1..7 days ahead)
    with connection():
        klant = Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht")
        sven = Medewerker.create(personnel_number="P-1", name="Sven de Groot")
        values, errors = contract_checks.check({
            "klant_id": klant.id, "contracttype": "preventief", "description": "Legionella",
            "start_date": monday.isoformat(), "days_in_advance": 21,
            "schedule": {"rrule": "FREQ=WEEKLY;BYDAY=MO"}})
        assert not errors
        contract = contract_service.create(values, "test", today)
    result = app.test_cli_runner().invoke(args=["generate", "--today", today.isoformat()])
    mondays = [monday + timedelta(days=7 * i) for i in range(3)]
    with connection():
        assert [w.due_date for w in Werkbon.select().order_by(Werkbon.due_date)][:3] == mondays, \
            result.output
        # a planner reassigned the second one by hand: protected from now on
        Werkbon.update(medewerker=sven.id, changed_by_hand=True).where(
            Werkbon.due_date == mondays[1]).execute()
        Werkbon.delete().where(Werkbon.due_date > mondays[2]).execute()
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/{contract.id}")
    page.get_by_role("button", name="Bewerken").click()
    # the end falls after the second Monday: the hand-changed one stays inside the contract
    # (after the end it would be cancelled, as ending the contract does)
    page.get_by_label("Einddatum").fill((monday + timedelta(days=13)).isoformat())
    page.get_by_role("button", name="Volgende").click()
    at_step(page, "Werkbon")
    page.get_by_role("button", name="Volgende").click()  # werkbon step unchanged
    at_step(page, "Schema")
    page.get_by_role("checkbox", name="maandag", exact=True).uncheck()
    page.get_by_role("checkbox", name="dinsdag", exact=True).check()
    expect(page.locator("#voorbeeld")).to_contain_text("Elke week op dinsdag")
    page.get_by_role("button", name="Volgende").click()

    effect = page.locator("section.effect")
    expect(effect.locator(".effect-verplaatst")).to_contain_text("→")
    expect(effect.locator(".effect-verplaatst li")).to_have_count(1)
    expect(effect.locator(".effect-geannuleerd li")).to_have_count(1)
    expect(effect.locator(".effect-beschermd li")).to_have_count(1)
    expect(effect.locator(".effect-beschermd")).to_contain_text("met de hand gewijzigd")
    shot(page, "effect")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#meldingen")).to_contain_text("zijn opgeslagen")

    with connection():
        rows = {w.due_date: w.status for w in Werkbon.select()}
    assert rows == {monday + timedelta(days=1): "open", mondays[1]: "open",
                    mondays[2]: "geannuleerd"}
    page.goto(f"{base}/werkbonnen/?contract={contract.id}")
    expect(page.locator("#resultaten")).to_contain_text("Geannuleerd")
    first_row = page.locator("tr.werkbon-rij").first
    first_row.locator("summary").click()  # the row's change forms load when opened
    expect(first_row.get_by_label("Medewerker")).to_be_visible()
    shot(page, "lijst")
    # assigning by keyboard replaces the row; the focus comes back to the row, and it is said
    row_id = first_row.get_attribute("id")
    first_row.get_by_label("Medewerker").select_option(label="Sven de Groot")
    first_row.get_by_role("button", name="Toewijzen").focus()
    page.keyboard.press("Enter")
    row = page.locator(f"#{row_id}")
    expect(row).to_contain_text("Sven de Groot")
    expect(page.locator("#meldingen")).to_contain_text("is bijgewerkt")
    expect(row.locator("summary")).to_be_focused()

    # the moved werkbon is unplanned: plan it on the planbord with the keyboard way
    week = f"{monday.isocalendar()[0]}-W{monday.isocalendar()[1]:02d}"
    page.goto(f"{base}/planning/?week={week}")
    item = page.locator(".ongepland-item").filter(has_text="Legionella").first
    item.get_by_label("Medewerker").select_option(label="Sven de Groot")
    item.get_by_label("Tijd").fill("10:00")
    item.get_by_role("button", name="Inplannen").click()
    cell = page.locator(f'td[data-datum="{(monday + timedelta(days=1)).isoformat()}"]'
                        f'[data-medewerker="{sven.id}"]')
    expect(cell).to_contain_text("10:00")
    shot(page, "planbord")
    assert unexpected_console_errors(page) == []


def test_spoed_storing_countdown_then_response_met(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    with connection():
        from models.stamdata.instellingen import SlaBeleid

        klant = Klant.create(customer_number="D-5", name="Hotel Aan de Maas", city="Rotterdam")
        Medewerker.create(personnel_number="P-1", name="Fatima El Amrani")
        values, _ = contract_checks.check({
            "klant_id": klant.id, "contracttype": "correctief", "description": "Storingsdienst",
            "start_date": "2026-01-01",
            "sla_beleid_id": SlaBeleid.get(SlaBeleid.code == "STANDAARD").id})
        contract_service.create(values, "test", date(2026, 1, 1))
    browser_login(page, base, "planner1")
    page.goto(f"{base}/storingen/nieuw")
    page.get_by_label("Klant").select_option(label="Hotel Aan de Maas")
    expect(page.get_by_label("Storingscontract")).to_contain_text("Storingsdienst")
    page.get_by_label("Prioriteit").select_option("Spoed")
    page.get_by_label("Omschrijving van de storing").fill("Lekkage bij de ketel")
    page.get_by_role("button", name="Storing melden").click()

    expect(page.locator("#meldingen")).to_contain_text("is gemeld")
    sla = page.locator(".sla-gegevens")
    expect(sla).to_contain_text("Reageren vóór")
    badge = sla.locator(".sla-badge")
    # 4 h calendar time for Spoed; on a busy machine a minute may pass before the badge is read
    expect(badge).to_contain_text(re.compile(r"Op schema: nog 3 u 5\d m"))
    shot(page, "gemeld")

    page.get_by_label("Medewerker").select_option(label="Fatima El Amrani")
    page.get_by_role("button", name="Toewijzen").click()
    expect(page.locator("main")).to_contain_text("Medewerker: — → Fatima El Amrani")
    page.get_by_label("Datum en tijd").fill("2026-12-01T10:00")
    page.get_by_role("button", name="Plannen").click()
    expect(page.locator(".sla-gegevens")).to_contain_text("gereageerd")
    expect(page.locator(".sla-gegevens .sla-badge")).to_contain_text("nog 7 u")  # now resolving
    shot(page, "reactie-gehaald")
    with connection():
        werkbon = Werkbon.get()
    assert werkbon.status == "ingepland" and werkbon.responded_at <= werkbon.response_due


def test_planbord_week_navigation_keeps_the_keyboard_focus(live_server, page):
    """After Volgende week the focus fell to <body>: the next Tab started at the top. It now
    stays on the link, so Enter again goes on another week."""
    app, base = live_server
    make_user("planner1", "planner")
    with connection():
        Medewerker.create(personnel_number="P-1", name="Jeroen Bakker")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/planning/?week=2026-W48")
    title = page.locator("#planbord-titel")
    expect(title).to_contain_text("Week 48")
    page.get_by_role("link", name="Volgende week →").focus()
    page.keyboard.press("Enter")
    expect(title).to_contain_text("Week 49")
    expect(page.get_by_role("link", name="Volgende week →")).to_be_focused()
    page.keyboard.press("Enter")
    expect(title).to_contain_text("Week 50")
    # the focus moves once the new board has settled, a moment after it shows
    expect(page.get_by_role("link", name="Volgende week →")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(page.get_by_role("link", name="← Vorige week")).to_be_focused()
    page.keyboard.press("Enter")
    expect(title).to_contain_text("Week 49")
    expect(page.get_by_role("link", name="← Vorige week")).to_be_focused()
    assert page.url.endswith("week=2026-W49")
    assert unexpected_console_errors(page) == []


def test_contract_timeline_fits_a_laptop_and_a_tablet(live_server, page):
    """The timeline's tables squeezed into half the page: on a tablet the dates took three lines
    and the Medewerker column was out of sight in a scroll box. Now the two halves stack below
    1280 px and every column of both tables is visible at 1280 and 820 px."""
    app, base = live_server
    make_user("planner1", "planner")
    today = date.today()
    with connection():
        klant = Klant.create(customer_number="D-1", name="Woningcorporatie De Linge")
        mw = Medewerker.create(personnel_number="P-1", name="Jeroen van den Bakker")
        values, errors = contract_checks.check({
            "klant_id": klant.id, "contracttype": "preventief",
            "description": "Onderhoud cv-ketels complex Stationsweg",
            "start_date": (today - timedelta(days=120)).isoformat(), "days_in_advance": 14,
            "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=2TU", "holidays": "next_workday",
                         "weekends": "next_workday"},
            "werkbon": {"start_time": "08:30", "duration_minutes": 60, "medewerker_id": mw.id}})
        assert not errors
        contract = contract_service.create(values, "test", today - timedelta(days=120))
        result = app.test_cli_runner().invoke(args=["generate", "--today", today.isoformat()])
        assert Werkbon.select().count() >= 4, result.output
        # one overdue and changed by hand: the widest cells the timeline has
        Werkbon.update(changed_by_hand=True, status="ingepland").where(
            Werkbon.due_date < today).execute()
    browser_login(page, base, "planner1")
    for width in (1280, 820):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/contracten/{contract.id}")
        expect(page.locator("table.tijdlijn")).to_contain_text("te laat")
        assert page.evaluate("document.documentElement.scrollWidth") == width
        boxes = page.evaluate("""() => [...document.querySelectorAll('main .overflow-auto')]
            .map(e => [e.scrollWidth, e.clientWidth])""")
        assert len(boxes) == 2 and all(scroll <= client for scroll, client in boxes), (width, boxes)
        # a date stays on one line
        cell = page.locator("table.tijdlijn tbody tr").first.locator("td").nth(1)
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                             "'table.tijdlijn tbody td:nth-child(2)')).lineHeight)")
        assert cell.bounding_box()["height"] < 2 * line + 20, (width, cell.bounding_box())
    assert unexpected_console_errors(page) == []
