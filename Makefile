# Waishi — two commands: `make run` and `make test`.
PYTHON_BIN ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$(command -v pyenv >/dev/null 2>&1 && ls -d "$$(pyenv root)"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test venv setup lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -n "$(PYTHON_BIN)" || { echo "Python 3.12 or newer is required"; exit 1; }
	test -x $(PY) || $(PYTHON_BIN) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

setup: venv
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_reference
	$(PY) manage.py load_twinning_reference
	$(PY) manage.py load_atlas_reference
	$(PY) manage.py load_trips_reference
	$(PY) manage.py ensure_admin

run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: venv
	$(PY) scripts/ensure_browser.py
	$(PY) -m pytest -q $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) benchmarks/registry_scale.py

clean:
	rm -rf $(VENV) var
