"""A planner prices a running contract per object: picks "Per object per jaar" on the
contract's Facturatie page, sees the termijnen with their object count follow the typing
(invoiced from today's period, as offered), saves, and the contract page shows the price and
the termijn. Then the beheerder enters an index figure on Instellingen > Indexreeksen."""

from playwright.sync_api import expect

from models.db import connection
from models.facturatie.tables import Factuurtermijn, Indexcijfer
from tests.browser.conftest import browser_login, unexpected_console_errors
from tests.conftest import make_user
from tests.objecten_data import covering_contract, klant_with_objecten


def test_planner_prices_a_contract_per_object(live_server, page, shot):
    app, base = live_server  # today is Friday 27 November 2026 (tests/conftest.py)
    make_user("planner1", "planner")
    klant, _w, objecten = klant_with_objecten(places=1, per_place=3)
    contract = covering_contract(klant, objecten, start="2025-06-01")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/{contract.id}/facturatie")
    # a running contract: invoicing offered from the start of today's period (the voorwaarden's
    # factuurperiode: jaar), not since its start in June 2025
    expect(page.get_by_label("Factureren vanaf")).to_have_value("2026-01-01")
    page.get_by_label("Factuurperiode").select_option("kwartaal")
    page.get_by_label("Factureren vanaf").fill("2026-10-01")
    page.get_by_label("Prijs geldt").select_option("object")
    page.get_by_label("Prijs excl. BTW (€)").press_sequentially("40,00", delay=30)
    preview = page.locator("#voorbeeld")
    expect(preview.locator("#jaarwaarde")).to_have_text("€ 40,00")
    expect(preview).to_contain_text("per object per jaar")
    rows = preview.locator("#eerste-termijnen tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("4e kwartaal 2026")
    expect(rows.nth(0)).to_contain_text("3 objecten à € 40,00 per jaar")
    expect(rows.nth(0)).to_contain_text("€ 30,00")  # 3 x 40,00 = 120,00 a year, a kwartaal
    expect(preview.locator("#factureren-vanaf")).to_contain_text("Gefactureerd vanaf")
    shot(page, "1-prijs-per-object")
    page.get_by_role("button", name="Opslaan").click()

    expect(page.locator("#meldingen")).to_contain_text("Facturatie opgeslagen")
    section = page.locator("#facturatie")
    expect(section).to_contain_text("€ 40,00 per object per jaar excl. BTW")
    expect(section).to_contain_text("4e kwartaal 2026: 3 objecten à € 40,00 per jaar")
    shot(page, "2-contract")
    with connection():
        assert [(t.cents, t.quantity) for t in Factuurtermijn.select()] == [(3000, 3)]
    assert unexpected_console_errors(page) == []


def test_beheerder_enters_an_index_figure(live_server, page, shot):
    app, base = live_server
    make_user("beheer1", "beheerder")
    browser_login(page, base, "beheer1")
    page.goto(f"{base}/instellingen/")
    page.get_by_role("link", name="Indexreeksen").click()
    page.get_by_label("Naam").fill("CBS CAO-lonen")
    page.get_by_role("button", name="Indexreeks toevoegen").click()
    expect(page.locator("#meldingen")).to_contain_text("Indexreeks CBS CAO-lonen aangemaakt")
    page.get_by_label("Jaar").fill("2026")
    page.get_by_label("Indexcijfer").fill("126,1 punten")
    page.get_by_role("button", name="Cijfer opslaan").click()
    expect(page.locator(".veldfout").filter(has_text="indexcijfer")).to_have_text(
        "Vul het indexcijfer in als getal, zoals 118,4.")
    expect(page.get_by_label("Indexcijfer")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Indexcijfer")).to_have_value("126,1 punten")
    page.get_by_label("Indexcijfer").fill("126,1")
    page.get_by_role("button", name="Cijfer opslaan").click()
    expect(page.locator("#meldingen")).to_contain_text("Indexcijfer 2026 opgeslagen")
    expect(page.locator("table")).to_contain_text("126,1")
    shot(page, "3-indexreeksen")
    with connection():
        assert [(c.year, c.figure) for c in Indexcijfer.select()] == [(2026, "126.1")]
    assert unexpected_console_errors(page) == []
