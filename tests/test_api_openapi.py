"""/api/v1/openapi.json: a valid OpenAPI 3.1 document, served without a token, that names every
route of the API with its scope; the request models (which check the JSON types at run time)
give the verdicts and Dutch messages of the hand-written specs they replaced; and the API page
that renders the document."""

import re

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator
from pydantic import ValidationError

from models.common import validation
from models.contracts import input as contract_input
from models.facturatie import input as facturatie_input
from models.sla import service as sla_service
from models.stamdata.klanten import KLANT_FIELDS
from models.stamdata.medewerkers import MEDEWERKER_FIELDS
from models.webhooks.tables import EVENTS
from models.werkbonnen import service as werkbon_service
from views.api import objecten as objecten_api
from views.api import schedule as schedule_api
from views.api import schemas, type_problems

ON_POSTGRESQL = False  # the document and the models need no database rows
PARAM = re.compile(r"<(?:[^:>]*:)?(\w+)>")


def served(client) -> dict:
    resp = client.get("/api/v1/openapi.json")  # no Authorization header
    assert resp.status_code == 200
    assert resp.content_type == "application/json"
    return resp.get_json()


def test_the_document_is_valid_openapi_31_without_a_token(client):
    doc = served(client)
    assert doc["openapi"] == "3.1.0"
    assert list(OpenAPIV31SpecValidator(doc).iter_errors()) == []


def test_every_api_route_and_method_is_documented_and_nothing_else(app, client):
    """Read from app.url_map: a new route under /api/v1 without an operation in
    views/api/openapi.py fails here (and one documented that does not exist)."""
    doc = served(client)
    prefix = doc["servers"][0]["url"]
    routes = {(PARAM.sub(r"{\1}", rule.rule).removeprefix(prefix), method.lower())
              for rule in app.url_map.iter_rules() if rule.rule.startswith(prefix + "/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in doc["paths"].items() for method in item}
    assert len(routes) >= 20
    assert routes - documented == set(), "routes without an operation in views/api/openapi.py"
    assert documented - routes == set(), "operations without a route"


def test_each_operation_names_the_scope_its_route_declared(app, client):
    from views.api.access import declared

    doc = served(client)
    endpoints = {}
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            endpoints[(PARAM.sub(r"{\1}", rule.rule), method.lower())] = rule.endpoint
    checked = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            need = declared(endpoints[("/api/v1" + path, method)], app)
            if need is None:  # public: health and this document
                assert op["security"] == []
                continue
            scope = need.scope_for(method.upper())
            assert op["security"] == [{"bearer": [scope]}]
            assert op["x-cadans-scope"] == scope
            assert op["x-cadans-klant"] is (method.upper() in need.klant)
            assert f"Scope: `{scope}`" in op["description"]
            for status in ("401", "403", "429"):
                assert op["responses"][status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Errors"}
            if method == "post":
                assert "Idempotency-Key" in [p["name"] for p in op["parameters"]]
                assert {"400", "409", "422"} <= set(op["responses"])
            checked += 1
    assert checked >= 18
    patch = doc["paths"]["/contracten/{contract_id}"]["patch"]
    assert "If-Match" in [p["name"] for p in patch["parameters"]]
    assert {"409", "412"} <= set(patch["responses"])


def test_webhooks_describe_every_event_with_its_signed_headers(client):
    doc = served(client)
    assert set(doc["webhooks"]) == set(EVENTS)
    for hook in doc["webhooks"].values():
        names = {p["name"] for p in hook["post"]["parameters"]}
        assert names == {"webhook-id", "webhook-timestamp", "webhook-signature"}


def test_the_examples_are_valid_against_their_own_models(client):
    """The Dutch examples in the document are bodies the request models accept."""
    doc = served(client)
    models = {m.__name__: m for m in schemas.REQUEST_MODELS}
    seen = 0
    for item in doc["paths"].values():
        for op in item.values():
            media = op.get("requestBody", {}).get("content", {}).get("application/json")
            if not media:
                continue
            model = models[media["schema"]["$ref"].rsplit("/", 1)[1]]
            for example in media.get("examples", {}).values():
                model.model_validate(example["value"])
                seen += 1
    assert seen >= 8


# ------------------------------------------------------------ models vs the hand-written specs
# The models replaced validation.type_errors with each resource's spec (API_TYPES) at run time;
# these tests hold them to the same fields, verdicts, field paths and messages.

SPECS = {
    schemas.ContractIn: contract_input.API_TYPES,
    schemas.ContractPatch: {**contract_input.API_TYPES, "version": validation.INTEGER},
    schemas.WerkbonPatch: werkbon_service.API_TYPES,
    schemas.StoringIn: sla_service.API_TYPES,
    schemas.PreviewIn: schedule_api.TYPES,
    schemas.KlantIn: {**dict.fromkeys(KLANT_FIELDS, validation.TEXT),
                      "active": validation.BOOLEAN},
    schemas.MedewerkerIn: {**dict.fromkeys(MEDEWERKER_FIELDS, validation.TEXT),
                           "active": validation.BOOLEAN},
    schemas.WerkadresIn: objecten_api.WERKADRES_TYPES,
    schemas.WerkadresPatch: {**objecten_api.WERKADRES_TYPES, "version": validation.INTEGER},
    schemas.ObjectIn: objecten_api.OBJECT_TYPES,
    schemas.ObjectPatch: {**objecten_api.OBJECT_TYPES, "version": validation.INTEGER},
}
NESTED = {"schedule": schemas.ScheduleIn, "werkbon": schemas.WerkbonTemplateIn}


def kind_of(model, name):
    """The hand layer's kind for a model field, read from the model's JSON schema."""
    if name in NESTED:
        return {n: kind_of(NESTED[name], n) for n in NESTED[name].model_fields}
    prop = model.model_json_schema()["properties"][name]
    (schema,) = [s for s in prop.get("anyOf", [prop]) if s.get("type") != "null"]
    if schema["type"] == "array":
        return validation.ID_LIST if schema["items"]["type"] == "integer" else validation.DATE_LIST
    if schema["type"] == "string":
        return validation.MULTILINE if "u000b" in schema["pattern"] else validation.TEXT
    return {"integer": validation.INTEGER, "boolean": validation.BOOLEAN}[schema["type"]]


# A contract's facturatie fields leave the body before the model sees it: the facturatie's
# own checks (models/facturatie/input.from_api) take them, with their own messages.
# A contract's onderdelen (a list of objects, issue 18) are typed by their own nested model
# (schemas.OnderdeelIn); the hand specs have no kind for a list of objects.
CHECKED_ELSEWHERE = set(facturatie_input.API_FIELDS) | {"onderdelen"}


@pytest.mark.parametrize("model", list(SPECS), ids=lambda m: m.__name__)
def test_each_request_model_has_the_fields_and_types_of_its_spec(model):
    fields = set(model.model_fields) - CHECKED_ELSEWHERE
    assert {name: kind_of(model, name) for name in fields} == SPECS[model]


WRONG = {  # kind -> values of the wrong JSON type (or with a control character)
    validation.INTEGER: ["1", 1.0, True, [1], {"a": 1}],
    validation.TEXT: [1, True, ["a"], "a\x00b", "tab\there", "\ud800"],
    validation.MULTILINE: [1, False, "NUL\x00", "\x1b[31m"],
    validation.BOOLEAN: ["true", 1, 0, "ja"],
    validation.DATE_LIST: ["2026-01-01", [1], ["2026-01-01", 5], {"a": 1}],
    validation.ID_LIST: [1, "1,2", ["1"], [1, True], [1.0], {"a": 1}],
}
RIGHT = {validation.INTEGER: 3, validation.TEXT: "Bakkerij Jansen", validation.BOOLEAN: True,
         validation.MULTILINE: "regel 1\r\nregel 2\tmet tab",
         validation.DATE_LIST: ["2026-01-01"], validation.ID_LIST: [1, 2]}


def bodies(spec, prefix=""):
    """(body, path of the one bad field) for each field x each wrong value; nested fields as
    {"schedule": {"rrule": 1}}."""
    for key, kind in spec.items():
        if isinstance(kind, dict):
            for inner, path in bodies(kind, f"{prefix}{key}."):
                yield {key: inner}, path
            yield {key: "FREQ=DAILY"}, f"{prefix}{key}"
            continue
        for value in WRONG[kind]:
            yield {key: value}, f"{prefix}{key}"
        yield {key: RIGHT[kind], "kleur": "rood"}, f"{prefix}kleur"


def hand(model, body, spec):
    """What the run-time layer says about `body`: type errors, then unknown fields (a contract's
    also inside schedule and werkbon: contract_input.unknown_fields)."""
    errors = validation.type_errors(body, spec)
    if model in (schemas.ContractIn, schemas.ContractPatch):
        unknown = contract_input.unknown_fields({k: v for k, v in body.items() if k != "version"})
    else:
        unknown = {k: "Onbekend veld." for k in body if k not in spec}
    for path, message in unknown.items():
        errors.setdefault(path, message)
    return errors


def model_says(model, body):
    """The model's errors, less "missing" for a required field the body leaves out (a PATCH's
    `version`: the view asks for it itself, in its own words)."""
    try:
        model.model_validate(body)
    except ValidationError as exc:
        return {path: message for path, message in schemas.error_dict(exc).items()
                if not (body.get(path) is None and model.model_fields.get(path)
                        and model.model_fields[path].is_required())}
    return {}


@pytest.mark.parametrize("model", list(SPECS), ids=lambda m: m.__name__)
def test_model_and_hand_checks_give_the_same_verdict_on_a_table_of_bodies(model):
    spec = SPECS[model]
    cases = list(bodies(spec))
    assert len(cases) >= 10
    for body, path in cases:
        expected = hand(model, body, spec)
        assert set(expected) == {path}, (body, expected)
        assert model_says(model, body) == expected, body
        # what a request meets: the model's type problems, unknown fields left to the view
        if model not in (schemas.WerkadresPatch, schemas.ObjectPatch):  # run time: the In model
            assert type_problems(body, model) == validation.type_errors(body, spec), body
    good = {k: RIGHT[v] for k, v in spec.items() if not isinstance(v, dict)}
    assert model_says(model, good) == hand(model, good, spec) == {}
    assert model_says(model, dict.fromkeys(spec)) == {}  # null everywhere: not given


# --------------------------------------------------------------------------- the API page


def test_the_api_page_renders_swagger_ui_for_a_logged_in_user(planner, client):
    html = planner.get("/api").get_data(as_text=True)
    assert 'data-openapi="/api/v1/openapi.json"' in html
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "js/api-docs.js" in html
    assert "<script>" not in html.replace("<script src", "")  # no inline script (CSP)
    for asset in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css",
                  "js/api-docs.js", "css/api-docs.css"):
        resp = client.get(f"/static/{asset}")
        assert resp.status_code == 200
        resp.close()


def test_instellingen_api_tokens_links_to_the_api_page(beheerder):
    html = beheerder.get("/instellingen/api-tokens").get_data(as_text=True)
    assert 'href="/api"' in html


def test_the_api_page_needs_a_login(client):
    resp = client.get("/api")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_werkadressen_objecten_and_termijnen_keep_a_klant_token_to_its_klant(client):
    """Issue #17: a token for one klant may use these, for its klant only (x-cadans-klant)."""
    doc = served(client)
    for path in ("/werkadressen", "/werkadressen/{item_id}", "/objecten", "/objecten/{item_id}",
                 "/termijnen", "/termijnen/{termijn_id}"):
        for method, op in doc["paths"][path].items():
            assert op["x-cadans-klant"] is True, (method, path)
            assert "een token voor één klant mag hier, voor die klant" in op["description"]
