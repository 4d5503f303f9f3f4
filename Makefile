# Two commands on a fresh clone: `make book` (build the site) and `make test` (every test).
# `make check` runs the unit tests alone (tests/unit: the package, the data, the chapter sources),
# in seconds and with no build; tests/build builds books, tests/site reads the built site.
# The first of python3.13, python3.12, python3.11, python3 that is 3.11 or newer (scripts/find_python.sh);
# `make book PYTHON=/path/to/python` overrides it.
ifndef PYTHON
PYTHON := $(shell sh scripts/find_python.sh 2>/dev/null)
endif
VENV   := .venv
PY     := $(VENV)/bin/python
JB     := $(VENV)/bin/jupyter-book
CHROMIUM ?= /usr/bin/chromium
# Warnings are errors, unresolved references are errors, and every problem is reported.
STRICT := -W -n --keep-going

.PHONY: book pdf test check strict-build serve lab zip student grade vendor constraints check-chromium clean lighthouse

# cffconvert (tests/unit/test_citation.py checks CITATION.cff with it) declares jsonschema<4 but works
# with the pinned 4.x, so it and its own dependencies go in without dependency resolution.
$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	@test -n "$(PYTHON)" || sh scripts/find_python.sh
	@echo "Using $(PYTHON): $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --no-deps -c constraints.txt cffconvert pykwalify docopt ruamel.yaml
	touch $@

# The build also prints the whole book as one PDF, which the intro page offers (about a minute),
# when Chromium is there to print it; without it the site is built and the PDF skipped, with a note.
book: $(VENV)/.installed
	$(JB) build . --builder html $(STRICT)
	@if test -x $(CHROMIUM); then $(MAKE) --no-print-directory pdf; else \
	  echo "No Chromium at $(CHROMIUM): the whole-book PDF was not made (install chromium, then: make pdf)."; fi
	@echo "Built: _build/html/index.html  (read it with: make serve)"

# The whole book as one PDF, printed by Chromium from the built site: run after a build.
pdf: $(VENV)/.installed check-chromium
	$(PY) scripts/make_pdf.py

# The test build writes every page (--all); notebooks whose source is unchanged come from the cache.
strict-build: $(VENV)/.installed
	$(JB) build . --builder html --all $(STRICT)

test: $(VENV)/.installed check-chromium strict-build pdf
	$(PY) -m pytest

check: $(VENV)/.installed
	$(PY) -m pytest -q tests/unit

check-chromium:
	@test -x $(CHROMIUM) || { echo "Browser tests need Debian's chromium at $(CHROMIUM)."; \
	  echo "Install it with: sudo apt-get install chromium   (or set CHROMIUM=/path/to/chromium)"; exit 1; }

serve:
	@echo "Serving _build/html at http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(PY) -m http.server --bind 127.0.0.1 --directory _build/html 8000

lab: $(VENV)/.installed
	$(PY) scripts/lab_settings.py
	cd notebooks && ../$(VENV)/bin/jupyter lab

zip:
	$(PY) scripts/pack_site.py

# The classroom kit: every chapter as a plain notebook (numbers written in, no MyST) without
# solutions, with the data and claimcheck. The HTML build makes it when it finishes (the
# numbers come from the executed chapters): _build/student/exaflops-externalities-student.zip,
# also offered on the teacher's guide.
# It also writes the teacher's answer key (_build/teacher/answer-key/, every answer filled in)
# and one Otter autograder per chapter (_build/teacher/autograder/), never put on the site.
student: book
	@echo "Student kit: _build/student/exaflops-externalities-student.zip"
	@echo "Answer key:  _build/teacher/answer-key/"

# Grade the students' notebooks offline (Otter-Grader, no Docker, no network):
# make grade SUBMISSIONS=path/to/folder writes path/to/folder/grades.csv.
grade: $(VENV)/.installed
	@test -n "$(SUBMISSIONS)" || { echo "Say which folder: make grade SUBMISSIONS=path/to/notebooks"; exit 2; }
	@test -d _build/teacher/autograder || { echo "No autograders yet: run make student first"; exit 2; }
	$(PY) scripts/classroom.py grade "$(SUBMISSIONS)"

vendor: $(VENV)/.installed
	$(PY) scripts/vendor_assets.py

constraints: $(VENV)/.installed
	$(PY) -m pip freeze --exclude-editable | grep -v '^claimcheck' > constraints.txt

# Lighthouse (mobile, simulated throttling, gzip) on every page of the built site, beside an
# empty `jupyter-book create` book; writes benchmarks/RESULTS.md. A benchmark, not a test.
# Lighthouse 12.2.3 is installed from npm into benchmarks/node_modules (Node 20).  RUNS=3 for medians.
RUNS ?= 1
lighthouse: $(VENV)/.installed check-chromium
	@test -f _build/html/index.html || { echo "Build the book first: make book"; exit 1; }
	cd benchmarks && npm install --no-audit --no-fund
	CHROMIUM=$(CHROMIUM) $(PY) benchmarks/lighthouse.py --runs $(RUNS)

clean:
	rm -rf _build
