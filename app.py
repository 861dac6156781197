"""Cadans application factory: config -> db -> extensions -> blueprints -> CLI."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from models.db import db, init_db_from_url
from models.db.instance import instance_dir
from models.webhooks.send import private_allowed
from views.templating import Environment


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


def _env_int(name: str, default: int) -> int:
    text = os.environ.get(name)
    if text is None or text.strip() == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise RuntimeError(f"{name} moet een geheel getal (0 of meer) zijn, niet '{text}'.")
    return value


class DatabaseId(IntegerConverter):
    """Werkzeug's int converter, capped at the largest id a database column holds."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(url_map, *args, **kwargs)


DEFAULT_MAX_CONTENT_LENGTH = 1024 * 1024  # 1 MB: the largest form is a few kB


def _max_content_length() -> int:
    """The largest request body (bytes) the app reads; larger is a 413 before it is parsed."""
    text = os.environ.get("CADANS_MAX_CONTENT_LENGTH")
    if not text:
        return DEFAULT_MAX_CONTENT_LENGTH
    if not text.isdigit() or int(text) < 1024:
        raise RuntimeError("CADANS_MAX_CONTENT_LENGTH is een aantal bytes (minstens 1024).")
    return int(text)


def create_app(test_config: dict | None = None) -> Flask:
    instance_path = (test_config or {}).get("INSTANCE_PATH") or str(instance_dir())
    app = Flask(__name__, instance_relative_config=True, instance_path=instance_path)
    app.jinja_environment = Environment  # globals as a plain dict (views/templating.py)
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
        # A session ends after this long without a request, and this long after logging in
        # however busy (views/__init__.py SessionInterface); logout, a password change and
        # deactivation end it at once (models/stamdata/users.py session_key).
        SESSION_IDLE_TIMEOUT=timedelta(minutes=_env_int("CADANS_SESSION_IDLE_MINUTES", 8 * 60)),
        SESSION_MAX_AGE=timedelta(hours=_env_int("CADANS_SESSION_MAX_HOURS", 7 * 24)),
        SESSION_REFRESH_AFTER=timedelta(minutes=5),  # renew the idle clock at most this often
        # Failed logins (views/auth.py) per username and per client address, in Redis
        # (views/limiter.py); the notation is that of the `limits` library.
        LOGIN_LIMIT_USERNAME=os.environ.get("CADANS_LOGIN_LIMIT_USERNAME", "10 per 15 minutes"),
        LOGIN_LIMIT_ADDRESS=os.environ.get("CADANS_LOGIN_LIMIT_ADDRESS", "30 per 15 minutes"),
        # Requests per API token (views/api/access.py), counted like failed logins; "" or "uit"
        # switches the limit off.
        API_LIMIT=os.environ.get("CADANS_API_LIMIT", "600 per minute"),
        RATELIMIT_KEY_PREFIX="cadans",
        # webhooks to loopback and private addresses (a receiver on the company network; the
        # tests): the worker reads the same variable (jobs/context.py)
        WEBHOOKS_ALLOW_PRIVATE=private_allowed(os.environ.get("CADANS_WEBHOOKS_ALLOW_PRIVATE")),
        LIMITER_RETRY_SECONDS=30,
        # How many proxies (nginx, Caddy) in front of the app set X-Forwarded-For: only then
        # is that header believed for the client address the login throttle counts per.
        PROXY_COUNT=_env_int("CADANS_PROXIES", 0),
        # one limit for every request body (a 30 MB JSON body was read and parsed), and for
        # any one form field (Flask's own default for that is 500 kB)
        MAX_CONTENT_LENGTH=_max_content_length(),
    )
    if test_config:
        app.config.update(test_config)
    if "MAX_FORM_MEMORY_SIZE" not in (test_config or {}):
        app.config["MAX_FORM_MEMORY_SIZE"] = app.config["MAX_CONTENT_LENGTH"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance)

    app.config["PERMANENT_SESSION_LIFETIME"] = app.config["SESSION_MAX_AGE"]
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)
    from views.json_provider import JSONProvider

    app.json = JSONProvider(app)
    app.json.sort_keys = False  # keep API objects in the documented field order
    init_db_from_url(app.config["DATABASE_URL"], pool=True)

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
