# Two commands for a fresh machine with Python 3.11:  make run  /  make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-postgres demo bench lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $(VENV)/.run-installed $@

## Install and start the app on the demo database (created on first start).
run: $(VENV)/.run-installed
	# serverAddress: print the local URL without looking up an external IP (no outbound request)
	$(BIN)/streamlit run app.py --browser.serverAddress localhost

## Install and run the whole test suite (unit, AppTest, browser tests in Chromium); with
## IKZ_TEST_POSTGRES set (.ci/run does it) the database tests run a second time on PostgreSQL.
test: $(VENV)/.test-installed
	env -u IKZ_TEST_POSTGRES $(BIN)/python -m pytest
	@if [ -n "$$IKZ_TEST_POSTGRES" ]; then $(MAKE) --no-print-directory test-postgres; fi

## The tests that touch the database, on PostgreSQL (IKZ_TEST_POSTGRES: an admin URL that may
## create databases, e.g. postgresql+psycopg://$$USER@/postgres?host=/var/run/postgresql).
test-postgres: $(VENV)/.test-installed
	@test -n "$$IKZ_TEST_POSTGRES" || { echo "IKZ_TEST_POSTGRES ist nicht gesetzt"; exit 2; }
	$(BIN)/python -m pytest tests/kreis_data tests/pages tests/components tests/e2e/test_zwei_prozesse.py \
		-p no:cacheprovider

## (Re)create the demo database.
demo: $(VENV)/.run-installed
	$(BIN)/python -m kreis_data demo --force

## Benchmarks of issue #14 in Chromium and AppTest, never part of `make test`: map bytes against
## the 1-pixel bound, page time against a minimal page, SQL/CPU per rerun, 1-20 sessions, the naive
## page. Results in test-output/bench/ergebnisse.json; exit status 1 when a target is missed.
## One part alone: .venv/bin/python -m bench karte|naiv|seiten|sql|last|bericht (report vs. 5 s)
bench: $(VENV)/.test-installed
	$(BIN)/python -m bench

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance test-output
