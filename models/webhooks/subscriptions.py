"""A beheerder's webhooks: checked, saved with an audit row, a secret made (and shown once)."""

from models.common.validation import control_problem
from models.db import audit, write_transaction
from models.webhooks import send
from models.webhooks.tables import EVENTS, Webhook

MAX_DESCRIPTION = 120


def check(values: dict, allow_private: bool) -> tuple[dict, dict]:
    """(columns, errors) from the form: `url`, `description`, `events` (a list)."""
    errors, clean = {}, {}
    url = (values.get("url") or "").strip()
    if not url:
        errors["url"] = "Vul het adres in waar Cadans de events naartoe stuurt."
    elif problem := send.check_url(url, allow_private):
        errors["url"] = problem
    clean["url"] = url
    description = (values.get("description") or "").strip()
    if problem := control_problem(description):
        errors["description"] = problem
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"Maximaal {MAX_DESCRIPTION} tekens."
    clean["description"] = description
    chosen = [e for e in EVENTS if e in set(values.get("events") or ())]
    unknown = set(values.get("events") or ()) - set(EVENTS)
    if unknown or not chosen:
        errors["events"] = "Kies minstens één event." if not unknown else "Onbekend event."
    clean["events"] = " ".join(chosen)
    return clean, errors


def create(clean: dict, actor: str) -> tuple[Webhook, str]:
    """Save a checked webhook; returns it and its secret (shown to the beheerder once)."""
    secret = send.new_secret()
    with write_transaction():
        hook = Webhook.create(secret=secret, created_by=actor, **clean)
        audit.record("webhook", hook.id, "aangemaakt", actor, clean)
    return hook, secret


def update(hook: Webhook, clean: dict, active: bool, actor: str) -> None:
    with write_transaction():
        before = {"url": hook.url, "description": hook.description, "events": hook.events,
                  "active": hook.active}
        after = {**clean, "active": active}
        Webhook.update(**after).where(Webhook.id == hook.id).execute()
        changes = audit.diff(before, after)
        if changes:
            audit.record("webhook", hook.id, "gewijzigd", actor, changes)


def new_secret(hook: Webhook, actor: str) -> str:
    """A new secret, from the next attempt on (the receiver needs it at once)."""
    secret = send.new_secret()
    with write_transaction():
        Webhook.update(secret=secret).where(Webhook.id == hook.id).execute()
        audit.record("webhook", hook.id, "nieuw geheim", actor)
    return secret


def delete(hook: Webhook, actor: str) -> None:
    """The webhook goes, with its deliveries and their log (ON DELETE CASCADE)."""
    with write_transaction():
        audit.record("webhook", hook.id, "verwijderd", actor, {"url": hook.url})
        hook.delete_instance()
