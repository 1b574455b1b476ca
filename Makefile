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
	$(BIN)/python bench/repair_in_photos.py
	$(BIN)/python bench/native.py
	$(BIN)/python bench/faceswap.py
	$(BIN)/python bench/playground.py
	$(BIN)/python bench/quiz.py

$(VENV)/.bench: requirements-bench.txt requirements-bench-nodeps.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-bench.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-bench-nodeps.txt
	touch $@

# Linux: `make run TORCH_INDEX=https://download.pytorch.org/whl/cpu` takes the CPU-only torch and
# torchvision (same versions as requirements.txt) from the PyTorch project's index first; the default
# wheels bundle CUDA libraries (about 4 GB) that a CPU-only app never uses.
TORCH_INDEX ?=
TORCH_PINS := $(shell grep -E '^torch(vision)?==' requirements.txt)

$(STAMP): requirements.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(if $(TORCH_INDEX),$(BIN)/python -m pip install --quiet --disable-pip-version-check --index-url $(TORCH_INDEX) $(TORCH_PINS))
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $(STAMP)

clean:
	rm -rf $(VENV)
