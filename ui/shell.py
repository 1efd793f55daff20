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

import importlib.metadata
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from dlcore import topics
from dlcore.i18n import LANGS, normalize_lang, t
from ui import classroom, state

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"
#: The browser tab's icon, shipped with the app. A ``:material/…:`` page icon
#: makes every visitor's browser fetch it from Google's font server (offline it
#: fails; online it tells a third party who opened the class page); an SVG file
#: is sent inline as a ``data:`` URL, so a page load asks no other host.
FAVICON = ROOT / "assets" / "favicon.svg"


#: Global CSS (no user text): formulas scroll instead of being cut on a phone;
#: a container keyed ``sticky_<name>`` stays in view on a phone while the
#: controls below it scroll (the result next to the slider being moved).
#: Streamlit 1.67 wraps a keyed container in a ``stLayoutWrapper`` exactly as
#: tall as it, so the wrapper is what sticks.
STYLE = """<style>
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 2px 0 6px; }
.stMarkdown, .stCaption { overflow-wrap: anywhere; }
@media (max-width: 640px) {
  div[data-testid="stLayoutWrapper"]:has(> div[class*="st-key-sticky_"]) {
    position: sticky; top: 3.75rem; z-index: 50;
    background: var(--st-background-color, #ffffff);
    border-bottom: 1px solid #e6e6e6;
  }
}
</style>"""
HOME = "home"  # the default page
_run = threading.local()  # every Streamlit (re)run gets a fresh thread


def available_pages() -> list[topics.Topic]:
    """The registry's topics whose page file exists, in curriculum order."""
    return [p for p in topics.TOPICS if (PAGES_DIR / f"{p.slug}.py").exists()]


def icon(topic: topics.Topic) -> str:
    return f":material/{topic.icon}:"


def current_lang() -> str:
    return st.session_state.get(_LANG_KEY, "en")


def translator(lang: str) -> Callable[..., str]:
    """``T(key, **fmt)`` bound to ``lang``."""
    return lambda key, **kwargs: t(key, lang, **kwargs)


_LANG_KEY = "_lang"  # the session's language; the switch widget's key is "lang"


def _store_language() -> None:
    if st.session_state.get("lang") in LANGS:
        st.session_state[_LANG_KEY] = st.session_state.lang


def _init_language() -> str:
    """Language from (in order) this session, the URL, the browser; default English.

    The language lives under its own session key, not only in the switch's
    widget state: Streamlit drops or resets a widget's state when the page
    changes, so the switch is re-seeded from that key on every run.
    """
    if _LANG_KEY not in st.session_state:
        url_value = st.query_params.get("lang")
        if url_value is not None and normalize_lang(url_value) is None:
            st.session_state._bad_lang = url_value
        st.session_state[_LANG_KEY] = (
            normalize_lang(url_value) or normalize_lang(st.context.locale) or "en"
        )
    st.session_state.lang = st.session_state[_LANG_KEY]
    with st.sidebar:
        st.segmented_control(
            t("lang.label"),
            LANGS,
            key="lang",
            required=True,
            format_func=lambda code: t("lang.name", code),
            on_change=_store_language,
        )
    return st.session_state[_LANG_KEY]


def navigation() -> st.navigation:
    """Set up the page, language switch, navigation and runtime panel.

    Returns the ``st.navigation`` page to run (``app.py`` runs it).
    """
    _run.shell_done = True
    st.set_page_config(
        page_title=t("app.title", current_lang()),
        page_icon=str(FAVICON),
        layout="wide",
        initial_sidebar_state="auto",  # closed on a phone, open on a desktop
    )
    st.html(STYLE)
    lang = _init_language()
    sections: dict[str, list[st.Page]] = {}
    for spec in available_pages():
        section = sections.setdefault(t(topics.SECTIONS[spec.section], lang), [])
        entry = {
            "page": str(PAGES_DIR / f"{spec.slug}.py"),
            "icon": icon(spec),
            "title": t(spec.title_key, lang),
        }
        if spec.slug == HOME:
            # The default page is served at "/" but reserves its url_path, so
            # "/home" (links, bookmarks) is a hidden alias instead of a
            # "Page not found" dialog.
            section.append(st.Page(**entry, url_path="index", default=True))
            section.append(st.Page(**entry, url_path=HOME, visibility="hidden"))
        else:
            section.append(st.Page(**entry, url_path=spec.slug))
    selected = st.navigation(sections, position="sidebar", expanded=True)
    if st.query_params.get("lang") != lang:
        # Shareable links keep the language. Written after st.navigation so
        # the browser's address bar gets the new page's path with it.
        st.query_params["lang"] = lang
    slug = selected.url_path if selected.url_path not in ("", "index") else HOME
    if any(entry.slug == slug and entry.tasks for entry in topics.TOPICS):
        from ui import training  # local: avoids an import cycle at start-up

        # A page that trains: start the service (and its worker's TensorFlow
        # import) before the page asks for it. Pages that train nothing never
        # build it, so a broken cache folder cannot touch them.
        training.service()
    _runtime_panel(lang)
    bad = st.session_state.pop("_bad_lang", None)
    if bad is not None:
        state.notice("lang", bad, state.BadValue("lang"))
    return selected


def page(slug: str) -> str:
    """First call of every page file; returns the language (``"en"``/``"zh"``)."""
    if not getattr(_run, "shell_done", False):
        # Legacy routing ran this file directly (first deep link after a
        # server start): install the real navigation, then render this page.
        navigation()
    _run.page = slug
    lang = current_lang()
    state.begin(slug, lang)
    classroom.sidebar(slug, lang)
    classroom.banner(lang)
    return lang


# ----------------------------------------------------------------------------
# Addresses with several path segments
# ----------------------------------------------------------------------------

#: First path segments the Streamlit server itself answers (API, uploads,
#: media, components, bundles, static serving, login): never redirected.
SERVER_PREFIXES = frozenset(
    {"_stcore", "media", "component", "static", "app", "auth", "oauth2callback", "~"}
)


def page_path(path: str) -> str | None:
    """Where a browser asking for ``path`` belongs, or None to serve it as is.

    Streamlit's pages live at one path segment (``/cnn``). Its ``index.html``
    loads its scripts by *relative* addresses, so ``/a/b`` or ``/pages/cnn.py``
    gets the page's HTML whose scripts resolve under ``/a/`` and come back as
    HTML too: a blank page. Such an address is sent to the page it names
    (``/pages/cnn.py``, ``/cnn/x`` → ``/cnn``) or to the home page.

    >>> page_path("/a/b"), page_path("/pages/cnn.py"), page_path("/cnn/extra/")
    ('/', '/cnn', '/cnn')
    >>> page_path("/cnn"), page_path("/"), page_path("/_stcore/health")
    (None, None, None)
    """
    if path.startswith("//"):
        return None  # Streamlit answers 400 (protocol-relative URL)
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2 or parts[0] in SERVER_PREFIXES:
        return None
    slugs = {p.slug for p in available_pages()}
    name = parts[1].removesuffix(".py") if parts[0] == "pages" else parts[0]
    if name in slugs and name != HOME:
        return f"/{name}"
    return "/"


class OnePathSegment:
    """ASGI middleware: a page visit to a multi-segment address is redirected.

    Installed by ``app.py`` through ``st.App(middleware=…)``, Streamlit 1.67's
    supported hook for custom routes and middleware (``streamlit run`` finds
    the ``st.App`` and serves it). Only top-level navigations (the browser's
    ``Sec-Fetch-Mode: navigate``) are redirected, with their query string, so
    API calls, uploads and media keep Streamlit's own answers.
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD"):
            headers = dict(scope.get("headers") or [])
            target = page_path(scope.get("path", ""))
            if target is not None and headers.get(b"sec-fetch-mode") == b"navigate":
                from starlette.responses import RedirectResponse

                query = scope.get("query_string", b"").decode("latin-1")
                location = f"{target}?{query}" if query else target
                response = RedirectResponse(location, status_code=302)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def page_link(slug: str, lang: str, label: str | None = None) -> None:
    """A link to another page that keeps the language in the URL."""
    spec = topics.topic(slug)
    st.page_link(
        str(PAGES_DIR / f"{slug}.py"),
        label=label or t(spec.title_key, lang),
        icon=icon(spec),
        query_params={"lang": lang},
    )


def _runtime_panel(lang: str) -> None:
    from ui import training  # local: avoids an import cycle at start-up

    with st.sidebar.expander(t("runtime.title", lang), icon=":material/memory:"):
        info = training.device_info()  # None while TensorFlow loads
        stats = training.service_stats()  # None until a training page built it
        loading = t("runtime.loading", lang)
        rows = {
            t("runtime.tensorflow", lang): info["tensorflow"] if info else loading,
            t("runtime.keras", lang): info["keras"] if info else loading,
            "Streamlit": importlib.metadata.version("streamlit"),
            t("runtime.device", lang): info["device"] if info else loading,
        }
        if stats is None:
            rows[t("runtime.service", lang)] = t("runtime.not_started", lang)
        else:
            store = stats["store"]
            shared = {"disk": "runtime.store_disk", "redis": "runtime.store_redis"}
            rows[t("runtime.store", lang)] = (
                t(shared[store["mode"]], lang)
                if store["mode"] in shared
                else t(
                    "runtime.store_memory", lang, reason=state.plain(store["reason"])
                )
            )
            rows[t("runtime.cached", lang)] = str(stats["cached"])
            rows[t("runtime.queue", lang)] = f"{stats['running']} / {stats['waiting']}"
        st.markdown("\n".join(f"- **{k}**: {v}" for k, v in rows.items()))
