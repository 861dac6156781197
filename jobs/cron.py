"""The periodic schedule, run by exactly one `rq cron` process (started by the launcher).

Interval jobs run once at start-up and then every interval, so a restart catches up at once. Two
cron processes would both enqueue; that is harmless because the sweep is idempotent (the database
key decides what exists).
"""

from rq import cron

from jobs.connection import QUEUE
from jobs.tasks import SWEEP_TIMEOUT, materialise_due

SWEEP_INTERVAL = 15 * 60

cron.register(materialise_due, QUEUE, interval=SWEEP_INTERVAL, job_timeout=SWEEP_TIMEOUT)
