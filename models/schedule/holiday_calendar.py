"""The map of non-working days that schedule policies consult.

Public holidays come from the `holidays` package (Dutch names, language="nl") so that nobody
maintains Easter arithmetic by hand; the company decides which kinds count as a day off (Goede
Vrijdag is not a general day off in the Netherlands, so it is off by default). Company closure
days are added on top. The result is a plain mapping date -> Dutch reason, which is all that
`models.schedule` needs to know.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import date
from functools import lru_cache

import holidays

# (key, Dutch label, on by default). Pasen, Pinksteren and Kerst each cover both days; the
# package lists Bevrijdingsdag only in lustrum years (a general day off only then).
HOLIDAY_KINDS: list[tuple[str, str, bool]] = [
    ("nieuwjaarsdag", "Nieuwjaarsdag", True),
    ("goede_vrijdag", "Goede Vrijdag", False),
    ("pasen", "Pasen", True),
    ("koningsdag", "Koningsdag", True),
    ("bevrijdingsdag", "Bevrijdingsdag", True),
    ("hemelvaart", "Hemelvaart", True),
    ("pinksteren", "Pinksteren", True),
    ("kerst", "Kerst", True),
]
DEFAULT_KINDS = frozenset(key for key, _label, enabled in HOLIDAY_KINDS if enabled)
CLOSURE_REASON = "sluitingsdag"

# The package's Dutch names (lower case) -> our kind, plus the spelling planners expect.
_KIND_OF_NAME = {
    "nieuwjaarsdag": ("nieuwjaarsdag", "Nieuwjaarsdag"),
    "goede vrijdag": ("goede_vrijdag", "Goede Vrijdag"),
    "eerste paasdag": ("pasen", "Eerste paasdag"),
    "tweede paasdag": ("pasen", "Tweede paasdag"),
    "koningsdag": ("koningsdag", "Koningsdag"),
    "koninginnedag": ("koningsdag", "Koninginnedag"),
    "bevrijdingsdag": ("bevrijdingsdag", "Bevrijdingsdag"),
    "hemelvaartsdag": ("hemelvaart", "Hemelvaartsdag"),
    "eerste pinksterdag": ("pinksteren", "Eerste pinksterdag"),
    "tweede pinksterdag": ("pinksteren", "Tweede pinksterdag"),
    "eerste kerstdag": ("kerst", "Eerste kerstdag"),
    "tweede kerstdag": ("kerst", "Tweede kerstdag"),
}


def _kinds(enabled_kinds: Collection[str] | None) -> frozenset[str]:
    if enabled_kinds is None:
        return DEFAULT_KINDS
    kinds = frozenset(enabled_kinds)
    unknown = kinds - {key for key, _label, _on in HOLIDAY_KINDS}
    if unknown:
        raise ValueError(f"unknown holiday kinds: {sorted(unknown)}")
    return kinds


@lru_cache(maxsize=512)
def _holidays_in_year(year: int, kinds: frozenset[str]) -> dict[date, str]:
    """One year's enabled holidays. Cached: the package is slow-ish per call (~1 ms) and the
    same years are asked for over and over by previews and the worker. Callers must not mutate
    the returned dict."""
    result: dict[date, str] = {}
    for day, names in holidays.country_holidays("NL", years=year, language="nl").items():
        # Two holidays on one day arrive as "Bevrijdingsdag; Hemelvaartsdag".
        shown = []
        for name in names.split(";"):
            kind, nice = _KIND_OF_NAME.get(name.strip().lower(), (None, None))
            if kind in kinds:  # names the package may add later are not days off until mapped
                shown.append(nice)
        if shown:
            result[day] = " en ".join(shown)
    return result


def free_days(
    years: Iterable[int],
    enabled_kinds: Collection[str] | None = None,
    closure_days: Mapping[date, str] | None = None,
) -> dict[date, str]:
    """All non-working days in `years`: enabled holidays plus closure days in those years.

    When a closure day is also a holiday the holiday's name wins: it explains the day better.
    """
    kinds = _kinds(enabled_kinds)
    wanted = set(years)
    result: dict[date, str] = {}
    for day, reason in (closure_days or {}).items():
        if day.year in wanted:
            result[day] = (reason or "").strip() or CLOSURE_REASON
    for year in sorted(wanted):
        result.update(_holidays_in_year(year, kinds))
    return result


class FreeDays:
    """A lazy date -> reason lookup covering any year, built one year at a time on demand.

    Schedule previews look at "the next 12 dates" without knowing which years that spans; this
    lets them ask about any date while each year is computed once.
    """

    def __init__(
        self,
        enabled_kinds: Collection[str] | None = None,
        closure_days: Mapping[date, str] | None = None,
    ) -> None:
        self._kinds = _kinds(enabled_kinds)
        self._closures: dict[int, dict[date, str]] = {}
        for day, reason in (closure_days or {}).items():
            self._closures.setdefault(day.year, {})[day] = (reason or "").strip() or CLOSURE_REASON
        self._years: dict[int, dict[date, str]] = {}

    @property
    def key(self) -> tuple:
        """What the lookup answers from (the holiday kinds and the closure days), hashable: two
        FreeDays with the same key give the same answers."""
        return (self._kinds, tuple(sorted((d, r) for days in self._closures.values()
                                          for d, r in days.items())))

    def _year(self, year: int) -> dict[date, str]:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = {
                **self._closures.get(year, {}),
                **_holidays_in_year(year, self._kinds),
            }
        return days

    def __contains__(self, day: object) -> bool:
        # Asked for every expanded date, hence the fast path for a year already built.
        try:
            return day in self._years[day.year]
        except KeyError:
            return day in self._year(day.year)
        except AttributeError:  # not a date
            return False

    def get(self, day: date, default: str | None = None) -> str | None:
        return self._year(day.year).get(day, default)

    def __getitem__(self, day: date) -> str:
        return self._year(day.year)[day]

    def __repr__(self) -> str:
        return f"FreeDays(kinds={sorted(self._kinds)}, closure_years={sorted(self._closures)})"
