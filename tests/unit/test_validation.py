import pytest

from models.common.validation import clean, normalise_postcode


@pytest.mark.parametrize("raw, expected", [
    ("1234 AB", "1234 AB"), ("1234ab", "1234 AB"), (" 1234  ab ", "1234 AB"),
    ("9999ZZ", "9999 ZZ"), ("0123 AB", None), ("123 AB", None), ("12345 AB", None),
    ("1234 A", None), ("1234 SS", None), ("1234 SA", None), ("1234 SD", None), ("", None),
    ("ABCD 12", None),
])
def test_postcode(raw, expected):
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("field, value, ok", [
    ("email", "jan@bedrijf.nl", True), ("email", "jan@bedrijf", False), ("email", "jan", False),
    ("email", "j an@b.nl", False), ("phone", "020-1234567", True), ("phone", "06 12345678", True),
    ("phone", "+31 6 12345678", True), ("phone", "0031612345678", True), ("phone", "12345", False),
    ("phone", "020-123456", False), ("phone", "telefoon", False),
])
def test_email_and_phone(field, value, ok):
    values, errors = clean({field: value}, (field,), ())
    assert (field not in errors) is ok
    if ok:
        assert values[field] == value


def test_required_fields_get_their_own_dutch_message():
    _, errors = clean({"name": "  ", "postcode": ""}, ("name", "postcode"), ("name", "postcode"))
    assert errors == {"name": "Vul een naam in.", "postcode": "Vul een postcode in."}


def test_non_string_values_are_an_error_not_an_exception():
    _, errors = clean({"name": 12}, ("name",), ("name",))
    assert errors == {"name": "Vul hier tekst in."}


def test_too_long():
    _, errors = clean({"name": "x" * 121}, ("name",), ())
    assert "Maximaal 120" in errors["name"]
