# Two commands for a newcomer: `make run` (set up and serve with demo data) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint check messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) load_geography
	$(MANAGE) seed_demo
	$(MANAGE) rebuild_rollups
	@echo ""
	@echo "Kongtun runs at http://127.0.0.1:8000  (stop with Ctrl+C)"
	@echo "Demo logins, all with password 'kongtun-demo':"
	@echo "  officer_mueang  district officer, Mueang Chiang Mai"
	@echo "  officer_sansai  district officer, San Sai"
	@echo "  province_cm     provincial staff, Chiang Mai"
	@echo "  department      department staff (whole country)"
	@echo "  reviewer_department  department staff who review department trips' reports"
	@echo "  admin           administrator (Django admin at /admin/)"
	@echo ""
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.installed
	$(BIN)/pytest -n logical --maxschedchunk=2

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

check: $(VENV)/.installed
	$(MANAGE) makemigrations --check --dry-run

# Refresh the message catalogues after changing user-facing strings; translate, then commit .po and .mo.
messages: $(VENV)/.installed
	$(MANAGE) makemessages -l th --no-location --no-obsolete --ignore=.venv --ignore=staticfiles --ignore=tests
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
