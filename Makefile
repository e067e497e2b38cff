# Docs du Net — every target sets itself up on a fresh machine.
#   make demo   build a populated site from bundled sample feeds (no internet)
#   make html   fetch the real feeds and build a local preview into output/ (relative URLs)
#   make publish  the production build (publishconf.py, SITEURL=https://docsdu.net): CI deploys it
#   make validate check OUTPUTDIR's feeds, OPML, sitemap, robots.txt, pages (tools/speccheck.py)
#   make backfill [ID=…]  walk the feeds' older pages once (whole archives)
#   make suggest  blogs the listed blogs link to, not yet listed (proposals only)
#   make test   run the whole test suite
#   make test-fast  the pure tests only (about a minute); make lint  ruff + mypy + zizmor
#   make fuzz   feed bytes → parse → clean → site files, validated: thousands of generated and mutated feeds
#   make bench  time make html on a synthetic corpus (N feeds × M entries, JSON=path)
#   make privacy-check  scan OUTPUTDIR for e-mails, avatars, profile links, hashes, deny-listed names
#   make classify-report  precision/recall of filing posts by their words (SPLIT=all|dev|held-out)
# Overrides: make html FEEDS=path STATE=dir OUTPUTDIR=dir; make publish SITEURL=https://…

# PYTHON: the interpreter that makes .venv. Unset, tools/pyvenv.sh takes the first of python3.11,
# python3.12, python3.13, python3 that satisfies pyproject.toml's requires-python.
VENV     := .venv
PY       := $(VENV)/bin/python
FEEDS    ?= feeds.yaml
STATE    ?= .state
OUTPUTDIR ?= output
PORT     ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

BLOGROLL_ENV = BLOGROLL_FEEDS=$(FEEDS) BLOGROLL_STATE_DIR=$(STATE)

.PHONY: help html publish validate demo serve test test-fast lint wheelhouse check clean distclean venv browser-deps screenshots bench privacy-check classify-report

help:
	@sed -n '2,14p' Makefile

# The whole dependency tree is pinned in constraints.txt (make lock writes it); EXTRAS= (empty)
# installs what the build needs only, as the hourly workflow does. The editable install puts
# plugins/ on the path (compat mode), as an installed wheel puts pelican/plugins/blogroll in
# site-packages: Pelican finds namespace plugins by listing that folder, not by importing.
# `venv` first checks .venv (tools/pyvenv.sh): one made by another interpreter (PYTHON of another
# version), one whose python no longer runs or no longer satisfies requires-python is made again
# rather than reused; with no suitable Python, one French line says which to install.
EXTRAS ?= test,lint
$(VENV)/.installed: pyproject.toml constraints.txt
	@echo "make : installation des dépendances dans $(VENV) (constraints.txt)…"
	$(PY) -m pip install --quiet -c constraints.txt --config-settings editable_mode=compat -e '.$(if $(EXTRAS),[$(EXTRAS)])'
	@touch $@

venv:
	@PYTHON='$(PYTHON)' sh tools/pyvenv.sh venv $(VENV)
	@$(MAKE) --no-print-directory -s $(VENV)/.installed

# Regenerate constraints.txt after a change of pyproject.toml's dependencies: a fresh venv,
# the project with every extra, then pip freeze (every installed distribution, exact versions).
.PHONY: lock
lock:
	rm -rf .lock-venv && python=$$(PYTHON='$(PYTHON)' sh tools/pyvenv.sh find) && $$python -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet '.[test,lint,bench]'
	{ echo "# The whole dependency tree, pinned: make lock writes it (pip freeze of a fresh venv"; \
	  echo "# with .[test,lint,bench]); make venv and CI install with -c constraints.txt."; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable | grep -v -i '^pelican-docsdunet'; \
	} > constraints.txt
	rm -rf .lock-venv build

check: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll check

# Maintainers (CONTRIBUTING.md): make add URL=… [AUTHOR="pseudonyme"], make try ID=…,
# make import-opml FILE=…, make export-opml [FILE=blogroll.opml]
.PHONY: add try import-opml export-opml backfill suggest
add: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll add "$(URL)" $(if $(AUTHOR),--author "$(AUTHOR)")

try: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll try $(ID)

backfill: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll backfill $(ID)

suggest: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll suggest

import-opml: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll import-opml "$(FILE)"

export-opml: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll export-opml -o "$(or $(FILE),blogroll.opml)"

# One interpreter: the registry check (same file:line: reason errors, exit 1), then Pelican.
html: venv
	$(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll build -- content -s pelicanconf.py -o $(OUTPUTDIR)

# The one production build: hourly.yml and pr.yml run exactly this, and so does
# tests/e2e/test_production_build.py (on the demo feeds served on loopback).
SITEURL ?= https://docsdu.net
publish: venv
	SITEURL=$(SITEURL) $(BLOGROLL_ENV) $(PY) -m pelican.plugins.blogroll build -- content -s publishconf.py -o $(OUTPUTDIR)

validate: venv
	$(PY) tools/speccheck.py $(OUTPUTDIR) --site-url $(SITEURL)

# The demo's two expected warnings: « introuvable » answers 404 on purpose (the demo's broken
# blog, shown on /etat/), and Pelican's « Processed 0 articles » (the plugin writes the posts'
# pages itself, Pelican has none): both are said at the end, with how to look at the site.
demo: venv
	OUTPUTDIR=$(OUTPUTDIR) STATE=$(if $(filter .state,$(STATE)),.state-demo,$(STATE)) $(PY) tools/demo.py
	@echo ""
	@echo "Démo construite dans $(OUTPUTDIR)/. Pour la voir : make serve$(if $(filter output,$(OUTPUTDIR)),, OUTPUTDIR=$(OUTPUTDIR)), puis ouvrez http://127.0.0.1:$(PORT)/"
	@echo "(ouvert directement depuis le disque, $(OUTPUTDIR)/index.html s'affiche sans styles : ses liens partent de la racine du site)."
	@echo "Avertissements attendus : « introuvable » répond 404 exprès (le blog en panne de la démo, visible sur /etat/) ;"
	@echo "« Processed 0 articles » vient de Pelican : le plugin écrit lui-même les pages des billets."

serve:
	@echo "http://127.0.0.1:$(PORT)/"
	$(if $(wildcard $(PY)),$(PY),$(or $(PYTHON),python3)) -m http.server --bind 127.0.0.1 --directory $(OUTPUTDIR) $(PORT)

# Browser tests need Debian's chromium (installed here when missing and root;
# otherwise those tests skip with the reason) and node_modules (axe-core, vnu-jar).
browser-deps: node_modules/.installed
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	  else echo "browser-deps: chromium is missing and we are not root: browser tests will skip"; fi; }

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

test: venv browser-deps wheelhouse
	$(PY) -m pytest

# The runtime dependencies as wheels, at the pinned versions, for the test that installs the
# plugin from its wheel into a fresh venv: it installs from here with --no-index (no network).
wheelhouse: .wheelhouse/.done
.wheelhouse/.done: constraints.txt pyproject.toml | venv
	$(PY) -m pip download --quiet -c constraints.txt -d .wheelhouse .
	@touch $@

# The pure-unit lane: no Pelican build, no browser, nothing slow (markers in pyproject.toml).
test-fast: venv
	$(PY) -m pytest -q -m "not build and not browser and not slow"

# The XML-safety fuzzer (tests/site/test_xml_fuzz.py) at length: `make test` runs it on 60 feeds
# per test, this on 2,500 (the hypothesis profile « fuzz » of tests/xmlchars.py).
.PHONY: fuzz
fuzz: venv
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics tests/site/test_xml_fuzz.py

# The generated anonymity adversary and precision corpus (tests/anonymity/test_generated_*.py)
# at length: `make test` builds one derandomized batch per family and runs 300 feeds per family
# through parse_and_clean; this builds 12 random batches per family and runs 2000 feeds each
# (hypothesis profiles « anonymity-fuzz », tests/anonymity/adversary.py).
# ANONYMITY_ADVERSARY_REPORT=file adds one JSON line per generated case (family, field, place, leaked).
.PHONY: fuzz-anonymity
fuzz-anonymity: venv
	HYPOTHESIS_PROFILE=anonymity-fuzz $(PY) -m pytest -q -p no:cacheprovider --hypothesis-show-statistics \
	  tests/anonymity/test_generated_pipeline.py tests/anonymity/test_generated_adversary.py \
	  tests/anonymity/test_generated_precision.py

# zizmor: the workflows and dependabot.yml (.github), offline (no lookup of actions' tags).
lint: venv
	$(VENV)/bin/ruff check plugins tests tools bench
	$(VENV)/bin/mypy
	$(VENV)/bin/zizmor --offline .github

# Leak guard, run by CI after every build (tools/privacy_check.py): fails on any hit.
# Deny-list of real names from PRIVACY_DENYLIST_FILE / PRIVACY_DENYLIST (never in the repo).
privacy-check: venv
	$(PY) tools/privacy_check.py $(OUTPUTDIR)

# Filing by words, measured on the synthetic set (tests/fixtures/classify/posts.yaml) and on real
# posts whose texts stay outside the repository (DOCSDUNET_REALPOSTS, default
# ~/.cache/docsdunet/realposts/; skipped, saying so, without them): docs/classification.md.
# make test asserts the thresholds (tests/clean/test_classify.py).
classify-report: venv
	$(PY) tools/classify_report.py --split $(or $(SPLIT),all)

# Benchmark (docs/performance.md): make bench N=1000 M=20 [A=50000] [JSON=report.json]
# The bench extra (reader, the peer it runs on the same corpus) is installed here only.
$(VENV)/.bench-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -c constraints.txt --config-settings editable_mode=compat -e '.[bench]'
	@touch $@

bench: venv $(VENV)/.bench-installed
	$(PY) -m bench $(if $(N),--feeds $(N)) $(if $(M),--entries $(M)) $(if $(A),--archive $(A)) \
	  $(if $(JSON),--json $(JSON))

screenshots: venv browser-deps
	$(PY) tools/screenshots.py

# clean keeps .venv (the installed dependencies take minutes and the network to get back);
# distclean removes it too.
clean:
	rm -rf $(OUTPUTDIR) .state-demo .pytest_cache bench/out .wheelhouse
	@echo "make clean garde $(VENV) (l'environnement Python) ; make distclean le supprime aussi."

distclean: clean
	rm -rf $(VENV)
