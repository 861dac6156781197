"""The step-by-step contract form (blueprint "wizard", under /contracten). Each step is its own
URL (full page, or the #wizard fragment under htmx); the draft lives server-side per user, so
back/next, refresh and a closed tab never lose input. Routes, rendering and what the planner
sees when a save is refused; the steps check their part with the same functions the API uses
(models.contracts.draft_checks), and an edit is saved by models.facturatie.edit.save_edit
(models.werkbonnen.replan's, with the contract's termijnen).
"""

import json

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block

from jobs.enqueue import after_save
from models.contracts import changes, drafts, lifecycle
from models.contracts import service as contract_service
from models.contracts.checks import check
from models.contracts.coverage import SELECT_ACTIONS
from models.contracts.draft_checks import draft_input, kind_of, step_errors
from models.contracts.tables import Contract, ContractDraft
from models.contracts.wizard_form import (
    FIELDS,
    LIST_FIELDS,
    PLAN_STEP,
    merge_cadences,
    steps_for,
)
from models.db import write_transaction
from models.facturatie import edit as facturatie_edit
from models.facturatie import input as facturatie_input
from models.facturatie import service as facturatie
from models.werkbonnen import replan
from views.contracten.steps import (
    klant_options,
    medewerker_options,
    plan_preview,
    step_context,
)
from views.previews import preview_fragment
from views.render import htmx_redirect, is_htmx, render, wants_fragment
from views.today import local_today

bp = Blueprint("wizard", __name__, url_prefix="/contracten")
TEMPLATE = "contracten/wizard.html"


@bp.errorhandler(drafts.DraftGone)
def _draft_gone(gone: drafts.DraftGone):
    flash(gone.message, "info")
    target = url_for("contracten.detail", contract_id=gone.contract_id) if gone.contract_id \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


def _users_draft(draft_id: int) -> ContractDraft:
    """This user's draft, or: where a used-up draft went (DraftGone), or a 404."""
    draft = drafts.find(draft_id, current_user.id)
    if draft is None:
        gone = drafts.used_up(draft_id, current_user.username)
        if gone is not None:
            raise gone  # a used-up draft's URL leads to the contract it became
        if request.method == "POST":
            raise drafts.DraftGone()  # most likely the second click of a double click
        abort(404)
    return draft


def step_url(draft, step):
    return url_for("wizard.step", draft_id=draft.id, step=step)


def render_step(draft, step, values, errors, status=200, push=False, **extra):
    """The wizard at `step`: the whole page, or its #wizard block for htmx (`push`: with the
    step's URL for the address bar)."""
    ctx = step_context(draft, step, values, errors, local_today())
    ctx.update(extra)
    if wants_fragment():
        resp = render(TEMPLATE, block="wizard", status=status, **ctx)
        if push:
            resp.headers["HX-Push-Url"] = step_url(draft, step)
        return resp
    return render(TEMPLATE, status=status, **ctx)


def _to_step(draft, step, values):
    """After a POST that moves on: htmx gets the step in place, a plain form a redirect."""
    if is_htmx():
        return render_step(draft, step, values, {}, push=True)
    return redirect(step_url(draft, step), 303)


def _unsaved_draft() -> ContractDraft:
    """Step 1 of a new contract, before a type is chosen: no draft exists yet."""
    draft = ContractDraft(user=current_user.id, data="{}", step="type")
    draft.id = 0
    return draft


# --------------------------------------------------------------------------- routes


@bp.route("/nieuw", methods=["GET", "POST"])
def new():
    """Step 1 for a new contract: choosing a type creates the draft."""
    if request.method == "GET":
        return render_step(_unsaved_draft(), "type", {}, {})
    values = {"contracttype_id": request.form.get("contracttype_id", "")}
    errors = step_errors("type", values, None)
    if errors:
        return render_step(_unsaved_draft(), "type", values, errors, 422)
    draft = drafts.start_new(current_user.id, values["contracttype_id"], local_today())
    return _to_step(draft, "overeenkomst", draft.values)


@bp.route("/concept/<int:draft_id>/<step>", methods=["GET", "POST"])
def step(draft_id, step):
    draft = _users_draft(draft_id)
    values = draft.values
    steps = steps_for(kind_of(values))
    if step not in steps:
        abort(404)
    if request.method == "GET":
        return render_step(draft, step, values, {})
    action = request.form.get("actie", "volgende")
    index = steps.index(step)
    if action == "vorige":
        values = drafts.update(draft, step, request.form, move_to=steps[max(index - 1, 0)])
        return _to_step(draft, steps[max(index - 1, 0)], values)
    if action.startswith(SELECT_ACTIONS) and step == "werkbon":
        # a selection button of the objecten picker, without JavaScript: the step again
        values = drafts.update(draft, step, request.form, select=action)
        return render_step(draft, step, values, {})
    values = drafts.update(draft, step, request.form)
    if action in ("zoek-klant", "zoek-medewerker", "zoek-object") or (
            step == "schema" and action.startswith("onderdeel-")):
        # a search, or an onderdeel added or removed: the step again
        return render_step(draft, step, values, {})
    errors = step_errors(step, values, draft.contract)
    if step == "overeenkomst" and draft.contract is None:
        errors.update(facturatie_input.clean(values)[1])  # a new contract's price
    if errors:
        return render_step(draft, step, values, errors, 422)
    if step == "controle":
        return save(draft, values)
    drafts.resume_at(draft, steps[index + 1])
    return _to_step(draft, steps[index + 1], values)


@bp.route("/concept/<int:draft_id>/<step>/bewaren", methods=["POST"])
def autosave(draft_id, step):
    """Keeps what is typed (debounced by htmx) so a refresh or a closed tab loses nothing."""
    draft = _users_draft(draft_id)
    if step not in FIELDS:
        abort(404)
    drafts.update(draft, step, request.form)
    return "", 204


@bp.route("/concept/<int:draft_id>/voorbeeld")
def preview(draft_id):
    """The live preview of the plan step: side-effect free, the draft merged with the query."""
    draft = _users_draft(draft_id)
    values = dict(draft.values)
    for name in FIELDS["schema"] + FIELDS["aantal"]:
        if name in LIST_FIELDS:
            values[name] = request.args.getlist(name)
        elif name in request.args:
            values[name] = request.args.get(name, "")
    merge_cadences(values, request.args)
    plan_step = PLAN_STEP.get(kind_of(values) or "", "schema")
    if plan_step == "sla":
        abort(404)  # a storingsdienst has no dates to preview
    errors = step_errors(plan_step, values, draft.contract)
    ctx = plan_preview(values, local_today(), draft.contract)
    ctx["errors"] = errors
    if wants_fragment():
        return preview_fragment(ctx, plan_step)
    return render_step(draft, plan_step, values, errors, 422 if errors else 200)


@bp.route("/concept/<int:draft_id>/objecten", methods=["POST"])
def objecten(draft_id):
    """The werkbon step's picker of werkadressen and objecten, after its filter was typed in or
    one of its selection buttons pressed: the step's input is kept (as the autosave does) and
    the list comes back, filtered, with the selection applied. Without JavaScript those are
    submit buttons of the step itself."""
    draft = _users_draft(draft_id)
    action = request.form.get("actie", "")
    values = drafts.update(draft, "werkbon", request.form,
                           select=action if action.startswith(SELECT_ACTIONS) else None)
    if not wants_fragment():
        return redirect(step_url(draft, "werkbon"), 303)
    ctx = step_context(draft, "werkbon", values, {}, local_today())
    return render_block("contracten/_dekking.html", "lijst", **ctx)


@bp.route("/concept/<int:draft_id>/looptijd")
def term(draft_id):
    """The Looptijd panel of step 2, as the planner types the period."""
    draft = _users_draft(draft_id)
    values = dict(draft.values)
    for name in ("start_date", "end_date", "contractvoorwaarden_id"):
        if name in request.args:
            values[name] = request.args.get(name, "")
    ctx = step_context(draft, "overeenkomst", values, {}, local_today())
    if wants_fragment():
        return render_block("contracten/looptijd.html", "looptijd", **ctx)
    return render(TEMPLATE, **ctx)


@bp.route("/concept/<int:draft_id>/zoek/<what>")
def search(draft_id, what):
    draft = _users_draft(draft_id)
    q = request.args.get(f"{what}_q", "").strip()
    values = draft.values
    if what == "klant":
        ctx = {"klanten": klant_options(q, values.get("klant_id")), "values": values,
               "errors": {}}
        block = "klant_opties"
    elif what == "medewerker":
        ctx = {"medewerkers": medewerker_options(q, values.get("medewerker_id")),
               "values": values, "errors": {}}
        block = "medewerker_opties"
    else:
        abort(404)
    if wants_fragment():
        return render_block("contracten/zoekresultaten.html", block, **ctx)
    values = dict(values, **{f"{what}_q": q})
    return render_step(draft, "overeenkomst" if what == "klant" else "werkbon", values, {})


@bp.route("/concept/<int:draft_id>/weggooien", methods=["POST"])
def discard(draft_id):
    draft = _users_draft(draft_id)
    contract = draft.contract
    drafts.discard(draft, current_user.username)
    flash("Het concept is weggegooid.", "info")
    target = url_for("contracten.detail", contract_id=contract.id) if contract \
        else url_for("contracten.index")
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


@bp.route("/<int:contract_id>/bewerken", methods=["GET", "POST"])
def edit(contract_id):
    """POST (the Bewerken button, with its CSRF token) opens or resumes this user's draft. A GET
    changes nothing: it resumes a draft that exists, or shows the contract and its button (a
    link from elsewhere must not create drafts in the planner's name)."""
    contract = _contract(contract_id)
    draft = drafts.open_edit(contract, current_user.id, local_today(),
                             create=request.method == "POST")
    if draft is None:
        return redirect(url_for("contracten.detail", contract_id=contract.id))
    return redirect(step_url(draft, draft.step if draft.step != "type" else "overeenkomst"))


@bp.route("/<int:contract_id>/opnieuw", methods=["POST"])
def restart(contract_id):
    """A new draft with the same terms and details, starting the day after this one ends."""
    contract = _contract(contract_id)
    why = lifecycle.restart_refusal(contract)
    if why:  # it runs on: a second contract would overlap it and double its werkbonnen
        flash(why, "fout")
        return _back(url_for("contracten.detail", contract_id=contract.id))
    draft = drafts.restart(contract, current_user.id)
    flash(f"Nieuw contract op basis van {contract.number}: controleer de gegevens en sla op.",
          "info")
    return _back(step_url(draft, "overeenkomst"))


def _contract(contract_id) -> Contract:
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None:
        abort(404)
    return contract


def _back(url):
    return htmx_redirect(url) if is_htmx() else redirect(url, 303)


# --------------------------------------------------------------------------- saving


def save(draft: ContractDraft, values: dict):
    """Controle's Opslaan: a new contract, or the edit (with what it does to the werkbonnen,
    exactly as Controle showed it); then the worker is asked to generate."""
    current = draft.contract
    checked, errors = check(draft_input(values), current)
    if errors:
        return render_step(draft, "controle", values, errors, 422)
    terms, terms_errors = facturatie_input.clean(values) if current is None else (None, {})
    if terms_errors:
        return render_step(draft, "controle", values, terms_errors, 422)
    today = local_today()
    actor = current_user.username
    try:
        if current is None:
            with write_transaction():  # the contract and its price, or neither
                contract = drafts.save_new(draft, checked, actor, today)
                if terms["prijs_cents"] is not None:
                    facturatie.save_terms(contract.id, terms, None, actor, today)
            message = f"Contract {contract.number} is opgeslagen."
        else:
            # the same path as the API's PATCH
            contract = facturatie_edit.save_edit(
                current, checked, draft.base_version, actor, today,
                reassign=request.form.get("herverdelen") == "1",
                shown=request.form.get("gevolgen") or None,
                first=lambda: (drafts.use_up(draft, actor),
                               drafts.remember_saved(draft, actor, current.id)))
            message = f"Wijzigingen aan contract {contract.number} zijn opgeslagen."
    except contract_service.Conflict as conflict:
        return show_conflict(draft, values, conflict.current, today)
    except replan.PlanChanged:
        return show_changed_effect(draft, values)
    notice = after_save(contract, current_app.config.get("REDIS_URL"), today)
    flash(message, "succes")
    if notice:
        flash(notice, "info")
    target = url_for("contracten.detail", contract_id=contract.id)
    return htmx_redirect(target) if is_htmx() else redirect(target, 303)


def show_changed_effect(draft, values):
    """The Controle step again, with the effect as it is now: a werkbon changed since the
    planner looked (someone planned, moved or started one), so the save wrote nothing."""
    return render_step(draft, "controle", values, {}, 409, effect_changed=True)


def show_conflict(draft, values, current: Contract, today):
    """Another planner saved the contract first: nothing was saved; say what they changed,
    bring the draft onto their version (drafts.rebase) and show Controle again."""
    base = json.loads(values.get("_base") or "{}")
    changed = changes.readable_changes(
        contract_service.changes(base, contract_service.serialise(current, today)))
    errors = {"version": (
        f"Iemand anders heeft dit contract intussen opgeslagen (versie {current.version}). "
        "Uw wijzigingen zijn niet opgeslagen, zodat niets wordt overschreven.")}
    merged, clashes = drafts.rebase(draft, values, current, today)
    if merged is not None:
        values = merged
    return render_step(draft, "controle", values, errors, 409, conflict={
        "changes": changed, "version": current.version, "merged": merged is not None,
        "clashes": clashes})
