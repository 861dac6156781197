"""The web app keeps its PostgreSQL connection between requests (issue #20, item 6: a new
connection per request cost more than the preview itself under 16 clients), and a pooled
connection the server dropped meanwhile (a restart, PgBouncer closing it) is replaced before a
request uses it, not turned into an error page. models/db WebPool."""

import time

import psycopg2
import pytest

from models.db import WebPool, db


@pytest.fixture
def backend():
    return "postgresql"  # the pool is PostgreSQL's; SQLite's own pool is older and tested with it


def pooled_backend_pids() -> list[int]:
    """Server process ids of the connections waiting in the pool."""
    return [conn.info.backend_pid for _ts, _n, conn in db.obj._connections]


def test_requests_share_one_connection(app, planner):
    assert isinstance(db.obj, WebPool)
    assert planner.get("/klanten/").status_code == 200
    first = pooled_backend_pids()
    assert len(first) == 1
    for _ in range(3):
        assert planner.get("/klanten/").status_code == 200
    assert pooled_backend_pids() == first  # the same server process served all four


def terminate(url: str, pid: int) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", (pid,))
            assert cursor.fetchone()[0]
            deadline = time.monotonic() + 10  # until the server process has really gone
            while True:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (pid,))
                if cursor.fetchone()[0] == 0:
                    break
                assert time.monotonic() < deadline, "the backend did not end"
                time.sleep(0.01)
    finally:
        conn.close()


def test_a_dropped_connection_is_replaced_after_an_idle_while(app, planner, database_url,
                                                              monkeypatch):
    monkeypatch.setattr(WebPool, "PING_AFTER", 0.0)  # every connection counts as idle a while
    assert planner.get("/klanten/").status_code == 200
    (dropped,) = pooled_backend_pids()
    terminate(database_url, dropped)
    resp = planner.get("/klanten/")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    (now,) = pooled_backend_pids()
    assert now != dropped


def test_a_connection_dropped_between_two_busy_requests_is_replaced(app, planner,
                                                                    database_url):
    """No idle while, so no SELECT 1: the pool sees from the socket that the server ended it."""
    assert planner.get("/klanten/").status_code == 200
    (dropped,) = pooled_backend_pids()
    terminate(database_url, dropped)
    planner.client.application.testing = False  # the page a user would get, not a raise
    resp = planner.get("/klanten/")
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    (now,) = pooled_backend_pids()
    assert now != dropped
