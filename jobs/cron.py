"""The periodic schedule, run by exactly one `rq cron` process (started by the launcher).

Interval jobs run once at start-up and then every interval. Two cron processes would both enqueue;
that is harmless because every job is idempotent (the database decides what exists).
"""

from rq import cron

from jobs.connection import QUEUE
from jobs.tasks import health_check

SWEEP_INTERVAL = 15 * 60

cron.register(health_check, QUEUE, interval=SWEEP_INTERVAL, job_timeout=600)
