"""Idempotency-Key for the API's POSTs: a client that retries a POST (its connection broke, it
timed out) with the same key gets the first answer again instead of a second contract or storing.

Per API token and key, for TTL: the first request claims the key in a short transaction of its
own (committed at once, so a duplicate sees it); its write and the answer it gives are then
stored in ONE transaction (`finish`, inside the write's transaction: both or neither). A
duplicate finds the key and
- replays the stored answer when the first is done and the request is the same (`fingerprint`);
- is refused (422) when the same key comes with another request;
- is told to wait (409) while the first is still running.
A first request that fails (4xx, an exception) rolls back and `release`s the key: the corrected
request may use it again. A claim older than STALE whose request never finished (its process
died) is taken over; the compare-and-set on `claim` (a random value per claimant) makes sure one
request only ever finishes it. The draft standard: draft-ietf-httpapi-idempotency-key-header.
"""

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from peewee import CharField, DateTimeField, IntegerField, TextField

from models.db import write_transaction
from models.db.base import BaseModel, utcnow

TTL = timedelta(hours=24)
STALE = timedelta(seconds=60)
MAX_KEY = 255


class IdempotencyKey(BaseModel):
    token_id = IntegerField()  # the API token's id: keys of two tokens never meet
    key = CharField(max_length=MAX_KEY)
    fingerprint = CharField(max_length=64)  # sha256 of method, path and the canonical body
    state = CharField(default="running")  # running | done
    claim = CharField(max_length=32)  # who holds it while running (compare-and-set)
    status = IntegerField(null=True)
    body = TextField(null=True)
    headers = TextField(null=True)  # JSON object: the headers replayed with the body
    created_at = DateTimeField(default=utcnow)
    locked_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("token_id", "key"), True), (("created_at",), False))


def fingerprint(method: str, path: str, body: bytes) -> str:
    """The same request: method, path and body, the body compared as JSON when it is JSON (key
    order and spacing do not matter), else byte for byte."""
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        content = ("json", canonical)
    except (ValueError, RecursionError):  # not JSON (also UnicodeDecodeError), or too deep
        content = ("bytes", body.hex())
    text = json.dumps([method, path, *content], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def parse_key(header: str) -> str | None:
    """The key from an Idempotency-Key header: an sf-string ("...") as the draft says, or the
    bare text most clients (Stripe's) send; 1-255 visible ASCII characters other than " and \
    (a UUID is the usual choice). None: not a key."""
    value = header.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not 1 <= len(value) <= MAX_KEY or any(not 0x21 <= ord(c) <= 0x7E or c in '"\\'
                                              for c in value):
        return None
    return value


@dataclass(frozen=True)
class Claim:
    """The outcome of `claim`: "ours" (go ahead, then `finish` or `release`), "replay" (status,
    body, headers of the first answer), "mismatch" (another request used this key) or "busy"
    (the first is still running)."""

    outcome: str
    row_id: int | None = None
    claim: str | None = None
    status: int | None = None
    body: str | None = None
    headers: dict | None = None


def _read(token_id: int, key: str):
    return IdempotencyKey.get_or_none(IdempotencyKey.token_id == token_id,
                                      IdempotencyKey.key == key)


def claim(token_id: int, key: str, print_: str, now: datetime | None = None) -> Claim:
    """Claim `key` for this request, or say what the earlier request with it decides."""
    now = now or utcnow()
    for _attempt in range(5):
        row = _read(token_id, key)
        nonce = secrets.token_hex(16)
        if row is None:
            with write_transaction():
                (IdempotencyKey.insert(token_id=token_id, key=key, fingerprint=print_,
                                       state="running", claim=nonce, created_at=now,
                                       locked_at=now)
                 .on_conflict_ignore().execute())
            row = _read(token_id, key)
            if row is not None and row.claim == nonce:
                return Claim("ours", row.id, nonce)
            continue  # another request claimed it first: judge on its row
        if row.created_at < now - TTL:  # expired (not yet pruned): the key starts over
            if _take_over(row, nonce, now, print_, fresh=True):
                return Claim("ours", row.id, nonce)
            continue
        if row.fingerprint != print_:
            return Claim("mismatch")
        if row.state == "done":
            return Claim("replay", row.id, status=row.status, body=row.body,
                         headers=json.loads(row.headers or "{}"))
        if row.locked_at >= now - STALE:
            return Claim("busy")
        if _take_over(row, nonce, now, print_, fresh=False):  # its request died
            return Claim("ours", row.id, nonce)
    return Claim("busy")


def _take_over(row: IdempotencyKey, nonce: str, now: datetime, print_: str, fresh: bool) -> bool:
    changes = {"claim": nonce, "locked_at": now, "state": "running"}
    if fresh:
        changes.update(fingerprint=print_, created_at=now, status=None, body=None, headers=None)
    with write_transaction():
        taken = (IdempotencyKey.update(**changes)
                 .where(IdempotencyKey.id == row.id, IdempotencyKey.claim == row.claim,
                        IdempotencyKey.state == row.state).execute())
    return taken == 1


class Lost(Exception):
    """Our claim was taken over (we ran past STALE): the write must not count."""


def finish(held: Claim, status: int, body: str, headers: dict) -> None:
    """Store the answer; call inside the transaction of the request's write. Raises Lost when the
    claim is no longer ours (the caller's transaction then rolls back: nothing written twice)."""
    done = (IdempotencyKey.update(state="done", status=status, body=body,
                                  headers=json.dumps(headers))
            .where(IdempotencyKey.id == held.row_id, IdempotencyKey.claim == held.claim,
                   IdempotencyKey.state == "running").execute())
    if done != 1:
        raise Lost()


def release(held: Claim) -> None:
    """Give the key back after a request that wrote nothing (4xx, an exception)."""
    with write_transaction():
        (IdempotencyKey.delete()
         .where(IdempotencyKey.id == held.row_id, IdempotencyKey.claim == held.claim,
                IdempotencyKey.state == "running").execute())


def prune(now: datetime | None = None) -> int:
    """Forget keys older than TTL (jobs/cron.py, hourly); returns how many."""
    now = now or utcnow()
    with write_transaction():
        return IdempotencyKey.delete().where(IdempotencyKey.created_at < now - TTL).execute()
