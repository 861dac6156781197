"""Real Chromium (Debian's /usr/bin/chromium) through Playwright.

Without a browser the browser tests are skipped on a developer machine, but in CI (CI=true) a
missing browser fails the run: a green CI must mean the browser tests ran."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium ontbreekt ({CHROMIUM}); in CI is dat een fout.")
        pytest.skip("Chromium niet geïnstalleerd (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"{request.node.name}.png"), full_page=True)
    context.close()


def unexpected_console_errors(page):
    """The page's console errors minus the ones that are part of the design.

    A 422 answer is a validation message the page shows. A request cancelled by hx-sync="replace"
    (a newer keystroke won) makes htmx log "htmx:afterRequest" followed by "htmx:sendAbort"; that
    pair is dropped. An "htmx:afterRequest" followed by anything else (a send error, a timeout) is a
    real failure and stays."""
    errors = page.console_errors
    left = []
    for i, text in enumerate(errors):
        if "422" in text or text.startswith("htmx:sendAbort"):
            continue
        following = errors[i + 1] if i + 1 < len(errors) else ""
        if text.startswith("htmx:afterRequest") and following.startswith("htmx:sendAbort"):
            continue
        left.append(text)
    return left


@pytest.fixture
def shot(request):
    """shot(page, "stap-1") saves a screenshot into test-output/ for a human to look at."""

    def take(page, name):
        OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(OUTPUT / f"{request.node.name}-{name}.png"), full_page=True)

    return take


def browser_login(page, base, username, password="geheim-wachtwoord"):
    page.goto(f"{base}/login")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{base}/")


def at_step(page, label):
    """Wait until the wizard shows step `label` and htmx has settled it.

    The new step is visible a moment before htmx has wired its fields (search-as-you-type,
    previews): keys typed in that moment are never sent. A planner is slower than that; a test
    waits for the settle, as `#wizard.htmx-settling` going away says."""
    from playwright.sync_api import expect

    expect(page.locator("li.huidig")).to_contain_text(label)
    expect(page.locator("#wizard.htmx-settling")).to_have_count(0)
