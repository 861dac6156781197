"""Does a contract's age cost anything? Next-12 preview for 20-year-old vs 1-month-old contracts.

`occurrences(..., after, 12)` must not iterate from the start date (dateutil's own `xafter`
does, so a 20-year-old monthly rule costs ~15x a new one). Several rule shapes, each as an old
and a new contract with the same rule and the same `after`, holidays looked up lazily through
FreeDays. Reports microseconds per preview, the ratio old/new (target <= 1.3) and, as a
reference, what naive dateutil (`xafter` from DTSTART) costs for the old contracts.

Run: .venv/bin/python bench/schedule_age.py  -> prints one JSON line.
"""

from __future__ import annotations

import sys
import time
from datetime import date, datetime
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dateutil.rrule import rrulestr  # noqa: E402

from bench._report import emit  # noqa: E402
from models.schedule.definition import Schedule
from models.schedule.expand import occurrences  # noqa: E402
from models.schedule.holiday_calendar import FreeDays  # noqa: E402

AFTER = date(2026, 11, 26)
OLD_START = date(2006, 10, 9)  # twenty years back
NEW_START = date(2026, 10, 26)  # last month
DATABASE_INDEPENDENT = True  # reads no database: make bench runs it once (bench/_run.py)
TARGET = 1.3
REPEATS = 60
NAIVE_REPEATS = 5
ROUNDS = 7

SHAPES = {
    "weekly": ("FREQ=WEEKLY;BYDAY=MO,TH", "ignore"),
    "biweekly": ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "next_workday"),
    "workdays": ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "next_workday"),
    "every_3_days": ("FREQ=DAILY;INTERVAL=3", "previous_workday"),
    "monthly_2nd_tuesday": ("FREQ=MONTHLY;BYDAY=2TU", "next_workday"),
    "monthly_clamped_31": ("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", "previous_workday"),
    "quarterly": ("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15", "next_workday"),
    "yearly_last_friday_nov": ("FREQ=YEARLY;BYMONTH=11;BYDAY=-1FR", "ignore"),
    "yearly_default_day": ("FREQ=YEARLY", "next_workday"),
}


def cpu_microseconds(*functions, repeats: int = REPEATS) -> list[float]:
    """CPU time of this process per call, best of ROUNDS; the functions take turns within each
    round so that a burst of noise on a shared machine hits them alike."""
    best = [float("inf")] * len(functions)
    for _ in range(ROUNDS):
        for index, function in enumerate(functions):
            began = time.process_time()
            for _ in range(repeats):
                function()
            best[index] = min(best[index], time.process_time() - began)
    return [seconds / repeats * 1e6 for seconds in best]


def main() -> None:
    free_days = FreeDays()
    for year in range(2026, 2032):
        date(year, 1, 1) in free_days  # noqa: B015  (build the years outside the timing)
    after = datetime(AFTER.year, AFTER.month, AFTER.day)
    shapes = {}
    for name, (rule, policy) in SHAPES.items():
        old = Schedule(OLD_START, rule, holidays=policy, weekends=policy)
        new = Schedule(NEW_START, rule, holidays=policy, weekends=policy)
        old_us, new_us = cpu_microseconds(
            lambda s=old: occurrences(s, free_days, AFTER, 12),
            lambda s=new: occurrences(s, free_days, AFTER, 12),
        )
        start = datetime(OLD_START.year, OLD_START.month, OLD_START.day)
        naive = rrulestr(rule, dtstart=start, cache=False)
        (naive_us,) = cpu_microseconds(
            lambda r=naive: list(islice(r.xafter(after, inc=True), 12)), repeats=NAIVE_REPEATS
        )
        shapes[name] = {
            "old_us": round(old_us, 1),
            "new_us": round(new_us, 1),
            "ratio": round(old_us / new_us, 3),
            "naive_old_us": round(naive_us, 1),
        }
    old_total = sum(shape["old_us"] for shape in shapes.values())
    new_total = sum(shape["new_us"] for shape in shapes.values())
    naive_total = sum(shape["naive_old_us"] for shape in shapes.values())
    ratio = old_total / new_total
    emit("schedule_age", "none", old_total, "us", new_total,
         "the same next-12 preview for 1-month-old contracts, us", ratio, f"<= {TARGET}",
         ratio <= TARGET, worst_shape_ratio=max(shape["ratio"] for shape in shapes.values()),
         naive_old_us=round(naive_total, 1), naive_ratio_vs_new=round(naive_total / new_total, 3),
         shapes=shapes)

if __name__ == "__main__":
    main()
