"""Login (throttled), logout, the user's own password, and the role check views use."""

import hashlib
import ipaddress
import time
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from models.common.validation import control_problem
from models.db import audit, write_transaction
from models.stamdata import users
from models.stamdata.users import User
from views.limiter import Rule, limiter, minutes_text

bp = Blueprint("auth", __name__)

SAME_ANSWER = "Onbekende gebruikersnaam of verkeerd wachtwoord."
AUDIT_NAME_LENGTH = 100  # what a failed attempt keeps of the username that was tried


def _safe_next(target: str | None) -> str:
    if target and urlsplit(target).netloc == "" and target.startswith("/") \
            and not target.startswith("//"):
        return target
    return url_for("dashboard.index")


# --- throttling -----------------------------------------------------------------------------

def init_app(app) -> None:
    """The rules (per username, per client address) from the settings, read once: a setting
    that is not a rate stops the app from starting."""
    app.extensions["cadans_login_rules"] = (
        Rule.parse("LOGIN_LIMIT_USERNAME", app.config["LOGIN_LIMIT_USERNAME"]),
        Rule.parse("LOGIN_LIMIT_ADDRESS", app.config["LOGIN_LIMIT_ADDRESS"]))


def _rules() -> tuple[Rule, Rule]:
    return current_app.extensions["cadans_login_rules"]


def client_address() -> str:
    """The address failed logins are counted per: the client's (request.remote_addr is the
    proxy's unless PROXY_COUNT says how many proxies to look through); IPv6 per /64, the block
    one machine usually gets."""
    address = request.remote_addr or "onbekend"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def username_key(username: str) -> str:
    """The key a username is counted under: whatever its case or length, and without the name
    itself in Redis."""
    return hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]


def _throttled(template: str, status: int = 429, **context):
    seconds = context.pop("wait")
    error = f"Te veel mislukte pogingen. Probeer het over {minutes_text(seconds)} opnieuw."
    resp = make_response(render_template(template, throttled=error, **context), status)
    resp.headers["Retry-After"] = str(seconds)
    return resp


def _failed(username: str, user_id: int) -> None:
    """A wrong password (or unknown user) counts against the address; the username was counted
    when the attempt began. Recorded without the password, with a bounded piece of the name."""
    limiter().hit(_rules()[1], client_address())
    with write_transaction():
        audit.record("gebruiker", user_id, "aanmelding mislukt", "anoniem",
                     {"gebruikersnaam": username[:AUDIT_NAME_LENGTH], "adres": client_address()})


# --- views ----------------------------------------------------------------------------------

@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "GET":
        return render_template("auth/login.html", error=None, username="")
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    by_name, by_address = _rules()
    # The address is only asked (a success there must not count: a whole office may log in
    # from one address); the username's attempt is taken before the password is checked, so
    # parallel guesses cannot all slip in under the limit. Unknown and known names alike.
    wait = limiter().wait(by_address, client_address()) \
        or limiter().hit(by_name, username_key(username))
    if wait:
        return _throttled("auth/login.html", wait=wait, username=username)
    # a name with a control character is no user's (PostgreSQL cannot even compare one): it
    # is looked up as the empty name, which costs the same dummy hash check as any unknown name
    lookup = "" if control_problem(username) else username
    user = users.authenticate(lookup, password)
    if user is None:
        known = User.select(User.id).where(User.username == lookup).first()
        _failed(username, known.id if known else 0)
        return render_template("auth/login.html", error=SAME_ANSWER, username=username), 401
    limiter().clear(by_name, username_key(username))
    login_user(user)
    session["_started"] = int(time.time())
    with write_transaction():
        audit.record("gebruiker", user.id, "aangemeld", user.username,
                     {"adres": client_address()})
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
def logout():
    """Ends every session of this user, here and in any other browser (a new session key)."""
    users.end_sessions(current_user.id, "afgemeld", current_user.username,
                             {"adres": client_address()})
    logout_user()
    session.pop("_started", None)
    flash("U bent afgemeld.", "info")
    return redirect(url_for("auth.login"))


PASSWORD_FIELDS = ("huidig", "nieuw", "herhaal")


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
def wachtwoord():
    """The logged-in user's own password. Changing it ends their other sessions; this one goes
    on under the new session key. A wrong current password counts as a failed login."""
    if request.method == "GET":
        return render_template("auth/wachtwoord.html", errors={})
    form = {name: request.form.get(name, "") for name in PASSWORD_FIELDS}
    by_name = _rules()[0]
    key = username_key(current_user.username)
    wait = limiter().wait(by_name, key)
    if wait:
        return _throttled("auth/wachtwoord.html", wait=wait, errors={})
    errors = {}
    user = User.get_by_id(current_user.id)
    if not user.check_password(form["huidig"]):
        limiter().hit(by_name, key)
        errors["huidig"] = "Het huidige wachtwoord klopt niet."
    if len(form["nieuw"]) < users.MIN_PASSWORD_LENGTH:
        errors["nieuw"] = users.PASSWORD_TOO_SHORT
    elif form["herhaal"] != form["nieuw"]:
        errors["herhaal"] = "De twee wachtwoorden zijn niet gelijk."
    if errors:
        return render_template("auth/wachtwoord.html", errors=errors), 422
    saved = users.change_password(user.id, form["nieuw"], current_user.username,
                                        {"adres": client_address()})
    started = session.get("_started")
    login_user(saved)  # this session under the new key; the others hold the old one
    session["_started"] = started
    flash("Uw wachtwoord is gewijzigd. Op andere apparaten bent u afgemeld.", "info")
    return redirect(url_for("dashboard.index"), 303)
