"""Facturatie through the views and the API: a contract's terms (Dutch errors next to the
field, the live preview, the corrections shown before saving), the Te factureren page
(filters, totals, mark gefactureerd), the CSV read back with the csv module, and
/api/v1/termijnen plus the contract's new fields."""

import csv
import io
import re
from datetime import date

from models.db import connection
from models.facturatie.tables import ContractFacturatie, Factuurtermijn
from models.stamdata.klanten import Klant
from tests.conftest import make_user
from tests.test_contract_wizard import world  # noqa: F401
from tests.test_facturatie import make_contract

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TERMS_FORM = {"prijs": "1.200,00", "btw_tarief": "21", "factuurperiode": "kwartaal",
              "factureren": "vooraf", "index_pct": "", "index_date": ""}


def set_today(app, day: str):
    app.config["TODAY"] = day


def save_terms(planner, contract, **changes):
    with connection():
        row = ContractFacturatie.get_or_none(ContractFacturatie.contract == contract.id)
    data = dict(TERMS_FORM, version=row.version if row else "", **changes)
    return planner.post(f"/contracten/{contract.id}/facturatie", data=data)


def test_terms_form_errors_in_dutch_next_to_the_field_and_input_kept(app, planner):
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    resp = save_terms(planner, contract, prijs="twaalfhonderd", index_pct="3,5")
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="fout-prijs" class="veldfout">Vul een bedrag in euro&#39;s in, zoals 1.250,00.' \
        in html
    assert 'id="fout-index_date" class="veldfout">Kies de datum waarop de prijs jaarlijks ' \
        "wordt geïndexeerd." in html
    assert 'value="twaalfhonderd"' in html and 'value="3,5"' in html
    with connection():
        assert ContractFacturatie.select().count() == 0
        assert Factuurtermijn.select().count() == 0


def test_saving_terms_makes_what_is_due_and_the_contract_page_shows_it(app, planner):
    set_today(app, "2027-04-01")
    contract = make_contract("2027-02-15")
    resp = save_terms(planner, contract)
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/contracten/{contract.id}")
    with connection():
        assert [(t.period_start, t.cents) for t in Factuurtermijn.select().order_by(
            Factuurtermijn.period_start)] == [(date(2027, 1, 1), 15000), (date(2027, 4, 1), 30000)]
    html = planner.get(f"/contracten/{contract.id}/facturatie/overzicht", htmx=True
                       ).get_data(as_text=True)
    assert "€ 1.200,00 per jaar excl. BTW, 21% (hoog)" in html
    assert "1e kwartaal 2027 (pro rata 15-02-2027 t/m 31-03-2027)" in html
    assert "<html" not in html  # a fragment for htmx
    # the contract page loads that section
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert f'hx-get="/contracten/{contract.id}/facturatie/overzicht"' in page


def test_live_preview_shows_yearly_value_and_first_three_termijnen(app, planner):
    set_today(app, "2027-01-10")
    contract = make_contract("2027-02-15")
    resp = planner.get(f"/contracten/{contract.id}/facturatie/voorbeeld", htmx=True,
                       query_string={"prijs": "1000", "btw_tarief": "9",
                                     "factuurperiode": "maand", "factureren": "achteraf"})
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" not in html
    assert '<strong id="jaarwaarde">€ 1.000,00</strong>' in html
    rows = re.findall(r"<tr><td>([^<]+?)(?: <small>.*?</small>)?</td><td>([^<]+)</td>"
                      r'<td class="getal">([^<]+)</td></tr>', html)
    # February pro rata: 83,34 (the running total of the year) * 14/28 = 41,67
    assert rows == [("februari 2027", "ma 1 mrt 2027", "€ 41,67"),
                    ("maart 2027", "do 1 apr 2027", "€ 83,33"),
                    ("april 2027", "za 1 mei 2027", "€ 83,33")]
    bad = planner.get(f"/contracten/{contract.id}/facturatie/voorbeeld", htmx=True,
                      query_string={"prijs": "-5", "factureren": "vooraf", "btw_tarief": "21"})
    assert "Het voorbeeld wacht op een geldige invoer." in bad.get_data(as_text=True)


def test_price_edit_after_invoicing_is_shown_before_saving_and_gives_a_correction(app, planner):
    set_today(app, "2027-04-02")
    contract = make_contract("2027-01-01")
    save_terms(planner, contract)
    with connection():
        first = Factuurtermijn.select().order_by(Factuurtermijn.period_start).get()
    page = planner.get("/facturatie/").get_data(as_text=True)
    assert f'name="ids" value="{first.id}"' in page
    resp = planner.post("/facturatie/gefactureerd", data={"ids": [first.id],
                                                          "factuurnummer": "F-2027-7"})
    assert resp.status_code == 303
    preview = planner.get(f"/contracten/{contract.id}/facturatie/voorbeeld", htmx=True,
                          query_string=dict(TERMS_FORM, prijs="1.320,00")).get_data(as_text=True)
    assert "Wat opslaan verandert aan bestaande termijnen" in preview
    assert "Correctietermijn € 30,00" in preview
    assert "Concepttermijn € 300,00 wordt € 330,00" in preview
    resp = save_terms(planner, contract, prijs="1.320,00")
    assert resp.status_code == 303
    with connection():
        rows = [(t.period_start, t.seq, t.cents, t.status, t.factuurnummer) for t in
                Factuurtermijn.select().order_by(Factuurtermijn.period_start, Factuurtermijn.seq)]
    assert rows == [(date(2027, 1, 1), 0, 30000, "gefactureerd", "F-2027-7"),
                    (date(2027, 1, 1), 1, 3000, "concept", ""),
                    (date(2027, 4, 1), 0, 33000, "concept", "")]
    # a second tab still holding the old version is refused, and sees what holds now
    stale = planner.post(f"/contracten/{contract.id}/facturatie",
                         data=dict(TERMS_FORM, prijs="1,00", version="1"))
    assert stale.status_code == 409
    assert "Een collega heeft de facturatie" in stale.get_data(as_text=True)


def seed_two_klanten(app, planner):
    set_today(app, "2027-07-01")
    a = make_contract("2027-01-01")
    b = make_contract("2027-01-01", number_of_klant="D-2")
    with connection():
        Klant.update(name="Zwembad De Golf").where(Klant.customer_number == "D-2").execute()
    save_terms(planner, a)  # 3 kwartalen of 300,00 at 21 %
    save_terms(planner, b, prijs="999,99", btw_tarief="verlegd", factuurperiode="halfjaar")
    return a, b


def test_te_factureren_totals_per_klant_and_rate_and_filters(app, planner):
    a, b = seed_two_klanten(app, planner)
    html = planner.get("/facturatie/").get_data(as_text=True)
    totals = re.search(r'id="totaal-klant-kop".*?</table>', html, re.S).group(0)
    cells = re.findall(r"<td>([^<]+)</td><td class=\"getal\">(\d+)</td><td class=\"getal\">"
                       r"([^<]+)</td><td class=\"getal\">([^<]+)</td>", totals)
    # halfjaar of 999,99: 500,00 (running total 499,995 -> 500,00), then 499,99
    assert cells == [("Bakkerij Jansen", "3", "€ 900,00", "€ 189,00"),
                     ("Zwembad De Golf", "2", "€ 999,99", "€ 0,00")]
    assert "<td class=\"getal\">5</td><td class=\"getal\">€ 1.899,99</td>" in totals
    rates = re.search(r'id="totaal-btw-kop".*?</table>', html, re.S).group(0)
    assert "<td>21% (hoog)</td><td class=\"getal\">€ 900,00</td><td class=\"getal\">€ 189,00" \
           "</td><td class=\"getal\">€ 1.089,00</td>" in rates
    assert "<td>BTW verlegd</td><td class=\"getal\">€ 999,99</td>" in rates
    # up to a date: on 31 March only the first kwartaal and the first halfjaar were due
    early = planner.get("/facturatie/?tot=2027-03-31", htmx=True).get_data(as_text=True)
    assert "<html" not in early
    assert "1e kwartaal 2027" in early and "2e kwartaal 2027" not in early
    with connection():
        klant_b = Klant.get(Klant.customer_number == "D-2").id
    only_b = planner.get(f"/facturatie/?klant={klant_b}").get_data(as_text=True)
    assert "kwartaal" not in only_b.split('id="termijnen-kop"')[1]
    bad = planner.get("/facturatie/?tot=31-03-2027")
    assert bad.status_code == 200
    assert 'id="fout-tot" class="veldfout">Vul een geldige datum in (JJJJ-MM-DD).' in \
        bad.get_data(as_text=True)


def klant_radios(body: str) -> list[tuple[str, bool]]:
    """The klant search's choices: (what the radio says, checked)."""
    block = re.search(r'<div id="klant-opties".*?</div>', body, re.S).group(0)
    return [(text, bool(checked)) for checked, text in re.findall(
        r'<input type="radio" name="klant" value="\d*"( checked)?>\s*<span>(?:<strong>)?'
        r"([^<]+)<", block)]


def test_klant_filter_is_a_search_field_over_the_klanten_with_termijnen(app, planner):
    a, b = seed_two_klanten(app, planner)
    with connection():
        Klant.update(city="Utrecht").where(Klant.customer_number == "D-1").execute()
        Klant.create(customer_number="D-3", name="Zwemschool Noord", city="Zwolle")  # no termijn
        klant_a = Klant.get(Klant.customer_number == "D-1").id
        klant_b = Klant.get(Klant.customer_number == "D-2").id
    page = planner.get("/facturatie/").get_data(as_text=True)
    # a labelled search field, no <select> of every klant; nothing typed: only "Alle klanten"
    assert '<select id="filter-klant"' not in page
    assert '<label for="klant-zoek" class="visually-hidden">Zoek klant op naam, ' \
           'debiteurnummer of plaats</label>' in page
    assert 'id="klant-zoek" name="klant_q" type="search"' in page
    assert klant_radios(page) == [("Alle klanten", True)]

    def search(query: str, htmx: bool = True):
        return planner.get("/facturatie/klanten?" + query, htmx=htmx)

    # as the planner types (htmx): name, debiteurnummer and plaats, any case; klanten
    # without termijnen are not offered
    zwem = search("klant_q=ZWEM").get_data(as_text=True)
    assert "<html" not in zwem
    assert klant_radios(zwem) == [("Alle klanten", True), ("Zwembad De Golf", False)]
    assert klant_radios(search("klant_q=d-1").get_data(as_text=True))[1:] == \
        [("Bakkerij Jansen", False)]
    assert klant_radios(search("klant_q=utr").get_data(as_text=True))[1:] == \
        [("Bakkerij Jansen", False)]
    # LIKE's wildcards are letters like any other
    nothing = search("klant_q=%25").get_data(as_text=True)
    assert klant_radios(nothing) == [("Alle klanten", True)]
    assert "Geen klant met termijnen gevonden." in nothing
    # the chosen klant stays chosen (first, checked) while the planner searches on
    kept = search(f"klant={klant_b}&klant_q=bakk&status=concept").get_data(as_text=True)
    assert klant_radios(kept) == [("Alle klanten", False), ("Zwembad De Golf", True),
                                  ("Bakkerij Jansen", False)]

    # without JavaScript: the Zoeken button submits the filter form, the page lists the
    # matches; the search route sends a plain request there with the filters
    plain = search(f"klant_q=zwem&tot=2027-07-01&klant={klant_a}", htmx=False)
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(
        f"/facturatie/?klant_q=zwem&tot=2027-07-01&klant={klant_a}")
    found = planner.get(f"/facturatie/?klant_q=zwem&klant={klant_a}").get_data(as_text=True)
    assert 'name="klant_q" type="search" value="zwem"' in found
    assert klant_radios(found) == [("Alle klanten", False), ("Bakkerij Jansen", True),
                                   ("Zwembad De Golf", False)]
    # the chosen klant filters the list, and the export and the pages keep it
    termijnen = found.split('id="termijnen-kop"')[1]
    assert "Bakkerij Jansen" in termijnen and "Zwembad De Golf" not in termijnen
    assert f'/facturatie/export.csv?klant_q=zwem&amp;klant={klant_a}"' in found


def test_csv_export_reads_back_field_by_field(app, planner):
    a, b = seed_two_klanten(app, planner)
    resp = planner.get("/facturatie/export.csv")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = resp.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Factuurdatum", "Debiteurnummer", "Klant", "Contract", "Omschrijving",
                       "Periode van", "Periode tot en met", "Bedrag excl. BTW", "BTW-tarief",
                       "BTW", "Bedrag incl. BTW", "Status", "Factuurnummer", "Termijn-id"]
    with connection():
        termijnen = {t.id: t for t in Factuurtermijn.select()}
    assert len(rows) == 1 + len(termijnen) == 6
    first = rows[1]
    t = termijnen[int(first[13])]
    assert first[:13] == ["01-01-2027", "D-1", "Bakkerij Jansen", a.number, t.description,
                          "01-01-2027", "31-03-2027", "300,00", "21% (hoog)", "63,00",
                          "363,00", "Concept", ""]
    assert "Preventief" in t.description and "1e kwartaal 2027" in t.description
    verlegd = [r for r in rows[1:] if r[3] == b.number]
    assert [(r[7], r[8], r[9], r[10]) for r in verlegd] == [
        ("500,00", "BTW verlegd", "0,00", "500,00"), ("499,99", "BTW verlegd", "0,00", "499,99")]
    # the same filters as the page
    only = planner.get("/facturatie/export.csv?btw=verlegd").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(only), delimiter=";"))) == 3


def test_marking_needs_csrf_and_a_planner_role(app, planner, client):
    a, _b = seed_two_klanten(app, planner)
    with connection():
        ids = [t.id for t in Factuurtermijn.select()]
    resp = planner.client.post("/facturatie/gefactureerd", data={"ids": ids})  # no token
    assert resp.status_code in (400, 403)
    with connection():
        assert not Factuurtermijn.select().where(Factuurtermijn.status != "concept").exists()
    resp = planner.post("/facturatie/gefactureerd", data={"ids": ids, "factuurnummer": "F-1"})
    assert resp.status_code == 303
    again = planner.post("/facturatie/gefactureerd", data={"ids": ids[:1]})
    follow = planner.get(again.headers["Location"]).get_data(as_text=True)
    assert "is al gefactureerd" in follow
    nothing = planner.post("/facturatie/gefactureerd", data={})
    assert "Kies eerst de termijnen" in planner.get(nothing.headers["Location"]
                                                   ).get_data(as_text=True)


def test_logged_out_is_sent_to_login(app, client):
    make_user("planner1")
    assert client.get("/facturatie/").status_code == 302


# --------------------------------------------------------------------------- API


def test_api_termijnen_list_filters_cursor_and_patch(app, planner, api):
    a, b = seed_two_klanten(app, planner)
    body = api.get("/api/v1/termijnen?limit=2").get_json()
    assert len(body["items"]) == 2 and body["next"]
    rest = api.get(f"/api/v1/termijnen?limit=10&cursor={body['next']}").get_json()
    assert len(rest["items"]) == 3 and rest["next"] is None
    item = body["items"][0]
    assert item["amount"] == "300.00" and item["cents"] == 30000 and item["btw"] == "63.00"
    assert item["status"] == "concept" and item["debiteurnummer"] == "D-1"
    only = api.get(f"/api/v1/termijnen?contract_id={b.id}&to=2027-06-30").get_json()["items"]
    assert [i["period_start"] for i in only] == ["2027-01-01"]
    bad = api.get("/api/v1/termijnen?status=open&from=gisteren")
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"status", "from"}
    resp = api.patch(f"/api/v1/termijnen/{item['id']}",
                     json={"status": "gefactureerd", "factuurnummer": "EX-2027-1"})
    assert resp.status_code == 200
    assert resp.get_json()["status"] == "gefactureerd"
    assert resp.get_json()["factuurnummer"] == "EX-2027-1"
    again = api.patch(f"/api/v1/termijnen/{item['id']}", json={"status": "gefactureerd"})
    assert again.status_code == 409
    assert "al gefactureerd" in again.get_json()["errors"]["status"]
    wrong = api.patch(f"/api/v1/termijnen/{item['id']}", json={"status": "concept", "x": 1})
    assert wrong.status_code == 422 and set(wrong.get_json()["errors"]) == {"status", "x"}
    assert api.patch("/api/v1/termijnen/999999", json={}).status_code == 404
    done = api.get("/api/v1/termijnen?status=gefactureerd").get_json()["items"]
    assert [i["id"] for i in done] == [item["id"]]


def test_api_contract_fields(app, api):
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    body = api.get(f"/api/v1/contracten/{contract.id}").get_json()
    assert body["prijs"] is None and body["indexering"] is None
    resp = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": body["version"], "prijs": "1200.00", "btw_tarief": "9",
        "factuurperiode": "kwartaal", "factureren": "achteraf",
        "indexering": {"percentage": "2.5", "datum": "2028-01-01"}})
    assert resp.status_code == 200, resp.get_json()
    got = resp.get_json()
    assert (got["prijs"], got["btw_tarief"], got["factuurperiode"], got["factureren"],
            got["indexering"]) == ("1200.00", "9", "kwartaal", "achteraf",
                                   {"percentage": "2.5", "datum": "2028-01-01",
                                    "reeks_id": None})
    with connection():
        assert [t.cents for t in Factuurtermijn.select()] == [30000]  # Q1, invoiced achteraf
    bad = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": got["version"], "prijs": 1200, "btw_tarief": "hoog",
        "indexering": {"percentage": "veel"}})
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {
        "prijs": 'Geef de prijs per jaar als tekst met een punt, zoals "1200.00".',
        "btw_tarief": "Kies 21%, 9%, 0% of BTW verlegd.",
        "indexering.percentage": "Vul een percentage in, zoals 2,5."}
    assert api.get(f"/api/v1/contracten/{contract.id}").get_json()["prijs"] == "1200.00"


# --------------------------------------------------------------------------- the wizard

def test_wizard_overeenkomst_takes_a_price_checks_it_and_saves_it_with_the_contract(
        app, planner, world):  # noqa: F811
    from tests.test_contract_wizard import AGREEMENT, SCHEMA, WERKBON, start

    set_today(app, "2026-01-05")
    _, base = start(planner, world)
    bad = planner.post(f"{base}/overeenkomst", data=dict(
        AGREEMENT, klant_id=world["klant"], prijs="1.2.3", factureren="vooraf",
        btw_tarief="21"))
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert "Vul een bedrag in euro&#39;s in, zoals 1.250,00." in html
    assert 'value="1.2.3"' in html
    ok = planner.post(f"{base}/overeenkomst", data=dict(
        AGREEMENT, klant_id=world["klant"], prijs="2.400,00", btw_tarief="9",
        factuurperiode="kwartaal", factureren="vooraf", index_pct="", index_date=""))
    assert ok.status_code == 303
    planner.post(f"{base}/werkbon", data=dict(WERKBON, medewerker_id=world["medewerker"]))
    planner.post(f"{base}/schema", data=SCHEMA)
    saved = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    assert saved.status_code == 303
    with connection():
        from models.contracts.tables import Contract

        contract = Contract.get()
        terms = ContractFacturatie.get()
        assert (terms.contract_id, terms.prijs_cents, terms.btw_tarief,
                terms.factuurperiode) == (contract.id, 240000, "9", "kwartaal")
        # starts 1 January 2026, saved 5 January: the first kwartaal is due at once
        assert [(t.period_start, t.cents, t.btw_cents) for t in Factuurtermijn.select()] == [
            (date(2026, 1, 1), 60000, 5400)]


def test_wizard_price_preview_follows_the_dates(app, planner, world):  # noqa: F811
    from tests.test_contract_wizard import start

    _, base = start(planner, world)
    page = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    assert 'id="prijs-voorbeeld"' in page and 'hx-get="/facturatie/voorbeeld"' in page
    resp = planner.get("/facturatie/voorbeeld", htmx=True, query_string={
        "prijs": "1.000,00", "btw_tarief": "21", "factuurperiode": "", "factureren": "vooraf",
        "start_date": "2026-03-16", "end_date": "", "contractvoorwaarden_id": ""})
    html = resp.get_data(as_text=True)
    assert "<html" not in html
    assert '<strong id="jaarwaarde">€ 1.000,00</strong>' in html
    # no voorwaarden: per jaar; 2026 from 16 March is 291 of 365 days: 797,26
    assert "<td>2026 <small>(pro rata)</small></td><td>ma 16 mrt 2026</td>" \
           '<td class="getal">€ 797,26</td>' in html
    assert html.count("<tr><td>") == 3
    waiting = planner.get("/facturatie/voorbeeld", htmx=True, query_string={
        "prijs": "1000", "start_date": ""}).get_data(as_text=True)
    assert "Vul een startdatum in om de termijnen te zien." in waiting
    full = planner.get("/facturatie/voorbeeld?prijs=1000&start_date=2026-01-01")
    assert "<html" in full.get_data(as_text=True)


def test_wizard_edit_points_to_the_facturatie_page(app, planner, world):  # noqa: F811
    from tests.test_contract_wizard import saved

    contract = saved(planner, world)
    resp = planner.post(f"/contracten/{contract.id}/bewerken")
    page = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert f'href="/contracten/{contract.id}/facturatie"' in page
    assert 'name="prijs"' not in page


def test_api_post_a_contract_with_its_price(app, api):
    set_today(app, "2026-02-10")
    with connection():
        klant = Klant.create(customer_number="D-9", name="Hotel Zee")
    data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
            "start_date": "2026-01-01", "end_date": "2026-12-31", "days_in_advance": 0,
            "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
            "werkbon": {"start_time": "08:30", "duration_minutes": 60},
            "prijs": "1000.00", "btw_tarief": "21", "factuurperiode": "maand",
            "factureren": "vooraf"}
    bad = api.post("/api/v1/contracten", json=dict(data, factureren="soms", description=""))
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]) == {"factureren", "description"}
    with connection():
        assert not ContractFacturatie.select().exists()
    resp = api.post("/api/v1/contracten", json=data)
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["prijs"] == "1000.00"
    listed = api.get("/api/v1/termijnen").get_json()["items"]
    # January and February (1 February is due on 10 February): 83,33 and 83,34
    assert [(i["period_start"], i["amount"]) for i in listed] == [
        ("2026-01-01", "83.33"), ("2026-02-01", "83.34")]


def test_api_patch_of_contract_and_price_saves_both_or_neither(app, api):
    """A PATCH that changes the contract and its price is one transaction: when the price part
    is refused (a price taken away from a contract that has termijnen), the contract's own
    change is not saved either."""
    set_today(app, "2027-04-01")
    contract = make_contract("2027-01-01")
    body = api.get(f"/api/v1/contracten/{contract.id}").get_json()
    priced = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": body["version"], "prijs": "1200.00", "btw_tarief": "21",
        "factuurperiode": "kwartaal", "factureren": "vooraf"}).get_json()
    assert priced["prijs"] == "1200.00"
    refused = api.patch(f"/api/v1/contracten/{contract.id}", json={
        "version": priced["version"], "description": "Onderhoud en controle", "prijs": None})
    assert refused.status_code == 422, refused.get_json()
    assert "termijnen" in refused.get_json()["errors"]["prijs"]
    after = api.get(f"/api/v1/contracten/{contract.id}").get_json()
    assert (after["description"], after["version"], after["prijs"]) == (
        "Onderhoud", priced["version"], "1200.00")


def test_wizard_takes_a_price_per_visit_and_controle_counts_the_schedules_visits(
        app, planner, world):  # noqa: F811
    """The Overeenkomst step offers every price kind (per jaar, factuurperiode, bezoek,
    object). A price per bezoek waits for the schedule there; Controle shows the first
    termijnen counted as the sweep will, and saving keeps the kind."""
    from tests.test_contract_wizard import AGREEMENT, SCHEMA, WERKBON, start

    set_today(app, "2026-01-05")
    _, base = start(planner, world)
    page = planner.get(f"{base}/overeenkomst").get_data(as_text=True)
    assert '<label for="prijs_per">Prijs per</label>' in page
    assert '<option value="bezoek">Per bezoek</option>' in page
    # per factuurperiode: the yearly value is four quarters
    html = planner.get("/facturatie/voorbeeld", htmx=True, query_string={
        "prijs": "300", "prijs_per": "periode", "btw_tarief": "21", "factuurperiode": "kwartaal",
        "factureren": "vooraf", "start_date": "2026-01-01"}).get_data(as_text=True)
    assert '<strong id="jaarwaarde">€ 1.200,00</strong> excl. BTW (€ 300,00 per kwartaal)' in html
    assert html.count('<td class="getal">€ 300,00</td>') == 3
    # per bezoek: the visits are not known before the Schema step
    html = planner.get("/facturatie/voorbeeld", htmx=True, query_string={
        "prijs": "85", "prijs_per": "bezoek", "btw_tarief": "21", "factuurperiode": "kwartaal",
        "factureren": "vooraf", "start_date": "2026-01-01"}).get_data(as_text=True)
    assert '<strong id="prijs-eenheid">€ 85,00</strong> per bezoek excl. BTW' in html
    assert "de termijnen tellen de bezoeken van het schema. Controle toont" in html
    assert "<tr><td>" not in html
    ok = planner.post(f"{base}/overeenkomst", data=dict(
        AGREEMENT, klant_id=world["klant"], prijs="85,00", prijs_per="bezoek", btw_tarief="21",
        factuurperiode="kwartaal", factureren="vooraf", index_pct="", index_date=""))
    assert ok.status_code == 303
    planner.post(f"{base}/werkbon", data=dict(WERKBON, medewerker_id=world["medewerker"]))
    planner.post(f"{base}/schema", data=SCHEMA)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    section = controle[controle.index('class="controle-facturatie"'):]
    assert "€ 85,00 per bezoek excl. BTW" in section
    # every 3 months on the last Friday from January: one visit per quarter
    rows = re.findall(r"<tr><td>([^<]+?) <small>— ([^<]+)</small></td><td>([^<]+)</td>"
                      r'<td class="getal">([^<]+)</td></tr>', section)
    assert rows == [("1e kwartaal 2026", "1 bezoek à € 85,00", "do 1 jan 2026", "€ 85,00"),
                    ("2e kwartaal 2026", "1 bezoek à € 85,00", "wo 1 apr 2026", "€ 85,00"),
                    ("3e kwartaal 2026", "1 bezoek à € 85,00", "wo 1 jul 2026", "€ 85,00")]
    saved = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    assert saved.status_code == 303
    with connection():
        terms = ContractFacturatie.get()
        assert (terms.prijs_cents, terms.prijs_per, terms.factuurperiode) == (
            8500, "bezoek", "kwartaal")


def test_ending_early_shows_the_credit_first_and_makes_it_at_once(app, planner):
    """Issue 19: ending a contract early credits an already-invoiced period pro rata. The
    Beëindigen step shows that credit with the werkbonnen it cancels, and confirming makes it
    in the same transaction (it waited for the worker's next sweep before)."""
    from tests.test_facturatie import _mark_all, sweep, termijnen

    set_today(app, "2027-10-01")
    contract = make_contract("2027-01-01")
    assert save_terms(planner, contract).status_code == 303
    assert _mark_all() == 4  # Q1..Q4 2027 invoiced, 300,00 each
    set_today(app, "2027-10-20")
    form = {"end_date": "2027-11-15", "reason": "KLANT", "comment": ""}
    first = planner.post(f"/contracten/{contract.id}/beeindigen", data=form)
    html = first.get_data(as_text=True)
    assert first.status_code == 200
    effect = html[html.index('id="einde-termijnen-kop"'):]
    # Q4 covers 1 Oct .. 15 Nov now: 300,00 * 46/92 = 150,00 owed of 300,00 invoiced
    assert ("4e kwartaal 2027: gefactureerd € 300,00, nu verschuldigd € 150,00 — creditering "
            "van € 150,00") in effect
    assert termijnen(contract.id)[-1] == (date(2027, 10, 1), 0, 30000, "gefactureerd")
    confirm = re.search(r'name="bevestigd" value="([^"]+)"', html).group(1)
    done = planner.post(f"/contracten/{contract.id}/beeindigen", data=dict(form, bevestigd=confirm))
    assert done.status_code == 303
    assert termijnen(contract.id)[-1] == (date(2027, 10, 1), 1, -15000, "concept")
    assert sweep("2027-10-21").corrected == 0  # made once, by the end itself


def test_ending_early_asks_again_when_a_termijn_was_invoiced_since_the_preview(app, planner):
    from tests.test_facturatie import _mark_all, termijnen

    set_today(app, "2027-10-01")
    contract = make_contract("2027-01-01")
    assert save_terms(planner, contract).status_code == 303
    set_today(app, "2027-10-20")
    form = {"end_date": "2027-11-15", "reason": "KLANT", "comment": ""}
    html = planner.post(f"/contracten/{contract.id}/beeindigen", data=form).get_data(
        as_text=True)
    assert "4e kwartaal 2027: € 300,00 → € 150,00" in html  # concept, recomputed
    confirm = re.search(r'name="bevestigd" value="([^"]+)"', html).group(1)
    _mark_all()  # the administration invoices Q4 in the meantime
    again = planner.post(f"/contracten/{contract.id}/beeindigen",
                         data=dict(form, bevestigd=confirm))
    assert again.status_code == 200  # not ended: the effect changed, shown anew
    assert "creditering van € 150,00" in again.get_data(as_text=True)
    assert termijnen(contract.id)[-1] == (date(2027, 10, 1), 0, 30000, "gefactureerd")
