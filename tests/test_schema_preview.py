"""/schema-preview (page and fragment) and POST /api/v1/schedule/preview."""

import re
from datetime import date

import pytest

import views.schema
from models.db import connection
from models.stamdata.instellingen import ClosureDay

BASE = {"start_date": "2026-01-31", "frequency": "maandelijks", "interval": "1",
        "monthly_mode": "dag", "day_of_month": "31", "end_mode": "geen",
        "holidays": "ignore", "weekends": "ignore", "days_in_advance": "0"}


def query(**changes):
    from urllib.parse import urlencode

    params = dict(BASE, **changes)
    return "/schema-preview?" + urlencode(params, doseq=True)


def dates(html: str) -> list[str]:
    return re.findall(r'<td class="datum"><time datetime="(\d{4}-\d\d-\d\d)">', html)


def explained(html: str) -> list[str]:
    """The preview's list of dates without a werkbon of their own, as text."""
    block = re.search(r'<details class="vervallen">(.*?)</details>', html, re.S)
    items = re.findall(r"<li>(.*?)</li>", block.group(1), re.S) if block else []
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_page_without_params_shows_form_and_preview(planner):
    resp = planner.get("/schema-preview")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "<html" in html
    assert 'id="schema-formulier"' in html and 'hx-sync="this:replace"' in html
    assert len(dates(html)) == 12 and "Elke maand op de" in html


def test_a_fresh_forms_op_de_choice_starts_from_the_start_date(planner, monkeypatch):
    """Monthly "Op de ..." (not chosen yet) showed "1e maandag" whatever the start date; like
    the other day fields it starts from the start date: Friday 27 November 2026 is the 4th
    Friday (and 27 the day of the month)."""
    monkeypatch.setattr(views.schema, "local_today", lambda: date(2026, 11, 27))
    html = planner.get("/schema-preview").get_data(as_text=True)
    ordinal = re.search(r'<select id="ordinal"[^>]*>(.*?)</select>', html, re.S).group(1)
    weekday = re.search(r'<select id="ordinal_weekday"[^>]*>(.*?)</select>', html, re.S).group(1)
    assert re.search(r'<option value="4" selected>', ordinal)
    assert re.search(r'<option value="FR" selected>', weekday)
    assert 'id="day_of_month" name="day_of_month" type="number" min="1" max="31" ' \
           'inputmode="numeric" class="kort" value="27"' in html


def test_fragment_is_only_the_preview_plus_error_slots(planner):
    resp = planner.get(query(end_date="2026-12-31", start_date="2026-01-01",
                             frequency="wekelijks", weekdays=["MO", "TH"], interval="2"),
                       htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "<html" not in html and 'id="schema-formulier"' not in html
    assert html.lstrip().startswith('<section id="voorbeeld"')
    assert "Elke 2 weken op maandag en donderdag" in html
    assert 'id="fout-interval" class="veldfout" hx-swap-oob="true"></small>' in html


def test_no_js_submit_renders_the_same_preview(planner):
    full = planner.get(query(frequency="wekelijks", weekdays=["MO", "TH"], interval="2",
                             start_date="2026-11-26"))
    frag = planner.get(query(frequency="wekelijks", weekdays=["MO", "TH"], interval="2",
                             start_date="2026-11-26"), htmx=True)
    assert dates(full.get_data(as_text=True)) == dates(frag.get_data(as_text=True))
    assert 'value="2"' in full.get_data(as_text=True)
    # without the script the label names the sent frequency's unit only (it read "Om de
    # hoeveel dagenwekenmaandenjaar"), and there is one button to submit
    html = full.get_data(as_text=True)
    label = re.search(r'<label for="interval">(.*?)</label>', html, re.S).group(1)
    shown = re.findall(r'<span data-toon-bij="[^"]*">(\w+)</span>', label)
    assert shown == ["weken"]
    assert html.count(">Toon voorbeeld</button>") == 1


def test_clamped_monthly_31st_in_the_preview(planner, monkeypatch):
    monkeypatch.setattr(views.schema, "local_today", lambda: date(2026, 1, 1))
    html = planner.get(query(), htmx=True).get_data(as_text=True)
    assert dates(html)[:4] == ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
    assert "Elke maand op de 31e (of de laatste dag van de maand)" in html


def test_moved_date_shows_original_and_reason(planner, monkeypatch):
    monkeypatch.setattr(views.schema, "local_today", lambda: date(2027, 1, 1))
    html = planner.get(query(start_date="2027-04-27", frequency="jaarlijks", month="4",
                             day_of_month="27", holidays="next_workday", days_in_advance="7"),
                       htmx=True).get_data(as_text=True)
    # Koningsdag 2027 is a Tuesday: moved to Wednesday 28 April, generated a week earlier.
    assert dates(html)[0] == "2027-04-28"
    assert "Verplaatst van di 27 apr 2027 (Koningsdag)" in html
    assert '<time datetime="2027-04-21">wo 21 apr 2027</time>' in html


def test_dates_that_merge_or_fall_away_are_explained(planner, monkeypatch):
    """"Elke dag, 5 keer" from a Saturday lists three dates: the preview says where the other
    two went, so the sentence and the list do not seem to disagree."""
    monkeypatch.setattr(views.schema, "local_today", lambda: date(2026, 11, 27))
    html = planner.get(query(start_date="2026-11-28", frequency="dagelijks", end_mode="aantal",
                             count="5", weekends="next_workday"),
                       htmx=True).get_data(as_text=True)
    assert "5 keer" in html
    assert dates(html) == ["2026-11-30", "2026-12-01", "2026-12-02"]
    assert "2 datums van het schema krijgen geen eigen werkbon" in html
    assert explained(html) == [
        "za 28 nov 2026 (weekend): valt samen met ma 30 nov 2026, één werkbon",
        "zo 29 nov 2026 (weekend): valt samen met ma 30 nov 2026, één werkbon",
    ]
    skipped = planner.get(query(start_date="2026-11-28", frequency="dagelijks",
                                end_mode="aantal", count="5", weekends="skip"),
                          htmx=True).get_data(as_text=True)
    assert explained(skipped) == ["za 28 nov 2026 (weekend): vervalt",
                                  "zo 29 nov 2026 (weekend): vervalt"]
    plain = planner.get(query(), htmx=True).get_data(as_text=True)  # nothing moves
    assert "geen eigen werkbon" not in plain


def test_closure_day_from_instellingen_moves_a_visit(planner, monkeypatch):
    monkeypatch.setattr(views.schema, "local_today", lambda: date(2027, 1, 1))
    with connection():
        ClosureDay.create(date=date(2027, 3, 1), description="")
    html = planner.get(query(start_date="2027-02-01", day_of_month="1",
                             holidays="previous_workday"), htmx=True).get_data(as_text=True)
    assert dates(html)[:3] == ["2027-02-01", "2027-02-26", "2027-04-01"]
    assert "(sluitingsdag)" in html


@pytest.mark.parametrize("changes, field, message", [
    ({"interval": "0"}, "interval", "Vul een getal van 1 tot en met 99 in."),
    ({"interval": "abc"}, "interval", "Vul een getal van 1 tot en met 99 in."),
    ({"frequency": "wekelijks"}, "weekdays", "Kies minstens één weekdag."),
    ({"days_in_advance": "400"}, "days_in_advance", "0 tot en met 365"),
    ({"start_date": "2026-13-01"}, "start_date", "Vul een geldige startdatum in."),
    ({"end_date": "2025-01-01"}, "end_date", "De einddatum ligt vóór de startdatum."),
    ({"day_of_month": "32"}, "day_of_month", "Vul een dag van 1 tot en met 31 in."),
    ({"start_date": ""}, "start_date", "Vul een startdatum in."),  # not silently today
    ({"end_mode": "einddatum", "until": "2025-12-31"}, "until",  # at "tot en met", not on top
     "Deze datum ligt vóór de startdatum."),
])
def test_invalid_input_keeps_last_preview_and_marks_field(planner, changes, field, message):
    resp = planner.get(query(**changes), htmx=True)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and resp.headers["HX-Reswap"] == "none"
    assert f'id="fout-{field}" class="veldfout" hx-swap-oob="true">' in html
    assert message in html
    assert 'id="voorbeeld-status" hx-swap-oob="true" class="verouderd"' in html
    full = planner.get(query(**changes))
    assert full.status_code == 422
    page = full.get_data(as_text=True)
    assert message in page and 'aria-invalid="true"' in page
    raw = changes.get(field)
    if raw and field != "weekdays":
        assert f'value="{raw}"' in page  # the planner's own typing is kept


def test_preview_needs_login(client):
    assert client.get("/schema-preview").status_code == 302


API_BODY = {"start_date": "2026-01-31", "end_date": "2026-12-31",
            "rrule": "FREQ=MONTHLY;BYMONTHDAY=31", "holidays": "next_workday",
            "weekends": "ignore", "days_in_advance": 14, "extra_dates": [], "skip_dates": [],
            "after": "2026-03-01", "count": 12}


def test_api_preview_exact_shape(api):
    resp = api.post("/api/v1/schedule/preview", json=API_BODY)
    assert resp.status_code == 200
    body = resp.get_json()
    assert list(body) == ["rrule", "description", "occurrences", "more"]
    assert body["rrule"] == "FREQ=MONTHLY;BYMONTHDAY=31"
    # Strict RFC 5545: months without a 31st are skipped.
    assert [o["date"] for o in body["occurrences"]] == [
        "2026-03-31", "2026-05-31", "2026-07-31", "2026-08-31", "2026-10-31", "2026-12-31"]
    assert body["occurrences"][0] == {"date": "2026-03-31", "generate_on": "2026-03-17",
                                      "original_date": None, "reason": None}
    assert body["more"] is False


def test_api_preview_more_and_moves(api):
    resp = api.post("/api/v1/schedule/preview", json={
        "start_date": "2026-01-01", "rrule": "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25",
        "holidays": "next_workday", "weekends": "next_workday", "count": 2, "after": "2026-01-01"})
    body = resp.get_json()
    # 25 Dec 2026 (Fri, Kerst) -> next workday skips Sat/Sun to Mon 28 Dec (26 Dec is Kerst too).
    assert body["occurrences"][0] == {"date": "2026-12-28", "generate_on": "2026-12-28",
                                      "original_date": "2026-12-25", "reason": "Eerste kerstdag"}
    assert body["more"] is True and len(body["occurrences"]) == 2


def test_api_preview_only_start_and_rrule_required(api):
    resp = api.post("/api/v1/schedule/preview", json={"start_date": "2026-01-01",
                                                       "rrule": "FREQ=DAILY"})
    assert resp.status_code == 200
    assert len(resp.get_json()["occurrences"]) == 12


def test_api_preview_null_is_the_default_for_every_optional_field(api):
    """end_date, after and the date lists took null as "absent"; count, the policies and
    days_in_advance answered 422 for it."""
    given = {"start_date": "2026-01-01", "rrule": "FREQ=DAILY", "after": "2026-01-01"}
    nulls = {key: None for key in ("end_date", "holidays", "weekends", "days_in_advance",
                                   "extra_dates", "skip_dates", "count")}
    plain = api.post("/api/v1/schedule/preview", json=given)
    with_nulls = api.post("/api/v1/schedule/preview", json=dict(given, **nulls))
    assert with_nulls.status_code == 200, with_nulls.get_json()
    assert with_nulls.get_json() == plain.get_json()
    assert len(plain.get_json()["occurrences"]) == 12


@pytest.mark.parametrize("changes, field", [
    ({"rrule": "FREQ=DAILY;FOO=1"}, "rrule"), ({"rrule": "FREQ=HOURLY"}, "rrule"),
    ({"rrule": "FREQ=DAILY;INTERVAL=0"}, "rrule"), ({"end_date": "2025-12-31"}, "end_date"),
    ({"count": 0}, "count"), ({"count": 501}, "count"),
    ({"start_date": "31-01-2026"}, "start_date"),
    ({"after": "gisteren"}, "after"), ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),
    ({"holidays": "maybe"}, "holidays"), ({"days_in_advance": 366}, "days_in_advance"),
    ({"extra_dates": ["x"]}, "extra_dates"), ({"unknown": 1}, "unknown"),
    ({"rrule": None}, "rrule"),
    ({"rrule": "RRULE:FREQ=DAILY"}, "rrule"), ({"start_date": None}, "start_date"),
    # found by fuzzing (each was a 500): a date before any schedule, a COUNT islice refuses,
    # a digit str.isdigit() accepts and int() does not
    ({"after": "0001-01-01"}, "after"),
    ({"rrule": "FREQ=DAILY;COUNT=99999999999999999999"}, "rrule"),
    ({"rrule": "FREQ=DAILY;INTERVAL=\u00b2"}, "rrule"),
    # digits of other scripts, which \\d and int() accept: not RFC 5545
    ({"rrule": "FREQ=DAILY;BYMONTHDAY=\u0661"}, "rrule"),
    ({"rrule": "FREQ=MONTHLY;BYDAY=\u0661MO"}, "rrule"),
    ({"rrule": "FREQ=DAILY;UNTIL=\u0662\u0660\u0662\u0667\u0660\u0661\u0660\u0661"}, "rrule"),
])
def test_api_preview_invalid_422(api, changes, field):
    resp = api.post("/api/v1/schedule/preview", json=dict(API_BODY, **changes))
    assert resp.status_code == 422
    errors = resp.get_json()["errors"]
    assert field in errors and isinstance(errors[field], str) and errors[field]


def test_api_preview_needs_token(client):
    assert client.post("/api/v1/schedule/preview", json=API_BODY).status_code == 401
