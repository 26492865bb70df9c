# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two installs: what running needs, then the development tools (tests, linters, browser
# driver) on top. Both follow requirements.lock's pinned versions. --no-compile: Python
# compiles each module when it is first imported, instead of all 3,000 files up front.
INSTALLED_RUN := $(VENV)/.installed-run
INSTALLED_DEV := $(VENV)/.installed-dev
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-compile \
	-c requirements.lock

.PHONY: run test lint format messages translations lock benchmark-demo clean

run: $(INSTALLED_RUN) translations
	$(BIN)/ambassade run --demo

# The suite runs in TEST_PROCESSES processes (pytest-xdist); each has its own database
# and Redis database (docs: README, "Tests"). TEST_PROCESSES=0 runs it in this process.
TEST_PROCESSES ?= 2
# Compiled modules are kept (in .pycache/) even where the environment sets
# PYTHONDONTWRITEBYTECODE, as container images often do: otherwise each process of the
# run (the workers, and the commands and inner runs that tests start) compiles Django and
# every module from source again, about 10 s of CPU each.
TEST_ENV := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/.pycache

test: $(INSTALLED_DEV) translations
	$(TEST_ENV) $(BIN)/pytest -n $(TEST_PROCESSES) --dist worksteal

lint: $(INSTALLED_DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ambassade

format: $(INSTALLED_DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ambassade needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

# Each reinstalls when the dependencies or their pinned versions change.
$(INSTALLED_RUN): $(BIN)/python pyproject.toml requirements.lock
	$(PIP_INSTALL) -e .
	touch $(INSTALLED_RUN)

$(INSTALLED_DEV): $(INSTALLED_RUN)
	$(PIP_INSTALL) -e '.[dev]'
	touch $(INSTALLED_DEV)

translations: $(INSTALLED_RUN)
	@$(BIN)/ambassade manage compile_translations

# Developers: extract new strings into the French catalogue (needs GNU gettext).
messages: $(INSTALLED_RUN)
	cd ambassade && ../$(BIN)/ambassade manage makemessages --locale fr --no-obsolete --ignore 'tests/*' --add-location file

# Developers: pin the versions of every dependency after changing pyproject.toml.
lock: $(BIN)/python
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .pycache
