"""Real Valkey, real RQ SimpleWorker, a real job from jobs/ end to end; health reads the truth."""

from rq import Queue, SimpleWorker
from rq.job import JobStatus

from jobs.connection import QUEUE
from models.db import connection
from models.stamdata.klanten import Klant

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


def test_cron_config_enqueues_the_periodic_jobs_at_start(redis_conn):
    """The same config file `rq cron` loads: its interval jobs run at once (so a cron process
    started again after a Redis outage catches up at once), then every 15 min, every minute,
    every 10 s (webhooks) and every hour (pruning)."""
    import sys

    from rq.cron import CronScheduler

    sys.modules.pop("jobs.cron", None)  # `rq cron` imports it fresh; so does this test
    scheduler = CronScheduler(connection=redis_conn)
    scheduler.load_config_from_file("jobs.cron")
    sweep, termijnen, catch_up, webhooks, prune = scheduler.get_jobs()
    assert (sweep.func_name, sweep.interval) == ("jobs.tasks.materialise_due", 900)
    assert (termijnen.func_name, termijnen.interval) == ("jobs.tasks.materialise_termijnen", 900)
    assert (catch_up.func_name, catch_up.interval) == ("jobs.tasks.catch_up", 60)
    assert (webhooks.func_name, webhooks.interval) == ("jobs.tasks.deliver_webhooks", 10)
    assert (prune.func_name, prune.interval) == ("jobs.tasks.prune", 3600)
    assert {sweep.queue_name, termijnen.queue_name, catch_up.queue_name, webhooks.queue_name,
            prune.queue_name} == {QUEUE}
    scheduler.enqueue_jobs()
    queue = Queue(QUEUE, connection=redis_conn)
    assert [j.func_name for j in queue.get_jobs()] == [
        "jobs.tasks.materialise_due", "jobs.tasks.materialise_termijnen", "jobs.tasks.catch_up",
        "jobs.tasks.deliver_webhooks", "jobs.tasks.prune"]
    scheduler.enqueue_jobs()  # not due again yet
    assert queue.count == 5


def test_health_endpoint_reports_real_state(client, redis_conn):
    """No worker and no cron process registered in this (flushed) Redis: the web app serves,
    so 200, but degraded, and it says what is missing."""
    resp = client.get("/api/v1/health")
    assert resp.status_code == 200
    assert resp.get_json() == {"status": "degraded", "down": ["workers", "cron"],
                               "database": "ok", "redis": "ok", "workers": 0, "cron": 0}


def test_health_with_workers_registered(client, redis_conn):
    from rq.cron import CronScheduler

    queue = Queue(QUEUE, connection=redis_conn)
    worker = SimpleWorker([queue], connection=redis_conn)
    worker.register_birth()
    cron = CronScheduler(connection=redis_conn)
    cron.register_birth()
    try:
        resp = client.get("/api/v1/health")
        assert resp.status_code == 200
        assert resp.get_json() == {"status": "ok", "down": [], "database": "ok", "redis": "ok",
                                   "workers": 1, "cron": 1}
    finally:
        worker.register_death()
        cron.register_death()


def test_health_with_redis_down(tmp_path, app):
    """Only Redis down: the web app still serves (and saves), so a load balancer must keep
    sending traffic: 200, "degraded", Redis named; workers and cron unknown."""
    app.config["REDIS_URL"] = f"unix://{tmp_path}/nothing.sock"
    resp = app.test_client().get("/api/v1/health")
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["status"], body["down"]) == ("degraded", ["redis"])
    assert body["database"] == "ok" and body["redis"].startswith("fout")
    assert body["workers"] is None and body["cron"] is None


def test_health_with_database_down(tmp_path, redis_url):
    """The one case the web app cannot serve: a database it cannot open. 503, status "down"
    (not a 500 from the request's own connection)."""
    from app import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "test", "REDIS_URL": redis_url,
                      "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"sqlite:///{tmp_path}/weg/cadans.db"})
    resp = app.test_client().get("/api/v1/health")
    assert resp.status_code == 503
    body = resp.get_json()
    assert (body["status"], body["down"][0]) == ("down", "database")
    assert body["database"] == "fout: OperationalError" and body["redis"] == "ok"


def test_status_panel_shows_failed_job(beheerder, redis_conn):
    queue = Queue(QUEUE, connection=redis_conn)
    queue.enqueue("jobs.tasks.does_not_exist")
    SimpleWorker([queue], connection=redis_conn).work(burst=True)
    html = beheerder.get("/instellingen/status").get_data(as_text=True)
    assert "Mislukte taken" in html and "does_not_exist" in html
    frag = beheerder.get("/instellingen/status", htmx=True).get_data(as_text=True)
    assert frag.strip().startswith('<section id="status"') and "In orde" in frag
