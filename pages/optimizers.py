"""Optimizers: real Keras optimizers race on 2-D loss landscapes, plus five lessons."""

import streamlit as st

from ui import shell, state
from ui.views import optimizers as view

lang = shell.page("optimizers")
T = shell.translator(lang)

st.title(T("opt.title"))
st.markdown(T("opt.intro"))

# The open tab is in the URL (?opt_tab=<id>); only its code runs.
tabs = state.tabs("opt_tab", view.TABS, lambda tab: T(f"opt.tab.{tab}"))
if tabs["explore"].open:
    with tabs["explore"]:
        view.explore(lang)  # the landscape explorer
if tabs["schedules"].open:
    with tabs["schedules"]:
        view.schedules(lang)  # learning-rate schedules
if tabs["clipping"].open:
    with tabs["clipping"]:
        view.clipping(lang)  # gradient clipping at the cliff
if tabs["batch"].open:
    with tabs["batch"]:
        view.batch(lang)  # mini-batch size on a linear regression
if tabs["theory"].open:
    with tabs["theory"]:
        view.theory(lang)  # why momentum works (Goh, 2017)
if tabs["race"].open:
    with tabs["race"]:
        view.race(lang)  # the race on a real network (training)
