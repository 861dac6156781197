"""views/limiter.py on its own, against the real Valkey: what the login throttle uses, and what
a per-token API limit will use (one rule, one call, `too_many` for the 429)."""

import uuid

import pytest

from views.limiter import Limiter, Rule, minutes_text, too_many


def fresh(redis_url, prefix=None):
    return Limiter(lambda: redis_url, prefix or f"t-{uuid.uuid4().hex}")


def test_hit_wait_and_clear(redis_url):
    limiter, rule = fresh(redis_url), Rule.parse("proef", "3 per 1 minute")
    assert [limiter.hit(rule, "k") for _ in range(3)] == [0, 0, 0]
    wait = limiter.hit(rule, "k")
    assert 55 <= wait <= 60
    assert 55 <= limiter.wait(rule, "k") <= 60
    assert limiter.wait(rule, "ander") == 0  # per key
    limiter.clear(rule, "k")
    assert limiter.wait(rule, "k") == 0 and limiter.hit(rule, "k") == 0


def test_instances_with_one_prefix_share_counts_in_redis(redis_url):
    prefix = f"t-{uuid.uuid4().hex}"
    rule = Rule.parse("proef", "2 per 1 hour")
    first, second, elsewhere = fresh(redis_url, prefix), fresh(redis_url, prefix), fresh(redis_url)
    first.hit(rule, "k"), first.hit(rule, "k")
    assert second.hit(rule, "k") > 0
    assert elsewhere.hit(rule, "k") == 0


def test_without_redis_counts_in_memory():
    limiter, rule = Limiter(lambda: None, "t"), Rule.parse("proef", "1 per 1 hour")
    assert limiter.hit(rule, "k") == 0
    assert limiter.hit(rule, "k") > 3500


def test_an_unreachable_redis_counts_in_memory_and_says_so_in_one_line(tmp_path, caplog):
    """A configured Redis that does not answer (a socket nobody listens on): the limiter
    counts in memory and warns once, naming the error, without a traceback per retry."""
    limiter = Limiter(lambda: f"unix://{tmp_path}/geen.sock", "t")
    rule = Rule.parse("proef", "1 per 1 hour")
    with caplog.at_level("WARNING", logger="views.limiter"):
        assert limiter.hit(rule, "k") == 0
        assert limiter.hit(rule, "k") > 3500  # counted in memory, Redis not asked again yet
    warnings = [r for r in caplog.records if "onbereikbaar" in r.getMessage()]
    assert len(warnings) == 1
    assert "geen.sock" in warnings[0].getMessage() and not warnings[0].exc_info


def test_a_rate_that_is_not_a_rate_names_its_setting(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="LOGIN_LIMIT_USERNAME"):
        Rule.parse("LOGIN_LIMIT_USERNAME", "tien keer")
    from app import create_app

    monkeypatch.setenv("CADANS_LOGIN_LIMIT_USERNAME", "tien keer")
    with pytest.raises(ValueError, match="LOGIN_LIMIT_USERNAME"):
        create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}"})


@pytest.mark.parametrize("seconds, text", [(1, "1 minuut"), (60, "1 minuut"), (61, "2 minuten"),
                                           (900, "15 minuten")])
def test_minutes_round_up(seconds, text):
    assert minutes_text(seconds) == text


def test_too_many_is_a_json_429_with_retry_after(app):
    with app.test_request_context():
        resp = too_many(90)
    assert resp.status_code == 429
    assert resp.headers["Retry-After"] == "90"
    assert resp.get_json() == {
        "errors": {"limiet": "Te veel verzoeken. Probeer het over 2 minuten opnieuw."}}
