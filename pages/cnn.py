"""Convolutional neural networks: convolution by hand, then train and open up a real CNN."""

import streamlit as st

from dlcore.i18n import LANGS, t
from ui import cnn_views as views
from ui import shell

lang = shell.page("cnn")
T = shell.translator(lang)

PRESETS = {  # teacher presets: name -> architecture widget values
    "default": {},
    "tiny": {"cnn_blocks": 1, "cnn_filters": 4},
    "no_pool": {"cnn_pooling": "none"},
    "average_pool": {"cnn_pooling": "average"},
    "augmentation": {"cnn_aug": ["shift", "rotation", "zoom"], "cnn_epochs": 20},
    "batch_norm": {"cnn_bn": True, "cnn_dropout": 0.3},
}
TABS = ("conv", "train", "inside", "transfer")


def apply_preset() -> None:
    preset = st.session_state.cnn_preset
    if preset in PRESETS:
        st.session_state.update({**views.DEFAULTS, **PRESETS[preset]})


def tab_labels(language: str) -> list[str]:
    return [t(f"cnn.tab.{tab}", language) for tab in TABS]


st.title(T("cnn.title"))
st.markdown(T("cnn.intro"))

with st.sidebar:
    st.selectbox(
        T("common.preset"), ["none", *PRESETS], key="cnn_preset",
        format_func=lambda p: T(f"cnn.preset.{p}"), on_change=apply_preset,
    )  # fmt: skip

labels = tab_labels(lang)
current = st.session_state.get("cnn_tab")
if current is not None and current not in labels:  # the language was switched
    for other in LANGS:
        if current in tab_labels(other):
            st.session_state.cnn_tab = labels[tab_labels(other).index(current)]
tabs = st.tabs(labels, key="cnn_tab", bind="query-params")  # lazy: only one runs
renderers = (views.convolution_tab, views.train_tab, views.inside_tab,
             views.transfer_tab)  # fmt: skip
for tab, render in zip(tabs, renderers, strict=True):
    if tab.open:
        with tab:
            render(lang)
