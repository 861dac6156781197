"""What people and clients do with facturatie: a contract's terms (read, preview, save with the
corrections a change after invoicing makes), the termijnen due (list, totals per klant and BTW
rate, mark gefactureerd) and the CSV for the accounting package. One function per operation,
called by the pages, the API and the CLI alike."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from models.common.validation import search_text
from models.contracts.tables import Contract
from models.db import db, is_sqlite, locked, write_transaction
from models.db.audit import record
from models.db.base import utcnow
from models.facturatie import materialise
from models.facturatie import termijnen as maths
from models.facturatie import totals as totals_store
from models.facturatie.tables import (
    STATUSES,
    ContractFacturatie,
    Factuurtermijn,
    Indexreeks,
    terms_of,
)
from models.stamdata.instellingen import Contractvoorwaarden
from models.stamdata.klanten import Klant


class Conflict(Exception):
    """Someone saved the contract's terms since they were read."""


class Refused(Exception):
    """An operation the data does not allow; `errors` says why, per field."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def terms_row(contract_id: int) -> ContractFacturatie | None:
    return ContractFacturatie.get_or_none(ContractFacturatie.contract == contract_id)


def _voorwaarden_period(contract: Contract) -> str | None:
    if not contract.voorwaarden_id:
        return None
    return (Contractvoorwaarden.select(Contractvoorwaarden.invoice_period)
            .where(Contractvoorwaarden.id == contract.voorwaarden_id).scalar())


def terms_for(contract: Contract, values: dict, today: date) -> maths.Terms | None:
    """The Terms of `contract` with the price `values`; `today` is the company's date (a price
    per bezoek counts the visits up to quantities.HORIZON_DAYS after it): the server's own date
    is another one for an hour or two every night."""
    if values.get("prijs_cents") is None:
        return None
    from models.facturatie import quantities

    return terms_of(values, contract.start_date, contract.last_day,
                    _voorwaarden_period(contract),
                    quantities.extras(contract, values, today))


def default_vanaf(contract: Contract, values: dict, today: date) -> date | None:
    """Factureren vanaf when the planner leaves it open: a contract that starts today or later
    is invoiced from its start (None); one already running, priced now, from the start of
    today's period (invoicing the months before is a choice, not a surprise)."""
    if contract.start_date >= today:
        return None
    kind = values.get("factuurperiode") or _voorwaarden_period(contract) or "jaar"
    first, _last = maths.period_of(kind, today)
    return first if first > contract.start_date else None


def kind_label(contract: Contract, values: dict) -> str:
    own = values.get("factuurperiode") or ""
    kind = own or _voorwaarden_period(contract) or "jaar"
    return maths.PERIOD_LABELS[kind] + ("" if own else " (uit de voorwaarden)")


@dataclass
class Preview:
    yearly_cents: int | None  # the price in force on `today` (or at the start, if later)
    first: list  # the first three termijnen (maths.Termijn)
    history: list  # (from, yearly cents)
    changes: list  # materialise.Change: what saving does to termijnen already made
    basis: str = "jaar"
    first_day: date | None = None  # the first day invoiced (factureren vanaf or the start)
    missing_year: int | None = None  # the index series' first year without a figure
    figures: dict | None = None  # the series' figures (the price history shows those used)
    base_year: int | None = None
    series_name: str = ""
    notes: dict | None = None  # history date -> "CBS CAO-lonen 2027: 123,1 / 2026: 118,4"


def preview(contract: Contract, values: dict, today: date) -> Preview:
    """The yearly value and first termijnen of typed terms, and, for a contract whose termijnen
    exist, what saving them would change (concept termijnen recomputed, corrections)."""
    terms = terms_for(contract, values, today)
    existing = list(Factuurtermijn.select().where(Factuurtermijn.contract == contract.id)
                    ) if contract.id else []
    changes = materialise.plan_changes(terms, existing)
    if terms is None:
        return Preview(None, [], [], changes)
    extra = {}
    if terms.series is not None:
        base = maths.base_year(terms.series[0], terms.start)
        figures = terms.series[1]
        name = Indexreeks.select(Indexreeks.name).where(
            Indexreeks.id == values.get("index_reeks_id")).scalar() or "Indexreeks"
        extra = {"missing_year": terms.missing_figure(max(today, terms.start)),
                 "figures": figures, "base_year": base, "series_name": name,
                 "notes": {step[0]: f"{name} {step[0].year}: {_figure(step[1])} / {base}: "
                                    f"{_figure(step[2])}"
                           for step in terms.all_steps(date(max(today, terms.start).year + 2,
                                                            12, 31))}}
    history = terms.history(date(max(today, terms.start).year + 2, 12, 31))
    # the history so far and the next indexation
    shown = [h for h in history if h[0] <= max(today, terms.start)] + [
        h for h in history if h[0] > max(today, terms.start)][:1]
    yearly = maths.price_on(history, max(today, terms.start))
    return Preview(yearly, maths.first_termijnen(terms), shown, changes, terms.basis,
                   terms.first_day, **extra)


def _figure(value) -> str:
    return str(value).replace(".", ",")


def save_terms(contract_id: int, values: dict, version: int | None, actor: str,
               today: date) -> tuple[ContractFacturatie, int]:
    """Create or change the contract's terms and bring its termijnen in line, in one
    transaction (returns the terms and how many corrections were made). `version` is the one
    the editor read (None: they saw no terms). Raises Conflict or Refused; writes nothing then."""
    with write_transaction():
        totals_store.serialise_writers()
        current = locked(ContractFacturatie.select().where(
            ContractFacturatie.contract == contract_id)).first()
        seen = current.version if current else None
        if seen != version:
            raise Conflict()
        reeks = values.get("index_reeks_id")
        if reeks and not Indexreeks.select().where(Indexreeks.id == reeks).exists():
            raise Refused({"index_reeks": "Deze indexreeks bestaat niet (meer); kies een andere."})
        if values.get("prijs_cents") is None:
            if current is None:
                return None, 0
            if Factuurtermijn.select().where(Factuurtermijn.contract == contract_id).exists():
                raise Refused({"prijs": "Dit contract heeft al termijnen; het houdt een prijs "
                                        "(zet hem op 0,00 om niets meer te factureren)."})
            current.delete_instance()
            record("contract", contract_id, "facturatie verwijderd", actor)
            return None, 0
        fields = {k: values.get(k) for k in ("prijs_cents", "btw_tarief", "factuurperiode",
                                             "factureren", "index_pct", "index_date",
                                             "prijs_per", "index_reeks_id",
                                             "factureren_vanaf")}
        fields["prijs_per"] = fields["prijs_per"] or "jaar"
        if current is None:
            current = ContractFacturatie.create(contract=contract_id, **fields)
            record("contract", contract_id, "facturatie ingesteld", actor, fields)
        else:
            before = current.values
            for name, value in fields.items():
                setattr(current, name, value)
            current.version += 1
            current.updated_at = utcnow()
            current.save()
            record("contract", contract_id, "facturatie gewijzigd", actor,
                   {k: [before[k], v] for k, v in fields.items() if before[k] != v})
        _made, corrected = materialise.reconcile(contract_id, today, actor)
        return ContractFacturatie.get_by_id(current.id), corrected


# --------------------------------------------------------------------------- the termijnen


@dataclass
class Filters:
    status: str = "concept"  # concept | gefactureerd | "" (all)
    klant_id: int | None = None
    contract_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None  # invoicing day up to (the page: today)
    btw_tarief: str = ""


def _filtered(query, filters: Filters):
    t = Factuurtermijn
    if filters.status:
        query = query.where(t.status == filters.status)
    if filters.klant_id:
        query = query.where(t.klant == filters.klant_id)
    if filters.contract_id:
        query = query.where(t.contract == filters.contract_id)
    if filters.date_from:
        query = query.where(t.invoice_on >= filters.date_from)
    if filters.date_to:
        query = query.where(t.invoice_on <= filters.date_to)
    if filters.btw_tarief:
        query = query.where(t.btw_tarief == filters.btw_tarief)
    return query


def selected(filters: Filters):
    """The termijnen the filters select, with their klant and contract (unordered)."""
    t = Factuurtermijn
    query = (t.select(t, Klant.id, Klant.name, Klant.customer_number, Contract.id,
                      Contract.number)
             .join(Klant, on=(t.klant == Klant.id))
             .switch(t).join(Contract, on=(t.contract == Contract.id)))
    return _filtered(query, filters)


def termijnen(filters: Filters, limit: int | None = 200) -> list:
    """Termijnen with their klant and contract, by invoicing day (and id: the order the index
    on (status, invoice_on) already has, so a page of a hundred thousand reads only its rows)."""
    query = selected(filters).order_by(Factuurtermijn.invoice_on, Factuurtermijn.id)
    return list(query.limit(limit) if limit else query)


def totals(filters: Filters, klanten_after: tuple[str, int] | None = None,
           klanten_limit: int = 25) -> dict:
    """{"btw": [(tarief, cents, btw_cents, count)], "cents", "btw_cents", "count"} over
    everything the filters select, and "klanten": [(klant_id, name, cents, btw_cents, count)]
    for a page of the klanten in it (by name, `klanten_limit` after `klanten_after`), with
    "klanten_next": where the next page of klanten starts (None: no more). All from the sums
    the database keeps (models/facturatie/totals.py), exact to the cent."""
    counts: list = []  # [everything, within the dates], when per_rate counts them
    per_rate = totals_store.per_rate(filters, counts)
    order = list(maths.BTW_TARIEVEN)
    rates = sorted(((r, *v) for r, v in per_rate.items()),
                   key=lambda r: order.index(r[0]) if r[0] in order else 9)
    klanten, following = totals_store.klant_page(filters, klanten_after, klanten_limit,
                                                 counts or None)
    return {"klanten": klanten, "klanten_next": following, "btw": rates,
            "cents": sum(r[1] for r in rates), "btw_cents": sum(r[2] for r in rates),
            "count": sum(r[3] for r in rates)}


def mark_invoiced(ids: list[int], factuurnummer: str, actor: str) -> int:
    """Concept termijnen -> gefactureerd, in one transaction; returns how many. A termijn that is
    already gefactureerd stays as it is (its number too): Refused names them."""
    if not ids:
        raise Refused({"ids": "Kies eerst de termijnen die gefactureerd zijn."})
    with write_transaction():
        totals_store.serialise_writers()
        rows = list(locked(Factuurtermijn.select(Factuurtermijn.id, Factuurtermijn.status)
                           .where(Factuurtermijn.id.in_(ids)).order_by(Factuurtermijn.id)))
        found = {r.id: r.status for r in rows}
        missing = [i for i in ids if i not in found]
        if missing:
            raise Refused({"ids": f"Termijn {missing[0]} bestaat niet (meer)."})
        done = [i for i in ids if found[i] == "gefactureerd"]
        if done:
            raise Refused({"ids": f"Termijn {done[0]} is al gefactureerd."})
        stamp = utcnow()
        count = (Factuurtermijn.update(status="gefactureerd", factuurnummer=factuurnummer,
                                       invoiced_at=stamp, invoiced_by=actor, updated_at=stamp)
                 .where(Factuurtermijn.id.in_(ids), Factuurtermijn.status == "concept")
                 .execute())
        for termijn_id in ids:
            record("factuurtermijn", termijn_id, "gefactureerd", actor,
                   {"factuurnummer": factuurnummer})
        return count


def serialise(t: Factuurtermijn) -> dict:
    return {"id": t.id, "contract_id": t.contract_id, "contract_number": t.contract.number,
            "klant_id": t.klant_id, "klant": t.klant.name,
            "debiteurnummer": t.klant.customer_number,
            "period_start": t.period_start.isoformat(), "period_end": t.period_end.isoformat(),
            "cover_start": t.cover_start.isoformat(), "cover_end": t.cover_end.isoformat(),
            "invoice_on": t.invoice_on.isoformat(), "seq": t.seq,
            "correction": t.seq > 0, "amount": cents_text(t.cents), "cents": t.cents,
            "btw_tarief": t.btw_tarief, "btw": cents_text(t.btw_cents), "btw_cents": t.btw_cents,
            "description": t.description, "status": t.status, "factuurnummer": t.factuurnummer,
            "invoiced_at": t.invoiced_at.isoformat() if t.invoiced_at else None}


def cents_text(cents: int) -> str:
    """JSON money: a decimal string with a point ("1234.50"), exact (no float)."""
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


CSV_HEADER = ("Factuurdatum", "Debiteurnummer", "Klant", "Contract", "Omschrijving",
              "Periode van", "Periode tot en met", "Bedrag excl. BTW", "BTW-tarief", "BTW",
              "Bedrag incl. BTW", "Status", "Factuurnummer", "Termijn-id")


def csv_stream(filters: Filters, batch: int = 5000):
    """The CSV of everything the filters select (semicolons, Dutch decimal comma, dates as
    DD-MM-JJJJ, UTF-8 with a BOM for Excel), in (invoicing day, id) order, made a
    batch at a time (keyset pages of `batch` rows as plain tuples): memory stays flat and the
    first bytes leave at once, however many termijnen there are."""
    t = Factuurtermijn
    columns = (t.invoice_on, Klant.customer_number, Klant.name, Contract.number, t.description,
               t.cover_start, t.cover_end, t.cents, t.btw_tarief, t.btw_cents, t.status,
               t.factuurnummer, t.id)
    base = _filtered(t.select(*columns).join(Klant, on=(t.klant == Klant.id))
                     .switch(t).join(Contract, on=(t.contract == Contract.id)), filters)

    def batches():
        after = None
        while True:
            query = base
            if after is not None:
                query = query.where((t.invoice_on > after[0])
                                    | ((t.invoice_on == after[0]) & (t.id > after[1])))
            rows = list(query.order_by(t.invoice_on, t.id).limit(batch).tuples())
            if not rows:
                return
            yield rows
            after = rows[-1][0], rows[-1][-1]

    return _csv_chunks(batches())


def _csv_chunks(batches):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    labels = maths.BTW_LABELS
    for rows in batches:
        out.seek(0)
        out.truncate()
        writer.writerows(
            (f"{day:%d-%m-%Y}", debiteur, klant, contract, text, f"{cover_start:%d-%m-%Y}",
             f"{cover_end:%d-%m-%Y}", _comma(cents), labels.get(tarief, tarief), _comma(btw),
             _comma(cents + btw), STATUSES[status], number, termijn_id)
            for (day, debiteur, klant, contract, text, cover_start, cover_end, cents, tarief,
                 btw, status, number, termijn_id) in rows)
        yield out.getvalue().encode("utf-8")


def _comma(cents: int) -> str:
    """1234,50 (no thousands separator: a spreadsheet reads it as a number)."""
    return cents_text(cents).replace(".", ",")


class KlantKeuze(list):
    """The Te factureren klant search's matches: (id, name, customer_number, city) tuples, the
    chosen klant first; `more` says that more klanten match than are shown."""

    more = False


def klant_choices(q: str, selected_id: int | None, limit: int = 8) -> KlantKeuze:
    """The klanten with termijnen whose name, debiteurnummer or plaats holds `q` (none while
    nothing is typed), by name, at most `limit`, and the chosen klant (`selected_id`) always
    first so the filter stays chosen while the planner searches. A klant "has termijnen" when
    its rows in the stored sums (termijn_totaal_klant_alles) count any: an index probe per
    klant along the klant name index. Raw SQL read as tuples: this answers every keystroke,
    and Peewee building the query cost more than the database answering it."""
    found = KlantKeuze()
    p = db.obj.param
    if selected_id:
        found += db.execute_sql(f"SELECT id, name, customer_number, city FROM klant "
                                f"WHERE id = {p}", [selected_id]).fetchall()
        found.chosen = selected_id if found else None
    q = search_text(q).strip()[:100]
    if not q:
        return found
    like = "LIKE" if is_sqlite() else "ILIKE"  # LIKE ignores case on SQLite (ASCII)
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = db.execute_sql(
        "SELECT k.id, k.name, k.customer_number, k.city FROM klant k WHERE ("
        + " OR ".join(f"k.{c} {like} {p} ESCAPE '\\'"
                      for c in ("name", "customer_number", "city"))
        + f") AND EXISTS (SELECT 1 FROM termijn_totaal_klant_alles s WHERE s.status IN "
        f"({', '.join([p] * len(STATUSES))}) AND s.klant_id = k.id AND s.count > 0) "
        f"ORDER BY k.name, k.id LIMIT {int(limit) + 1}",
        [pattern, pattern, pattern, *STATUSES]).fetchall()
    found.more = len(matches) > limit
    found += [m for m in matches[:limit] if m[0] != selected_id]
    found.matched = len(matches[:limit])
    return found
