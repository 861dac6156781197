"""Where Redis is: REDIS_URL, else the URL the local launcher wrote into instance/redis.url."""

import os

from redis import Redis

from jobs.context import instance_dir

QUEUE = "cadans"


def redis_url(configured: str | None = None) -> str | None:
    if configured:
        return configured
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    shared = instance_dir() / "redis.url"
    return shared.read_text().strip() if shared.exists() else None


def get_redis(url: str | None = None) -> Redis:
    url = redis_url(url)
    if not url:
        raise ConnectionError("REDIS_URL is niet ingesteld en er draait geen lokale Redis.")
    return Redis.from_url(url, socket_connect_timeout=1, socket_timeout=3)
