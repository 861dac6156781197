"""Index series the beheerder enters by hand (Instellingen > Indexreeksen): a name ("CBS
CAO-lonen", "CPI") and a figure per year, as CBS publishes them (no network: typed in).

A figure entered or corrected changes what the contracts indexed by that series owe from that
year's indexation day on: their terms are marked changed (contract_version -1), so the worker's
sweep reconciles them (models/facturatie/materialise.reconcile): a concept termijn is
recomputed in place, a gefactureerd one keeps its amount and gets a correction termijn, as
after a price edit."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from peewee import IntegrityError

from models.common.validation import control_problem
from models.db import write_transaction
from models.db.audit import record
from models.db.base import utcnow
from models.facturatie.tables import ContractFacturatie, Indexcijfer, Indexreeks

FIRST_YEAR, LAST_YEAR = 1950, 2200
MAX_NAME = 80


@dataclass
class Series:
    id: int
    name: str
    figures: list  # (year, figure as "118.4"), by year
    contracts: int  # contracts indexed by it


def all_series() -> list[Series]:
    figures: dict[int, list] = {}
    for reeks_id, year, figure in Indexcijfer.select(
            Indexcijfer.reeks, Indexcijfer.year, Indexcijfer.figure).order_by(
            Indexcijfer.year).tuples():
        figures.setdefault(reeks_id, []).append((year, figure))
    used: dict[int, int] = {}
    for reeks_id, in ContractFacturatie.select(ContractFacturatie.index_reeks).where(
            ContractFacturatie.index_reeks.is_null(False)).tuples():
        used[reeks_id] = used.get(reeks_id, 0) + 1
    return [Series(r.id, r.name, figures.get(r.id, []), used.get(r.id, 0))
            for r in Indexreeks.select().order_by(Indexreeks.name)]


def options() -> list[tuple[int, str]]:
    return list(Indexreeks.select(Indexreeks.id, Indexreeks.name).order_by(Indexreeks.name)
                .tuples())


def check_name(text: str) -> tuple[str, str | None]:
    name = " ".join((text or "").split())
    if not name:
        return name, "Vul een naam in, zoals CBS CAO-lonen."
    if len(name) > MAX_NAME:
        return name, f"De naam is te lang (hooguit {MAX_NAME} tekens)."
    return name, control_problem(name)


def parse_year(text: str) -> tuple[int | None, str | None]:
    text = (text or "").strip()
    if not (text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        return None, f"Vul een jaartal in tussen {FIRST_YEAR} en {LAST_YEAR}, zoals 2027."
    return int(text), None


def parse_figure(text: str) -> tuple[Decimal | None, str | None]:
    """'118,4' or '118.4' -> Decimal('118.4'): positive, at most three decimals."""
    cleaned = (text or "").strip().replace(",", ".")
    message = "Vul het indexcijfer in als getal, zoals 118,4."
    if not cleaned or len(cleaned) > 12:
        return None, message
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None, message
    if not value.is_finite() or not cleaned.replace(".", "", 1).isdigit():
        return None, message
    if value <= 0 or value >= 100_000:
        return None, "Een indexcijfer ligt tussen 0 en 100.000."
    if value.as_tuple().exponent < -3:
        return None, "Gebruik hooguit drie decimalen."
    return value, None


def create(name_text: str, actor: str) -> tuple[Indexreeks | None, dict]:
    name, problem = check_name(name_text)
    if problem:
        return None, {"naam": problem}
    try:
        with write_transaction():
            if Indexreeks.select().where(Indexreeks.name == name).exists():
                return None, {"naam": "Er is al een indexreeks met deze naam."}
            reeks = Indexreeks.create(name=name)
            record("indexreeks", reeks.id, "aangemaakt", actor, {"naam": name})
    except IntegrityError:  # a colleague created the same name at the same moment
        return None, {"naam": "Er is al een indexreeks met deze naam."}
    return reeks, {}


def save_figure(reeks_id: int, year_text: str, figure_text: str, actor: str,
                ) -> tuple[int, dict]:
    """Enter (or correct) the figure of a year; returns (contracts to reconcile, errors)."""
    year, year_problem = parse_year(year_text)
    figure, figure_problem = parse_figure(figure_text)
    errors = {k: v for k, v in (("jaar", year_problem), ("cijfer", figure_problem)) if v}
    if errors:
        return 0, errors
    text = str(figure)
    with write_transaction():
        if not Indexreeks.select().where(Indexreeks.id == reeks_id).exists():
            return 0, {"jaar": "Deze indexreeks bestaat niet (meer)."}
        stamp = utcnow()
        before = (Indexcijfer.select(Indexcijfer.figure)
                  .where(Indexcijfer.reeks == reeks_id, Indexcijfer.year == year).scalar())
        if before == text:
            return 0, {}
        Indexcijfer.insert(reeks=reeks_id, year=year, figure=text, updated_at=stamp
                           ).on_conflict(conflict_target=[Indexcijfer.reeks, Indexcijfer.year],
                                         update={Indexcijfer.figure: text,
                                                 Indexcijfer.updated_at: stamp}).execute()
        record("indexreeks", reeks_id, "indexcijfer ingevoerd", actor,
               {"jaar": year, "cijfer": [before, text]})
        # the sweep reconciles these (their version no longer matches)
        return (ContractFacturatie.update(contract_version=-1, updated_at=stamp)
                .where(ContractFacturatie.index_reeks == reeks_id).execute()), {}
