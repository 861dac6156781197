"""Klanten: the customers, with their own (invoice) address and their werkadressen."""

from peewee import fn

from models.objecten import search
from models.objecten.tables import Object, Werkadres
from models.stamdata import records
from views.stamdata import Area, Field, make_blueprint

WERKADRESSEN_SHOWN = 10


def werkadressen(klant) -> dict:
    """The klant page's werkadressen: the first few (active), how many in all, and how many
    objecten each has (not verwijderd)."""
    active = Werkadres.select().where(Werkadres.klant == klant.id, Werkadres.active == True)  # noqa: E712
    rows = list(active.order_by(*search.werkadres_order()).limit(WERKADRESSEN_SHOWN))
    counts = dict(Object.select(Object.werkadres, fn.COUNT(Object.id))
                  .where(Object.werkadres.in_([w.id for w in rows]),
                         Object.status != "verwijderd")
                  .group_by(Object.werkadres).tuples()) if rows else {}
    return {"werkadressen": rows, "werkadressen_total": active.count(), "counts": counts}

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
    columns=(("customer_number", "Debiteurnr."), ("name", "Naam"), ("address", "Adres"),
             ("phone", "Telefoon")),
    search=("name", "customer_number", "city", "postcode", "street"),
    detail_context=werkadressen,
    fulltext="klant",
)
bp = make_blueprint(AREA)
