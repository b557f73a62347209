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

.PHONY: run test test-deps unit install index eval bench lint clean

$(STAMP): pyproject.toml constraints.txt
	@if [ ! -x $(PY) ]; then \
	  $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	    || { echo "需要 Python 3.11 或更高版本：$(PYTHON) 不存在或版本过低，请安装后指定，如 make run PYTHON=python3.11" >&2; exit 1; }; \
	  echo "正在创建虚拟环境 $(VENV)（$(PYTHON)）…"; \
	  $(PYTHON) -m venv $(VENV) \
	    || { rm -rf $(VENV); echo "无法创建虚拟环境：请安装 Python 的 venv 模块（Debian/Ubuntu：apt-get install -y python3-venv）" >&2; exit 1; }; \
	fi
	@echo "正在安装依赖到 $(VENV)：CPU 版 PyTorch、sentence-transformers、Chroma、Gradio、LangChain、pytest/playwright 等（首次约 5 分钟、约 2.4 GB 磁盘，期间不再输出，请稍候）…"
	@$(PIP) install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)
	@echo "依赖已安装（pyproject.toml 或 constraints.txt 改变后会重新安装）。"

install: $(STAMP)

## make run: install, build the index if it is missing, start the web UI on POLICY_QA_UI_HOST:POLICY_QA_UI_PORT
## (default 127.0.0.1:7860; `make run HOST=0.0.0.0 PORT=8080` sets both). A busy port is one Chinese line, exit 1.
ifeq ($(origin HOST),command line)
export POLICY_QA_UI_HOST := $(HOST)
endif
ifeq ($(origin PORT),command line)
export POLICY_QA_UI_PORT := $(PORT)
endif

run: install
	@$(PY) scripts/run_main.py

## make test: chromium + CJK fonts (installed as root, else one line saying what to install), dev deps, ruff,
## `policy-qa corpus check` where this checkout has it, then the whole suite (unit + integration).
test: test-deps install
	$(VENV)/bin/ruff check .
	@if $(CLI) corpus check --help >/dev/null 2>&1; then echo "$(CLI) corpus check"; $(CLI) corpus check; fi
	$(PY) -m pytest -m "unit or integration"

test-deps:
	@bash scripts/ensure_test_deps.sh

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
	$(PY) scripts/bench_api.py  # REST /api/v1/ask vs gradio /ask, 20 concurrent clients

lint: install
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache data
