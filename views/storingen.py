"""Storing melden: an ad-hoc werkbon under a klant's correctief contract, with SLA deadlines."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, current_app, flash, request
from flask_login import current_user

from models.common.validation import whole
from models.contracts.tables import Contract
from models.sla import service as sla_service
from models.stamdata.instellingen import Prioriteit
from models.stamdata.klanten import Klant
from views.render import redirect_after_post, render

bp = Blueprint("storingen", __name__, url_prefix="/storingen")
TEMPLATE = "storingen/melden.html"


def _now():
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def _form(values: dict, errors: dict, status: int = 200):
    klanten = (Klant.select().join(Contract, on=(Contract.klant == Klant.id))
               .where(Contract.kind == "correctief", Contract.terminated_on.is_null(),
                      Klant.active == True).distinct().order_by(Klant.name))  # noqa: E712
    contracts = []
    if (klant_id := whole(values.get("klant_id", ""))) is not None:
        contracts = sla_service.correctief_contracts(klant_id)
        current = [c for c in contracts if sla_service.outside_period(c, _now().date()) is None]
        if not values.get("contract_id") and (current or contracts):
            # preselect the klant's contract that runs today (an expired one is refused)
            values["contract_id"] = str((current or contracts)[0].id)
    return render(TEMPLATE, block="contractkeuze" if request.args.get("alleen") == "contract"
                  else "formulier", status=status, values=values, errors=errors,
                  klanten=klanten, contracts=contracts,
                  prioriteiten=Prioriteit.select().where(Prioriteit.active == True)  # noqa: E712
                  .order_by(Prioriteit.rank))


@bp.route("/nieuw", methods=["GET", "POST"])
def melden():
    if request.method == "GET":
        values = {k: request.args.get(k, "") for k in ("klant_id", "contract_id")}
        values.setdefault("prioriteit", "Normaal")
        values["reported_at"] = _now().strftime("%Y-%m-%dT%H:%M")
        return _form(values, {})
    values = {k: request.form.get(k, "").strip() for k in sla_service.FIELDS}
    werkbon, errors = sla_service.create_storing(values, current_user.username, _now(),
                                                 current_app.config["TIMEZONE"])
    if errors:
        return _form(values, errors, 422)
    flash(f"Storing {werkbon.number} is gemeld.", "succes")
    return redirect_after_post(f"/werkbonnen/{werkbon.id}")
