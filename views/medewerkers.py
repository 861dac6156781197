"""Medewerkers: the technicians werkbonnen are planned for."""

from models.stamdata import records
from views.stamdata import Area, Field, make_blueprint

AREA = Area(
    name="medewerkers",
    kind=records.MEDEWERKER,
    singular="medewerker",
    plural="Medewerkers",
    fields=(
        Field("personnel_number", "Personeelsnummer", required=True),
        Field("name", "Naam", autocomplete="name", required=True),
        Field("email", "E-mail", type="email", autocomplete="email"),
        Field("phone", "Telefoon", type="tel", autocomplete="tel"),
    ),
    columns=(("personnel_number", "Personeelsnr."), ("name", "Naam"), ("email", "E-mail"),
             ("phone", "Telefoon")),
    search=("name", "personnel_number", "email"),
)
bp = make_blueprint(AREA)
