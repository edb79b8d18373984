# LeNet Lab — `make lab` to learn, `make test` to check everything. Python >= 3.11 is all you need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-from-requirements
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: lab check test test-cpu-levels execute venv data clean help

help:
	@echo "make lab      start JupyterLab on notebooks/ (creates .venv and prepares MNIST first; see README.md)"
	@echo "make check    the fast loop: unit and hygiene tests, strict nbval of the notebooks changed against main"
	@echo "make test     run every test: unit tests, strict nbval on every notebook (at this CPU's best"
	@echo "              kernels, then AVX2-only and baseline x86), browser, site, hygiene (see CONTRIBUTING.md)"
	@echo "make execute  re-run every notebook top to bottom in a fresh kernel, saving its outputs (NB=\"03 07\" for some)"
	@echo "make student  write build/student/ (the handout: notebooks without solutions, helpers.py, data,"
	@echo "              README) and refresh student/, the committed copy learner links open: after any notebook edit"
	@echo "make solutions write build/solutions/: the same with every exercise replaced by its solution"
	@echo "make nav      regenerate navigation cells, slide metadata, the README map and guide tables"
	@echo "make timings  measure each notebook's run time into docs/timings.json (NB=\"07\" for some; then make nav)"
	@echo "make imgs     redraw the pictures in imgs/ (LeNet-5 diagram, convolution GIFs) and their manifest"
	@echo "make memory   peak memory of each notebook's kernel (NB=\"07 08\" for some); fails above 1.2 GB"
	@echo "make site     build the website into build/site/ from the stored outputs (make site-deps: its toolchain)"
	@echo "make test-cpu-levels  only the notebooks, under AVX2-only and baseline x86 caps"
	@echo "make test-oldest      every notebook to the end on the oldest torch/torchvision environment.yml allows"
	@echo "make repo2docker      install repo2docker into .venv-repo2docker (tests/test_binder.py reads its Dockerfile)"

# The environment is (re)built when it is missing, half-made or older than requirements.txt.
# A half-made .venv (an earlier `python3 -m venv` failed, e.g. for want of Debian's python3-venv,
# and left bin/python without pip) is removed and made again; if venv fails now, .venv is removed
# and one line says what to install, so the next `make lab` starts clean (tests/test_setup.py).
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info; sys.exit(0 if v >= (3, 11) else "LeNet Lab needs Python >= 3.11 (the pinned torch, numpy and matplotlib need it); found %d.%d. Install a newer Python or run: make PYTHON=python3.12 ..." % v[:2])'
	@if [ -e $(VENV) ] && ! $(BIN)/python -m pip --version >/dev/null 2>&1; then \
	  echo "$(VENV) is half-made (no working pip in it): removing it and creating it again"; rm -rf $(VENV); fi
	@test -x $(BIN)/python || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip --version >/dev/null 2>&1; } || { rm -rf $(VENV); \
	  echo "LeNet Lab: '$(PYTHON) -m venv' failed. Debian/Ubuntu: sudo apt-get install python3-venv (or python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv), then make lab again."; exit 1; }
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

data: venv
	$(BIN)/python -c "import sys; sys.path.insert(0, 'notebooks'); import helpers; print('MNIST ready in', helpers.prepare_mnist())"

# As root (a container, some lab VMs, WSL set up as root) Jupyter refuses to start without
# --allow-root: say so in one line and pass it.
lab: venv data
	@if [ "$$(id -u)" = 0 ]; then echo "Warning: running as root, so JupyterLab starts with --allow-root (better: run make lab as a normal user)"; \
	  exec $(BIN)/jupyter lab --notebook-dir=notebooks --allow-root; fi; \
	exec $(BIN)/jupyter lab --notebook-dir=notebooks

# pytest, and beside it the notebooks again at the lower CPU levels (tools/cpu_levels.py): pytest
# keeps about one core busy, so the two together take little longer than pytest alone. Their
# report follows pytest's; either failing fails `make test`. OMP_WAIT_POLICY=PASSIVE: PyTorch's
# OpenMP threads sleep when idle instead of spinning, so two kernels with two threads each share
# two cores without slowing each other down (it changes no result, only how threads wait).
test check test-cpu-levels: export OMP_WAIT_POLICY := PASSIVE
test: venv data site-deps-if-npm
	@mkdir -p build
	@$(BIN)/python tools/cpu_levels.py > build/cpu-levels.log 2>&1 & levels=$$!; \
	trap 'kill $$levels 2>/dev/null' INT TERM; \
	$(BIN)/python -m pytest; tests=$$?; \
	wait $$levels; levels_status=$$?; \
	echo "== the notebooks at lower CPU levels (tools/cpu_levels.py, run beside pytest; build/cpu-levels.log):"; \
	cat build/cpu-levels.log; \
	[ $$tests -eq 0 ] && [ $$levels_status -eq 0 ]

# The fast loop for every edit: no kernel, browser, site build or make run, then strict nbval of
# the notebooks changed against main (committed or not); none if none changed.
FAST := not kernel and not browser and not site and not slow
check: venv data
	$(BIN)/python -m pytest -m "$(FAST)" tests
	@changed="$$($(BIN)/python tools/changed_notebooks.py)" || exit 1; \
	if [ -z "$$changed" ]; then echo "no notebook changed against main: no nbval to run"; \
	else echo "nbval of the changed notebooks:" $$changed; $(BIN)/python -m pytest $$changed; fi

# The notebooks again under lower CPU levels (AVX2 only, baseline x86): outputs must not change.
test-cpu-levels: venv data
	$(BIN)/python tools/cpu_levels.py

# Every notebook in number order (NB="03 07" for some), in a fresh kernel each, outputs saved.
execute: venv data
	$(BIN)/python tools/execute.py $(NB)

clean:
	rm -rf build .pytest_cache

# ---- Workshop kit: student copy, navigation and slides, measured timings --------------------
.PHONY: student solutions nav timings

# These read and write notebooks with nbformat (requirements.txt), so they run in .venv.
student: venv
	$(BIN)/python tools/student.py
	$(BIN)/python tools/learner_copy.py

# The solutions release, to hand out after the session: every exercise replaced by its solution.
solutions: venv
	$(BIN)/python tools/student.py --solutions

nav: venv
	$(BIN)/python tools/nav.py
	$(BIN)/python tools/learner_copy.py

timings: venv data
	$(BIN)/python tools/timings.py $(NB)

# Peak resident memory of each notebook's kernel (NB="07 08" for some); exit 1 above 1.2 GB.
# `make test` checks the same limit inside its nbval run (conftest.py), without running them again.
.PHONY: memory
memory: venv data
	$(BIN)/python tools/peak_rss.py $(NB)

# ---- Website: build/site/ from the notebooks' stored outputs (docs/site/; docs/site/PUBLISHING.md) ----
.PHONY: site site-deps
SITE_STAMP := $(VENV)/.installed-site-requirements
MATHJAX    := docs/site/node_modules/mathjax/es5/tex-chtml.js

# Needs the network once (PyPI, npm): .ci/run calls `make site-deps` before cutting it.
$(SITE_STAMP): docs/site/requirements.txt $(STAMP)
	$(BIN)/python -m pip install --disable-pip-version-check -r docs/site/requirements.txt
	touch $(SITE_STAMP)

$(MATHJAX): docs/site/package.json docs/site/package-lock.json
	cd docs/site && npm ci --no-audit --no-fund
	touch $(MATHJAX)

site-deps: $(SITE_STAMP) $(MATHJAX)

# `make test` on a machine with Python and make only: without npm the website's toolchain is not
# installed and the site tests skip, saying why (with CI=true they fail instead).
.PHONY: site-deps-if-npm
site-deps-if-npm:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory site-deps; \
	else echo "npm not found: not installing the website's toolchain (make site-deps); the site tests will skip"; fi

# Offline; never executes a notebook; warnings are errors. LENET_SITE_MATHJAX=cdn: MathJax from a CDN.
site: site-deps
	$(BIN)/python docs/site/build.py

# ---- Pictures in imgs/: drawn by tools/make_imgs.py; tests/test_imgs.py fails when they are stale
.PHONY: imgs
imgs: venv
	$(BIN)/python tools/make_imgs.py

# ---- Delivery: the oldest PyTorch environment.yml allows; Binder's image as repo2docker plans it ----
.PHONY: oldest-venv test-oldest repo2docker
OLDEST_VENV  := .venv-oldest
OLDEST_STAMP := $(OLDEST_VENV)/.installed
R2D_VENV     := .venv-repo2docker
R2D_STAMP    := $(R2D_VENV)/.installed

# Needs the network once (.ci/run calls it before cutting it): torch and torchvision at
# environment.yml's lower bounds (tools/oldest.py --pins reads them), the rest at requirements.txt's pins.
$(OLDEST_STAMP): environment.yml requirements.txt tools/oldest.py
	rm -rf $(OLDEST_VENV)
	$(PYTHON) -m venv $(OLDEST_VENV)
	grep -v -E '^(torch|torchvision)==' requirements.txt > $(OLDEST_VENV)/requirements-rest.txt
	$(OLDEST_VENV)/bin/python -m pip install --disable-pip-version-check $$($(PYTHON) tools/oldest.py --pins) -r $(OLDEST_VENV)/requirements-rest.txt
	touch $(OLDEST_STAMP)

oldest-venv: $(OLDEST_STAMP)

# Offline; runs every notebook to the end (outputs not compared) in .venv-oldest.
test-oldest: oldest-venv data
	$(OLDEST_VENV)/bin/python tools/oldest.py

# repo2docker in its own environment (tests/test_binder.py runs `repo2docker --no-build`; no Docker needed).
$(R2D_STAMP): .ci/repo2docker-requirements.txt
	rm -rf $(R2D_VENV)
	$(PYTHON) -m venv $(R2D_VENV)
	$(R2D_VENV)/bin/python -m pip install --disable-pip-version-check -r .ci/repo2docker-requirements.txt
	touch $(R2D_STAMP)

repo2docker: $(R2D_STAMP)
