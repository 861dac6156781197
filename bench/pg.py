"""Which database a bench runs on, and that database for the length of the bench (issue #20).

A bench reads `CADANS_BENCH_DB` (sqlite, the default, or postgresql) through `kind()` and opens
`with bench_database() as bdb:`; `bdb.url` is a fresh, empty database of that kind (no schema:
the bench migrates or seeds it), `bdb.new_url(name)` another one beside it (a floor's copy), and
everything is removed again at the end:

  - sqlite: files in a temporary directory;
  - postgresql, when `DATABASE_URL` points at a PostgreSQL server: new databases on that server
    (`cadans_bench_<pid>_<name>`, dropped at the end; the role needs CREATEDB), never the
    database the URL names itself;
  - postgresql otherwise: a throwaway cluster started like the tests start theirs
    (tests/postgres.py: Debian's server package, a unix socket, fsync off), stopped at the end.

`python bench/pg.py` says in one line whether PostgreSQL benches can run here (bench/_run.py,
i.e. `make bench`, asks `available()` the same question). Not a benchmark itself.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

KINDS = ("sqlite", "postgresql")
MISSING = ("PostgreSQL-server niet geïnstalleerd: benches alleen op SQLite "
           "(sudo apt-get install postgresql, of zet DATABASE_URL op een PostgreSQL-server)")


def kind() -> str:
    """The database this bench run is for: CADANS_BENCH_DB, default sqlite."""
    value = os.environ.get("CADANS_BENCH_DB", "sqlite").strip().lower() or "sqlite"
    if value in ("postgres", "pg"):
        value = "postgresql"
    if value not in KINDS:
        raise SystemExit(f"CADANS_BENCH_DB={value!r}: sqlite of postgresql")
    return value


def external_url() -> str | None:
    """DATABASE_URL when it points at PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgresql:", "postgres:", "postgresql+", "postgres+")) \
        else None


def available() -> tuple[bool, str]:
    """(can PostgreSQL benches run here, a one-line reason)."""
    if external_url():
        return True, "PostgreSQL via DATABASE_URL"
    from tests.postgres import bindir

    found = bindir()
    if found is None:
        return False, MISSING
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return False, "psycopg2 ontbreekt (pip install -e '.[postgres]')"
    return True, f"PostgreSQL {found.parent.name} (tijdelijke server, zoals de tests)"


def _admin(url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
    finally:
        conn.close()


class BenchDatabase:
    """The database(s) of one bench run; see the module docstring."""

    def __init__(self, kind_: str):
        self.kind = kind_
        self._tmp = None
        self._server = None
        self._external = None
        self._made: list[str] = []
        if kind_ == "sqlite":
            self._tmp = Path(tempfile.mkdtemp(prefix="cadans-bench-"))
        elif external_url():
            self._external = external_url()
        else:
            from tests.postgres import Server

            self._server = Server()
        self.url = self.new_url("main")

    @property
    def tmp(self) -> Path:
        """A scratch directory that lives as long as this object (for any kind)."""
        if self._tmp is None:
            self._tmp = Path(tempfile.mkdtemp(prefix="cadans-bench-"))
        return self._tmp

    @property
    def is_postgresql(self) -> bool:
        return self.kind == "postgresql"

    def new_url(self, name: str) -> str:
        """Another fresh, empty database of this kind."""
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp / f'{name}.db'}"
        if self._server is not None:
            self._server._admin(f"CREATE DATABASE {name} TEMPLATE template0")
            self._made.append(name)
            return self._server.url(name)
        database = f"cadans_bench_{os.getpid()}_{name}"
        parts = urlsplit(self._external)
        _admin(self._external, f"CREATE DATABASE {database} TEMPLATE template0")
        self._made.append(database)
        return urlunsplit(parts._replace(path="/" + database))

    def close(self) -> None:
        from models.db import db

        try:  # the bench's own connection first, or DROP DATABASE waits for it
            if db.obj is not None and not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001, S110 - the proxy may be bound to something else
            pass
        if self._server is not None:
            self._server.stop()
        elif self._external is not None:
            for database in self._made:
                _admin(self._external, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)


@contextmanager
def bench_database(kind_: str | None = None):
    """A BenchDatabase of `kind_` (default: CADANS_BENCH_DB) for the `with` block."""
    database = BenchDatabase(kind_ or kind())
    try:
        yield database
    finally:
        database.close()


if __name__ == "__main__":
    ok, reason = available()
    print(reason)
    raise SystemExit(0 if ok else 1)
