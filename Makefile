# Đảng vụ — two commands on a fresh machine with Python 3.11+: `make demo`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PG_URL ?= postgresql://postgres@127.0.0.1:5432/dangvu
PORT   ?= 8000

.PHONY: demo test check install system lint typecheck test-sqlite test-postgres bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Đảng vụ cần Python 3.11 trở lên"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

# Chromium, LibreOffice, poppler and fonts with full Vietnamese coverage (apt, only what is missing).
system:
	@sh scripts/system-deps.sh

# `make demo PORT=8001` when port 8000 is taken (the demo says so).
demo: $(STAMP) system
	$(BIN)/dangvu demo --addrport 127.0.0.1:$(PORT)

lint: $(STAMP)
	$(BIN)/ruff check dangvu tests bench
	$(BIN)/dangvu makemigrations --check --dry-run

typecheck: $(STAMP)
	$(BIN)/mypy dangvu

# SQLite always; PostgreSQL too, and under CI=true it is required (scripts/test.sh decides).
test: $(STAMP) system
	@BIN=$(BIN) PG_URL=$(PG_URL) sh scripts/test.sh

# The loop while working (under a minute on a quiet machine here): lint, migrations, types (incremental), the
# rules' tests without Django, and the record layers' (SQLite). `make test` runs everything, on both databases; CI runs that.
check: $(STAMP)
	$(BIN)/ruff check dangvu tests bench
	DANGVU_DATABASE_URL="sqlite:///$$(mktemp -d)/check.sqlite3" $(BIN)/dangvu makemigrations --check --dry-run >/dev/null
	$(BIN)/mypy dangvu
	$(BIN)/pytest -p no:django -W ignore::pytest.PytestConfigWarning tests/domain
	DANGVU_DATABASE_URL="sqlite:///var/check.sqlite3" $(BIN)/pytest tests/orgs tests/members tests/audit

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/*.sqlite3*
