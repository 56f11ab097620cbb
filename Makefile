# Briefing-site generator. `make site` sets everything up and builds; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SEEDS  ?= seeds
SITE   ?= site
N      ?=

.DEFAULT_GOAL := site
.PHONY: site serve test check accuracy clean distclean help

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

# The virtual environment is made when missing and refreshed when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

site: $(STAMP)  ## generate docs/ from $(SEEDS)/ and render the site into site/
	$(PY) -m generator build --seeds $(SEEDS) --site $(SITE)

serve: $(STAMP)  ## generate, then preview the site at http://127.0.0.1:8000 with live reload
	$(PY) -m generator build --seeds $(SEEDS)
	NO_MKDOCS_2_WARNING=1 $(PY) -m mkdocs serve -a 127.0.0.1:8000

test: $(STAMP)  ## run the whole test suite
	$(PY) -m pytest -q

check: $(STAMP)  ## validate articles and tag files; list pending tag suggestions
	$(PY) -m generator check --seeds $(SEEDS)

accuracy: $(STAMP)  ## score extraction against the gold annotations in tests/gold/
	$(PY) -m tests.accuracy

clean:  ## remove the built site and the generated pages (tag files and articles stay)
	rm -rf $(SITE) .site-* docs/index.md docs/briefings docs/countries docs/topics docs/people .pytest_cache

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)
