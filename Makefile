# Traitbook. Quick start: `make site` builds everything, `make test` runs every test
# (`make test-fast`: the tests that take a minute, after each edit).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two install sets: what a site needs (the runtime dependencies) and what the tests, linters and
# benchmarks add (the dev extras, about 700 MB with the other engines and the browser driver).
SITE_STAMP := $(VENV)/.installed-site
DEV_STAMP := $(VENV)/.installed-dev

# Material 9.7+ prints an end-of-life banner about MkDocs 2.0 on every build. We pin
# MkDocs < 2 on purpose (see pyproject.toml), so the banner is noise in build and test logs.
export NO_MKDOCS_2_WARNING := 1
# ProperDocs (installed with mkdocs-literate-nav) prints a banner asking MkDocs users to switch.
export DISABLE_MKDOCS_2_WARNING := true

.PHONY: install site serve test test-fast lint golden schema assets clean handbook worksheet offline

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(SITE_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(SITE_STAMP)

## install: everything, for development (tests, linters, benchmarks)
install: $(DEV_STAMP)

## site: generate the pages, the handbook PDFs and the question banks from catalogue/, build the
## static site into site/ (installs the runtime set only)
site: $(SITE_STAMP)
	$(BIN)/python -m generator build

## handbook / worksheet: one PDF in the project folder (PAPER=Letter for US Letter)
PAPER ?= A4
handbook: $(SITE_STAMP)
	$(BIN)/python -m generator handbook --paper $(PAPER) --output handbook.pdf
worksheet: $(SITE_STAMP)
	$(BIN)/python -m generator handbook --paper $(PAPER) --worksheet --output worksheet.pdf

## offline: a zip of the site that works opened from disk (file://), search included
offline: $(SITE_STAMP)
	TRAITBOOK_OFFLINE=true $(BIN)/python -m generator build --site-dir site-offline
	rm -f traitbook-offline.zip
	$(BIN)/python -m zipfile -c traitbook-offline.zip site-offline/

## serve: live preview on http://127.0.0.1:8000/ (regenerates when catalogue/ changes)
serve: $(SITE_STAMP)
	$(BIN)/python -m generator serve

## lint: ruff (lint and format), mypy (strict), the import layers, Biome on the site's JavaScript
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/biome lint --error-on-warnings

## test: lint, then every test on every core (tests that share a module's fixtures stay together)
test: lint
	$(BIN)/python -m pytest -n auto --dist loadscope

## test-fast: lint, then the fast tier: every test that needs no browser, site build, PDF,
## other engine or child process (tests/tiers.py); what to run after each edit
test-fast: lint
	$(BIN)/python -m pytest --fast -n auto --dist loadscope

## golden: rewrite tests/golden after an intended change to the output (review the diff!)
golden: install
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_golden.py tests/test_github_format.py

## assets: rewrite the minified JavaScript and CSS in overrides/assets/traitbook/ from generator/traitbook/_internal/site/assets/,
## and copy overrides/ into the project that `traitbook init` writes (generator/traitbook/_internal/scaffold/project/overrides/)
assets: install
	$(BIN)/python -m generator assets
	rm -rf generator/traitbook/_internal/scaffold/project/overrides
	cp -R overrides generator/traitbook/_internal/scaffold/project/overrides

## schema: rewrite schema/*.schema.json from the models
schema: install
	$(BIN)/python -m generator schema catalogue > schema/catalogue.schema.json
	$(BIN)/python -m generator schema trait > schema/trait.schema.json

clean:
	rm -rf site site-offline traitbook-offline.zip docs/traits docs/categories docs/reference docs/paths docs/self-assessment docs/_generated docs/downloads handbook.pdf worksheet.pdf .cache/traitbook
