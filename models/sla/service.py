"""Storingen under a correctief contract: deadlines from the SLA-beleid, stored on the werkbon,
and where each clock stands. The form, the API and the lists all go through here."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from models.common.validation import (
    DATE_RANGE_MESSAGE,
    INTEGER,
    TEXT,
    control_problem,
    in_range,
    whole,
)
from models.contracts.tables import Contract
from models.db import audit, write_transaction
from models.db.base import utcnow
from models.sla import clock as sla_clock
from models.sla.tables import (
    DEFAULT_HOURS_TEXT,
    DEFAULT_WARN_SHARE,
    SlaDoel,
    current_version,
    get_setting,
)
from models.stamdata import calendar_store
from models.stamdata.instellingen import Prioriteit
from models.stamdata.klanten import Klant
from models.werkbonnen import events
from models.werkbonnen.numbers import reserve_numbers, werkbon_number
from models.werkbonnen.tables import CLOSED, Werkbon

FIELDS = ("klant_id", "contract_id", "prioriteit", "description", "reported_at")
# the JSON types of the API's POST /werkbonnen (models.common.validation.type_errors)
API_TYPES = {"klant_id": INTEGER, "contract_id": INTEGER, "prioriteit": TEXT,
             "description": TEXT, "reported_at": TEXT}


def company_hours():
    text = {int(k): v for k, v in get_setting("werktijden", DEFAULT_HOURS_TEXT).items()}
    hours, _errors = sla_clock.parse_hours(text)
    return hours


def warn_share() -> float:
    return float(get_setting("dreigt_aandeel", DEFAULT_WARN_SHARE))


def _utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def aware(stored: datetime | None, tz: str) -> datetime | None:
    """Stored moments are naive UTC; shown and compared as aware datetimes."""
    return None if stored is None else stored.replace(tzinfo=UTC).astimezone(ZoneInfo(tz))


class OutOfRange(ValueError):
    """A moment on a date outside the one range (models.common.validation.in_range)."""


def parse_moment(value, tz: str) -> datetime | None:
    """ISO 8601; with an offset as given, without one as local time in the company zone. None
    when it is no moment; OutOfRange when its date is outside the range (year 1 at +14:00 is
    before datetime.min in UTC; a deadline from the year 9999 lies past datetime.max)."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    if not in_range(moment):
        raise OutOfRange(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(tz))
    return moment


def correctief_contracts(klant_id: int):
    return list(Contract.select().where(Contract.klant == klant_id,
                                        Contract.kind == "correctief",
                                        Contract.terminated_on.is_null()).order_by(Contract.id))


def outside_period(contract: Contract, day) -> str | None:
    """Why a storing reported on `day` does not fall under `contract`, or None."""
    from models.common.dutch_dates import short_date

    if day < contract.start_date:
        return (f"Het contract {contract.number} begint pas op {short_date(contract.start_date)}; "
                "een storing van daarvoor valt er niet onder.")
    end = contract.last_day
    if end is not None and day > end:
        return (f"Het contract {contract.number} liep tot en met {short_date(end)}; "
                "een storing van daarna valt er niet onder.")
    return None


def _id(value) -> int | None:
    """An id as the form (text) or the API (a JSON whole number) sends it; 5.9, true or "²"
    are no id (int() made 5 and 1 of the first two)."""
    if type(value) is int:
        return value if 0 < value < 2**63 else None
    return whole(value, 1) if isinstance(value, str) else None


def create_storing(data: dict, actor: str, now: datetime, tz: str):
    """(werkbon, errors). `now` is aware; reported_at defaults to it and may not lie after it."""
    errors = {k: "Onbekend veld." for k in set(data) - set(FIELDS)}
    klant_id, contract_id = _id(data.get("klant_id")), _id(data.get("contract_id"))
    klant = Klant.get_or_none(Klant.id == klant_id) if klant_id is not None else None
    if klant is None:
        errors["klant_id"] = "Kies een klant."
    elif not klant.active:
        errors["klant_id"] = f"Klant {klant.name} is niet actief."
    contract = Contract.get_or_none(Contract.id == contract_id) if contract_id is not None \
        else None
    if contract is None:
        errors["contract_id"] = "Kies een storingscontract van deze klant."
    elif contract.kind != "correctief":
        errors["contract_id"] = "Dit is geen correctief (SLA) contract."
    elif klant is not None and contract.klant_id != klant.id:
        errors["contract_id"] = "Dit contract hoort niet bij deze klant."
    name = data.get("prioriteit")
    unreadable = control_problem(name) if isinstance(name, str) else None  # a NUL: a 500 on PG
    prio = Prioriteit.get_or_none(Prioriteit.name == name, Prioriteit.active == True) \
        if isinstance(name, str) and not unreadable else None  # noqa: E712
    if prio is None:
        errors["prioriteit"] = unreadable or \
            "Onbekende prioriteit; kies Spoed, Hoog, Normaal of Laag."
    description = data.get("description")
    if not isinstance(description, str) or not description.strip():
        errors["description"] = "Beschrijf de storing."
    elif problem := control_problem(description.strip()):
        errors["description"] = problem
    elif len(description) > 200:
        errors["description"] = "Maximaal 200 tekens."
    try:
        reported = now if data.get("reported_at") in (None, "") else parse_moment(
            data.get("reported_at"), tz)
    except OutOfRange:
        reported = None
        errors["reported_at"] = DATE_RANGE_MESSAGE
    if reported is None:
        errors.setdefault("reported_at",
                          "Geef het moment van melden als 2026-11-23T15:00:00+01:00.")
    elif reported > now:
        errors["reported_at"] = "Het moment van melden ligt in de toekomst."
    elif contract is not None and "contract_id" not in errors:
        outside = outside_period(contract, reported.astimezone(ZoneInfo(tz)).date())
        if outside:
            errors["reported_at"] = outside
    if errors:
        return None, errors

    doel = None
    if contract.sla_beleid_id:
        version = current_version(contract.sla_beleid)
        doel = SlaDoel.get_or_none(SlaDoel.sla_beleid == contract.sla_beleid_id,
                                   SlaDoel.version == version, SlaDoel.prioriteit == prio.id)
        if doel is None:  # a prioriteit added after the beleid was set up: no deadlines at all
            return None, {"prioriteit": (
                f"Het SLA-beleid {contract.sla_beleid.name} van dit contract heeft geen termijnen "
                f"voor prioriteit {prio.name}. Kies een andere prioriteit, of laat een beheerder "
                "het beleid aanvullen onder Instellingen.")}
    response_due = resolve_due = None
    if doel is not None:
        hours, free = company_hours(), calendar_store.free_days()
        try:
            response_due = sla_clock.deadline(reported, doel.response, doel.unit,
                                              doel.business_hours, hours, free, tz)
            resolve_due = sla_clock.deadline(reported, doel.resolution, doel.unit,
                                             doel.business_hours, hours, free, tz)
        except ValueError:  # the werktijden leave too little working time for the target
            return None, {"prioriteit": (
                f"De werktijden laten te weinig werktijd voor de termijnen van prioriteit "
                f"{prio.name} in het SLA-beleid {contract.sla_beleid.name}; laat een beheerder "
                "de werktijden of het beleid aanpassen onder Instellingen.")}
    local_day = (resolve_due or reported).astimezone(ZoneInfo(tz)).date()
    with write_transaction():
        first = reserve_numbers(now.year, 1)
        werkbon = Werkbon.create(
            number=werkbon_number(now.year, first), contract=contract, klant=klant,
            due_date=local_day, generated_on=reported.astimezone(ZoneInfo(tz)).date(),
            status="open", duration_minutes=contract.duration_minutes,
            description=description.strip(), werktype="Storing", prioriteit=prio.name,
            internal_note=contract.internal_note, reported_at=_utc_naive(reported),
            response_due=_utc_naive(response_due) if response_due else None,
            resolve_due=_utc_naive(resolve_due) if resolve_due else None,
            sla_version=doel.version if doel else None,
            sla_business_hours=doel.business_hours if doel else None)
        audit.record("werkbon", werkbon.id, "storing gemeld", actor,
                     {"prioriteit": prio.name, "reported_at": reported.isoformat(),
                      "response_due": response_due.isoformat() if response_due else None,
                      "resolve_due": resolve_due.isoformat() if resolve_due else None})
        events.reported(werkbon)  # webhooks: werkbon.aangemaakt and storing.gemeld
    return werkbon, {}


def clock(werkbon: Werkbon, now: datetime, tz: str, hours=None, free=None):
    """The clock that matters now: response until responded, then resolution. None without SLA."""
    if werkbon.resolve_due is None:
        return None
    hours = company_hours() if hours is None else hours
    free = calendar_store.free_days() if free is None else free
    started = aware(werkbon.reported_at, tz)
    if responding(werkbon):
        due, met = aware(werkbon.response_due, tz), None
    else:
        due, met = aware(werkbon.resolve_due, tz), aware(werkbon.resolved_at, tz)
    if werkbon.status == "geannuleerd":
        return None
    return sla_clock.state_at(now, started, due, met, bool(werkbon.sla_business_hours), hours,
                              free, tz, warn_share())


OPEN = ("open", "ingepland", "onderweg", "in_uitvoering")


def open_clocks(now: datetime, tz: str, limit: int = 1000):
    """(werkbon, ClockState) for open storingen with an SLA, soonest deadline first."""
    hours, free = company_hours(), calendar_store.free_days()
    rows = (Werkbon.select().where(Werkbon.resolve_due.is_null(False), Werkbon.status.in_(OPEN))
            .order_by(Werkbon.resolve_due).limit(limit))
    result = []
    for werkbon in rows:
        state = clock(werkbon, now, tz, hours, free)
        if state is not None:
            result.append((werkbon, state))
    # by the moment the running clock expires: time left is working time on a business clock
    # and real time on a calendar one, so comparing those put Monday 09:00 before today 19:10
    result.sort(key=lambda pair: running_due(pair[0]))
    return result


def responding(werkbon: Werkbon) -> bool:
    """Whether the response clock is the one that runs: until someone responded (or the
    werkbon was closed), then the resolution clock."""
    return werkbon.responded_at is None and werkbon.status not in ("afgerond", "geannuleerd")


def running_due(werkbon: Werkbon) -> datetime:
    """The (naive UTC) deadline of the clock that runs now (see `responding`)."""
    return werkbon.response_due if responding(werkbon) else werkbon.resolve_due


def record(contract_id: int, now_utc: datetime | None = None) -> list[dict]:
    """Per prioriteit (most urgent first): storingen, response met/missed, resolution
    met/missed (contract page). A deadline that passed without an answer is missed too (the
    record looked better the longer a storing was ignored); cancelled storingen do not count."""
    now = now_utc or utcnow()
    ranks = {p.name: p.rank for p in Prioriteit.select(Prioriteit.name, Prioriteit.rank)}
    stats: dict[str, dict] = {}
    for w in Werkbon.select().where(Werkbon.contract == contract_id,
                                    Werkbon.reported_at.is_null(False),
                                    Werkbon.status != "geannuleerd"):
        row = stats.setdefault(w.prioriteit, {"prioriteit": w.prioriteit, "storingen": 0,
                                              "reactie_gehaald": 0, "reactie_gemist": 0,
                                              "opgelost_gehaald": 0, "opgelost_gemist": 0})
        row["storingen"] += 1
        for kind, met, due in (("reactie", w.responded_at, w.response_due),
                               ("opgelost", w.resolved_at, w.resolve_due)):
            if due is None:
                continue
            if met is not None:
                row[f"{kind}_{'gehaald' if met <= due else 'gemist'}"] += 1
            elif now > due:
                row[f"{kind}_gemist"] += 1
    return sorted(stats.values(), key=lambda r: (ranks.get(r["prioriteit"], 99), r["prioriteit"]))


class SlaView:
    """Per-request SLA context: hours and free days read once for a whole list."""

    def __init__(self, now: datetime, tz: str):
        self.now, self.tz = now, tz
        self._calendar = None  # read on the first clock: most list pages show no storing

    def clock(self, werkbon: Werkbon):
        if self._calendar is None:
            self._calendar = company_hours(), calendar_store.free_days()
        return clock(werkbon, self.now, self.tz, *self._calendar)

    def api_fields(self, werkbon: Werkbon) -> dict:
        """response_due, resolve_due (ISO 8601 with offset) and sla_state (null without SLA)."""
        state = self.clock(werkbon)
        final = None
        if werkbon.resolve_due is not None and state is None:  # cancelled
            final = "geannuleerd"
        return {
            "response_due": _iso_local(werkbon.response_due, self.tz),
            "resolve_due": _iso_local(werkbon.resolve_due, self.tz),
            "sla_state": state.state if state else final,
        }


def _iso_local(stored: datetime | None, tz: str) -> str | None:
    moment = aware(stored, tz)
    return moment.isoformat(timespec="seconds") if moment else None


def now_in(tz: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(tz))


def open_sla_ids(rows) -> list[int]:
    """The werkbonnen among `rows` whose SLA clock still runs (the lists poll their badges)."""
    return [w.id for w in rows if w.resolve_due is not None and w.status not in CLOSED]
