"""Werkadressen and objecten in the domain (models.objecten): the field rules as tables of
cases, the checks that look rows up (klant, werkadres of another klant, objecttype, a number in
use), optimistic locking, the status change and wiping, with their audit rows; nothing is
written on bad input."""

import json
from datetime import date

import pytest

from models.db import connection
from models.db.audit import AuditLog
from models.objecten import rules, service
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = date(2026, 11, 27)
ADRES = {"name": "Complex De Linde", "street": "Lindelaan", "house_number": "12a",
         "postcode": "4141hd", "city": "Leerdam", "access_notes": "Sleutel bij de buren\r\nnr 14"}


# --- pure rules ----------------------------------------------------------------------------

@pytest.mark.parametrize("change, field, message", [
    ({"street": ""}, "street", "Vul een straat in."),
    ({"house_number": "  "}, "house_number", "Vul een huisnummer in."),
    ({"postcode": ""}, "postcode", "Vul een postcode in."),
    ({"postcode": None}, "postcode", "Vul een postcode in."),
    ({"postcode": "12345"}, "postcode", "Vul een geldige postcode in, bijvoorbeeld 1234 AB."),
    ({"postcode": "1234 SS"}, "postcode", "Vul een geldige postcode in, bijvoorbeeld 1234 AB."),
    ({"city": ""}, "city", "Vul een plaats in."),
    ({"name": "x" * 121}, "name", "Maximaal 120 tekens."),
    ({"street": "Linde\tlaan"}, "street", "Hier staat een onzichtbaar stuurteken in"),
    ({"access_notes": "a\x00b"}, "access_notes", "alleen tabs en regeleinden mogen"),
    ({"city": 5}, "city", "Vul hier tekst in."),
])
def test_werkadres_field_rules(change, field, message):
    values, errors = rules.werkadres_values({**ADRES, **change})
    assert list(errors) == [field] and message in errors[field]
    assert field not in values


def test_werkadres_values_normalise_the_postcode_and_keep_line_ends():
    values, errors = rules.werkadres_values(ADRES)
    assert errors == {}
    assert values["postcode"] == "4141 HD" and values["access_notes"].count("\n") == 1
    assert rules.werkadres_values({"city": "Zeist"}, partial=True) == ({"city": "Zeist"}, {})


@pytest.mark.parametrize("data, errors", [
    ({"installed_on": "2026-02-30"}, {"installed_on": "Vul een datum in als dd-mm-jjjj."}),
    ({"installed_on": "1899-12-31"}, {"installed_on": "Kies een datum tussen 1900 en 2999."}),
    ({"installed_on": "2026-11-28"}, {"installed_on": "Een installatiedatum ligt niet in de "
                                                      "toekomst."}),
    ({"warranty_until": 20270101}, {"warranty_until": "Vul een datum in als dd-mm-jjjj."}),
    ({"number": "x" * 31}, {"number": "Maximaal 30 tekens."}),
    ({"notes": "regel 1\nregel 2\ttab"}, {}),
    ({"installed_on": "2026-11-27", "warranty_until": "2031-11-27"}, {}),
])
def test_object_field_rules(data, errors):
    assert rules.object_values(data, TODAY)[1] == errors


@pytest.mark.parametrize("installed, warranty, errors", [
    (date(2026, 1, 1), date(2025, 12, 31), {"warranty_until": rules.MESSAGES["warranty_before"]}),
    (date(2026, 1, 1), date(2026, 1, 1), {}),
    (None, date(2020, 1, 1), {}),
])
def test_warranty_not_before_installation(installed, warranty, errors):
    assert rules.dates_in_order(installed, warranty) == errors


@pytest.mark.parametrize("status, since, expected", [
    ("actief", None, ({"status": "actief", "status_since": TODAY}, {})),
    ("buiten_gebruik", "2027-01-01",
     ({"status": "buiten_gebruik", "status_since": date(2027, 1, 1)}, {})),
    ("verwijderd", "", ({"status": "verwijderd", "status_since": TODAY}, {})),
    ("kapot", None, ({}, {"status": "Kies actief, buiten gebruik of verwijderd."})),
    ("verwijderd", "morgen", ({}, {"status_since": "Vul een datum in als dd-mm-jjjj."})),
])
def test_status_values(status, since, expected):
    assert rules.status_values(status, since, TODAY) == expected


@pytest.mark.parametrize("status, since, day, expected", [
    ("actief", None, date(2027, 1, 1), True),
    ("actief", date(2030, 1, 1), date(2027, 1, 1), True),
    ("buiten_gebruik", date(2027, 1, 1), date(2026, 12, 31), True),
    ("buiten_gebruik", date(2027, 1, 1), date(2027, 1, 1), False),
    ("verwijderd", date(2026, 1, 1), date(2027, 1, 1), False),
    ("verwijderd", None, date(2027, 1, 1), False),
])
def test_produces(status, since, day, expected):
    assert rules.produces(status, since, day) is expected


# --- the service, on a real database --------------------------------------------------------

@pytest.fixture
def world(app):
    with connection():
        klant = Klant.create(customer_number="D-1", name="Woningcorporatie De Linge",
                             street="Stationsweg", house_number="12", postcode="4141 HD",
                             city="Leerdam")
        ander = Klant.create(customer_number="D-2", name="Bakkerij Jansen", street="Markt",
                             house_number="1", postcode="3511 AB", city="Utrecht")
        weg = Klant.create(customer_number="D-3", name="Oud", street="a", house_number="1",
                           postcode="1234 AB", city="b", active=False)
        ketel = Objecttype.get(Objecttype.name == "CV-ketel")
        oud_type = Objecttype.create(name="Kolenkachel", active=False)
    return {"klant": klant.id, "ander": ander.id, "weg": weg.id, "ketel": ketel.id,
            "oud_type": oud_type.id}


def counts():
    with connection():
        return Werkadres.select().count(), Object.select().count(), AuditLog.select().count()


def adres(world, klant="klant", **extra):
    with connection():
        werkadres, errors = service.create_werkadres(
            {**ADRES, "klant_id": world[klant], **extra}, "planner1")
    assert errors == {}
    return werkadres


def test_create_werkadres_with_audit(world):
    werkadres = adres(world)
    assert werkadres.postcode == "4141 HD" and werkadres.version == 1
    assert werkadres.label == "Complex De Linde — Lindelaan 12a, 4141 HD Leerdam"
    with connection():
        row = AuditLog.get(AuditLog.entity == "werkadres")
    assert row.entity_id == werkadres.id and row.actor == "planner1"
    assert json.loads(row.changes)["postcode"] == "4141 HD"


@pytest.mark.parametrize("data, errors", [
    ({"klant_id": None}, {"klant_id": "Kies een klant."}),
    ({"klant_id": 999}, {"klant_id": "Deze klant bestaat niet."}),
    ({"klant_id": "abc"}, {"klant_id": "Deze klant bestaat niet."}),
    ({"klant_id": "weg"}, {"klant_id": "Deze klant is gedeactiveerd; activeer hem eerst."}),
    ({"postcode": ""}, {"postcode": "Vul een postcode in."}),
    ({"postcode": None, "city": ""}, {"postcode": "Vul een postcode in.",
                                      "city": "Vul een plaats in."}),
    ({"active": "ja"}, {"active": "Kies waar of onwaar."}),
])
def test_bad_werkadres_writes_nothing(world, data, errors):
    data = {**ADRES, "klant_id": world["klant"], **data}
    if data["klant_id"] == "weg":
        data["klant_id"] = world["weg"]
    before = counts()
    with connection():
        werkadres, found = service.create_werkadres(data, "planner1")
    assert werkadres is None and found == errors
    assert counts() == before


def test_update_werkadres_is_versioned(world):
    werkadres = adres(world)
    with connection():
        saved, errors = service.update_werkadres(werkadres, {"city": "Gorinchem"}, 1, "p")
        assert errors == {} and saved.city == "Gorinchem" and saved.version == 2
        # the same save again changes nothing: no new version, no audit row
        audit_rows = AuditLog.select().count()
        again, _ = service.update_werkadres(saved, {"city": "Gorinchem"}, 2, "p")
        assert again.version == 2 and AuditLog.select().count() == audit_rows
        with pytest.raises(service.Conflict) as stale:
            service.update_werkadres(werkadres, {"street": "Kerkstraat"}, 1, "q")
        assert stale.value.current.city == "Gorinchem"
        _, errors = service.update_werkadres(saved, {"klant_id": world["ander"]}, 2, "p")
        assert errors == {"klant_id": service.MESSAGES["klant_fixed"]}
        assert Werkadres.get_by_id(werkadres.id).street == "Lindelaan"
        off, _ = service.update_werkadres(saved, {"active": False}, 2, "p")
        assert off.active is False
        assert AuditLog.select().order_by(AuditLog.id.desc()).first().action == "gedeactiveerd"


def ketel(world, werkadres, **extra):
    data = {"werkadres_id": werkadres.id, "objecttype_id": world["ketel"], "brand": "Remeha",
            "model": "Calenta Ace 28c", "serial_number": "RH-123", "location": "zolder",
            "installed_on": "2019-05-01", "warranty_until": "2026-05-01", **extra}
    with connection():
        return service.create_object(data, "planner1", TODAY)


def test_create_object_numbers_it_and_audits(world):
    werkadres = adres(world)
    obj, errors = ketel(world, werkadres)
    assert errors == {} and obj.number == "OBJ-000001" and obj.status == "actief"
    second, _ = ketel(world, werkadres, number="obj-000007")
    third, _ = ketel(world, werkadres)
    assert second.number == "obj-000007" and third.number == "OBJ-000002"
    with connection():
        shape = service.object_dict(service.get_object(obj.id))
        row = AuditLog.get(AuditLog.entity == "object", AuditLog.entity_id == obj.id)
    assert shape["klant_id"] == world["klant"] and shape["objecttype"] == "CV-ketel"
    assert shape["installed_on"] == "2019-05-01" and shape["status_since"] is None
    assert json.loads(row.changes)["number"] == "OBJ-000001"


def test_the_next_number_skips_one_typed_by_hand(world):
    werkadres = adres(world)
    ketel(world, werkadres, number="OBJ-000041")
    obj, _ = ketel(world, werkadres)
    assert obj.number == "OBJ-000042"
    ketel(world, werkadres, number="OBJ-000043")
    assert ketel(world, werkadres)[0].number == "OBJ-000044"


@pytest.mark.parametrize("change, field, message", [
    ({"number": "OBJ-1"}, "number", "Objectnummer OBJ-1 is al in gebruik (CV-ketel bij "
                                    "Complex De Linde — Lindelaan 12a, 4141 HD Leerdam)."),
    ({"number": "obj-1"}, "number", "Objectnummer OBJ-1 is al in gebruik"),
    ({"werkadres_id": None}, "werkadres_id", "Kies een werkadres."),
    ({"werkadres_id": 99999}, "werkadres_id", "Dit werkadres bestaat niet."),
    ({"klant_id": "ander"}, "werkadres_id", "Dit werkadres hoort niet bij deze klant"),
    ({"objecttype_id": None}, "objecttype_id", "Kies een objecttype."),
    ({"objecttype_id": 99999}, "objecttype_id", "Dit objecttype bestaat niet."),
    ({"objecttype_id": "oud_type"}, "objecttype_id", "Dit objecttype is niet meer actief"),
    ({"warranty_until": "2018-01-01"}, "warranty_until", "vóór de installatiedatum"),
    ({"installed_on": "31-12-2020"}, "installed_on", "Vul een datum in als dd-mm-jjjj."),
    ({"status": "stuk"}, "status", "Kies actief, buiten gebruik of verwijderd."),
])
def test_bad_object_names_the_field_and_writes_nothing(world, change, field, message):
    werkadres = adres(world)
    ketel(world, werkadres, number="OBJ-1")
    change = {k: world.get(v, v) if isinstance(v, str) and k.endswith("_id") else v
              for k, v in change.items()}
    before = counts()
    obj, errors = ketel(world, werkadres, **change)
    assert obj is None and field in errors and message in errors[field], errors
    assert counts() == before


def test_an_object_at_an_inactive_werkadres_is_refused(world):
    werkadres = adres(world, active=False)
    obj, errors = ketel(world, werkadres)
    assert obj is None and errors == {"werkadres_id": service.MESSAGES["werkadres_inactive"]}


def test_update_object_is_versioned_and_stays_with_its_klant(world):
    werkadres = adres(world)
    elders = adres(world, klant="ander")
    zelfde_klant = adres(world, street="Kerkstraat")
    obj, _ = ketel(world, werkadres)
    with connection():
        saved, errors = service.update_object(obj, {"location": "kelder", "brand": "Intergas"},
                                              1, "p", TODAY)
        assert errors == {} and saved.version == 2 and saved.location == "kelder"
        row = AuditLog.select().where(AuditLog.entity == "object").order_by(
            AuditLog.id.desc()).first()
        assert json.loads(row.changes) == {"brand": ["Remeha", "Intergas"],
                                           "location": ["zolder", "kelder"]}
        with pytest.raises(service.Conflict):
            service.update_object(obj, {"location": "hal"}, 1, "q", TODAY)
        _, errors = service.update_object(saved, {"werkadres_id": elders.id}, 2, "p", TODAY)
        assert errors == {"werkadres_id": service.MESSAGES["object_klant_fixed"]}
        _, errors = service.update_object(saved, {"number": ""}, 2, "p", TODAY)
        assert errors == {"number": "Vul een objectnummer in."}
        _, errors = service.update_object(saved, {"warranty_until": "2018-01-01"}, 2, "p",
                                          TODAY)
        assert "warranty_until" in errors
        moved, errors = service.update_object(saved, {"werkadres_id": zelfde_klant.id}, 2, "p",
                                              TODAY)
        assert errors == {} and moved.werkadres_id == zelfde_klant.id
        assert Object.get_by_id(obj.id).location == "kelder"


def test_set_status_with_its_day_and_audit(world):
    werkadres = adres(world)
    obj, _ = ketel(world, werkadres)
    with connection():
        out, errors = service.set_status(obj, "buiten_gebruik", None, "p", TODAY)
        assert errors == {} and (out.status, out.status_since) == ("buiten_gebruik", TODAY)
        assert out.version == 2
        row = AuditLog.select().order_by(AuditLog.id.desc()).first()
        assert row.action == "status gewijzigd"
        assert json.loads(row.changes) == {"status": ["actief", "buiten_gebruik"],
                                           "status_since": [None, "2026-11-27"]}
        same, _ = service.set_status(out, "buiten_gebruik", TODAY, "p", TODAY)
        assert same.version == 2  # nothing changed, nothing written
        later, _ = service.set_status(out, "verwijderd", "2027-01-01", "p", TODAY, version=2)
        assert (later.status, later.status_since) == ("verwijderd", date(2027, 1, 1))
        with pytest.raises(service.Conflict):
            service.set_status(out, "actief", None, "p", TODAY, version=2)
        _, errors = service.set_status(later, "kapot", None, "p", TODAY)
        assert errors == {"status": "Kies actief, buiten gebruik of verwijderd."}
        assert Object.get_by_id(obj.id).status == "verwijderd"


def test_wipe_only_without_history(world):
    from models.contracts.tables import Contract, ContractObject
    from models.stamdata.instellingen import Contracttype

    werkadres = adres(world)
    obj, _ = ketel(world, werkadres)
    kept, _ = ketel(world, werkadres)
    with connection():
        contract = Contract.create(
            number="C-1", klant=world["klant"], contracttype=Contracttype.get(
                Contracttype.kind == "correctief"), kind="correctief",
            start_date=TODAY, created_by="t", description="Storingsdienst")
        ContractObject.create(contract=contract, object=kept.id)
        assert service.wipe_object(kept, "p") == (False, service.HAS_HISTORY)
        assert Object.get_or_none(Object.id == kept.id) is not None
        assert service.wipe_object(obj, "p") == (True, "")
        assert Object.get_or_none(Object.id == obj.id) is None
        assert AuditLog.select().where(AuditLog.action == "gewist").count() == 1


# --- demo data -----------------------------------------------------------------------------------

def test_demo_objecten_a_corporation_with_a_ketel_per_home_and_an_office(app):
    from models import demo

    with connection():
        demo.load()
        ids = demo.load_objecten(date(2026, 11, 27))
        linge = Klant.get(Klant.customer_number == "D-10001")
        homes = list(Werkadres.select().where(Werkadres.klant == linge))
        assert len(homes) == 40 == len(ids["corporatie_werkadressen"])
        assert all(h.postcode and h.city == "Leerdam" for h in homes)
        assert any("Sleutel bij de buren" in h.access_notes for h in homes)
        per_home = {h.id: [(o.objecttype.name, o.status) for o in h.objecten] for h in homes}
        assert all(found == [("CV-ketel", "actief")] for found in per_home.values())
        kantoor = Werkadres.get_by_id(ids["kantoor_werkadres"])
        assert kantoor.klant.customer_number == "D-10007"
        blussers = [o for o in kantoor.objecten if o.objecttype.name == "Brandblusser"]
        assert len(blussers) == 30 == len(ids["brandblussers"])
        floors = {o.location.split(",")[0] for o in blussers}
        assert floors == {"Begane grond", "1e verdieping", "2e verdieping", "3e verdieping"}
        assert Object.get_by_id(ids["lift"]).objecttype.name == "Lift"
        numbers = [o.number for o in Object.select()]
        assert len(numbers) == len(set(numbers)) == 71
