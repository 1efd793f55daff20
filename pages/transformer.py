"""Transformers: attention step by step, the encoder block, a tiny
Transformer trained live with its attention maps, and a character model."""

import streamlit as st

from ui import shell, state
from ui.views import transformer as views
from ui.views import transformer_train

lang = shell.page("transformer")
T = shell.translator(lang)

st.title(T("tr.title"))
st.markdown(T("tr.intro"))

tabs = state.tabs("tr_tab", views.TABS, lambda tab: T(f"tr.tab.{tab}"))
sections = {
    "attention": views.step_through,  # tokens, positions, Q K V, mask, softmax, heads
    "block": views.block,  # attention + residual + LayerNorm + FFN: shapes, params
    "train": transformer_train.train_tab,  # reversal & co., LSTM beside it, maps
    "char": transformer_train.char_tab,  # next character: sampling, probabilities
}
for tab, section in sections.items():
    if tabs[tab].open:  # lazy tabs: only the open one runs
        with tabs[tab]:
            section(lang)
