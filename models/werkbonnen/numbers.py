"""Werkbon numbers: W-<year>-<six digits>, one sequence per year (models.db.counters), reserved
in blocks inside the write transaction that inserts the werkbonnen: the worker's batches and a
reported storing draw from the same sequence."""

from models.db.counters import reserve


def reserve_numbers(year: int, count: int) -> int:
    """The first of a block of `count` new sequence numbers for `year` (inside the caller's
    write transaction)."""
    return reserve(f"W-{year}", count)


def werkbon_number(year: int, sequence: int) -> str:
    return f"W-{year}-{sequence:06d}"
