# make run   - set up .venv if needed, import the seed sheet, show it, write out/seed.json
# make test  - set up .venv if needed, run the test suite on 2 workers
# make bench - run every benchmarks/*.py
#
# The venv is (re)installed only when pyproject.toml is newer than the stamp
# file inside it. uv is used when it can be installed; plain venv + pip otherwise.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.jixiao-installed
SEED   := examples/seed_2024_town_approval.txt

.PHONY: run test bench install clean

run: $(STAMP)
	$(BIN)/jixiao import $(SEED) --to table
	$(BIN)/jixiao import $(SEED) --to json -o out/seed.json

test: $(STAMP)
	$(BIN)/python -m pytest -q -n 2

bench: $(STAMP)
	@set -e; found=; for f in benchmarks/*.py; do \
	  [ -e "$$f" ] || continue; found=1; \
	  echo "== $$f"; $(BIN)/python "$$f"; \
	done; [ -n "$$found" ] || echo "benchmarks/ 中还没有基准脚本"

install: $(STAMP)

$(STAMP): pyproject.toml
	@set -e; \
	if $(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q uv >/dev/null 2>&1; then \
	  [ -x $(BIN)/python ] || $(PYTHON) -m uv venv -q -p 3.11 $(VENV); \
	  $(PYTHON) -m uv pip install -q -p $(BIN)/python -e '.[test]'; \
	else \
	  echo "uv 不可用, 改用 venv + pip"; \
	  [ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip -q; \
	  $(BIN)/python -m pip install -q -e '.[test]'; \
	fi
	@touch $@

clean:
	rm -rf out .pytest_cache .hypothesis build dist
