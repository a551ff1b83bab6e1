# Two commands on a fresh machine:  make run  |  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install lint run test migrate demo check-services bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Embedded default: SQLite in var/, Celery eager, e-mail to the console. The scheduler
# (celery beat's schedule run in its own process: outbox relay, 48-hour reminders,
# quarterly reports) runs in the background and stops when the server stops.
run: demo
	@echo "Serving the portal at http://127.0.0.1:8000/ (admin at /admin/). Stop with Ctrl-C."
	$(BIN)/python manage.py run_scheduler --stop-with-parent & \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Starts throwaway PostgreSQL and Redis servers when their binaries exist (tests/servers.py),
# shared by TEST_WORKERS pytest-xdist processes, each with its own test database and Redis
# database (portal/settings/test.py). TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= 2
# The fault tests stop and restart those servers, so they run on their own afterwards.
test: install lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "not faults"
	$(BIN)/python -m pytest -m faults

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-services: install
	$(BIN)/python manage.py check_services

# Page speed at make_dataset scales 1 and 10 on throwaway servers; writes bench/RESULTS.md.
bench: install
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) var .pytest_cache
