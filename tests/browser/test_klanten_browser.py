"""A planner in Chromium: log in, search as you type, create a klant with a wrong postcode."""

import re

from playwright.sync_api import expect

from models.db import connection
from models.stamdata.klanten import Klant
from tests.browser.conftest import browser_login, unexpected_console_errors
from tests.conftest import make_user


def test_search_and_create_klant_with_dutch_error(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    with connection():
        Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht",
                     postcode="3511 AB", street="Oudegracht", house_number="1")
        Klant.create(customer_number="D-2", name="Garage Smit", city="Zwolle",
                     postcode="8011 AA", street="Markt", house_number="2")
    browser_login(page, base, "planner1")
    page.get_by_role("link", name="Klanten", exact=True).click()
    expect(page.locator("#resultaten")).to_contain_text("Garage Smit")

    page.evaluate("window.geenPaginaLaad = true")
    page.get_by_label("Zoek klant").press_sequentially("bakk", delay=40)
    expect(page.locator("#resultaten")).not_to_contain_text("Garage Smit")
    expect(page.locator("#resultaten")).to_contain_text("Bakkerij Jansen")
    expect(page).to_have_url(re.compile(r"\?q=bakk$"))  # pushed into history: Back, refresh
    assert page.evaluate("window.geenPaginaLaad === true")  # swapped, not reloaded
    shot(page, "zoeken")

    page.get_by_role("button", name="Nieuwe klant").click()
    page.get_by_label("Debiteurnummer").fill("D-3")
    page.get_by_label("Naam").fill("Hotel Aan de Maas")
    page.get_by_label("Straat").fill("Boompjes")
    page.get_by_label("Huisnummer").fill("550")
    page.get_by_label("Postcode").fill("301 XZ")
    page.get_by_label("Plaats").fill("Rotterdam")
    page.get_by_role("button", name="Opslaan").click()
    error = page.locator("#fout-postcode")
    expect(error).to_have_text("Vul een geldige postcode in, bijvoorbeeld 1234 AB.")
    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Naam")).to_have_value("Hotel Aan de Maas")
    shot(page, "fout")

    page.get_by_label("Postcode").fill("3011xz")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Hotel Aan de Maas")).to_be_visible()
    expect(page.locator("#meldingen")).to_contain_text("is opgeslagen")
    expect(page.locator(".gegevens")).to_contain_text("3011 XZ")

    page.get_by_role("link", name="Klanten", exact=True).first.click()
    expect(page.locator("#resultaten")).to_contain_text("Hotel Aan de Maas")
    # Chromium logs each 422 (the validation answer) as a failed resource; nothing else may fail.
    assert unexpected_console_errors(page) == []


def test_expired_session_redirects_htmx_to_login(live_server, page):
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/klanten/")
    page.context.clear_cookies()
    page.get_by_label("Zoek klant").press_sequentially("x", delay=20)
    page.wait_for_url(re.compile(r".*/login\?next=/klanten/.*"))
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible()
