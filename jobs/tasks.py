"""RQ job functions: ids and ISO strings in, plain counts out, own DB connection each run."""

from datetime import UTC, datetime

from jobs.context import ensure_database
from models.db import connection


def health_check() -> dict:
    """A no-op sweep stand-in: proves the worker can reach the database."""
    ensure_database()
    from models.klanten import Klant

    with connection():
        klanten = Klant.select().count()
    return {"checked_at": datetime.now(UTC).isoformat(timespec="seconds"), "klanten": klanten}
