"""A Redis that is down or hung while planners work (issue #14, section 1).

With real Valkey servers of our own (the pip binary `make run` uses), stopped with SIGSTOP (hung)
or SIGTERM/SIGKILL (gone): a save through the wizard and through the API stays fast and says that
generation is delayed; after one failure a process does not wait for Redis again for a while;
the health endpoint answers at once and says what is down; workers and cron processes that
died with the previous Redis are not counted; and the catch-up job makes the werkbonnen of a
contract whose own job was lost, once, and leaves alone what the sweep owns. The whole chain
with the real processes under the launcher is in tests/test_launcher.py.
"""

import os
import signal
import socket
import time
from datetime import UTC, datetime, timedelta

import pytest
from redis import Redis
from rq import Queue, SimpleWorker, Worker
from rq.cron import CronScheduler
from rq.utils import utcformat

from jobs import enqueue, redis_server, tasks
from jobs.connection import QUEUE
from jobs.enqueue import DELAYED
from jobs.status import forget_worker
from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.stamdata.instellingen import Contracttype
from models.stamdata.klanten import Klant
from models.werkbonnen.tables import GenerationRun, Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test that uses `app` runs on both databases

# A behaviour bound, not a benchmark: the old code waited 3 s (the socket timeout); the new
# one waits at most 2 x connection.QUICK_TIMEOUT. Generous for a busy 2-core machine.
FAST = 1.0


@pytest.fixture(autouse=True)
def _no_memory_of_earlier_failures():
    enqueue._down_until.clear()
    yield
    enqueue._down_until.clear()


@pytest.fixture
def own_valkey(tmp_path_factory):
    """A Valkey server of this test only, so it can be stopped: (process, url, directory)."""
    directory = tmp_path_factory.mktemp("vk")
    proc, url = redis_server.start(directory, persistent=False)
    state = {"proc": proc}
    yield state, url, directory
    proc = state["proc"]
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
    redis_server.stop(proc)


def hang(state) -> None:
    os.kill(state["proc"].pid, signal.SIGSTOP)


def resume(state) -> None:
    os.kill(state["proc"].pid, signal.SIGCONT)


def klant_and_type():
    with connection():
        klant = Klant.create(customer_number="D-9", name="Garage Visser")
        ptype = Contracttype.get(Contracttype.kind == "preventief",
                                 Contracttype.active == True)  # noqa: E712
    return klant, ptype


def api_body(klant, description="Controle", lead=3):
    return {"klant_id": klant.id, "contracttype": "preventief", "description": description,
            "start_date": "2020-01-01", "days_in_advance": lead,
            "schedule": {"rrule": "FREQ=DAILY"}, "werkbon": {"start_time": "07:00"}}


AGREEMENT = {"start_date": "2020-01-01", "end_date": "", "description": "Dagelijkse controle",
             "reference": "", "contractvoorwaarden_id": ""}
WERKBON = {"wb_description": "Controle", "werktype": "Onderhoud", "duration_minutes": "30",
           "prioriteit": "Normaal", "start_time": "07:00", "medewerker_id": ""}
SCHEMA = {"frequency": "dagelijks", "interval": "1", "end_mode": "geen", "holidays": "ignore",
          "weekends": "ignore", "days_in_advance": "3"}


def wizard_up_to_controle(planner, klant, ptype) -> str:
    """Steps 1-4 of the wizard; returns the draft's base URL (Opslaan is the caller's)."""
    resp = planner.post("/contracten/nieuw", data={"contracttype_id": ptype.id})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    with connection():
        draft = ContractDraft.select().order_by(ContractDraft.id.desc()).get()
    base = f"/contracten/concept/{draft.id}"
    for step, data in (("overeenkomst", dict(AGREEMENT, klant_id=klant.id)),
                       ("werkbon", WERKBON), ("schema", SCHEMA)):
        resp = planner.post(f"{base}/{step}", data=data)
        assert resp.status_code == 303, resp.get_data(as_text=True)
    return base


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


# --------------------------------------------------------------------------- saving


@pytest.mark.slow
def test_saves_with_a_hung_redis_are_fast_and_say_delayed(app, planner, api, own_valkey):
    state, url, _ = own_valkey
    app.config["REDIS_URL"] = url
    klant, ptype = klant_and_type()
    base = wizard_up_to_controle(planner, klant, ptype)
    hang(state)  # accepts connections (the kernel does), never answers: the worst case

    resp, took = timed(lambda: planner.post(f"{base}/controle", data={"actie": "opslaan"}))
    assert resp.status_code == 303, resp.get_data(as_text=True)
    assert took < FAST, f"opslaan via de wizard duurde {took:.2f} s"
    page = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert DELAYED in page

    enqueue._down_until.clear()  # the API save pays the timeout itself too
    resp, took = timed(lambda: api.post("/api/v1/contracten", json=api_body(klant)))
    assert resp.status_code == 201, resp.get_json()
    assert took < FAST, f"opslaan via de API duurde {took:.2f} s"
    assert resp.get_json()["notice"] == DELAYED

    with connection():
        saved = list(Contract.select().order_by(Contract.id))
    assert len(saved) == 2
    assert all(c.next_attention is not None and c.generated_through is None for c in saved)


def test_after_a_failure_saves_do_not_try_redis_for_a_while(app, api, own_valkey, monkeypatch):
    """A burst of saves during an outage costs nothing: only the first one tries Redis. Shown
    with a Redis that is back at once: the next save still does not try (no job queued), the
    first save after the quiet period does."""
    state, url, _ = own_valkey
    app.config["REDIS_URL"] = url
    monkeypatch.setattr(enqueue, "QUIET_AFTER_FAILURE", 0.5)
    klant, _ = klant_and_type()
    queue = Queue(QUEUE, connection=Redis.from_url(url))

    hang(state)
    first = api.post("/api/v1/contracten", json=api_body(klant, "Een"))
    resume(state)
    second = api.post("/api/v1/contracten", json=api_body(klant, "Twee"))
    assert first.get_json()["notice"] == DELAYED and second.get_json()["notice"] == DELAYED
    assert queue.count == 0

    deadline = time.monotonic() + 10
    while enqueue.recently_down(url):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    third = api.post("/api/v1/contracten", json=api_body(klant, "Drie"))
    assert "notice" not in third.get_json()
    assert queue.count == 1


# --------------------------------------------------------------------------- health


def test_health_with_a_hung_redis_answers_at_once(app, own_valkey):
    state, url, _ = own_valkey
    app.config["REDIS_URL"] = url
    hang(state)
    resp, took = timed(lambda: app.test_client().get("/api/v1/health"))
    assert took < FAST, f"de gezondheidscontrole duurde {took:.2f} s"
    assert resp.status_code == 200
    body = resp.get_json()
    assert (body["status"], body["down"]) == ("degraded", ["redis"])
    assert body["redis"].startswith("fout: Timeout")


def test_status_panel_says_what_is_down(app, beheerder, tmp_path):
    app.config["REDIS_URL"] = f"unix://{tmp_path}/nothing.sock"
    html = beheerder.get("/instellingen/status").get_data(as_text=True)
    assert "Redis is niet bereikbaar: er worden nu geen werkbonnen gemaakt." in html
    assert "Opslaan werkt gewoon" in html
    assert html.count("onbekend (Redis is niet bereikbaar)") == 3  # workers, cron, failed


def test_workers_and_cron_of_a_previous_redis_do_not_count(app, beheerder, tmp_path_factory):
    """The append-only file brings back the registrations of a worker and a cron process that
    died with the previous Redis; the health endpoint and the status panel must not count them,
    and must count a worker that registers with the new Redis."""
    directory = tmp_path_factory.mktemp("vk")
    proc, url = redis_server.start(directory, persistent=True)
    app.config["REDIS_URL"] = url
    try:
        conn = Redis.from_url(url)
        queue = Queue(QUEUE, connection=conn)
        dead = SimpleWorker([queue], connection=conn, name="met-oude-redis")
        dead.register_birth()
        cron = CronScheduler(connection=conn, name="cron-met-oude-redis")
        cron.register_birth()
        # Their last heartbeat, a while before Redis went away (an idle worker beats every
        # few minutes, a cron process every minute).
        long_ago = datetime.now(UTC) - timedelta(seconds=60)
        conn.hset(dead.key, "last_heartbeat", utcformat(long_ago))
        conn.zadd("rq:cron_schedulers", {cron.name: long_ago.timestamp()})
        conn.close()
        redis_server.stop(proc)  # SIGTERM: the append-only file is complete

        proc, url_again = redis_server.start(directory, persistent=True)
        assert url_again == url
        conn = Redis.from_url(url)
        assert Worker.count(connection=conn) == 1  # the stale registration is really back
        assert conn.zcard("rq:cron_schedulers") == 1
        body = app.test_client().get("/api/v1/health").get_json()
        assert (body["workers"], body["cron"]) == (0, 0)
        assert (body["status"], body["down"]) == ("degraded", ["workers", "cron"])
        assert "Er heeft zich geen worker gemeld" in beheerder.get("/instellingen/status").get_data(
            as_text=True)

        alive = SimpleWorker([Queue(QUEUE, connection=conn)], connection=conn, name="nieuw")
        alive.register_birth()
        body = app.test_client().get("/api/v1/health").get_json()
        assert (body["workers"], body["down"]) == (1, ["cron"])
        alive.register_death()
        conn.close()
    finally:
        redis_server.stop(proc)


def test_forget_worker_removes_only_that_process(redis_conn, redis_url):
    """What the launcher calls when its worker died without deregistering (SIGKILL)."""
    queue = Queue(QUEUE, connection=redis_conn)
    here = SimpleWorker([queue], connection=redis_conn, name="gesneuveld")
    here.register_birth()  # pid: this process, hostname: this machine
    other = SimpleWorker([queue], connection=redis_conn, name="ander-proces")
    other.register_birth()
    redis_conn.hset(other.key, "pid", os.getpid() + 1)
    assert forget_worker(os.getpid(), socket.gethostname(), redis_url) == 1
    assert [w.name for w in Worker.all(connection=redis_conn)] == ["ander-proces"]
    other.register_death()


# --------------------------------------------------------------------------- catching up


def test_catch_up_makes_what_a_lost_job_would_have_made(app, api, own_valkey):
    """A contract saved while Redis was down has no job; the catch-up (every minute, from
    jobs/cron.py) finds it in the database and generates it, once. A contract the sweep could
    not read, saved before the newest sweep, stays the sweep's: the catch-up does not retry it
    every minute. (The job functions are called directly here: a real worker runs them from
    the real cron process in tests/test_launcher.py.)"""
    klant, _ = klant_and_type()
    broken = api.post("/api/v1/contracten", json=api_body(klant, "Onleesbaar")).get_json()
    with connection():
        Contract.update(rrule="FREQ=NOOIT").where(Contract.id == broken["id"]).execute()
    assert tasks.materialise_due()["created"] == 0

    state, url, _ = own_valkey
    app.config["REDIS_URL"] = url
    redis_server.stop(state["proc"])  # Redis gone while the planner saves
    resp = api.post("/api/v1/contracten", json=api_body(klant, "Tijdens storing", lead=3))
    assert resp.status_code == 201 and resp.get_json()["notice"] == DELAYED
    saved = resp.get_json()["id"]
    with connection():
        assert Werkbon.select().count() == 0
        runs = GenerationRun.select().count()

    assert tasks.catch_up() == {"created": 4, "contracts": 1}
    with connection():
        made = [w.due_date for w in Werkbon.select().where(Werkbon.contract == saved)
                .order_by(Werkbon.due_date)]
        contract = Contract.get_by_id(saved)
    today = contract.generate_from
    assert made == [today + timedelta(days=n) for n in range(4)]
    assert contract.generated_through is not None

    assert tasks.catch_up() == {"created": 0, "contracts": 0}
    with connection():
        assert Werkbon.select().count() == 4
        assert GenerationRun.select().count() == runs + 1  # nothing to do writes nothing
