# make run   - install what is missing, load the demo data into jixiao.db, serve the web app on
#              http://127.0.0.1:8000 (PORT=… to change)
# make seed  - the command line on the seed sheet: show it as a table, write out/seed.json
# make test  - install what is missing (LibreOffice, PostgreSQL, Chromium too), run the suite on 2 workers
# make bench - run every benchmarks/*.py
#
# System packages: scripts/system-packages.sh installs the Debian packages a target
# needs (as root, or through password-less sudo; otherwise it prints the command and
# stops), and is a ~0.1 s no-op when they are there.
# The venv is (re)installed only when pyproject.toml is newer than the stamp
# file inside it. uv is used when it can be installed; plain venv + pip otherwise.
# Bytecode is compiled at install so the first run of each command does not pay for it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.jixiao-installed
SEED   := examples/seed_2024_town_approval.txt
# Extra pytest arguments: make test PYTEST_ARGS='tests/test_cli.py -x'
PYTEST_ARGS ?=
PORT ?= 8000

.PHONY: run seed test bench install doctor clean

run: $(STAMP)
	@scripts/system-packages.sh run
	$(BIN)/jixiao demo
	$(BIN)/jixiao serve --host 127.0.0.1 --port $(PORT)

seed: $(STAMP)
	$(BIN)/jixiao import $(SEED) --to table
	$(BIN)/jixiao import $(SEED) --to json -o out/seed.json

test: $(STAMP)
	@scripts/system-packages.sh test
	$(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

bench: $(STAMP)
	@set -e; found=; for f in benchmarks/*.py; do \
	  [ -e "$$f" ] || continue; found=1; \
	  echo "== $$f"; $(BIN)/python "$$f"; \
	done; [ -n "$$found" ] || echo "benchmarks/ 中还没有基准脚本"

install: $(STAMP)

doctor: $(STAMP)
	$(BIN)/jixiao doctor

$(STAMP): pyproject.toml
	@set -e; \
	if $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q uv >/dev/null 2>&1; then \
	  [ -x $(BIN)/python ] || $(PYTHON) -m uv venv -q -p 3.11 $(VENV); \
	  $(PYTHON) -m uv pip install -q --compile-bytecode -p $(BIN)/python -e '.[test]'; \
	else \
	  echo "uv 不可用, 改用 venv + pip"; \
	  [ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip -q; \
	  $(BIN)/python -m pip install -q -e '.[test]'; \
	fi
	@touch $@

clean:
	rm -rf out .pytest_cache .hypothesis build dist
