"""Convolutional neural networks: convolution by hand, then train and open up a CNN."""

import streamlit as st

from ui import shell, state
from ui.views import cnn as views
from ui.views import cnn_conv, cnn_pretrained

lang = shell.page("cnn")
T = shell.translator(lang)

st.title(T("cnn.title"))
st.markdown(T("cnn.intro"))

tabs = state.tabs("cnn_tab", views.TABS, lambda tab: T(f"cnn.tab.{tab}"))
sections = {
    "conv": cnn_conv.convolution,  # convolution and pooling, step by step
    "train": views.train,  # design and train a CNN next to a Dense network
    "inside": views.inside,  # filters, feature maps, Grad-CAM, translation
    "transfer": views.transfer,  # reuse a conv base trained on other digits
    "photos": cnn_pretrained.photos_tab,  # ImageNet networks on real photos
}
for tab, section in sections.items():
    if tabs[tab].open:  # lazy tabs: only the open one runs
        with tabs[tab]:
            section(lang)
