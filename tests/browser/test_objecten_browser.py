"""A planner in Chromium: a werkadres for a klant (a Dutch error first), an object there, the
object found by searching as you type, its page, and its label downloaded and read back."""

import re

import pypdfium2 as pdfium
import zxingcpp
from playwright.sync_api import expect

from models.db import connection
from models.objecten.tables import Object
from models.stamdata.klanten import Klant
from tests.browser.conftest import browser_login, unexpected_console_errors
from tests.conftest import make_user


def test_werkadres_object_search_page_and_label(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    with connection():
        klant = Klant.create(customer_number="D-7", name="Kantoorpand Zuidas B.V.",
                             street="Gustav Mahlerlaan", house_number="1025",
                             postcode="1082 MK", city="Amsterdam")
        Klant.create(customer_number="D-8", name="Bakkerij Jansen", street="Markt",
                     house_number="1", postcode="3511 AB", city="Utrecht")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/klanten/{klant.id}")
    page.get_by_role("button", name="Nieuw werkadres").click()
    page.get_by_label("Naam").fill("Hoofdkantoor")
    page.get_by_label("Straat").fill("Gustav Mahlerlaan")
    page.get_by_label("Huisnummer").fill("1025")
    page.get_by_label("Plaats").fill("Amsterdam")
    page.get_by_label("Toegang").fill("Melden bij de receptie")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#fout-postcode")).to_have_text("Vul een postcode in.")
    expect(page.get_by_label("Postcode")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Naam")).to_have_value("Hoofdkantoor")  # typing kept
    shot(page, "werkadres-fout")
    page.get_by_label("Postcode").fill("1082mk")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Hoofdkantoor")).to_be_visible()
    expect(page.locator(".gegevens")).to_contain_text("1082 MK Amsterdam")

    page.get_by_role("button", name="Object toevoegen").click()
    page.get_by_label("Objecttype").select_option(label="Brandblusser")
    page.get_by_label(re.compile(r"^Merk")).fill("Gloria")
    page.get_by_label("Model").fill("PD6GA")
    page.get_by_label("Serienummer").fill("GL-2021-4410")
    page.get_by_label("Locatie op het adres").fill("3e verdieping, bij de lift")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name=re.compile(r"OBJ-000001 · Brandblusser"))) \
        .to_be_visible()
    with connection():
        obj = Object.get(Object.number == "OBJ-000001")

    # the list: search as you type, swapped in place, the URL kept
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Objecten").click()
    page.evaluate("window.geenPaginaLaad = true")
    page.get_by_label("Zoek object").press_sequentially("gl-2021", delay=40)
    expect(page).to_have_url(re.compile(r"/objecten/\?q=gl-2021"))
    expect(page.locator("#resultaten")).to_contain_text("OBJ-000001")
    assert page.evaluate("window.geenPaginaLaad === true")  # swapped, not reloaded
    page.get_by_label("Zoek object").fill("")
    page.get_by_label("Zoek object").press_sequentially("jansen", delay=40)
    expect(page.locator("#resultaten")).to_contain_text("Geen objecten gevonden")
    page.get_by_label("Zoek object").fill("")
    page.get_by_label("Zoek object").press_sequentially("zuidas", delay=40)
    expect(page.locator("#resultaten")).to_contain_text("OBJ-000001")
    shot(page, "lijst")
    page.locator("#resultaten").get_by_role("link", name="OBJ-000001").click()
    expect(page).to_have_url(f"{base}/objecten/{obj.id}")
    expect(page.locator("body")).to_contain_text("Melden bij de receptie")
    expect(page.locator("body")).to_contain_text("Nog geen werkbonnen voor dit object.")
    shot(page, "object")
    # Chromium logs each 422 (the validation answer) as a failed resource; nothing else may
    # fail (checked before the PDF: its viewer asks for /favicon.ico, which we do not have)
    assert unexpected_console_errors(page) == [], page.console_errors

    # the label: a PDF (shown in the browser, to print) whose QR code opens this page on
    # this server
    with page.expect_response(re.compile(r".*/labels\?vanaf=1$")) as info:
        page.get_by_role("button", name="Label afdrukken").click()
    response = info.value
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'inline; filename="label-OBJ-000001.pdf"'
    # Chromium shows it in its PDF viewer; the bytes, fetched again with the browser's session
    pdf = page.context.request.get(response.url)
    assert pdf.ok
    doc = pdfium.PdfDocument(pdf.body())
    codes = [r.text for r in zxingcpp.read_barcodes(doc[0].render(scale=2).to_pil())]
    assert "Kantoorpand Zuidas B.V." in doc[0].get_textpage().get_text_range()
    doc.close()
    assert codes == [f"{base}/objecten/{obj.id}"]


def test_deactivating_a_werkadres_shows_what_it_cancels_first(live_server, page, shot):
    """Issue #17: a planner deactivates a werkadres with werkbonnen still to come; the page
    first lists per contract which werkbonnen are cancelled, readable at 1024 px, and only
    "Deactiveren en dit doen" does it."""

    from models.werkbonnen.tables import Werkbon
    from tests.objecten_data import covering_contract, klant_with_objecten

    app, base = live_server
    make_user("planner1", "planner")
    klant, places, objecten = klant_with_objecten()
    today = app.config["TODAY"]
    contract = covering_contract(klant, objecten[:2], per="object", lead=60,
                                 rrule="FREQ=MONTHLY;BYMONTHDAY=1", start=today)
    result = app.test_cli_runner().invoke(args=["generate", "--today", today])
    assert result.exit_code == 0, result.output
    with connection():
        waiting = Werkbon.select().where(Werkbon.contract == contract.id).count()
    assert waiting >= 2
    page.set_viewport_size({"width": 1024, "height": 768})
    browser_login(page, base, "planner1")
    page.goto(f"{base}/werkadressen/{places[0].id}")
    page.get_by_role("button", name="Deactiveren").click()
    effect = page.locator("#actief-gevolgen")
    expect(effect.get_by_role("heading", level=3)).to_contain_text("deactiveren (vanaf vandaag)")
    expect(effect.locator(".effect-geannuleerd li")).to_have_count(waiting)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(page, "gevolgen")
    with connection():
        assert Werkbon.select().where(Werkbon.status == "geannuleerd").count() == 0
    page.get_by_role("button", name="Deactiveren en dit doen").click()
    expect(page.locator("#meldingen")).to_contain_text(
        f"is gedeactiveerd. {waiting} werkbonnen geannuleerd.")
    expect(page.locator(".badge-inactief")).to_be_visible()
    shot(page, "gedeactiveerd")
    with connection():
        assert Werkbon.select().where(Werkbon.status == "geannuleerd").count() == waiting
    assert unexpected_console_errors(page) == []
