"""Throughput of `occurrences_between` against bare dateutil, measured in the same run.

10,000 realistic schedules (weekly, monthly on a weekday, monthly clamped to the month end,
quarterly, yearly; half of them move holidays to the next workday), each over its own 13-month
window starting at its start date - so dateutil's cost of iterating from DTSTART is the same for
both and the ratio shows only what our parsing, policies and Occurrence objects add. The floor is
what a naive implementation would do: `rrulestr(rule, dtstart=start).between(a, b, inc=True)`.

Run: .venv/bin/python bench/schedule_expand.py  -> prints one JSON line.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateutil.rrule import rrulestr  # noqa: E402

from bench._report import emit  # noqa: E402
from models.schedule.definition import Schedule
from models.schedule.expand import occurrences_between  # noqa: E402
from models.schedule.holiday_calendar import FreeDays  # noqa: E402

SCHEDULES = 10_000
DATABASE_INDEPENDENT = True  # reads no database: make bench runs it once (bench/_run.py)
TARGET = 0.7
ROUNDS = 2
CHUNK = 250


def rules(rng: random.Random, start: date) -> str:
    kind = rng.randrange(5)
    weekdays = ["MO", "TU", "WE", "TH", "FR"]
    if kind == 0:
        days = ",".join(sorted(rng.sample(weekdays, rng.choice((1, 1, 2))), key=weekdays.index))
        interval = rng.choice(("", "", ";INTERVAL=2"))
        return f"FREQ=WEEKLY{interval};BYDAY={days}"
    if kind == 1:
        return f"FREQ=MONTHLY;BYDAY={rng.choice((1, 2, 3, 4, -1))}{rng.choice(weekdays)}"
    if kind == 2:
        last = rng.choice((29, 30, 31))
        days = ",".join(str(d) for d in range(28, last + 1))
        return f"FREQ=MONTHLY;BYMONTHDAY={days};BYSETPOS=-1"
    if kind == 3:
        return f"FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY={rng.randint(1, 28)}"
    return f"FREQ=YEARLY;BYMONTH={start.month};BYMONTHDAY={rng.randint(1, 28)}"


def build() -> list[tuple[Schedule, date, date]]:
    rng = random.Random(20260310)
    cases = []
    for i in range(SCHEDULES):
        start = date(2026, 1, 1) + timedelta(days=rng.randrange(365))
        schedule = Schedule(
            start_date=start,
            rrule=rules(rng, start),
            holidays="next_workday" if i % 2 else "ignore",
            days_in_advance=rng.choice((0, 7, 14, 30)),
        )
        end = start + timedelta(days=396)  # 13 months
        cases.append((schedule, start, end))
    return cases


def run_ours(cases, free_days) -> int:
    return sum(len(occurrences_between(s, free_days, start, end)) for s, start, end in cases)


def run_floor(cases) -> int:
    total = 0
    for schedule, start, end in cases:
        first = datetime(start.year, start.month, start.day)
        rule = rrulestr(schedule.rrule, dtstart=first)
        total += len(rule.between(first, datetime(end.year, end.month, end.day), inc=True))
    return total


def timed(function, *args) -> tuple[int, float]:
    """CPU time of this process: other work on a shared machine does not count against us."""
    began = time.process_time()
    result = function(*args)
    return result, time.process_time() - began


def main() -> None:
    cases = build()
    free_days = FreeDays()
    for year in range(2025, 2030):  # build the holiday years once, outside the timing
        date(year, 1, 1) in free_days  # noqa: B015
    # Small chunks, alternating ours and the floor, best of N per chunk: a burst of noise
    # spoils one chunk of one round, not the comparison.
    chunks = [cases[i : i + CHUNK] for i in range(0, len(cases), CHUNK)]
    ours_best = [float("inf")] * len(chunks)
    floor_best = [float("inf")] * len(chunks)
    ours_count = floor_count = 0
    for _ in range(ROUNDS):
        ours_count = floor_count = 0
        for index, chunk in enumerate(chunks):
            count, seconds = timed(run_ours, chunk, free_days)
            ours_count += count
            ours_best[index] = min(ours_best[index], seconds)
            count, seconds = timed(run_floor, chunk)
            floor_count += count
            floor_best[index] = min(floor_best[index], seconds)
    ours_best, floor_best = sum(ours_best), sum(floor_best)
    ours_per_s = ours_count / ours_best
    floor_per_s = floor_count / floor_best
    emit("schedule_expand", "none", ours_per_s, "occurrences/s", floor_per_s,
         "dateutil rrule, the same schedules, occurrences/s", ours_per_s / floor_per_s,
         f">= {TARGET}", ours_per_s / floor_per_s >= TARGET, schedules=SCHEDULES,
         occurrences=ours_count, floor_occurrences=floor_count)

if __name__ == "__main__":
    main()
