#!/usr/bin/env bash
# Install everything and run every test: lint, format, unit, doctests, AppTest, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/ruff format --check .
# Two workers (pytest-xdist, work stealing): the suite is mostly one busy core
# per test, so 2 workers halve the wall time on CI's 2 cores.
# PYTEST_WORKERS=0 runs in one process.
.venv/bin/python -m pytest -q --timeout=900 -n "${PYTEST_WORKERS:-2}" --dist worksteal \
  --durations=25 "$@"
