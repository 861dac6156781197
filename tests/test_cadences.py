"""Several cadences (onderdelen) in one contract, and floating ("na afronding") cadences
(issue 18): the pure rules in tables and properties, then the sweep, completions and edits for
real on both databases."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.schedule.cadence import (
    Cadence,
    Link,
    add_interval,
    floating_wanted,
    merged,
    window_of,
)
from models.schedule.definition import Schedule
from models.schedule.expand import occurrences_between

START = date(2026, 1, 1)


def cadence(key, name, rank, rule, window="maand", start=START, end=None, **extra):
    return Cadence(key, name, rank, Schedule(start, rule, end_date=end), window=window, **extra)


MONTHLY = "FREQ=MONTHLY;BYMONTHDAY=1"
QUARTERLY = "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"
YEARLY_OCTOBER = "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15"
THREE = [cadence("c", "Controle", 1, MONTHLY), cadence("k", "Kleine beurt", 2, QUARTERLY),
         cadence("g", "Groot onderhoud", 3, YEARLY_OCTOBER)]


def test_monthly_quarterly_yearly_with_a_month_window_over_three_years():
    kept, lost = merged(THREE, {}, START, date(2028, 12, 31))
    got = [(o.date.isoformat(), c.name) for c, o in kept]
    expected = []
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            day = f"{year}-{month:02d}-01"
            if month == 10:
                expected.append((f"{year}-10-15", "Groot onderhoud"))
            elif month in (1, 4, 7):
                expected.append((day, "Kleine beurt"))
            else:
                expected.append((day, "Controle"))
    assert got == expected
    # every October: the controle and the kleine beurt fall away for the groot onderhoud
    october = [(s.occurrence.date.isoformat(), s.cadence.name, s.text) for s in lost
               if s.occurrence.date.month == 10]
    assert october == [
        (f"{y}-10-01", name, "vervalt: groot onderhoud in dezelfde maand")
        for y in (2026, 2027, 2028) for name in ("Kleine beurt", "Controle")]
    assert len(lost) == 3 * (3 + 2)  # 3 controles for kleine beurten, 2 in October, per year


def test_a_week_window():
    weekly = cadence("w", "Ronde", 1, "FREQ=WEEKLY;BYDAY=MO")
    friday = cadence("f", "Grote ronde", 2, "FREQ=MONTHLY;BYDAY=1FR", window="week")
    kept, lost = merged([weekly, friday], {}, date(2026, 1, 1), date(2026, 2, 28))
    assert [o.date.isoformat() for c, o in kept if c.key == "f"] == ["2026-01-02", "2026-02-06"]
    # the Monday of the week of each first Friday falls away (ISO weeks: 2 Jan is in week 1,
    # whose Monday is 29 December, before the start)
    assert [s.occurrence.date.isoformat() for s in lost] == ["2026-02-02"]
    assert lost[0].text == "vervalt: grote ronde in dezelfde week"


def test_a_day_window():
    daily = cadence("a", "Controle", 1, "FREQ=WEEKLY;BYDAY=MO,TH")
    monday = cadence("b", "Beurt", 2, "FREQ=MONTHLY;BYDAY=1MO", window="dag")
    kept, lost = merged([daily, monday], {}, date(2026, 3, 1), date(2026, 3, 14))
    assert [(o.date.isoformat(), c.key) for c, o in kept] == [
        ("2026-03-02", "b"), ("2026-03-05", "a"), ("2026-03-09", "a"), ("2026-03-12", "a")]
    assert [s.occurrence.date.isoformat() for s in lost] == ["2026-03-02"]


def test_a_window_reaches_beyond_the_period_asked_for():
    """The sweep sees 1 October before the groot onderhoud of 15 October is due: the controle
    still falls away, as the preview over the whole month says."""
    kept, lost = merged(THREE, {}, date(2026, 10, 1), date(2026, 10, 1))
    assert kept == [] and {s.cadence.key for s in lost} == {"c", "k"}


# --------------------------------------------------------------------------- floating

SIX_MONTHS = cadence("n", "Onderhoud", 1, "FREQ=MONTHLY;INTERVAL=6", anchor="na_afronding",
                     interval="P6M")


@pytest.mark.parametrize("chain, wanted, following", [
    ([], [], "2026-01-01"),  # the first visit: on the start
    ([("2026-01-01", "open", None)], ["2026-01-01"], None),  # never completed: nothing next
    ([("2026-01-01", "afgerond", "2026-01-01")], ["2026-01-01"], "2026-07-01"),  # on time
    ([("2026-01-01", "afgerond", "2026-02-20")], ["2026-01-01"], "2026-08-20"),  # late: pushed
    ([("2026-01-01", "afgerond", "2025-12-10")], ["2026-01-01"], "2026-06-10"),  # early: pulled
    # a visit a person cancelled counts on from its own date
    ([("2026-01-01", "afgerond", "2026-01-05"), ("2026-07-05", "geannuleerd", None, True)],
     ["2026-01-01"], "2027-01-05"),
    # one cancelled by a recalculation (not by hand) does not count
    ([("2026-01-01", "afgerond", "2026-01-05"), ("2026-07-05", "geannuleerd", None)],
     ["2026-01-01"], "2026-07-05"),
    # a cancelled visit reopened: the one made after it is no longer wanted
    ([("2026-01-01", "open", None), ("2026-07-01", "open", None)], ["2026-01-01"], None),
    # completed on 31 August: six months later is the last day of February
    ([("2026-03-01", "afgerond", "2026-08-31")], ["2026-03-01"], "2027-02-28"),
    # the completion date corrected afterwards: the waiting next one follows it ...
    ([("2026-01-01", "afgerond", "2026-01-20"), ("2026-07-01", "ingepland", None)],
     ["2026-01-01", "2026-07-20"], None),
    # ... unless a person changed it (planned it by hand): it keeps its date
    ([("2026-01-01", "afgerond", "2026-01-20"), ("2026-07-01", "ingepland", None, True)],
     ["2026-01-01", "2026-07-01"], None),
])
def test_floating_chain(chain, wanted, following):
    links = [Link(date.fromisoformat(c[0]), c[1], c[2] and date.fromisoformat(c[2]),
                  len(c) > 3 and c[3]) for c in chain]
    got_wanted, got_next = floating_wanted(SIX_MONTHS, links, START, {})
    assert [d.isoformat() for d in got_wanted] == wanted
    assert (got_next and got_next.date.isoformat()) == following


def test_a_floating_date_on_a_holiday_moves_with_the_policy():
    moving = Cadence("n", "Onderhoud", 1, Schedule(START, "FREQ=MONTHLY", holidays="next_workday",
                                                   days_in_advance=7),
                     anchor="na_afronding", interval="P6M")
    free = {date(2026, 12, 25): "Eerste Kerstdag", date(2026, 12, 26): "Tweede Kerstdag"}
    _wanted, following = floating_wanted(moving, [Link(date(2026, 6, 1), "afgerond",
                                                       date(2026, 6, 25))], START, free)
    assert following.date == date(2026, 12, 28) and following.original_date == date(2026, 12, 25)
    assert following.generate_on == date(2026, 12, 21)


# --------------------------------------------------------------------------- properties

RULES = st.sampled_from([
    "FREQ=MONTHLY;BYMONTHDAY=1", "FREQ=MONTHLY;BYMONTHDAY=15",
    "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1", "FREQ=WEEKLY;BYDAY=MO",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE,FR", "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15",
    "FREQ=MONTHLY;BYDAY=1FR", "FREQ=DAILY;INTERVAL=10", "FREQ=MONTHLY;BYDAY=-1MO",
    "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=28"])
CADENCES = st.lists(st.tuples(RULES, st.sampled_from(["dag", "week", "maand"])), min_size=1,
                    max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CADENCES, st.integers(0, 700), st.integers(0, 400))
def test_no_window_holds_two_werkbonnen_of_cadences_that_supersede_each_other(specs, offset,
                                                                               length):
    cadences = [cadence(str(n), f"C{n}", n + 1, rule, window)
                for n, (rule, window) in enumerate(specs)]
    low = START + timedelta(days=offset)
    kept, lost = merged(cadences, {}, low, low + timedelta(days=length))
    for high, day in kept:
        for low_cadence, other in kept:
            if low_cadence.rank < high.rank:
                assert window_of(other.date, high.window) != window_of(day.date, high.window)
    # and nothing is lost that no higher cadence explains
    for s in lost:
        assert s.by.rank > s.cadence.rank
        assert window_of(s.on, s.by.window) == window_of(s.occurrence.date, s.by.window)
    # the period asked for is a window on the same answer: a sub-period gives the same dates
    whole, _ = merged(cadences, {}, START, START + timedelta(days=1200))
    assert [(c.key, o.date) for c, o in kept] == [
        (c.key, o.date) for c, o in whole if low <= o.date <= low + timedelta(days=length)]


@settings(max_examples=100, deadline=None)
@given(RULES, st.integers(0, 700), st.integers(0, 400),
       st.sampled_from(["ignore", "next_workday", "previous_workday", "skip"]))
def test_one_cadence_gives_exactly_the_dates_of_its_schedule(rule, offset, length, holidays):
    from models.schedule.holiday_calendar import free_days

    schedule = Schedule(START, rule, holidays=holidays)
    free = free_days(range(2025, 2032))
    low = START + timedelta(days=offset)
    high = low + timedelta(days=length)
    kept, lost = merged([Cadence("1", "Enig", 1, schedule)], free, low, high)
    assert lost == []
    assert [o for _c, o in kept] == occurrences_between(schedule, free, low, high)


def test_add_interval():
    assert add_interval(date(2026, 8, 31), "P6M") == date(2027, 2, 28)
    assert add_interval(date(2028, 2, 29), "P1Y") == date(2029, 2, 28)
    assert add_interval(date(2026, 1, 1), "P2W") == date(2026, 1, 15)
    assert add_interval(date(2026, 1, 1), "P90D") == date(2026, 4, 1)


# --------------------------------------------------------------------------- for real

from models.contracts import checks as contract_checks  # noqa: E402
from models.contracts import service as contract_service  # noqa: E402
from models.contracts.tables import Contract  # noqa: E402
from models.db import connection  # noqa: E402
from models.stamdata.klanten import Klant  # noqa: E402
from models.stamdata.medewerkers import Medewerker  # noqa: E402
from models.werkbonnen import service as werkbon_service  # noqa: E402
from models.werkbonnen.tables import Werkbon  # noqa: E402

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

ONDERDELEN = [
    {"name": "Controle", "rank": 1, "rrule": MONTHLY, "supersedes_within": "maand",
     "werkbon": {"description": "Maandelijkse controle", "duration_minutes": 30}},
    {"name": "Kleine beurt", "rank": 2, "rrule": QUARTERLY,
     "werkbon": {"description": "Kleine beurt", "duration_minutes": 60,
                 "checklist": "Filters\nDruk"}},
    {"name": "Groot onderhoud", "rank": 3, "rrule": YEARLY_OCTOBER, "supersedes_within": "maand",
     "werkbon": {"description": "Groot onderhoud", "duration_minutes": 240}},
]


def contract_data(onderdelen=None, start="2026-01-01", lead=0, rrule=None, **extra):
    with connection():
        klant = Klant.get_or_none(Klant.customer_number == "D-1") or Klant.create(
            customer_number="D-1", name="Bakkerij Jansen")
        mw = Medewerker.get_or_none(Medewerker.personnel_number == "P-1") or \
            Medewerker.create(personnel_number="P-1", name="Jeroen")
    data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
            "start_date": start, "end_date": None, "days_in_advance": lead,
            "werkbon": {"start_time": "08:30", "duration_minutes": 90, "medewerker_id": mw.id},
            **extra}
    if rrule:
        data["schedule"] = {"rrule": rrule}
    if onderdelen is not None:
        data["onderdelen"] = onderdelen
    return data


def save(data, known_since="2026-01-01"):
    with connection():
        values, errors = contract_checks.check(data)
        assert errors == {}
        return contract_service.create(values, "test", date.fromisoformat(known_since))


def generate(runner, today, contract=None):
    args = ["generate", "--today", today] + (["--contract", str(contract)] if contract else [])
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.output.strip()


def werkbonnen(contract_id):
    with connection():
        return [(w.due_date.isoformat(), w.description, w.duration_minutes, w.slot)
                for w in Werkbon.select().where(Werkbon.contract == contract_id)
                .order_by(Werkbon.due_date, Werkbon.slot)]


def test_three_cadences_generate_with_supersession_and_their_own_details(app, runner):
    contract = save(contract_data(ONDERDELEN))
    with connection():
        stored = Contract.get_by_id(contract.id)
        assert [c.name for c in stored.cadences()] == ["Groot onderhoud", "Kleine beurt",
                                                       "Controle"]
        assert stored.rrule == YEARLY_OCTOBER  # the highest-ranked one: "has a schedule"
    assert generate(runner, "2026-12-31") == "created=12 moved=0 cancelled=0"
    got = werkbonnen(contract.id)
    assert [(d, desc) for d, desc, _m, _s in got] == [
        ("2026-01-01", "Kleine beurt"), ("2026-02-01", "Maandelijkse controle"),
        ("2026-03-01", "Maandelijkse controle"), ("2026-04-01", "Kleine beurt"),
        ("2026-05-01", "Maandelijkse controle"), ("2026-06-01", "Maandelijkse controle"),
        ("2026-07-01", "Kleine beurt"), ("2026-08-01", "Maandelijkse controle"),
        ("2026-09-01", "Maandelijkse controle"), ("2026-10-15", "Groot onderhoud"),
        ("2026-11-01", "Maandelijkse controle"), ("2026-12-01", "Maandelijkse controle")]
    assert got[9][2] == 240 and got[1][2] == 30
    assert {s for *_x, s in got} == {"#1", "#2", "#3"}
    with connection():
        note = Werkbon.get(Werkbon.due_date == date(2026, 1, 1)).internal_note
    assert note == "Checklist:\nFilters\nDruk"
    assert generate(runner, "2026-12-31") == "created=0 moved=0 cancelled=0"  # idempotent


def test_the_sweep_day_by_day_makes_what_one_catch_up_makes(app, runner):
    """Catch-up after downtime and a sweep every day give the same werkbonnen (the October
    controle is never made, though it is due before the groot onderhoud is)."""
    daily = save(contract_data(ONDERDELEN, lead=3))
    once = save(contract_data(ONDERDELEN, lead=3))
    generate(runner, "2026-09-20", daily.id)
    day = date(2026, 9, 25)
    while day <= date(2026, 10, 29):
        generate(runner, day.isoformat(), daily.id)
        day += timedelta(days=1)
    assert [d for d, *_ in werkbonnen(daily.id) if d >= "2026-09-01"] == [
        "2026-09-01", "2026-10-15", "2026-11-01"]
    generate(runner, "2026-10-29", once.id)
    assert werkbonnen(once.id) == werkbonnen(daily.id)


def test_one_onderdeel_is_todays_contract(app, runner):
    """Given as one onderdeel, a contract is saved and generates exactly as with `schedule`."""
    one = [{"name": "Onderhoud", "rank": 1, "rrule": "FREQ=MONTHLY;BYMONTHDAY=31",
            "werkbon": {"description": "Beurt", "duration_minutes": 45}}]
    a = save(contract_data(one))
    b = save(contract_data(rrule="FREQ=MONTHLY;BYMONTHDAY=31",
                           werkbon={"start_time": "08:30", "duration_minutes": 45,
                                    "description": "Beurt",
                                    "medewerker_id": Medewerker.get().id}))
    with connection():
        a, b = Contract.get_by_id(a.id), Contract.get_by_id(b.id)
        assert a.onderdelen == "" and a.rrule == b.rrule
    generate(runner, "2026-12-31")
    assert werkbonnen(a.id) == werkbonnen(b.id) and len(werkbonnen(a.id)) == 7


FLOATING = [
    {"name": "Controle", "rank": 1, "rrule": "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1"},
    {"name": "Onderhoud", "rank": 2, "anchor": "na_afronding",
     "interval_after_completion": "P6M", "werkbon": {"description": "Halfjaarlijks"}},
]


def floating(contract_id):
    with connection():
        return [(w.due_date.isoformat(), w.status) for w in Werkbon.select().where(
            Werkbon.contract == contract_id, Werkbon.description == "Halfjaarlijks")
            .order_by(Werkbon.due_date)]


def complete(contract_id, due, today):
    with connection():
        werkbon = Werkbon.get(Werkbon.contract == contract_id,
                              Werkbon.due_date == date.fromisoformat(due),
                              Werkbon.description == "Halfjaarlijks")
        for status in ("onderweg", "in_uitvoering", "afgerond"):
            _w, errors = werkbon_service.change(werkbon, {"status": status}, "test",
                                                date.fromisoformat(today))
            assert errors == {}


@pytest.mark.parametrize("completed, following", [
    ("2026-02-10", "2026-08-10"),  # late: the next one moves later
    ("2025-12-20", "2026-06-20"),  # early (entered before its date): earlier
])
def test_a_floating_cadence_follows_the_completion(app, runner, completed, following):
    contract = save(contract_data(FLOATING, lead=14), known_since="2025-12-01")
    generate(runner, "2026-01-01")
    assert floating(contract.id) == [("2026-01-01", "ingepland")]
    generate(runner, "2026-07-01")  # never completed: no next one, however long it waits
    assert floating(contract.id) == [("2026-01-01", "ingepland")]
    complete(contract.id, "2026-01-01", completed)
    assert floating(contract.id) == [("2026-01-01", "afgerond")]  # not due yet
    with connection():
        assert Contract.get_by_id(contract.id).next_attention <= date.fromisoformat(completed)
    due = date.fromisoformat(following)
    generate(runner, (due - timedelta(days=15)).isoformat())
    assert floating(contract.id) == [("2026-01-01", "afgerond")]
    generate(runner, (due - timedelta(days=14)).isoformat())
    assert floating(contract.id) == [("2026-01-01", "afgerond"), (following, "ingepland")]
    generate(runner, "2027-03-01")  # catch-up: still one, it waits for its completion
    assert len(floating(contract.id)) == 2


def test_completing_late_after_downtime_makes_one_overdue_werkbon_not_one_per_period(app,
                                                                                    runner):
    contract = save(contract_data([{**FLOATING[1], "interval_after_completion": "P1M"},
                                   FLOATING[0]], lead=0), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    complete(contract.id, "2026-01-01", "2026-01-02")
    assert generate(runner, "2026-06-01").startswith("created=")
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-02-02", "ingepland")]


def test_a_completion_that_makes_the_next_one_due_now_makes_it_once(app, runner):
    contract = save(contract_data([{**FLOATING[1], "interval_after_completion": "P2W"},
                                   FLOATING[0]], lead=30), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    complete(contract.id, "2026-01-01", "2026-01-03")  # 17 January is due now (30 days ahead)
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-01-17", "ingepland")]
    with connection():  # recorded twice: nothing changes, nothing new
        werkbon = Werkbon.get(Werkbon.due_date == date(2026, 1, 1),
                              Werkbon.description == "Halfjaarlijks")
        _w, errors = werkbon_service.change(werkbon, {"status": "afgerond"}, "test",
                                            date(2026, 1, 4))
    generate(runner, "2026-01-05")
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-01-17", "ingepland")]


def test_cancelling_and_reopening_recalculate(app, runner):
    contract = save(contract_data([{**FLOATING[1], "interval_after_completion": "P1M"},
                                   FLOATING[0]], lead=60), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    with connection():
        first = Werkbon.get(Werkbon.due_date == date(2026, 1, 1),
                            Werkbon.description == "Halfjaarlijks")
        _w, errors = werkbon_service.change(first, {"status": "geannuleerd",
                                                    "cancel_reason": "klant weg"}, "t",
                                            date(2026, 1, 2))
        assert errors == {}
    # cancelled: the next counts on from its date (skipped, not done), due now (60 days ahead)
    assert floating(contract.id) == [("2026-01-01", "geannuleerd"), ("2026-02-01", "ingepland")]
    with connection():
        _w, errors = werkbon_service.change(Werkbon.get_by_id(first.id), {"status": "open"},
                                            "t", date(2026, 1, 3))
        assert errors == {}
    # reopened: the chain waits on it again; the one made for it is cancelled
    assert floating(contract.id) == [("2026-01-01", "open"), ("2026-02-01", "geannuleerd")]


# --------------------------------------------------------------------------- the API

API = "/api/v1/contracten"


def api_body(api, **extra):
    klant = api.post("/api/v1/klanten", json={
        "customer_number": "D-9", "name": "Bakkerij Jansen", "street": "Dorpsstraat",
        "house_number": "4", "postcode": "1234AB", "city": "Utrecht"}).get_json()
    return {"klant_id": klant["id"], "contracttype": "preventief", "description": "Onderhoud",
            "start_date": "2026-01-01", "end_date": None, "days_in_advance": 14, **extra}


def test_the_api_takes_and_gives_onderdelen_with_one_rrule_each(app, api):
    sent = [dict(o, werkbon=dict(o["werkbon"])) for o in ONDERDELEN] + [
        {"name": "Na afronding", "rank": 4, "anchor": "na_afronding",
         "interval_after_completion": "P6M", "supersedes_within": "dag", "werkbon": {}}]
    resp = api.post(API, json=api_body(api, onderdelen=sent))
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()["onderdelen"]
    assert [(o["name"], o["rank"], o["rrule"], o["anchor"]) for o in got] == [
        ("Na afronding", 4, "FREQ=MONTHLY;INTERVAL=6", "na_afronding"),
        ("Groot onderhoud", 3, YEARLY_OCTOBER, "vast"),
        ("Kleine beurt", 2, QUARTERLY, "vast"), ("Controle", 1, MONTHLY, "vast")]
    assert got[0]["description"] == "6 maanden na afronding van de vorige"
    assert got[3]["werkbon"] == {"description": "Maandelijkse controle", "werktype": None,
                                 "duration_minutes": 30, "checklist": ""}
    contract = resp.get_json()
    # a PATCH of another field keeps them (and their keys), re-ranking keeps the keys too
    resp = api.patch(f"{API}/{contract['id']}", json={"version": contract["version"],
                                                       "reference": "PO-9"})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["onderdelen"] == got
    reranked = [dict(o, rank={4: 4, 3: 3, 2: 1, 1: 2}[o["rank"]]) for o in got]
    resp = api.patch(f"{API}/{contract['id']}", json={"version": contract["version"] + 1,
                                                       "onderdelen": reranked})
    assert resp.status_code == 200, resp.get_json()
    keys = {o["name"]: o["key"] for o in got}
    assert {o["name"]: o["key"] for o in resp.get_json()["onderdelen"]} == keys
    assert [o["name"] for o in resp.get_json()["onderdelen"]][2:] == ["Controle",
                                                                      "Kleine beurt"]


def test_a_contract_without_onderdelen_has_no_such_key(app, api):
    resp = api.post(API, json=api_body(api, schedule={"rrule": MONTHLY}))
    assert resp.status_code == 201 and "onderdelen" not in resp.get_json()


@pytest.mark.parametrize("onderdelen, errors", [
    ([{"name": "A", "rank": 1, "rrule": MONTHLY}, {"name": "B", "rank": 1, "rrule": MONTHLY}],
     {"onderdelen.1.rank": "Elk onderdeel heeft een eigen rang.",
      "onderdelen.0.rank": "Elk onderdeel heeft een eigen rang."}),
    ([{"name": "A", "rank": 1, "rrule": "FREQ=SOMETIMES"}, {"name": "B", "rank": 2,
                                                             "anchor": "na_afronding"}],
     {"onderdelen.0.rrule": None, "onderdelen.1.interval_after_completion": None}),
    ([{"name": "", "rank": 0, "rrule": MONTHLY, "supersedes_within": "jaar"}],
     {"onderdelen.0.name": "Geef het onderdeel een naam.",
      "onderdelen.0.rank": "Geef een rang van 1 tot en met 99 (hoger gaat voor).",
      "onderdelen.0.supersedes_within": None}),
    ([{"name": "A", "rank": "1"}], {"onderdelen.0.rank": None}),  # the model: no string
])
def test_bad_onderdelen_get_dutch_errors_at_their_field(app, api, onderdelen, errors):
    resp = api.post(API, json=api_body(api, onderdelen=onderdelen))
    assert resp.status_code == 422
    got = resp.get_json()["errors"]
    assert set(got) == set(errors)
    for field, message in errors.items():
        assert message is None or got[field] == message
    with connection():
        assert Contract.select().count() == 0


# --------------------------------------------------------------------------- edits


def edited_effect(app, contract_id, today, onderdelen, save=False):
    """Controle's effect of an edit of the onderdelen (replan.effect), and the save."""
    from models.stamdata import calendar_store
    from models.werkbonnen.replan import effect, save_edit

    day = date.fromisoformat(today)
    with connection():
        contract = Contract.get_by_id(contract_id)
        data = contract_service.serialise(contract, day)
        for key in ("id", "number", "status", "version", "contracttype_name"):
            data.pop(key)
        data["schedule"].pop("description")
        data["onderdelen"] = onderdelen
        values, errors = contract_checks.check(data, contract)
        assert not errors, errors
        shown = effect(contract, contract_service.edited(contract, values), day,
                       calendar_store.free_days())
        if save:
            with app.test_request_context():
                save_edit(contract, values, contract.version, "planner", day,
                          shown=shown.fingerprint)
        return shown


def by_slot(plan):
    return {
        "create": [(o.date.isoformat(), o.slot) for o in plan.create],
        "move": [(w.due_date.isoformat(), w.slot, o.date.isoformat()) for w, o in plan.move],
        "cancel": [(w.due_date.isoformat(), w.slot) for w in plan.cancel],
        "protected": [(w.due_date.isoformat(), w.slot, why) for w, why in plan.protected],
    }


def keyed(contract_id):
    with connection():
        return {o["name"]: o for o in contract_service.serialise(
            Contract.get_by_id(contract_id), START)["onderdelen"]}


def test_edits_that_re_rank_remove_and_add_a_cadence(app, runner):
    contract = save(contract_data(ONDERDELEN, lead=60))
    generate(runner, "2026-03-15")  # up to 14 May
    assert [(d, s) for d, _x, _m, s in werkbonnen(contract.id)] == [
        ("2026-01-01", "#2"), ("2026-02-01", "#1"), ("2026-03-01", "#1"), ("2026-04-01", "#2"),
        ("2026-05-01", "#1")]
    with connection():  # a planner moved the May controle's time: hand-changed, protected
        Werkbon.update(changed_by_hand=True).where(Werkbon.due_date == date(2026, 5, 1)).execute()
    current = keyed(contract.id)
    # re-rank: the controle above the kleine beurt; April's kleine beurt falls away for it
    reranked = [dict(current["Controle"], rank=3), dict(current["Kleine beurt"], rank=2),
                dict(current["Groot onderhoud"], rank=1)]
    shown = edited_effect(app, contract.id, "2026-03-15", reranked)
    assert by_slot(shown.plan) == {"create": [("2026-04-01", "#1")], "move": [],
                                   "cancel": [("2026-04-01", "#2")], "protected": []}
    # remove the controle: its hand-changed May werkbon stays (protected), nothing else moves
    without = [current["Kleine beurt"], current["Groot onderhoud"]]
    shown = edited_effect(app, contract.id, "2026-03-15", without)
    assert by_slot(shown.plan) == {"create": [], "move": [], "cancel": [],
                                   "protected": [("2026-05-01", "#1", "met de hand gewijzigd")]}
    # add a weekly inspection above everything, superseding on its own day only: 1 May (a
    # Friday) takes the controle's date, but that werkbon was changed by hand: it stays
    added = [{"name": "Inspectie", "rank": 4, "rrule": "FREQ=WEEKLY;BYDAY=FR",
              "supersedes_within": "dag"}] + list(current.values())
    shown = edited_effect(app, contract.id, "2026-03-15", added, save=True)
    fridays = [o[0] for o in by_slot(shown.plan)["create"] if o[1] == "#4"]
    assert fridays[0] == "2026-03-20" and fridays[-1] == "2026-05-08" and len(fridays) == 8
    assert by_slot(shown.plan)["cancel"] == []
    # as for one cadence: the protected werkbon stands in for its cadence's nearest free date
    assert by_slot(shown.plan)["protected"] == [
        ("2026-05-01", "#1", "met de hand gewijzigd; telt als het bezoek van ma 1 jun 2026")]
    assert len([w for w in werkbonnen(contract.id) if w[3] == "#4"]) == 8  # what Controle showed


def test_a_completion_recorded_twice_at_the_same_moment_makes_one_next(app, runner,
                                                                       monkeypatch):
    """Two people mark the same werkbon afgerond at once (two threads, two connections): the
    second waits for the first's lock, finds it afgerond, and nothing makes a second next."""
    from tests.test_races import Hold, race

    contract = save(contract_data([{**FLOATING[1], "interval_after_completion": "P2W"},
                                   FLOATING[0]], lead=30), known_since="2026-01-01")
    generate(runner, "2026-01-01")
    with connection():
        werkbon = Werkbon.get(Werkbon.contract == contract.id,
                              Werkbon.description == "Halfjaarlijks")
        for status in ("onderweg", "in_uitvoering"):
            werkbon, errors = werkbon_service.change(werkbon, {"status": status}, "t",
                                                     date(2026, 1, 2))
    hold = Hold(monkeypatch, werkbon_service, "record_progress")

    def finish(day):
        def run():
            with connection():
                return werkbon_service.change(Werkbon.get_by_id(werkbon.id),
                                              {"status": "afgerond"}, "t", day)
        return run

    (_a, a_errors), (_b, b_errors) = race(hold, finish(date(2026, 1, 3)),
                                          finish(date(2026, 1, 5)))
    assert a_errors == {} and b_errors == {}
    assert floating(contract.id) == [("2026-01-01", "afgerond"), ("2026-01-17", "ingepland")]


def test_a_one_cadence_contract_getting_a_second_keeps_its_werkbonnen(app, runner):
    """Adding an onderdeel to a contract with one schedule: that schedule stays the same cadence
    (its werkbonnen keep their slot, number, medewerker and planning); only the new cadence's
    werkbonnen appear and the dates it supersedes are cancelled, as Controle shows."""
    contract = save(contract_data(rrule=MONTHLY, lead=60))
    generate(runner, "2026-03-15")  # up to 14 May
    with connection():
        before = {w.due_date.isoformat(): (w.id, w.number, w.medewerker_id, w.planned_start,
                                           w.status)
                  for w in Werkbon.select().where(Werkbon.contract == contract.id)}
        Werkbon.update(changed_by_hand=True).where(  # a planner moved its time
            Werkbon.id == before["2026-05-01"][0]).execute()
    assert sorted(before) == ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01",
                              "2026-05-01"]
    onderdelen = [{"name": "Controle", "rank": 1, "rrule": MONTHLY},
                  {"name": "Kleine beurt", "rank": 2, "rrule": QUARTERLY,
                   "werkbon": {"description": "Kleine beurt"}}]
    shown = edited_effect(app, contract.id, "2026-03-15", onderdelen)
    assert by_slot(shown.plan) == {"create": [("2026-04-01", "#1")], "move": [],
                                   "cancel": [("2026-04-01", "")], "protected": []}
    shown = edited_effect(app, contract.id, "2026-03-15", onderdelen, save=True)
    with connection():
        after = {w.id: (w.due_date.isoformat(), w.number, w.medewerker_id, w.planned_start,
                        w.status, w.slot)
                 for w in Werkbon.select().where(Werkbon.contract == contract.id)}
    for day, (wid, number, medewerker, planned, status) in before.items():
        expected = "geannuleerd" if day == "2026-04-01" else status
        assert after[wid] == (day, number, medewerker, planned, expected, "")
    new = [v for k, v in after.items() if k not in {b[0] for b in before.values()}]
    assert [(d, desc_slot) for d, *_x, desc_slot in new] == [("2026-04-01", "#1")]
    assert keyed(contract.id)["Controle"]["key"] == "0"
    assert generate(runner, "2026-03-16") == "created=0 moved=0 cancelled=0"
    generate(runner, "2026-06-15")  # on: each cadence in its own slot, July the kleine beurt
    assert [(d, s) for d, _x, _m, s in werkbonnen(contract.id) if d >= "2026-06-01"] == [
        ("2026-06-01", ""), ("2026-07-01", "#1"), ("2026-08-01", "")]


def test_several_onderdelen_back_to_one_keeps_that_ones_werkbonnen(app, runner):
    """Removing all onderdelen but one: the one left keeps its key (a list of one), so its
    werkbonnen keep their slot, number and planning; only the removed cadences' future
    werkbonnen go, and the dates they superseded come back (Controle shows exactly that).
    It was made a plain contract, which cancelled and remade every werkbon of that cadence."""
    contract = save(contract_data(ONDERDELEN, lead=60))
    generate(runner, "2026-03-15")  # up to 14 May
    assert [(d, s) for d, _x, _m, s in werkbonnen(contract.id)] == [
        ("2026-01-01", "#2"), ("2026-02-01", "#1"), ("2026-03-01", "#1"), ("2026-04-01", "#2"),
        ("2026-05-01", "#1")]
    with connection():
        before = {w.id: (w.due_date.isoformat(), w.number, w.slot, w.status)
                  for w in Werkbon.select().where(Werkbon.contract == contract.id)}
    only = [keyed(contract.id)["Controle"]]
    shown = edited_effect(app, contract.id, "2026-03-15", only)
    # April was the kleine beurt's (it superseded the controle): that one goes, the controle's
    # April date comes; May's controle stays as it is
    assert by_slot(shown.plan) == {"create": [("2026-04-01", "#1")], "move": [],
                                   "cancel": [("2026-04-01", "#2")], "protected": []}
    edited_effect(app, contract.id, "2026-03-15", only, save=True)
    with connection():
        after = {w.id: (w.due_date.isoformat(), w.number, w.slot, w.status)
                 for w in Werkbon.select().where(Werkbon.contract == contract.id)}
    for wid, (day, number, slot, status) in before.items():  # every werkbon stays itself
        gone = (day, slot) == ("2026-04-01", "#2")
        assert after[wid] == (day, number, slot, "geannuleerd" if gone else status)
    assert [v[:3:2] for k, v in after.items() if k not in before] == [("2026-04-01", "#1")]
    assert keyed(contract.id)["Controle"]["key"] == "1"
    assert generate(runner, "2026-03-16") == "created=0 moved=0 cancelled=0"


def test_the_original_schedule_left_alone_is_todays_contract_again(app, runner):
    """The cadence a one-schedule contract had before onderdelen were added has no key in its
    slots: with the others removed, it is a plain contract again, its werkbonnen unchanged."""
    contract = save(contract_data(rrule=MONTHLY, lead=60))
    generate(runner, "2026-03-15")
    two = [{"name": "Controle", "rank": 1, "rrule": MONTHLY},
           {"name": "Kleine beurt", "rank": 2, "rrule": QUARTERLY}]
    edited_effect(app, contract.id, "2026-03-15", two, save=True)
    back = [dict(keyed(contract.id)["Controle"])]
    shown = edited_effect(app, contract.id, "2026-03-15", back, save=True)
    assert by_slot(shown.plan)["cancel"] == [("2026-04-01", "#1")]
    with connection():
        assert Contract.get_by_id(contract.id).onderdelen in ("", None)
    assert [(d, s) for d, _x, _m, s in werkbonnen(contract.id) if d >= "2026-04-01"] == [
        ("2026-04-01", ""), ("2026-04-01", "#1"), ("2026-05-01", "")]
