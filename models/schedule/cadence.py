"""Several cadences (onderdelen) in one contract, and cadences that follow the last visit.

Pure. A contract with onderdelen has one `Cadence` per onderdeel: its own schedule (the
contract's period, policies and lead time with the onderdeel's rule), its werkbon details and a
rank. Two rules make the werkbonnen of several cadences:

- **Supersession** (`merged`): a date of a cadence falls away ("vervalt") when a cadence of a
  higher rank has a date in the same window: the same day, the same ISO week or the same
  calendar month, as the *higher* cadence's `window` says (`supersedes_within`: "groot onderhoud
  vervangt de controle in dezelfde maand"). Every date of the higher cadence counts, also one
  that itself fell away for a cadence higher still: the rule then only looks at a month (at most
  31 days) either side of a date, so the sweep, the edit and the preview, each over its own
  period, decide every date the same way.
- **Floating** ("na afronding", `floating_wanted`): the next visit is due `interval` after the
  day the previous one was completed (afgerond); until then there is none. Floating cadences
  take no part in supersession.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from models.schedule.definition import Occurrence, Schedule
from models.schedule.expand import occurrences, occurrences_between

ANCHORS = ("vast", "na_afronding")
WINDOWS = {"dag": "op dezelfde dag", "week": "in dezelfde week", "maand": "in dezelfde maand"}
INTERVAL_RE = re.compile(r"^P([1-9][0-9]{0,2})([DWMY])$")
UNITS = {"D": ("dag", "dagen"), "W": ("week", "weken"), "M": ("maand", "maanden"),
         "Y": ("jaar", "jaar")}
PAD = timedelta(days=31)  # the widest window (a month) either side of a date
WAITING = ("open", "ingepland", "onderweg", "in_uitvoering")
# the key of the cadence a one-cadence contract had before onderdelen were added: its werkbonnen
# keep their slot (models.werkbonnen.plan.cadence_slot), so they stay as they are
ORIGINAL = "0"


@dataclass(frozen=True)
class Cadence:
    key: str  # stable within the contract: part of its werkbonnen's slot
    name: str
    rank: int  # higher wins
    schedule: Schedule
    anchor: str = "vast"
    interval: str | None = None  # ISO 8601: "P6M" (floating cadences)
    window: str = "maand"  # where a date of this cadence supersedes lower-ranked ones
    description: str = ""
    werktype_id: int | None = None
    duration_minutes: int = 60
    checklist: str = ""

    @property
    def floating(self) -> bool:
        return self.anchor == "na_afronding"


def cadences_of(stored: list[dict], base: Schedule, duration_minutes: int = 60) -> list[Cadence]:
    """The cadences of a contract's stored onderdelen (models/contracts/onderdelen.py), each
    with the contract's period, policies, skipped dates and lead time (`base`, its schedule);
    highest rank first."""
    found = []
    for part in stored:
        werkbon = part.get("werkbon") or {}
        floating = part.get("anchor") == "na_afronding"
        rule = interval_rrule(part["interval_after_completion"]) if floating else part["rrule"]
        found.append(Cadence(
            key=part["key"], name=part["name"], rank=part["rank"],
            schedule=Schedule(start_date=base.start_date, rrule=rule, end_date=base.end_date,
                              skip_dates=base.skip_dates, holidays=base.holidays,
                              weekends=base.weekends, days_in_advance=base.days_in_advance),
            anchor=part.get("anchor") or "vast",
            interval=part.get("interval_after_completion"),
            window=part.get("supersedes_within") or "maand",
            description=werkbon.get("description") or "",
            werktype_id=werkbon.get("werktype_id"),
            duration_minutes=werkbon.get("duration_minutes") or duration_minutes,
            checklist=werkbon.get("checklist") or ""))
    return sorted(found, key=lambda c: -c.rank)


@dataclass(frozen=True)
class Superseded:
    """A date of `cadence` that gives no werkbon: `by` has a date (`on`) in its window."""

    cadence: Cadence
    occurrence: Occurrence
    by: Cadence
    on: date

    @property
    def text(self) -> str:
        return f"vervalt: {self.by.name.lower()} {WINDOWS[self.by.window]}"


def interval_problem(value) -> str | None:
    if not isinstance(value, str) or not INTERVAL_RE.match(value):
        return ("Geef de tijd na afronding als ISO-duur, bijvoorbeeld P6M (6 maanden), "
                "P2W, P90D of P1Y.")
    return None


def add_interval(day: date, interval: str) -> date:
    """`day` plus the interval; months and years end on the last day of a shorter month."""
    count, unit = int(INTERVAL_RE.match(interval)[1]), INTERVAL_RE.match(interval)[2]
    if unit == "D":
        return day + timedelta(days=count)
    if unit == "W":
        return day + timedelta(weeks=count)
    months = count * (12 if unit == "Y" else 1)
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    from models.schedule.rrule import month_length

    return date(year, month + 1, min(day.day, month_length(year, month + 1)))


def interval_rrule(interval: str) -> str:
    """The calendar a floating cadence keeps when every visit is completed on its due date
    (its RRULE in an export; the contract's rule when all its cadences float)."""
    count, unit = int(INTERVAL_RE.match(interval)[1]), INTERVAL_RE.match(interval)[2]
    freq = {"D": "DAILY", "W": "WEEKLY", "M": "MONTHLY", "Y": "YEARLY"}[unit]
    return f"FREQ={freq}" + (f";INTERVAL={count}" if count > 1 else "")


def interval_text(interval: str) -> str:
    count, unit = int(INTERVAL_RE.match(interval)[1]), INTERVAL_RE.match(interval)[2]
    one, many = UNITS[unit]
    return f"{count} {one if count == 1 else many}"


def window_of(day: date, window: str) -> tuple:
    if window == "dag":
        return (day,)
    if window == "week":
        iso = day.isocalendar()
        return (iso[0], iso[1])
    return (day.year, day.month)


def merged(cadences: list[Cadence], free_days: Mapping[date, str], low: date, high: date
           ) -> tuple[list[tuple[Cadence, Occurrence]], list[Superseded]]:
    """The dates low..high of the fixed cadences: (kept, in date and rank order), and the ones
    superseded. Floating cadences are not in either (floating_wanted)."""
    fixed = sorted((c for c in cadences if not c.floating), key=lambda c: -c.rank)
    if low > high or not fixed:
        return [], []
    expanded = {}
    for cadence in fixed:
        start = max(low - PAD, cadence.schedule.start_date)
        expanded[cadence.key] = occurrences_between(cadence.schedule, free_days, start,
                                                    high + PAD)
    # per cadence, the windows in which it has a date
    windows = {c.key: {window_of(o.date, c.window): o.date for o in expanded[c.key]}
               for c in fixed}
    kept, lost = [], []
    for position, cadence in enumerate(fixed):
        higher = [h for h in fixed[:position] if h.rank > cadence.rank]
        for occurrence in expanded[cadence.key]:
            if not low <= occurrence.date <= high:
                continue
            by = None
            for h in higher:
                on = windows[h.key].get(window_of(occurrence.date, h.window))
                if on is not None:
                    by = (h, on)
                    break
            if by is None:
                kept.append((cadence, occurrence))
            else:
                lost.append(Superseded(cadence, occurrence, *by))
    kept.sort(key=lambda pair: (pair[1].date, -pair[0].rank))
    lost.sort(key=lambda s: (s.occurrence.date, -s.cadence.rank))
    return kept, lost


def coming(cadences: list[Cadence], free_days: Mapping[date, str], low: date,
           count: int) -> list[tuple[Cadence, Occurrence]]:
    """The next `count` werkbon dates of the fixed cadences from `low` on, after supersession
    (what "the contract's next dates" are when it has onderdelen; floating ones follow the
    completions: models.werkbonnen.coming adds their next visit)."""
    if not any(not c.floating for c in cadences) or count <= 0:
        return []
    kept, _lost = merged(cadences, free_days, low, low + timedelta(days=400))
    if len(kept) < count:  # sparse cadences: look further, once
        kept, _lost = merged(cadences, free_days, low, low + timedelta(days=10 * 366))
    return kept[:count]


def moved(schedule: Schedule, day: date, free_days: Mapping[date, str]) -> Occurrence | None:
    """The occurrence of a floating visit due on `day`, after the holiday and weekend policies
    (skip: the next day that is kept); None when it falls after the contract's end."""
    if schedule.end_date is not None and day > schedule.end_date:
        return None
    single = replace(schedule, start_date=day, rrule="FREQ=DAILY;COUNT=1", extra_dates=(),
                     spread_dates=(), skip_dates=())
    found, _more = occurrences(single, free_days, day - timedelta(days=7), 1)
    if not found:  # the policy skips it: the first day after that it keeps
        found, _more = occurrences(replace(single, rrule="FREQ=DAILY"), free_days, day, 1)
    if not found or (schedule.end_date is not None and found[0].date > schedule.end_date):
        return None
    return found[0]


@dataclass(frozen=True)
class Link:
    """A werkbon of a floating cadence, as its chain needs it."""

    due_date: date
    status: str
    completed_on: date | None = None
    changed_by_hand: bool = False


def floating_wanted(cadence: Cadence, chain: list[Link], first: date,
                    free_days: Mapping[date, str]) -> tuple[list[date], Occurrence | None]:
    """(the dates of the chain's werkbonnen that stay wanted, the next visit or None).

    The chain waits on its first werkbon not completed: later waiting ones are not wanted (a
    cancelled visit reopened: the one made after it goes). A waiting one that follows a
    completion and that nobody changed by hand is wanted `interval` after that completion (a
    completion date corrected afterwards moves it). When none waits, the next is due
    `interval` after the last completion, or after the due date of a visit a person cancelled
    later than that (it counts as skipped); the very first is due on `first`."""
    wanted, waiting = [], False
    base = None
    for link in sorted(chain, key=lambda w: w.due_date):
        if link.status == "geannuleerd":
            if link.changed_by_hand:  # a person cancelled this visit: counts on from its date
                base = link.due_date
            continue
        if link.status in WAITING:
            if waiting:
                continue
            waiting = True
            if base is not None and link.status in ("open", "ingepland") \
                    and not link.changed_by_hand:
                # made after a completion (or a skipped visit): it follows that day, also when
                # the completion date is corrected afterwards
                following = moved(cadence.schedule, add_interval(base, cadence.interval),
                                  free_days)
                if following is not None:
                    wanted.append(following.date)
                continue
        wanted.append(link.due_date)
        if link.status == "afgerond":
            base = link.completed_on or link.due_date
    if waiting:
        return wanted, None
    due = first if base is None else add_interval(base, cadence.interval)
    return wanted, moved(cadence.schedule, due, free_days)


def projected(cadence: Cadence, after: Occurrence, free_days: Mapping[date, str],
              count: int) -> list[Occurrence]:
    """The dates that follow `after` when each visit is completed on its due date ("verwacht")."""
    found = []
    current = after
    for _ in range(count):
        following = moved(cadence.schedule, add_interval(current.date, cadence.interval),
                          free_days)
        if following is None:
            break
        found.append(following)
        current = following
    return found


@dataclass(frozen=True)
class Line:
    """One line of the merged timeline a planner sees: a werkbon of `cadence` on `occurrence`
    ("werkbon"), a date that falls away ("vervalt", `note` says for what), or a floating visit's
    expected date ("verwacht": assuming each is completed on its due date)."""

    occurrence: Occurrence
    cadence: Cadence
    kind: str
    note: str = ""


def timeline(cadences: list[Cadence], free_days: Mapping[date, str], after: date,
             first: date, count: int = 12) -> list[Line]:
    """The next `count` werkbonnen of all cadences together from `after`, with the dates that
    fall away among them and the floating cadences' expected dates (their first visit on
    `first`, the contract's first day)."""
    lines = []
    horizon = after + timedelta(days=400)  # a year and a bit holds `count` dates of most
    kept, lost = merged(cadences, free_days, after, horizon)
    if len(kept) < count:  # sparse cadences: look further, once
        horizon = after + timedelta(days=10 * 366)
        kept, lost = merged(cadences, free_days, after, horizon)
    lines += [Line(o, c, "werkbon") for c, o in kept[:count]]
    last = kept[count - 1][1].date if len(kept) >= count else horizon
    lines += [Line(s.occurrence, s.cadence, "vervalt", s.text) for s in lost
              if s.occurrence.date <= last]
    for cadence in (c for c in cadences if c.floating):
        start = moved(cadence.schedule, max(first, after), free_days)
        if start is None:
            continue
        lines.append(Line(start, cadence, "werkbon" if first >= after else "verwacht",
                          "" if first >= after else "verwacht"))
        for occurrence in projected(cadence, start, free_days, count):
            if occurrence.date > last:
                break
            lines.append(Line(occurrence, cadence, "verwacht",
                              f"verwacht: {interval_text(cadence.interval)} na afronding"))
    lines.sort(key=lambda line: (line.occurrence.date, -line.cadence.rank))
    return lines
