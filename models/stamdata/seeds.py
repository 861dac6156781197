"""The settings every installation starts with (written by migrations, so also in production)."""

from models.stamdata.instellingen import (
    Beeindigingsreden,
    Contracttype,
    Contractvoorwaarden,
    Prioriteit,
    SlaBeleid,
    Werktype,
)

WERKTYPEN = [("Onderhoud", 60), ("Inspectie", 45), ("Storing", 90), ("Installatie", 240),
             ("Keuring", 60)]
PRIORITEITEN = [("Spoed", 0), ("Hoog", 1), ("Normaal", 2), ("Laag", 3)]
REDENEN = [("KLANT", "Opgezegd door de klant"), ("VERHUISD", "Klant is verhuisd"),
           ("FAILLIET", "Klant is failliet"), ("VERVANGEN", "Vervangen door een nieuw contract"),
           ("ANDERS", "Andere reden")]


def contract_settings() -> None:
    for name, minutes in WERKTYPEN:
        Werktype.get_or_create(name=name, defaults={"default_duration": minutes})
    for name, rank in PRIORITEITEN:
        Prioriteit.get_or_create(name=name, defaults={"rank": rank})
    for code, text in REDENEN:
        Beeindigingsreden.get_or_create(code=code, defaults={"text": text})
    werktype = {w.name: w for w in Werktype.select()}
    for name, kind, days, wt, description in [
        ("Preventief", "preventief", 14, "Onderhoud",
         "Gepland terugkerend onderhoud volgens een schema."),
        ("Correctief (SLA)", "correctief", 0, "Storing",
         "Storingsdienst: werkbonnen bij melding, met reactie- en oplostijden."),
        ("Jaarlijks aantal", "jaarlijks", 14, "Inspectie",
         "Een vast aantal bezoeken per contractjaar, gelijk verdeeld."),
    ]:
        Contracttype.get_or_create(name=name, defaults={
            "kind": kind, "default_days_in_advance": days, "default_werktype": werktype[wt],
            "default_duration": werktype[wt].default_duration, "description": description})
    Contractvoorwaarden.get_or_create(code="STD-1J", defaults={
        "name": "Standaard 1 jaar",
        "description": "Looptijd 1 jaar, daarna stilzwijgend verlengd met telkens 1 jaar; "
                       "opzegtermijn 1 maand; jaarlijkse facturering vooraf.",
        "duration_months": 12, "auto_renew": True, "renewal_months": 12,
        "notice_value": 1, "notice_unit": "maanden", "invoice_period": "jaar"})
    Contractvoorwaarden.get_or_create(code="MJ-3J", defaults={
        "name": "Meerjarig 3 jaar",
        "description": "Vaste looptijd van 3 jaar zonder automatische verlenging; "
                       "opzegtermijn 3 maanden; facturering per kwartaal.",
        "duration_months": 36, "auto_renew": False, "renewal_months": 12,
        "notice_value": 3, "notice_unit": "maanden", "invoice_period": "kwartaal"})
    SlaBeleid.get_or_create(code="STANDAARD", defaults={
        "name": "Standaard", "description": "Spoed 4/8 uur, Hoog 8/16 werkuren, "
                                            "Normaal 2/5 werkdagen, Laag 5/10 werkdagen."})
