"""Werkadressen and objecten through the web pages, with and without htmx: create and edit
(bad input names the field in Dutch, keeps the input and writes nothing; an old version is
refused with what changed), the lists' search and filters, the object page with its history,
next visits and contracts, status changes, wiping, labels, and login landing on the object."""

import json
import re
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.contracts.tables import ContractObject
from models.db import connection
from models.db.audit import AuditLog
from models.objecten import service
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
from models.werkbonnen.tables import Werkbon, WerkbonObject
from tests.conftest import login, make_user

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

ADRES = {"name": "", "street": "Lindelaan", "house_number": "12", "postcode": "4141hd",
         "city": "Leerdam", "access_notes": "Sleutel bij de buren"}


def text(resp) -> str:
    return resp.get_data(as_text=True)


def field_error(html: str, field: str) -> str:
    start = html.index(f'<small id="fout-{field}" class="veldfout">')
    return html[html.index(">", start) + 1:html.index("</small>", start)]


def counts():
    with connection():
        return (Werkadres.select().count(), Object.select().count(),
                AuditLog.select().where(AuditLog.entity.in_(["werkadres", "object"])).count())


@pytest.fixture
def world(app):
    with connection():
        linge = Klant.create(customer_number="D-1", name="Woningcorporatie De Linge",
                             street="Stationsweg", house_number="12", postcode="4141 HD",
                             city="Leerdam")
        zuidas = Klant.create(customer_number="D-2", name="Kantoorpand Zuidas",
                              street="Gustav Mahlerlaan", house_number="1025",
                              postcode="1082 MK", city="Amsterdam")
        kinds = {t.name: t.id for t in Objecttype.select()}
    return {"linge": linge.id, "zuidas": zuidas.id, "kinds": kinds}


def make_adres(klant_id, **extra):
    with connection():
        adres, errors = service.create_werkadres({**ADRES, "klant_id": klant_id, **extra}, "t")
    assert errors == {}
    return adres


def make_object(adres, kind_id, today=date(2026, 11, 27), **extra):
    with connection():
        obj, errors = service.create_object(
            {"werkadres_id": adres.id, "objecttype_id": kind_id, **extra}, "t", today)
    assert errors == {}, errors
    return obj


# --- werkadressen ------------------------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_create_werkadres_from_the_klant_page(planner, world, htmx):
    page = text(planner.get(f"/klanten/{world['linge']}"))
    assert "Werkadressen" in page and "Nog geen werkadressen." in page
    assert f'href="/klanten/{world["linge"]}/werkadressen/nieuw"' in page
    resp = planner.post(f"/klanten/{world['linge']}/werkadressen/nieuw", data=ADRES, htmx=htmx)
    with connection():
        [adres] = Werkadres.select()
    assert adres.postcode == "4141 HD" and adres.klant_id == world["linge"]
    where = f"/werkadressen/{adres.id}"
    if htmx:
        assert resp.status_code == 200 and resp.headers["HX-Redirect"] == where
    else:
        assert resp.status_code == 303 and resp.headers["Location"] == where
    detail = text(planner.get(where))
    assert "Lindelaan 12, 4141 HD Leerdam" in detail and "Sleutel bij de buren" in detail
    assert "Lindelaan 12" in text(planner.get(f"/klanten/{world['linge']}"))


@pytest.mark.parametrize("field, value, message", [
    ("postcode", "", "Vul een postcode in."),
    ("postcode", "12345", "Vul een geldige postcode in, bijvoorbeeld 1234 AB."),
    ("street", "", "Vul een straat in."),
    ("house_number", "", "Vul een huisnummer in."),
    ("city", "", "Vul een plaats in."),
    ("access_notes", "a\x00b", "alleen tabs en regeleinden mogen"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_werkadres_keeps_the_input_and_writes_nothing(planner, world, field, value,
                                                          message, htmx):
    before = counts()
    resp = planner.post(f"/klanten/{world['linge']}/werkadressen/nieuw",
                        data={**ADRES, "name": "Complex De Linde", field: value}, htmx=htmx)
    assert resp.status_code == 422
    html = text(resp)
    assert message in field_error(html, field)
    assert 'value="Complex De Linde"' in html
    assert ("<html" in html) is not htmx
    assert counts() == before


def test_werkadres_of_an_unknown_klant_is_404(planner, world):
    assert planner.get("/klanten/9999/werkadressen/nieuw").status_code == 404
    assert planner.post("/klanten/9999/werkadressen/nieuw", data=ADRES).status_code == 404
    assert counts() == (0, 0, 0)


def test_edit_werkadres_on_an_old_version_shows_what_changed(planner, world):
    adres = make_adres(world["linge"])
    form = text(planner.get(f"/werkadressen/{adres.id}/bewerken"))
    assert 'name="version" value="1"' in form and 'name="_was_city" value="Leerdam"' in form
    mine = {**ADRES, "postcode": "4141 HD", "version": "1",
            **{f"_was_{k}": v for k, v in ADRES.items()}, "_was_postcode": "4141 HD",
            "access_notes": "Sleutel bij nr. 14"}
    with connection():  # a colleague saves first
        service.update_werkadres(adres, {"city": "Gorinchem"}, 1, "collega")
    resp = planner.post(f"/werkadressen/{adres.id}/bewerken", data=mine)
    assert resp.status_code == 409
    html = text(resp)
    assert "Iemand anders heeft dit werkadres intussen gewijzigd" in html
    assert re.search(r'id="nu-city"[^>]*>Intussen opgeslagen door een ander: “Gorinchem”', html)
    assert 'id="nu-access_notes"' not in html  # not changed by the colleague
    assert "Sleutel bij nr. 14" in html  # the planner's input kept
    assert 'name="version" value="2"' in html
    with connection():
        assert Werkadres.get_by_id(adres.id).access_notes == "Sleutel bij de buren"
    # saved again on the version now seen: the planner's form wins
    again = planner.post(f"/werkadressen/{adres.id}/bewerken", data={**mine, "version": "2"})
    assert again.status_code == 303
    with connection():
        saved = Werkadres.get_by_id(adres.id)
    assert (saved.access_notes, saved.city, saved.version) == ("Sleutel bij nr. 14", "Leerdam", 3)


def test_werkadressen_list_searches_and_sorts_house_numbers_as_numbers(planner, world):
    for number in ("10", "2", "12a", "12"):
        make_adres(world["linge"], house_number=number)
    make_adres(world["linge"], street="Kerkstraat", postcode="4143 AB", house_number="1")
    page = text(planner.get(f"/klanten/{world['linge']}/werkadressen"))
    order = re.findall(r"Lindelaan (\w+)</a>", page)
    assert order == ["2", "10", "12", "12a"]
    found = planner.get(f"/klanten/{world['linge']}/werkadressen?q=4143ab", htmx=True)
    html = text(found)
    assert "<html" not in html and html.lstrip().startswith('<section id="resultaten"')
    assert "Kerkstraat 1" in html and "Lindelaan" not in html


def test_deactivating_a_werkadres(planner, world):
    adres = make_adres(world["linge"])
    resp = planner.post(f"/werkadressen/{adres.id}/actief", data={"actief": "0"})
    assert resp.status_code == 303
    with connection():
        assert not Werkadres.get_by_id(adres.id).active
    assert "Object toevoegen" not in text(planner.get(f"/werkadressen/{adres.id}"))


# --- objecten: create and edit ----------------------------------------------------------------

@pytest.mark.parametrize("htmx", [False, True])
def test_create_object_at_a_werkadres(planner, world, htmx):
    adres = make_adres(world["linge"])
    form = text(planner.get(f"/objecten/nieuw?werkadres={adres.id}"))
    assert "Leeg laten: Cadans kiest het volgende nummer" in form
    resp = planner.post("/objecten/nieuw", htmx=htmx, data={
        "werkadres": adres.id, "werkadres_id": adres.id, "number": "",
        "objecttype_id": world["kinds"]["CV-ketel"], "brand": "Remeha", "model": "Calenta",
        "serial_number": "RH-1", "location": "zolder", "installed_on": "2019-05-01",
        "warranty_until": "", "notes": ""})
    with connection():
        [obj] = Object.select()
    where = f"/objecten/{obj.id}"
    assert resp.headers.get("HX-Redirect" if htmx else "Location") == where
    assert obj.number == "OBJ-000001" and obj.installed_on == date(2019, 5, 1)
    page = text(planner.get(where))
    assert "OBJ-000001 · CV-ketel" in page and "Remeha Calenta" in page
    assert "Sleutel bij de buren" in page  # the werkadres's access notes, for the technician


@pytest.mark.parametrize("change, field, message", [
    ({"number": "obj-7"}, "number", "Objectnummer OBJ-7 is al in gebruik"),
    ({"objecttype_id": ""}, "objecttype_id", "Kies een objecttype."),
    ({"objecttype_id": "99999"}, "objecttype_id", "Dit objecttype bestaat niet."),
    ({"werkadres_id": "elders"}, "werkadres_id", "Dit werkadres hoort niet bij deze klant"),
    ({"werkadres_id": "99999"}, "werkadres_id", "Dit werkadres bestaat niet."),
    ({"installed_on": "2026-02-30"}, "installed_on", "Vul een datum in als dd-mm-jjjj."),
    ({"warranty_until": "2010-01-01"}, "warranty_until", "vóór de installatiedatum"),
])
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_object_names_the_field_keeps_input_writes_nothing(planner, world, change, field,
                                                               message, htmx):
    adres = make_adres(world["linge"])
    elders = make_adres(world["zuidas"], street="Gustav Mahlerlaan", postcode="1082 MK")
    make_object(adres, world["kinds"]["Lift"], number="OBJ-7")
    change = {k: str(elders.id) if v == "elders" else v for k, v in change.items()}
    before = counts()
    data = {"werkadres": adres.id, "werkadres_id": adres.id, "number": "",
            "objecttype_id": world["kinds"]["CV-ketel"], "brand": "Remeha",
            "installed_on": "2019-05-01", **change}
    resp = planner.post("/objecten/nieuw", data=data, htmx=htmx)
    assert resp.status_code == 422
    html = text(resp)
    assert message in field_error(html, field)
    assert 'value="Remeha"' in html and ("<html" in html) is not htmx
    assert counts() == before


def test_new_object_without_werkadres_finds_the_werkadres_first(planner, world):
    make_adres(world["linge"])
    make_adres(world["zuidas"], street="Gustav Mahlerlaan", house_number="1025",
               postcode="1082 MK", city="Amsterdam")
    page = text(planner.get("/objecten/nieuw"))
    assert "Zoek eerst het werkadres" in page
    found = text(planner.get("/objecten/nieuw?q=zuidas", htmx=True))
    assert "<html" not in found and "Gustav Mahlerlaan 1025" in found
    assert "Lindelaan" not in found and "/objecten/nieuw?werkadres=" in found


def test_edit_object_on_an_old_version_is_refused_with_what_changed(planner, world):
    adres = make_adres(world["linge"])
    obj = make_object(adres, world["kinds"]["CV-ketel"], brand="Remeha", location="zolder")
    form = text(planner.get(f"/objecten/{obj.id}/bewerken"))
    fields = dict(re.findall(r'name="(_was_\w+|version)" value="([^"]*)"', form))
    assert fields["version"] == "1" and fields["_was_brand"] == "Remeha"
    with connection():
        service.update_object(obj, {"brand": "Intergas"}, 1, "collega", date(2026, 11, 27))
    mine = {**fields, **{k[5:]: v for k, v in fields.items() if k.startswith("_was_")},
            "location": "kelder"}
    resp = planner.post(f"/objecten/{obj.id}/bewerken", data=mine)
    assert resp.status_code == 409
    html = text(resp)
    assert "Intussen opgeslagen door een ander: “Intergas”" in html
    assert 'value="kelder"' in html
    with connection():
        assert Object.get_by_id(obj.id).location == "zolder"


# --- the object list ---------------------------------------------------------------------------

@pytest.fixture
def many(world):
    linge = make_adres(world["linge"], street="Lindelaan", city="Leerdam")
    kantoor = make_adres(world["zuidas"], street="Gustav Mahlerlaan", house_number="1025",
                         postcode="1082 MK", city="Amsterdam")
    kinds = world["kinds"]
    objs = {
        "ketel": make_object(linge, kinds["CV-ketel"], brand="Remeha", serial_number="RH-77"),
        "blusser": make_object(kantoor, kinds["Brandblusser"], brand="Gloria",
                               location="3e verdieping"),
        "lift": make_object(kantoor, kinds["Lift"], brand="KONE"),
        "weg": make_object(kantoor, kinds["Brandblusser"], brand="Gloria",
                           status="verwijderd", status_since="2026-01-01"),
    }
    return {**world, "linge_adres": linge, "kantoor": kantoor, **objs}


def numbers_in(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/objecten/\d+">([^<]+)</a>', html)


@pytest.mark.parametrize("query, found", [
    ("", ["OBJ-000001", "OBJ-000002", "OBJ-000003"]),  # verwijderd left out by default
    ("?status=alle", ["OBJ-000001", "OBJ-000002", "OBJ-000003", "OBJ-000004"]),
    ("?status=verwijderd", ["OBJ-000004"]),
    ("?q=zuidas", ["OBJ-000002", "OBJ-000003"]),  # klant name
    ("?q=amsterdam", ["OBJ-000002", "OBJ-000003"]),  # city
    ("?q=4141hd", ["OBJ-000001"]),  # postcode, as typed
    ("?q=rh-77", ["OBJ-000001"]),  # serial number
    ("?q=brandbl", ["OBJ-000002"]),  # objecttype
    ("?q=verdieping", ["OBJ-000002"]),  # location
    ("?q=kone", ["OBJ-000003"]),  # brand
    ("?q=obj-000003", ["OBJ-000003"]),
    ("?q=lindelaan", ["OBJ-000001"]),  # street
    ("?objecttype={Brandblusser}", ["OBJ-000002"]),
    ("?klant={zuidas}", ["OBJ-000002", "OBJ-000003"]),
    ("?werkadres={linge_adres}&status=alle", ["OBJ-000001"]),
    ("?q=niets-hiervan", []),
])
def test_object_list_search_and_filters(planner, many, query, found):
    ids = {**many["kinds"], "zuidas": many["zuidas"], "linge_adres": many["linge_adres"].id}
    resp = planner.get("/objecten/" + query.format(**ids), htmx=True)
    html = text(resp)
    assert resp.status_code == 200 and "<html" not in html
    assert numbers_in(html) == found
    if not found:
        assert "Geen objecten gevonden met deze zoekopdracht of filters." in html


def test_object_list_full_page_keeps_the_filters_in_the_form(planner, many):
    html = text(planner.get(f"/objecten/?q=gloria&objecttype={many['kinds']['Brandblusser']}"
                            "&status=alle&zonder_contract=1"))
    assert "<html" in html and 'value="gloria"' in html
    assert re.search(rf'<option value="{many["kinds"]["Brandblusser"]}" selected>', html)
    assert '<option value="alle" selected>' in html
    assert 'name="zonder_contract" value="1" checked' in html
    assert numbers_in(html) == ["OBJ-000002", "OBJ-000004"]


def preventief(klant_id, start: date, rrule="FREQ=MONTHLY;BYMONTHDAY=15", lead=14,
               end: date | None = None):
    data = {"klant_id": klant_id, "contracttype": "preventief", "description": "Onderhoud",
            "start_date": start.isoformat(), "end_date": end and end.isoformat(),
            "days_in_advance": lead, "schedule": {"rrule": rrule, "holidays": "ignore"},
            "werkbon": {"start_time": "08:30", "duration_minutes": 60,
                        "description": "Onderhoud", "medewerker_id": None}}
    with connection():
        values, errors = contract_checks.check(data)
        assert errors == {}, errors
        return contract_service.create(values, "t", start)


def test_zonder_contract_means_no_running_contract(planner, many):
    running = preventief(many["zuidas"], date(2026, 1, 1))
    ended = preventief(many["linge"], date(2020, 1, 1), end=date(2020, 12, 31))
    with connection():
        ContractObject.create(contract=running, object=many["blusser"].id)
        ContractObject.create(contract=ended, object=many["ketel"].id)
    html = text(planner.get("/objecten/?zonder_contract=1", htmx=True))
    assert numbers_in(html) == ["OBJ-000001", "OBJ-000003"]


def test_object_list_pages_with_a_cursor_and_keeps_the_filters(planner, world):
    adres = make_adres(world["linge"])
    with connection():
        Object.insert_many([{"number": f"N-{i:03d}", "werkadres": adres.id,
                             "objecttype": world["kinds"]["CV-ketel"]} for i in range(120)]
                           ).execute()
    first = text(planner.get("/objecten/?q=N-", htmx=True))
    assert numbers_in(first) == [f"N-{i:03d}" for i in range(50)]
    link = re.search(r'href="(/objecten/\?[^"]*cursor=[^"]*)"[^>]*>Volgende pagina', first)
    url = link.group(1).replace("&amp;", "&")
    assert "q=N-" in url
    second = text(planner.get(url, htmx=True))
    assert numbers_in(second) == [f"N-{i:03d}" for i in range(50, 100)]
    assert "Naar het begin" in second
    bad = planner.get("/objecten/?cursor=nonsense")
    assert bad.status_code == 200 and numbers_in(text(bad))[0] == "N-000"


# --- the object page ---------------------------------------------------------------------------

def werkbonnen_for(obj, contract, days: list[date], status="afgerond"):
    with connection():
        for day in days:
            werkbon = Werkbon.create(number=f"W-{contract.id}-{day}-{status}",
                                     contract=contract, klant=contract.klant_id,
                                     due_date=day, status=status,
                                     cancel_reason="Klant niet thuis"
                                     if status == "geannuleerd" else "")
            WerkbonObject.create(werkbon=werkbon, object=obj.id, due_date=day)


def test_object_page_history_newest_first_in_pages(planner, many):
    contract = preventief(many["linge"], date(2023, 1, 1))
    days = [date(2023, 1, 15) + timedelta(days=7 * i) for i in range(30)]
    werkbonnen_for(many["ketel"], contract, days)
    page = text(planner.get(f"/objecten/{many['ketel'].id}"))
    assert "Servicegeschiedenis <small>(30 werkbonnen)</small>" in page
    history = page[page.index('id="geschiedenis"'):]
    shown = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', history)
    first_row = history[history.index("<tr><td"):history.index("</tr>", history.index("<tr><td"))]
    with connection():
        newest = (Werkbon.select().where(Werkbon.contract == contract)
                  .order_by(Werkbon.due_date.desc()).first())
    assert f'<a href="/werkbonnen/{newest.id}">{newest.number}</a>' in first_row
    assert f'<a href="/contracten/{contract.id}">{contract.number}</a>' in first_row
    assert ">Afgerond</span>" in first_row
    assert shown[:25] == [d.isoformat() for d in sorted(days, reverse=True)[:25]]
    link = re.search(r'href="(/objecten/\d+\?historie=[^"#]*)[^"]*"[^>]*>Oudere werkbonnen', page)
    older = planner.get(link.group(1).replace("&amp;", "&"), htmx=True)
    html = text(older)
    assert "<html" not in html and html.lstrip().startswith('<div id="geschiedenis">')
    assert re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)"', html) == \
        [d.isoformat() for d in sorted(days, reverse=True)[25:]]
    assert "Oudere werkbonnen" not in html
    # the same URL without htmx is the whole page (a bookmark, Back), at that page of history
    full = text(planner.get(link.group(1).replace("&amp;", "&")))
    assert "<html" in full and "OBJ-000001 · CV-ketel" in full


def test_object_page_open_werkbonnen_contracts_and_next_visits(planner, many, app):
    contract = preventief(many["linge"], date(2026, 1, 1), lead=14)
    with connection():
        ContractObject.create(contract=contract, object=many["ketel"].id)
    werkbonnen_for(many["ketel"], contract, [date(2026, 12, 15)], status="open")
    werkbonnen_for(many["ketel"], contract, [date(2026, 10, 15)], status="geannuleerd")
    app.config["TODAY"] = "2026-11-27"
    page = text(planner.get(f"/objecten/{many['ketel'].id}"))
    open_part = page[page.index('id="open-kop"'):page.index('id="bezoeken-kop"')]
    assert "2026-12-15" in open_part and "Open" in open_part
    visits = page[page.index('id="bezoeken-kop"'):page.index('id="contracten-kop"')]
    # the 15th of each month; generated 14 days before; 15 December is made already
    # (generated_through is set by the worker; here the dates after today are shown)
    dates = re.findall(r'<tr><td class="nowrap"><time datetime="([\d-]+)"', visits)
    made = re.findall(r'</td><td class="nowrap">(?:<time datetime="([\d-]+)"|nu, wordt gemaakt)',
                      visits)
    assert dates[:3] == ["2026-12-15", "2027-01-15", "2027-02-15"]
    assert made[1:3] == ["2027-01-01", "2027-02-01"]
    assert contract.number in page[page.index('id="contracten-kop"'):]
    assert "Klant niet thuis" in page  # a cancelled one shows why

    # out of use from 1 February: no visits from then on
    with connection():
        service.set_status(many["ketel"], "buiten_gebruik", "2027-02-01", "t",
                           date(2026, 11, 27))
    page = text(planner.get(f"/objecten/{many['ketel'].id}"))
    visits = page[page.index('id="bezoeken-kop"'):page.index('id="contracten-kop"')]
    assert re.findall(r'<tr><td class="nowrap"><time datetime="([\d-]+)"', visits) == \
        ["2026-12-15", "2027-01-15"]
    assert "Buiten gebruik per" in page


@pytest.mark.parametrize("htmx", [False, True])
def test_status_change_from_the_object_page(planner, many, htmx):
    obj = many["lift"]
    resp = planner.post(f"/objecten/{obj.id}/status", htmx=htmx, data={
        "status": "buiten_gebruik", "status_since": "2026-12-01", "version": "1"})
    assert resp.status_code in (200, 303)
    with connection():
        fresh = Object.get_by_id(obj.id)
        row = AuditLog.select().where(AuditLog.entity == "object").order_by(
            AuditLog.id.desc()).first()
    assert (fresh.status, fresh.status_since) == ("buiten_gebruik", date(2026, 12, 1))
    assert row.actor == "planner1" and json.loads(row.changes)["status"] == [
        "actief", "buiten_gebruik"]
    # a stale version is refused: nothing written
    stale = planner.post(f"/objecten/{obj.id}/status",
                         data={"status": "verwijderd", "status_since": "", "version": "1"})
    assert stale.status_code == 409 and "intussen gewijzigd" in text(stale)
    bad = planner.post(f"/objecten/{obj.id}/status",
                       data={"status": "stuk", "status_since": "", "version": "2"})
    assert bad.status_code == 422
    assert "Kies actief, buiten gebruik of verwijderd." in field_error(text(bad), "status")
    with connection():
        assert Object.get_by_id(obj.id).status == "buiten_gebruik"


def test_wipe_is_offered_and_done_only_without_history(planner, many):
    contract = preventief(many["linge"], date(2026, 1, 1))
    werkbonnen_for(many["ketel"], contract, [date(2026, 1, 15)])
    assert "Object wissen" not in text(planner.get(f"/objecten/{many['ketel'].id}"))
    refused = planner.post(f"/objecten/{many['ketel'].id}/wissen")
    assert refused.status_code == 303
    with connection():
        assert Object.get_or_none(Object.id == many["ketel"].id) is not None
    assert "Object wissen" in text(planner.get(f"/objecten/{many['lift'].id}"))
    done = planner.post(f"/objecten/{many['lift'].id}/wissen")
    assert done.status_code == 303 and done.headers["Location"] == \
        f"/werkadressen/{many['kantoor'].id}"
    with connection():
        assert Object.get_or_none(Object.id == many["lift"].id) is None


def test_unknown_object_and_werkadres_are_404(planner, world):
    for path in ("/objecten/999", "/objecten/999/bewerken", "/werkadressen/999",
                 "/objecten/999/labels", "/werkadressen/999/labels"):
        assert planner.get(path).status_code == 404, path
    assert planner.post("/objecten/999/status", data={"status": "actief"}).status_code == 404


# --- labels and the QR code's way in ----------------------------------------------------------

def qr_codes(pdf: bytes) -> list[str]:
    doc = pdfium.PdfDocument(pdf)
    found = []
    for page in doc:
        found += [r.text for r in zxingcpp.read_barcodes(page.render(scale=150 / 72).to_pil())]
    pages = len(doc)
    doc.close()
    return sorted(found), pages


def test_labels_of_one_object_a_werkadres_and_a_selection(planner, many):
    resp = planner.get(f"/objecten/{many['lift'].id}/labels")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    assert resp.headers["Content-Disposition"] == 'inline; filename="label-OBJ-000003.pdf"'
    # the address the request came to (the browser test sees its own host and port there)
    assert qr_codes(resp.data) == ([f"http://localhost/objecten/{many['lift'].id}"], 1)
    werkadres = planner.get(f"/werkadressen/{many['kantoor'].id}/labels?vanaf=24")
    codes, pages = qr_codes(werkadres.data)
    # the verwijderde brandblusser gets no label; starting at the last position: two sheets
    assert len(codes) == 2 and pages == 2
    selection = planner.get(f"/objecten/labels?objecttype={many['kinds']['Brandblusser']}"
                            "&status=alle")
    assert qr_codes(selection.data)[0] == sorted(
        f"http://localhost/objecten/{many[k].id}" for k in ("blusser", "weg"))


def test_labels_of_too_large_a_selection_say_so(planner, world):
    adres = make_adres(world["linge"])
    with connection():
        Object.insert_many([{"number": f"N-{i:04d}", "werkadres": adres.id,
                             "objecttype": world["kinds"]["CV-ketel"]} for i in range(501)]
                           ).execute()
    resp = planner.get("/objecten/labels?q=N-")
    assert resp.status_code == 303 and resp.headers["Location"] == "/objecten/?q=N-"
    page = text(planner.get("/objecten/?q=N-"))
    assert ("Dat zijn 501 objecten; labels afdrukken kan voor hooguit 500 objecten tegelijk."
            in page)
    empty = planner.get("/objecten/labels?q=niets")
    assert empty.status_code == 303
    assert "Er zijn geen objecten met deze selectie." in text(planner.get("/objecten/"))


def test_a_scanned_label_lands_on_the_object_after_login(client, many):
    """The QR code opens /objecten/<id>; without a session that is the login page, and
    logging in goes on to the object (next= round trip)."""
    make_user("monteur", "planner")
    path = f"/objecten/{many['lift'].id}"
    resp = client.get(path)
    assert resp.status_code == 302 and resp.headers["Location"] == f"/login?next={path}"
    login_page = client.get(resp.headers["Location"])
    assert login_page.status_code == 200
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(login_page)).group(1)
    done = client.post(f"/login?next={path}", data={
        "username": "monteur", "password": "geheim-wachtwoord", "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == path
    assert "OBJ-000003 · Lift" in text(client.get(path))


def test_a_session_for_htmx_and_the_menu(client, world):
    make_user("p", "planner")
    login(client, "p")
    page = text(client.get("/objecten/"))
    assert re.search(r'<a href="/objecten/" aria-current="page">Objecten</a>', page)


@pytest.mark.parametrize("htmx", [False, True])
def test_object_list_rows_escape_what_was_typed(planner, world, htmx):
    adres = make_adres(world["zuidas"], street="Straat <i>", city="A&B")
    make_object(adres, world["kinds"]["Lift"], brand="<b>Vet</b>", model="M&M",
                location="<script>alert(1)</script>")
    html = text(planner.get("/objecten/", htmx=htmx))
    row = html[html.index('<th scope="row">'):]
    row = row[:row.index("</tr>")]
    assert "&lt;b&gt;Vet&lt;/b&gt; M&amp;M" in row
    assert "<br><small>&lt;script&gt;alert(1)&lt;/script&gt;</small>" in row
    assert "Straat &lt;i&gt;" in row and "A&amp;B" in row
    assert "<script>" not in row and "<b>" not in row and "<i>" not in row


def test_object_rows_escape_a_field_holding_the_separator(app):
    from models.objecten.search import ListRow
    from views.objecten import object_rows

    with app.test_request_context():
        html = str(object_rows([ListRow((7, "OBJ-7", "actief", "A\x1f<b>", "", "", "Lift",
                                         "Weg", "1", "1234 AB", "Delft", "K&L"))]))
    assert ">A\x1f&lt;b&gt;</td>" in html and "K&amp;L" in html and 'href="/objecten/7"' in html
    assert "<b>" not in html


def test_object_rows_show_a_changed_row_as_it_is_now(app):
    """The list remembers a row's HTML by all it shows: the same object with another brand or
    status is another row, and the remembered one is not shown for it."""
    from models.objecten.search import ListRow
    from views.objecten import object_rows

    row = (8, "OBJ-8", "actief", "Remeha", "", "", "CV-ketel", "Weg", "1", "1234 AB", "Delft",
           "Klant")
    with app.test_request_context():
        before = str(object_rows([ListRow(row)]))
        changed = row[:2] + ("buiten_gebruik", "Nefit") + row[4:]
        after = str(object_rows([ListRow(changed)]))
        again = str(object_rows([ListRow(row)]))
    assert "Remeha" in before and "obj-status-actief" in before
    assert "Nefit" in after and "Remeha" not in after and "obj-status-buiten_gebruik" in after
    assert again == before
