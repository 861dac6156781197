# Cadans: two commands do everything on a fresh machine with Python 3.11 and make.
#   make run   - environment, database (+ demo data), Redis if none configured, worker, schedule, web app
#   make test  - environment, then the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench clean

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

bench: $(STAMP)
	@for f in bench/[a-z]*.py; do case $$f in *hello_app.py) continue;; esac; \
	  echo "== $$f"; $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) *.egg-info
