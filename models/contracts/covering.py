"""Which contracts cover an object (readers over ContractObject): the object page's list, and
the object list's filter "zonder contract". A contract that is actief or toekomstig runs;
an ended or expired one covered the object once and is history.
"""

from datetime import date

from models.contracts.service import status_condition, status_of
from models.contracts.tables import Contract, ContractObject, with_terms
from models.db import Compiled
from models.objecten.tables import Object
from models.stamdata.instellingen import Contracttype, Contractvoorwaarden

RUNNING = ("actief", "toekomstig")


def running_condition(today: date):
    """SQL: the contract is actief or toekomstig today."""
    return status_condition("actief", today) | status_condition("toekomstig", today)


def contracts_covering(object_id: int, today: date) -> list[dict]:
    """Every contract with this object among its objecten, running ones first (then the
    newest), each as {"contract", "status", "running"}."""
    rows = _COVERING.rows(object_id)
    found = [{"contract": c, "status": (status := status_of(c, today)),
              "running": status in RUNNING} for c in rows]
    found.sort(key=lambda row: (not row["running"], -row["contract"].start_date.toordinal(),
                                -row["contract"].id))
    return found


def uncovered_condition(today: date):
    """SQL over Object: no running contract covers it (the object list's "zonder contract")."""
    covered = (ContractObject.select(ContractObject.object).join(Contract)
               .where(running_condition(today)))
    return Object.id.not_in(covered)


# Built once (models.db.Compiled): the object page asks this on every view.
_COVERING = Compiled(lambda object_id: with_terms(
    Contract.select(Contract, Contractvoorwaarden, Contracttype)
    .join(ContractObject).switch(Contract).join(Contracttype).switch(Contract))
    .where(ContractObject.object == object_id), (-7_919_000_000_000_017,))
