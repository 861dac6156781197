"""The subscriptions (Webhook), the outbox (WebhookDelivery: one row per webhook per event, the
unit that is retried) and the log of attempts (WebhookAttempt)."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from models.db.base import BaseModel, utcnow

# event: what it reports (Instellingen shows these). A new event is one line here and one
# `outbox.emit` call where the change happens.
EVENTS = {
    "werkbon.aangemaakt": "Een werkbon is aangemaakt (door de automatische ronde, een "
                          "contractwijziging of een gemelde storing).",
    "werkbon.gewijzigd": "Een werkbon is gewijzigd: toegewezen, ingepland, verplaatst, een "
                         "andere status, geannuleerd.",
    "werkbon.afgerond": "Een werkbon is afgerond (komt naast werkbon.gewijzigd).",
    "contract.aangemaakt": "Een contract is aangemaakt.",
    "contract.gewijzigd": "Een contract is gewijzigd (een nieuwe versie).",
    "contract.beeindigd": "Een contract is beëindigd.",
    "storing.gemeld": "Een storing is gemeld (komt naast werkbon.aangemaakt).",
}

MAX_ATTEMPTS = 12  # with delivery.BACKOFF: about a day


class Webhook(BaseModel):
    url = CharField(max_length=2000)
    description = CharField(default="")
    secret = CharField()  # "whsec_" + base64 of 32 random bytes; needed to sign, so kept as is
    events = TextField()  # the subscribed events, separated by spaces
    active = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)
    created_by = CharField(default="")

    @property
    def event_list(self) -> list[str]:
        return self.events.split()


class WebhookDelivery(BaseModel):
    """One event for one webhook: the body exactly as it is sent each time (its `message_id`
    is the `webhook-id` header, the same on every attempt, so a receiver can drop repeats)."""

    webhook = ForeignKeyField(Webhook, backref="deliveries", on_delete="CASCADE")
    event = CharField()
    message_id = CharField(unique=True)
    payload = TextField()
    state = CharField(default="pending")  # pending | delivered | failed
    attempts = IntegerField(default=0)
    max_attempts = IntegerField(default=MAX_ATTEMPTS)
    next_attempt_at = DateTimeField(default=utcnow)
    # a drain that took this row to send it, and until when (a drain that died lets go then)
    claim = CharField(null=True)
    claimed_until = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    delivered_at = DateTimeField(null=True)
    last_status = IntegerField(null=True)
    last_error = TextField(default="")

    class Meta:
        indexes = ((("state", "next_attempt_at"), False), (("webhook", "id"), False))


class WebhookAttempt(BaseModel):
    """One POST of a delivery: what the receiver answered (or why there was no answer)."""

    delivery = ForeignKeyField(WebhookDelivery, backref="attempt_rows", on_delete="CASCADE")
    number = IntegerField()
    at = DateTimeField(default=utcnow)
    duration_ms = IntegerField()
    status = IntegerField(null=True)
    error = TextField(default="")
    response = TextField(default="")  # the start of the receiver's answer

    class Meta:
        indexes = ((("delivery", "number"), False),)
