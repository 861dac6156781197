"""The werkbonnen list's filters read their own index, on both databases, so a later change
cannot silently fall back to a scan of a million werkbonnen (bench/werkbonnen_filters.py
measures them at that size).

Every SQL statement a list page runs (first page and after a cursor, for each common filter)
is captured and explained: EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL with
enable_seqscan and enable_sort off after ANALYZE, so that the plan says whether an index can
serve the query at all (the planner's choice on a few hundred rows would say nothing). A page
may not scan the werkbon table, and a filter with an index of its own may not sort: a seek and
`limit` reads in list order."""

from datetime import date, timedelta

import pytest

from models.db import connection, db, is_sqlite, paging, write_transaction
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.tables import Werkbon, WerkbonObject

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = date(2026, 3, 10)


@pytest.fixture
def today(monkeypatch):
    import views.werkbonnen

    monkeypatch.setattr(views.werkbonnen, "local_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def world(app):
    """A few hundred werkbonnen over two klanten, two medewerkers, a contract, a werkadres."""
    from models.contracts.tables import Contract
    from models.stamdata.instellingen import Contracttype

    with connection(), write_transaction():
        klanten = [Klant.create(customer_number=f"D-{n}", name=f"Klant {n}", city="Utrecht")
                   for n in (1, 2)]
        medewerkers = [Medewerker.create(personnel_number=f"P-{n}", name=f"Monteur {n}")
                       for n in (1, 2)]
        ctype = Contracttype.get(Contracttype.kind == "preventief")
        contract = Contract.create(number="C-1", klant=klanten[0], contracttype=ctype,
                                   kind="preventief", description="Onderhoud",
                                   start_date=date(2025, 1, 1))
        werkadres = Werkadres.create(klant=klanten[0], name="Hoofdkantoor", city="Utrecht")
        kind = Objecttype.select().first()
        thing = Object.create(number="OBJ-1", werkadres=werkadres, objecttype=kind)
        statuses = ("open", "ingepland", "afgerond", "afgerond", "geannuleerd", "onderweg")
        rows = []
        for n in range(600):
            rows.append({"number": f"W-2026-{n:06d}", "klant": klanten[n % 2],
                         "contract": contract if n % 3 == 0 else None,
                         "due_date": date(2025, 6, 1) + timedelta(days=n // 2),
                         "status": statuses[n % len(statuses)],
                         "medewerker": medewerkers[n % 2] if n % 5 else None,
                         "werkadres": werkadres if n % 4 == 0 else None,
                         "description": "Periodiek onderhoud"})
        Werkbon.insert_many(rows).execute()
        WerkbonObject.insert_many(
            [{"werkbon": w, "object": thing, "due_date": due} for (w, due) in
             Werkbon.select(Werkbon.id, Werkbon.due_date)
             .where(Werkbon.werkadres.is_null(False)).tuples()]
        ).execute()
        if not is_sqlite():  # SQLite plans without statistics, as the app runs it
            db.execute_sql("ANALYZE")
    return {"klant": klanten[0].id, "medewerker": medewerkers[0].id, "contract": contract.id,
            "werkadres": werkadres.id, "object": thing.id}


def werkbon_selects(request):
    """(the werkbon SELECTs `request()` runs, with their parameters; its response)."""
    statements = []
    real = db.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        if sql.lstrip().upper().startswith("SELECT") and '"werkbon"' in sql:
            statements.append((sql, params))
        return real(sql, params, *args, **kwargs)

    db.obj.execute_sql = spy
    try:
        resp = request()
    finally:
        db.obj.execute_sql = real
    return statements, resp


def captured(client, path):
    """The werkbon SELECTs a GET of `path` runs, with their parameters."""
    statements, resp = werkbon_selects(
        lambda: client.get(path, headers={"HX-Request": "true"}))
    assert resp.status_code == 200
    return statements, resp.get_data(as_text=True)


def plan(sql, params) -> str:
    with connection():
        if is_sqlite():
            rows = db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            return "\n".join(row[-1] for row in rows)
        with db.atomic():
            db.execute_sql("SET LOCAL enable_seqscan = off")
            db.execute_sql("SET LOCAL enable_sort = off")
            rows = db.execute_sql("EXPLAIN " + sql, params).fetchall()
        return "\n".join(row[0] for row in rows)


def scans_werkbon(text: str) -> bool:
    if is_sqlite():
        return any(line.strip().startswith("SCAN werkbon") and "INDEX" not in line
                   for line in text.splitlines())
    return "Seq Scan on werkbon" in text


def sorts(text: str) -> bool:
    if is_sqlite():
        return "TEMP B-TREE FOR ORDER BY" in text
    return "Sort  (" in text and "Incremental Sort" not in text


# filter -> whether it has an index in list order (no sort allowed); the others are short id
# lists (search, object) whose few rows are sorted
FILTERS = {
    "status=alle": True,
    "status=te_doen": True,
    "status=open": True,
    "status=afgerond": True,
    "status=alle&medewerker={medewerker}": True,
    "status=alle&contract={contract}": True,
    "status=alle&klant={klant}": True,
    "status=alle&werkadres={werkadres}": False,
    "status=open&medewerker={medewerker}": True,
    "status=te_doen&medewerker={medewerker}": True,
    "status=te_doen&contract={contract}": True,
    "status=alle&te_laat=1": True,
    "status=alle&ongepland=1": True,
    "status=alle&van=2025-07-01&tot=2025-08-01": True,
    "status=alle&object={object}": False,
    "status=alle&q=periodiek": False,
    "status=alle&q=W-2026-000007": False,
}


@pytest.mark.parametrize("query", list(FILTERS))
def test_filters_use_an_index(world, planner, today, query):
    path = "/werkbonnen/?" + query.format(**world)
    first, body = captured(planner, path)
    with connection():
        row = Werkbon.select(Werkbon.due_date, Werkbon.id).order_by(
            Werkbon.due_date, Werkbon.id).offset(300).tuples().first()
    cursor = paging.encode([row[0].isoformat() if hasattr(row[0], "isoformat") else row[0],
                            row[1]])
    deep, _ = captured(planner, path + "&cursor=" + cursor)
    assert first and deep
    for sql, params in first + deep:
        text = plan(sql, params)
        assert not scans_werkbon(text), f"{query}: scans werkbon\n{sql}\n{text}"
        if FILTERS[query] and "ORDER BY" in sql and "due_date" in sql.split("ORDER BY")[-1]:
            assert not sorts(text), f"{query}: sorts instead of reading in order\n{sql}\n{text}"


def test_keyset_seeks_behind_an_equality(world, app):
    """The cursor of a filtered page is a range on due_date inside the filter's index (not a
    row value SQLite cannot seek on behind an equality)."""
    from models.werkbonnen import pager

    with connection():
        query = pager.list_select().where(Werkbon.status == "open")
        sql, params = pager._dated_query(query, ("2025-09-01", 10)).order_by(
            Werkbon.due_date, Werkbon.id).limit(51).sql()
        text = plan(sql, params)
    if is_sqlite():
        assert "werkbon_status_due_date_id (status=? AND due_date>?)" in text, text
    else:
        # the status index or the open werkbonnen' partial one: both seek on the range
        assert "Index Cond:" in text and "(due_date >= '2025-09-01'::date)" in text, text


def test_the_api_list_after_a_cursor(world, api):
    """The API's werkbonnen list (models/werkbonnen/pager.py) after a cursor, filtered by
    status: on PostgreSQL one statement seeking on the row value in the status index; on SQLite
    the rest of the cursor's day as a seek past its id, then the days after it."""
    with connection():
        row = Werkbon.select(Werkbon.due_date, Werkbon.id).where(Werkbon.status == "afgerond")\
            .order_by(Werkbon.due_date, Werkbon.id).offset(40).tuples().first()
    cursor = paging.encode([row[0].isoformat() if hasattr(row[0], "isoformat") else row[0],
                            row[1]])
    statements, resp = werkbon_selects(
        lambda: api.get(f"/api/v1/werkbonnen?status=afgerond&limit=20&cursor={cursor}"))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert len(resp.get_json()["items"]) == 20
    texts = [plan(sql, params) for sql, params in statements]
    if not is_sqlite():
        assert len(statements) == 1, statements
        assert "Index Cond:" in texts[0] and "(ROW(due_date, id) > ROW(" in texts[0], texts[0]
        lines = texts[0].splitlines()
        limit = next(n for n, line in enumerate(lines) if "->  Limit" in line or
                     line.startswith("Limit"))
        assert "Index" in lines[limit + 1] and "Scan" in lines[limit + 1], texts[0]  # no sort
    else:
        assert len(statements) in (1, 2), statements
        assert "(status=? AND due_date=? AND id>?)" in texts[0], texts[0]
        assert not any(sorts(text) or scans_werkbon(text) for text in texts), texts


def test_own_open_werkbonnen_and_a_cursor_day(world, planner, today):
    """"Te doen" of one medewerker reads their open werkbonnen' own partial index (their index
    with every status read the afgerond history first); after a cursor, the rest of the
    cursor's day is a seek past its id (not a read of that whole day up to it): on SQLite a
    statement of its own, on PostgreSQL a row value in the same statement as the days after."""
    from models.werkbonnen.tables import OPEN_MEDEWERKER_INDEX

    path = "/werkbonnen/?status=te_doen&medewerker={medewerker}".format(**world)
    first, _ = captured(planner, path)
    texts = [plan(sql, params) for sql, params in first]
    if is_sqlite():  # (PostgreSQL's choice among the indexes is by cost: a few hundred rows
        # here say nothing about a million; test_filters_use_an_index holds it to an index)
        assert any(OPEN_MEDEWERKER_INDEX in text for text in texts), texts
    with connection():
        row = Werkbon.select(Werkbon.due_date, Werkbon.id).order_by(
            Werkbon.due_date, Werkbon.id).offset(301).tuples().first()
    cursor = paging.encode([row[0].isoformat() if hasattr(row[0], "isoformat") else row[0],
                            row[1]])
    deep, _ = captured(planner, "/werkbonnen/?status=afgerond&cursor=" + cursor)
    if not is_sqlite():
        # one statement: the row value (due_date, id) > (d, i) is a seek in the index on
        # PostgreSQL, the cursor's day and the days after it together
        assert len(deep) == 1, deep
        text = plan(*deep[0])
        assert "Index Cond:" in text and "(ROW(due_date, id) > ROW(" in text, text
        lines = text.splitlines()
        limit = next(n for n, line in enumerate(lines) if "->  Limit" in line)
        assert "Index" in lines[limit + 1] and "Scan" in lines[limit + 1], text  # no sort
        return
    same_day = [plan(sql, params) for sql, params in deep if "ORDER BY" in sql
                and "due_date" not in sql.split("ORDER BY")[-1]]
    assert same_day, deep
    assert "(status=? AND due_date=? AND id>?)" in same_day[0], same_day[0]
