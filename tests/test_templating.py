"""views/templating.py: each template's globals as one plain dict, and what that must not
change: every global the app registers reaches the templates, a template's own globals win
over the environment's, and a global changed after templates were loaded is seen at the next
render (the environment forgets what it compiled)."""

import re
import time

from flask import render_template_string

from tests.conftest import login, make_user


def test_template_globals_are_a_plain_dict_with_every_global(app):
    env = app.jinja_env
    template = env.from_string("{{ 1 }}")
    assert type(template.globals) is dict
    assert set(env.globals) <= set(template.globals)
    for name in ("url_for", "csrf_token", "kop", "wants_fragment", "werkbon_rijen"):
        assert template.globals[name] is env.globals[name]


def test_a_templates_own_globals_overlay_the_environments(app):
    env = app.jinja_env
    template = env.from_string("{{ wants_fragment }}|{{ extra }}",
                               globals={"wants_fragment": "eigen", "extra": "x"})
    assert template.render() == "eigen|x"
    assert "extra" not in env.globals
    assert env.from_string("{{ extra }}").render() == ""


def test_a_global_changed_after_loading_reaches_the_next_render(app):
    env = app.jinja_env
    with app.test_request_context("/"):
        assert render_template_string("[{{ nieuw_global }}]") == "[]"
        template = env.get_template("_melding.html")  # loaded, cached
        assert env.get_template("_melding.html") is template
        env.globals["nieuw_global"] = "hallo"
        assert render_template_string("[{{ nieuw_global }}]") == "[hallo]"
        assert env.get_template("_melding.html") is not template  # compiled again
        env.globals.update(nieuw_global="weer")
        assert render_template_string("[{{ nieuw_global }}]") == "[weer]"
        del env.globals["nieuw_global"]
        assert render_template_string("[{{ nieuw_global }}]") == "[]"


def test_pages_still_render_with_the_chrome(client):
    make_user("planner1")
    login(client, "planner1")
    body = client.get("/objecten/").get_data(as_text=True)
    assert 'class="skip-link"' in body and "Afmelden" in body  # base.html and the header
    assert 'name="csrf_token" value="' in body and '"X-CSRFToken": "' in body


def _tokens(body: str) -> set[str]:
    """Every CSRF token a page hands out: the forms' fields and htmx's header."""
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', body)
               + re.findall(r'"X-CSRFToken": "([^"]+)"', body))


def test_the_signed_csrf_token_is_reused_for_a_minute_and_still_accepted(client, monkeypatch):
    from views import chrome

    make_user("planner1")
    login(client, "planner1")
    first = _tokens(client.get("/objecten/").get_data(as_text=True))
    time.sleep(1.1)  # the signature's timestamp has whole seconds: signed again, it would differ
    again = _tokens(client.get("/klanten/").get_data(as_text=True))
    assert len(first) == 1 and first == again  # one token per page, the same a moment later
    token = first.pop()
    # Flask-WTF still checks it: accepted with the form, refused when altered
    assert client.post("/logout", data={"csrf_token": token[:-2] + "xx"}).status_code == 400
    other = app_client_token(client)
    assert other != token  # another session signs its own token
    monkeypatch.setattr(chrome, "SIGNED_FOR", 0.0)
    time.sleep(1.1)  # the signature's timestamp has whole seconds
    fresh = _tokens(client.get("/objecten/").get_data(as_text=True))
    assert fresh and token not in fresh  # signed afresh once the minute is over
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def app_client_token(client) -> str:
    other = client.application.test_client()
    make_user("planner2")
    login(other, "planner2")
    return _tokens(other.get("/objecten/").get_data(as_text=True)).pop()


def test_error_slots_and_invalid_attrs_with_and_without_an_error():
    from views.filters import error_slot, invalid_attrs

    assert error_slot("status", {}) == '<small id="fout-status" class="veldfout"></small>'
    assert error_slot("status", {"status": ""}) == error_slot("status", {})
    assert error_slot("status", {}, oob=True) == (
        '<small id="fout-status" class="veldfout" hx-swap-oob="true"></small>')
    assert error_slot("status", {"status": "Kies <een> status."}) == (
        '<small id="fout-status" class="veldfout">Kies &lt;een&gt; status.</small>')
    assert error_slot('a"b', {}) == '<small id="fout-a&#34;b" class="veldfout"></small>'
    assert invalid_attrs("status", {}) == ' aria-describedby="fout-status"'
    assert invalid_attrs("status", {"status": "Fout."}) == (
        ' aria-invalid="true" aria-describedby="fout-status"')
    assert invalid_attrs("status", {}, hint="hulp-status") == (
        ' aria-describedby="fout-status hulp-status"')
    assert invalid_attrs('a"b', {}) == ' aria-describedby="fout-a&#34;b"'
