"""Generation for contracts that cover objecten, written for real (the sweep through the CLI,
edits through save_edit, a status change through replan): one werkbon per (date, object) or
per (date, werkadres) with its objecten, an object added and removed mid-contract, an object
taken out of use, and re-runs that change nothing. On SQLite and PostgreSQL."""

from datetime import date

import pytest

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.contracts.tables import Contract
from models.db import audit, connection
from models.objecten.tables import Object
from models.werkbonnen import replan
from models.werkbonnen.tables import Werkbon, WerkbonObject
from tests.objecten_data import contract_data, covering_contract, klant_with_objecten

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def generate(runner, today):
    result = runner.invoke(args=["generate", "--today", today])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def table(contract_id=None) -> list[tuple]:
    """(date, slot, werkadres name, its objecten's numbers, status) of every werkbon, in number
    order."""
    with connection():
        query = Werkbon.select().order_by(Werkbon.number)
        if contract_id:
            query = query.where(Werkbon.contract == contract_id)
        rows = []
        for w in query:
            numbers = sorted(o.number for o in Object.select().join(WerkbonObject).where(
                WerkbonObject.werkbon == w.id))
            rows.append((w.due_date.isoformat(), w.slot,
                         w.werkadres.name if w.werkadres_id else None, tuple(numbers), w.status))
        return rows


def snapshot():
    with connection():
        return ([(w.id, w.number, w.status, w.updated_at) for w in
                 Werkbon.select().order_by(Werkbon.id)],
                sorted(WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.object).tuples()))


def edit(contract_id, today, **changes):
    """Save an edit of the contract through save_edit, as the wizard and the API do."""
    with connection():
        contract = Contract.get_by_id(contract_id)
        data = contract_service.serialise(contract, today)
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        data.update(changes)
        values, errors = contract_checks.check(data, contract)
        assert errors == {}, errors
        return replan.save_edit(contract, values, contract.version, "planner", today)


@pytest.fixture
def office(app):
    """Two floors with three brandblussers each (BB-001..003 on 1, BB-004..006 on 2)."""
    return klant_with_objecten()


# --------------------------------------------------------------------------- the two modes


def test_per_object_one_werkbon_per_date_and_object(app, runner, office):
    klant, _places, objecten = office
    covering_contract(klant, objecten[:4], per="object")  # three on floor 1, one on floor 2
    assert generate(runner, "2026-02-15") == "created=8 moved=0 cancelled=0"
    assert table() == [
        ("2026-01-01", f"o{objecten[0].id}", "Verdieping 1", ("BB-001",), "open"),
        ("2026-01-01", f"o{objecten[1].id}", "Verdieping 1", ("BB-002",), "open"),
        ("2026-01-01", f"o{objecten[2].id}", "Verdieping 1", ("BB-003",), "open"),
        ("2026-01-01", f"o{objecten[3].id}", "Verdieping 2", ("BB-004",), "open"),
        ("2026-02-01", f"o{objecten[0].id}", "Verdieping 1", ("BB-001",), "open"),
        ("2026-02-01", f"o{objecten[1].id}", "Verdieping 1", ("BB-002",), "open"),
        ("2026-02-01", f"o{objecten[2].id}", "Verdieping 1", ("BB-003",), "open"),
        ("2026-02-01", f"o{objecten[3].id}", "Verdieping 2", ("BB-004",), "open"),
    ]


def test_per_datum_one_werkbon_per_date_and_werkadres_listing_its_objecten(app, runner, office):
    klant, places, objecten = office
    # floor 1 entirely, one of floor 2, and a third werkadres without objecten of its own
    with connection():
        from models.objecten.tables import Werkadres

        hall = Werkadres.create(klant=klant, name="Parkeergarage", street="Mahlerplein",
                                house_number="1", postcode="1082 MA", city="Amsterdam")
    covering_contract(klant, objecten[:4], werkadressen=[hall], per="datum")
    assert generate(runner, "2026-02-15") == "created=6 moved=0 cancelled=0"
    one, two = places
    assert table() == [
        ("2026-01-01", f"w{one.id}", "Verdieping 1", ("BB-001", "BB-002", "BB-003"), "open"),
        ("2026-01-01", f"w{two.id}", "Verdieping 2", ("BB-004",), "open"),
        ("2026-01-01", f"w{hall.id}", "Parkeergarage", (), "open"),
        ("2026-02-01", f"w{one.id}", "Verdieping 1", ("BB-001", "BB-002", "BB-003"), "open"),
        ("2026-02-01", f"w{two.id}", "Verdieping 2", ("BB-004",), "open"),
        ("2026-02-01", f"w{hall.id}", "Parkeergarage", (), "open"),
    ]


def test_a_contract_without_objecten_still_makes_one_werkbon_per_date(app, runner, office):
    klant, _places, _objecten = office
    covering_contract(klant, per="object")
    assert generate(runner, "2026-02-15") == "created=2 moved=0 cancelled=0"
    assert table() == [("2026-01-01", "", None, (), "open"), ("2026-02-01", "", None, (), "open")]


def test_a_rerun_changes_nothing(app, runner, office):
    klant, _places, objecten = office
    covering_contract(klant, objecten, per="object")
    covering_contract(klant, objecten, per="datum")
    assert generate(runner, "2026-03-15") == "created=24 moved=0 cancelled=0"
    before = snapshot()
    assert generate(runner, "2026-03-15") == "created=0 moved=0 cancelled=0"
    assert snapshot() == before
    # and the sweep made each werkbon with its links: 18 per object, 6 per datum lists of 3
    assert len(before[1]) == 18 + 6 * 3


def test_a_large_batch_keeps_every_text_and_is_ignored_when_made_again(app, runner, office):
    """Enough werkbonnen in one write that PostgreSQL gets them by COPY (materialise.COPY_FROM):
    texts with a backslash, a line break and "\\N" arrive as typed, and the same werkbonnen
    planned again (the bookkeeping reset) are ignored by the key, links and all."""
    from models.werkbonnen.materialise import COPY_FROM

    klant, _places, objecten = office
    note = "Sleutel bij de buren\nbel aan bij C:\\kast \\N niet leeg"
    data = contract_data(klant, objecten, per="object", rrule="FREQ=DAILY")
    data["werkbon"].update(description="Blussers \\ haspels", internal_note=note)
    with connection():
        values, errors = contract_checks.check(data)
        assert errors == {}, errors
        contract = contract_service.create(values, "test", date(2026, 1, 1))
    assert generate(runner, "2026-04-30") == "created=720 moved=0 cancelled=0"
    assert 720 >= COPY_FROM
    with connection():
        texts = set(Werkbon.select(Werkbon.description, Werkbon.internal_note).tuples())
        assert texts == {("Blussers \\ haspels", note)}
        assert WerkbonObject.select().count() == 720
        assert Werkbon.select().where(Werkbon.due_date == date(2026, 4, 30)).count() == 6
    before = snapshot()
    with connection():
        Contract.update(generated_through=None, next_attention=date(2026, 1, 1)).where(
            Contract.id == contract.id).execute()
    assert generate(runner, "2026-04-30") == "created=0 moved=0 cancelled=0"
    assert snapshot() == before


def test_the_sweep_writes_the_links_of_what_it_made_only(app, office):
    """A werkbon that exists already (made by another worker) is ignored by the insert; its
    links are the ones it was made with, not a second set nor those of the ignored row."""
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:2], per="datum")
    with connection():
        free = calendar_store.free_days()
        materialise.sweep(date(2026, 1, 15), free)
        # as if a second worker planned the same contract before the first one wrote
        Contract.update(generated_through=None, next_attention=date(2026, 1, 1)).where(
            Contract.id == contract.id).execute()
        counts = materialise.sweep(date(2026, 1, 15), free)
        assert counts.created == 0
        assert WerkbonObject.select().count() == 2
        assert Werkbon.select().count() == 1


# --------------------------------------------------------------------------- mid-contract


def test_an_object_added_mid_contract_gets_werkbonnen_from_that_day(app, runner, office):
    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:2], per="object", lead=14)
    generate(runner, "2026-03-01")  # 1 Jan .. 1 Mar, with 1 Mar due since 15 Feb
    with app.test_request_context():
        edit(contract.id, date(2026, 3, 10), object_ids=[o.id for o in objecten[:3]])
    generate(runner, "2026-05-01")
    bb3 = [row[0] for row in table() if row[3] == ("BB-003",)]
    # 1 April is due at the edit (lead 14: made on 18 March, so not yet) ... the sweep makes
    # April and May; nothing before the day it was added
    assert bb3 == ["2026-04-01", "2026-05-01"]
    assert [row[0] for row in table() if row[3] == ("BB-001",)] == [
        "2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"]


def test_an_object_added_gets_its_due_werkbonnen_at_the_save(app, runner, office):
    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:1], per="object", lead=30)
    generate(runner, "2026-03-10")  # up to 1 April exists
    with app.test_request_context():
        edit(contract.id, date(2026, 3, 10), object_ids=[objecten[0].id, objecten[5].id])
    assert [row[0] for row in table() if row[3] == ("BB-006",)] == ["2026-04-01"]
    assert generate(runner, "2026-03-10") == "created=0 moved=0 cancelled=0"


def test_an_object_removed_mid_contract_cancels_its_waiting_werkbonnen_only(app, runner, office):
    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:2], per="object", lead=40)
    generate(runner, "2026-02-25")  # up to 1 April
    with connection():
        started = Werkbon.get(Werkbon.slot == f"o{objecten[1].id}",
                              Werkbon.due_date == date(2026, 3, 1))
        started.status = "onderweg"
        started.save()
    with app.test_request_context():
        edit(contract.id, date(2026, 2, 25), object_ids=[objecten[0].id])
    rows = [(r[0], r[4]) for r in table() if r[3] == ("BB-002",)]
    # history before the edit stays; 1 March was started (protected); 1 April is cancelled
    assert rows == [("2026-01-01", "open"), ("2026-02-01", "open"), ("2026-03-01", "onderweg"),
                    ("2026-04-01", "geannuleerd")]
    # May, June and July (lead 40) for BB-001 only
    assert generate(runner, "2026-06-01") == "created=3 moved=0 cancelled=0"
    assert [r[0] for r in table() if r[3] == ("BB-002",)][-1] == "2026-04-01"


def test_per_datum_the_waiting_werkbonnen_follow_the_objecten(app, runner, office):
    klant, places, objecten = office
    contract = covering_contract(klant, objecten[:3], per="datum", lead=40)
    generate(runner, "2026-02-20")  # 1 Jan .. 1 Mar, one werkbon per date on floor 1
    generate(runner, "2026-02-21")  # and 1 April
    with connection():
        hand = Werkbon.get(Werkbon.due_date == date(2026, 3, 1))
        hand.changed_by_hand = True
        hand.save()
    with app.test_request_context():
        edit(contract.id, date(2026, 2, 20), object_ids=[objecten[0].id, objecten[2].id])
    lists = {r[0]: r[3] for r in table()}
    assert lists["2026-02-01"] == ("BB-001", "BB-002", "BB-003")  # history
    assert lists["2026-03-01"] == ("BB-001", "BB-002", "BB-003")  # changed by hand: kept
    assert lists["2026-04-01"] == ("BB-001", "BB-003")  # waiting: follows the contract
    with connection():
        assert audit.AuditLog.select().where(
            audit.AuditLog.action == "objecten gewijzigd").count() == 1


def test_switching_to_per_object_replaces_the_waiting_werkbonnen(app, runner, office):
    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:2], per="datum", lead=40)
    generate(runner, "2026-03-01")
    with app.test_request_context():
        edit(contract.id, date(2026, 3, 1), werkbon_per="object")
    future = [r for r in table() if r[0] >= "2026-03-01"]
    assert [(r[0], r[3], r[4]) for r in future] == [
        ("2026-03-01", ("BB-001", "BB-002"), "geannuleerd"),
        ("2026-04-01", ("BB-001", "BB-002"), "geannuleerd"),
        ("2026-03-01", ("BB-001",), "open"), ("2026-03-01", ("BB-002",), "open"),
        ("2026-04-01", ("BB-001",), "open"), ("2026-04-01", ("BB-002",), "open")]


# --------------------------------------------------------------------------- out of use


def test_an_object_taken_out_of_use_stops_from_that_day(app, runner, office):
    klant, _places, objecten = office
    per_object = covering_contract(klant, objecten[:2], per="object", lead=60)
    per_datum = covering_contract(klant, objecten[:2], per="datum", lead=60)
    generate(runner, "2026-02-15")  # up to 1 April on both
    with connection():
        bb2 = Object.get_by_id(objecten[1].id)
        shown = replan.object_status_effect(bb2, "buiten_gebruik", date(2026, 3, 15),
                                            date(2026, 2, 15))
        # the planner sees it first: per object its 1 April werkbon goes, per datum 1 April
        # lists BB-001 only
        assert [(w.due_date.isoformat(), w.slot) for w in shown.cancel] == [
            ("2026-04-01", f"o{objecten[1].id}")]
        assert [(c.id, [(w.due_date, v.object_ids) for w, v in plan.relink])
                for c, plan in shown.contracts] == [
            (per_object.id, []), (per_datum.id, [(date(2026, 4, 1), (objecten[0].id,))])]
        assert Werkbon.select().where(Werkbon.status == "geannuleerd").count() == 0  # a preview
        with app.test_request_context():
            replan.apply_object_status(bb2, "buiten_gebruik", date(2026, 3, 15), "planner",
                                       date(2026, 2, 15), shown=shown.fingerprint)
        assert Object.get_by_id(bb2.id).status_since == date(2026, 3, 15)
    assert [(r[0], r[4]) for r in table(per_object.id) if r[3] == ("BB-002",)] == [
        ("2026-01-01", "open"), ("2026-02-01", "open"), ("2026-03-01", "open"),
        ("2026-04-01", "geannuleerd")]
    generate(runner, "2026-05-01")
    assert [r[0] for r in table(per_object.id) if r[3] == ("BB-002",)][-1] == "2026-04-01"
    assert {r[0]: r[3] for r in table(per_datum.id)}["2026-06-01"] == ("BB-001",)


def test_an_object_in_use_again_gets_its_werkbonnen_back(app, runner, office):
    klant, _places, objecten = office
    contract = covering_contract(klant, objecten[:1], per="object", lead=40)
    generate(runner, "2026-02-25")
    with connection(), app.test_request_context():
        bb1 = Object.get_by_id(objecten[0].id)
        replan.apply_object_status(bb1, "buiten_gebruik", None, "planner", date(2026, 2, 25))
        assert table(contract.id)[-1][::4] == ("2026-04-01", "geannuleerd")
        assert generate(runner, "2026-03-25") == "created=0 moved=0 cancelled=0"
        replan.apply_object_status(bb1, "actief", None, "planner", date(2026, 3, 25))
    assert [(r[0], r[4]) for r in table(contract.id)][-2:] == [
        ("2026-04-01", "open"), ("2026-05-01", "open")]  # reopened, and the next one made


def test_a_status_change_refuses_when_the_effect_changed_meanwhile(app, runner, office):
    klant, _places, objecten = office
    covering_contract(klant, objecten[:1], per="object", lead=60)
    generate(runner, "2026-02-15")
    with connection():
        bb1 = Object.get_by_id(objecten[0].id)
        shown = replan.object_status_effect(bb1, "verwijderd", None, date(2026, 2, 15))
        late = Werkbon.get(Werkbon.due_date == date(2026, 4, 1))
        late.status = "onderweg"  # a colleague started one meanwhile
        late.save()
        with app.test_request_context(), pytest.raises(replan.PlanChanged):
            replan.apply_object_status(bb1, "verwijderd", None, "planner", date(2026, 2, 15),
                                       shown=shown.fingerprint)
        assert Object.get_by_id(bb1.id).status == "actief"  # nothing written
        assert Werkbon.select().where(Werkbon.status == "geannuleerd").count() == 0


# --------------------------------------------------------------------------- bad input


def test_bad_coverage_is_refused_with_dutch_field_errors(app, office):
    klant, places, objecten = office
    other, other_places, other_objecten = klant_with_objecten("Woonstichting", "D-501",
                                                              prefix="CV", kind="CV-ketel")
    with connection():
        cases = [
            ({"object_ids": [other_objecten[0].id]}, "object_ids",
             "Object CV-001 hoort niet bij klant Kantoorpand Zuidas"),
            ({"object_ids": [999999]}, "object_ids", "Dit object bestaat niet: 999999."),
            ({"werkadres_ids": [other_places[0].id]}, "werkadres_ids",
             "hoort niet bij klant Kantoorpand Zuidas"),
            ({"werkadres_ids": [424242]}, "werkadres_ids", "Dit werkadres bestaat niet"),
            ({"werkbon_per": "week"}, "werkbon_per", "Kies ‘datum’"),
        ]
        for change, field, message in cases:
            data = {**contract_data(klant, objecten[:1]), **change}
            _values, errors = contract_checks.check(data)
            assert message in errors.get(field, ""), (change, errors)
        Object.update(status="verwijderd").where(Object.id == objecten[2].id).execute()
        _values, errors = contract_checks.check(contract_data(klant, objecten[2:3]))
        assert errors == {"object_ids": "Object BB-003 is verwijderd en krijgt geen werkbonnen "
                                        "meer; haal het uit de keuze."}
        assert Contract.select().count() == 0
