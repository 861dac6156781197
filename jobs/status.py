"""What the health endpoint and the status panel report, read from the real services.

A worker or cron process counts only when it has shown itself to the Redis that runs now: the
append-only file brings back the registrations of processes that died with the previous Redis
(or were killed without saying goodbye), and those must not look like a working worker.
"""

from rq import Queue, Worker
from rq.cron_scheduler_registry import get_registry_key as cron_registry_key
from rq.defaults import DEFAULT_CRON_SCHEDULER_TTL
from rq.registry import FailedJobRegistry

from jobs.connection import QUEUE, get_redis, redis_url
from models.db import db

# uptime_in_seconds is whole seconds: the start of this Redis is known to within one second, and
# a live worker that reconnected in that second must still count.
START_MARGIN = 1.0


def database_state() -> str:
    try:
        db.execute_sql("SELECT 1").fetchone()
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        return f"fout: {exc.__class__.__name__}"


def redis_state(url: str | None = None):
    """('ok' | 'fout: ...', connection or None), within connection.QUICK_TIMEOUT."""
    try:
        conn = get_redis(url, quick=True)
        conn.ping()
        return "ok", conn
    except Exception as exc:  # noqa: BLE001
        return f"fout: {exc}", None


def redis_clock(conn) -> tuple[float, float]:
    """(now, the moment this Redis started), both by the Redis server's clock, in seconds."""
    seconds, micros = conn.time()
    now = seconds + micros / 1e6
    return now, now - conn.info("server")["uptime_in_seconds"] - START_MARGIN


def live_workers(conn, started: float) -> list[Worker]:
    """Workers of our queue that sent a heartbeat to this Redis (rq drops expired keys)."""
    return [w for w in Worker.all(queue=Queue(QUEUE, connection=conn))
            if w.last_heartbeat is not None and w.last_heartbeat.timestamp() >= started]


def live_cron(conn, now: float, started: float) -> int:
    """`rq cron` processes with a heartbeat since this Redis started, within rq's own TTL (a
    cron process beats at least once a minute)."""
    oldest = max(started, now - DEFAULT_CRON_SCHEDULER_TTL)
    return conn.zcount(cron_registry_key(), oldest, "+inf")


def health(url: str | None = None, detail: bool = False) -> dict:
    """{"status": "ok" | "degraded" | "down", "down": [component, ...], "database", "redis",
    "workers", "cron"}. "down" only when the database is: the web app cannot serve without it,
    while without Redis it still serves and saves (generation waits). Workers and cron are None
    (unknown) while Redis cannot be reached."""
    database = database_state()
    redis, conn = redis_state(url)
    result = {"database": database, "redis": redis, "workers": None, "cron": None}
    try:
        if conn is not None:
            now, started = redis_clock(conn)
            result["workers"] = len(live_workers(conn, started))
            result["cron"] = live_cron(conn, now, started)
            if detail:
                result.update(_queue_detail(conn))
    except Exception as exc:  # noqa: BLE001 - Redis went away between the questions
        result.update(redis=f"fout: {exc}", workers=None, cron=None)
    finally:
        if conn is not None:
            conn.close()
    down = [name for name, ok in (("database", database == "ok"),
                                  ("redis", result["redis"] == "ok"),
                                  ("workers", result["workers"] != 0),
                                  ("cron", result["cron"] != 0)) if not ok]
    status = "down" if "database" in down else "degraded" if down else "ok"
    return {"status": status, "down": down, **result}


def _queue_detail(conn) -> dict:
    queue = Queue(QUEUE, connection=conn)
    failed = FailedJobRegistry(queue=queue)
    jobs = [j for j in queue.job_class.fetch_many(failed.get_job_ids(0, 19), connection=conn)
            if j is not None]
    return {
        "queues": {QUEUE: queue.count},
        "failed": [{"id": j.id, "func": j.func_name, "ended_at": j.ended_at,
                    "error": (j.latest_result().exc_string if j.latest_result() else "") or ""}
                   for j in jobs],
        "failed_count": failed.count,
    }


def forget_worker(pid: int, hostname: str, url: str | None = None) -> int:
    """Deregister the workers of process `pid` on `hostname` that died without doing so
    themselves (SIGKILL, a crash): the launcher calls this when it sees its worker die, so the
    status does not count it until its key expires (minutes). Returns how many it removed."""
    url = redis_url(url)
    if not url:
        return 0
    conn = get_redis(url, quick=True)
    try:
        gone = [w for w in Worker.all(connection=conn)
                if w.pid == pid and w.hostname == hostname]
        for worker in gone:
            worker.register_death()
        return len(gone)
    finally:
        conn.close()
