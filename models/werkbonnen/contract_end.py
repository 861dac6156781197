"""Ending a contract early, and deleting one: what each does to the werkbonnen.

Ending cancels the werkbonnen after the new end date that have not started (changed by hand or
not: the contract no longer covers them); a contract with completed werkbonnen can only be
ended, never deleted.
"""

from datetime import date, timedelta

from models.common.dutch_dates import count, short_date
from models.common.validation import control_problem
from models.contracts import service as contract_service
from models.contracts.input import date_problem, parse_date
from models.contracts.tables import Contract
from models.db import (
    audit,
    db,
    is_sqlite,
    locked,
    serialise_termijnen_writers,
    write_transaction,
)
from models.db.base import utcnow
from models.stamdata import calendar_store
from models.stamdata.instellingen import Beeindigingsreden
from models.webhooks import outbox
from models.werkbonnen import events
from models.werkbonnen.materialise import refresh_bookkeeping
from models.werkbonnen.plan import Existing
from models.werkbonnen.replan import existing_from
from models.werkbonnen.tables import Werkbon


def ending_cancels(contract: Contract, end_date: date, lock: bool = False) -> list[Existing]:
    """Werkbonnen after a new end date that ending the contract cancels (not started, not done,
    not already cancelled). Changed by hand or not: the contract no longer covers them."""
    return [w for w in existing_from(contract, end_date + timedelta(days=1), lock)
            if w.status in ("open", "ingepland") and w.due_date > end_date]


def apply_end(contract: Contract, end_date: date, reason: str, actor: str, today: date,
              free_days) -> int:
    """Cancel what ending the contract cancels (inside the caller's transaction)."""
    cancels = ending_cancels(contract, end_date, lock=True)
    why = f"Contract beëindigd: {reason}"
    for werkbon in cancels:
        Werkbon.update(status="geannuleerd", cancel_reason=why, updated_at=utcnow()).where(
            Werkbon.id == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "geannuleerd", actor, {"reden": why})
    events.changed([w.id for w in cancels])
    refresh_bookkeeping(Contract.get_by_id(contract.id), today, free_days)
    return len(cancels)


def check_end(contract: Contract, values: dict) -> tuple[date | None, Beeindigingsreden | None,
                                                         dict[str, str]]:
    """(end date, reason, errors) of the Beëindigen form (`values`: end_date, reason, comment as
    typed). Ending may shorten a contract, never lengthen it."""
    errors = {}
    end_date = parse_date(values["end_date"])
    if not values["end_date"]:
        errors["end_date"] = "Vul de laatste dag van het contract in."
    elif end_date is None:
        errors["end_date"] = date_problem(values["end_date"], "Vul een geldige datum in.")
    elif end_date < contract.start_date - timedelta(days=1):
        errors["end_date"] = "De einddatum ligt vóór de startdatum."
    elif contract.last_day is not None and end_date > contract.last_day:
        # ending must never lengthen a contract (it ran three years longer, "Actief")
        errors["end_date"] = (f"Het contract loopt al af op {short_date(contract.last_day)}; "
                              "beëindigen kan op die dag of eerder. Verlengen doet u met "
                              "Bewerken.")
    unreadable = control_problem(values["reason"])  # a NUL in the query: a 500 on PostgreSQL
    reason = None if unreadable else \
        Beeindigingsreden.get_or_none(Beeindigingsreden.code == values["reason"])
    if reason is None:
        errors["reason"] = unreadable or "Kies een reden."
    if problem := control_problem(values["comment"], multiline=True):
        errors["comment"] = problem
    elif len(values["comment"]) > 1000:
        errors["comment"] = "Maximaal 1000 tekens."
    return end_date, reason, errors


def end_contract(contract: Contract, end_date: date, reason: Beeindigingsreden, comment: str,
                 actor: str, today: date) -> int:
    """End the contract on `end_date` (checked by check_end) and cancel what that cancels, in
    one transaction; returns how many werkbonnen were cancelled."""
    with write_transaction():
        old_end = contract.end_date
        Contract.update(end_date=end_date, terminated_on=end_date, end_reason=reason,
                        end_comment=comment, version=Contract.version + 1).where(
            Contract.id == contract.id).execute()
        audit.record("contract", contract.id, "beëindigd", actor,
                     {"end_date": [old_end, end_date], "reason": reason.text,
                      "comment": comment})
        cancelled = apply_end(contract, end_date, reason.text, actor, today,
                              calendar_store.free_days())
        outbox.emit("contract.beeindigd", {
            **contract_service.serialise(Contract.get_by_id(contract.id), today),
            "end_reason": reason.text, "end_comment": comment})
        return cancelled


def deletable(contract: Contract, lock: bool = False) -> tuple[bool, str]:
    """A contract with completed werkbonnen can only be ended, never deleted. With `lock` (in the
    transaction that deletes) its werkbonnen are locked first (db.locked), so none can be
    finished between this check and the delete."""
    if lock:
        locked(Werkbon.select(Werkbon.id).where(Werkbon.contract == contract.id)).execute()
    done = Werkbon.select().where(Werkbon.contract == contract.id,
                                  Werkbon.status == "afgerond").count()
    if done:
        finished = count(done, "afgeronde werkbon", "afgeronde werkbonnen")
        return False, (f"Dit contract heeft {finished}; het kan alleen beëindigd worden, niet "
                       "verwijderd.")
    invoiced = _invoiced_termijnen(contract.id, lock)
    if invoiced:
        termijnen = count(invoiced, "gefactureerde termijn", "gefactureerde termijnen")
        return False, (f"Dit contract heeft {termijnen}; het kan alleen beëindigd worden, niet "
                       "verwijderd.")
    return True, ""


def _invoiced_termijnen(contract_id: int, lock: bool) -> int:
    """How many of the contract's factuurtermijnen are gefactureerd: those must survive, and
    deleting the contract would cascade them. Read by table name, because models.facturatie sits
    above this package (tests/unit/test_import_rules.py). With `lock`, the contract's termijnen
    are locked too (FOR UPDATE on PostgreSQL; SQLite's one writer already serialises), so none
    can be marked gefactureerd between this check and the delete."""
    mark = "?" if is_sqlite() else "%s"
    if lock and not is_sqlite():
        db.execute_sql(f"SELECT id FROM factuurtermijn WHERE contract_id = {mark} FOR UPDATE",
                       (contract_id,)).fetchall()
    return db.execute_sql(f"SELECT count(*) FROM factuurtermijn WHERE contract_id = {mark} "
                          "AND status = 'gefactureerd'", (contract_id,)).fetchone()[0]


class ContractGone(Exception):
    """The contract was deleted meanwhile (a second click)."""


def delete_contract(contract: Contract, actor: str) -> tuple[bool, str]:
    """Delete the contract and its werkbonnen, unless `deletable` says no: (deleted, why not).
    Raises ContractGone when it no longer exists."""
    with write_transaction():
        # its cascade may delete termijnen: wait for their other writers before any lock
        # (PostgreSQL; an edit of this contract takes that lock first, then the contract's)
        serialise_termijnen_writers()
        # the contract first: a sweep adding a werkbon to it waits for us, or we for it
        if locked(Contract.select(Contract.id).where(Contract.id == contract.id)).first() is None:
            raise ContractGone(contract.id)
        ok, why = deletable(contract, lock=True)
        if ok:
            audit.record("contract", contract.id, "verwijderd", actor,
                         {"number": contract.number})
            Werkbon.delete().where(Werkbon.contract == contract.id).execute()
            contract.delete_instance()
    return ok, why
