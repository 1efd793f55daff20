"""MLP playground: a real Keras MLP separates two classes of 2-D points."""

import streamlit as st

from ui import shell
from ui.views import playground as view

lang = shell.page("playground")
T = shell.translator(lang)

st.title(T("pg.title"))
st.markdown(T("pg.intro"))

left, right = st.columns([1, 2], gap="large")
with left:
    config = view.controls(lang)
with right:
    view.result(config, lang)
