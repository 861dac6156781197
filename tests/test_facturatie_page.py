"""Te factureren in pages: the termijnen 50 at a time ("Volgende pagina", a keyset cursor), the
totals per klant 25 klanten at a time ("Volgende klanten"), the totals of the whole selection
on every page, a broken cursor giving the first page, and the streamed CSV holding every row.
On SQLite and on PostgreSQL."""

import csv
import html as htmllib
import io
import re

from models.db import connection, db
from models.stamdata.klanten import Klant
from tests.test_facturatie import make_contract, with_terms

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def seed(count=30):
    """`count` klanten with a monthly contract from 1 January 2027: two termijnen each by
    15 February (January and February)."""
    for n in range(count):
        contract = make_contract("2027-01-01", number_of_klant=f"D-{n:02d}")
        with connection():
            Klant.update(name=f"Klant {count - n:02d}").where(
                Klant.id == contract.klant_id).execute()
        with_terms(contract, "2027-02-15", factuurperiode="maand",
                   btw_tarief=("21", "9", "verlegd")[n % 3])


def ids_of(body: str) -> list[int]:
    return [int(i) for i in re.findall(r'name="ids" value="(\d+)"', body)]


def klanten_of(body: str) -> list[str]:
    table = re.search(r'id="totaal-klant-kop".*?</table>', body, re.S).group(0)
    return re.findall(r"<tr><td>(Klant \d+)</td>", table)


def foot(body: str) -> str:
    return re.search(r"<tfoot>.*?</tfoot>", body, re.S).group(0)


def link(body: str, text: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)"[^>]*>{text}</a>', body)
    return htmllib.unescape(found.group(1)) if found else None


def test_rows_and_klanten_in_pages_with_the_totals_of_everything(app, planner):
    app.config["TODAY"] = "2027-02-15"
    seed()
    with connection():
        expected = [r[0] for r in db.execute_sql(
            "SELECT id FROM factuurtermijn ORDER BY invoice_on, id").fetchall()]
        count, cents = db.execute_sql(
            "SELECT count(*), sum(cents) FROM factuurtermijn").fetchone()
    assert count == 60
    first = planner.get("/facturatie/", htmx=True).get_data(as_text=True)
    assert ids_of(first) == expected[:50]
    assert f'<td class="getal">{count}</td>' in foot(first)
    following = link(first, "Volgende pagina")
    assert following and "cursor=" in following
    second = planner.get(following, htmx=True).get_data(as_text=True)
    assert ids_of(second) == expected[50:]
    assert link(second, "Volgende pagina") is None
    assert link(second, "Eerste pagina") is not None
    assert foot(second) == foot(first)  # the totals cover the whole selection on every page

    # totals per klant: 25 klanten by name, then the other 5
    assert klanten_of(first) == [f"Klant {n:02d}" for n in range(1, 26)]
    more = link(first, "Volgende klanten")
    assert more and "klanten=" in more
    rest = planner.get(more, htmx=True).get_data(as_text=True)
    assert klanten_of(rest) == [f"Klant {n:02d}" for n in range(26, 31)]
    assert link(rest, "Volgende klanten") is None

    # a filter keeps its pages: BTW 9 % is a third of them (20), one page
    nine = planner.get("/facturatie/?btw=9", htmx=True).get_data(as_text=True)
    assert len(ids_of(nine)) == 20 and link(nine, "Volgende pagina") is None
    assert '<td class="getal">20</td>' in foot(nine)

    # a cursor that is not one of ours: the first page, not an error
    broken = planner.get("/facturatie/?cursor=bm90LWEtY3Vyc29y&klanten=W1tbWw", htmx=True)
    assert broken.status_code == 200
    assert ids_of(broken.get_data(as_text=True)) == expected[:50]

    # the CSV (streamed): every termijn of the selection, read back
    resp = planner.get("/facturatie/export.csv")
    assert resp.status_code == 200 and resp.is_streamed
    rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"), newline=""),
                           delimiter=";"))
    assert [int(r[-1]) for r in rows[1:]] == expected
    assert sum(int(r[7].replace(",", "")) for r in rows[1:]) == cents
    assert rows[1][0] == "01-01-2027"


def test_every_page_of_the_list_reads_its_order_from_an_index(app):
    """The list's pages in (invoicing day, id) order come from an index in that order, never
    from sorting the selection: all monthly termijnen share the 1st, and sorting a day's
    termijnen for a page of 50 was 106 ms on PostgreSQL at 100,000 open termijnen (its index
    entries do not end in the id as SQLite's end in the rowid: migration 17). Also a page
    after a cursor, filtered on a BTW rate or on a klant. The plans are asked with sorting
    made a last resort (PostgreSQL: enable_sort off), so only a missing index shows a sort."""
    from datetime import date

    from models.db import is_sqlite
    from models.facturatie import service
    from models.facturatie import totals as totals_store

    app.config["TODAY"] = "2027-02-15"
    seed(6)
    with connection():
        klant_id = db.execute_sql("SELECT min(klant_id) FROM factuurtermijn").fetchone()[0]
        first_id = db.execute_sql("SELECT min(id) FROM factuurtermijn").fetchone()[0]
        seen = []
        real = db.obj.execute_sql

        def capture(sql, params=None, *args, **kwargs):
            seen.append((sql, list(params or ())))
            return real(sql, params, *args, **kwargs)

        db.obj.execute_sql = capture
        try:
            for filters in (service.Filters(date_to=date(2027, 2, 15)),
                            service.Filters(date_to=date(2027, 2, 15), btw_tarief="9"),
                            service.Filters(date_to=date(2027, 2, 15), klant_id=klant_id)):
                for after in (None, (date(2027, 1, 1), first_id)):
                    totals_store.rows_page(filters, after, 2)
        finally:
            del db.obj.execute_sql
        assert len(seen) >= 6
        if not is_sqlite():
            for setting in ("enable_sort", "enable_incremental_sort", "enable_seqscan"):
                db.execute_sql(f"SET {setting} = off")
        try:
            for sql, params in seen:
                if is_sqlite():
                    plan = " ".join(str(r[-1]) for r in db.execute_sql(
                        "EXPLAIN QUERY PLAN " + sql, params).fetchall())
                    assert "TEMP B-TREE" not in plan, (sql, plan)
                else:
                    plan = " ".join(r[0] for r in db.execute_sql("EXPLAIN " + sql, params))
                    assert "Sort" not in plan, (sql, plan)
        finally:
            if not is_sqlite():
                db.execute_sql("RESET ALL")
