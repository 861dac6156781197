"""What a contract covers: its werkadressen and objecten (ContractWerkadres, ContractObject),
read, checked and written. The wizard and the API pass `werkadres_ids`, `object_ids` and
`werkbon_per`; `check` turns them into rows with Dutch errors, `write` stores them with the
contract, `covered` reads them back (or, for an edit not saved yet, what it would store).

A covered werkadres gets a werkbon per date of its own when none of its objecten is covered
(a place: window cleaning, a building inspection); the werkadres of a covered object is covered
with it. How that becomes werkbonnen is models.werkbonnen.plan (parts, visits).
"""

from dataclasses import dataclass, field

from models.contracts.input import parse_int
from models.contracts.tables import WERKBON_PER, Contract, ContractObject, ContractWerkadres
from models.db import Compiled
from models.objecten.tables import Object, Objecttype, Werkadres

MAX_OBJECTS = 2000  # per contract: a housing corporation's ketels fit, a typo of a range not
WERKBON_PER_MESSAGE = ("Kies ‘datum’ (één werkbon per datum) of ‘object’ (één werkbon per "
                       "object).")


@dataclass
class Covered:
    """A contract's coverage as rows: werkadressen in their own right, objecten (each with its
    werkadres), and the werkbon_per choice."""

    werkbon_per: str = "datum"
    werkadressen: list[Werkadres] = field(default_factory=list)
    objecten: list[Object] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.werkadressen and not self.objecten

    @property
    def werkadres_ids(self) -> list[int]:
        return sorted(w.id for w in self.werkadressen)

    @property
    def object_ids(self) -> list[int]:
        return sorted(o.id for o in self.objecten)

    def places(self) -> list[tuple[Werkadres, list[Object]]]:
        """Every werkadres the contract works at (its own and its objecten's), each with its
        covered objecten by number: what the contract page and Controle list."""
        places: dict[int, tuple[Werkadres, list[Object]]] = {
            w.id: (w, []) for w in self.werkadressen}
        for obj in self.objecten:
            places.setdefault(obj.werkadres_id, (obj.werkadres, []))[1].append(obj)
        found = sorted(places.values(), key=lambda p: (p[0].name.lower(), p[0].address, p[0].id))
        for _werkadres, objects in found:
            objects.sort(key=lambda o: (o.number, o.id))
        return found


def covered(contract: Contract) -> Covered:
    """What `contract` covers: an edit not saved yet carries its own (`edited_with`), a saved
    contract reads its rows, a new one covers nothing."""
    pending = getattr(contract, "_covered", None)
    if pending is not None:
        return pending
    if not contract.id:
        return Covered(contract.werkbon_per or "datum")
    return Covered(contract.werkbon_per or "datum", _WERKADRESSEN.rows(contract.id),
                   _OBJECTEN.rows(contract.id))


# Built once (models.db.Compiled): the object page reads a contract's coverage on every view,
# and Peewee building the three-table select took longer than SQLite answering it.
_CONTRACT = -7_919_000_000_000_029
_WERKADRESSEN = Compiled(lambda contract_id: Werkadres.select().join(ContractWerkadres).where(
    ContractWerkadres.contract == contract_id).order_by(Werkadres.id), (_CONTRACT,))
_OBJECTEN = Compiled(lambda contract_id: Object.select(Object, Werkadres, Objecttype)
                     .join(ContractObject).switch(Object).join(Werkadres).switch(Object)
                     .join(Objecttype).where(ContractObject.contract == contract_id)
                     .order_by(Object.werkadres, Object.number, Object.id), (_CONTRACT,))


def edited_with(contract: Contract, values: dict, current: Contract | None) -> Contract:
    """`contract` (unsaved, built from `values`) carrying the coverage `values` name, or the
    current contract's when `values` names none."""
    if "objecten" in values:
        contract._covered = Covered(values.get("werkbon_per") or "datum",
                                    list(values["werkadressen"]), list(values["objecten"]))
    elif current is not None:
        old = covered(current)
        contract._covered = Covered(contract.werkbon_per or "datum", old.werkadressen,
                                    old.objecten)
    return contract


def write(contract: Contract, values: dict) -> bool:
    """Store the coverage `values` name (inside the caller's transaction); True when it
    changed. `values` without "objecten" (an old caller) leaves it as it is."""
    if "objecten" not in values:
        return False
    wanted_places = {w.id for w in values["werkadressen"]}
    wanted_objects = {o.id for o in values["objecten"]}
    places = {r.werkadres_id: r.id for r in ContractWerkadres.select().where(
        ContractWerkadres.contract == contract.id)}
    objects = {r.object_id: r.id for r in ContractObject.select().where(
        ContractObject.contract == contract.id)}
    changed = False
    gone = [places[w] for w in places.keys() - wanted_places]
    if gone:
        ContractWerkadres.delete().where(ContractWerkadres.id.in_(gone)).execute()
        changed = True
    gone = [objects[o] for o in objects.keys() - wanted_objects]
    for chunk in _chunks(gone):
        ContractObject.delete().where(ContractObject.id.in_(chunk)).execute()
        changed = True
    new = sorted(wanted_places - places.keys())
    if new:
        ContractWerkadres.insert_many([(contract.id, w) for w in new],
                                      fields=[ContractWerkadres.contract,
                                              ContractWerkadres.werkadres]).execute()
        changed = True
    new = sorted(wanted_objects - objects.keys())
    for chunk in _chunks(new):
        ContractObject.insert_many([(contract.id, o) for o in chunk],
                                   fields=[ContractObject.contract, ContractObject.object]
                                   ).execute()
        changed = True
    return changed


def _chunks(ids: list, size: int = 500):
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


# --------------------------------------------------------------------------- checking


def _ids(value, label: str) -> tuple[list[int], str | None]:
    """The ids of a list (JSON numbers from the API, strings from a form), or the problem."""
    if value in (None, ""):
        return [], None
    if not isinstance(value, (list, tuple)):
        return [], f"Geef een lijst van {label}."
    ids = [parse_int(v) for v in value]
    if None in ids or any(i <= 0 for i in ids):
        return [], f"Geef een lijst van {label} (gehele getallen)."
    return list(dict.fromkeys(ids)), None


def _named(items: list[str], more: int) -> str:
    text = ", ".join(items)
    return f"{text} en nog {more}" if more else text


def check(data: dict, klant, current: Contract | None = None) -> tuple[dict, dict]:
    """(values, errors) for what the contract covers: `werkbon_per` ("datum" or "object"),
    `werkadres_ids` and `object_ids` (each must exist and belong to `klant`; a removed object or
    a werkadres no longer in use only where the contract being edited has it already). Values
    hold `werkbon_per`, `werkadressen` and `objecten` (rows); nothing is looked up without a
    klant (its own error says so)."""
    values, errors = {}, {}
    per = data.get("werkbon_per")
    if per in (None, ""):
        per = current.werkbon_per if current is not None else "datum"
    if per not in WERKBON_PER:
        errors["werkbon_per"] = WERKBON_PER_MESSAGE
        per = "datum"
    values["werkbon_per"] = per
    object_ids, problem = _ids(data.get("object_ids"), "object-id's")
    if problem:
        errors["object_ids"] = problem
    elif len(object_ids) > MAX_OBJECTS:
        errors["object_ids"] = f"Een contract dekt hooguit {MAX_OBJECTS} objecten."
        object_ids = []
    werkadres_ids, problem = _ids(data.get("werkadres_ids"), "werkadres-id's")
    if problem:
        errors["werkadres_ids"] = problem
    elif len(werkadres_ids) > MAX_OBJECTS:
        errors["werkadres_ids"] = f"Een contract dekt hooguit {MAX_OBJECTS} werkadressen."
        werkadres_ids = []
    if klant is None:
        return values, errors
    had = covered(current) if current is not None else Covered()
    objecten, problem = _check_objects(object_ids, klant, set(had.object_ids))
    if problem:
        errors["object_ids"] = problem
    werkadressen, problem = _check_werkadressen(werkadres_ids, klant, set(had.werkadres_ids))
    if problem:
        errors["werkadres_ids"] = problem
    if "object_ids" not in errors and "werkadres_ids" not in errors:
        values["objecten"], values["werkadressen"] = objecten, werkadressen
    return values, errors


def _check_objects(ids: list[int], klant, had: set[int]) -> tuple[list[Object], str | None]:
    found: dict[int, Object] = {}
    for chunk in _chunks(ids):
        for obj in (Object.select(Object, Werkadres, Objecttype).join(Werkadres).switch(Object)
                    .join(Objecttype).where(Object.id.in_(chunk))):
            found[obj.id] = obj
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        what = "Dit object bestaat" if len(unknown) == 1 else "Deze objecten bestaan"
        return [], f"{what} niet: {_named(unknown[:5], max(0, len(unknown) - 5))}."
    others = [o for o in found.values() if o.werkadres.klant_id != klant.id]
    if others:
        names = [o.number for o in sorted(others, key=lambda o: o.number)]
        what = "Object" if len(names) == 1 else "De objecten"
        verb = "hoort" if len(names) == 1 else "horen"
        return [], (f"{what} {_named(names[:5], max(0, len(names) - 5))} {verb} niet bij "
                    f"klant {klant.name}; kies objecten van deze klant.")
    removed = sorted(o.number for o in found.values()
                     if o.status == "verwijderd" and o.id not in had)
    if removed:
        return [], (f"Object {_named(removed[:5], max(0, len(removed) - 5))} is verwijderd en "
                    "krijgt geen werkbonnen meer; haal het uit de keuze.")
    return [found[i] for i in ids], None


def _check_werkadressen(ids: list[int], klant, had: set[int]):
    found = {w.id: w for chunk in _chunks(ids)
             for w in Werkadres.select().where(Werkadres.id.in_(chunk))}
    unknown = [str(i) for i in ids if i not in found]
    if unknown:
        what = "Dit werkadres bestaat" if len(unknown) == 1 else "Deze werkadressen bestaan"
        return [], f"{what} niet: {_named(unknown[:5], max(0, len(unknown) - 5))}."
    others = [w for w in found.values() if w.klant_id != klant.id]
    if others:
        return [], (f"Werkadres {others[0].label} hoort niet bij klant {klant.name}; kies een "
                    "werkadres van deze klant.")
    closed = [w for w in found.values() if not w.active and w.id not in had]
    if closed:
        return [], f"Werkadres {closed[0].label} is niet meer in gebruik."
    return [found[i] for i in ids], None


def id_lists(contract_ids: list[int]) -> dict[int, tuple[list[int], list[int]]]:
    """{contract id: (werkadres ids, object ids)} for many contracts in two queries (the API's
    pages of 200 contracts)."""
    found = {cid: ([], []) for cid in contract_ids}
    for chunk in _chunks(list(contract_ids)):
        for cid, wid in (ContractWerkadres.select(ContractWerkadres.contract,
                                                  ContractWerkadres.werkadres)
                         .where(ContractWerkadres.contract.in_(chunk)).tuples()):
            found[cid][0].append(wid)
        for cid, oid in (ContractObject.select(ContractObject.contract, ContractObject.object)
                         .where(ContractObject.contract.in_(chunk)).tuples()):
            found[cid][1].append(oid)
    for werkadressen, objecten in found.values():
        werkadressen.sort()
        objecten.sort()
    return found


# --------------------------------------------------------------------------- the wizard


def draft_tuple(contract: Contract) -> tuple[str, list[int], list[int]]:
    """(werkbon_per, werkadres ids, object ids): what wizard_form.from_contract puts in a draft."""
    covers = covered(contract)
    return covers.werkbon_per, covers.werkadres_ids, covers.object_ids


def klant_of(values: dict):
    from models.stamdata.klanten import Klant

    klant_id = parse_int(values.get("klant_id"))
    return Klant.get_or_none(Klant.id == klant_id) if klant_id is not None else None


def of_draft(values: dict, current: Contract | None = None) -> Covered | None:
    """What a wizard draft covers, as rows; None while it names something it may not (the
    werkbon step says what)."""
    data = {"werkbon_per": values.get("werkbon_per") or None,
            "object_ids": list(values.get("object_ids") or []),
            "werkadres_ids": list(values.get("werkadres_ids") or [])}
    checked, errors = check(data, klant_of(values), current)
    if errors or "objecten" not in checked:
        return None
    return Covered(checked["werkbon_per"], checked["werkadressen"], checked["objecten"])


def picker(values: dict, current: Contract | None = None) -> dict | None:
    """What the werkbon step's picker shows: the klant's werkadressen in use, each with its
    objecten (a removed object only where the contract has it already), which are ticked, the
    objecttypen there are, and which rows the filter (objecten_q) leaves visible. None without
    a klant."""
    klant = klant_of(values)
    if klant is None:
        return None
    chosen = {str(i) for i in values.get("object_ids") or []}
    places_chosen = {str(i) for i in values.get("werkadres_ids") or []}
    had = covered(current) if current is not None else Covered()
    werkadressen = [w for w in Werkadres.select().where(Werkadres.klant == klant.id)
                    .order_by(Werkadres.name, Werkadres.street, Werkadres.house_number,
                              Werkadres.id)
                    if w.active or str(w.id) in places_chosen or w.id in
                    {o.werkadres_id for o in had.objecten}]
    objects: dict[int, list[Object]] = {w.id: [] for w in werkadressen}
    for obj in (Object.select(Object, Objecttype).join(Objecttype)
                .where(Object.werkadres.in_(list(objects)))
                .order_by(Object.number, Object.id)):
        if obj.status != "verwijderd" or str(obj.id) in chosen or obj.id in had.object_ids:
            objects[obj.werkadres_id].append(obj)
    q = (values.get("objecten_q") or "").strip().lower()
    groups, types = [], {}
    for werkadres in werkadressen:
        rows = []
        place_hit = bool(q) and q in werkadres.label.lower()
        for obj in objects[werkadres.id]:
            types[obj.objecttype_id] = obj.objecttype.name
            text = " ".join((obj.number, obj.objecttype.name, obj.brand, obj.model,
                             obj.serial_number, obj.location)).lower()
            rows.append({"object": obj, "checked": str(obj.id) in chosen,
                         "visible": not q or place_hit or q in text})
        groups.append({"werkadres": werkadres, "checked": str(werkadres.id) in places_chosen,
                       "objects": rows, "chosen": sum(r["checked"] for r in rows),
                       "visible": not q or place_hit or any(r["visible"] for r in rows)})
    return {"klant": klant, "groups": groups, "q": q,
            "types": sorted(types.items(), key=lambda t: t[1].lower()),
            "chosen": len(chosen), "total": sum(len(g["objects"]) for g in groups),
            "shown": sum(r["visible"] for g in groups for r in g["objects"])}


SELECT_ACTIONS = ("alles-w", "geen-w", "type", "alles", "geen")


def select(values: dict, action: str, current: Contract | None = None) -> list[str]:
    """The object ids ticked after a selection button of the picker: "alles-w<id>" / "geen-w<id>"
    (every object of that werkadres on or off), "type" (every object of the type in
    `objecttype_kies` on), "alles" / "geen" (every object the filter shows on or off)."""
    chosen = [str(i) for i in values.get("object_ids") or []]
    shown = picker(values, current)
    if shown is None:
        return chosen
    rows = [(g["werkadres"].id, r) for g in shown["groups"] for r in g["objects"]
            if r["object"].status != "verwijderd"]
    if action.startswith(("alles-w", "geen-w")):
        werkadres_id = parse_int(action.split("-w", 1)[1])
        ids = [str(r["object"].id) for wid, r in rows if wid == werkadres_id]
    elif action == "type":
        wanted = parse_int(values.get("objecttype_kies"))
        ids = [str(r["object"].id) for _wid, r in rows if r["object"].objecttype_id == wanted]
    elif action in ("alles", "geen"):
        ids = [str(r["object"].id) for _wid, r in rows if r["visible"]]
    else:
        return chosen
    if action.startswith("geen"):
        return [i for i in chosen if i not in set(ids)]
    return chosen + [i for i in ids if i not in set(chosen)]
