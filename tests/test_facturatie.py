"""Factuurtermijnen in the database: the worker's sweep (exactly once per contract and period,
catch-up), the terms' save with its corrections after invoicing, an early end crediting an
invoiced period, and two real `rq worker` processes sweeping at the same moment. On SQLite
and on PostgreSQL."""

import os
import time
from datetime import date
from decimal import Decimal

import pytest
from peewee import fn
from rq import Queue
from rq.job import JobStatus
from rq.registry import FailedJobRegistry

from jobs.connection import QUEUE
from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.contracts.tables import Contract
from models.db import connection, write_transaction
from models.facturatie import materialise, service
from models.facturatie.tables import ContractFacturatie, Factuurtermijn
from models.stamdata.instellingen import Beeindigingsreden
from models.stamdata.klanten import Klant
from models.werkbonnen.contract_end import end_contract
from tests.test_generation_robustness import blocked_clients, logs, reap, spawn_worker

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TERMS = {"prijs_cents": 120000, "btw_tarief": "21", "factuurperiode": "kwartaal",
         "factureren": "vooraf", "index_pct": "", "index_date": None}


def make_contract(start="2027-01-01", end=None, number_of_klant="D-1") -> Contract:
    with connection():
        klant = Klant.get_or_none(Klant.customer_number == number_of_klant) or Klant.create(
            customer_number=number_of_klant, name="Bakkerij Jansen")
        data = {"klant_id": klant.id, "contracttype": "preventief", "description": "Onderhoud",
                "start_date": start, "end_date": end, "days_in_advance": 0,
                "schedule": {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"},
                "werkbon": {"start_time": "08:30", "duration_minutes": 60}}
        values, errors = contract_checks.check(data)
        assert errors == {}
        return contract_service.create(values, "test", date.fromisoformat(start))


def with_terms(contract, today, **changes):
    with connection():
        row, _ = service.save_terms(contract.id, dict(TERMS, **changes), None, "test",
                                    date.fromisoformat(today))
    return row


def termijnen(contract_id=None):
    with connection():
        query = Factuurtermijn.select().order_by(Factuurtermijn.period_start, Factuurtermijn.seq)
        if contract_id:
            query = query.where(Factuurtermijn.contract == contract_id)
        return [(t.period_start, t.seq, t.cents, t.status) for t in query]


def sweep(today):
    with connection():
        return materialise.sweep(date.fromisoformat(today))


def test_sweep_makes_each_period_once_and_catches_up(app):
    contract = make_contract("2027-02-15")
    with_terms(contract, "2027-01-10")  # saved before it starts: nothing due yet
    assert termijnen() == []
    counts = sweep("2027-02-14")
    assert counts.created == 0
    assert sweep("2027-02-15").created == 1
    assert termijnen() == [(date(2027, 1, 1), 0, 15000, "concept")]  # 300,00 * 45/90
    assert sweep("2027-02-15").created == 0  # again: nothing new
    # the worker was down from March to the end of September: it catches up at once
    assert sweep("2027-10-01").created == 3
    assert termijnen() == [(date(2027, 1, 1), 0, 15000, "concept"),
                           (date(2027, 4, 1), 0, 30000, "concept"),
                           (date(2027, 7, 1), 0, 30000, "concept"),
                           (date(2027, 10, 1), 0, 30000, "concept")]
    with connection():
        terms = ContractFacturatie.get()
        assert terms.billed_through == date(2027, 10, 1)
        assert terms.next_invoice_on == date(2028, 1, 1)
        t = Factuurtermijn.get(Factuurtermijn.period_start == date(2027, 1, 1))
        assert t.btw_cents == 3150  # 21 % of 150,00
        assert t.description == (f"Preventief {contract.number}, 1e kwartaal 2027 "
                                 "(pro rata 15-02-2027 t/m 31-03-2027)")
        assert t.invoice_on == date(2027, 2, 15)
    # a sweep with nothing due reads no contract
    assert sweep("2027-12-31").seen == 0


def test_terms_saved_late_catch_up_and_achteraf_waits_for_the_period_end(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-07-15", factureren="achteraf")
    # saving makes what is due at once: Q1 and Q2, invoiced after their end
    assert [t[:3] for t in termijnen()] == [(date(2027, 1, 1), 0, 30000),
                                            (date(2027, 4, 1), 0, 30000)]
    assert sweep("2027-09-30").created == 0
    assert sweep("2027-10-01").created == 1


def _mark_all(today="2027-10-02"):
    with connection():
        ids = [t.id for t in Factuurtermijn.select(Factuurtermijn.id)
               .where(Factuurtermijn.status == "concept")]
        return service.mark_invoiced(ids, "F-2027-001", "test")


def test_price_change_after_invoicing_gives_a_correction_concept_changes_in_place(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-04-01")
    assert [t[2] for t in termijnen()] == [30000, 30000]
    with connection():
        first = Factuurtermijn.select().order_by(Factuurtermijn.id).get()
        service.mark_invoiced([first.id], "F-1", "test")
        row = ContractFacturatie.get()
        preview = service.preview(contract, dict(TERMS, prijs_cents=132000), date(2027, 4, 2))
    # shown before saving: Q1 gets a correction of +30,00, Q2's concept becomes 330,00
    assert [(c.period_start, c.correction, c.concept_before, c.concept_after)
            for c in preview.changes] == [(date(2027, 1, 1), 3000, None, None),
                                          (date(2027, 4, 1), 0, 30000, 33000)]
    with connection():
        _, corrected = service.save_terms(contract.id, dict(TERMS, prijs_cents=132000),
                                          row.version, "test", date(2027, 4, 2))
    assert corrected == 1
    assert termijnen() == [(date(2027, 1, 1), 0, 30000, "gefactureerd"),
                           (date(2027, 1, 1), 1, 3000, "concept"),
                           (date(2027, 4, 1), 0, 33000, "concept")]
    with connection():
        correction = Factuurtermijn.get(Factuurtermijn.seq == 1)
        assert correction.description.startswith(f"Correctie Preventief "
                                                  f"{contract.number}, 1e kwartaal 2027")
        assert correction.invoice_on == date(2027, 4, 2)
        # the invoiced termijn kept its number and amount
        assert Factuurtermijn.get_by_id(first.id).factuurnummer == "F-1"
        # a stale version is refused, nothing written
        with pytest.raises(service.Conflict):
            service.save_terms(contract.id, dict(TERMS, prijs_cents=1), row.version, "test",
                               date(2027, 4, 2))
    assert termijnen()[-1][2] == 33000


def test_early_end_credits_the_invoiced_period_through_the_sweep(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-10-01")
    assert _mark_all() == 4
    with connection():
        reason = Beeindigingsreden.select().first()
        end_contract(Contract.get_by_id(contract.id), date(2027, 11, 15), reason, "", "test",
                     date(2027, 10, 20))
    counts = sweep("2027-10-20")  # the contract's version changed: reconciled
    assert counts.corrected == 1
    # Q4 covers 1 Oct .. 15 Nov now: 300,00 * 46/92 = 150,00; 300,00 was invoiced
    assert termijnen()[-1] == (date(2027, 10, 1), 1, -15000, "concept")
    with connection():
        credit = Factuurtermijn.get(Factuurtermijn.seq == 1)
        assert credit.description.startswith("Creditering")
        assert credit.btw_cents == -3150
    assert sweep("2027-10-21").corrected == 0  # once
    assert sweep("2028-02-01").created == 0  # nothing after the end


def test_indexation_applies_to_periods_starting_on_or_after_it(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2028-04-01", index_pct="10", index_date=date(2027, 5, 10))
    # 2027: Q1, Q2 at 1.200,00; Q3, Q4 and 2028 Q1 at 1.320,00; Q2 2028 too: it starts on
    # 1 April, before the second indexation (10 May 2028)
    assert [t[2] for t in termijnen()] == [30000, 30000, 33000, 33000, 33000, 33000]
    with connection():
        preview = service.preview(contract, ContractFacturatie.get().values, date(2028, 4, 1))
    assert preview.yearly_cents == 132000
    # the history so far and the next indexation
    assert [(d, c) for d, c in preview.history] == [(date(2027, 1, 1), 120000),
                                                    (date(2027, 5, 10), 132000),
                                                    (date(2028, 5, 10), 145200)]
    assert Decimal(preview.history[-1][1]) / 132000 == Decimal("1.1")


def test_mark_invoiced_refuses_twice_and_unknown(app):
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-01-01")
    with connection():
        t = Factuurtermijn.get()
        assert service.mark_invoiced([t.id], "F-9", "test") == 1
        with pytest.raises(service.Refused) as refused:
            service.mark_invoiced([t.id], "F-10", "test")
        assert "al gefactureerd" in refused.value.errors["ids"]
        with pytest.raises(service.Refused):
            service.mark_invoiced([t.id + 1000], "F-10", "test")
        assert Factuurtermijn.get_by_id(t.id).factuurnummer == "F-9"


# --------------------------------------------------------------------------- two workers

CONTRACTS = 600


def seed(count: int) -> None:
    """`count` contracts with terms (monthly, vooraf) from 1 January 2027, fast: copies of one
    contract and its terms row, all due."""
    first = make_contract("2027-01-01")
    with connection():
        ContractFacturatie.create(contract=first.id, prijs_cents=100000, btw_tarief="21",
                                  factuurperiode="maand", factureren="vooraf",
                                  next_invoice_on=date(2027, 1, 1), contract_version=1)
        row = Contract.select().where(Contract.id == first.id).dicts().get()
        row.pop("id")
        with write_transaction():
            for offset in range(0, count - 1, 200):
                Contract.insert_many([dict(row, number=f"C-SEED-{n:06d}")
                                      for n in range(offset, min(offset + 200, count - 1))]
                                     ).execute()
            ids = [c.id for c in Contract.select(Contract.id).where(Contract.id != first.id)]
            for offset in range(0, len(ids), 200):
                ContractFacturatie.insert_many([
                    {"contract": cid, "prijs_cents": 100000, "btw_tarief": "21",
                     "factuurperiode": "maand", "factureren": "vooraf",
                     "next_invoice_on": date(2027, 1, 1), "contract_version": 1}
                    for cid in ids[offset:offset + 200]]).execute()


@pytest.mark.slow
def test_two_worker_processes_make_each_termijn_once(app, redis_conn, redis_url, tmp_path):
    seed(CONTRACTS)
    queue = Queue(QUEUE, connection=redis_conn)
    log_a, log_b = tmp_path / "worker-a.log", tmp_path / "worker-b.log"
    procs = []
    try:
        procs.append(spawn_worker(app, redis_url, "werker-a", log_a, max_jobs=2))
        procs.append(spawn_worker(app, redis_url, "werker-b", log_b, max_jobs=2))
        deadline = time.monotonic() + 60
        while blocked_clients(redis_conn) < 2:
            assert time.monotonic() < deadline, logs(log_a, log_b)
            assert all(p.poll() is None for p in procs), logs(log_a, log_b)
            time.sleep(0.02)
        start_line = f"cadans-termijnen-start-{os.getpid()}-{time.monotonic_ns()}"
        jobs = queue.enqueue_many(
            [Queue.prepare_data("tests.facturatie_barrier.termijnen_together",
                                ("2027-12-01", start_line), timeout=600) for _ in range(2)]
            + [Queue.prepare_data("jobs.tasks.materialise_termijnen", ("2027-12-01",),
                                  timeout=600) for _ in range(2)])
        codes = [p.wait(120) for p in procs]
    finally:
        reap(procs)
    output = logs(log_a, log_b)
    assert codes == [0, 0], output
    assert "database is locked" not in output, output
    failed = FailedJobRegistry(queue=queue)
    assert failed.count == 0, [queue.fetch_job(j).latest_result().exc_string
                               for j in failed.get_job_ids()]
    for job in jobs:
        job.refresh()
    assert [job.get_status() for job in jobs] == [JobStatus.FINISHED] * 4, output
    assert {job.worker_name for job in jobs} == {"werker-a", "werker-b"}
    results = [job.return_value() for job in jobs]
    # both sweeps of the start line really ran at the same time
    first, second = results[0]["window"], results[1]["window"]
    assert first[0] < second[1] and second[0] < first[1], results
    with connection():
        total = Factuurtermijn.select().count()
        pairs = Factuurtermijn.select(Factuurtermijn.contract, Factuurtermijn.period_start
                                      ).distinct().count()
        cents = Factuurtermijn.select(Factuurtermijn.cents).tuples()
        assert sum(c for (c,) in cents) == CONTRACTS * 100000  # January .. December
        per_contract = {c: n for c, n in Factuurtermijn.select(
            Factuurtermijn.contract, fn.COUNT(Factuurtermijn.id)).group_by(
            Factuurtermijn.contract).tuples()}
    assert total == pairs == 12 * CONTRACTS
    assert set(per_contract.values()) == {12}
    # the jobs' own counts add up to what exists: a row the key ignored is not "created"
    assert sum(r["created"] for r in results) == 12 * CONTRACTS


def test_a_new_factuurperiode_keeps_what_was_invoiced_and_adds_the_rest(app):
    """Kwartaal -> maand after the first kwartaal was invoiced: January's amount is owed under
    the 1 January key, so the kwartaal is credited down to it, and February and March get
    their own termijnen: 300,00 invoiced in all, as before."""
    contract = make_contract("2027-01-01")
    with_terms(contract, "2027-03-15")
    assert _mark_all() == 1
    with connection():
        row = ContractFacturatie.get()
        service.save_terms(contract.id, dict(TERMS, factuurperiode="maand"), row.version,
                           "test", date(2027, 3, 15))
    assert termijnen() == [(date(2027, 1, 1), 0, 30000, "gefactureerd"),
                           (date(2027, 1, 1), 1, -20000, "concept"),
                           (date(2027, 2, 1), 0, 10000, "concept"),
                           (date(2027, 3, 1), 0, 10000, "concept")]
    assert sum(t[2] for t in termijnen()) == 30000


def test_demo_data_has_prices_termijnen_and_invoiced_ones(app):
    from models import demo

    today = date(2026, 11, 27)
    with connection():
        demo.load()
        demo.load_contracts(today)
        total = demo.load_prices(today)
        invoiced = Factuurtermijn.select().where(Factuurtermijn.status == "gefactureerd").count()
        open_now = Factuurtermijn.select().where(Factuurtermijn.status == "concept").count()
        assert ContractFacturatie.select().count() == Contract.select().where(
            Contract.kind != "correctief").count()
    assert total == invoiced + open_now and invoiced and open_now


def test_a_contract_with_invoiced_termijnen_cannot_be_deleted_only_ended(app):
    """Deleting a contract cascades its termijnen: a gefactureerd one must survive, so the
    contract can then only be ended. With concept termijnen only it can still be deleted."""
    from models.werkbonnen.contract_end import deletable, delete_contract

    kept = make_contract("2027-01-01")
    with_terms(kept, "2027-04-01")
    gone = make_contract("2027-01-01", number_of_klant="D-2")
    with_terms(gone, "2027-04-01")
    with connection():
        first = (Factuurtermijn.select().where(Factuurtermijn.contract == kept.id)
                 .order_by(Factuurtermijn.id).get())
        service.mark_invoiced([first.id], "F-9", "test")
        assert deletable(Contract.get_by_id(gone.id)) == (True, "")
        ok, why = delete_contract(Contract.get_by_id(kept.id), "test")
        assert not ok
        assert why == ("Dit contract heeft 1 gefactureerde termijn; het kan alleen beëindigd "
                       "worden, niet verwijderd.")
        assert Contract.get_or_none(Contract.id == kept.id) is not None
        assert Factuurtermijn.get_by_id(first.id).status == "gefactureerd"
        assert delete_contract(Contract.get_by_id(gone.id), "test") == (True, "")
        assert Factuurtermijn.select().where(Factuurtermijn.contract == gone.id).count() == 0
