# LeNet Lab — `make lab` to learn, `make test` to check everything. Python >= 3.10 is all you need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-requirements
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab test test-cpu-levels execute venv data clean help

help:
	@echo "make lab      start JupyterLab on notebooks/ (creates .venv and prepares MNIST first)"
	@echo "make test     run every test: unit tests, strict nbval on every notebook (at this CPU's best"
	@echo "              kernels, then AVX2-only and baseline x86), hygiene checks"
	@echo "make execute  re-run every notebook top to bottom in a fresh kernel, saving its outputs"
	@echo "make student  write build/student/: notebooks without solutions, helpers.py, data, README"
	@echo "make nav      regenerate navigation cells, slide metadata, the README map and guide tables"
	@echo "make timings  measure each notebook's run time into docs/timings.json (then make nav)"

# The environment is (re)built when it is missing or older than requirements.txt.
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 10) else "LeNet Lab needs Python >= 3.10; found %d.%d. Install a newer Python or run: make PYTHON=python3.11 ..." % v[:2])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

data: venv
	$(BIN)/python -c "import sys; sys.path.insert(0, 'notebooks'); import helpers; print('MNIST ready in', helpers.prepare_mnist())"

lab: venv data
	$(BIN)/jupyter lab --notebook-dir=notebooks

test: venv data
	$(BIN)/python -m pytest
	$(BIN)/python tools/cpu_levels.py

# The notebooks again under lower CPU levels (AVX2 only, baseline x86): outputs must not change.
test-cpu-levels: venv data
	$(BIN)/python tools/cpu_levels.py

execute: venv data
	@for nb in notebooks/[0-9][0-9]_*.ipynb; do \
	  echo "executing $$nb"; \
	  $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	    --ExecutePreprocessor.timeout=900 --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; \
	done

clean:
	rm -rf build .pytest_cache

# ---- Workshop kit: student copy, navigation and slides, measured timings --------------------
.PHONY: student nav timings

# Standard library only: no .venv needed.
student:
	$(PYTHON) tools/student.py

nav:
	$(PYTHON) tools/nav.py

timings: venv data
	$(BIN)/python tools/timings.py
