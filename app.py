"""Cadans application factory: config -> db -> extensions -> blueprints -> CLI."""

import os
import secrets
from pathlib import Path

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from models.db import db, init_db_from_url


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once into instance/secret_key."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()


class DatabaseId(IntegerConverter):
    """Werkzeug's int converter, capped at the largest id a database column holds."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


def create_app(test_config: dict | None = None) -> Flask:
    from jobs.context import instance_dir

    instance_path = (test_config or {}).get("INSTANCE_PATH") or str(instance_dir())
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    development = os.environ.get("CADANS_ENV", "production") == "development"
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'cadans.db'}"),
        REDIS_URL=os.environ.get("REDIS_URL"),
        TIMEZONE=os.environ.get("CADANS_TIMEZONE", "Europe/Amsterdam"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not development,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=not development,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
    )
    if test_config:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    app.json.sort_keys = False  # keep API objects in the documented field order
    init_db_from_url(app.config["DATABASE_URL"])

    @app.before_request
    def _open_db():
        if request.endpoint == "api.health":
            return  # it asks the database itself, and must answer 503 when that is down
        db.connect(reuse_if_open=True)

    @app.teardown_request
    def _close_db(exc):
        if not db.is_closed():
            db.close()

    from views import register

    # every <int:...> in a URL fits a database id: 2**63 was an OverflowError (a 500)
    app.url_map.converters["int"] = DatabaseId
    register(app)

    from views.cli import register_cli

    register_cli(app)
    return app
