"""Draining the outbox: the worker's job (jobs/tasks.deliver_webhooks, every few seconds by
`rq cron`), and what Instellingen does to it (send again, forget old deliveries).

Concurrency: a drain claims a small batch of due deliveries in a short write transaction (on
PostgreSQL `FOR UPDATE SKIP LOCKED`, on SQLite the one write lock of BEGIN IMMEDIATE) by
writing its own random `claim` and a lease (`claimed_until`) on them; only rows without a
living claim are taken, so two workers never send the same attempt. A drain that dies lets go
when its lease ends. The outcome of each attempt is written in a transaction of its own: the
attempt's log row, and the delivery's state (delivered, another try after BACKOFF, or failed
after its last attempt).
"""

import secrets
import time
from datetime import datetime, timedelta

from models.db import audit, is_sqlite, locked, write_transaction
from models.db.base import utcnow
from models.webhooks import send
from models.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

# seconds to wait after attempt 1, 2, ... 11; attempt 12 is the last (MAX_ATTEMPTS): ~23.9 h
BACKOFF = [30, 60, 300, 900, 1800, 3600, 7200, 10800, 14400, 21600, 25200]
BATCH = 20
BUDGET_SECONDS = 120.0  # a drain stops taking new batches after this long (cron starts another)
KEEP_DAYS = 30  # delivered and failed deliveries older than this are forgotten (prune)


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt."""
    return timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF)) - 1])


def _claim(at: datetime, timeout: float, skip: set[int]) -> list[WebhookDelivery]:
    nonce = secrets.token_hex(16)
    lease = at + timedelta(seconds=BATCH * (timeout + 1) + 60)
    free = WebhookDelivery.claimed_until.is_null() | (WebhookDelivery.claimed_until < at)
    due = (WebhookDelivery.select(WebhookDelivery.id)
           .where(WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= at, free,
                  WebhookDelivery.webhook.in_(Webhook.select(Webhook.id)
                                              .where(Webhook.active == True)))  # noqa: E712
           .order_by(WebhookDelivery.id).limit(BATCH))
    if skip:
        due = due.where(WebhookDelivery.webhook.not_in(list(skip)))
    if not is_sqlite():
        due = due.for_update(skip_locked=True)
    with write_transaction():
        ids = [row.id for row in due]
        if not ids:
            return []
        (WebhookDelivery.update(claim=nonce, claimed_until=lease)
         .where(WebhookDelivery.id.in_(ids), free).execute())
    return list(WebhookDelivery.select(WebhookDelivery, Webhook).join(Webhook)
                .where(WebhookDelivery.claim == nonce).order_by(WebhookDelivery.id))


def _let_go(delivery: WebhookDelivery) -> None:
    (WebhookDelivery.update(claim=None, claimed_until=None)
     .where(WebhookDelivery.id == delivery.id, WebhookDelivery.claim == delivery.claim).execute())


def _record(delivery: WebhookDelivery, result: send.Result, at: datetime) -> str:
    """Write one attempt's outcome; returns "delivered", "retry" or "failed"."""
    number = delivery.attempts + 1
    if result.ok:
        outcome = "delivered"
        changes = {"state": "delivered", "delivered_at": at, "last_error": ""}
    elif number >= delivery.max_attempts:
        outcome = "failed"
        changes = {"state": "failed", "last_error": result.error}
    else:
        outcome = "retry"
        changes = {"next_attempt_at": at + backoff(number), "last_error": result.error}
    with write_transaction():
        WebhookAttempt.create(delivery=delivery.id, number=number, at=at,
                              duration_ms=round(result.seconds * 1000), status=result.status,
                              error=result.error, response=result.response)
        (WebhookDelivery.update(attempts=number, last_status=result.status, claim=None,
                                claimed_until=None, **changes)
         .where(WebhookDelivery.id == delivery.id, WebhookDelivery.claim == delivery.claim)
         .execute())
    return outcome


def drain(timeout: float = 5.0, allow_private: bool = False, now: datetime | None = None,
          budget: float = BUDGET_SECONDS) -> dict:
    """Send what is due, batch by batch, until nothing is due or `budget` seconds passed.
    `now`: the moment to act as of (tests; normally the clock). A webhook whose receiver did
    not answer at all (down, too slow) gets no more attempts in this drain: its other
    deliveries wait for the next one instead of each waiting out the timeout."""
    counts = {"delivered": 0, "retry": 0, "failed": 0}
    started = time.monotonic()
    silent: set[int] = set()
    while time.monotonic() - started < budget:
        batch = _claim(now or utcnow(), timeout, silent)
        if not batch:
            break
        for delivery in batch:
            hook = delivery.webhook
            if hook.id in silent:
                _let_go(delivery)
                continue
            result = send.deliver(hook.url, hook.secret, delivery.message_id,
                                  delivery.payload.encode(), timeout, allow_private)
            counts[_record(delivery, result, now or utcnow())] += 1
            if result.status is None:
                silent.add(hook.id)
    return counts


def resend(delivery_id: int, actor: str, now: datetime | None = None) -> str | None:
    """Send a delivery again (Instellingen' "Opnieuw versturen"): due at once, with at least
    one more attempt, the same webhook-id. Returns why not (Dutch), or None."""
    now = now or utcnow()
    with write_transaction():
        delivery = locked(WebhookDelivery.select()
                          .where(WebhookDelivery.id == delivery_id)).first()
        if delivery is None:
            return "Deze verzending bestaat niet (meer)."
        if delivery.claim and delivery.claimed_until and delivery.claimed_until > now:
            return "Deze verzending wordt op dit moment verstuurd."
        (WebhookDelivery.update(state="pending", next_attempt_at=now, claim=None,
                                claimed_until=None,
                                max_attempts=max(delivery.max_attempts, delivery.attempts + 1))
         .where(WebhookDelivery.id == delivery.id).execute())
        audit.record("webhook", delivery.webhook_id, "opnieuw versturen", actor,
                     {"bericht": delivery.message_id, "event": delivery.event})
    return None


def prune(now: datetime | None = None) -> int:
    """Forget delivered and failed deliveries (with their attempts) older than KEEP_DAYS."""
    cutoff = (now or utcnow()) - timedelta(days=KEEP_DAYS)
    with write_transaction():
        old = (WebhookDelivery.select(WebhookDelivery.id)
               .where(WebhookDelivery.state != "pending", WebhookDelivery.created_at < cutoff))
        WebhookAttempt.delete().where(WebhookAttempt.delivery.in_(old)).execute()
        return WebhookDelivery.delete().where(WebhookDelivery.id.in_(old)).execute()


def pending_count() -> int:
    return WebhookDelivery.select().where(WebhookDelivery.state == "pending").count()

