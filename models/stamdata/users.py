"""Users (who may log in, with which role), their sessions' key and their API tokens.

A browser session names its user as "<id>:<session key>" (Flask-Login's alternative id). Every
request's user loader compares the key with the row, in the query it runs anyway; giving a user
a new key (logout, a password change, deactivation) ends every session that holds the old one,
wherever it is. API tokens are separate: they stop when the user is deactivated."""

import hashlib
import secrets
from dataclasses import dataclass

from peewee import SQL, BooleanField, CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash, generate_password_hash

from models.db import audit, locked, write_transaction
from models.db.base import BaseModel, utcnow

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
    """Only the SHA-256 of a token is stored: tokens are 256 random bits, so a fast hash is enough
    and lookups stay a single indexed query."""

    user = ForeignKeyField(User, backref="tokens", on_delete="CASCADE")
    token_hash = CharField(unique=True)
    created_at = DateTimeField(default=utcnow)
    last_used_at = DateTimeField(null=True)

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user: User) -> str:
        token = secrets.token_urlsafe(32)
        cls.create(user=user, token_hash=cls.hash(token))
        return token

    @classmethod
    def user_for(cls, token: str) -> User | None:
        row = (
            cls.select(cls, User)
            .join(User)
            .where(cls.token_hash == cls.hash(token), User.active == True)  # noqa: E712
            .first()
        )
        return row.user if row else None
