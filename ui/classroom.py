"""Teacher tools in the sidebar of every page, built once from the registry.

- **Preset**: the topic's presets (:class:`dlcore.topics.Preset`), applied by
  one mechanism (:func:`ui.state.apply`) before the widgets are drawn.
- **Projector mode**: larger text, lines and markers on every chart
  (:func:`dlcore.figures.theme.for_projector` through :mod:`ui.charts`).
- **Show this page to the class**: a large QR code of the current link. QR
  codes come from `segno <https://segno.readthedocs.io>`_ (pure Python, no
  dependencies, maintained, writes PNG itself) rather than our own encoder.
- **Teacher view**: tick controls to hide or lock, name the setup, and get the
  link (``?hide=…&lock=…&title=…``) and its QR code.
"""

from __future__ import annotations

import io

import streamlit as st

from dlcore import topics
from dlcore.i18n import t
from ui import charts, state

TEACHER_KEY = "_teacher_view"


def qr_png(text: str, *, scale: int = 12) -> bytes:
    """A PNG of the QR code of ``text`` (error correction M, 2-module border).

    >>> qr_png("http://localhost:8501/cnn?lang=zh")[:4] == b"\\x89PNG"
    True
    """
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def page_url(slug: str) -> str:
    """This page's address in the visitor's browser (no query)."""
    url = st.context.url
    if not url:
        return f"/{'' if slug == 'home' else slug}"
    return url.split("?")[0]


def current_link(slug: str, **extra: str) -> str:
    params = {**state.current_params(), **extra}
    return state.link(page_url(slug), params)


def _apply_preset(slug: str, key: str) -> None:
    topic = topics.topic(slug)
    name = st.session_state.get(key)
    for preset in topic.load_presets():
        if preset.name == name:
            rejected = state.apply(topic.preset_values(preset))
            if rejected:
                st.session_state["_preset_rejected"] = rejected
            return


def preset_box(slug: str, lang: str) -> None:
    """The topic's preset selector (nothing when it has no presets)."""
    topic = topics.topic(slug)
    presets = topic.load_presets()
    if not presets:
        return
    key = f"{topic.prefix}_preset"
    st.selectbox(
        t("common.preset", lang),
        ["none", *(p.name for p in presets)],
        key=key,
        format_func=lambda name: t(f"{topic.prefix}.preset.{name}", lang),
        on_change=_apply_preset,
        args=(slug, key),
    )
    rejected = st.session_state.pop("_preset_rejected", None)
    if rejected:
        state.notice(key, ", ".join(rejected), state.BadValue("preset"))


@st.dialog(" ", width="large")
def _qr_dialog(link: str, lang: str) -> None:
    st.markdown("### " + t("classroom.scan", lang))
    st.image(qr_png(link), width="stretch")
    st.code(link, language=None, wrap_lines=True)


def _teacher_view(slug: str, lang: str) -> None:
    controls = state.known_controls(slug)
    hidden = [k for k in sorted(state.url_list(state.HIDE)) if k in controls]
    locked = [k for k in sorted(state.url_list(state.LOCK)) if k in controls]

    def label(key: str) -> str:
        return f"{controls.get(key, key)} ({key})"

    hide = st.multiselect(
        t("classroom.hide", lang),
        list(controls),
        hidden,
        format_func=label,
        key="_teacher_hide",
    )
    lock = st.multiselect(
        t("classroom.lock", lang),
        [k for k in controls if k not in hide],
        [k for k in locked if k not in hide],
        format_func=label,
        key="_teacher_lock",
    )
    title = st.text_input(t("classroom.name", lang), key="_teacher_title", max_chars=80)
    params = {
        k: v
        for k, v in state.current_params().items()
        if k not in (state.HIDE, state.LOCK, state.TITLE)
    }
    params.update(
        {
            state.HIDE: ",".join(hide),
            state.LOCK: ",".join(lock),
            state.TITLE: title.strip(),
        }
    )
    link = state.link(page_url(slug), params)
    st.caption(t("classroom.link", lang))
    st.code(link, language=None, wrap_lines=True)
    st.image(qr_png(link, scale=6), width=220)


def sidebar(slug: str, lang: str) -> None:
    """Preset box, projector mode, QR code and teacher view for page ``slug``."""
    with st.sidebar:
        preset_box(slug, lang)
        with st.expander(t("classroom.title", lang), icon=":material/co_present:"):
            st.toggle(
                t("classroom.projector", lang),
                key=charts.PROJECTOR_KEY,
                help=t("classroom.projector_help", lang),
            )
            if st.button(
                t("classroom.show_qr", lang),
                icon=":material/qr_code_2:",
                key="_show_qr",
                width="stretch",
            ):
                _qr_dialog(current_link(slug), lang)
            if st.toggle(t("classroom.teacher_view", lang), key=TEACHER_KEY):
                _teacher_view(slug, lang)


def banner(lang: str) -> None:
    """A named setup (``?title=``) shown as plain text above the page."""
    title = st.query_params.get(state.TITLE)
    if title:
        st.info(state.plain(str(title)[:80]), icon=":material/bookmark:")
