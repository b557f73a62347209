# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
CLI := $(VENV)/bin/policy-qa
STAMP := $(VENV)/.installed
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test unit install index eval bench lint clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: install, build the index if it is missing, start the main job.
run: install
	@$(PY) scripts/run_main.py

## make test: install dev deps and run the whole suite (unit + integration).
test: install
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -m "unit or integration"

## make unit: the fast suite (no models, no Chroma, no browser).
unit: install
	$(PY) -m pytest -m unit

index: install
	$(CLI) index build

## make eval: both gold sets; reports in evals/reports/ (dev) and evals/reports/dev_citizen/ (citizens' set, fixed date
## of its floors so figures compare with evals/floors_citizen.yaml).
eval: install
	$(CLI) eval --gold evals/gold/dev.jsonl --all-modes --out evals/reports
	$(CLI) eval --gold evals/gold/dev_citizen.jsonl --as-of 2026-11-30 --out evals/reports/dev_citizen

bench: install
	$(CLI) bench

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache data
