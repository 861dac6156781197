"""Which werkbonnen a contract owes, and what an edit changes. Pure: dates and plain records in,
a plan out; `today` is passed in. The worker, the CLI and the edit preview all use these, so what
the planner is shown before saving is exactly what the save does.

A contract's werkbonnen fall in slots (`parts`): one werkbon per date and slot. A contract that
covers nothing has one slot, "" (the whole contract, at the klant's own address), as every
contract had before objecten. One that covers werkadressen and objecten has a slot per werkadres
("w<id>": one werkbon per date listing that werkadres's covered objecten, "Eén werkbon per
datum") or per object ("o<id>", "Eén werkbon per object"); a covered werkadres without covered
objecten keeps a slot of its own in both. `visits` says which (date, slot) pairs are wanted,
with which objecten, and `plan_slots` runs the per-slot planner (`plan_changes`) for each slot.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.common.dutch_dates import short_date
from models.schedule.cadence import ORIGINAL
from models.schedule.definition import Occurrence

# a werkbon someone has started (or finished) is never touched by a recalculation
STARTED = ("onderweg", "in_uitvoering", "afgerond")
MOVE_WINDOW = timedelta(days=31)  # an old date pairs with a new one at most this far away
CANCEL_REASON = "Vervalt door wijziging van het contract"


@dataclass(frozen=True)
class Existing:
    """A werkbon as the planner needs it: enough to decide, nothing more."""

    id: int
    due_date: date
    status: str
    changed_by_hand: bool = False
    medewerker_id: int | None = None
    number: str = ""
    stands_for: date | None = None  # the schedule date this (protected) werkbon stands in for
    slot: str = ""  # see the module docstring
    werkadres_id: int | None = None
    object_ids: tuple[int, ...] = ()  # the objecten it lists (sorted)
    completed_on: date | None = None  # afgerond on (a floating cadence counts from it)


@dataclass
class Plan:
    create: list[Occurrence] = field(default_factory=list)
    move: list[tuple[Existing, Occurrence]] = field(default_factory=list)
    cancel: list[Existing] = field(default_factory=list)
    reopen: list[tuple[Existing, Occurrence]] = field(default_factory=list)
    protected: list[tuple[Existing, str]] = field(default_factory=list)
    skipped: list[Existing] = field(default_factory=list)  # cancelled by hand, date still wanted
    # protected werkbonnen whose stand-in date changes: (werkbon, the date it now counts for)
    stand_in: list[tuple[Existing, date | None]] = field(default_factory=list)
    # waiting werkbonnen that stay (at their date or the one they move to) but whose objecten
    # change: an object added to or taken off the contract, or out of use from that day
    relink: list[tuple[Existing, "Visit"]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.create or self.move or self.cancel or self.reopen or self.relink)

    def fingerprint(self, reassign: list[Existing] = ()) -> str:
        """A short digest of everything this plan (and the werkbonnen it would reassign) does:
        the Controle step carries it, and the save refuses to write a plan with another one
        (a colleague changed a werkbon in between) instead of silently writing something else
        than the planner saw."""
        import hashlib

        parts = [
            [o.date.isoformat() for o in self.create],
            [(w.id, w.due_date.isoformat(), o.date.isoformat()) for w, o in self.move],
            [w.id for w in self.cancel],
            [(w.id, o.date.isoformat()) for w, o in self.reopen],
            [(w.id, why) for w, why in self.protected],
            [w.id for w in self.skipped],
            sorted(w.id for w in reassign),
        ]
        slotted = any(getattr(o, "slot", "") for o in self.create) or any(
            getattr(o, "slot", "") for _w, o in self.move) or self.relink
        if slotted:  # a contract with objecten: which slot each is for, and the new objecten
            parts += [[(o.slot, o.object_ids) for o in self.create],
                      [(w.id, o.object_ids) for w, o in self.relink]]
        return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def horizon(today: date, days_in_advance: int) -> date:
    """The last occurrence date whose werkbon exists by today (created on date - lead)."""
    return today + timedelta(days=days_in_advance)


def first_day(generate_from: date | None, start: date) -> date:
    """Generation starts at the later of the contract start and the day it was saved: entering an
    old contract does not flood the planner with overdue visits from before it was known."""
    return max(start, generate_from or start)


def due_now(occurrences: list[Occurrence], today: date) -> list[Occurrence]:
    return [o for o in occurrences if o.generate_on <= today]


def protection(werkbon: Existing) -> str | None:
    """Why regeneration must leave this werkbon alone (None: it may move or be cancelled)."""
    if werkbon.status == "afgerond":
        return "afgerond"
    if werkbon.status in STARTED:
        return "al gestart"
    if werkbon.changed_by_hand:
        return "met de hand gewijzigd"
    return None


def plan_changes(wanted: list[Occurrence], existing: list[Existing], today: date,
                 end: date | None = None) -> Plan:
    """Compare the occurrences the (new) schedule wants with the werkbonnen that exist.

    `wanted`: all occurrences in the period under review (the caller passes the same period the
    existing werkbonnen come from); only those with generate_on <= today are created, but any of
    them may receive a moved werkbon. Protected werkbonnen are never touched, and each stands in
    for the nearest free date (no second werkbon for that visit; `stands_for` remembers it, so
    the worker does not make that date later either, and a later recalculation keeps the same
    pair); a cancelled date that comes back reopens its werkbon unless a person cancelled it
    (then it is skipped). `end`: the contract's last day; a werkbon after it that has not
    started is cancelled even when changed by hand, as ending the contract does.
    """
    plan = Plan()
    by_date = {o.date: o for o in wanted}
    matched: set[date] = set()
    loose: list[Existing] = []
    guarded: list[tuple[Existing, str]] = []
    cancelled_stand_ins: list[Existing] = []
    for werkbon in sorted(existing, key=lambda w: (w.due_date, w.id)):
        occurrence = by_date.get(werkbon.due_date)
        if occurrence is not None:
            matched.add(werkbon.due_date)
            if werkbon.stands_for is not None:  # it is its own date's visit again
                plan.stand_in.append((werkbon, None))
            if werkbon.status == "geannuleerd":
                if werkbon.changed_by_hand:
                    plan.skipped.append(werkbon)
                else:
                    plan.reopen.append((werkbon, occurrence))
            continue
        if werkbon.status == "geannuleerd":
            if werkbon.stands_for is not None:
                cancelled_stand_ins.append(werkbon)
            continue
        if end is not None and werkbon.due_date > end and werkbon.status in ("open", "ingepland"):
            loose.append(werkbon)  # after the contract's end: nothing for it to move to
            continue
        why = protection(werkbon)
        if why:
            guarded.append((werkbon, why))
        else:
            loose.append(werkbon)
    free = sorted((o for o in wanted if o.date not in matched), key=lambda o: o.date)
    free_dates = {o.date for o in free}
    taken: set[date] = set()
    paired: dict[int, Occurrence] = {}
    # A visit a person cancelled stays cancelled, also where it stood in for another date.
    for werkbon in cancelled_stand_ins:
        if werkbon.stands_for in free_dates and werkbon.stands_for not in taken:
            taken.add(werkbon.stands_for)
            if werkbon.changed_by_hand:
                plan.skipped.append(werkbon)
    # A protected werkbon keeps the date it already stands in for, while that date is free.
    for werkbon, _why in guarded:
        if werkbon.stands_for in free_dates and werkbon.stands_for not in taken:
            paired[werkbon.id] = by_date[werkbon.stands_for]
            taken.add(werkbon.stands_for)
    # Each werkbon that no longer fits pairs with a free date of the new schedule, closest
    # pairs first: an unprotected one moves there; a protected one stays as it is but still is
    # that visit, so the date gets no second werkbon (one moved by hand from Tuesday 8 to
    # Wednesday 9 December, with the schedule then moved to Wednesdays, made two visits).
    pairs = _pairs(loose + [w for w, _ in guarded if w.id not in paired],
                   [o for o in free if o.date not in taken])
    for _distance, _order, werkbon, occurrence in pairs:
        if werkbon.id in paired or occurrence.date in taken:
            continue
        if end is not None and werkbon.due_date > end:
            continue  # cancelled below, not moved back into the period
        paired[werkbon.id] = occurrence
        taken.add(occurrence.date)
    for werkbon, why in guarded:
        target = paired.get(werkbon.id)
        if target is not None:
            why = f"{why}; telt als het bezoek van {short_date(target.date)}"
        plan.protected.append((werkbon, why))
        new = target.date if target is not None else None
        if new != werkbon.stands_for:
            plan.stand_in.append((werkbon, new))
    for werkbon in loose:
        target = paired.get(werkbon.id)
        if target is None:
            plan.cancel.append(werkbon)
        else:
            plan.move.append((werkbon, target))
    plan.create = [o for o in free if o.date not in taken and o.generate_on <= today]
    return plan


def _pairs(werkbonnen: list[Existing], free: list[Occurrence]) -> list[tuple]:
    """(distance, order, werkbon, occurrence) for every free date within MOVE_WINDOW of a
    werkbon, closest first (ties: the earlier werkbon, then the earlier date)."""
    days = [o.date for o in free]
    pairs = []
    for order, werkbon in enumerate(sorted(werkbonnen, key=lambda w: (w.due_date, w.id))):
        low = bisect_left(days, werkbon.due_date - MOVE_WINDOW)
        high = bisect_right(days, werkbon.due_date + MOVE_WINDOW)
        for occurrence in free[low:high]:
            pairs.append((abs(occurrence.date - werkbon.due_date), order, werkbon, occurrence))
    pairs.sort(key=lambda p: (p[0], p[1], p[3].date))
    return pairs


def reassignable(existing: list[Existing], today: date, new_medewerker_id: int | None):
    """Future werkbonnen that follow a change of the contract's medewerker: not started, not
    changed by hand, not cancelled, not already his."""
    return [w for w in existing
            if w.due_date >= today and w.status in ("open", "ingepland")
            and not w.changed_by_hand and w.medewerker_id != new_medewerker_id]


# --------------------------------------------------------------------------- slots (objecten)

WHOLE = ""  # the slot of a contract that covers no werkadres or object
PER_DATUM, PER_OBJECT = "datum", "object"


@dataclass(frozen=True)
class CoveredObject:
    """An object a contract covers, as the planner needs it. `stops_on`: the day from which it
    gets no werkbonnen (buiten gebruik or verwijderd since that day); None while it is actief."""

    id: int
    werkadres_id: int
    number: str = ""
    stops_on: date | None = None

    def wanted_on(self, day: date) -> bool:
        return self.stops_on is None or day < self.stops_on


@dataclass(frozen=True)
class Coverage:
    """What a contract covers: werkadressen in their own right (`werkadres_ids`: they get a
    werkbon per date even without objecten), objecten (each at its werkadres, which is then
    covered with it), and whether a date gives one werkbon per werkadres or per object."""

    werkbon_per: str = PER_DATUM
    werkadres_ids: tuple[int, ...] = ()
    objects: tuple[CoveredObject, ...] = ()
    closed: frozenset[int] = frozenset()  # werkadressen not in use: no werkbonnen at all

    @property
    def empty(self) -> bool:
        return not self.werkadres_ids and not self.objects


@dataclass(frozen=True)
class Part:
    """One slot of a contract: the werkbonnen of one werkadres or one object (or of the whole
    contract), one per date. `objects`: the covered objecten it lists (one with per object)."""

    slot: str
    werkadres_id: int | None = None
    objects: tuple[CoveredObject, ...] = ()

    def object_ids_on(self, day: date) -> tuple[int, ...] | None:
        """The objecten a werkbon of this slot on `day` lists, or None: no werkbon that day (all
        its objecten are out of use by then). A slot without objecten always has one."""
        if not self.objects:
            return ()
        ids = tuple(o.id for o in self.objects if o.stops_on is None or day < o.stops_on)
        return ids or None

    @property
    def constant(self) -> bool:
        """Whether every date lists the same objecten (none of them goes out of use)."""
        return all(o.stops_on is None for o in self.objects)


WHOLE_PART = Part(WHOLE)


def parts(coverage: Coverage) -> list[Part]:
    """The slots of a contract, in the order their werkbonnen are numbered on a date: werkadressen
    by id, objecten in the order given (the callers give them by werkadres and number)."""
    if coverage.empty:
        return [WHOLE_PART]
    objects: dict[int, list[CoveredObject]] = {}
    for obj in coverage.objects:
        objects.setdefault(obj.werkadres_id, []).append(obj)
    found = []
    for werkadres_id in sorted(set(coverage.werkadres_ids) | objects.keys()):
        here = objects.get(werkadres_id)
        if not here:
            if werkadres_id not in coverage.closed:
                found.append(Part(f"w{werkadres_id}", werkadres_id))
        elif coverage.werkbon_per == PER_OBJECT:
            found += [Part(f"o{obj.id}", werkadres_id, (obj,)) for obj in here]
        else:
            found.append(Part(f"w{werkadres_id}", werkadres_id, tuple(here)))
    return found


@dataclass(frozen=True)
class Visit:
    """A werkbon the contract wants: an occurrence of its schedule in one slot, listing these
    objecten. Reads like an Occurrence (date, generate_on), so `plan_changes` plans it."""

    occurrence: Occurrence
    part: Part
    object_ids: tuple[int, ...] = ()

    @property
    def date(self) -> date:
        return self.occurrence.date

    @property
    def generate_on(self) -> date:
        return self.occurrence.generate_on

    @property
    def slot(self) -> str:
        return self.part.slot

    @property
    def werkadres_id(self) -> int | None:
        return self.part.werkadres_id


def visits(occurrences: list[Occurrence], coverage: Coverage) -> list[Visit]:
    """Every (date, slot) the contract wants, date by date and within a date in slot order (the
    order they are numbered in). An object counts on the dates before it went out of use."""
    layout = parts(coverage)
    found = []
    for occurrence in occurrences:
        for part in layout:
            ids = part.object_ids_on(occurrence.date)
            if ids is not None:
                found.append(Visit(occurrence, part, ids))
    return found


def plan_slots(wanted: list[Visit], existing: list[Existing], today: date,
               end: date | None = None) -> Plan:
    """`plan_changes` for each slot on its own (a werkbon only ever moves, stands in or reopens
    within its slot), merged into one plan; new werkbonnen in date and slot order. A slot no
    longer wanted (an object taken off the contract) has no dates, so its waiting werkbonnen
    are cancelled and the protected ones stay. Werkbonnen that stay waiting while the objecten
    of their date change are `relink`ed to the new list. A contract with one slot gets exactly
    what plan_changes gives."""
    wanted_by: dict[str, list[Visit]] = {}
    for visit in wanted:
        wanted_by.setdefault(visit.slot, []).append(visit)
    existing_by: dict[str, list[Existing]] = {}
    for werkbon in existing:
        existing_by.setdefault(werkbon.slot, []).append(werkbon)
    order = {slot: n for n, slot in enumerate(wanted_by)}
    plan = Plan()
    for slot in list(wanted_by) + [s for s in existing_by if s not in wanted_by]:
        mine = wanted_by.get(slot, [])
        part = plan_changes(mine, existing_by.get(slot, []), today, end)
        for name in ("create", "move", "cancel", "reopen", "protected", "skipped", "stand_in"):
            getattr(plan, name).extend(getattr(part, name))
        plan.relink += _relinks(mine, existing_by.get(slot, []), part)
    if len(wanted_by) > 1:
        plan.create.sort(key=lambda v: (v.date, order[v.slot]))
    return plan


def _relinks(wanted: list[Visit], existing: list[Existing], plan: Plan) -> list:
    """The waiting werkbonnen of one slot that stay (on their date, moved, or reopened) and
    whose date now lists other objecten. Protected ones keep the list they have: what was
    started or changed by hand is never touched."""
    if not wanted or not existing:
        return []
    by_date = {v.date: v for v in wanted}
    target = {w.id: v for w, v in plan.move}
    target.update({w.id: v for w, v in plan.reopen})
    gone = {w.id for w in plan.cancel} | {w.id for w, _why in plan.protected}
    found = []
    for werkbon in existing:
        if werkbon.id in gone:
            continue
        visit = target.get(werkbon.id)
        if visit is None:
            if werkbon.status not in ("open", "ingepland") or werkbon.changed_by_hand:
                continue
            visit = by_date.get(werkbon.due_date)
        if visit is not None and tuple(sorted(visit.object_ids)) != werkbon.object_ids:
            found.append((werkbon, visit))
    return found


# --------------------------------------------------------------------------- cadences (onderdelen)



def cadence_slot(slot: str, key: str) -> str:
    """The slot of a cadence's werkbonnen: the part's slot and the cadence (models.schedule.
    cadence), so the unique key (contract, date, slot) holds per cadence. A contract with one
    cadence keeps its slots as they were, and so does that cadence (key ORIGINAL) when
    onderdelen are added to it: its werkbonnen stay what they are."""
    return slot if key == ORIGINAL else f"{slot}#{key}"


def cadence_of(slot: str) -> str | None:
    return slot.rpartition("#")[2] if "#" in slot else None


@dataclass(frozen=True)
class CadenceVisit(Visit):
    """A Visit of one cadence: its werkbon carries the cadence's details."""

    cadence: object = None  # models.schedule.cadence.Cadence

    @property
    def slot(self) -> str:
        return cadence_slot(self.part.slot, self.cadence.key)


def cadence_visits(cadences: list, free_days, low: date, high: date, coverage: Coverage,
                   chains: dict | None = None, first: date | None = None) -> list[CadenceVisit]:
    """Every (date, slot, cadence) the contract's cadences want from low to high: the fixed ones
    after supersession (models.schedule.cadence.merged), and for each floating one per slot the
    dates of its chain that stay wanted (from low on) and its next visit (whatever its date:
    an overdue one is made once, not once per missed period). `chains`: {slot: [Link]} of the
    werkbonnen the floating slots have; `first`: the day a floating cadence's first visit is
    due."""
    from models.schedule.cadence import merged

    layout = coverage if isinstance(coverage, list) else parts(coverage)
    kept, _lost = merged(cadences, free_days, low, high)
    found = []
    for cadence, occurrence in kept:
        for part in layout:
            ids = part.object_ids_on(occurrence.date)
            if ids is not None:
                found.append(CadenceVisit(occurrence, part, ids, cadence))
    found += floating_visits(cadences, free_days, low, coverage, chains or {}, first or low)
    found.sort(key=lambda v: (v.date, -v.cadence.rank))
    return found


def floating_visits(cadences: list, free_days, low: date, coverage: Coverage, chains: dict,
                    first: date) -> list[CadenceVisit]:
    from models.schedule.cadence import floating_wanted
    from models.schedule.definition import make_occurrence

    found = []
    for cadence in (c for c in cadences if c.floating):
        for part in coverage if isinstance(coverage, list) else parts(coverage):
            slot = cadence_slot(part.slot, cadence.key)
            wanted, following = floating_wanted(cadence, chains.get(slot, []), first, free_days)
            lead = timedelta(days=cadence.schedule.days_in_advance)
            occurrences = [make_occurrence(d, d - lead) for d in wanted if d >= low]
            if following is not None:
                occurrences.append(following)
            for occurrence in occurrences:
                ids = part.object_ids_on(occurrence.date)
                if ids is not None:
                    found.append(CadenceVisit(occurrence, part, ids, cadence))
    return found
