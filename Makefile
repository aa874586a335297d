# Trellis: `make demo` to run it, `make test` to check it. See README.md.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
DEMO_DB ?= var/trellis.sqlite3
export DJANGO_SETTINGS_MODULE := trellis.settings

.PHONY: demo test lint types pytest bench chromium clean help messages gettext

help:
	@echo "make demo        set up and serve the demo on http://127.0.0.1:8000 (RESET=1 starts over)"
	@echo "make test        install test tools (Chromium included), run ruff, mypy and pytest"
	@echo "make bench       benchmarks on generated programs (tables; JSON in bench/); BENCHES=run for one"
	@echo "make messages    re-extract the Spanish catalog (locale/es) and compile it (docs/portal.md)"

$(VENV)/.base: pyproject.toml scripts/find-python
	@PYBIN="$$(scripts/find-python)" && echo "Using $$PYBIN" && \
	  ( [ -x $(PY) ] || "$$PYBIN" -m venv $(VENV) )
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(UV) pip install --quiet --python $(PY) -r pyproject.toml
	@touch $@

$(VENV)/.test: $(VENV)/.base
	$(UV) pip install --quiet --python $(PY) -r pyproject.toml --extra test
	@touch $@

demo: $(VENV)/.base
	@mkdir -p var
	@if [ "$(RESET)" = "1" ]; then echo "RESET=1: removing $(DEMO_DB)"; rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm; fi
	TRELLIS_DEMO=1 $(PY) manage.py migrate --no-input
	TRELLIS_DEMO=1 $(PY) manage.py seed_demo --if-empty
	TRELLIS_DEMO=1 $(PY) manage.py demo_signins
	@echo "Starting the background worker and clock (reminders, check-ins, alert sweeps)..."
	@TRELLIS_DEMO=1 $(PY) manage.py db_worker > var/worker.log 2>&1 & WORKER=$$!; \
	TRELLIS_DEMO=1 $(PY) manage.py run_clock > var/clock.log 2>&1 & CLOCK=$$!; \
	trap 'kill $$WORKER $$CLOCK 2>/dev/null' EXIT INT TERM; \
	TRELLIS_DEMO=1 $(PY) manage.py runserver --noreload 127.0.0.1:8000

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then echo "Installing Debian's chromium for browser tests..."; \
	  (apt-get install -y -qq chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium)) ; \
	else echo "Browser tests need Debian's chromium: run 'sudo apt-get install -y chromium' and try again." >&2; exit 1; fi

# The Spanish catalog (docs/portal.md, "Spanish"): extract every wrapped string into
# locale/es/LC_MESSAGES/django.po (new ones empty, changed ones fuzzy), then compile django.mo.
# Both files are committed, so tests and the demo need no gettext tools; this target does.
gettext:
	@if command -v msgfmt >/dev/null && command -v xgettext >/dev/null; then :; \
	elif [ "$$(id -u)" = "0" ]; then echo "Installing GNU gettext for makemessages..."; \
	  (apt-get install -y -qq gettext >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq gettext)) ; \
	else echo "make messages needs GNU gettext: run 'sudo apt-get install -y gettext' and try again." >&2; exit 1; fi

messages: $(VENV)/.base gettext
	TRELLIS_DEMO=1 $(PY) manage.py makemessages -l es -e html,txt,py --no-obsolete --add-location file \
	  --ignore 'tests/*' --ignore 'bench/*' --ignore 'var/*' --ignore 'static/*' --ignore 'scripts/*'
	TRELLIS_DEMO=1 $(PY) manage.py compilemessages -l es --ignore '.venv' --ignore 'var'

lint: $(VENV)/.test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(VENV)/.test
	SECRET_KEY=type-checking-only $(VENV)/bin/mypy .

pytest: $(VENV)/.test chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint types pytest

# Each script seeds its own throwaway database and prints a table; results in bench/*.json.
BENCHES ?= run scheduling measures $(basename $(notdir $(wildcard bench/notes.py bench/meetings.py bench/transitions.py bench/intake.py bench/intake_board.py bench/intake_admission.py bench/practice_adherence.py bench/practice_diary.py bench/portal.py bench/messaging.py bench/directory.py)))
bench: $(VENV)/.test
	@for b in $(BENCHES); do echo "== bench/$$b.py =="; $(PY) bench/$$b.py $(BENCH_ARGS) || exit 1; done

clean:
	rm -rf $(VENV) var
