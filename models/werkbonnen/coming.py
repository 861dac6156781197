"""A contract's coming visits over all its onderdelen (issue 18): what the pages that once read
only the contract's own rule (the highest-ranked onderdeel's) ask now. One schedule: its dates,
as before. Onderdelen: the fixed ones' dates after supersession (schedule.cadence.coming) and
each floating one's next visit that is not made yet (floating_wanted on its chain)."""

from datetime import date

from models.contracts.tables import Contract
from models.schedule.cadence import coming as fixed_coming
from models.schedule.cadence import floating_wanted
from models.schedule.definition import Occurrence
from models.schedule.expand import occurrences
from models.werkbonnen import plan
from models.werkbonnen.materialise import chains_of


def floating_next(contract: Contract, cadences: list, free_days) -> list[tuple]:
    """(cadence, slot, occurrence) of each floating cadence's next visit not made yet, per slot
    it has werkbonnen in (its first visit when it has none yet); none while a chain waits on a
    werkbon not completed."""
    floating = [c for c in cadences if c.floating]
    if not floating:
        return []
    chains = chains_of(contract, cadences)
    first = plan.first_day(contract.generate_from, contract.start_date)
    found = []
    for cadence in floating:
        slots = [s for s in chains if plan.cadence_of(s) == cadence.key] or [None]
        for slot in slots:
            _wanted, following = floating_wanted(cadence, chains.get(slot, []), first,
                                                 free_days)
            if following is not None:
                found.append((cadence, slot, following))
    return found


def next_dates(contract: Contract, free_days, low: date, count: int,
               floating_any_date: bool = False) -> list[Occurrence]:
    """The contract's next `count` dates from `low` on, all onderdelen together, soonest first.
    `floating_any_date`: a floating cadence's next visit counts also when it is due before
    `low` (overdue after a late completion: still to be made)."""
    schedule = contract.schedule()
    if schedule is None:
        return []
    cadences = contract.cadences()
    if not cadences:
        found, _more = occurrences(schedule, free_days, low, count)
        return found
    found = [o for _c, o in fixed_coming(cadences, free_days, low, count)]
    found += [o for _c, _s, o in floating_next(contract, cadences, free_days)
              if floating_any_date or o.date >= low]
    return sorted(found, key=lambda o: o.date)[:count]


def visits(contract: Contract, free_days, low: date, count: int, coverage) -> list:
    """The contract's visits (models.werkbonnen.plan Visit: date, slot, objecten) on its next
    `count` dates from `low` on, all onderdelen together: what the worker will make, slot by
    slot (a floating cadence: only its next visit not made yet)."""
    dates = next_dates(contract, free_days, low, count)
    cadences = contract.cadences()
    if not cadences:
        return plan.visits(dates, coverage)
    if not dates:
        return []
    chains = chains_of(contract, cadences)
    made = {(link.due_date, slot) for slot, chain in chains.items() for link in chain}
    found = plan.cadence_visits(cadences, free_days, low, dates[-1].date, coverage, chains,
                                plan.first_day(contract.generate_from, contract.start_date))
    return [v for v in found if (v.date, v.slot) not in made]
