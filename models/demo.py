"""Realistic Dutch demo data, so a newcomer sees a living system on first start."""

import secrets

from models.db import audit, write_transaction
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.stamdata.users import User

KLANTEN = [
    ("D-10001", "Woningcorporatie De Linge", "Stationsweg", "12", "4141 HD", "Leerdam",
     "beheer@delinge.nl", "0345-612300"),
    ("D-10002", "Bakkerij Van den Berg", "Oudegracht", "201", "3511 NM", "Utrecht",
     "info@bakkerijvandenberg.nl", "030-2314455"),
    ("D-10003", "Zorgcentrum Het Baken", "Burgemeester de Withstraat", "44", "5331 KJ", "Kerkdriel",
     "facilitair@hetbaken.nl", "0418-631900"),
    ("D-10004", "Sportcentrum De Vliet", "Vlietweg", "7", "2266 KA", "Leidschendam",
     "receptie@devliet.nl", "070-3205566"),
    ("D-10005", "Hotel Aan de Maas", "Boompjes", "550", "3011 XZ", "Rotterdam",
     "technischedienst@hotelmaas.nl", "010-4139900"),
    ("D-10006", "Basisschool De Regenboog", "Kerkstraat", "3", "9711 HC", "Groningen",
     "administratie@deregenboog-gr.nl", "050-3124578"),
    ("D-10007", "Kantoorpand Zuidas B.V.", "Gustav Mahlerlaan", "1025", "1082 MK", "Amsterdam",
     "facility@zuidaspand.nl", "020-5751200"),
    ("D-10008", "Garage Jansen & Zn.", "Eindhovenseweg", "88", "5582 HR", "Waalre",
     "werkplaats@garagejansen.nl", "040-2214567"),
    ("D-10009", "Restaurant De Gouden Leeuw", "Markt", "15", "6211 CK", "Maastricht",
     "keuken@goudenleeuw.nl", "043-3215678"),
    ("D-10010", "Familie De Vries", "Lindelaan", "23", "7514 CD", "Enschede",
     "m.devries@example.nl", "06-12345678"),
]
MEDEWERKERS = [
    ("P-001", "Jeroen Bakker", "jeroen.bakker@cadans-demo.nl", "06-21436587"),
    ("P-002", "Fatima El Amrani", "fatima.elamrani@cadans-demo.nl", "06-34251678"),
    ("P-003", "Sven de Groot", "sven.degroot@cadans-demo.nl", "06-45362718"),
    ("P-004", "Lotte Visser", "lotte.visser@cadans-demo.nl", "06-56473829"),
    ("P-005", "Mehmet Yilmaz", "mehmet.yilmaz@cadans-demo.nl", "06-67584930"),
]
USERS = [("beheerder", "Bea Beheer", "beheerder"), ("planner", "Piet Planner", "planner")]


def is_empty() -> bool:
    return not (User.select().exists() or Klant.select().exists()
                or Medewerker.select().exists())


def load() -> list[tuple[str, str, str]]:
    """Fill an empty database; returns (username, password, role) of the demo users.

    Passwords are random per installation (nothing secret lives in the repository)."""
    logins = []
    with write_transaction():
        for username, name, role in USERS:
            password = secrets.token_urlsafe(9)
            user = User(username=username, name=name, role=role)
            user.set_password(password)
            user.save()
            logins.append((username, password, role))
        for number, name, street, house, postcode, city, email, phone in KLANTEN:
            k = Klant.create(customer_number=number, name=name, street=street,
                             house_number=house, postcode=postcode, city=city, email=email,
                             phone=phone)
            audit.record("klant", k.id, "aangemaakt", "demo-data")
        for number, name, email, phone in MEDEWERKERS:
            m = Medewerker.create(personnel_number=number, name=name, email=email, phone=phone)
            audit.record("medewerker", m.id, "aangemaakt", "demo-data")
    return logins


def load_and_remember(instance_path, now) -> list[tuple[str, str, str]]:
    """Load the demo data and keep the generated logins in instance/demo-logins.txt (mode 600),
    so `make run` can show them again next time."""
    from pathlib import Path

    logins = load()
    objecten = load_objecten(now.date())
    load_contracts(now.date(), objecten)
    load_prices(now.date())
    load_storingen(now)
    path = Path(instance_path) / "demo-logins.txt"
    path.write_text("".join(f"{u} / {p} ({r})\n" for u, p, r in logins))
    path.chmod(0o600)
    return logins


def load_prices(today) -> int:
    """A price on the demo's contracts with a schedule (models/facturatie/), their termijnen up
    to today, and those before this month marked gefactureerd: Te factureren shows this month's.
    Returns how many termijnen exist."""
    from datetime import date

    from models.contracts.tables import Contract
    from models.facturatie import service as facturatie
    from models.facturatie.tables import Factuurtermijn

    priced = Contract.select().where(Contract.kind != "correctief").order_by(Contract.id)
    for index, contract in enumerate(priced):
        facturatie.save_terms(contract.id, {
            "prijs_cents": (1_450_00, 385_00, 2_100_00, 960_00, 4_800_00, 240_00)[index % 6],
            "btw_tarief": ("21", "21", "9", "verlegd")[index % 4],
            "factuurperiode": ("maand", "kwartaal", "", "jaar")[index % 4],
            "factureren": "achteraf" if index % 3 == 2 else "vooraf",
            "index_pct": "3.2" if index % 2 == 0 else "",
            "index_date": date(today.year, 1, 1) if index % 2 == 0 else None},
            None, "demo-data", today)
    earlier = [t.id for t in Factuurtermijn.select(Factuurtermijn.id).where(
        Factuurtermijn.invoice_on < today.replace(day=1))]
    if earlier:
        facturatie.mark_invoiced(earlier, f"DEMO-{today.year}", "demo-data")
    # an index series as the beheerder enters it (figures in CBS style; this year's not yet)
    from models.facturatie import indexreeksen

    reeks, _errors = indexreeksen.create("CBS CAO-lonen", "demo-data")
    if reeks is not None:
        for back, figure in ((3, "112,6"), (2, "118,9"), (1, "123,8")):
            indexreeksen.save_figure(reeks.id, str(today.year - back), figure, "demo-data")
    return Factuurtermijn.select().count()


def _months_ago(today, months):
    from models.contracts.lifecycle import add_months

    return add_months(today.replace(day=1), -months)


CONTRACTS = [
    # klant number, type kind, description, months ago, rrule/visits, lead, medewerker, werktype
    ("D-10001", "preventief", "Onderhoud cv-ketels complex Stationsweg", 8,
     "FREQ=MONTHLY;BYDAY=2TU", 14, "P-001", "Onderhoud"),
    ("D-10002", "jaarlijks", "Brandblusserinspectie bakkerij", 10, 2, 21, "P-002", "Inspectie"),
    ("D-10003", "preventief", "Legionellacontrole tappunten", 3,
     "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", 7, None, "Keuring"),
    ("D-10004", "preventief", "Airco-onderhoud sporthal (seizoen)", 7,
     "FREQ=MONTHLY;BYMONTHDAY=15;BYMONTH=4,5,6,7,8,9,10", 14, "P-003", "Onderhoud"),
    ("D-10005", "correctief", "Storingsdienst 24/7 hotel", 6, None, 0, None, "Storing"),
    ("D-10007", "preventief", "Onderhoud luchtbehandeling kantoorpand", 5,
     "FREQ=MONTHLY;BYDAY=-1FR", 10, "P-004", "Onderhoud"),
    ("D-10010", "jaarlijks", "Onderhoud cv-ketel woonhuis", 11, 1, 30, "P-005", "Onderhoud"),
    ("D-10006", "preventief", "Inspectie speeltoestellen schoolplein", 4,
     "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", 14, None, "Inspectie"),
]


# contracts that cover objecten (load_objecten's ids by role): one of each kind of werkbon
COVERING = [
    # klant number, description, months ago, rrule, lead, medewerker, werktype, werkbon per,
    # the objecten (a role of load_objecten)
    ("D-10001", "Jaarlijks onderhoud cv-ketels woningen Leerdam", 10, "FREQ=YEARLY", 30,
     "P-005", "Onderhoud", "object", "ketels"),
    ("D-10007", "Halfjaarlijkse controle brandblussers hoofdkantoor", 5,
     "FREQ=MONTHLY;INTERVAL=6", 14, "P-004", "Inspectie", "datum", "brandblussers"),
]


def load_contracts(today, objecten: dict | None = None) -> int:
    """Contracts of every type, known since their start, with their werkbonnen generated up to
    today; past ones mostly done, a few left overdue or unplanned, so the lists are alive.
    With `objecten` (load_objecten's ids) also the COVERING contracts: the corporation's
    ketels one werkbon per object, the office's brandblussers one werkbon per date."""
    from datetime import datetime, time, timedelta

    from models.contracts import checks as contract_checks
    from models.contracts import service as contract_service
    from models.contracts.tables import Contract
    from models.stamdata import calendar_store
    from models.stamdata.instellingen import Contractvoorwaarden, SlaBeleid
    from models.werkbonnen import materialise
    from models.werkbonnen.tables import Werkbon

    terms = Contractvoorwaarden.get(Contractvoorwaarden.code == "STD-1J")
    sla = SlaBeleid.get(SlaBeleid.code == "STANDAARD")
    covering = [(number, "preventief", description, months, plan, lead, mw, werktype,
                 {"werkbon_per": per, "object_ids": objecten[role]})
                for number, description, months, plan, lead, mw, werktype, per, role
                in (COVERING if objecten else [])]
    rows = [(*row, {}) for row in CONTRACTS] + covering
    for number, kind, description, months, plan, lead, mw, werktype, covers in rows:
        klant = Klant.get(Klant.customer_number == number)
        medewerker = Medewerker.get(Medewerker.personnel_number == mw) if mw else None
        start = _months_ago(today, months)
        data = {"klant_id": klant.id, "contracttype": kind, "description": description,
                "contractvoorwaarden_id": terms.id, "start_date": start.isoformat(),
                "days_in_advance": lead,
                "werkbon": {"description": description, "werktype": werktype,
                            "start_time": "08:30" if mw != "P-002" else "13:00",
                            "medewerker_id": medewerker.id if medewerker else None}}
        if kind == "preventief":
            data["schedule"] = {"rrule": plan, "holidays": "next_workday",
                                "weekends": "next_workday"}
        elif kind == "jaarlijks":
            data["visits_per_year"] = plan
            data["schedule"] = {"holidays": "next_workday", "weekends": "next_workday"}
        else:
            data["sla_beleid_id"] = sla.id
        data.update(covers)
        values, errors = contract_checks.check(data)
        if errors:
            raise ValueError(f"demo contract {description}: {errors}")
        contract = contract_service.create(values, "demo-data", today)
        Contract.update(generate_from=start, next_attention=start).where(
            Contract.id == contract.id).execute()
    counts = materialise.sweep(today, calendar_store.free_days(), trigger="demo",
                               actor="demo-data")
    with write_transaction():
        _backdate_generation(today)
        done_by = [m.id for m in Medewerker.select().order_by(Medewerker.personnel_number)]
        past = list(Werkbon.select(Werkbon, Contract).join(Contract)
                    .where(Werkbon.due_date < today - timedelta(days=3))
                    .order_by(Werkbon.due_date, Werkbon.id))
        for index, werkbon in enumerate(past):
            if index % 7 == 3:
                continue  # left overdue
            # done means someone went (models/werkbonnen/service.py refuses it otherwise): the
            # contract's medewerker, or for a contract without one a demo colleague
            medewerker_id = werkbon.medewerker_id or done_by[index % len(done_by)]
            planned = werkbon.planned_start or datetime.combine(
                werkbon.due_date, time.fromisoformat(werkbon.contract.start_time))
            Werkbon.update(status="afgerond", medewerker=medewerker_id,
                           planned_start=planned).where(Werkbon.id == werkbon.id).execute()
            audit.record("werkbon", werkbon.id, "afgerond", "demo-data",
                         {"status": [werkbon.status, "afgerond"],
                          "medewerker_id": [werkbon.medewerker_id, medewerker_id]})
    return counts.created


def _backdate_generation(today) -> None:
    """The demo contracts were "known since their start", so each werkbon carries the day the
    worker would have generated it: its date minus the contract's dagen van tevoren, not before
    the contract started (it was entered then) and not after today. The one catch-up sweep that
    really made them wrote today on all of them."""
    from datetime import timedelta

    from models.contracts.tables import Contract
    from models.werkbonnen.tables import Werkbon

    generated = (Werkbon.select(Werkbon.id, Werkbon.due_date, Contract.start_date,
                                Contract.days_in_advance)
                 .join(Contract).where(Werkbon.reported_at.is_null()).tuples())
    for werkbon_id, due, start, lead in list(generated):
        day = min(today, max(start, due - timedelta(days=lead)))
        Werkbon.update(generated_on=day).where(Werkbon.id == werkbon_id).execute()


STORINGEN = [  # prioriteit, hours ago reported, description, outcome
    ("Normaal", 1, "Radiator kamer 214 blijft koud", None),
    ("Spoed", 3.6, "Lekkage bij de cv-ketel in de kelder", None),
    ("Hoog", 80, "Warm water valt steeds weg in vleugel B", None),
    ("Spoed", 30, "Storing luchtbehandeling keuken", "gehaald"),
    ("Hoog", 200, "Foutcode E119 op ketel 2", "te laat"),
]


def load_storingen(now) -> int:
    """Storingen under the demo storingsdienst in every SLA state: op schema, dreigt, verlopen,
    gehaald and te laat gehaald."""
    from datetime import timedelta

    from models.contracts.tables import Contract
    from models.sla import service as sla_service
    from models.werkbonnen.tables import Werkbon

    contract = Contract.select().where(Contract.kind == "correctief").first()
    if contract is None:
        return 0
    tz = str(now.tzinfo)
    medewerkers = [m.id for m in Medewerker.select().order_by(Medewerker.personnel_number)]
    for index, (prioriteit, hours_ago, description, outcome) in enumerate(STORINGEN):
        reported = now - timedelta(hours=hours_ago)
        werkbon, errors = sla_service.create_storing(
            {"klant_id": contract.klant_id, "contract_id": contract.id,
             "prioriteit": prioriteit, "description": description,
             "reported_at": reported.isoformat()}, "demo-data", now, tz)
        if errors:
            raise ValueError(f"demo storing {description}: {errors}")
        if outcome:
            due = werkbon.resolve_due
            done = due - timedelta(hours=1) if outcome == "gehaald" else due + timedelta(hours=5)
            # someone went, 45 minutes after the call (planned_start is a local date-time)
            went = (reported + timedelta(minutes=45)).replace(second=0, microsecond=0)
            medewerker_id = medewerkers[index % len(medewerkers)]
            Werkbon.update(status="afgerond", medewerker=medewerker_id,
                           planned_start=went.replace(tzinfo=None),
                           responded_at=werkbon.reported_at + timedelta(minutes=45),
                           resolved_at=done).where(Werkbon.id == werkbon.id).execute()
            audit.record("werkbon", werkbon.id, "afgerond", "demo-data",
                         {"status": [werkbon.status, "afgerond"],
                          "medewerker_id": [None, medewerker_id]})
    return len(STORINGEN)


# --- werkadressen and objecten ----------------------------------------------------------------

LINGE_STREETS = [  # street, postcode, house numbers: 40 homes of the corporation in Leerdam
    ("Lingedijk", "4142 LD", range(2, 22, 2)),
    ("Noordwal", "4141 AH", range(1, 11)),
    ("Vlietskade", "4141 CL", range(3, 23, 2)),
    ("Akkerstraat", "4142 AB", range(12, 22)),
]
KETELS = [  # brand, model, where in the house
    ("Remeha", "Calenta Ace 28c", "zolder"), ("Intergas", "Xtreme 30", "keuken"),
    ("Nefit", "ProLine NxT HRC 30", "berging"), ("Vaillant", "ecoTEC plus VHR 30-34", "zolder"),
    ("ATAG", "i36C", "badkamer, in de kast"),
]
FLOORS = [("Begane grond", 9), ("1e verdieping", 7), ("2e verdieping", 7), ("3e verdieping", 7)]
SPOTS = ["bij de trap", "bij de lift", "gang west", "gang oost", "pantry", "bij de nooduitgang",
         "archief", "vergaderzaal", "serverruimte"]


def load_objecten(today) -> dict:
    """The demo klanten's werkadressen and objecten, through the same service the pages use:
    the housing corporation (D-10001) with 40 homes and a cv-ketel in each, the office
    (D-10007) with 30 brandblussers over four floors and a lift. Returns their ids by role, for
    the contracts that cover them: {"corporatie_werkadressen", "ketels", "kantoor_werkadres",
    "brandblussers", "lift"}."""
    from datetime import date, timedelta

    from models.objecten import service as objecten
    from models.objecten.tables import Objecttype

    def created(result):
        row, errors = result
        if errors:
            raise ValueError(f"demo objecten: {errors}")
        return row

    kind = {t.name: t.id for t in Objecttype.select()}
    linge = Klant.get(Klant.customer_number == "D-10001")
    ids = {"corporatie_werkadressen": [], "ketels": [], "brandblussers": []}
    n = 0
    for street, postcode, numbers in LINGE_STREETS:
        for number in numbers:
            notes = f"Sleutel bij de buren (nr. {number + 2})" if n % 6 == 2 else (
                "Bewoner werkt overdag; bellen vóór 08:00 uur" if n % 6 == 4 else "")
            adres = created(objecten.create_werkadres(
                {"klant_id": linge.id, "street": street, "house_number": str(number),
                 "postcode": postcode, "city": "Leerdam", "access_notes": notes}, "demo-data"))
            brand, model, where = KETELS[n % len(KETELS)]
            installed = date(2012 + n % 12, 1 + n % 12, 1 + n % 27)
            serial = f"{brand[:2].upper()}{installed.year}-{n + 101:05d}"
            ketel = created(objecten.create_object(
                {"werkadres_id": adres.id, "objecttype_id": kind["CV-ketel"], "brand": brand,
                 "model": model, "serial_number": serial,
                 "location": where, "installed_on": installed.isoformat(),
                 "warranty_until": (installed + timedelta(days=2 * 365)).isoformat()},
                "demo-data", today))
            ids["corporatie_werkadressen"].append(adres.id)
            ids["ketels"].append(ketel.id)
            n += 1
    zuidas = Klant.get(Klant.customer_number == "D-10007")
    kantoor = created(objecten.create_werkadres(
        {"klant_id": zuidas.id, "name": "Hoofdkantoor", "street": "Gustav Mahlerlaan",
         "house_number": "1025", "postcode": "1082 MK", "city": "Amsterdam",
         "access_notes": "Melden bij de receptie; parkeren in de garage (P-2)."}, "demo-data"))
    ids["kantoor_werkadres"] = kantoor.id
    spot = 0
    for floor, count in FLOORS:
        for i in range(count):
            foam = i % 3 == 2
            blusser = created(objecten.create_object(
                {"werkadres_id": kantoor.id, "objecttype_id": kind["Brandblusser"],
                 "brand": "Gloria", "model": "WKL 6 PRO (6 l schuim)" if foam
                 else "PD6GA (6 kg poeder)", "serial_number": f"GL-2021-{4410 + spot}",
                 "location": f"{floor}, {SPOTS[i % len(SPOTS)]}",
                 "installed_on": "2021-03-15"}, "demo-data", today))
            ids["brandblussers"].append(blusser.id)
            spot += 1
    lift = created(objecten.create_object(
        {"werkadres_id": kantoor.id, "objecttype_id": kind["Lift"], "brand": "KONE",
         "model": "MonoSpace 500", "serial_number": "KN-50-118734", "location": "Liftschacht A",
         "installed_on": "2016-09-01", "warranty_until": "2018-08-31",
         "notes": "Jaarlijkse keuring door een aangewezen instelling (Warenwetbesluit "
                  "liften)."}, "demo-data", today))
    ids["lift"] = lift.id
    return ids
