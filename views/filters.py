"""Jinja filters for Dutch dates and numbers."""

from datetime import UTC, date, datetime

from models.dutch_dates import MONTHS_SHORT, long_date, short_date


def register(app):
    app.jinja_env.filters["datum"] = lambda d: short_date(d) if isinstance(d, date) else ""
    app.jinja_env.filters["datum_lang"] = lambda d: long_date(d) if isinstance(d, date) else ""
    app.jinja_env.filters["moment"] = _moment
    app.jinja_env.filters["getal"] = lambda n: f"{n:,}".replace(",", ".")

    def lokaal(stored):
        """A stored (naive UTC) moment as local time: "vr 20 nov 2026 16:00"."""
        if not isinstance(stored, datetime):
            return "—"
        from zoneinfo import ZoneInfo

        local = stored.replace(tzinfo=UTC).astimezone(ZoneInfo(app.config["TIMEZONE"]))
        return f"{short_date(local.date())} {local:%H:%M}"

    app.jinja_env.filters["lokaal"] = lokaal


def _moment(value):
    if not isinstance(value, datetime):
        return ""
    return f"{value.day} {MONTHS_SHORT[value.month - 1]} {value.year} {value:%H:%M}"
