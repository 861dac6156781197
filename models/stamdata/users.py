"""Users (who may log in, with which role), their sessions' key and their API tokens.

A browser session names its user as "<id>:<session key>" (Flask-Login's alternative id). Every
request's user loader compares the key with the row, in the query it runs anyway; giving a user
a new key (logout, a password change, deactivation) ends every session that holds the old one,
wherever it is. API tokens are separate: they stop when the user is deactivated."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peewee import JOIN, SQL, BooleanField, CharField, DateTimeField, ForeignKeyField, TextField
from werkzeug.security import check_password_hash, generate_password_hash

from models.common.validation import DATE_RANGE_MESSAGE, control_problem, in_range, iso_date, whole
from models.db import Compiled, audit, locked, write_transaction
from models.db.base import BaseModel, utcnow
from models.stamdata import api_scopes
from models.stamdata.klanten import Klant

ROLES = ("beheerder", "planner")
MIN_PASSWORD_LENGTH = 8
PASSWORD_TOO_SHORT = f"Een wachtwoord heeft minstens {MIN_PASSWORD_LENGTH} tekens."

# What a login attempt for a user that does not exist (or is deactivated) checks its password
# against, so that it costs the same scrypt work as a wrong password for a real user: a
# werkzeug hash (today's default method and parameters) of a random password nobody knows.
DUMMY_HASH = ("scrypt:32768:8:1$3UchTi1oIoneYsaV$e7478669ed87c8ccee6cd2e3582a716d48405dad770431"
              "f7f91e8598bafc13ef791729f82741589002c5471a09a11a741601a65e7bbf492916c61ac3d5095f"
              "68")


def new_session_key() -> str:
    return secrets.token_urlsafe(16)


class _Person:
    """What the views ask of whoever is signed in: the role checks, and what Flask-Login asks of
    a user object (its UserMixin, written out here so that models/ imports no Flask): signed in
    while active, never anonymous, equal by `get_id()`."""

    role: str

    __hash__ = object.__hash__  # an __eq__ of its own would otherwise unset it

    @property
    def is_beheerder(self):
        return self.role == "beheerder"

    def may(self, role: str) -> bool:
        """beheerder may do everything a planner may."""
        return self.role == "beheerder" or self.role == role

    @property
    def is_authenticated(self):
        return self.is_active

    @property
    def is_anonymous(self):
        return False

    def __eq__(self, other):
        if isinstance(other, _Person):
            return self.get_id() == other.get_id()
        return NotImplemented

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal


class User(BaseModel, _Person):
    username = CharField(unique=True)
    name = CharField(default="")
    password_hash = CharField()
    role = CharField(default="planner")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    # the DEFAULT lets migration 6 add the column NOT NULL without rebuilding the table (which
    # on SQLite would drop it, and with it every API token and draft, by ON DELETE CASCADE)
    session_key = CharField(max_length=32, default=new_session_key,
                            constraints=[SQL("DEFAULT ''")])

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_key}"

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt: a current, memory-hard algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@dataclass(frozen=True, eq=False)
class SignedInUser(_Person):
    """Who a request's session belongs to: what the views read of `current_user` (id, name,
    role), loaded on every request without the password hash. Read-only and not a model, so
    nothing can save it back over the real row; load the User itself to change a user."""

    id: int
    username: str
    name: str
    role: str
    active: bool
    session_key: str

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_key}"


def authenticate(username: str, password: str) -> User | None:
    """The active user with this name and password, else None. Checks exactly one password
    hash whatever the outcome (the dummy one for an unknown or deactivated user), so the time
    an answer takes does not tell which usernames exist."""
    user = User.get_or_none(User.username == username)
    matches = check_password_hash(user.password_hash if user else DUMMY_HASH, password)
    return user if user is not None and user.active and matches else None


def end_sessions(user_id: int, action: str, actor: str, changes: dict | None = None) -> str:
    """Give the user a new session key (every session that holds the old one has ended) and
    record why; returns the new key."""
    key = new_session_key()
    with write_transaction():
        User.update(session_key=key).where(User.id == user_id).execute()
        audit.record("gebruiker", user_id, action, actor, changes)
    return key


def change_password(user_id: int, password: str, actor: str, changes: dict | None = None) -> User:
    """Set a new password and end the user's sessions; returns the user as saved (with its new
    session key, for keeping the session of the person who changed it)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(PASSWORD_TOO_SHORT)
    with write_transaction():
        user = locked(User.select().where(User.id == user_id)).get()
        user.set_password(password)
        user.session_key = new_session_key()
        user.save()
        audit.record("gebruiker", user_id, "wachtwoord gewijzigd", actor, changes)
    return user


def set_active(user_id: int, active: bool, actor: str) -> bool:
    """(De)activate a user; both end their sessions (a reactivated user logs in again). Returns
    whether anything changed."""
    with write_transaction():
        user = locked(User.select().where(User.id == user_id)).get()
        if user.active == active:
            return False
        user.active = active
        user.session_key = new_session_key()
        user.save()
        audit.record("gebruiker", user_id, "geactiveerd" if active else "gedeactiveerd", actor)
    return True


class ApiToken(BaseModel):
    """A key to the API (views/api/access.py). Only the SHA-256 of a token is stored: tokens are
    256 random bits, so a fast hash is enough and a lookup stays one indexed query. The token
    acts for its user (the audit trail names "api:<user>/<name>"), within its scopes
    (models/stamdata/api_scopes.py), optionally for one klant only, until it expires or is
    revoked (both checked on every request: they take effect at once). Tokens from before
    scopes existed have "*": everything their user may do, as before."""

    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)  # kept to the minute (USED_RESOLUTION)
    # migration 11 adds these in place (NOT NULL with an SQL DEFAULT: no table rebuild)
    name = CharField(default="", constraints=[SQL("DEFAULT ''")])
    scopes = TextField(default=api_scopes.EVERYTHING, constraints=[SQL("DEFAULT '*'")])
    # a token for one klant goes with that klant (never left without its restriction)
    klant = ForeignKeyField(Klant, null=True, on_delete="CASCADE")
    expires_at = DateTimeField(null=True)  # naive UTC; the token works until then
    revoked_at = DateTimeField(null=True)
    created_by = CharField(default="", constraints=[SQL("DEFAULT ''")])

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User, name: str = "", scopes=(api_scopes.EVERYTHING,),
              klant_id: int | None = None, expires_at: datetime | None = None,
              actor: str = "") -> str:
        """A new token (returned once: only its hash is kept), with an audit row."""
        token = secrets.token_urlsafe(32)
        with write_transaction():
            row = cls.create(user=user, token_hash=cls.hash(token), name=name,
                             scopes=api_scopes.text(scopes), klant=klant_id,
                             expires_at=expires_at, created_by=actor)
            audit.record("api-token", row.id, "aangemaakt", actor or "systeem",
                         {"naam": name, "gebruiker": user.username,
                          "scopes": api_scopes.text(scopes), "klant_id": klant_id,
                          "verloopt": expires_at})
        return token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        """The user a valid token acts for (None: unknown, revoked, expired, user inactive)."""
        grant, _problem = lookup(token)
        return User.get_by_id(grant.user_id) if grant else None

    @property
    def scope_set(self) -> frozenset[str]:
        return api_scopes.from_text(self.scopes)

    def state(self, now: datetime) -> str:
        """"actief", "verlopen" or "ingetrokken"."""
        if self.revoked_at is not None:
            return "ingetrokken"
        if self.expires_at is not None and self.expires_at <= now:
            return "verlopen"
        return "actief"


USED_RESOLUTION = timedelta(minutes=1)  # last_used_at is written at most this often per token
UNKNOWN_TOKEN = "Geen geldig API-token meegegeven."
REVOKED = "Dit API-token is ingetrokken."
EXPIRED = "Dit API-token is verlopen."


@dataclass(frozen=True)
class Grant:
    """What one request's token may do: read once per request, never cached (a revocation or
    an expiry counts from the next request on)."""

    id: int
    user_id: int
    username: str
    name: str
    scopes: frozenset
    klant_id: int | None
    klant_name: str | None
    last_used_at: datetime | None

    @property
    def actor(self) -> str:
        return f"api:{self.username}/{self.name}" if self.name else f"api:{self.username}"

    def allows(self, resource: str, action: str) -> bool:
        return api_scopes.allows(self.scopes, resource, action)


def _lookup_query(token_hash):
    return (ApiToken.select(ApiToken.id, ApiToken.user, User.username, User.active, ApiToken.name,
                            ApiToken.scopes, ApiToken.klant, Klant.name, ApiToken.expires_at,
                            ApiToken.revoked_at, ApiToken.last_used_at)
            .join(User).switch(ApiToken).join(Klant, JOIN.LEFT_OUTER)
            .where(ApiToken.token_hash == token_hash))


_LOOKUP = Compiled(_lookup_query, ("\x00token-hash",))


def lookup(token: str, now: datetime | None = None) -> tuple[Grant | None, str]:
    """(grant, "") for a token that may be used now, else (None, why not, in Dutch). One
    indexed query, its SQL built once (models.db.Compiled)."""
    row = _LOOKUP.execute(ApiToken.hash(token)).fetchone() if token else None
    if row is None or not row[3]:  # unknown, or its user is deactivated
        return None, UNKNOWN_TOKEN
    stamp = ApiToken.expires_at.python_value
    expires_at, revoked_at, used = stamp(row[8]), stamp(row[9]), stamp(row[10])
    now = now or utcnow()
    if revoked_at is not None:
        return None, REVOKED
    if expires_at is not None and expires_at <= now:
        return None, EXPIRED
    return Grant(id=row[0], user_id=row[1], username=row[2], name=row[4],
                 scopes=api_scopes.from_text(row[5]), klant_id=row[6], klant_name=row[7],
                 last_used_at=used), ""


def mark_used(grant: Grant, now: datetime | None = None) -> bool:
    """Record that the token was used, at most once per USED_RESOLUTION (a request that finds
    it recent writes nothing; two processes at once write once: the condition decides).
    Returns whether it wrote."""
    now = now or utcnow()
    if grant.last_used_at is not None and now - grant.last_used_at < USED_RESOLUTION:
        return False
    stale = now - USED_RESOLUTION
    return (ApiToken.update(last_used_at=now)
            .where(ApiToken.id == grant.id,
                   ApiToken.last_used_at.is_null() | (ApiToken.last_used_at < stale))
            .execute()) == 1


def revoke(token_id: int, actor: str) -> bool:
    """Revoke a token (from its next request on). Returns whether it was still active."""
    with write_transaction():
        changed = (ApiToken.update(revoked_at=utcnow())
                   .where(ApiToken.id == token_id, ApiToken.revoked_at.is_null()).execute())
        if changed:
            audit.record("api-token", token_id, "ingetrokken", actor)
    return bool(changed)


MAX_TOKEN_NAME = 80


def expiry_moment(last_day: date, tz: str) -> datetime:
    """A token valid through `last_day` (company time) stops at the start of the next day:
    that moment in naive UTC, as stored."""
    local = datetime.combine(last_day + timedelta(days=1), time(), tzinfo=ZoneInfo(tz))
    return local.astimezone(UTC).replace(tzinfo=None)


def check_token(values: dict, today: date, tz: str, name_required: bool = True) \
        -> tuple[dict, dict]:
    """(values for ApiToken.issue, errors) from what Instellingen or the CLI was given: `name`,
    `scopes` (a list or text), `klant_id` (text or id, optional), `expires` (JJJJ-MM-DD, the
    last day it works, optional). Reads the klant; writes nothing."""
    errors, clean = {}, {}
    name = (values.get("name") or "").strip()
    if problem := control_problem(name):
        errors["name"] = problem
    elif name_required and not name:
        errors["name"] = "Geef het token een naam, bijvoorbeeld de koppeling die het gebruikt."
    elif len(name) > MAX_TOKEN_NAME:
        errors["name"] = f"Maximaal {MAX_TOKEN_NAME} tekens."
    clean["name"] = name
    scopes, problem = api_scopes.parse(values.get("scopes") or [])
    if problem:
        errors["scopes"] = problem
    clean["scopes"] = scopes
    raw = values.get("klant_id")
    clean["klant_id"] = None
    if raw not in (None, ""):
        klant_id = whole(str(raw), 1)
        klant = Klant.get_or_none(Klant.id == klant_id) if klant_id else None
        if klant is None:
            errors["klant_id"] = "Deze klant bestaat niet."
        else:
            clean["klant_id"] = klant.id
    expires = (values.get("expires") or "").strip()
    clean["expires_at"] = None
    if expires:
        day = iso_date(expires)
        if day is None:
            errors["expires"] = "Vul een datum in als JJJJ-MM-DD."
        elif not in_range(day):
            errors["expires"] = DATE_RANGE_MESSAGE
        elif day < today:
            errors["expires"] = "Deze datum is al voorbij; kies vandaag of later."
        else:
            clean["expires_at"] = expiry_moment(day, tz)
    return clean, errors
