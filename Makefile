# Docs du Net — every target sets itself up on a fresh machine.
#   make demo   build a populated site from bundled sample feeds (no internet)
#   make html   fetch the real feeds and build the site into output/
#   make backfill [ID=…]  walk the feeds' older pages once (whole archives)
#   make suggest  blogs the listed blogs link to, not yet listed (proposals only)
#   make test   run the whole test suite
#   make bench  time make html on a synthetic corpus (N feeds × M entries, JSON=path)
#   make privacy-check  scan OUTPUTDIR for e-mails, avatars, profile links, hashes, deny-listed names
# Overrides: make html FEEDS=path STATE=dir OUTPUTDIR=dir

PYTHON   ?= python3
VENV     := .venv
PY       := $(VENV)/bin/python
FEEDS    ?= feeds.yaml
STATE    ?= .state
OUTPUTDIR ?= output
PORT     ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

BLOGROLL_ENV = BLOGROLL_FEEDS=$(FEEDS) BLOGROLL_STATE_DIR=$(STATE)

.PHONY: help html demo serve test check clean venv browser-deps screenshots bench privacy-check

help:
	@sed -n '2,10p' Makefile

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

check: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll check

# Maintainers (CONTRIBUTING.md): make add URL=… [AUTHOR="pseudonyme"], make try ID=…,
# make import-opml FILE=…, make export-opml [FILE=blogroll.opml]
.PHONY: add try import-opml export-opml backfill suggest
add: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll add "$(URL)" $(if $(AUTHOR),--author "$(AUTHOR)")

try: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll try $(ID)

backfill: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll backfill $(ID)

suggest: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll suggest

import-opml: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll import-opml "$(FILE)"

export-opml: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll export-opml -o "$(or $(FILE),blogroll.opml)"

html: venv
	$(BLOGROLL_ENV) $(PY) -m blogroll check
	$(BLOGROLL_ENV) $(PY) -m pelican content -s pelicanconf.py -o $(OUTPUTDIR)

demo: venv
	OUTPUTDIR=$(OUTPUTDIR) STATE=$(if $(filter .state,$(STATE)),.state-demo,$(STATE)) $(PY) tools/demo.py

serve:
	@echo "http://127.0.0.1:$(PORT)/"
	$(if $(wildcard $(PY)),$(PY),$(PYTHON)) -m http.server --bind 127.0.0.1 --directory $(OUTPUTDIR) $(PORT)

# Browser tests need Debian's chromium (installed here when missing and root;
# otherwise those tests skip with the reason) and node_modules (axe-core, vnu-jar).
browser-deps: node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else echo "browser-deps: chromium is missing and we are not root: browser tests will skip"; fi; }

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

test: venv browser-deps
	$(PY) -m pytest

# Leak guard, run by CI after every build (tools/privacy_check.py): fails on any hit.
# Deny-list of real names from PRIVACY_DENYLIST_FILE / PRIVACY_DENYLIST (never in the repo).
privacy-check: venv
	$(PY) tools/privacy_check.py $(OUTPUTDIR)

# Benchmark (docs/performance.md): make bench N=1000 M=20 [A=50000] [JSON=report.json]
bench: venv
	$(PY) -m bench $(if $(N),--feeds $(N)) $(if $(M),--entries $(M)) $(if $(A),--archive $(A)) \
	  $(if $(JSON),--json $(JSON))

screenshots: venv browser-deps
	$(PY) tools/screenshots.py

clean:
	rm -rf $(OUTPUTDIR) .state-demo .pytest_cache bench/out
