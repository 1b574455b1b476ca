# Two commands for a newcomer:  `make run` (install + start the app), `make test` (install + tests).
# Both create or update .venv; re-running is fast when requirements did not change.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean

run: $(STAMP)
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP) $(VENV)/.bench
	$(BIN)/python bench/generate.py
	$(BIN)/python bench/watermark.py
	$(BIN)/python bench/detector.py
	$(BIN)/python bench/halving.py
	$(BIN)/python bench/outside.py
	$(BIN)/python bench/detect_batch.py
	$(BIN)/python bench/inpaint.py

$(VENV)/.bench: requirements-bench.txt requirements-bench-nodeps.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-bench-nodeps.txt
	touch $@

$(STAMP): requirements.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV)
