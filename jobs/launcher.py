"""`make run`: everything Cadans needs on one machine, stopped together with Ctrl-C.

Starts (in order) a Redis-compatible server when REDIS_URL is unset, prepares the database (migrate,
demo data into an empty one), then the RQ worker (with its scheduler), exactly one `rq cron`
process for the periodic schedule, and the web app under gunicorn. Every child runs in its own
session so a Ctrl-C reaches only this launcher, which then stops them in reverse order.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from jobs import redis_server
from jobs.connection import QUEUE
from jobs.context import instance_dir

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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
            from models.sla_service import now_in

            demo.load_and_remember(app.instance_path, now_in(app.config["TIMEZONE"]))
            print("Lege database: demodata geladen.")


def wait_for_http(url: str, procs, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(p.poll() is not None for _, p in procs):
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return True
        except Exception:  # noqa: BLE001 - not up yet (503 included)
            pass
        time.sleep(0.2)
    return False


def stop_all(procs, redis_proc) -> None:
    for _name, proc in reversed(procs):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for name, proc in reversed(procs):
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            print(f"{name} stopt niet; geforceerd beëindigd.")
            proc.kill()
            proc.wait()
    if redis_proc is not None:
        redis_server.stop(redis_proc)


def main() -> int:
    instance = instance_dir()  # CADANS_INSTANCE or instance/, as the web app and worker use
    instance.mkdir(parents=True, exist_ok=True)
    port = os.environ.get("PORT", "5000")
    env = dict(os.environ)
    env.setdefault("CADANS_ENV", "development")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    shared_url_file = instance / "redis.url"

    redis_proc = None
    if env.get("REDIS_URL"):
        shared_url_file.unlink(missing_ok=True)
        print(f"Redis: {env['REDIS_URL']} (uit REDIS_URL)")
    else:
        redis_proc, url = redis_server.start(instance / "redis")
        env["REDIS_URL"] = url
        shared_url_file.write_text(url + "\n")
        print(f"Redis: lokale Valkey-server gestart ({url})")

    procs = []
    stopping = False

    def _stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)

    def spawn(name, args):
        procs.append((name, subprocess.Popen(args, env=env, cwd=ROOT, start_new_session=True,
                                             stdin=subprocess.DEVNULL)))

    try:
        prepare_database(env)
        spawn("worker", [str(BIN / "rq"), "worker", "--with-scheduler", "-u", env["REDIS_URL"],
                         "--path", str(ROOT), "--logging_level", "WARNING", QUEUE])
        spawn("cron", [str(BIN / "rq"), "cron", "-u", env["REDIS_URL"], "--path", str(ROOT),
                       "--logging-level", "WARNING", "jobs.cron"])
        spawn("web", [str(BIN / "gunicorn"), "-w", env.get("WEB_CONCURRENCY", "2"),
                      "-b", f"127.0.0.1:{port}", "--log-level", "warning", "app:create_app()"])
        base = f"http://127.0.0.1:{port}"
        if not wait_for_http(f"{base}/api/v1/health", procs):
            print("Cadans kwam niet goed op; zie de meldingen hierboven.", file=sys.stderr)
            return 1
        print(f"\nCadans draait op {base}/")
        logins = instance / "demo-logins.txt"
        if logins.exists():
            print("Demo-logins (gebruikersnaam / wachtwoord):")
            for line in logins.read_text().splitlines():
                print(f"  {line}")
        print("Stoppen met Ctrl-C.\n", flush=True)
        while not stopping:
            dead = [(n, p) for n, p in procs if p.poll() is not None]
            if dead:
                name, proc = dead[0]
                print(f"{name} is gestopt (code {proc.returncode}); alles wordt gestopt.",
                      file=sys.stderr)
                return 1
            time.sleep(0.5)
        return 0
    finally:
        print("Cadans stopt…", flush=True)
        stop_all(procs, redis_proc)
        if redis_proc is not None:
            shared_url_file.unlink(missing_ok=True)
        print("Alles gestopt.")


if __name__ == "__main__":
    sys.exit(main())
