"""Full-text search over the big lists: word prefixes, diacritics-insensitive ("cafe" finds
"Café"), served by an index on both databases, never a `LIKE '%…%'` scan.

What a search term means: every word in it (letters and digits; "W-2026-000123" is the words
w, 2026 and 000123) must start a word of one of the searched columns. The same on both
databases, so a test table holds for both:

- SQLite: an FTS5 external-content table per searched column group (`<table>_<group>_fts`:
  a search for a number never reads the doclists of description words), tokenizer
  `unicode61 remove_diacritics 2`, `detail=none` (rowids only), prefix indexes of 2 and 3
  characters; a word of another length is looked up in the table's vocabulary
  (`<table>_<group>_fts_terms`, fts5vocab) and searched as the exact terms it starts (see
  expand()), so every query streams in rowid order and stops at its LIMIT. Kept in sync by
  triggers, not by the writer: the worker's bulk paths write werkbonnen with raw executemany.
  Not the trigram tokenizer: it matches substrings, but this SQLite (3.40) has no
  remove_diacritics for it (3.45+), it cannot use its index for one- or two-letter terms, and
  it writes a token per character position (a werkbon's row costs several times more index
  writes in every materialisation than the few words unicode61 writes).
- PostgreSQL: per searched column group a stored generated column `search_<group>` holding
  `to_tsvector('simple', cadans_fold(columns))`, with a GIN index (`<table>_search_<group>`),
  queried with prefix terms (`word:*`). Stored, not an index on the expression: a common word
  is answered by walking the primary key and testing each row (see _pg_common), and testing
  the expression meant folding and parsing the row's text again (regexp_replace: 8-25 µs a
  row, "periodie" 3 ms for 200 werkbonnen); the stored vector is tested in about 1 µs. The
  vector is made once per write either way (the index read it from the expression before).
  `cadans_fold` lowers and strips the accents of
  Latin letters with translate() and makes every other non-alphanumeric a space (the parser
  would read "w-2026-000123" as w, -2026 and -000123): IMMUTABLE, so it can be indexed, and it
  needs no extension
  (unaccent() is not immutable, pg_trgm and unaccent need CREATE EXTENSION rights). A tsvector
  rather than pg_trgm: the same word-prefix meaning as on SQLite, a smaller index with cheaper
  writes, and one- or two-letter prefixes still use it (pg_trgm extracts no trigram from them).

Results are ids, newest first (id descending) within a group; callers rank groups (an exact
number first). Queries always carry a LIMIT, so a term that matches half the table costs the
same as one that matches ten rows.
"""

import re
import unicodedata
from bisect import bisect_left

from models.db import db, is_sqlite

# table -> {group: columns}. A group is what a caller asks for ("number": only the number).
SEARCHED = {
    "werkbon": {"number": ("number",), "text": ("description",)},
    "klant": {"number": ("customer_number",), "text": ("name", "city", "street", "postcode")},
    "werkadres": {"text": ("name", "street", "city", "postcode")},
    "contract": {"number": ("number",), "text": ("description",)},
    "object": {"number": ("number", "serial_number"), "text": ("brand", "model", "location")},
}

ACCENTED = "àáâãäåāăąçćčďèéêëēėęěìíîïīįłñńňòóôõöøōőŕřśšşťùúûüūůűųýÿźżž"
PLAIN = "aaaaaaaaacccdeeeeeeeeiiiiiilnnnoooooooorrssstuuuuuuuuyyzzz"

_FOLD = str.maketrans(ACCENTED, PLAIN)  # as cadans_fold does it (NFKD leaves ł and ø)
# PARALLEL UNSAFE on purpose: a query that calls it gets no parallel plan. Every search query
# stops at a LIMIT of a few hundred rows; the planner, guessing 0.5-2 % of a million rows for
# a rare word, planned two workers whose start cost 20-35 ms for a query of 0.03 ms.
PG_FOLD = (f"CREATE OR REPLACE FUNCTION cadans_fold(text) RETURNS text LANGUAGE sql IMMUTABLE "
           f"PARALLEL UNSAFE AS $$ SELECT regexp_replace(translate(lower($1), '{ACCENTED}', "
           f"'{PLAIN}'), '[^[:alnum:]]+', ' ', 'g') $$")


# The tsquery of a search, PARALLEL UNSAFE for the reason above: the stored vectors call no
# function of ours any more, so the query's own function keeps the parallel plans out.
PG_QUERY = ("CREATE OR REPLACE FUNCTION cadans_query(text) RETURNS tsquery LANGUAGE sql "
            "IMMUTABLE PARALLEL UNSAFE AS $$ SELECT to_tsquery('simple'::regconfig, $1) $$")


def words(q: str) -> list[str]:
    """The words of a search term, lowered and without diacritics (at most 8 of them)."""
    folded = q.lower()
    if not folded.isascii():  # (plain ASCII has nothing to fold: most names and numbers)
        folded = unicodedata.normalize("NFKD", folded.translate(_FOLD))
        folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)[:8]


_WORD = re.compile(r"[^\W_]+")


def _columns(table: str) -> list[str]:
    return [c for group in SEARCHED[table].values() for c in group]


def fts_table(table: str, group: str) -> str:
    """SQLite: the FTS5 table of one searched group of `table`."""
    return f"{table}_{group}_fts"


def install(database) -> None:
    """Create the search indexes (and on SQLite the FTS tables and their triggers) for every
    SEARCHED table, and index the rows already there. Safe to run again."""
    if is_sqlite():
        for table, groups in SEARCHED.items():
            for group, columns in groups.items():
                _install_sqlite(database, table, group, columns)
    else:
        database.execute_sql(PG_FOLD)
        database.execute_sql(PG_QUERY)
        for table, groups in SEARCHED.items():
            for group, columns in groups.items():
                database.execute_sql(
                    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {pg_column(group)} tsvector "
                    f"GENERATED ALWAYS AS ({_pg_vector(columns)}) STORED")
                database.execute_sql(
                    f"CREATE INDEX IF NOT EXISTS {table}_search_{group} ON {table} "
                    f"USING gin ({pg_column(group)})")


def pg_column(group: str) -> str:
    """PostgreSQL: the stored tsvector column of a searched group (the same name in every
    table; not a column of the Peewee models, which never write it)."""
    return f"search_{group}"


def pg_generated(table: str) -> set[str]:
    """PostgreSQL: the generated columns of `table` (code that copies rows column by column
    must leave them out)."""
    return {pg_column(group) for group in SEARCHED.get(table, {})}


def sqlite_statements(table: str, group: str, columns) -> list[str]:
    """The FTS5 table of one group, its vocabulary (the terms, read by expand()) and the
    triggers that keep it in step with `table`."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = fts_table(table, group)
    return [
        # detail=none: a doclist is the rowids only (no columns, no positions: nothing here
        # asks for them), columnsize=0: no per-row sizes (no bm25); a fraction of the index
        # writes of detail=full
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({names}, content='{table}', "
        f"content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3', "
        f"detail=none, columnsize=0)",
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts}_terms USING fts5vocab({fts}, instance)",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        # only a change of a searched column touches the index (a status change does not)
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new}); END",
    ]


def _install_sqlite(database, table: str, group: str, columns) -> None:
    for statement in sqlite_statements(table, group, columns):
        database.execute_sql(statement)
    fts = fts_table(table, group)
    database.execute_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


PREFIX_INDEXED = (2, 3)  # the prefix='2 3' above
EXPAND_AT_MOST = 32  # terms a word may expand to before it is searched as a prefix after all


_UNREAD = object()


def expand(fts: str, word: str, structure=_UNREAD) -> list[str] | None:
    """SQLite: the terms of `fts` that start with `word`, or None when there are more than
    EXPAND_AT_MOST. FTS5 answers a prefix query it has no prefix index of that length for by
    merging the doclists of every term with that prefix into one, in memory, before it yields
    the first row: for "periodie" (in every werkbon) 160 ms at a million rows, however small
    the LIMIT. The same terms as exact phrases (`"periodiek" OR ...`) stream in rowid order
    and stop at the LIMIT. Each step is a seek in the index (fts5vocab `instance` with a
    lower bound just past the term found: `>` itself would step through that term's rows).
    `structure`: `_structure(fts)`, when the caller read it already (once for all its words)."""
    if structure is _UNREAD:
        structure = _structure(fts)
    known = _EXPANDED.get((fts, word)) if structure is not None else None
    if known is not None and known[0] == structure:
        return known[1]
    terms: list[str] | None = []
    bound = word
    while True:
        row = db.execute_sql(f"SELECT term FROM {fts}_terms WHERE term >= ? LIMIT 1",
                             (bound,)).fetchone()
        if row is None or not row[0].startswith(word):
            break
        terms.append(row[0])
        if len(terms) > EXPAND_AT_MOST:
            terms = None
            break
        bound = row[0] + "\x01"
    if structure is not None:
        if len(_EXPANDED) >= EXPANDED_KEPT:
            _EXPANDED.clear()
        _EXPANDED[(fts, word)] = (structure, terms)
    return terms


# expand()'s answers, each with the index's structure record it was read from. FTS5 keeps the
# list of its segments in one row (`<fts>_data`, id 10) and writes it anew with every change it
# commits (a new segment, a merge, a delete), so an unchanged record is an unchanged index and
# an unchanged vocabulary: checking it is one read by rowid (a few µs), where the vocabulary
# steps cost 25-150 µs each ("periodie": the step past its one term was 118 µs at a million
# werkbonnen). Inside a transaction FTS5 holds that transaction's own rows outside the record,
# so there the vocabulary is always read.
_EXPANDED: dict[tuple[str, str], tuple[bytes, list[str] | None]] = {}
EXPANDED_KEPT = 4096
FTS5_STRUCTURE_ROWID = 10


def _structure(fts: str) -> bytes | None:
    """The structure record of `fts`, None inside a transaction."""
    if db.connection().in_transaction:
        return None
    row = db.execute_sql(f"SELECT block FROM {fts}_data WHERE id = ?",
                         (FTS5_STRUCTURE_ROWID,)).fetchone()
    return bytes(row[0]) if row else b""


def _sqlite_match(fts: str, terms: list[str]) -> str | None:
    """The MATCH expression for the words `terms`, None when one of them has no term at all."""
    parts = []
    expanding = [len(word) not in PREFIX_INDEXED for word in terms]
    structure = _structure(fts) if any(expanding) else None  # once for all the words
    for word, expands in zip(terms, expanding, strict=True):
        expanded = expand(fts, word, structure) if expands else None
        if expanded is None:  # a prefix index of this length, or too many terms to list
            parts.append(f'"{word}"*')
        elif not expanded:
            return None
        else:
            parts.append("(" + " OR ".join(f'"{t}"' for t in expanded) + ")")
    return " AND ".join(parts)


def _pg_vector(columns) -> str:
    joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in columns)
    return f"to_tsvector('simple'::regconfig, cadans_fold({joined}))"


def matching_ids(table: str, q: str, group: str = "text", limit: int = 50,
                 extra: str = "", params: tuple = ()) -> list[int]:
    """Ids of `table` rows whose `group` columns have every word of `q` as a word prefix,
    newest first, at most `limit`. `extra`: an SQL condition on the table (e.g. "klant_id IN
    (...)") with its `params`. [] when `q` has no words."""
    statement = search_sql(table, q, group, limit, extra, params)
    if statement is None:
        return []
    return [row[0] for row in db.execute_sql(*statement).fetchall()]


def search_sql(table: str, q: str, group: str = "text", limit: int = 50, extra: str = "",
               params: tuple = ()) -> tuple[str, tuple] | None:
    """(SQL, parameters) of matching_ids, None when it finds nothing without asking."""
    terms = words(q)
    if not terms:
        return None
    if group not in SEARCHED[table]:  # (names reach the SQL: only the searched ones)
        raise KeyError(group)
    if is_sqlite():
        fts = fts_table(table, group)
        match = _sqlite_match(fts, terms)
        if match is None:
            return None
        if extra:
            sql = (f"SELECT {fts}.rowid FROM {fts} JOIN {table} ON {table}.id = {fts}.rowid "
                   f"WHERE {fts} MATCH ? AND {table}.{extra} ORDER BY {fts}.rowid DESC LIMIT ?")
        else:
            sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? ORDER BY rowid DESC LIMIT ?"
        return sql, (match, *params, limit)
    query = " & ".join(f"{t}:*" for t in terms)
    where = f" AND {extra}" if extra else ""
    # common words: walk the primary key backwards and stop at the limit; otherwise the GIN
    # index, then sort what it found (`id + 0`: no walk, see _pg_common). No parallel plan:
    # cadans_query is PARALLEL UNSAFE (see PG_FOLD, PG_QUERY)
    order = "id" if _pg_common(table, group, terms) else "id + 0"
    sql = (f"SELECT id FROM {table} WHERE {pg_column(group)} @@ cadans_query(%s){where} "
           f"ORDER BY {order} DESC LIMIT %s")
    return sql, (query, *params, limit)


_COMMON: dict[str, tuple[float, tuple[str, ...]]] = {}
COMMON_FOR = 300.0  # seconds a process trusts the statistics it read


def _pg_common(table: str, group: str, terms: list[str]) -> bool:
    """PostgreSQL: does every word start a word that is in a large share of `table`'s rows
    (the most common elements ANALYZE keeps for the search index)?

    The planner decides between walking the primary key backwards, filtering each row by the
    tsquery until it has the limit (cheap when the words are everywhere: "periodie" at a
    million werkbonnen is 200 rows read), and the GIN index (cheap when they are rare). For
    a word outside the most common elements it assumes 0.5 % of the rows match and walks the
    key: for a word in no row that reads the whole table (8 s at a million werkbonnen). So
    only common words get the order the key can serve; every other query sorts what the GIN
    index found."""
    import time

    column = f"{table}.{pg_column(group)}"
    now = time.monotonic()
    cached = _COMMON.get(column)
    if cached is None or cached[0] < now:
        row = db.execute_sql("SELECT most_common_elems::text::text[] FROM pg_stats "
                             "WHERE schemaname = current_schema() AND tablename = %s "
                             "AND attname = %s", (table, pg_column(group))).fetchone()
        # sorted: a word starts a common element when the first element not below it does
        # (a binary search; a scan of the up to 1,000 elements was ~0.2 ms per group asked)
        cached = (now + COMMON_FOR, tuple(sorted(row[0])) if row and row[0] else ())
        _COMMON[column] = cached
    common = cached[1]
    return bool(common) and all(_starts_one(common, t) for t in terms)


def _starts_one(ordered: tuple[str, ...], word: str) -> bool:
    """Does `word` start one of the `ordered` (sorted) strings?"""
    at = bisect_left(ordered, word)
    return at < len(ordered) and ordered[at].startswith(word)
