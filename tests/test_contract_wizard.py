"""The step-by-step contract form, through the views, with and without htmx."""

import json
import re

import pytest

from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.db.audit import AuditLog
from models.stamdata.instellingen import Contracttype
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

AGREEMENT = {"start_date": "2026-01-01", "end_date": "2027-12-31",
             "description": "Onderhoud cv-ketel", "reference": "PO-1", "contractvoorwaarden_id": ""}
WERKBON = {"wb_description": "Onderhoudsbeurt", "werktype": "Onderhoud",
           "duration_minutes": "60", "prioriteit": "Normaal", "start_time": "08:30"}
SCHEMA = {"frequency": "maandelijks", "interval": "3", "monthly_mode": "weekdag", "ordinal": "-1",
          "ordinal_weekday": "FR", "end_mode": "geen", "holidays": "next_workday",
          "weekends": "ignore", "days_in_advance": "14"}


@pytest.fixture
def world(app):
    with connection():
        klant = Klant.create(customer_number="D-1", name="Bakkerij Jansen", city="Utrecht",
                             postcode="3511 AB", street="Oudegracht", house_number="1")
        old = Klant.create(customer_number="D-2", name="Oud B.V.", active=False)
        medewerker = Medewerker.create(personnel_number="P-1", name="Jeroen Bakker")
        gone = Medewerker.create(personnel_number="P-2", name="Ex Medewerker", active=False)
        types = {t.kind: t.id for t in Contracttype.select()}
    return {"klant": klant.id, "oud": old.id, "medewerker": medewerker.id, "weg": gone.id,
            "types": types}


def start(planner, world, kind="preventief", htmx=False):
    resp = planner.post("/contracten/nieuw", data={"contracttype_id": world["types"][kind]},
                        htmx=htmx)
    with connection():
        draft = ContractDraft.select().order_by(ContractDraft.id.desc()).get()
    return resp, f"/contracten/concept/{draft.id}"


def fill(planner, world, kind="preventief"):
    _, base = start(planner, world, kind)
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    planner.post(f"{base}/werkbon", data=dict(WERKBON, medewerker_id=world["medewerker"]))
    return base


def saved(planner, world, schema=SCHEMA) -> Contract:
    """A preventief contract made through all the steps and saved (the only one there is)."""
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=schema)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        return Contract.get()


@pytest.mark.parametrize("htmx", [False, True])
def test_full_preventive_flow(planner, world, htmx):
    resp, base = start(planner, world, htmx=htmx)
    if htmx:
        assert resp.headers["HX-Push-Url"] == f"{base}/overeenkomst"
        assert resp.get_data(as_text=True).lstrip().startswith('<div id="wizard">')
    else:
        assert resp.status_code == 303 and resp.headers["Location"] == f"{base}/overeenkomst"
    steps = [("overeenkomst", dict(AGREEMENT, klant_id=world["klant"]), "werkbon"),
             ("werkbon", dict(WERKBON, medewerker_id=world["medewerker"]), "schema"),
             ("schema", SCHEMA, "controle")]
    for step, data, following in steps:
        resp = planner.post(f"{base}/{step}", data=data, htmx=htmx)
        if htmx:
            assert resp.status_code == 200 and resp.headers["HX-Push-Url"] == f"{base}/{following}"
        else:
            assert resp.headers["Location"] == f"{base}/{following}", resp.get_data(as_text=True)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert "Elk kwartaal op de laatste vrijdag" in controle
    assert "Jeroen Bakker" in controle and "Bakkerij Jansen" in controle
    resp = planner.post(f"{base}/controle", data={"actie": "opslaan"}, htmx=htmx)
    with connection():
        contract = Contract.get()
        assert AuditLog.select().where(AuditLog.entity == "contract").count() == 1
        assert ContractDraft.select().count() == 0
    target = f"/contracten/{contract.id}"
    assert (resp.headers.get("HX-Redirect") if htmx else resp.headers["Location"]) == target
    assert re.fullmatch(r"C-\d{4}-\d{4}", contract.number)
    assert contract.rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR"
    assert contract.medewerker_id == world["medewerker"] and contract.start_time == "08:30"
    page = planner.get(target).get_data(as_text=True)
    assert "Elk kwartaal op de laatste vrijdag" in page and contract.number in page


def test_each_step_is_a_full_page_or_a_fragment(planner, world):
    base = fill(planner, world)
    for step in ("overeenkomst", "werkbon", "schema", "controle"):
        full = planner.get(f"{base}/{step}").get_data(as_text=True)
        frag = planner.get(f"{base}/{step}", htmx=True).get_data(as_text=True)
        assert "<html" in full and 'aria-current="step"' in full
        assert "<html" not in frag and frag.lstrip().startswith('<div id="wizard">')


def test_another_type_after_going_back_brings_its_own_defaults(planner, world):
    """Correctief, Volgende, Vorige, Preventief: the werkbon step still had the correctief
    defaults (Storing, 90 minutes, 0 days in advance). What the planner changed stays."""
    with connection():
        types = {t.kind: t for t in Contracttype.select()}
    _, base = start(planner, world, "correctief")
    planner.post(f"{base}/overeenkomst", data={"actie": "vorige"})
    planner.post(f"{base}/type", data={"contracttype_id": world["types"]["preventief"]})
    with connection():
        values = ContractDraft.get().values
    preventief = types["preventief"]
    assert values["werktype"] == preventief.default_werktype.name
    assert values["duration_minutes"] == str(preventief.default_duration)
    assert values["days_in_advance"] == str(preventief.default_days_in_advance)
    assert (values["werktype"], values["days_in_advance"]) != (
        types["correctief"].default_werktype.name, str(types["correctief"].default_days_in_advance))
    # a duration the planner typed survives the next switch
    planner.post(f"{base}/werkbon", data=dict(WERKBON, duration_minutes="75",
                                             werktype=values["werktype"], actie="vorige"))
    planner.post(f"{base}/type", data={"contracttype_id": world["types"]["jaarlijks"]})
    with connection():
        values = ContractDraft.get().values
    assert values["duration_minutes"] == "75"
    assert values["days_in_advance"] == str(types["jaarlijks"].default_days_in_advance)


def test_type_required(planner, world):
    resp = planner.post("/contracten/nieuw", data={})
    assert resp.status_code == 422 and "Kies een contracttype." in resp.get_data(as_text=True)


@pytest.mark.parametrize("field, value, message", [
    ("klant_id", "", "Kies een klant."),
    ("start_date", "", "Vul een startdatum in."),
    ("end_date", "2025-12-31", "De einddatum ligt vóór de startdatum."),
    ("description", "", "Vul een omschrijving in"),
])
def test_agreement_validation_keeps_input(planner, world, field, value, message):
    _, base = start(planner, world)
    data = {**AGREEMENT, "klant_id": world["klant"], field: value}
    resp = planner.post(f"{base}/overeenkomst", data=data)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and message in html
    assert f'id="fout-{field}"' in html
    assert 'value="PO-1"' in html  # other typing kept


def test_inactive_klant_and_medewerker_refused(planner, world):
    _, base = start(planner, world)
    resp = planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["oud"]))
    assert resp.status_code == 422 and "niet actief" in resp.get_data(as_text=True)
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    resp = planner.post(f"{base}/werkbon", data=dict(WERKBON, medewerker_id=world["weg"]))
    assert resp.status_code == 422 and "niet actief" in resp.get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"days_in_advance": "366"}, "days_in_advance", "0 tot en met 365"),
    ({"interval": "0"}, "interval", "1 tot en met 99"),
    ({"frequency": "jaarlijks", "month": "6", "monthly_mode": "dag", "day_of_month": "1",
      "end_mode": "einddatum", "until": "2026-03-01"}, "until",
     "Tussen de startdatum en deze einddatum valt geen enkele datum van het schema."),
    # every 12 months from January, only in June: never. Said at "Hoe vaak", in the
    # planner's words (it sat above the form and spoke of a "regel")
    ({"frequency": "maandelijks", "interval": "12", "monthly_mode": "dag", "day_of_month": "1",
      "season_months": "6"}, "frequency", "Dit schema levert nooit een datum op"),
])
def test_schema_step_validation(planner, world, changes, field, message):
    base = fill(planner, world)
    resp = planner.post(f"{base}/schema", data=dict(SCHEMA, **changes))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    slot = re.search(rf'<small id="fout-{field}" class="veldfout">([^<]+)</small>', html)
    assert slot and message in slot.group(1)


def test_schedule_without_date_in_period_is_explained(planner, world):
    _, base = start(planner, world)
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                    start_date="2026-01-01",
                                                    end_date="2026-01-31"))
    planner.post(f"{base}/werkbon", data=WERKBON)
    resp = planner.post(f"{base}/schema", data=dict(
        SCHEMA, frequency="jaarlijks", month="6", monthly_mode="dag", day_of_month="1"))
    assert resp.status_code == 422
    assert "binnen de looptijd van het contract geen enkele datum" in resp.get_data(as_text=True)


def test_back_and_forth_loses_nothing(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    resp = planner.post(f"{base}/controle", data={"actie": "vorige"})
    assert resp.headers["Location"] == f"{base}/schema"
    page = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    assert 'value="Onderhoud cv-ketel"' in page and 'value="2027-12-31"' in page
    assert f'name="klant_id" value="{world["klant"]}" checked' in page
    schema = planner.get(f"{base}/schema").get_data(as_text=True)
    assert '<option value="-1" selected>laatste</option>' in schema
    assert 'id="interval" name="interval" type="number" min="1" max="99" inputmode="numeric" ' \
           'value="3"' in schema


def test_vorige_saves_without_validating(planner, world):
    _, base = start(planner, world)
    resp = planner.post(f"{base}/overeenkomst", data={"description": "half", "actie": "vorige"})
    assert resp.headers["Location"] == f"{base}/type"
    assert 'value="half"' in planner.get(f"{base}/overeenkomst").get_data(as_text=True)


def test_autosave_survives_refresh(planner, world):
    _, base = start(planner, world)
    resp = planner.post(f"{base}/overeenkomst/bewaren", data={"description": "Nog bezig"},
                        htmx=True)
    assert resp.status_code == 204
    assert 'value="Nog bezig"' in planner.get(f"{base}/overeenkomst").get_data(as_text=True)


def test_drafts_are_per_user(planner, world, client):
    _, base = start(planner, world)
    from tests.conftest import Session, login, make_user

    make_user("ander", "planner")
    other = Session(client, login(client, "ander"))
    assert other.get(f"{base}/overeenkomst").status_code == 404


def test_discard_draft(planner, world):
    _, base = start(planner, world)
    resp = planner.post(f"{base}/weggooien")
    assert resp.status_code == 303
    with connection():
        assert ContractDraft.select().count() == 0


def test_klant_search_fragment(planner, world):
    _, base = start(planner, world)
    frag = planner.get(f"{base}/zoek/klant?klant_q=bakk", htmx=True).get_data(as_text=True)
    assert frag.lstrip().startswith('<div id="klant-opties"') and "Bakkerij Jansen" in frag
    none = planner.get(f"{base}/zoek/klant?klant_q=zzz", htmx=True).get_data(as_text=True)
    assert "Geen actieve klanten gevonden" in none
    inactive = planner.get(f"{base}/zoek/klant?klant_q=oud", htmx=True).get_data(as_text=True)
    assert "Oud B.V." not in inactive


def test_live_preview_in_wizard(planner, world):
    base = fill(planner, world)
    frag = planner.get(f"{base}/voorbeeld?frequency=wekelijks&interval=2&weekdays=MO&weekdays=TH"
                       "&end_mode=geen&holidays=ignore&weekends=ignore&days_in_advance=0",
                       htmx=True)
    assert frag.status_code == 200
    assert "Elke 2 weken op maandag en donderdag" in frag.get_data(as_text=True)
    bad = planner.get(f"{base}/voorbeeld?frequency=wekelijks&interval=2&end_mode=geen",
                      htmx=True)
    assert bad.status_code == 422 and "Kies minstens één weekdag." in bad.get_data(as_text=True)
    with connection():  # preview is side-effect free
        assert "weekdays" not in ContractDraft.get().values


def test_looptijd_panel_from_terms(planner, world):
    from models.stamdata.instellingen import Contractvoorwaarden

    _, base = start(planner, world)
    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
    frag = planner.get(f"{base}/looptijd?start_date=2026-02-01&end_date=&contractvoorwaarden_id="
                       f"{terms.id}", htmx=True).get_data(as_text=True)
    assert "ma 1 feb 2027" not in frag and "zo 31 jan 2027" in frag  # 12 months from 1 Feb
    assert "Uiterlijk opzeggen" in frag


def test_correctief_and_jaarlijks(planner, world):
    _, base = start(planner, world, "correctief")
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    planner.post(f"{base}/werkbon", data=WERKBON)
    resp = planner.post(f"{base}/sla", data={"sla_beleid_id": ""})
    assert resp.headers["Location"] == f"{base}/controle"
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    _, base = start(planner, world, "jaarlijks")
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                    start_date="2026-01-31"))
    planner.post(f"{base}/werkbon", data=WERKBON)
    bad = planner.post(f"{base}/aantal", data={"visits_per_year": "0", "days_in_advance": "7"})
    assert bad.status_code == 422 and "1 tot en met 52" in bad.get_data(as_text=True)
    planner.post(f"{base}/aantal", data={"visits_per_year": "4", "days_in_advance": "7",
                                         "holidays": "ignore", "weekends": "ignore"})
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        kinds = {c.kind: c for c in Contract.select()}
    assert kinds["correctief"].rrule is None
    assert kinds["jaarlijks"].rrule == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"


def test_edit_with_optimistic_locking(planner, world, client):
    contract = saved(planner, world)
    # a GET (a link from anywhere) creates no draft; the button's POST does
    assert planner.get(f"/contracten/{contract.id}/bewerken").headers["Location"] == \
        f"/contracten/{contract.id}"
    with connection():
        assert ContractDraft.select().count() == 0
    first = planner.post(f"/contracten/{contract.id}/bewerken")
    assert planner.get(f"/contracten/{contract.id}/bewerken").headers["Location"] == \
        first.headers["Location"]  # and then a GET resumes it
    edit_base = first.headers["Location"].rsplit("/", 1)[0]
    page = planner.get(f"{edit_base}/overeenkomst").get_data(as_text=True)
    assert 'value="Onderhoud cv-ketel"' in page
    assert '<option value="-1" selected>laatste</option>' in \
        planner.get(f"{edit_base}/schema").get_data(as_text=True)
    # Someone else saves first (through the API-level service, same rules).
    from datetime import date

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service

    with connection():
        data = contract_service.serialise(contract, date(2026, 6, 1))
        data.update(description="Anders", end_date="2027-06-30")
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        values, errors = contract_checks.check(data, contract)
        assert errors == {}
        contract_service.update(contract, values, 1, "ander", date(2026, 6, 1))
    planner.post(f"{edit_base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                         description="Mijn versie"))
    resp = planner.post(f"{edit_base}/controle", data={"actie": "opslaan"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Iemand anders heeft dit contract intussen opgeslagen" in html
    # shows what changed, in the planner's words
    assert "<strong>Omschrijving</strong>: Onderhoud cv-ketel → Anders" in html
    assert "<strong>Einddatum</strong>: vr 31 dec 2027 → wo 30 jun 2027" in html
    assert "end_date" not in html and "<strong>version" not in html
    with connection():
        assert Contract.get().description == "Anders"
        assert Contract.get().version == 2
    # Review of issue #4: the draft stayed on version 1, so every later Opslaan was refused
    # again and only throwing the draft away helped. Now it builds on version 2: their end
    # date is taken in, both changed the description (named), and a second Opslaan saves.
    assert "Uw concept bouwt nu voort op die versie" in html
    assert "daar staat nu uw waarde: Omschrijving" in html
    again = planner.post(f"{edit_base}/controle", data={"actie": "opslaan"})
    assert again.status_code == 303, again.get_data(as_text=True)[:500]
    with connection():
        saved_now = Contract.get()
    assert saved_now.version == 3 and saved_now.description == "Mijn versie"
    assert saved_now.end_date.isoformat() == "2027-06-30"  # their change kept


def test_edit_saves_and_bumps_version(planner, world):
    contract = saved(planner, world)
    edit_base = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"].rsplit(
        "/", 1)[0]
    planner.post(f"{edit_base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                         description="Nieuwe omschrijving"))
    resp = planner.post(f"{edit_base}/controle", data={"actie": "opslaan"})
    assert resp.status_code == 303
    with connection():
        fresh = Contract.get()
        row = AuditLog.select().where(AuditLog.action == "gewijzigd").get()
    assert fresh.version == 2 and fresh.description == "Nieuwe omschrijving"
    assert json.loads(row.changes)["description"] == ["Onderhoud cv-ketel", "Nieuwe omschrijving"]


def selected(html: str, name: str) -> str:
    """What a browser submits for <select name=...>: the selected option, else the first."""
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', block)
    chosen = [o for o in options if "selected" in o[1]] or options[:1]
    return chosen[0][0]


def test_editing_keeps_a_werktype_and_prioriteit_switched_off_since(planner, world):
    """A beheerder switched off the contract's prioriteit and werktype. The edit form offered
    only active ones, fell back to the first (Spoed, Onderhoud...), and Opslaan changed the
    contract without anyone choosing to. The current values stay on offer, marked."""
    from models.stamdata.instellingen import Prioriteit, Werktype

    contract = saved(planner, world)
    with connection():
        Prioriteit.update(active=False).where(Prioriteit.name == "Normaal").execute()
        Werktype.update(active=False).where(Werktype.name == "Onderhoud").execute()
    edit = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"]
    edit_base = edit.rsplit("/", 1)[0]
    html = planner.get(f"{edit_base}/werkbon").get_data(as_text=True)
    assert selected(html, "prioriteit") == "Normaal"
    assert selected(html, "werktype") == "Onderhoud"
    assert "Normaal (niet meer in gebruik)" in html and "Onderhoud (niet meer in gebruik)" in html
    form = dict(WERKBON, medewerker_id=world["medewerker"],
                prioriteit=selected(html, "prioriteit"), werktype=selected(html, "werktype"))
    assert planner.post(f"{edit_base}/werkbon", data=form).status_code == 303
    assert planner.post(f"{edit_base}/controle", data={"actie": "opslaan"}).status_code == 303
    with connection():
        fresh = Contract.get()
        assert (fresh.prioriteit.name, fresh.werktype.name) == ("Normaal", "Onderhoud")
        assert fresh.version == 2
    # a new contract cannot pick them any more
    _, base = start(planner, world)
    html = planner.get(f"{base}/werkbon").get_data(as_text=True)
    assert "Normaal" not in re.search(r'name="prioriteit".*?</select>', html, re.S).group(0)


def test_end_contract_shows_then_cancels_later_werkbonnen(planner, world, runner):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="10", days_in_advance="0"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    from datetime import date

    from models.werkbonnen.tables import Werkbon

    with connection():
        contract = Contract.get()
        Contract.update(generate_from=date(2026, 1, 1), next_attention=date(2026, 1, 1)).execute()
    assert runner.invoke(args=["generate", "--today", "2026-04-10"]).output.strip() == \
        "created=4 moved=0 cancelled=0"
    with connection():
        Werkbon.update(status="afgerond").where(Werkbon.due_date == date(2026, 4, 10)).execute()
    form = {"end_date": "2026-02-28", "reason": "KLANT", "comment": "verhuisd"}
    first = planner.post(f"/contracten/{contract.id}/beeindigen", data=form)
    html = first.get_data(as_text=True)
    assert first.status_code == 200 and "Deze werkbon na die dag wordt geannuleerd" in html
    cancels = re.search(r'<ul class="effect-geannuleerd">(.*?)</ul>', html, re.S).group(1)
    assert "di 10 mrt 2026" in cancels and "vr 10 apr 2026" not in cancels  # done ones stay
    with connection():
        assert Contract.get().terminated_on is None  # nothing happened yet
    confirm = re.search(r'name="bevestigd" value="([^"]+)"', html).group(1)
    # the date changed after the preview: the confirmation was for another date, so first a
    # new preview (now also cancelling 10 feb), nothing ended yet
    earlier = planner.post(f"/contracten/{contract.id}/beeindigen",
                           data=dict(form, end_date="2026-01-31", bevestigd=confirm))
    assert earlier.status_code == 200 and "di 10 feb 2026" in earlier.get_data(as_text=True)
    with connection():
        assert Contract.get().terminated_on is None
        assert Werkbon.select().where(Werkbon.status == "geannuleerd").count() == 0
    done = planner.post(f"/contracten/{contract.id}/beeindigen", data=dict(form, bevestigd=confirm))
    assert done.status_code == 303
    assert "eindigt op za 28 feb 2026;" in planner.get(done.headers["Location"]).get_data(
        as_text=True)
    with connection():
        statuses = {w.due_date.isoformat(): w.status for w in Werkbon.select()}
        assert Contract.get().terminated_on == date(2026, 2, 28)
    assert statuses == {"2026-01-10": "ingepland", "2026-02-10": "ingepland",
                        "2026-03-10": "geannuleerd", "2026-04-10": "afgerond"}
    missing = planner.post(f"/contracten/{contract.id}/beeindigen", data={"end_date": ""})
    assert missing.status_code == 422 and "Kies een reden." in missing.get_data(as_text=True)


def test_delete_only_without_completed_werkbonnen(planner, world, runner):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, days_in_advance="0"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    from models.werkbonnen.tables import Werkbon

    with connection():
        contract = Contract.get()
        Werkbon.create(number="W-2026-900001", contract=contract, klant=contract.klant,
                       due_date=contract.start_date, status="afgerond")
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "kan alleen beëindigd worden" in page
    planner.post(f"/contracten/{contract.id}/verwijderen")
    with connection():
        assert Contract.select().count() == 1
        Werkbon.update(status="open").execute()
    ask = planner.post(f"/contracten/{contract.id}/verwijderen")
    assert ask.status_code == 200 and "met 1 werkbon." in ask.get_data(as_text=True)
    with connection():  # first only the question
        assert Contract.select().count() == 1 and Werkbon.select().count() == 1
    resp = planner.post(f"/contracten/{contract.id}/verwijderen", data={"bevestigd": "1"})
    assert resp.status_code == 303
    with connection():
        assert Contract.select().count() == 0 and Werkbon.select().count() == 0


def test_restart_prefills_a_new_draft(planner, world):
    contract = saved(planner, world)
    resp = planner.post(f"/contracten/{contract.id}/opnieuw")
    page = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert 'value="2028-01-01"' in page and 'value="Onderhoud cv-ketel"' in page
    # as long in months, not in days: 2028 has a 29 February (it gave 30 December)
    assert 'value="2029-12-31"' in page


def test_restart_of_a_contract_that_runs_on_is_refused(planner, world):
    """A renewing (or open-ended) contract still runs: 'Opnieuw starten' made a second
    contract over the same period, and werkbonnen for the same dates twice."""
    from models.stamdata.instellingen import Contractvoorwaarden

    contract = saved(planner, world)
    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
        Contract.update(voorwaarden=terms.id).where(Contract.id == contract.id).execute()
        drafts = ContractDraft.select().count()
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    # no card that is only there to say it cannot be used
    assert "Opnieuw starten" not in page
    assert f'action="/contracten/{contract.id}/opnieuw"' not in page
    resp = planner.post(f"/contracten/{contract.id}/opnieuw", follow_redirects=True)
    assert "Beëindig het eerst" in resp.get_data(as_text=True)
    with connection():
        Contract.update(voorwaarden=None, end_date=None).where(
            Contract.id == contract.id).execute()
    resp = planner.post(f"/contracten/{contract.id}/opnieuw", follow_redirects=True)
    assert "loopt voor onbepaalde tijd" in resp.get_data(as_text=True)
    with connection():
        assert ContractDraft.select().count() == drafts  # no draft made


def test_klant_page_lists_its_contracts(planner, world):
    contract = saved(planner, world)
    page = planner.get(f"/klanten/{world['klant']}").get_data(as_text=True)
    assert contract.number in page and "Onderhoud cv-ketel" in page
    other = planner.get(f"/klanten/{world['oud']}").get_data(as_text=True)
    assert "Nog geen contracten." in other


def test_spread_visits_sentence_names_the_policies(planner, world):
    """7 visits a year are spread in days; the sentence says so and, like any schedule's, what
    happens on holidays and weekends: in the live preview and on the contract page."""
    _, base = start(planner, world, "jaarlijks")
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    planner.post(f"{base}/werkbon", data=WERKBON)
    plan = {"visits_per_year": "7", "days_in_advance": "0", "holidays": "next_workday",
            "weekends": "previous_workday"}
    sentence = ("7 bezoeken per contractjaar, gelijk verdeeld over het jaar; "
                "feestdagen: naar de volgende werkdag; weekend: naar de vorige werkdag")
    live = planner.get(f"{base}/voorbeeld", htmx=True, query_string=plan)
    assert sentence in live.get_data(as_text=True)
    planner.post(f"{base}/aantal", data=plan)
    resp = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    page = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert sentence in page


def test_renewing_terms_preview_runs_on_past_the_end_date(planner, world):
    """Terms that renew automatically: the saved contract's schedule runs on past the period's
    end (Contract.renews), so the wizard's preview must too, not stop at the first year's end."""
    from models.stamdata.instellingen import Contractvoorwaarden

    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
        assert terms.auto_renew
    _, base = start(planner, world)
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                    end_date="", contractvoorwaarden_id=terms.id))
    planner.post(f"{base}/werkbon", data=WERKBON)
    live = planner.get(f"{base}/voorbeeld", htmx=True, query_string=SCHEMA).get_data(as_text=True)
    assert "geen datums meer" not in live
    assert live.count('td class="datum"') == 12 and "Loopt door" in live and "Laatste" not in live
    planner.post(f"{base}/schema", data=SCHEMA)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert "Loopt door" in controle and "Laatste" not in controle


def test_contract_page_lists_only_dates_still_to_make(planner, world, runner):
    """With 30 days of lead time the next visit's werkbon already exists; "Nog te maken" starts
    after the dates generated so far instead of repeating it."""
    from datetime import date, timedelta

    from models.common.dutch_dates import short_date
    from models.werkbonnen.tables import Werkbon

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="15", days_in_advance="30",
                                             holidays="ignore"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    today = date.today()  # the views' today (the contract page previews from it)
    assert runner.invoke(args=["generate", "--today", today.isoformat()]).exit_code == 0
    with connection():
        contract = Contract.get()
        made = [w.due_date for w in Werkbon.select()]
    assert made and all(d <= today + timedelta(days=30) for d in made)
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    made_part, to_make = html.split("<h3>Nog te maken</h3>", 1)
    for day in made:
        assert short_date(day) in made_part and short_date(day) not in to_make
    assert to_make.count('td class="datum"') == 12


def test_history_shows_amsterdam_time(planner, world):
    """Moments are stored in UTC and shown in the company's time zone, winter and summer."""
    from datetime import datetime

    contract = saved(planner, world)
    with connection():
        for at in (datetime(2026, 11, 20, 15, 0), datetime(2026, 7, 1, 10, 0)):
            AuditLog.create(entity="contract", entity_id=contract.id, action="gecontroleerd",
                            actor="planner1", at=at)
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "vr 20 nov 2026 16:00" in html and "wo 1 jul 2026 12:00" in html  # CET, CEST
    assert "(UTC)" not in html


def test_klant_choice_says_when_there_are_more_than_it_shows(planner, world):
    _, base = start(planner, world)
    page = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    assert "Er zijn meer klanten" not in page  # 1 active klant: all shown
    with connection():
        for i in range(9):
            Klant.create(customer_number=f"D-{100 + i}", name=f"Klant {i:02d}", city="Zeist")
    page = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    assert page.count('name="klant_id"') == 8 and "Er zijn meer klanten" in page
    found = planner.get(f"{base}/zoek/klant?klant_q=Klant 0", htmx=True).get_data(as_text=True)
    assert found.count('name="klant_id"') == 8 and "Er zijn meer klanten" in found
    narrow = planner.get(f"{base}/zoek/klant?klant_q=Klant 08", htmx=True).get_data(as_text=True)
    assert narrow.count('name="klant_id"') == 1 and "Er zijn meer klanten" not in narrow


def test_contract_page_shows_the_notice_day_that_still_counts(planner, world, monkeypatch):
    """A renewing contract showed 'Uiterlijk opzeggen do 19 nov 2026' on 27 November: passed,
    so the contract renews, and notice now ends it a year later."""
    from datetime import date

    import views.contracten.pages
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.stamdata.instellingen import Contractvoorwaarden

    monkeypatch.setattr(views.contracten.pages, "local_today", lambda: date(2026, 11, 27))
    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
        values, errors = contract_checks.check({
            "klant_id": world["klant"], "contracttype": "correctief", "description": "Storingen",
            "start_date": "2025-12-20", "contractvoorwaarden_id": terms.id})
        assert errors == {}
        contract = contract_service.create(values, "test", date(2025, 12, 20))
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "lopende periode t/m za 19 dec 2026" in text
    assert "Uiterlijk opzeggen vr 19 nov 2027 (stopt dan per zo 19 dec 2027)" in text


def test_save_does_what_controle_showed_or_nothing(planner, world, runner):
    """Controle showed "W-…: ma 30 nov → di 1 dec"; a colleague reassigned that werkbon by hand
    before Opslaan; the save recalculated, left it where it was, and said only "opgeslagen".
    Now the save refuses, writes nothing, and shows the effect as it is now."""

    from models.werkbonnen.tables import Werkbon
    from views.today import local_today

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="10", days_in_advance="60"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with planner.client.application.app_context():
        today = local_today()
    runner.invoke(args=["generate", "--today", today.isoformat()])
    with connection():
        contract = Contract.get()
        upcoming = Werkbon.select().where(Werkbon.due_date >= today).order_by(
            Werkbon.due_date).first()
    assert upcoming is not None
    edit_base = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"].rsplit(
        "/", 1)[0]
    planner.post(f"{edit_base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                                  day_of_month="12", days_in_advance="60"))
    shown = planner.get(f"{edit_base}/controle").get_data(as_text=True)
    fingerprint = re.search(r'name="gevolgen" value="([0-9a-f]+)"', shown).group(1)
    moves = re.search(r'<ul class="effect-verplaatst">(.*?)</ul>', shown, re.S).group(1)
    assert upcoming.number in moves
    with connection():  # meanwhile a colleague plans the next one by hand
        before = {w.id: (w.due_date, w.status) for w in Werkbon.select()}
        Werkbon.update(changed_by_hand=True).where(Werkbon.id == upcoming.id).execute()
    resp = planner.post(f"{edit_base}/controle", data={"actie": "opslaan",
                                                       "gevolgen": fingerprint})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 409 and "Er is niets opgeslagen" in html
    with connection():
        assert Contract.get().version == contract.version  # the contract did not change either
        assert {w.id: (w.due_date, w.status) for w in Werkbon.select()} == before
        assert ContractDraft.select().count() == 1  # the draft is kept
    # the page now carries the new effect; saving that goes through
    again = re.search(r'name="gevolgen" value="([0-9a-f]+)"', html).group(1)
    assert again != fingerprint
    done = planner.post(f"{edit_base}/controle", data={"actie": "opslaan", "gevolgen": again})
    assert done.status_code == 303
    with connection():
        assert Contract.get().version == contract.version + 1


def test_contract_page_links_to_all_its_werkbonnen(planner, world, runner):
    """The timeline shows the newest 24; the rest (and the list's contract filter) could not be
    reached from anywhere in the app."""
    from datetime import date

    from models.werkbonnen.tables import Werkbon

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="15", days_in_advance="0"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
    runner.invoke(args=["generate", "--today", "2027-12-31"])
    with connection():
        total = Werkbon.select().count()
    assert 0 < total <= 24
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert f'href="/werkbonnen/?contract={contract.id}"' in html
    assert f"Alle {total} werkbonnen van dit contract" in html
    assert "hierboven de laatste" not in html  # all of them are in the timeline
    with connection():  # older history than the timeline shows
        for month in range(1, 27 - total):
            Werkbon.create(number=f"W-2025-{month:06d}", contract=contract.id,
                           klant=contract.klant_id, due_date=date(2024, 1, 1).replace(
                               year=2024 + month // 12, month=month % 12 + 1),
                           status="afgerond")
        total = Werkbon.select().count()
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert total > 24 and f"Alle {total} werkbonnen van dit contract" in html
    assert "(hierboven de laatste 24)" in html
    listed = planner.get(f"/werkbonnen/?contract={contract.id}").get_data(as_text=True)
    assert f"Contract {contract.number}" in listed


def test_controle_says_what_a_new_medewerker_and_new_details_do_not_change(planner, world,
                                                                           runner):
    """Review of issue #5: a new medewerker was offered for the future werkbonnen without naming
    the hand-assigned ones that keep theirs, and new werkbon details (duur, omschrijving) gave
    "Geen gevolgen" while the werkbonnen already made keep the old ones."""
    from models.werkbonnen.tables import Werkbon
    from views.today import local_today

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="10", days_in_advance="60"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with planner.client.application.app_context():
        today = local_today()
    runner.invoke(args=["generate", "--today", today.isoformat()])
    with connection():
        contract = Contract.get()
        future = list(Werkbon.select().where(Werkbon.due_date >= today)
                      .order_by(Werkbon.due_date))
        assert len(future) >= 2
        Werkbon.update(changed_by_hand=True).where(Werkbon.id == future[0].id).execute()
        other = Medewerker.create(personnel_number="P-9", name="Lotte Visser")
    edit_base = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"].rsplit(
        "/", 1)[0]
    planner.post(f"{edit_base}/werkbon", data=dict(WERKBON, medewerker_id=other.id,
                                                   duration_minutes="90"))
    html = planner.get(f"{edit_base}/controle").get_data(as_text=True)
    kept = re.search(r'<ul class="effect-houden">(.*?)</ul>', html, re.S).group(1)
    assert future[0].number in kept and future[1].number not in kept
    assert "De nieuwe duur geldt voor de werkbonnen die vanaf nu worden gemaakt" in html
    assert "houden wat ze hebben" in html
    assert "Geen gevolgen" not in html


@pytest.mark.parametrize("sort", ["klant", "nummer", "start"])
def test_contract_list_pages_through_every_sort(planner, world, sort):
    """Review of issue #4: sorting on Klant gave a 500 as soon as there was a second page (the
    next-page cursor read the klant's name from the contract)."""
    from datetime import date

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service

    with connection():
        klanten = [Klant.create(customer_number=f"S-{n:02d}", name=f"Klant {n % 7:02d}")
                   for n in range(30)]
        for n, klant in enumerate(klanten):
            values, errors = contract_checks.check({
                "klant_id": klant.id, "contracttype": "correctief", "description": f"Dienst {n}",
                "start_date": f"2026-{n % 12 + 1:02d}-01"})
            assert not errors, errors
            contract_service.create(values, "test", date(2026, 1, 1))
        expected = {c.number for c in Contract.select()}
    seen, url = [], f"/contracten/?sort={sort}"
    while url:
        resp = planner.get(url)
        assert resp.status_code == 200, url
        html = resp.get_data(as_text=True)
        seen += re.findall(r'<a href="/contracten/\d+">(C-[\w-]+)</a>', html)
        link = re.search(r'href="(/contracten/\?[^"]*cursor=[^"]+)"', html)
        url = link.group(1).replace("&amp;", "&") if link else None
    assert len(seen) == len(set(seen)) == len(expected) and set(seen) == expected


def test_a_draft_id_is_never_handed_out_twice(planner, world):
    """Review of issue #4: SQLite gave a saved (deleted) draft's id to the next new draft, and
    a tab still open on the old one autosaved into the new draft (204) and overwrote it."""
    _, old_base = start(planner, world)
    planner.post(f"{old_base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    planner.post(f"{old_base}/werkbon", data=WERKBON)
    planner.post(f"{old_base}/schema", data=SCHEMA)
    assert planner.post(f"{old_base}/controle", data={"actie": "opslaan"}).status_code == 303
    _, new_base = start(planner, world)
    assert new_base != old_base
    planner.post(f"{new_base}/overeenkomst/bewaren",
                 data=dict(AGREEMENT, klant_id=world["klant"], description="Nieuw concept"))
    stale = planner.post(f"{old_base}/overeenkomst/bewaren",
                         data=dict(AGREEMENT, klant_id=world["klant"], description="Oude tab"))
    assert stale.status_code == 303  # "Dit concept is er niet meer", nothing written
    with connection():
        assert ContractDraft.get().values["description"] == "Nieuw concept"


def test_editing_a_contract_with_a_rule_the_form_cannot_show_keeps_that_rule(planner, world):
    """Review of issue #4: a contract made through the API with "dag 1 en 15" showed the form's
    default ("dag 1") on the Schema step, Controle previewed that, and Opslaan was refused, so
    not even its description could be changed in the app."""
    from datetime import date

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service

    with connection():
        values, errors = contract_checks.check({
            "klant_id": world["klant"], "contracttype": "preventief", "description": "Via API",
            "start_date": "2026-01-01", "end_date": "2027-12-31",
            "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1,15"}})
        assert not errors
        contract = contract_service.create(values, "api", date(2026, 1, 1))
    edit_base = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"].rsplit(
        "/", 1)[0]
    schema = planner.get(f"{edit_base}/schema").get_data(as_text=True)
    assert 'id="eigen-regel"' in schema and "dag 1 en 15" in schema
    planner.post(f"{edit_base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                         description="Via API, bewerkt"))
    shown = planner.get(f"{edit_base}/controle").get_data(as_text=True)
    assert "dag 1 en 15" in shown
    done = planner.post(f"{edit_base}/controle", data={"actie": "opslaan"})
    assert done.status_code == 303, done.get_data(as_text=True)[:800]
    with connection():
        saved = Contract.get_by_id(contract.id)
    assert saved.description == "Via API, bewerkt"
    assert saved.rrule == "FREQ=MONTHLY;BYMONTHDAY=1,15"
    # choosing to replace it uses the form's schedule
    edit_base = planner.post(f"/contracten/{contract.id}/bewerken").headers["Location"].rsplit(
        "/", 1)[0]
    planner.post(f"{edit_base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                                  day_of_month="10", schema_vervangen="1"))
    assert planner.post(f"{edit_base}/controle", data={"actie": "opslaan"}).status_code == 303
    with connection():
        assert Contract.get_by_id(contract.id).rrule == "FREQ=MONTHLY;BYMONTHDAY=10"


def test_controle_shows_the_status_and_renewal_step_2_showed(planner, world):
    """Review of issue #4: Controle ("everything on one page") left out the status after saving
    and the renewal line of renewing terms that step 2's Looptijd panel shows."""
    from models.stamdata.instellingen import Contractvoorwaarden

    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
    _, base = start(planner, world)
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                    start_date="2026-02-01", end_date="",
                                                    contractvoorwaarden_id=str(terms.id)))
    planner.post(f"{base}/werkbon", data=WERKBON)
    planner.post(f"{base}/schema", data=SCHEMA)
    step2 = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert "Status na opslaan" in controle
    assert "Stilzwijgend verlengd" in step2 and "Stilzwijgend verlengd" in controle
    assert "zo 31 jan 2027" in controle and "Uiterlijk opzeggen" in controle
