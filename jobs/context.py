"""Database access for job processes: bound lazily from DATABASE_URL, never across a fork."""

import os

from models.db import db, init_db_from_url
from models.db.instance import database_url


def ensure_database():
    """Bind the proxy on first use in this process (the worker forks per job, and a connection
    must never be carried across a fork; binding is cheap, connecting happens per job)."""
    if db.obj is None:
        init_db_from_url(database_url())
    return db


def timezone() -> str:
    return os.environ.get("CADANS_TIMEZONE", "Europe/Amsterdam")
