"""Base class of every table: bound to the proxy, timestamps as naive UTC."""

from datetime import UTC, datetime

from peewee import Model

from models.db import db


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False
