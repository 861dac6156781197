"""The wizard's drafts, kept server-side per user (ContractDraft): started, merged with each
submitted step, thrown away, used up by the save that turns them into a contract, and brought
onto a newer version of the contract after a conflict. Every read-and-write of a draft happens
in one write transaction on the row as it is then, so two tabs or an autosave in flight never
undo each other's input.

What became of a draft is in the audit trail (entity DRAFT): a draft's URL that is used up
leads to the contract it became. Draft ids never repeat (ContractDraft.new).
"""

import json
from datetime import date

from models.contracts import coverage, service
from models.contracts.draft_checks import contract_type, remember_valid
from models.contracts.tables import Contract, ContractDraft
from models.contracts.wizard_form import (
    PLAN_FIELDS,
    from_contract,
    merge_onto,
    merge_step,
    new_contract_values,
    restart_values,
    take_new_type_defaults,
)
from models.db import audit, locked, write_transaction
from models.db.audit import AuditLog
from models.db.base import utcnow

DRAFT = "concept"  # the audit trail's entity for what became of a draft (draft ids never repeat)


class DraftGone(Exception):
    """The draft was saved or thrown away (by a click a moment ago: a double click, another tab;
    or long ago: a bookmark, Back after saving) while this request wanted it. The wizard answers
    it by going to the contract it became, when known, not with a 404."""

    def __init__(self, contract_id: int | None = None,
                 message: str = "Dit concept is er niet meer: het is al opgeslagen of "
                                "weggegooid."):
        super().__init__(contract_id)
        self.contract_id = contract_id
        self.message = message


def find(draft_id: int, user_id: int) -> ContractDraft | None:
    return ContractDraft.get_or_none(ContractDraft.id == draft_id, ContractDraft.user == user_id)


def used_up(draft_id: int, username: str) -> DraftGone | None:
    """What became of this user's draft that is no longer there: saved as a contract (which),
    or thrown away; None when the audit trail knows nothing of it (then it never was theirs)."""
    row = (AuditLog.select().where(AuditLog.entity == DRAFT, AuditLog.entity_id == draft_id,
                                   AuditLog.actor == username)
           .order_by(AuditLog.id.desc()).first())
    if row is None:
        return None
    contract = Contract.get_or_none(Contract.id == json.loads(row.changes or "{}")
                                    .get("contract_id"))
    if row.action == "opgeslagen" and contract is not None:
        return DraftGone(contract.id, f"Dit concept is al opgeslagen: dit is contract "
                                      f"{contract.number}.")
    if row.action == "weggegooid":
        return DraftGone(contract.id if contract else None, "Dit concept is weggegooid.")
    return DraftGone()


# --------------------------------------------------------------------------- starting


def start_new(user_id: int, contracttype_id: str, today: date) -> ContractDraft:
    """Step 1 chose a type: the draft of a new contract, at step 2."""
    values = new_contract_values(contracttype_id, contract_type(contracttype_id), today)
    return ContractDraft.new(user=user_id, step="overeenkomst", data=json.dumps(values))


def open_edit(contract: Contract, user_id: int, today: date,
              create: bool = True) -> ContractDraft | None:
    """This user's draft for editing `contract`: the one there is, else (with `create`) a new
    one prefilled from the contract; it remembers the values it started from and the contract
    as it was (for a rebase and the conflict's "what changed" after another planner's save)."""
    draft = ContractDraft.get_or_none(ContractDraft.user == user_id,
                                      ContractDraft.contract == contract.id)
    if draft is None and create:
        values = from_contract(contract, coverage.draft_tuple(contract))
        values["_start"] = json.dumps(values, ensure_ascii=False)  # for a rebase after a conflict
        values["_base"] = json.dumps(service.serialise(contract, today))
        draft = ContractDraft.new(user=user_id, contract=contract,
                                  base_version=contract.version, step="overeenkomst",
                                  data=json.dumps(values, ensure_ascii=False))
    return draft


def restart(contract: Contract, user_id: int) -> ContractDraft:
    """A new draft with the same terms and details, starting the day after `contract` ends
    (lifecycle.restart_refusal first says whether that can be)."""
    return ContractDraft.new(user=user_id, step="overeenkomst",
                             data=json.dumps(restart_values(contract,
                                                            coverage.draft_tuple(contract)),
                                             ensure_ascii=False))


# --------------------------------------------------------------------------- filling in


def update(draft: ContractDraft, step: str, form, move_to: str | None = None,
           select: str | None = None) -> dict:
    """Merges the submitted fields of `step` (`form`: the request's form) into the draft and
    returns its values; `move_to` also makes that the step the draft resumes at; `select`
    applies a selection button of the werkbon step's objecten picker (coverage.select).

    Read, merge and write happen in one write transaction on the row as it is then (db.locked),
    not on what this request read before: an autosave still in flight when Volgende is pressed,
    or a second tab on another step, would otherwise write back the older values it read and
    undo the other request's input."""
    with write_transaction():
        row = locked(ContractDraft.select(ContractDraft.data)
                     .where(ContractDraft.id == draft.id)).first()
        if row is None:
            raise DraftGone(draft.contract_id)
        before = row.values
        values = merge_step(before, step, form)
        if step == "type" and values.get("contracttype_id") != before.get("contracttype_id"):
            take_new_type_defaults(values, contract_type(before.get("contracttype_id")),
                                   contract_type(values.get("contracttype_id")))
        if step in PLAN_FIELDS:
            remember_valid(values, before, draft.contract)
        if select:  # a selection button of the objecten picker (coverage.select)
            values["object_ids"] = coverage.select(values, select, draft.contract)
        fields = {"data": json.dumps(values, ensure_ascii=False), "updated_at": utcnow()}
        if move_to:
            fields["step"] = move_to
        ContractDraft.update(**fields).where(ContractDraft.id == draft.id).execute()
    draft.data = fields["data"]
    draft.step = move_to or draft.step
    return values


def resume_at(draft: ContractDraft, step: str) -> None:
    """The step the draft resumes at (one column, one statement: nothing to race)."""
    ContractDraft.update(step=step, updated_at=utcnow()).where(
        ContractDraft.id == draft.id).execute()
    draft.step = step


# --------------------------------------------------------------------------- ending a draft


def discard(draft: ContractDraft, actor: str) -> None:
    """Throw the draft away (DraftGone when it was already gone)."""
    with write_transaction():
        if not ContractDraft.delete().where(ContractDraft.id == draft.id).execute():
            raise DraftGone(draft.contract_id)
        audit.record(DRAFT, draft.id, "weggegooid", actor,
                     {"contract_id": draft.contract_id})


def use_up(draft: ContractDraft, actor: str) -> None:
    """Delete the draft, inside the transaction that saves it: a second Opslaan at the same
    moment (a double click, another tab) finds it gone and saves nothing, instead of a second
    contract. A refused save rolls this back and keeps the draft."""
    if not ContractDraft.delete().where(ContractDraft.id == draft.id).execute():
        raise used_up(draft.id, actor) or DraftGone(draft.contract_id)


def remember_saved(draft: ContractDraft, actor: str, contract_id: int) -> None:
    """The draft's URL (a bookmark, Back) then leads to the contract, not to a 404."""
    audit.record(DRAFT, draft.id, "opgeslagen", actor, {"contract_id": contract_id})


def save_new(draft: ContractDraft, values: dict, actor: str, today: date) -> Contract:
    """The draft of a new contract becomes the contract (`values`: checked), in one transaction.
    An edit is saved by models.werkbonnen.replan.save_edit, with use_up and remember_saved as
    its first step."""
    with write_transaction():
        use_up(draft, actor)
        contract = service.create(values, actor, today)
        remember_saved(draft, actor, contract.id)
    return contract


def rebase(draft: ContractDraft, values: dict, current: Contract,
           today: date) -> tuple[dict | None, list[str]]:
    """After a version conflict: bring the draft onto the saved version (wizard_form.merge_onto)
    and let it build on that version, so Opslaan after looking at it saves; before, the draft
    stayed on the old version and every Opslaan was refused again. (None, []) for a draft from
    before its starting values were kept (`_start`)."""
    if "_start" not in values:
        return None, []
    merged, clashes = merge_onto(values, from_contract(current, coverage.draft_tuple(current)))
    merged["_base"] = json.dumps(service.serialise(current, today))
    with write_transaction():
        ContractDraft.update(base_version=current.version,
                             data=json.dumps(merged, ensure_ascii=False)).where(
            ContractDraft.id == draft.id).execute()
    draft.base_version = current.version
    return merged, clashes
