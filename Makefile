# Briefing-site generator. `make site` sets everything up and builds; `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SEEDS  ?= seeds
SITE   ?= site
SITE_URL ?=
N      ?=

.DEFAULT_GOAL := site
.PHONY: site serve test check accuracy bench clean distclean help chromium

help:  ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

# The virtual environment is made when missing and refreshed when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

site: $(STAMP)  ## generate docs/ from $(SEEDS)/ and render the site into site/
	$(PY) -m generator build --seeds $(SEEDS) --site $(SITE) $(if $(SITE_URL),--site-url $(SITE_URL))

serve: site  ## build, then serve site/ at http://127.0.0.1:8000 as readers get it (search included)
	$(PY) -m http.server --bind 127.0.0.1 --directory $(SITE) 8000

test: $(STAMP) chromium  ## run the whole test suite (browser tests use Debian's chromium)
	$(PY) -m pytest -q

# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

check: $(STAMP)  ## validate articles and tag files; list pending tag suggestions
	$(PY) -m generator check --seeds $(SEEDS)

accuracy: $(STAMP)  ## score extraction against the gold annotations in tests/gold/
	$(PY) -m tests.accuracy

bench: $(STAMP) chromium  ## benchmark at 1,000 and 10,000 synthetic articles (N=1000 for one size)
	$(PY) -m tests.bench $(if $(N),--sizes $(N))

clean:  ## remove the built site and the generated pages (tag files and articles stay)
	rm -rf $(SITE) .site-* .cache .bench docs/index.md docs/briefings docs/countries docs/topics docs/people \
	  docs/archive docs/data docs/feed.xml .pytest_cache tests/screenshots

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)
