"""Generation: the pure planner (tables) and the writer, through the CLI and the real worker."""

from datetime import date, timedelta

import pytest

from models.schedule.definition import Occurrence
from models.werkbonnen.plan import Existing, plan_changes, protection


def occ(day: str, lead: int = 0) -> Occurrence:
    d = date.fromisoformat(day)
    return Occurrence(d, d - timedelta(days=lead))


TODAY = date(2026, 3, 1)


@pytest.mark.parametrize("wanted, existing, expect", [
    # nothing exists: create what is due by today (generate_on <= today)
    (["2026-03-01", "2026-03-15"], [], {"create": ["2026-03-01"]}),
    # exists already: nothing
    (["2026-03-01"], [("2026-03-01", "open", False)], {}),
    # schedule moved the date: the unprotected werkbon moves
    (["2026-03-03"], [("2026-03-01", "open", False)], {"move": [("2026-03-01", "2026-03-03")]}),
    # date gone and no nearby replacement: cancelled
    (["2026-05-01"], [("2026-03-01", "ingepland", False)], {"cancel": ["2026-03-01"]}),
    # protected: started, done, changed by hand
    ([], [("2026-03-01", "onderweg", False)], {"protected": ["2026-03-01"]}),
    ([], [("2026-03-01", "afgerond", False)], {"protected": ["2026-03-01"]}),
    ([], [("2026-03-01", "ingepland", True)], {"protected": ["2026-03-01"]}),
    # a date back in the schedule reopens a werkbon the recalculation cancelled
    (["2026-03-01"], [("2026-03-01", "geannuleerd", False)], {"reopen": ["2026-03-01"]}),
    # ...but one a person cancelled stays cancelled and is reported as skipped
    (["2026-03-01"], [("2026-03-01", "geannuleerd", True)], {"skipped": ["2026-03-01"]}),
    # one moved, one cancelled, one protected
    (["2026-03-02"], [("2026-03-01", "open", False), ("2026-06-01", "open", False),
                      ("2026-04-01", "ingepland", True)],
     {"move": [("2026-03-01", "2026-03-02")], "cancel": ["2026-06-01"],
      "protected": ["2026-04-01"]}),
    # a protected werkbon stays, and is the visit of the nearest new date: no second werkbon
    (["2026-03-02"], [("2026-03-01", "ingepland", True)], {"protected": ["2026-03-01"]}),
    (["2026-02-20"], [("2026-03-01", "afgerond", False)], {"protected": ["2026-03-01"]}),
    # closest pairs first: the unprotected one 1 day away moves, the protected one 30 days
    # away does not take that date from it
    (["2026-03-02", "2026-03-31"], [("2026-03-01", "open", False),
                                    ("2026-04-01", "ingepland", True)],
     {"move": [("2026-03-01", "2026-03-02")], "protected": ["2026-04-01"]}),
    # too far away (more than 31 days): the new date gets its own werkbon
    (["2026-01-20"], [("2026-03-01", "ingepland", True)],
     {"create": ["2026-01-20"], "protected": ["2026-03-01"]}),
])
def test_plan_changes(wanted, existing, expect):
    rows = [Existing(i + 1, date.fromisoformat(d), s, hand)
            for i, (d, s, hand) in enumerate(existing)]
    plan = plan_changes([occ(d) for d in wanted], rows, TODAY)
    got = {
        "create": [o.date.isoformat() for o in plan.create],
        "move": [(w.due_date.isoformat(), o.date.isoformat()) for w, o in plan.move],
        "cancel": [w.due_date.isoformat() for w in plan.cancel],
        "protected": [w.due_date.isoformat() for w, _ in plan.protected],
        "reopen": [w.due_date.isoformat() for w, _ in plan.reopen],
        "skipped": [w.due_date.isoformat() for w in plan.skipped],
    }
    assert {k: v for k, v in got.items() if v} == expect


def test_protection_reasons():
    assert protection(Existing(1, TODAY, "afgerond")) == "afgerond"
    assert protection(Existing(1, TODAY, "in_uitvoering")) == "al gestart"
    assert protection(Existing(1, TODAY, "open", True)) == "met de hand gewijzigd"
    assert protection(Existing(1, TODAY, "open")) is None


# --------------------------------------------------------------------------- writer, for real

from models.contracts import checks as contract_checks  # noqa: E402
from models.contracts import service as contract_service  # noqa: E402
from models.contracts.tables import Contract  # noqa: E402
from models.db import connection  # noqa: E402
from models.stamdata.klanten import Klant  # noqa: E402
from models.stamdata.medewerkers import Medewerker  # noqa: E402
from models.werkbonnen.tables import GenerationRun, Werkbon  # noqa: E402
from tests.conftest import login, make_user  # noqa: E402

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=31", start="2026-01-01", end=None, lead=30,
                  medewerker=False, known_since=None, **schedule):
    """A saved contract, as the wizard/API would save it (created 'today' = known_since)."""
    with connection():
        klant = Klant.get_or_none(Klant.customer_number == "D-1") or Klant.create(
            customer_number="D-1", name="Bakkerij Jansen")
        mw = None
        if medewerker:
            mw = Medewerker.get_or_none(Medewerker.personnel_number == "P-1") or \
                Medewerker.create(personnel_number="P-1", name="Jeroen")
        data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
                "start_date": start, "end_date": end, "days_in_advance": lead,
                "schedule": {"rrule": rrule, **schedule},
                "werkbon": {"start_time": "08:30", "duration_minutes": 90,
                            "medewerker_id": mw.id if mw else None}}
        values, errors = contract_checks.check(data)
        assert errors == {}
        created = date.fromisoformat(known_since or start)
        return contract_service.create(values, "test", created)


def generate(runner, today, contract=None):
    args = ["generate", "--today", today] + (["--contract", str(contract)] if contract else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output.strip()


def due_dates(contract_id=None):
    with connection():
        query = Werkbon.select().order_by(Werkbon.due_date)
        if contract_id:
            query = query.where(Werkbon.contract == contract_id)
        return [w.due_date.isoformat() for w in query]


def test_generation_day_boundary(app, runner):
    # 31 August with 30 days in advance is created on 1 August.
    make_contract(start="2026-08-01")
    assert generate(runner, "2026-07-31") == "created=0 moved=0 cancelled=0"
    assert generate(runner, "2026-08-01") == "created=1 moved=0 cancelled=0"
    assert due_dates() == ["2026-08-31"]
    with connection():
        w = Werkbon.get()
    assert w.generated_on == date(2026, 8, 1) and w.status == "open" and w.medewerker_id is None
    assert w.number == "W-2026-000001"


def test_rerun_is_a_noop(app, runner):
    make_contract(start="2026-01-01")
    # strict RFC: no 31 February; 31 March is created on 1 March; 31 May not yet
    assert generate(runner, "2026-03-15") == "created=2 moved=0 cancelled=0"
    assert due_dates() == ["2026-01-31", "2026-03-31"]
    with connection():
        before = [(w.id, w.number, w.updated_at) for w in Werkbon.select().order_by(Werkbon.id)]
    assert generate(runner, "2026-03-15") == "created=0 moved=0 cancelled=0"
    with connection():
        after = [(w.id, w.number, w.updated_at) for w in Werkbon.select().order_by(Werkbon.id)]
    assert before == after


def test_medewerker_plans_on_the_due_date(app, runner):
    make_contract(rrule="FREQ=WEEKLY;BYDAY=TU", start="2026-03-02", lead=0, medewerker=True)
    generate(runner, "2026-03-03")
    with connection():
        w = Werkbon.get()
    assert w.status == "ingepland" and w.planned_start.isoformat() == "2026-03-03T08:30:00"
    assert w.duration_minutes == 90


def test_a_medewerker_who_left_gets_no_new_werkbonnen(app, runner, planner):
    """Deactivated, yet the sweep kept planning new werkbonnen for them: invisible in 'nog in
    te plannen' and on the dashboard. They now wait there, unplanned; the deactivation says
    what the medewerker still has."""
    contract = make_contract(rrule="FREQ=WEEKLY;BYDAY=TU", start="2026-03-02", lead=0,
                             medewerker=True)
    generate(runner, "2026-03-03")
    with connection():
        mw = Medewerker.get()
    resp = planner.post(f"/medewerkers/{mw.id}/actief", data={"actief": "0"},
                        follow_redirects=True)
    assert ("Jeroen staat nog op 1 contract en 1 werkbon die niet af zijn."
            in resp.get_data(as_text=True))
    generate(runner, "2026-03-10")
    with connection():
        first, second = Werkbon.select().where(Werkbon.contract == contract.id).order_by(
            Werkbon.due_date)
    assert (first.status, first.medewerker_id) == ("ingepland", mw.id)  # made before: stays
    assert (second.status, second.medewerker_id, second.planned_start) == ("open", None, None)


def test_end_date_stops_generation(app, runner):
    make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-01-01", end="2026-03-31", lead=0)
    assert generate(runner, "2027-01-01") == "created=3 moved=0 cancelled=0"
    assert due_dates() == ["2026-01-01", "2026-02-01", "2026-03-01"]
    with connection():
        assert Contract.get().next_attention is None  # never looked at again


def test_catch_up_after_400_days(app, runner):
    contract = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=15", start="2025-01-01", lead=14,
                             known_since="2025-01-01")
    output = generate(runner, "2026-02-05")  # 400 days later, nothing ran in between
    expected = [f"{y}-{m:02d}-15" for y, m in [(2025, i) for i in range(1, 13)] + [(2026, 1),
                                                                                  (2026, 2)]]
    assert due_dates(contract.id) == expected  # overdue ones too, and Feb 15 (due in 10 days)
    assert output == f"created={len(expected)} moved=0 cancelled=0"
    with connection():
        fresh = Contract.get_by_id(contract.id)
    assert fresh.next_attention == date(2026, 3, 1)  # 15 March - 14 days


def test_sweep_reads_only_due_contracts(app, runner):
    make_contract(rrule="FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1", start="2026-01-01", lead=0)
    generate(runner, "2026-01-01")
    with connection():
        run = GenerationRun.select().order_by(GenerationRun.id.desc()).get()
        assert run.contracts_seen == 1  # first time: next_attention was set on save
    generate(runner, "2026-06-01")
    with connection():
        run = GenerationRun.select().order_by(GenerationRun.id.desc()).get()
    assert run.contracts_seen == 0  # its next attention is 1 December


def test_edit_moves_cancels_and_protects(app, runner):
    from models.werkbonnen.replan import save_edit

    contract = make_contract(rrule="FREQ=WEEKLY;BYDAY=MO", start="2026-03-02", lead=21)
    generate(runner, "2026-03-02")
    assert due_dates() == ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23"]
    with connection():
        hand = Werkbon.get(Werkbon.due_date == date(2026, 3, 16))
        hand.changed_by_hand = True
        hand.save()
        data = contract_service.serialise(contract, date(2026, 3, 2))
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        data["schedule"]["rrule"] = "FREQ=WEEKLY;BYDAY=TU"
        values, errors = contract_checks.check(data, contract)
        assert not errors
        with app.test_request_context():
            save_edit(contract, values, 1, "planner", date(2026, 3, 4))
        rows = {w.due_date.isoformat(): (w.status, w.changed_by_hand)
                for w in Werkbon.select()}
    # history (2 March) stays; 9 and 23 March move to Tuesday; 16 March is protected and kept,
    # and it still is that week's visit: Tuesday 17 March gets no second werkbon (it did, and
    # that week had two visits).
    assert rows["2026-03-02"] == ("open", False)
    assert rows["2026-03-10"][0] == "open" and rows["2026-03-24"][0] == "open"
    assert rows["2026-03-16"] == ("open", True)
    assert "2026-03-17" not in rows
    assert "2026-03-09" not in rows and "2026-03-23" not in rows
    assert generate(runner, "2026-03-04") == "created=0 moved=0 cancelled=0"


def test_worker_runs_the_sweep(app, redis_conn, monkeypatch):
    from rq import Queue, SimpleWorker

    from jobs.connection import QUEUE

    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    make_contract(start="2026-01-01")
    queue = Queue(QUEUE, connection=redis_conn)
    job = queue.enqueue("jobs.tasks.materialise_due", "2026-03-15")
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    assert job.return_value() == {"created": 2, "moved": 0, "cancelled": 0, "contracts": 1,
                                  "shares": 0}  # one worker: nobody to share the sweep with
    assert due_dates() == ["2026-01-31", "2026-03-31"]


def test_sweep_generates_past_the_end_date_of_renewing_terms(app, runner):
    from models.stamdata.instellingen import Contractvoorwaarden

    renewing = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-01-01",
                             end="2026-03-31", lead=0)
    fixed = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-01-01",
                          end="2026-03-31", lead=0)
    with connection():
        for contract, code, renews in ((renewing, "T-VERLENGD", True), (fixed, "T-VAST", False)):
            terms = Contractvoorwaarden.create(code=code, name=code, duration_months=3,
                                               auto_renew=renews)
            Contract.update(voorwaarden=terms).where(Contract.id == contract.id).execute()
    assert generate(runner, "2026-05-15") == "created=8 moved=0 cancelled=0"
    assert due_dates(renewing.id) == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01",
                                      "2026-05-01"]
    assert due_dates(fixed.id) == ["2026-01-01", "2026-02-01", "2026-03-01"]
    with connection():
        assert Contract.get_by_id(renewing.id).next_attention == date(2026, 6, 1)
        assert Contract.get_by_id(fixed.id).next_attention is None


@pytest.mark.sqlite_only  # SQLite's own machinery: not run on PostgreSQL
def test_sweep_checkpoints_once_and_restores_the_connection(app, monkeypatch):
    """The sweep turns SQLite's automatic checkpoints off on its own connection while its
    batches commit (copying the log back once at the end), writes with a larger page cache,
    and leaves both settings as they were."""
    from models.db import db
    from models.werkbonnen import materialise

    monkeypatch.setattr(materialise, "BATCH", 2)  # several batches, several commits
    for start in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"):
        make_contract(rrule="FREQ=WEEKLY", start=start, lead=0)
    seen = []
    write = materialise._write

    def watched(*args, **kwargs):  # the page cache while the sweep writes (models.db)
        seen.append(db.execute_sql("PRAGMA cache_size").fetchone()[0])
        return write(*args, **kwargs)

    monkeypatch.setattr(materialise, "_write", watched)
    with connection():
        db.execute_sql("PRAGMA wal_autocheckpoint = 777")
        db.execute_sql("PRAGMA cache_size = -3000")
        counts = materialise.sweep(date(2026, 3, 1), frozenset())
        assert db.execute_sql("PRAGMA wal_autocheckpoint").fetchone()[0] == 777
        assert db.execute_sql("PRAGMA cache_size").fetchone()[0] == -3000
        db.execute_sql("PRAGMA wal_autocheckpoint = 1000")
        db.execute_sql("PRAGMA cache_size = -2000")
    from models.db import SWEEP_CACHE_KIB

    assert seen and set(seen) == {-SWEEP_CACHE_KIB}
    assert counts.created == len(due_dates()) == 4 * 9 + 8  # weekly up to 1 March


def test_sweep_loads_contracts_like_peewee_does(app, runner):
    """materialise._load_contracts builds contracts from plain tuples; every field it fills
    must equal what Peewee's own row processing makes of the same query."""
    from models.contracts.tables import Contract
    from models.werkbonnen import materialise

    make_contract(start="2026-01-05", end="2026-12-31", lead=7, medewerker=True)
    make_contract(rrule="FREQ=WEEKLY;BYDAY=MO,TH", start="2026-02-02", lead=0)
    from models.stamdata.instellingen import Contractvoorwaarden

    with connection():
        voorwaarden = Contractvoorwaarden.select().first()
        Contract.update(voorwaarden=voorwaarden.id, extra_dates='["2026-03-03"]').where(
            Contract.id == 1).execute()
        query = materialise._due_contracts().order_by(Contract.id)
        ours = materialise._load_contracts(query)
        theirs = list(query.clone())
        assert len(ours) == len(theirs) == 2
        for mine, peewee in zip(ours, theirs, strict=True):
            assert mine.__data__ == {k: v for k, v in peewee.__data__.items()
                                     if k in mine.__data__}
            assert set(mine.__data__) == {f.name for f in materialise._SWEPT}
            assert mine.renews == peewee.renews and mine.schedule() == peewee.schedule()
            assert not mine._dirty
        assert ours[0].voorwaarden.auto_renew == voorwaarden.auto_renew
        assert ours[0].start_date == date(2026, 1, 5) and ours[0].dates("extra_dates") == (
            date(2026, 3, 3),)


def test_a_protected_werkbon_says_which_new_date_it_stands_in_for():
    """What the Controle step lists under 'Blijven zoals ze zijn'."""
    plan = plan_changes([occ("2026-12-09")],
                        [Existing(1, date(2026, 12, 8), "ingepland", True, None, "W-1")],
                        date(2026, 12, 1))
    assert plan.create == [] and plan.move == []
    assert plan.protected[0][1] == "met de hand gewijzigd; telt als het bezoek van wo 9 dec 2026"


def stand_in_plan(wanted, existing, end=None):
    """plan_changes with Existing rows (id, due, status, by hand, stands_for)."""
    rows = [Existing(i + 1, date.fromisoformat(d), s, hand, None, f"W-{i + 1}",
                     date.fromisoformat(stands) if stands else None)
            for i, (d, s, hand, stands) in enumerate(existing)]
    return plan_changes([occ(d) for d in wanted], rows, TODAY,
                        date.fromisoformat(end) if end else None)


def test_a_stand_in_is_remembered_and_kept_while_its_date_is_free():
    # first time: the protected werkbon pairs with the nearest date, and that is written down
    plan = stand_in_plan(["2026-03-02", "2026-03-10"], [("2026-03-01", "ingepland", True, None)])
    assert [(w.id, d) for w, d in plan.stand_in] == [(1, date(2026, 3, 2))]
    assert [o.date for o in plan.create] == []  # 2 March is that visit; 10 March not due yet
    # later: it keeps the date it stands in for, though another free date is now nearer
    plan = stand_in_plan(["2026-02-28", "2026-03-02"],
                         [("2026-03-01", "ingepland", True, "2026-03-02")])
    assert plan.stand_in == [] and [o.date for o in plan.create] == [date(2026, 2, 28)]
    # its date left the schedule: it pairs anew; none near: it counts for nothing any more
    plan = stand_in_plan(["2026-03-03"], [("2026-03-01", "ingepland", True, "2026-03-02")])
    assert [d for _w, d in plan.stand_in] == [date(2026, 3, 3)]
    plan = stand_in_plan(["2026-06-03"], [("2026-03-01", "ingepland", True, "2026-03-02")])
    assert [d for _w, d in plan.stand_in] == [None]
    # the schedule has its own date again: the werkbon is that date's visit, nothing else
    plan = stand_in_plan(["2026-03-01"], [("2026-03-01", "ingepland", True, "2026-03-02")])
    assert [d for _w, d in plan.stand_in] == [None] and plan.create == []


def test_a_stand_in_cancelled_by_hand_keeps_its_date_skipped():
    plan = stand_in_plan(["2026-03-02"], [("2026-03-01", "geannuleerd", True, "2026-03-02")])
    assert plan.create == [] and [w.id for w in plan.skipped] == [1]


def test_an_edit_that_ends_earlier_cancels_hand_changed_werkbonnen_after_the_end():
    """As Beëindigen does: the contract no longer covers them. Started ones stay."""
    plan = stand_in_plan(["2026-03-02"], [("2026-03-02", "ingepland", False, None),
                                          ("2026-04-06", "ingepland", True, None),
                                          ("2026-04-13", "onderweg", True, None)],
                         end="2026-03-31")
    assert [w.due_date for w in plan.cancel] == [date(2026, 4, 6)]
    assert [w.due_date for w, _why in plan.protected] == [date(2026, 4, 13)]


def edit(app, contract, today: str, **changes):
    """Save an edit the way the Controle step does (models.werkbonnen.replan.save_edit)."""
    from models.contracts.tables import Contract
    from models.werkbonnen.replan import save_edit

    with connection():
        contract = Contract.get_by_id(contract.id)
        data = contract_service.serialise(contract, date.fromisoformat(today))
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        schedule = changes.pop("schedule", {})
        data["schedule"].update(schedule)
        data.update(changes)
        values, errors = contract_checks.check(data, contract)
        assert not errors, errors
        with app.test_request_context():
            save_edit(contract, values, contract.version, "planner",
                        date.fromisoformat(today))


def test_the_worker_later_makes_no_werkbon_for_a_date_a_protected_one_stands_in_for(app, runner):
    """Controle said "telt als het bezoek van wo 16 dec"; the save kept that promise only for
    dates already due, and the worker made 16 December a week later: two visits."""
    contract = make_contract(rrule="FREQ=WEEKLY;BYDAY=TU", start="2026-12-01", end="2027-06-30",
                             lead=30, known_since="2026-11-27")
    assert generate(runner, "2026-11-27") == "created=4 moved=0 cancelled=0"
    with connection():
        Werkbon.update(changed_by_hand=True).where(
            Werkbon.due_date == date(2026, 12, 15)).execute()
    edit(app, contract, "2026-11-27", days_in_advance=7,
         schedule={"rrule": "FREQ=WEEKLY;BYDAY=WE"})
    with connection():
        kept = Werkbon.get(Werkbon.due_date == date(2026, 12, 15))
    assert kept.stands_for == date(2026, 12, 16) and kept.status == "open"
    make_user("planner1", "planner")
    client = app.test_client()
    login(client, "planner1")
    page = client.get(f"/werkbonnen/{kept.id}").get_data(as_text=True)
    assert "Telt als bezoek van" in page and 'datetime="2026-12-16"' in page
    generate(runner, "2026-12-09")  # 16 December's generation day has come
    generate(runner, "2027-01-20")
    days = due_dates()
    assert "2026-12-16" not in days and "2026-12-15" in days
    assert days.count("2026-12-23") == 1 and "2026-12-22" not in days
    # a second edit keeps the pair; the werkbon cancelled by hand then is that visit cancelled
    edit(app, contract, "2027-01-20", description="Onderhoud en controle")
    with connection():
        assert Werkbon.get_by_id(kept.id).stands_for == date(2026, 12, 16)
    assert generate(runner, "2027-01-21") == "created=0 moved=0 cancelled=0"


def test_an_edit_moving_the_start_later_clears_the_werkbonnen_before_it(app, runner):
    contract = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-12-01", lead=60,
                             medewerker=True, known_since="2026-11-27")
    generate(runner, "2026-11-27")
    assert due_dates() == ["2026-12-01", "2027-01-01"]
    edit(app, contract, "2026-11-27", start_date="2027-02-20")
    with connection():
        left = {w.due_date.isoformat(): w.status for w in Werkbon.select()}
    assert left == {"2026-12-01": "geannuleerd", "2027-01-01": "geannuleerd"}


def test_an_edit_ending_earlier_cancels_hand_changed_werkbonnen_after_the_end(app, runner):
    contract = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-12-01", lead=200,
                             medewerker=True, known_since="2026-11-27")
    generate(runner, "2026-11-27")
    with connection():
        Werkbon.update(changed_by_hand=True).where(
            Werkbon.due_date == date(2027, 5, 1)).execute()
    edit(app, contract, "2026-11-27", end_date="2027-03-31")
    with connection():
        after = {w.due_date.isoformat(): w.status for w in Werkbon.select()
                 if w.due_date > date(2027, 3, 31)}
    assert after and set(after.values()) == {"geannuleerd"}, after


def test_one_broken_contract_does_not_stop_the_sweep_for_the_others(app, runner):
    """A contract whose stored rule no longer parses (changed outside Cadans, or let through by
    an older version) made the whole sweep fail: no contract got its werkbonnen."""
    from models.contracts.tables import Contract

    good = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-01-01", lead=0)
    broken = make_contract(rrule="FREQ=MONTHLY;BYMONTHDAY=2", start="2026-01-01", lead=0)
    with connection():
        Contract.update(rrule="FREQ=BOGUS").where(Contract.id == broken.id).execute()
    assert generate(runner, "2026-03-05") == "created=3 moved=0 cancelled=0"
    assert due_dates(good.id) == ["2026-01-01", "2026-02-01", "2026-03-01"]
    with connection():
        run = GenerationRun.select().order_by(GenerationRun.id.desc()).get()
        assert run.finished_at is not None and broken.number in run.error
        # it stays due, so every run tries again (and says so)
        assert Contract.get_by_id(broken.id).next_attention <= date(2026, 3, 5)
    assert generate(runner, "2026-03-06") == "created=0 moved=0 cancelled=0"


def test_contracts_sharing_an_expansion_each_get_their_own_schedule(app):
    """A sweep expands each distinct schedule of a batch once and lets contracts with the same
    schedule columns and period share it (materialise._expanded). Contracts that differ from
    the first in one column each (end date, renewing terms, skipped, extra, spread dates,
    holiday and weekend policy, lead time, start) must still get exactly their own
    schedule's dates, as the engine expands it for that contract alone."""
    from models.contracts.tables import Contract
    from models.schedule.expand import occurrences_between
    from models.stamdata import calendar_store
    from models.stamdata.instellingen import Contractvoorwaarden
    from models.werkbonnen import materialise
    from models.werkbonnen.plan import horizon

    rule = "FREQ=MONTHLY;BYMONTHDAY=1"
    same = [make_contract(rrule=rule, lead=0) for _ in range(2)]  # these two share one
    ended = make_contract(rrule=rule, end="2026-03-31", lead=0)
    renewing = make_contract(rrule=rule, end="2026-03-31", lead=0)
    skipped = make_contract(rrule=rule, lead=0)
    extra = make_contract(rrule=rule, lead=0)
    spread = make_contract(rrule=rule, lead=0)
    holidays = make_contract(rrule=rule, lead=0, holidays="next_workday")
    weekends = make_contract(rrule=rule, lead=0, weekends="next_workday")
    lead = make_contract(rrule=rule, lead=20)
    later = make_contract(rrule=rule, start="2026-01-02", known_since="2026-01-01", lead=0)
    today = date(2026, 5, 15)
    with connection():
        terms = Contractvoorwaarden.create(code="T-VERLENGD", name="Verlengd",
                                           duration_months=3, auto_renew=True)
        Contract.update(voorwaarden=terms).where(Contract.id == renewing.id).execute()
        Contract.update(skip_dates='["2026-02-01"]').where(Contract.id == skipped.id).execute()
        Contract.update(extra_dates='["2026-02-10"]').where(Contract.id == extra.id).execute()
        Contract.update(visits_per_year=5, extra_dates='["2026-03-20"]').where(
            Contract.id == spread.id).execute()
        free_days = calendar_store.free_days()
        counts = materialise.sweep(today, free_days)
        wanted = {}
        for contract in Contract.select().order_by(Contract.id):
            schedule = contract.schedule()
            low = max(contract.start_date, contract.generate_from)
            wanted[contract.id] = [o.date.isoformat() for o in occurrences_between(
                schedule, free_days, low, horizon(today, contract.days_in_advance))]
    got = {c.id: due_dates(c.id) for c in [*same, ended, renewing, skipped, extra, spread,
                                            holidays, weekends, lead, later]}
    assert got == wanted
    assert counts.created == sum(map(len, wanted.values()))
    # the variants do differ from the first contract: each would have shown a sharing mistake
    first = got[same[0].id]
    assert got[same[1].id] == first
    for variant in (ended, skipped, extra, spread, holidays, weekends, lead, later):
        assert got[variant.id] != first, variant
    assert got[renewing.id] != got[ended.id]  # the same end date, but the terms renew it
