"""Realistic Dutch demo data, so a newcomer sees a living system on first start."""

import secrets

from models import audit
from models.db import write_transaction
from models.klanten import Klant
from models.medewerkers import Medewerker
from models.users import User

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


def load_and_remember(instance_path) -> list[tuple[str, str, str]]:
    """Load the demo data and keep the generated logins in instance/demo-logins.txt (mode 600),
    so `make run` can show them again next time."""
    from pathlib import Path

    logins = load()
    path = Path(instance_path) / "demo-logins.txt"
    path.write_text("".join(f"{u} / {p} ({r})\n" for u, p, r in logins))
    path.chmod(0o600)
    return logins
