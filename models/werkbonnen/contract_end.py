"""Ending a contract early, and deleting one: what each does to the werkbonnen.

Ending cancels the werkbonnen after the new end date that have not started (changed by hand or
not: the contract no longer covers them); a contract with completed werkbonnen can only be
ended, never deleted.
"""

from datetime import date, timedelta

from models.contracts.tables import Contract
from models.db import audit
from models.db.base import utcnow
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
    refresh_bookkeeping(Contract.get_by_id(contract.id), today, free_days)
    return len(cancels)
