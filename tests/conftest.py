"""Shared fixtures: repo root on sys.path, in-process training for AppTest."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# AppTest runs pages in this process: train in-process, cache in memory only.
os.environ.setdefault("DLCORE_EXECUTOR", "thread")
os.environ.setdefault("DLCORE_CACHE_DIR", "none")


@pytest.fixture
def app_test():
    """A factory for AppTest runs of ``app.py`` with fresh Streamlit caches."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()

    def make(
        page: str | None = None, *, lang: str | None = None, locale: str | None = None
    ):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
        if lang is not None:
            at.query_params["lang"] = lang
        if locale is not None:
            at.context = {"locale": locale}
        if page is not None:
            at.switch_page(f"pages/{page}.py")
        return at.run()

    return make


def plotly_specs(at) -> list[dict]:
    """The figure JSON of every Plotly chart an AppTest run rendered."""
    import json

    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def exceptions(at) -> list[str]:
    return [f"{e.message}\n{''.join(e.stack_trace)}" for e in at.exception]
