"""Number sequences (werkbon numbers per year, draft ids), reserved in blocks inside the caller's
write transaction. Generic on purpose: the werkbon numbers and the contract drafts both count
here, and neither table module has to import the other for it."""

from peewee import CharField, IntegerField

from models.db.base import BaseModel


class Counter(BaseModel):
    """One named sequence and the last number handed out."""

    name = CharField(primary_key=True)
    value = IntegerField(default=0)


def reserve(name: str, count: int = 1, floor=lambda: 0) -> int:
    """The first of `count` new numbers of sequence `name`, inside the caller's write transaction.
    A sequence that does not exist yet starts after `floor()` (the highest number in use)."""
    if not Counter.update(value=Counter.value + count).where(Counter.name == name).execute():
        Counter.insert(name=name, value=floor() + count).on_conflict(
            conflict_target=[Counter.name], update={Counter.value: Counter.value + count}).execute()
    return Counter.get(Counter.name == name).value - count + 1
