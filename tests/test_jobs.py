"""Real Valkey, real RQ SimpleWorker, a real job from jobs/ end to end; health reads the truth."""

from rq import Queue, SimpleWorker
from rq.job import JobStatus

from jobs.connection import QUEUE
from models.db import connection
from models.klanten import Klant

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def test_worker_runs_health_job(app, redis_conn, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    with connection():
        Klant.create(customer_number="D-1", name="Een")
    queue = Queue(QUEUE, connection=redis_conn)
    job = queue.enqueue("jobs.tasks.health_check")
    worker = SimpleWorker([queue], connection=redis_conn)
    assert worker.work(burst=True)
    job.refresh()
    assert job.get_status() == JobStatus.FINISHED
    assert job.return_value()["klanten"] == 1


def test_cron_config_enqueues_the_periodic_job_at_start(redis_conn):
    """The same config file `rq cron` loads: its interval job runs at once, then every 15 min."""
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=redis_conn)
    scheduler.load_config_from_file("jobs.cron")
    [cron_job] = scheduler.get_jobs()
    assert cron_job.interval == 900 and cron_job.queue_name == QUEUE
    scheduler.enqueue_jobs()
    queue = Queue(QUEUE, connection=redis_conn)
    assert [j.func_name for j in queue.get_jobs()] == ["jobs.tasks.materialise_due"]
    scheduler.enqueue_jobs()  # not due again yet
    assert queue.count == 1


def test_health_endpoint_reports_real_state(client, redis_conn):
    from rq import Worker

    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"database": "ok", "redis": "ok",
                               "workers": Worker.count(connection=redis_conn)}


def test_health_with_workers_registered(client, redis_conn):
    queue = Queue(QUEUE, connection=redis_conn)
    worker = SimpleWorker([queue], connection=redis_conn)
    worker.register_birth()
    try:
        assert client.get("/api/v1/health").get_json()["workers"] == 1
    finally:
        worker.register_death()


def test_health_with_redis_down(tmp_path, app):
    app.config["REDIS_URL"] = f"unix://{tmp_path}/nothing.sock"
    resp = app.test_client().get("/api/v1/health")
    assert resp.status_code == 503
    body = resp.get_json()
    assert body["database"] == "ok" and body["redis"].startswith("fout") and body["workers"] == 0


def test_status_panel_shows_failed_job(beheerder, redis_conn):
    queue = Queue(QUEUE, connection=redis_conn)
    queue.enqueue("jobs.tasks.does_not_exist")
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    html = beheerder.get("/instellingen/status").get_data(as_text=True)
    assert "Mislukte taken" in html and "does_not_exist" in html
    frag = beheerder.get("/instellingen/status", htmx=True).get_data(as_text=True)
    assert frag.strip().startswith('<section id="status"') and "In orde" in frag
