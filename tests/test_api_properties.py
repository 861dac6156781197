"""Property: whatever JSON a client sends to any API write, the answer is never a 5xx, an error
has the shape {"errors": {field: message}}, and rows change only when the answer is a 2xx.

Each example starts from a valid body for its route and replaces some of its fields (nested
ones too) with arbitrary JSON values: null, booleans, huge and negative numbers, floats (also
NaN and infinity), text with control characters and half surrogate pairs, lists, objects, and
the values the rules care about (dates at and past the edges of the range, rules, policies,
statuses, ids). Deterministic (derandomize) and bounded, so `make test` runs the same examples
every time; the PostgreSQL run takes fewer."""

import copy
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.db.audit import AuditLog
from models.stamdata.instellingen import ClosureDay, SlaBeleid
from models.stamdata.klanten import KLANT_FIELDS, Klant
from models.stamdata.medewerkers import MEDEWERKER_FIELDS, Medewerker
from models.werkbonnen.tables import Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

EXAMPLES = {"sqlite": 60, "postgresql": 12}  # per route
TABLES = (Klant, Medewerker, Contract, Werkbon, AuditLog, ContractDraft, ClosureDay)

NASTY = ["", " ", "\x00", "a\x00b", "\ud800", "\x7f", "\t", "x" * 300, "1", "-1", "1.5",
         "9223372036854775808", "0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01",
         "1900-01-01", "2999-12-31", "2026-02-29", "2028-02-29", "2026-01-01", "20260101",
         "2026-W01-1", "FREQ=DAILY", "FREQ=MONTHLY;BYMONTHDAY=31", "FREQ=WEEKLY;BYDAY=MO,TH",
         "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;UNTIL=99991231",
         "FREQ=DAILY;COUNT=100000", "FREQ=HOURLY", "skip", "next_workday", "ignore",
         "Preventief", "preventief", "correctief", "jaarlijks", "Normaal", "Spoed", "Onderhoud",
         "25:00", "08:00", "2026-11-26T10:00:00+01:00", "2026-11-26T10:00",
         "9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "open", "ingepland",
         "onderweg", "afgerond", "geannuleerd"]
BREAKING = ["\x00", "a\x00b", "\ud800", "\x7f", "\x01", "9999-12-31", "0001-01-01"]
NUMBERS = st.one_of(st.integers(-3, 12), st.sampled_from([2**63 - 1, 2**63, -(2**63) - 1,
                                                          10**30, 366, 500, 501, 1441]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=20),
                    st.sampled_from(NASTY), NUMBERS)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=5)
# a date list is what the rules look at one by one: mostly lists of date-like strings
DATE_LISTS = st.lists(st.one_of(st.sampled_from(NASTY), st.sampled_from(BREAKING), SCALARS),
                      max_size=3)
UNKNOWN = st.sampled_from(["kleur", "id", "number", "status", "version", "", "\x00", "\ud800",
                           "schedule.rrule", "werkbon"])

KLANT = {"customer_number": "D-0", "name": "Klant", "street": "Markt", "house_number": "1",
         "postcode": "1234AB", "city": "Utrecht", "email": "", "phone": ""}
MEDEWERKER = {"personnel_number": "P-0", "name": "Monteur", "email": "", "phone": ""}
SCHEDULE_FIELDS = ("rrule", "holidays", "weekends", "extra_dates", "skip_dates")
WERKBON_FIELDS = ("description", "werktype", "duration_minutes", "prioriteit", "start_time",
                  "medewerker_id", "internal_note")
CONTRACT_FIELDS = ("klant_id", "contracttype", "description", "reference",
                   "contractvoorwaarden_id", "start_date", "end_date", "days_in_advance",
                   "visits_per_year", "sla_beleid_id", "schedule", "werkbon") + \
    tuple(f"schedule.{f}" for f in SCHEDULE_FIELDS) + tuple(f"werkbon.{f}" for f in WERKBON_FIELDS)
PREVIEW_FIELDS = ("start_date", "end_date", "rrule", "holidays", "weekends", "days_in_advance",
                  "extra_dates", "skip_dates", "after", "count")


def counts() -> dict:
    with connection():
        return {model.__name__: model.select().count() for model in TABLES}


@pytest.fixture
def ids(app, api):
    app.config["TODAY"] = "2026-11-27"
    klant = api.post("/api/v1/klanten", json=KLANT).get_json()["id"]
    medewerker = api.post("/api/v1/medewerkers", json=MEDEWERKER).get_json()["id"]
    with connection():
        sla = SlaBeleid.get(SlaBeleid.code == "STANDAARD").id
    contract = api.post("/api/v1/contracten", json=contract_body(klant, medewerker)).get_json()
    correctief = api.post("/api/v1/contracten", json={
        "klant_id": klant, "contracttype": "correctief", "description": "Storingsdienst",
        "start_date": "2026-01-01", "sla_beleid_id": sla}).get_json()["id"]
    werkbon = api.post("/api/v1/werkbonnen", json=storing_body(klant, correctief)).get_json()
    return {"klant": klant, "medewerker": medewerker, "contract": contract["id"],
            "correctief": correctief, "werkbon": werkbon["id"]}


def contract_body(klant, medewerker):
    return {"klant_id": klant, "contracttype": "preventief", "description": "Onderhoud",
            "reference": "PO-1", "start_date": "2026-01-01", "end_date": "2027-12-31",
            "days_in_advance": 14,
            "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "holidays": "next_workday",
                         "weekends": "ignore", "extra_dates": [], "skip_dates": []},
            "werkbon": {"description": "Beurt", "werktype": "Onderhoud", "duration_minutes": 60,
                        "prioriteit": "Normaal", "start_time": "08:30",
                        "medewerker_id": medewerker, "internal_note": ""}}


def storing_body(klant, contract):
    return {"klant_id": klant, "contract_id": contract, "prioriteit": "Hoog",
            "description": "Lekkage", "reported_at": "2026-11-26T10:00:00+01:00"}


def routes(api, ids):
    """(name, method, path, fields, base body) per API write; the base is built per example
    (a PATCH needs the contract's version of that moment)."""
    def version():
        return api.get(f"/api/v1/contracten/{ids['contract']}").get_json()["version"]

    serial = itertools.count(1)  # a new klant or medewerker needs a number of its own

    return [
        ("klant aanmaken", "post", "/api/v1/klanten", KLANT_FIELDS + ("active",),
         lambda: {**KLANT, "customer_number": f"D-{next(serial)}"}),
        ("klant wijzigen", "patch", f"/api/v1/klanten/{ids['klant']}",
         KLANT_FIELDS + ("active",), dict),
        ("medewerker aanmaken", "post", "/api/v1/medewerkers", MEDEWERKER_FIELDS + ("active",),
         lambda: {**MEDEWERKER, "personnel_number": f"P-{next(serial)}"}),
        ("medewerker wijzigen", "patch", f"/api/v1/medewerkers/{ids['medewerker']}",
         MEDEWERKER_FIELDS + ("active",), dict),
        ("contract aanmaken", "post", "/api/v1/contracten", CONTRACT_FIELDS,
         lambda: contract_body(ids["klant"], ids["medewerker"])),
        ("contract wijzigen", "patch", f"/api/v1/contracten/{ids['contract']}",
         CONTRACT_FIELDS + ("version",), lambda: {"version": version()}),
        ("storing melden", "post", "/api/v1/werkbonnen",
         ("klant_id", "contract_id", "prioriteit", "description", "reported_at"),
         lambda: storing_body(ids["klant"], ids["correctief"])),
        ("werkbon wijzigen", "patch", f"/api/v1/werkbonnen/{ids['werkbon']}",
         ("medewerker_id", "planned_start", "status", "cancel_reason"), dict),
        ("schema voorbeeld", "post", "/api/v1/schedule/preview", PREVIEW_FIELDS,
         lambda: {"start_date": "2026-01-01", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}),
    ]


def put(body: dict, path: str, value) -> None:
    """body[path] = value, for "werkbon.duration_minutes" in the nested object (made afresh
    when an earlier change left no object there)."""
    head, _, leaf = path.partition(".")
    if not leaf:
        body[head] = value
        return
    if not isinstance(body.get(head), dict):
        body[head] = {}
    body[head][leaf] = value


def value_for(field: str):
    if field.endswith("_dates"):
        return DATE_LISTS
    return st.one_of(VALUES, st.sampled_from(NASTY), st.sampled_from(BREAKING), NUMBERS)


@st.composite
def bodies(draw, fields, base):
    body = copy.deepcopy(base)
    # mostly one field: a value only reaches the database when every other field is valid
    changed = draw(st.sampled_from([1, 1, 1, 1, 0, 2, 3]))
    for field in draw(st.lists(st.sampled_from(fields), unique=True, min_size=changed,
                               max_size=changed)):
        put(body, field, draw(value_for(field)))
    if draw(st.integers(0, 5)) == 0:  # now and then a field the route does not know
        body[draw(UNKNOWN)] = draw(SCALARS)
    if draw(st.integers(0, 30)) == 0:  # now and then no object at all
        return draw(VALUES)
    return body


@pytest.mark.parametrize("route", range(9), ids=lambda i: f"route{i}")
def test_any_json_to_any_api_write_is_never_a_5xx(app, api, ids, backend, route):
    name, method, path, fields, base = routes(api, ids)[route]

    @settings(max_examples=EXAMPLES[backend], deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.data())
    def one_request(data):
        body = data.draw(bodies(fields, base()))
        before = counts()
        resp = getattr(api, method)(path, data=json.dumps(body),
                                    content_type="application/json")
        after = counts()
        shown = f"{name}: {body!r} -> {resp.status_code} {resp.get_data(as_text=True)[:300]}"
        assert resp.status_code < 500, shown
        if not 200 <= resp.status_code < 300:
            assert after == before, shown
            problems = resp.get_json()["errors"]
            assert problems and all(isinstance(k, str) and isinstance(v, str) and v
                                    for k, v in problems.items()), shown
        else:
            assert isinstance(resp.get_json(), dict), shown

    one_request()
