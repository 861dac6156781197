"""A werkadres that is deactivated stops producing werkbonnen from that day, like an object set
buiten gebruik (models.werkbonnen.replan.update_werkadres): the werkadres page shows which
werkbonnen would be cancelled before anything is saved, Bevestigen does exactly that (started,
done and hand-changed ones stay), a stale confirmation writes nothing, the sweep makes none
for it afterwards, activating it again brings them back, and the API's PATCH applies it at
once. On SQLite and PostgreSQL."""

import re
from datetime import date

import pytest

from models.db import connection
from models.objecten.tables import Werkadres
from models.werkbonnen.tables import Werkbon
from tests.objecten_data import covering_contract, klant_with_objecten
from tests.test_objecten_status_replan import generate, html

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = "2026-02-15"


@pytest.fixture
def places(app, runner):
    """Two floors with three objecten each; on floor 1 a per-object contract (BB-001, BB-002)
    and a per-datum one (BB-001..003); floor 2 covered in its own right (no objecten on the
    contract). Monthly on the 1st, 60 days ahead: by 15 February the werkbonnen of 1 March
    and 1 April exist, and those of January and February lie in the past."""
    app.config["TODAY"] = TODAY
    klant, werkadressen, objecten = klant_with_objecten()
    contracts = {
        "per_object": covering_contract(klant, objecten[:2], per="object", lead=60),
        "per_datum": covering_contract(klant, objecten[:3], per="datum", lead=60),
        "floor2": covering_contract(klant, werkadressen=werkadressen[1:], per="datum",
                                    lead=60),
    }
    generate(runner)
    return {"werkadressen": werkadressen, "objecten": objecten, **contracts}


def werkbonnen(contract) -> list[tuple[str, str, str, str]]:
    with connection():
        return [(w.due_date.isoformat(), w.slot, w.status, w.cancel_reason) for w in
                Werkbon.select().where(Werkbon.contract == contract.id)
                .order_by(Werkbon.due_date, Werkbon.slot)]


def state():
    with connection():
        return (sorted(Werkbon.select(Werkbon.id, Werkbon.status, Werkbon.cancel_reason,
                                      Werkbon.updated_at).tuples()),
                sorted(Werkadres.select(Werkadres.id, Werkadres.active,
                                        Werkadres.version).tuples()))


def form(werkadres, active="0", **extra):
    with connection():
        version = Werkadres.get_by_id(werkadres.id).version
    return {"actief": active, "version": str(version), **extra}


def test_deactivating_shows_what_it_cancels_then_does_exactly_that(planner, places, runner):
    floor1 = places["werkadressen"][0]
    per_object, per_datum = places["per_object"], places["per_datum"]
    with connection():  # a technician is on the way to one of them: it stays
        started = Werkbon.get(Werkbon.contract == per_datum.id,
                              Werkbon.due_date == date(2026, 3, 1))
        started.status = "onderweg"
        started.save()
    before = state()
    shown = planner.post(f"/werkadressen/{floor1.id}/actief", data=form(floor1))
    assert shown.status_code == 200
    assert state() == before  # nothing written yet
    page = html(shown)
    section = page[page.index('id="actief-gevolgen"'):]
    section = section[:section.index("</section>")]
    assert "deactiveren (vanaf vandaag)" in section
    cancelled = re.findall(r'<ul class="effect-geannuleerd">(.*?)</ul>', section, re.S)
    assert len(cancelled) == 2  # the per-object and the per-datum contract
    assert len(re.findall(r"<li>", cancelled[0])) == 4  # March and April, BB-001 and BB-002
    assert len(re.findall(r"<li>", cancelled[1])) == 1  # April (March is started)
    kept = section[section.index('class="effect-beschermd"'):]
    assert kept.startswith(f'class="effect-beschermd"><li>{started.number}: zo 1 mrt 2026')
    gevolgen = re.search(r'name="gevolgen" value="([0-9a-f]+)"', section).group(1)

    done = planner.post(f"/werkadressen/{floor1.id}/actief",
                        data=form(floor1, actie="bevestigen", gevolgen=gevolgen))
    assert done.status_code == 303
    reason = f"Werkadres {floor1.label} niet meer in gebruik"
    with connection():
        assert Werkadres.get_by_id(floor1.id).active is False
    for contract in (per_object, per_datum):
        rows = werkbonnen(contract)
        assert [s for d, _slot, s, _r in rows if d < TODAY] == \
            ["open"] * (4 if contract is per_object else 2)  # history stays
        future = [(d, s, r) for d, _slot, s, r in rows if d >= TODAY]
        assert all(s == "geannuleerd" and r == reason for d, s, r in future
                   if not (contract is per_datum and d == "2026-03-01"))
    assert ("2026-03-01", "onderweg") in [(d, s) for d, _slot, s, _r in werkbonnen(per_datum)]
    floor2 = werkbonnen(places["floor2"])
    assert all(s == "open" for _d, _slot, s, _r in floor2)  # the other floor: untouched
    assert "is gedeactiveerd. 5 werkbonnen geannuleerd." in html(
        planner.get(f"/werkadressen/{floor1.id}"))

    # the sweep makes no werkbonnen for it from then on; the other floor goes on
    generate(runner, "2026-07-15")
    for contract in (per_object, per_datum):
        assert not [d for d, _slot, s, _r in werkbonnen(contract) if d > "2026-04-01"]
    assert [d for d, _slot, _s, _r in werkbonnen(places["floor2"])][-1] == "2026-09-01"

    # active again: the waiting werkbonnen come back, from then on
    again = planner.post(f"/werkadressen/{floor1.id}/actief", data=form(floor1, "1"))
    assert again.status_code == 200
    gevolgen = re.search(r'name="gevolgen" value="([0-9a-f]+)"', html(again)).group(1)
    assert planner.post(f"/werkadressen/{floor1.id}/actief", data=form(
        floor1, "1", actie="bevestigen", gevolgen=gevolgen)).status_code == 303
    assert [(d, s) for d, _slot, s, _r in werkbonnen(per_object) if d > TODAY] == [
        ("2026-03-01", "open")] * 2 + [("2026-04-01", "open")] * 2  # reopened
    generate(runner, "2026-07-15")
    assert ("2026-08-01", "open") in [(d, s) for d, _slot, s, _r in werkbonnen(per_object)]


def test_a_stale_confirmation_writes_nothing_and_shows_the_new_effect(planner, places):
    floor1 = places["werkadressen"][0]
    shown = html(planner.post(f"/werkadressen/{floor1.id}/actief", data=form(floor1)))
    gevolgen = re.search(r'name="gevolgen" value="([0-9a-f]+)"', shown).group(1)
    with connection():  # a colleague starts one of the werkbonnen meanwhile
        started = Werkbon.get(Werkbon.contract == places["per_datum"].id,
                              Werkbon.due_date == date(2026, 4, 1))
        started.status = "onderweg"
        started.save()
    before = state()
    resp = planner.post(f"/werkadressen/{floor1.id}/actief",
                        data=form(floor1, actie="bevestigen", gevolgen=gevolgen))
    assert resp.status_code == 409
    assert state() == before
    page = html(resp)
    assert 'id="gevolgen-veranderd"' in page
    assert f"{started.number}: wo 1 apr 2026" in page[page.index('class="effect-beschermd"'):]


def test_a_werkadres_without_contracts_is_deactivated_at_once(planner, places):
    with connection():
        spare = Werkadres.create(klant=places["werkadressen"][0].klant_id, name="Opslag",
                                 street="Kade", house_number="3", postcode="3011 AB",
                                 city="Rotterdam")
    before = state()
    resp = planner.post(f"/werkadressen/{spare.id}/actief", data=form(spare))
    assert resp.status_code == 303
    with connection():
        assert Werkadres.get_by_id(spare.id).active is False
    assert state()[0] == before[0]  # no werkbon changed


def test_the_api_patch_replans_at_once(api, places):
    floor2 = places["werkadressen"][1]
    with connection():
        version = Werkadres.get_by_id(floor2.id).version
    resp = api.patch(f"/api/v1/werkadressen/{floor2.id}",
                     json={"version": version, "active": False})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["active"] is False
    rows = werkbonnen(places["floor2"])
    assert [s for d, _slot, s, _r in rows if d >= TODAY] == ["geannuleerd", "geannuleerd"]
    assert [s for d, _slot, s, _r in rows if d < TODAY] == ["open", "open"]
    assert all(s == "open" for _d, _slot, s, _r in werkbonnen(places["per_object"]))
