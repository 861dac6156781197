"""The RQ side: where Redis is (`connection`), asking the worker for work after a commit
(`enqueue`), the job functions (`tasks`: ids and ISO dates in, counts out, their own database
connection), the periodic schedule (`cron`), what the health check reports (`status`), and the
launcher of `make run` with its local Valkey (`launcher`, `redis_server`). Imports models (and
`app`, only in the launcher, which starts the web app); never views."""
