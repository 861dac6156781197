"""`make run` with the real processes: supervision, a Redis outage, and stopping (issue #14).

Each test starts the real `make run` (launcher, Valkey, `rq worker`, `rq cron`, gunicorn) with
its own instance folder and port, drives it over HTTP and with signals, and checks by pid (and
start time, so a reused pid does not count) that nothing it started is left running.

How GNU make 4.3 passes signals on (checked here): the launcher is make's only child (the
recipe line is `exec`ed). A SIGTERM sent to make is passed on to the launcher. A SIGINT sent to
the make process alone is NOT: make only waits for its child, expecting the terminal to have
sent the same SIGINT to the whole foreground process group, which is what Ctrl-C does. So the
tests send SIGTERM to make, SIGINT to make's process group (Ctrl-C), and SIGINT to the launcher.
"""

import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from redis.exceptions import RedisError

from jobs import redis_server
from jobs.enqueue import DELAYED

ROOT = Path(__file__).resolve().parent.parent
FLASK = ROOT / ".venv" / "bin" / "flask"

pytestmark = pytest.mark.slow


# --------------------------------------------------------------------------- processes


def stat(pid: int):
    """(state, ppid, start time) from /proc, or None when there is no such process."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[1].split()  # after "pid (comm)": state ppid ... starttime
    return fields[0], int(fields[1]), int(fields[19])


def cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


def descendants(root: int) -> dict[int, int]:
    """{pid: start time} of every process below `root`."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            info = stat(int(entry.name))
            if info is not None:
                parents[int(entry.name)] = info
    found, todo = {}, [root]
    while todo:
        parent = todo.pop()
        for pid, (_state, ppid, started) in parents.items():
            if ppid == parent and pid not in found:
                found[pid] = started
                todo.append(pid)
    return found


def running(pids: dict[int, int]) -> list[int]:
    """The processes of `pids` that still run (the same process: same start time, no zombie)."""
    left = []
    for pid, started in pids.items():
        info = stat(pid)
        if info is not None and info[2] == started and info[0] != "Z":
            left.append(pid)
    return left


def wait_until(condition, timeout: float, what: str, log=None):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: niet binnen {timeout:.0f} s" +
                                 (f"\n--- log\n{log()}" if log else ""))
        time.sleep(0.2)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- HTTP


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    """Cookies, CSRF tokens and no automatic redirects: what a form post really answers."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())

    def request(self, path, data=None, headers=None, method=None):
        headers = dict(headers or {})
        body = urllib.parse.urlencode(data).encode() if isinstance(data, dict) else data
        req = urllib.request.Request(self.base + path, data=body, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=15) as resp:
                return resp.status, resp.headers, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read().decode()

    def get(self, path, **kw):
        return self.request(path, **kw)

    def post_form(self, path, data, page):
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return self.request(path, data=dict(data, csrf_token=token))

    def json(self, method, path, token, body=None):
        data = json.dumps(body).encode() if body is not None else None
        return self.request(path, data=data, method=method,
                            headers={"Authorization": f"Bearer {token}",
                                     "Content-Type": "application/json"})


class MakeRun:
    """The real `make run` in a folder of its own, in its own process group (as in a terminal)."""

    def __init__(self, redis_url: str | None = None, catch_up: int = 3):
        self.dir = Path(tempfile.mkdtemp(prefix="cadans-", dir="/tmp"))  # short socket path
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.dir / "make-run.log"
        env = {k: v for k, v in os.environ.items()
               if k not in ("REDIS_URL", "DATABASE_URL", "SECRET_KEY", "CADANS_ENV")}
        env.update(CADANS_INSTANCE=str(self.dir / "instance"), PORT=str(self.port),
                   WEB_CONCURRENCY="1", CADANS_CATCH_UP_SECONDS=str(catch_up))
        if redis_url:
            env["REDIS_URL"] = redis_url
        self.env = env
        with open(self.log_path, "wb") as out:
            self.make = subprocess.Popen(["make", "--no-print-directory", "run"], cwd=ROOT,
                                         env=env, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.seen: dict[int, int] = {}

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def health(self):
        try:
            with urllib.request.urlopen(f"{self.base}/api/v1/health", timeout=5) as resp:
                return resp.status, json.loads(resp.read())
        except urllib.error.HTTPError as err:
            return err.code, json.loads(err.read())
        except OSError:
            return None, None

    def wait_for_health(self, check, timeout: float, what: str):
        def ok():
            status, body = self.health()
            return body if status == 200 and check(body) else None

        return wait_until(ok, timeout, what, self.log)

    def wait_until_up(self):
        wait_until(lambda: "Cadans draait op" in self.log() or self.make.poll() is not None,
                   120, "make run kwam niet op", self.log)
        assert self.make.poll() is None, self.log()
        self.remember()

    def launcher(self) -> int:
        [pid] = [p for p in descendants(self.make.pid) if "jobs.launcher" in cmdline(p)]
        return pid

    def children(self) -> dict[str, int]:
        """name -> pid of the launcher's direct children."""
        launcher = self.launcher()
        found = {}
        for pid in descendants(launcher):
            info = stat(pid)
            if info is None or info[1] != launcher or info[0] == "Z":
                continue
            args = " ".join(cmdline(pid))
            for name, mark in (("redis", "valkey-server"), ("worker", " worker "),
                               ("cron", " cron "), ("web", "gunicorn")):
                if mark in args:
                    found[name] = pid
        return found

    def remember(self) -> dict[int, int]:
        """Every process below make so far: all must be gone at the end."""
        self.seen.update(descendants(self.make.pid))
        return self.seen

    def demo_password(self, username: str) -> str:
        for line in (self.dir / "instance" / "demo-logins.txt").read_text().splitlines():
            name, _, rest = line.partition(" / ")
            if name == username:
                return rest.split()[0]
        raise AssertionError(f"geen demo-login voor {username}")

    def api_token(self, username: str) -> str:
        out = subprocess.run([str(FLASK), "--app", "app", "tokens", "create", username],
                             cwd=ROOT, env=self.env, capture_output=True, text=True, check=True)
        return out.stdout.strip()

    def login(self, username: str) -> Browser:
        browser = Browser(self.base)
        _, _, page = browser.get("/login")
        status, _, body = browser.post_form(
            "/login", {"username": username, "password": self.demo_password(username)}, page)
        assert status == 302, body
        return browser

    def stopped(self, timeout: float = 90) -> int:
        code = self.make.wait(timeout)
        wait_until(lambda: not running(self.seen), 10, "processen bleven draaien", self.log)
        return code

    def cleanup(self):
        """Whatever a failed test left: stop it all, by pid."""
        if self.make.poll() is None:
            try:
                os.kill(self.launcher(), signal.SIGTERM)
            except (ValueError, ProcessLookupError):
                pass
            try:
                self.make.wait(60)
            except subprocess.TimeoutExpired:
                pass
        for pid in running(self.seen):
            os.kill(pid, signal.SIGKILL)
        if self.make.poll() is None:
            self.make.kill()
            self.make.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def make_run():
    runs = []

    def start(**kwargs) -> MakeRun:
        runs.append(MakeRun(**kwargs))
        return runs[-1]

    yield start
    for run in runs:
        run.cleanup()


def counted_worker(run: MakeRun) -> int | None:
    """The pid of the launcher's worker once it is the one worker the status counts."""
    worker = run.children().get("worker")
    try:
        return worker if worker is not None and live_worker_pids(run) == {worker} else None
    except RedisError:  # Redis is just starting again
        return None


def live_worker_pids(run: MakeRun) -> set[int]:
    """The pids of the workers the status counts (registered with the Redis that runs now)."""
    from redis import Redis

    from jobs.status import live_workers, redis_clock

    url = (run.dir / "instance" / "redis.url").read_text().strip()
    with Redis.from_url(url, socket_timeout=5) as conn:
        return {w.pid for w in live_workers(conn, redis_clock(conn)[1])}


class KeepAsking(threading.Thread):
    """Asks the web app for a page every 0.1 s until stopped; remembers what did not work."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url = url
        self.answers = 0
        self.failures = []
        self.done = threading.Event()

    def run(self):
        while not self.done.is_set():
            try:
                with urllib.request.urlopen(self.url, timeout=5) as resp:
                    assert resp.status == 200
                self.answers += 1
            except Exception as exc:  # noqa: BLE001 - recorded, asserted by the test
                self.failures.append(repr(exc))
            self.done.wait(0.1)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        self.join(10)


# --------------------------------------------------------------------------- tests


def test_children_are_restarted_and_sigterm_to_make_stops_everything(make_run):
    run = make_run()
    run.wait_until_up()
    run.wait_for_health(lambda h: h["status"] == "ok", 60, "alles in orde na het starten")
    before = run.children()
    assert set(before) == {"redis", "worker", "cron", "web"}, run.log()

    with KeepAsking(f"{run.base}/login") as web:
        os.kill(before["redis"], signal.SIGKILL)
        wait_until(lambda: run.children().get("redis") not in (None, before["redis"]), 30,
                   "Redis opnieuw gestart", run.log)
        # the worker reconnects, or stops by itself and is started again
        worker = wait_until(lambda: counted_worker(run), 60,
                            "de worker praat met de nieuwe Redis", run.log)
        run.remember()

        os.kill(worker, signal.SIGKILL)
        new = wait_until(lambda: (pid := counted_worker(run)) != worker and pid, 30,
                         "de nieuwe worker telt mee", run.log)
        # and only the new one: the killed worker's registration is gone
        assert live_worker_pids(run) == {new}
        run.wait_for_health(lambda h: h["status"] == "ok" and h["workers"] == 1, 60,
                            "één levende worker en cron")
        run.remember()
    assert web.failures == [] and web.answers > 10, web.failures[:3]

    log = run.log()
    assert "redis is gestopt (signaal SIGKILL); opnieuw starten over 1 s" in log
    # (the worker may also have stopped by itself when Redis went away, and been restarted:
    # then this pause is the doubled one)
    assert re.search(r"worker is gestopt \(signaal SIGKILL\); opnieuw starten over \d+ s", log)
    assert re.search(rf"worker is opnieuw gestart \(pid {new}\)", log)
    assert len(run.remember()) >= 8  # launcher, 4 children, gunicorn worker, rq scheduler, ...

    os.kill(run.make.pid, signal.SIGTERM)
    assert run.stopped() == -signal.SIGTERM  # make re-raises the signal it got
    assert "Alles gestopt." in run.log()


def test_redis_outage_saves_work_and_generation_catches_up(make_run, tmp_path_factory):
    """The repro of the issue, with Redis outside the launcher (as in production): kill it,
    save a contract through the wizard and through the API, start Redis again, and the
    werkbonnen appear without anyone doing anything (the cron process, restarted by the
    launcher, runs the sweep and the catch-up at start). Then a short outage the cron process
    does not notice: the catch-up job makes the werkbonnen."""
    directory = tmp_path_factory.mktemp("vk")
    redis, url = redis_server.start(directory, persistent=True)
    try:
        run = make_run(redis_url=url)
        run.wait_until_up()
        run.wait_for_health(lambda h: h["status"] == "ok", 60, "alles in orde na het starten")
        planner = run.login("planner")
        token = run.api_token("planner")
        _, _, body = planner.json("GET", "/api/v1/klanten?limit=1", token)
        klant = json.loads(body)["items"][0]["id"]

        redis.kill()
        redis.wait()
        body = run.wait_for_health(lambda h: h["down"] == ["redis"], 30, "Redis weg")
        assert body["status"] == "degraded"

        # through the wizard
        _, _, page = planner.get("/contracten/nieuw")
        ptype = re.search(r'value="(\d+)">\s*<span class="type-naam">Preventief<', page)
        status, headers, _ = planner.post_form("/contracten/nieuw",
                                               {"contracttype_id": ptype.group(1)}, page)
        assert status == 303
        draft = headers["Location"].rsplit("/", 1)[0]
        for step, data in (
                ("overeenkomst", {"klant_id": klant, "start_date": "2020-01-01", "end_date": "",
                                  "description": "Tijdens storing (wizard)", "reference": "",
                                  "contractvoorwaarden_id": ""}),
                ("werkbon", {"wb_description": "Controle", "werktype": "Onderhoud",
                             "duration_minutes": "30", "prioriteit": "Normaal",
                             "start_time": "07:00", "medewerker_id": ""}),
                ("schema", {"frequency": "dagelijks", "interval": "1", "end_mode": "geen",
                            "holidays": "ignore", "weekends": "ignore",
                            "days_in_advance": "3"}),
                ("controle", {"actie": "opslaan"})):
            _, _, page = planner.get(f"{draft}/{step}")
            status, headers, body = planner.post_form(f"{draft}/{step}", data, page)
            assert status == 303, body
        wizard_contract = int(headers["Location"].rsplit("/", 1)[1])
        _, _, page = planner.get(headers["Location"])
        assert DELAYED in page

        # through the API
        status, _, body = planner.json("POST", "/api/v1/contracten", token, {
            "klant_id": klant, "contracttype": "preventief", "description": "Tijdens storing",
            "start_date": "2020-01-01", "days_in_advance": 3,
            "schedule": {"rrule": "FREQ=DAILY"}, "werkbon": {"start_time": "07:00"}})
        assert status == 201, body
        assert json.loads(body)["notice"] == DELAYED
        api_contract = json.loads(body)["id"]

        def werkbonnen(contract_id):
            _, _, body = planner.json("GET", f"/api/v1/werkbonnen?contract_id={contract_id}",
                                      token)
            return sorted(w["due_date"] for w in json.loads(body)["items"])

        assert werkbonnen(wizard_contract) == werkbonnen(api_contract) == []
        # the cron process notices Redis is gone (it wakes every 3 s here) and is restarted
        wait_until(lambda: re.search(r"cron is gestopt \(code 1\); opnieuw starten", run.log()),
                   60, "cron merkte dat Redis weg is", run.log)

        redis, url_again = redis_server.start(directory, persistent=True)
        assert url_again == url
        made = wait_until(lambda: (werkbonnen(wizard_contract), werkbonnen(api_contract))
                          if werkbonnen(wizard_contract) and werkbonnen(api_contract) else None,
                          90, "werkbonnen na het terugkomen van Redis", run.log)
        for dates in made:
            assert len(dates) == len(set(dates)) == 4  # today .. today + 3, each once
        run.wait_for_health(lambda h: h["status"] == "ok", 90, "alles weer in orde")

        # A short outage the cron process sleeps through (frozen here, so it surely does): no
        # restart runs the sweep; the catch-up job makes the werkbonnen.
        cron = run.children()["cron"]
        os.kill(cron, signal.SIGSTOP)
        try:
            redis_server.stop(redis)
            status, _, body = planner.json("POST", "/api/v1/contracten", token, {
                "klant_id": klant, "contracttype": "preventief", "description": "Kort weg",
                "start_date": "2020-01-01", "days_in_advance": 3,
                "schedule": {"rrule": "FREQ=DAILY"}, "werkbon": {"start_time": "07:00"}})
            assert status == 201 and json.loads(body)["notice"] == DELAYED, body
            short = json.loads(body)["id"]
            redis, _ = redis_server.start(directory, persistent=True)
        finally:
            os.kill(cron, signal.SIGCONT)
        dates = wait_until(lambda: werkbonnen(short), 60, "werkbonnen na een korte storing",
                           run.log)
        assert len(dates) == len(set(dates)) == 4
        assert run.children()["cron"] == cron  # the same cron process: not a restart
        with sqlite3.connect(f"file:{run.dir / 'instance' / 'cadans.db'}?mode=ro",
                             uri=True) as db:
            saved = db.execute("SELECT created_at FROM contract WHERE id = ?",
                               (short,)).fetchone()[0]
            sweeps_since = db.execute("SELECT count(*) FROM generation_run WHERE trigger = "
                                      "'sweep' AND started_at >= ?", (saved,)).fetchone()[0]
        assert sweeps_since == 0

        run.remember()
        os.killpg(run.make.pid, signal.SIGINT)  # Ctrl-C in the terminal
        run.stopped()
    finally:
        redis_server.stop(redis)


def test_ctrl_c_stops_everything(make_run):
    """Ctrl-C: the terminal sends SIGINT to make and the launcher (one process group)."""
    run = make_run()
    run.wait_until_up()
    wait_until(lambda: len(run.children()) == 4, 30, "alle processen gestart", run.log)
    run.remember()
    os.killpg(run.make.pid, signal.SIGINT)
    assert run.stopped() != 0  # make reports the interrupt
    assert "Alles gestopt." in run.log()


def test_sigint_to_the_launcher_stops_everything(make_run):
    run = make_run()
    run.wait_until_up()
    wait_until(lambda: len(run.children()) == 4, 30, "alle processen gestart", run.log)
    run.remember()
    os.kill(run.launcher(), signal.SIGINT)
    assert run.stopped() == 0
    assert "Alles gestopt." in run.log()
