"""Database access for job processes: bound lazily from DATABASE_URL, never across a fork."""

import os

from models.db import db, init_db_from_url
from models.db.instance import database_url
from models.webhooks.send import private_allowed


def ensure_database():
    """Bind the proxy on first use in this process (the worker forks per job, and a connection
    must never be carried across a fork; binding is cheap, connecting happens per job)."""
    if db.obj is None:
        init_db_from_url(database_url())
    return db


def timezone() -> str:
    return os.environ.get("CADANS_TIMEZONE", "Europe/Amsterdam")


def webhook_settings() -> tuple[float, bool]:
    """(seconds an attempt may take, whether receivers on private addresses are allowed) from
    CADANS_WEBHOOK_TIMEOUT and CADANS_WEBHOOKS_ALLOW_PRIVATE (README, Webhooks)."""
    text = os.environ.get("CADANS_WEBHOOK_TIMEOUT") or "5"
    try:
        timeout = float(text)
    except ValueError:
        timeout = 0
    if not 0 < timeout <= 60:
        raise RuntimeError(f"CADANS_WEBHOOK_TIMEOUT is een aantal seconden (tot 60), niet "
                           f"'{text}'.")
    return timeout, private_allowed(os.environ.get("CADANS_WEBHOOKS_ALLOW_PRIVATE"))
