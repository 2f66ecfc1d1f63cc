# The two commands of the README: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
HOST ?= 127.0.0.1:8000
PYTEST_ARGS ?=

.PHONY: demo test test-sweep install migrate demo-data serve clean

$(INSTALLED): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(INSTALLED)

install: $(INSTALLED)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --noinput

demo-data: migrate
	$(PY) manage.py calendar_seed
	$(PY) manage.py load_demo

# The background worker (large imports, staffing/background.py) runs beside the server and stops with it.
serve:
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

demo: demo-data serve

# The whole suite (on the real date, or as on TEST_TODAY=YYYY-MM-DD), then the date sweep: the tests marked
# date_sensitive again as on each day of tests.plugins.SWEEP_DATES.
test: install
	$(PY) -m pytest $(PYTEST_ARGS)
	$(MAKE) --no-print-directory test-sweep

SWEEP_ARGS ?= -q
test-sweep: install
	@for day in $$($(PY) -c "from tests.plugins import SWEEP_DATES; print(*SWEEP_DATES)"); do \
		echo "==== 日期扫描:以 $$day 为今天运行 date_sensitive 测试 ===="; \
		TEST_TODAY=$$day $(PY) -m pytest -m date_sensitive $(SWEEP_ARGS) || exit 1; \
	done

clean:
	rm -rf $(VENV) var

# The catalog import against its floor (docs/performance.md): 10,000 items on fresh SQLite databases.
.PHONY: bench-import
bench-import: install
	$(PY) bench/bench_import.py

# Every benchmark of issue 11 against its floor, and the flat-cost table of issue 20 (each page at 10,000
# and at 1,000,000 cases), both written into docs/performance.md (about 7 minutes on 2 cores once the
# volumes exist; generated once, cached as SQLite files under var/bench/; --regenerate to redo them).
# Quick check: make bench BENCH_ARGS=--quick; the flat-cost table alone: BENCH_ARGS=--flat-only
.PHONY: bench
bench: install
	$(PY) bench/bench_all.py $(BENCH_ARGS)

# The load test of issue 20 (bench/loadtest.py, bench/locustfile.py): gunicorn on a generated volume,
# locust headless, then the case numbers checked gap-free. PostgreSQL database `loadtest` with 5 workers
# by default; `make loadtest DB=sqlite` for the contrast with one worker; `WAIT=1-3` for the capacity check
# (users click every 5–15 s by default, bench/locustfile.py). Not part of `make test`.
USERS ?= 50
SECONDS ?= 180
WAIT ?= 5-15
DB ?= postgresql
LOAD_CASES ?= 200000
LOAD_INSTALLED := $(VENV)/.installed-load

$(LOAD_INSTALLED): pyproject.toml $(INSTALLED)
	$(PY) -m pip install --quiet -e ".[test,load]"
	touch $(LOAD_INSTALLED)

.PHONY: loadtest
loadtest: $(LOAD_INSTALLED)
	$(PY) bench/loadtest.py --db $(DB) --users $(USERS) --seconds $(SECONDS) --cases $(LOAD_CASES) --wait $(WAIT)
