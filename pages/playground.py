"""MLP playground: a real Keras MLP separates two classes of 2-D points."""

import streamlit as st

from ui import shell
from ui.views import playground as view

lang = shell.page("playground")
T = shell.translator(lang)

st.title(T("pg.title"))
st.markdown(T("pg.intro"))

result_box, controls_box = view.layout()  # side by side; on a phone the result on top
with controls_box:
    config = view.controls(lang)
view.result(config, lang, result_box)  # boundary in the result box, curves below
