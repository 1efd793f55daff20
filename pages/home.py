"""Home: what the app teaches, tensors from 0-D to 4-D, and the training loop
step by step."""

import streamlit as st

from ui import shell
from ui.views import home as view

lang = shell.page("home")
T = shell.translator(lang)

st.title(T("home.title"))
st.markdown(T("home.intro"))
view.curriculum(lang)  # 1. one card per page of the registry
view.tensor_section(lang)  # 2. tensors (a fragment: its widgets rerun only it)
view.loop_section(lang)  # 3. the training loop (a fragment too)
