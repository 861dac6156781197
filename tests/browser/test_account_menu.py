"""The account menu in the header: the user's name opens Wachtwoord wijzigen, API and Afmelden, with
the keyboard as with the mouse, and Afmelden really ends the session."""

from playwright.sync_api import expect

from tests.browser.conftest import browser_login
from tests.conftest import make_user


def test_account_menu_by_keyboard_and_logout(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    browser_login(page, base, "planner1")
    menu = page.locator("header details.gebruikersmenu")
    expect(menu.get_by_role("button", name="Afmelden")).to_be_hidden()

    menu.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(menu.get_by_role("link", name="Wachtwoord wijzigen")).to_be_visible()
    expect(menu.get_by_role("link", name="API")).to_be_visible()
    expect(menu.get_by_role("button", name="Afmelden")).to_be_visible()
    page.wait_for_timeout(400)  # let the menu finish fading in for the screenshot
    shot(page, "open")

    page.keyboard.press("Tab")  # to Wachtwoord wijzigen
    page.keyboard.press("Tab")  # to API
    page.keyboard.press("Tab")  # to Afmelden
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/login*")
    page.goto(f"{base}/klanten/")
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()  # logged out for real
