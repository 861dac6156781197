"""bench/_million.py keeps the seeded million werkbonnen between runs; `make bench-quick` seeds
a smaller database of the same shape. One must never be copied in for the other: the cache
file is keyed by the size as well as by the day and the sources."""

from datetime import date

from bench import _million


def test_quick_and_full_seeds_are_cached_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("CADANS_BENCH_CACHE", str(tmp_path))
    monkeypatch.delenv("CADANS_BENCH_QUICK", raising=False)
    full = _million._cache_file(date(2026, 12, 6))
    monkeypatch.setenv("CADANS_BENCH_QUICK", "1")
    small = _million._cache_file(date(2026, 12, 6))
    assert full != small
    assert full.parent == small.parent == tmp_path
    assert "-1m-" in full.name and "-quick-" in small.name
    # and each is stable for its size and day, another day is another file
    assert _million._cache_file(date(2026, 12, 6)) == small
    assert _million._cache_file(date(2026, 12, 7)) != small
