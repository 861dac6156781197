"""The API page in Chromium: Swagger UI renders /api/v1/openapi.json under the app's strict CSP
(no violation reported by the browser, no console error), reachable from the account menu, and
an operation opens to show its Dutch example body."""

from playwright.sync_api import expect

from tests.browser.conftest import browser_login, unexpected_console_errors
from tests.conftest import make_user

# Every CSP refusal the page meets, recorded before its first script runs.
RECORD_CSP = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""


def test_swagger_ui_renders_the_document_under_the_csp(live_server, page, shot):
    _app, base = live_server
    make_user("planner1", "planner")
    page.add_init_script(RECORD_CSP)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    browser_login(page, base, "planner1")

    menu = page.locator("header details.gebruikersmenu")
    menu.locator("summary").click()
    menu.get_by_role("link", name="API").click()
    page.wait_for_url(f"{base}/api")
    operations = page.locator("#swagger .opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 20
    expect(page.locator("#swagger .opblock-tag", has_text="Contracten")).to_be_visible()
    shot(page, "overzicht")

    create = page.locator("#swagger #operations-Contracten-contracten_create_post")
    create.locator(".opblock-summary-control").click()
    expect(create.get_by_text("Onderhoud cv-ketels").first).to_be_visible()
    expect(create.get_by_text("contracten:schrijven").first).to_be_visible()
    shot(page, "contract-aanmaken")

    assert page.evaluate("window.__csp") == []
    assert unexpected_console_errors(page) == []
    assert outside == []  # no CDN, no validator.swagger.io
