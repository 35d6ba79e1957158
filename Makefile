# Two commands for a fresh machine with Python 3.11:  make run  /  make test
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test demo bench lint clean

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

## Install and run the whole test suite (unit, AppTest, browser tests in Chromium).
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest

## (Re)create the demo database.
demo: $(VENV)/.run-installed
	$(BIN)/python -m kreis_data demo --force

## Benchmarks of issue #14 in Chromium and AppTest, never part of `make test`: map bytes against
## the 1-pixel bound, page time against a minimal page, SQL/CPU per rerun, 1-20 sessions, the naive
## page. Results in test-output/bench/ergebnisse.json; exit status 1 when a target is missed.
## One part alone: .venv/bin/python -m bench karte|naiv|seiten|sql|last
bench: $(VENV)/.test-installed
	$(BIN)/python -m bench

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance test-output
