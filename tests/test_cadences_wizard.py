"""The wizard's plan step as a list of onderdelen (issue 18): add, remove, rank, the merged
preview, errors at their field, and saving them; a single-cadence step as before."""


import re

from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.werkbonnen.tables import Werkbon
from tests.test_contract_wizard import SCHEMA, fill, world  # noqa: F401

YEARLY = {"frequency": "jaarlijks", "interval": "1", "month": "10", "day_of_month": "15",
          "end_mode": "geen", "holidays": "ignore", "weekends": "ignore",
          "days_in_advance": "14"}


def three_cadences(planner, base):
    """The issue's contract: groot onderhoud in October (the schedule above), a monthly
    controle and a quarterly kleine beurt, built with the buttons."""
    form = dict(YEARLY, od_aantal="0", actie="onderdeel-toevoegen")
    html = planner.post(f"{base}/schema", data=form).get_data(as_text=True)
    assert 'name="od-0-naam"' in html and 'id="hoofd_naam"' in html
    form = dict(YEARLY, od_aantal="1", hoofd_naam="Groot onderhoud", hoofd_rang="3",
                hoofd_venster="maand", actie="onderdeel-toevoegen",
                **{"od-0-naam": "Controle", "od-0-rang": "1", "od-0-anker": "vast",
                   "od-0-freq": "maand", "od-0-dag": "1", "od-0-venster": "maand",
                   "od-0-omschrijving": "Maandelijkse controle", "od-0-duur": "30"})
    html = planner.post(f"{base}/schema", data=form).get_data(as_text=True)
    assert 'name="od-1-naam"' in html
    form.update({"od_aantal": "2", "od-1-naam": "Kleine beurt", "od-1-rang": "2",
                 "od-1-anker": "vast", "od-1-freq": "kwartaal", "od-1-dag": "1",
                 "od-1-venster": "maand", "od-1-checklist": "Filters"})
    return form


def test_a_single_cadence_step_looks_as_before(planner, world):  # noqa: F811
    base = fill(planner, world)
    html = planner.get(f"{base}/schema").get_data(as_text=True)
    assert "Onderdeel toevoegen" in html and 'name="od-0-naam"' not in html
    assert "Alle onderdelen samen" not in html


def test_the_three_cadence_contract_through_the_wizard(app, planner, world):  # noqa: F811
    base = fill(planner, world)
    form = three_cadences(planner, base)
    query = {k: v for k, v in form.items() if k != "actie"}
    html = planner.get(f"{base}/voorbeeld", query_string=query, htmx=True).get_data(
        as_text=True)
    assert "Alle onderdelen samen" in html
    assert "vervalt: groot onderhoud in dezelfde maand" in html
    assert "Groot onderhoud</strong> (rang 3)" in html
    form["actie"] = "volgende"
    resp = planner.post(f"{base}/schema", data=form)
    assert resp.status_code in (200, 303), resp.get_data(as_text=True)[:3000]
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
        names = [(c.name, c.rank, c.window) for c in contract.cadences()]
    assert names == [("Groot onderhoud", 3, "maand"), ("Kleine beurt", 2, "maand"),
                     ("Controle", 1, "maand")]
    # edited again: the rows come back as they were saved
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get(ContractDraft.contract == contract.id)
    html = planner.get(f"/contracten/concept/{draft.id}/schema").get_data(as_text=True)
    assert 'value="Groot onderhoud"' in html and 'name="od-1-naam"' in html
    assert 'value="Kleine beurt"' in html and 'value="Controle"' in html


def test_removing_an_onderdeel_and_errors_at_their_field(planner, world):  # noqa: F811
    base = fill(planner, world)
    form = three_cadences(planner, base)
    form.update({"od-1-rang": "1", "actie": "volgende"})  # the same rang twice
    resp = planner.post(f"{base}/schema", data=form)
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422 and "Elk onderdeel heeft een eigen rang." in html
    assert 'id="fout-od-1-rang"' in html
    form["actie"] = "onderdeel-verwijder-0"
    html = planner.post(f"{base}/schema", data=form).get_data(as_text=True)
    assert 'name="od-1-naam"' not in html and 'value="Kleine beurt"' in html


def test_the_contract_page_shows_the_expected_floating_date_and_that_it_floats(
        app, planner, runner):
    from tests.test_cadences import FLOATING, complete, contract_data, generate, save

    contract = save(contract_data(FLOATING, lead=14), known_since="2025-12-01")
    generate(runner, "2026-01-01")
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "Zwevend: de datum schuift mee met de afronding." in html
    assert "Verwacht: wo 1 jul 2026, als de werkbon van do 1 jan 2026 op die dag wordt " \
           "afgerond." in html
    complete(contract.id, "2026-01-01", "2026-02-10")  # late: the next moves
    html = planner.get(f"/contracten/{contract.id}").get_data(as_text=True)
    assert "Volgende: ma 10 aug 2026." in html


def test_controle_shows_the_effect_per_onderdeel(app, planner, world, runner):  # noqa: F811
    app.config["TODAY"] = "2026-03-15"  # views/today.py: the wizard's today
    base = fill(planner, world)
    form = three_cadences(planner, base)
    form["days_in_advance"] = "60"
    form["actie"] = "volgende"
    planner.post(f"{base}/schema", data=form)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
    generate_all = runner.invoke(args=["generate", "--today", "2026-03-15"])
    assert generate_all.exit_code == 0
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get(ContractDraft.contract == contract.id)
        made = Werkbon.select().where(Werkbon.contract == contract.id).count()
    assert made > 0
    edit = planner.get(f"/contracten/concept/{draft.id}/schema").get_data(as_text=True)
    assert 'value="Controle"' in edit
    # the rows come back by rank (kleine beurt, then controle); remove the controle
    rows = {"Kleine beurt": 0, "Controle": 1}
    form = dict(YEARLY, od_aantal="2", hoofd_naam="Groot onderhoud", hoofd_rang="3",
                hoofd_venster="maand", days_in_advance="60",
                actie=f"onderdeel-verwijder-{rows['Controle']}")
    for name, n in rows.items():
        form.update({f"od-{n}-naam": name, f"od-{n}-rang": "2" if name == "Kleine beurt" else "1",
                     f"od-{n}-anker": "vast", f"od-{n}-freq": "kwartaal" if n == 0 else "maand",
                     f"od-{n}-dag": "1", f"od-{n}-venster": "maand"})
    planner.post(f"/contracten/concept/{draft.id}/schema", data=form)
    form.update(od_aantal="1", actie="volgende")
    for key in [k for k in form if k.startswith("od-1-")]:
        form.pop(key)
    planner.post(f"/contracten/concept/{draft.id}/schema", data=form)
    html = planner.get(f"/contracten/concept/{draft.id}/controle").get_data(as_text=True)
    assert "Per onderdeel" in html
    # its waiting werkbonnen (1 April is the kleine beurt's: 1 May) are cancelled
    assert re.search(r'<th scope="row">Controle</th><td>0</td><td>0</td><td>1</td><td>0</td>',
                     html), html[html.find("Per onderdeel"):][:800]


def test_each_onderdeel_row_has_its_own_werktype(app, planner, world, runner):  # noqa: F811
    """A row's werktype is the same choice as the contract's (the werkbon step's list): saved
    with the onderdeel, on its werkbonnen, shown again in an edit; an unknown one is refused
    at the row's field."""
    from models.stamdata.instellingen import Werktype

    app.config["TODAY"] = "2026-03-15"
    base = fill(planner, world)
    form = three_cadences(planner, base)
    html = planner.get(f"{base}/schema").get_data(as_text=True)
    assert '<label for="od-0-werktype">Werktype</label>' in html
    assert '<option value="Inspectie" data-duur="45">Inspectie</option>' in html
    form.update({"od-0-werktype": "Bestaat niet", "actie": "volgende"})
    resp = planner.post(f"{base}/schema", data=form)
    assert resp.status_code == 422
    assert 'id="fout-od-0-werktype"' in resp.get_data(as_text=True)
    assert "Onbekend werktype." in resp.get_data(as_text=True)
    form["od-0-werktype"] = "Inspectie"
    resp = planner.post(f"{base}/schema", data=form)
    assert resp.status_code in (200, 303), resp.get_data(as_text=True)[:3000]
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        contract = Contract.get()
        inspectie = Werktype.get(Werktype.name == "Inspectie")
        by_name = {c.name: c.werktype_id for c in contract.cadences()}
        assert by_name["Controle"] == inspectie.id
        assert by_name["Kleine beurt"] is None  # none chosen: the contract's
    result = runner.invoke(args=["generate", "--today", "2026-06-01"])
    assert result.exit_code == 0, result.output
    with connection():
        kinds = {(w.due_date.isoformat(), w.description, w.werktype) for w in Werkbon.select()
                 .where(Werkbon.contract == contract.id)}
    kinds = {(d, k) for _day, d, k in kinds}
    assert ("Maandelijkse controle", "Inspectie") in kinds
    assert not any(d == "Maandelijkse controle" and k != "Inspectie" for d, k in kinds)
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get(ContractDraft.contract == contract.id)
    html = planner.get(f"/contracten/concept/{draft.id}/schema").get_data(as_text=True)
    row = html[html.index('id="od-1-werktype"'):]  # by rang: kleine beurt, then controle
    assert 'id="od-1-naam" name="od-1-naam" value="Controle"' in html
    assert re.search(r'<option value="Inspectie"[^>]*selected>', row[:row.index("</select>")])


MONTHLY_FORM = {"frequency": "maandelijks", "interval": "1", "monthly_mode": "dag",
                "day_of_month": "1", "end_mode": "geen", "holidays": "ignore",
                "weekends": "ignore", "days_in_advance": "60"}


def test_an_onderdeel_added_in_the_wizard_keeps_werkbonnen(app, planner, world, runner):  # noqa: F811
    """A contract with one monthly schedule gets a quarterly kleine beurt in an edit: Controle
    says per onderdeel that the schedule's own werkbonnen stay (one cancelled: its date falls
    away) and the kleine beurt's are new; after the save the same werkbonnen are there."""
    from tests.test_contract_wizard import saved

    app.config["TODAY"] = "2026-03-15"
    contract = saved(planner, world, MONTHLY_FORM)
    assert contract.rrule == "FREQ=MONTHLY;BYMONTHDAY=1"
    assert runner.invoke(args=["generate", "--today", "2026-03-15"]).exit_code == 0
    with connection():
        before = {w.id: (w.due_date.isoformat(), w.number, w.medewerker_id, w.planned_start)
                  for w in Werkbon.select().where(Werkbon.contract == contract.id)}
    assert sorted(d for d, *_x in before.values()) == ["2026-04-01", "2026-05-01"]
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get(ContractDraft.contract == contract.id)
    base = f"/contracten/concept/{draft.id}"
    planner.post(f"{base}/schema", data=dict(MONTHLY_FORM, od_aantal="0",
                                             actie="onderdeel-toevoegen"))
    form = dict(MONTHLY_FORM, od_aantal="1", hoofd_naam="Controle", hoofd_rang="1",
                hoofd_venster="maand", actie="volgende",
                **{"od-0-naam": "Kleine beurt", "od-0-rang": "2", "od-0-anker": "vast",
                   "od-0-freq": "kwartaal", "od-0-dag": "1", "od-0-venster": "maand"})
    resp = planner.post(f"{base}/schema", data=form)
    assert resp.status_code in (200, 303), resp.get_data(as_text=True)[:2000]
    html = planner.get(f"{base}/controle").get_data(as_text=True)
    table = html[html.find("Per onderdeel"):][:1500]
    # (new, moved, cancelled, protected): April's controle falls away for the kleine beurt
    assert re.search(r'<th scope="row">Controle</th><td>0</td><td>0</td><td>1</td><td>0</td>',
                     table), table
    assert re.search(r'<th scope="row">Kleine beurt</th><td>1</td><td>0</td><td>0</td>'
                     r'<td>0</td>', table), table
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    with connection():
        after = {w.id: (w.due_date.isoformat(), w.number, w.medewerker_id, w.planned_start,
                        w.status, w.slot)
                 for w in Werkbon.select().where(Werkbon.contract == contract.id)}
    for wid, (day, number, medewerker, planned) in before.items():
        status = "geannuleerd" if day == "2026-04-01" else after[wid][4]
        assert after[wid] == (day, number, medewerker, planned, status, "")
    assert [v[0] for k, v in after.items() if k not in before] == ["2026-04-01"]


def test_removing_every_other_onderdeel_keeps_the_schedules_werkbonnen(
        app, planner, world, runner):  # noqa: F811
    """A contract made with three onderdelen, edited back to the one schedule above: that
    schedule's werkbonnen stay (same id, number, slot), only the removed onderdelen's go."""
    app.config["TODAY"] = "2026-09-01"
    base = fill(planner, world)
    form = three_cadences(planner, base)
    form.update(days_in_advance="60", actie="volgende")
    planner.post(f"{base}/schema", data=form)
    planner.post(f"{base}/controle", data={"actie": "opslaan"})
    assert runner.invoke(args=["generate", "--today", "2026-09-01"]).exit_code == 0
    with connection():
        contract = Contract.get()
        groot = Werkbon.get(Werkbon.contract == contract.id, Werkbon.due_date == "2026-10-15")
    planner.post(f"/contracten/{contract.id}/bewerken")
    with connection():
        draft = ContractDraft.get(ContractDraft.contract == contract.id)
    url = f"/contracten/concept/{draft.id}/schema"
    edit = planner.get(url).get_data(as_text=True)
    assert re.search(r'name="hoofd_sleutel" value="[1-9]"', edit)  # its own key, not "0"
    # the buttons remove both rows (rows come back by rank: kleine beurt, then controle)
    form = dict(YEARLY, days_in_advance="60", od_aantal="2", hoofd_naam="Groot onderhoud",
                hoofd_rang="3", hoofd_venster="maand", actie="onderdeel-verwijder-1")
    for n, (name, freq, rang) in enumerate([("Kleine beurt", "kwartaal", "2"),
                                            ("Controle", "maand", "1")]):
        form.update({f"od-{n}-naam": name, f"od-{n}-rang": rang, f"od-{n}-anker": "vast",
                     f"od-{n}-freq": freq, f"od-{n}-dag": "1", f"od-{n}-venster": "maand"})
    planner.post(url, data=form)
    form = {k: v for k, v in form.items() if not k.startswith("od-1-")}
    form.update(od_aantal="1", actie="onderdeel-verwijder-0")
    html = planner.post(url, data=form).get_data(as_text=True)
    assert 'name="od-0-naam"' not in html and "Eén schema voor het hele contract" in html
    planner.post(url, data=dict(YEARLY, days_in_advance="60", od_aantal="0", actie="volgende"))
    controle = planner.get(f"/contracten/concept/{draft.id}/controle").get_data(as_text=True)
    cancelled = re.search(r'<ul class="effect-geannuleerd">(.*?)</ul>', controle, re.S).group(1)
    assert cancelled.count("<li>") >= 1 and groot.number not in cancelled  # only the others go
    saved = planner.post(f"/contracten/concept/{draft.id}/controle",
                         data={"actie": "opslaan",
                               "gevolgen": re.search(r'name="gevolgen" value="([^"]+)"',
                                                     controle).group(1)})
    assert saved.status_code == 303, saved.get_data(as_text=True)[:500]
    with connection():
        again = Werkbon.get_by_id(groot.id)
        assert (again.number, again.slot, again.status, again.due_date.isoformat()) == (
            groot.number, groot.slot, groot.status, "2026-10-15")
        others = Werkbon.select().where(Werkbon.contract == contract.id,
                                        Werkbon.slot != groot.slot,
                                        Werkbon.due_date >= "2026-09-01")
        assert {w.status for w in others} <= {"geannuleerd"}
        assert Contract.get_by_id(contract.id).onderdelen not in ("", None)  # a list of one
