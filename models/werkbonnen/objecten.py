"""The objecten and werkadres of werkbonnen, read for many werkbonnen at once (a list page, the
planbord, the API's pages): one query per page, never one per werkbon."""

from models.objecten.tables import Object, Objecttype, Werkadres
from models.werkbonnen.tables import WerkbonObject

CHUNK = 500


def object_ids_of(werkbon_ids: list[int]) -> dict[int, tuple[int, ...]]:
    """{werkbon id: the ids of the objecten it lists, sorted}; werkbonnen without are absent."""
    found: dict[int, list[int]] = {}
    for start in range(0, len(werkbon_ids), CHUNK):
        for wid, oid in (WerkbonObject.select(WerkbonObject.werkbon, WerkbonObject.object)
                         .where(WerkbonObject.werkbon.in_(werkbon_ids[start:start + CHUNK]))
                         .tuples()):
            found.setdefault(wid, []).append(oid)
    return {wid: tuple(sorted(ids)) for wid, ids in found.items()}


def objecten_of(werkbon_ids: list[int]) -> dict[int, list[Object]]:
    """{werkbon id: its objecten (with their objecttype), by number}."""
    links = object_ids_of(werkbon_ids)
    ids = sorted({oid for found in links.values() for oid in found})
    objects = {o.id: o for start in range(0, len(ids), CHUNK)
               for o in Object.select(Object, Objecttype).join(Objecttype)
               .where(Object.id.in_(ids[start:start + CHUNK]))}
    return {wid: sorted((objects[oid] for oid in found), key=lambda o: (o.number, o.id))
            for wid, found in links.items()}


def werkadressen(ids) -> dict[int, Werkadres]:
    ids = sorted({i for i in ids if i is not None})
    return {w.id: w for start in range(0, len(ids), CHUNK)
            for w in Werkadres.select().where(Werkadres.id.in_(ids[start:start + CHUNK]))}


def of_werkbonnen(werkbonnen) -> dict[int, tuple]:
    """{werkbon id: (its Werkadres or None, its objecten)} for what a page shows; only the
    werkbonnen done at a werkadres can list objecten, so a page without them costs nothing."""
    at = [w for w in werkbonnen if w.werkadres_id is not None]
    if not at:
        return {}
    places = werkadressen(w.werkadres_id for w in at)
    objects = objecten_of([w.id for w in at])
    return {w.id: (places.get(w.werkadres_id), objects.get(w.id, [])) for w in at}


def werkbon_ids_of_object(object_id: int):
    """The ids of the werkbonnen that list the object, as a subquery (the werkbon_object
    (object, due_date, werkbon) index answers it)."""
    return WerkbonObject.select(WerkbonObject.werkbon).where(WerkbonObject.object == object_id)

