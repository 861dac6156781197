"""Feestdagen switches and sluitingsdagen (beheerder only)."""

from datetime import date

from models.db import connection
from models.db.audit import AuditLog
from models.stamdata import calendar_store
from models.stamdata.instellingen import ClosureDay

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def test_default_kinds_exclude_goede_vrijdag(app):
    with connection():
        kinds = calendar_store.enabled_kinds()
    assert "goede_vrijdag" not in kinds and "koningsdag" in kinds


def test_switch_kinds(beheerder):
    page = beheerder.get("/instellingen/feestdagen").get_data(as_text=True)
    assert 'value="koningsdag" checked' in page
    resp = beheerder.post("/instellingen/feestdagen", data={"kinds": ["kerst", "goede_vrijdag"]})
    assert resp.status_code == 303
    with connection():
        assert calendar_store.enabled_kinds() == {"kerst", "goede_vrijdag"}
        free = calendar_store.free_days()
        assert date(2026, 4, 3) in free and date(2026, 4, 27) not in free
        ClosureDay.create(date=date(2026, 12, 31), description="Inventaris")
        free = calendar_store.free_days()  # both tables in one query
        assert free.get(date(2026, 12, 31)) == "Inventaris" and date(2026, 12, 25) in free
        assert date(2026, 4, 3) in free and date(2026, 4, 27) not in free
        ClosureDay.delete().execute()
        assert AuditLog.select().where(AuditLog.action == "feestdagen gewijzigd").count() == 1


def test_closure_days_add_validate_delete(beheerder):
    resp = beheerder.post("/instellingen/sluitingsdagen", data={"date": "", "description": "x"})
    assert resp.status_code == 422 and "Vul een datum in." in resp.get_data(as_text=True)
    assert 'value="x"' in resp.get_data(as_text=True)
    resp = beheerder.post("/instellingen/sluitingsdagen",
                          data={"date": "2026-12-31", "description": "Oudjaar"})
    assert resp.status_code == 303
    dup = beheerder.post("/instellingen/sluitingsdagen", data={"date": "2026-12-31"})
    assert "al een sluitingsdag" in dup.get_data(as_text=True)
    with connection():
        row = ClosureDay.get()
        assert calendar_store.free_days().get(date(2026, 12, 31)) == "Oudjaar"
    beheerder.post(f"/instellingen/sluitingsdagen/{row.id}/verwijderen")
    with connection():
        assert ClosureDay.select().count() == 0


def test_planner_cannot_change_holidays(planner):
    assert planner.get("/instellingen/feestdagen").status_code == 403
    assert planner.post("/instellingen/sluitingsdagen", data={"date": "2026-12-31"}).status_code \
        == 403


def test_a_new_closure_day_says_which_werkbonnen_are_already_on_it(beheerder):
    """Werkbonnen made before a sluitingsdag was added stay where they are; the beheerder is
    told how many there are, instead of finding out when nobody turns up."""
    from datetime import datetime

    from tests.test_werkbonnen_views import make_klant, make_werkbon

    klant = make_klant()
    make_werkbon(klant, due=date(2026, 12, 2))
    make_werkbon(klant, due=date(2026, 12, 1), planned=datetime(2026, 12, 2, 10, 0))
    make_werkbon(klant, due=date(2026, 12, 2), status="afgerond")  # done: not counted
    resp = beheerder.post("/instellingen/sluitingsdagen",
                          data={"date": "2026-12-02", "description": "Bedrijfsuitje"},
                          follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "Op wo 2 dec 2026 staan al 2 werkbonnen (gepland of met die dag als datum)." in html
    quiet = beheerder.post("/instellingen/sluitingsdagen", data={"date": "2026-12-03"},
                           follow_redirects=True).get_data(as_text=True)
    assert "staan al" not in quiet
