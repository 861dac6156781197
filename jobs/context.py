"""Database access for job processes: bound lazily from DATABASE_URL, never across a fork."""

import os
from pathlib import Path

from models.db import db, init_db_from_url

ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """CADANS_INSTANCE, else instance/ beside the code: the folder of the SQLite file, the
    secret key and the local Redis. The web app (app.create_app), the worker, the periodic
    schedule and the launcher all ask here, so they cannot end up in different folders."""
    configured = os.environ.get("CADANS_INSTANCE")
    return Path(configured).resolve() if configured else ROOT / "instance"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir() / 'cadans.db'}"


def ensure_database():
    """Bind the proxy on first use in this process (the worker forks per job, and a connection
    must never be carried across a fork; binding is cheap, connecting happens per job)."""
    if db.obj is None:
        init_db_from_url(database_url())
    return db


def timezone() -> str:
    return os.environ.get("CADANS_TIMEZONE", "Europe/Amsterdam")
