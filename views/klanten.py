"""Klanten: the customers, with their werkadres."""

from models.stamdata import records
from views.stamdata import Area, Field, make_blueprint

AREA = Area(
    name="klanten",
    kind=records.KLANT,
    singular="klant",
    plural="Klanten",
    fields=(
        Field("customer_number", "Debiteurnummer", required=True),
        Field("name", "Naam", autocomplete="organization", required=True),
        Field("street", "Straat", autocomplete="address-line1", required=True),
        Field("house_number", "Huisnummer", required=True),
        Field("postcode", "Postcode", autocomplete="postal-code", required=True,
              hint="Bijvoorbeeld 1234 AB"),
        Field("city", "Plaats", autocomplete="address-level2", required=True),
        Field("email", "E-mail", type="email", autocomplete="email"),
        Field("phone", "Telefoon", type="tel", autocomplete="tel"),
    ),
    columns=(("customer_number", "Debiteurnr."), ("name", "Naam"), ("address", "Werkadres"),
             ("phone", "Telefoon")),
    search=("name", "customer_number", "city", "postcode", "street"),
)
bp = make_blueprint(AREA)
