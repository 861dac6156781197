"""The one place where a person's change to a werkbon is checked and written.

The web pages (list, detail, planbord) and the API all call `change`, so a rule and its Dutch
message exist once. A change by a person marks the werkbon `changed_by_hand`: regeneration of its
contract leaves it alone from then on; a status change of a storing records its first response
and its resolution (the SLA clocks read those). `serialise` is the API shape; the list's pages
are models.werkbonnen.pager.
"""

import re
from datetime import date, datetime

from models.common.validation import DATE_RANGE_MESSAGE, INTEGER, TEXT, control_problem, in_range
from models.db import audit, locked, write_transaction
from models.db.base import utcnow
from models.stamdata.medewerkers import Medewerker
from models.webhooks import outbox
from models.werkbonnen.shape import _iso, payload, serialise  # noqa: F401 - the API shape lives there
from models.werkbonnen.tables import CLOSED, STARTED, STATUSES, TRANSITIONS, Werkbon

FIELDS = ("medewerker_id", "planned_start", "status", "cancel_reason", "completed_on")
# the JSON types of the API's PATCH /werkbonnen/<id> (models.common.validation.type_errors)
API_TYPES = {"medewerker_id": INTEGER, "planned_start": TEXT, "status": TEXT,
             "cancel_reason": TEXT, "completed_on": TEXT}
MAX_REASON = 200
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?$")
DATETIME_MESSAGE = "Vul een datum en tijd in, bijvoorbeeld 2026-03-10T08:30."
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _completed_on(value, today: date) -> tuple[date | None, str | None]:
    """(the day a werkbon was completed, or None for "today"; error). Not in the future."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and DATE_RE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            return None, "Deze datum bestaat niet."
    else:
        return None, "Vul een datum in, bijvoorbeeld 2026-03-10."
    if not in_range(parsed):
        return None, DATE_RANGE_MESSAGE
    if parsed > today:
        return None, "Afgerond op kan niet in de toekomst liggen."
    return parsed, None


def _medewerker_id(value):
    """(id or None, error). Web forms send strings, the API numbers or null."""
    if value is None or value == "":
        return None, None
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,18}\s*", value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        return None, "Kies een medewerker uit de lijst."
    return value, None


def _planned_start(value):
    """(local naive datetime or None, error)."""
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            return None, "Geef een lokale datum en tijd, zonder tijdzone."
        parsed = value
    elif isinstance(value, str) and DATETIME_RE.match(value.strip()):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None, "Deze datum of tijd bestaat niet."
    else:
        return None, DATETIME_MESSAGE
    # the planbord (and every date in Cadans) keeps to the one range: a werkbon planned in
    # the year 9999 could never be found on it again
    if not in_range(parsed):
        return None, DATE_RANGE_MESSAGE
    return parsed.replace(second=0, microsecond=0), None


def check(werkbon: Werkbon, data: dict, today: date) -> tuple[dict, dict]:
    """(the werkbon's new column values, errors). Pure reading: nothing is written. `today`:
    the company's date (a completion date may not lie after it); a werkbon set to afgerond
    gets `completed_on` (default today), an afgerond one may have its date corrected."""
    if not isinstance(data, dict):
        return {}, {"body": "Geef de wijzigingen als een object."}
    errors = {str(k): "Onbekend veld." for k in data if k not in FIELDS}
    current = werkbon.status
    values = {"medewerker": werkbon.medewerker_id, "planned_start": werkbon.planned_start,
              "status": current, "cancel_reason": werkbon.cancel_reason,
              "completed_on": werkbon.completed_on}
    completed, completed_problem = None, None
    if "completed_on" in data:
        completed, completed_problem = _completed_on(data["completed_on"], today)

    if "medewerker_id" in data:
        mid, problem = _medewerker_id(data["medewerker_id"])
        if problem is None and mid is not None:
            medewerker = Medewerker.get_or_none(Medewerker.id == mid)
            if medewerker is None:
                problem = "Deze medewerker bestaat niet."
            elif not medewerker.active and mid != werkbon.medewerker_id:
                problem = f"{medewerker.name} is niet actief; kies een actieve medewerker."
        if problem:
            errors["medewerker_id"] = problem
        else:
            values["medewerker"] = mid

    if "planned_start" in data:
        start, problem = _planned_start(data["planned_start"])
        if problem:
            errors["planned_start"] = problem
        else:
            values["planned_start"] = start

    if "cancel_reason" in data:
        reason = data["cancel_reason"]
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            errors["cancel_reason"] = "Geef de reden als tekst."
        elif problem := control_problem(reason.strip()):
            errors["cancel_reason"] = problem
        elif len(reason.strip()) > MAX_REASON:
            errors["cancel_reason"] = f"Maximaal {MAX_REASON} tekens."
        else:
            values["cancel_reason"] = reason.strip()

    planned = values["medewerker"] is not None and values["planned_start"] is not None
    if "status" in data:
        status = data["status"]
        if not isinstance(status, str) or status not in STATUSES:
            errors["status"] = "Onbekende status; kies " + ", ".join(STATUSES) + "."
        elif status != current and status not in TRANSITIONS[current]:
            errors["status"] = (f"Een werkbon met status {STATUSES[current].lower()} kan niet "
                                f"naar {STATUSES[status].lower()}.")
        elif status == "ingepland" and not planned:
            errors["status"] = "Kies eerst een medewerker en een datum en tijd om in te plannen."
        elif status in STARTED and status != current and values["medewerker"] is None:
            # onderweg, in uitvoering, afgerond: someone went; open -> onderweg took nobody
            errors["status"] = (f"Kies eerst een medewerker: een werkbon kan niet "
                                f"{STATUSES[status].lower()} zijn zonder iemand die gaat.")
        else:
            values["status"] = status
    elif current == "open" and planned:
        values["status"] = "ingepland"
    elif current == "ingepland" and not planned:
        values["status"] = "open"
    if values["status"] == "open" and "status" in data and planned:
        # open is "deadline only": a planned werkbon set to open is taken off the planbord (it
        # stayed there, counted as unplanned on the dashboard and missing from the list to plan)
        if ("medewerker_id" in data and values["medewerker"] is not None
                and values["medewerker"] != werkbon.medewerker_id) or (
                "planned_start" in data and values["planned_start"] is not None
                and values["planned_start"] != werkbon.planned_start):
            errors.setdefault("status", "Een open werkbon is niet ingepland: laat medewerker "
                              "en tijd leeg, of kies status ingepland.")
        else:
            values["medewerker"] = values["planned_start"] = None

    new = values["status"]
    if new == "afgerond" and current != "afgerond":
        values["completed_on"] = completed or today
    elif current == "afgerond" and new != "afgerond":
        values["completed_on"] = None  # heropend: not done; a floating cadence waits again
    if "completed_on" in data:
        if completed_problem:
            errors["completed_on"] = completed_problem
        elif new != "afgerond":
            if data["completed_on"] not in (None, "") and "status" not in errors:
                errors["completed_on"] = ("Een datum van afronding hoort alleen bij een "
                                          "afgeronde werkbon (status afgerond).")
        elif current == "afgerond":
            if completed is None:
                errors["completed_on"] = "Vul de datum in waarop de werkbon is afgerond."
            else:
                values["completed_on"] = completed
    if new == "geannuleerd" and current != "geannuleerd" and not values["cancel_reason"]:
        errors.setdefault("cancel_reason", "Geef een reden om de werkbon te annuleren.")
    if current == "geannuleerd" and new != "geannuleerd" and "cancel_reason" not in data:
        values["cancel_reason"] = ""  # reopened: the old reason stays in the history only
    if new != "geannuleerd" and values["cancel_reason"] and "cancel_reason" in data \
            and "status" not in errors:  # a refused status says it already
        errors.setdefault("cancel_reason",
                          "Een reden hoort alleen bij het annuleren (status geannuleerd).")
    if current in CLOSED and new in CLOSED:
        hint = " Heropen hem eerst." if current == "geannuleerd" else ""
        message = (f"Deze werkbon is {STATUSES[current].lower()}; de planning verandert niet "
                   f"meer.{hint}")
        if "medewerker_id" in data and values["medewerker"] != werkbon.medewerker_id:
            errors.setdefault("medewerker_id", message)
        if "planned_start" in data and values["planned_start"] != werkbon.planned_start:
            errors.setdefault("planned_start", message)
    return values, errors


def _action(before: dict, after: dict) -> str:
    if after["status"] != before["status"]:
        if before["status"] == "afgerond":
            return "heropend"
        return {"ingepland": "ingepland", "geannuleerd": "geannuleerd",
                "open": "heropend" if before["status"] == "geannuleerd" else "uitgepland"}.get(
            after["status"], "status gewijzigd")
    return "gewijzigd"


def change(werkbon: Werkbon, data: dict, actor: str, today: date) -> tuple[Werkbon, dict]:
    """(werkbon, errors). Checked against the row as it is inside the write transaction, so a
    transition is judged on the current status even when someone else changed it meanwhile
    (locked: on PostgreSQL a second change waits for this one and is judged on its result).
    With errors nothing is written; otherwise the change and its audit row commit together.

    `today`: the company's date (the day an afgerond werkbon was completed: a floating cadence
    counts on from it). Completing, cancelling or reopening a werkbon of a floating cadence
    re-plans that cadence in the same transaction (replan.replan_floating). There is no default:
    the server's date (UTC) is yesterday's for the company in its first hour or two."""
    with write_transaction():
        fresh = locked(Werkbon.select().where(Werkbon.id == werkbon.id)).first()
        if fresh is None:
            return werkbon, {"id": "Deze werkbon bestaat niet (meer)."}
        values, errors = check(fresh, data, today)
        if errors:
            return fresh, errors
        before = serialise(fresh)
        row = {"medewerker": values["medewerker"], "planned_start": values["planned_start"],
               "status": values["status"], "cancel_reason": values["cancel_reason"]}
        completed = values["completed_on"]
        after = {**before, "medewerker_id": row["medewerker"],
                 "planned_start": _iso(row["planned_start"]), "status": row["status"],
                 "cancel_reason": row["cancel_reason"], "changed_by_hand": True,
                 "completed_on": completed.isoformat() if completed else None}
        changes = audit.diff(before, after)
        if not changes:
            return fresh, {}
        progress = record_progress(fresh, row["status"])  # SLA: first response, resolution
        if completed != fresh.completed_on:
            progress["completed_on"] = completed
        Werkbon.update(**row, **progress, changed_by_hand=True, updated_at=utcnow()).where(
            Werkbon.id == fresh.id).execute()
        audit.record("werkbon", fresh.id, _action(before, after), actor, changes)
        if (row["status"] != fresh.status or completed != fresh.completed_on) \
                and "#" in (fresh.slot or "") and fresh.contract_id:
            from models.werkbonnen.replan import replan_floating

            replan_floating(fresh.contract_id, today, actor)
        saved = Werkbon.get_by_id(fresh.id)
        data = payload(saved)  # webhooks (models/webhooks): in this transaction
        outbox.emit("werkbon.gewijzigd", data)
        if row["status"] == "afgerond" and before["status"] != "afgerond":
            outbox.emit("werkbon.afgerond", data)
        return saved, {}


RESPONDED = ("ingepland", "onderweg", "in_uitvoering", "afgerond")  # first of these = response


def record_progress(werkbon: Werkbon, new_status: str, now_utc: datetime | None = None) -> dict:
    """The moments a status change meets the response or resolution deadline (to set on the
    werkbon in the same transaction as the change)."""
    now_utc = now_utc or utcnow()
    fields = {}
    if werkbon.reported_at is None:
        return fields
    if new_status in RESPONDED and werkbon.responded_at is None:
        fields["responded_at"] = now_utc
    if new_status == "afgerond" and werkbon.resolved_at is None:
        fields["resolved_at"] = now_utc
    elif werkbon.status == "afgerond" and new_status != "afgerond":
        fields["resolved_at"] = None  # heropend: the storing is not solved (the clock runs again)
    return fields
