"""Werkbonnen: the change service, the list (filters, search, pages, inline changes) and the
werkbon page."""

import json
import re
from datetime import date, datetime

import pytest

from models.contracts.tables import Contract
from models.db import connection, paging
from models.db.audit import AuditLog
from models.stamdata.instellingen import Contracttype
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import pager as werkbon_pager
from models.werkbonnen import service as werkbon_service
from models.werkbonnen.tables import Werkbon

ON_POSTGRESQL = True  # tests/conftest.py: each test runs on SQLite and on PostgreSQL

TODAY = date(2026, 3, 10)  # a Tuesday


@pytest.fixture
def today(monkeypatch):
    """Freeze the company's today for the views."""
    import views.planning
    import views.werkbonnen

    monkeypatch.setattr(views.werkbonnen, "local_today", lambda: TODAY)
    monkeypatch.setattr(views.planning, "local_today", lambda: TODAY)
    return TODAY


_numbers = iter(range(1, 10**6))


def make_klant(name="Bakkerij Jansen", number=None):
    with connection():
        return Klant.create(customer_number=number or f"D-{next(_numbers)}", name=name,
                            city="Utrecht")


def make_medewerker(name="Anouk de Wit", active=True):
    with connection():
        return Medewerker.create(personnel_number=f"P-{next(_numbers)}", name=name, active=active)


def make_contract(klant, number="C-2026-0001"):
    with connection():
        ctype = Contracttype.get(Contracttype.kind == "preventief")
        return Contract.create(number=number, klant=klant, contracttype=ctype, kind="preventief",
                               description="Onderhoud cv-ketel", start_date=date(2026, 1, 1))


def make_werkbon(klant, due=date(2026, 3, 20), status="open", contract=None, medewerker=None,
                 planned=None, description="Jaarlijks onderhoud", duration=60, number=None):
    with connection():
        return Werkbon.create(number=number or f"W-2026-{next(_numbers):06d}", klant=klant,
                              contract=contract, due_date=due, status=status,
                              medewerker=medewerker, planned_start=planned,
                              duration_minutes=duration, description=description)


def reload(werkbon):
    with connection():
        return Werkbon.get_by_id(werkbon.id)


def audit_rows(werkbon):
    with connection():
        return list(AuditLog.select().where(AuditLog.entity == "werkbon",
                                            AuditLog.entity_id == werkbon.id)
                    .order_by(AuditLog.id))


def change(werkbon, data, actor="planner1"):
    with connection():
        return werkbon_service.change(Werkbon.get_by_id(werkbon.id), data, actor, TODAY)


def results(resp) -> str:
    html = resp.get_data(as_text=True)
    start = html.index('<section id="resultaten"')
    return html[start:html.index("</section>", start)]


def numbers_in(html: str) -> list[str]:
    return re.findall(r'<tr id="werkbon-\d+"[^>]*>\s*<th scope="row"[^>]*><a [^>]*>([^<]+)</a>',
                      html)


def text(html: str) -> str:
    """What a reader sees: tags dropped, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- the service --------------------------------------------------------------------------


def test_assign_and_plan_makes_it_ingepland_by_hand_with_audit(app):
    werkbon = make_werkbon(make_klant())
    anouk = make_medewerker()
    changed, errors = change(werkbon, {"medewerker_id": anouk.id,
                                       "planned_start": "2026-03-12T09:30"})
    assert errors == {}
    row = reload(werkbon)
    assert row.status == "ingepland" and row.changed_by_hand is True
    assert row.medewerker_id == anouk.id and row.planned_start == datetime(2026, 3, 12, 9, 30)
    assert row.updated_at > reload(werkbon).created_at or row.updated_at >= row.created_at
    [entry] = audit_rows(werkbon)
    assert entry.actor == "planner1" and entry.action == "ingepland"
    assert json.loads(entry.changes)["status"] == ["open", "ingepland"]
    assert json.loads(entry.changes)["medewerker_id"] == [None, anouk.id]
    assert changed.status == "ingepland"


def test_medewerker_alone_keeps_it_open_and_unassigning_reopens(app):
    werkbon = make_werkbon(make_klant())
    anouk = make_medewerker()
    change(werkbon, {"medewerker_id": anouk.id})
    assert reload(werkbon).status == "open"
    change(werkbon, {"planned_start": datetime(2026, 3, 12, 8, 0)})
    assert reload(werkbon).status == "ingepland"
    change(werkbon, {"medewerker_id": None})
    row = reload(werkbon)
    assert row.status == "open" and row.medewerker_id is None
    assert len(audit_rows(werkbon)) == 3


def test_invalid_transition_refused_without_any_change(app):
    werkbon = make_werkbon(make_klant(), status="afgerond")
    _, errors = change(werkbon, {"status": "open"})
    assert "status" in errors and "afgerond" in errors["status"]
    row = reload(werkbon)
    assert row.status == "afgerond" and row.changed_by_hand is False
    assert audit_rows(werkbon) == []


def test_no_partial_write_when_one_field_is_wrong(app):
    werkbon = make_werkbon(make_klant())
    anouk = make_medewerker()
    _, errors = change(werkbon, {"medewerker_id": anouk.id, "planned_start": "morgen"})
    assert set(errors) == {"planned_start"}
    assert reload(werkbon).medewerker_id is None and audit_rows(werkbon) == []


def test_cancel_needs_a_reason(app):
    werkbon = make_werkbon(make_klant())
    _, errors = change(werkbon, {"status": "geannuleerd"})
    assert errors == {"cancel_reason": "Geef een reden om de werkbon te annuleren."}
    _, errors = change(werkbon, {"status": "geannuleerd", "cancel_reason": "   "})
    assert "cancel_reason" in errors
    assert reload(werkbon).status == "open"


def test_cancel_with_reason(app):
    werkbon = make_werkbon(make_klant())
    _, errors = change(werkbon, {"status": "geannuleerd", "cancel_reason": "Klant verhuisd"})
    assert errors == {}
    row = reload(werkbon)
    assert row.status == "geannuleerd" and row.cancel_reason == "Klant verhuisd"
    assert row.changed_by_hand is True
    assert audit_rows(werkbon)[-1].action == "geannuleerd"


def test_inactive_or_unknown_medewerker_refused(app):
    werkbon = make_werkbon(make_klant())
    gone = make_medewerker("Piet Oud", active=False)
    _, errors = change(werkbon, {"medewerker_id": gone.id})
    assert errors == {"medewerker_id": "Piet Oud is niet actief; kies een actieve medewerker."}
    _, errors = change(werkbon, {"medewerker_id": 9999})
    assert errors == {"medewerker_id": "Deze medewerker bestaat niet."}
    assert reload(werkbon).medewerker_id is None


def test_unknown_key_refused(app):
    werkbon = make_werkbon(make_klant())
    _, errors = change(werkbon, {"due_date": "2026-04-01", "status": "geannuleerd",
                                 "cancel_reason": "x"})
    assert errors == {"due_date": "Onbekend veld."}
    assert reload(werkbon).status == "open"


@pytest.mark.parametrize("data, field", [
    ({"status": "klaar"}, "status"),
    ({"status": "ingepland"}, "status"),  # no medewerker and time yet
    ({"planned_start": "2026-02-30T08:00"}, "planned_start"),
    ({"planned_start": "2026-03-10T08:00+01:00"}, "planned_start"),
    ({"medewerker_id": "abc"}, "medewerker_id"),
    ({"medewerker_id": True}, "medewerker_id"),
    ({"cancel_reason": "x" * 201}, "cancel_reason"),
])
def test_bad_values_name_the_field(app, data, field):
    werkbon = make_werkbon(make_klant())
    _, errors = change(werkbon, data)
    assert field in errors
    assert audit_rows(werkbon) == []


def test_serialise_shape(app):
    anouk = make_medewerker()
    werkbon = make_werkbon(make_klant(), medewerker=anouk, status="ingepland",
                           planned=datetime(2026, 3, 10, 8, 30))
    with connection():
        data = werkbon_service.serialise(Werkbon.get_by_id(werkbon.id))
    assert data["planned_start"] == "2026-03-10T08:30:00"
    assert data["due_date"] == "2026-03-20" and data["medewerker_id"] == anouk.id


# --- the list -----------------------------------------------------------------------------


@pytest.fixture
def handful(app):
    """Six werkbonnen that differ in one thing each."""
    jansen, smit = make_klant("Bakkerij Jansen"), make_klant("Garage Smit")
    contract = make_contract(jansen)
    anouk, bram = make_medewerker("Anouk de Wit"), make_medewerker("Bram Visser")
    return {
        "overdue": make_werkbon(jansen, due=date(2026, 3, 1), contract=contract,
                                description="Cv-ketel"),
        "planned": make_werkbon(jansen, due=date(2026, 3, 12), status="ingepland",
                                medewerker=anouk, planned=datetime(2026, 3, 12, 9, 0),
                                description="Airco"),
        "unplanned": make_werkbon(smit, due=date(2026, 3, 15), description="Brandblussers"),
        "done_late": make_werkbon(smit, due=date(2026, 2, 1), status="afgerond",
                                  medewerker=bram, planned=datetime(2026, 2, 1, 8, 0),
                                  description="Lift"),
        "cancelled": make_werkbon(smit, due=date(2026, 2, 2), status="geannuleerd",
                                  description="Dak"),
        "later": make_werkbon(jansen, due=date(2026, 5, 1), status="ingepland", medewerker=bram,
                              planned=datetime(2026, 5, 1, 13, 0), contract=contract,
                              description="Zonnepanelen"),
        "anouk": anouk, "bram": bram, "contract": contract, "jansen": jansen, "smit": smit,
    }


def test_list_opens_on_what_is_still_to_do_overdue_first(planner, handful, today):
    """Issue #15: the list opened on the oldest finished work. Without filters it shows what
    is still to do, te laat first, with that filter visibly set; all and finished are one
    click away, and its next pages stay on it."""
    w = handful
    for resp in (planner.get("/werkbonnen/"), planner.get("/werkbonnen/", htmx=True)):
        html = results(resp)
        assert numbers_in(html) == [w[k].number for k in ("overdue", "planned", "unplanned",
                                                          "later")]
        assert 'href="/werkbonnen/?status=alle">Alle werkbonnen</a>' in html
        assert 'href="/werkbonnen/?status=afgerond">Afgerond</a>' in html
    page = planner.get("/werkbonnen/").get_data(as_text=True)
    assert '<option value="te_doen" selected>' in page
    done = results(planner.get("/werkbonnen/?status=afgerond"))
    assert numbers_in(done) == [w["done_late"].number]
    everything = planner.get("/werkbonnen/?status=alle").get_data(as_text=True)
    assert len(numbers_in(results(planner.get("/werkbonnen/?status=alle")))) == 6
    assert '<option value="alle" selected>' in everything
    assert "wat-te-doen" not in everything
    # the form sent with "Alle statussen" chosen (status=alle) and nothing else: all of them
    assert len(numbers_in(results(planner.get("/werkbonnen/?q=&status=alle&van=")))) == 6


def test_the_list_of_what_is_still_to_do_pages_through_all_of_it(planner, app, today):
    """Through its own index and the compiled statements: no row twice or missing, closed
    ones never, the undated ones last; the next-page links keep the filter."""
    klant = make_klant()
    with connection():
        Werkbon.insert_many([
            {"number": f"W-2026-{i:06d}", "klant": klant.id, "due_date": date(2026, 1, 1 + i % 28),
             "status": ("open", "afgerond", "ingepland", "geannuleerd", "onderweg")[i % 5],
             "description": f"Werk {i}"}
            for i in range(1, 251)
        ] + [{"number": f"W-2026-9{i:05d}", "klant": klant.id, "due_date": None,
              "status": ("open", "afgerond")[i % 2]} for i in range(4)]).execute()
        expected = [w.number for w in Werkbon.select().where(
            Werkbon.status.not_in(["afgerond", "geannuleerd"])).order_by(
            Werkbon.due_date.is_null(), Werkbon.due_date, Werkbon.id)]
    seen, url, pages = [], "/werkbonnen/", 0
    while url:
        html = results(planner.get(url, htmx=pages > 0))
        seen += numbers_in(html)
        match = re.search(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*>Volgende pagina', html)
        url = match.group(1).replace("&amp;", "&") if match else None
        if url:
            assert "status=te_doen" in url
        pages += 1
        assert pages < 10
    assert seen == expected and len(expected) == 152 and pages == 4


def test_list_shows_rows_in_due_order_with_overdue_marked(planner, handful, today):
    html = results(planner.get("/werkbonnen/?status=alle"))
    w = handful
    order = [w[k].number for k in ("done_late", "cancelled", "overdue", "planned", "unplanned",
                                   "later")]
    assert numbers_in(html) == order
    row = html[html.index(f'id="werkbon-{w["overdue"].id}"'):]
    row = row[:row.index("</tr>")]
    assert "te laat" in row and "wb-te-laat" in row
    assert "zo 1 mrt 2026" in row and "C-2026-0001" in row and "Bakkerij Jansen" in row
    done = html[html.index(f'id="werkbon-{w["done_late"].id}"'):]
    assert "te laat" not in done[:done.index("</tr>")]  # done in time or not: not late now
    planned = html[html.index(f'id="werkbon-{w["planned"].id}"'):]
    planned = planned[:planned.index("</tr>")]
    assert "Anouk de Wit" in planned and "do 12 mrt 2026 09:00" in text(planned)


def test_list_rows_escape_what_people_typed(planner, today):
    """The rows are written in Python (views/werkbon_rij.py), not by Jinja's autoescape: every
    typed value must still arrive as text."""
    evil = '<img src=x onerror="alert(1)">&\''
    klant = make_klant(f"Klant {evil}")
    contract = make_contract(klant, number=f"C-{evil}")
    medewerker = make_medewerker(f"Mw {evil}")
    planned = make_werkbon(klant, contract=contract, medewerker=medewerker, status="ingepland",
                           planned=datetime(2026, 3, 20, 9, 0), description=f"Omschr {evil}",
                           number=f"W-{evil}")
    cancelled = make_werkbon(klant, status="geannuleerd", description="")
    with connection():
        Werkbon.update(cancel_reason=f"Reden {evil}").where(Werkbon.id == cancelled.id).execute()
    safe = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#x27;"
    for resp in (planner.get("/werkbonnen/?status=alle"),
                 planner.get("/werkbonnen/?status=alle", htmx=True)):
        html = results(resp)
        assert "<img" not in html and 'onerror="' not in html
        for shown in (f"Klant {safe}", f"C-{safe}", f"Mw {safe}", f"Omschr {safe}",
                      f"W-{safe}", f"Reden {safe}"):
            assert shown in html, shown
        row = html[html.index(f'id="werkbon-{cancelled.id}"'):]
        assert "<td>&#8212;</td>" in row[:row.index("</tr>")]  # no description: a dash
    resp = planner.post(f"/werkbonnen/{planned.id}/annuleren", htmx=True,
                        data={"cancel_reason": ""})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and body.strip().startswith(f'<tr id="werkbon-{planned.id}"')
    assert "<img" not in body and f"Klant {safe}" in body and f"W-{safe}" in body
    assert '<p class="veldfout" role="alert">Niet opgeslagen: ' in body


@pytest.mark.parametrize("query, expected", [
    ("status=ingepland", ["planned", "later"]),
    ("medewerker={bram}", ["done_late", "later"]),
    ("contract={contract}", ["overdue", "later"]),
    ("klant={smit}", ["done_late", "cancelled", "unplanned"]),
    ("van=2026-03-01&tot=2026-03-15", ["overdue", "planned", "unplanned"]),
    ("van=2026-03-13", ["unplanned", "later"]),
    ("te_laat=1", ["overdue"]),
    ("ongepland=1", ["overdue", "unplanned"]),
    ("q=smit", ["done_late", "cancelled", "unplanned"]),
    ("q=AIRCO", ["planned"]),
    ("q={number}", ["unplanned"]),
    ("ongepland=1&klant={jansen}", ["overdue"]),
    ("status=te_doen&tot=2026-03-15", ["overdue", "planned", "unplanned"]),  # not done/cancelled
    ("status=nonsense&medewerker=x&van=gisteren", ["done_late", "cancelled", "overdue",
                                                   "planned", "unplanned", "later"]),
])
def test_filters_narrow(planner, handful, today, query, expected):
    w = handful
    query = query.format(bram=w["bram"].id, contract=w["contract"].id, smit=w["smit"].id,
                         jansen=w["jansen"].id, number=w["unplanned"].number)
    html = results(planner.get(f"/werkbonnen/?{query}"))
    assert numbers_in(html) == [w[k].number for k in expected]


def test_date_filters_that_make_no_sense_say_so_at_the_field(planner, handful, today):
    """A date that is no date is ignored, and the planner is told so at the field; an end
    before the start finds nothing and says why. On the page and, out of band, in the
    fragment the filter form's htmx request gets."""
    full = planner.get("/werkbonnen/?van=31-02-2026").get_data(as_text=True)
    assert len(numbers_in(full)) == 6  # the filter does not count
    assert ('<small id="fout-van" class="veldfout">Dit is geen geldige datum; dit filter telt '
            'nu niet mee.</small>') in full
    assert 'id="filter-van" name="van" type="date" value="" aria-invalid="true"' in full
    frag = planner.get("/werkbonnen/?van=2026-03-15&tot=2026-03-01&q=", htmx=True)
    body = frag.get_data(as_text=True)
    assert frag.status_code == 200 and numbers_in(body) == []
    assert ('<small id="fout-tot" class="veldfout" hx-swap-oob="true">Deze datum ligt vóór '
            '‘Datum vanaf’: daartussen vallen geen werkbonnen.</small>') in body
    assert '<small id="fout-van" class="veldfout" hx-swap-oob="true"></small>' in body
    # a valid choice clears the old message out of band
    fixed = planner.get("/werkbonnen/?van=2026-03-01&tot=2026-03-15&q=", htmx=True)
    assert '<small id="fout-tot" class="veldfout" hx-swap-oob="true"></small>' in \
        fixed.get_data(as_text=True)
    # the landing page and its next pages carry no slots (nothing to clear)
    landing = planner.get("/werkbonnen/", htmx=True).get_data(as_text=True)
    assert "fout-van" not in landing
    first = handful["done_late"]
    cursor = paging.encode([first.due_date.isoformat(), first.id])
    deeper = planner.get(f"/werkbonnen/?cursor={cursor}", htmx=True).get_data(as_text=True)
    assert numbers_in(deeper) and "fout-van" not in deeper


def test_contract_filter_shows_a_removable_label(planner, handful, today):
    html = planner.get(f"/werkbonnen/?contract={handful['contract'].id}&status=open") \
        .get_data(as_text=True)
    assert "Contract C-2026-0001" in html
    assert 'href="/werkbonnen/?status=open">filter wissen' in html
    assert f'name="contract" value="{handful["contract"].id}"' in html


def test_search_as_you_type_fragment_and_full_page(planner, handful, today):
    frag = planner.get("/werkbonnen/?q=brand", htmx=True)
    body = frag.get_data(as_text=True)
    assert body.strip().startswith('<section id="resultaten"') and "<html" not in body
    assert numbers_in(body) == [handful["unplanned"].number]
    assert "HX-Request" in frag.headers["Vary"]
    full = planner.get("/werkbonnen/?q=brand").get_data(as_text=True)
    assert "<html" in full and 'value="brand"' in full and 'hx-push-url="true"' in full
    restore = planner.get("/werkbonnen/?q=brand", headers={
        "HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)
    boosted = planner.get("/werkbonnen/?q=brand", headers={
        "HX-Request": "true", "HX-Boosted": "true"})
    assert "<html" in boosted.get_data(as_text=True)
    not_htmx = planner.get("/werkbonnen/?q=brand", headers={"HX-Request": "false"})
    assert "<html" in not_htmx.get_data(as_text=True)
    empty = planner.get("/werkbonnen/?q=bestaatniet", htmx=True).get_data(as_text=True)
    assert "Geen werkbonnen gevonden" in empty


def test_keyset_pages_without_duplicates_or_gaps(planner, app, today):
    klant = make_klant()
    with connection():
        Werkbon.insert_many([
            {"number": f"W-2026-{i:06d}", "klant": klant.id,
             "due_date": date(2026, 1, 1 + i % 28),  # many share a due date: the id decides
             "status": "open", "description": f"Werk {i}"}
            for i in range(1, 121)
        ] + [{"number": f"W-2026-9{i:05d}", "klant": klant.id, "due_date": None,
              "status": "open"} for i in range(3)]).execute()
        expected = [w.number for w in Werkbon.select().order_by(Werkbon.due_date, Werkbon.id)
                    if w.due_date] + [f"W-2026-9{i:05d}" for i in range(3)]
    seen, url, pages = [], "/werkbonnen/", 0
    while url:
        resp = planner.get(url, htmx=pages > 0)
        html = results(resp)
        seen += numbers_in(html)
        match = re.search(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*>Volgende pagina', html)
        url = match.group(1).replace("&amp;", "&") if match else None
        pages += 1
        assert pages < 10
    assert pages == 3  # 50 + 50 + 23
    assert seen == expected and len(set(seen)) == 123


def test_bad_cursor_falls_back_to_the_first_page(planner, handful, today):
    html = results(planner.get("/werkbonnen/?status=alle&cursor=@@nonsense"))
    assert len(numbers_in(html)) == 6
    html = results(planner.get("/werkbonnen/?cursor=@@nonsense"))  # the landing list
    assert len(numbers_in(html)) == 4


def test_service_pages_match_a_plain_sort(app):
    """Page after page (a busy day split over pages, werkbonnen without a date last), the
    filtered keyset (due_date >= d AND (due_date > d OR id > i)) gives every werkbon once, in
    order."""
    klant = make_klant()
    anouk = make_medewerker()
    with connection():
        Werkbon.insert_many([
            {"number": f"W-2026-{i:06d}", "klant": klant.id, "due_date": date(2026, 1, 1 + i % 9),
             "status": "ingepland" if i % 4 else "open",
             "medewerker": anouk.id if i % 4 else None,
             "planned_start": datetime(2026, 1, 1, 8) if i % 4 else None}
            for i in range(1, 41)
        ] + [{"number": "W-2026-900000", "klant": klant.id, "status": "open"}]).execute()
        for condition in (None, Werkbon.status == "open", Werkbon.medewerker == anouk.id,
                          Werkbon.number.contains("00001")):
            query = Werkbon.select() if condition is None else Werkbon.select().where(condition)
            expected = sorted(query, key=lambda w: (w.due_date is None, w.due_date or date.min,
                                                    w.id))
            seen, cursor = [], None
            while True:
                rows, cursor = werkbon_pager.page(query, cursor, 4)
                seen += rows
                if cursor is None:
                    break
            assert [w.id for w in seen] == [w.id for w in expected]


@pytest.mark.sqlite_only  # SQLite's own machinery: not run on PostgreSQL
def test_page_never_offsets_or_counts_the_table(app, monkeypatch):
    from models.db import db

    klant = make_klant()
    with connection():
        Werkbon.insert_many([{"number": f"W-2026-{i:06d}", "klant": klant.id,
                              "due_date": date(2026, 1, 1 + i % 20), "status": "open"}
                             for i in range(1, 60)]).execute()
        statements = []
        real = db.obj.execute_sql

        def spy(sql, params=None, *args, **kw):
            statements.append(sql)
            return real(sql, params, *args, **kw)

        monkeypatch.setattr(db.obj, "execute_sql", spy)
        rows, cursor = werkbon_pager.page(Werkbon.select().where(Werkbon.status == "open"),
                                            None, 10)
        werkbon_pager.page(Werkbon.select(), cursor, 10)
        monkeypatch.undo()
        first = statements[0]
        plan = " ".join(str(r[-1]) for r in db.execute_sql(
            f"EXPLAIN QUERY PLAN {first}", ["open", 11]))
    assert len(rows) == 10 and cursor
    assert not any("OFFSET" in sql.upper() for sql in statements)
    assert not any("COUNT" in sql.upper() for sql in statements)  # pages were full
    # the filter's own index, in list order (no sort)
    assert "werkbon_status_due_date_id" in plan and "TEMP B-TREE" not in plan


# --- inline changes -----------------------------------------------------------------------


def test_inline_assign_returns_the_row_fragment(planner, handful, today):
    w = handful["unplanned"]
    resp = planner.post(f"/werkbonnen/{w.id}/toewijzen", htmx=True,
                        data={"medewerker_id": handful["anouk"].id, "terug": "/werkbonnen/"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert body.strip().startswith(f'<tr id="werkbon-{w.id}"') and "<html" not in body
    assert "Anouk de Wit" in body
    row = reload(w)
    assert row.medewerker_id == handful["anouk"].id and row.changed_by_hand is True
    resp = planner.post(f"/werkbonnen/{w.id}/plannen", htmx=True,
                        data={"planned_start": "2026-03-13T10:15"})
    body = resp.get_data(as_text=True)
    assert "vr 13 mrt 2026 10:15" in text(body) and "Ingepland" in body
    assert reload(w).status == "ingepland"


def test_inline_error_is_shown_in_the_row_in_dutch(planner, handful, today):
    w = handful["done_late"]
    resp = planner.post(f"/werkbonnen/{w.id}/status", htmx=True, data={"status": "open"})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert body.strip().startswith(f'<tr id="werkbon-{w.id}"')
    assert "Een werkbon met status afgerond kan niet naar open." in body
    assert reload(w).status == "afgerond"
    u = handful["unplanned"]
    resp = planner.post(f"/werkbonnen/{u.id}/annuleren", htmx=True, data={"cancel_reason": ""})
    body = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Geef een reden om de werkbon te annuleren." in body
    assert 'aria-invalid="true"' in body and "<details class=\"wijzig\" open>" in body


def test_inline_cancel_and_status(planner, handful, today):
    u = handful["unplanned"]
    resp = planner.post(f"/werkbonnen/{u.id}/annuleren", htmx=True,
                        data={"cancel_reason": "Dubbel aangemaakt"})
    assert resp.status_code == 200 and "Dubbel aangemaakt" in resp.get_data(as_text=True)
    assert reload(u).status == "geannuleerd"
    p = handful["planned"]
    planner.post(f"/werkbonnen/{p.id}/status", htmx=True, data={"status": "onderweg"})
    assert reload(p).status == "onderweg"


def test_without_js_the_forms_redirect_back(planner, handful, today):
    w = handful["unplanned"]
    back = "/werkbonnen/?q=brand"
    resp = planner.post(f"/werkbonnen/{w.id}/toewijzen",
                        data={"medewerker_id": handful["bram"].id, "terug": back})
    assert resp.status_code == 303 and resp.headers["Location"] == back
    assert reload(w).medewerker_id == handful["bram"].id
    page = planner.get(back).get_data(as_text=True)
    assert "is toegewezen" in page
    resp = planner.post(f"/werkbonnen/{w.id}/status", data={"status": "afgerond",
                                                            "terug": "https://evil.example/"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/werkbonnen/"
    assert "kan niet naar afgerond" in planner.get("/werkbonnen/").get_data(as_text=True)


def test_unknown_werkbon_is_404(planner, app):
    assert planner.get("/werkbonnen/999").status_code == 404
    assert planner.post("/werkbonnen/999/toewijzen", data={"medewerker_id": ""}).status_code \
        == 404


# --- the werkbon page ---------------------------------------------------------------------


def test_detail_shows_fields_contract_and_history_newest_first(planner, handful, today):
    w = handful["overdue"]
    planner.post(f"/werkbonnen/{w.id}/toewijzen", data={"medewerker_id": handful["anouk"].id})
    planner.post(f"/werkbonnen/{w.id}/plannen", data={"planned_start": "2026-03-11T08:00"})
    html = planner.get(f"/werkbonnen/{w.id}").get_data(as_text=True)
    assert f"Werkbon {w.number}" in html and "Cv-ketel" in html
    assert f'href="/contracten/{handful["contract"].id}"' in html
    assert "zo 1 mrt 2026" in html and "te laat" in html
    assert "wo 11 mrt 2026 om 08:00" in html
    history = html[html.index('id="geschiedenis-titel"'):]
    assert history.index("ingepland door planner1") < history.index("gewijzigd door planner1")
    assert "Medewerker: — → Anouk de Wit" in history
    assert "Status: Open → Ingepland" in history
    assert f'action="/werkbonnen/{w.id}/annuleren"' in html


def test_detail_change_with_htmx_swaps_the_werkbon_region(planner, handful, today):
    w = handful["planned"]
    resp = planner.post(f"/werkbonnen/{w.id}/annuleren", htmx=True,
                        data={"cancel_reason": "Klant belde af", "weergave": "detail"})
    body = resp.get_data(as_text=True)
    assert body.strip().startswith('<article id="werkbon-detail"') and "<html" not in body
    assert "Klant belde af" in body and "geannuleerd door planner1" in body


def test_row_forms_load_when_opened(planner, app):
    from models.db import connection
    from models.stamdata.klanten import Klant
    from models.werkbonnen.tables import Werkbon

    with connection():
        klant = Klant.create(customer_number="D-77", name="Laadtest")
        w = Werkbon.create(number="W-2026-990001", klant=klant, due_date="2026-03-10")
    page = planner.get("/werkbonnen/").get_data(as_text=True)
    assert f'hx-get="/werkbonnen/{w.id}/wijzigen?terug=' in page
    assert 'name="medewerker_id"' not in page.split(f'id="werkbon-{w.id}"')[1].split("</tr>")[0]
    forms = planner.get(f"/werkbonnen/{w.id}/wijzigen?terug=/werkbonnen/", htmx=True)
    html = forms.get_data(as_text=True)
    assert forms.status_code == 200 and 'name="medewerker_id"' in html
    assert 'name="csrf_token"' in html and 'value="/werkbonnen/"' in html
    plain = planner.get(f"/werkbonnen/{w.id}/wijzigen")
    assert plain.status_code == 302 and plain.headers["Location"] == f"/werkbonnen/{w.id}"


def test_compiled_query_runs_with_new_values_and_refuses_lost_markers(app):
    """models.db.Compiled: the SQL is built once; values go where the markers were."""
    from models.db import Compiled

    with connection():
        for number in ("K-1", "K-2", "K-3"):
            Klant.create(customer_number=number, name=f"Klant {number}")
        names = Compiled(lambda low: Klant.select(Klant.name).where(Klant.customer_number > low)
                         .order_by(Klant.customer_number), ("\x00low",))
        assert [r[0] for r in names.execute("K-1")] == ["Klant K-2", "Klant K-3"]
        assert [r[0] for r in names.execute("K-2")] == ["Klant K-3"]
        klanten = Compiled(lambda low: Klant.select().where(Klant.customer_number > low)
                           .order_by(Klant.customer_number), ("\x00low",))
        assert [(type(k), k.name) for k in klanten.rows("K-1")] == [
            (Klant, "Klant K-2"), (Klant, "Klant K-3")]  # rows(): the query's own objects
        twice = Compiled(lambda v: Klant.select().where((Klant.name == v) | (Klant.city == v)),
                         ("\x00v",))
        with pytest.raises(ValueError):
            twice.execute("Utrecht")


def test_pages_walk_through_a_day_busier_than_a_page(planner, app, today):
    """The unfiltered pages seek the rest of the cursor's day and the later days separately; a
    day with more werkbonnen than a page must still come out whole, once, in id order."""
    klant = make_klant()
    with connection():
        Werkbon.insert_many(
            [{"number": f"W-2026-{i:06d}", "klant": klant.id, "due_date": date(2026, 3, 2),
              "status": "open"} for i in range(1, 111)]
            + [{"number": f"W-2026-{i:06d}", "klant": klant.id,
                "due_date": date(2026, 3, 3 + i % 3), "status": "open"} for i in range(111, 131)]
        ).execute()
        expected = [w.number for w in Werkbon.select().order_by(Werkbon.due_date, Werkbon.id)]
    seen, url, pages = [], "/werkbonnen/", 0
    while url:
        html = results(planner.get(url, htmx=pages > 0))
        seen += numbers_in(html)
        match = re.search(r'<a href="([^"]+)" hx-get="[^"]+"[^>]*>Volgende pagina', html)
        url = match.group(1).replace("&amp;", "&") if match else None
        pages += 1
        assert pages < 10
    assert pages == 3 and seen == expected and len(expected) == 130


@pytest.mark.parametrize("filters", [
    {},
    {"q": "Bakkerij de Vries & Zn/ +1 'é' 100%", "status": "open", "medewerker": ""},
    {"van": "2026-03-01", "tot": "2026-03-31", "ongepland": "1", "klant": "7"},
])
def test_list_links_are_what_url_for_builds(app, filters):
    """views.werkbonnen builds its links from paths cached per app (`_path`): every link must
    be exactly the one url_for gives, also under an application root (SCRIPT_NAME)."""
    from flask import url_for

    from views import werkbonnen as view

    for root in ("", "/cadans"):
        with app.test_request_context("/werkbonnen/", base_url=f"http://localhost{root}/"):
            wanted = {k: v for k, v in filters.items() if v}
            assert view._list_url(filters) == url_for("werkbonnen.index", **wanted)
            assert view._list_url(filters, cursor="WyIyMDI2LTAzLTEwIiwgNV0") == \
                url_for("werkbonnen.index", **wanted, cursor="WyIyMDI2LTAzLTEwIiwgNV0")
            back = url_for("werkbonnen.index", **wanted)
            forms = view.id_url("werkbonnen.row_forms", "werkbon_id", terug=back)
            detail = view.id_url("werkbonnen.detail", "werkbon_id")
            for werkbon_id in (1, 123456789):
                assert forms(werkbon_id) == url_for("werkbonnen.row_forms", werkbon_id=werkbon_id,
                                                    terug=back)
                assert detail(werkbon_id) == url_for("werkbonnen.detail", werkbon_id=werkbon_id)
            assert view._path("werkbonnen.index").startswith(root + "/werkbonnen")


def test_dashboard_week_count_matches_the_list_it_links_to(planner, handful, today, monkeypatch):
    import html as html_module

    import views.dashboard

    monkeypatch.setattr(views.dashboard, "local_today", lambda: TODAY)
    make_werkbon(handful["smit"], due=date(2026, 3, 11), status="afgerond",
                 medewerker=handful["anouk"], planned=datetime(2026, 3, 11, 8, 0))
    page = planner.get("/").get_data(as_text=True)
    card = re.search(r'Deze week te doen</h2><p class="stat">(\d+)</p>\s*<a href="([^"]+)"', page)
    assert card.group(1) == "2"  # Airco (ingepland) and Brandblussers (open); not the done one
    listed = numbers_in(results(planner.get(html_module.unescape(card.group(2)))))
    assert listed == [handful["planned"].number, handful["unplanned"].number]


def test_history_shows_a_moved_date_in_dutch(planner, today):
    from models.db import audit

    w = make_werkbon(make_klant())
    with connection():
        audit.record("werkbon", w.id, "verplaatst", "worker",
                     {"due_date": [date(2026, 3, 20), date(2026, 3, 23)]})
    html = planner.get(f"/werkbonnen/{w.id}").get_data(as_text=True)
    assert "vr 20 mrt 2026 → ma 23 mrt 2026" in html and "2026-03-20" not in text(html)


def test_the_dashboards_counts_match_the_lists_they_link_to(planner, handful, today, app):
    """Issue #15: the list's new default must not change what the dashboard's links show."""
    app.config["TODAY"] = today.isoformat()
    page = planner.get("/").get_data(as_text=True)
    linked = re.findall(r'<p class="stat[^"]*">([\d.]+)</p>\s*<a href="(/werkbonnen/[^"]*)"', page)
    assert len(linked) >= 2, page
    for count, url in linked:
        shown = numbers_in(results(planner.get(url.replace("&amp;", "&"))))
        assert len(shown) == int(count.replace(".", "")), url
