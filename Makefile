# Pain Diary: `make run` serves the app, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi
DEV := DIARY_ENV=development

# Keep `make run` and `make test` free of Node: vendor only on purpose.
.PHONY: vendor run test lint typecheck pytest-sqlite pytest-postgresql system-deps postgres bench \
	fuzz faults load wrk clean help

help:
	@echo "make run   set up and serve the app with a demo diary on http://127.0.0.1:$(PORT)/"
	@echo "make test  set up and run ruff, mypy and the whole suite on SQLite and PostgreSQL"
	@echo "make bench measure our speed against a bare Flask floor (PostgreSQL, gunicorn, wrk)"
	@echo "make fuzz  schemathesis against the whole API, $(FUZZ_EXAMPLES) examples per operation, both databases"
	@echo "make faults stop PostgreSQL under a stream of posts; 16 SQLite writers at once"
	@echo "make load  a realistic mix for 60 s on gunicorn + PostgreSQL + Redis (wrk)"

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed
	$(DEV) $(BIN)/flask db upgrade
	$(DEV) $(BIN)/flask seed-demo --if-empty
	@echo "Pain Diary is at http://127.0.0.1:$(PORT)/  (stop with Ctrl+C)"
	$(DEV) $(BIN)/flask serve --host 127.0.0.1 --port $(PORT)

# Debian packages the suite needs: Chromium drives the browser tests (Playwright's own browser
# download fails offline); Pango and HarfBuzz let WeasyPrint draw the appointment report, and
# poppler-utils gives pdftotext and pdftoppm, which read that PDF back in the tests.
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-dejavu-core
system-deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep "ok installed" >/dev/null || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages for the tests:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "!! Missing Debian packages:$$missing, and apt-get is not usable: the browser and report tests will FAIL." >&2; \
	  fi; \
	fi

postgres:
	@if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  echo "Starting the local PostgreSQL"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; \
	fi
	@pg_isready -h 127.0.0.1 -p 5432 || { echo "!! PostgreSQL is not running on 127.0.0.1:5432: the PostgreSQL half of the suite cannot run." >&2; exit 1; }

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy

pytest-sqlite: $(VENV)/.installed-dev system-deps
	DIARY_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider

pytest-postgresql: $(VENV)/.installed-dev system-deps postgres
	DIARY_TEST_DB=postgresql $(BIN)/pytest -p no:cacheprovider

# The two halves run at once (one per core; each waits on its database part of the time);
# each half's output is printed whole when it ends.
test: lint typecheck
	$(MAKE) --no-print-directory -j2 --output-sync=target pytest-sqlite pytest-postgresql
	@echo "make test: ruff, mypy and the suite on SQLite and PostgreSQL all passed."

# The schemathesis module of `make test` (a few examples per operation), for longer.
FUZZ_EXAMPLES ?= 500
fuzz: $(VENV)/.installed-dev postgres
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DIARY_TEST_DB=sqlite $(BIN)/pytest -p no:cacheprovider tests/api/test_schemathesis.py
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) DIARY_TEST_DB=postgresql $(BIN)/pytest -p no:cacheprovider tests/api/test_schemathesis.py

# A private PostgreSQL cluster (initdb in /tmp, its own port) is stopped and started: the
# shared server on 5432 is never touched. Needs the PostgreSQL server binaries and Redis.
faults: $(VENV)/.installed-dev postgres
	$(BIN)/python -m ops.faults

wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

# The bench's data in their own database (diary_load), gunicorn, Redis, wrk with ops/wrk/mix.lua.
load: $(VENV)/.installed-dev postgres wrk
	$(BIN)/python -m ops.load

# Seeds PostgreSQL, serves ours with gunicorn and a bare Flask floor, drives both with wrk.
bench: $(VENV)/.installed-dev postgres wrk
	$(BIN)/python -m bench.run

# Copies the pinned front-end libraries (package.json, package-lock.json) with their
# licences into static/vendor/; the copies are committed, so running the app needs no Node.
vendor:
	npm ci --no-audit --no-fund --ignore-scripts
	mkdir -p static/vendor/chartjs
	cp node_modules/chart.js/dist/chart.umd.min.js static/vendor/chartjs/chart.umd.min.js
	cp node_modules/chart.js/LICENSE.md static/vendor/chartjs/LICENSE.md
	cp node_modules/@kurkle/color/LICENSE.md static/vendor/chartjs/LICENSE-kurkle-color.md
	# axe-core is used only by the browser tests (injected by Playwright), never by a page.
	mkdir -p static/vendor/axe-core
	cp node_modules/axe-core/axe.min.js static/vendor/axe-core/axe.min.js
	cp node_modules/axe-core/LICENSE static/vendor/axe-core/LICENSE
	cp node_modules/axe-core/LICENSE-3RD-PARTY.txt static/vendor/axe-core/LICENSE-3RD-PARTY.txt

clean:
	rm -rf $(VENV) instance/*.sqlite3* .mypy_cache .ruff_cache test-artifacts
