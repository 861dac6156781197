"""Where Redis is: REDIS_URL, else the URL the local launcher wrote into instance/redis.url."""

import os

from redis import Redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from models.db.instance import instance_dir

QUEUE = "cadans"
# A web request that talks to Redis (the enqueue after a save, the health check) waits at most
# this long per step (connect, then one command) and does not retry: a Redis that is down or
# hung must not hold up a planner's save. Redis answers in well under a millisecond.
QUICK_TIMEOUT = 0.25


def redis_url(configured: str | None = None) -> str | None:
    if configured:
        return configured
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    shared = instance_dir() / "redis.url"
    return shared.read_text().strip() if shared.exists() else None


def get_redis(url: str | None = None, quick: bool = False) -> Redis:
    """A client for `url`. `quick`: for the web app's request path (see QUICK_TIMEOUT); without
    it, the patient client jobs and CLI commands use."""
    url = redis_url(url)
    if not url:
        raise ConnectionError("REDIS_URL is niet ingesteld en er draait geen lokale Redis.")
    if quick:
        return Redis.from_url(url, socket_connect_timeout=QUICK_TIMEOUT,
                              socket_timeout=QUICK_TIMEOUT, retry=Retry(NoBackoff(), 0))
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=3)
