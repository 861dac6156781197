"""Contracten: the list, the contract page with its timeline, and ending or deleting a contract
(two steps each: first what it does, then doing it). Opening the wizard for a new contract,
an edit or a restart is views/contracten/wizard.py."""

import json
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user
from peewee import JOIN

from models.common.dutch_dates import count, short_date
from models.common.validation import whole
from models.contracts import coverage as contract_coverage
from models.contracts import lifecycle
from models.contracts import service as contract_service
from models.contracts.tables import WERKBON_PER, Contract, ContractDraft, with_terms
from models.db import audit, fulltext, paging
from models.db.base import utcnow
from models.facturatie import edit as facturatie_edit
from models.schedule import preview as schedule_preview
from models.stamdata import calendar_store
from models.stamdata.instellingen import Beeindigingsreden, Contractvoorwaarden
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import coming, contract_end
from models.werkbonnen.plan import first_day
from models.werkbonnen.tables import STATUSES as WERKBON_STATUSES
from models.werkbonnen.tables import GenerationRun, Werkbon
from views.render import htmx_redirect, is_htmx, render, wants_fragment
from views.today import local_today
from views.weeks import week_key

bp = Blueprint("contracten", __name__, url_prefix="/contracten")
PAGE_SIZE = 25
SEARCH_LIMIT = 1000  # the most contracts (and klanten) a search finds
SORTS = {"nummer": (Contract.number,), "klant": (Klant.name, Contract.id),
         "start": (Contract.start_date, Contract.id)}


def _get(contract_id) -> Contract:
    contract = Contract.get_or_none(Contract.id == contract_id)
    if contract is None:
        abort(404)
    return contract


@bp.route("/")
def index():
    today = local_today()
    q = request.args.get("q", "").strip()
    filters = {k: request.args.get(k, "") for k in ("type", "status", "medewerker")}
    sort = request.args.get("sort", "nummer")
    if sort not in SORTS:
        sort = "nummer"
    query = with_terms(Contract.select(Contract, Klant, Contractvoorwaarden).join(Klant)
                       .switch(Contract).join(Medewerker, JOIN.LEFT_OUTER).switch(Contract))
    if q:  # the full-text indexes (models/db/fulltext.py): number, klant, description
        klanten = fulltext.matching_ids("klant", q, "text", SEARCH_LIMIT)
        ids = fulltext.matching_ids("contract", q, "number", SEARCH_LIMIT) \
            + fulltext.matching_ids("contract", q, "text", SEARCH_LIMIT)
        query = query.where(Contract.id.in_(ids) | Contract.klant.in_(klanten))
    if filters["type"] in ("preventief", "correctief", "jaarlijks"):
        query = query.where(Contract.kind == filters["type"])
    condition = contract_service.status_condition(filters["status"], today)
    if condition is not None:
        query = query.where(condition)
    if (medewerker_id := whole(filters["medewerker"])) is not None:
        query = query.where(Contract.medewerker == medewerker_id)
    try:
        rows, next_cursor = paging.page(query, list(SORTS[sort]), request.args.get("cursor"),
                                        PAGE_SIZE)
    except (paging.BadCursor, ValueError):
        rows, next_cursor = paging.page(query, list(SORTS[sort]), None, PAGE_SIZE)
    free = calendar_store.free_days()
    items = [{"contract": c, "status": contract_service.status_of(c, today),
              "sentence": sentence(c, lifecycle.DEFAULT_POLICIES),
              "next": next_date(c, free, today)}
             for c in rows]
    drafts = ContractDraft.select().where(ContractDraft.user == current_user.id,
                                          ContractDraft.contract.is_null())
    return render("contracten/lijst.html", block="resultaten", items=items, q=q,
                  filters=filters, sort=sort, next_cursor=next_cursor, drafts=drafts,
                  medewerkers=Medewerker.select().where(Medewerker.active == True)  # noqa: E712
                  .order_by(Medewerker.name), statuses=lifecycle.STATUSES)


def sentence(contract: Contract, usual: dict | None = None) -> str:
    """The schedule in words; `usual`: the policies not to repeat (a list's rows)."""
    schedule = contract.schedule()
    if schedule is not None:
        return lifecycle.schedule_sentence(contract.visits_per_year, schedule, usual)
    if contract.kind == "correctief":
        sla = f" — SLA {contract.sla_beleid.name}" if contract.sla_beleid_id else ""
        return f"Storingsdienst{sla}"
    return ""


def next_date(contract: Contract, free, today: date):
    """The contract's next date, all its onderdelen together."""
    found = coming.next_dates(contract, free, max(today, contract.start_date), 1)
    return found[0] if found else None


def onderdelen_overview(contract: Contract, free, today: date) -> list[dict]:
    """The contract page's onderdelen: each one's sentence, and for a floating one the next date
    to expect and that it floats (assuming each visit is completed on its due date)."""
    from models.contracts.onderdelen import sentence as cadence_sentence
    from models.schedule.cadence import floating_wanted, moved, projected
    from models.werkbonnen.materialise import chains_of

    cadences = contract.cadences()
    if not cadences:
        return []
    chains = chains_of(contract, cadences)
    first = first_day(contract.generate_from, contract.start_date)
    found = []
    for cadence in cadences:
        row = {"name": cadence.name, "rank": cadence.rank, "sentence": cadence_sentence(cadence),
               "floating": cadence.floating, "expected": None, "waits_for": None}
        if cadence.floating:
            links = [link for slot, chain in chains.items()
                     if slot.rpartition("#")[2] == cadence.key for link in chain]
            wanted, following = floating_wanted(cadence, links, first, free)
            if following is not None:
                row["expected"] = following
            elif wanted:
                waiting = max(d for d in wanted)
                row["waits_for"] = waiting
                after = moved(cadence.schedule, waiting, free)
                nxt = projected(cadence, after, free, 1) if after else []
                row["expected"] = nxt[0] if nxt else None
        found.append(row)
    return found


@bp.route("/<int:contract_id>")
def detail(contract_id):
    return _detail(_get(contract_id))


# --------------------------------------------------------------------------- the timeline

JUST_SAVED = timedelta(seconds=60)  # how long "Werkbonnen worden gemaakt…" may say so
POLL_FAST, POLL_SLOW = "1s", "30s"  # the timeline asks again after this (htmx load delay)
SHOWN = 24  # the werkbonnen the timeline lists (the newest; the list has them all)


def progress(contract: Contract, today: date, free) -> dict:
    """Where this contract's werkbonnen stand, decided from the database (never from Redis):
    a date whose werkbon is due by today but not made yet (past `generated_through`) means the
    worker still has to make it, "klaar" otherwise, with the next date still to come. While
    something is due the timeline asks again: every second right after a save, every 30
    seconds when the worker or the queue is not there (said, not spun), the next sweep is
    awaited, or the last run could not do this contract."""
    schedule = contract.schedule()
    if schedule is None:
        return {"state": "geen"}
    low = first_day(contract.generate_from, contract.start_date)
    if contract.generated_through is not None:
        low = max(low, contract.generated_through + timedelta(days=1))
    # all onderdelen together: a floating one's next visit counts whatever its date (completed
    # late, it is due already and still to be made)
    found = coming.next_dates(contract, free, low, 1, floating_any_date=True)
    following = found[0] if found else None
    if following is None or following.generate_on > today:
        return {"state": "klaar", "next": following}
    error = last_failure(contract.id)
    if error:
        return {"state": "mislukt", "error": error, "poll": POLL_SLOW}
    problem = queue_problem()
    if problem:
        return {"state": "vertraagd", "why": problem, "poll": POLL_SLOW}
    if utcnow() - contract.updated_at < JUST_SAVED:
        return {"state": "bezig", "poll": POLL_FAST}
    return {"state": "wacht", "poll": POLL_SLOW}


def last_failure(contract_id: int) -> str | None:
    """Why the newest generation run that looked at this contract had to skip it, if it did."""
    key = str(contract_id)
    for run in (GenerationRun.select(GenerationRun.notes)
                .where(GenerationRun.finished_at.is_null(False))
                .order_by(GenerationRun.id.desc()).limit(3)):
        note = json.loads(run.notes or "{}").get(key)
        if note is not None:
            return note if note.startswith("overgeslagen door een fout") else None
    return None


def queue_problem() -> str | None:
    """Why the worker cannot make werkbonnen now (only asked while one is due)."""
    from flask import current_app

    from jobs.status import live_workers, redis_clock, redis_state

    state, conn = redis_state(current_app.config.get("REDIS_URL"))
    if conn is None:
        return "de wachtrij (Redis) is niet bereikbaar."
    try:
        # counted as the health check counts: a worker that died with a previous Redis is none
        if not live_workers(conn, redis_clock(conn)[1]):
            return "er draait geen worker."
    except Exception:  # noqa: BLE001 - Redis went away between the two questions
        return "de wachtrij (Redis) is niet bereikbaar."
    finally:
        conn.close()
    return None


def timeline(contract: Contract, today: date) -> dict:
    """What the contract page's timeline shows (templates/contracten/detail.html, block
    `tijdlijn`): the werkbonnen made (the newest SHOWN), the dates still to come with the day
    each is made, and where generation stands."""
    free = calendar_store.free_days()
    schedule = contract.schedule()
    preview = None
    if schedule is not None:
        # the coming dates that have no werkbon yet: up to generated_through they were made
        after = max(today, contract.start_date)
        if contract.generated_through is not None:
            after = max(after, contract.generated_through + timedelta(days=1))
        preview = schedule_preview.build(schedule, free, after,
                                         description=lifecycle.visits_sentence(contract.visits_per_year))
    generated = list(Werkbon.select(Werkbon, Medewerker).join(Medewerker, JOIN.LEFT_OUTER)
                     .where(Werkbon.contract == contract.id)
                     .order_by(Werkbon.due_date.desc(), Werkbon.id.desc()).limit(SHOWN))[::-1]
    generated_total = len(generated) if len(generated) < SHOWN else (
        Werkbon.select().where(Werkbon.contract == contract.id).count())
    # the planbord week of the first werkbon still to do (else of the first one shown)
    first = next((w for w in generated if w.due_date and w.due_date >= today
                  and w.status not in ("afgerond", "geannuleerd")),
                 generated[0] if generated else None)
    week = None
    if first is not None and first.due_date is not None:
        monday = first.due_date - timedelta(days=first.due_date.weekday())
        week = {"key": week_key(monday), "number": monday.isocalendar()[1], "werkbon": first}
    tijdlijn = None
    cadences = contract.cadences()
    if cadences and preview is not None:
        # several onderdelen: the coming dates of all of them together (the rule above is
        # only the highest-ranked one's)
        from models.contracts.onderdelen import sentence as cadence_sentence
        from models.schedule.cadence import timeline as merged_timeline

        after = max(today, contract.start_date)  # as the preview above: what is not made
        if contract.generated_through is not None:
            after = max(after, contract.generated_through + timedelta(days=1))
        # (a floating one's dates follow the completions: the Onderdelen list says them)
        fixed = [c for c in cadences if not c.floating]
        tijdlijn = {"tijdlijn": merged_timeline(fixed, free, after, first_day(
            contract.generate_from, contract.start_date), 12),
            "tijdlijn_cadansen": [(c.name, c.rank, cadence_sentence(c)) for c in cadences]}
    return {"preview": preview, "generated": generated, "generated_total": generated_total,
            **(tijdlijn or {"tijdlijn": None}),
            "progress": progress(contract, today, free), "planbord_week": week,
            "made_now": "nu, wordt gemaakt", "werkbon_statuses": WERKBON_STATUSES}


@bp.route("/<int:contract_id>/tijdlijn")
def timeline_region(contract_id):
    """The timeline alone, for the poller on the contract page (the full page otherwise)."""
    contract = _get(contract_id)
    if not wants_fragment():
        return _detail(contract)
    today = local_today()
    ctx = timeline(contract, today)
    if ctx["progress"].get("poll") and request.args.get("zag") == ctx["progress"]["state"]:
        # nothing new to say: renew only the poller (the live region stays as it is)
        resp = render("contracten/detail.html", block="tijdlijn_poller", contract=contract,
                      p=ctx["progress"])
        resp.headers["HX-Retarget"] = "#tijdlijn-poller"
        resp.headers["HX-Reswap"] = "outerHTML"
        return resp
    return render("contracten/detail.html", block="tijdlijn", contract=contract, today=today,
                  **ctx)


def _detail(contract: Contract, status: int = 200, end_values=None, end_errors=None,
            end_preview=None, delete_preview=None):
    today = local_today()
    terms = contract.voorwaarden
    auto = contract.renews
    period_end = lifecycle.period_end(contract.start_date, contract.end_date, auto,
                               terms.renewal_months if terms else 0, today)
    history = (audit.AuditLog.select().where(audit.AuditLog.entity == "contract",
                                             audit.AuditLog.entity_id == contract.id)
               .order_by(audit.AuditLog.at.desc()).limit(20))
    return render("contracten/detail.html", status=status, contract=contract,
                  **timeline(contract, today),
                  contract_status=contract_service.status_of(contract, today),
                  statuses=lifecycle.STATUSES, renewal=period_end if auto else None,
                  notice=lifecycle.next_notice(period_end, auto, terms.renewal_months,
                                        terms.notice_value, terms.notice_unit, today)
                  if terms else (None, None), history=history,
                  deletable=contract_end.deletable(contract),
                  today=today,
                  onderdelen=onderdelen_overview(contract, calendar_store.free_days(), today),
                  reasons=Beeindigingsreden.select().where(
                      Beeindigingsreden.active == True),  # noqa: E712
                  end_values=end_values or {}, end_errors=end_errors or {},
                  end_preview=end_preview, delete_preview=delete_preview,
                  sla_record=sla_record(contract.id) if contract.kind == "correctief" else None,
                  restart_refusal=lifecycle.restart_refusal(contract),
                  gedekt=contract_coverage.covered(contract), werkbon_per=WERKBON_PER,
                  objecten_url=lambda object_id: url_for("objecten.detail",
                                                         object_id=object_id),
                  restart_from=contract.end_date + timedelta(days=1) if contract.end_date else None)


def sla_record(contract_id):
    from models.sla import service as sla_service

    return sla_service.record(contract_id)


@bp.route("/<int:contract_id>/beeindigen", methods=["POST"])
def end(contract_id):
    """Two steps: first show which werkbonnen ending cancels, then do it. The confirmation
    names the end date and reason it was shown for (`confirmation`): a date changed after the
    preview gets a new preview, never the old confirmation."""
    contract = _get(contract_id)
    values = {k: request.form.get(k, "").strip() for k in ("end_date", "reason", "comment")}
    end_date, reason, errors = contract_end.check_end(contract, values)
    if errors:
        return _detail(contract, status=422, end_values=values, end_errors=errors)
    today = local_today()
    termijnen = facturatie_edit.ending_effect(contract, end_date, today)
    shown = confirmation(end_date, reason.code, termijnen)
    if request.form.get("bevestigd") != shown:
        # also when a colleague invoiced a termijn since the preview: its credit was not shown
        cancels = contract_end.ending_cancels(contract, end_date)
        return _detail(contract, end_values=values, end_errors={},
                       end_preview={"cancels": cancels, "end_date": end_date, "reason": reason,
                                    "confirmation": shown, "termijnen": termijnen})
    cancelled = facturatie_edit.end_contract(contract, end_date, reason, values["comment"],
                                             current_user.username, today)
    flash(f"Contract {contract.number} eindigt op {short_date(end_date)}; daarna worden geen "
          f"werkbonnen meer gemaakt. {count(cancelled, 'werkbon', 'werkbonnen')} na die dag "
          "geannuleerd.", "succes")
    return _back(url_for("contracten.detail", contract_id=contract.id))


def confirmation(end_date: date, reason_code: str, termijnen=None) -> str:
    """What the end preview's confirm button sends: what it was shown for (with the digest of
    what it does to the termijnen, for a priced contract)."""
    digest = termijnen.fingerprint if termijnen is not None else ""
    return f"{end_date.isoformat()}/{reason_code}" + (f"/{digest}" if digest else "")


@bp.route("/<int:contract_id>/verwijderen", methods=["POST"])
def delete(contract_id):
    """Two steps, like ending: first say what goes (the contract and how many werkbonnen),
    then (bevestigd=1) delete."""
    contract = _get(contract_id)
    if request.form.get("bevestigd") != "1":
        ok, why = contract_end.deletable(contract)
        if not ok:
            flash(why, "fout")
            return _back(url_for("contracten.detail", contract_id=contract.id))
        werkbonnen = Werkbon.select().where(Werkbon.contract == contract.id).count()
        return _detail(contract, delete_preview={"werkbonnen": werkbonnen})
    try:
        ok, why = contract_end.delete_contract(contract, current_user.username)
    except contract_end.ContractGone:
        abort(404)  # deleted meanwhile (a second click)
    if not ok:
        flash(why, "fout")
        return _back(url_for("contracten.detail", contract_id=contract.id))
    flash(f"Contract {contract.number} is verwijderd.", "succes")
    return _back(url_for("contracten.index"))


def _back(url):
    return htmx_redirect(url) if is_htmx() else redirect(url, 303)

