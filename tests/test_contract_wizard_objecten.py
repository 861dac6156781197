"""The contract wizard with werkadressen and objecten (step Werkbon), through the views, with
and without htmx: the picker, its filter and selection buttons, bad input, the preview per
date, Controle, the contract page, an edit of the objecten, and the werkbon side (the list's
filters and rows, the werkbon page, the planbord)."""

import re
from datetime import date

import pytest

from models.contracts.tables import Contract, ContractDraft, ContractObject
from models.db import connection
from models.objecten.tables import Object
from models.werkbonnen.tables import Werkbon
from tests.objecten_data import klant_with_objecten, medewerker
from tests.test_contract_wizard import WERKBON, start, world  # noqa: F401

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = "2026-11-27"  # a Friday
AGREEMENT = {"start_date": "2026-11-30", "end_date": "", "description": "Onderhoud blusmiddelen",
             "reference": "", "contractvoorwaarden_id": ""}
# weekly on Monday, made 14 days ahead: 30 November and 7 December are made at the save
SCHEMA = {"frequency": "wekelijks", "interval": "1", "weekdays": "MO", "end_mode": "geen",
          "holidays": "ignore", "weekends": "ignore", "days_in_advance": "14"}


@pytest.fixture
def office(app):
    app.config["TODAY"] = TODAY
    klant, places, objecten = klant_with_objecten(places=2, per_place=6)
    other = klant_with_objecten("Woonstichting", "D-501", prefix="CV", kind="CV-ketel")
    return {"klant": klant, "places": places, "objecten": objecten, "other": other,
            "medewerker": medewerker()}


def to_werkbon_step(planner, world, office):  # noqa: F811
    _, base = start(planner, world)
    resp = planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT,
                                                          klant_id=office["klant"].id))
    assert resp.status_code == 303, resp.get_data(as_text=True)
    return base


def werkbon_form(office, objecten=(), per="object", werkadressen=(), **extra):
    return {**WERKBON, "medewerker_id": office["medewerker"].id, "dekking_getoond": "1",
            "werkbon_per": per, "object_ids": [str(o.id) for o in objecten],
            "werkadres_ids": [str(w.id) for w in werkadressen], **extra}


def checked(html: str, name: str = "object_ids") -> list[int]:
    return sorted(int(v) for v in re.findall(
        rf'<input type="checkbox" name="{name}" value="(\d+)" checked>', html))


def generate(runner):
    """What the worker does after the save (its job runs this sweep)."""
    result = runner.invoke(args=["generate", "--today", TODAY])
    assert result.exit_code == 0, result.output


def draft_values():
    with connection():
        return ContractDraft.select().order_by(ContractDraft.id.desc()).get().values


# --------------------------------------------------------------------------- the picker


def test_the_werkbon_step_lists_the_klants_werkadressen_and_objecten(planner, world, office):  # noqa: F811
    base = to_werkbon_step(planner, world, office)
    html = planner.get(f"{base}/werkbon").get_data(as_text=True)
    assert 'name="dekking_getoond"' in html
    for place in office["places"]:
        assert f'<input type="checkbox" name="werkadres_ids" value="{place.id}">' in html
        assert f"Alles van dit werkadres<span class=\"visually-hidden\"> ({place.label})" in html
    for obj in office["objecten"]:
        assert f'name="object_ids" value="{obj.id}"' in html
    assert "CV-001" not in html  # another klant's objecten are not offered
    assert "Eén werkbon per datum" in html and "Eén werkbon per object" in html
    assert 'for="objecten_q"' in html and 'for="objecttype_kies"' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_selection_buttons_and_the_filter(planner, world, office, htmx):  # noqa: F811
    base = to_werkbon_step(planner, world, office)
    one, two = office["places"]
    bb = office["objecten"]
    url = f"{base}/objecten" if htmx else f"{base}/werkbon"

    def press(action, **extra):
        resp = planner.post(url, data=werkbon_form(office, extra.pop("objecten", ()), **extra,
                                                   actie=action), htmx=htmx)
        assert resp.status_code == 200
        html = resp.get_data(as_text=True)
        if htmx:  # only the list comes back; the filter and buttons around it stay
            assert html.lstrip().startswith('<div id="dekking-lijst"')
        return html

    html = press(f"alles-w{two.id}")
    assert checked(html) == [o.id for o in bb[6:]]
    html = press(f"geen-w{two.id}", objecten=bb[5:9])
    assert checked(html) == [bb[5].id]
    assert "1 object gekozen van 12" in html
    # by type: every brandblusser of the klant
    with connection():
        brandblusser = bb[0].objecttype_id
    html = press("type", objecten=bb[:1], objecttype_kies=str(brandblusser))
    assert checked(html) == [o.id for o in bb]
    # the filter hides rows, never drops a ticked one: it stays in the form, hidden
    html = press("zoek-object", objecten=bb[:2], objecten_q="gang 2")
    assert checked(html) == [bb[0].id, bb[1].id]
    assert f'<li hidden><label class="checkbox"><input type="checkbox" name="object_ids" ' \
           f'value="{bb[0].id}" checked>' in html
    assert "6 getoond bij ‘gang 2’" in html
    html = press("alles", objecten=bb[:1], objecten_q="gang 2")  # the ones shown
    assert checked(html) == [bb[0].id] + [o.id for o in bb[6:]]
    assert draft_values()["object_ids"] == [str(i) for i in checked(html)]  # kept in the draft


def test_choosing_another_klant_drops_the_objecten_of_the_first(planner, world, office):  # noqa: F811
    base = to_werkbon_step(planner, world, office)
    planner.post(f"{base}/werkbon/bewaren", data=werkbon_form(office, office["objecten"][:3]),
                 htmx=True)
    assert len(draft_values()["object_ids"]) == 3
    planner.post(f"{base}/overeenkomst/bewaren",
                 data=dict(AGREEMENT, klant_id=office["other"][0].id), htmx=True)
    assert "object_ids" not in draft_values()


@pytest.mark.parametrize("case", ["other_klant", "unknown", "other_werkadres", "per"])
def test_bad_coverage_gets_a_dutch_error_at_the_field_and_nothing_is_saved(planner, world,  # noqa: F811
                                                                           office, case):
    base = to_werkbon_step(planner, world, office)
    other_klant, other_places, other_objecten = office["other"]
    form = {
        "other_klant": werkbon_form(office, [office["objecten"][0], other_objecten[0]]),
        "unknown": dict(werkbon_form(office), object_ids=["987654"]),
        "other_werkadres": werkbon_form(office, werkadressen=[other_places[0]]),
        "per": werkbon_form(office, office["objecten"][:1], per="maand"),
    }[case]
    resp = planner.post(f"{base}/werkbon", data=form)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    field, message = {
        "other_klant": ("object_ids", "Object CV-001 hoort niet bij klant Kantoorpand Zuidas; "
                                      "kies objecten van deze klant."),
        "unknown": ("object_ids", "Dit object bestaat niet: 987654."),
        "other_werkadres": ("werkadres_ids", "hoort niet bij klant Kantoorpand Zuidas"),
        "per": ("werkbon_per", "Kies ‘datum’ (één werkbon per datum) of ‘object’"),
    }[case]
    slot = re.search(rf'<small id="fout-{field}" class="veldfout">([^<]*)</small>', html)
    assert slot and message in slot.group(1), html[-3000:]
    # and the same at Opslaan: nothing written
    planner.post(f"{base}/schema", data=SCHEMA)
    resp = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    assert resp.status_code == 422
    with connection():
        assert Contract.select().count() == ContractObject.select().count() == 0


# --------------------------------------------------------------------------- preview and saving


def test_preview_controle_save_and_the_contract_page(planner, world, office):  # noqa: F811
    base = to_werkbon_step(planner, world, office)
    bb = office["objecten"]
    resp = planner.post(f"{base}/werkbon", data=werkbon_form(office, bb, per="object"))
    assert resp.status_code == 303, resp.get_data(as_text=True)[-2000:]
    resp = planner.get(f"{base}/voorbeeld", query_string=SCHEMA, htmx=True)
    html = resp.get_data(as_text=True)
    assert '<th scope="col">Werkbonnen</th>' in html
    assert html.count("<summary>12 werkbonnen</summary>") == 12  # every date shown
    # each row ends as markup (an escaped "</tr>" once showed as text above the table)
    assert "&lt;/tr&gt;" not in html
    assert len(re.findall(r'<td class="werkbonnen-per-datum">.*?</td></tr>', html, re.S)) == 12
    assert "BB-001, BB-002" in html
    assert "Direct bij opslaan: 24 werkbonnen" in html  # 30 November and 7 December
    planner.post(f"{base}/schema", data=SCHEMA)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert "Eén werkbon per object: elk object een eigen werkbon." in controle
    for place in office["places"]:
        assert place.label in controle
    resp = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    assert resp.status_code == 303
    with connection():
        contract = Contract.get()
        assert contract.werkbon_per == "object"
        assert ContractObject.select().where(ContractObject.contract == contract.id).count() == 12
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "Werkadressen en objecten" in page and "Eén werkbon per object" in page
    assert f'<a href="/objecten/{bb[0].id}">BB-001</a>' in page  # the object page


def test_an_edit_of_the_objecten_shows_what_it_does_and_does_exactly_that(planner, world,  # noqa: F811
                                                                          office, runner):
    base = to_werkbon_step(planner, world, office)
    bb = office["objecten"]
    planner.post(f"{base}/werkbon", data=werkbon_form(office, bb[:3], per="object"))
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    generate(runner)
    with connection():
        contract = Contract.get()
        assert Werkbon.select().count() == 6  # two dates x three objecten, due at the save
    resp = planner.post(f"/contracten/{contract.id}/bewerken")
    edit = resp.headers["Location"].rsplit("/", 1)[0]
    # BB-003 off, BB-004 on
    planner.post(f"{edit}/werkbon", data=werkbon_form(office, [bb[0], bb[1], bb[3]]))
    controle = planner.get(f"{edit}/controle").get_data(as_text=True)
    cancelled = re.search(r'<ul class="effect-geannuleerd">(.*?)</ul>', controle, re.S).group(1)
    assert cancelled.count("<li>") == 2 and cancelled.count("— BB-003") == 2
    new = re.search(r'<ul class="effect-nieuw">(.*?)</ul>', controle, re.S).group(1)
    assert "1 werkbon <small>(BB-004)</small>" in new and new.count("<li>") == 2
    assert "Objecten erbij" in controle and "Objecten eraf" in controle
    shown = re.search(r'name="gevolgen" value="([0-9a-f]+)"', controle).group(1)
    resp = planner.post(f"{edit}/controle", data={"actie": "opslaan", "gevolgen": shown})
    assert resp.status_code == 303
    with connection():
        live = sorted((w.due_date.isoformat(), w.slot) for w in Werkbon.select().where(
            Werkbon.status != "geannuleerd"))
    assert live == sorted((day, f"o{o.id}") for day in ("2026-11-30", "2026-12-07")
                          for o in (bb[0], bb[1], bb[3]))


# --------------------------------------------------------------------------- werkbon side


def test_werkbonnen_show_their_werkadres_and_objecten_and_filter_on_them(planner, world,  # noqa: F811
                                                                         office, runner):
    base = to_werkbon_step(planner, world, office)
    bb = office["objecten"]
    one, two = office["places"]
    planner.post(f"{base}/werkbon", data=werkbon_form(office, bb[:2] + bb[6:7], per="datum"))
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    generate(runner)
    with connection():
        assert Werkbon.select().count() == 4  # two dates x two werkadressen
        first = Werkbon.select().where(Werkbon.werkadres == one.id).order_by(Werkbon.id).get()
    listed = planner.get("/werkbonnen/?status=alle").get_data(as_text=True)
    assert f'<small class="werkadres">{one.label}</small>' in listed
    assert '<small class="objecten">2 objecten: BB-001, BB-002</small>' in listed
    assert '<small class="objecten">BB-007</small>' in listed
    # filtered on an object: the two werkbonnen that list it, and the filter says which
    of_bb2 = planner.get(f"/werkbonnen/?object={bb[1].id}&status=alle").get_data(as_text=True)
    assert of_bb2.count('class="werkbon-rij') == 2 and "Object BB-002" in of_bb2
    at_two = planner.get(f"/werkbonnen/?werkadres={two.id}&status=alle",
                         htmx=True).get_data(as_text=True)
    assert at_two.count('class="werkbon-rij') == 2 and "BB-007" in at_two
    assert planner.get(f"/werkbonnen/?object={bb[5].id}&status=alle").get_data(
        as_text=True).count('class="werkbon-rij') == 0
    page = planner.get(f"/werkbonnen/{first.id}").get_data(as_text=True)
    werkadres = re.search(r'<dd id="werkbon-werkadres">(.*?)</dd>', page, re.S).group(1)
    assert one.label in werkadres
    objecten = re.search(r'<dd id="werkbon-objecten">(.*?)</dd>', page, re.S).group(1)
    assert "BB-001" in objecten and "BB-002" in objecten and "BB-007" not in objecten
    bord = planner.get("/planning/?week=2026-W49").get_data(as_text=True)
    assert bord.count('class="bord-item ') == 2
    assert bord.count('<span class="bord-objecten">2 objecten</span>') == 1
    assert '<span class="bord-objecten">BB-007</span>' in bord


def test_a_werkbon_without_werkadres_shows_the_klants_address(planner, world, office,  # noqa: F811
                                                              runner):
    base = to_werkbon_step(planner, world, office)
    planner.post(f"{base}/werkbon", data=werkbon_form(office))
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    generate(runner)
    with connection():
        werkbon = Werkbon.select().order_by(Werkbon.id).get()
        assert werkbon.werkadres_id is None and werkbon.slot == ""
        assert Object.select().count() == 18  # nothing happened to the objecten
    page = planner.get(f"/werkbonnen/{werkbon.id}").get_data(as_text=True)
    assert "Het adres van de klant: Gustav Mahlerlaan 1025, 1082 MK Amsterdam" in page
    listed = planner.get("/werkbonnen/?status=alle").get_data(as_text=True)
    assert '<small class="werkadres">Gustav Mahlerlaan 1025, 1082 MK Amsterdam</small>' in listed
    assert date.fromisoformat(TODAY)  # the frozen today the dates above rely on
