"""Every chart goes through :func:`plotly`: the one place projector mode applies."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from dlcore.figures import theme

PROJECTOR_KEY = "_projector"  # session key of the sidebar's projector switch


def projector() -> bool:
    """Whether this session shows charts in projector mode."""
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def plotly(fig: go.Figure, *, where: Any = None, **kwargs: Any) -> Any:
    """``st.plotly_chart`` with the theme's projector sizes when they are on.

    The mode bar is hidden on every chart (it covered titles and legends on
    phones); zoom and pan still work. Streamlit's chart theme is off: it
    shrank tick labels to 12 px light grey, so the figure's own theme
    (:mod:`dlcore.figures.theme`, ≥ 14 px, near-black) is what shows.
    ``where``: a container or placeholder (default: the current one).
    """
    if projector():
        fig = theme.for_projector(fig)
    config = {"displayModeBar": False, **kwargs.pop("config", {})}
    kwargs.setdefault("theme", None)
    return (where or st).plotly_chart(fig, config=config, **kwargs)
