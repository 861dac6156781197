"""Users (who may log in, with which role) and their API tokens."""

import hashlib
import secrets
from dataclasses import dataclass

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, utcnow

ROLES = ("beheerder", "planner")


class _Roles:
    role: str

    @property
    def is_beheerder(self):
        return self.role == "beheerder"

    def may(self, role: str) -> bool:
        """beheerder may do everything a planner may."""
        return self.role == "beheerder" or self.role == role


class User(BaseModel, _Roles, UserMixin):
    username = CharField(unique=True)
    name = CharField(default="")
    password_hash = CharField()
    role = CharField(default="planner")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def is_active(self):
        return self.active

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt: a current, memory-hard algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


@dataclass(frozen=True, eq=False)
class SignedInUser(_Roles, UserMixin):
    """Who a request's session belongs to: what the views read of `current_user` (id, name,
    role), loaded on every request without the password hash. Read-only and not a model, so
    nothing can save it back over the real row; load the User itself to change a user."""

    id: int
    username: str
    name: str
    role: str
    active: bool

    @property
    def is_active(self):
        return self.active


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
