# Cadans: two commands do everything on a fresh machine with Python 3.11 and make.
#   make run   - environment, database (+ demo data), Redis if none configured, worker, schedule, web app
#   make test  - environment, then the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench bench-quick clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,postgres]'
	@touch $(STAMP)

# exec: the launcher replaces the recipe's shell, so it is make's own child. make passes a
# SIGTERM it receives on to it (and a terminal's Ctrl-C reaches make and launcher together).
run: $(STAMP)
	exec $(PY) -m jobs.launcher

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# every bench on SQLite, and on PostgreSQL when DATABASE_URL points at one or the server package
# is installed (bench/pg.py); one JSON line per bench and database, a table at the end.
# BENCH="web_concurrency http_preview" runs only those.
bench: $(STAMP)
	$(PY) bench/_run.py $(BENCH)

# the same benches at a smaller size of the same shape (minutes, not an hour)
bench-quick: $(STAMP)
	CADANS_BENCH_QUICK=1 $(PY) bench/_run.py $(BENCH)


clean:
	rm -rf $(VENV) *.egg-info
