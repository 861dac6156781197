"""The settings lists contracts choose from (Instellingen > lijsten): contracttypen,
contractvoorwaarden, werktypen, prioriteiten, redenen van beëindiging; and the objecttypen
objecten choose from.

The six lists share one shape (a table, create, edit, (de)activate), so they are described as
data (`Lijst`, `Field`) and served by one set of views (views/instellingen/lijsten.py):
validation, htmx and audit cannot drift between them. Two rules are list-specific and plug in
as a `guard` that runs inside the write transaction: a contracttype in use keeps its kind
(contracts copied it), and contractvoorwaarden used by an active contract are never edited in
place, only copied as new terms.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from peewee import IntegrityError, fn

from models.common.validation import control_problem, whole
from models.contracts.service import status_of
from models.contracts.tables import Contract
from models.db import audit, write_transaction
from models.objecten.tables import Objecttype
from models.stamdata.instellingen import (
    KINDS,
    Beeindigingsreden,
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    Werktype,
)

FORM_ERROR = "_formulier"  # errors key for a message about the whole form, not one field
INT_RE = re.compile(r"^\s*-?\d+\s*$")


@dataclass(frozen=True)
class Field:
    name: str  # the model attribute
    label: str
    type: str = "text"  # text | textarea | int | choice | bool | werktype
    required: bool = True
    max_len: int = 80
    low: int = 0
    high: int = 0
    choices: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    missing: str = "Dit veld is verplicht."  # message when a required text is empty
    unique: str = ""  # message when another row already has this value (case-insensitive)

    @property
    def range_message(self) -> str:
        return f"Vul een getal van {self.low} tot en met {self.high} in."


@dataclass(frozen=True)
class Lijst:
    name: str  # url part and endpoint prefix: "werktypen"
    entity: str  # audit entity: "werktype"
    model: type
    title: str  # "Werktypen"
    new_label: str  # "Nieuw werktype"
    fields: tuple[Field, ...]
    columns: tuple[tuple[str, str], ...]  # (field name, header) in the table
    order: Callable[[], tuple]
    label_attr: str = "name"  # what names a row in titles and messages
    intro: str = ""
    guard: Callable | None = None  # (item, values, today) -> errors, in the write transaction
    locked: Callable | None = None  # item -> names of fields the form shows as fixed

    def get_field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def label_of(self, item) -> str:
        return getattr(item, self.label_attr)


# --- parsing and display ---------------------------------------------------------------------

def parse(lijst: Lijst, form, current=None):
    """(values for the model, raw strings to re-render the form with, errors per field)."""
    values, raw, errors = {}, {}, {}
    for f in lijst.fields:
        text = (form.get(f.name) or "").strip()
        raw[f.name] = text
        if f.type == "bool":
            values[f.name] = text == "1"
        elif f.type == "int":
            if not text and not f.required:
                values[f.name] = None
            elif not INT_RE.match(text) or not f.low <= int(text) <= f.high:
                errors[f.name] = f.range_message
            else:
                values[f.name] = int(text)
        elif f.type == "choice":
            if text not in dict(f.choices):
                errors[f.name] = "Kies " + _or_list([label for _v, label in f.choices]) + "."
            else:
                values[f.name] = text
        elif f.type == "werktype":
            values[f.name] = None
            if text:
                wt_id = whole(text)
                wt = Werktype.get_or_none(Werktype.id == wt_id) if wt_id is not None else None
                keep = current is not None and getattr(current, f"{f.name}_id") == (wt and wt.id)
                if wt is None or not (wt.active or keep):
                    errors[f.name] = "Kies een actief werktype of geen."
                values[f.name] = wt
        else:
            if problem := control_problem(text, multiline=f.type == "textarea"):
                errors[f.name] = problem
            elif f.required and not text:
                errors[f.name] = f.missing
            elif len(text) > f.max_len:
                errors[f.name] = f"Maximaal {f.max_len} tekens."
            values[f.name] = text
    return values, raw, errors


def _or_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " of " + words[-1]


def raw_of(lijst: Lijst, item) -> dict:
    """The form's strings for a stored row."""
    raw = {}
    for f in lijst.fields:
        if f.type == "werktype":
            value = getattr(item, f"{f.name}_id")
        else:
            value = getattr(item, f.name)
        if f.type == "bool":
            raw[f.name] = "1" if value else ""
        else:
            raw[f.name] = "" if value is None else str(value)
    return raw


def plain(values: dict) -> dict:
    """Values as the audit trail stores them: related rows by name."""
    return {k: (v.name if isinstance(v, Werktype) else v) for k, v in values.items()}


def cell(lijst: Lijst, item, name: str) -> str:
    f = lijst.get_field(name)
    value = getattr(item, name)
    if value is None or value == "":
        return "—"
    if f.type == "bool":
        return "Ja" if value else "Nee"
    if f.type == "choice":
        return dict(f.choices).get(value, value)
    if f.type == "werktype":
        return value.name
    if name == "notice_value":
        return f"{value} {item.notice_unit}"
    return str(value)


def options(lijst: Lijst, item=None) -> dict:
    """The choices of every select in the form (werktypen: the active ones plus the current)."""
    result = {f.name: list(f.choices) for f in lijst.fields if f.type == "choice"}
    for f in lijst.fields:
        if f.type == "werktype":
            current = getattr(item, f"{f.name}_id") if item is not None else None
            rows = (Werktype.select()
                    .where((Werktype.active == True) | (Werktype.id == current))  # noqa: E712
                    .order_by(Werktype.name))
            result[f.name] = [(str(w.id), w.name if w.active else f"{w.name} (inactief)")
                              for w in rows]
    return result


# --- writing ---------------------------------------------------------------------------------

def _unique_errors(lijst: Lijst, values: dict, item) -> dict:
    errors = {}
    model = lijst.model
    for f in lijst.fields:
        if f.unique and values.get(f.name):
            column = getattr(model, f.name)
            clash = model.select().where(fn.LOWER(column) == values[f.name].lower())
            if item is not None:
                clash = clash.where(model.id != item.id)
            if clash.exists():
                errors[f.name] = f.unique
    return errors


def save(lijst: Lijst, values: dict, actor: str, today: date, item=None,
         note: dict | None = None):
    """Create or update with its audit row in one transaction. Returns (item, errors)."""
    model = lijst.model
    try:
        with write_transaction():
            errors = _unique_errors(lijst, values, item)
            if lijst.guard is not None:
                errors.update(lijst.guard(item, values, today))
            if errors:
                return item, errors
            if item is None:
                item = model.create(**values)
                audit.record(lijst.entity, item.id, "aangemaakt", actor,
                             {**plain(values), **(note or {})})
                return item, {}
            before = plain({f.name: getattr(item, f.name) for f in lijst.fields})
            changes = audit.diff(before, plain(values))
            if changes:
                for name, value in values.items():
                    setattr(item, name, value)
                item.save()
                audit.record(lijst.entity, item.id, "gewijzigd", actor, changes)
    except IntegrityError:
        # Someone saved the same name or code between our check and our write.
        unique = next(f for f in lijst.fields if f.unique)
        return item, {unique.name: unique.unique}
    return item, {}


def set_active(lijst: Lijst, item, active: bool, actor: str) -> None:
    with write_transaction():
        updated = (lijst.model.update(active=active)
                   .where(lijst.model.id == item.id, lijst.model.active != active).execute())
        if updated:
            audit.record(lijst.entity, item.id, "geactiveerd" if active else "gedeactiveerd",
                         actor, {"active": [not active, active]})


# --- list-specific rules ---------------------------------------------------------------------

def contracts_with_type(ctype) -> int:
    return Contract.select().where(Contract.contracttype == ctype).count()


def _contracttype_guard(item, values, today) -> dict:
    """Contracts copy the kind of their type, so a type in use keeps its kind."""
    if item is not None and values.get("kind") != item.kind and contracts_with_type(item):
        return {"kind": "Dit contracttype wordt door contracten gebruikt; de soort kan niet "
                        "meer veranderen. Maak een nieuw contracttype aan."}
    return {}


def active_contracts_with_terms(terms, today) -> int:
    """Contracts that are actief or toekomstig and run on these terms."""
    contracts = (Contract.select(Contract, Contractvoorwaarden)
                 .join(Contractvoorwaarden)
                 .where(Contract.voorwaarden == terms.id))
    return sum(1 for c in contracts if status_of(c, today) in ("actief", "toekomstig"))


def in_use_message(count: int) -> str:
    contracts = "1 actief contract" if count == 1 else f"{count} actieve contracten"
    return (f"Deze voorwaarden gelden voor {contracts} en kunnen daarom niet worden gewijzigd. "
            "Kies een nieuwe code en gebruik “Opslaan als nieuwe voorwaarden”; de huidige "
            "voorwaarden blijven dan ongewijzigd.")


def _terms_guard(item, values, today) -> dict:
    """Checked again inside the write transaction: a contract may have been added since the
    form was opened."""
    if item is None:
        return {}
    count = active_contracts_with_terms(item, today)
    return {FORM_ERROR: in_use_message(count)} if count else {}


# --- the lists -------------------------------------------------------------------------------

DURATION = dict(type="int", low=5, high=1440)
MONTHS = dict(type="int", low=1, high=120)

WERKTYPEN = Lijst(
    name="werktypen", entity="werktype", model=Werktype, title="Werktypen",
    new_label="Nieuw werktype",
    intro="Het soort werk op een werkbon, met de duur die een nieuw contract voorstelt.",
    fields=(
        Field("name", "Naam", missing="Vul een naam in.",
              unique="Er is al een werktype met deze naam."),
        Field("default_duration", "Standaardduur (minuten)", hint="Van 5 tot en met 1440.",
              **DURATION),
    ),
    columns=(("name", "Naam"), ("default_duration", "Standaardduur (min)")),
    order=lambda: (Werktype.name,),
)

PRIORITEITEN = Lijst(
    name="prioriteiten", entity="prioriteit", model=Prioriteit, title="Prioriteiten",
    new_label="Nieuwe prioriteit",
    intro="De prioriteiten van werkbonnen; het SLA-beleid geeft per prioriteit de termijnen.",
    fields=(
        Field("name", "Naam", missing="Vul een naam in.",
              unique="Er is al een prioriteit met deze naam."),
        Field("rank", "Rangorde", type="int", low=0, high=99,
              hint="Lager is urgenter: Spoed heeft 0. Van 0 tot en met 99."),
    ),
    columns=(("name", "Naam"), ("rank", "Rangorde")),
    order=lambda: (Prioriteit.rank, Prioriteit.name),
)

REDENEN = Lijst(
    name="redenen", entity="beeindigingsreden", model=Beeindigingsreden,
    title="Redenen van beëindiging", new_label="Nieuwe reden", label_attr="code",
    intro="Waaruit de planner kiest als een contract voortijdig eindigt.",
    fields=(
        Field("code", "Code", max_len=30, missing="Vul een code in.",
              unique="Deze code is al in gebruik.", hint="Kort en uniek, bijvoorbeeld VERHUISD."),
        Field("text", "Omschrijving", max_len=200, missing="Vul een omschrijving in."),
    ),
    columns=(("code", "Code"), ("text", "Omschrijving")),
    order=lambda: (Beeindigingsreden.code,),
)

CONTRACTTYPEN = Lijst(
    name="contracttypen", entity="contracttype", model=Contracttype, title="Contracttypen",
    new_label="Nieuw contracttype",
    intro="De soort bepaalt welke stappen het contractformulier toont; de overige velden zijn "
          "de standaardwaarden die een nieuw contract van dit type krijgt.",
    fields=(
        Field("name", "Naam", missing="Vul een naam in.",
              unique="Er is al een contracttype met deze naam."),
        Field("kind", "Soort", type="choice", choices=tuple(KINDS.items()),
              hint="Ligt vast zodra een contract dit type gebruikt."),
        Field("description", "Omschrijving", type="textarea", required=False, max_len=200),
        Field("default_days_in_advance", "Dagen van tevoren", type="int", low=0, high=365,
              hint="Hoeveel dagen vóór de datum een werkbon wordt aangemaakt (0 tot en met 365)."),
        Field("default_werktype", "Standaard werktype", type="werktype", required=False),
        Field("default_duration", "Standaardduur (minuten)", required=False,
              hint="Van 5 tot en met 1440; leeg: de duur van het werktype.", **DURATION),
    ),
    columns=(("name", "Naam"), ("kind", "Soort"), ("default_days_in_advance", "Dagen van tevoren"),
             ("default_werktype", "Werktype"), ("default_duration", "Duur (min)")),
    order=lambda: (Contracttype.name,),
    guard=_contracttype_guard,
    locked=lambda item: {"kind"} if contracts_with_type(item) else set(),
)

VOORWAARDEN = Lijst(
    name="contractvoorwaarden", entity="contractvoorwaarden", model=Contractvoorwaarden,
    title="Contractvoorwaarden", new_label="Nieuwe contractvoorwaarden", label_attr="code",
    intro="Herbruikbare voorwaarden: looptijd, verlenging, opzegtermijn en facturering. "
          "Voorwaarden die voor een actief contract gelden, wijzigt u door ze als nieuwe "
          "voorwaarden op te slaan.",
    fields=(
        Field("code", "Code", max_len=30, missing="Vul een code in.",
              unique="Deze code is al in gebruik.", hint="Kort en uniek, bijvoorbeeld STD-1J."),
        Field("name", "Naam", max_len=120, missing="Vul een naam in."),
        Field("description", "Omschrijving", type="textarea", required=False, max_len=2000),
        Field("duration_months", "Looptijd (maanden)", hint="Van 1 tot en met 120.", **MONTHS),
        Field("auto_renew", "Automatisch verlengen", type="bool", required=False),
        Field("renewal_months", "Verlengingsperiode (maanden)",
              hint="Met hoeveel maanden het contract telkens wordt verlengd (1 tot en met 120).",
              **MONTHS),
        Field("notice_value", "Opzegtermijn", type="int", low=0, high=365,
              hint="Van 0 tot en met 365."),
        Field("notice_unit", "Eenheid opzegtermijn", type="choice",
              choices=(("dagen", "dagen"), ("maanden", "maanden"))),
        Field("invoice_period", "Factuurperiode", type="choice",
              choices=(("maand", "per maand"), ("kwartaal", "per kwartaal"),
                       ("halfjaar", "per halfjaar"), ("jaar", "per jaar"))),
    ),
    columns=(("code", "Code"), ("name", "Naam"), ("duration_months", "Looptijd (mnd)"),
             ("auto_renew", "Verlengen"), ("notice_value", "Opzegtermijn"),
             ("invoice_period", "Facturering")),
    order=lambda: (Contractvoorwaarden.code,),
    guard=_terms_guard,
)

OBJECTTYPEN = Lijst(
    name="objecttypen", entity="objecttype", model=Objecttype, title="Objecttypen",
    new_label="Nieuw objecttype",
    intro="De soorten installaties die bij klanten staan (cv-ketel, brandblusser, lift, …). "
          "Een gedeactiveerd type kan niet meer gekozen worden; objecten die het al hebben, "
          "houden het.",
    fields=(
        Field("name", "Naam", missing="Vul een naam in.",
              unique="Er is al een objecttype met deze naam."),
    ),
    columns=(("name", "Naam"),),
    order=lambda: (Objecttype.name,),
)

LIJSTEN = (CONTRACTTYPEN, VOORWAARDEN, WERKTYPEN, PRIORITEITEN, REDENEN, OBJECTTYPEN)
