"""Plotly figure builders: arrays in, ``go.Figure`` out. No Streamlit here.

One module per topic (``training``, ``home``, ``activations``, …), all styled by
:mod:`dlcore.figures.theme` so charts look alike and stay readable on a
projector.
"""
