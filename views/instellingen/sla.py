"""Instellingen > werktijden en SLA-beleid (beheerder). A policy in use is versioned on change:
werkbonnen keep the deadlines they were given; the planner first sees how many contracts the
change affects."""

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from peewee import IntegrityError

from models.common.validation import control_problem, whole
from models.contracts.tables import Contract
from models.db import audit, write_transaction
from models.sla import clock as sla_clock
from models.sla.tables import (
    DEFAULT_HOURS_TEXT,
    DEFAULT_WARN_SHARE,
    UNITS,
    SlaDoel,
    current_targets,
    current_version,
    get_setting,
    set_setting,
)
from models.stamdata.instellingen import Prioriteit, SlaBeleid
from views.access import requires_role
from views.render import render

# the longest target a clock is asked to run (longer: a deadline years away, or past the year
# 9999 for a deadline in business days, which crashed every storing under that policy)
MAX_TARGET = {"minuten": 100_000, "uren": 10_000, "dagen": 365}
HEAD_MAX_LEN = {"code": 30, "name": 120, "description": 500}

bp = Blueprint("sla", __name__, url_prefix="/instellingen")
DAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


@bp.before_request
@requires_role("beheerder")
def _beheerder_only():
    return None


@bp.route("/werktijden", methods=["GET", "POST"])
def werktijden():
    stored = {int(k): v for k, v in get_setting("werktijden", DEFAULT_HOURS_TEXT).items()}
    values = {str(d): stored.get(d, "") for d in range(7)}
    values["dreigt"] = str(round(float(get_setting("dreigt_aandeel", DEFAULT_WARN_SHARE)) * 100))
    errors = {}
    if request.method == "POST":
        values = {str(d): request.form.get(f"dag{d}", "").strip() for d in range(7)}
        values["dreigt"] = request.form.get("dreigt", "").strip()
        hours, day_errors = sla_clock.parse_hours({d: values[str(d)] for d in range(7)})
        errors = {f"dag{d}": message for d, message in day_errors.items()}
        if not errors and not any(hours.get(d) for d in range(7)):
            errors["dag0"] = "Vul voor minstens één dag werktijden in."
        share = values["dreigt"]
        if whole(share, 1, 90) is None:
            errors["dreigt"] = "Vul een percentage van 1 tot en met 90 in."
        if not errors:
            texts = sla_clock.hours_text(hours)
            with write_transaction():
                set_setting("werktijden", {str(d): texts.get(d, "") for d in range(7)})
                set_setting("dreigt_aandeel", int(share) / 100)
                audit.record("instellingen", 0, "werktijden gewijzigd", current_user.username,
                             {"werktijden": texts, "dreigt": int(share)})
            flash("De werktijden zijn opgeslagen.", "succes")
            return redirect(url_for("sla.werktijden"), 303)
    return render("instellingen/werktijden.html", values=values, errors=errors, days=DAYS,
                  status=422 if errors else 200)


@bp.route("/sla")
def sla_lijst():
    policies = [(b, current_targets(b), current_version(b), _in_use(b))
                for b in SlaBeleid.select().order_by(SlaBeleid.code)]
    return render("instellingen/sla_lijst.html", policies=policies)


def _in_use(beleid) -> int:
    return Contract.select().where(Contract.sla_beleid == beleid.id,
                                   Contract.terminated_on.is_null()).count()


def _prioriteiten():
    return list(Prioriteit.select().where(Prioriteit.active == True)  # noqa: E712
                .order_by(Prioriteit.rank))


def _read_targets(prioriteiten):
    rows, errors = {}, {}
    for prio in prioriteiten:
        key = str(prio.id)
        raw = {f: request.form.get(f"{f}_{key}", "").strip()
               for f in ("response", "resolution", "unit")}
        raw["business_hours"] = request.form.get(f"business_hours_{key}") == "1"
        rows[key] = raw
        most = MAX_TARGET.get(raw["unit"], MAX_TARGET["dagen"])
        response, resolution = whole(raw["response"], 1, most), whole(raw["resolution"], 1, most)
        if response is None:
            errors[f"response_{key}"] = f"Vul een heel getal van 1 tot en met {most} in."
        if resolution is None:
            errors[f"resolution_{key}"] = f"Vul een heel getal van 1 tot en met {most} in."
        elif response is not None and resolution < response:
            errors[f"resolution_{key}"] = "De oplostijd is korter dan de reactietijd."
        if raw["unit"] not in UNITS:
            errors[f"unit_{key}"] = "Kies minuten, uren of dagen."
    return rows, errors


@bp.route("/sla/nieuw", methods=["GET", "POST"])
@bp.route("/sla/<int:beleid_id>", methods=["GET", "POST"])
def sla_bewerken(beleid_id=None):
    beleid = SlaBeleid.get_or_none(SlaBeleid.id == beleid_id) if beleid_id else None
    if beleid_id and beleid is None:
        abort(404)
    prioriteiten = _prioriteiten()
    current = {str(t.prioriteit_id): t for t in current_targets(beleid)} if beleid else {}
    head = {"code": beleid.code if beleid else "", "name": beleid.name if beleid else "",
            "description": beleid.description if beleid else ""}
    rows = {str(p.id): {"response": str(current[str(p.id)].response) if str(p.id) in current
                        else "", "resolution": str(current[str(p.id)].resolution)
                        if str(p.id) in current else "",
                        "unit": current[str(p.id)].unit if str(p.id) in current else "uren",
                        "business_hours": current[str(p.id)].business_hours
                        if str(p.id) in current else True} for p in prioriteiten}
    errors, confirm = {}, None
    in_use = _in_use(beleid) if beleid else 0
    if request.method == "POST":
        head = {k: request.form.get(k, "").strip() for k in ("code", "name", "description")}
        rows, errors = _read_targets(prioriteiten)
        for key, most in HEAD_MAX_LEN.items():
            if problem := control_problem(head[key]):
                errors[key] = problem  # a NUL was a 500 on PostgreSQL
            elif len(head[key]) > most:
                errors[key] = f"Maximaal {most} tekens."  # longer: a 500 on PostgreSQL
        if not head["code"]:
            errors["code"] = "Vul een code in."
        if not head["name"]:
            errors["name"] = "Vul een naam in."
        if "code" not in errors:
            clash = SlaBeleid.select().where(SlaBeleid.code == head["code"])
            if beleid:
                clash = clash.where(SlaBeleid.id != beleid.id)
            if clash.exists():
                errors["code"] = "Deze code is al in gebruik."
        changed = beleid is None or any(
            str(p.id) not in current
            or (int(rows[str(p.id)]["response"] or 0), int(rows[str(p.id)]["resolution"] or 0),
                rows[str(p.id)]["unit"], rows[str(p.id)]["business_hours"])
            != (current[str(p.id)].response, current[str(p.id)].resolution,
                current[str(p.id)].unit, current[str(p.id)].business_hours)
            for p in prioriteiten) if not errors else False
        if not errors and changed and in_use and request.form.get("bevestigd") != "1":
            confirm = {"contracts": in_use, "version": current_version(beleid) + 1}
        elif not errors:
            try:
                beleid = _save(beleid, head, rows, prioriteiten, changed)
            except IntegrityError:
                errors["code"] = "Deze code is al in gebruik."
            else:
                versioned = f" (versie {current_version(beleid)})" if changed and in_use else ""
                flash(f"SLA-beleid {beleid.name} is opgeslagen{versioned}.", "succes")
                return redirect(url_for("sla.sla_lijst"), 303)
    return render("instellingen/sla_formulier.html", beleid=beleid, head=head, rows=rows,
                  prioriteiten=prioriteiten, errors=errors, confirm=confirm, in_use=in_use,
                  units=UNITS, status=422 if errors else 200)


def _save(beleid, head, rows, prioriteiten, changed):
    with write_transaction():
        if beleid is None:
            beleid = SlaBeleid.create(**head)
            action = "aangemaakt"
        else:
            SlaBeleid.update(**head).where(SlaBeleid.id == beleid.id).execute()
            action = "gewijzigd"
        if changed:
            version = current_version(beleid) + 1
            for prio in prioriteiten:
                row = rows[str(prio.id)]
                SlaDoel.create(sla_beleid=beleid, version=version, prioriteit=prio,
                               response=int(row["response"]), resolution=int(row["resolution"]),
                               unit=row["unit"], business_hours=row["business_hours"])
        audit.record("sla_beleid", beleid.id, action, current_user.username,
                     {**head, "targets": rows if changed else "ongewijzigd"})
    return SlaBeleid.get_by_id(beleid.id)
