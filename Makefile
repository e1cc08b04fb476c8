# kzpublish — the demo book and the tool's own checks.
# Every edition target is one `kzpublish` call; setup is automatic.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
KZ     := $(BIN)/kzpublish
STAMP  := $(VENV)/.installed
SLUG   := $(shell sed -n 's/^slug *= *"\(.*\)"/\1/p' manuscript/book.toml)
SOURCES := $(shell find manuscript styles csl templates src/kzpublish -type f \
             -not -name '*.pyc' 2>/dev/null) pyproject.toml

# Debian packages: WeasyPrint's Pango, ICU for PyICU, poppler for the PDF checks.
DEBIAN_RUNTIME := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libicu-dev pkg-config
DEBIAN_TEST    := poppler-utils openjdk-17-jre-headless chromium

.PHONY: all pdf epub html check test lint clean setup tools

all: pdf epub html

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

check: | $(STAMP)
	$(KZ) check

lint: | $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/mypy

test: tools lint
	$(BIN)/python -m pytest

clean:
	rm -rf build dist
