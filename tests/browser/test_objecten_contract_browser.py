"""A planner makes a preventive contract for 12 brandblussers at two werkadressen, one werkbon
per object, in Chromium: the preview counts the werkbonnen per date, a real RQ worker makes
them, and the planner finds them on the contract page, the object page and the planbord."""

import re

import pytest
from playwright.sync_api import expect

from models.db import connection
from models.werkbonnen.tables import Werkbon, WerkbonObject
from tests.browser.conftest import at_step, browser_login, unexpected_console_errors
from tests.browser.test_layout import describe, run_axe
from tests.conftest import BROWSER_TODAY, make_user
from tests.objecten_data import klant_with_objecten, medewerker


@pytest.mark.slow
def test_a_contract_for_12_brandblussers_gives_a_werkbon_per_object(live_server, page, shot,
                                                                    redis_url, tmp_path):
    from tests.test_generation_robustness import logs, spawn_worker

    app, base = live_server
    make_user("planner1", "planner")
    klant, places, objecten = klant_with_objecten(places=2, per_place=6)
    klant_with_objecten("Woonstichting Oost", "D-501", prefix="CV", kind="CV-ketel")
    medewerker()
    page.set_viewport_size({"width": 1366, "height": 900})
    browser_login(page, base, "planner1")
    page.goto(f"{base}/contracten/")
    page.get_by_role("button", name="Nieuw contract").click()
    page.get_by_role("radio", name="Preventief").check()
    page.get_by_role("button", name="Volgende").click()

    at_step(page, "Overeenkomst")
    page.get_by_label("Zoek klant op naam, debiteurnummer of plaats").press_sequentially(
        "zuid", delay=30)
    page.get_by_role("radio", name="Kantoorpand Zuidas").check()
    page.get_by_label("Startdatum").fill(BROWSER_TODAY)  # Friday 27 November 2026
    page.get_by_label("Omschrijving", exact=True).fill("Onderhoud brandblussers")
    page.get_by_role("button", name="Volgende").click()

    # Werkbon: the medewerker, then the objecten: all brandblussers by type, one werkbon each
    at_step(page, "Werkbon")
    page.get_by_placeholder("Zoek medewerker op naam").press_sequentially("fat", delay=30)
    page.get_by_role("radio", name="Fatima El Amrani").check()
    dekking = page.locator("#dekking")
    for place in places:
        expect(dekking).to_contain_text(place.label)
    expect(dekking).not_to_contain_text("CV-001")  # another klant's objecten are not offered
    expect(page.locator("#dekking-stand")).to_contain_text("0 objecten gekozen van 12")
    page.get_by_label("Op type").select_option(label="Brandblusser")
    page.get_by_role("button", name="Alle objecten van dit type kiezen").click()
    expect(page.locator("#dekking-stand")).to_contain_text("12 objecten gekozen van 12")
    expect(page.locator("input[name=object_ids]:checked")).to_have_count(12)
    page.get_by_role("radio", name="Eén werkbon per object").check()
    shot(page, "werkbon")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Volgende").click()

    # Schema: every Monday, made 14 days ahead: 30 November and 7 December at the save
    at_step(page, "Schema")
    preview = page.locator("#voorbeeld")
    page.get_by_label("Hoe vaak").select_option("wekelijks")
    page.get_by_role("checkbox", name="vrijdag", exact=True).uncheck()
    page.get_by_role("checkbox", name="maandag", exact=True).check()
    expect(preview).to_contain_text("Elke week op maandag")
    expect(page.get_by_label("Dagen van tevoren aanmaken")).to_have_value("14")
    rows = preview.locator("tbody tr")
    for n, day in enumerate(("ma 30 nov 2026", "ma 7 dec 2026")):
        expect(rows.nth(n)).to_contain_text(day)
        expect(rows.nth(n)).to_contain_text("direct bij opslaan")
        expect(rows.nth(n).locator(".werkbonnen-per-datum")).to_contain_text("12 werkbonnen")
    expect(page.locator("#werkbonnen-nu")).to_contain_text("Direct bij opslaan: 24 werkbonnen")
    expect(preview).not_to_contain_text("</tr>")  # no markup shown as text
    rows.nth(0).locator("summary").click()  # which ones: the objecten by number
    expect(rows.nth(0).locator(".werkbonnen-per-datum p")).to_contain_text("BB-001, BB-002")
    expect(rows.nth(0).locator(".werkbonnen-per-datum p")).to_contain_text("BB-012")
    shot(page, "schema")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Volgende").click()

    at_step(page, "Controle")
    expect(page.locator(".controle")).to_contain_text("Eén werkbon per object")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#meldingen")).to_contain_text("is opgeslagen")

    # the job the save queued, run by a real RQ worker process
    log = tmp_path / "worker.log"
    worker = spawn_worker(app, redis_url, "werker-objecten", log)
    assert worker.wait(120) == 0, logs(log)
    with connection():
        made = list(Werkbon.select().where(Werkbon.klant == klant.id).order_by(Werkbon.id))
        links = {(link.werkbon_id, link.object_id) for link in WerkbonObject.select()}
    assert len(made) == 24
    assert {(w.due_date.isoformat(), w.slot) for w in made} == {
        (day, f"o{o.id}") for day in ("2026-11-30", "2026-12-07") for o in objecten}
    assert {(w.id, int(w.slot[1:])) for w in made} == links
    assert {w.werkadres_id for w in made if int(w.slot[1:]) in {o.id for o in objecten[:6]}} \
        == {places[0].id}

    # the contract page lists its objecten, and the werkbonnen appear
    page.reload()
    expect(page.locator("#dekking-kop")).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("Eén werkbon per object")
    for obj in (objecten[0], objecten[11]):
        expect(main).to_contain_text(obj.number)
    shot(page, "contract")

    # the object page, from the contract page: its two werkbonnen, its next visits, the contract
    page.get_by_role("link", name="BB-007", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("BB-007")
    open_rows = page.locator("section[aria-labelledby=open-kop] tbody tr")
    expect(open_rows).to_have_count(2)
    expect(open_rows.nth(0)).to_contain_text("30 nov 2026")
    expect(open_rows.nth(1)).to_contain_text("7 dec 2026")
    expect(open_rows.nth(0)).to_contain_text("Fatima El Amrani")
    bb7 = [w for w in made if w.slot == f"o{objecten[6].id}"]
    expect(open_rows.nth(0)).to_contain_text(bb7[0].number)
    visits = page.locator("section[aria-labelledby=bezoeken-kop] tbody tr")
    expect(visits.nth(0)).to_contain_text("14 dec 2026")  # made on 30 November
    expect(visits.nth(0)).to_contain_text("30 nov 2026")
    expect(page.locator("section[aria-labelledby=contracten-kop]")).to_contain_text(
        "Onderhoud brandblussers")
    shot(page, "object")
    page.go_back()

    # the planbord: Monday 30 November, 12 cards for Fatima, each its object and werkadres
    page.goto(f"{base}/planning/?week=2026-W49")
    cards = page.locator(".bord-objecten")
    expect(cards).to_have_count(12)
    numbers = sorted(cards.all_inner_texts())
    assert numbers == [o.number for o in objecten], numbers
    first = page.locator("li", has=page.locator(".bord-objecten", has_text=re.compile(
        r"^BB-001$")))
    expect(first).to_contain_text(places[0].name)
    expect(first).to_contain_text("Kantoorpand Zuidas")
    shot(page, "planbord")

    # BB-007 goes out of use from 7 December: the object page shows which werkbon that cancels,
    # and only the confirmation does it
    page.goto(f"{base}/objecten/{objecten[6].id}")
    page.get_by_label("Status", exact=True).select_option("buiten_gebruik")
    page.get_by_label("Met ingang van").fill("2026-12-07")
    page.get_by_role("button", name="Status wijzigen", exact=True).click()
    effect = page.locator("#status-gevolgen")
    expect(effect).to_contain_text("Worden geannuleerd (1)")
    expect(effect.locator(".effect-geannuleerd")).to_have_text(
        f"{bb7[1].number}: ma 7 dec 2026 — BB-007")
    expect(page.get_by_role("button", name="Status wijzigen en dit doen")).to_be_focused()
    with connection():
        assert Werkbon.get_by_id(bb7[1].id).status == "ingepland"  # nothing yet
    shot(page, "status-gevolgen")
    page.set_viewport_size({"width": 1024, "height": 768})  # a tablet: nothing sideways
    assert page.evaluate("document.documentElement.scrollWidth") == 1024
    shot(page, "status-gevolgen-1024")
    violations = run_axe(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Status wijzigen en dit doen").click()
    expect(page.locator("#meldingen")).to_contain_text(
        "Object BB-007 is nu buiten gebruik (met ingang van ma 7 dec 2026). "
        "1 werkbon geannuleerd.")
    open_rows = page.locator("section[aria-labelledby=open-kop] tbody tr")
    expect(open_rows).to_have_count(1)
    expect(page.locator("section[aria-labelledby=bezoeken-kop]")).to_contain_text(
        "krijgt geen werkbonnen meer")
    with connection():
        assert Werkbon.get_by_id(bb7[1].id).status == "geannuleerd"
    assert unexpected_console_errors(page) == []
