"""Instellingen (beheerder only): status panel, users, feestdagen and sluitingsdagen."""

import json
from datetime import date, datetime, time, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from jobs.status import health
from models.common.dutch_dates import short_date
from models.common.validation import DATE_RANGE_MESSAGE, control_problem, in_range, iso_date
from models.db import audit, write_transaction
from models.db.audit import AuditLog
from models.schedule.holiday_calendar import HOLIDAY_KINDS, free_days
from models.stamdata import calendar_store, users
from models.stamdata.instellingen import ClosureDay, HolidaySetting
from models.stamdata.users import User
from views.access import requires_role
from views.render import render
from views.today import local_today

bp = Blueprint("instellingen", __name__, url_prefix="/instellingen")


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


@bp.route("/")
def index():
    return _index_page()


def _index_page(errors: dict | None = None, status: int = 200):
    """`errors`: {user id: {field: message}} for the one user whose form was refused."""
    accounts = User.select().order_by(User.username)
    rows = (AuditLog.select().where(AuditLog.entity == "gebruiker")
            .order_by(AuditLog.id.desc()).limit(20))
    recent = [(row, json.loads(row.changes)) for row in rows]
    return render("instellingen/index.html", users=accounts, recent=recent,
                  user_errors=errors or {}, status=status)


def _user_or_404(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/gebruikers/<int:user_id>/deactiveren", methods=["POST"])
def gebruiker_deactiveren(user_id):
    """Deactivating ends the user's sessions and stops their API tokens; their name stays on
    what they did."""
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash("U kunt uzelf niet deactiveren.", "fout")
    elif users.set_active(user.id, False, current_user.username):
        flash(f"{user.username} is gedeactiveerd en overal afgemeld.", "succes")
    return redirect(url_for("instellingen.index"), 303)


@bp.route("/gebruikers/<int:user_id>/activeren", methods=["POST"])
def gebruiker_activeren(user_id):
    user = _user_or_404(user_id)
    if users.set_active(user.id, True, current_user.username):
        flash(f"{user.username} is weer actief en kan opnieuw inloggen.", "succes")
    return redirect(url_for("instellingen.index"), 303)


@bp.route("/gebruikers/<int:user_id>/wachtwoord", methods=["POST"])
def gebruiker_wachtwoord(user_id):
    """A new password for a user who forgot theirs; their sessions end. (Your own password:
    Wachtwoord in the header, which asks for the current one.)"""
    user = _user_or_404(user_id)
    if user.id == current_user.id:
        flash("Uw eigen wachtwoord wijzigt u onder Wachtwoord, met uw huidige wachtwoord.", "info")
        return redirect(url_for("auth.wachtwoord"), 303)
    password = request.form.get("nieuw", "")
    if len(password) < users.MIN_PASSWORD_LENGTH:
        return _index_page({user.id: {"nieuw": users.PASSWORD_TOO_SHORT}}, 422)
    users.change_password(user.id, password, current_user.username)
    flash(f"Het wachtwoord van {user.username} is ingesteld; {user.username} is overal "
          "afgemeld.", "succes")
    return redirect(url_for("instellingen.index"), 303)


@bp.route("/status")
def status():
    state = health(current_app.config.get("REDIS_URL"), detail=True)
    return render("instellingen/status.html", block="status", state=state)


@bp.route("/feestdagen")
def feestdagen():
    return _feestdagen_page({}, {})


def _feestdagen_page(errors, values, status=200):
    today = local_today()
    enabled = calendar_store.enabled_kinds()
    coming = sorted((d, r) for d, r in free_days(range(today.year, today.year + 2), enabled,
                                                 calendar_store.closure_days()).items()
                    if d >= today)[:20]
    closures = ClosureDay.select().order_by(ClosureDay.date)
    return render("instellingen/feestdagen.html", kinds=HOLIDAY_KINDS, enabled=enabled,
                  closures=closures, coming=coming, errors=errors, values=values, status=status)


@bp.route("/feestdagen", methods=["POST"])
def feestdagen_opslaan():

    chosen = set(request.form.getlist("kinds"))
    with write_transaction():
        before = calendar_store.enabled_kinds()
        for key, _label, _default in HOLIDAY_KINDS:
            (HolidaySetting.insert(kind=key, enabled=key in chosen)
             .on_conflict(conflict_target=[HolidaySetting.kind],
                          update={HolidaySetting.enabled: key in chosen})
             .execute())
        after = calendar_store.enabled_kinds()
        if before != after:
            audit.record("instellingen", 0, "feestdagen gewijzigd", current_user.username,
                         {"aan": sorted(after - before), "uit": sorted(before - after)})
    flash("De feestdagen zijn opgeslagen.", "succes")
    return redirect(url_for("instellingen.feestdagen"), 303)


@bp.route("/sluitingsdagen", methods=["POST"])
def sluitingsdag_toevoegen():
    values = {"date": request.form.get("date", "").strip(),
              "description": request.form.get("description", "").strip()}
    errors = {}
    day = iso_date(values["date"])
    if day is None:
        errors["date"] = "Vul een geldige datum in." if values["date"] else "Vul een datum in."
    elif not in_range(day):
        errors["date"] = DATE_RANGE_MESSAGE
    if problem := control_problem(values["description"]):
        errors["description"] = problem
    elif len(values["description"]) > 80:
        errors["description"] = "Maximaal 80 tekens."
    waiting = 0
    if not errors:
        try:
            with write_transaction():
                row = ClosureDay.create(date=day, description=values["description"])
                audit.record("sluitingsdag", row.id, "aangemaakt", current_user.username, values)
                # what the beheerder is told is worked out before the commit: a failure
                # there (it overflowed on 9999-12-31) undoes the insert instead of answering
                # "er is niets opgeslagen" over a saved day
                waiting = _werkbonnen_on(day)
        except IntegrityError:
            errors["date"] = "Deze dag is al een sluitingsdag."
    if errors:
        return _feestdagen_page(errors, values, 422)
    flash("De sluitingsdag is toegevoegd.", "succes")
    if waiting:
        # werkbonnen already made stay where they are (a contract edit would move them); the
        # beheerder is told, so nobody is sent out on a day the company is closed
        flash(f"Op {short_date(day)} staan al {waiting} werkbon{'nen' if waiting != 1 else ''} "
              "(gepland of met die dag als datum). Ze blijven staan: verplaats ze zo nodig "
              "via Werkbonnen (filter op die datum) of het planbord.", "info")
    return redirect(url_for("instellingen.feestdagen"), 303)


def _werkbonnen_on(day: date) -> int:
    """Werkbonnen not done or cancelled that fall on `day` (by date or planned start)."""
    from models.werkbonnen.tables import CLOSED, Werkbon

    start = datetime.combine(day, time())
    return (Werkbon.select()
            .where(Werkbon.status.not_in(CLOSED),
                   (Werkbon.due_date == day)
                   | ((Werkbon.planned_start >= start)
                      & (Werkbon.planned_start < start + timedelta(days=1))))
            .count())


@bp.route("/sluitingsdagen/<int:day_id>/verwijderen", methods=["POST"])
def sluitingsdag_verwijderen(day_id):

    with write_transaction():
        row = ClosureDay.get_or_none(ClosureDay.id == day_id)
        if row is None:
            abort(404)
        audit.record("sluitingsdag", row.id, "verwijderd", current_user.username,
                     {"date": row.date, "description": row.description})
        row.delete_instance()
    flash("De sluitingsdag is verwijderd.", "succes")
    return redirect(url_for("instellingen.feestdagen"), 303)
