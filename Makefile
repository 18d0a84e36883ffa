# Everything a new machine needs is installed from here: Debian packages with apt-get
# when missing, Python packages into .venv/ from the lock file, front-end assets from npm.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
APT_PACKAGES := redis-server chromium gettext fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 postgresql

.PHONY: help install system-deps run serve test test-fast lint format bench lock messages demo clean

help:
	@echo "make run     the app with demo data on http://127.0.0.1:8000 (no servers needed)"
	@echo "make test    lint + the whole suite against a throwaway PostgreSQL and Redis"
	@echo "make serve   production mode: gunicorn + Celery worker + beat"
	@echo "make bench   benchmarks under bench/, printing their figures (BENCH=claims: one part)"
	@echo "make lint    ruff check and format check, and the import layers (import-linter)"

system-deps:
	@bash scripts/system-deps.sh $(APT_PACKAGES)

.venv/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || python3 -m venv .venv
	@$(PIP) install -q --upgrade pip 2>&1 | grep -v -i warning || true
	$(PIP) install -q -r requirements.lock 2>&1 | grep -v -i warning || true
	@$(PY) -c "import django, celery, weasyprint, rest_framework" 
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor-assets.sh
	@touch $@

install: system-deps .venv/.installed node_modules/.installed
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv --ignore=node_modules

run: install
	@bash scripts/run-dev.sh

serve: install
	@bash scripts/serve.sh

lint: .venv/.installed
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

format: .venv/.installed
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

test: install lint
	@bash scripts/with-services.sh .venv/bin/pytest -q $(PYTEST_ARGS)

bench: install
	@bash scripts/with-services.sh $(PY) bench/run.py $(BENCH)

messages: .venv/.installed
	$(PY) manage.py makemessages -l sv -l nl --no-location --ignore=.venv --ignore=node_modules --ignore=var
	$(PY) manage.py makemessages -d djangojs -l sv -l nl --no-location --ignore=.venv --ignore=node_modules --ignore=var --ignore=static/CACHE
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

lock:
	$(PIP) install -q pip-tools
	.venv/bin/pip-compile -q --no-emit-index-url --no-emit-find-links --strip-extras --extra dev -o requirements.lock pyproject.toml

clean:
	rm -rf var/run var/media var/static
