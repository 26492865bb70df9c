# Two commands matter: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed-stamp

.PHONY: run test lint format messages translations lock benchmark-demo clean

run: $(INSTALLED) translations
	$(BIN)/ambassade run --demo

test: $(INSTALLED) translations
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy ambassade

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Ambassade needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)

# Reinstalls when the dependencies or their pinned versions change.
$(INSTALLED): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $(INSTALLED)

translations: $(INSTALLED)
	@$(BIN)/ambassade manage compile_translations

# Developers: extract new strings into the French catalogue (needs GNU gettext).
messages: $(INSTALLED)
	cd ambassade && ../$(BIN)/ambassade manage makemessages --locale fr --no-obsolete --ignore 'tests/*' --add-location file

# Developers: pin the versions of every dependency after changing pyproject.toml.
lock: $(BIN)/python
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet -e '.[dev]'
	.venv-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
