"""Loss functions: curves and slopes, entropy and KL, outliers, the loss per task."""

import streamlit as st

from ui import shell, state
from ui.views import losses as view

lang = shell.page("losses")
T = shell.translator(lang)

st.title(T("loss.title"))
st.markdown(T("loss.intro"))
tabs = state.tabs("loss_tab", view.TABS, lambda tab: T(f"loss.tab.{tab}"))
if tabs["curves"].open:  # only the open tab's code runs
    with tabs["curves"]:
        view.curves(lang)  # 1. Keras loss curves and their derivatives
if tabs["dist"].open:
    with tabs["dist"]:
        view.dist(lang)  # 2. entropy, cross-entropy and KL of P and Q
if tabs["outliers"].open:
    with tabs["outliers"]:
        view.outliers(lang)  # 3. MSE vs MAE vs Huber on data with outliers
if tabs["guide"].open:
    with tabs["guide"]:
        view.guide(lang)  # 4. which loss for which task, right vs wrong trained
