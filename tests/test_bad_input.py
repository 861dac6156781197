"""Bad input that got a 500 or a partial write (issue #14, part 3): dates outside the one range,
control characters, a JSON body nested too deep or too large, JSON of the wrong type, and a
contract PATCH that did less than the form's edit. Every case answers with a Dutch message at
its field (or {"errors": {field: message}} on the API) and writes nothing.

Runs on SQLite and on PostgreSQL: a NUL byte was a 500 on PostgreSQL only."""

import json
from datetime import date, timedelta

import pytest

from models.common.validation import (
    CONTROL_MESSAGE,
    CONTROL_MESSAGE_MULTILINE,
    DATE_RANGE_MESSAGE,
    TYPE_MESSAGES,
)
from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.db.audit import AuditLog
from models.stamdata.instellingen import (
    ClosureDay,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = "2026-11-27"  # a Friday; the app lives on it (config TODAY)
TABLES = (Klant, Medewerker, Contract, Werkbon, ClosureDay, AuditLog, Werktype,
          Contractvoorwaarden, SlaBeleid, Prioriteit)
OUT_OF_RANGE = ["0001-01-01", "9999-12-31", "1899-12-31", "3000-01-01"]


def counts() -> dict:
    with connection():
        return {model.__name__: model.select().count() for model in TABLES}


@pytest.fixture
def world(app, api):
    """A klant, a medewerker, a preventief and a correctief contract, and one storing, all
    made through the API the way a client makes them."""
    app.config["TODAY"] = TODAY
    klant = api.post("/api/v1/klanten", json={
        "customer_number": "D-1", "name": "Bakkerij Jansen", "street": "Dorpsstraat",
        "house_number": "4", "postcode": "1234AB", "city": "Utrecht"}).get_json()["id"]
    medewerker = api.post("/api/v1/medewerkers", json={
        "personnel_number": "P-1", "name": "Piet Monteur"}).get_json()["id"]
    with connection():
        sla = SlaBeleid.get(SlaBeleid.code == "STANDAARD").id
    preventief = api.post("/api/v1/contracten", json=contract_body(klant, medewerker))
    assert preventief.status_code == 201, preventief.get_json()
    correctief = api.post("/api/v1/contracten", json={
        "klant_id": klant, "contracttype": "correctief", "description": "Storingsdienst",
        "start_date": "2026-01-01", "sla_beleid_id": sla})
    assert correctief.status_code == 201, correctief.get_json()
    storing = api.post("/api/v1/werkbonnen", json=storing_body(klant, correctief.get_json()["id"]))
    assert storing.status_code == 201, storing.get_json()
    return {"klant": klant, "medewerker": medewerker, "sla": sla,
            "preventief": preventief.get_json(), "correctief": correctief.get_json()["id"],
            "werkbon": storing.get_json()["id"]}


def contract_body(klant, medewerker=None, **changes):
    body = {"klant_id": klant, "contracttype": "preventief", "description": "Onderhoud cv-ketel",
            "reference": "PO-1", "start_date": "2026-01-01", "end_date": "2027-12-31",
            "days_in_advance": 14,
            "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=15", "holidays": "next_workday",
                         "weekends": "next_workday", "extra_dates": [], "skip_dates": []},
            "werkbon": {"description": "Onderhoudsbeurt", "werktype": "Onderhoud",
                        "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30",
                        "medewerker_id": medewerker, "internal_note": ""}}
    return with_changes(body, changes)


def storing_body(klant, contract, **changes):
    return with_changes({"klant_id": klant, "contract_id": contract, "prioriteit": "Hoog",
                         "description": "Cv-ketel geeft foutcode E119",
                         "reported_at": "2026-11-26T10:00:00+01:00"}, changes)


def preview_body(**changes):
    return with_changes({"start_date": "2026-01-01", "rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                        changes)


def with_changes(body: dict, changes: dict) -> dict:
    """`body` with `changes`; a key "werkbon__description" sets body["werkbon"]["description"]."""
    body = json.loads(json.dumps(body))
    for key, value in changes.items():
        part, _, leaf = key.rpartition("__")
        (body[part] if part else body)[leaf] = value
    return body


def field(key: str) -> str:
    return key.replace("__", ".")


# --------------------------------------------------------------------------- 1. dates

def test_a_sluitingsdag_out_of_range_is_a_field_error_and_saves_nothing(beheerder):
    """9999-12-31 was saved and then answered 500 "er is niets opgeslagen" (the count of
    werkbonnen on it overflowed after the commit); a retry said it already existed."""
    for day in OUT_OF_RANGE:
        before = counts()
        resp = beheerder.post("/instellingen/sluitingsdagen",
                              data={"date": day, "description": "Eind der tijden"})
        html = resp.get_data(as_text=True)
        assert resp.status_code == 422, day
        assert DATE_RANGE_MESSAGE in html and 'value="Eind der tijden"' in html
        assert counts() == before
    # the edges of the range are days like any other
    for day in ("1900-01-01", "2999-12-31"):
        resp = beheerder.post("/instellingen/sluitingsdagen", data={"date": day})
        assert resp.status_code == 303, resp.get_data(as_text=True)
    with connection():
        assert {d.date for d in ClosureDay.select()} == {date(1900, 1, 1), date(2999, 12, 31)}


def api_date_cases(world):
    """(method, path, body, field) for every date field of the API, each to be given a date
    outside the range."""
    contract = world["preventief"]
    item = f"/api/v1/contracten/{contract['id']}"
    cases = []
    for key in ("start_date", "end_date"):
        cases.append(("post", "/api/v1/contracten",
                      lambda d, k=key: contract_body(world["klant"], **{k: d}), key))
        cases.append(("patch", item, lambda d, k=key: {"version": contract["version"], k: d}, key))
    for key in ("extra_dates", "skip_dates"):
        cases.append(("post", "/api/v1/contracten",
                      lambda d, k=key: contract_body(world["klant"], **{f"schedule__{k}": [d]}),
                      f"schedule.{key}"))
    cases.append(("post", "/api/v1/werkbonnen",
                  lambda d: storing_body(world["klant"], world["correctief"],
                                         reported_at=f"{d}T10:00:00+01:00"), "reported_at"))
    cases.append(("patch", f"/api/v1/werkbonnen/{world['werkbon']}",
                  lambda d: {"planned_start": f"{d}T08:00", "medewerker_id": world["medewerker"]},
                  "planned_start"))
    for key in ("start_date", "end_date", "after"):
        cases.append(("post", "/api/v1/schedule/preview",
                      lambda d, k=key: preview_body(**{k: d}), key))
    for key in ("extra_dates", "skip_dates"):
        cases.append(("post", "/api/v1/schedule/preview",
                      lambda d, k=key: preview_body(**{k: [d]}), key))
    return cases


def test_every_api_date_outside_the_range_is_a_422_with_one_message(api, world):
    before = counts()
    for method, path, make, key in api_date_cases(world):
        for day in OUT_OF_RANGE:
            resp = getattr(api, method)(path, json=make(day))
            assert resp.status_code == 422, (path, key, day, resp.get_json())
            assert resp.get_json()["errors"].get(key) == DATE_RANGE_MESSAGE, \
                (path, key, day, resp.get_json())
    for key in ("from", "to"):
        for day in OUT_OF_RANGE:
            resp = api.get(f"/api/v1/werkbonnen?{key}={day}")
            assert resp.status_code == 422
            assert resp.get_json()["errors"] == {key: DATE_RANGE_MESSAGE}
    assert counts() == before


def test_the_edges_of_the_range_are_accepted_by_the_api(api, world):
    made = api.post("/api/v1/contracten", json=contract_body(
        world["klant"], start_date="1900-01-01", end_date="2999-12-31",
        schedule__rrule="FREQ=YEARLY", days_in_advance=0))
    assert made.status_code == 201, made.get_json()
    # visits spread over each contract year stop at the range's end (a contract from 2995 on
    # was refused over "extra_dates" its client never sent: ten years of spread visits)
    late = api.post("/api/v1/contracten", json={
        "klant_id": world["klant"], "contracttype": "jaarlijks", "description": "Keuring",
        "start_date": "2995-03-01", "visits_per_year": 5})
    assert late.status_code == 201, late.get_json()
    with connection():
        spread = Contract.get_by_id(late.get_json()["id"]).dates("extra_dates")
    assert spread and max(spread) <= date(2999, 12, 31) and min(spread) > date(2995, 3, 1)
    resp = api.post("/api/v1/schedule/preview", json=preview_body(
        start_date="2999-12-01", end_date="2999-12-31", after="2999-12-01"))
    assert resp.status_code == 200, resp.get_json()
    assert [o["date"] for o in resp.get_json()["occurrences"]] == ["2999-12-01"]


@pytest.fixture
def draft(planner, world):
    """An edit draft of the preventief contract (the wizard), its steps' base URL."""
    resp = planner.post(f"/contracten/{world['preventief']['id']}/bewerken")
    return resp.headers["Location"].rsplit("/", 1)[0]


def test_wizard_dates_outside_the_range_are_field_errors(planner, world, draft):
    before = counts()
    for key in ("start_date", "end_date"):
        for day in OUT_OF_RANGE:
            resp = planner.post(f"{draft}/overeenkomst", data={
                "klant_id": world["klant"], "start_date": "2026-01-01", "end_date": "",
                "description": "Onderhoud", key: day})
            assert resp.status_code == 422, (key, day)
            assert DATE_RANGE_MESSAGE in resp.get_data(as_text=True), (key, day)
    planner.post(f"{draft}/overeenkomst", data={
        "klant_id": world["klant"], "start_date": "2026-01-01", "end_date": "2027-12-31",
        "description": "Onderhoud"})
    for day in OUT_OF_RANGE:
        resp = planner.post(f"{draft}/schema", data={
            "frequency": "maandelijks", "interval": "1", "monthly_mode": "dag",
            "day_of_month": "15", "end_mode": "einddatum", "until": day,
            "holidays": "ignore", "weekends": "ignore", "days_in_advance": "14"})
        assert resp.status_code == 422, day
        assert DATE_RANGE_MESSAGE in resp.get_data(as_text=True), day
    assert counts() == before


@pytest.mark.parametrize("key", ["start_date", "end_date", "until"])
@pytest.mark.parametrize("htmx", [False, True])
def test_schema_preview_dates_outside_the_range_are_field_errors(planner, key, htmx):
    for day in OUT_OF_RANGE:
        args = {"start_date": "2026-01-01", "frequency": "maandelijks", "interval": "1",
                "monthly_mode": "dag", "day_of_month": "1", "end_mode": "geen"}
        if key == "until":
            args["end_mode"] = "einddatum"
        args[key] = day
        resp = planner.get("/schema-preview", query_string=args, htmx=htmx)
        assert resp.status_code == 422, (key, day)
        assert DATE_RANGE_MESSAGE in resp.get_data(as_text=True), (key, day)


def test_other_forms_refuse_dates_outside_the_range(planner, world):
    werkbon, contract = world["werkbon"], world["preventief"]["id"]
    before = counts()
    for day in OUT_OF_RANGE:
        cases = [
            (f"/werkbonnen/{werkbon}/plannen", {"planned_start": f"{day}T08:00"}),
            (f"/planning/werkbonnen/{werkbon}/inplannen",
             {"medewerker_id": world["medewerker"], "datum": day, "tijd": "08:00"}),
            ("/storingen/nieuw", {"klant_id": world["klant"], "contract_id": world["correctief"],
                                  "prioriteit": "Hoog", "description": "Lekkage",
                                  "reported_at": f"{day}T10:00"}),
            (f"/contracten/{contract}/beeindigen",
             {"end_date": day, "reason": "VERHUISD", "comment": ""}),
        ]
        for path, data in cases:
            resp = planner.post(path, data=data, htmx=True)
            assert resp.status_code == 422, (path, day)
            assert DATE_RANGE_MESSAGE in resp.get_data(as_text=True), (path, day)
    assert counts() == before


def test_werkbonnen_filters_say_the_range(planner, world):
    for key in ("van", "tot"):
        for day in OUT_OF_RANGE:
            resp = planner.get(f"/werkbonnen/?{key}={day}")
            assert resp.status_code == 200
            assert DATE_RANGE_MESSAGE in resp.get_data(as_text=True), (key, day)


@pytest.mark.parametrize("week", ["0001-W01", "9999-W52", "2999-W52", "1900-W01"])
def test_planbord_weeks_at_and_past_the_edges(planner, week):
    assert planner.get(f"/planning/?week={week}").status_code == 200


def test_restart_after_the_last_year_is_refused_not_a_broken_draft(planner, world, api):
    made = api.post("/api/v1/contracten", json=contract_body(
        world["klant"], start_date="2999-01-01", end_date="2999-12-31",
        schedule__rrule="FREQ=YEARLY")).get_json()
    with connection():
        drafts = ContractDraft.select().count()
    resp = planner.post(f"/contracten/{made['id']}/opnieuw", follow_redirects=True)
    assert resp.status_code == 200
    assert "2999" in resp.get_data(as_text=True)
    with connection():
        assert ContractDraft.select().count() == drafts


# --------------------------------------------------------------------------- 2. characters

CONTROL = ["\x00", "a\x00b", "\x01", "a\x1fb", "\x7f", "\ud800", "a\tb", "a\nb"]


def api_text_cases(world):
    """(method, path, make(value) -> body, field, multi-line?) for every text field."""
    klant = {"customer_number": "D-9", "name": "Nieuw", "street": "Markt", "house_number": "1",
             "postcode": "1234AB", "city": "Utrecht", "email": "", "phone": ""}
    cases = [("post", "/api/v1/klanten", lambda v, k=k: {**klant, k: v}, k, False)
             for k in klant]
    cases += [("patch", f"/api/v1/klanten/{world['klant']}", lambda v, k=k: {k: v}, k, False)
              for k in klant]
    medewerker = {"personnel_number": "P-9", "name": "Nieuw", "email": "", "phone": ""}
    cases += [("post", "/api/v1/medewerkers", lambda v, k=k: {**medewerker, k: v}, k, False)
              for k in medewerker]
    for key in ("contracttype", "description", "reference", "start_date", "end_date",
                "schedule__rrule", "schedule__holidays", "schedule__weekends",
                "werkbon__description", "werkbon__werktype", "werkbon__prioriteit",
                "werkbon__start_time", "werkbon__internal_note"):
        multi = key == "werkbon__internal_note"
        cases.append(("post", "/api/v1/contracten",
                      lambda v, k=key: contract_body(world["klant"], **{k: v}), field(key), multi))
        if key != "contracttype":
            top, _, leaf = key.partition("__")
            cases.append(("patch", f"/api/v1/contracten/{world['preventief']['id']}",
                          lambda v, t=top, f=leaf: {"version": world["preventief"]["version"],
                                                    **({t: {f: v}} if f else {t: v})},
                          field(key), multi))
    for key in ("prioriteit", "description", "reported_at"):
        cases.append(("post", "/api/v1/werkbonnen",
                      lambda v, k=key: storing_body(world["klant"], world["correctief"],
                                                    **{k: v}), key, False))
    for key in ("planned_start", "status", "cancel_reason"):
        cases.append(("patch", f"/api/v1/werkbonnen/{world['werkbon']}",
                      lambda v, k=key: {k: v}, key, False))
    for key in ("start_date", "end_date", "rrule", "holidays", "weekends", "after"):
        cases.append(("post", "/api/v1/schedule/preview",
                      lambda v, k=key: preview_body(**{k: v}), key, False))
    return cases


def test_control_characters_in_any_api_text_are_a_422_at_their_field(api, world):
    """A NUL passed "required" (it is no white space) and was a 500 on PostgreSQL; half a
    surrogate pair ("\\ud800" in JSON) could not be encoded on either database."""
    before = counts()
    for method, path, make, key, multi in api_text_cases(world):
        for value in CONTROL:
            if multi and value in ("a\tb", "a\nb"):
                continue
            resp = getattr(api, method)(path, json=make(value))
            assert resp.status_code == 422, (path, key, value, resp.get_json())
            expected = CONTROL_MESSAGE_MULTILINE if multi else CONTROL_MESSAGE
            assert resp.get_json()["errors"].get(key) == expected, \
                (path, key, value, resp.get_json())
    assert counts() == before


def test_a_multi_line_field_keeps_its_tabs_and_line_ends(api, world):
    note = "Sleutel bij de buren\r\nCode:\t1234\nniet bellen"
    resp = api.post("/api/v1/contracten", json=contract_body(
        world["klant"], werkbon__internal_note=note))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["werkbon"]["internal_note"] == note


def form_text_cases(world):
    """(path, form, field, multi-line?) for the text fields of the HTML forms; htmx posts."""
    klant = {"customer_number": "D-9", "name": "Nieuw", "street": "Markt", "house_number": "1",
             "postcode": "1234AB", "city": "Utrecht", "email": "", "phone": ""}
    storing = {"klant_id": world["klant"], "contract_id": world["correctief"],
               "prioriteit": "Hoog", "description": "Lekkage", "reported_at": "2026-11-26T10:00"}
    end = {"end_date": "2027-06-30", "reason": "VERHUISD", "comment": ""}
    werktype = {"name": "Inspectie", "default_duration": "30"}
    terms = {"code": "X-1", "name": "Nieuw", "description": "", "duration_months": "12",
             "renewal_months": "12", "notice_value": "1", "notice_unit": "maanden",
             "invoice_period": "jaar"}
    reden = {"code": "X", "text": "Anders"}
    sla = {"code": "X", "name": "Nieuw", "description": ""}
    contract = world["preventief"]["id"]
    cases = [("/klanten/nieuw", klant, k, False) for k in klant]
    cases += [("/storingen/nieuw", storing, k, False) for k in ("description", "prioriteit")]
    cases += [(f"/contracten/{contract}/beeindigen", end, "reason", False),
              (f"/contracten/{contract}/beeindigen", end, "comment", True),
              ("/instellingen/sluitingsdagen", {"date": "2026-12-24", "description": "x"},
               "description", False),
              ("/instellingen/werktypen/nieuw", werktype, "name", False),
              ("/instellingen/redenen/nieuw", reden, "code", False),
              ("/instellingen/redenen/nieuw", reden, "text", False),
              ("/instellingen/contractvoorwaarden/nieuw", terms, "code", False),
              ("/instellingen/contractvoorwaarden/nieuw", terms, "description", True),
              ("/instellingen/sla/nieuw", sla, "code", False),
              ("/instellingen/sla/nieuw", sla, "name", False),
              ("/instellingen/sla/nieuw", sla, "description", False),
              (f"/werkbonnen/{world['werkbon']}/annuleren", {"cancel_reason": "x"},
               "cancel_reason", False)]
    return cases


def test_control_characters_in_a_form_are_a_field_error(beheerder, world):
    before = counts()
    for path, form, key, multi in form_text_cases(world):
        for value in ("\x00", "a\x00b", "\x01", "\x7f") + (() if multi else ("a\tb",)):
            resp = beheerder.post(path, data={**form, key: value}, htmx=True)
            assert resp.status_code == 422, (path, key, value)
            expected = CONTROL_MESSAGE_MULTILINE if multi else CONTROL_MESSAGE
            assert expected in resp.get_data(as_text=True), (path, key, value)
    assert counts() == before


def test_control_characters_in_the_wizard_are_field_errors(planner, world, draft):
    before = counts()
    agreement = {"klant_id": world["klant"], "start_date": "2026-01-01",
                 "end_date": "2027-12-31", "description": "Onderhoud", "reference": ""}
    werkbon = {"wb_description": "Beurt", "werktype": "Onderhoud", "duration_minutes": "60",
               "prioriteit": "Normaal", "start_time": "08:30", "internal_note": ""}
    for step, form, key, multi in [
            ("overeenkomst", agreement, "description", False),
            ("overeenkomst", agreement, "reference", False),
            ("werkbon", werkbon, "wb_description", False),
            ("werkbon", werkbon, "werktype", False),
            ("werkbon", werkbon, "prioriteit", False),
            ("werkbon", werkbon, "internal_note", True)]:
        for value in ("\x00", "a\x00b", "\x01"):
            resp = planner.post(f"{draft}/{step}", data={**form, key: value})
            assert resp.status_code == 422, (step, key, value)
            expected = CONTROL_MESSAGE_MULTILINE if multi else CONTROL_MESSAGE
            assert expected in resp.get_data(as_text=True), (step, key, value)
    # a search for a klant or medewerker with a NUL in it finds nothing, and breaks nothing
    for step, form, key in [("overeenkomst", agreement, "klant_q"),
                            ("werkbon", werkbon, "medewerker_q")]:
        resp = planner.post(f"{draft}/{step}", data={**form, key: "Bak\x00",
                                                      "actie": f"zoek-{key[:-2]}"})
        assert resp.status_code == 200
    assert counts() == before


@pytest.mark.parametrize("path", ["/klanten/", "/medewerkers/", "/contracten/", "/werkbonnen/",
                                  "/storingen/nieuw"])
def test_a_nul_in_a_query_string_is_a_400_page(planner, path):
    resp = planner.get(f"{path}?q=a%00b&klant_id=%00")
    assert resp.status_code == 400
    assert "Het adres bevat een onzichtbaar stuurteken" in resp.get_data(as_text=True)


def test_a_nul_in_an_api_query_string_is_a_422_at_its_parameter(api, world):
    resp = api.get("/api/v1/werkbonnen?status=open%00&limit=5")
    assert resp.status_code == 422
    assert set(resp.get_json()["errors"]) == {"status"}


# --------------------------------------------------------------------------- 3. JSON bodies

API_WRITES = [("post", "/api/v1/klanten"), ("patch", "/api/v1/klanten/1"),
              ("post", "/api/v1/medewerkers"), ("patch", "/api/v1/medewerkers/1"),
              ("post", "/api/v1/contracten"), ("patch", "/api/v1/contracten/1"),
              ("post", "/api/v1/werkbonnen"), ("patch", "/api/v1/werkbonnen/1"),
              ("post", "/api/v1/schedule/preview")]


@pytest.mark.parametrize("method, path", API_WRITES)
@pytest.mark.parametrize("body", ["[" * 100_000, '{"a": ' * 100_000])
def test_a_deeply_nested_json_body_is_a_json_error(client, api, world, method, path, body):
    """json.loads raised RecursionError (no ValueError), which get_json(silent=True) let
    through: a 500."""
    before = counts()
    resp = getattr(client, method)(path, data=body, content_type="application/json",
                                   headers=api.headers)
    assert resp.status_code in (400, 422)
    assert set(resp.get_json()["errors"]) == {"body"}
    assert counts() == before


def test_any_route_that_reads_json_answers_too_deep_json_with_a_400(app, request):
    """The general way: request.get_json() anywhere goes through views.json_provider, which makes
    a RecursionError a ValueError, so Flask answers 400 (JSON on /api/, a page otherwise)."""
    from flask import request as flask_request

    def echo():
        return {"got": flask_request.get_json()}

    app.add_url_rule("/api/v1/proef", "proef_api", echo, methods=["POST"])
    app.add_url_rule("/proef", "proef", echo, methods=["POST"])
    planner = request.getfixturevalue("planner")
    resp = planner.client.post("/api/v1/proef", data="[" * 100_000,
                               content_type="application/json",
                               headers={"X-CSRFToken": planner.token})
    assert resp.status_code == 400 and set(resp.get_json()["errors"]) == {"body"}
    resp = planner.client.post("/proef", data="[" * 100_000, content_type="application/json",
                               headers={"X-CSRFToken": planner.token})
    assert resp.status_code == 400
    assert "Dit verzoek kon niet gelezen worden" in resp.get_data(as_text=True)
    resp = planner.client.post("/proef", data="[" * 50 + "]" * 50, content_type="application/json",
                               headers={"X-CSRFToken": planner.token})
    assert resp.status_code == 200 and resp.get_json()["got"] is not None


def test_a_deeply_nested_cursor_is_refused(api):
    import base64

    cursor = base64.urlsafe_b64encode(b"[" * 3000).decode().rstrip("=")
    for path in ("/api/v1/klanten", "/api/v1/werkbonnen", "/api/v1/contracten"):
        resp = api.get(f"{path}?cursor={cursor}")
        assert resp.status_code == 422 and "cursor" in resp.get_json()["errors"]


def test_invalid_json_says_so(client, api):
    resp = client.post("/api/v1/klanten", data='{"name": ', content_type="application/json",
                       headers=api.headers)
    assert resp.status_code == 422 and set(resp.get_json()["errors"]) == {"body"}


def test_a_body_over_the_limit_is_a_413(app, client, api, planner):
    """A 30 MB JSON body was read and parsed in full."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit == 1024 * 1024
    before = counts()
    big = json.dumps({"name": "x" * limit})
    resp = client.post("/api/v1/klanten", data=big, content_type="application/json",
                       headers=api.headers)
    assert resp.status_code == 413
    assert set(resp.get_json()["errors"]) == {"body"}
    assert "1 MB" in resp.get_json()["errors"]["body"]
    resp = planner.post("/klanten/nieuw", data={"name": "x" * limit})
    assert resp.status_code == 413
    html = resp.get_data(as_text=True)
    assert "<html" in html and "te groot" in html
    assert counts() == before


def test_the_request_limit_is_configurable(tmp_path, redis_url, monkeypatch):
    from tests.conftest import _make_app

    monkeypatch.setenv("CADANS_MAX_CONTENT_LENGTH", "2048")
    app = _make_app(tmp_path, redis_url)
    assert app.config["MAX_CONTENT_LENGTH"] == 2048
    client = app.test_client()
    assert client.post("/login", data={"username": "x" * 3000}).status_code == 413
    assert client.post("/login", data={"username": "x" * 1000}).status_code == 400  # CSRF


# --------------------------------------------------------------------------- 4. JSON types

def api_type_cases(world):
    """(method, path, body, field): a value of the wrong JSON type where a number, a boolean
    or a text belongs; "1" is no integer, true is no integer, 1.0 is no integer."""
    contract = world["preventief"]
    cases = []
    for key, wrong in [("klant_id", str(world["klant"])), ("klant_id", True),
                       ("klant_id", float(world["klant"])), ("days_in_advance", "14"),
                       ("days_in_advance", False), ("contractvoorwaarden_id", "1"),
                       ("werkbon__duration_minutes", "60"), ("werkbon__medewerker_id", "1"),
                       ("werkbon__duration_minutes", 60.0), ("description", 5),
                       ("schedule__extra_dates", "2026-03-01"), ("schedule", "FREQ=DAILY"),
                       ("werkbon", [])]:
        cases.append(("post", "/api/v1/contracten",
                      contract_body(world["klant"], **{key: wrong}), field(key)))
        cases.append(("patch", f"/api/v1/contracten/{contract['id']}",
                      with_changes({"version": contract["version"]}, {key: wrong})
                      if "__" not in key else
                      {"version": contract["version"],
                       key.split("__")[0]: {key.split("__")[1]: wrong}}, field(key)))
    cases.append(("post", "/api/v1/contracten",
                  contract_body(world["klant"], contracttype="jaarlijks", schedule=None,
                                visits_per_year="4"), "visits_per_year"))
    cases.append(("post", "/api/v1/contracten",
                  {"klant_id": world["klant"], "contracttype": "correctief",
                   "description": "Storing", "start_date": "2026-01-01",
                   "sla_beleid_id": str(world["sla"])}, "sla_beleid_id"))
    for key, wrong in [("klant_id", str(world["klant"])), ("contract_id", True),
                       ("prioriteit", 1), ("description", ["x"]), ("reported_at", 1700000000)]:
        cases.append(("post", "/api/v1/werkbonnen",
                      storing_body(world["klant"], world["correctief"], **{key: wrong}), key))
    for key, wrong in [("medewerker_id", str(world["medewerker"])), ("medewerker_id", True),
                       ("status", 1), ("cancel_reason", 5), ("planned_start", 1700000000)]:
        cases.append(("patch", f"/api/v1/werkbonnen/{world['werkbon']}", {key: wrong}, key))
    for key, wrong in [("days_in_advance", "14"), ("days_in_advance", True), ("count", "12"),
                       ("count", 12.0), ("holidays", 1), ("extra_dates", "2026-01-01")]:
        cases.append(("post", "/api/v1/schedule/preview", preview_body(**{key: wrong}), key))
    for key, wrong in [("name", 5), ("active", "true"), ("active", 1)]:
        cases.append(("patch", f"/api/v1/klanten/{world['klant']}", {key: wrong}, key))
    return cases


def test_api_types_are_strict(api, world):
    before = counts()
    for method, path, body, key in api_type_cases(world):
        resp = getattr(api, method)(path, json=body)
        assert resp.status_code == 422, (path, key, body, resp.get_json())
        message = resp.get_json()["errors"].get(key)
        assert message in TYPE_MESSAGES.values(), (path, key, resp.get_json())
    assert counts() == before


def test_null_still_means_the_default(api, world):
    resp = api.post("/api/v1/contracten", json=contract_body(
        world["klant"], days_in_advance=None, reference=None, end_date=None,
        werkbon__duration_minutes=None, werkbon__medewerker_id=None,
        schedule__extra_dates=None))
    assert resp.status_code == 201, resp.get_json()
    got = resp.get_json()
    assert got["days_in_advance"] == 0 and got["werkbon"]["duration_minutes"] == 60
    resp = api.post("/api/v1/schedule/preview", json=preview_body(
        days_in_advance=None, count=None, holidays=None, after=None))
    assert resp.status_code == 200, resp.get_json()


# --------------------------------------------------------------------------- 5. PATCH = the form

def werkbonnen_of(contract_id: int) -> list[tuple]:
    """What a contract's werkbonnen are, without what names one row (id, number)."""
    with connection():
        return [(w.due_date, w.status, w.medewerker_id, w.planned_start, w.description,
                 w.duration_minutes, w.werktype, w.prioriteit, w.changed_by_hand, w.stands_for,
                 w.cancel_reason, w.generated_on)
                for w in Werkbon.select().where(Werkbon.contract == contract_id)
                .order_by(Werkbon.due_date, Werkbon.status)]


def test_an_api_patch_does_to_the_werkbonnen_what_the_form_does(app, api, planner, world):
    """The wizard's edit recalculated, reassigned and enqueued; the PATCH did not reassign and
    never enqueued. Both now go one way; compared row by row, immediately (no worker ran)."""
    from views.today import local_today

    with app.app_context():
        today = local_today()
    other = api.post("/api/v1/medewerkers", json={"personnel_number": "P-2",
                                                  "name": "Kees"}).get_json()["id"]
    pair = []
    for _ in range(2):
        made = api.post("/api/v1/contracten", json=contract_body(
            world["klant"], world["medewerker"], start_date="2026-09-01",
            days_in_advance=60)).get_json()
        pair.append(made)
    from models.stamdata.calendar_store import free_days
    from models.werkbonnen import replan

    with connection():
        for made in pair:
            contract = Contract.get_by_id(made["id"])
            replan.apply_plan(contract, replan.plan_for(contract, today, free_days()),
                                   today, free_days(), "test")
    assert werkbonnen_of(pair[0]["id"]) == werkbonnen_of(pair[1]["id"]) != []

    # the same edit: another day of the month, another medewerker, a longer lead time
    resp = api.patch(f"/api/v1/contracten/{pair[0]['id']}", json={
        "version": pair[0]["version"], "days_in_advance": 90,
        "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=20"},
        "werkbon": {"medewerker_id": other}})
    assert resp.status_code == 200, resp.get_json()
    assert "notice" not in resp.get_json()

    base = planner.post(f"/contracten/{pair[1]['id']}/bewerken").headers["Location"]
    base = base.rsplit("/", 1)[0]
    planner.post(f"{base}/werkbon", data={
        "wb_description": "Onderhoudsbeurt", "werktype": "Onderhoud", "duration_minutes": "60",
        "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": other,
        "internal_note": ""})
    planner.post(f"{base}/schema", data={
        "frequency": "maandelijks", "interval": "1", "monthly_mode": "dag",
        "day_of_month": "20", "end_mode": "geen", "holidays": "next_workday",
        "weekends": "next_workday", "days_in_advance": "90"})
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert 'name="herverdelen" value="1" checked' in controle  # the form's default
    import re

    shown = re.search(r'name="gevolgen" value="([^"]*)"', controle)
    saved = planner.post(f"{base}/controle", data={
        "actie": "opslaan", "herverdelen": "1", "gevolgen": shown.group(1) if shown else ""})
    assert saved.status_code == 303, saved.get_data(as_text=True)

    api_rows, form_rows = werkbonnen_of(pair[0]["id"]), werkbonnen_of(pair[1]["id"])
    assert api_rows == form_rows
    assert any(row[2] == other for row in api_rows)  # reassigned, as the form's default does
    assert max(row[0] for row in api_rows) > today + timedelta(days=60)  # the longer lead
    with connection():
        assert Contract.get_by_id(pair[0]["id"]).next_attention == \
            Contract.get_by_id(pair[1]["id"]).next_attention


@pytest.mark.slow
def test_an_api_patch_enqueues_and_says_when_that_is_delayed(app, api, world, redis_conn,
                                                             tmp_path_factory):
    from rq import Queue

    from jobs import redis_server
    from jobs.connection import QUEUE
    from jobs.enqueue import DELAYED

    contract = world["preventief"]
    queue = Queue(QUEUE, connection=redis_conn)
    queued = queue.count
    resp = api.patch(f"/api/v1/contracten/{contract['id']}",
                     json={"version": contract["version"], "days_in_advance": 30})
    assert resp.status_code == 200, resp.get_json()
    assert "notice" not in resp.get_json()
    assert queue.count == queued + 1
    assert queue.jobs[-1].args[0] == contract["id"]  # (contract id, the save's date)

    proc, url = redis_server.start(tmp_path_factory.mktemp("vk"), persistent=False)
    redis_server.stop(proc)
    app.config["REDIS_URL"] = url
    resp = api.patch(f"/api/v1/contracten/{contract['id']}",
                     json={"version": contract["version"] + 1, "days_in_advance": 20})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["notice"] == DELAYED
    with connection():
        saved = Contract.get_by_id(contract["id"])
    assert saved.days_in_advance == 20 and saved.version == contract["version"] + 2
    # a PATCH that changes nothing saves nothing, and so has nothing to enqueue
    resp = api.patch(f"/api/v1/contracten/{contract['id']}",
                     json={"version": saved.version, "days_in_advance": 20})
    assert resp.status_code == 200 and "notice" not in resp.get_json()


def test_the_form_edit_still_enqueues(app, planner, world, redis_conn):
    from rq import Queue

    from jobs.connection import QUEUE

    queue = Queue(QUEUE, connection=redis_conn)
    queued = queue.count
    base = planner.post(f"/contracten/{world['preventief']['id']}/bewerken")
    base = base.headers["Location"].rsplit("/", 1)[0]
    planner.post(f"{base}/overeenkomst", data={
        "klant_id": world["klant"], "start_date": "2026-01-01", "end_date": "2027-12-31",
        "description": "Ander onderhoud", "reference": "PO-1"})
    assert planner.post(f"{base}/controle", data={"actie": "opslaan"}).status_code == 303
    assert queue.count == queued + 1
