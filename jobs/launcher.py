"""`make run`: everything Cadans needs on one machine, kept running, stopped together.

Starts (in order) a Redis-compatible server when REDIS_URL is unset, prepares the database (migrate,
demo data into an empty one), then the RQ worker (with its scheduler), exactly one `rq cron`
process for the periodic schedule, and the web app under gunicorn.

It supervises them the way systemd's Restart=always does in production: a child that stops
(the local Redis, the worker, cron, even gunicorn) is started again after a pause that doubles
from 1 s to 30 s while it keeps failing, and starts at 1 s again once it ran for 30 s. The web app
keeps serving meanwhile: without Redis, saving works and generation catches up afterwards.
Only SIGINT (Ctrl-C), SIGTERM or SIGHUP stops everything.

Every child runs in its own session, so a Ctrl-C reaches only this launcher, and a child's whole
process group can be cleaned up: rq's scheduler, a work horse, gunicorn's workers. Stopping goes
in reverse order (web, cron, worker, Redis), SIGTERM first, SIGKILL after a timeout.

Why our own loop and not supervisord: supervisord gives up on a program after `startretries`
quick failures (FATAL, never retried), which is exactly what `rq cron` does while Redis is down;
its restart pause grows by one second per attempt without a cap; its log is English; and the
launcher would still be needed to start Redis first, prepare the database and print the URL
once the web app answers. This loop is short, tested with the real processes
(tests/test_launcher.py), and needs nothing beyond Python.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from jobs import redis_server
from jobs.connection import QUEUE
from models.db.instance import instance_dir

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

FIRST_DELAY = 1.0  # seconds before the first restart
MAX_DELAY = 30.0  # the pause doubles up to this
STABLE_AFTER = 30.0  # a child that ran this long starts again at FIRST_DELAY
STOP_TIMEOUT = {"web": 15.0, "cron": 10.0, "worker": 20.0, "redis": 10.0}
TICK = 0.2


def log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"signaal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signaal {-returncode}"
    return f"code {returncode}"


def seconds(value: float) -> str:
    return f"{value:g} s"


def signal_group(pgid: int, sig: int) -> bool:
    """Send `sig` to a child's process group; False when nothing is left in it."""
    try:
        os.killpg(pgid, sig)
        return True
    except ProcessLookupError:
        return False


def group_alive(pgid: int) -> bool:
    return signal_group(pgid, 0)


def clear_group(pgid: int, timeout: float = 5.0) -> None:
    """What is left of a child's process group after its leader exited (rq's scheduler
    process, a work horse, gunicorn's workers): SIGTERM, then SIGKILL."""
    if not signal_group(pgid, signal.SIGTERM):
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not group_alive(pgid):
            return
        time.sleep(0.05)
    signal_group(pgid, signal.SIGKILL)


class Child:
    """One supervised process: `start` makes a new Popen (in its own session)."""

    def __init__(self, name: str, start: Callable[[], subprocess.Popen],
                 on_death: Callable[["Child", int], None] | None = None):
        self.name = name
        self._start = start
        self._on_death = on_death
        self.proc: subprocess.Popen | None = None
        self.started_at = 0.0
        self.delay = FIRST_DELAY
        self.restart_at: float | None = None

    def start(self) -> None:
        self.proc = self._start()
        self.started_at = time.monotonic()

    def died(self) -> bool:
        return self.proc is not None and self.proc.poll() is not None

    def check(self, now: float) -> None:
        """Notice a death and plan the restart; start again when the pause is over."""
        if self.died():
            proc = self.proc
            self.proc = None
            clear_group(proc.pid)
            if self._on_death is not None:
                self._on_death(self, proc.pid)
            if now - self.started_at >= STABLE_AFTER:
                self.delay = FIRST_DELAY
            log(f"{self.name} is gestopt ({how_it_ended(proc.returncode)}); "
                f"opnieuw starten over {seconds(self.delay)}")
            now = time.monotonic()  # clearing the group may have taken a while
            self.restart_at = now + self.delay
            self.delay = min(self.delay * 2, MAX_DELAY)
        if self.proc is None and self.restart_at is not None and now >= self.restart_at:
            self.restart_at = None
            try:
                self.start()
            except Exception as exc:  # noqa: BLE001 - e.g. Redis did not come up in time
                log(f"{self.name} startte niet ({exc}); opnieuw proberen over "
                    f"{seconds(self.delay)}")
                self.restart_at = time.monotonic() + self.delay
                self.delay = min(self.delay * 2, MAX_DELAY)
                return
            log(f"{self.name} is opnieuw gestart (pid {self.proc.pid})")

    def stop(self) -> None:
        """SIGTERM, wait, then SIGKILL the whole group; nothing of it is left running."""
        proc, self.proc, self.restart_at = self.proc, None, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(STOP_TIMEOUT.get(self.name, 10.0))
            except subprocess.TimeoutExpired:
                log(f"{self.name} stopt niet; geforceerd beëindigd.")
                signal_group(proc.pid, signal.SIGKILL)
                proc.wait()
        clear_group(proc.pid)


def prepare_database(env) -> None:
    os.environ.update(env)
    from app import create_app
    from models import demo
    from models.db import connection
    from models.migrations import migrate

    app = create_app()
    with app.app_context(), connection():
        applied = migrate()
        if applied:
            print(f"Database bijgewerkt (migraties {applied}).")
        if demo.is_empty():
            from models.sla.service import now_in

            demo.load_and_remember(app.instance_path, now_in(app.config["TIMEZONE"]))
            print("Lege database: demodata geladen.")


def web_is_up(url: str) -> bool:
    """The health endpoint answers 200 (also "degraded": Redis or a worker may still be on
    its way, the web app serves without them) once gunicorn and the database are there."""
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:
            return resp.status == 200
    except Exception:  # noqa: BLE001 - not up yet (503 included)
        return False


def forget_dead_worker(child: Child, pid: int) -> None:
    """A worker killed without warning (SIGKILL, out of memory) stays registered in Redis until
    its key expires; tell Redis it is gone so the status counts only the new one."""
    from jobs.status import forget_worker

    try:
        forget_worker(pid, socket.gethostname())
    except Exception:  # noqa: BLE001 - Redis down: the status skips workers of an old Redis
        pass


def main() -> int:
    stopping = []

    def _stop(signum, frame):
        stopping.append(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # SIGHUP: terminal closed
        signal.signal(signum, _stop)

    instance = instance_dir()  # CADANS_INSTANCE or instance/, as the web app and worker use
    instance.mkdir(parents=True, exist_ok=True)
    port = os.environ.get("PORT", "5000")
    env = dict(os.environ)
    env.setdefault("CADANS_ENV", "development")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    shared_url_file = instance / "redis.url"

    def popen(args):
        return subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True,
                                stdin=subprocess.DEVNULL)

    children: list[Child] = []
    local_redis = not env.get("REDIS_URL")
    try:
        if local_redis:
            redis_dir = instance / "redis"
            redis = Child("redis", lambda: redis_server.start(redis_dir)[0])
            redis.start()
            children.append(redis)
            env["REDIS_URL"] = f"unix://{redis_dir / 'valkey.sock'}"
            shared_url_file.write_text(env["REDIS_URL"] + "\n")
            print(f"Redis: lokale Valkey-server gestart ({env['REDIS_URL']})")
        else:
            shared_url_file.unlink(missing_ok=True)
            print(f"Redis: {env['REDIS_URL']} (uit REDIS_URL)")
        if stopping:
            return 0
        prepare_database(env)
        url = env["REDIS_URL"]
        children += [
            Child("worker", lambda: popen([str(BIN / "rq"), "worker", "--with-scheduler", "-u", url,
                                           "--path", str(ROOT), "--logging_level", "WARNING",
                                           QUEUE]),
                  on_death=forget_dead_worker),
            Child("cron", lambda: popen([str(BIN / "rq"), "cron", "-u", url, "--path", str(ROOT),
                                         "--logging-level", "WARNING", "jobs.cron"])),
            Child("web", lambda: popen([str(BIN / "gunicorn"),
                                        "-w", env.get("WEB_CONCURRENCY", "2"),
                                        "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                                        "app:create_app()"])),
        ]
        for child in children:
            if child.proc is None:
                child.start()
        web = children[-1]
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not web_is_up(f"{base}/api/v1/health"):
            # gunicorn that stops before it ever answered (port taken, app cannot load) would
            # only fail again: that is a set-up error, not an outage
            if stopping:
                return 0
            if web.died() or time.monotonic() > deadline:
                print("Cadans kwam niet goed op; zie de meldingen hierboven.", file=sys.stderr)
                return 1
            for child in children[:-1]:
                child.check(time.monotonic())
            time.sleep(TICK)
        print(f"\nCadans draait op {base}/")
        logins = instance / "demo-logins.txt"
        if logins.exists():
            print("Demo-logins (gebruikersnaam / wachtwoord):")
            for line in logins.read_text().splitlines():
                print(f"  {line}")
        print("Stoppen met Ctrl-C.\n", flush=True)
        while not stopping:
            now = time.monotonic()
            for child in children:
                child.check(now)
            time.sleep(TICK)
        return 0
    finally:
        print("Cadans stopt…", flush=True)
        for child in reversed(children):
            child.stop()
        if local_redis:
            shared_url_file.unlink(missing_ok=True)
        print("Alles gestopt.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
