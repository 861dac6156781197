"""Werkbonnen (work orders) and the record of each generation run."""

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from models.contracts.tables import Contract
from models.db.base import BaseModel, utcnow
from models.objecten.tables import Object, Werkadres
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen.plan import STARTED  # noqa: F401 - the one list; the pure planner needs it too

STATUSES = {
    "open": "Open",
    "ingepland": "Ingepland",
    "onderweg": "Onderweg",
    "in_uitvoering": "In uitvoering",
    "afgerond": "Afgerond",
    "geannuleerd": "Geannuleerd",
}
# which status a planner (or the API) may move a werkbon to, from each status
TRANSITIONS = {
    "open": {"ingepland", "onderweg", "geannuleerd"},
    "ingepland": {"open", "onderweg", "in_uitvoering", "geannuleerd"},
    "onderweg": {"ingepland", "in_uitvoering", "geannuleerd"},
    "in_uitvoering": {"afgerond", "onderweg"},
    "afgerond": {"in_uitvoering"},  # heropenen: afgerond by mistake, or the work is not done
    "geannuleerd": {"open"},
}
CLOSED = ("afgerond", "geannuleerd")  # nothing more happens to these


class Werkbon(BaseModel):
    number = CharField(unique=True)  # W-2026-000001
    # the references and the status are indexed together with the list order (LIST_INDEXES)
    contract = ForeignKeyField(Contract, null=True, backref="werkbonnen", on_delete="RESTRICT",
                               index=False)
    klant = ForeignKeyField(Klant, on_delete="RESTRICT", index=False)
    due_date = DateField(null=True)  # the occurrence date (NOT NULL for generated ones: CHECK)
    generated_on = DateField(null=True)
    status = CharField(default="open")
    medewerker = ForeignKeyField(Medewerker, null=True, on_delete="RESTRICT", index=False)
    planned_start = DateTimeField(null=True)  # local date-time
    duration_minutes = IntegerField(default=60)
    description = CharField(default="")
    werktype = CharField(default="")
    prioriteit = CharField(default="")
    internal_note = TextField(default="")
    changed_by_hand = BooleanField(default=False)
    cancel_reason = CharField(default="")
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    # SLA (storingen under a correctief contract); moments stored as naive UTC
    reported_at = DateTimeField(null=True)
    response_due = DateTimeField(null=True)
    resolve_due = DateTimeField(null=True)
    responded_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    sla_version = IntegerField(null=True)
    sla_business_hours = BooleanField(null=True)
    # A protected werkbon that no longer fits the schedule after an edit stands in for the
    # nearest new date (models/werkbonnen/plan.py): that date gets no werkbon of its own, now or
    # when the worker reaches it later.
    stands_for = DateField(null=True)
    # Where the work is done (None: the klant's own address) and which part of the contract this
    # werkbon is for: "" the whole contract, or a key the planner (models/werkbonnen/plan.py)
    # gives each werkadres or object it makes werkbonnen for. Part of the unique key below, so
    # NOT NULL (a NULL in a unique key lets duplicates through).
    werkadres = ForeignKeyField(Werkadres, null=True, on_delete="RESTRICT")
    slot = CharField(default="", constraints=[SQL("DEFAULT ''")])
    # the day it was done (status afgerond): a floating cadence ("na afronding") counts from it
    completed_on = DateField(null=True)

    # What a werkbonnen list row shows of the related rows, under the names ListRow
    # (models/werkbonnen/pager.py) reads them from its one joined query.
    @property
    def klant_name(self) -> str:
        return self.klant.name

    @property
    def klant_address(self) -> str:
        return self.klant.address

    @property
    def contract_number(self) -> str | None:
        return self.contract.number if self.contract_id else None

    @property
    def medewerker_name(self) -> str | None:
        return self.medewerker.name if self.medewerker_id else None

    class Meta:
        indexes = (
            (("due_date", "id"), False),  # list order and keyset pagination
            (("medewerker", "planned_start"), False),  # planbord
        )
        # a generated werkbon (contract, no storing) always has its occurrence date
        constraints = [SQL("CHECK (contract_id IS NULL OR due_date IS NOT NULL "
                           "OR reported_at IS NOT NULL)")]


# One generated werkbon per (contract, occurrence date, slot): the database decides, not the
# worker. Storingen (reported_at set) are outside the key: a klant may report two faults on one
# day.
GENERATED_KEY_WHERE = "reported_at IS NULL"
GENERATED_KEY = "werkbon_contract_id_due_date_slot"
Werkbon.add_index(Werkbon.index(Werkbon.contract, Werkbon.due_date, Werkbon.slot, unique=True,
                                where=SQL(GENERATED_KEY_WHERE), name=GENERATED_KEY))
# the werkbonnen done at a werkadres (its page, the list's filter)
Werkbon.add_index(Werkbon.index(Werkbon.werkadres, Werkbon.due_date, where=SQL(
    "werkadres_id IS NOT NULL"), name="werkbon_werkadres_id_due_date"))
# The werkbonnen still to do (not afgerond, not geannuleerd) in list order: the werkbonnen list
# opens on them (te laat first), and a year of finished history must not be walked to get there.
# The condition is written out, not bound: SQLite uses a partial index only for a query whose
# WHERE has the same term with the same literals (OPEN_CONDITION).
OPEN_WHERE = "status NOT IN ('afgerond', 'geannuleerd')"
OPEN_CONDITION = Werkbon.status.not_in(SQL("('afgerond', 'geannuleerd')"))
OPEN_INDEX = "werkbon_open_due_date_id"
Werkbon.add_index(Werkbon.index(Werkbon.due_date, Werkbon.id, where=SQL(OPEN_WHERE),
                                name=OPEN_INDEX))
# Each filter of the werkbonnen list, followed by the list order: a filtered page is a seek to
# the filter's value and the cursor, then `limit` reads in order (models/werkbonnen/pager.py),
# however rare or common the value. They replace the single-column indexes these columns had
# (an equality on the first column still uses them: foreign-key checks, the dashboard's counts),
# so a werkbon written costs no more index entries than before. Migration 18.
LIST_INDEXES = {f"werkbon_{column}_due_date_id": column
                for column in ("status", "medewerker_id", "contract_id", "klant_id")}
REPLACED_INDEXES = ("werkbon_status", "werkbon_medewerker_id", "werkbon_contract_id",
                    "werkbon_klant_id")
for _name, _column in LIST_INDEXES.items():
    Werkbon.add_index(Werkbon.index(Werkbon._meta.columns[_column], Werkbon.due_date, Werkbon.id,
                                    name=_name))
# "Te doen" of one medewerker (a planner's own list): the medewerker's index above reads their
# whole history (nine in ten afgerond) before the first open werkbon, 23,000 rows and 5 ms at a
# million werkbonnen; this one holds their open werkbonnen only. Migration 18.
OPEN_MEDEWERKER_INDEX = "werkbon_open_medewerker_id_due_date_id"
Werkbon.add_index(Werkbon.index(Werkbon.medewerker, Werkbon.due_date, Werkbon.id,
                                where=SQL(OPEN_WHERE), name=OPEN_MEDEWERKER_INDEX))
# the few stand-ins, read per batch by the sweep
STAND_IN_WHERE = "stands_for IS NOT NULL"
Werkbon.add_index(Werkbon.index(Werkbon.stands_for, Werkbon.contract, where=SQL(STAND_IN_WHERE)))


class GenerationRun(BaseModel):
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    today = DateField()
    trigger = CharField(default="sweep")  # sweep | contract | cli | edit
    contracts_seen = IntegerField(default=0)
    created = IntegerField(default=0)
    moved = IntegerField(default=0)
    cancelled = IntegerField(default=0)
    notes = TextField(default="{}")  # per contract: why nothing happened
    error = TextField(default="")


class WerkbonObject(BaseModel):
    """An object a werkbon is for: one with "werkbon per object", all of its werkadres's covered
    objects with "werkbon per datum". The object's service history reads these.

    `due_date` is the werkbon's own due_date, kept here so that the object's history, newest
    first, is read in order from the (object, due_date, werkbon) index: a page of 25 reads 25
    rows, not every werkbon the object ever had (models/werkbonnen/object_history.py). Every
    writer sets it with the link (materialise._link, replan's relink) and replan's move changes
    it with the werkbon's date; those are the only places a linked werkbon's date changes.
    Migration 19.

    `werkbon_open` says whether the werkbon is still to do (its status not in CLOSED), so the
    object page's "Open werkbonnen" reads the few open links from their own partial index
    instead of every werkbon the object ever had (an object with 500 werkbonnen of history:
    500 werkbon rows read for the 4 open ones). A new link is open (the column's default: the
    sweep links werkbonnen it just made), replan's relink writes it from the werkbon's status,
    and a status change keeps it by trigger (`open_link_trigger_sql`): a werkbon's status is
    changed in many places (planbord, werkbon page, API, storingen, edits, ending a contract),
    and a trigger cannot be forgotten by the next one. Migration 20."""

    werkbon = ForeignKeyField(Werkbon, backref="object_links", on_delete="CASCADE")
    object = ForeignKeyField(Object, backref="werkbon_links", on_delete="RESTRICT")
    due_date = DateField()
    werkbon_open = BooleanField(default=True, constraints=[SQL("DEFAULT TRUE")])

    class Meta:
        indexes = ((("werkbon", "object"), True), (("object", "due_date", "werkbon"), False))


# the index the history reads (also every "werkbonnen of this object" lookup: object_id first)
HISTORY_INDEX = "werkbon_object_object_id_due_date_werkbon_id"
# the object's open werkbonnen, soonest first (object_history.open_werkbonnen). Written out as
# SQL, not bound: SQLite uses a partial index only for a query with the same term.
OPEN_LINK_WHERE = "werkbon_open"
OPEN_LINK_INDEX = "werkbon_object_open_object_id_due_date_werkbon_id"
WerkbonObject.add_index(WerkbonObject.index(WerkbonObject.object, WerkbonObject.due_date,
                                            WerkbonObject.werkbon, where=SQL(OPEN_LINK_WHERE),
                                            name=OPEN_LINK_INDEX))
_CLOSED_SQL = ", ".join(f"'{status}'" for status in CLOSED)


def open_link_trigger_sql(sqlite: bool) -> list[str]:
    """The trigger that keeps werkbon_object.werkbon_open when a werkbon's status crosses
    between open and closed (and only then: a werkbon moving from open to ingepland writes
    nothing). Inserts have none (see WerkbonObject)."""
    crossed = (f"(OLD.status IN ({_CLOSED_SQL})) <> (NEW.status IN ({_CLOSED_SQL}))")
    update = (f"UPDATE werkbon_object SET werkbon_open = (NEW.status NOT IN ({_CLOSED_SQL})) "
              "WHERE werkbon_id = NEW.id")
    if sqlite:
        return [f"CREATE TRIGGER IF NOT EXISTS werkbon_object_open AFTER UPDATE OF status ON "
                f"werkbon WHEN {crossed} BEGIN {update}; END"]
    return [
        "CREATE OR REPLACE FUNCTION werkbon_object_open() RETURNS trigger LANGUAGE plpgsql "
        f"AS $$\nBEGIN\n  {update};\n  RETURN NULL;\nEND\n$$",
        "DROP TRIGGER IF EXISTS werkbon_object_open ON werkbon",
        "CREATE TRIGGER werkbon_object_open AFTER UPDATE OF status ON werkbon FOR EACH ROW "
        f"WHEN ({crossed}) EXECUTE FUNCTION werkbon_object_open()",
    ]
