"""Webhooks (issue #21, item 5): events written to the outbox in the transaction of the change,
delivered by the worker's drain to a real receiver on 127.0.0.1 (tests/webhook_receiver.py,
which checks each signature with the README's code), retried after a 500 and after a timeout,
never to an event the webhook did not ask for, never twice by two drains at once, and not lost
when Redis is down between the change and the delivery."""

import json
import threading
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.db import connection, write_transaction
from models.db.base import utcnow
from models.stamdata.instellingen import SlaBeleid
from models.stamdata.klanten import Klant
from models.webhooks import delivery, outbox, send, subscriptions
from models.webhooks.tables import EVENTS, MAX_ATTEMPTS, Webhook, WebhookAttempt, WebhookDelivery
from tests.test_redis_outage import own_valkey  # noqa: F401 - a Valkey this test may stop
from tests.webhook_receiver import Receiver

ON_POSTGRESQL = True  # tests/conftest.py: each test that uses `app` runs on both databases

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.stop()


def subscribe(receiver, events, path="/hook") -> Webhook:
    """A webhook to the receiver (which learns its secret), as Instellingen saves one."""
    with connection():
        clean, errors = subscriptions.check(
            {"url": receiver.url(path), "events": list(events)}, allow_private=True)
        assert errors == {}
        hook, secret = subscriptions.create(clean, "test")
    receiver.secret = secret
    return hook


def drain(**kw):
    kw.setdefault("allow_private", True)  # the receiver is on 127.0.0.1
    kw.setdefault("timeout", 2.0)
    with connection():
        return delivery.drain(**kw)


def deliveries(**where) -> list[WebhookDelivery]:
    with connection():
        query = WebhookDelivery.select().order_by(WebhookDelivery.id)
        for name, value in where.items():
            query = query.where(getattr(WebhookDelivery, name) == value)
        return list(query)


@pytest.fixture
def storingsdienst(app):
    """A klant with a correctief contract (storingen) and a preventief one."""
    with connection():
        klant = Klant.create(customer_number="D-5", name="Hotel Aan de Maas")
        sla = SlaBeleid.get(SlaBeleid.code == "STANDAARD")
        values, errors = contract_checks.check({
            "klant_id": klant.id, "contracttype": "correctief", "description": "Storingsdienst",
            "start_date": "2026-01-01", "sla_beleid_id": sla.id})
        assert not errors
        contract = contract_service.create(values, "test", date(2026, 1, 1))
    return {"klant": klant.id, "contract": contract.id}


def report(api, ids, description="Cv-ketel geeft foutcode"):
    resp = api.post("/api/v1/werkbonnen", json={
        "klant_id": ids["klant"], "contract_id": ids["contract"], "prioriteit": "Hoog",
        "description": description, "reported_at": "2026-11-20T16:00:00+01:00"})
    assert resp.status_code == 201, resp.get_json()
    return resp.get_json()


# --------------------------------------------------------------------------- delivery


def test_a_signed_event_reaches_the_receiver_and_only_the_events_it_asked_for(
        api, storingsdienst, receiver):
    hook = subscribe(receiver, ["storing.gemeld"])
    werkbon = report(api, storingsdienst)
    # the same change also made a werkbon.aangemaakt: nobody asked for it, so no row at all
    assert [d.event for d in deliveries()] == ["storing.gemeld"]

    assert drain() == {"delivered": 1, "retry": 0, "failed": 0}
    [got] = receiver.received
    assert got["verified"], got["headers"]
    assert got["path"] == "/hook"
    assert got["headers"]["Content-Type"] == "application/json"
    body = got["json"]
    assert body["type"] == "storing.gemeld"
    assert body["data"]["id"] == werkbon["id"] and body["data"]["number"] == werkbon["number"]
    assert body["data"]["klant_id"] == storingsdienst["klant"]
    assert body["data"]["reported_at"] == "2026-11-20T15:00:00Z"  # UTC
    assert set(body) == {"type", "timestamp", "data"}
    [sent] = deliveries()
    assert sent.state == "delivered" and sent.attempts == 1 and sent.webhook_id == hook.id
    assert got["headers"]["webhook-id"] == sent.message_id
    with connection():
        [attempt] = WebhookAttempt.select()
    assert (attempt.status, attempt.number, attempt.error) == (204, 1, "")
    assert drain() == {"delivered": 0, "retry": 0, "failed": 0}  # nothing twice
    assert len(receiver.received) == 1


def test_a_tampered_body_fails_the_receivers_check(receiver):
    """The check can fail: the README's code refuses a body that was changed after signing."""
    secret = send.new_secret()
    body = b'{"type":"werkbon.aangemaakt"}'
    stamp = int(datetime.now().timestamp())
    headers = {"webhook-id": "msg_1", "webhook-timestamp": str(stamp),
               "webhook-signature": send.sign(secret, "msg_1", stamp, body)}
    from tests.webhook_receiver import verify

    assert verify(secret, headers, body)
    assert not verify(secret, headers, body + b" ")
    assert not verify(send.new_secret(), headers, body)
    assert not verify(secret, {**headers, "webhook-timestamp": str(stamp - 3600)}, body)


def test_the_signature_matches_the_standard_webhooks_reference():
    """The example of the Standard Webhooks reference libraries (the same value comes out of
    `standardwebhooks.Webhook(secret).sign(...)` 1.3.0): our signing agrees with theirs, not
    only with our own receiver."""
    assert send.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                     1614265330, b'{"test": 2432232314}') \
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_readme_gives_receivers_the_code_that_checks_our_signature():
    """The snippet in README.md (Webhooks) is the receiver's `verify` here, and it accepts what
    send.sign makes."""
    import inspect
    import re
    import textwrap
    from pathlib import Path

    from tests import webhook_receiver

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    snippet = next(block for block in re.findall(r"```python\n(.*?)```", readme, re.S)
                   if "def verify" in block)
    ours = textwrap.dedent(inspect.getsource(webhook_receiver.verify))
    ours = re.sub(r'\n    """.*?"""', "", ours, flags=re.S)  # its docstring is ours
    assert ours.strip() in snippet
    namespace = {}
    exec(snippet, namespace)  # noqa: S102 - our own README
    secret, body = send.new_secret(), b'{"type":"contract.gewijzigd"}'
    stamp = int(datetime.now().timestamp())
    headers = {"webhook-id": "msg_2", "webhook-timestamp": str(stamp),
               "webhook-signature": "v1,ongeldig " + send.sign(secret, "msg_2", stamp, body)}
    assert namespace["verify"](secret, headers, body)
    assert not namespace["verify"](secret, headers, body[:-1])


def test_a_500_is_retried_after_the_backoff_with_the_same_id(api, storingsdienst, receiver):
    subscribe(receiver, ["werkbon.aangemaakt"])
    report(api, storingsdienst)
    receiver.script = [500, 204]
    start = utcnow()
    assert drain(now=start) == {"delivered": 0, "retry": 1, "failed": 0}
    [waiting] = deliveries()
    assert waiting.state == "pending" and waiting.attempts == 1 and waiting.last_status == 500
    assert waiting.next_attempt_at == start + timedelta(seconds=delivery.BACKOFF[0])
    assert "500" in waiting.last_error
    assert drain(now=start + timedelta(seconds=10)) == {"delivered": 0, "retry": 0, "failed": 0}
    assert len(receiver.received) == 1  # not due yet
    assert drain(now=start + timedelta(seconds=31))["delivered"] == 1
    first, second = receiver.received
    assert first["verified"] and second["verified"]
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    assert first["body"] == second["body"]
    with connection():
        log = [(a.number, a.status) for a in WebhookAttempt.select().order_by(WebhookAttempt.id)]
    assert log == [(1, 500), (2, 204)]


def test_a_receiver_that_does_not_answer_in_time_is_tried_again(api, storingsdienst, receiver):
    subscribe(receiver, ["werkbon.aangemaakt"])
    report(api, storingsdienst)
    receiver.script = [("pause", 3.0, 204), 204]
    start = utcnow()
    assert drain(now=start, timeout=0.5) == {"delivered": 0, "retry": 1, "failed": 0}
    [waiting] = deliveries()
    assert waiting.last_status is None
    assert waiting.last_error == "Geen (volledig) antwoord binnen 0.5 s."
    with connection():
        [attempt] = WebhookAttempt.select()
    assert attempt.duration_ms < 2500  # cut off at the deadline, not when the receiver answered
    assert drain(now=start + timedelta(seconds=31), timeout=0.5)["delivered"] == 1
    assert len(receiver.received) == 2 and all(r["verified"] for r in receiver.received)


def test_after_the_last_attempt_a_delivery_has_failed(api, storingsdienst, receiver):
    subscribe(receiver, ["werkbon.aangemaakt"])
    report(api, storingsdienst)
    receiver.script = [503] * MAX_ATTEMPTS
    moment = utcnow()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        outcome = drain(now=moment)
        assert outcome == ({"delivered": 0, "retry": 0, "failed": 1} if attempt == MAX_ATTEMPTS
                           else {"delivered": 0, "retry": 1, "failed": 0}), attempt
        if attempt < MAX_ATTEMPTS:
            moment += timedelta(seconds=delivery.BACKOFF[attempt - 1])
    [dead] = deliveries()
    assert (dead.state, dead.attempts) == ("failed", MAX_ATTEMPTS)
    assert len(receiver.received) == MAX_ATTEMPTS
    assert timedelta(hours=23) < moment - dead.created_at < timedelta(hours=25)  # about a day
    assert drain(now=moment + timedelta(days=2))["failed"] == 0  # not tried again by itself


def test_a_redirect_is_not_followed(api, storingsdienst, receiver):
    subscribe(receiver, ["werkbon.aangemaakt"])
    report(api, storingsdienst)
    receiver.script = [("redirect", receiver.url("/elders"))]
    assert drain()["retry"] == 1
    assert [r["path"] for r in receiver.received] == ["/hook"]
    [waiting] = deliveries()
    assert waiting.last_status == 307 and "niet gevolgd" in waiting.last_error


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/", "http://localhost/x", "http://10.1.2.3/", "http://169.254.169.254/",
    "http://[::1]/", "http://[::ffff:127.0.0.1]/", "http://100.64.0.1/", "http://0.0.0.0/"])
def test_private_and_internal_addresses_are_refused_without_the_setting(url):
    assert "intern adres" in send.check_url(url, allow_private=False)
    assert send.check_url(url, allow_private=True) is None


@pytest.mark.parametrize("url, says", [
    ("ftp://voorbeeld.nl/", "http- of https"), ("voorbeeld.nl/hook", "http- of https"),
    ("https://wie:geheim@voorbeeld.nl/", "gebruikersnaam"), ("http://", "http- of https"),
    ("https://voorbeeld.nl/a b", "geen geldig adres"), ("http://x.invalid/", "niet te vinden"),
    ("http://[::1/", "geen geldig adres"), ("http://voorbeeld.nl:99999/", "geen geldig adres")])
def test_only_http_and_https_urls_without_credentials(url, says):
    assert says in send.check_url(url, allow_private=True)


def test_the_guard_holds_at_delivery_time_too(api, storingsdienst, receiver):
    """Saved while allowed (or the name pointed elsewhere then): the drain checks again."""
    subscribe(receiver, ["werkbon.aangemaakt"])
    report(api, storingsdienst)
    assert drain(allow_private=False)["retry"] == 1
    assert receiver.received == []
    assert "intern adres" in deliveries()[0].last_error


def test_two_drains_at_once_send_each_delivery_once(app, receiver):
    hook = subscribe(receiver, ["contract.gewijzigd"])
    with connection(), write_transaction():
        outbox.emit_many("contract.gewijzigd", [{"id": n} for n in range(40)])
    receiver.pause = 0.02
    results, failures = [], []

    def run():
        try:
            results.append(drain())
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            failures.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert sum(r["delivered"] for r in results) == 40
    assert all(r["delivered"] for r in results), results  # both really worked
    assert {(d.state, d.attempts) for d in deliveries(webhook=hook.id)} == {("delivered", 1)}


@pytest.mark.slow
def test_two_worker_processes_send_each_event_exactly_once(app, receiver, redis_conn, redis_url,
                                                           tmp_path, monkeypatch):
    """Two real `rq worker` processes (the forking Worker, as in production) each run the
    worker's job (jobs.tasks.deliver_webhooks) at the same time: the receiver holds its answers
    until both are sending, and still gets every event once, each with one attempt."""
    from rq import Queue

    from jobs.connection import QUEUE
    from tests.test_generation_robustness import blocked_clients, logs, reap, spawn_worker

    hook = subscribe(receiver, ["contract.gewijzigd"])
    count = 2 * delivery.BATCH
    with connection(), write_transaction():
        outbox.emit_many("contract.gewijzigd", [{"id": n} for n in range(count)])
    receiver.together = 2  # no answer before two deliveries are in flight at once
    monkeypatch.setenv("CADANS_WEBHOOKS_ALLOW_PRIVATE", "1")
    monkeypatch.setenv("CADANS_WEBHOOK_TIMEOUT", "30")  # the hold must not count as silence
    queue = Queue(QUEUE, connection=redis_conn)
    log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    procs = []
    try:
        procs.append(spawn_worker(app, redis_url, "bezorger-a", log_a, max_jobs=1))
        procs.append(spawn_worker(app, redis_url, "bezorger-b", log_b, max_jobs=1))
        deadline = time.monotonic() + 60
        while blocked_clients(redis_conn) < 2:  # both wait for work: each takes one job
            assert time.monotonic() < deadline, logs(log_a, log_b)
            assert all(p.poll() is None for p in procs), logs(log_a, log_b)
            time.sleep(0.02)
        jobs = queue.enqueue_many([Queue.prepare_data("jobs.tasks.deliver_webhooks",
                                                      timeout=600, result_ttl=600)
                                   for _ in range(2)])
        codes = [p.wait(120) for p in procs]
    finally:
        reap(procs)
    assert codes == [0, 0], logs(log_a, log_b)
    for job in jobs:
        job.refresh()
    assert {job.worker_name for job in jobs} == {"bezorger-a", "bezorger-b"}
    results = [job.return_value() for job in jobs]
    assert receiver.most_at_once >= 2  # they really overlapped
    ids = [r["headers"]["webhook-id"] for r in receiver.received]
    assert len(ids) == count and len(set(ids)) == count, results
    assert all(r["verified"] for r in receiver.received)
    assert sum(r["delivered"] for r in results) == count
    assert all(r["delivered"] for r in results), results  # both really sent
    assert {(d.state, d.attempts) for d in deliveries(webhook=hook.id)} == {("delivered", 1)}


def test_a_claim_of_a_drain_that_died_is_taken_over_after_its_lease(app, receiver):
    subscribe(receiver, ["contract.gewijzigd"])
    with connection(), write_transaction():
        outbox.emit("contract.gewijzigd", {"id": 1})
    now = utcnow()
    with connection():
        claimed = delivery._claim(now, 2.0, set())  # a drain that then died
    assert len(claimed) == 1
    assert drain(now=now)["delivered"] == 0  # its lease still runs
    assert drain(now=claimed[0].claimed_until + timedelta(seconds=1))["delivered"] == 1


# --------------------------------------------------------------------------- the outbox


def test_a_change_that_rolls_back_reports_nothing(api, receiver):
    """The event is written in the transaction of the change: the contract edit emits
    contract.gewijzigd inside update(), and when the save then fails (the werkbonnen changed
    since Controle) both go."""
    from models.contracts.tables import Contract
    from models.werkbonnen import replan

    subscribe(receiver, ["contract.gewijzigd", "contract.aangemaakt"])
    with connection():
        klant = Klant.create(customer_number="D-1", name="Jansen")
    resp = api.post("/api/v1/contracten", json={
        "klant_id": klant.id, "contracttype": "preventief",
        "description": "Onderhoud", "start_date": "2026-01-01",
        "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}})
    assert resp.status_code == 201
    with connection():
        contract = Contract.get_by_id(resp.get_json()["id"])
        values, errors = contract_checks.check({
            "klant_id": contract.klant_id, "contracttype": "preventief", "description": "Anders",
            "start_date": "2026-01-01", "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=2"}},
            current=contract)
        assert errors == {}
        with pytest.raises(replan.PlanChanged):
            replan.save_edit(contract, values, contract.version, "test", date(2026, 1, 1),
                             shown="niet wat Controle liet zien")
        assert Contract.get_by_id(contract.id).description == "Onderhoud"
    assert [d.event for d in deliveries()] == ["contract.aangemaakt"]


def test_nothing_is_written_when_no_webhook_wants_the_event(api, storingsdienst, receiver):
    subscribe(receiver, ["contract.beeindigd"])
    report(api, storingsdienst)
    assert deliveries() == []
    with connection():
        Webhook.update(active=False).execute()
        assert outbox.subscribers("contract.beeindigd") == []


def test_every_event_at_its_change_point(app, api, planner, storingsdienst, receiver, runner):
    """One webhook for every event; each kind of change writes its events, with the API's
    shape as data."""
    from models.contracts.tables import Contract
    from models.werkbonnen.tables import Werkbon
    from views.today import local_today

    subscribe(receiver, list(EVENTS))
    with app.app_context():
        today = local_today()

    def events_since(mark):
        return [(d.event, json.loads(d.payload)["data"]) for d in deliveries() if d.id > mark]

    def mark():
        found = deliveries()
        return found[-1].id if found else 0

    # an API POST: contract.aangemaakt
    medewerker = api.post("/api/v1/medewerkers", json={"personnel_number": "P1",
                                                       "name": "Piet"}).get_json()
    start = today - timedelta(days=40)
    resp = api.post("/api/v1/contracten", json={
        "klant_id": storingsdienst["klant"], "contracttype": "preventief",
        "description": "Onderhoud", "start_date": start.isoformat(), "days_in_advance": 30,
        "schedule": {"rrule": "FREQ=WEEKLY"}})
    contract = resp.get_json()
    assert [e for e, _ in events_since(0)] == ["contract.aangemaakt"]
    assert events_since(0)[0][1]["id"] == contract["id"]

    # the sweep (the worker's code path, through the CLI): werkbon.aangemaakt per werkbon
    before = mark()
    result = runner.invoke(args=["generate"])
    assert result.exit_code == 0, result.output
    with connection():
        made = {w.id for w in Werkbon.select().where(Werkbon.contract == contract["id"])}
    assert made and {d["id"] for e, d in events_since(before)} == made
    assert {e for e, _ in events_since(before)} == {"werkbon.aangemaakt"}

    # a PATCH that gives the waiting werkbonnen a medewerker: contract.gewijzigd, and
    # werkbon.gewijzigd for each werkbon that follows
    before = mark()
    resp = api.patch(f"/api/v1/contracten/{contract['id']}",
                     json={"version": contract["version"],
                           "werkbon": {"medewerker_id": medewerker["id"]}})
    assert resp.status_code == 200, resp.get_json()
    changed = events_since(before)
    assert changed[0][0] == "contract.gewijzigd"
    assert changed[0][1]["werkbon"]["medewerker_id"] == medewerker["id"]
    followed = {d["id"] for e, d in changed if e == "werkbon.gewijzigd"}
    assert followed and all(d["medewerker_id"] == medewerker["id"]
                            for e, d in changed if e == "werkbon.gewijzigd")

    # a person's change through the API, up to afgerond: werkbon.gewijzigd (+ afgerond)
    target = min(followed)
    for status in ("onderweg", "in_uitvoering"):
        assert api.patch(f"/api/v1/werkbonnen/{target}", json={"status": status}) \
            .status_code == 200
    before = mark()
    assert api.patch(f"/api/v1/werkbonnen/{target}", json={"status": "afgerond"}) \
        .status_code == 200
    assert [(e, d["id"], d["status"]) for e, d in events_since(before)] == [
        ("werkbon.gewijzigd", target, "afgerond"), ("werkbon.afgerond", target, "afgerond")]

    # ending the contract (the form): contract.beeindigd, werkbon.gewijzigd for the cancelled
    from models.stamdata.instellingen import Beeindigingsreden

    with connection():
        reason = Beeindigingsreden.select().first().code
    before = mark()
    end = today.isoformat()
    resp = planner.post(f"/contracten/{contract['id']}/beeindigen",
                        data={"end_date": end, "reason": reason, "comment": "",
                              "bevestigd": f"{end}/{reason}"})
    assert resp.status_code == 303, resp.get_data(as_text=True)
    ended = events_since(before)
    assert ended[-1][0] == "contract.beeindigd" and ended[-1][1]["end_date"] == end
    assert ended[-1][1]["end_reason"]  # the reason's text
    with connection():
        cancelled = {w.id for w in Werkbon.select().where(Werkbon.contract == contract["id"],
                                                          Werkbon.status == "geannuleerd")}
        assert Contract.get_by_id(contract["id"]).terminated_on is not None
    assert cancelled and {d["id"] for e, d in ended if e == "werkbon.gewijzigd"} == cancelled

    # a storing: werkbon.aangemaakt and storing.gemeld
    before = mark()
    werkbon = report(api, storingsdienst)
    assert [(e, d["id"]) for e, d in events_since(before)] == [
        ("werkbon.aangemaakt", werkbon["id"]), ("storing.gemeld", werkbon["id"])]

    # and all of them arrive, signed
    drain()
    assert len(receiver.received) == len(deliveries())
    assert all(r["verified"] for r in receiver.received)


def test_werkbon_events_carry_werkadres_and_objecten_as_the_api_does(
        app, api, storingsdienst, receiver, runner):
    """Issue #17: the data of a werkbon event is the API's werkbon (GET /werkbonnen/{id}
    without the SLA fields), so with werkadres_id and object_ids: the sweep's werkbonnen of a
    contract per object, a person's change, and a storing (no objecten)."""
    from models.objecten.tables import Object, Objecttype, Werkadres
    from views.today import local_today

    subscribe(receiver, ["werkbon.aangemaakt", "werkbon.gewijzigd", "storing.gemeld"])
    with connection():
        place = Werkadres.create(klant=storingsdienst["klant"], name="Kelder", street="Kade",
                                 house_number="1", postcode="3011 AB", city="Rotterdam")
        kind = Objecttype.select().first()
        objects = [Object.create(number=f"KET-{n}", werkadres=place, objecttype=kind).id
                   for n in (1, 2)]
    with app.app_context():
        today = local_today()
    resp = api.post("/api/v1/contracten", json={
        "klant_id": storingsdienst["klant"], "contracttype": "preventief",
        "description": "Onderhoud ketels", "start_date": today.isoformat(),
        "days_in_advance": 10, "schedule": {"rrule": "FREQ=WEEKLY"},
        "werkbon_per": "object", "object_ids": objects})
    assert resp.status_code == 201, resp.get_json()
    assert runner.invoke(args=["generate"]).exit_code == 0

    def sent(event):
        return [json.loads(d.payload)["data"] for d in deliveries(event=event)]

    def api_werkbon(werkbon_id):
        found = api.get(f"/api/v1/werkbonnen/{werkbon_id}").get_json()
        return {k: v for k, v in found.items()
                if k not in ("response_due", "resolve_due", "sla_state")}

    created = sent("werkbon.aangemaakt")
    assert created and {tuple(d["object_ids"]) for d in created} == {(objects[0],),
                                                                      (objects[1],)}
    assert all(d["werkadres_id"] == place.id for d in created)
    assert all(d == api_werkbon(d["id"]) for d in created)

    target = created[0]["id"]
    resp = api.patch(f"/api/v1/werkbonnen/{target}",
                     json={"status": "geannuleerd", "cancel_reason": "Ketel vervangen"})
    assert resp.status_code == 200, resp.get_json()
    [changed] = sent("werkbon.gewijzigd")
    assert changed == api_werkbon(target) and changed["object_ids"] == created[0]["object_ids"]

    storing = report(api, storingsdienst)
    [reported] = sent("storing.gemeld")
    assert (reported["id"], reported["werkadres_id"], reported["object_ids"]) == (
        storing["id"], None, [])


# --------------------------------------------------------------------------- Redis down


@pytest.mark.slow
def test_no_event_is_lost_when_redis_is_down_between_change_and_delivery(
        app, api, storingsdienst, receiver, own_valkey, monkeypatch):  # noqa: F811
    """Stop the real Valkey, make the change (the API still saves), start Valkey again, let
    `rq cron`'s schedule enqueue its jobs and a real worker run them: the receiver gets it."""
    import sys

    from redis import Redis
    from rq import Queue, SimpleWorker
    from rq.cron import CronScheduler

    from jobs import redis_server
    from jobs.connection import QUEUE

    state, url, directory = own_valkey
    app.config["REDIS_URL"] = url
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("CADANS_WEBHOOKS_ALLOW_PRIVATE", "1")
    subscribe(receiver, ["storing.gemeld"])

    redis_server.stop(state["proc"])
    werkbon = report(api, storingsdienst)
    assert receiver.received == []
    state["proc"], again = redis_server.start(directory, persistent=False)
    assert again == url

    conn = Redis.from_url(url)
    sys.modules.pop("jobs.cron", None)
    scheduler = CronScheduler(connection=conn)
    scheduler.load_config_from_file("jobs.cron")
    scheduler.enqueue_jobs()  # what a freshly started `rq cron` does at once
    queue = Queue(QUEUE, connection=conn)
    assert "jobs.tasks.deliver_webhooks" in [j.func_name for j in queue.get_jobs()]
    SimpleWorker([queue], connection=conn).work(burst=True)

    [got] = receiver.received
    assert got["verified"] and got["json"]["data"]["id"] == werkbon["id"]
    assert deliveries()[0].state == "delivered"


# --------------------------------------------------------------------------- Instellingen


def test_beheerder_registers_a_webhook_and_sees_its_secret_once(app, beheerder, receiver):
    page = beheerder.get("/instellingen/webhooks").get_data(as_text=True)
    assert "Nieuwe webhook" in page and "storing.gemeld" in page

    refused = beheerder.post("/instellingen/webhooks", data={
        "url": receiver.url(), "events": ["storing.gemeld"], "description": "Portaal"})
    assert refused.status_code == 422  # 127.0.0.1 without CADANS_WEBHOOKS_ALLOW_PRIVATE
    html = refused.get_data(as_text=True)
    assert "intern adres" in html and 'value="Portaal"' in html  # the input stays

    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    for data, field_message in (({"url": "ftp://x.nl/", "events": ["storing.gemeld"]},
                                 "http- of https"),
                                ({"url": receiver.url()}, "Kies minstens één event")):
        resp = beheerder.post("/instellingen/webhooks", data=data)
        assert resp.status_code == 422 and field_message in resp.get_data(as_text=True)
    with connection():
        assert Webhook.select().count() == 0

    resp = beheerder.post("/instellingen/webhooks", data={
        "url": receiver.url(), "events": ["storing.gemeld", "werkbon.afgerond"]})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    with connection():
        hook = Webhook.get()
    assert hook.events == "werkbon.afgerond storing.gemeld"
    html = resp.get_data(as_text=True)
    assert hook.secret in html and hook.secret.startswith("whsec_")
    again = beheerder.get(f"/instellingen/webhooks/{hook.id}").get_data(as_text=True)
    assert hook.secret not in again  # shown once
    listing = beheerder.get("/instellingen/webhooks").get_data(as_text=True)
    assert receiver.url() in listing and hook.secret not in listing

    new = beheerder.post(f"/instellingen/webhooks/{hook.id}/geheim")
    with connection():
        rotated = Webhook.get_by_id(hook.id).secret
    assert rotated != hook.secret and rotated in new.get_data(as_text=True)


def test_the_webhook_page_logs_deliveries_and_sends_one_again(app, beheerder, receiver,
                                                              redis_url):
    hook = subscribe(receiver, ["contract.gewijzigd"])
    with connection(), write_transaction():
        outbox.emit("contract.gewijzigd", {"id": 7})
    receiver.script = [500]
    drain()
    page = beheerder.get(f"/instellingen/webhooks/{hook.id}").get_data(as_text=True)
    [sent] = deliveries()
    assert sent.message_id in page and "HTTP 500" in page and "Opnieuw versturen" in page

    # CSRF: a POST without the token changes nothing
    assert beheerder.client.post(f"/instellingen/webhooks/verzendingen/{sent.id}/opnieuw") \
        .status_code == 400
    resp = beheerder.post(f"/instellingen/webhooks/verzendingen/{sent.id}/opnieuw")
    assert resp.status_code == 303
    [due] = deliveries()
    assert due.next_attempt_at <= utcnow() and due.state == "pending"
    drain()  # what the job it queued does
    assert len(receiver.received) == 2 and deliveries()[0].state == "delivered"

    # a delivered one can be sent again too: one more attempt, the same webhook-id
    beheerder.post(f"/instellingen/webhooks/verzendingen/{sent.id}/opnieuw")
    drain()
    assert [r["headers"]["webhook-id"] for r in receiver.received] == [sent.message_id] * 3
    page = beheerder.get(f"/instellingen/webhooks/{hook.id}").get_data(as_text=True)
    assert page.count("HTTP 204") == 2


def test_a_webhook_switched_off_gets_nothing(app, beheerder, receiver):
    app.config["WEBHOOKS_ALLOW_PRIVATE"] = True
    hook = subscribe(receiver, ["contract.gewijzigd"])
    with connection(), write_transaction():
        outbox.emit("contract.gewijzigd", {"id": 1})
    resp = beheerder.post(f"/instellingen/webhooks/{hook.id}", data={
        "url": receiver.url(), "events": ["contract.gewijzigd"]})  # "active" unticked
    assert resp.status_code == 303
    with connection(), write_transaction():
        assert outbox.emit("contract.gewijzigd", {"id": 2}) == 0
    assert drain()["delivered"] == 0 and receiver.received == []
    beheerder.post(f"/instellingen/webhooks/{hook.id}/verwijderen")
    assert deliveries() == []


def test_only_a_beheerder_manages_webhooks_and_tokens(planner):
    for path in ("/instellingen/webhooks", "/instellingen/api-tokens"):
        assert planner.get(path).status_code == 403
        assert planner.post(path, data={}).status_code == 403


def test_prune_forgets_old_finished_deliveries(app, receiver):
    subscribe(receiver, ["contract.gewijzigd"])
    with connection(), write_transaction():
        outbox.emit_many("contract.gewijzigd", [{"id": 1}, {"id": 2}, {"id": 3}])
    drain()
    old = utcnow() - timedelta(days=40)
    first, second, third = deliveries()
    with connection():
        WebhookDelivery.update(created_at=old).where(
            WebhookDelivery.id.in_([first.id, second.id])).execute()
        WebhookDelivery.update(state="pending").where(WebhookDelivery.id == second.id).execute()
        assert delivery.prune() == 1
    assert [d.id for d in deliveries()] == [second.id, third.id]
    with connection():
        assert WebhookAttempt.select().where(WebhookAttempt.delivery == first.id).count() == 0
