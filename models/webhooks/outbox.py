"""Writing events into the outbox, inside the transaction of the change they report.

`emit` costs one small query (which active webhooks want this event) and, only when one does,
one insert per webhook. A batch (the sweep's werkbonnen) goes through `emit_many`: still one
query, and one executemany for every row of the batch.
"""

import json
import uuid

from models.db import db, write_transaction
from models.db.base import utcnow
from models.webhooks.tables import EVENTS, MAX_ATTEMPTS, Webhook

INSERT = ("INSERT INTO webhook_delivery (webhook_id, event, message_id, payload, state, "
          "attempts, max_attempts, next_attempt_at, created_at, last_error) "
          "VALUES ({p}, {p}, {p}, {p}, 'pending', 0, {p}, {p}, {p}, '')")


def subscribers(event: str) -> list[int]:
    """The active webhooks that want `event` (a few rows: read whole, filtered here)."""
    if event not in EVENTS:
        raise ValueError(f"onbekend webhook-event: {event}")
    return [hook_id for hook_id, events in
            Webhook.select(Webhook.id, Webhook.events).where(Webhook.active == True)  # noqa: E712
            .tuples() if event in events.split()]


def envelope(event: str, data: dict, stamp: str) -> str:
    """The body every receiver gets: {"type", "timestamp", "data"} (Standard Webhooks' shape);
    `data` is the API's shape of the werkbon or contract."""
    return json.dumps({"type": event, "timestamp": stamp, "data": data}, ensure_ascii=False,
                      separators=(",", ":"), default=str)


def emit(event: str, data: dict) -> int:
    return emit_many(event, [data])


def emit_many(event: str, items: list[dict], hooks: list[int] | None = None) -> int:
    """One delivery per subscribed webhook per item, in the caller's transaction (its own when
    there is none). `hooks`: subscribers(event) when the caller asked already. Returns the
    number of deliveries written."""
    hooks = subscribers(event) if hooks is None else hooks
    if not hooks or not items:
        return 0
    now = utcnow()
    stamp = now.isoformat(timespec="seconds") + "Z"
    rows = []
    for data in items:
        body = envelope(event, data, stamp)
        rows += [(hook_id, event, f"msg_{uuid.uuid4().hex}", body, MAX_ATTEMPTS, now, now)
                 for hook_id in hooks]
    sql = INSERT.format(p=db.obj.param)
    if db.in_transaction():
        db.connection().cursor().executemany(sql, rows)
    else:
        with write_transaction():
            db.connection().cursor().executemany(sql, rows)
    return len(rows)
