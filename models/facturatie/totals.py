"""The Te factureren totals without reading every termijn.

The database keeps two small tables of sums (tables.TermijnTotaalKlantAlles per status, klant
and BTW rate; tables.TermijnTotaalDag per status, BTW rate and invoicing day): triggers on
factuurtermijn take a deleted row away and move an updated one (mark gefactureerd, a concept
recomputed, a contract deleted with its termijnen); the two places that insert termijnen
(materialise.insert_termijnen, the correction in materialise.reconcile) add their rows
themselves, grouped (`add_inserted`). All in the transaction of the write, so the sums never
drift from the rows (tests/test_facturatie_edit.py compares them with a fresh SUM). The page
sums a few hundred of those rows instead of a hundred thousand termijnen; what a filter on a
klant, a contract or dates needs beyond them it reads from the termijnen's indexes.

Race safety: every change of a sum is an upsert `cents = cents + delta` on its row, which both
databases apply atomically under concurrency. On PostgreSQL the trigger first takes one
transaction-level advisory lock, and every writer of termijnen takes it first thing
(`serialise_writers`), so two writers never hold sums in opposite orders (no deadlock); SQLite
has one writer at a time anyway.
"""

from datetime import date
from typing import NamedTuple

from models.db import TERMIJNEN_LOCK, db, serialise_termijnen_writers

LOCK_KEY = TERMIJNEN_LOCK
_TABLES = (
    ("termijn_totaal_klant_alles", ("status", "klant_id", "btw_tarief")),
    ("termijn_totaal_dag", ("status", "btw_tarief", "invoice_on")),
)


def _upserts(row: str, sign: str, param=None) -> list[str]:
    """One upsert per totals table adding `sign` times the termijn `row` (NEW or OLD)."""
    statements = []
    for table, key in _TABLES:
        columns = ", ".join(key)
        values = ", ".join(f"{row}.{c}" for c in key)
        statements.append(
            f"INSERT INTO {table} ({columns}, cents, btw_cents, count) VALUES ({values}, "
            f"{sign}{row}.cents, {sign}{row}.btw_cents, {sign}1) ON CONFLICT ({columns}) DO UPDATE "
            f"SET cents = {table}.cents + excluded.cents, "
            f"btw_cents = {table}.btw_cents + excluded.btw_cents, "
            f"count = {table}.count + excluded.count")
    return statements


def trigger_sql(sqlite: bool) -> list[str]:
    """The triggers for updates and deletes (mark gefactureerd, a concept recomputed or
    dropped, a contract deleted with its termijnen). Inserts have no trigger: a row trigger,
    even one that does nothing, made SQLite's insert 3.5 times slower, and every termijn is
    inserted by materialise.insert_termijnen or a correction in materialise.reconcile, which
    add their rows up themselves, grouped, in their transaction (`add_inserted`)."""
    take, add = _upserts("OLD", "-"), _upserts("NEW", "")
    if sqlite:
        return [
            "CREATE TRIGGER factuurtermijn_totaal_delete AFTER DELETE ON factuurtermijn BEGIN "
            + "; ".join(take) + "; END",
            "CREATE TRIGGER factuurtermijn_totaal_update AFTER UPDATE OF status, klant_id, "
            "btw_tarief, invoice_on, cents, btw_cents ON factuurtermijn BEGIN "
            + "; ".join(take + add) + "; END",
        ]
    body = (
        "BEGIN\n"
        f"  PERFORM pg_advisory_xact_lock({LOCK_KEY});\n    "
        + ";\n    ".join(take) + ";\n"
        "  IF TG_OP = 'UPDATE' THEN\n    "
        + ";\n    ".join(add) + ";\n  END IF;\n"
        "  RETURN NULL;\nEND")
    return [
        "CREATE OR REPLACE FUNCTION factuurtermijn_totaal() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$\n{body}\n$$",
        "CREATE TRIGGER factuurtermijn_totaal AFTER UPDATE OR DELETE ON factuurtermijn "
        "FOR EACH ROW EXECUTE FUNCTION factuurtermijn_totaal()",
    ]


def rebuild() -> None:
    """The sums from the termijnen as they are (migration 14; a repair if ever needed)."""
    for table, key in _TABLES:
        columns = ", ".join(key)
        db.execute_sql(f"DELETE FROM {table}")
        db.execute_sql(
            f"INSERT INTO {table} ({columns}, cents, btw_cents, count) SELECT {columns}, "
            f"SUM(cents), SUM(btw_cents), COUNT(*) FROM factuurtermijn GROUP BY {columns}")


KEY_COLUMNS = ("status", "klant_id", "btw_tarief", "invoice_on", "cents", "btw_cents")


def add_inserted(rows: list, columns: tuple, made: int) -> None:
    """After an insert-or-ignore of termijen `rows` (in `columns`, all with one created_at
    stamp) that inserted `made`: add those to the sums, grouped (from `rows` when every one
    went in, else read back: these contracts' rows with that stamp). Inside the writer's
    transaction, after serialise_writers."""
    if not made:
        return
    at = [columns.index(c) for c in KEY_COLUMNS]
    if made == len(rows):
        found = [tuple(r[i] for i in at) for r in rows]
    else:
        p = db.obj.param
        stamp = rows[0][columns.index("created_at")]
        contract_ids = sorted({r[columns.index("contract_id")] for r in rows})
        found = []
        for start in range(0, len(contract_ids), 500):
            chunk = contract_ids[start:start + 500]
            found += db.execute_sql(
                f"SELECT {', '.join(KEY_COLUMNS)} FROM factuurtermijn WHERE created_at = {p} "
                f"AND contract_id IN ({', '.join([p] * len(chunk))})", [stamp, *chunk]
            ).fetchall()
    add_found(found)


def add_found(found: list) -> None:
    """Add termijnen given as KEY_COLUMNS tuples to both sums tables."""
    for table, key in _TABLES:
        sums: dict = {}
        picks = [KEY_COLUMNS.index(c) for c in key]
        for row in found:
            k = tuple(row[i] for i in picks)
            old = sums.get(k, (0, 0, 0))
            sums[k] = (old[0] + row[4], old[1] + row[5], old[2] + 1)
        _add(table, key, sums)


def _add(table: str, key: tuple, sums: dict) -> None:
    """Upsert `sums` ({key values: (cents, btw_cents, count)}) into a totals table, in key
    order."""
    columns = ", ".join(key)
    p = db.obj.param
    sql = (f"INSERT INTO {table} ({columns}, cents, btw_cents, count) VALUES "
           f"({', '.join([p] * (len(key) + 3))}) ON CONFLICT ({columns}) DO UPDATE SET "
           f"cents = {table}.cents + excluded.cents, btw_cents = {table}.btw_cents + "
           f"excluded.btw_cents, count = {table}.count + excluded.count")
    db.connection().cursor().executemany(sql, [(*k, *v) for k, v in sorted(sums.items())])


serialise_writers = serialise_termijnen_writers  # (models.db: the lock every writer takes)


def _where(filters, klant: bool = True, prefix: str = "") -> tuple[list[str], list]:
    """The filters as SQL conditions over a termijn or a totals row, and their values. Raw
    SQL: Peewee building these small queries cost more than SQLite answering them."""
    conditions, values = [], []
    for column, value, op in (("status", filters.status, "="),
                              ("klant_id", filters.klant_id if klant else None, "="),
                              ("contract_id", getattr(filters, "contract_id", None), "="),
                              ("invoice_on", filters.date_from, ">="),
                              ("invoice_on", filters.date_to, "<="),
                              ("btw_tarief", filters.btw_tarief, "=")):
        if value:
            conditions.append(f"{prefix}{column} {op} {db.obj.param}")
            values.append(value)
    return conditions, values


def _sql(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""


def per_rate(filters) -> dict[str, tuple[int, int, int]]:
    """{tarief: (cents, btw_cents, count)} over everything the filters select: from the sums
    per day (per klant and day with a klant filter); the termijnen of one contract directly."""
    conditions, values = _where(filters)
    if filters.contract_id or filters.klant_id:  # one contract's or klant's: a few dozen rows
        table, count = "factuurtermijn", "COUNT(*)"
    else:
        table, count = "termijn_totaal_dag", "SUM(count)"
    rows = db.execute_sql(f"SELECT btw_tarief, SUM(cents), SUM(btw_cents), {count} FROM {table}"
                          f"{_sql(conditions)} GROUP BY btw_tarief", values).fetchall()
    return {tarief: (int(c or 0), int(b or 0), int(n or 0)) for tarief, c, b, n in rows if n}


def per_klant(filters, klant_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """{klant_id: (cents, btw_cents, count)} of the given klanten within the selection. A
    klant's rows per day are about as many as its termijnen, so a range of days is read from
    the side that has fewer: the days in it, or (a date range holding most termijnen, like the
    default "up to today") the klant's total over all days minus the days outside it."""
    if not klant_ids:
        return {}
    p = db.obj.param
    ids = f"klant_id IN ({', '.join([p] * len(klant_ids))})"
    conditions, values = _where(filters, klant=False)
    if filters.contract_id:
        return _sums("factuurtermijn", "COUNT(*)", conditions + [ids], values + klant_ids)
    if not (filters.date_from or filters.date_to):
        return _sums("termijn_totaal_klant_alles", "SUM(count)", conditions + [ids],
                     values + klant_ids)
    plain, plain_values = _where(_undated(filters), klant=False)
    everything, inside = _inside(filters, plain, plain_values)
    if inside <= everything - inside:
        return _sums("factuurtermijn", "COUNT(*)", conditions + [ids], values + klant_ids)
    outside, outside_values = [], []
    if filters.date_to:
        outside.append(f"invoice_on > {p}")
        outside_values.append(filters.date_to)
    if filters.date_from:
        outside.append(f"invoice_on < {p}")
        outside_values.append(filters.date_from)
    # the klant's total over all days minus its days outside the range, in one query
    where_all = _sql(plain + [ids])
    where_out = _sql(plain + [ids, "(" + " OR ".join(outside) + ")"])
    rows = db.execute_sql(
        "SELECT klant_id, SUM(c), SUM(b), SUM(n) FROM ("
        f"SELECT klant_id, cents AS c, btw_cents AS b, count AS n FROM termijn_totaal_klant_alles"
        f"{where_all} UNION ALL SELECT klant_id, -cents, -btw_cents, -1 "
        f"FROM factuurtermijn{where_out}) AS s GROUP BY klant_id",
        plain_values + klant_ids + plain_values + klant_ids + outside_values).fetchall()
    return {k: (int(c or 0), int(b or 0), int(n or 0)) for k, c, b, n in rows if n}


def _inside(filters, plain: list[str], plain_values: list) -> tuple[int, int]:
    """(termijnen the filters select without their dates, those within the dates), counted
    on the sums per day (a few hundred rows)."""
    p = db.obj.param
    dated, dated_values = [], []
    if filters.date_from:
        dated.append(f"invoice_on >= {p}")
        dated_values.append(filters.date_from)
    if filters.date_to:
        dated.append(f"invoice_on <= {p}")
        dated_values.append(filters.date_to)
    row = db.execute_sql(
        f"SELECT SUM(count), SUM(CASE WHEN {' AND '.join(dated)} THEN count ELSE 0 END) "
        f"FROM termijn_totaal_dag{_sql(plain)}", dated_values + plain_values).fetchone()
    return int(row[0] or 0), int(row[1] or 0)


def _undated(filters):
    from dataclasses import replace

    return replace(filters, date_from=None, date_to=None)


def _sums(table: str, count: str, conditions: list[str], values: list) -> dict:
    rows = db.execute_sql(f"SELECT klant_id, SUM(cents), SUM(btw_cents), {count} FROM {table}"
                          f"{_sql(conditions)} GROUP BY klant_id", values).fetchall()
    return {k: (int(c or 0), int(b or 0), int(n or 0)) for k, c, b, n in rows if n}


def klant_page(filters, after: tuple[str, int] | None,
               limit: int) -> tuple[list, tuple[str, int] | None]:
    """([(klant_id, name, cents, btw_cents, count)], the (name, id) to continue after, or None
    when no klant follows): the klanten with termijnen in the selection by name, `limit` at a
    time, walking the klanten in name order (its index) a chunk at a time."""
    p = db.obj.param
    found: list = []
    position = after
    chunk = limit + 1  # dense selections need one chunk; sparse ones read larger ones
    while True:
        conditions, values = [], []
        if filters.klant_id:
            conditions.append(f"id = {p}")
            values.append(filters.klant_id)
        if position is not None:
            conditions.append(f"(name > {p} OR (name = {p} AND id > {p}))")
            values += [position[0], position[0], position[1]]
        candidates = db.execute_sql(f"SELECT id, name FROM klant{_sql(conditions)} "
                                    f"ORDER BY name, id LIMIT {int(chunk)}", values).fetchall()
        sums = per_klant(filters, [k for k, _ in candidates])
        for klant_id, name in candidates:
            if klant_id in sums:
                if len(found) == limit:  # one more exists: the next page starts after ours
                    return found, (found[-1][1], found[-1][0])
                found.append((klant_id, name, *sums[klant_id]))
        if len(candidates) < chunk:
            return found, None
        position = candidates[-1][1], candidates[-1][0]
        chunk = min(chunk * 2, 800)


class Rij(NamedTuple):
    """A termijn as the Te factureren list shows it (plain values, no model per row)."""

    id: int
    contract_id: int
    invoice_on: date
    description: str
    cents: int
    btw_tarief: str
    status: str
    factuurnummer: str
    klant: str
    debiteurnummer: str
    contract_number: str


def rows_page(filters, after: tuple[date, int] | None, limit: int) -> tuple[list[Rij], bool]:
    """(the next `limit` termijnen of the selection in (invoicing day, id) order after `after`,
    whether more follow): read along the index on (status, invoice_on)."""
    p = db.obj.param
    conditions, values = _where(filters, prefix="t.")
    if after is not None:
        conditions.append(f"t.invoice_on >= {p} AND (t.invoice_on > {p} OR t.id > {p})")
        values += [after[0], after[0], after[1]]
    found = db.execute_sql(
        "SELECT t.id, t.contract_id, t.invoice_on, t.description, t.cents, t.btw_tarief, "
        "t.status, t.factuurnummer, k.name, k.customer_number, c.number FROM factuurtermijn t "
        "JOIN klant k ON k.id = t.klant_id JOIN contract c ON c.id = t.contract_id"
        f"{_sql(conditions)} ORDER BY t.invoice_on, t.id LIMIT {int(limit) + 1}",
        values).fetchall()
    rows = [Rij(r[0], r[1], date.fromisoformat(r[2]) if isinstance(r[2], str) else r[2],
                *r[3:]) for r in found[:limit]]
    return rows, len(found) > limit
