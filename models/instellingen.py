"""Company settings the schedule engine reads: which holiday kinds count, and closure days."""

from peewee import BooleanField, CharField, DateField

from models.base import BaseModel


class HolidaySetting(BaseModel):
    kind = CharField(unique=True)  # a key of models.holiday_calendar.HOLIDAY_KINDS
    enabled = BooleanField()


class ClosureDay(BaseModel):
    """A day the company is closed (sluitingsdag): treated like a public holiday."""

    date = DateField(unique=True)
    description = CharField(default="")
