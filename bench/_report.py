"""The one JSON line a bench prints per database (issue #20, bench/README.md "Uitvoer"), and
the quick mode of `make bench-quick`. Not a benchmark itself."""

from __future__ import annotations

import json
import os
import sys


def quick() -> bool:
    """`make bench-quick` (CADANS_BENCH_QUICK=1): a smaller size of the same shape."""
    return os.environ.get("CADANS_BENCH_QUICK") == "1"


def emit(bench: str, db: str, figure: float, unit: str, floor: float | None, floor_name: str,
         ratio: float | None, target: str, ok: bool, **extra) -> dict:
    """Print the line on stdout (flushed) and return it. `target` reads like "<= 3" or
    ">= 0.5" and is about `ratio` unless the bench says otherwise in `target_of`; `db` is
    "sqlite", "postgresql" or "none" (a bench that reads no database)."""
    r = lambda x: None if x is None else round(x, 3)  # noqa: E731
    line = {"bench": bench, "db": db, "figure": r(figure), "unit": unit, "floor": r(floor),
            "floor_name": floor_name, "ratio": r(ratio), "target": target, "ok": bool(ok),
            **extra}
    if quick():
        line["quick"] = True  # a smaller size than the target's: not the figure
    print(json.dumps(line), flush=True)
    return line


def note(text: str) -> None:
    """A human line on stderr (stdout carries only the JSON lines)."""
    print(text, file=sys.stderr, flush=True)


def emit_dict(line: dict, bench: str, db: str, figure, unit: str, floor, floor_name: str, ratio,
              target: str, ok: bool) -> dict:
    """emit() for a bench that built its own dict: the standard fields first, then its own
    (those with a standard name are replaced)."""
    standard = {"bench", "db", "figure", "unit", "floor", "floor_name", "ratio", "target", "ok"}
    return emit(bench, db, figure, unit, floor, floor_name, ratio, target, ok,
                **{k: v for k, v in line.items() if k not in standard})


SEED_SQLITE = ("its seeding and floor are raw sqlite3 (bench/_seed.py); not yet ported to "
               "PostgreSQL (issue #20 item 1)")


def sqlite_only(bench: str, unit: str, target: str, reason: str) -> bool:
    """For a bench measured on SQLite only so far: on CADANS_BENCH_DB=postgresql print the line
    that says so ("ok": false, "not_measured": why) and return True (the caller returns)."""
    from bench.pg import kind

    if kind() != "postgresql":
        return False
    emit(bench, "postgresql", None, unit, None, "", None, target, False, not_measured=reason)
    return True
