"""A saved contract changed: what that does to its werkbonnen, and the one function that saves
an edit together with it.

`plan_for` asks the pure planner (models.werkbonnen.plan) what recalculating a contract would
change from today on; `apply_plan` writes that plan. `effect` is what the Controle step shows
before an edit is saved, and `save_edit` is the save itself: it computes the effect again
inside its transaction, the same way, refuses when it differs from what Controle showed, and
applies it. The wizard, the API's PATCH and the tests all edit through `save_edit`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from models.contracts import coverage as contract_coverage
from models.contracts import service as contract_service
from models.contracts.tables import Contract, with_terms
from models.db import audit, locked, write_transaction
from models.db.base import utcnow
from models.schedule.describe import join
from models.schedule.expand import occurrences_between
from models.stamdata import calendar_store
from models.werkbonnen import events
from models.werkbonnen.materialise import (
    Counts,
    chains_of,
    insert_werkbonnen,
    lookup_names,
    refresh_bookkeeping,
    werkbon_rows,
)
from models.werkbonnen.objecten import object_ids_of
from models.werkbonnen.plan import (
    CANCEL_REASON,
    MOVE_WINDOW,
    Coverage,
    CoveredObject,
    Existing,
    Plan,
    cadence_visits,
    first_day,
    horizon,
    plan_slots,
    reassignable,
    visits,
)
from models.werkbonnen.tables import CLOSED, Werkbon, WerkbonObject


def existing_from(contract: Contract, low: date, lock: bool = False) -> list[Existing]:
    """The contract's werkbonnen from `low` on. With `lock` (inside a write transaction that
    changes them on what this says) they are locked (db.locked): a planner starting or moving
    one meanwhile waits, so a werkbon read as unprotected cannot become protected before we
    write (on PostgreSQL; SQLite's write transaction already excludes that)."""
    query = (Werkbon.select(Werkbon.id, Werkbon.due_date, Werkbon.status,
                            Werkbon.changed_by_hand, Werkbon.medewerker, Werkbon.number,
                            Werkbon.stands_for, Werkbon.slot, Werkbon.werkadres,
                            Werkbon.completed_on)
             .where(Werkbon.contract == contract.id,
                    # storingen are reported faults, not visits of the schedule: an edit of
                    # the contract (or its end) must never move or cancel one
                    Werkbon.reported_at.is_null(),
                    (Werkbon.due_date >= low) | (Werkbon.stands_for >= low))
             .order_by(Werkbon.due_date))
    if lock:
        query = locked(query)
    rows = list(query)
    objects = object_ids_of([w.id for w in rows if w.werkadres_id is not None])
    return [Existing(w.id, w.due_date, w.status, w.changed_by_hand, w.medewerker_id, w.number,
                     w.stands_for, w.slot, w.werkadres_id, objects.get(w.id, ()),
                     w.completed_on)
            for w in rows]


def coverage_of(contract: Contract, override: dict | None = None,
                active: dict | None = None) -> Coverage:
    """What `contract` (saved, or an edit not saved yet) covers, as the planner reads it; the
    objecten in the sweep's order (materialise.coverage_of). `override`: {object id: (status,
    since)}, to plan as if an object had that status; `active`: {werkadres id: bool}, as if a
    werkadres were (in)active."""
    return coverage_from(contract_coverage.covered(contract), override, active)


def coverage_from(covers: contract_coverage.Covered, override: dict | None = None,
                  active: dict | None = None) -> Coverage:
    """The planner's Coverage of coverage rows (a contract's, or a wizard draft's). A werkadres
    that is not in use (deactivated) gets no werkbonnen: not in its own right, and none of its
    objecten (as if they were out of use; the planner only plans from today on, so that is
    from the day it was deactivated)."""
    from models.objecten.tables import PRODUCING

    active = active or {}
    objects = []
    for obj in sorted(covers.objecten, key=lambda o: (o.werkadres_id, o.number, o.id)):
        status, since = (override or {}).get(obj.id, (obj.status, obj.status_since))
        stops = None if status == PRODUCING else (since or date.min)
        if not active.get(obj.werkadres_id, obj.werkadres.active):
            stops = date.min
        objects.append(CoveredObject(obj.id, obj.werkadres_id, obj.number, stops))
    closed = frozenset(w.id for w in covers.werkadressen if not active.get(w.id, w.active))
    return Coverage(covers.werkbon_per or "datum", tuple(covers.werkadres_ids), tuple(objects),
                    closed)


def plan_for(contract: Contract, today: date, free_days, lock: bool = False,
             existing: list[Existing] | None = None, override: dict | None = None,
             active: dict | None = None) -> Plan:
    """What recalculating this contract (as it is now, possibly unsaved) would change, from today
    on: history stays as it is. `lock` when the plan is about to be applied (existing_from);
    `existing`: its werkbonnen from today on, when the caller has read them already;
    `override`: objecten planned with another status (coverage_of).

    Every werkbon from today on is weighed, also those before a start date that moved later
    (they no longer fit and are moved or cancelled); the schedule's dates count from the later
    of today and the day generation starts."""
    low = max(today, first_day(contract.generate_from, contract.start_date))
    if existing is None:
        existing = existing_from(contract, today, lock) if contract.id else []
    end = contract.last_day
    schedule = contract.schedule()
    if schedule is None:
        return plan_slots([], existing, today, end)
    high = horizon(today, contract.days_in_advance)
    if existing:
        # as far as a werkbon that exists may move: a date just after the last one that is not
        # due yet still takes it (it was cancelled, and made again a week later)
        high = max(high, max(w.due_date for w in existing) + MOVE_WINDOW)
    cadences = contract.cadences()
    if cadences:
        wanted = cadence_visits(cadences, free_days, low, high, coverage_of(contract, override),
                                chains_of(contract, cadences),
                                first_day(contract.generate_from, contract.start_date))
        return plan_slots(wanted, existing, today, end)
    wanted = occurrences_between(schedule, free_days, low, high) if low <= high else []
    return plan_slots(visits(wanted, coverage_of(contract, override, active)), existing, today,
                      end)


class PlanChanged(Exception):
    """The werkbonnen changed between the Controle step and the save: what the save would do
    is not what the planner saw. Raised inside the save's transaction, so nothing is written."""


def apply_plan(contract: Contract, plan: Plan, today: date, free_days, actor: str,
               reassign: bool = False, reason: str = CANCEL_REASON,
               bookkeeping: bool = True) -> Counts:
    """Write a plan for one contract. Call inside the transaction that saved the contract, so the
    contract and its werkbonnen change together or not at all. `reason`: what a cancelled
    werkbon says (an object's status change says that, not "the contract")."""
    counts = Counts(seen=1)
    names = lookup_names([contract])
    now = utcnow()
    for werkbon, occurrence in plan.move:
        fields = {"due_date": occurrence.date, "updated_at": now}
        if werkbon.status == "ingepland":
            fields["planned_start"] = _planned(contract, occurrence.date)
        Werkbon.update(**fields).where(Werkbon.id == werkbon.id).execute()
        # the copy of the date beside its object links moves with it (the object's history)
        WerkbonObject.update(due_date=occurrence.date).where(
            WerkbonObject.werkbon == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "verplaatst", actor,
                     {"due_date": [werkbon.due_date, occurrence.date]})
        counts.moved += 1
    for werkbon in plan.cancel:
        Werkbon.update(status="geannuleerd", cancel_reason=reason, updated_at=now).where(
            Werkbon.id == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "geannuleerd", actor, {"reden": reason})
        counts.cancelled += 1
    for werkbon, stands_for in plan.stand_in:
        Werkbon.update(stands_for=stands_for).where(Werkbon.id == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "telt als bezoek van" if stands_for else
                     "telt weer alleen voor zichzelf", actor,
                     {"stands_for": [werkbon.stands_for, stands_for]})
    for werkbon, _occurrence in plan.reopen:
        status = "ingepland" if contract.medewerker_id else "open"
        Werkbon.update(status=status, cancel_reason="", medewerker=contract.medewerker_id,
                       planned_start=_planned(contract, werkbon.due_date)
                       if contract.medewerker_id else None, updated_at=now).where(
            Werkbon.id == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "heropend", actor, {"status": ["geannuleerd", status]})
    for werkbon, visit in plan.relink:
        WerkbonObject.delete().where(WerkbonObject.werkbon == werkbon.id).execute()
        if visit.object_ids:
            # the werkbon's date as it is now (a move above may have changed it)
            # and status (open or not: WerkbonObject.werkbon_open)
            day, status = Werkbon.select(Werkbon.due_date, Werkbon.status).where(
                Werkbon.id == werkbon.id).tuples().get()
            WerkbonObject.insert_many(
                [(werkbon.id, oid, day, status not in CLOSED) for oid in visit.object_ids],
                fields=[WerkbonObject.werkbon, WerkbonObject.object, WerkbonObject.due_date,
                        WerkbonObject.werkbon_open]).execute()
        Werkbon.update(updated_at=now).where(Werkbon.id == werkbon.id).execute()
        audit.record("werkbon", werkbon.id, "objecten gewijzigd", actor,
                     {"object_ids": [list(werkbon.object_ids), sorted(visit.object_ids)]})
    rows, objects = werkbon_rows(contract, plan.create, today, names, now)
    counts.created = insert_werkbonnen(rows, today.year, objects)
    events.created(rows)
    if plan.create:
        dates = list(dict.fromkeys(o.date.isoformat() for o in plan.create))
        made = {"dates": dates} if len(dates) == len(plan.create) else \
            {"dates": dates, "werkbonnen": len(plan.create)}
        audit.record("contract", contract.id, "werkbonnen aangemaakt", actor, made)
    changed = [w.id for w, _ in plan.move] + [w.id for w in plan.cancel] + [
        w.id for w, _ in plan.reopen] + [w.id for w, _ in plan.relink]  # werkbon.gewijzigd
    if reassign:
        for werkbon in reassignable(existing_from(contract, today, lock=True), today,
                                    contract.medewerker_id):
            Werkbon.update(medewerker=contract.medewerker_id,
                           status="ingepland" if contract.medewerker_id else "open",
                           planned_start=_planned(contract, werkbon.due_date)
                           if contract.medewerker_id else None,
                           updated_at=now).where(Werkbon.id == werkbon.id).execute()
            audit.record("werkbon", werkbon.id, "toegewezen", actor,
                         {"medewerker_id": [werkbon.medewerker_id, contract.medewerker_id]})
            changed.append(werkbon.id)
    events.changed(changed)
    if bookkeeping:
        refresh_bookkeeping(contract, today, free_days)
    return counts


def replan_floating(contract_id: int, today: date, actor: str) -> Counts | None:
    """A werkbon of a floating cadence was completed, cancelled or reopened: plan that
    contract's floating cadences again (its next visit made, moved or cancelled), inside the
    caller's transaction. A completion recorded twice plans the same next date: the unique key
    makes it once. The fixed cadences are the sweep's; it looks at the contract again today
    (next_attention), as a floating next visit due later must be made when it is due."""
    from models.werkbonnen.plan import cadence_of, floating_visits

    contract = with_terms().where(Contract.id == contract_id).first()
    if contract is None:
        return None
    cadences = contract.cadences()
    keys = {c.key for c in cadences if c.floating}
    if not keys:
        return None
    free_days = calendar_store.free_days()
    first = first_day(contract.generate_from, contract.start_date)
    existing = [w for w in existing_from(contract, today, lock=True)
                if cadence_of(w.slot) in keys]
    wanted = floating_visits(cadences, free_days, max(today, first), coverage_of(contract),
                             chains_of(contract, cadences), first)
    plan = plan_slots(wanted, existing, today, contract.last_day)
    counts = apply_plan(contract, plan, today, free_days, actor, bookkeeping=False)
    Contract.update(next_attention=today).where(
        Contract.id == contract.id, (Contract.next_attention.is_null())
        | (Contract.next_attention > today)).execute()
    return counts


def _floating_cadence(werkbon: Werkbon) -> tuple[Contract, list, object] | None:
    """(contract, its cadences, the floating cadence `werkbon` belongs to), or None for a
    werkbon of a fixed cadence or of no onderdeel."""
    from models.werkbonnen.plan import cadence_of

    if not werkbon.contract_id or "#" not in (werkbon.slot or ""):
        return None
    contract = with_terms().where(Contract.id == werkbon.contract_id).first()
    cadences = contract.cadences() if contract is not None else []
    cadence = next((c for c in cadences if c.key == cadence_of(werkbon.slot)), None)
    if cadence is None or not cadence.floating:
        return None
    return contract, cadences, cadence


def floating_name(werkbon: Werkbon) -> str | None:
    """The name of the floating onderdeel a werkbon belongs to; None for any other werkbon."""
    found = _floating_cadence(werkbon)
    return found[2].name if found else None


def floating_next(werkbon_id: int) -> tuple[date, bool, str] | None:
    """The next visit after a werkbon of a floating cadence (what a planner is told after
    completing it or correcting its completion date): (its date, whether its werkbon is made
    already, the onderdeel's name). None for a werkbon of a fixed cadence, or when no next
    visit comes (after the contract's end, or the chain waits on another werkbon)."""
    from models.schedule.cadence import WAITING, floating_wanted

    werkbon = Werkbon.get_or_none(Werkbon.id == werkbon_id)
    found = _floating_cadence(werkbon) if werkbon is not None else None
    if found is None:
        return None
    contract, cadences, cadence = found
    made = (Werkbon.select(Werkbon.due_date)
            .where(Werkbon.contract == contract.id, Werkbon.slot == werkbon.slot,
                   Werkbon.reported_at.is_null(), Werkbon.status.in_(WAITING),
                   Werkbon.due_date > werkbon.due_date)
            .order_by(Werkbon.due_date).first())
    if made is not None:
        return made.due_date, True, cadence.name
    _wanted, following = floating_wanted(
        cadence, chains_of(contract, cadences).get(werkbon.slot, []),
        first_day(contract.generate_from, contract.start_date), calendar_store.free_days())
    if following is None:
        return None
    return following.date, False, cadence.name


def _planned(contract: Contract, day: date) -> datetime:
    hours, minutes = (int(x) for x in contract.start_time.split(":"))
    return datetime.combine(day, time(hours, minutes))


# --------------------------------------------------------------------------- saving an edit

# werkbon details copied onto each new werkbon (materialise.werkbon_rows); the ones already made
# keep theirs, which Controle says rather than "geen gevolgen"
WERKBON_DETAILS = (("wb_description", "omschrijving"), ("werktype_id", "werktype"),
                   ("prioriteit_id", "prioriteit"), ("duration_minutes", "duur"),
                   ("start_time", "starttijd"), ("internal_note", "interne notitie"))


@dataclass
class Effect:
    """What saving `edited` over the contract as it is (`current`) does to its werkbonnen: the
    plan, the waiting werkbonnen that follow a new medewerker (`reassign`) and those that keep
    theirs because a person assigned them (`kept`), how many are waiting (not started), and
    which werkbon details change for new werkbonnen only."""

    plan: Plan
    reassign: list[Existing]
    kept: list[Existing]
    waiting: int
    details: list[str]
    edited: Contract

    @property
    def fingerprint(self) -> str:
        """What Controle carries to the save (Plan.fingerprint)."""
        return self.plan.fingerprint(self.reassign)

    @property
    def details_text(self) -> str:
        return join(self.details)

    @property
    def medewerker(self):
        return self.edited.medewerker


def effect(current: Contract, edited: Contract, today: date, free_days,
           lock: bool = False) -> Effect:
    """The Controle step's "what this edit does", and the save's own check of it (`lock`,
    inside its transaction): one function, so what the planner saw and what the save does
    cannot drift apart."""
    existing = existing_from(current, today, lock)
    plan = plan_for(edited, today, free_days, existing=existing)
    reassign, kept = [], []
    if edited.medewerker_id != current.medewerker_id:
        reassign = reassignable(existing, today, edited.medewerker_id)
        # the ones a person assigned by hand keep their medewerker: say so, by name
        kept = [w for w in existing if w.due_date >= today and w.changed_by_hand
                and w.status in ("open", "ingepland") and w.medewerker_id != edited.medewerker_id]
    details = [label for field, label in WERKBON_DETAILS
               if getattr(edited, field) != getattr(current, field)]
    waiting = sum(1 for w in existing if w.status in ("open", "ingepland"))
    return Effect(plan, reassign, kept, waiting, details, edited)


def save_edit(contract: Contract, values: dict, version: int, actor: str, today: date,
              reassign: bool = False, shown: str | None = None, first=None,
              also=None) -> Contract:
    """The one way a saved contract is edited (the wizard's Opslaan, the API's PATCH): the new
    version (optimistic locking: `version` is the one the editor read) and what it does to the
    werkbonnen, in one transaction. `first()` runs first inside it (the wizard uses up its draft
    there). `shown`: the fingerprint of the effect Controle showed; when the effect now differs
    (a colleague changed a werkbon meanwhile) nothing is written. `reassign`: the waiting
    werkbonnen follow a new medewerker (the form's default, unless the planner unticks it).

    `also`: another part of the edit from a package above this one (models.facturatie.edit:
    the termijnen), with `fingerprint(werkbonnen_fingerprint, saved)` (the digest Controle
    showed, both parts) and `apply(saved)`, both run inside the transaction.

    Raises contract_service.Conflict (a stale version) or PlanChanged, with nothing written.
    The caller asks the worker to generate once this returned (jobs.enqueue.after_save)."""
    free = calendar_store.free_days()
    with write_transaction():
        if first is not None:
            first()
        saved = contract_service.update(contract, values, version, actor, today)
        found = effect(contract, saved, today, free, lock=True)
        digest = found.fingerprint if also is None else also.fingerprint(found.fingerprint,
                                                                         saved)
        if shown is not None and digest != shown:
            raise PlanChanged()
        apply_plan(saved, found.plan, today, free, actor, reassign=reassign)
        if also is not None:
            also.apply(saved)
    return saved


# --------------------------------------------------------------------------- an object's status


@dataclass
class ObjectEffect:
    """What an object's new status does to the werkbonnen of every contract that covers it:
    (contract, plan) per contract. A status other than actief stops its werkbonnen from `since`
    (the waiting ones from then on are cancelled, the started, done and hand-changed ones stay);
    actief again brings them back from today (cancelled ones reopen, due ones are made)."""

    contracts: list[tuple[Contract, Plan]]

    @property
    def fingerprint(self) -> str:
        import hashlib

        parts = [(c.id, plan.fingerprint()) for c, plan in self.contracts]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]

    @property
    def cancel(self) -> list[Existing]:
        return [w for _c, plan in self.contracts for w in plan.cancel]

    @property
    def empty(self) -> bool:
        return all(plan.empty for _c, plan in self.contracts)


def contracts_covering(object_id: int) -> list[Contract]:
    from models.contracts.tables import ContractObject

    return list(Contract.select().join(ContractObject).where(
        ContractObject.object == object_id).order_by(Contract.id))


def _status_since(status: str, since: date | None, today: date) -> date | None:
    from models.objecten.tables import PRODUCING

    return None if status == PRODUCING else (since or today)


def status_reason(obj) -> str:
    """What a werkbon cancelled by the object's status says."""
    from models.objecten.tables import STATUSES

    return f"Object {obj.number} {STATUSES.get(obj.status, obj.status).lower()}"


def object_status_effect(obj, status: str, since: date | None, today: date,
                         free_days=None) -> ObjectEffect:
    """What setting `obj` (an Object) to `status` from `since` (None: today) would do, before it
    is saved: the preview a planner sees before confirming the status change."""
    free = calendar_store.free_days() if free_days is None else free_days
    override = {obj.id: (status, _status_since(status, since, today))}
    return ObjectEffect([(c, plan_for(c, today, free, override=override))
                         for c in contracts_covering(obj.id)])


def replan_object(object_id: int, actor: str, today: date, shown: str | None = None,
                  free_days=None) -> ObjectEffect:
    """Re-plan every contract that covers the object, as the object is stored now: call it
    inside the transaction that changed its status (after the change). `shown`: the
    fingerprint of the effect the planner confirmed (object_status_effect); when it differs,
    PlanChanged and nothing is written."""
    from models.objecten.tables import Object

    free = calendar_store.free_days() if free_days is None else free_days
    with write_transaction():
        reason = status_reason(Object.get_by_id(object_id))
        found = ObjectEffect([(c, plan_for(c, today, free, lock=True))
                              for c in locked(Contract.select().where(Contract.id.in_(
                                  [c.id for c in contracts_covering(object_id)]))
                                  .order_by(Contract.id))])
        if shown is not None and found.fingerprint != shown:
            raise PlanChanged()
        for contract, plan in found.contracts:
            apply_plan(contract, plan, today, free, actor, reason=reason)
    return found


def apply_object_status(obj, status: str, since: date | str | None, actor: str, today: date,
                        shown: str | None = None, version: int | None = None):
    """THE status change of an object with what it does to the werkbonnen: the objecten
    service's `set_status` (its checks, its version check and audit) and the re-plan of every
    contract that covers the object, in one transaction. Returns (object as saved, errors,
    ObjectEffect or None when there were errors). Raises PlanChanged (nothing written) when
    the effect is no longer the one the planner confirmed (`shown`), and the service's
    Conflict when someone saved the object since `version`."""
    from models.objecten import service as objecten_service

    free = calendar_store.free_days()
    with write_transaction():
        saved, errors = objecten_service.set_status(obj, status, since, actor, today,
                                                    version=version)
        if errors:
            return saved, errors, None
        return saved, {}, replan_object(obj.id, actor, today, shown, free)


def update_object(obj, data: dict, version: int, actor: str, today: date):
    """The objecten service's `update_object` and, when it changed the status, the re-plan of
    the contracts that cover the object, in one transaction (the API's PATCH: it applies what
    the status means at once; the object page shows it first). (object as saved, errors)."""
    from models.objecten import service as objecten_service

    with write_transaction():
        saved, errors = objecten_service.update_object(obj, data, version, actor, today)
        if not errors and (saved.status, saved.status_since) != (obj.status, obj.status_since):
            replan_object(obj.id, actor, today)
    return saved, errors


# --------------------------------------------------------------------------- a werkadres in use


def contracts_at(werkadres_id: int) -> list[Contract]:
    """The contracts that cover the werkadres in its own right or any of its objecten."""
    from models.contracts.tables import ContractObject, ContractWerkadres
    from models.objecten.tables import Object

    places = ContractWerkadres.select(ContractWerkadres.contract).where(
        ContractWerkadres.werkadres == werkadres_id)
    objects = (ContractObject.select(ContractObject.contract).join(Object)
               .where(Object.werkadres == werkadres_id))
    return list(Contract.select().where(Contract.id.in_(places) | Contract.id.in_(objects))
                .order_by(Contract.id))


def werkadres_reason(werkadres) -> str:
    """What a werkbon cancelled because its werkadres was deactivated says."""
    return f"Werkadres {werkadres.label} niet meer in gebruik"


def werkadres_active_effect(werkadres, active: bool, today: date,
                            free_days=None) -> ObjectEffect:
    """What (de)activating `werkadres` would do to the werkbonnen of every contract that
    covers it or its objecten, before it is saved: deactivated, its waiting werkbonnen from
    today on are cancelled (started, done and hand-changed ones stay), as for an object out of
    use; active again brings them back."""
    free = calendar_store.free_days() if free_days is None else free_days
    return ObjectEffect([(c, plan_for(c, today, free, active={werkadres.id: active}))
                         for c in contracts_at(werkadres.id)])


def replan_werkadres(werkadres_id: int, actor: str, today: date, shown: str | None = None,
                     free_days=None) -> ObjectEffect:
    """Re-plan every contract at the werkadres as it is stored now (inside the transaction
    that changed it). `shown`: the fingerprint the planner confirmed; PlanChanged (nothing
    written) when the effect is another by now."""
    from models.objecten.tables import Werkadres

    free = calendar_store.free_days() if free_days is None else free_days
    with write_transaction():
        werkadres = Werkadres.get_by_id(werkadres_id)
        found = ObjectEffect([(c, plan_for(c, today, free, lock=True))
                              for c in locked(Contract.select().where(Contract.id.in_(
                                  [c.id for c in contracts_at(werkadres_id)]))
                                  .order_by(Contract.id))])
        if shown is not None and found.fingerprint != shown:
            raise PlanChanged()
        for contract, plan in found.contracts:
            apply_plan(contract, plan, today, free, actor, reason=werkadres_reason(werkadres))
    return found


def update_werkadres(werkadres, data: dict, version: int, actor: str, today: date,
                     shown: str | None = None):
    """THE change of a werkadres with what it does to the werkbonnen: the objecten service's
    `update_werkadres` and, when it changed whether the werkadres is in use, the re-plan of
    the contracts at it, in one transaction (the API's PATCH applies that at once; the
    werkadres page shows it first and passes the `shown` fingerprint). Returns (werkadres as
    saved, errors, ObjectEffect or None). Raises the service's Conflict and PlanChanged."""
    from models.objecten import service as objecten_service

    with write_transaction():
        saved, errors = objecten_service.update_werkadres(werkadres, data, version, actor)
        if errors or saved.active == werkadres.active:
            return saved, errors, None
        return saved, {}, replan_werkadres(saved.id, actor, today, shown)
