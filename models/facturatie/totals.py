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
from operator import itemgetter

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
    if made == len(rows):  # the common case (a sweep): summed straight from the rows
        _add_sums(rows, [columns.index(c) for c in KEY_COLUMNS])
        return
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
    _add_sums(found, list(range(len(KEY_COLUMNS))))


def _add_sums(rows: list, at: list[int]) -> None:
    """Add `rows` to both sums tables; `at`: where each of KEY_COLUMNS is in a row. One pass
    per table with itemgetter (a sweep adds a million rows: a generator per row cost a fifth
    of its time)."""
    cents, btw = itemgetter(at[KEY_COLUMNS.index("cents")]), \
        itemgetter(at[KEY_COLUMNS.index("btw_cents")])
    for table, key in _TABLES:
        pick = itemgetter(*(at[KEY_COLUMNS.index(c)] for c in key))
        single = len(key) == 1
        sums: dict = {}
        for row in rows:
            k = pick(row)
            if single:
                k = (k,)
            total = sums.get(k)
            if total is None:
                sums[k] = [cents(row), btw(row), 1]
            else:
                total[0] += cents(row)
                total[1] += btw(row)
                total[2] += 1
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


def per_rate(filters, counts: list | None = None) -> dict[str, tuple[int, int, int]]:
    """{tarief: (cents, btw_cents, count)} over everything the filters select: from the sums
    per day (per klant and day with a klant filter); the termijnen of one contract directly.
    With dates and no klant or contract, the same query also counts the selection without its
    dates: `counts` (a list) then receives [everything, within the dates], what per_klant
    decides by (one query fewer than asking that separately)."""
    conditions, values = _where(filters)
    if filters.contract_id or filters.klant_id:  # one contract's or klant's: a few dozen rows
        table, count = "factuurtermijn", "COUNT(*)"
    elif counts is not None and (filters.date_from or filters.date_to):
        plain, plain_values = _where(_undated(filters))
        dated, dated_values = _dated(filters)
        inside = " AND ".join(dated)
        rows = db.execute_sql(
            f"SELECT btw_tarief, SUM(CASE WHEN {inside} THEN cents ELSE 0 END), "
            f"SUM(CASE WHEN {inside} THEN btw_cents ELSE 0 END), "
            f"SUM(CASE WHEN {inside} THEN count ELSE 0 END), SUM(count) "
            f"FROM termijn_totaal_dag{_sql(plain)} GROUP BY btw_tarief",
            dated_values * 3 + plain_values).fetchall()
        counts[:] = [sum(int(r[4] or 0) for r in rows), sum(int(r[3] or 0) for r in rows)]
        return {tarief: (int(c or 0), int(b or 0), int(n or 0))
                for tarief, c, b, n, _all in rows if n}
    else:
        table, count = "termijn_totaal_dag", "SUM(count)"
    rows = db.execute_sql(f"SELECT btw_tarief, SUM(cents), SUM(btw_cents), {count} FROM {table}"
                          f"{_sql(conditions)} GROUP BY btw_tarief", values).fetchall()
    return {tarief: (int(c or 0), int(b or 0), int(n or 0)) for tarief, c, b, n in rows if n}


def _dated(filters) -> tuple[list[str], list]:
    """The filters' dates as conditions on invoice_on, and their values."""
    p = db.obj.param
    dated, dated_values = [], []
    if filters.date_from:
        dated.append(f"invoice_on >= {p}")
        dated_values.append(filters.date_from)
    if filters.date_to:
        dated.append(f"invoice_on <= {p}")
        dated_values.append(filters.date_to)
    return dated, dated_values


def per_klant(filters, klant_ids: list[int],
              counts: list | None = None) -> dict[int, tuple[int, int, int]]:
    """{klant_id: (cents, btw_cents, count)} of the given klanten within the selection. A
    klant's rows per day are about as many as its termijnen, so a range of days is read from
    the side that has fewer: the days in it, or (a date range holding most termijnen, like the
    default "up to today") the klant's total over all days minus the days outside it. `counts`:
    [everything, within the dates] as per_rate counted them (else counted here)."""
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
    everything, inside = counts or _inside(filters, plain, plain_values)
    stored = plain + [ids], plain_values + klant_ids
    if inside == everything:  # the dates leave nothing out (the default: everything up to today)
        return _sums("termijn_totaal_klant_alles", "SUM(count)", *stored)
    if inside <= everything - inside:
        return _sums("factuurtermijn", "COUNT(*)", conditions + [ids], values + klant_ids)
    outside, outside_values = [], []
    if filters.date_to:
        outside.append(f"invoice_on > {p}")
        outside_values.append(filters.date_to)
    if filters.date_from:
        outside.append(f"invoice_on < {p}")
        outside_values.append(filters.date_from)
    # the klant's total over all days minus its days outside the range: two grouped queries
    # (one UNION ALL grouped over both was slower on SQLite: a temporary B-tree for the GROUP
    # BY of the union instead of two index walks)
    sums = _sums("termijn_totaal_klant_alles", "SUM(count)", *stored)
    taken = _sums("factuurtermijn", "COUNT(*)",
                  plain + [ids, "(" + " OR ".join(outside) + ")"],
                  plain_values + klant_ids + outside_values)
    for klant_id, (c, b, n) in taken.items():
        all_c, all_b, all_n = sums.get(klant_id, (0, 0, 0))
        sums[klant_id] = (all_c - c, all_b - b, all_n - n)
    return {k: v for k, v in sums.items() if v[2]}


def _inside(filters, plain: list[str], plain_values: list) -> tuple[int, int]:
    """(termijnen the filters select without their dates, those within the dates), counted
    on the sums per day (a few hundred rows)."""
    dated, dated_values = _dated(filters)
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


def klant_page(filters, after: tuple[str, int] | None, limit: int,
               counts: list | None = None) -> tuple[list, tuple[str, int] | None]:
    """([(klant_id, name, cents, btw_cents, count)], the (name, id) to continue after, or None
    when no klant follows): the klanten with termijnen in the selection by name, `limit` at a
    time, walking the klanten in name order (its index) a chunk at a time. `counts`: as
    per_klant. Where the stored sums per klant answer alone (a status chosen, no contract,
    and no dates or none that leave anything out: the default view), a chunk of klanten and
    their sums are one query."""
    p = db.obj.param
    found: list = []
    position = after
    chunk = limit + 1  # dense selections need one chunk; sparse ones read larger ones
    undated = not (filters.date_from or filters.date_to) or (counts and counts[0] == counts[1])
    joined = bool(filters.status) and not filters.contract_id and undated
    while True:
        conditions, values = [], []
        if filters.klant_id:
            conditions.append(f"id = {p}")
            values.append(filters.klant_id)
        if position is not None:
            conditions.append(f"(name > {p} OR (name = {p} AND id > {p}))")
            values += [position[0], position[0], position[1]]
        klanten = (f"SELECT id, name FROM klant{_sql(conditions)} "
                   f"ORDER BY name, id LIMIT {int(chunk)}")
        if joined:
            on, on_values = _where(_undated(filters), klant=False, prefix="s.")
            rows = db.execute_sql(
                f"SELECT k.id, k.name, SUM(s.cents), SUM(s.btw_cents), SUM(s.count) "
                f"FROM ({klanten}) AS k LEFT JOIN termijn_totaal_klant_alles s "
                f"ON s.klant_id = k.id AND {' AND '.join(on)} "
                f"GROUP BY k.id, k.name ORDER BY k.name, k.id", values + on_values).fetchall()
            candidates = [(k, name) for k, name, *_sums in rows]
            sums = {k: (int(c or 0), int(b or 0), int(n or 0)) for k, _, c, b, n in rows if n}
        else:
            candidates = db.execute_sql(klanten, values).fetchall()
            sums = per_klant(filters, [k for k, _ in candidates], counts)
        for klant_id, name in candidates:
            if klant_id in sums:
                if len(found) == limit:  # one more exists: the next page starts after ours
                    return found, (found[-1][1], found[-1][0])
                found.append((klant_id, name, *sums[klant_id]))
        if len(candidates) < chunk:
            return found, None
        position = candidates[-1][1], candidates[-1][0]
        chunk = min(chunk * 2, 800)


_ROWS_SQL = ("SELECT t.id, t.contract_id, t.invoice_on, t.description, t.cents, t.btw_tarief, "
             "t.status, t.factuurnummer, k.name, k.customer_number, c.number FROM factuurtermijn t "
             "JOIN klant k ON k.id = t.klant_id JOIN contract c ON c.id = t.contract_id")


ROW_COLUMNS = ("id", "contract_id", "invoice_on", "description", "cents", "btw_tarief", "status",
               "factuurnummer", "klant", "debiteurnummer", "contract_number")


def rows_page(filters, after: tuple[date, int] | None, limit: int) -> tuple[list[tuple], bool]:
    """(the next `limit` termijnen of the selection in (invoicing day, id) order after `after`,
    whether more follow), each a tuple of ROW_COLUMNS as the database gives them (no model or
    named tuple per row; invoice_on is a date on PostgreSQL, its ISO text on SQLite). Read
    along the index on (status, invoice_on), whose entries are in id order within a day
    (SQLite's end in the rowid; PostgreSQL's in the id since migration 17). After a cursor
    in two steps, each a seek: the rest of the cursor's day (`invoice_on = day AND id > id`),
    then, if that was not enough, the days after it.
    One condition `invoice_on >= day AND (invoice_on > day OR id > id)` made the database
    step over every termijn of the day before the cursor (all monthly termijnen share the
    1st: 50 pages deep was 1.5 ms of skipping on SQLite, ten times the first page)."""
    p = db.obj.param
    conditions, values = _where(filters, prefix="t.")
    wanted = int(limit) + 1
    if after is None:
        found = _rows(conditions, values, "t.invoice_on, t.id", wanted)
    else:
        found = _rows(conditions + [f"t.invoice_on = {p}", f"t.id > {p}"],
                      values + [after[0], after[1]], "t.id", wanted)
        if len(found) < wanted:
            found += _rows(conditions + [f"t.invoice_on > {p}"], values + [after[0]],
                           "t.invoice_on, t.id", wanted - len(found))
    return found[:limit], len(found) > limit


def _rows(conditions: list[str], values: list, order: str, limit: int) -> list:
    return db.execute_sql(f"{_ROWS_SQL}{_sql(conditions)} ORDER BY {order} LIMIT {int(limit)}",
                          values).fetchall()
