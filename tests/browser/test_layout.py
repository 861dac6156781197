"""Every main page at a laptop (1366x900) and a tablet (1024x768): nothing sticks out sideways,
no select or table header cuts its text, and axe-core finds no accessibility violation.

The demo data (models/demo.py) fills the pages as a planner sees them: lists of contracts and
werkbonnen, a planbord with overdue, unplanned and finished cards, storingen in every SLA state.
One server, one browser context per screen size, one page per check: two sizes x ~20 pages in
well under a minute. Screenshots go to test-output/layout-<size>-<page>.png for a person to look
at; a failure names the element and what it measured."""

import re
import threading
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import make_server

from models import demo
from models.contracts.tables import Contract, ContractDraft
from models.db import connection
from models.stamdata import calendar_store
from models.stamdata.instellingen import Contracttype
from models.stamdata.klanten import Klant
from models.stamdata.medewerkers import Medewerker
from models.werkbonnen import materialise
from models.werkbonnen.tables import Werkbon
from tests.browser.conftest import OUTPUT, browser_login
from tests.conftest import BROWSER_TODAY, Session, _make_app, login, make_user

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
SIZES = {"laptop": {"width": 1366, "height": 900}, "tablet": {"width": 1024, "height": 768}}

# (name, path or a key filled in by the `site` fixture)
PAGES = [
    ("dashboard", "/"),
    ("contracten", "/contracten/"),
    ("wizard-type", "/contracten/nieuw"),
    ("wizard-overeenkomst", "{draft}/overeenkomst"),
    ("wizard-werkbon", "{draft}/werkbon"),
    ("wizard-schema", "{draft}/schema"),
    ("wizard-controle", "{draft}/controle"),
    ("contract", "/contracten/{contract}"),
    ("contract-storingsdienst", "/contracten/{storingscontract}"),
    ("werkbonnen", "/werkbonnen/"),
    ("werkbon", "/werkbonnen/{werkbon}"),
    ("planbord", "/planning/?week={week}"),
    ("klanten", "/klanten/"),
    ("klant", "/klanten/{klant}"),
    ("medewerkers", "/medewerkers/"),
    ("schema-preview", "/schema-preview?frequency=maandelijks&interval=1&monthly_mode=dag"
                       "&day_of_month=27&start_date=2026-11-27&holidays=next_workday&weekends=next_workday"
                       "&end_mode=geen"),
    ("storing-melden", "/storingen/nieuw"),
    ("instellingen", "/instellingen/"),
    ("instellingen-status", "/instellingen/status"),
    ("feestdagen", "/instellingen/feestdagen"),
    ("werktijden", "/instellingen/werktijden"),
    ("sla-beleid", "/instellingen/sla/1"),
    ("contractvoorwaarden", "/instellingen/contractvoorwaarden"),
    ("klant-nieuw", "/klanten/nieuw"),
    ("medewerker", "/medewerkers/1"),
    ("api-tokens", "/instellingen/api-tokens"),
    ("webhooks", "/instellingen/webhooks"),
    ("webhook", "/instellingen/webhooks/{webhook}"),
    ("api", "/api"),
    ("facturatie", "/facturatie/"),
    ("contract-facturatie", "/contracten/{contract}/facturatie"),
    ("indexreeksen", "/instellingen/indexreeksen"),
    ("objecten", "/objecten/"),
    ("object", "/objecten/{object}"),
    ("object-bewerken", "/objecten/{object}/bewerken"),
    ("object-nieuw", "/objecten/nieuw?q=leerdam"),
    ("werkadres", "/werkadressen/{werkadres}"),
    ("werkadressen", "/klanten/{klant}/werkadressen"),
    ("werkadres-nieuw", "/klanten/{klant}/werkadressen/nieuw"),
    ("objecttypen", "/instellingen/objecttypen"),
    ("contract-objecten", "/contracten/{contract_objecten}"),
    ("object-gedekt", "/objecten/{ketel}"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory, redis_url):
    """The demo data served over HTTP, a beheerder (sees every page) and a wizard draft that has
    reached Controle, so each step shows what was filled in and the schema step its preview."""
    tmp = tmp_path_factory.mktemp("layout")
    app = _make_app(tmp, redis_url, TODAY=BROWSER_TODAY)
    today = date.fromisoformat(BROWSER_TODAY)
    now = datetime.now(ZoneInfo(app.config["TIMEZONE"]))
    with connection():
        demo.load()
        objecten = demo.load_objecten(today)
        demo.load_contracts(today, objecten)
        demo.load_storingen(now)
        # The storingen are reported relative to the real clock (their SLA badges need it), but
        # the planbord shows BROWSER_TODAY's week: a finished storing's visit (45 minutes after
        # its call) landed on that week's Saturday when these tests ran on 6-8 December 2026
        # (the one reported 200 hours before), a seventh wide day column, and the columns' width
        # test failed for the hours it was run. Their visits go on the day before BROWSER_TODAY.
        Werkbon.update(planned_start=datetime.combine(today - timedelta(days=1), time(10, 0))
                       ).where(Werkbon.resolve_due.is_null(False),
                               Werkbon.status == "afgerond").execute()
        # the worker's round, so the dashboard says what the last one did
        materialise.sweep(today, calendar_store.free_days(), trigger="sweep", actor="worker")
    make_user("beheer1", "beheerder")
    webhook = _koppelingen()
    draft = _wizard_draft(app)
    with connection():
        preventief = Contract.get(Contract.description == "Onderhoud cv-ketels complex Stationsweg")
        storing = Contract.get(Contract.kind == "correctief")
        werkbon = (Werkbon.select().where(Werkbon.resolve_due.is_null(False))
                   .order_by(Werkbon.id).first())
        klant = Klant.get(Klant.customer_number == "D-10001")
        demo.load_prices(today)
        blussers = Contract.get(Contract.werkbon_per == "datum",
                                Contract.description.contains("brandblussers"))
    year, week, _ = today.isocalendar()
    keys = {"draft": draft, "contract": preventief.id, "storingscontract": storing.id,
            "werkbon": werkbon.id, "klant": klant.id, "week": f"{year}-W{week:02d}",
            "webhook": webhook,
            "object": objecten["lift"], "werkadres": objecten["kantoor_werkadres"],
            "contract_objecten": blussers.id, "ketel": objecten["ketels"][0]}
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", keys
    server.shutdown()
    thread.join(5)


def _koppelingen() -> int:
    """Two API tokens and a webhook with a delivered and a retried delivery, as Instellingen
    shows them after a while; returns the webhook's id."""
    from datetime import timedelta

    from models.db.base import utcnow
    from models.stamdata.users import ApiToken, User
    from models.webhooks import outbox
    from models.webhooks.tables import Webhook, WebhookAttempt, WebhookDelivery

    with connection():
        beheerder = User.get(User.username == "beheer1")
        klant = Klant.get(Klant.customer_number == "D-10001")
        ApiToken.issue(beheerder, name="Boekhouding Exact", scopes=["contracten:lezen"])
        ApiToken.issue(beheerder, name="Klantportaal Woonstede",
                       scopes=["werkbonnen:schrijven", "klanten:lezen"], klant_id=klant.id,
                       expires_at=utcnow() + timedelta(days=90))
        hook = Webhook.create(url="https://portaal.woonstede.example/hooks/cadans-werkbonnen",
                              description="Klantportaal", secret="whsec_dGVzdA==",
                              events="werkbon.aangemaakt werkbon.afgerond storing.gemeld")
        outbox.emit_many("werkbon.aangemaakt", [{"id": 1}, {"id": 2}])
        first, second = WebhookDelivery.select().order_by(WebhookDelivery.id)
        WebhookAttempt.create(delivery=first.id, number=1, duration_ms=84, status=204)
        WebhookDelivery.update(state="delivered", attempts=1, delivered_at=utcnow(),
                               last_status=204).where(WebhookDelivery.id == first.id).execute()
        for number, status, error in ((1, 503, "De ontvanger antwoordde 503 Service "
                                                "Unavailable"),
                                      (2, None, "Geen (volledig) antwoord binnen 5 s.")):
            WebhookAttempt.create(delivery=second.id, number=number, status=status,
                                  duration_ms=5003 if status is None else 120, error=error)
        WebhookDelivery.update(attempts=2, next_attempt_at=utcnow() + timedelta(minutes=5),
                               last_error="Geen (volledig) antwoord binnen 5 s.").where(
            WebhookDelivery.id == second.id).execute()
    return hook.id


def _wizard_draft(app) -> str:
    """A preventive contract filled in up to Controle through the real form posts."""
    client = app.test_client()
    planner = Session(client, login(client, "beheer1"))
    with connection():
        kind = Contracttype.get(Contracttype.kind == "preventief").id
        klant = Klant.get(Klant.customer_number == "D-10003").id
        medewerker = Medewerker.get(Medewerker.personnel_number == "P-004").id
    planner.post("/contracten/nieuw", data={"contracttype_id": kind})
    with connection():
        draft = ContractDraft.select().order_by(ContractDraft.id.desc()).get()
    base = f"/contracten/concept/{draft.id}"
    steps = [
        ("overeenkomst", {"klant_id": klant, "start_date": "2026-12-01",
                          "end_date": "2027-11-30", "description": "Onderhoud warmtepompen",
                          "reference": "PO-2026-114", "contractvoorwaarden_id": ""}),
        ("werkbon", {"wb_description": "Halfjaarlijkse controle warmtepomp en buffervat",
                     "werktype": "Onderhoud", "duration_minutes": "90",
                     "prioriteit": "Normaal", "start_time": "08:30", "medewerker_id": medewerker}),
        ("schema", {"frequency": "maandelijks", "interval": "1", "monthly_mode": "dag",
                    "day_of_month": "27", "end_mode": "geen", "holidays": "next_workday",
                    "weekends": "next_workday", "days_in_advance": "14"}),
    ]
    for step, data in steps:
        resp = planner.post(f"{base}/{step}", data=data)
        assert resp.status_code == 303, (step, resp.get_data(as_text=True)[:2000])
    return base


@pytest.fixture(scope="module", params=list(SIZES))
def screen(request, browser, site):
    base, _keys = site
    context = browser.new_context(viewport=SIZES[request.param], locale="nl-NL",
                                  timezone_id="Europe/Amsterdam")
    page = context.new_page()
    browser_login(page, base, "beheer1")
    yield request.param, page
    context.close()


MEASURE = (Path(__file__).parent / "measure_layout.js").read_text()


# Rules left out on a page that embeds third-party markup which breaks them (and CSS cannot
# mend); every other rule still runs over the whole page, the embedded part included. The
# layout around it is checked with every rule on all the other pages.
AXE_SKIPPED = {
    "api": {  # Swagger UI (static/vendor/swagger-ui): its React markup
        "nested-interactive": "an operation's header is one button holding the copy and lock "
                              "buttons",
        "landmark-main-is-top-level": "it marks its operation list role=main, inside ours",
        "landmark-no-duplicate-main": "idem",
        "landmark-unique": "idem",
        "heading-order": "its headings start at h3 for each tag",
    },
}


def run_axe(page, name: str = "") -> list[dict]:
    """axe-core, injected through the DevTools protocol (the page's CSP forbids inline scripts,
    and rightly: the test must see the page as served), with every rule that is not
    experimental: WCAG 2.0/2.1/2.2 A and AA plus best practices (less AXE_SKIPPED[name])."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    return page.evaluate("""async (skipped) => {
      const rules = Object.fromEntries(skipped.map(r => [r, {enabled: false}]));
      const r = await axe.run(document, {resultTypes: ['violations'], rules});
      return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}));
    }""", list(AXE_SKIPPED.get(name, {})))


def describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:6]:
            summary = " ".join(node["summary"].split())[:300]
            lines.append(f"    {node['target']}: {summary}")
        if len(v["nodes"]) > 6:
            lines.append(f"    ... and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


@pytest.mark.parametrize("name,path", PAGES, ids=[name for name, _ in PAGES])
def test_page_fits_and_passes_axe(site, screen, name, path):
    base, keys = site
    size, page = screen
    resp = page.goto(base + path.format(**keys))
    assert resp.status == 200, f"{name}: {resp.status}"
    page.wait_for_load_state("networkidle")
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"layout-{size}-{name}.png"), full_page=True)
    problems = page.evaluate(MEASURE)
    violations = run_axe(page, name)
    message = "\n".join(problems)
    if violations:
        message += "\naxe-core:\n" + describe(violations)
    assert not problems and not violations, f"{name} at {size}:\n{message}"


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored: both opaque here)."""
    def luminance(css):
        r, g, b = (float(x) / 255 for x in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# What has the keyboard focus, and the ring a person sees: on a card whose whole surface is the
# control (a type card, a klant option, a planbord card), the card's ring; else the control's.
FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const ringed = el.closest('.type-kaart, .optie, .bord-item') || el;
  const s = getComputedStyle(ringed);
  // the colour behind the ring: the backgrounds of the ancestors, see-through ones laid over
  // what is below them, on the white page
  const layers = [];
  for (let p = ringed.parentElement; p; p = p.parentElement) {
    const c = getComputedStyle(p).backgroundColor.match(/[\\d.]+/g).map(Number);
    const alpha = c.length > 3 ? c[3] : 1;
    if (alpha > 0) layers.push([c[0], c[1], c[2], alpha]);
    if (alpha === 1) break;
  }
  let bg = [255, 255, 255];
  for (const [r, g, b, a] of layers.reverse())
    bg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
  const label = el.labels && el.labels.length ? el.labels[0].textContent : '';
  const text = (label || el.textContent || el.value || '').replace(/\\u00ad/g, '').trim();
  return {what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + text.slice(0, 40),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor,
          background: `rgb(${bg.map(Math.round).join(', ')})`};
}"""

FOCUS_PAGES = [("dashboard", "/"), ("wizard-type", "/contracten/nieuw"),
               ("wizard-overeenkomst", "{draft}/overeenkomst"),
               ("contract", "/contracten/{contract}"), ("werkbonnen", "/werkbonnen/"),
               ("planbord", "/planning/?week={week}")]


@pytest.mark.parametrize("name,path", FOCUS_PAGES, ids=[name for name, _ in FOCUS_PAGES])
def test_the_keyboard_focus_is_clearly_visible(site, screen, name, path):
    """Tab through the page: every stop shows an outline of at least 2 px with at least 3:1
    against what surrounds it (Pico's own was a half-transparent glow of about 1.3:1)."""
    base, keys = site
    size, page = screen
    page.goto(base + path.format(**keys))
    page.wait_for_load_state("networkidle")
    seen, faint = [], []
    for _ in range(40):
        page.keyboard.press("Tab")
        ring = page.evaluate(FOCUS)
        if ring is None:
            continue
        seen.append(ring["what"])
        ratio = contrast(ring["color"], ring["background"])
        if ring["style"] in ("none", "hidden") or ring["width"] < 2 or ratio < 3:
            faint.append(f"{ring['what']}: {ring['style']} {ring['width']}px {ring['color']} "
                         f"on {ring['background']} ({ratio:.1f}:1)")
    assert len(set(seen)) >= 8, seen  # it really went through the page
    if name == "wizard-type":
        assert any("Preventief" in what for what in seen)  # a type card had the focus
    if name == "planbord":
        assert any(what.startswith("a ") and "Onderhoud" in what for what in seen), seen
    assert not faint, f"{name} at {size}: faint focus on\n" + "\n".join(faint)


def test_the_planbord_reads_at_a_laptop_and_a_tablet(site, screen):
    """Day columns wide enough for a title in words (85 px at 1366 broke them over three or four
    lines); the werkbonnen still to plan in the page's flow, not a scroll box of their own; an
    overdue card says so once; a finished card is not faded (axe checks its contrast)."""
    base, keys = site
    size, page = screen
    page.goto(f"{base}/planning/?week={keys['week']}")
    widths = page.evaluate("""() => [...document.querySelectorAll(
        '.planbord-tabel thead th[id^=dag-]:not(.smal)')].map(th => th.offsetWidth)""")
    assert len(widths) >= 5 and min(widths) >= (150 if size == "laptop" else 120), widths
    panel = page.evaluate("""() => {
      const list = document.querySelector('.ongepland-lijst');
      const s = getComputedStyle(list);
      return {overflow: s.overflowY, scrolls: list.scrollHeight > list.clientHeight + 1,
              items: list.children.length,
              beside: list.getBoundingClientRect().left >
                      document.querySelector('.planbord-tabel').getBoundingClientRect().right};
    }""")
    assert panel["overflow"] == "visible" and not panel["scrolls"] and panel["items"] >= 3
    assert panel["beside"] == (size == "laptop")  # below the board on a tablet
    late = page.evaluate("""() => [...document.querySelectorAll('.ongepland-item')].map(li =>
        [li.querySelector('a').textContent,
         li.querySelectorAll('.te-laat-label, .sla-verlopen, .sla-niet_gehaald').length])""")
    assert any(n == 1 for _, n in late) and all(n <= 1 for _, n in late), late
    finished = page.locator(".bord-item.wb-status-afgerond").first
    assert finished.evaluate("el => getComputedStyle(el).opacity") == "1"


def test_ending_a_contract_opens_and_works_from_the_keyboard(site, screen):
    """Beëindigen and Verwijderen wait behind a disclosure; Enter on its summary opens it, and
    the end form shows what ending does before anything happens."""
    base, keys = site
    size, page = screen
    page.goto(f"{base}/contracten/{keys['contract']}")
    disclosure = page.locator("details#einde-acties")
    assert disclosure.evaluate("d => d.open") is False
    assert not page.get_by_label("Laatste dag").is_visible()
    disclosure.locator("summary").focus()
    page.keyboard.press("Enter")
    assert disclosure.evaluate("d => d.open") is True
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "einde-datum"
    page.get_by_label("Laatste dag").fill("2027-01-31")
    page.get_by_label("Reden").select_option(index=1)
    page.get_by_role("button", name="Beëindigen…").click()
    page.wait_for_load_state("networkidle")
    preview = page.locator("#beeindigen .melding-info")
    assert "Het contract eindigt op" in preview.inner_text()
    assert page.locator("details#einde-acties").evaluate("d => d.open") is True
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / f"layout-{size}-contract-beeindigen.png"), full_page=True)
    assert run_axe(page) == []
