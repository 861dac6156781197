"""Webhook events about werkbonnen (models/webhooks), written in the transaction of the change.

Each function first asks whether any active webhook wants the event (one small query) and
does nothing more when none does: the sweep pays one query per batch for it. The payload is the
API's shape of the werkbon (shape.payload: its fields with werkadres_id and object_ids, as
GET /werkbonnen/{id} without the SLA fields), read back after the write.
(A person's change, service.change, emits its own events: service cannot import this module.)
"""

from models.webhooks import outbox
from models.werkbonnen.objecten import object_ids_of
from models.werkbonnen.shape import payload, serialise
from models.werkbonnen.tables import Werkbon

CHUNK = 500  # ids or numbers per IN (...)


def _read(column, values: list) -> list[dict]:
    items = []
    for start in range(0, len(values), CHUNK):
        rows = list(Werkbon.select().where(column.in_(values[start:start + CHUNK]))
                    .order_by(Werkbon.id))
        objects = object_ids_of([w.id for w in rows if w.werkadres_id is not None])
        items += [{**serialise(w), "object_ids": list(objects.get(w.id, ()))} for w in rows]
    return items


def created(rows: list[list]) -> int:
    """werkbon.aangemaakt for the rows materialise.insert_werkbonnen just inserted (numbered,
    the number first): those the insert really made (insert-or-ignore skips the others, whose
    fresh numbers then belong to no werkbon)."""
    hooks = outbox.subscribers("werkbon.aangemaakt")
    if not hooks or not rows:
        return 0
    return outbox.emit_many("werkbon.aangemaakt", _read(Werkbon.number, [r[0] for r in rows]),
                            hooks)


def changed(ids: list[int]) -> int:
    """werkbon.gewijzigd for werkbonnen a contract's edit or end moved, cancelled, reopened or
    gave another medewerker."""
    hooks = outbox.subscribers("werkbon.gewijzigd")
    if not hooks or not ids:
        return 0
    return outbox.emit_many("werkbon.gewijzigd", _read(Werkbon.id, sorted(set(ids))), hooks)


def _utc(moment) -> str | None:
    return None if moment is None else moment.isoformat(timespec="seconds") + "Z"


def reported(werkbon: Werkbon) -> None:
    """A storing: werkbon.aangemaakt and storing.gemeld, with its SLA moments (UTC)."""
    data = {**payload(werkbon), "reported_at": _utc(werkbon.reported_at),
            "response_due": _utc(werkbon.response_due), "resolve_due": _utc(werkbon.resolve_due)}
    outbox.emit("werkbon.aangemaakt", data)
    outbox.emit("storing.gemeld", data)
