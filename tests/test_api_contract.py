"""The contract test: Schemathesis generates requests from /api/v1/openapi.json (valid ones and
ones the document forbids) and sends them to the real app (real database, real Redis, a real
token): no 5xx, every status code and body is the one documented, a request the document
forbids is refused, and a request that answers 4xx writes nothing.

The document is built at import (schemathesis.pytest.from_fixture breaks on pytest 9: it sets
`request.node._nodeid`); each operation's app comes from the ordinary fixtures and is passed to
`case.call(app=...)`. Bounded and deterministic: EXAMPLES per operation, derandomized.
"""

import hashlib
import os
import tempfile
from collections import Counter, defaultdict

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from app import create_app
from models.db import connection, db
from tests.conftest import _make_app, make_user

ON_POSTGRESQL = True  # tests/conftest.py: each operation runs on SQLite and on PostgreSQL

EXAMPLES = int(os.environ.get("CADANS_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
# Rows that change without a write a client asked for: the token's last use (at most once a
# minute) and an Idempotency-Key's claim (released again when the request is refused).
NOT_CONTENT = {"api_token", "idempotency_key"}
SEEN: dict[tuple[str, str], set[int]] = defaultdict(set)
CALLS: Counter = Counter()  # status -> requests, for the run's summary (pytest -s)


def _document() -> dict:
    from views.api.openapi import document

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": folder,
                          "DATABASE_URL": f"sqlite:///{folder}/doc.db"})
        with app.app_context():
            return document()


# A stale If-Match answers 412 before the body is read: a refusal like any other.
CONFIG = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
    "expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428, 429]}}})
schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    """Both databases (conftest's ON_POSTGRESQL parametrizes plain tests, not Schemathesis's)."""
    return request.param


@pytest.fixture
def fuzzed(tmp_path, redis_url, database_url):
    """An app without the rate limit (the fuzzer sends far more than 600 a minute), a token
    that may do everything, and one of each row so that id 1 exists for every resource."""
    from models.stamdata.users import ApiToken

    app = _make_app(tmp_path, redis_url, database_url, API_LIMIT="uit")
    user = make_user("fuzzer", "planner")
    with connection():
        token = ApiToken.issue(user)
    headers = {"Authorization": f"Bearer {token}"}
    client = app.test_client()

    def post(path, body):
        resp = client.post(f"/api/v1/{path}", json=body, headers=headers)
        assert resp.status_code == 201, resp.get_json()
        return resp.get_json()["id"]

    klant = post("klanten", {"customer_number": "D-1", "name": "Bakkerij Jansen",
                             "street": "Dorpsstraat", "house_number": "4", "postcode": "1234AB",
                             "city": "Utrecht"})
    medewerker = post("medewerkers", {"personnel_number": "P-1", "name": "Piet de Monteur"})
    sla = client.get("/api/v1/sla-beleid", headers=headers).get_json()["items"][0]["id"]
    storingsdienst = post("contracten", {"klant_id": klant, "contracttype": "correctief",
                                         "description": "Storingsdienst",
                                         "start_date": "2026-01-01", "sla_beleid_id": sla})
    post("contracten", {"klant_id": klant, "contracttype": "preventief",
                        "description": "Onderhoud", "start_date": "2026-01-01",
                        "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                        "werkbon": {"medewerker_id": medewerker},
                        "prijs": "1200.00", "btw_tarief": "21", "factuurperiode": "maand",
                        "factureren": "vooraf"})  # its termijnen: ids 1, 2, ...
    werkadres = post("werkadressen", {"klant_id": klant, "name": "Hoofdkantoor",
                                      "street": "Dorpsstraat", "house_number": "4",
                                      "postcode": "1234AB", "city": "Utrecht"})
    post("objecten", {"werkadres_id": werkadres, "objecttype_id": 1, "number": "KET-1",
                      "brand": "Remeha"})
    post("werkbonnen", {"klant_id": klant, "contract_id": storingsdienst, "prioriteit": "Hoog",
                        "description": "Geen warmte"})
    yield app, headers
    if not db.is_closed():
        db.close()
    if hasattr(db.obj, "close_all"):
        db.obj.close_all()


def content() -> str:
    """A fingerprint of every row of every table a request may write (on PostgreSQL in one
    statement: a round trip per table made the test twice as slow)."""
    with connection():
        tables = sorted(set(db.get_tables()) - NOT_CONTENT)
        if db.obj.param == "%s":  # PostgreSQL
            sql = " UNION ALL ".join(
                f"SELECT '{t}', md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) "
                f'FROM "{t}" x' for t in tables)  # noqa: S608
            return repr(db.execute_sql(sql).fetchall())
        digest = hashlib.sha256()
        for table in tables:
            rows = db.execute_sql(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
            digest.update(table.encode())
            for row in sorted(repr(r) for r in rows):
                digest.update(row.encode())
        return digest.hexdigest()


@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_document(case, fuzzed):
    app, headers = fuzzed
    for name, value in (case.path_parameters or {}).items():
        text = str(value)
        if text.isascii() and text.isdigit() and 2 < int(text) < 2**63:
            case.path_parameters[name] = 1 + int(text) % 2  # most generated ids exist nowhere
    writes = case.operation.definition.raw.get("x-cadans-scope", "").endswith(":schrijven")
    before = content() if writes else None
    # A negative case may be one without the Authorization header the document requires: send
    # it without (401 is its right answer); every other case carries the real token.
    dropped = (case.meta is not None and case.meta.generation.mode.is_negative
               and "Authorization" not in (case.headers or {}))
    response = case.call(app=app, headers=None if dropped else headers)
    SEEN[(case.method.upper(), case.path)].add(response.status_code)
    CALLS[response.status_code] += 1
    case.validate_response(response, checks=CHECKS)
    if before is not None and 400 <= response.status_code < 500:
        assert content() == before, (
            f"{case.method} {case.formatted_path} answered {response.status_code} but wrote")


# Documented answers the fuzzer cannot reach with one all-powerful token and no rate limit,
# and the tests that reach them: (method, path or "*", status) -> why.
ELSEWHERE = {
    ("*", "*", 403): "one token with every scope; tests/test_api_tokens.py: each scope x route",
    ("*", "*", 429): "no rate limit here; tests/test_api_tokens.py",
    ("POST", "*", 409): "a retry while the first is running; tests/test_api_idempotency.py",
    ("GET", "/health", 503): "the database down; tests/test_jobs.py",
}


def _documented() -> dict[tuple[str, str], set[int]]:
    doc = schema.raw_schema
    return {(method.upper(), path): {int(s) for s in op["responses"]}
            for path, item in doc["paths"].items() for method, op in item.items()}


def test_every_documented_status_was_answered_or_is_tested_elsewhere():
    """After the fuzzer (this module's order): each documented status of each operation was
    seen, or ELSEWHERE says which test reaches it."""
    if not SEEN:
        pytest.skip("runs after test_api_conforms_to_its_document in the same session")
    print(f"\nfuzzer: {sum(CALLS.values())} requests, by status {dict(sorted(CALLS.items()))}")
    missing = []
    for (method, path), statuses in _documented().items():
        for status in sorted(statuses - SEEN[(method, path)]):
            if not any(key in ELSEWHERE for key in ((method, path, status), (method, "*", status),
                                                    ("*", "*", status))):
                missing.append(f"{method} {path} {status}")
    assert missing == [], missing
