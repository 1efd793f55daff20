#!/usr/bin/env bash
# Install everything and run every test: lint, format, unit, doctests, AppTest, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -r requirements-dev.txt
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/python -m pytest -q --timeout=900 "$@"
