"""Rate limits shared by every web process: counted in the Redis the app already has, by the
`limits` library (moving window), and still enforced when that Redis is down.

A rule is a name and a rate ("10 per 15 minutes"). `hit` counts one event for a key and says how
long to wait when the rule was already used up (the event is then not counted); `wait` only
asks; `clear` forgets a key. The login throttle (views/auth.py) is the first user. Another limit
is one more rule and one call, e.g. per API token in the API's before_request:

    wait = limiter().hit(API_RULE, token_hash)
    if wait:
        return too_many(wait)          # 429 with Retry-After

Why `limits` and not Flask-Limiter (which is built on it): Flask-Limiter runs its hooks before
and after every request, also on pages without a limit (~50-120 µs each, measured), and the
pages here are tuned to the tens of microseconds (bench/http_preview.py). Here a request that
hits no limit pays nothing.

Redis down (stopped, unreachable or hanging: every call has a 0.5 s socket timeout): the
counts move to this process's memory, so throttling still holds per process, and Redis is tried
again after LIMITER_RETRY_SECONDS. Nothing here ever makes a request fail."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app, jsonify
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
SOCKET_TIMEOUT = 0.5


@dataclass(frozen=True)
class Rule:
    name: str  # part of the key, e.g. "login-gebruiker"
    rate: RateLimitItem

    @classmethod
    def parse(cls, name: str, text: str) -> Rule:
        """A rule from a rate in `limits`' notation ("10 per 15 minutes", "100/minute");
        a ValueError names the setting when the text is not a rate."""
        try:
            return cls(name, parse(text))
        except ValueError as exc:
            raise ValueError(f"{name}: '{text}' is geen snelheid zoals '10 per 15 minutes'") \
                from exc


class Limiter:
    def __init__(self, redis_url: Callable[[], str | None], prefix: str,
                 retry_seconds: float = 30.0):
        self.redis_url = redis_url  # asked when first needed: the launcher may start Redis later
        self.prefix = prefix
        self.retry_seconds = retry_seconds
        self._redis: MovingWindowRateLimiter | None = None
        self._memory: MovingWindowRateLimiter | None = None
        self._redis_down_until = 0.0

    def hit(self, rule: Rule, key: str) -> int:
        """Count one event; 0 if it fitted, else the seconds until one more would (and then
        nothing was counted)."""
        if self._call(lambda s: s.hit(rule.rate, self.prefix, rule.name, key)):
            return 0
        return self.wait(rule, key) or 1

    def wait(self, rule: Rule, key: str) -> int:
        """Seconds until one more event fits within the rule (0: now)."""
        def ask(strategy):
            reset_at, remaining = strategy.get_window_stats(rule.rate, self.prefix, rule.name, key)
            return 0 if remaining > 0 else max(1, math.ceil(reset_at - time.time()))

        return self._call(ask)

    def clear(self, rule: Rule, key: str) -> None:
        self._call(lambda s: s.clear(rule.rate, self.prefix, rule.name, key))

    def _call(self, action):
        redis = self._redis_strategy()
        if redis is not None:
            try:
                return action(redis)
            except Exception as exc:  # noqa: BLE001 - any Redis trouble: count in memory
                # an unreachable server says enough in one line; anything else keeps its trace
                log.warning("Redis voor de limieten onbereikbaar (%s); tellen in het geheugen "
                            "van dit proces, over %s s opnieuw proberen", exc,
                            self.retry_seconds,
                            exc_info=not isinstance(exc, (ConnectionError, RedisConnectionError,
                                                          RedisTimeoutError)))
                self._redis_down_until = time.monotonic() + self.retry_seconds
        return action(self._memory_strategy())

    def _redis_strategy(self) -> MovingWindowRateLimiter | None:
        if time.monotonic() < self._redis_down_until:
            return None
        if self._redis is None:
            url = self.redis_url()
            if not url:  # no Redis configured (yet): memory, and look again later
                self._redis_down_until = time.monotonic() + self.retry_seconds
                return None
            if url.startswith("unix://"):
                url = "redis+unix://" + url.removeprefix("unix://")
            storage = RedisStorage(url, socket_timeout=SOCKET_TIMEOUT,
                                   socket_connect_timeout=SOCKET_TIMEOUT)
            self._redis = MovingWindowRateLimiter(storage)
        return self._redis

    def _memory_strategy(self) -> MovingWindowRateLimiter:
        if self._memory is None:  # made on first need: MemoryStorage starts a timer thread
            self._memory = MovingWindowRateLimiter(MemoryStorage())
        return self._memory


def init_app(app) -> None:
    from jobs.connection import redis_url

    configured = app.config.get("REDIS_URL")
    app.extensions["cadans_limiter"] = Limiter(
        lambda: redis_url(configured), app.config["RATELIMIT_KEY_PREFIX"],
        retry_seconds=app.config["LIMITER_RETRY_SECONDS"])


def limiter() -> Limiter:
    return current_app.extensions["cadans_limiter"]


def minutes_text(seconds: int) -> str:
    """"1 minuut", "15 minuten": a wait rounded up to whole minutes."""
    minutes = max(1, math.ceil(seconds / 60))
    return "1 minuut" if minutes == 1 else f"{minutes} minuten"


def too_many(seconds: int, message: str | None = None):
    """A JSON 429 with Retry-After, for API limits."""
    message = message or f"Te veel verzoeken. Probeer het over {minutes_text(seconds)} opnieuw."
    resp = jsonify({"errors": {"limiet": message}})
    resp.status_code = 429
    resp.headers["Retry-After"] = str(seconds)
    return resp
