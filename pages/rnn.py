"""Recurrent neural networks: the recurrence by hand, memory measured, text."""

import streamlit as st

from ui import shell, state
from ui.views import rnn as views
from ui.views import rnn_train

lang = shell.page("rnn")
T = shell.translator(lang)

st.title(T("rnn.title"))
st.markdown(T("rnn.intro"))

tabs = state.tabs("rnn_tab", views.TABS, lambda tab: T(f"rnn.tab.{tab}"))
sections = {
    "step": views.step_through,  # SimpleRNN / LSTM / GRU one timestep at a time
    "shapes": views.shapes,  # (batch, timesteps, features), parameter counts
    "memory": rnn_train.memory,  # long-range memory: three cells, gradients, gates
    "text": rnn_train.text_tab,  # tokens, sentiment, embeddings
}
for tab, section in sections.items():
    if tabs[tab].open:  # lazy tabs: only the open one runs
        with tabs[tab]:
            section(lang)
