"""What a planner sees of a schedule: the sentence, the next dates and where it ends. Pure; the
preview page, the contract wizard and the API all show exactly this."""

from dataclasses import dataclass
from datetime import date

from models.schedule.definition import Lost, Occurrence, Schedule
from models.schedule.describe import describe
from models.schedule.expand import occurrences

FINITE_LOOKAHEAD = 500  # how far we look for "Laatste: ..." of a schedule that does end
LOST_SHOWN = 12  # the rule's dates without a werkbon of their own, listed at most


@dataclass(frozen=True)
class Preview:
    description: str
    occurrences: list[Occurrence]
    more: bool
    last: date | None  # the schedule's last date, when it ends and we found it
    ends: bool  # the schedule has an end (end date, UNTIL or COUNT)
    # the rule's dates up to the last one shown that merged into another or fell away (a
    # policy), earliest first, at most LOST_SHOWN; `lost_more`: how many more there are
    lost: tuple[Lost, ...] = ()
    lost_more: int = 0


def _ends(schedule: Schedule) -> bool:
    rule = schedule.rrule.upper()
    return schedule.end_date is not None or "UNTIL=" in rule or "COUNT=" in rule


def build(schedule: Schedule, free_days, after: date, count: int = 12,
          description: str | None = None) -> Preview:
    lost: list[Lost] = []
    items, more = occurrences(schedule, free_days, after, count, lost)
    if more:  # the search looked one date further than it shows
        lost = [x for x in lost if x.date <= items[-1].date]
    lost.sort(key=lambda x: x.date)
    ends = _ends(schedule)
    last = None
    if items and not more:
        last = items[-1].date
    elif items and ends:
        tail, tail_more = occurrences(schedule, free_days, items[-1].date, FINITE_LOOKAHEAD)
        if not tail_more and tail:
            last = tail[-1].date
    return Preview(describe(schedule, description), items, more, last, ends,
                   tuple(lost[:LOST_SHOWN]), max(0, len(lost) - LOST_SHOWN))
