"""Generalization: overfitting measured, every regularizer, deep networks, workflow."""

import streamlit as st

from ui import shell, state
from ui.views import generalization as views
from ui.views import generalization_deep as deep

lang = shell.page("generalization")
T = shell.translator(lang)

st.title(T("gen.title"))
st.markdown(T("gen.intro"))

tabs = state.tabs("gen_tab", views.TABS, lambda tab: T(f"gen.tab.{tab}"))
sections = {
    "overfit": views.overfit,  # capacity and data-size sweeps
    "regularize": views.regularize,  # L1/L2, weight decay, dropout, early stopping
    "deep": deep.deep,  # batch normalization, residual connections
    "workflow": deep.workflow,  # the seven steps, evaluation, metrics, leakage
}
for tab, section in sections.items():
    if tabs[tab].open:  # lazy tabs: only the open one runs
        with tabs[tab]:
            section(lang)
