"""The completion date of a werkbon is entered (issue 18: "completing a werkbon (status
afgerond, with its completion date)"): on the werkbon page, in the list and over the API; not in
the future; corrected afterwards, it moves the next werkbon of a floating ("na afronding")
onderdeel in the same transaction, and the planner is told the next date."""

import json
from datetime import date

from models.db import connection
from models.db.audit import AuditLog
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import Werkbon
from tests.test_cadences import FLOATING, contract_data, floating, generate, save

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

MONTHLY_AFTER = [{**FLOATING[1], "interval_after_completion": "P1M"}, FLOATING[0]]


def started(contract_id, due="2026-01-01"):
    """The floating werkbon due on `due`, set to in uitvoering (afgerond comes next)."""
    with connection():
        werkbon = Werkbon.get(Werkbon.contract == contract_id,
                              Werkbon.due_date == date.fromisoformat(due),
                              Werkbon.description == "Halfjaarlijks")
        for status in ("onderweg", "in_uitvoering"):
            werkbon, errors = werkbon_service.change(werkbon, {"status": status}, "test",
                                                     date(2026, 1, 2))
            assert errors == {}
        return werkbon


def change(werkbon_id, data, today):
    with connection():
        return werkbon_service.change(Werkbon.get_by_id(werkbon_id), data, "test",
                                      date.fromisoformat(today))


def next_one(contract_id):
    with connection():
        return Werkbon.get(Werkbon.contract == contract_id,
                           Werkbon.description == "Halfjaarlijks",
                           Werkbon.status.in_(("open", "ingepland")))


def test_a_late_completion_entered_afterwards_counts_from_its_day(app, runner):
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    # entered on 1 March, done on 20 January: the next is due 20 February (overdue, made once)
    saved, errors = change(first.id, {"status": "afgerond", "completed_on": "2026-01-20"},
                           "2026-03-01")
    assert errors == {} and saved.completed_on == date(2026, 1, 20)
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-20", "ingepland")]
    generate(runner, "2026-03-02")
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-20", "ingepland")]


def test_afgerond_without_a_date_is_today(app, runner):
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    saved, errors = change(started(contract.id).id, {"status": "afgerond"}, "2026-01-05")
    assert errors == {} and saved.completed_on == date(2026, 1, 5)
    assert floating(contract.id)[1] == ("2026-02-05", "ingepland")


def test_correcting_the_completion_date_moves_the_next_werkbon(app, runner):
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    change(first.id, {"status": "afgerond"}, "2026-01-05")
    made = next_one(contract.id)
    assert made.due_date == date(2026, 2, 5)
    # it was really done on 20 January (entered on the 25th): the same werkbon moves along
    saved, errors = change(first.id, {"completed_on": "2026-01-20"}, "2026-01-25")
    assert errors == {} and saved.completed_on == date(2026, 1, 20)
    moved = next_one(contract.id)
    assert (moved.id, moved.number, moved.due_date) == (made.id, made.number, date(2026, 2, 20))
    assert moved.medewerker_id == made.medewerker_id
    assert moved.planned_start.date() == date(2026, 2, 20)  # ingepland: its time moves too
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-20", "ingepland")]
    with connection():
        actions = [(a.action, json.loads(a.changes)) for a in AuditLog.select().where(
            AuditLog.entity_id.in_((first.id, made.id))).order_by(AuditLog.id)][-2:]
    assert actions[0] == ("gewijzigd", {"completed_on": ["2026-01-05", "2026-01-20"]})
    assert actions[1][0] == "verplaatst"
    # earlier again (it was the 2nd): pulled forward
    change(first.id, {"completed_on": "2026-01-02"}, "2026-01-25")
    assert next_one(contract.id).due_date == date(2026, 2, 2)


def test_a_next_werkbon_a_person_planned_keeps_its_date(app, runner):
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    change(first.id, {"status": "afgerond"}, "2026-01-05")
    made = next_one(contract.id)
    _w, errors = change(made.id, {"planned_start": "2026-02-06T10:00"}, "2026-01-06")
    assert errors == {}
    change(first.id, {"completed_on": "2026-01-20"}, "2026-01-25")
    assert next_one(contract.id).due_date == date(2026, 2, 5)


def test_bad_completion_dates_get_dutch_errors_and_change_nothing(app, runner):
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    for data, field, message in [
        ({"status": "afgerond", "completed_on": "2026-01-06"}, "completed_on",
         "Afgerond op kan niet in de toekomst liggen."),
        ({"status": "afgerond", "completed_on": "20-01-2026"}, "completed_on",
         "Vul een datum in, bijvoorbeeld 2026-03-10."),
        ({"status": "afgerond", "completed_on": "2026-02-30"}, "completed_on",
         "Deze datum bestaat niet."),
        ({"completed_on": "2026-01-04"}, "completed_on",
         "Een datum van afronding hoort alleen bij een afgeronde werkbon (status afgerond)."),
    ]:
        _w, errors = change(first.id, data, "2026-01-05")
        assert errors == {field: message}
    with connection():
        assert Werkbon.get_by_id(first.id).status == "in_uitvoering"
    change(first.id, {"status": "afgerond"}, "2026-01-05")
    _w, errors = change(first.id, {"completed_on": ""}, "2026-01-06")
    assert errors == {"completed_on": "Vul de datum in waarop de werkbon is afgerond."}
    _w, errors = change(first.id, {"completed_on": "2026-01-07"}, "2026-01-06")
    assert errors == {"completed_on": "Afgerond op kan niet in de toekomst liggen."}
    with connection():
        assert Werkbon.get_by_id(first.id).completed_on == date(2026, 1, 5)


def test_the_api_takes_the_completion_date(app, api, runner):
    app.config["TODAY"] = "2026-01-25"
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    url = f"/api/v1/werkbonnen/{first.id}"
    resp = api.patch(url, json={"status": "afgerond", "completed_on": "2026-01-26"})
    assert resp.status_code == 422
    assert resp.get_json() == {"errors": {
        "completed_on": "Afgerond op kan niet in de toekomst liggen."}}
    resp = api.patch(url, json={"completed_on": 20260120})
    assert resp.status_code == 422 and "completed_on" in resp.get_json()["errors"]
    resp = api.patch(url, json={"status": "afgerond", "completed_on": "2026-01-10"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["completed_on"] == "2026-01-10"
    assert next_one(contract.id).due_date == date(2026, 2, 10)
    resp = api.patch(url, json={"completed_on": "2026-01-20"})
    assert resp.status_code == 200 and resp.get_json()["completed_on"] == "2026-01-20"
    assert next_one(contract.id).due_date == date(2026, 2, 20)


def test_the_werkbon_page_completes_on_a_day_and_says_the_next_date(app, planner, runner):
    app.config["TODAY"] = "2026-01-25"
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    page = planner.get(f"/werkbonnen/{first.id}").get_data(as_text=True)
    assert f'<label for="d{first.id}-afgerond-op">Afgerond op</label>' in page
    assert 'name="completed_on" type="date" max="2026-01-25"' in page
    assert 'value="2026-01-25"' in page  # today by default
    form = {"status": "afgerond", "completed_on": "2026-01-30", "weergave": "detail"}
    resp = planner.post(f"/werkbonnen/{first.id}/status", data=form, htmx=True)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'id="fout-d{first.id}-completed_on" class="veldfout">Afgerond op kan niet in de ' \
           'toekomst liggen.' in html
    assert 'value="2026-01-30"' in html  # what was typed stays
    form["completed_on"] = "2026-01-12"
    resp = planner.post(f"/werkbonnen/{first.id}/status", data=form, htmx=True)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "Afgerond op 12 januari 2026: de volgende werkbon van Onderhoud staat nu op " \
           "12 februari 2026." in html
    assert 'id="werkbon-afgerond-op">ma 12 jan 2026<' in html
    # corrected afterwards, from the list (no script): the next moves, the planner is told
    resp = planner.post(f"/werkbonnen/{first.id}/afgerond-op",
                        data={"completed_on": "2026-01-19", "weergave": "rij",
                              "terug": "/werkbonnen/"})
    assert resp.status_code == 303
    html = planner.get("/werkbonnen/").get_data(as_text=True)
    assert "Afgerond op 19 januari 2026: de volgende werkbon van Onderhoud staat nu op " \
           "19 februari 2026." in html
    assert next_one(contract.id).due_date == date(2026, 2, 19)
    # the werkbon's history says the correction in Dutch dates, not ISO
    history = planner.get(f"/werkbonnen/{first.id}").get_data(as_text=True)
    assert "Afgerond op: ma 12 jan 2026 → ma 19 jan 2026" in history
    assert "2026-01-19 " not in history and "→ 2026-01-19" not in history
    # and from the list with htmx: the row, and the notice out of band
    resp = planner.post(f"/werkbonnen/{first.id}/afgerond-op",
                        data={"completed_on": "2026-01-21", "weergave": "rij",
                              "terug": "/werkbonnen/"}, htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and 'id="meldingen"' in html and 'hx-swap-oob="true"' in html
    assert "staat nu op 21 februari 2026." in html


def test_reopening_a_completed_werkbon_takes_its_next_one_back(app, runner):
    """Issue 18: "reopening or cancelling it recalculates". Afgerond by mistake: the werkbon
    goes back to in uitvoering, its completion date goes, and the next werkbon it brought is
    cancelled (the chain waits for it again); completing it again makes the next one anew."""
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    change(first.id, {"status": "afgerond", "completed_on": "2026-01-05"}, "2026-01-05")
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-05", "ingepland")]
    saved, errors = change(first.id, {"status": "in_uitvoering"}, "2026-01-06")
    assert errors == {} and saved.status == "in_uitvoering" and saved.completed_on is None
    assert floating(contract.id) == [("2026-01-01", "in_uitvoering"),
                                     ("2026-02-05", "geannuleerd")]
    with connection():
        actions = [row.action for row in AuditLog.select().where(
            AuditLog.entity == "werkbon", AuditLog.entity_id == first.id)]
    assert "heropend" in actions
    generate(runner, "2026-01-07")  # the sweep does not bring it back while it waits
    assert floating(contract.id)[1] == ("2026-02-05", "geannuleerd")
    saved, errors = change(first.id, {"status": "afgerond", "completed_on": "2026-01-09"},
                           "2026-01-09")
    assert errors == {}
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-05", "geannuleerd"),
                                     ("2026-02-09", "ingepland")]
    # afgerond goes back to in uitvoering only: not straight to open or geannuleerd
    saved, errors = change(first.id, {"status": "open"}, "2026-01-10")
    assert errors == {"status": "Een werkbon met status afgerond kan niet naar open."}


def test_reopening_keeps_a_next_werkbon_a_person_changed(app, planner, runner):
    app.config["TODAY"] = "2026-01-06"
    contract = save(contract_data(MONTHLY_AFTER, lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    first = started(contract.id)
    change(first.id, {"status": "afgerond", "completed_on": "2026-01-05"}, "2026-01-05")
    made = next_one(contract.id)
    change(made.id, {"medewerker_id": None}, "2026-01-05")  # a person touched it
    page = planner.get(f"/werkbonnen/{first.id}").get_data(as_text=True)
    assert "<option value=\"in_uitvoering\">In uitvoering (heropenen)</option>" in page
    resp = planner.post(f"/werkbonnen/{first.id}/status",
                        data={"status": "in_uitvoering", "weergave": "detail"}, htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200, html
    assert ("Heropend: de volgende werkbon van Onderhoud op 5 februari 2026 blijft staan "
            "(met de hand gewijzigd).") in html
    assert next_one(contract.id).id == made.id
