"""The pricing rules beyond a price per year, in the database (SQLite and PostgreSQL): a price
per visit (the schedule's dates; a visit whose werkbonnen were all cancelled does not count
achteraf), per covered active object, an index series the beheerder enters by hand (a figure
entered late corrects what was already invoiced), factureren vanaf, and migration 15 over a
database made before it."""

from datetime import date
from decimal import Decimal

from models.db import connection, db, is_sqlite
from models.facturatie import indexreeksen, service
from models.facturatie.tables import ContractFacturatie, Factuurtermijn
from models.objecten import service as objecten_service
from models.stamdata import calendar_store
from models.werkbonnen import materialise as werkbonnen
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import Werkbon
from tests.objecten_data import covering_contract, klant_with_objecten
from tests.test_facturatie import TERMS, make_contract, sweep, with_terms

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def rows(contract_id):
    with connection():
        return [(t.period_start.isoformat(), t.seq, t.cents, t.quantity, t.description,
                 t.status) for t in Factuurtermijn.select().where(
            Factuurtermijn.contract == contract_id).order_by(Factuurtermijn.period_start,
                                                             Factuurtermijn.seq)]


def invoice(contract_id, period_start):
    with connection():
        ids = [t.id for t in Factuurtermijn.select().where(
            Factuurtermijn.contract == contract_id,
            Factuurtermijn.period_start == date.fromisoformat(period_start))]
        service.mark_invoiced(ids, "F-1", "test")


def test_price_per_visit_achteraf_counts_the_visits_not_cancelled(app):
    # monthly on the 1st (1 January 2027 is Nieuwjaarsdag: moved, still in the kwartaal)
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-01-01", prijs_cents=8500, prijs_per="bezoek",
               factureren="achteraf")
    with connection():
        werkbonnen.sweep(date(2027, 3, 31), calendar_store.free_days())
        february = Werkbon.get(Werkbon.contract == contract.id, Werkbon.due_date
                               == date(2027, 2, 1))
        _saved, errors = werkbon_service.change(
            february, {"status": "geannuleerd", "cancel_reason": "Klant heeft afgezegd"}, "test",
            date(2027, 3, 31))
        assert errors == {}
    assert sweep("2027-03-31").created == 0  # achteraf: after the kwartaal
    assert sweep("2027-04-01").created == 1
    (q1,) = rows(contract.id)
    assert q1[2:4] == (2 * 8500, 2)  # three planned, one cancelled
    assert q1[4] == "Preventief " + contract.number + \
        ", 1e kwartaal 2027: 2 bezoeken à € 85,00"


def test_price_per_visit_vooraf_invoices_the_planned_visits(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-01-01", prijs_cents=8500, prijs_per="bezoek")
    sweep("2027-04-01")
    assert [(r[0], r[2], r[3]) for r in rows(contract.id)] == [
        ("2027-01-01", 25500, 3), ("2027-04-01", 25500, 3)]
    # invoiced for 3; then a visit is cancelled (no automatic credit: the count invoiced
    # stays) and the price is raised: the correction is at the count invoiced
    invoice(contract.id, "2027-01-01")
    with connection():
        werkbonnen.sweep(date(2027, 3, 31), calendar_store.free_days())
        february = Werkbon.get(Werkbon.contract == contract.id,
                               Werkbon.due_date == date(2027, 2, 1))
        assert werkbon_service.change(february, {"status": "geannuleerd",
                                                 "cancel_reason": "Klant ziek"}, "test",
                                      date(2027, 3, 31))[1] == {}
    with connection():
        current = ContractFacturatie.get(ContractFacturatie.contract == contract.id)
        _row, corrected = service.save_terms(
            contract.id, dict(TERMS, prijs_cents=9000, prijs_per="bezoek"), current.version,
            "test", date(2027, 4, 2))
    assert corrected == 1
    got = [(r[0], r[1], r[2], r[3]) for r in rows(contract.id)]
    assert got == [("2027-01-01", 0, 25500, 3), ("2027-01-01", 1, 1500, None),
                   ("2027-04-01", 0, 27000, 3)]
    assert rows(contract.id)[1][4] == f"Correctie Preventief {contract.number}, 1e kwartaal 2027"


def test_price_per_object_counts_covered_active_objects(app):
    klant, _werkadressen, objecten = klant_with_objecten(places=1, per_place=3)
    contract = covering_contract(klant, objecten[:3], start="2027-01-01")
    with_terms(contract, "2027-01-01", prijs_cents=2500, prijs_per="object")
    assert len(rows(contract.id)) == 1  # saving made the 1e kwartaal's termijn
    with connection():
        # one object taken out of use on 15 May: counted in the 2e kwartaal (active on 1 April)
        _obj, errors = objecten_service.set_status(objecten[0], "buiten_gebruik",
                                                   date(2027, 5, 15), "test", date(2027, 5, 15))
        assert errors == {}
    sweep("2027-07-01")
    got = [(r[0], r[2], r[3]) for r in rows(contract.id)]
    # 3 x 25,00 = 75,00 a year: 18,75 a kwartaal; from July 2: 50,00 a year, 12,50
    assert got == [("2027-01-01", 1875, 3), ("2027-04-01", 1875, 3), ("2027-07-01", 1250, 2)]
    assert rows(contract.id)[2][4].endswith("3e kwartaal 2027: 2 objecten à € 25,00 per jaar")


CAO = {2025: "121,9", 2026: "126,1", 2028: "133,0"}  # CBS CAO-lonen style, 2027 not yet out


def test_index_series_entered_late_corrects_the_invoiced_period(app):
    with connection():
        reeks, errors = indexreeksen.create("CBS CAO-lonen", "beheerder")
        assert errors == {}
        for year, figure in CAO.items():
            assert indexreeksen.save_figure(reeks.id, str(year), figure, "beheerder") == (0, {})
    contract = make_contract("2025-03-01")
    with_terms(contract, "2025-03-01", factuurperiode="jaar", index_reeks_id=reeks.id,
               index_date=date(2025, 1, 1))
    sweep("2027-06-01")
    # 2025 pro rata 306/365 of 1.200,00; 2026 x 126,1/121,9; 2027 not entered: unchanged
    assert [(r[0], r[2]) for r in rows(contract.id)] == [
        ("2025-01-01", 100603), ("2026-01-01", 124135), ("2027-01-01", 124135)]
    with connection():
        preview = service.preview(contract, service.terms_row(contract.id).values,
                                  date(2027, 6, 1))
    assert preview.missing_year == 2027
    assert preview.notes[date(2026, 1, 1)] == "CBS CAO-lonen 2026: 126,1 / 2025: 121,9"
    invoice(contract.id, "2027-01-01")
    with connection():  # 2027 published: 128,4
        assert indexreeksen.save_figure(reeks.id, "2027", "128,4", "beheerder") == (1, {})
    counts = sweep("2027-06-02")
    assert counts.corrected == 1
    got = [(r[0], r[1], r[2], r[5]) for r in rows(contract.id)]
    assert got[2:] == [("2027-01-01", 0, 124135, "gefactureerd"),
                       ("2027-01-01", 1, 126399 - 124135, "concept")]  # x 128,4 / 121,9
    assert sweep("2027-06-03").corrected == 0  # once


def test_index_figure_checks_in_dutch(app):
    with connection():
        reeks, _ = indexreeksen.create("CPI", "beheerder")
        assert indexreeksen.create("CPI", "beheerder")[1] == {
            "naam": "Er is al een indexreeks met deze naam."}
        assert indexreeksen.save_figure(reeks.id, "27", "1,0", "b")[1] == {
            "jaar": "Vul een jaartal in tussen 1950 en 2200, zoals 2027."}
        assert indexreeksen.save_figure(reeks.id, "2027", "abc", "b")[1] == {
            "cijfer": "Vul het indexcijfer in als getal, zoals 118,4."}
        assert indexreeksen.save_figure(reeks.id, "2027", "0", "b")[1] == {
            "cijfer": "Een indexcijfer ligt tussen 0 en 100.000."}
        assert indexreeksen.save_figure(reeks.id, "2027", "1,2345", "b")[1] == {
            "cijfer": "Gebruik hooguit drie decimalen."}
        indexreeksen.save_figure(reeks.id, "2027", "128,4", "b")
        indexreeksen.save_figure(reeks.id, "2027", "128,5", "b")  # corrected: one row
        (series,) = indexreeksen.all_series()
    assert series.figures == [(2027, "128.5")]


def test_factureren_vanaf_a_running_contract_priced_today(app):
    contract = make_contract("2026-01-01")
    with connection():
        vanaf = service.default_vanaf(contract, dict(TERMS), date(2027, 5, 10))
    assert vanaf == date(2027, 4, 1)  # today's kwartaal, not since the start in 2026
    with_terms(contract, "2027-05-10", factureren_vanaf=vanaf)
    assert [(r[0], r[2]) for r in rows(contract.id)] == [("2027-04-01", 30000)]
    new = make_contract("2027-06-01", number_of_klant="D-2")
    with connection():
        assert service.default_vanaf(new, dict(TERMS), date(2027, 5, 10)) is None


def test_migration_15_adds_its_columns_to_a_database_from_before(app):
    with connection():
        for table, column in (("contract_facturatie", "prijs_per"),
                              ("contract_facturatie", "index_reeks_id"),
                              ("contract_facturatie", "factureren_vanaf"),
                              ("factuurtermijn", "quantity")):
            assert any(c.name == column for c in db.get_columns(table)), (table, column)
        # a database at 14: the new columns and tables not there yet, a priced contract in it
        from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
        from playhouse.migrate import migrate as run

        from models.migrations import SchemaMigration, has_column, migrate

        contract = make_contract("2027-01-01")
        with_terms(contract, "2027-01-01")
        migrator = SqliteMigrator(db.obj) if is_sqlite() else PostgresqlMigrator(db.obj)
        with db.atomic():
            legacy = {"legacy": True} if is_sqlite() else {}  # (a rebuild: it is an FK)
            run(migrator.drop_column("contract_facturatie", "prijs_per"),
                migrator.drop_column("contract_facturatie", "index_reeks_id", **legacy),
                migrator.drop_column("contract_facturatie", "factureren_vanaf"),
                migrator.drop_column("factuurtermijn", "quantity"))
            db.execute_sql("DROP TABLE indexcijfer")
            db.execute_sql("DROP TABLE indexreeks")
            SchemaMigration.delete().where(SchemaMigration.version == 15).execute()
        assert not has_column("contract_facturatie", "prijs_per")
        assert migrate() == [15]
        assert has_column("contract_facturatie", "prijs_per")
        assert has_column("factuurtermijn", "quantity")
        row = ContractFacturatie.get(ContractFacturatie.contract == contract.id)
        assert (row.prijs_per, row.index_reeks_id, row.factureren_vanaf) == ("jaar", None, None)
        assert Decimal(indexreeksen.parse_figure("118,4")[0]) == Decimal("118.4")
