"""Issue 18 in Chromium: a planner builds the three-cadence contract (a monthly controle, a
quarterly kleine beurt, groot onderhoud in October) plus a floating half-yearly one, sees
October's controle fall away in the preview, saves, completes the floating werkbon late and
sees its next date move."""

from playwright.sync_api import expect

from models.db import connection
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon
from tests.browser.conftest import at_step, browser_login, unexpected_console_errors
from tests.conftest import make_user


def row(page, n, field):
    return page.locator(f"#od-{n}-{field}")


def test_a_planner_builds_three_cadences_and_a_floating_one(live_server, page, shot):
    app, base = live_server
    make_user("planner1", "planner")
    with connection():
        Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht")
        Medewerker.create(personnel_number="P-1", name="Jeroen Bakker")
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/nieuw")
    page.get_by_role("radio", name="Preventief").check()
    page.get_by_role("button", name="Volgende").click()
    page.get_by_label("Zoek klant op naam, debiteurnummer of plaats").press_sequentially(
        "bakk", delay=40)
    page.get_by_role("radio", name="Bakkerij Jansen").check()
    page.get_by_label("Startdatum").fill("2026-12-01")
    page.get_by_label("Omschrijving", exact=True).fill("Onderhoud koelinstallatie")
    page.get_by_role("button", name="Volgende").click()
    at_step(page, "Werkbon")
    page.get_by_placeholder("Zoek medewerker op naam").press_sequentially("jer", delay=40)
    page.get_by_role("radio", name="Jeroen Bakker").check()
    page.get_by_role("button", name="Volgende").click()

    # the schedule step: one schedule, as before, with a button to add onderdelen
    at_step(page, "Schema")
    expect(page.locator("#voorbeeld")).to_contain_text("Elke maand op de 1e")
    expect(page.locator("#hoofd_naam")).to_have_count(0)
    add = page.get_by_role("button", name="Onderdeel toevoegen")
    add.focus()
    page.keyboard.press("Enter")  # keyboard-usable: a plain button
    expect(page.locator("#hoofd_naam")).to_be_visible()
    page.locator("#hoofd_naam").fill("Controle")
    page.locator("#hoofd_rang").fill("1")
    row(page, 0, "naam").fill("Kleine beurt")
    row(page, 0, "rang").fill("2")
    row(page, 0, "freq").select_option("kwartaal")
    row(page, 0, "dag").fill("1")
    page.get_by_role("button", name="Onderdeel toevoegen").click()
    expect(row(page, 1, "naam")).to_be_visible()
    row(page, 1, "naam").fill("Groot onderhoud")
    row(page, 1, "rang").fill("3")
    row(page, 1, "freq").select_option("jaar")
    row(page, 1, "maand").select_option("10")
    row(page, 1, "dag").fill("15")
    page.get_by_role("button", name="Onderdeel toevoegen").click()
    expect(row(page, 2, "naam")).to_be_visible()
    row(page, 2, "naam").fill("Halfjaarlijks")
    row(page, 2, "rang").fill("4")
    row(page, 2, "anker").select_option("na_afronding")
    row(page, 2, "na").fill("6")
    row(page, 2, "venster").select_option("dag")
    row(page, 2, "omschrijving").fill("Halfjaarlijks onderhoud")
    row(page, 2, "werktype").select_option("Inspectie")  # its own werktype
    expect(row(page, 2, "duur")).to_have_value("45")  # the werktype's duration, as on Werkbon
    preview = page.locator("#voorbeeld")
    expect(preview).to_contain_text("Alle onderdelen samen")
    october = preview.locator("tr", has_text="1 okt 2027").filter(has_text="Controle")
    expect(october).to_contain_text("vervalt: groot onderhoud in dezelfde maand")
    expect(preview.locator("tr", has_text="15 okt 2027")).to_contain_text("Groot onderhoud")
    expect(preview.locator("tr", has_text="1 jun 2027").filter(
        has_text="Halfjaarlijks")).to_contain_text("verwacht: 6 maanden na afronding")
    shot(page, "1-onderdelen")
    page.get_by_role("button", name="Volgende").click()
    at_step(page, "Controle")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#meldingen")).to_contain_text("is opgeslagen")

    # the worker's sweep (the real code path) makes what is due: 1 December's visits
    result = app.test_cli_runner().invoke(args=["generate", "--today", "2026-11-27"])
    assert result.exit_code == 0, result.output
    page.reload()
    onderdelen = page.locator(".onderdelen-lijst")
    expect(onderdelen).to_contain_text("Zwevend: de datum schuift mee met de afronding.")
    expect(onderdelen).to_contain_text("Verwacht: di 1 jun 2027, als de werkbon van di 1 dec "
                                       "2026 op die dag wordt afgerond.")
    # the coming dates of all onderdelen together, from the first not made yet: the controle
    # of 1 January (moved to Monday 4 January: Nieuwjaarsdag), not the groot onderhoud
    coming = page.locator("table.onderdelen-tijdlijn")
    expect(coming.locator("tbody tr").first).to_contain_text("ma 4 jan 2027")
    expect(coming.locator("tbody tr").first).to_contain_text("Controle")
    shot(page, "2-contract")

    # done late, on 18 December: the next one counts from then
    app.config["TODAY"] = "2026-12-18"
    with connection():
        werkbon = Werkbon.get(Werkbon.description == "Halfjaarlijks onderhoud")
    page.goto(f"{base}/werkbonnen/{werkbon.id}")
    for status in ("onderweg", "in_uitvoering", "afgerond"):
        page.get_by_label("Status", exact=True).select_option(status)
        if status == "afgerond":
            expect(page.get_by_label("Afgerond op")).to_have_value("2026-12-18")  # today
            shot(page, "3-afronden")
        page.get_by_role("button", name="Status wijzigen").click()
        expect(page.locator("h1")).to_contain_text(
            {"onderweg": "Onderweg", "in_uitvoering": "In uitvoering",
             "afgerond": "Afgerond"}[status])
    page.goto(f"{base}/contracten/{werkbon.contract_id}")
    expect(page.locator(".onderdelen-lijst")).to_contain_text("Volgende: vr 18 jun 2027.")
    shot(page, "4-na-afronding")
    assert werkbon.werktype == "Inspectie"

    # it was really done on the 15th: corrected afterwards on the werkbon page, the next
    # date moves along and the planner is told so
    page.goto(f"{base}/werkbonnen/{werkbon.id}")
    page.get_by_label("Afgerond op").fill("2026-12-15")
    page.get_by_role("button", name="Datum wijzigen").click()
    expect(page.locator("#werkbon-melding")).to_contain_text(
        "Afgerond op 15 december 2026: de volgende werkbon van Halfjaarlijks wordt verwacht op "
        "15 juni 2027")
    shot(page, "5-datum-verbeterd")
    page.goto(f"{base}/contracten/{werkbon.contract_id}")
    expect(page.locator(".onderdelen-lijst")).to_contain_text("Volgende: di 15 jun 2027.")
    assert unexpected_console_errors(page) == []
