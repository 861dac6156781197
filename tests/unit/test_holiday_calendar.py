"""The day-off map: Dutch holidays from the `holidays` package, chosen kinds, closure days."""

from datetime import date

import pytest

from models.schedule.holiday_calendar import HOLIDAY_KINDS, FreeDays, free_days


def d(text: str) -> date:
    return date.fromisoformat(text)


def test_kinds_and_defaults():
    assert [(key, on) for key, _label, on in HOLIDAY_KINDS] == [
        ("nieuwjaarsdag", True),
        ("goede_vrijdag", False),
        ("pasen", True),
        ("koningsdag", True),
        ("bevrijdingsdag", True),
        ("hemelvaart", True),
        ("pinksteren", True),
        ("kerst", True),
    ]
    assert ("goede_vrijdag", "Goede Vrijdag", False) in HOLIDAY_KINDS


def test_default_2026():
    assert free_days([2026]) == {
        d("2026-01-01"): "Nieuwjaarsdag",
        d("2026-04-05"): "Eerste paasdag",
        d("2026-04-06"): "Tweede paasdag",
        d("2026-04-27"): "Koningsdag",
        d("2026-05-14"): "Hemelvaartsdag",
        d("2026-05-24"): "Eerste pinksterdag",
        d("2026-05-25"): "Tweede pinksterdag",
        d("2026-12-25"): "Eerste kerstdag",
        d("2026-12-26"): "Tweede kerstdag",
    }


def test_goede_vrijdag_when_chosen():
    days = free_days([2026], enabled_kinds={"goede_vrijdag", "kerst"})
    assert days == {
        d("2026-04-03"): "Goede Vrijdag",
        d("2026-12-25"): "Eerste kerstdag",
        d("2026-12-26"): "Tweede kerstdag",
    }


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, "Bevrijdingsdag"), (2026, None), (2029, None), (2030, "Bevrijdingsdag")],
)
def test_bevrijdingsdag_only_in_lustrum_years(year, expected):
    assert free_days([year]).get(date(year, 5, 5)) == expected


def test_two_holidays_on_one_day():
    # 5 May 2005 was both Bevrijdingsdag and Hemelvaartsdag.
    assert free_days([2005])[d("2005-05-05")] == "Bevrijdingsdag en Hemelvaartsdag"
    only = free_days([2005], enabled_kinds={"bevrijdingsdag"})
    assert only == {d("2005-05-05"): "Bevrijdingsdag"}


def test_koningsdag_and_koninginnedag():
    assert free_days([2025])[d("2025-04-26")] == "Koningsdag"  # 27 April 2025 is a Sunday
    assert free_days([2013])[d("2013-04-30")] == "Koninginnedag"
    assert d("2013-04-30") not in free_days([2013], enabled_kinds={"kerst"})


def test_closure_days():
    closures = {
        d("2026-12-28"): "",
        d("2026-12-29"): "  Inventarisatie ",
        d("2026-12-25"): "Kerstsluiting",  # a holiday's own name explains it better
        d("2031-01-02"): "buiten de jaren",
    }
    days = free_days(range(2026, 2027), closure_days=closures)
    assert days[d("2026-12-28")] == "sluitingsdag"
    assert days[d("2026-12-29")] == "Inventarisatie"
    assert days[d("2026-12-25")] == "Eerste kerstdag"
    assert d("2031-01-02") not in days


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        free_days([2026], enabled_kinds={"sinterklaas"})


def test_free_days_object_covers_any_year_lazily():
    closures = {d("2031-07-01"): "Zomersluiting"}
    lazy = FreeDays(enabled_kinds={"pasen", "kerst"}, closure_days=closures)
    eager = free_days(range(2024, 2033), enabled_kinds={"pasen", "kerst"}, closure_days=closures)
    for day, name in eager.items():
        assert day in lazy
        assert lazy.get(day) == name == lazy[day]
    assert d("2026-04-27") not in lazy  # Koningsdag not chosen
    assert lazy.get(d("2026-04-28")) is None
    assert lazy.get(d("2026-04-28"), "x") == "x"
    assert "2026-12-25" not in lazy
    with pytest.raises(KeyError):
        lazy[d("2026-04-28")]
    assert d("2099-12-25") in lazy
    assert FreeDays()[d("2027-04-27")] == "Koningsdag"
