"""Writing and reading saved contracts: create, the versioned update, the API shape (also what
the audit trail records) and the status. Editing a saved contract re-plans its werkbonnen too:
that is models.werkbonnen.replan.save_edit, which calls `update` here inside its transaction.
"""

from datetime import date

from peewee import IntegrityError, fn

from models.contracts import coverage, lifecycle, onderdelen
from models.contracts.input import columns
from models.contracts.tables import Contract
from models.db import audit, write_transaction
from models.db.base import utcnow
from models.stamdata.instellingen import Contractvoorwaarden
from models.webhooks import outbox


class Conflict(Exception):
    """Someone else saved the contract since it was read."""

    def __init__(self, current: Contract):
        super().__init__("stale version")
        self.current = current


def _next_number(year: int) -> str:
    prefix = f"C-{year}-"
    last = (Contract.select(Contract.number).where(Contract.number.startswith(prefix))
            .order_by(fn.LENGTH(Contract.number).desc(), Contract.number.desc()).scalar())
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def create(values: dict, actor: str, today: date) -> Contract:
    """Insert with a fresh number; the unique key settles a race, we then take the next one."""
    for _attempt in range(5):
        try:
            with write_transaction():
                start = values["start_date"]
                contract = Contract.create(number=_next_number(today.year), created_by=actor,
                                           generate_from=max(start, today),
                                           next_attention=today if values.get("rrule") else None,
                                           **columns(values))
                coverage.write(contract, values)
                shape = serialise(contract, today)
                audit.record("contract", contract.id, "aangemaakt", actor, shape)
                outbox.emit("contract.aangemaakt", shape)  # webhooks, in this transaction
                return contract
        except IntegrityError:
            continue
    raise RuntimeError("Kon geen contractnummer toekennen.")


def update(contract: Contract, values: dict, version: int, actor: str, today: date) -> Contract:
    """Optimistic locking: the UPDATE only succeeds on the version the editor read (else
    Conflict). Returns the contract as saved. Call it through models.werkbonnen.replan.save_edit,
    which re-plans the werkbonnen in the same transaction."""
    row = columns(values)
    with write_transaction():
        before = serialise(Contract.get_by_id(contract.id), today)
        updated = (Contract.update(**row, version=Contract.version + 1,
                                   updated_at=utcnow())
                   .where(Contract.id == contract.id, Contract.version == version).execute())
        if updated != 1:
            raise Conflict(Contract.get_by_id(contract.id))
        fresh = Contract.get_by_id(contract.id)
        coverage.write(fresh, values)
        after = serialise(fresh, today)
        audit.record("contract", contract.id, "gewijzigd", actor, changes(before, after))
        outbox.emit("contract.gewijzigd", after)
        return fresh


# what an edit never changes: the contract's identity, bookkeeping and how it ended
KEPT_BY_AN_EDIT = ("id", "number", "version", "generate_from", "generated_through", "created_by",
                   "created_at", "terminated_on", "end_reason_id", "end_comment")


def edited(current: Contract, values: dict) -> Contract:
    """The contract as saving `values` (checked) over `current` would make it, unsaved, with
    the werkadressen and objecten it would cover: what Controle and the API compare before
    saving."""
    contract = Contract(**columns(values))
    for name in KEPT_BY_AN_EDIT:
        setattr(contract, name, getattr(current, name))
    return coverage.edited_with(contract, values, current)


def changes(before: dict, after: dict, prefix: str = "") -> dict:
    """{field: [old, new]} over the API shape, nested fields as "werkbon.medewerker_id"."""
    result = {}
    for key in after:
        old, new = before.get(key), after[key]
        if isinstance(new, dict) and isinstance(old, dict):
            result.update(changes(old, new, f"{prefix}{key}."))
        elif old != new and key not in ("version", "status"):
            result[f"{prefix}{key}"] = [old, new]
    return result


def status_condition(status: str, today: date):
    """SQL equivalent of status_of (contract_lifecycle.status): auto-renewing terms never expire."""
    terminated = Contract.terminated_on.is_null(False)
    future = Contract.start_date > today
    ended = Contract.end_date.is_null(False) & (Contract.end_date < today)
    before_start = Contract.end_date.is_null(False) & (Contract.end_date < Contract.start_date)
    auto_renewing = Contract.voorwaarden.is_null(False) & Contract.voorwaarden.in_(
        Contractvoorwaarden.select(Contractvoorwaarden.id)
        .where(Contractvoorwaarden.auto_renew == True))  # noqa: E712
    return {
        "toekomstig": future & ~(terminated & before_start),
        "beeindigd": terminated & ((future & before_start) | (~future & ended)),
        "verlopen": ~future & ended & ~terminated & ~auto_renewing,
        "actief": ~future & (~ended | (~terminated & auto_renewing)),
    }.get(status)


def status_of(contract: Contract, today: date) -> str:
    terms = contract.voorwaarden
    auto = bool(terms and terms.auto_renew and contract.terminated_on is None)
    return lifecycle.status(contract.start_date, contract.end_date,
                            contract.terminated_on is not None, auto, today)


def serialise(contract: Contract, today: date, ids: tuple | None = None) -> dict:
    """The API shape (also what the audit trail records). `ids`: (werkadres ids, object ids)
    when the caller read them for many contracts at once (coverage.id_lists)."""

    schedule = contract.schedule()
    if ids is None:
        covers = coverage.covered(contract)
        ids = (covers.werkadres_ids, covers.object_ids)
    return {
        "id": contract.id,
        "number": contract.number,
        "klant_id": contract.klant_id,
        "contracttype": contract.kind,
        "contracttype_name": contract.contracttype.name,
        "description": contract.description,
        "reference": contract.reference,
        "contractvoorwaarden_id": contract.voorwaarden_id,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "days_in_advance": contract.days_in_advance,
        "schedule": None if schedule is None else {
            "rrule": contract.rrule, "holidays": contract.holidays,
            "weekends": contract.weekends,
            "extra_dates": [d.isoformat() for d in contract.dates("extra_dates")],
            "skip_dates": [d.isoformat() for d in contract.dates("skip_dates")],
            "description": lifecycle.schedule_sentence(contract.visits_per_year, schedule),
        },
        "visits_per_year": contract.visits_per_year,
        "sla_beleid_id": contract.sla_beleid_id,
        "werkbon": {
            "description": contract.wb_description,
            "werktype": contract.werktype.name if contract.werktype_id else None,
            "duration_minutes": contract.duration_minutes,
            "prioriteit": contract.prioriteit.name if contract.prioriteit_id else None,
            "start_time": contract.start_time,
            "medewerker_id": contract.medewerker_id,
            "internal_note": contract.internal_note,
        },
        **({"onderdelen": parts} if (parts := onderdelen.to_api(contract)) else {}),
        "werkbon_per": contract.werkbon_per or "datum",
        "werkadres_ids": list(ids[0]),
        "object_ids": list(ids[1]),
        "status": status_of(contract, today),
        "version": contract.version,
    }
