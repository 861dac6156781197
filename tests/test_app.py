"""App factory, configuration and migrations."""

import os

from app import create_app
from models.db import connection, db
from models.migrations import MIGRATIONS, migrate, schema_version


def test_config_from_test_config(app):
    assert app.testing
    assert app.config["DATABASE_URL"].startswith("sqlite:///")


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "INSTANCE_PATH": str(tmp_path)}
    first = create_app(config).config["SECRET_KEY"]
    second = create_app(config).config["SECRET_KEY"]
    assert first == second and len(first) >= 64
    key_file = tmp_path / "secret_key"
    assert key_file.read_text().strip() == first
    assert oct(os.stat(key_file).st_mode & 0o777) == "0o600"


def test_secret_key_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
                      "INSTANCE_PATH": str(tmp_path)})
    assert app.config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})
    assert app.config["DATABASE_URL"].endswith("env.db")


def test_sqlite_pragmas(app):
    with connection():
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert db.execute_sql("PRAGMA journal_size_limit").fetchone()[0] == 64 * 1024 * 1024


def test_migrations_are_idempotent(app):
    with connection():
        assert migrate() == []
        assert schema_version() == MIGRATIONS[-1][0]
        assert db.table_exists("klant") and db.table_exists("audit_log")


def test_request_closes_its_connection(client):
    client.get("/login")
    assert db.is_closed()


def test_cadans_instance_is_one_folder_for_web_app_worker_and_launcher(tmp_path, monkeypatch):
    """CADANS_INSTANCE moved only the web app: the worker and the periodic schedule opened an
    empty instance/cadans.db beside the code ("no such table") and never made a werkbon."""
    from jobs import connection
    from models.db import instance

    folder = tmp_path / "elders"
    monkeypatch.setenv("CADANS_INSTANCE", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setenv("SECRET_KEY", "x")
    app = create_app()
    assert app.instance_path == str(folder)
    assert app.config["DATABASE_URL"] == f"sqlite:///{folder / 'cadans.db'}"
    assert instance.database_url() == app.config["DATABASE_URL"]  # what the worker opens
    assert instance.instance_dir() == folder
    (folder / "redis.url").write_text("redis://127.0.0.1:6399/0\n")  # what the launcher writes
    assert connection.redis_url() == "redis://127.0.0.1:6399/0"
    monkeypatch.delenv("CADANS_INSTANCE")
    assert instance.instance_dir().name == "instance" and instance.instance_dir() != folder
