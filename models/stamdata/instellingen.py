"""Company settings: holiday kinds, closure days, and the lists contracts choose from."""

from peewee import BooleanField, CharField, DateField, ForeignKeyField, IntegerField, TextField

from models.db.base import BaseModel


class HolidaySetting(BaseModel):
    kind = CharField(unique=True)  # a key of models.schedule.holiday_calendar.HOLIDAY_KINDS
    enabled = BooleanField()


class ClosureDay(BaseModel):
    """A day the company is closed (sluitingsdag): treated like a public holiday."""

    date = DateField(unique=True)
    description = CharField(default="")


class Werktype(BaseModel):
    name = CharField(unique=True)
    default_duration = IntegerField(default=60)  # minutes
    active = BooleanField(default=True)


class Prioriteit(BaseModel):
    name = CharField(unique=True)
    rank = IntegerField(default=0)  # lower is more urgent
    active = BooleanField(default=True)


class Beeindigingsreden(BaseModel):
    """Why a contract ends early (configurable list)."""

    code = CharField(unique=True)
    text = CharField()
    active = BooleanField(default=True)


KINDS = {"preventief": "Preventief", "correctief": "Correctief (SLA)",
         "jaarlijks": "Jaarlijks aantal"}


class Contracttype(BaseModel):
    name = CharField(unique=True)
    kind = CharField()  # preventief | correctief | jaarlijks: decides the form steps
    description = CharField(default="")
    default_days_in_advance = IntegerField(default=14)
    default_werktype = ForeignKeyField(Werktype, null=True, on_delete="SET NULL")
    default_duration = IntegerField(null=True)
    active = BooleanField(default=True)


class Contractvoorwaarden(BaseModel):
    """Reusable terms. Terms used by an active contract are not edited in place ("copy as new")."""

    code = CharField(unique=True)
    name = CharField()
    description = TextField(default="")
    duration_months = IntegerField()
    auto_renew = BooleanField(default=False)
    renewal_months = IntegerField(default=12)
    notice_value = IntegerField(default=1)
    notice_unit = CharField(default="maanden")  # dagen | maanden
    invoice_period = CharField(default="jaar")  # maand | kwartaal | halfjaar | jaar
    active = BooleanField(default=True)


class SlaBeleid(BaseModel):
    """Response and resolution targets (the targets themselves arrive with the SLA issue)."""

    code = CharField(unique=True)
    name = CharField()
    description = TextField(default="")
    active = BooleanField(default=True)
