"""Generative adversarial networks: a 2-D GAN lab (GAN Lab's views, trained by
Keras on the server), the losses, and a DCGAN on digits."""

import streamlit as st

from ui import shell, state
from ui.views import gan as views

lang = shell.page("gan")
T = shell.translator(lang)

st.title(T("gan.title"))
st.markdown(T("gan.intro"))

tabs = state.tabs("gan_tab", views.TABS, lambda tab: T(f"gan.tab.{tab}"))
sections = {
    "lab": views.lab,  # 2-D data: samples, manifold, heatmap, gradients, KL/JS, modes
    "losses": views.losses,  # minimax vs non-saturating vs LSGAN vs WGAN-GP
    "digits": views.digits,  # a DCGAN on 8×8 digits, conditional variant
}
for tab, section in sections.items():
    if tabs[tab].open:  # lazy tabs: only the open one runs
        with tabs[tab]:
            section(lang)
