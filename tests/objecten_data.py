"""Werkadressen and objecten for tests, written as rows (the objecten pages and their service are
another branch's; these are the rows those pages make): a klant with werkadressen and objecten,
and a preventief contract that covers them, saved the way the API saves one."""

from datetime import date

from models.contracts import checks as contract_checks
from models.contracts import service as contract_service
from models.db import connection
from models.objecten.tables import Object, Objecttype, Werkadres
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker


def klant_with_objecten(name="Kantoorpand Zuidas", number="D-500", places=2, per_place=3,
                        prefix="BB", kind="Brandblusser") -> tuple[Klant, list, list]:
    """(klant, werkadressen, objecten): `places` werkadressen with `per_place` objecten each,
    numbered PREFIX-001 on."""
    with connection():
        klant = Klant.create(customer_number=number, name=name, street="Gustav Mahlerlaan",
                             house_number="1025", postcode="1082 MK", city="Amsterdam")
        objecttype = Objecttype.get(Objecttype.name == kind)
        werkadressen, objecten = [], []
        for n in range(places):
            werkadres = Werkadres.create(klant=klant, name=f"Verdieping {n + 1}",
                                         street="Gustav Mahlerlaan", house_number=str(1025 + n),
                                         postcode="1082 MK", city="Amsterdam")
            werkadressen.append(werkadres)
            for _ in range(per_place):
                objecten.append(Object.create(number=f"{prefix}-{len(objecten) + 1:03d}",
                                              werkadres=werkadres, objecttype=objecttype,
                                              brand="Gloria", location=f"gang {n + 1}"))
    return klant, werkadressen, objecten


def contract_data(klant, objecten=(), werkadressen=(), per="object",
                  rrule="FREQ=MONTHLY;BYMONTHDAY=1", start="2026-01-01", lead=0, end=None,
                  medewerker=None) -> dict:
    return {"klant_id": klant.id, "contracttype": "preventief",
            "description": "Onderhoud blusmiddelen", "start_date": start, "end_date": end,
            "days_in_advance": lead, "schedule": {"rrule": rrule},
            "werkbon": {"start_time": "08:30", "duration_minutes": 30,
                        "medewerker_id": medewerker.id if medewerker else None},
            "werkbon_per": per, "object_ids": [o.id for o in objecten],
            "werkadres_ids": [w.id for w in werkadressen]}


def covering_contract(klant, objecten=(), werkadressen=(), known_since=None, **kw):
    """A saved contract covering `objecten` and `werkadressen` (created 'today' = known_since,
    default its start)."""
    data = contract_data(klant, objecten, werkadressen, **kw)
    with connection():
        values, errors = contract_checks.check(data)
        assert errors == {}, errors
        return contract_service.create(values, "test",
                                       date.fromisoformat(known_since or data["start_date"]))


def medewerker(name="Fatima El Amrani", number="P-7") -> Medewerker:
    with connection():
        return Medewerker.create(personnel_number=number, name=name)


def seed_covering_contracts(count: int, objects: int, per: str, rrule: str, start: str,
                            lead: int = 0, places: int = 2, number: str = "D-900"):
    """`count` identical saved contracts of one klant, each covering the same `objects`
    objecten spread over `places` werkadressen: one goes through check + create (as the API
    saves it), the others are bulk copies of its row and its ContractObject rows. Returns
    (their ids, the objecten)."""
    from models.contracts.tables import Contract, ContractObject
    from models.db import write_transaction

    klant, _werkadressen, objecten = klant_with_objecten(
        f"Woonstichting {number}", number, places, objects // places, prefix=f"K{number[2:]}",
        kind="CV-ketel")
    first = covering_contract(klant, objecten, per=per, rrule=rrule, start=start, lead=lead)
    with connection():
        row = Contract.select().where(Contract.id == first.id).dicts().get()
        row.pop("id")
        copies = [dict(row, number=f"C-{number}-{n:06d}") for n in range(2, count + 1)]
        with write_transaction():
            for offset in range(0, len(copies), 200):
                Contract.insert_many(copies[offset:offset + 200]).execute()
            ids = [c.id for c in Contract.select(Contract.id).where(
                Contract.klant == klant.id).order_by(Contract.id)]
            links = [(cid, o.id) for cid in ids if cid != first.id for o in objecten]
            for offset in range(0, len(links), 500):
                ContractObject.insert_many(links[offset:offset + 500], fields=[
                    ContractObject.contract, ContractObject.object]).execute()
    assert len(ids) == count
    return ids, objecten
