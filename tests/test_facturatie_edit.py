"""An edit of a priced contract and its factuurtermijnen (models/facturatie/edit.py): Controle's
effect (the preview's functions over the edited contract) and the save doing exactly that in the
edit's transaction, not on the next sweep; a termijn gefactureerd in between is caught by the
digest. And the Te factureren totals the database keeps (models/facturatie/totals.py) equal a
fresh SUM after sweeps, marks, edits, corrections, deletes and concurrent writers. On SQLite and
on PostgreSQL."""

import threading
from datetime import date

import pytest

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.contracts.tables import Contract
from models.db import connection, db
from models.facturatie import edit as facturatie_edit
from models.facturatie import service
from models.facturatie.tables import Factuurtermijn
from models.werkbonnen import replan
from tests.test_facturatie import make_contract, sweep, termijnen, with_terms

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def edited_values(contract_id, today, **changes):
    contract = Contract.get_by_id(contract_id)
    data = contract_service.serialise(contract, today)
    for key in ("id", "number", "status", "version", "contracttype_name"):
        data.pop(key)
    data["schedule"].pop("description")
    data.update(changes)
    values, errors = contract_checks.check(data, contract)
    assert errors == {}, errors
    return contract, values


def effect_of(contract_id, today, **changes):
    """What Controle shows: (termijnen effect, the digest it carries to the save)."""
    with connection():
        contract, values = edited_values(contract_id, today, **changes)
        edited = contract_service.edited(contract, values)
        from models.stamdata import calendar_store

        werkbonnen = replan.effect(contract, edited, today, calendar_store.free_days())
        found = facturatie_edit.termijnen_effect(edited, today)
        return found, facturatie_edit.fingerprint(werkbonnen.fingerprint, found)


def save(contract_id, today, shown=None, **changes):
    with connection():
        contract, values = edited_values(contract_id, today, **changes)
        return facturatie_edit.save_edit(contract, values, contract.version, "planner", today,
                                         shown=shown)


def mark(*period_starts):
    if not period_starts:
        return
    with connection():
        ids = [t.id for t in Factuurtermijn.select().where(
            Factuurtermijn.period_start.in_(period_starts), Factuurtermijn.seq == 0)]
        service.mark_invoiced(ids, "F-1", "test")


def summary(found):
    return ({"new": [(t.period.start, t.cents) for t in found.new],
             "changed": [(c.period_start, c.concept_before, c.concept_after)
                         for c in found.recomputed],
             "corrections": [(c.period_start, c.correction) for c in found.corrections]}
            if found is not None else None)


Q = {n: date(2027, 3 * n - 2, 1) for n in (1, 2, 3, 4)}

# (name, contract start, invoiced quarters, today, the edit, what Controle shows, the termijnen
# after the save). A kwartaal vooraf at 1.200,00 a year: 300,00 a quarter; Q4 2027 has 92 days,
# Q1 90, Q2 91.
EDITS = [
    ("end earlier after invoicing: a credit, the invoiced termijn unchanged",
     "2027-01-01", (1, 2, 3, 4), date(2027, 10, 20), {"end_date": "2027-11-15"},
     {"new": [], "changed": [], "corrections": [(Q[4], -15000)]},
     [(Q[1], 0, 30000, "gefactureerd"), (Q[2], 0, 30000, "gefactureerd"),
      (Q[3], 0, 30000, "gefactureerd"), (Q[4], 0, 30000, "gefactureerd"),
      (Q[4], 1, -15000, "concept")]),
    ("end earlier before invoicing: the concept termijn recomputed, no credit",
     "2027-01-01", (1, 2, 3), date(2027, 10, 20), {"end_date": "2027-11-15"},
     {"new": [], "changed": [(Q[4], 30000, 15000)], "corrections": []},
     [(Q[1], 0, 30000, "gefactureerd"), (Q[2], 0, 30000, "gefactureerd"),
      (Q[3], 0, 30000, "gefactureerd"), (Q[4], 0, 15000, "concept")]),
    ("end before a whole invoiced quarter: that quarter credited in full",
     "2027-01-01", (1, 2, 3, 4), date(2027, 10, 20), {"end_date": "2027-09-30"},
     {"new": [], "changed": [], "corrections": [(Q[4], -30000)]},
     [(Q[1], 0, 30000, "gefactureerd"), (Q[2], 0, 30000, "gefactureerd"),
      (Q[3], 0, 30000, "gefactureerd"), (Q[4], 0, 30000, "gefactureerd"),
      (Q[4], 1, -30000, "concept")]),
    ("start moved later after invoicing: the first quarter pro rata, credited",
     "2027-01-01", (1,), date(2027, 4, 2), {"start_date": "2027-02-01"},
     # Q1 covers 1 Feb .. 31 Mar: 59 of 90 days of 300,00 = 196,67
     {"new": [], "changed": [], "corrections": [(Q[1], 19667 - 30000)]},
     [(Q[1], 0, 30000, "gefactureerd"), (Q[1], 1, -10333, "concept"),
      (Q[2], 0, 30000, "concept")]),
    ("start moved earlier: the quarters now due get their termijn at once",
     "2027-04-01", (), date(2027, 4, 2), {"start_date": "2027-01-01"},
     {"new": [(Q[1], 30000)], "changed": [], "corrections": []},
     [(Q[1], 0, 30000, "concept"), (Q[2], 0, 30000, "concept")]),
    ("an edit that leaves the factuurperiodes alone: no termijn changes",
     "2027-01-01", (1,), date(2027, 4, 2), {"description": "Onderhoud en inspectie"},
     {"new": [], "changed": [], "corrections": []},
     [(Q[1], 0, 30000, "gefactureerd"), (Q[2], 0, 30000, "concept")]),
]


@pytest.mark.parametrize("name, start, invoiced, today, changes, shown, after", EDITS,
                         ids=[e[0].split(":")[0] for e in EDITS])
def test_an_edit_shows_and_makes_its_termijnen_effect(app, name, start, invoiced, today,
                                                      changes, shown, after):
    contract = make_contract(start)
    with_terms(contract, today.isoformat())
    mark(*(Q[n] for n in invoiced))
    found, digest = effect_of(contract.id, today, **changes)
    assert summary(found) == shown
    assert found.empty == (shown == {"new": [], "changed": [], "corrections": []})
    save(contract.id, today, shown=digest, **changes)
    # made by the save itself (no sweep ran): exactly what Controle showed
    assert termijnen(contract.id) == after
    with connection():
        assert facturatie_edit.termijnen_effect(Contract.get_by_id(contract.id), today).empty
    assert sweep(today.isoformat()).corrected == 0  # the sweep finds nothing left to do
    assert termijnen(contract.id) == after
    assert_totals_fresh()


def test_a_termijn_invoiced_after_controle_refuses_the_save(app):
    contract = make_contract("2027-01-01")
    today = date(2027, 10, 20)
    with_terms(contract, today.isoformat())
    mark(Q[1], Q[2], Q[3])
    found, digest = effect_of(contract.id, today, end_date="2027-11-15")
    assert summary(found)["changed"] == [(Q[4], 30000, 15000)]
    mark(Q[4])  # a colleague invoices Q4 meanwhile: the edit would now be a credit
    before = termijnen(contract.id)
    with connection():
        version = Contract.get_by_id(contract.id).version
    with pytest.raises(replan.PlanChanged):
        save(contract.id, today, shown=digest, end_date="2027-11-15")
    with connection():
        assert Contract.get_by_id(contract.id).version == version  # nothing written
    assert termijnen(contract.id) == before
    found, digest = effect_of(contract.id, today, end_date="2027-11-15")
    assert summary(found)["corrections"] == [(Q[4], -15000)]
    save(contract.id, today, shown=digest, end_date="2027-11-15")
    assert termijnen(contract.id)[-1] == (Q[4], 1, -15000, "concept")


def test_a_contract_without_price_keeps_the_werkbonnen_digest(app):
    contract = make_contract("2027-01-01")
    found, digest = effect_of(contract.id, date(2027, 4, 2), end_date="2027-11-15")
    assert found is None
    with connection():
        current = Contract.get_by_id(contract.id)
        _c, values = edited_values(contract.id, date(2027, 4, 2), end_date="2027-11-15")
        from models.stamdata import calendar_store

        plain = replan.effect(current, contract_service.edited(current, values),
                              date(2027, 4, 2), calendar_store.free_days())
    assert digest == plain.fingerprint
    save(contract.id, date(2027, 4, 2), shown=digest, end_date="2027-11-15")
    assert termijnen(contract.id) == []


# --------------------------------------------------------------------------- the stored totals


def fresh() -> dict:
    """The totals straight from the termijnen, per (status, klant, tarief, day)."""
    with connection():
        rows = db.execute_sql(
            "SELECT status, klant_id, btw_tarief, invoice_on, SUM(cents), SUM(btw_cents), "
            "COUNT(*) FROM factuurtermijn GROUP BY status, klant_id, btw_tarief, invoice_on"
        ).fetchall()
    return {(s, k, t, str(d)): (int(c), int(b), n) for s, k, t, d, c, b, n in rows}


def stored() -> tuple[dict, dict]:
    with connection():
        per_klant = db.execute_sql(
            "SELECT status, klant_id, btw_tarief, cents, btw_cents, count "
            "FROM termijn_totaal_klant_alles WHERE count <> 0").fetchall()
        per_day = db.execute_sql(
            "SELECT status, btw_tarief, invoice_on, cents, btw_cents, count "
            "FROM termijn_totaal_dag WHERE count <> 0").fetchall()
        zero_but_money = sum(db.execute_sql(
            f"SELECT count(*) FROM {table} WHERE count = 0 AND (cents <> 0 OR btw_cents <> 0)"
        ).fetchone()[0] for table in ("termijn_totaal_klant_alles", "termijn_totaal_dag"))
    assert zero_but_money == 0
    return ({(s, k, t): (int(c), int(b), n) for s, k, t, c, b, n in per_klant},
            {(s, t, str(d)): (int(c), int(b), n) for s, t, d, c, b, n in per_day})


def assert_totals_fresh():
    expected = fresh()
    per_klant, per_day = stored()
    days: dict = {}
    klanten: dict = {}
    for (s, k, t, d), (c, b, n) in expected.items():
        for into, key in ((days, (s, t, d)), (klanten, (s, k, t))):
            old = into.get(key, (0, 0, 0))
            into[key] = (old[0] + c, old[1] + b, old[2] + n)
    assert per_day == days
    assert per_klant == klanten


def page_totals(**filters):
    with connection():
        return service.totals(service.Filters(**filters), klanten_limit=1000)


def fresh_totals(where="1 = 1", params=()):
    with connection():
        mark_ = "?" if db.obj.param == "?" else "%s"
        rows = db.execute_sql(
            "SELECT btw_tarief, SUM(cents), SUM(btw_cents), COUNT(*) FROM factuurtermijn "
            f"WHERE {where.replace('?', mark_)} GROUP BY btw_tarief", params).fetchall()
    return {t: (int(c), int(b), n) for t, c, b, n in rows}


def test_stored_totals_equal_a_fresh_sum_after_every_kind_of_write(app):
    a = make_contract("2027-01-01")
    b = make_contract("2027-02-15", number_of_klant="D-2")
    with_terms(a, "2027-01-01")
    with_terms(b, "2027-01-01", btw_tarief="9", factuurperiode="maand")
    assert_totals_fresh()
    sweep("2027-06-01")  # the worker's executemany
    assert_totals_fresh()
    mark(Q[1], Q[2], date(2027, 3, 1))  # mark gefactureerd
    assert_totals_fresh()
    with connection():
        row = service.terms_row(a.id)
        service.save_terms(a.id, dict(row.values, prijs_cents=150000), row.version, "test",
                           date(2027, 6, 2))  # a correction and concepts recomputed
    assert_totals_fresh()
    save(b.id, date(2027, 6, 3), end_date="2027-04-10")  # an edit: credits, concepts dropped
    assert_totals_fresh()
    with connection():
        Factuurtermijn.delete().where(Factuurtermijn.status == "concept",
                                      Factuurtermijn.contract == b.id).execute()
    assert_totals_fresh()
    # what the page shows, per filter, equals a fresh SUM (to the cent)
    for filters, where, params in [
            ({"status": "concept", "date_to": date(2027, 6, 30)},
             "status = 'concept' AND invoice_on <= ?", (date(2027, 6, 30),)),
            ({"status": "", "date_to": date(2027, 4, 1)}, "invoice_on <= ?", (date(2027, 4, 1),)),
            # most termijnen inside the range: a klant's total minus its days outside it
            ({"status": "", "date_from": date(2027, 1, 2), "date_to": date(2027, 12, 31)},
             "invoice_on >= ? AND invoice_on <= ?", (date(2027, 1, 2), date(2027, 12, 31))),
            ({"status": "gefactureerd", "btw_tarief": "9"},
             "status = 'gefactureerd' AND btw_tarief = '9'", ()),
            ({"status": "", "klant_id": b.klant_id}, "klant_id = ?", (b.klant_id,)),
            ({"status": "", "contract_id": a.id, "date_from": date(2027, 4, 1)},
             "contract_id = ? AND invoice_on >= ?", (a.id, date(2027, 4, 1)))]:
        shown = page_totals(**filters)
        expected = fresh_totals(where, params)
        assert {r[0]: tuple(r[1:]) for r in shown["btw"]} == expected, filters
        assert shown["count"] == sum(v[2] for v in expected.values())
        assert sum(k[4] for k in shown["klanten"]) == shown["count"]
        assert sum(k[2] for k in shown["klanten"]) == shown["cents"]


def test_stored_totals_survive_concurrent_sweeps_and_marks(app):
    """Two sweeps and two planners marking at the same moment, each on its own connection:
    every write adds to the same rows of sums; they still equal a fresh SUM."""
    contracts = [make_contract("2027-01-01", number_of_klant=f"D-{n % 3}") for n in range(6)]
    for contract in contracts:
        with_terms(contract, "2026-12-01", factuurperiode="maand")
    sweep("2027-03-01")
    with connection():
        ids = [t.id for t in Factuurtermijn.select().order_by(Factuurtermijn.id)]
    halves = [ids[0::2], ids[1::2]]
    start = threading.Barrier(4)
    failures = []

    def run(work):
        try:
            with connection():
                start.wait(timeout=30)
                work()
        except Exception as exc:  # noqa: BLE001 - reported below
            failures.append(repr(exc))
        finally:
            db.close()

    from models.facturatie import materialise

    jobs = [lambda: materialise.sweep(date(2027, 9, 1)),
            lambda: materialise.sweep(date(2027, 9, 1)),
            lambda: service.mark_invoiced(halves[0], "F-A", "a"),
            lambda: service.mark_invoiced(halves[1], "F-B", "b")]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert len(termijnen()) == 6 * 9  # January .. September, once each
    with connection():
        assert Factuurtermijn.select().where(Factuurtermijn.status == "gefactureerd").count() \
            == len(ids)
    assert_totals_fresh()


def test_migration_14_fills_the_totals_from_the_termijnen_there_are(app):
    """What migration 14 does on a database that has termijnen: totals.rebuild()."""
    from models.facturatie import totals

    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-10-01")
    mark(Q[1])
    with connection():
        for table in ("termijn_totaal_klant_alles", "termijn_totaal_dag"):
            db.execute_sql(f"DELETE FROM {table}")
    with pytest.raises(AssertionError):
        assert_totals_fresh()
    with connection():
        totals.rebuild()
    assert_totals_fresh()


def test_controle_counts_the_visits_as_of_the_edits_own_day(app):
    """A price per bezoek counts the schedule's visits up to a horizon after *today*. Controle's
    effect took the server's date for that (the date of the machine, not the company's: a day
    behind in the company's first hour, and in this test years behind), so a quarter past that
    horizon was priced for the visits it had before it: fewer than it has. Now the edit's own
    day, as the save and the sweep count."""
    contract = make_contract("2027-01-01")
    with_terms(contract, "2026-12-01", prijs_cents=8500, prijs_per="bezoek")  # nothing due yet
    today = date(2030, 4, 2)  # beyond the horizon of the real date (quantities.HORIZON_DAYS)
    found, digest = effect_of(contract.id, today, description="Onderhoud en inspectie")
    new = [(t.period.start, t.cents) for t in found.new]
    # monthly on the 1st: three visits a quarter (a free 1st moves to the next working day,
    # within its quarter), every quarter from the start up to the one of `today`
    assert new == [(date(year, month, 1), 3 * 8500) for year in (2027, 2028, 2029, 2030)
                   for month in (1, 4, 7, 10) if date(year, month, 1) <= today]
    save(contract.id, today, shown=digest, description="Onderhoud en inspectie")
    assert [(start, cents) for start, seq, cents, _status in termijnen(contract.id)] == new
    assert sweep(today.isoformat()).created == 0
