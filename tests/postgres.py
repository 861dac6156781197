"""A throwaway PostgreSQL server for the tests: Debian's `postgresql` package (the server the
README's production setup names), one cluster per test session in its own temporary directory
(pytest's is closed to other users, and under root the server runs as another user), listening
on a unix socket only, and a fresh database per test.

PostgreSQL refuses to run as root; under root (CI) the server runs as the package's `postgres`
user. Durability settings are off (fsync, synchronous_commit): the tests check behaviour, and a
throwaway cluster does not need to survive a power cut.
"""

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

MAX_SOCKET_DIR = 90  # the socket file's path (dir + "/.s.PGSQL.5432") must fit in 107 bytes
USER = "cadans"


def bindir() -> Path | None:
    """The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _as_server_user(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


class Server:
    def __init__(self):
        binaries = bindir()
        if binaries is None:
            raise FileNotFoundError("PostgreSQL-server niet gevonden (apt-get install postgresql)")
        base = Path(tempfile.mkdtemp(prefix="cadans-pg-"))
        if len(str(base)) > MAX_SOCKET_DIR:
            raise RuntimeError(f"Pad voor de PostgreSQL-socket is te lang: {base}")
        self.base, self.bin = base, binaries
        self.data = base / "data"
        if os.geteuid() == 0:
            shutil.chown(base, "postgres")
        subprocess.run(_as_server_user([
            str(binaries / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
            "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        # jit off, as the README advises for production: Cadans asks only short questions, and
        # compiling one whose estimate passes jit_above_cost costs 10-100 ms it never earns back
        options = (f"-k {base} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   f"-c full_page_writes=off -c max_connections=100 -c jit=off")
        started = subprocess.run(_as_server_user([
            str(binaries / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(base / "server.log"), "-w", "-t", "30", "start"]), capture_output=True)
        if started.returncode != 0:
            log = (base / "server.log").read_text(errors="replace")[-2000:] \
                if (base / "server.log").exists() else ""
            raise RuntimeError(f"PostgreSQL startte niet: {started.stderr.decode()}\n{log}")
        self._names = itertools.count(1)
        self._prepared = False

    def url(self, name: str) -> str:
        return f"postgresql://{USER}@/{name}?host={self.base}"

    def _admin(self, sql: str) -> None:
        import psycopg2

        conn = psycopg2.connect(dbname="postgres", user=USER, host=str(self.base))
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql)
        finally:
            conn.close()

    def create_database(self, prepare) -> str:
        """A new database, a copy of the one `prepare` (called once with a URL, e.g. to
        migrate) made: copying it (~0.13 s) beats migrating each time (~0.7 s)."""
        if not self._prepared:
            self._admin("CREATE DATABASE prepared TEMPLATE template0")
            prepare(self.url("prepared"))
            self._prepared = True
        name = f"test_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE prepared STRATEGY FILE_COPY")
        return name

    def restore(self, name: str, dump: Path) -> str:
        """A new database `name` holding what pg_dump wrote into `dump` (a plain SQL file, run
        by psql: newer dumps carry psql meta-commands); returns its URL."""
        self._admin(f"CREATE DATABASE {name} TEMPLATE template0")
        subprocess.run(_as_server_user([
            str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-X", "-d", self.url(name),
            "-f", str(dump)]), check=True, capture_output=True)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        subprocess.run(_as_server_user([
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
            check=False, capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)
