"""Today as the company sees it: a local date in the configured time zone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def local_today() -> date:
    """`TODAY` in the config (an ISO date) freezes the date for a whole app: the browser tests
    serve the app in a thread and drive it through Chromium, so they cannot patch a function
    per view. Never set in production."""
    frozen = current_app.config.get("TODAY")
    if frozen:
        return date.fromisoformat(frozen)
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).date()
