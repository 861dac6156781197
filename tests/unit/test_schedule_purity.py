"""The rule modules stay pure: no web, database or queue imports, no clock."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE = ["models.schedule.rrule", "models.schedule.rule_dates", "models.schedule.definition",
        "models.schedule.expand", "models.schedule.recurrence_form", "models.schedule.describe",
        "models.schedule.holiday_calendar", "models.schedule.form", "models.schedule.preview",
        "models.common.dutch_dates", "models.common.validation"]
FORBIDDEN = {"flask", "flask_htmx", "peewee", "playhouse", "redis", "rq", "valkey", "jinja2"}


@pytest.mark.parametrize("name", PURE)
def test_module_is_pure(name):
    source = (ROOT / f"{name.replace('.', '/')}.py").read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            roots = {(node.module or "").split(".")[0]}
        else:
            continue
        assert not roots & FORBIDDEN, f"{name} imports {roots & FORBIDDEN}"
    for clock in ("today(", "now(", "utcnow(", "time.time("):
        assert clock not in source, f"{name} reads the clock via {clock}"
