"""Shared seeding for the materialise_* and werkbonnen_* benchmarks. Not a benchmark itself:
`make bench` runs every bench/*.py, so running this file does nothing.

Realistic contracts, fast: one template contract per (rule, holiday policy, with/without a
medewerker) is saved through `contract_service.check` + `create`, exactly as the API saves a
contract; every other contract is a raw `executemany` copy of one of those rows with its own number,
klant and medewerker (the way tests/test_generation_robustness.py bulk-copies a valid row).
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# (rule, weight). Mostly monthly shapes (about 13 werkbonnen per contract over 13 months), some
# quarterly, a few weekly and fortnightly ones (56 and 28 per 13 months).
RULES = [
    ("FREQ=MONTHLY;BYDAY=2TU", 22),
    ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", 18),  # the last day of every month
    ("FREQ=MONTHLY;BYMONTHDAY=1", 12),
    ("FREQ=MONTHLY;BYMONTHDAY=15", 10),
    ("FREQ=MONTHLY;BYDAY=-1FR", 14),
    ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=10", 12),  # quarterly
    ("FREQ=WEEKLY;BYDAY=MO", 4),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", 4),
    ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=20", 4),
]
HOLIDAY_POLICIES = ("ignore", "next_workday")  # half of the contracts each
KLANTEN = 2_000
MEDEWERKERS = 20
START_TIMES = ("07:30", "08:00", "08:30", "09:00", "13:00")


def open_database(path: str):
    """A fresh SQLite file with the app's schema (migrate()), bound to models.db.db; the caller
    holds `models.db.connection()` around its work."""
    from models.db import connection, init_db_from_url
    from models.migrations import migrate

    database = init_db_from_url(f"sqlite:///{path}")
    with connection():
        migrate()
    return database


def open_url(url: str):
    """open_database for any database URL (a bench.pg.bench_database() one): the app's schema
    (migrate()) in that fresh database, bound to models.db.db."""
    from models.db import connection, init_db_from_url
    from models.migrations import migrate

    database = init_db_from_url(url)
    with connection():
        migrate()
    return database


def written(table: str, columns) -> list[str]:
    """`columns` of `table` without those the database writes itself (PostgreSQL's generated
    search vectors, models/db/fulltext.py): a copy of a row lists the others."""
    from models.db import fulltext

    return [c for c in columns if c not in fulltext.pg_generated(table)]


def raw():
    """The sqlite3 connection under peewee's (inside `connection()`). It is in autocommit mode
    (peewee sets isolation_level=None): wrap writes in `transaction()`, or every row commits.
    On PostgreSQL: the psycopg2 connection behind the same two methods (PgRaw)."""
    from models.db import db, is_sqlite

    return db.connection() if is_sqlite() else PgRaw(db.connection())


class PgRaw:
    """sqlite3's `execute` and `executemany` (with `?` placeholders) over a psycopg2
    connection, so a seed written for SQLite runs on PostgreSQL too: `?` becomes `%s` (a
    literal `%` is escaped), `execute` returns the cursor, `executemany` sends pages of rows
    (psycopg2's execute_values: one statement per page, not per row). Booleans must be written
    as TRUE/FALSE or Python bools (PostgreSQL does not take 1 for a boolean)."""

    def __init__(self, connection):
        self.connection = connection

    @staticmethod
    def _sql(sql: str) -> str:
        return sql.replace("%", "%%").replace("?", "%s")

    def execute(self, sql: str, params=()):
        cursor = self.connection.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        return cursor

    def executemany(self, sql: str, rows):
        import re

        from psycopg2.extras import execute_values

        # "... VALUES (?, ?, ...)" -> "... VALUES %s" with a template of the row's placeholders
        match = re.search(r"VALUES\s*(\(.*\))\s*$", sql, re.S | re.I)
        if not match:  # an UPDATE, or an INSERT with a tail: a batch of statements
            from psycopg2.extras import execute_batch

            cursor = self.connection.cursor()
            execute_batch(cursor, self._sql(sql), rows, page_size=1000)
            return cursor
        template = self._sql(match.group(1))
        cursor = self.connection.cursor()
        execute_values(cursor, self._sql(sql[:match.start(1)]) + "%s", rows,
                       template=template, page_size=2000)
        return cursor


def transaction():
    """One IMMEDIATE transaction on the bound database (peewee's, so it nests correctly)."""
    from models.db import write_transaction

    return write_transaction()


def seed_people(klanten: int = KLANTEN, medewerkers: int = MEDEWERKERS) -> None:
    conn = raw()
    with transaction():
        conn.executemany(
            "INSERT INTO klant (customer_number, name, street, house_number, postcode, city,"
            " email, phone, active, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, '', '', TRUE, '2025-01-01 08:00:00')",
            [(f"D-{n:05d}", f"Klant {n} B.V.", "Dorpsstraat", str(n % 200 + 1),
              f"{1000 + n % 8999} AB", ("Utrecht", "Zwolle", "Breda", "Delft")[n % 4])
             for n in range(1, klanten + 1)])
        conn.executemany(
            "INSERT INTO medewerker (personnel_number, name, email, phone, active, created_at)"
            " VALUES (?, ?, '', '', TRUE, '2025-01-01 08:00:00')",
            [(f"P-{n:03d}", f"Monteur {n:02d}") for n in range(1, medewerkers + 1)])


def template_specs() -> list[dict]:
    """One template per (rule, holidays, medewerker yes/no), without database ids."""
    return [{"rrule": rrule, "holidays": holidays, "medewerker": with_medewerker,
             "weight": weight}
            for rrule, weight in RULES for holidays in HOLIDAY_POLICIES
            for with_medewerker in (False, True)]


def make_templates(start: date, lead: int = 0) -> list[dict]:
    """The template_specs saved as contracts through check + create.

    Returns [{"id", "rrule", "holidays", "medewerker", "weight"}]; contract_service.create sets
    generate_from = next_attention = start (we pass the start as the day it was saved)."""
    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service

    templates = []
    for spec in template_specs():
        data = {"klant_id": 1, "contracttype": "preventief",
                "description": "Onderhoud installatie", "start_date": start.isoformat(),
                "end_date": None, "days_in_advance": lead,
                "schedule": {"rrule": spec["rrule"], "holidays": spec["holidays"]},
                "werkbon": {"start_time": "08:30", "duration_minutes": 90,
                            "description": "Periodiek onderhoud",
                            "medewerker_id": 1 if spec["medewerker"] else None}}
        values, errors = contract_checks.check(data)
        if errors:
            raise RuntimeError(f"template {spec['rrule']} rejected: {errors}")
        contract = contract_service.create(values, "bench", start)
        templates.append({"id": contract.id, **spec})
    return templates


def assign(templates: list[dict], count: int, seed: int = 20260310) -> list[int]:
    """Template index per contract: the templates themselves first, then weighted at random."""
    rng = random.Random(seed)
    picks = list(range(min(count, len(templates))))
    weights = [t["weight"] for t in templates]
    picks += rng.choices(range(len(templates)), weights=weights, k=count - len(picks))
    return picks


def start_of(index: int, start: date, spread: int) -> date:
    """Contract `index` starts `index % spread` days before `start` (all on `start` if spread=0):
    real contracts do not share one start date, so no cache keyed on the schedule flatters us."""
    return start - timedelta(days=index % spread) if spread else start


def copy_contracts(templates: list[dict], picks: list[int], start: date, spread: int = 0,
                   state=None) -> list[int]:
    """Contracts 1..len(picks) (the templates are the first len(templates) of them): raw copies of
    the template rows with their own number, klant, medewerker, start time and start date
    (start_of). generate_from = next_attention = that start date, generated_through NULL (a
    brand-new contract), unless `state(index, template, start) -> (generated_through,
    next_attention)` (dates or None) says otherwise. Returns the contract ids in order."""
    conn = raw()
    columns = written("contract", [d[0] for d in
                                   conn.execute("SELECT * FROM contract LIMIT 0").description])
    rows = {t["id"]: conn.execute(f"SELECT {', '.join(columns)} FROM contract WHERE id = ?",
                                  (t["id"],)).fetchone()
            for t in templates}
    at = {name: columns.index(name) for name in columns}
    out = []
    for index, pick in enumerate(picks):
        template = templates[pick]
        row = list(rows[template["id"]])
        row[at["number"]] = f"C-B-{index + 1:07d}"
        row[at["klant_id"]] = 1 + index % KLANTEN
        if template["medewerker"]:
            row[at["medewerker_id"]] = 1 + index % MEDEWERKERS
        row[at["start_time"]] = START_TIMES[index % len(START_TIMES)]
        begins = start_of(index, start, spread)
        row[at["start_date"]] = row[at["generate_from"]] = begins.isoformat()
        row[at["next_attention"]] = begins.isoformat()
        row[at["generated_through"]] = None
        if state is not None:
            through, attention = state(index, template, begins)
            row[at["generated_through"]] = through and through.isoformat()
            row[at["next_attention"]] = attention and attention.isoformat()
        out.append(row)
    ntemplates = len(templates)
    with transaction():
        # the templates keep their ids (1..n); overwrite them with their copy's values
        cols_no_id = [c for c in columns if c != "id"]
        sets = ", ".join(f"{c} = ?" for c in cols_no_id)
        conn.executemany(f"UPDATE contract SET {sets} WHERE id = ?",
                         [[r[at[c]] for c in cols_no_id] + [r[at["id"]]]
                          for r in out[:ntemplates]])
        placeholders = ", ".join("?" * len(cols_no_id))
        conn.executemany(f"INSERT INTO contract ({', '.join(cols_no_id)}) VALUES ({placeholders})",
                         [[r[at[c]] for c in cols_no_id] for r in out[ntemplates:]])
    ids = [r[0] for r in conn.execute("SELECT id FROM contract ORDER BY id")]
    if len(ids) != len(picks) or ids[: ntemplates] != [t["id"] for t in templates]:
        raise RuntimeError("contract ids are not what the seed expected")
    return ids


def seed_contracts(count: int, start: date, lead: int = 0, spread: int = 0,
                   state_for=None) -> dict:
    """People, templates and `count` contracts in the bound database (inside `connection()`).

    `state_for(templates) -> state` may build the bookkeeping function of copy_contracts once the
    templates exist. Returns {"templates", "picks", "ids"}."""
    seed_people()
    templates = make_templates(start, lead)
    picks = assign(templates, count)
    state = state_for(templates) if state_for is not None else None
    ids = copy_contracts(templates, picks, start, spread, state)
    return {"templates": templates, "picks": picks, "ids": ids}


def schedule_of(template: dict, start: date, lead: int):
    from models.schedule.definition import Schedule

    return Schedule(start_date=start, rrule=template["rrule"], holidays=template["holidays"],
                    days_in_advance=lead)


def expected_werkbonnen(seed: dict, start: date, lead: int, spread: int, today: date,
                        free_days) -> int:
    """How many werkbonnen a sweep on `today` owes brand-new contracts (the engine's answer,
    computed once per distinct (template, start date))."""
    from collections import Counter

    from models.schedule.expand import occurrences_between
    from models.werkbonnen.plan import horizon

    groups = Counter((pick, start_of(i, start, spread)) for i, pick in enumerate(seed["picks"]))
    total = 0
    for (pick, begins), n in groups.items():
        schedule = schedule_of(seed["templates"][pick], begins, lead)
        total += n * len(occurrences_between(schedule, free_days, begins, horizon(today, lead)))
    return total


WERKBON_COLUMNS = ("number", "contract_id", "klant_id", "due_date", "generated_on", "status",
                   "medewerker_id", "planned_start", "duration_minutes", "description",
                   "werktype", "prioriteit", "internal_note", "changed_by_hand", "cancel_reason",
                   "created_at", "updated_at")


def contracts_for(werkbonnen: int, start: date, lead: int, spread: int, today: date,
                  free_days) -> int:
    """How many contracts of the mix owe at least `werkbonnen` by `today` (within 1%)."""
    import math

    templates = template_specs()
    count = 20_000
    for _ in range(6):
        picks = assign(templates, count)
        owed = expected_werkbonnen({"templates": templates, "picks": picks}, start, lead, spread,
                                   today, free_days)
        if werkbonnen <= owed < werkbonnen * 1.01:
            return count
        count = math.ceil(count * werkbonnen / owed * 1.002) + 1
    return count


class Dates:
    """Occurrence dates per (template, start date), from the engine, computed once each."""

    def __init__(self, seed: dict, start: date, spread: int, lead: int, free_days):
        self.seed, self.start, self.spread, self.lead = seed, start, spread, lead
        self.free_days = free_days
        self._cache: dict = {}

    def of(self, index: int, low: date, high: date) -> list:
        """Occurrences of contract `index` with low <= date <= high."""
        from models.schedule.expand import occurrences_between

        pick = self.seed["picks"][index]
        begins = start_of(index, self.start, self.spread)
        key = (pick, begins, low, high)
        found = self._cache.get(key)
        if found is None:
            schedule = schedule_of(self.seed["templates"][pick], begins, self.lead)
            found = self._cache[key] = occurrences_between(schedule, self.free_days,
                                                           max(low, begins), high)
        return found


def werkbon_history(seed: dict, dates: Dates, last: date, through=None, status=None,
                    number_format: str = "W-2026-{:07d}", stamp: str = "2026-01-01 06:00:00"):
    """Werkbon rows (WERKBON_COLUMNS) as the sweep would have made them, for every contract's
    occurrences from its start up to `through(index)` (default `last`; None: none at all).
    `status(index, day, planned) -> str` (default ingepland with a medewerker, else open)."""
    number = 0
    for index, pick in enumerate(seed["picks"]):
        upto = last if through is None else through(index)
        if upto is None:
            continue
        template = seed["templates"][pick]
        medewerker = 1 + index % MEDEWERKERS if template["medewerker"] else None
        at = START_TIMES[index % len(START_TIMES)]
        klant = 1 + index % KLANTEN
        for occurrence in dates.of(index, dates.start - timedelta(days=dates.spread), last):
            day = occurrence.date
            if day > upto:
                break
            number += 1
            iso = day.isoformat()
            state = status(index, day, medewerker is not None) if status else \
                ("ingepland" if medewerker else "open")
            planned = f"{iso} {at}:00" if medewerker and state != "open" else None
            yield (number_format.format(number), index + 1, klant, iso,
                   occurrence.generate_on.isoformat(), state,
                   medewerker, planned, 90, "Periodiek onderhoud", "Onderhoud", "Normaal", "",
                   False, "", stamp, stamp)


def werkbon_index_sql(conn) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the werkbon table's explicit indexes (not the primary
    key's)."""
    from models.db import is_sqlite

    if is_sqlite():
        return list(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                 "tbl_name = 'werkbon' AND sql IS NOT NULL ORDER BY name"))
    return list(conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = 'werkbon' AND "
        "NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname) "
        "ORDER BY i.indexname"))


COPY_CHUNK = 100_000  # rows per COPY while seeding PostgreSQL


def bulk_werkbonnen(conn, columns: list[str], rows) -> None:
    """Insert many werkbon rows fast (seeding, not measured): drop the werkbon indexes, one
    executemany (COPY on PostgreSQL), create the indexes again (a sorted build is much cheaper
    than 1M inserts into a dozen B-trees). `rows` may be an iterator."""
    from itertools import islice

    from models.db import is_sqlite

    indexes = werkbon_index_sql(conn)
    # SQLite: the search index's triggers too (models/db/fulltext.py), one rebuild after the
    # insert (PostgreSQL's search indexes are among `indexes`)
    triggers = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'werkbon' "
        "AND name LIKE 'werkbon_%_fts_%'").fetchall() if is_sqlite() else []
    with transaction():
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        for name, _sql in triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        if is_sqlite():
            conn.executemany(f"INSERT INTO werkbon ({', '.join(columns)}) VALUES "
                             f"({', '.join('?' * len(columns))})", rows)
        else:
            from models.werkbonnen.materialise import _copy_text

            rows, cursor = iter(rows), conn.connection.cursor()
            while chunk := list(islice(rows, COPY_CHUNK)):
                cursor.copy_expert(f"COPY werkbon ({', '.join(columns)}) FROM STDIN",
                                   _copy_text(chunk))
        for _name, sql in indexes + triggers:
            conn.execute(sql)
        if triggers:
            from models.db.fulltext import SEARCHED, fts_table

            for group in SEARCHED["werkbon"]:
                fts = fts_table("werkbon", group)
                conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
    if not is_sqlite():
        conn.execute("ANALYZE werkbon")


if __name__ == "__main__":
    pass
