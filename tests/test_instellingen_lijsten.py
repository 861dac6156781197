"""Instellingen > lijsten: contracttypen, contractvoorwaarden, werktypen, prioriteiten, redenen,
objecttypen."""

import json
from datetime import date

import pytest

from models.contracts.tables import Contract
from models.db import connection
from models.db.audit import AuditLog
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.instellingen import (
    Beeindigingsreden,
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    Werktype,
)
from models.stamdata.klanten import Klant

LISTS = ["contracttypen", "contractvoorwaarden", "werktypen", "prioriteiten", "redenen",
         "objecttypen"]

TERMS = {"code": "SVC-2J", "name": "Service 2 jaar", "description": "Twee jaar, dan per jaar.",
         "duration_months": "24", "auto_renew": "1", "renewal_months": "12",
         "notice_value": "2", "notice_unit": "maanden", "invoice_period": "kwartaal"}


def text(resp) -> str:
    return resp.get_data(as_text=True)


def audit_rows(entity, entity_id=None):
    with connection():
        query = AuditLog.select().where(AuditLog.entity == entity)
        if entity_id is not None:
            query = query.where(AuditLog.entity_id == entity_id)
        return list(query.order_by(AuditLog.id))


def get(model, *where):
    with connection():
        return model.get(*where)


def field_error(html: str, field: str) -> str:
    """The text of <small id="fout-<field>">, so a message is checked next to its field."""
    start = html.index(f'<small id="fout-{field}" class="veldfout">')
    return html[html.index(">", start) + 1:html.index("</small>", start)]


def table_row(html: str, label: str) -> str:
    body = html[html.index("<tbody>"):]
    start = body.index(f">{label}</a>")
    return body[start:body.index("</tr>", start)]


# --- werktypen, prioriteiten, redenen ---------------------------------------------------------

def test_lists_show_seeds_and_link_from_instellingen(beheerder):
    index = text(beheerder.get("/instellingen/"))
    for name in LISTS:
        assert f'href="/instellingen/{name}"' in index
    page = text(beheerder.get("/instellingen/werktypen"))
    for name in ("Onderhoud", "Inspectie", "Storing", "Installatie", "Keuring"):
        assert name in page
    assert 'href="/instellingen/werktypen/nieuw"' in page
    assert "Spoed" in text(beheerder.get("/instellingen/prioriteiten"))
    assert "VERHUISD" in text(beheerder.get("/instellingen/redenen"))
    voorwaarden = text(beheerder.get("/instellingen/contractvoorwaarden"))
    assert "STD-1J" in voorwaarden and "MJ-3J" in voorwaarden


def test_werktype_create_duplicate_edit_deactivate(beheerder):
    form = text(beheerder.get("/instellingen/werktypen/nieuw"))
    assert '<form id="lijst-formulier" method="post"' in form and 'name="csrf_token"' in form
    assert '<label for="veld-name">Naam' in form
    assert 'hx-post="/instellingen/werktypen/nieuw"' in form

    resp = beheerder.post("/instellingen/werktypen/nieuw",
                          data={"name": "Reiniging", "default_duration": "30"})
    assert resp.status_code == 303 and resp.headers["Location"] == "/instellingen/werktypen"
    wt = get(Werktype, Werktype.name == "Reiniging")
    assert wt.default_duration == 30 and wt.active
    assert "Reiniging is toegevoegd." in text(beheerder.get("/instellingen/werktypen"))

    dup = beheerder.post("/instellingen/werktypen/nieuw",
                         data={"name": "onderhoud", "default_duration": "45"})
    assert dup.status_code == 422
    assert field_error(text(dup), "name") == "Er is al een werktype met deze naam."
    assert 'value="onderhoud"' in text(dup) and 'value="45"' in text(dup)  # input kept
    with connection():
        assert Werktype.select().where(Werktype.name ** "onderhoud").count() == 1

    edit_page = text(beheerder.get(f"/instellingen/werktypen/{wt.id}/bewerken"))
    assert 'value="Reiniging"' in edit_page and 'value="30"' in edit_page
    resp = beheerder.post(f"/instellingen/werktypen/{wt.id}/bewerken",
                          data={"name": "Reiniging groot", "default_duration": "120"})
    assert resp.status_code == 303
    wt = get(Werktype, Werktype.id == wt.id)
    assert (wt.name, wt.default_duration) == ("Reiniging groot", 120)
    # renaming onto another row's name is refused too
    resp = beheerder.post(f"/instellingen/werktypen/{wt.id}/bewerken",
                          data={"name": "Keuring", "default_duration": "120"})
    assert resp.status_code == 422 and get(Werktype, Werktype.id == wt.id).name == "Reiniging groot"

    resp = beheerder.post(f"/instellingen/werktypen/{wt.id}/actief", data={"actief": "0"})
    assert resp.status_code == 303
    assert not get(Werktype, Werktype.id == wt.id).active
    page = text(beheerder.get("/instellingen/werktypen"))
    assert 'class="badge badge-inactief">Inactief' in table_row(page, "Reiniging groot")
    assert "Inactief" not in table_row(page, "Keuring")

    rows = audit_rows("werktype", wt.id)
    assert [r.action for r in rows] == ["aangemaakt", "gewijzigd", "gedeactiveerd"]
    assert {r.actor for r in rows} == {"beheer1"}
    assert json.loads(rows[0].changes) == {"name": "Reiniging", "default_duration": 30}
    assert json.loads(rows[1].changes) == {"name": ["Reiniging", "Reiniging groot"],
                                           "default_duration": [30, 120]}


@pytest.mark.parametrize("data, field, message", [
    ({"name": "", "default_duration": "60"}, "name", "Vul een naam in."),
    ({"name": "X", "default_duration": "4"}, "default_duration",
     "Vul een getal van 5 tot en met 1440 in."),
    ({"name": "X", "default_duration": "1441"}, "default_duration",
     "Vul een getal van 5 tot en met 1440 in."),
    ({"name": "X", "default_duration": "een uur"}, "default_duration",
     "Vul een getal van 5 tot en met 1440 in."),
])
def test_werktype_validation(beheerder, data, field, message):
    resp = beheerder.post("/instellingen/werktypen/nieuw", data=data)
    assert resp.status_code == 422
    html = text(resp)
    assert field_error(html, field) == message
    assert f'id="veld-{field}"' in html and 'aria-invalid="true"' in html
    with connection():
        assert Werktype.select().count() == 5
    assert audit_rows("werktype") == []


def test_prioriteit_and_reden(beheerder):
    resp = beheerder.post("/instellingen/prioriteiten/nieuw", data={"name": "Kritiek", "rank": "0"})
    assert resp.status_code == 303
    prio = get(Prioriteit, Prioriteit.name == "Kritiek")
    assert prio.rank == 0
    dup = beheerder.post("/instellingen/prioriteiten/nieuw", data={"name": "Spoed", "rank": "5"})
    assert field_error(text(dup), "name") == "Er is al een prioriteit met deze naam."

    resp = beheerder.post("/instellingen/redenen/nieuw",
                          data={"code": "OVERLEDEN", "text": "Klant is overleden"})
    assert resp.status_code == 303
    reden = get(Beeindigingsreden, Beeindigingsreden.code == "OVERLEDEN")
    dup = beheerder.post("/instellingen/redenen/nieuw", data={"code": "klant", "text": "x"})
    assert dup.status_code == 422
    assert field_error(text(dup), "code") == "Deze code is al in gebruik."
    beheerder.post(f"/instellingen/redenen/{reden.id}/bewerken",
                   data={"code": "OVERLEDEN", "text": "De klant is overleden"})
    beheerder.post(f"/instellingen/redenen/{reden.id}/actief", data={"actief": "0"})
    beheerder.post(f"/instellingen/redenen/{reden.id}/actief", data={"actief": "1"})
    reden = get(Beeindigingsreden, Beeindigingsreden.id == reden.id)
    assert reden.text == "De klant is overleden" and reden.active
    assert [r.action for r in audit_rows("beeindigingsreden", reden.id)] == [
        "aangemaakt", "gewijzigd", "gedeactiveerd", "geactiveerd"]
    assert [r.action for r in audit_rows("prioriteit", prio.id)] == ["aangemaakt"]


def test_saving_without_changes_writes_no_audit_row(beheerder):
    wt = get(Werktype, Werktype.name == "Keuring")
    beheerder.post(f"/instellingen/werktypen/{wt.id}/bewerken",
                   data={"name": "Keuring", "default_duration": "60"})
    beheerder.post(f"/instellingen/werktypen/{wt.id}/actief", data={"actief": "1"})
    assert audit_rows("werktype", wt.id) == []


def test_unknown_id_is_404(beheerder):
    assert beheerder.get("/instellingen/werktypen/9999/bewerken").status_code == 404
    assert beheerder.post("/instellingen/redenen/9999/actief", data={"actief": "0"}).status_code \
        == 404


# --- contracttypen ---------------------------------------------------------------------------

def test_contracttype_add_preventief_with_defaults(beheerder):
    keuring = get(Werktype, Werktype.name == "Keuring")
    form = text(beheerder.get("/instellingen/contracttypen/nieuw"))
    assert '<option value="preventief">Preventief</option>' in form
    assert f'<option value="{keuring.id}">Keuring</option>' in form
    resp = beheerder.post("/instellingen/contracttypen/nieuw", data={
        "name": "Preventief NEN 3140", "kind": "preventief", "description": "Keuringen",
        "default_days_in_advance": "30", "default_werktype": str(keuring.id),
        "default_duration": "90"})
    assert resp.status_code == 303, text(resp)
    ctype = get(Contracttype, Contracttype.name == "Preventief NEN 3140")
    assert (ctype.kind, ctype.default_days_in_advance, ctype.default_werktype_id,
            ctype.default_duration) == ("preventief", 30, keuring.id, 90)
    [row] = audit_rows("contracttype", ctype.id)
    assert row.action == "aangemaakt" and json.loads(row.changes)["default_werktype"] == "Keuring"
    assert "Preventief NEN 3140" in text(beheerder.get("/instellingen/contracttypen"))


@pytest.mark.parametrize("change, field, message", [
    ({"default_days_in_advance": "400"}, "default_days_in_advance",
     "Vul een getal van 0 tot en met 365 in."),
    ({"default_days_in_advance": "-1"}, "default_days_in_advance",
     "Vul een getal van 0 tot en met 365 in."),
    ({"kind": "wekelijks"}, "kind",
     "Kies Preventief, Correctief (SLA) of Jaarlijks aantal."),
    ({"default_duration": "2000"}, "default_duration", "Vul een getal van 5 tot en met 1440 in."),
    ({"default_werktype": "9999"}, "default_werktype", "Kies een actief werktype of geen."),
    ({"name": "Correctief (SLA)"}, "name", "Er is al een contracttype met deze naam."),
])
def test_contracttype_invalid_refused(beheerder, change, field, message):
    data = {"name": "Nieuw type", "kind": "preventief", "default_days_in_advance": "14",
            "default_werktype": "", "default_duration": ""}
    resp = beheerder.post("/instellingen/contracttypen/nieuw", data={**data, **change})
    assert resp.status_code == 422
    assert field_error(text(resp), field) == message
    with connection():
        assert Contracttype.select().count() == 3


def test_contracttype_in_use_keeps_its_kind(beheerder):
    ctype = get(Contracttype, Contracttype.name == "Preventief")
    data = {"name": "Preventief", "kind": "correctief", "default_days_in_advance": "14",
            "default_werktype": "", "default_duration": ""}
    # unused: the kind may change
    resp = beheerder.post(f"/instellingen/contracttypen/{ctype.id}/bewerken", data=data)
    assert resp.status_code == 303 and get(Contracttype, Contracttype.id == ctype.id).kind \
        == "correctief"
    beheerder.post(f"/instellingen/contracttypen/{ctype.id}/bewerken",
                   data={**data, "kind": "preventief"})
    make_contract(None)
    page = text(beheerder.get(f"/instellingen/contracttypen/{ctype.id}/bewerken"))
    assert 'type="hidden" name="kind" value="preventief"' in page and "de soort ligt vast" in page
    resp = beheerder.post(f"/instellingen/contracttypen/{ctype.id}/bewerken", data=data)
    assert resp.status_code == 422
    assert "de soort kan niet meer veranderen" in field_error(text(resp), "kind")
    assert get(Contracttype, Contracttype.id == ctype.id).kind == "preventief"
    # other defaults still change in place
    resp = beheerder.post(f"/instellingen/contracttypen/{ctype.id}/bewerken",
                          data={**data, "kind": "preventief", "default_days_in_advance": "7"})
    assert resp.status_code == 303
    assert get(Contracttype, Contracttype.id == ctype.id).default_days_in_advance == 7


# --- contractvoorwaarden ---------------------------------------------------------------------

def make_contract(terms, start=date(2000, 1, 1), end=None, number="C-2026-0001"):
    with connection():
        klant = Klant.get_or_none(Klant.customer_number == "D-1") or \
            Klant.create(customer_number="D-1", name="Bakkerij Jansen")
        return Contract.create(
            number=number, klant=klant, contracttype=Contracttype.get(name="Preventief"),
            kind="preventief", voorwaarden=terms, description="Onderhoud cv-ketel",
            start_date=start, end_date=end, rrule="FREQ=MONTHLY;BYMONTHDAY=1")


def create_terms(beheerder, **change) -> Contractvoorwaarden:
    resp = beheerder.post("/instellingen/contractvoorwaarden/nieuw", data={**TERMS, **change})
    assert resp.status_code == 303, text(resp)
    return get(Contractvoorwaarden, Contractvoorwaarden.code == change.get("code", TERMS["code"]))


def test_voorwaarden_create_and_validate(beheerder):
    form = text(beheerder.get("/instellingen/contractvoorwaarden/nieuw"))
    for label in ("Code", "Naam", "Looptijd (maanden)", "Automatisch verlengen",
                  "Verlengingsperiode (maanden)", "Opzegtermijn", "Factuurperiode"):
        assert label in form
    terms = create_terms(beheerder)
    assert (terms.name, terms.duration_months, terms.auto_renew, terms.renewal_months,
            terms.notice_value, terms.notice_unit, terms.invoice_period) == (
        "Service 2 jaar", 24, True, 12, 2, "maanden", "kwartaal")
    assert [r.action for r in audit_rows("contractvoorwaarden", terms.id)] == ["aangemaakt"]
    no_renew = create_terms(beheerder, code="VAST-1J", auto_renew="")
    assert no_renew.auto_renew is False

    for change, field, message in [
        ({"code": "std-1j"}, "code", "Deze code is al in gebruik."),
        ({"duration_months": "0"}, "duration_months", "Vul een getal van 1 tot en met 120 in."),
        ({"duration_months": "121"}, "duration_months", "Vul een getal van 1 tot en met 120 in."),
        ({"notice_unit": "weken"}, "notice_unit", "Kies dagen of maanden."),
        ({"invoice_period": "week"}, "invoice_period",
         "Kies per maand, per kwartaal, per halfjaar of per jaar."),
        ({"name": ""}, "name", "Vul een naam in."),
    ]:
        resp = beheerder.post("/instellingen/contractvoorwaarden/nieuw",
                              data={**TERMS, "code": "NIEUW", **change})
        assert resp.status_code == 422, change
        assert field_error(text(resp), field) == message
    with connection():
        assert Contractvoorwaarden.select().count() == 4


def test_voorwaarden_edit_in_place_when_unused(beheerder):
    terms = create_terms(beheerder, auto_renew="")
    make_contract(terms, start=date(2000, 1, 1), end=date(2001, 1, 1))  # verlopen: not active
    page = text(beheerder.get(f"/instellingen/contractvoorwaarden/{terms.id}/bewerken"))
    assert "Opslaan als nieuwe voorwaarden" not in page and 'value="SVC-2J"' in page
    resp = beheerder.post(f"/instellingen/contractvoorwaarden/{terms.id}/bewerken",
                          data={**TERMS, "auto_renew": "", "name": "Service twee jaar",
                                "notice_value": "30",
                                "notice_unit": "dagen", "actie": "opslaan"})
    assert resp.status_code == 303
    terms = get(Contractvoorwaarden, Contractvoorwaarden.id == terms.id)
    assert (terms.name, terms.notice_value, terms.notice_unit) == ("Service twee jaar", 30,
                                                                    "dagen")
    changes = json.loads(audit_rows("contractvoorwaarden", terms.id)[-1].changes)
    assert changes["notice_unit"] == ["maanden", "dagen"]
    with connection():
        assert Contractvoorwaarden.select().count() == 3


def test_voorwaarden_in_use_are_copied_not_edited(beheerder):
    terms = create_terms(beheerder)
    make_contract(terms)  # started 2000-01-01, no end date: actief
    url = f"/instellingen/contractvoorwaarden/{terms.id}/bewerken"

    page = text(beheerder.get(url))
    assert "In gebruik bij <strong>1 actief contract</strong>" in page
    assert '<button type="submit" name="actie" value="kopie">Opslaan als nieuwe voorwaarden' in page
    assert 'value="opslaan"' not in page

    # saving in place anyway is refused and changes nothing
    resp = beheerder.post(url, data={**TERMS, "name": "Stiekem gewijzigd", "actie": "opslaan"})
    assert resp.status_code == 422
    assert "niet worden gewijzigd" in text(resp) and "Opslaan als nieuwe voorwaarden" in text(resp)
    resp = beheerder.post(url, data={**TERMS, "name": "Stiekem gewijzigd"})  # no actie at all
    assert resp.status_code == 422
    assert get(Contractvoorwaarden, Contractvoorwaarden.id == terms.id).name == "Service 2 jaar"

    # copy with a code that exists is refused
    for code in ("SVC-2J", "MJ-3J"):
        resp = beheerder.post(url, data={**TERMS, "code": code, "actie": "kopie"})
        assert resp.status_code == 422
        assert field_error(text(resp), "code") == "Deze code is al in gebruik."
    with connection():
        assert Contractvoorwaarden.select().count() == 3

    resp = beheerder.post(url, data={**TERMS, "code": "SVC-2J-B", "duration_months": "36",
                                     "actie": "kopie"})
    assert resp.status_code == 303
    copy = get(Contractvoorwaarden, Contractvoorwaarden.code == "SVC-2J-B")
    original = get(Contractvoorwaarden, Contractvoorwaarden.id == terms.id)
    assert copy.id != original.id and copy.duration_months == 36 and copy.active
    assert (original.code, original.duration_months, original.name) == ("SVC-2J", 24,
                                                                        "Service 2 jaar")
    with connection():
        assert Contract.get().voorwaarden_id == original.id
    [row] = audit_rows("contractvoorwaarden", copy.id)
    assert row.action == "aangemaakt" and json.loads(row.changes)["kopie_van"] == "SVC-2J"
    assert [r.action for r in audit_rows("contractvoorwaarden", terms.id)] == ["aangemaakt"]

    # deactivating terms in use is allowed; the contract keeps them
    beheerder.post(f"/instellingen/contractvoorwaarden/{terms.id}/actief", data={"actief": "0"})
    assert not get(Contractvoorwaarden, Contractvoorwaarden.id == terms.id).active


def test_future_contract_counts_as_in_use_an_expired_one_does_not(beheerder):
    terms = create_terms(beheerder, auto_renew="")  # renewing terms keep a contract actief
    make_contract(terms, start=date(2999, 1, 1))
    make_contract(terms, start=date(2000, 1, 1), end=date(2001, 1, 1), number="C-2026-0002")
    page = text(beheerder.get(f"/instellingen/contractvoorwaarden/{terms.id}/bewerken"))
    assert "In gebruik bij <strong>1 actief contract</strong>" in page


# --- permissions and htmx --------------------------------------------------------------------

@pytest.mark.parametrize("name", LISTS)
def test_planner_gets_403_everywhere(planner, name):
    with connection():
        model = {"contracttypen": Contracttype, "contractvoorwaarden": Contractvoorwaarden,
                 "werktypen": Werktype, "prioriteiten": Prioriteit,
                 "redenen": Beeindigingsreden, "objecttypen": Objecttype}[name]
        item_id = model.select().first().id
    base = f"/instellingen/{name}"
    for path in (base, f"{base}/nieuw", f"{base}/{item_id}/bewerken"):
        assert planner.get(path).status_code == 403, path
        assert planner.get(path, htmx=True).status_code == 403, path
    for path in (f"{base}/nieuw", f"{base}/{item_id}/bewerken", f"{base}/{item_id}/actief"):
        assert planner.post(path, data={"name": "x", "code": "x", "actief": "0"}).status_code \
            == 403, path
        assert planner.post(path, data={"actief": "0"}, htmx=True).status_code == 403, path
    with connection():
        assert model.get_by_id(item_id).active
    assert audit_rows(model.__name__.lower()) == []


@pytest.mark.parametrize("path, data, field", [
    ("/instellingen/werktypen/nieuw", {"name": "Onderhoud", "default_duration": "60"}, "name"),
    ("/instellingen/prioriteiten/nieuw", {"name": "", "rank": "1"}, "name"),
    ("/instellingen/redenen/nieuw", {"code": "KLANT", "text": "x"}, "code"),
    ("/instellingen/contracttypen/nieuw", {"name": "T", "kind": "x",
                                           "default_days_in_advance": "1"}, "kind"),
    ("/instellingen/contractvoorwaarden/nieuw", {**TERMS, "duration_months": "0"},
     "duration_months"),
    ("/instellingen/objecttypen/nieuw", {"name": "cv-KETEL"}, "name"),
])
def test_htmx_error_returns_the_form_fragment(beheerder, path, data, field):
    resp = beheerder.post(path, data=data, htmx=True)
    assert resp.status_code == 422
    html = text(resp)
    assert "<html" not in html and "Kruimelpad" not in html
    assert html.lstrip().startswith('<form id="lijst-formulier"')
    assert f'hx-post="{path}"' in html and 'hx-target="this"' in html
    assert field_error(html, field)
    assert resp.headers["Vary"] == "HX-Request" or "HX-Request" in resp.headers["Vary"]


def test_htmx_success_redirects_with_hx_redirect(beheerder):
    resp = beheerder.post("/instellingen/werktypen/nieuw",
                          data={"name": "Reiniging", "default_duration": "30"}, htmx=True)
    assert resp.status_code == 200 and resp.headers["HX-Redirect"] == "/instellingen/werktypen"


def test_htmx_in_place_refusal_is_a_fragment(beheerder):
    terms = create_terms(beheerder)
    make_contract(terms)
    resp = beheerder.post(f"/instellingen/contractvoorwaarden/{terms.id}/bewerken",
                          data={**TERMS, "name": "Anders", "actie": "opslaan"}, htmx=True)
    assert resp.status_code == 422 and "<html" not in text(resp)
    assert "1 actief contract" in text(resp)


def test_objecttypen_seeded_added_and_deactivated_objects_keep_theirs(beheerder):
    page = text(beheerder.get("/instellingen/objecttypen"))
    for name in ("CV-ketel", "Brandblusser", "Lift", "Airco"):
        assert f">{name}</a>" in page
    resp = beheerder.post("/instellingen/objecttypen/nieuw", data={"name": "Rookmelder"})
    assert resp.status_code == 303
    kind = get(Objecttype, Objecttype.name == "Rookmelder")
    dup = beheerder.post("/instellingen/objecttypen/nieuw", data={"name": "rookmelder"})
    assert dup.status_code == 422
    assert field_error(text(dup), "name") == "Er is al een objecttype met deze naam."
    empty = beheerder.post("/instellingen/objecttypen/nieuw", data={"name": " "})
    assert field_error(text(empty), "name") == "Vul een naam in."
    with connection():
        assert Objecttype.select().where(Objecttype.name ** "rookmelder").count() == 1
        klant = Klant.create(customer_number="D-1", name="K", street="s", house_number="1",
                             postcode="1234 AB", city="c")
        adres = Werkadres.create(klant=klant, street="s", house_number="1",
                                 postcode="1234 AB", city="c")
        obj = Object.create(number="OBJ-1", werkadres=adres, objecttype=kind)
    assert beheerder.post(f"/instellingen/objecttypen/{kind.id}/actief",
                          data={"actief": "0"}).status_code == 303
    assert not get(Objecttype, Objecttype.id == kind.id).active
    assert get(Object, Object.id == obj.id).objecttype_id == kind.id
    # the object form still offers the object's own (inactive) type, a new object does not
    form = text(beheerder.get(f"/objecten/{obj.id}/bewerken"))
    assert "Rookmelder (inactief)" in form
    new = text(beheerder.get(f"/objecten/nieuw?werkadres={adres.id}"))
    assert "Rookmelder" not in new and "CV-ketel" in new
    assert [r.action for r in audit_rows("objecttype", kind.id)] == ["aangemaakt",
                                                                      "gedeactiveerd"]
