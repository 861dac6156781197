"""Contract lifecycle: status, terms, renewal, notice, visits per year. Pure (today passed in)."""

import calendar
from datetime import date, timedelta

from models.common.dutch_dates import short_date
from models.common.validation import LAST_YEAR, in_range
from models.schedule.describe import describe

STATUSES = {
    "concept": "Concept",
    "toekomstig": "Toekomstig",
    "actief": "Actief",
    "verlopen": "Verlopen",
    "beeindigd": "Beëindigd",
}
# What a new contract does on holidays and in weekends unless the planner chooses otherwise
# (the wizard's defaults); lists say a contract's policies only where they differ from these.
DEFAULT_POLICIES = {"holidays": "next_workday", "weekends": "next_workday"}
EVEN_MONTHS = {1: 12, 2: 6, 3: 4, 4: 3, 6: 2, 12: 1}  # visits per year -> months between visits
MAX_VISITS = 52


def add_months(day: date, months: int) -> date:
    """Calendar months later (or earlier), clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def end_from_terms(start: date, duration_months: int) -> date:
    """The last day of a contract that runs `duration_months` from `start` (1 Jan + 12 = 31 Dec)."""
    return add_months(start, duration_months) - timedelta(days=1)


def period_end(start: date, end: date | None, auto_renew: bool, renewal_months: int,
               today: date) -> date | None:
    """The end of the running period: with automatic renewal the end moves on by the renewal
    period until it is today or later."""
    if end is None:
        return None
    if not auto_renew or renewal_months <= 0:
        return end
    current, k = end, 0
    while current < today:
        k += 1
        current = add_months(end + timedelta(days=1), renewal_months * k) - timedelta(days=1)
    return current


def notice_deadline(period_end_day: date | None, notice_value: int, notice_unit: str):
    """The last day the klant (or we) can give notice before the running period ends."""
    if period_end_day is None:
        return None
    if notice_unit == "dagen":
        return period_end_day - timedelta(days=notice_value)
    return add_months(period_end_day, -notice_value)


def renews(terms, terminated_on) -> bool:
    """Terms that renew automatically, on a contract not ended early: it runs on past its end
    date (the saved contract, a draft in the wizard and a contract being checked all ask)."""
    return bool(terms is not None and terms.auto_renew and terminated_on is None)


def same_length_end(start: date, end: date, new_start: date) -> date:
    """The end of a period as long as start..end, from `new_start`: in whole months when the
    old one was (1 jan - 31 dec 2027 again as 1 jan - 31 dec 2028, not 30 dec after a leap
    day), otherwise in days."""
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + after.month - start.month
    if months > 0 and add_months(start, months) == after:
        return add_months(new_start, months) - timedelta(days=1)
    if (start.month, start.day) == (2, 29) and (after.month, after.day) == (3, 1) \
            and after.year > start.year:
        # from a leap day to the day before 1 March: whole years (29 Feb 2028 - 28 Feb 2029
        # again from 1 Mar 2029 is to 28 Feb 2030, not a day longer)
        return add_months(new_start, 12 * (after.year - start.year)) - timedelta(days=1)
    return new_start + (end - start)


def next_notice(period_end_day: date | None, auto_renew: bool, renewal_months: int,
                notice_value: int, notice_unit: str, today: date):
    """(last day to give notice, the end it stops the contract at). With automatic renewal a
    deadline already passed means the period renews: the next deadline is the one that counts
    (it said 19 nov 2026 on 27 nov 2026, while notice then only ends it per 19 dec 2027)."""
    deadline = notice_deadline(period_end_day, notice_value, notice_unit)
    if deadline is None or not auto_renew or renewal_months <= 0:
        return deadline, period_end_day
    stops = period_end_day
    while deadline < today:
        stops = add_months(stops + timedelta(days=1), renewal_months) - timedelta(days=1)
        deadline = notice_deadline(stops, notice_value, notice_unit)
    return deadline, stops


def status(start: date, end: date | None, terminated: bool, auto_renew: bool, today: date) -> str:
    """concept is for drafts; a saved contract is toekomstig, actief, verlopen or beeindigd."""
    if start > today:
        return "beeindigd" if terminated and end is not None and end < start else "toekomstig"
    if end is not None and end < today:
        if terminated:
            return "beeindigd"
        return "actief" if auto_renew else "verlopen"
    return "actief"


def term(start: date, end: date | None, terms, today: date, end_typed: bool) -> dict:
    """What the wizard's Looptijd panel shows of a period from `start` to `end` (None: open) on
    `terms` (Contractvoorwaarden or None): the status it would have, the end of the running
    period when it renews, the last day to give notice and the end that notice stops it at.
    `end_typed`: the planner typed the end (otherwise it follows from the terms)."""
    auto = bool(terms and terms.auto_renew)
    running_end = period_end(start, end, auto, terms.renewal_months if terms else 0, today)
    notice, stops = next_notice(running_end, auto, terms.renewal_months, terms.notice_value,
                                terms.notice_unit, today) if terms else (None, None)
    state = status(start, end, False, auto, today) if not (end and end < start) else None
    return {"start": start, "end": end, "terms": terms, "status": state,
            "status_label": STATUSES.get(state or "", ""),
            "renewal": running_end if auto else None, "notice": notice, "notice_stops": stops,
            "end_from_terms": not end_typed and end}


def visits_rrule(visits_per_year: int, start: date) -> str | None:
    """1, 2, 3, 4, 6 or 12 visits become every 12/N months on the start date's day (clamped at
    month end); other numbers have no RRULE (see spread_dates)."""
    months = EVEN_MONTHS.get(visits_per_year)
    if months is None:
        return None
    interval = f";INTERVAL={months}" if months > 1 else ""
    if start.day >= 29:
        days = ",".join(str(d) for d in range(28, start.day + 1))
        return f"FREQ=MONTHLY{interval};BYMONTHDAY={days};BYSETPOS=-1"
    return f"FREQ=MONTHLY{interval};BYMONTHDAY={start.day}"


def schedule_dates(visits_per_year: int | None, dates: tuple) -> dict:
    """A contract's stored extra dates as Schedule arguments: for a jaarlijks contract whose
    visits are spread evenly over each contract year (uneven_visits) they are derived, and the
    policies move them like the rule's own dates (`spread_dates`); otherwise they are the
    planner's own extra dates, which stay where they are."""
    if visits_per_year and visits_per_year not in EVEN_MONTHS:
        return {"extra_dates": (), "spread_dates": dates}
    return {"extra_dates": dates, "spread_dates": ()}


def spread_dates(start: date, visits_per_year: int, until: date) -> list[date]:
    """N visits spread evenly in days over each contract year, from start up to `until`."""
    result = []
    year = 0
    while True:
        year_start = _years_later(start, year)
        if year_start > until:
            return result
        length = (_years_later(start, year + 1) - year_start).days
        for i in range(visits_per_year):
            day = year_start + timedelta(days=(i * length) // visits_per_year)
            if day > until:
                return result
            result.append(day)
        year += 1


def _years_later(day: date, years: int) -> date:
    return add_months(day, 12 * years)


UNEVEN_HORIZON_YEARS = 10


def schedule_sentence(visits_per_year: int | None, schedule, usual: dict | None = None) -> str:
    """What a contract's schedule is called everywhere (contract page, list, API), with its
    holiday and weekend policies (spread visits follow them too); `usual`: say only the
    policies that differ from these (DEFAULT_POLICIES, in a list)."""
    return describe(schedule, visits_sentence(visits_per_year), usual)


def visits_sentence(visits_per_year: int | None) -> str | None:
    """The sentence for a jaarlijks contract whose visits are not a whole number of months apart
    (the others read fine as their monthly rule: "Elk kwartaal op de 15e")."""
    if not visits_per_year or visits_per_year in EVEN_MONTHS:
        return None
    return f"{visits_per_year} bezoeken per contractjaar, gelijk verdeeld over het jaar"


def uneven_visits(visits_per_year: int, start: date, end: date | None):
    """(rrule, extra dates) for a number of visits that does not divide the year in whole months:
    the yearly anniversary is the rule, the other visits of each contract year are explicit dates
    spread evenly in days (up to the end date, or ten contract years when there is none)."""
    if start.month == 2 and start.day == 29:
        rrule = "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"
    else:
        rrule = f"FREQ=YEARLY;BYMONTH={start.month};BYMONTHDAY={start.day}"
    until = end or (_years_later(start, UNEVEN_HORIZON_YEARS) - timedelta(days=1))
    # no date past the range every date keeps to (a contract from 2995 on, without an end date,
    # was refused over "extra dates" its client never sent)
    until = min(until, date(LAST_YEAR, 12, 31))
    anniversaries = {_years_later(start, k) for k in range(UNEVEN_HORIZON_YEARS * 10)}
    extras = tuple(d for d in spread_dates(start, visits_per_year, until) if d not in anniversaries)
    return rrule, extras


def restart_refusal(contract) -> str | None:
    """Why 'Opnieuw starten' cannot follow this (saved) contract (it does not end), or None."""
    if contract.renews:
        return (f"Contract {contract.number} wordt stilzwijgend verlengd en loopt dus door. "
                "Beëindig het eerst; daarna kunt u het opnieuw starten vanaf de dag erna.")
    if contract.end_date is None:
        return (f"Contract {contract.number} loopt voor onbepaalde tijd. Beëindig het eerst; "
                "daarna kunt u het opnieuw starten vanaf de dag erna.")
    if not in_range(contract.end_date + timedelta(days=1)):
        # the draft would start on a day no date field accepts, and could never be saved
        return (f"Contract {contract.number} loopt tot en met {short_date(contract.end_date)}, "
                f"de laatste dag die Cadans kent (datums lopen tot en met {LAST_YEAR}); een "
                "vervolg daarop kan niet.")
    return None
