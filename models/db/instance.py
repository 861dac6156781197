"""Where this installation keeps its files: instance/ (or CADANS_INSTANCE), and the database
URL that follows from it. The web app (app.create_app), the worker, the periodic schedule and
the launcher all ask here, so they cannot end up in different folders."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the repository: models/db/instance.py


def instance_dir() -> Path:
    """CADANS_INSTANCE, else instance/ beside the code: the folder of the SQLite file, the
    secret key and the local Redis."""
    configured = os.environ.get("CADANS_INSTANCE")
    return Path(configured).resolve() if configured else ROOT / "instance"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{instance_dir() / 'cadans.db'}"
