"""The periodic schedule, run by exactly one `rq cron` process (started by the launcher).

Interval jobs run once at start-up and then every interval, so a restart catches up at once.
Two cron processes would both enqueue; that is harmless because the sweep is idempotent (the
database key decides what exists).

- The sweep, every 15 minutes: every werkbon that is due, and whatever was missed.
- The facturatie sweep, every 15 minutes too: the factuurtermijnen that are due.
- The catch-up, every minute (CADANS_CATCH_UP_SECONDS): contracts saved while Redis was down,
  whose own job could not be queued, get their werkbonnen within a minute of Redis being back
  instead of at the next sweep. It lives only briefly in the queue (no pile-up while no worker
  runs) and keeps no result.

- The webhook outbox, every CADANS_WEBHOOK_SECONDS (10): deliveries that are due are sent
  (models/webhooks/delivery.py). Like the catch-up, short-lived in the queue and no result.
- Pruning, every hour: Idempotency-Keys older than a day, webhook deliveries older than 30 days,
  generation runs older than CADANS_RUN_RETENTION_DAYS (90); then a SQLite WAL checkpoint that
  cuts the log short (models.db.checkpoint).

The sweep is shared on PostgreSQL: it queues a share for every other worker on the queue, and
they claim contracts batch by batch (models/werkbonnen/materialise.py).

`rq cron` exits when it loses Redis; the launcher (or systemd, in production) starts it again,
and the new process runs both at once.
"""

import os

from rq import cron

from jobs.connection import QUEUE
from jobs.enqueue import WEBHOOK_JOB_TIMEOUT
from jobs.tasks import (
    SWEEP_TIMEOUT,
    catch_up,
    deliver_webhooks,
    materialise_due,
    materialise_termijnen,
    prune,
)

SWEEP_INTERVAL = 15 * 60
CATCH_UP_INTERVAL = int(os.environ.get("CADANS_CATCH_UP_SECONDS") or 60)
WEBHOOK_INTERVAL = int(os.environ.get("CADANS_WEBHOOK_SECONDS") or 10)
PRUNE_INTERVAL = 60 * 60

cron.register(materialise_due, QUEUE, interval=SWEEP_INTERVAL, job_timeout=SWEEP_TIMEOUT)
# factuurtermijnen (models/facturatie/): the same promise, beside the werkbonnen sweep
cron.register(materialise_termijnen, QUEUE, interval=SWEEP_INTERVAL, job_timeout=SWEEP_TIMEOUT)
cron.register(catch_up, QUEUE, interval=CATCH_UP_INTERVAL, job_timeout=SWEEP_TIMEOUT,
              ttl=CATCH_UP_INTERVAL, result_ttl=0)
cron.register(deliver_webhooks, QUEUE, interval=WEBHOOK_INTERVAL, job_timeout=WEBHOOK_JOB_TIMEOUT,
              ttl=WEBHOOK_INTERVAL, result_ttl=0)
cron.register(prune, QUEUE, interval=PRUNE_INTERVAL, job_timeout=600, result_ttl=0)
