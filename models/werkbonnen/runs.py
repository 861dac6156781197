"""Housekeeping of the generation runs (GenerationRun): one row per sweep, share, contract job
and CLI run, about a hundred a day; a year of production would keep 35,000 rows nobody reads.
`prune` (jobs.tasks.prune, hourly) forgets runs older than CADANS_RUN_RETENTION_DAYS (90),
except the newest sweep: the catch-up (jobs.tasks.catch_up) reads when that one started."""

import os
from datetime import datetime, timedelta

from peewee import fn

from models.db import write_transaction
from models.db.base import utcnow
from models.werkbonnen.tables import GenerationRun

DEFAULT_DAYS = 90


def retention_days() -> int:
    """CADANS_RUN_RETENTION_DAYS, at least 1 (a bad value falls back to the default)."""
    raw = os.environ.get("CADANS_RUN_RETENTION_DAYS", "").strip()
    try:
        days = int(raw) if raw else DEFAULT_DAYS
    except ValueError:
        return DEFAULT_DAYS
    return max(days, 1)


def prune(now: datetime | None = None) -> int:
    """Forget finished runs older than the retention; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=retention_days())
    with write_transaction():
        newest_sweep = (GenerationRun.select(fn.MAX(GenerationRun.id))
                        .where(GenerationRun.trigger == "sweep").scalar())
        query = GenerationRun.delete().where(GenerationRun.started_at < cutoff,
                                             GenerationRun.finished_at.is_null(False))
        if newest_sweep is not None:
            query = query.where(GenerationRun.id != newest_sweep)
        return query.execute()
