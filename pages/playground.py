"""MLP playground: a real Keras MLP learns 2-D data, as TensorFlow Playground."""

import streamlit as st

from ui import shell
from ui.views import playground as view
from ui.views import playground_results as results

lang = shell.page("playground")
T = shell.translator(lang)

st.title(T("pg.title"))
st.markdown(T("pg.intro"))

result_box, controls_box = view.layout()  # side by side; on a phone the result on top
with controls_box:
    config, show = view.controls(lang)
training_box, details_box = st.container(), st.container()
with training_box:  # retrain, progress, curves, code; the boundary in the result box
    results.result(config, show, lang, result_box, details_box)
