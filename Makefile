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

## Benchmarks (ratios against a baseline in the same run; results in bench/results/).
bench: $(VENV)/.run-installed
	$(BIN)/python bench/run.py

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance test-output
