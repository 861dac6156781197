"""Users (who may log in, with which role) and their API tokens."""

import hashlib
import secrets

from flask_login import UserMixin
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField
from werkzeug.security import check_password_hash, generate_password_hash

from models.base import BaseModel, utcnow

ROLES = ("beheerder", "planner")


class User(BaseModel, UserMixin):
    username = CharField(unique=True)
    name = CharField(default="")
    password_hash = CharField()
    role = CharField(default="planner")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    @property
    def is_active(self):
        return self.active

    @property
    def is_beheerder(self):
        return self.role == "beheerder"

    def set_password(self, password: str) -> None:
        # werkzeug's default is scrypt: a current, memory-hard algorithm.
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def may(self, role: str) -> bool:
        """beheerder may do everything a planner may."""
        return self.role == "beheerder" or self.role == role


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
