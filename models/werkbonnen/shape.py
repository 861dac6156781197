"""The API shape of a werkbon (also what the audit trail compares and the webhooks send). Its
own module so that events (which the sweep imports) and service (which re-plans a floating
cadence through replan) can both use it without a circle."""

from datetime import datetime

from models.werkbonnen.objecten import object_ids_of
from models.werkbonnen.tables import Werkbon


def serialise(werkbon: Werkbon) -> dict:
    """The API shape of a werkbon (also what the audit trail compares)."""
    return {
        "id": werkbon.id,
        "number": werkbon.number,
        "contract_id": werkbon.contract_id,
        "klant_id": werkbon.klant_id,
        "due_date": werkbon.due_date.isoformat() if werkbon.due_date else None,
        "generated_on": werkbon.generated_on.isoformat() if werkbon.generated_on else None,
        "status": werkbon.status,
        "medewerker_id": werkbon.medewerker_id,
        "planned_start": _iso(werkbon.planned_start),
        "duration_minutes": werkbon.duration_minutes,
        "description": werkbon.description,
        "changed_by_hand": werkbon.changed_by_hand,
        "cancel_reason": werkbon.cancel_reason,
        "werkadres_id": werkbon.werkadres_id,
        "completed_on": werkbon.completed_on.isoformat() if werkbon.completed_on else None,
    }


def payload(werkbon: Werkbon) -> dict:
    """What a webhook about one werkbon carries: `serialise` with the ids of the objecten it
    lists (as the API's werkbon; models/werkbonnen/events.py reads them for many at once)."""
    objects = object_ids_of([werkbon.id]) if werkbon.werkadres_id is not None else {}
    return {**serialise(werkbon), "object_ids": list(objects.get(werkbon.id, ()))}


def _iso(moment) -> str | None:
    if not isinstance(moment, datetime):
        return None
    return moment.replace(microsecond=0).isoformat(timespec="seconds")
