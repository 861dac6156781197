"""Wording and actions a planner reads (issue #15, items 13 and 14), through the views.

The layout itself (widths, cut text, focus ring, axe-core) is measured in a real browser:
tests/browser/test_layout.py."""

import re

import pytest

from models.common.dutch_dates import count
from models.contracts.tables import Contract
from models.db import connection
from models.stamdata.instellingen import Contracttype, Contractvoorwaarden
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from tests.test_contract_wizard import SCHEMA, fill, saved
from views.filters import number_of


@pytest.fixture
def world(app):
    """What tests/test_contract_wizard.py's helpers (fill, saved) need."""
    with connection():
        klant = Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht")
        medewerker = Medewerker.create(personnel_number="P-1", name="Jeroen Bakker")
        types = {t.kind: t.id for t in Contracttype.select()}
    return {"klant": klant.id, "medewerker": medewerker.id, "types": types}


@pytest.mark.parametrize("n,text", [(0, "0 dagen"), (1, "1 dag"), (2, "2 dagen"),
                                    (14, "14 dagen"), ("14", "14 dagen"), ("1", "1 dag"),
                                    ("", " dagen"), ("x", "x dagen")])
def test_a_known_number_takes_its_own_word(n, text):
    assert number_of(n, "dag", "dagen") == text
    assert count(1, "werkbon", "werkbonnen") == "1 werkbon"


def visible_labels(html: str, field: str) -> list[str]:
    return re.findall(rf'<label for="{field}"(?![^>]*visually-hidden)[^>]*>', html)


def test_the_klant_field_has_one_label_and_both_omschrijvingen_say_which_is_which(
        planner, world):
    base = fill(planner, world)
    step2 = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    # the legend "Klant" is the one label a planner sees; the search field keeps its name for
    # a screen reader and says what to type
    assert '<legend id="klant-label">Klant</legend>' in step2
    assert visible_labels(step2, "klant_q") == []
    assert 'for="klant_q" class="visually-hidden">Zoek klant op naam' in step2
    assert 'placeholder="Zoek op naam, debiteurnummer of plaats"' in step2
    # Omschrijving (the contract's) and Omschrijving op de werkbon: a line each, read out
    assert 'aria-describedby="fout-description uitleg-description"' in step2
    assert re.search(r'id="uitleg-description"[^>]*>De naam van het contract in lijsten', step2)
    step3 = planner.get(f"{base}/werkbon").get_data(as_text=True)
    assert 'aria-describedby="fout-wb_description uitleg-wb_description"' in step3
    assert re.search(r'id="uitleg-wb_description"[^>]*>Wat de medewerker op elke werkbon leest.'
                     r' Leeg: de omschrijving van het contract \("Onderhoud cv-ketel"\)',
                     step3)


@pytest.mark.parametrize("lead,said", [("14", "14 dagen voor zijn datum"),
                                       ("1", "1 dag voor zijn datum"),
                                       ("0", "op zijn datum zelf")])
def test_controle_names_the_lead_time_in_words(planner, world, lead, said):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, days_in_advance=lead))
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert f"Elke werkbon wordt {said} aangemaakt." in controle
    assert "dag(en)" not in controle


def test_dashboard_offers_nieuw_contract_and_storing_melden_alike(planner):
    page = planner.get("/").get_data(as_text=True)
    head = page[page.index('<div class="page-head">'):page.index("Vandaag is het")]
    actions = re.findall(r'<a href="([^"]+)" role="button"( class="[^"]*")?>([^<]+)</a>', head)
    assert actions == [("/contracten/nieuw", "", "Nieuw contract"),
                       ("/storingen/nieuw", "", "Storing melden")]  # one primary style
    assert 'class="secondary small">Storing melden' not in page


def actions_of(page: str) -> str:
    return page[page.index('<section class="acties"'):page.index("</section>",
                                                                 page.index('class="acties"'))]


def test_ending_and_deleting_wait_behind_a_disclosure(planner, world):
    contract = saved(planner, world)
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    actions = actions_of(page)
    disclosure = re.search(r'<details class="gevaarlijk" id="einde-acties"( open)?>\s*'
                           r'<summary>([^<]+)</summary>', actions)
    assert disclosure and disclosure.group(1) is None  # closed
    assert disclosure.group(2) == "Contract beëindigen of verwijderen"
    details = actions[actions.index("<details"):]
    assert 'id="beeindigen"' in details and "Verwijderen…" in details
    # restarting a contract with an end date is possible: its card says from when
    assert "<h3>Opnieuw starten</h3>" in actions and "op za 1 jan 2028" in actions
    assert actions.index("Opnieuw starten") < actions.index("<details")

    # a half-filled end form comes back open, with its errors
    wrong = planner.post(f"/contracten/{contract.id}/beeindigen", data={"end_date": ""})
    assert wrong.status_code == 422
    assert '<details class="gevaarlijk" id="einde-acties" open>' in wrong.get_data(as_text=True)
    # so do the end preview and the delete question
    preview = planner.post(f"/contracten/{contract.id}/beeindigen",
                           data={"end_date": "2026-06-30", "reason": "KLANT"})
    assert 'id="einde-acties" open>' in preview.get_data(as_text=True)
    ask = planner.post(f"/contracten/{contract.id}/verwijderen")
    assert 'id="einde-acties" open>' in ask.get_data(as_text=True)
    assert 'class="gevaar">Definitief verwijderen' in ask.get_data(as_text=True)


def test_no_card_only_to_say_it_cannot_be_used(planner, world):
    contract = saved(planner, world)
    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
        Contract.update(voorwaarden=terms.id).where(Contract.id == contract.id).execute()
        from models.werkbonnen.tables import Werkbon

        Werkbon.create(number="W-2026-900001", contract=contract, klant=contract.klant,
                       due_date=contract.start_date, status="afgerond")
    actions = actions_of(planner.get(f"/contracten/{contract.id}").get_data(as_text=True))
    assert "Opnieuw starten" not in actions  # it renews: nothing to restart
    # a contract with finished werkbonnen cannot be deleted: no disabled button, one line why
    assert "<summary>Contract beëindigen</summary>" in actions
    assert "Verwijderen…" not in actions and "disabled" not in actions
    assert "Verwijderen kan niet. Dit contract heeft 1 afgeronde werkbon;" in actions
