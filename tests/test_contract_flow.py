"""Issue #15, through the views: what a new planner meets after saving, in the lists and while
editing (the browser half is in tests/browser/test_flow_browser.py)."""

import re

from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from tests import test_contract_wizard as wizard
from tests.test_contract_wizard import AGREEMENT, SCHEMA, WERKBON, fill, start

world = wizard.world  # the same fixture: a klant, medewerkers and the contract types

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL


def _rows(html: str) -> list[tuple[str, str]]:
    """(date, generation day) of each row of a schedule preview."""
    body = html.split('class="voorbeeld-tabel"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<td class="datum"><time datetime="[^"]+">([^<]+)</time></td>'
                      r"<td>(.*?)</td>", body)


# --------------------------------------------------------------------------- 2. made at save


def test_a_werkbon_due_at_once_says_it_is_made_when_saving(planner, world, app):
    """Start today with 14 dagen van tevoren: the first dates are made at the save, not "on" a
    day in the past (the preview said "aangemaakt op vr 20 nov 2026")."""
    app.config["TODAY"] = "2026-12-04"  # a Friday
    base = fill(planner, world)
    planner.post(f"{base}/overeenkomst",
                 data=dict(AGREEMENT, klant_id=world["klant"], start_date="2026-12-04"))
    schema = dict(SCHEMA, frequency="wekelijks", interval="1", weekdays=["MO"],
                  days_in_advance="14", holidays="ignore", weekends="ignore")
    live = planner.get(f"{base}/voorbeeld", htmx=True, query_string=schema)
    rows = _rows(live.get_data(as_text=True))
    # 7 and 14 December are made at once (their day, 23 and 30 November, is past); the 21st
    # on the 7th
    assert rows[:3] == [("ma 7 dec 2026", "direct bij opslaan"),
                        ("ma 14 dec 2026", "direct bij opslaan"),
                        ("ma 21 dec 2026", '<time datetime="2026-12-07">ma 7 dec 2026</time>')]
    planner.post(f"{base}/schema", data=schema)
    controle = planner.get(f"{base}/controle").get_data(as_text=True)
    assert _rows(controle)[0] == ("ma 7 dec 2026", "direct bij opslaan")
    # the schema page of its own (no contract) says the same
    page = planner.get("/schema-preview", query_string=dict(schema, start_date="2026-12-04"))
    assert _rows(page.get_data(as_text=True))[0] == ("ma 7 dec 2026", "direct bij opslaan")


# --------------------------------------------------------------------------- 3. used-up draft


def test_a_saved_drafts_url_leads_to_the_contract_it_became(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    saved = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
    assert saved.headers["Location"] == f"/contracten/{contract.id}"
    for path in (f"{base}/controle", f"{base}/schema", f"{base}/voorbeeld"):
        resp = planner.get(path)
        assert resp.status_code == 303, path
        assert resp.headers["Location"] == f"/contracten/{contract.id}"
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert f"Dit concept is al opgeslagen: dit is contract {contract.number}." in page
    # htmx (an autosave from a tab left open) is sent there too, not into a fragment
    resp = planner.post(f"{base}/schema/bewaren", data=SCHEMA, htmx=True)
    assert resp.headers["HX-Redirect"] == f"/contracten/{contract.id}"


def test_a_saved_edit_drafts_url_leads_to_the_contract(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get()
    planner.post(f"/contracten/concept/{draft.id}/overeenkomst",
                 data=dict(AGREEMENT, klant_id=world["klant"], description="Nieuw"))
    planner.post(f"/contracten/concept/{draft.id}/controle", data={"actie": "opslaan"})
    resp = planner.get(f"/contracten/concept/{draft.id}/overeenkomst")
    assert resp.headers["Location"] == f"/contracten/{contract.id}"


def test_a_thrown_away_draft_says_so_and_someone_elses_stays_404(planner, world, client):
    _, base = start(planner, world)
    planner.post(f"{base}/weggooien")
    resp = planner.get(f"{base}/overeenkomst")
    assert resp.status_code == 303 and resp.headers["Location"] == "/contracten/"
    assert "Dit concept is weggegooid." in planner.get("/contracten/").get_data(as_text=True)
    # a draft id that never was this planner's: nothing to say about it
    assert planner.get("/contracten/concept/987654/overeenkomst").status_code == 404


def test_another_planner_does_not_follow_my_saved_draft(planner, world, app):
    from tests.conftest import Session, login, make_user

    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    make_user("planner2", "planner")
    other_client = app.test_client()
    other = Session(other_client, login(other_client, "planner2"))
    assert other.get(f"{base}/controle").status_code == 404


# --------------------------------------------------------------------------- 6. list sentence


def test_the_contract_list_says_policies_only_where_they_differ(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, holidays="next_workday",
                                             weekends="next_workday"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=dict(SCHEMA, holidays="skip", weekends="next_workday"))
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    html = planner.get("/contracten/").get_data(as_text=True)
    sentences = re.findall(r'<td class="schema-zin">([^<]*)</td>', html)
    assert sentences == ["Elk kwartaal op de laatste vrijdag",
                         "Elk kwartaal op de laatste vrijdag; feestdagen: overslaan"]
    assert "naar de volgende werkdag, tenzij het schema iets anders zegt" in html
    # the contract page still says all of it
    with connection():
        first = Contract.select().order_by(Contract.id).first()
    page = planner.get(f"/contracten/{first.id}").get_data(as_text=True)
    assert ("Elk kwartaal op de laatste vrijdag; feestdagen: naar de volgende werkdag; "
            "weekend: naar de volgende werkdag") in page


def test_a_yearly_visit_reads_as_the_planner_says_it(planner, world):
    """Jaarlijks aantal, 1 visit from 1 January: every 12 months on the 1st is 'Elk jaar op 1
    januari' on every page."""
    _, base = start(planner, world, "jaarlijks")
    planner.post(f"{base}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"]))
    planner.post(f"{base}/werkbon", data=WERKBON)
    planner.post(f"{base}/aantal", data={"visits_per_year": "1", "days_in_advance": "0",
                                         "holidays": "next_workday", "weekends": "next_workday"})
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    html = planner.get("/contracten/").get_data(as_text=True)
    assert re.findall(r'<td class="schema-zin">([^<]*)</td>', html) == ["Elk jaar op 1 januari"]


# --------------------------------------------------------------------------- 8. last valid


def test_a_refused_schema_step_keeps_the_last_valid_preview(planner, world, app):
    app.config["TODAY"] = "2026-01-01"
    base = fill(planner, world)
    planner.post(f"{base}/schema/bewaren", data=SCHEMA)  # what the planner had: valid
    wrong = dict(SCHEMA, end_mode="einddatum", until="2020-01-01")
    resp = planner.post(f"{base}/schema", data=wrong)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'id="fout-until"' in html and "Deze datum ligt vóór de startdatum." in html
    preview = html.split('id="voorbeeld"', 1)[1].split("</section>", 1)[0]
    assert "Laatste geldige voorbeeld — pas het schema aan." in preview
    assert "Elk kwartaal op de laatste vrijdag" in preview and "vr 30 jan 2026" in preview
    assert "Vul het schema in" not in preview
    assert preview.count('class="verouderd"') == 1
    # the inputs keep what was typed (never lose typing)
    assert 'value="2020-01-01"' in html
    # a reload shows the same (the draft keeps the mistake and the last valid input)
    again = planner.get(f"{base}/schema").get_data(as_text=True)
    assert "Laatste geldige voorbeeld" in again and 'value="2020-01-01"' in again
    # corrected: a plain preview again
    planner.post(f"{base}/schema", data=dict(SCHEMA, interval="6"))
    fixed = planner.get(f"{base}/schema").get_data(as_text=True)
    assert "Laatste geldige voorbeeld" not in fixed and "Elk halfjaar" in fixed


def test_the_first_thing_typed_wrong_still_keeps_the_preview_the_step_opened_with(planner,
                                                                                    world):
    """Never autosaved: the step's own defaults were the last valid preview."""
    base = fill(planner, world)
    html = planner.post(f"{base}/schema", data=dict(SCHEMA, interval="0")).get_data(as_text=True)
    preview = html.split('id="voorbeeld"', 1)[1].split("</section>", 1)[0]
    assert "Laatste geldige voorbeeld" in preview
    assert "Elke maand op de 1e" in preview  # the start date's day, as the step opened


def test_the_live_preview_of_a_mistake_is_one_message(planner, world):
    base = fill(planner, world)
    resp = planner.get(f"{base}/voorbeeld", htmx=True,
                       query_string=dict(SCHEMA, end_mode="einddatum", until="2020-01-01"))
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and resp.headers["HX-Reswap"] == "none"
    assert re.findall(r'<p id="voorbeeld-status"[^>]*>([^<]*)</p>', html) == [
        "Laatste geldige voorbeeld — pas het schema aan."]
    assert "Vul het schema in" not in html and "hoort bij uw vorige invoer" not in html


def test_an_edit_with_a_mistake_shows_the_saved_schedule_as_last_valid(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get()
    html = planner.post(f"/contracten/concept/{draft.id}/schema",
                        data=dict(SCHEMA, interval="")).get_data(as_text=True)
    preview = html.split('id="voorbeeld"', 1)[1].split("</section>", 1)[0]
    assert "Laatste geldige voorbeeld" in preview
    assert "Elk kwartaal op de laatste vrijdag" in preview


# --------------------------------------------------------------------------- 9. Looptijd panel


def test_the_looptijd_panel_warns_in_the_words_of_the_steps_error(planner, world):
    _, base = start(planner, world)
    panel = planner.get(f"{base}/looptijd", htmx=True,
                        query_string={"start_date": "2027-03-01", "end_date": "2027-01-15"})
    html = panel.get_data(as_text=True)
    warnings = re.findall(r'<p class="melding melding-fout looptijd-fout">([^<]*)</p>', html)
    assert warnings == ["De einddatum ligt vóór de startdatum."]
    assert "t/m" not in html and "Status na opslaan" not in html  # no impossible range
    step = planner.post(f"{base}/overeenkomst",
                        data=dict(AGREEMENT, klant_id=world["klant"], start_date="2027-03-01",
                                  end_date="2027-01-15"))
    assert step.status_code == 422
    error = re.search(r'<small id="fout-end_date" class="veldfout"[^>]*>([^<]*)</small>',
                      step.get_data(as_text=True)).group(1)
    assert error == warnings[0]
    # and a start date that is no date
    html = planner.get(f"{base}/looptijd", htmx=True,
                       query_string={"start_date": "2027-02-31"}).get_data(as_text=True)
    assert "Vul een geldige startdatum in (JJJJ-MM-DD)." in html
    # a possible range: no warning, the period as before
    html = planner.get(f"{base}/looptijd", htmx=True,
                       query_string={"start_date": "2027-01-15", "end_date": "2027-03-01"}
                       ).get_data(as_text=True)
    assert "looptijd-fout" not in html and "t/m ma 1 mrt 2027" in html


# --------------------------------------------------------------------------- 1. after saving


WEEKLY = dict(SCHEMA, frequency="wekelijks", interval="1", weekdays=["MO"], holidays="ignore",
              weekends="ignore", days_in_advance="14")


def _save_weekly(planner, world, app, start_date="2026-11-27", schema=WEEKLY) -> Contract:
    """Saved on Friday 27 November 2026: every Monday, made 14 days ahead, so 30 November and
    7 December are due at the save (14 December on 30 November)."""
    app.config["TODAY"] = "2026-11-27"
    base = fill(planner, world)
    planner.post(f"{base}/overeenkomst",
                 data=dict(AGREEMENT, klant_id=world["klant"], start_date=start_date))
    planner.post(f"{base}/schema", data=schema)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        return Contract.get()


def _timeline(planner, contract) -> str:
    resp = planner.get(f"/contracten/{contract.id}/tijdlijn", htmx=True)
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert "<html" not in html
    return html


def _poll(html: str) -> str | None:
    """The delay after which the timeline asks again (None: it does not)."""
    match = re.search(r'hx-trigger="load delay:(\w+)"', html)
    return match.group(1) if match else None


def _made(html: str) -> list[list[str]]:
    """The rows of the timeline's table of werkbonnen made, as text."""
    if 'id="gemaakte-werkbonnen"' not in html:
        return []
    body = html.split('id="gemaakte-werkbonnen"', 1)[1].split("<tbody>", 1)[1]
    body = body.split("</tbody>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row,
                                                                          re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_contract_page_follows_the_worker_until_the_werkbonnen_are_made(
        planner, world, app, redis_conn):
    from rq import Queue, SimpleWorker

    from jobs.connection import QUEUE

    queue = Queue(QUEUE, connection=redis_conn)
    idle = SimpleWorker([queue], connection=redis_conn, name="wacht-op-werk")
    idle.register_birth()  # a worker is there (it has not taken the job yet)
    try:
        contract = _save_weekly(planner, world, app)
        page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
        assert "Werkbonnen worden gemaakt…" in page and 'aria-busy="true"' in page
        assert _poll(page) == "1s"
        # the dates being made say so in the list of dates to come
        assert "nu, wordt gemaakt" in page
        assert f'hx-get="/contracten/{contract.id}/tijdlijn?zag=bezig"' in page
        html = _timeline(planner, contract)
        assert "Werkbonnen worden gemaakt…" in html and _poll(html) == "1s"
        # the poller says what the page shows: nothing new, so only the poller is renewed (a
        # screen reader does not hear the live region again every second)
        same = planner.get(f"/contracten/{contract.id}/tijdlijn?zag=bezig", htmx=True)
        assert same.headers["HX-Retarget"] == "#tijdlijn-poller"
        assert same.headers["HX-Reswap"] == "outerHTML"
        body = same.get_data(as_text=True).strip()
        assert body.startswith('<div hidden id="tijdlijn-poller"') and _poll(body) == "1s"
        assert "Werkbonnen worden gemaakt" not in body
        assert queue.count == 1
        SimpleWorker([queue], connection=redis_conn).work(burst=True)  # the real job
    finally:
        idle.register_death()
    done = planner.get(f"/contracten/{contract.id}/tijdlijn?zag=bezig", htmx=True)
    assert "HX-Retarget" not in done.headers  # something new: the whole region
    html = done.get_data(as_text=True)
    assert _poll(html) is None  # done: the poller is gone
    assert "Werkbonnen worden gemaakt" not in html
    made = _made(html)
    assert [row[1:] for row in made] == [["ma 30 nov 2026", "Jeroen Bakker", "Ingepland"],
                                         ["ma 7 dec 2026", "Jeroen Bakker", "Ingepland"]]
    assert all(re.fullmatch(r"W-2026-\d{6}", row[0]) for row in made)
    assert 'href="/planning/?week=2026-W49"' in html and "Week 49 op het planbord" in html
    assert "nu, wordt gemaakt" not in html  # the dates to come start after them
    assert "ma 14 dec 2026" in html.split("Nog te maken", 1)[1]


def test_an_edit_shows_the_werkbonnen_at_once(planner, world, app, redis_conn):
    """An edit makes what is due in its own transaction: nothing to wait for."""
    contract = _save_weekly(planner, world, app)
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get()
    planner.post(f"/contracten/concept/{draft.id}/schema",
                 data=dict(WEEKLY, weekdays=["TU"]))
    controle = planner.get(f"/contracten/concept/{draft.id}/controle").get_data(as_text=True)
    fingerprint = re.search(r'name="gevolgen" value="([^"]+)"', controle).group(1)
    planner.post(f"/contracten/concept/{draft.id}/controle",
                 data={"actie": "opslaan", "gevolgen": fingerprint})
    page = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert _poll(page) is None
    assert [row[1] for row in _made(page)] == ["di 1 dec 2026", "di 8 dec 2026"]


def test_without_a_worker_the_page_says_it_is_delayed_and_asks_slowly(planner, world, app,
                                                                      redis_conn):
    contract = _save_weekly(planner, world, app)
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "Het aanmaken van de werkbonnen is vertraagd: er draait geen worker." in html
    assert "Werkbonnen worden gemaakt…" not in html and 'aria-busy="true"' not in html
    assert _poll(html) == "30s" and "Nu opnieuw kijken" in html


def test_with_the_queue_down_the_page_says_so(planner, world, app, redis_conn):
    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # nothing listens there
    app.config["TODAY"] = "2026-11-27"
    base = fill(planner, world)
    planner.post(f"{base}/overeenkomst",
                 data=dict(AGREEMENT, klant_id=world["klant"], start_date="2026-11-27"))
    planner.post(f"{base}/schema", data=WEEKLY)
    resp = planner.post(f"{base}/controle", data={"actie": "opslaan"})
    html = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Het aanmaken van werkbonnen is vertraagd: de wachtrij is niet bereikbaar." in html
    assert "vertraagd: de wachtrij (Redis) is niet bereikbaar." in html
    assert _poll(html) == "30s" and 'aria-busy="true"' not in html


def test_a_while_after_saving_it_waits_for_the_sweep_without_a_spinner(planner, world, app,
                                                                       redis_conn):
    from datetime import timedelta

    from rq import Queue, SimpleWorker

    from jobs.connection import QUEUE
    from models.db.base import utcnow

    contract = _save_weekly(planner, world, app)
    with connection():
        Contract.update(updated_at=utcnow() - timedelta(minutes=2)).where(
            Contract.id == contract.id).execute()
    idle = SimpleWorker([Queue(QUEUE, connection=redis_conn)], connection=redis_conn)
    idle.register_birth()
    try:
        html = _timeline(planner, contract)
    finally:
        idle.register_death()
    assert "worden gemaakt bij de volgende automatische ronde" in html
    assert _poll(html) == "30s" and 'aria-busy="true"' not in html


def test_a_run_that_had_to_skip_the_contract_says_why(planner, world, app, redis_conn):
    import json

    from models.werkbonnen.tables import GenerationRun

    contract = _save_weekly(planner, world, app)
    with connection():
        # what materialise._skip leaves in the run (the contract's row could not be expanded)
        GenerationRun.create(today="2026-11-27", trigger="sweep", finished_at="2026-11-27 10:00",
                             notes=json.dumps({str(contract.id): "overgeslagen door een fout: "
                                               "ScheduleError('kapot')"}))
    html = _timeline(planner, contract)
    assert "Het aanmaken van de werkbonnen van dit contract is mislukt" in html
    assert "ScheduleError" in html and _poll(html) == "30s"


def test_nothing_due_yet_says_when_the_first_werkbon_is_made(planner, world, app, redis_conn):
    """Starts in three weeks, made on its day: nothing to wait for, so no polling."""
    contract = _save_weekly(planner, world, app, start_date="2026-12-18",
                            schema=dict(WEEKLY, days_in_advance="0"))
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert _poll(html) is None and "Werkbonnen worden gemaakt" not in html
    assert ("Nog geen werkbonnen. De eerste werkbon, voor ma 21 dec 2026, wordt gemaakt op "
            "ma 21 dec 2026.") in html


def test_the_timeline_url_is_a_full_page_without_htmx(planner, world, app, redis_conn):
    contract = _save_weekly(planner, world, app)
    html = planner.get(f"/contracten/{contract.id}/tijdlijn").get_data(as_text=True)
    assert "<html" in html and contract.number in html and "Tijdlijn" in html


# --------------------------------------------------------------------------- 7. Controle


def test_controle_of_an_edit_shows_the_effect_first_then_old_and_new(planner, world, app):
    app.config["TODAY"] = "2026-01-01"
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
        from models.stamdata.medewerkers import Medewerker

        other = Medewerker.create(personnel_number="P-9", name="Lotte Visser")
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get()
    step = f"/contracten/concept/{draft.id}"
    planner.post(f"{step}/overeenkomst", data=dict(AGREEMENT, klant_id=world["klant"],
                                                   end_date="2027-06-30"))
    planner.post(f"{step}/werkbon", data=dict(WERKBON, medewerker_id=other.id))
    planner.post(f"{step}/schema", data=dict(SCHEMA, interval="6"))
    html = planner.get(f"{step}/controle").get_data(as_text=True)
    # the effect first, then the changes, then the rest collapsed
    effect = html.index('id="effect-kop"')
    assert effect < html.index('id="wijzigingen-kop"') < html.index('class="ongewijzigd"')
    table = html.split('class="wijzigingen-tabel"', 1)[1].split("</table>", 1)[0]
    rows = {re.sub(r"<[^>]+>", "", row[0]): [re.sub(r"<[^>]+>", " ", cell).split()
                                             for cell in row[1:]]
            for row in re.findall(r'<th scope="row">(.*?)</th>\s*<td class="oud">(.*?)</td>'
                                  r'<td class="nieuw">(.*?)</td>', table, re.S)}
    assert list(rows) == ["Einddatum", "Schema", "Medewerker", "Volgende datums"]
    assert rows["Einddatum"] == [["vr", "31", "dec", "2027"], ["wo", "30", "jun", "2027"]]
    assert " ".join(rows["Schema"][0]).startswith("Elk kwartaal op de laatste vrijdag")
    assert " ".join(rows["Schema"][1]).startswith("Elk halfjaar op de laatste vrijdag")
    assert rows["Medewerker"] == [["Jeroen", "Bakker"], ["Lotte", "Visser"]]
    # the coming dates side by side; the ones that go or come are marked
    old, new = table.split('<td class="oud">')[-1].split('<td class="nieuw">')
    assert re.findall(r"<li>(.*?)</li>", old) == [
        "vr 30 jan 2026", "<del>vr 24 apr 2026</del>", "vr 31 jul 2026",
        "<del>vr 30 okt 2026</del>", "vr 29 jan 2027"]
    assert re.findall(r"<li>(.*?)</li>", new) == ["vr 30 jan 2026", "vr 31 jul 2026",
                                                   "vr 29 jan 2027"]
    # unchanged fields collapsed, in words
    unchanged = html.split('class="ongewijzigd"', 1)[1].split("</details>", 1)[0]
    assert "<details" not in unchanged and "open" not in html.split('class="ongewijzigd"')[0][-30:]
    assert "<dt>Klant</dt><dd>Bakkerij Jansen</dd>" in unchanged
    assert "<dt>Startdatum</dt><dd>do 1 jan 2026</dd>" in unchanged
    assert "<dt>Contracttype</dt><dd>Preventief</dd>" in unchanged
    assert "Bezoeken per jaar" not in unchanged  # not a jaarlijks contract


def test_controle_of_a_new_contract_keeps_its_summary(planner, world):
    base = fill(planner, world)
    planner.post(f"{base}/schema", data=SCHEMA)
    html = planner.get(f"{base}/controle").get_data(as_text=True)
    assert 'class="grid controle"' in html and "Wat er verandert" not in html
