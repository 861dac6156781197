"""The dashboard's "Laatste ronde" (the worker's last periodic sweep, and whether it went well)
and the demo data a newcomer sees on first start."""

import html
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from models.common.dutch_dates import short_date
from models.db import connection
from models.db.base import utcnow
from models.werkbonnen.tables import GenerationRun, Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TZ = "Europe/Amsterdam"
TODAY = date(2026, 3, 10)  # a Tuesday
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo(TZ))


@pytest.fixture
def today(monkeypatch):
    import views.dashboard

    monkeypatch.setattr(views.dashboard, "local_today", lambda: TODAY)
    return TODAY


def run(trigger="sweep", minutes_ago=10, finished=True, error="", created=0, seen=0):
    started = utcnow() - timedelta(minutes=minutes_ago)
    with connection():
        return GenerationRun.create(
            today=TODAY, trigger=trigger, started_at=started, created=created,
            contracts_seen=seen, error=error,
            finished_at=started + timedelta(seconds=3) if finished else None)


def laatste_ronde(planner) -> str:
    page = planner.get("/").get_data(as_text=True)
    match = re.search(r'Vandaag aangemaakt</h2><p class="stat">\d+</p>(.*?)</article>', page,
                      re.S)
    assert match, page
    return match.group(1)


def test_no_sweep_yet(planner, today):
    assert "Nog geen automatische ronde gedraaid." in laatste_ronde(planner)
    run("contract", created=2, seen=1)  # saving a contract is not the worker's clock
    run("demo", created=40, seen=8)
    run("cli", created=7, seen=3)
    assert "Nog geen automatische ronde gedraaid." in laatste_ronde(planner)


def test_a_newer_contract_or_cli_run_does_not_replace_the_last_sweep(planner, today):
    run("sweep", minutes_ago=30, created=3, seen=5)
    run("contract", minutes_ago=5, created=1, seen=1)
    run("cli", minutes_ago=1, created=9, seen=9)
    shown = laatste_ronde(planner)
    assert "Automatische ronde op " in shown and ": 3 werkbonnen gemaakt." in shown
    assert "melding-fout" not in shown


def _local(stored):
    return stored.replace(tzinfo=UTC).astimezone(ZoneInfo(TZ))


@pytest.mark.parametrize("created,said", [(0, "niets nieuws te maken"),
                                          (1, "1 werkbon gemaakt"), (3, "3 werkbonnen gemaakt")])
def test_the_last_sweep_in_a_planners_words(planner, monkeypatch, created, said):
    """What the last round did, not "0 nieuw, 5 contract(en) bekeken" (worker jargon that read
    as a contradiction beside "Vandaag aangemaakt 2"): the time it ran today and what it made."""
    import views.dashboard

    sweep = run("sweep", minutes_ago=30, created=created, seen=5)
    finished = _local(sweep.finished_at)
    monkeypatch.setattr(views.dashboard, "local_today", lambda: finished.date())
    shown = laatste_ronde(planner)
    assert f"Automatische ronde om {finished:%H:%M}: {said}." in shown, shown
    assert "bekeken" not in shown and "nieuw," not in shown and "(en)" not in shown
    # a round of another day names its date
    monkeypatch.setattr(views.dashboard, "local_today", lambda: finished.date() + timedelta(1))
    assert f"op {short_date(finished.date())} om {finished:%H:%M}: {said}." in \
        laatste_ronde(planner)


def test_a_failed_sweep_shows_its_error(planner, today):
    run("sweep", minutes_ago=60, created=3, seen=5)
    run("sweep", minutes_ago=20, created=1, seen=2,
        error="OperationalError('database is locked')\nTraceback (most recent call last): ...")
    run("contract", minutes_ago=5, created=1, seen=1)  # does not hide the failure
    shown = laatste_ronde(planner)
    assert 'class="melding melding-fout"' in shown and 'role="alert"' in shown
    assert "mislukt" in shown
    assert "database is locked" in html.unescape(shown)
    assert "Traceback" not in shown  # first line only


def test_a_failed_sweep_from_the_real_sweep_shows_its_error(planner, today, monkeypatch):
    from models.stamdata import calendar_store
    from models.werkbonnen import materialise

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(materialise, "_sweep_batches", broken)
    with connection(), pytest.raises(RuntimeError):
        materialise.sweep(TODAY, calendar_store.free_days())
    shown = laatste_ronde(planner)
    assert "mislukt" in shown and "RuntimeError(&#39;schijf vol&#39;)" in shown


def test_the_error_text_is_escaped_and_short(planner, today):
    run("sweep", error="<script>alert('x')</script> & " + "x" * 500)
    shown = laatste_ronde(planner)
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; xxx" in shown
    text = html.unescape(re.sub(r"<[^>]+>", "", shown))
    assert len(text) < 300 and "x" * 100 in text and "x" * 300 not in text


def test_a_sweep_that_is_running_or_never_finished(planner, today):
    run("sweep", minutes_ago=200, created=3, seen=5)
    run("sweep", minutes_ago=120, finished=False)  # its worker was killed
    shown = laatste_ronde(planner)
    assert "niet afgemaakt (gestart" in shown and "melding-fout" in shown
    run("sweep", minutes_ago=2, finished=False)
    shown = laatste_ronde(planner)
    assert "bezig sinds" in shown and "melding-fout" not in shown


# --------------------------------------------------------------------------- demo data


@pytest.fixture
def demo(app):
    from models import demo

    with connection():
        demo.load()
        demo.load_contracts(TODAY)
        demo.load_storingen(NOW)


def test_demo_werkbonnen_that_started_have_a_medewerker(demo):
    from models.werkbonnen.plan import STARTED

    with connection():
        started = list(Werkbon.select().where(Werkbon.status.in_(STARTED)))
        assert len(started) > 10
        assert [w.number for w in started if w.medewerker_id is None] == []
        assert [w.number for w in started if w.planned_start is None] == []
        # and the lists stay alive: unplanned and overdue ones remain
        assert Werkbon.select().where(Werkbon.status == "open", Werkbon.due_date < TODAY).exists()
        assert Werkbon.select().where(Werkbon.status == "ingepland").exists()


def test_demo_werkbonnen_carry_the_day_generation_would_have_made_them(demo):
    from models.contracts.tables import Contract

    with connection():
        werkbonnen = list(Werkbon.select(Werkbon, Contract).join(Contract))
        assert all(w.generated_on <= TODAY for w in werkbonnen)
        generated = [w for w in werkbonnen if w.reported_at is None]
        assert len(generated) > 20
        for w in generated:
            lead = timedelta(days=w.contract.days_in_advance)
            # created D - N; the demo contracts were entered on their start date
            assert w.generated_on == min(TODAY, max(w.contract.start_date, w.due_date - lead)), \
                w.number
        assert sum(w.generated_on == w.due_date - timedelta(days=w.contract.days_in_advance)
                   for w in generated) > len(generated) // 2
        for w in werkbonnen:
            if w.reported_at is not None:  # a storing: the day it was reported
                reported = w.reported_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(NOW.tzinfo)
                assert w.generated_on == reported.date(), w.number


def test_demo_dashboard_does_not_count_everything_as_made_today(demo, planner, today):
    page = planner.get("/").get_data(as_text=True)
    made = int(re.search(r'Vandaag aangemaakt</h2><p class="stat">(\d+)</p>', page).group(1))
    with connection():
        total = Werkbon.select().count()
        assert made == Werkbon.select().where(Werkbon.generated_on == TODAY).count()
    assert made < total // 4
