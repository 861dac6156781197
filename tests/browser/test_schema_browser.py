"""The live schedule preview in Chromium: it follows typing and clicking without a page load."""

from playwright.sync_api import expect

from tests.browser.conftest import browser_login, unexpected_console_errors
from tests.conftest import make_user


def test_live_preview_follows_interval_and_weekdays(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/schema-preview")
    page.evaluate("window.geenPaginaLaad = true")
    preview = page.locator("#voorbeeld")
    expect(preview.locator("td.datum")).to_have_count(12)

    page.get_by_label("Startdatum").fill("2026-11-30")  # a Monday
    page.get_by_label("Hoe vaak").select_option("wekelijks")
    expect(page.get_by_role("checkbox", name="maandag")).to_be_visible()
    expect(page.get_by_label("Dag van de maand")).to_be_hidden()
    for day in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"):
        page.get_by_role("checkbox", name=day, exact=True).set_checked(day in ("maandag",
                                                                               "donderdag"))
    expect(preview).to_contain_text("Elke week op maandag en donderdag")

    interval = page.get_by_label("Om de hoeveel")
    interval.fill("")
    interval.press_sequentially("2", delay=30)
    expect(preview).to_contain_text("Elke 2 weken op maandag en donderdag")
    first_dates = preview.locator("td.datum")
    expect(first_dates.nth(0)).to_have_text("ma 30 nov 2026")
    expect(first_dates.nth(1)).to_have_text("do 3 dec 2026")
    expect(first_dates.nth(2)).to_have_text("ma 14 dec 2026")
    shot(page, "twee-weken")

    interval.fill("0")
    expect(page.locator("#fout-interval")).to_have_text("Vul een getal van 1 tot en met 99 in.")
    expect(page.locator("#voorbeeld-status")).to_have_class("verouderd")
    expect(first_dates.nth(2)).to_have_text("ma 14 dec 2026")  # last valid preview kept
    shot(page, "fout")

    interval.fill("3")
    expect(page.locator("#fout-interval")).to_have_text("")
    expect(preview).to_contain_text("Elke 3 weken op maandag en donderdag")
    expect(page.locator("#voorbeeld-status")).not_to_have_class("verouderd")
    assert page.evaluate("window.geenPaginaLaad === true")
    assert unexpected_console_errors(page) == []
