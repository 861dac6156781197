"""The planner with objecten (models/werkbonnen/plan.py): which slots a contract has, which
(date, slot) pairs it wants, and what an edit or an object going out of use does per slot.
Tables of cases, and Hypothesis properties against the planner as it was before objecten
(`plan_changes` on the schedule's occurrences, one werkbon per date): a contract that covers
nothing must get exactly that."""

from datetime import date, timedelta

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from models.schedule.definition import Occurrence, Schedule, validate_all
from models.schedule.expand import occurrences_between
from models.schedule.holiday_calendar import free_days
from models.werkbonnen.plan import (
    Coverage,
    CoveredObject,
    Existing,
    Part,
    parts,
    plan_changes,
    plan_slots,
    visits,
)
from tests.unit.test_schedule_properties import rrules

TODAY = date(2026, 3, 1)
HOLIDAYS = free_days(range(2024, 2030))


def occ(day: str, lead: int = 0) -> Occurrence:
    d = date.fromisoformat(day)
    return Occurrence(d, d - timedelta(days=lead))


def obj(oid: int, werkadres: int, stops: str | None = None) -> CoveredObject:
    return CoveredObject(oid, werkadres, f"BB-{oid:03d}",
                         date.fromisoformat(stops) if stops else None)


# --------------------------------------------------------------------------- slots


def test_a_contract_that_covers_nothing_has_the_one_slot_it_always_had():
    assert parts(Coverage()) == [Part("")]
    assert parts(Coverage("object")) == [Part("")]


def test_per_datum_one_slot_per_werkadres_listing_its_objecten():
    coverage = Coverage("datum", (), (obj(1, 20), obj(2, 20), obj(3, 10)))
    assert [(p.slot, p.werkadres_id, [o.id for o in p.objects]) for p in parts(coverage)] == [
        ("w10", 10, [3]), ("w20", 20, [1, 2])]


def test_per_object_one_slot_per_object_with_its_werkadres():
    coverage = Coverage("object", (), (obj(1, 20), obj(2, 20), obj(3, 10)))
    assert [(p.slot, p.werkadres_id) for p in parts(coverage)] == [
        ("o3", 10), ("o1", 20), ("o2", 20)]


def test_a_werkadres_without_covered_objecten_keeps_its_own_slot_in_both_modes():
    for mode in ("datum", "object"):
        coverage = Coverage(mode, (30, 20), (obj(1, 20),))
        assert [p.slot for p in parts(coverage)] == (
            ["w20", "w30"] if mode == "datum" else ["o1", "w30"])


def test_a_werkadres_not_in_use_has_no_slot_of_its_own_and_never_the_whole_contract_one():
    """A deactivated werkadres (closed) gets no werkbonnen; a contract whose every werkadres is
    closed has no slots at all, not the one slot of a contract that covers nothing."""
    coverage = Coverage("datum", (30, 20), (obj(1, 20),), frozenset({30}))
    assert [p.slot for p in parts(coverage)] == ["w20"]
    assert parts(Coverage("datum", (30,), (), frozenset({30}))) == []
    assert visits([occ("2026-03-02")], Coverage("object", (30,), (), frozenset({30}))) == []


def test_visits_per_date_in_slot_order():
    coverage = Coverage("object", (), (obj(1, 20), obj(2, 20)))
    found = visits([occ("2026-03-02"), occ("2026-04-06")], coverage)
    assert [(v.date.isoformat(), v.slot, v.werkadres_id, v.object_ids) for v in found] == [
        ("2026-03-02", "o1", 20, (1,)), ("2026-03-02", "o2", 20, (2,)),
        ("2026-04-06", "o1", 20, (1,)), ("2026-04-06", "o2", 20, (2,))]


def test_an_object_out_of_use_counts_only_on_the_dates_before_that_day():
    dates = [occ("2026-03-02"), occ("2026-04-06"), occ("2026-05-04")]
    # per object: its slot stops; per datum: the werkadres's list shrinks, then it stops
    per_object = visits(dates, Coverage("object", (), (obj(1, 20, "2026-04-06"), obj(2, 20))))
    assert [(v.date.day, v.slot) for v in per_object] == [
        (2, "o1"), (2, "o2"), (6, "o2"), (4, "o2")]
    per_datum = visits(dates, Coverage("datum", (), (obj(1, 20, "2026-04-06"),
                                                     obj(2, 20, "2026-05-01"))))
    assert [(v.date.isoformat(), v.object_ids) for v in per_datum] == [
        ("2026-03-02", (1, 2)), ("2026-04-06", (2,))]


# --------------------------------------------------------------------------- edits per slot


def existing(wid, day, slot, status="open", hand=False, objects=None, werkadres=None):
    if objects is None:  # a werkbon of an object's slot lists that object
        objects = (int(slot[1:]),) if slot.startswith("o") else ()
    return Existing(wid, date.fromisoformat(day), status, hand, None, f"W-{wid}", None, slot,
                    werkadres, tuple(sorted(objects)))


def summary(plan):
    return {k: v for k, v in {
        "create": [(o.date.isoformat(), o.slot) for o in plan.create],
        "move": [(w.id, o.date.isoformat()) for w, o in plan.move],
        "cancel": [w.id for w in plan.cancel],
        "protected": [w.id for w, _ in plan.protected],
        "reopen": [w.id for w, _ in plan.reopen],
        "relink": [(w.id, o.object_ids) for w, o in plan.relink],
    }.items() if v}


DATES = [occ("2026-03-02", 14), occ("2026-04-06", 14)]  # the second is not due yet on TODAY


def test_an_object_taken_off_the_contract_cancels_its_waiting_werkbonnen_only():
    now = [existing(1, "2026-03-02", "o1"), existing(2, "2026-03-02", "o2"),
           existing(3, "2026-04-06", "o2", "onderweg")]
    plan = plan_slots(visits(DATES, Coverage("object", (), (obj(1, 20),))), now, TODAY)
    assert summary(plan) == {"cancel": [2], "protected": [3]}


def test_an_object_added_gets_the_dates_that_are_due():
    now = [existing(1, "2026-03-02", "o1")]
    plan = plan_slots(visits(DATES, Coverage("object", (), (obj(1, 20), obj(2, 20)))), now, TODAY)
    assert summary(plan) == {"create": [("2026-03-02", "o2")]}


def test_per_datum_a_waiting_werkbon_follows_the_list_a_started_one_keeps_it():
    now = [existing(1, "2026-03-02", "w20", objects=(1, 2)),
           existing(2, "2026-04-06", "w20", "in_uitvoering", objects=(1, 2))]
    plan = plan_slots(visits(DATES, Coverage("datum", (), (obj(1, 20), obj(3, 20)))), now, TODAY)
    assert summary(plan) == {"relink": [(1, (1, 3))]}  # 2 is on its date: left as it is


def test_switching_to_per_object_replaces_the_werkadres_werkbonnen():
    now = [existing(1, "2026-03-02", "w20", objects=(1, 2))]
    plan = plan_slots(visits(DATES, Coverage("object", (), (obj(1, 20), obj(2, 20)))), now, TODAY)
    assert summary(plan) == {"create": [("2026-03-02", "o1"), ("2026-03-02", "o2")],
                             "cancel": [1]}


def test_a_werkbon_moves_within_its_slot_only():
    # the schedule moved a day later: each slot's werkbon moves, none swaps slot
    now = [existing(1, "2026-03-02", "o1"), existing(2, "2026-03-02", "o2")]
    later = [occ("2026-03-03")]
    plan = plan_slots(visits(later, Coverage("object", (), (obj(1, 20), obj(2, 20)))), now, TODAY)
    assert summary(plan) == {"move": [(1, "2026-03-03"), (2, "2026-03-03")]}
    assert [w.slot for w, _ in plan.move] == [o.slot for _, o in plan.move]


def test_a_cancelled_werkbon_of_an_object_back_in_use_reopens():
    now = [existing(1, "2026-03-02", "o1", "geannuleerd")]
    plan = plan_slots(visits(DATES, Coverage("object", (), (obj(1, 20),))), now, TODAY)
    assert summary(plan) == {"reopen": [1]}


def test_the_fingerprint_tells_the_slots_apart():
    one = plan_slots(visits(DATES, Coverage("object", (), (obj(1, 20),))), [], TODAY)
    two = plan_slots(visits(DATES, Coverage("object", (), (obj(2, 20),))), [], TODAY)
    assert one.fingerprint() != two.fingerprint()


# --------------------------------------------------------------------------- properties

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
STATUSES = ["open", "ingepland", "onderweg", "in_uitvoering", "afgerond", "geannuleerd"]


@st.composite
def schedules(draw):
    start = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 700)))
    lead = draw(st.sampled_from([0, 0, 7, 14, 30]))
    policy = draw(st.sampled_from(["ignore", "next_workday", "skip"]))
    schedule = Schedule(start_date=start, rrule=draw(rrules()), holidays=policy,
                        days_in_advance=lead)
    assume(validate_all(schedule) == {})
    return schedule


@st.composite
def werkbonnen(draw, low: date, slots=("",)):
    """Werkbonnen around the period: on schedule dates or near them, any status."""
    found = []
    for n in range(draw(st.integers(0, 12))):
        day = low + timedelta(days=draw(st.integers(-10, 120)))
        stands = draw(st.one_of(st.none(), st.just(day + timedelta(days=draw(
            st.integers(-20, 20))))))
        found.append(Existing(n + 1, day, draw(st.sampled_from(STATUSES)), draw(st.booleans()),
                              None, f"W-{n + 1}", stands, draw(st.sampled_from(slots))))
    return found


def wanted_of(schedule: Schedule, today: date) -> list[Occurrence]:
    low = max(today, schedule.start_date)
    return occurrences_between(schedule, HOLIDAYS, low, low + timedelta(days=150))


def as_lists(plan):
    return (
        [o.date for o in plan.create],
        [(w.id, o.date) for w, o in plan.move],
        [w.id for w in plan.cancel],
        [(w.id, o.date) for w, o in plan.reopen],
        [(w.id, why) for w, why in plan.protected],
        [w.id for w in plan.skipped],
        [(w.id, d) for w, d in plan.stand_in],
    )


@SETTINGS
@given(data=st.data(), schedule=schedules())
def test_a_contract_without_objecten_plans_exactly_as_before(data, schedule):
    """The old planner (plan_changes on the occurrences) and the new one (plan_slots on the
    visits of a contract that covers nothing) agree on everything, fingerprint included."""
    today = schedule.start_date + timedelta(days=data.draw(st.integers(-30, 200)))
    wanted = wanted_of(schedule, today)
    now = data.draw(werkbonnen(today))
    end = data.draw(st.one_of(st.none(), st.just(today + timedelta(days=60))))
    old = plan_changes(wanted, now, today, end)
    new = plan_slots(visits(wanted, Coverage()), now, today, end)
    assert as_lists(new) == as_lists(old)
    assert new.relink == []
    assert new.fingerprint() == old.fingerprint()
    assert [v.object_ids for v in new.create] == [()] * len(new.create)


@SETTINGS
@given(data=st.data(), schedule=schedules())
def test_per_object_each_object_gets_the_plan_a_contract_of_its_own_would_get(data, schedule):
    """With every object in use, the plan per object is the old planner's plan for that slot's
    werkbonnen alone; new werkbonnen come date by date, in slot order, never twice."""
    today = schedule.start_date + timedelta(days=data.draw(st.integers(-30, 200)))
    wanted = wanted_of(schedule, today)
    covered = (obj(1, 20), obj(2, 20), obj(3, 10))
    now = data.draw(werkbonnen(today, ("o1", "o2", "o3", "w20")))
    new = plan_slots(visits(wanted, Coverage("object", (), covered)), now, today)
    for slot in ("o1", "o2", "o3"):
        alone = plan_changes(wanted, [w for w in now if w.slot == slot], today)
        mine = [o.date for o in new.create if o.slot == slot]
        assert mine == [o.date for o in alone.create]
        assert [w.id for w in new.cancel if w.slot == slot] == [w.id for w in alone.cancel]
        assert [(w.id, o.date) for w, o in new.move if w.slot == slot] == \
            [(w.id, o.date) for w, o in alone.move]
    # the werkadres slot of "per datum" is gone: its waiting werkbonnen are cancelled
    stale = [w for w in now if w.slot == "w20" and w.status in ("open", "ingepland")
             and not w.changed_by_hand]
    assert {w.id for w in stale} <= {w.id for w in new.cancel}
    keys = [(o.date, o.slot) for o in new.create]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys, key=lambda k: (k[0], {"o3": 0, "o1": 1, "o2": 2}[k[1]]))
