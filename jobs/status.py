"""What the health endpoint and the status panel report, read from the real services."""

from rq import Queue, Worker
from rq.registry import FailedJobRegistry

from jobs.connection import QUEUE, get_redis
from models.db import db


def database_state() -> str:
    try:
        db.execute_sql("SELECT 1").fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"fout: {exc.__class__.__name__}"


def redis_state(url: str | None = None):
    """('ok' | 'fout: ...', connection or None)."""
    try:
        conn = get_redis(url)
        conn.ping()
        return "ok", conn
    except Exception as exc:  # noqa: BLE001
        return f"fout: {exc}", None


def health(url: str | None = None, detail: bool = False) -> dict:
    redis, conn = redis_state(url)
    result = {"database": database_state(), "redis": redis,
              "workers": Worker.count(connection=conn) if conn else 0}
    if detail and conn:
        queue = Queue(QUEUE, connection=conn)
        failed = FailedJobRegistry(queue=queue)
        jobs = [j for j in queue.job_class.fetch_many(failed.get_job_ids(0, 19), connection=conn)
                if j is not None]
        result["queues"] = {QUEUE: queue.count}
        result["failed"] = [
            {"id": j.id, "func": j.func_name, "ended_at": j.ended_at,
             "error": (j.latest_result().exc_string if j.latest_result() else "") or ""}
            for j in jobs
        ]
        result["failed_count"] = failed.count
    return result
