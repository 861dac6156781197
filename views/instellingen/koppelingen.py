"""Instellingen > API-tokens and webhooks (beheerder): what integrations may do, and where
Cadans tells them what happened.

A new token and a webhook's (new) secret are shown once, on the page that answers the POST
(no redirect: the secret never goes into a cookie or a URL), with `Cache-Control: no-store`;
only the token's hash is kept. Rules live in models (stamdata.users.check_token, webhooks.*).
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from peewee import JOIN, fn

from jobs import enqueue
from models.db.base import utcnow
from models.stamdata import api_scopes, users
from models.stamdata.klanten import Klant
from models.stamdata.users import ApiToken, User
from models.webhooks import delivery, subscriptions
from models.webhooks.tables import EVENTS, Webhook, WebhookAttempt, WebhookDelivery
from views.access import requires_role
from views.render import render
from views.today import local_today

bp = Blueprint("koppelingen", __name__, url_prefix="/instellingen")
LOG_SIZE = 50  # deliveries on a webhook's page


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


def _no_store(resp):
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --------------------------------------------------------------------------- API-tokens


def _last_day(expires_at):
    """The last local day a token works (it stops at the start of the next one)."""
    if expires_at is None:
        return None
    tz = ZoneInfo(current_app.config["TIMEZONE"])
    local = expires_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(tz)
    return (local - timedelta(days=1)).date()


def _tokens_page(values=None, errors=None, new_token=None, status=200):
    now = utcnow()
    rows = (ApiToken.select(ApiToken, User, Klant).join(User).switch(ApiToken)
            .join(Klant, JOIN.LEFT_OUTER).order_by(ApiToken.revoked_at.is_null(False),
                                                    ApiToken.id.desc()))
    tokens = [{"row": t, "state": t.state(now), "scopes": api_scopes.describe(t.scope_set),
               "last_day": _last_day(t.expires_at)} for t in rows]
    values = values or {"name": "", "user_id": str(current_user.id), "scopes": [],
                        "klant": "", "expires": ""}
    people = User.select().where(User.active == True).order_by(User.username)  # noqa: E712
    return render("instellingen/api_tokens.html", tokens=tokens, values=values,
                  errors=errors or {}, new_token=new_token, people=people,
                  resources=api_scopes.RESOURCES, status=status)


@bp.route("/api-tokens")
def api_tokens():
    return _tokens_page()


@bp.route("/api-tokens", methods=["POST"])
def api_token_maken():
    values = {"name": request.form.get("name", ""), "user_id": request.form.get("user_id", ""),
              "scopes": request.form.getlist("scopes"),
              "klant": request.form.get("klant", "").strip(),
              "expires": request.form.get("expires", "")}
    klant_id, errors = None, {}
    if values["klant"]:
        klant = Klant.get_or_none(Klant.customer_number == values["klant"]) \
            if "\x00" not in values["klant"] else None
        if klant is None:
            errors["klant"] = "Geen klant met dit klantnummer."
        else:
            klant_id = klant.id
    clean, problems = users.check_token({**values, "klant_id": klant_id}, local_today(),
                                        current_app.config["TIMEZONE"])
    errors.update(problems)
    user_id = values["user_id"]
    user = User.get_or_none(User.id == int(user_id), User.active == True) \
        if user_id.isascii() and user_id.isdigit() and len(user_id) < 18 else None  # noqa: E712
    if user is None:
        errors["user_id"] = "Kies een actieve gebruiker."
    if errors:
        return _tokens_page(values, errors, status=422)
    token = ApiToken.issue(user, actor=current_user.username, **clean)
    return _no_store(_tokens_page(new_token={"token": token, "name": clean["name"]}))


@bp.route("/api-tokens/<int:token_id>/intrekken", methods=["POST"])
def api_token_intrekken(token_id):
    token = ApiToken.get_or_none(ApiToken.id == token_id)
    if token is None:
        abort(404)
    if users.revoke(token.id, current_user.username):
        flash(f"Het token {token.name or token.id} is ingetrokken; het werkt vanaf nu niet meer.",
              "succes")
    return redirect(url_for("koppelingen.api_tokens"), 303)


# --------------------------------------------------------------------------- webhooks


def _allow_private() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"))


def _webhooks_page(values=None, errors=None, new_secret=None, status=200):
    hooks = Webhook.select().order_by(Webhook.id)
    counts = {}
    for hook_id, state, count in (WebhookDelivery.select(WebhookDelivery.webhook,
                                                         WebhookDelivery.state,
                                                         fn.COUNT(WebhookDelivery.id))
                                  .group_by(WebhookDelivery.webhook, WebhookDelivery.state)
                                  .tuples()):
        counts.setdefault(hook_id, {})[state] = count
    values = values or {"url": "", "description": "", "events": []}
    return render("instellingen/webhooks.html", hooks=hooks, counts=counts, values=values,
                  errors=errors or {}, events=EVENTS, new_secret=new_secret, status=status)


def _form_values() -> dict:
    return {"url": request.form.get("url", ""), "description": request.form.get("description", ""),
            "events": request.form.getlist("events")}


@bp.route("/webhooks")
def webhooks():
    return _webhooks_page()


@bp.route("/webhooks", methods=["POST"])
def webhook_maken():
    values = _form_values()
    clean, errors = subscriptions.check(values, _allow_private())
    if errors:
        return _webhooks_page(values, errors, status=422)
    hook, secret = subscriptions.create(clean, current_user.username)
    return _no_store(_webhook_page(hook, new_secret=secret))


def _hook_or_404(hook_id: int) -> Webhook:
    hook = Webhook.get_or_none(Webhook.id == hook_id)
    if hook is None:
        abort(404)
    return hook


def _webhook_page(hook, values=None, errors=None, new_secret=None, status=200):
    log = list(WebhookDelivery.select().where(WebhookDelivery.webhook == hook.id)
               .order_by(WebhookDelivery.id.desc()).limit(LOG_SIZE))
    attempts = {}
    for attempt in (WebhookAttempt.select()
                    .where(WebhookAttempt.delivery.in_([d.id for d in log]))
                    .order_by(WebhookAttempt.delivery, WebhookAttempt.number)):
        attempts.setdefault(attempt.delivery_id, []).append(attempt)
    values = values or {"url": hook.url, "description": hook.description,
                        "events": hook.event_list, "active": hook.active}
    return render("instellingen/webhook.html", hook=hook, log=log, attempts=attempts,
                  values=values, errors=errors or {}, events=EVENTS, new_secret=new_secret,
                  now=utcnow(), status=status)


@bp.route("/webhooks/<int:hook_id>")
def webhook(hook_id):
    return _webhook_page(_hook_or_404(hook_id))


@bp.route("/webhooks/<int:hook_id>", methods=["POST"])
def webhook_opslaan(hook_id):
    hook = _hook_or_404(hook_id)
    values = {**_form_values(), "active": request.form.get("active") == "1"}
    clean, errors = subscriptions.check(values, _allow_private())
    if errors:
        return _webhook_page(hook, values, errors, status=422)
    subscriptions.update(hook, clean, values["active"], current_user.username)
    flash("De webhook is opgeslagen.", "succes")
    return redirect(url_for("koppelingen.webhook", hook_id=hook.id), 303)


@bp.route("/webhooks/<int:hook_id>/geheim", methods=["POST"])
def webhook_geheim(hook_id):
    hook = _hook_or_404(hook_id)
    secret = subscriptions.new_secret(hook, current_user.username)
    return _no_store(_webhook_page(Webhook.get_by_id(hook.id), new_secret=secret))


@bp.route("/webhooks/<int:hook_id>/verwijderen", methods=["POST"])
def webhook_verwijderen(hook_id):
    hook = _hook_or_404(hook_id)
    subscriptions.delete(hook, current_user.username)
    flash(f"De webhook naar {hook.url} is verwijderd, met zijn verzendingen.", "succes")
    return redirect(url_for("koppelingen.webhooks"), 303)


@bp.route("/webhooks/verzendingen/<int:delivery_id>/opnieuw", methods=["POST"])
def verzending_opnieuw(delivery_id):
    found = WebhookDelivery.get_or_none(WebhookDelivery.id == delivery_id)
    if found is None:
        abort(404)
    problem = delivery.resend(found.id, current_user.username)
    if problem:
        flash(problem, "fout")
    else:
        notice = enqueue.deliver_webhooks(current_app.config.get("REDIS_URL"))
        flash(notice or "De verzending gaat binnen enkele seconden opnieuw de deur uit.",
              "info" if notice else "succes")
    return redirect(url_for("koppelingen.webhook", hook_id=found.webhook_id), 303)
