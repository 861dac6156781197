"""The API's request and response bodies as pydantic v2 models (strict: "1" is no integer,
unknown fields are refused): what /api/v1/openapi.json publishes (views/api/openapi.py), and
what checks a request's JSON types at run time (views/api/__init__.typed / type_problems),
with the API's Dutch messages and field paths (`error_dict`).

A request model checks the *shape* only; whether a klant exists or an RRULE parses is the
domain's 422, and each resource names unknown fields itself, in its own order, as before.
They replaced the hand-written type specs (models.common.validation.type_errors with each
resource's API_TYPES); tests/test_api_openapi.py checks that each model has exactly the
fields and JSON types of that spec and gives the same verdict on a table of bodies.

Conventions: an optional field is `X | None` (null means "not given", as it always did);
a required field is not nullable in the document (null is reported as missing).
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from models.common import validation
from models.schedule.definition import POLICIES
from models.sla.clock import STATES
from models.werkbonnen.tables import STATUSES

MAX_ID = 2**63 - 1


def _no_control(text: str) -> str:
    if problem := validation.control_problem(text):
        raise PydanticCustomError("control_character", problem)
    return text


def _no_control_multiline(text: str) -> str:
    if problem := validation.control_problem(text, multiline=True):
        raise PydanticCustomError("control_character", problem)
    return text


# JSON Schema says what the validator enforces, so a generator (Schemathesis) makes valid text.
Text = Annotated[str, AfterValidator(_no_control),
                 Field(json_schema_extra={"pattern": "^[^\\u0000-\\u001f\\u007f]*$"})]
Multiline = Annotated[str, AfterValidator(_no_control_multiline),
                      Field(json_schema_extra={
                          "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"})]
# A date is text: its syntax (JJJJ-MM-DD) and its range (1900-2999) are the domain's rule with
# its own Dutch message, as before; the document says what it expects.
DateText = Annotated[str, AfterValidator(_no_control),
                     Field(json_schema_extra={"pattern": "^[^\\u0000-\\u001f\\u007f]*$",
                                              "description": "Een datum als JJJJ-MM-DD "
                                                             "(1900 tot en met 2999).",
                                              "examples": ["2026-01-01"]})]
DateListItem = Annotated[str, AfterValidator(_no_control),
                         Field(json_schema_extra={"pattern": "^[^\\u0000-\\u001f\\u007f]*$"})]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", hide_input_in_errors=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_not_given(cls, data: Any) -> Any:
        """`null` means "not given": the field's default, or `missing` for a required one."""
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None}
        return data


class Out(BaseModel):
    """A response body (never validated at run time; Schemathesis checks the real answers)."""

    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- errors


class Errors(Out):
    """Every refusal: one Dutch message per field path ("schedule.rrule",
    "werkbon.medewerker_id"); "body" for the body as a whole, "token" for the token,
    "Idempotency-Key" and "If-Match" for those headers, "limiet" for the rate limit."""

    errors: dict[str, str] = Field(examples=[{"klant_id": "Kies een klant.",
                                              "schedule.rrule": "Geef een herhaalregel (RRULE)."}])


# --------------------------------------------------------------------------- klanten, medewerkers


class KlantIn(Strict):
    """POST /klanten (all required fields) and PATCH /klanten/{id} (only what changes)."""

    customer_number: Text | None = Field(None, examples=["D-1001"])
    name: Text | None = Field(None, examples=["Bakkerij Jansen"])
    street: Text | None = Field(None, examples=["Dorpsstraat"])
    house_number: Text | None = Field(None, examples=["4a"])
    postcode: Text | None = Field(None, examples=["1234 AB"])
    city: Text | None = Field(None, examples=["Utrecht"])
    email: Text | None = Field(None, examples=["inkoop@bakkerijjansen.nl"])
    phone: Text | None = Field(None, examples=["0301234567"])
    active: bool | None = None


class Klant(Out):
    id: int
    customer_number: str
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    email: str
    phone: str
    active: bool


class MedewerkerIn(Strict):
    personnel_number: Text | None = Field(None, examples=["P-17"])
    name: Text | None = Field(None, examples=["Piet de Monteur"])
    email: Text | None = Field(None, examples=["piet@installatiebedrijf.nl"])
    phone: Text | None = Field(None, examples=["0612345678"])
    active: bool | None = None


class Medewerker(Out):
    id: int
    personnel_number: str
    name: str
    email: str
    phone: str
    active: bool


class KlantList(Out):
    items: list[Klant]
    next: str | None = Field(description="De cursor voor de volgende pagina (null: de laatste).")


class MedewerkerList(Out):
    items: list[Medewerker]
    next: str | None


# --------------------------------------------------------------------------- contracten

class ScheduleIn(Strict):
    rrule: Text | None = Field(None, examples=["FREQ=MONTHLY;BYDAY=2TU"])
    holidays: Text | None = Field(None, description="Wat er met een feestdag gebeurt: "
                                  + ", ".join(POLICIES) + ".", examples=["next_workday"])
    weekends: Text | None = Field(None, description="Idem voor zaterdag en zondag.",
                                  examples=["ignore"])
    extra_dates: list[DateListItem] | None = Field(None, examples=[["2026-12-24"]])
    skip_dates: list[DateListItem] | None = Field(None, examples=[["2026-08-04"]])


class WerkbonTemplateIn(Strict):
    description: Text | None = Field(None, examples=["Jaarlijkse onderhoudsbeurt cv-ketel"])
    werktype: Text | None = Field(None, examples=["Onderhoud"])
    duration_minutes: int | None = Field(None, examples=[60])
    prioriteit: Text | None = Field(None, examples=["Normaal"])
    start_time: Text | None = Field(None, examples=["08:30"])
    medewerker_id: int | None = None
    internal_note: Multiline | None = Field(None, examples=["Sleutel bij de buren (nr. 6)."])


class OnderdeelWerkbonIn(Strict):
    description: Text | None = Field(None, examples=["Groot onderhoud"])
    werktype: Text | None = Field(None, examples=["Onderhoud"])
    duration_minutes: int | None = Field(None, examples=[240])
    checklist: Multiline | None = Field(None, examples=["Filters vervangen\nDruk meten"])


class OnderdeelIn(Strict):
    """One cadence of a contract (issue 18). A contract with one onderdeel is today's contract;
    with several, each has its own schedule and werkbon, and on a date where a higher `rank`
    falls the lower ones fall away within the higher one's `supersedes_within`."""

    key: Text | None = Field(None, description="Blijft bij het onderdeel bij een wijziging "
                             "(leeg: Cadans kiest er een, of houdt die van dezelfde naam).",
                             examples=["3"])
    name: Text | None = Field(None, examples=["Groot onderhoud"])
    rrule: Text | None = Field(None, description="Bij anchor vast (of visits_per_year).",
                               examples=["FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15"])
    visits_per_year: int | None = Field(None, description="1, 2, 3, 4, 6 of 12, in plaats "
                                        "van rrule.", examples=[4])
    anchor: Text | None = Field(
        None, examples=["vast"],
        description="vast (kalender, standaard) of na_afronding (de volgende telt vanaf de dag "
        "dat de vorige is afgerond).")
    interval_after_completion: Text | None = Field(
        None, description="Bij na_afronding, als ISO-duur: P6M, P2W, P90D, P1Y.",
        examples=["P6M"])
    rank: int | None = Field(None, description="1 tot en met 99; hoger gaat voor.",
                             examples=[3])
    supersedes_within: Text | None = Field(
        None, examples=["maand"],
        description="dag, week of maand: waarbinnen een datum van dit onderdeel die van lagere "
        "onderdelen laat vervallen (standaard maand).")
    werkbon: OnderdeelWerkbonIn | None = None
    description: Text | None = Field(None, description="Alleen-lezen (de zin die Cadans "
                                     "teruggeeft); genegeerd.")


class IndexeringIn(Strict):
    percentage: Text | None = Field(None, description="Een vast percentage per jaar; of:",
                                    examples=["3.5"])
    reeks_id: int | None = Field(None, description="Een indexreeks (GET /indexreeksen): de "
                                 "prijs x indexcijfer(jaar) / indexcijfer(basisjaar).")
    datum: DateText | None = Field(None, description="De eerste indexatiedatum; daarna elk "
                                   "jaar op die dag.")


def _no_default(schema: dict) -> None:
    """Optional, but not nullable: the document names no default (null is no string)."""
    schema.pop("default", None)


MONEY = "^[0-9]{1,12}(\\.[0-9]{1,2})?$"


class ContractIn(Strict):
    """POST /contracten: a whole contract. klant_id, contracttype and start_date are required
    (the domain answers 422 with a Dutch message for each one missing)."""

    klant_id: int | None = None
    contracttype: Text | None = Field(None, description="preventief, correctief, jaarlijks, "
                                      "... of de naam van een contracttype.",
                                      examples=["preventief"])
    description: Text | None = Field(None, examples=["Onderhoud cv-ketels"])
    reference: Text | None = Field(None, examples=["PO-1234"])
    contractvoorwaarden_id: int | None = None
    start_date: DateText | None = None
    end_date: DateText | None = None
    days_in_advance: int | None = Field(None, examples=[14])
    schedule: ScheduleIn | None = None
    visits_per_year: int | None = None
    sla_beleid_id: int | None = None
    werkbon: WerkbonTemplateIn | None = None
    werkbon_per: Text | None = Field(None, description="datum (één werkbon per datum, "
                                     "standaard) of object (één per object).",
                                     examples=["object"])
    werkadres_ids: list[int] | None = Field(None, description="De werkadressen die het "
                                            "contract dekt (al hun objecten).")
    object_ids: list[int] | None = Field(None, description="Losse objecten die het dekt.")
    onderdelen: list[OnderdeelIn] | None = Field(
        None, description="Meerdere cadansen in één contract; zonder: het schema hierboven.")
    # facturatie (models/facturatie/input.from_api checks these, with its own messages)
    prijs: str | None = Field(None, pattern=MONEY, description="Excl. BTW, per jaar (of wat "
                              "prijs_per zegt), als tekst met een punt; null: niet "
                              "gefactureerd.", examples=["1200.00"])
    prijs_per: Literal["jaar", "periode", "bezoek", "object"] | None = Field(
        None, description="jaar (standaard), periode (per factuurperiode; geef dan ook "
        "factuurperiode), bezoek (per geplande datum in de periode, geannuleerde niet) of "
        "object (per gedekt actief object, per jaar).")
    factureren_vanaf: DateText | None = Field(None, description="Geen termijnen voor deze "
                                              "dag (null: vanaf de start).")
    btw_tarief: str = Field(None, description="21, 9, 0 of verlegd.",  # type: ignore[assignment]
                            examples=["21"], json_schema_extra=_no_default)
    factuurperiode: str | None = Field(None, description="maand, kwartaal, halfjaar of jaar.",
                                       examples=["kwartaal"])
    factureren: str = Field(None, description="vooraf of achteraf.",  # type: ignore[assignment]
                            examples=["vooraf"], json_schema_extra=_no_default)
    indexering: IndexeringIn | None = None


class ContractPatch(ContractIn):
    """PATCH /contracten/{id}: only what changes (schedule and werkbon merge per key), plus the
    version you read (or the header If-Match with the ETag)."""

    version: int | None = Field(None, examples=[3])


class ScheduleOut(Out):
    rrule: str | None
    holidays: str | None
    weekends: str | None
    extra_dates: list[str]
    skip_dates: list[str]
    description: str | None = Field(examples=["Elke maand op de tweede dinsdag"])


class WerkbonTemplate(Out):
    description: str | None
    werktype: str | None
    duration_minutes: int | None
    prioriteit: str | None
    start_time: str | None
    medewerker_id: int | None
    internal_note: str | None


class OnderdeelWerkbon(Out):
    description: str
    werktype: str | None
    duration_minutes: int | None
    checklist: str


class Onderdeel(Out):
    key: str
    name: str
    rank: int
    anchor: Literal["vast", "na_afronding"]
    rrule: str = Field(description="Eén RRULE per onderdeel; bij na_afronding de kalender "
                       "die het houdt als elk bezoek op zijn datum wordt afgerond.",
                       examples=["FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=15"])
    description: str = Field(examples=["Elk jaar op 15 oktober"])
    interval_after_completion: str | None
    supersedes_within: Literal["dag", "week", "maand"]
    werkbon: OnderdeelWerkbon


class Contract(Out):
    id: int
    number: str = Field(examples=["C-2026-0040"])
    klant_id: int
    contracttype: str = Field(examples=["preventief"])
    contracttype_name: str = Field(examples=["Preventief onderhoud"])
    description: str | None
    reference: str | None
    contractvoorwaarden_id: int | None
    start_date: str = Field(examples=["2026-01-01"])
    end_date: str | None
    days_in_advance: int
    schedule: ScheduleOut | None
    visits_per_year: int | None
    sla_beleid_id: int | None
    werkbon: WerkbonTemplate
    status: Literal["toekomstig", "actief", "verlopen", "beeindigd"]
    version: int = Field(description="Ook de header ETag; stuur hem terug bij een PATCH.")
    werkbon_per: str
    werkadres_ids: list[int]
    object_ids: list[int]
    onderdelen: list[Onderdeel] | None = Field(None, description="Alleen bij een contract met "
                                               "meerdere (of zwevende) cadansen.")
    prijs: str | None = Field(description="Excl. BTW, per prijs_per (null: niet "
                              "gefactureerd).")
    btw_tarief: str | None
    factuurperiode: str | None
    factureren: str | None
    indexering: "Indexering | None"
    prijs_per: Literal["jaar", "periode", "bezoek", "object"] | None
    factureren_vanaf: str | None
    notice: str | None = Field(None, description="Alleen bij een wijziging, als de wachtrij "
                               "onbereikbaar was: de werkbonnen volgen later.")


class Indexering(Out):
    percentage: str | None
    datum: str
    reeks_id: int | None


class Indexcijfer(Out):
    jaar: int = Field(examples=[2026])
    cijfer: str = Field(examples=["123.1"])


class Indexreeks(Out):
    id: int
    naam: str = Field(examples=["CBS CAO-lonen"])
    cijfers: list[Indexcijfer]


class IndexreeksList(Out):
    items: list[Indexreeks]


class ContractList(Out):
    items: list[Contract]
    next: str | None


# --------------------------------------------------------------------------- werkbonnen


class WerkbonPatch(Strict):
    medewerker_id: int | None = None
    planned_start: Text | None = Field(None, examples=["2026-03-10T08:30"])
    status: Text | None = Field(None, description="Eén van: " + ", ".join(STATUSES) + ". "
                                "Een afgeronde werkbon kan alleen terug naar in_uitvoering "
                                "(heropenen): de datum van afronding vervalt, en bij een "
                                "onderdeel 'na afronding' de volgende werkbon ook.",
                                examples=["ingepland"])
    cancel_reason: Text | None = Field(None, examples=["Klant heeft afgezegd"])
    completed_on: Text | None = Field(
        None, description="De dag waarop de werkbon is afgerond (JJJJ-MM-DD, niet in de "
        "toekomst): bij status afgerond (standaard vandaag), of later verbeterd. Bij een "
        "onderdeel 'na afronding' schuift de volgende werkbon mee.", examples=["2026-03-12"])


class StoringIn(Strict):
    """POST /werkbonnen: a storing (a werkbon under a correctief contract with an SLA)."""

    klant_id: int | None = Field(None, description="Mag weg bij een token voor één klant.")
    contract_id: int | None = None
    prioriteit: Text | None = Field(None, examples=["Hoog"])
    description: Text | None = Field(None, examples=["Geen warmte in de winkel"])
    reported_at: Text | None = Field(None, description="Lokale tijd; standaard nu.",
                                     examples=["2026-11-20T15:00"])


class Werkbon(Out):
    id: int
    number: str = Field(examples=["W-2026-000812"])
    contract_id: int | None
    klant_id: int
    due_date: str | None
    generated_on: str | None
    status: Literal[tuple(STATUSES)]  # type: ignore[valid-type]
    medewerker_id: int | None
    planned_start: str | None
    duration_minutes: int | None
    description: str | None
    changed_by_hand: bool
    cancel_reason: str | None
    werkadres_id: int | None
    completed_on: str | None = Field(description="De dag van afronding (bij status afgerond).")
    object_ids: list[int]
    response_due: str | None
    resolve_due: str | None
    sla_state: Literal[(*STATES, "geannuleerd")] | None  # type: ignore[valid-type]


class WerkbonList(Out):
    items: list[Werkbon]
    next: str | None


# --------------------------------------------------------------------------- objecten


class WerkadresIn(Strict):
    klant_id: int | None = None
    name: Text | None = Field(None, examples=["Complex De Linde"])
    street: Text | None = Field(None, examples=["Lindelaan"])
    house_number: Text | None = Field(None, examples=["12"])
    postcode: Text | None = Field(None, examples=["3511 AB"])
    city: Text | None = Field(None, examples=["Utrecht"])
    access_notes: Multiline | None = Field(None, examples=["Sleutel bij de beheerder."])
    active: bool | None = None


class WerkadresPatch(WerkadresIn):
    version: int = Field(description="De versie die u ophaalde (409 als die verouderd is).")


class Werkadres(Out):
    id: int
    klant_id: int
    name: str
    street: str
    house_number: str
    postcode: str
    city: str
    access_notes: str
    active: bool
    version: int


class WerkadresList(Out):
    items: list[Werkadres]
    next: str | None


class ObjectIn(Strict):
    number: Text | None = Field(None, examples=["KET-0042"])
    klant_id: int | None = None
    werkadres_id: int | None = None
    objecttype_id: int | None = None
    brand: Text | None = Field(None, examples=["Remeha"])
    model: Text | None = Field(None, examples=["Calenta Ace 28c"])
    serial_number: Text | None = None
    location: Text | None = Field(None, examples=["Zolder"])
    installed_on: DateText | None = None
    warranty_until: DateText | None = None
    status: Text | None = Field(None, description="actief, buiten_gebruik of verwijderd; een "
                                "andere status plant de contracten die het object dekken "
                                "opnieuw.", examples=["buiten_gebruik"])
    status_since: DateText | None = None
    notes: Multiline | None = None


class ObjectPatch(ObjectIn):
    version: int = Field(description="De versie die u ophaalde (409 als die verouderd is).")


class Object(Out):
    id: int
    number: str | None
    klant_id: int
    werkadres_id: int
    objecttype_id: int
    objecttype: str
    brand: str
    model: str
    serial_number: str
    location: str
    installed_on: str | None
    warranty_until: str | None
    status: str
    status_since: str | None
    notes: str
    version: int


class ObjectList(Out):
    items: list[Object]
    next: str | None


# --------------------------------------------------------------------------- termijnen


class TermijnPatch(Strict):
    """The one change there is: concept -> gefactureerd, with the package's invoice number."""

    status: Literal["gefactureerd"]
    factuurnummer: Text = Field("", max_length=60, examples=["F-2027-0042"])


class Termijn(Out):
    id: int
    contract_id: int
    contract_number: str
    klant_id: int
    klant: str
    debiteurnummer: str
    period_start: str
    period_end: str
    cover_start: str
    cover_end: str
    invoice_on: str = Field(description="De factuurdatum.")
    seq: int
    correction: bool
    amount: str = Field(description="Excl. BTW, exact als tekst.", examples=["300.00"])
    cents: int
    btw_tarief: str
    btw: str
    btw_cents: int
    description: str
    status: Literal["concept", "gefactureerd"]
    factuurnummer: str | None
    invoiced_at: str | None


class TermijnList(Out):
    items: list[Termijn]
    next: str | None


# --------------------------------------------------------------------------- the rest


class PreviewIn(Strict):
    start_date: DateText | None = None
    end_date: DateText | None = None
    rrule: Text | None = Field(None, examples=["FREQ=MONTHLY;BYMONTHDAY=1"])
    holidays: Text | None = Field(None, examples=["next_workday"])
    weekends: Text | None = Field(None, examples=["next_workday"])
    days_in_advance: int | None = None
    extra_dates: list[DateListItem] | None = None
    skip_dates: list[DateListItem] | None = None
    after: DateText | None = None
    count: int | None = Field(None, description="1 tot en met 500; standaard 12.")


class Occurrence(Out):
    date: str
    generate_on: str
    original_date: str | None
    reason: str | None


class Preview(Out):
    rrule: str
    description: str = Field(examples=["Elke maand op de 1e"])
    occurrences: list[Occurrence]
    more: bool


class SlaTarget(Out):
    prioriteit: str
    response: int
    resolution: int
    unit: str
    business_hours: bool


class SlaBeleid(Out):
    id: int
    code: str
    name: str
    targets: list[SlaTarget]


class SlaBeleidList(Out):
    items: list[SlaBeleid]


class Health(Out):
    status: Literal["ok", "degraded", "down"]
    down: list[str]
    database: str
    redis: str
    workers: int | None
    cron: int | None


# --------------------------------------------------------------------------- webhooks


class WebhookEvent(Out):
    """The body of every webhook call (signed: see the headers)."""

    type: str = Field(examples=["storing.gemeld"])
    timestamp: str = Field(examples=["2026-11-20T15:00:04Z"])
    data: dict[str, Any]


REQUEST_MODELS = (KlantIn, MedewerkerIn, ContractIn, ContractPatch, WerkbonPatch, StoringIn,
                  PreviewIn, TermijnPatch, WerkadresIn, WerkadresPatch, ObjectIn, ObjectPatch)


# --------------------------------------------------------------------------- model errors


MESSAGES = {  # pydantic error type -> the hand layer's words (validation.TYPE_MESSAGES)
    "int_type": validation.TYPE_MESSAGES[validation.INTEGER],
    "int_from_float": validation.TYPE_MESSAGES[validation.INTEGER],
    "string_type": validation.TYPE_MESSAGES[validation.TEXT],
    "bool_type": validation.TYPE_MESSAGES[validation.BOOLEAN],
    "list_type": validation.TYPE_MESSAGES[validation.DATE_LIST],
    "model_type": validation.TYPE_MESSAGES["object"],
    "dict_type": validation.TYPE_MESSAGES["object"],
    "model_attributes_type": validation.TYPE_MESSAGES["object"],
    "extra_forbidden": "Onbekend veld.",
    "missing": "Vul dit veld in.",
    "string_unicode": validation.TYPE_MESSAGES[validation.TEXT],
}


def error_dict(exc: ValidationError, unknown: bool = True) -> dict[str, str]:
    """{field path: Dutch message}, the API's shape: ("schedule", "extra_dates", 2) is the field
    "schedule.extra_dates" (a list is one field, as it always was). `unknown`: whether to name
    unknown fields too ("Onbekend veld.")."""
    errors: dict[str, str] = {}
    for err in exc.errors(include_url=False, include_input=False):
        loc = err["loc"]
        # an item of a list of values is the list's field; one of a list of objects (a
        # contract's onderdelen) keeps its place: "onderdelen.0.rank"
        path = ".".join(str(p) for n, p in enumerate(loc)
                        if not isinstance(p, int) or n < len(loc) - 1) or "body"
        kind = err["type"]
        if kind == "extra_forbidden" and not unknown:
            continue
        if path.endswith("_dates") and kind != "extra_forbidden":
            message = validation.TYPE_MESSAGES[validation.DATE_LIST]
        elif path.endswith("_ids") and kind != "extra_forbidden":
            message = validation.TYPE_MESSAGES[validation.ID_LIST]
        elif kind == "control_character":
            message = err["msg"]
        else:
            message = MESSAGES.get(kind, "Ongeldige waarde.")
        errors.setdefault(path, message)
    return errors
