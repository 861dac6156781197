"""Two requests at the same moment, for real: two threads, two database connections, the real
locks of SQLite and PostgreSQL.

Each test holds the first request (thread "A") at a point inside its work, after it read what it
will change, runs the second request (thread "B") meanwhile, then lets A finish. Without the
locking under test, B completes during that pause on what A is about to overwrite (or A then
writes on what it read before B), and the test fails; with it, B waits for A and works on A's
result. `hold` wraps one of our own functions to make that pause; nothing is replaced."""

import re
import threading
from datetime import date, timedelta

from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.db.audit import AuditLog
from models.werkbonnen.tables import Werkbon
from tests.conftest import Session, login, make_user

# the wizard's fixture and helpers: the same klant, medewerker and steps
from tests.test_contract_wizard import SCHEMA, fill, start, world  # noqa: F401

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

# How long B gets to run while A is held. Without locking B needs a few milliseconds here; with
# locking it is still waiting when A goes on (SQLite's busy timeout and PostgreSQL wait longer).
B_HEAD_START = 0.5


class Hold:
    """Holds thread A right after its first call of `module.name`, until `release`."""

    def __init__(self, monkeypatch, module, name):
        original = getattr(module, name)
        self.inside, self.release = threading.Event(), threading.Event()

        def held(*args, **kwargs):
            result = original(*args, **kwargs)
            if threading.current_thread().name == "A" and not self.inside.is_set():
                self.inside.set()
                self.release.wait(20)
            return result

        monkeypatch.setattr(module, name, held)


def race(hold: Hold, first, second) -> tuple:
    """Runs `first` in thread A until it is held, `second` in thread B, then lets A go on;
    returns both results (responses), re-raising what a thread raised."""
    results, failures = {}, []

    def run(name, fn):
        try:
            results[name] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    a = threading.Thread(target=run, args=("A", first), name="A")
    a.start()
    assert hold.inside.wait(20), "A never reached the point it is held at"
    b = threading.Thread(target=run, args=("B", second), name="B")
    b.start()
    b.join(B_HEAD_START)
    hold.release.set()
    a.join(30)
    b.join(30)
    assert not a.is_alive() and not b.is_alive(), "a request hung"
    if failures:
        raise failures[0]
    return results["A"], results["B"]


def second_session(app, username="planner1"):
    """Another browser (tab, or a colleague's machine) of an existing user."""
    client = app.test_client()
    return Session(client, login(client, username))


def test_two_autosaves_at_once_keep_both(app, planner, world, monkeypatch):  # noqa: F811
    """Tab A autosaves the agreement while tab B autosaves the werkbon step of the same draft:
    both inputs are kept, neither request writes back the draft as it read it."""
    from models.contracts import drafts

    _, base = start(planner, world)
    other = second_session(app)
    hold = Hold(monkeypatch, drafts, "merge_step")
    resp_a, resp_b = race(
        hold,
        lambda: planner.post(f"{base}/overeenkomst/bewaren", htmx=True,
                             data={"description": "Getypt in tab A"}),
        lambda: other.post(f"{base}/werkbon/bewaren", htmx=True,
                           data={"wb_description": "Getypt in tab B"}))
    assert (resp_a.status_code, resp_b.status_code) == (204, 204)
    with connection():
        values = ContractDraft.select().order_by(ContractDraft.id.desc()).get().values
    assert values.get("description") == "Getypt in tab A"
    assert values.get("wb_description") == "Getypt in tab B"


def test_double_click_on_opslaan_makes_one_contract(app, planner, world, monkeypatch):  # noqa: F811
    """The second click finds the draft used up: one contract, and the second answer sends the
    planner on with a message instead of an error page."""
    from models.contracts import service as contract_service

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    other = second_session(app)
    hold = Hold(monkeypatch, contract_service, "create")
    resp_a, resp_b = race(hold, lambda: planner.post(f"{base}/controle"),
                          lambda: other.post(f"{base}/controle"))
    with connection():
        contracts = list(Contract.select())
        assert ContractDraft.select().count() == 0
    assert len(contracts) == 1
    assert resp_a.status_code == 303
    assert resp_a.headers["Location"].endswith(f"/contracten/{contracts[0].id}")
    assert resp_b.status_code == 303
    follow = other.get(resp_b.headers["Location"]).get_data(as_text=True)
    assert "al opgeslagen of weggegooid" in follow


def _preventive_contract_with_werkbonnen(planner, stamdata, runner) -> tuple[int, list[int]]:
    base = fill(planner, stamdata)
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="1", monthly_mode="dag",
                                             day_of_month="15", days_in_advance="0"))
    assert planner.post(f"{base}/controle").status_code == 303
    with connection():
        contract = Contract.select().get()
    # generation starts today (the real one: the views use it); 70 days ahead makes 2 or 3
    later = date.today() + timedelta(days=70)
    result = runner.invoke(args=["generate", "--today", later.isoformat()])
    assert re.search(r"created=[23] ", result.output), result.output
    with connection():
        ids = [w.id for w in Werkbon.select().where(Werkbon.contract == contract.id)
               .order_by(Werkbon.due_date)]
    return contract.id, ids


def test_werkbon_started_while_an_edit_cancels_it(app, planner, world, runner,  # noqa: F811
                                                  monkeypatch):
    """Planner A saves an end date that cancels a werkbon; at that moment planner B sets it
    "onderweg". Either B's change counts and the werkbon is protected from A's cancel, or A's
    cancel counts and B is told the werkbon is cancelled; never a started werkbon cancelled."""
    from models.stamdata.instellingen import Beeindigingsreden
    from models.werkbonnen import contract_end

    contract_id, ids = _preventive_contract_with_werkbonnen(planner, world, runner)
    target = ids[-1]  # due after the end date below, not started: ending cancels it
    other = second_session(app)
    hold = Hold(monkeypatch, contract_end, "ending_cancels")
    with connection():
        reason = Beeindigingsreden.select().first().code
    end = {"end_date": date.today().isoformat(), "reason": reason, "comment": "",
           "bevestigd": f"{date.today().isoformat()}/{reason}"}  # as the preview's button sends
    resp_a, resp_b = race(
        hold,
        lambda: planner.post(f"/contracten/{contract_id}/beeindigen", data=end),
        lambda: other.client.patch(f"/api/v1/werkbonnen/{target}", json={"status": "onderweg"},
                                   headers=_api_headers(app)))
    assert resp_a.status_code == 303, resp_a.get_data(as_text=True)
    with connection():
        werkbon = Werkbon.get_by_id(target)
        actions = [row.action for row in AuditLog.select().where(
            AuditLog.entity == "werkbon", AuditLog.entity_id == target).order_by(AuditLog.id)]
    if resp_b.status_code == 200:  # B first: started, so A's end left it alone
        assert werkbon.status == "onderweg"
        assert "geannuleerd" not in actions
    else:  # A first: B was judged on the cancelled werkbon
        assert resp_b.status_code == 422, resp_b.get_data(as_text=True)
        assert werkbon.status == "geannuleerd"
        assert "status gewijzigd" not in actions
    # and whichever came first, the history tells one consistent story
    assert not ("geannuleerd" in actions and werkbon.status == "onderweg")


def _api_headers(app):
    from models.stamdata.users import ApiToken

    with connection():
        from models.stamdata.users import User

        user = User.get(User.username == "planner1")
        return {"Authorization": f"Bearer {ApiToken.issue(user)}"}


def test_two_patches_of_one_klant_keep_both_fields(app, world, monkeypatch):  # noqa: F811
    """Two API clients change different fields of one klant at once: both changes stay (each
    request writes only what it changes, judged on the row as it is when it writes)."""
    from models.db import audit

    make_user("planner1", "planner")
    headers = _api_headers(app)
    first, second = app.test_client(), app.test_client()
    hold = Hold(monkeypatch, audit, "diff")
    resp_a, resp_b = race(
        hold,
        lambda: first.patch(f"/api/v1/klanten/{world['klant']}", json={"name": "Bakkerij A"},
                            headers=headers),
        lambda: second.patch(f"/api/v1/klanten/{world['klant']}", json={"city": "Zeist"},
                             headers=headers))
    assert (resp_a.status_code, resp_b.status_code) == (200, 200)
    got = first.get(f"/api/v1/klanten/{world['klant']}", headers=headers).get_json()
    assert (got["name"], got["city"]) == ("Bakkerij A", "Zeist")


def test_werkbon_finished_while_its_contract_is_deleted(app, planner, world, runner,  # noqa: F811
                                                        monkeypatch):
    """Deleting a contract is refused once one of its werkbonnen is afgerond. Finishing one at
    the moment the contract is deleted: either the finish comes first and the delete is refused,
    or the delete comes first and the finish finds no werkbon; never a finished werkbon
    deleted."""
    from models.werkbonnen import contract_end

    contract_id, ids = _preventive_contract_with_werkbonnen(planner, world, runner)
    target = ids[0]
    with connection():  # afgerond is reached through onderweg and in uitvoering
        Werkbon.update(status="in_uitvoering").where(Werkbon.id == target).execute()
    headers = _api_headers(app)
    other = app.test_client()
    hold = Hold(monkeypatch, contract_end, "deletable")
    resp_a, resp_b = race(
        hold,
        lambda: planner.post(f"/contracten/{contract_id}/verwijderen", data={"bevestigd": "1"}),
        lambda: other.patch(f"/api/v1/werkbonnen/{target}", json={"status": "afgerond"},
                            headers=headers))
    assert resp_a.status_code == 303
    with connection():
        contract = Contract.get_or_none(Contract.id == contract_id)
        werkbon = Werkbon.get_or_none(Werkbon.id == target)
    if contract is None:  # the delete came first
        assert werkbon is None
        assert resp_b.status_code == 404, resp_b.get_data(as_text=True)
    else:  # the finish came first, and the delete was refused
        assert resp_b.status_code == 200, resp_b.get_data(as_text=True)
        assert werkbon.status == "afgerond"
