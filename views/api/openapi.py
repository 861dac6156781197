"""GET /api/v1/openapi.json: the API described as OpenAPI 3.1, from one table of operations.

`OPERATIONS` names each route and method once (its endpoint, the body and query it takes, its
responses: the pydantic models of views/api/schemas.py); `document(app)` adds what the code
already knows: each operation's scope from `access.declared` (views/api/access.py), the
errors every route shares (401, 403, 429; 400/409 for Idempotency-Key on a POST; 412 for
If-Match), and the webhooks with their events (models/webhooks/tables.EVENTS).
tests/test_api_openapi.py fails for a rule under /api/v1 that has no operation here.

Why our own ~200 lines and not flask-openapi3 or spectree: both need workarounds for exactly
what matters here (the {"errors": {...}} shape in Dutch, a body that is no JSON), the first
replaces the app class and the second reports a bad body as missing fields.
"""

import re
from dataclasses import dataclass, field

from flask import current_app, jsonify
from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from models.common.validation import FIRST_YEAR, LAST_YEAR
from models.webhooks.tables import EVENTS
from models.werkbonnen.tables import STATUSES
from views.api import MAX_LIMIT, PUBLIC, bp
from views.api import schemas as s
from views.api.access import declared

REF = "#/components/schemas/{model}"
MAX_ID = 2**63 - 1
PUBLIC.add("api.openapi")


@dataclass(frozen=True)
class Param:
    name: str
    schema: dict
    description: str = ""


@dataclass(frozen=True)
class Operation:
    method: str  # "GET", ...
    path: str  # under /api/v1, OpenAPI form: /contracten/{contract_id}
    endpoint: str
    summary: str
    description: str = ""
    body: type[BaseModel] | None = None
    query: tuple[Param, ...] = ()
    responses: dict = field(default_factory=dict)  # status -> (model or None, description)
    examples: dict = field(default_factory=dict)  # name -> request body
    tag: str = ""


PAGE = (Param("limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
              f"Hoeveel per pagina (1 tot en met {MAX_LIMIT})."),
        Param("cursor", {"type": "string"}, "De waarde van `next` uit de vorige pagina."))
ID_PARAM = {"type": "integer", "minimum": 0, "maximum": 10**18 - 1}
DATE_PARAM = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
              "description": f"JJJJ-MM-DD, {FIRST_YEAR} tot en met {LAST_YEAR}."}

KLANT_EXAMPLE = {"customer_number": "D-1001", "name": "Bakkerij Jansen", "street": "Dorpsstraat",
                 "house_number": "4", "postcode": "1234 AB", "city": "Utrecht",
                 "email": "inkoop@bakkerijjansen.nl", "phone": "0301234567"}
CONTRACT_EXAMPLE = {
    "klant_id": 1, "contracttype": "preventief", "description": "Onderhoud cv-ketels",
    "reference": "PO-1234", "start_date": "2026-01-01", "end_date": "2027-12-31",
    "days_in_advance": 14,
    "schedule": {"rrule": "FREQ=MONTHLY;BYDAY=2TU", "holidays": "next_workday",
                 "weekends": "ignore", "extra_dates": [], "skip_dates": []},
    "werkbon": {"description": "Jaarlijkse onderhoudsbeurt", "werktype": "Onderhoud",
                "duration_minutes": 60, "prioriteit": "Normaal", "start_time": "08:30",
                "medewerker_id": 1, "internal_note": "Sleutel bij de buren."}}


def _crud(plural: str, title: str, one: type, many: type, body: type, example: dict,
          change: dict, klant_note: str = "") -> list[Operation]:
    item = f"/{plural}/{{item_id}}"
    return [
        Operation("GET", f"/{plural}", f"api.{plural}_collection", f"{title}: lijst",
                  f"Op id, in pagina's.{klant_note}", query=PAGE,
                  responses={200: (many, "Een pagina")}, tag=title),
        Operation("POST", f"/{plural}", f"api.{plural}_collection", f"{title}: nieuw",
                  "Dezelfde regels en meldingen als het scherm.", body=body,
                  responses={201: (one, "Aangemaakt")}, examples={"voorbeeld": example},
                  tag=title),
        Operation("GET", item, f"api.{plural}_item", f"{title}: één",
                  responses={200: (one, "Gevonden")}, tag=title),
        Operation("PATCH", item, f"api.{plural}_item", f"{title}: wijzigen",
                  "Alleen de velden die u meestuurt veranderen.", body=body,
                  responses={200: (one, "Gewijzigd")},
                  examples={"wijziging": change},
                  tag=title),
    ]


OPERATIONS: list[Operation] = [
    Operation("GET", "/health", "api.health", "Gezondheid",
              "Zonder token. 200 zolang de app kan werken (`degraded`: Redis, workers of cron "
              "ontbreekt), 503 alleen als de database onbereikbaar is.",
              responses={200: (s.Health, "ok of degraded"), 503: (s.Health, "De database is "
                                                                   "onbereikbaar")},
              tag="Algemeen"),
    Operation("GET", "/openapi.json", "api.openapi", "Dit document",
              "Zonder token: de API als OpenAPI 3.1.",
              responses={200: (None, "Het OpenAPI-document")}, tag="Algemeen"),
    *_crud("klanten", "Klanten", s.Klant, s.KlantList, s.KlantIn, KLANT_EXAMPLE,
           {"street": "Kerkstraat", "house_number": "12"},
           " Een token voor één klant ziet alleen die klant."),
    *_crud("medewerkers", "Medewerkers", s.Medewerker, s.MedewerkerList, s.MedewerkerIn,
           {"personnel_number": "P-17", "name": "Piet de Monteur",
            "email": "piet@installatiebedrijf.nl"}, {"phone": "0687654321"}),
    Operation("GET", "/contracten", "api.contracten_list", "Contracten: lijst",
              query=(*PAGE, Param("klant_id", ID_PARAM, "Alleen van deze klant."),
                     Param("status", {"type": "string", "enum": ["toekomstig", "actief",
                                                                 "verlopen", "beeindigd"]},
                           "Op de status van vandaag.")),
              responses={200: (s.ContractList, "Een pagina")}, tag="Contracten"),
    Operation("POST", "/contracten", "api.contracten_create", "Contracten: nieuw",
              "Dezelfde regels en Nederlandse meldingen als de wizard; daarna maakt de worker de "
              "werkbonnen. Antwoordt met `ETag` (de versie) en `Location`.",
              body=s.ContractIn, responses={201: (s.Contract, "Aangemaakt")},
              examples={"maandelijks onderhoud": CONTRACT_EXAMPLE}, tag="Contracten"),
    Operation("GET", "/contracten/{contract_id}", "api.contracten_get", "Contracten: één",
              "Met `ETag: \"<versie>\"`.", responses={200: (s.Contract, "Gevonden")},
              tag="Contracten"),
    Operation("PATCH", "/contracten/{contract_id}", "api.contracten_update",
              "Contracten: wijzigen",
              "Alleen wat verandert (`schedule` en `werkbon` per veld). Geef de versie die u "
              "ophaalde: `\"version\": 3` in de body (verouderd: 409) of de header "
              "`If-Match: \"3\"` (verouderd: 412). Wachtende werkbonnen volgen de wijziging.",
              body=s.ContractPatch, responses={
                  200: (s.Contract, "Gewijzigd (of niets veranderd: dezelfde versie)"),
                  409: (s.Errors, "`version` is verouderd: iemand anders wijzigde het"),
                  412: (s.Errors, "If-Match is verouderd (met de actuele ETag)")},
              examples={"andere einddatum": {"version": 1, "end_date": "2028-12-31"},
                        "andere monteur": {"version": 1, "werkbon": {"medewerker_id": 1}}},
              tag="Contracten"),
    Operation("GET", "/werkbonnen", "api.werkbonnen_list", "Werkbonnen: lijst",
              "Op (due_date, id); werkbonnen zonder datum achteraan.",
              query=(*PAGE, Param("contract_id", ID_PARAM), Param("klant_id", ID_PARAM),
                     Param("medewerker_id", ID_PARAM), Param("werkadres_id", ID_PARAM),
                     Param("object_id", ID_PARAM, "De werkbonnen waarop dit object staat."),
                     Param("status", {"type": "string", "enum": list(STATUSES)}),
                     Param("from", DATE_PARAM, "Vanaf deze datum (due_date)."),
                     Param("to", DATE_PARAM, "Tot en met deze datum.")),
              responses={200: (s.WerkbonList, "Een pagina")}, tag="Werkbonnen"),
    Operation("POST", "/werkbonnen", "api.werkbonnen_create", "Storing melden",
              "Een werkbon onder een correctief contract; de SLA-klok loopt vanaf "
              "`reported_at`. Antwoordt met `Location`.",
              body=s.StoringIn, responses={201: (s.Werkbon, "Gemeld")},
              examples={"geen warmte": {"klant_id": 1, "contract_id": 1, "prioriteit": "Hoog",
                                        "description": "Geen warmte in de winkel"}},
              tag="Werkbonnen"),
    Operation("GET", "/werkbonnen/{werkbon_id}", "api.werkbonnen_get", "Werkbonnen: één",
              responses={200: (s.Werkbon, "Gevonden")}, tag="Werkbonnen"),
    Operation("PATCH", "/werkbonnen/{werkbon_id}", "api.werkbonnen_update",
              "Werkbonnen: wijzigen",
              "Toewijzen, inplannen, een andere status (volgens de toegestane overgangen), "
              "annuleren met een reden, afronden op een dag (`completed_on`, ook achteraf te "
              "verbeteren).", body=s.WerkbonPatch,
              responses={200: (s.Werkbon, "Gewijzigd")},
              examples={"inplannen": {"medewerker_id": 1, "planned_start": "2026-03-10T08:30",
                                      "status": "ingepland"},
                        "annuleren": {"status": "geannuleerd",
                                      "cancel_reason": "Klant heeft afgezegd"},
                        "afronden": {"status": "afgerond", "completed_on": "2026-03-12"}},
              tag="Werkbonnen"),
    Operation("POST", "/schedule/preview", "api.schedule_preview", "Planning vooraf bekijken",
              "Rekent alleen (schrijft niets): de data die een contract met deze planning zou "
              "krijgen, met verschoven feestdagen en weekenden.", body=s.PreviewIn,
              responses={200: (s.Preview, "De eerste `count` data")},
              examples={"eerste van de maand": {"start_date": "2026-01-01",
                                                "rrule": "FREQ=MONTHLY;BYMONTHDAY=1",
                                                "holidays": "next_workday", "count": 6}},
              tag="Contracten"),
    Operation("GET", "/werkadressen", "api.werkadressen_list", "Werkadressen: lijst",
              "De plekken waar gewerkt wordt (een klant kan er meer hebben). Een token voor één "
              "klant ziet alleen die klant.",
              query=(*PAGE, Param("klant_id", ID_PARAM),
                     Param("active", {"type": "string", "enum": ["true", "false"]}),
                     Param("q", {"type": "string"}, "Zoek op naam, straat, postcode of plaats.")),
              responses={200: (s.WerkadresList, "Een pagina")}, tag="Objecten"),
    Operation("POST", "/werkadressen", "api.werkadressen_create", "Werkadressen: nieuw",
              body=s.WerkadresIn, responses={201: (s.Werkadres, "Aangemaakt")},
              examples={"complex": {"klant_id": 1, "name": "Complex De Linde",
                                    "street": "Lindelaan", "house_number": "12",
                                    "postcode": "3511 AB", "city": "Utrecht"}},
              tag="Objecten"),
    Operation("GET", "/werkadressen/{item_id}", "api.werkadressen_get", "Werkadressen: één",
              responses={200: (s.Werkadres, "Gevonden")}, tag="Objecten"),
    Operation("PATCH", "/werkadressen/{item_id}", "api.werkadressen_update",
              "Werkadressen: wijzigen", "Alleen wat verandert, met de `version` die u ophaalde. "
              "`active: false` stopt vanaf vandaag de werkbonnen op dit werkadres: de contracten "
              "die het (of zijn objecten) dekken worden in dezelfde transactie opnieuw gepland "
              "(wachtende werkbonnen geannuleerd; begonnen, afgeronde en met de hand gewijzigde "
              "blijven). `active: true` brengt ze terug.",
              body=s.WerkadresPatch, responses={
                  200: (s.Werkadres, "Gewijzigd"),
                  409: (s.Errors, "`version` is verouderd: iemand anders wijzigde het")},
              examples={"toegang": {"version": 1, "access_notes": "Sleutel bij de beheerder."}},
              tag="Objecten"),
    Operation("GET", "/objecten", "api.objecten_list", "Objecten: lijst",
              "Installaties (ketels, brandblussers, ...) op hun werkadres. Een token voor één "
              "klant ziet alleen die klant.",
              query=(*PAGE, Param("klant_id", ID_PARAM), Param("werkadres_id", ID_PARAM),
                     Param("objecttype", {"type": "string"}, "Id of naam van een objecttype."),
                     Param("status", {"type": "string",
                                      "enum": ["actief", "buiten_gebruik", "verwijderd"]}),
                     Param("q", {"type": "string"}, "Zoek op nummer, merk, model, ...")),
              responses={200: (s.ObjectList, "Een pagina")}, tag="Objecten"),
    Operation("POST", "/objecten", "api.objecten_create", "Objecten: nieuw",
              body=s.ObjectIn, responses={201: (s.Object, "Aangemaakt")},
              examples={"ketel": {"werkadres_id": 1, "objecttype_id": 1, "number": "KET-0042",
                                  "brand": "Remeha", "model": "Calenta Ace 28c",
                                  "location": "Zolder", "installed_on": "2019-05-01"}},
              tag="Objecten"),
    Operation("GET", "/objecten/{item_id}", "api.objecten_get", "Objecten: één",
              responses={200: (s.Object, "Gevonden")}, tag="Objecten"),
    Operation("PATCH", "/objecten/{item_id}", "api.objecten_update", "Objecten: wijzigen",
              "Alleen wat verandert, met de `version` die u ophaalde. Een andere `status` plant "
              "in dezelfde transactie de contracten die het object dekken opnieuw.",
              body=s.ObjectPatch, responses={
                  200: (s.Object, "Gewijzigd"),
                  409: (s.Errors, "`version` is verouderd: iemand anders wijzigde het")},
              examples={"buiten gebruik": {"version": 1, "status": "buiten_gebruik",
                                           "status_since": "2026-12-01"}},
              tag="Objecten"),
    Operation("GET", "/termijnen", "api.termijnen_list", "Termijnen: lijst",
              "De factuurtermijnen van de contracten met een prijs, op id. Bedragen exact als "
              "tekst (`\"1234.50\"`) naast de centen. Een token voor één klant ziet alleen die "
              "klant.",
              query=(*PAGE, Param("status", {"type": "string",
                                             "enum": ["concept", "gefactureerd"]}),
                     Param("klant_id", ID_PARAM), Param("contract_id", ID_PARAM),
                     Param("from", DATE_PARAM, "Factuurdatum vanaf."),
                     Param("to", DATE_PARAM, "Factuurdatum tot en met.")),
              responses={200: (s.TermijnList, "Een pagina")}, tag="Facturatie"),
    Operation("GET", "/termijnen/{termijn_id}", "api.termijnen_get", "Termijnen: één",
              responses={200: (s.Termijn, "Gevonden")}, tag="Facturatie"),
    Operation("PATCH", "/termijnen/{termijn_id}", "api.termijnen_update",
              "Termijn gefactureerd",
              "Het boekhoudpakket meldt de termijn gefactureerd, met zijn factuurnummer. Een "
              "gefactureerde termijn verandert daarna nooit meer (409).", body=s.TermijnPatch,
              responses={200: (s.Termijn, "Gefactureerd"),
                         409: (s.Errors, "Deze termijn is al gefactureerd")},
              examples={"gefactureerd": {"status": "gefactureerd",
                                         "factuurnummer": "F-2027-0042"}},
              tag="Facturatie"),
    Operation("GET", "/indexreeksen", "api.indexreeksen_list", "Indexreeksen",
              "De indexreeksen (CBS CAO-lonen, CPI) die de beheerder per jaar invoert, met hun "
              "cijfers: de `reeks_id` van een contract met `indexering` volgens een reeks.",
              responses={200: (s.IndexreeksList, "Alle reeksen")}, tag="Facturatie"),
    Operation("GET", "/sla-beleid", "api.sla_beleid_list", "SLA-beleid",
              "Het actieve SLA-beleid met de normen per prioriteit.",
              responses={200: (s.SlaBeleidList, "Alle actieve")}, tag="Contracten"),
]

ERRORS = {"$ref": REF.format(model="Errors")}
BODY_ERRORS = {  # a 422 per body, as Cadans words it
    s.KlantIn: {"postcode": "Vul een geldige postcode in, bijvoorbeeld 1234 AB.",
                "phone": "Geef tekst (een JSON-string)."},
    s.MedewerkerIn: {"personnel_number": "Vul een personeelsnummer in."},
    s.StoringIn: {"description": "Beschrijf de storing.", "kleur": "Onbekend veld."},
    s.WerkbonPatch: {"medewerker_id": "Geef een geheel getal (een JSON-getal, niet tussen "
                                      "aanhalingstekens)."},
    s.PreviewIn: {"start_date": "Vul een startdatum in."},
    s.TermijnPatch: {"status": 'Alleen "gefactureerd" kan: een termijn gaat van concept naar '
                               "gefactureerd."},
}
LOCATED = {"api.contracten_create", "api.werkbonnen_create"}  # a 201 with Location
VERSIONED = {"api.contracten_create", "api.contracten_get", "api.contracten_update"}  # ETag
SHARED = {  # status -> description, on every operation with a token
    401: "Geen, een onbekend, ingetrokken of verlopen token (`errors.token`)",
    403: "Het token mist de scope, of is beperkt tot een andere klant (`errors.token`)",
    429: "Te veel verzoeken met dit token (`errors.limiet`, header `Retry-After`)",
}
NEEDS_BODY = {422: "De body klopt niet: een Nederlandse melding per veld "
                   "(`errors[\"schedule.rrule\"]`)"}
ON_ITEM = {404: "Niet gevonden (of van een andere klant dan die van het token)"}
ON_QUERY = {422: "Een parameter klopt niet (`errors.limit`, `errors.status`, ...)"}
ON_POST = {400: "`Idempotency-Key` is onleesbaar",
           409: "Een verzoek met deze `Idempotency-Key` is nog bezig (`Retry-After: 1`)",
           422: "De body klopt niet, of deze `Idempotency-Key` hoorde bij een ander verzoek"}
ON_IF_MATCH = {400: "`If-Match` is onleesbaar"}
ERROR_EXAMPLES = {  # status -> a body as Cadans sends it
    400: {"Idempotency-Key": "Geef een sleutel van 1 tot 255 zichtbare ASCII-tekens, "
                             "bijvoorbeeld een UUID."},
    401: {"token": "Dit API-token is ingetrokken."},
    403: {"token": "Dit token mag geen contracten wijzigen (daarvoor is de scope "
                   "contracten:schrijven nodig)."},
    404: {"id": "Niet gevonden."},
    409: {"Idempotency-Key": "Een verzoek met deze sleutel is nog bezig. Probeer het over een "
                             "seconde opnieuw."},
    412: {"If-Match": "Iemand anders heeft dit contract intussen gewijzigd (nu versie 4). Haal "
                      "het opnieuw op en breng uw wijziging daarop aan."},
    422: {"klant_id": "Kies een klant.",
          "schedule.rrule": "Geef een herhaalregel (RRULE), bijvoorbeeld "
                            "FREQ=MONTHLY;BYMONTHDAY=1."},
    429: {"limiet": "Te veel verzoeken met dit token (hooguit 600 per 1 minute). Probeer het "
                    "over 12 s opnieuw."},
}

IDEMPOTENCY_HEADER = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "description": "Een nieuwe sleutel (UUID) per verzoek; stuur hetzelfde verzoek na een "
                   "time-out met dezelfde sleutel en u krijgt het eerste antwoord terug "
                   "(`Idempotent-Replayed: true`), 24 uur lang, per token.",
    "schema": {"type": "string", "pattern": "^[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,255}$"},
    "example": "8e03978e-40d5-43e8-bc93-6894a57f9324"}
IF_MATCH_HEADER = {
    "name": "If-Match", "in": "header", "required": False,
    "description": "De ETag van uw GET (`\"3\"`); in plaats van `version` in de body.",
    "schema": {"type": "string", "pattern": '^"[0-9]{1,18}"$'}, "example": '"3"'}
WEBHOOK_HEADERS = {
    "webhook-id": ("Hetzelfde bij elke poging: herken er dubbele mee.", "msg_2b7f…"),
    "webhook-timestamp": ("Unix-seconden van deze poging.", "1795100404"),
    "webhook-signature": ("`v1,<base64>`: HMAC-SHA256 van `<id>.<timestamp>.<body>` met het "
                          "geheim (het deel na `whsec_`, base64) als sleutel; Standard "
                          "Webhooks.", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
}
DESCRIPTION = """De JSON-API van Cadans. Elk verzoek (behalve `/health` en dit document) heeft
`Authorization: Bearer <token>` nodig; een beheerder maakt tokens onder Instellingen →
API-tokens, met rechten (scopes) als `contracten:lezen` of `werkbonnen:schrijven`
(`schrijven` omvat `lezen`; `*:lezen`, `*:schrijven`, `*`). De scope van elke operatie staat
bij de operatie (`security` en `x-cadans-scope`). Een token kan beperkt zijn tot één klant:
waar `x-cadans-klant` true is, ziet zo'n token alleen die klant (een ander zijn item: 404; iets
aanmaken voor een andere klant: 403 met `klant_id`), elders krijgt het 403.

Fouten hebben altijd de vorm `{"errors": {"veld": "melding"}}`, met geneste velden als
`"schedule.rrule"`. Types zijn streng: `"1"` is geen getal. `null` betekent "niet opgegeven".
Onbekende velden worden geweigerd. Hooguit 600 verzoeken per minuut per token (instelbaar):
daarboven 429 met `Retry-After`."""


class _NoTitles(GenerateJsonSchema):
    def field_title_should_be_set(self, schema) -> bool:
        return False


def _models() -> list[type[BaseModel]]:
    found = {s.Errors, s.WebhookEvent}
    for op in OPERATIONS:
        found.update(m for m, _ in op.responses.values() if m is not None)
        if op.body is not None:
            found.add(op.body)
    return sorted(found, key=lambda m: m.__name__)


def _path_params(path: str) -> list[dict]:
    return [{"name": name, "in": "path", "required": True,
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID}}
            for name in re.findall(r"{(\w+)}", path)]


def _json(schema: dict, examples: dict | None = None) -> dict:
    media = {"schema": schema}
    if examples:
        media["examples"] = {name: {"value": value} for name, value in examples.items()}
    return {"application/json": media}


def _operation(op: Operation, app) -> dict:
    out = {"operationId": op.endpoint.removeprefix("api.") + "_" + op.method.lower(),
           "summary": op.summary, "tags": [op.tag]}
    params = _path_params(op.path)
    # an empty value (?status=) is the same as leaving the parameter out, except for limit
    params += [{"name": p.name, "in": "query", "required": False, "schema": p.schema,
                **({"description": p.description} if p.description else {}),
                **({} if p.name == "limit" else {"allowEmptyValue": True})} for p in op.query]
    if op.method == "POST" and op.endpoint not in PUBLIC:
        params.append(IDEMPOTENCY_HEADER)
    if op.body is s.ContractPatch:
        params.append(IF_MATCH_HEADER)
    if params:
        out["parameters"] = params
    description = op.description
    if op.body is not None:
        out["requestBody"] = {"required": True, "content": _json(
            {"$ref": REF.format(model=op.body.__name__)}, op.examples)}
    responses = {}
    for status, (model, text) in op.responses.items():
        responses[status] = (text, None if model is None else {"$ref": REF.format(
            model=model.__name__)})
    if op.endpoint in PUBLIC:
        out["security"] = []
    else:
        need = declared(op.endpoint, app)
        scope = need.scope_for(op.method)
        out["security"] = [{"bearer": [scope]}]
        out["x-cadans-scope"] = scope
        # whether a token kept to one klant may call this (for that klant only) or gets 403
        out["x-cadans-klant"] = op.method in need.klant
        klant = ("een token voor één klant mag hier, voor die klant" if op.method in need.klant
                 else "een token voor één klant krijgt hier 403")
        description = f"{description}\n\nScope: `{scope}`; {klant}.".strip()
        extra = {**SHARED}
        if op.body is not None:
            extra.update(NEEDS_BODY)
        if op.query:
            extra.update(ON_QUERY)
        if "{" in op.path:
            extra.update(ON_ITEM)
        if op.method == "POST":
            extra.update(ON_POST)
        if op.body is s.ContractPatch:
            extra.update(ON_IF_MATCH)
        for status, text in extra.items():
            responses.setdefault(status, (text, ERRORS))
    if description:
        out["description"] = description
    out["responses"] = {}
    for status, (text, schema) in sorted(responses.items()):
        entry = {"description": text}
        if schema is not None:
            entry["content"] = _json(schema)
            if schema == ERRORS and status in ERROR_EXAMPLES:
                example = ERROR_EXAMPLES[status]
                if status == 422 and op.body in BODY_ERRORS:
                    example = BODY_ERRORS[op.body]
                if status == 409 and op.method == "PATCH":
                    example = {"version": ERROR_EXAMPLES[412]["If-Match"]}
                entry["content"]["application/json"]["example"] = {"errors": example}
        if status == 429 or (status == 409 and op.method == "POST"):
            entry["headers"] = {"Retry-After": {"description": "Seconden",
                                                "schema": {"type": "integer"}}}
        if status in (200, 201, 412) and op.endpoint in VERSIONED:
            entry["headers"] = {"ETag": {"description": "De versie: `\"3\"`",
                                         "schema": {"type": "string"}}}
        if status == 201 and op.endpoint in LOCATED:
            entry.setdefault("headers", {})["Location"] = {
                "description": "Het adres van het nieuwe item", "schema": {"type": "string"}}
        if op.endpoint == "api.openapi" and status == 200:
            entry["content"] = _json({"type": "object"})
        out["responses"][str(status)] = entry
    return out


WEBHOOK_WERKBON = {"id": 812, "number": "W-2026-000812", "contract_id": 31, "klant_id": 7,
                   "werkadres_id": 12, "object_ids": [40, 41], "status": "ingepland"}


def _webhooks() -> dict:
    hooks = {}
    for event, text in EVENTS.items():
        data = ("de werkbon zoals `GET /werkbonnen/{id}` hem geeft (met `werkadres_id` en "
                "`object_ids`: het werkadres en de objecten waarvoor hij is), zonder de "
                "SLA-velden" if event.startswith("werkbon") else
                "de werkbon (met `werkadres_id` en `object_ids`) met `reported_at`, "
                "`response_due` en `resolve_due` (UTC)"
                if event.startswith("storing") else
                "het contract zoals `GET /contracten/{id}`" +
                (", met `end_reason` en `end_comment`" if event == "contract.beeindigd" else ""))
        hooks[event] = {"post": {
            "summary": text, "operationId": "webhook_" + event.replace(".", "_"),
            "description": f"`data`: {data}. Antwoord met een 2xx; anders probeert Cadans het "
                           "opnieuw (12 pogingen in ongeveer een dag).",
            "parameters": [{"name": name, "in": "header", "required": True,
                            "description": text_, "schema": {"type": "string"},
                            "example": example}
                           for name, (text_, example) in WEBHOOK_HEADERS.items()],
            "requestBody": {"required": True, "content": _json(
                {"$ref": REF.format(model="WebhookEvent")},
                {"voorbeeld": {"type": event, "timestamp": "2026-11-20T15:00:04Z",
                               "data": WEBHOOK_WERKBON if event.startswith(("werkbon",
                                                                            "storing"))
                               else {"id": 812, "number": "C-2026-0812"}}})},
            "security": [],  # Cadans signs the call; the receiver needs no token
            "responses": {"200": {"description": "Ontvangen (elke 2xx)"}}}}
    return hooks


def document(app=None) -> dict:
    """The OpenAPI 3.1 document (the scopes are read from `app`'s views)."""
    app = app or current_app
    _, top = models_json_schema([(m, "validation" if issubclass(m, s.Strict) else "serialization")
                                 for m in _models()],
                                ref_template=REF, schema_generator=_NoTitles)
    paths: dict = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, app)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Cadans API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": bp.url_prefix}],
        "tags": [{"name": name} for name in ("Contracten", "Werkbonnen", "Klanten",
                                             "Medewerkers", "Objecten", "Facturatie",
                                             "Algemeen")],
        "paths": paths,
        "webhooks": _webhooks(),
        "components": {
            "schemas": top["$defs"],
            "securitySchemes": {"bearer": {
                "type": "http", "scheme": "bearer",
                "description": "Een API-token van Instellingen → API-tokens. Scopes: "
                               "`<gegevens>:lezen` of `<gegevens>:schrijven`."}}},
        "security": [{"bearer": []}],
    }


@bp.route("/openapi.json")
def openapi():
    """Built once per app: the tables it reads do not change while it runs."""
    cached = current_app.extensions.get("cadans_openapi")
    if cached is None:
        cached = current_app.extensions["cadans_openapi"] = document()
    return jsonify(cached)
