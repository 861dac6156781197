"""A planner sets a new contract's price in the wizard, sees the yearly value and the first
termijnen follow the typing, saves; the administration sees the termijn on Te factureren,
exports the CSV (read back with the csv module) and marks it gefactureerd."""

import csv
import io
import re

from playwright.sync_api import expect

from models.db import connection
from models.facturatie.tables import Factuurtermijn
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from tests.browser.conftest import at_step, browser_login, unexpected_console_errors
from tests.conftest import make_user


def test_planner_prices_a_contract_and_the_administration_exports_it(live_server, page, shot):
    app, base = live_server  # today is Friday 27 November 2026 (tests/conftest.py)
    make_user("planner1", "planner")
    with connection():
        Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht",
                     postcode="3511 AB", street="Oudegracht", house_number="1")
        Medewerker.create(personnel_number="P-1", name="Jeroen Bakker")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/")
    page.get_by_role("button", name="Nieuw contract").click()
    page.get_by_role("radio", name="Preventief").check()
    page.get_by_role("button", name="Volgende").click()

    # Overeenkomst, with the price: the preview follows the typing
    at_step(page, "Overeenkomst")
    page.get_by_label("Zoek klant op naam, debiteurnummer of plaats").press_sequentially(
        "bakk", delay=40)
    page.get_by_role("radio", name="Bakkerij Jansen").check()
    page.get_by_label("Startdatum").fill("2026-10-01")
    page.get_by_label("Omschrijving", exact=True).fill("Onderhoud koelcel")
    page.get_by_label("Factuurperiode").select_option("kwartaal")
    price = page.get_by_label("Prijs, excl. BTW (€)")
    price.press_sequentially("1.200,00", delay=30)
    preview = page.locator("#prijs-voorbeeld")
    expect(preview.locator("#jaarwaarde")).to_have_text("€ 1.200,00")
    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("4e kwartaal 2026")
    expect(rows.nth(0)).to_contain_text("do 1 okt 2026")
    expect(rows.nth(0)).to_contain_text("€ 300,00")
    expect(rows.nth(2)).to_contain_text("2e kwartaal 2027")
    # a later start makes the first kwartaal pro rata: 1 Nov .. 31 Dec is 61 of 92 days
    page.get_by_label("Startdatum").fill("2026-11-01")
    page.get_by_label("Startdatum").dispatch_event("change")
    expect(rows.nth(0)).to_contain_text("€ 198,91")  # 300,00 * 61/92 = 198,913
    expect(rows.nth(0)).to_contain_text("pro rata")
    price.fill("")
    price.press_sequentially("1.000", delay=30)
    expect(preview.locator("#jaarwaarde")).to_have_text("€ 1.000,00")
    expect(rows.nth(1)).to_contain_text("€ 250,00")
    shot(page, "1-overeenkomst")
    page.get_by_role("button", name="Volgende").click()

    at_step(page, "Werkbon")
    page.get_by_label("Omschrijving op de werkbon").fill("Onderhoudsbeurt koelcel")
    page.get_by_role("button", name="Volgende").click()
    at_step(page, "Schema")
    page.get_by_label("Hoe vaak").select_option("maandelijks")
    page.get_by_role("button", name="Volgende").click()
    at_step(page, "Controle")
    # Controle names the price and the first termijnen before anything is saved
    facturatie = page.locator(".controle-facturatie")
    expect(facturatie).to_contain_text("€ 1.000,00 per jaar excl. BTW")
    expect(facturatie.locator("#controle-termijnen tbody tr").nth(0)).to_contain_text(
        "€ 165,76")
    shot(page, "1b-controle")
    page.get_by_role("button", name="Opslaan").click()

    # the contract page shows its price and the termijn made at once (due since 1 November)
    expect(page.locator("#meldingen")).to_contain_text("is opgeslagen")
    section = page.locator("#facturatie")
    expect(section).to_contain_text("€ 1.000,00 per jaar excl. BTW, 21% (hoog)")
    expect(section).to_contain_text("4e kwartaal 2026")
    expect(section).to_contain_text("€ 165,76")  # 250,00 * 61/92 = 165,761
    shot(page, "2-contract")

    # the administration: Te factureren, export, mark gefactureerd
    page.get_by_role("link", name="Facturatie", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Te factureren")
    totals = page.locator("#totaal-klant-kop + .overflow-auto table")
    expect(totals).to_contain_text("Bakkerij Jansen")
    # the klant filter is a search field: type, then choose by keyboard (Tab to the choices,
    # an arrow picks the next one); the choice filters the list and goes into the URL, so the
    # export and the pages keep it
    search = page.get_by_label("Zoek klant op naam, debiteurnummer of plaats")
    search.press_sequentially("jans", delay=40)
    choice = page.get_by_role("radio", name="Bakkerij Jansen")
    expect(choice).not_to_be_checked()
    expect(page.get_by_role("radio", name="Alle klanten")).to_be_checked()
    search.press("Tab")
    expect(page.get_by_role("radio", name="Alle klanten")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(choice).to_be_checked()
    with connection():
        klant_id = Klant.get(Klant.customer_number == "D-1").id
    expect(page).to_have_url(re.compile(rf"[?&]klant={klant_id}(&|$)"))
    expect(page.get_by_role("button", name="Exporteren als CSV")).to_have_attribute(
        "href", re.compile(rf"^/facturatie/export\.csv\?.*klant={klant_id}"))
    expect(totals).to_contain_text("Bakkerij Jansen")
    shot(page, "3-klant-gezocht")
    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteren als CSV").click()
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1:4] == ["D-1", "Bakkerij Jansen", rows[1][3]]
    assert rows[1][0] == "01-11-2026"
    assert rows[1][7:11] == ["165,76", "21% (hoog)", "34,81", "200,57"]
    page.get_by_label("Alle getoonde termijnen kiezen").check()  # static/js/facturatie.js
    expect(page.locator("input[name=ids]")).to_be_checked()
    page.get_by_label("Factuurnummer (uit het boekhoudpakket, mag leeg)").fill("F-2026-0042")
    page.get_by_role("button", name="Gekozen termijnen markeren als gefactureerd").click()
    expect(page.locator("#meldingen")).to_contain_text("1 termijn gemarkeerd als gefactureerd")
    expect(page.locator("#resultaten")).to_contain_text("Niets te factureren met deze filters")
    with connection():
        termijn = Factuurtermijn.get()
        assert (termijn.status, termijn.factuurnummer) == ("gefactureerd", "F-2026-0042")
    shot(page, "4-gefactureerd")
    assert unexpected_console_errors(page) == []


def test_controle_of_an_edit_shows_how_the_termijnen_change(live_server, page, shot):
    """A priced contract whose quarters are invoiced: ending it earlier shows, in Controle, the
    credit for the invoiced quarter (the invoiced termijn itself unchanged); saving makes it."""
    from datetime import date

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.facturatie import service as facturatie

    app, base = live_server  # today is Friday 27 November 2026 (tests/conftest.py)
    make_user("planner1", "planner")
    with connection():
        klant = Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht")
        values, errors = contract_checks.check({
            "klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
            "start_date": "2026-01-01", "days_in_advance": 0,
            "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
            "werkbon": {"start_time": "08:30", "duration_minutes": 60}})
        assert not errors
        contract = contract_service.create(values, "test", date(2026, 1, 1))
        facturatie.save_terms(contract.id, {
            "prijs_cents": 120000, "btw_tarief": "21", "factuurperiode": "kwartaal",
            "factureren": "vooraf", "index_pct": "", "index_date": None}, None, "test",
            date(2026, 11, 27))
        ids = [t.id for t in Factuurtermijn.select()]
        assert len(ids) == 4
        facturatie.mark_invoiced(ids, "F-2026-0001", "test")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/{contract.id}")
    page.get_by_role("button", name="Bewerken").click()
    at_step(page, "Overeenkomst")
    page.get_by_label("Einddatum").fill("2026-11-15")
    page.get_by_label("Einddatum").dispatch_event("change")
    page.locator(".stappen").get_by_role("link", name="Controle").click()
    at_step(page, "Controle")
    section = page.locator("section.effect-termijnen")
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "Wat deze wijziging met de termijnen doet")
    # Q4 2026 covers 1 Oct .. 15 Nov now: 300,00 * 46/92 = 150,00 of the 300,00 invoiced
    credit = section.locator("ul.termijnen-correcties li")
    expect(credit).to_have_count(1)
    expect(credit).to_contain_text("4e kwartaal 2026: gefactureerd € 300,00, nu verschuldigd "
                                   "€ 150,00 — creditering van € 150,00")
    shot(page, "5-controle-termijnen")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#meldingen")).to_contain_text("Wijzigingen aan contract")
    with connection():
        made = [(t.seq, t.cents, t.status) for t in Factuurtermijn.select().where(
            Factuurtermijn.period_start == date(2026, 10, 1)).order_by(Factuurtermijn.seq)]
    assert made == [(0, 30000, "gefactureerd"), (1, -15000, "concept")]  # made by the save
    expect(page.locator("#facturatie")).to_contain_text("Creditering")
    assert unexpected_console_errors(page) == []
