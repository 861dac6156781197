"""An object's status change on the object page and through the API goes through the re-plan of
the contracts that cover it (models.werkbonnen.replan): the page shows which werkbonnen would
be cancelled before anything is saved, Bevestigen does exactly that, a stale confirmation
writes nothing; the object page's next visits are the dates the worker then really makes.
On SQLite and PostgreSQL."""

import re
from datetime import date

import pytest

from models.db import connection
from models.objecten.tables import Object
from models.werkbonnen.tables import Werkbon, WerkbonObject
from tests.objecten_data import covering_contract, klant_with_objecten

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = "2026-02-15"


def generate(runner, today=TODAY):
    result = runner.invoke(args=["generate", "--today", today])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def html(resp) -> str:
    return resp.get_data(as_text=True)


def werkbonnen_of(obj) -> list[tuple[str, str, str]]:
    """(date, number, status) of the werkbonnen that list the object, by date."""
    with connection():
        return [(w.due_date.isoformat(), w.number, w.status) for w in
                Werkbon.select().join(WerkbonObject, on=WerkbonObject.werkbon == Werkbon.id)
                .where(WerkbonObject.object == obj.id).order_by(Werkbon.due_date)]


def state():
    with connection():
        return (sorted(Werkbon.select(Werkbon.id, Werkbon.status, Werkbon.cancel_reason,
                                      Werkbon.updated_at).tuples()),
                sorted(WerkbonObject.select(WerkbonObject.werkbon,
                                            WerkbonObject.object).tuples()),
                sorted(Object.select(Object.id, Object.status, Object.version).tuples()))


@pytest.fixture
def covered(app, runner):
    """BB-001..006 on two floors; a per-object contract on BB-001 and BB-002 and a per-datum
    one on all of floor 1, monthly on the 1st, 60 days ahead: by 15 February the werkbonnen up
    to 1 April exist."""
    app.config["TODAY"] = TODAY
    klant, places, objecten = klant_with_objecten()
    per_object = covering_contract(klant, objecten[:2], per="object", lead=60)
    per_datum = covering_contract(klant, objecten[:3], per="datum", lead=60)
    generate(runner)
    return {"objecten": objecten, "per_object": per_object, "per_datum": per_datum,
            "places": places}


def status_form(obj, status="buiten_gebruik", since="2026-03-15", **extra):
    with connection():
        version = Object.get_by_id(obj.id).version
    return {"status": status, "status_since": since, "version": str(version), **extra}


def test_the_object_page_shows_what_a_status_change_cancels_before_saving(planner, covered):
    bb2 = covered["objecten"][1]
    before = state()
    shown = planner.post(f"/objecten/{bb2.id}/status", data=status_form(bb2))
    page = html(shown)
    assert shown.status_code == 200
    assert state() == before  # nothing written yet
    section = page[page.index('id="status-gevolgen"'):]
    section = section[:section.index("</section>")]
    assert "buiten gebruik met ingang van" in section
    april = [n for d, n, s in werkbonnen_of(bb2) if d == "2026-04-01"]
    with connection():
        per_object_april = Werkbon.get(Werkbon.contract == covered["per_object"].id,
                                       Werkbon.due_date == date(2026, 4, 1),
                                       Werkbon.slot == f"o{bb2.id}")
        per_datum_april = Werkbon.get(Werkbon.contract == covered["per_datum"].id,
                                      Werkbon.due_date == date(2026, 4, 1))
    assert set(april) == {per_object_april.number, per_datum_april.number}
    # per object: its 1 April werkbon is cancelled; per datum: 1 April lists BB-001 and BB-003
    cancelled = re.findall(r'<ul class="effect-geannuleerd"><li>([^<]*)</li></ul>', section)
    assert cancelled == [f"{per_object_april.number}: wo 1 apr 2026 — BB-002"]
    relinked = re.findall(r'<ul class="effect-objecten"><li>([^<]*)</li></ul>', section)
    assert relinked[0].startswith(f"{per_datum_april.number}: wo 1 apr 2026")
    assert relinked[0].endswith("nu BB-001, BB-003")
    gevolgen = re.search(r'name="gevolgen" value="([0-9a-f]+)"', section).group(1)
    assert 'name="actie" value="bevestigen"' in section

    done = planner.post(f"/objecten/{bb2.id}/status",
                        data=status_form(bb2, actie="bevestigen", gevolgen=gevolgen))
    assert done.status_code == 303
    with connection():
        fresh = Object.get_by_id(bb2.id)
        gone = Werkbon.get_by_id(per_object_april.id)
        links = sorted(o for (o,) in WerkbonObject.select(WerkbonObject.object).where(
            WerkbonObject.werkbon == per_datum_april.id).tuples())
    assert (fresh.status, fresh.status_since) == ("buiten_gebruik", date(2026, 3, 15))
    assert (gone.status, gone.cancel_reason) == ("geannuleerd", "Object BB-002 buiten gebruik")
    assert links == [covered["objecten"][0].id, covered["objecten"][2].id]
    # the March werkbonnen (before the day it takes effect) stay
    assert [s for d, n, s in werkbonnen_of(bb2) if d == "2026-03-01"] == ["open", "open"]
    page = html(planner.get(f"/objecten/{bb2.id}"))
    assert "1 werkbon geannuleerd" in page
    assert "Object BB-002 buiten gebruik" in page  # the history says why


def test_a_stale_confirmation_writes_nothing_and_shows_the_new_effect(planner, covered):
    bb1 = covered["objecten"][0]
    shown = html(planner.post(f"/objecten/{bb1.id}/status",
                              data=status_form(bb1, "verwijderd", "")))
    gevolgen = re.search(r'name="gevolgen" value="([0-9a-f]+)"', shown).group(1)
    with connection():  # a colleague starts one of the werkbonnen meanwhile
        started = Werkbon.get(Werkbon.contract == covered["per_object"].id,
                              Werkbon.due_date == date(2026, 4, 1),
                              Werkbon.slot == f"o{bb1.id}")
        started.status = "onderweg"
        started.save()
    before = state()
    resp = planner.post(f"/objecten/{bb1.id}/status", data=status_form(
        bb1, "verwijderd", "", actie="bevestigen", gevolgen=gevolgen))
    assert resp.status_code == 409
    assert state() == before
    page = html(resp)
    assert 'id="gevolgen-veranderd"' in page
    kept = page[page.index('class="effect-beschermd"'):]
    assert kept.startswith(f'class="effect-beschermd"><li>{started.number}: wo 1 apr 2026')


def test_a_status_change_that_changes_no_werkbon_is_saved_at_once(planner, covered):
    bb5 = covered["objecten"][4]  # on no contract
    resp = planner.post(f"/objecten/{bb5.id}/status", data=status_form(bb5))
    assert resp.status_code == 303
    with connection():
        assert Object.get_by_id(bb5.id).status == "buiten_gebruik"


def test_the_api_patch_of_a_status_replans_at_once(api, covered):
    bb1 = covered["objecten"][0]
    with connection():
        version = Object.get_by_id(bb1.id).version
    resp = api.patch(f"/api/v1/objecten/{bb1.id}", json={
        "version": version, "status": "buiten_gebruik", "status_since": "2026-03-15"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["status"] == "buiten_gebruik"
    with connection():
        april = Werkbon.get(Werkbon.contract == covered["per_object"].id,
                            Werkbon.due_date == date(2026, 4, 1), Werkbon.slot == f"o{bb1.id}")
    assert april.status == "geannuleerd"
    assert [s for d, n, s in werkbonnen_of(bb1) if d < "2026-03-15"] == ["open"] * 6


def next_visits(planner, obj) -> list[tuple[str, str]]:
    page = html(planner.get(f"/objecten/{obj.id}"))
    visits = page[page.index('id="bezoeken-kop"'):page.index('id="contracten-kop"')]
    return re.findall(r'<tr><td class="nowrap"><time datetime="([\d-]+)".*?'
                      r'<a href="/contracten/\d+">([^<]+)</a>', visits, re.S)


def test_next_visits_are_the_werkbonnen_the_worker_then_makes(planner, covered, runner):
    """The object page's next visits are exactly the dates of the werkbonnen listing the
    object that the sweep makes later: BB-003 (only on the per-datum contract) out of use from
    1 June; BB-001's 1 May per object is stood in for by a werkbon changed by hand."""
    bb1, bb3 = covered["objecten"][0], covered["objecten"][2]
    per_object, per_datum = covered["per_object"].number, covered["per_datum"].number
    with connection():
        Object.update(status="buiten_gebruik", status_since=date(2026, 6, 1)).where(
            Object.id == bb3.id).execute()
        Werkbon.update(changed_by_hand=True, stands_for=date(2026, 5, 1)).where(
            Werkbon.contract == covered["per_object"].id, Werkbon.slot == f"o{bb1.id}",
            Werkbon.due_date == date(2026, 4, 1)).execute()
    # 1 April exists already; from 1 June BB-003 is out of use
    assert next_visits(planner, bb3) == [("2026-05-01", per_datum)]
    shown = next_visits(planner, bb1)
    assert shown[:3] == [("2026-05-01", per_datum), ("2026-06-01", per_object),
                         ("2026-06-01", per_datum)]
    generate(runner, "2026-07-15")  # made up to 13 September (60 days ahead)
    for obj, visits in ((bb3, [("2026-05-01", per_datum)]), (bb1, shown)):
        with connection():
            made = [(w.due_date.isoformat(), w.contract.number) for w in
                    Werkbon.select().join(WerkbonObject, on=WerkbonObject.werkbon == Werkbon.id)
                    .where(WerkbonObject.object == obj.id, Werkbon.due_date > date(2026, 4, 1))
                    .order_by(Werkbon.due_date, Werkbon.contract)]
        assert made[:len(visits)] == visits
