"""The contracten API: shape per kind, the form's rules as 422s, listing, optimistic locking."""

import copy
import json
import re
from datetime import date

import pytest

from models.contracts import lifecycle
from models.contracts.tables import Contract
from models.db import connection
from models.db.audit import AuditLog
from models.stamdata.instellingen import Contracttype, Contractvoorwaarden, SlaBeleid

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

URL = "/api/v1/contracten"
DROP = object()
EXAMPLE = {
    "klant_id": None, "contracttype": "preventief", "description": "Onderhoud cv-ketel",
    "reference": "PO-1234", "contractvoorwaarden_id": None,
    "start_date": "2026-01-01", "end_date": "2027-12-31", "days_in_advance": 14,
    "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=2TU", "holidays": "next_workday",
                 "weekends": "ignore", "extra_dates": [], "skip_dates": []},
    "visits_per_year": None, "sla_beleid_id": None,
    "werkbon": {"description": "Jaarlijkse onderhoudsbeurt", "werktype": "Onderhoud",
                "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30",
                "medewerker_id": None, "internal_note": ""},
}
KEYS = {"id", "number", "klant_id", "contracttype", "contracttype_name", "description",
        "reference", "contractvoorwaarden_id", "start_date", "end_date", "days_in_advance",
        "schedule", "visits_per_year", "sla_beleid_id", "werkbon", "status", "version",
        "werkbon_per", "werkadres_ids", "object_ids",
        # facturatie (models/facturatie/input.py to_api): null while no price is set
        "prijs", "btw_tarief", "factuurperiode", "factureren", "indexering", "prijs_per",
        "factureren_vanaf"}


@pytest.fixture
def ids(api):
    """A klant and a medewerker, made through the API like a client would."""
    klant = api.post("/api/v1/klanten", json={
        "customer_number": "D-1", "name": "Bakkerij Jansen", "street": "Dorpsstraat",
        "house_number": "4", "postcode": "1234AB", "city": "Utrecht"}).get_json()
    medewerker = api.post("/api/v1/medewerkers", json={
        "personnel_number": "P1", "name": "Piet Monteur"}).get_json()
    return {"klant": klant["id"], "medewerker": medewerker["id"]}


def body(ids, changes=None):
    """The example body for these ids; `changes` keys may be dotted ("werkbon.werktype")."""
    data = copy.deepcopy(EXAMPLE)
    data["klant_id"] = ids["klant"]
    data["werkbon"]["medewerker_id"] = ids["medewerker"]
    for key, value in (changes or {}).items():
        target, _, leaf = key.rpartition(".")
        part = data[target] if target else data
        if value is DROP:
            part.pop(leaf, None)
        else:
            part[leaf] = value
    return data


def count() -> int:
    with connection():
        return Contract.select().count()


def today(app):
    from views.today import local_today

    with app.app_context():
        return local_today()


def create(api, ids, changes=None):
    resp = api.post(URL, json=body(ids, changes))
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


def test_create_example(api, ids, app):
    resp = api.post(URL, json=body(ids))
    assert resp.status_code == 201
    got = resp.get_json()
    assert set(got) == KEYS
    assert re.fullmatch(r"C-\d{4}-\d{4}", got["number"])
    assert got["version"] == 1
    assert got["status"] == lifecycle.status(date(2026, 1, 1), date(2027, 12, 31), False,
                                                  False, today(app))
    assert got["contracttype"] == "preventief" and got["contracttype_name"] == "Preventief"
    assert got["schedule"]["rrule"] == "FREQ=MONTHLY;BYDAY=2TU"
    assert "2e dinsdag" in got["schedule"]["description"]
    expected = {k: v for k, v in body(ids).items() if k != "schedule"}
    assert {k: got[k] for k in expected} == expected
    assert {k: v for k, v in got["schedule"].items() if k != "description"} == \
        EXAMPLE["schedule"]
    assert api.get(f"{URL}/{got['id']}").get_json() == got
    with connection():
        row = AuditLog.get(AuditLog.entity == "contract", AuditLog.entity_id == got["id"])
    assert row.action == "aangemaakt" and row.actor == "api:api-user"


def test_numbers_count_up(api, ids):
    first, second = create(api, ids)["number"], create(api, ids)["number"]
    assert int(second[-4:]) == int(first[-4:]) + 1 and first[:7] == second[:7]


def test_preventief_by_type_name(api, ids):
    got = create(api, ids, {"contracttype": "Preventief"})
    assert got["contracttype"] == "preventief" and got["contracttype_name"] == "Preventief"


@pytest.mark.parametrize("with_sla", [False, True])
def test_correctief(api, ids, with_sla):
    with connection():
        sla_id = SlaBeleid.get(SlaBeleid.code == "STANDAARD").id
    got = create(api, ids, {"contracttype": "correctief", "schedule": DROP,
                            "sla_beleid_id": sla_id if with_sla else None})
    assert got["contracttype"] == "correctief"
    assert got["schedule"] is None
    assert got["sla_beleid_id"] == (sla_id if with_sla else None)


def test_jaarlijks_derives_rrule_from_start(api, ids):
    got = create(api, ids, {"contracttype": "jaarlijks", "schedule": DROP, "visits_per_year": 4,
                            "start_date": "2026-03-15"})
    assert got["contracttype"] == "jaarlijks" and got["visits_per_year"] == 4
    assert got["schedule"]["rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"


def test_jaarlijks_spread_visits_follow_the_weekend_policy(api, ids, app):
    # 7 visits a year are no whole number of months apart: they are spread over the year in days
    # (4 Jan, 25 Feb, 18 Apr, 9 Jun, 31 Jul, 21 Sep, 12 Nov 2027). A spread visit is a date of
    # the schedule like any other, so "weekends: next workday" moves Sun 18 April and Sat 31 July
    # to the Monday after, in the preview and in the werkbonnen the worker makes.
    from models.schedule import expand
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise
    from models.werkbonnen.tables import Werkbon

    got = create(api, ids, {"contracttype": "jaarlijks", "visits_per_year": 7,
                            "start_date": "2027-01-04", "end_date": "2027-12-31",
                            "days_in_advance": 0,
                            "schedule": {"holidays": "next_workday", "weekends": "next_workday"}})
    assert got["schedule"]["description"] == (  # as on the contract page, policies included
        "7 bezoeken per contractjaar, gelijk verdeeld over het jaar; "
        "feestdagen: naar de volgende werkdag; weekend: naar de volgende werkdag")
    expected = [date(2027, 1, 4), date(2027, 2, 25), date(2027, 4, 19), date(2027, 6, 9),
                date(2027, 8, 2), date(2027, 9, 21), date(2027, 11, 12)]
    with connection():
        contract = Contract.get_by_id(got["id"])
        planned = expand.occurrences_between(contract.schedule(), calendar_store.free_days(),
                                               date(2027, 1, 1), date(2027, 12, 31))
        assert [o.date for o in planned] == expected
        assert [(o.original_date, o.reason) for o in planned if o.reason] == [
            (date(2027, 4, 18), "weekend"), (date(2027, 7, 31), "weekend")]
        materialise.sweep(date(2027, 12, 31), calendar_store.free_days())
        made = [w.due_date for w in Werkbon.select().where(Werkbon.contract == got["id"])
                .order_by(Werkbon.due_date)]
    assert made == expected


def _visits_in(contract_id: int, first: date, last: date) -> list[date]:
    from models.schedule import expand
    from models.stamdata import calendar_store

    with connection():
        contract = Contract.get_by_id(contract_id)
        return [o.date for o in expand.occurrences_between(
            contract.schedule(), calendar_store.free_days(), first, last)]


def test_spread_visits_of_renewing_terms_go_on_after_the_first_end_date(api, ids):
    """5 visits a year with terms that renew: the spread dates stopped at the first end date,
    so every later contract year had 1 visit instead of 5."""
    from models.stamdata.instellingen import Contractvoorwaarden

    with connection():
        terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J").id
    got = create(api, ids, {"contracttype": "jaarlijks", "visits_per_year": 5,
                            "contractvoorwaarden_id": terms, "start_date": "2026-01-15",
                            "end_date": None, "days_in_advance": 0, "schedule": DROP})
    for year in (2026, 2027, 2030):
        visits = _visits_in(got["id"], date(year, 1, 15), date(year + 1, 1, 14))
        assert len(visits) == 5, (year, visits)


def test_changing_spread_visits_to_an_even_number_drops_the_old_dates(api, ids):
    """PATCH 5 -> 4 visits kept the 12 spread dates of '5 a year' as extra dates: 8 visits."""
    got = create(api, ids, {"contracttype": "jaarlijks", "visits_per_year": 5,
                            "start_date": "2026-12-01", "end_date": "2028-11-30",
                            "days_in_advance": 0, "schedule": DROP})
    resp = api.patch(f"{URL}/{got['id']}", json={"version": got["version"],
                                                  "visits_per_year": 4})
    assert resp.status_code == 200, resp.get_json()
    body = resp.get_json()
    assert body["schedule"]["rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"
    assert body["schedule"]["extra_dates"] == []
    assert len(_visits_in(got["id"], date(2026, 12, 1), date(2027, 11, 30))) == 4


def test_werkbon_defaults_come_from_the_type(api, ids):
    got = create(api, ids, {"contracttype": "correctief", "schedule": DROP, "werkbon": {}})
    assert got["werkbon"] == {"description": "", "werktype": "Storing", "duration_minutes": 90,
                              "prioriteit": "Normaal", "start_time": "08:00",
                              "medewerker_id": None, "internal_note": ""}


@pytest.mark.parametrize("changes, field", [
    ({"end_date": "2025-12-31"}, "end_date"),
    ({"klant_id": 999}, "klant_id"),
    ({"klant_id": None}, "klant_id"),
    ({"contracttype": "onbekend"}, "contracttype"),
    ({"start_date": "1-1-2026"}, "start_date"),
    ({"start_date": "0001-01-01"}, "start_date"),  # years a contract date cannot take (a 500
    ({"end_date": "9999-12-31"}, "end_date"),  # later, ending or renewing the contract)
    ({"contracttype": "jaarlijks", "visits_per_year": 7, "start_date": "9999-06-01"},
     "start_date"),
    ({"description": ""}, "description"),
    ({"days_in_advance": 366}, "days_in_advance"),
    ({"days_in_advance": -1}, "days_in_advance"),
    ({"schedule.rrule": "FREQ=HOURLY"}, "schedule.rrule"),
    ({"schedule.rrule": "FREQ=MONTHLY;FOO=1"}, "schedule.rrule"),
    ({"end_date": "2026-01-31", "schedule.rrule": "FREQ=YEARLY;BYMONTH=6"}, "schedule.rrule"),
    ({"schedule": DROP}, "schedule.rrule"),
    ({"schedule.holidays": "morgen"}, "schedule.holidays"),
    ({"schedule.extra_dates": ["2026-13-01"]}, "schedule.extra_dates"),
    ({"contracttype": "jaarlijks", "visits_per_year": 0}, "visits_per_year"),
    ({"contracttype": "jaarlijks", "visits_per_year": 53}, "visits_per_year"),
    ({"contracttype": "correctief", "sla_beleid_id": 999}, "sla_beleid_id"),
    ({"werkbon.werktype": "Schilderen"}, "werkbon.werktype"),
    ({"werkbon.prioriteit": "Heel hoog"}, "werkbon.prioriteit"),
    ({"werkbon.start_time": "25:00"}, "werkbon.start_time"),
    ({"werkbon.duration_minutes": 0}, "werkbon.duration_minutes"),
    ({"werkbon.medewerker_id": 999}, "werkbon.medewerker_id"),
    ({"colour": "red"}, "colour"),
    ({"werkbon.colour": "red"}, "werkbon.colour"),
    ({"schedule.description": "Elke dag"}, "schedule.description"),
    ({"werkbon": "ja"}, "werkbon"),
    ({"id": 7}, "id"),
    ({"number": "C-2026-9999"}, "number"),
    ({"status": "actief"}, "status"),
    ({"version": 3}, "version"),
])
def test_invalid_create_is_422_and_writes_nothing(api, ids, changes, field):
    resp = api.post(URL, json=body(ids, changes))
    assert resp.status_code == 422, resp.get_json()
    assert field in resp.get_json()["errors"]
    assert count() == 0


@pytest.mark.parametrize("resource, field", [("klanten", "klant_id"),
                                             ("medewerkers", "werkbon.medewerker_id")])
def test_inactive_klant_or_medewerker_is_422(api, ids, resource, field):
    key = "klant" if resource == "klanten" else "medewerker"
    assert api.patch(f"/api/v1/{resource}/{ids[key]}", json={"active": False}).status_code == 200
    resp = api.post(URL, json=body(ids))
    assert resp.status_code == 422
    assert "niet actief" in resp.get_json()["errors"][field]
    assert count() == 0


def test_all_field_errors_at_once(api, ids):
    resp = api.post(URL, json=body(ids, {"id": 1, "end_date": "2025-01-01",
                                         "werkbon.start_time": "x"}))
    assert set(resp.get_json()["errors"]) == {"id", "end_date", "werkbon.start_time"}


def test_body_must_be_an_object(api):
    resp = api.post(URL, json=[1, 2])
    assert resp.status_code == 422 and "body" in resp.get_json()["errors"]


def test_get_unknown_is_404(api):
    assert api.get(f"{URL}/999").status_code == 404
    assert api.get(f"{URL}/99999999999999999999").status_code == 404
    assert api.patch(f"{URL}/999", json={"version": 1}).status_code == 404


def test_list_pages_by_id(api, ids):
    made = [create(api, ids, {"description": f"Contract {i}"})["id"] for i in range(5)]
    page1 = api.get(f"{URL}?limit=2").get_json()
    page2 = api.get(f"{URL}?limit=2&cursor={page1['next']}").get_json()
    page3 = api.get(f"{URL}?limit=2&cursor={page2['next']}").get_json()
    assert [c["id"] for c in page1["items"] + page2["items"] + page3["items"]] == made
    assert len(page3["items"]) == 1 and page3["next"] is None
    assert page1["items"][0] == api.get(f"{URL}/{made[0]}").get_json()


def test_list_filters_by_klant(api, ids):
    other = api.post("/api/v1/klanten", json={
        "customer_number": "D-2", "name": "Slagerij Smit", "street": "Markt", "house_number": "1",
        "postcode": "1234AB", "city": "Utrecht"}).get_json()["id"]
    mine = create(api, ids)["id"]
    theirs = create(api, ids, {"klant_id": other})["id"]
    assert [c["id"] for c in api.get(f"{URL}?klant_id={other}").get_json()["items"]] == [theirs]
    assert [c["id"] for c in api.get(f"{URL}?klant_id={ids['klant']}").get_json()["items"]] == \
        [mine]
    assert api.get(f"{URL}?klant_id=999").get_json() == {"items": [], "next": None}


@pytest.mark.parametrize("query, field", [
    ("klant_id=abc", "klant_id"), ("klant_id=-1", "klant_id"),
    ("klant_id=99999999999999999999", "klant_id"), ("status=lopend", "status"),
    ("status=concept", "status"), ("limit=0", "limit"), ("cursor=@@", "cursor"),
])
def test_bad_list_params_422(api, query, field):
    resp = api.get(f"{URL}?{query}")
    assert resp.status_code == 422 and field in resp.get_json()["errors"]


# (start, end, contractvoorwaarden code, terminated_on): every branch of contract_rules.status.
STATUS_CASES = [
    ("2000-01-01", "2001-01-01", None, None),          # verlopen
    ("2000-01-01", "2001-01-01", "MJ-3J", None),       # verlopen: terms without renewal
    ("2000-01-01", "2001-01-01", "STD-1J", None),      # actief: renews automatically
    ("2000-01-01", "2001-01-01", None, "2001-01-01"),  # beeindigd
    ("2000-01-01", "2001-01-01", "STD-1J", "2001-01-01"),  # beeindigd despite renewal
    ("2000-01-01", None, None, None),                  # actief, no end
    ("2000-01-01", "2999-01-01", None, None),          # actief
    ("2000-01-01", "2999-01-01", None, "2999-01-01"),  # actief until the early end
    ("2999-01-01", None, None, None),                  # toekomstig
    ("2999-01-01", "2999-06-01", "STD-1J", None),      # toekomstig
    ("2999-01-01", "2999-06-01", None, "2999-06-01"),  # toekomstig, ends early but later
    ("2999-01-01", "2998-12-01", None, "2998-12-01"),  # beeindigd before it began
]


def test_status_filter_agrees_with_status_of(api, ids, app):
    from models.contracts.service import status_of

    with connection():
        terms = {c.code: c.id for c in Contractvoorwaarden.select()}
    made = []
    for start, end, code, terminated in STATUS_CASES:
        cid = create(api, ids, {"contracttype": "correctief", "schedule": DROP,
                                "start_date": start, "end_date": None,
                                "contractvoorwaarden_id": terms.get(code)})["id"]
        with connection():  # ended before it began: only termination gets there
            Contract.update(end_date=end, terminated_on=terminated).where(
                Contract.id == cid).execute()
        made.append(cid)
    now = today(app)
    with connection():
        expected = {s: {c.id for c in Contract.select() if status_of(c, now) == s}
                    for s in ("toekomstig", "actief", "verlopen", "beeindigd")}
    assert all(expected.values()), expected  # the mix reaches every status
    for status, wanted in expected.items():
        items = api.get(f"{URL}?status={status}&limit=200").get_json()["items"]
        assert {c["id"] for c in items} == wanted, status
        assert {c["status"] for c in items} <= {status}
    both = api.get(f"{URL}?status=verlopen&klant_id={ids['klant']}").get_json()["items"]
    assert {c["id"] for c in both} == expected["verlopen"]


def test_patch_changes_and_audits(api, ids):
    got = create(api, ids)
    resp = api.patch(f"{URL}/{got['id']}", json={"description": "Onderhoud warmtepomp",
                                                 "version": 1})
    assert resp.status_code == 200, resp.get_json()
    changed = resp.get_json()
    assert changed["description"] == "Onderhoud warmtepomp" and changed["version"] == 2
    assert {k: v for k, v in changed.items() if k not in ("description", "version")} == \
        {k: v for k, v in got.items() if k not in ("description", "version")}
    with connection():
        row = AuditLog.get(AuditLog.entity == "contract", AuditLog.entity_id == got["id"],
                           AuditLog.action == "gewijzigd")
    assert json.loads(row.changes) == {"description": ["Onderhoud cv-ketel",
                                                       "Onderhoud warmtepomp"]}
    assert row.actor == "api:api-user"


@pytest.mark.parametrize("patch", [{}, {"description": "Onderhoud cv-ketel"},
                                   {"schedule": {"holidays": "next_workday"}}])
def test_a_patch_that_changes_nothing_makes_no_new_version(api, ids, patch):
    """Review of issue #4: PATCH {"version": n} bumped the version and wrote an audit row, so
    another client holding version n got a needless 409."""
    got = create(api, ids)
    resp = api.patch(f"{URL}/{got['id']}", json={**patch, "version": 1})
    assert resp.status_code == 200 and resp.get_json() == got
    with connection():
        assert not AuditLog.select().where(AuditLog.entity == "contract",
                                           AuditLog.action == "gewijzigd").exists()
    assert api.patch(f"{URL}/{got['id']}", json={"reference": "PO-9", "version": 1}) \
        .get_json()["version"] == 2


def test_patch_with_stale_version_is_409(api, ids):
    cid = create(api, ids)["id"]
    api.patch(f"{URL}/{cid}", json={"description": "Eerste", "version": 1})
    resp = api.patch(f"{URL}/{cid}", json={"description": "Tweede", "version": 1})
    assert resp.status_code == 409
    assert "versie 2" in resp.get_json()["errors"]["version"]
    # stale and invalid: the conflict is what the client must resolve first
    resp = api.patch(f"{URL}/{cid}", json={"end_date": "2000-01-01", "version": 1})
    assert resp.status_code == 409
    current = api.get(f"{URL}/{cid}").get_json()
    assert current["description"] == "Eerste" and current["version"] == 2


@pytest.mark.parametrize("patch, field", [
    ({"end_date": "2025-01-01"}, "end_date"),
    ({"klant_id": 999}, "klant_id"),
    ({"days_in_advance": 366}, "days_in_advance"),
    ({"schedule": {"rrule": "FREQ=HOURLY"}}, "schedule.rrule"),
    ({"schedule": None}, "schedule.rrule"),
    ({"werkbon": {"start_time": "25:00"}}, "werkbon.start_time"),
    ({"colour": "red"}, "colour"),
    ({"werkbon": {"colour": "red"}}, "werkbon.colour"),
    ({"id": 5}, "id"), ({"number": "C-1"}, "number"), ({"status": "verlopen"}, "status"),
    ({"contracttype_name": "Correctief (SLA)"}, "contracttype_name"),
    ({"schedule": {"description": "Elke dag"}}, "schedule.description"),
])
def test_patch_invalid_is_422_and_changes_nothing(api, ids, patch, field):
    got = create(api, ids)
    resp = api.patch(f"{URL}/{got['id']}", json={**patch, "description": "Nieuw", "version": 1})
    assert resp.status_code == 422
    assert field in resp.get_json()["errors"]
    assert api.get(f"{URL}/{got['id']}").get_json() == got


@pytest.mark.parametrize("version", [None, "1", True, 1.0])
def test_patch_needs_integer_version(api, ids, version):
    got = create(api, ids)
    patch = {"description": "Nieuw"} if version is None else {"description": "Nieuw",
                                                               "version": version}
    resp = api.patch(f"{URL}/{got['id']}", json=patch)
    assert resp.status_code == 422 and set(resp.get_json()["errors"]) == {"version"}
    assert api.get(f"{URL}/{got['id']}").get_json() == got


def test_patch_merges_werkbon_and_schedule_per_key(api, ids):
    got = create(api, ids)
    other = api.post("/api/v1/medewerkers", json={"personnel_number": "P2",
                                                  "name": "Kees"}).get_json()["id"]
    resp = api.patch(f"{URL}/{got['id']}", json={"werkbon": {"medewerker_id": other},
                                                 "schedule": {"holidays": "skip"},
                                                 "version": 1})
    assert resp.status_code == 200, resp.get_json()
    changed = resp.get_json()
    assert changed["werkbon"] == {**got["werkbon"], "medewerker_id": other}
    assert changed["schedule"]["rrule"] == got["schedule"]["rrule"]
    assert changed["schedule"]["holidays"] == "skip"
    assert changed["schedule"]["description"] != got["schedule"]["description"]


def test_patch_keeps_an_inactive_medewerker_already_on_the_contract(api, ids):
    got = create(api, ids)
    api.patch(f"/api/v1/medewerkers/{ids['medewerker']}", json={"active": False})
    resp = api.patch(f"{URL}/{got['id']}", json={"reference": "PO-9", "version": 1})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["werkbon"]["medewerker_id"] == ids["medewerker"]


def test_patch_correctief_without_schedule(api, ids):
    got = create(api, ids, {"contracttype": "correctief", "schedule": DROP})
    resp = api.patch(f"{URL}/{got['id']}", json={"reference": "PO-9", "version": 1})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["schedule"] is None and resp.get_json()["reference"] == "PO-9"


def test_patch_jaarlijks_start_moves_the_rule(api, ids):
    got = create(api, ids, {"contracttype": "jaarlijks", "schedule": DROP, "visits_per_year": 4,
                            "start_date": "2026-03-15"})
    resp = api.patch(f"{URL}/{got['id']}", json={"start_date": "2026-04-10", "version": 1})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["schedule"]["rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10"


def test_patch_keeps_the_exact_contracttype(api, ids):
    """serialise gives the kind; a second type of the same kind must not be swapped in."""
    with connection():
        Contracttype.create(name="Preventief groot", kind="preventief")
    got = create(api, ids, {"contracttype": "Preventief groot"})
    assert got["contracttype_name"] == "Preventief groot"
    resp = api.patch(f"{URL}/{got['id']}", json={"reference": "PO-9", "version": 1})
    assert resp.get_json()["contracttype_name"] == "Preventief groot"


def test_patch_can_switch_kind(api, ids):
    got = create(api, ids)
    resp = api.patch(f"{URL}/{got['id']}", json={"contracttype": "correctief", "version": 1})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["contracttype"] == "correctief" and resp.get_json()["schedule"] is None


@pytest.mark.parametrize("method, path", [("get", URL), ("post", URL), ("get", f"{URL}/1"),
                                          ("patch", f"{URL}/1")])
def test_without_token_401(client, method, path):
    resp = getattr(client, method)(path, json={} if method in ("post", "patch") else None)
    assert resp.status_code == 401
    assert "token" in resp.get_json()["errors"]


def test_id_beyond_64_bits_is_422(api, ids):
    resp = api.post(URL, json=body(ids, {"klant_id": 10**20}))
    assert resp.status_code == 422 and "klant_id" in resp.get_json()["errors"]


def test_jaarlijks_extra_dates_are_kept_or_refused(api, ids):
    resp = api.post(URL, json=body(ids, {"contracttype": "jaarlijks", "visits_per_year": 4,
                                         "schedule": {"extra_dates": ["2026-05-01"]}}))
    assert resp.status_code == 422 or \
        resp.get_json()["schedule"]["extra_dates"] == ["2026-05-01"]


def test_an_ended_contract_keeps_its_end_date(api, ids, planner):
    """Review of issue #4: after Beëindigen per 30 June, a PATCH (or Bewerken) to a later end
    date answered 200 with status "actief", generated again, while the page still said
    "Beëindigd per 30 jun". And Beëindigen itself with a date after the end lengthened the
    contract by years."""
    made = create(api, ids, {"start_date": "2026-01-01", "end_date": "2026-12-31"})
    later = planner.post(f"/contracten/{made['id']}/beeindigen",
                         data={"end_date": "2029-12-31", "reason": "KLANT"})
    assert later.status_code == 422
    assert "loopt al af op do 31 dec 2026" in later.get_data(as_text=True)
    form = {"end_date": "2026-06-30", "reason": "KLANT"}
    preview = planner.post(f"/contracten/{made['id']}/beeindigen", data=form)
    confirm = re.search(r'name="bevestigd" value="([^"]+)"',
                        preview.get_data(as_text=True)).group(1)
    assert planner.post(f"/contracten/{made['id']}/beeindigen",
                        data=dict(form, bevestigd=confirm)).status_code == 303
    current = api.get(f"{URL}/{made['id']}").get_json()
    assert current["status"] == "beeindigd" and current["end_date"] == "2026-06-30"
    resp = api.patch(f"{URL}/{made['id']}", json={"end_date": "2031-01-01",
                                                  "version": current["version"]})
    assert resp.status_code == 422 and "end_date" in resp.get_json()["errors"]
    assert api.get(f"{URL}/{made['id']}").get_json()["status"] == "beeindigd"
    # anything else may still change
    resp = api.patch(f"{URL}/{made['id']}", json={"reference": "PO-2",
                                                  "version": current["version"]})
    assert resp.status_code == 200, resp.get_json()


@pytest.mark.parametrize("changes", [
    # once a year on 1 June, 2026 only, and 1 June skipped
    {"start_date": "2026-01-01", "end_date": "2026-12-31",
     "schedule.rrule": "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1",
     "schedule.skip_dates": ["2026-06-01"]},
    # Christmas only, holidays skipped
    {"start_date": "2026-12-01", "end_date": "2026-12-31",
     "schedule.rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25", "schedule.holidays": "skip"},
    # jaarlijks, one visit, a one-day contract on a Sunday with weekends skipped
    {"contracttype": "jaarlijks", "visits_per_year": 1, "schedule": DROP,
     "start_date": "2026-01-04", "end_date": "2026-01-04",
     "schedule_weekends": "skip"},
])
def test_a_schedule_whose_dates_are_all_skipped_is_refused(api, ids, changes):
    """Review of issue #4: the "no date in the period" check looked at the raw rule only, so a
    contract whose every date was skipped was saved and never made a werkbon."""
    changes = dict(changes)
    weekends = changes.pop("schedule_weekends", None)
    data = body(ids, changes)
    if weekends:
        data["schedule"] = {"weekends": weekends}
    resp = api.post(URL, json=data)
    assert resp.status_code == 422, resp.get_json()
    assert "geen enkele datum over" in resp.get_json()["errors"]["schedule.rrule"]
    assert count() == 0


@pytest.mark.parametrize("changes, field", [
    ({"contracttype": "jaarlijks", "visits_per_year": 4,
      "schedule.rrule": "FREQ=WEEKLY;BYDAY=MO"}, "schedule.rrule"),
])
def test_fields_a_type_does_not_use_are_refused_not_dropped(api, ids, changes, field):
    """Review of issue #4: a jaarlijks contract dropped the client's own rule without a word."""
    resp = api.post(URL, json=body(ids, changes))
    assert resp.status_code == 422 and field in resp.get_json()["errors"], resp.get_json()
    assert count() == 0
