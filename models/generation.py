"""Which werkbonnen a contract owes, and what an edit changes. Pure: dates and plain records in,
a plan out; `today` is passed in. The worker, the CLI and the edit preview all use these, so what
the planner is shown before saving is exactly what the save does.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

from models.dutch_dates import short_date
from models.schedule import Occurrence

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


@dataclass
class Plan:
    create: list[Occurrence] = field(default_factory=list)
    move: list[tuple[Existing, Occurrence]] = field(default_factory=list)
    cancel: list[Existing] = field(default_factory=list)
    reopen: list[tuple[Existing, Occurrence]] = field(default_factory=list)
    protected: list[tuple[Existing, str]] = field(default_factory=list)
    skipped: list[Existing] = field(default_factory=list)  # cancelled by hand, date still wanted

    @property
    def empty(self) -> bool:
        return not (self.create or self.move or self.cancel or self.reopen)


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


def plan_changes(wanted: list[Occurrence], existing: list[Existing], today: date) -> Plan:
    """Compare the occurrences the (new) schedule wants with the werkbonnen that exist.

    `wanted`: all occurrences in the period under review (the caller passes the same period the
    existing werkbonnen come from); only those with generate_on <= today are created, but any of
    them may receive a moved werkbon. Protected werkbonnen are never touched, and each stands in
    for the nearest free date (no second werkbon for that visit); a cancelled date that comes
    back reopens its werkbon unless a person cancelled it (then it is skipped).
    """
    plan = Plan()
    by_date = {o.date: o for o in wanted}
    matched: set[date] = set()
    loose: list[Existing] = []
    guarded: list[tuple[Existing, str]] = []
    for werkbon in sorted(existing, key=lambda w: (w.due_date, w.id)):
        occurrence = by_date.get(werkbon.due_date)
        if occurrence is not None:
            matched.add(werkbon.due_date)
            if werkbon.status == "geannuleerd":
                if werkbon.changed_by_hand:
                    plan.skipped.append(werkbon)
                else:
                    plan.reopen.append((werkbon, occurrence))
            continue
        if werkbon.status == "geannuleerd":
            continue
        why = protection(werkbon)
        if why:
            guarded.append((werkbon, why))
        else:
            loose.append(werkbon)
    free = sorted((o for o in wanted if o.date not in matched), key=lambda o: o.date)
    # Each werkbon that no longer fits pairs with a free date of the new schedule, closest
    # pairs first: an unprotected one moves there; a protected one stays as it is but still is
    # that visit, so the date gets no second werkbon (one moved by hand from Tuesday 8 to
    # Wednesday 9 December, with the schedule then moved to Wednesdays, made two visits).
    pairs = _pairs(loose + [w for w, _ in guarded], free)
    taken: set[date] = set()
    paired: dict[int, Occurrence] = {}
    for _distance, _order, werkbon, occurrence in pairs:
        if werkbon.id in paired or occurrence.date in taken:
            continue
        paired[werkbon.id] = occurrence
        taken.add(occurrence.date)
    for werkbon, why in guarded:
        target = paired.get(werkbon.id)
        if target is not None:
            why = f"{why}; telt als het bezoek van {short_date(target.date)}"
        plan.protected.append((werkbon, why))
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
