"""The pages that read a contract's coming dates read all its onderdelen together (issue 18),
not only the highest-ranked one's rule: the contract page's generation status and next date,
an object's next visits, and Controle's "Volgende datums" line."""

from datetime import date

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.contracts.changes import edit_changes
from models.contracts.tables import Contract
from models.db import connection
from models.objecten.tables import Object
from models.werkbonnen import object_history
from models.werkbonnen.tables import Werkbon, WerkbonObject
from tests.objecten_data import contract_data as object_contract_data
from tests.objecten_data import klant_with_objecten
from tests.test_cadences import MONTHLY, ONDERDELEN, YEARLY_OCTOBER, contract_data, generate, save

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TWO = [{"name": "Controle", "rank": 1, "rrule": MONTHLY},
       {"name": "Groot onderhoud", "rank": 2, "rrule": YEARLY_OCTOBER}]


def test_the_contract_page_status_and_next_date_count_every_onderdeel(app, runner):
    """The highest-ranked onderdeel (groot onderhoud, October) is far off; the kleine beurt
    and the controle are not: their dates decide whether werkbonnen still have to be made."""
    from views.contracten.pages import next_date, progress

    contract = save(contract_data(ONDERDELEN, lead=14))
    with app.test_request_context(), connection():
        stored = Contract.get_by_id(contract.id)
        # nothing made yet, 1 January (kleine beurt) is due: not "klaar"
        assert progress(stored, date(2026, 1, 10), {})["state"] != "klaar"
        assert next_date(stored, {}, date(2026, 1, 10)).date == date(2026, 2, 1)
    generate(runner, "2026-03-15")  # made up to 29 March
    with app.test_request_context(), connection():
        stored = Contract.get_by_id(contract.id)
        shown = progress(stored, date(2026, 3, 15), {})
        assert shown["state"] == "klaar" and shown["next"].date == date(2026, 4, 1)
        # October: the controle falls away for the groot onderhoud
        assert next_date(stored, {}, date(2026, 9, 20)).date == date(2026, 10, 15)


def test_a_floating_next_visit_due_and_not_made_is_waited_for(app, runner):
    from tests.test_cadences import FLOATING, complete
    from views.contracten.pages import progress

    contract = save(contract_data(FLOATING, lead=14), known_since="2025-12-01")
    generate(runner, "2026-01-01")
    complete(contract.id, "2026-01-01", "2026-02-10")  # the next is due 10 August
    generate(runner, "2026-07-20")  # made up to 3 August (the controle of 1 July)
    with app.test_request_context(), connection():
        stored = Contract.get_by_id(contract.id)
        shown = progress(stored, date(2026, 7, 20), {})
        assert shown["state"] == "klaar" and shown["next"].date == date(2026, 8, 10)
        # 28 July: the floating 10 August is due (14 days ahead) but the worker has not run;
        # the controle's next (1 September) is not
        assert progress(stored, date(2026, 7, 28), {})["state"] != "klaar"


def test_an_objects_next_visits_are_those_of_every_onderdeel(app, runner):
    _klant, _places, objecten = klant_with_objecten()
    data = object_contract_data(_klant, objecten[:2], per="object")
    data["onderdelen"] = TWO
    with connection():
        values, errors = contract_checks.check(data)
        assert errors == {}
        contract = contract_service.create(values, "test", date(2026, 1, 1))
    bb1 = objecten[0]
    with connection():
        stored = Contract.get_by_id(contract.id)
        shown = [v.date.isoformat() for v in object_history.next_visits(
            Object.get_by_id(bb1.id), [stored], {}, date(2026, 2, 15), count=10)]
    assert shown == [d for d in (
        "2026-03-01", "2026-04-01", "2026-05-01", "2026-06-01", "2026-07-01", "2026-08-01",
        "2026-09-01", "2026-10-15", "2026-11-01", "2026-12-01")]
    generate(runner, "2026-12-01")  # what the worker then makes for BB-001
    with connection():
        made = [w.due_date.isoformat() for w in Werkbon.select().join(
            WerkbonObject, on=WerkbonObject.werkbon == Werkbon.id).where(
            WerkbonObject.object == bb1.id, Werkbon.due_date >= date(2026, 3, 1))
            .order_by(Werkbon.due_date)]
    assert made == shown


def test_controle_says_the_dates_change_when_a_lower_onderdeel_changes(app, runner):
    contract = save(contract_data(TWO))
    with connection():
        current = Contract.get_by_id(contract.id)
        data = contract_service.serialise(current, date(2026, 3, 15))
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        data["onderdelen"] = [dict(o) for o in data["onderdelen"]]
        for part in data["onderdelen"]:
            part.pop("description")
            if part["name"] == "Controle":
                part["rrule"] = "FREQ=MONTHLY;BYMONTHDAY=5"  # only the lower one changes
        values, errors = contract_checks.check(data, current)
        assert not errors, errors
        shown = edit_changes(current, contract_service.edited(current, values),
                             date(2026, 3, 15))
    assert shown["dates_change"] is True
    line = next(c for c in shown["changed"] if c[0] == "Volgende datums")
    assert [d for d, _gone in line[1]] == ["wo 1 apr 2026", "vr 1 mei 2026", "ma 1 jun 2026",
                                           "wo 1 jul 2026", "za 1 aug 2026"]
    assert [d for d, _new in line[2]][0] == "zo 5 apr 2026"
