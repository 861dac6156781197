"""A beheerder in Chromium types a date outside the range, and sends a form that is too large:
a Dutch message next to the field (typing kept), and a Dutch page, never a 500."""

from playwright.sync_api import expect

from models.common.validation import DATE_RANGE_MESSAGE
from models.db import connection
from models.stamdata.instellingen import ClosureDay
from tests.browser.conftest import browser_login
from tests.conftest import make_user


def test_a_sluitingsdag_in_the_year_9999_is_a_field_error(live_server, page, shot):
    app, base = live_server
    make_user("beheer1", "beheerder")
    browser_login(page, base, "beheer1")
    page.goto(f"{base}/instellingen/feestdagen")
    page.get_by_label("Datum").fill("9999-12-31")
    page.get_by_label("Omschrijving").fill("Eind der tijden")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#fout-date")).to_have_text(DATE_RANGE_MESSAGE)
    expect(page.get_by_label("Datum")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Omschrijving")).to_have_value("Eind der tijden")
    shot(page, "buiten-bereik")
    with connection():
        assert ClosureDay.select().count() == 0


def test_a_form_over_the_request_limit_gets_a_dutch_page(live_server, page, shot):
    app, base = live_server
    make_user("beheer1", "beheerder")
    browser_login(page, base, "beheer1")
    page.goto(f"{base}/instellingen/feestdagen")
    page.get_by_label("Datum").fill("2026-12-24")
    # more than 1 MB in one field (a paste nobody means, or a script)
    page.get_by_label("Omschrijving").evaluate(
        "(el, size) => { el.value = 'x'.repeat(size); }", app.config["MAX_CONTENT_LENGTH"] + 1)
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_role("heading", name="Te groot")).to_be_visible()
    expect(page.locator("main")).to_contain_text("hooguit 1 MB")
    shot(page, "te-groot")
    with connection():
        assert ClosureDay.select().count() == 0
