"""Activation functions: every Keras activation and its derivative, softmax,
gradient flow."""

import streamlit as st

from ui import shell, state
from ui.views import activations as view

lang = shell.page("activations")
T = shell.translator(lang)

st.title(T("act.title"))
st.markdown(T("act.intro"))

tabs = state.tabs("act_tab", view.TAB_IDS, lambda i: T(f"act.tab.{i}"))
sections = {"functions": view.functions, "softmax": view.softmax, "lab": view.lab}
for tab_id, section in sections.items():
    if tabs[tab_id].open:  # lazy tabs: only the open one runs (the lab trains)
        with tabs[tab_id]:
            section(lang)
