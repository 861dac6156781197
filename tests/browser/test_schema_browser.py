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
    # the field itself is marked, as on a full page (the live path only filled the slot)
    expect(interval).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#voorbeeld-status")).to_have_class("verouderd")
    expect(first_dates.nth(2)).to_have_text("ma 14 dec 2026")  # last valid preview kept
    shot(page, "fout")

    interval.fill("3")
    expect(page.locator("#fout-interval")).to_have_text("")
    expect(interval).not_to_have_attribute("aria-invalid", "true")
    expect(preview).to_contain_text("Elke 3 weken op maandag en donderdag")
    expect(page.locator("#voorbeeld-status")).not_to_have_class("verouderd")
    assert page.evaluate("window.geenPaginaLaad === true")
    assert unexpected_console_errors(page) == []


def test_day_fields_follow_the_start_date_until_the_planner_picks_them(live_server, page):
    """The fresh form's weekday, day of the month and "n-th weekday" were filled from the
    page's start date (today); a new start date moves them along, unless the planner chose
    them - then they stay."""
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/schema-preview")
    preview = page.locator("#voorbeeld")
    expect(preview.locator("td.datum")).to_have_count(12)

    page.get_by_label("Startdatum").fill("2027-03-16")  # a Tuesday, the 3rd of its month
    page.get_by_label("Hoe vaak").select_option("wekelijks")
    expect(preview).to_contain_text("Elke week op dinsdag")
    expect(preview.locator("td.datum").first).to_have_text("di 16 mrt 2027")

    page.get_by_label("Hoe vaak").select_option("maandelijks")
    expect(preview).to_contain_text("Elke maand op de 16e")
    page.get_by_role("radio", name="Op de").check()
    expect(preview).to_contain_text("Elke maand op de 3e dinsdag")

    page.get_by_label("Weekdag").select_option("FR")  # the planner's own choice from now on
    expect(preview).to_contain_text("Elke maand op de 3e vrijdag")
    page.get_by_label("Startdatum").fill("2027-04-01")  # Thursday, the 1st
    expect(preview).to_contain_text("Elke maand op de 1e vrijdag")  # ordinal follows, day not
    assert unexpected_console_errors(page) == []


def test_a_form_from_a_link_keeps_its_day_fields(live_server, page):
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/schema-preview?start_date=2027-03-16&frequency=maandelijks&interval=1"
              "&monthly_mode=dag&day_of_month=20&end_mode=geen&holidays=ignore&weekends=ignore"
              "&days_in_advance=0")
    preview = page.locator("#voorbeeld")
    expect(preview).to_contain_text("Elke maand op de 20e")
    page.get_by_label("Startdatum").fill("2027-04-01")
    expect(preview.locator("td.datum").first).to_have_text("di 20 apr 2027")
    expect(preview).to_contain_text("Elke maand op de 20e")


def test_on_a_tablet_the_preview_sits_beside_the_form(live_server, page):
    """At 820 px the preview came below the whole form (1,400 px down): a planner typing in
    "Om de hoeveel" saw nothing change. It now sits beside the form, without sideways
    scrolling, also with moved dates and their notes."""
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    page.set_viewport_size({"width": 820, "height": 1180})
    page.goto(f"{base}/schema-preview?start_date=2026-04-01&frequency=jaarlijks&interval=1"
              "&month=4&monthly_mode=dag&day_of_month=27&end_mode=geen&holidays=next_workday"
              "&weekends=next_workday&days_in_advance=14")
    preview = page.locator("#voorbeeld")
    expect(preview).to_contain_text("Verplaatst van")
    form_box = page.locator("#schema-formulier").bounding_box()
    preview_box = preview.bounding_box()
    assert preview_box["x"] > form_box["x"] + form_box["width"] - 1  # beside, not below
    assert preview_box["y"] < 600
    interval_box = page.get_by_label("Om de hoeveel").bounding_box()
    assert interval_box["y"] < 1180  # the field and the preview on one screen
    assert page.evaluate("document.documentElement.scrollWidth") == 820
    boxes = page.evaluate("""() => [...document.querySelectorAll('aside .overflow-auto')]
        .map(e => [e.scrollWidth, e.clientWidth])""")
    assert all(scroll <= client for scroll, client in boxes), boxes
