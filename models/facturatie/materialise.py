"""The one writer of factuurtermijnen: the worker's sweep (beside the werkbonnen sweep) and
the reconciliation of what a contract owes with what was already made.

- `sweep`: every contract whose next invoicing day has come gets the termijnen of all periods
  due by today (catch-up included), inserted with ON CONFLICT DO NOTHING on the key
  (contract, period start, seq 0): two workers, a job run twice, a worker dying half-way, a
  period gets one termijn. Batches in short write transactions; a contract that changed since
  it was read (another sweep, an edit) is skipped, the next sweep does it.
- `reconcile`: when the contract or its terms changed after termijnen were made (a price edit,
  an early end, new dates), a concept termijn is recomputed in place; a gefactureerd one is
  never changed: the difference becomes a correction termijn (negative: a credit).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from models.db import db, is_sqlite, locked, one_checkpoint, write_transaction
from models.db.base import utcnow
from models.facturatie import termijnen as maths
from models.facturatie import totals
from models.facturatie.tables import ContractFacturatie, Factuurtermijn, kind_of, terms_of

BATCH = 2500
INSERT_COLUMNS = ("contract_id", "klant_id", "period_start", "period_end", "seq", "cover_start",
                  "cover_end", "invoice_on", "cents", "btw_tarief", "btw_cents", "description",
                  "status", "factuurnummer", "invoiced_by", "created_at", "updated_at",
                  "quantity")
KEY = "(contract_id, period_start, seq)"


@dataclass
class Counts:
    created: int = 0
    corrected: int = 0
    seen: int = 0
    failed: list = field(default_factory=list)


# --------------------------------------------------------------------------- reading

_COLUMNS = ("f.id", "f.contract_id", "f.prijs_cents", "f.btw_tarief", "f.factuurperiode",
            "f.factureren", "f.index_pct", "f.index_date", "f.version", "f.billed_through",
            "f.contract_version", "c.version", "c.klant_id", "c.number", "c.start_date",
            "c.end_date", "c.terminated_on", "v.invoice_period", "v.auto_renew", "t.name",
            "f.prijs_per", "f.index_reeks_id", "f.factureren_vanaf")


@dataclass
class Row:
    """One invoiced contract as the sweep reads it (plain values, no model per row)."""

    id: int
    contract_id: int
    prijs_cents: int
    btw_tarief: str
    factuurperiode: str
    factureren: str
    index_pct: str
    index_date: date | None
    version: int
    billed_through: date | None
    contract_version: int
    current_version: int
    klant_id: int
    number: str
    start_date: date
    end_date: date | None
    terminated_on: date | None
    invoice_period: str | None
    auto_renew: bool | None
    type_name: str
    prijs_per: str = "jaar"
    index_reeks_id: int | None = None
    factureren_vanaf: date | None = None

    @property
    def last_day(self) -> date | None:
        """As Contract.last_day: None when it renews (the voorwaarden say so, not ended)."""
        if self.auto_renew and self.terminated_on is None:
            return None
        return self.end_date

    @property
    def values(self) -> dict:
        return {"prijs_cents": self.prijs_cents, "factuurperiode": self.factuurperiode,
                "factureren": self.factureren, "index_pct": self.index_pct,
                "index_date": self.index_date, "prijs_per": self.prijs_per,
                "index_reeks_id": self.index_reeks_id, "factureren_vanaf": self.factureren_vanaf}

    def terms(self, today: date) -> maths.Terms:
        """The contract's Terms; a price per bezoek/object or an index series reads what it
        needs (quantities.extras), the plain price per year reads nothing more."""
        if self.prijs_per == "jaar" and not self.index_reeks_id and \
                self.factureren_vanaf is None:  # the common case, kept as fast as before
            yearly = (self.index_date, Decimal(self.index_pct)) if self.index_pct and \
                self.index_date else None
            return maths.Terms(self.prijs_cents, kind_of(self.factuurperiode,
                                                         self.invoice_period),
                               self.factureren or "vooraf", self.start_date, self.last_day,
                               yearly=yearly)
        extras = None
        if self.prijs_per in ("bezoek", "object") or self.index_reeks_id:
            from models.contracts.tables import Contract
            from models.facturatie import quantities

            contract = Contract.get_by_id(self.contract_id)
            extras = quantities.extras(contract, self.values, today)
        return terms_of(self.values, self.start_date, self.last_day, self.invoice_period, extras)


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _as_date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def _read(where: str, params: list) -> list[Row]:
    sql = (f"SELECT {', '.join(_COLUMNS)} FROM contract_facturatie f "
           "JOIN contract c ON c.id = f.contract_id "
           "JOIN contracttype t ON t.id = c.contracttype_id "
           "LEFT JOIN contractvoorwaarden v ON v.id = c.voorwaarden_id "
           f"WHERE {where} ORDER BY f.id LIMIT {BATCH}")
    rows = []
    for values in db.execute_sql(sql.replace("?", db.obj.param), params).fetchall():
        values = list(values)
        for i in (7, 9, 14, 15, 16, 22):
            values[i] = _as_date(values[i])
        rows.append(Row(*values))
    return rows


def description(row_or_number: str, type_name: str, period: maths.Period) -> str:
    text = f"{type_name} {row_or_number}, {period.label()}"
    if period.pro_rata:
        text += (f" (pro rata {period.cover_start:%d-%m-%Y} t/m {period.cover_end:%d-%m-%Y})")
    return text


def period_label(text: str) -> str:
    """'1e kwartaal 2027' out of a termijn's description (without pro rata or count)."""
    return text.split(", ", 1)[-1].split(" (")[0].split(": ")[0]


def _next_invoice_on(terms: maths.Terms, after: date | None) -> date | None:
    """The invoicing day of the first period after the one starting on `after`."""
    return maths.next_invoice_on(terms, after)


_PERIOD_TEXT: dict = {}  # (period, invoicing day) -> its ISO dates and label, built once


def _period_text(period: maths.Period, invoice_on: date) -> tuple:
    key = (period, invoice_on)
    text = _PERIOD_TEXT.get(key)
    if text is None:
        if len(_PERIOD_TEXT) > 100_000:
            _PERIOD_TEXT.clear()
        text = _PERIOD_TEXT[key] = (
            period.start.isoformat(), period.end.isoformat(), period.cover_start.isoformat(),
            period.cover_end.isoformat(), invoice_on.isoformat(), period.label())
    return text


def _rows_for(row: Row, terms: maths.Terms, found: list[maths.Termijn], stamp: str) -> list:
    """INSERT_COLUMNS rows. Dates go in as the ISO text the driver would make of them, built
    once per period (the same calendar periods recur across contracts), as
    models/werkbonnen/materialise.py does for werkbonnen."""
    rows = []
    prefix, tarief = f"{row.type_name} {row.number}, ", row.btw_tarief
    rate = maths.BTW_TARIEVEN[tarief]
    contract_id, klant_id = row.contract_id, row.klant_id
    for termijn in found:
        period, invoice_on, cents, _yearly, quantity = termijn
        start, end, cover_start, cover_end, invoice, label = _period_text(period, invoice_on)
        if start == cover_start and end == cover_end:
            text = prefix + label
        else:
            text = description(row.number, row.type_name, period)
        if quantity is not None:
            text += ": " + maths.unit_text(termijn, terms.basis)
        rows.append((contract_id, klant_id, start, end, 0, cover_start, cover_end, invoice,
                     cents, tarief, maths.round_half_up(cents * rate, 100), text, "concept",
                     "", "", stamp, stamp, quantity))
    return rows


# --------------------------------------------------------------------------- writing


def insert_termijnen(rows: list) -> int:
    """Insert-or-ignore on the key; returns how many were really inserted."""
    if not rows:
        return 0
    param = db.obj.param
    sql = (f"INSERT INTO factuurtermijn ({', '.join(INSERT_COLUMNS)}) VALUES "
           f"({', '.join([param] * len(INSERT_COLUMNS))}) ON CONFLICT {KEY} DO NOTHING")
    cursor = db.connection().cursor()
    cursor.executemany(sql, rows)
    made = cursor.rowcount
    totals.add_inserted(rows, INSERT_COLUMNS, made)  # the Te factureren sums, same transaction
    return made


def sweep(today: date, contract_ids: list[int] | None = None, actor: str = "worker") -> Counts:
    """Make the termijnen that are due by `today` (and whatever was missed); reconcile the
    contracts that changed since their termijnen were made."""
    counts = Counts()
    with one_checkpoint():
        _sweep_batches(today, contract_ids, actor, counts)
    return counts


def _sweep_batches(today: date, contract_ids, actor: str, counts: Counts) -> None:
    last = 0
    while True:
        if contract_ids is None:
            where = ("f.id > ? AND (f.next_invoice_on <= ? OR f.contract_version <> c.version)")
            params = [last, today.isoformat()]
        else:
            marks = ", ".join("?" * len(contract_ids))
            where = f"f.id > ? AND f.contract_id IN ({marks})"
            params = [last, *contract_ids]
        batch = _read(where, params)
        if not batch:
            return
        last = batch[-1].id
        _sweep_batch(batch, today, counts, actor)


def _sweep_batch(batch: list[Row], today: date, counts: Counts, actor: str) -> None:
    stamp = str(utcnow())
    rows, updates, changed = [], [], []
    for row in batch:
        counts.seen += 1
        if row.contract_version != row.current_version:
            changed.append(row)  # reconciled inside the lock, below
            continue
        try:
            terms = row.terms(today)
            found = maths.due(terms, today, row.billed_through)
            through = found[-1].period.start if found else row.billed_through
            following = _next_invoice_on(terms, through)
        except Exception as exc:  # noqa: BLE001 - one bad row must not stop the others
            counts.failed.append((row.number, repr(exc)))
            continue
        rows += _rows_for(row, terms, found, stamp)
        updates.append((through, following, row.id))
    with write_transaction():
        totals.serialise_writers()  # before any lock (PostgreSQL; see models/facturatie/totals)
        # raw SQL: the query builder made an object per id (2,500 a batch)
        sql = ("SELECT id, version, billed_through, contract_version FROM contract_facturatie "
               f"WHERE id IN ({', '.join(['?'] * len(batch))}) ORDER BY id"
               + ("" if is_sqlite() else " FOR UPDATE")).replace("?", db.obj.param)
        state = {i: (v, _as_date(b), cv) for i, v, b, cv in
                 db.execute_sql(sql, [r.id for r in batch]).fetchall()}
        read = {r.id: (r.version, r.billed_through, r.contract_version) for r in batch}
        stale = {i for i in read if state.get(i) != read[i]}
        if stale:
            contract_of = {r.id: r.contract_id for r in batch}
            stale_contracts = {contract_of[i] for i in stale}
            rows = [r for r in rows if r[0] not in stale_contracts]
            updates = [u for u in updates if u[-1] not in stale]
        counts.created += insert_termijnen(rows)
        if updates:
            p = db.obj.param
            db.connection().cursor().executemany(
                f"UPDATE contract_facturatie SET billed_through = {p}, next_invoice_on = {p} "
                f"WHERE id = {p}", [(_iso(a), _iso(b), i) for a, b, i in updates])
        for row in changed:
            if row.id in stale:
                continue
            try:
                with db.atomic():  # a savepoint: one failing contract undoes only itself
                    made, corrected = reconcile(row.contract_id, today, actor)
            except Exception as exc:  # noqa: BLE001 - see above
                counts.failed.append((row.number, repr(exc)))
                continue
            counts.created += made
            counts.corrected += corrected


def _load_row(contract_id: int) -> Row | None:
    found = _read("f.contract_id = ?", [contract_id])
    return found[0] if found else None


@dataclass
class Change:
    """What an edit does to one period that already has termijnen."""

    period_start: date
    label: str
    invoiced: int  # gefactureerd so far
    concept_before: int | None  # the concept termijn's cents before (None: none)
    expected: int
    correction: int  # a new correction termijn's cents (0: none)

    @property
    def concept_after(self) -> int | None:
        if self.correction:
            return None
        needed = self.expected - self.invoiced
        return needed if needed else None


def plan_changes(terms: maths.Terms | None, existing: list) -> list[Change]:
    """For each period with termijnen: what it owes under `terms` (None: nothing any more) and
    how that is reached: concept termijnen recomputed, a correction for the gefactureerd rest."""
    by_period: dict[date, list] = {}
    for termijn in existing:
        by_period.setdefault(termijn.period_start, []).append(termijn)
    changes = []
    for period_start, group in sorted(by_period.items()):
        invoiced = sum(t.cents for t in group if t.status == "gefactureerd")
        concept = [t for t in group if t.status != "gefactureerd"]
        owed = 0 if terms is None else maths.expected(terms, period_start)
        before = sum(t.cents for t in concept) if concept else None
        needed = owed - invoiced
        correction = needed if not concept and needed else 0
        if (before or 0) == (needed if concept else 0) and not correction:
            continue
        label = period_label(group[0].description)
        changes.append(Change(period_start, label, invoiced, before, owed, correction))
    return changes


def reconcile(contract_id: int, today: date, actor: str) -> tuple[int, int]:
    """Inside the caller's write transaction: make the contract's termijnen say what it owes now
    (returns termijnen made, corrections made). Reads its terms and termijnen under the lock."""
    row = _load_row(contract_id)
    if row is None:
        return 0, 0
    totals.serialise_writers()
    locked(ContractFacturatie.select(ContractFacturatie.id).where(
        ContractFacturatie.id == row.id)).execute()
    row = _load_row(contract_id)  # as it is now that we hold the lock
    terms = row.terms(today)
    stamp = utcnow()
    existing = list(Factuurtermijn.select().where(Factuurtermijn.contract == contract_id))
    corrected = 0
    by_period: dict[date, list] = {}
    for termijn in existing:
        by_period.setdefault(termijn.period_start, []).append(termijn)
    for period_start, group in by_period.items():
        owed = maths.expected(terms, period_start)
        invoiced = sum(t.cents for t in group if t.status == "gefactureerd")
        concept = sorted((t for t in group if t.status != "gefactureerd"), key=lambda t: t.seq)
        needed = owed - invoiced
        period = _period_now(terms, period_start)
        if concept:
            keep, rest = concept[0], concept[1:]
            for extra in rest:
                extra.delete_instance()
            if needed == 0 and (keep.seq or invoiced or period is None):
                keep.delete_instance()
                continue
            keep.cents, keep.btw_tarief = needed, row.btw_tarief
            keep.btw_cents = maths.btw(needed, row.btw_tarief)
            if keep.seq == 0 and period is not None:
                # (a new factuurperiode: the row of the old period that starts on the same day
                # becomes the new period's termijn; the new periods after it get their own)
                keep.period_end = period.end
                keep.cover_start, keep.cover_end = period.cover_start, period.cover_end
                keep.invoice_on = maths.invoice_day(period, terms.factureren)
                keep.description = description(row.number, row.type_name, period)
                keep.quantity = terms.quantity(period)
                if keep.quantity is not None:
                    keep.description += ": " + maths.unit_text(maths.Termijn(
                        period, keep.invoice_on, needed, _unit_price(terms, period, today),
                        keep.quantity), terms.basis)
            keep.updated_at = stamp
            keep.save()
        elif needed:
            seq = max(t.seq for t in group) + 1
            first = group[0]
            label = period_label(first.description)
            word = "Creditering" if needed < 0 else "Correctie"
            made_now = Factuurtermijn.create(
                contract=contract_id, klant=row.klant_id, period_start=period_start,
                period_end=first.period_end, seq=seq, cover_start=first.cover_start,
                cover_end=first.cover_end, invoice_on=today, cents=needed,
                btw_tarief=row.btw_tarief, btw_cents=maths.btw(needed, row.btw_tarief),
                description=f"{word} {row.type_name} {row.number}, {label}",
                created_at=stamp, updated_at=stamp)
            totals.add_found([(made_now.status, row.klant_id, row.btw_tarief, today, needed,
                               made_now.btw_cents)])
            corrected += 1
    # the periods now due that have none (an earlier start, a longer run, a new factuurperiode)
    found = maths.due(terms, today)
    made = insert_termijnen(_rows_for(row, terms, found, str(stamp)))
    through = found[-1].period.start if found else None
    ContractFacturatie.update(
        billed_through=through, next_invoice_on=_next_invoice_on(terms, through),
        contract_version=row.current_version).where(ContractFacturatie.id == row.id).execute()
    if corrected or made:
        from models.db.audit import record

        record("contract", contract_id, "termijnen bijgewerkt", actor,
               {"termijnen": made, "correcties": corrected})
    return made, corrected


def _unit_price(terms: maths.Terms, period: maths.Period, today: date) -> int:
    return maths.price_on(terms.history(max(today, period.end)), period.cover_start)


def _period_now(terms: maths.Terms, period_start: date) -> maths.Period | None:
    for period in maths.periods(terms.kind, terms.first_day, terms.end, period_start):
        if period.start == period_start:
            return period
    return None
