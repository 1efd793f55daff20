"""The app shell: navigation, language and the runtime panel.

``app.py`` calls :func:`navigation` and runs the page it returns. Every page
file starts with ``lang = shell.page("<slug>")``. That call matters on a
freshly started server: because the page files live in ``pages/``, Streamlit
1.67 serves the very first deep link (``/cnn``) with its legacy multipage
router, which runs ``pages/cnn.py`` directly and never runs ``app.py``. The
page then installs the real navigation itself, so the visitor sees the same
sidebar, titles and language as everyone else, and from then on the server
uses ``st.navigation`` for every session.
"""

from __future__ import annotations

import dataclasses
import importlib.metadata
import threading
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dlcore.i18n import LANGS, normalize_lang, t

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"


@dataclasses.dataclass(frozen=True)
class PageSpec:
    slug: str  # file stem = URL path: pages/<slug>.py is served at /<slug>
    title_key: str
    icon: str
    section_key: str


#: Every page of the curriculum, in teaching order. Pages whose file does not
#: exist are left out of the navigation (no placeholder pages).
CURRICULUM: tuple[PageSpec, ...] = (
    PageSpec("home", "nav.home", ":material/school:", "nav.section.start"),
    PageSpec("playground", "nav.playground", ":material/hub:", "nav.section.start"),
    PageSpec(
        "activations", "nav.activations", ":material/show_chart:", "nav.section.basics"
    ),
    PageSpec("losses", "nav.losses", ":material/functions:", "nav.section.basics"),
    PageSpec(
        "optimizers", "nav.optimizers", ":material/trending_down:", "nav.section.basics"
    ),
    PageSpec("cnn", "nav.cnn", ":material/grid_on:", "nav.section.nets"),
)

_run = threading.local()  # every Streamlit (re)run gets a fresh thread


def available_pages() -> list[PageSpec]:
    return [p for p in CURRICULUM if (PAGES_DIR / f"{p.slug}.py").exists()]


def current_lang() -> str:
    return st.session_state.get("lang", "en")


def translator(lang: str) -> Callable[..., str]:
    """``T(key, **fmt)`` bound to ``lang``."""
    return lambda key, **kwargs: t(key, lang, **kwargs)


def _init_language() -> str:
    """Language from (in order) this session, the URL, the browser; default English."""
    url_value = st.query_params.get("lang")
    if "lang" not in st.session_state:
        st.session_state.lang = (
            normalize_lang(url_value) or normalize_lang(st.context.locale) or "en"
        )
        if url_value is not None and normalize_lang(url_value) is None:
            st.session_state._bad_lang = url_value
    with st.sidebar:
        st.segmented_control(
            t("lang.label"),
            LANGS,
            key="lang",
            required=True,
            format_func=lambda code: t("lang.name", code),
        )
    lang = st.session_state.lang
    st.query_params["lang"] = lang  # shareable links keep the language
    return lang


def navigation() -> st.navigation:
    """Set up the page, language switch, navigation and runtime panel.

    Returns the ``st.navigation`` page to run (``app.py`` runs it).
    """
    _run.shell_done = True
    st.set_page_config(
        page_title=t("app.title", current_lang()),
        page_icon=":material/school:",
        layout="wide",
        initial_sidebar_state="expanded",
    )
    lang = _init_language()
    sections: dict[str, list[st.Page]] = {}
    for spec in available_pages():
        page = st.Page(
            str(PAGES_DIR / f"{spec.slug}.py"),
            title=t(spec.title_key, lang),
            icon=spec.icon,
            url_path=spec.slug,
            default=spec.slug == "home",
        )
        sections.setdefault(t(spec.section_key, lang), []).append(page)
    selected = st.navigation(sections, position="sidebar", expanded=True)
    _runtime_panel(lang)
    bad = st.session_state.pop("_bad_lang", None)
    if bad is not None:
        st.toast(
            t(
                "error.bad_param",
                lang,
                name="lang",
                value=bad,
                reason="expected en or zh",
            ),
            icon=":material/warning:",
        )
    return selected


def page(slug: str) -> str:
    """First call of every page file; returns the language (``"en"``/``"zh"``)."""
    if not getattr(_run, "shell_done", False):
        # Legacy routing ran this file directly (first deep link after a
        # server start): install the real navigation, then render this page.
        navigation()
    _run.page = slug
    return current_lang()


def page_link(slug: str, lang: str, label: str | None = None) -> None:
    """A link to another page that keeps the language in the URL."""
    spec = next(p for p in CURRICULUM if p.slug == slug)
    st.page_link(
        str(PAGES_DIR / f"{slug}.py"),
        label=label or t(spec.title_key, lang),
        icon=spec.icon,
        query_params={"lang": lang},
    )


def _runtime_panel(lang: str) -> None:
    from ui import training  # local: avoids an import cycle at start-up

    with st.sidebar.expander(t("runtime.title", lang), icon=":material/memory:"):
        info = training.device_info()
        stats = training.service().stats()
        rows = {
            t("runtime.tensorflow", lang): info["tensorflow"],
            t("runtime.keras", lang): info["keras"],
            "Streamlit": importlib.metadata.version("streamlit"),
            t("runtime.device", lang): info["device"],
            t("runtime.cached", lang): str(stats["cached"]),
            t("runtime.queue", lang): f"{stats['running']} / {stats['waiting']}",
        }
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in rows.items()))
