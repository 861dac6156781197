"""The pricing rules through the pages and the API: Instellingen > Indexreeksen (beheerder
only, CSRF, Dutch errors next to the field), a contract's Facturatie page with a price per
object or visit, an index series (the missing figure named, the figures used in the price
history), factureren vanaf (prefilled for a running contract), and the API's contract fields
and GET /api/v1/indexreeksen."""

from datetime import date

from models.db import connection
from models.facturatie import indexreeksen
from models.facturatie.tables import ContractFacturatie, Factuurtermijn, Indexcijfer
from tests.objecten_data import covering_contract, klant_with_objecten
from tests.test_facturatie import make_contract
from tests.test_facturatie_views import save_terms, set_today

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def series(name="CBS CAO-lonen", figures=None):
    with connection():
        reeks, _ = indexreeksen.create(name, "beheer1")
        for year, figure in (figures or {}).items():
            indexreeksen.save_figure(reeks.id, str(year), figure, "beheer1")
    return reeks


def test_indexreeksen_page_is_for_the_beheerder_with_csrf_and_dutch_errors(app, beheerder,
                                                                          client):
    assert 'href="/instellingen/indexreeksen"' in beheerder.get("/instellingen/").get_data(
        as_text=True)
    resp = beheerder.client.post("/instellingen/indexreeksen", data={"naam": "CPI"})
    assert resp.status_code in (400, 403)  # no CSRF token
    resp = beheerder.post("/instellingen/indexreeksen", data={"naam": "  "})
    assert resp.status_code == 422
    assert "Vul een naam in, zoals CBS CAO-lonen." in resp.get_data(as_text=True)
    resp = beheerder.post("/instellingen/indexreeksen", data={"naam": "CBS CAO-lonen"})
    assert resp.status_code == 303
    with connection():
        (reeks,) = indexreeksen.all_series()
    resp = beheerder.post(f"/instellingen/indexreeksen/{reeks.id}/cijfers",
                          data={"jaar": "2026", "cijfer": "126,1x"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Vul het indexcijfer in als getal, zoals 118,4." in html
    assert 'value="126,1x"' in html and 'aria-invalid="true"' in html  # kept, marked
    resp = beheerder.post(f"/instellingen/indexreeksen/{reeks.id}/cijfers",
                          data={"jaar": "2026", "cijfer": "126,1"})
    assert resp.status_code == 303
    page = beheerder.get("/instellingen/indexreeksen").get_data(as_text=True)
    assert "<td>2026</td><td class=\"getal\">126,1</td>" in page
    with connection():
        assert Indexcijfer.select().count() == 1


def test_indexreeksen_page_refuses_a_planner(app, planner):
    assert planner.get("/instellingen/indexreeksen").status_code == 403
    assert planner.post("/instellingen/indexreeksen", data={"naam": "CPI"}).status_code == 403
    with connection():
        assert indexreeksen.all_series() == []


def test_price_per_object_preview_and_save(app, planner):
    set_today(app, "2027-01-01")
    klant, _w, objecten = klant_with_objecten(places=1, per_place=4)
    contract = covering_contract(klant, objecten, start="2027-01-01")
    preview = planner.get(f"/contracten/{contract.id}/facturatie/voorbeeld", query_string={
        "prijs": "25,00", "prijs_per": "object", "btw_tarief": "21",
        "factuurperiode": "kwartaal", "factureren": "vooraf"}).get_data(as_text=True)
    assert "€ 25,00</strong> per object per jaar" in preview
    assert "4 objecten à € 25,00 per jaar" in preview
    assert "€ 25,00</td></tr>" in preview  # a kwartaal: 4 x 25,00 / 4
    resp = save_terms(planner, contract, prijs="25,00", prijs_per="object")
    assert resp.status_code == 303
    with connection():
        (termijn,) = Factuurtermijn.select()
        assert (termijn.cents, termijn.quantity) == (2500, 4)
    overzicht = planner.get(f"/contracten/{contract.id}/facturatie/overzicht",
                            htmx=True).get_data(as_text=True)
    assert "€ 25,00 per object per jaar excl. BTW" in overzicht
    assert "1e kwartaal 2027: 4 objecten à € 25,00 per jaar" in overzicht


def test_index_series_on_the_contract_page_names_the_missing_figure(app, planner):
    reeks = series(figures={2025: "121,9", 2026: "126,1"})
    set_today(app, "2027-02-01")
    contract = make_contract("2025-03-01")
    resp = save_terms(planner, contract, factuurperiode="jaar", index_reeks=str(reeks.id),
                      index_date="2025-01-01", factureren_vanaf="")
    assert resp.status_code == 303
    html = planner.get(f"/contracten/{contract.id}/facturatie/overzicht",
                       htmx=True).get_data(as_text=True)
    assert "Indexcijfer 2027 nog niet ingevoerd (CBS CAO-lonen)" in html
    assert "volgens CBS CAO-lonen" in html and "basisjaar 2025" in html
    assert "€ 1.241,35 per jaar <small>(CBS CAO-lonen 2026: 126,1 / 2025: 121,9)" in html
    with connection():
        assert [t.cents for t in Factuurtermijn.select().order_by(
            Factuurtermijn.period_start)] == [100603, 124135, 124135]


def test_terms_form_errors_for_the_new_fields(app, planner):
    reeks = series()
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    resp = save_terms(planner, contract, index_pct="2", index_reeks=str(reeks.id),
                      index_date="2028-01-01", prijs_per="maand", factureren_vanaf="2027-13-01")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="fout-index_reeks" class="veldfout">Kies een vast percentage óf een ' \
           "indexreeks, niet allebei." in html
    assert "Kies per jaar, per factuurperiode, per bezoek of per object." in html
    assert 'id="fout-factureren_vanaf" class="veldfout">Vul een geldige datum in' in html
    assert 'value="2027-13-01"' in html
    with connection():
        assert ContractFacturatie.select().count() == 0


def test_a_price_per_period_needs_its_own_factuurperiode(app, planner):
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    resp = save_terms(planner, contract, prijs="300,00", prijs_per="periode", factuurperiode="")
    assert resp.status_code == 422
    assert 'id="fout-factuurperiode" class="veldfout">Kies de factuurperiode zelf bij een ' \
           "prijs per factuurperiode." in resp.get_data(as_text=True)
    resp = save_terms(planner, contract, prijs="300,00", prijs_per="periode")  # kwartaal
    assert resp.status_code == 303
    with connection():
        assert [(t.period_start, t.cents) for t in Factuurtermijn.select().order_by(
            Factuurtermijn.period_start)] == [(date(2027, 1, 1), 30000),
                                              (date(2027, 4, 1), 30000)]


def test_a_running_contract_is_offered_today_s_period_as_factureren_vanaf(app, planner):
    set_today(app, "2027-05-10")
    contract = make_contract("2026-01-01")
    html = planner.get(f"/contracten/{contract.id}/facturatie").get_data(as_text=True)
    assert 'name="factureren_vanaf" type="date" value="2027-01-01"' in html  # jaar: voorwaarden
    preview = planner.get(f"/contracten/{contract.id}/facturatie/voorbeeld", query_string={
        "prijs": "1.200,00", "factuurperiode": "kwartaal", "factureren": "vooraf",
        "btw_tarief": "21", "factureren_vanaf": "2027-04-01"}).get_data(as_text=True)
    assert "Gefactureerd vanaf" in preview and "2e kwartaal 2027" in preview
    assert "1e kwartaal 2026" not in preview
    new = make_contract("2027-06-01", number_of_klant="D-9")
    html = planner.get(f"/contracten/{new.id}/facturatie").get_data(as_text=True)
    assert 'name="factureren_vanaf" type="date" value=""' in html  # from its start


def test_api_contract_price_kind_vanaf_and_index_series(app, api):
    reeks = series(figures={2027: "126,1"})
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    version = api.get(f"/api/v1/contracten/{contract.id}").get_json()["version"]
    resp = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": version, "prijs": "85.00", "prijs_per": "bezoek",
        "factureren_vanaf": "2027-04-01", "factuurperiode": "kwartaal",
        "indexering": {"reeks_id": reeks.id, "datum": "2028-01-01"}})
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["prijs_per"], got["factureren_vanaf"], got["indexering"]) == (
        "bezoek", "2027-04-01", {"percentage": None, "datum": "2028-01-01",
                                 "reeks_id": reeks.id})
    with connection():  # from 1 April: the 2e kwartaal, three monthly visits
        assert [(t.period_start, t.cents, t.quantity) for t in Factuurtermijn.select()] == [
            (date(2027, 4, 1), 25500, 3)]
    bad = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": got["version"], "prijs_per": "uur"})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {
        "prijs_per": "Kies per jaar, per factuurperiode, per bezoek of per object."}
    gone = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": got["version"], "indexering": {"reeks_id": 999999, "datum": "2028-01-01"}})
    assert gone.status_code == 422
    assert gone.get_json()["errors"] == {
        "indexering.reeks_id": "Deze indexreeks bestaat niet (meer); kies een andere."}
    listed = api.get("/api/v1/indexreeksen").get_json()
    assert listed == {"items": [{"id": reeks.id, "naam": "CBS CAO-lonen",
                                 "cijfers": [{"jaar": 2027, "cijfer": "126.1"}]}]}
