"""Editing a priced contract: what the edit does to its factuurtermijnen, shown in Controle and
done by the save in the same transaction as the edit (not on the worker's next sweep).

The effect is computed with the functions of a contract's Facturatie preview
(materialise.plan_changes over the termijnen that exist, termijnen.due for the periods now due
that have none), over the edited contract's dates and voorwaarden and the terms it has. The
save (`save_edit`, the one way a contract is edited: the wizard and the API's PATCH) wraps
models.werkbonnen.replan.save_edit: the fingerprint Controle showed covers the werkbonnen and
the termijnen, so a colleague who marked a termijn gefactureerd (or changed a werkbon) in
between makes the save write nothing and Controle show the effect as it is now."""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from models.contracts.tables import Contract
from models.db import locked, write_transaction
from models.facturatie import materialise, service, totals
from models.facturatie import termijnen as maths
from models.facturatie.tables import Factuurtermijn
from models.werkbonnen import replan


@dataclass
class TermijnenEffect:
    changes: list = field(default_factory=list)  # materialise.Change per period with termijnen
    new: list = field(default_factory=list)  # maths.Termijn: periods now due without one

    @property
    def empty(self) -> bool:
        return not self.changes and not self.new

    @property
    def corrections(self) -> list:
        return [c for c in self.changes if c.correction]

    @property
    def recomputed(self) -> list:
        return [c for c in self.changes if not c.correction]

    @property
    def fingerprint(self) -> str:
        parts = ([(c.period_start, c.invoiced, c.concept_before, c.expected, c.correction)
                  for c in self.changes]
                 + [(t.period.start, t.invoice_on, t.cents) for t in self.new])
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16] if parts else ""


def termijnen_effect(contract: Contract, today: date, lock: bool = False
                     ) -> TermijnenEffect | None:
    """What the termijnen of `contract` (as edited: its dates and voorwaarden; saved or not)
    must become; None when the contract has no price."""
    row = service.terms_row(contract.id) if contract.id else None
    if row is None:
        return None
    terms = service.terms_for(contract, row.values, today)
    query = Factuurtermijn.select().where(Factuurtermijn.contract == contract.id)
    existing = list(locked(query.order_by(Factuurtermijn.id)) if lock else query)
    have = {t.period_start for t in existing}
    new = [t for t in maths.due(terms, today) if t.period.start not in have]
    return TermijnenEffect(materialise.plan_changes(terms, existing), new)


def fingerprint(werkbonnen: str, termijnen: TermijnenEffect | None) -> str:
    """The digest Controle carries to the save: the werkbonnen's, and the termijnen's when the
    edit changes any (unchanged for a contract without price or without termijnen effect)."""
    extra = termijnen.fingerprint if termijnen is not None else ""
    if not extra:
        return werkbonnen
    return hashlib.sha256(f"{werkbonnen}/{extra}".encode()).hexdigest()[:16]


def ended(contract: Contract, end_date: date) -> Contract:
    """`contract` as ending it on `end_date` makes it (unsaved; the row is not touched)."""
    copy = Contract(**dict(contract.__data__))
    copy.end_date = copy.terminated_on = end_date
    return copy


def ending_effect(contract: Contract, end_date: date, today: date,
                  lock: bool = False) -> TermijnenEffect | None:
    """What ending `contract` early on `end_date` does to its termijnen (an invoiced period
    after the end credited pro rata, concept ones recomputed or dropped); None without a
    price. What the Beëindigen step shows before it is confirmed."""
    return termijnen_effect(ended(contract, end_date), today, lock)


def end_contract(contract: Contract, end_date: date, reason, comment: str, actor: str,
                 today: date) -> int:
    """End the contract (models.werkbonnen.contract_end: the werkbonnen after `end_date`
    cancelled) and bring its termijnen in line in the same transaction: the credit of an
    invoiced period is there at once, not at the worker's next sweep. Returns how many
    werkbonnen were cancelled."""
    from models.werkbonnen import contract_end

    with write_transaction():
        totals.serialise_writers()  # before any row lock (PostgreSQL)
        cancelled = contract_end.end_contract(contract, end_date, reason, comment, actor, today)
        if service.terms_row(contract.id) is not None:
            materialise.reconcile(contract.id, today, actor)
        return cancelled


class _Termijnen:
    """replan.save_edit's `also`: the termijnen part of the edit, inside its transaction."""

    def __init__(self, today: date, actor: str):
        self.today, self.actor = today, actor

    def fingerprint(self, werkbonnen: str, saved: Contract) -> str:
        return fingerprint(werkbonnen, termijnen_effect(saved, self.today, lock=True))

    def apply(self, saved: Contract) -> None:
        if service.terms_row(saved.id) is not None:
            materialise.reconcile(saved.id, self.today, self.actor)


def save_edit(contract: Contract, values: dict, version: int, actor: str, today: date,
              reassign: bool = False, shown: str | None = None, first=None) -> Contract:
    """replan.save_edit with the contract's termijnen brought in line in the same transaction
    (made, recomputed, corrected: what Controle showed). Raises what replan.save_edit raises,
    with nothing written."""
    with write_transaction():
        totals.serialise_writers()  # before any row lock (PostgreSQL; models/facturatie/totals)
        return replan.save_edit(contract, values, version, actor, today, reassign=reassign,
                                shown=shown, first=first, also=_Termijnen(today, actor))
