"""One classroom-state helper: every control of every page goes through it.

A control (``select``, ``slider``, ``toggle``…) is a Streamlit widget whose
value is mirrored in the URL as a *stable id*: an option id (``circle``), a
number (``0.03``), ``1``/``0``, a tab slug — never the translated label. So a
link made in Chinese opens the same setup in English and back.

- **URL in.** The first time a control renders in a session (a shared link, a
  reload), its URL value is validated (type, range, finiteness, non-empty,
  known option). A bad value falls back to the default with a toast naming the
  parameter; no exception reaches the page.
- **URL out.** After the widget, the URL holds its id, or nothing when the
  value is the default (links stay short).
- **Language.** A language switch re-labels every widget at once: the value
  is re-assigned through Session State, so the browser shows the new labels.
- **Teacher.** ``?hide=key1,key2`` hides controls (their value still comes
  from the URL or the default) and ``?lock=…`` shows them disabled.
- **Presets.** :func:`apply` sets any set of control values (a preset,
  validated like URL values) before the widgets are drawn.
- **Tabs.** :func:`tabs`: the open tab is a slug in the URL; only the open
  tab's code runs.

Widget keys double as URL parameter names: they are a public contract
(shared links), so keep them stable.
"""

from __future__ import annotations

import dataclasses
import math
import re
import threading
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from dlcore.i18n import t

_run = threading.local()  # this run's page, language and controls
_LANG_SEEN = "_state_lang"  # key -> language its labels were last drawn in
_CONTROLS = "_state_controls"  # slug -> {key: label}: what the teacher can hide
_CANON = "_state_value"  # key -> the control's value (tabs: the tab id)
_SPECS = "_state_specs"  # key -> Spec, for callbacks that run before the widgets
_BOUND = "_state_bound"  # keys of the controls mirrored in the URL (tests fuzz them)
HIDE, LOCK, TITLE = "hide", "lock", "title"
RESERVED = frozenset({"lang", HIDE, LOCK, TITLE})
_MAX_URL_VALUE = 200  # characters of a URL value shown back in a notice


# ----------------------------------------------------------------------------
# Specs and the URL codec
# ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Spec:
    """What a control accepts: its kind, default and options or range."""

    key: str
    kind: str  # "select" | "multi" | "number" | "range" | "toggle" | "tab" | "text"
    default: Any
    options: tuple[Any, ...] | None = None
    low: float | None = None
    high: float | None = None
    step: float | None = None
    integer: bool = False
    max_items: int | None = None  # "multi": at most this many options


class BadValue(ValueError):
    """A URL or preset value a control does not accept.

    ``str(error)`` is the English reason; ``code`` and ``details`` name the
    catalogue entry ``url.<code>`` that says it in the page's language.
    """

    def __init__(self, code: str, **details: Any) -> None:
        self.code, self.details = code, details
        super().__init__(t(f"url.{code}", "en", **details))

    def message(self, language: str) -> str:
        return t(f"url.{self.code}", language, **self.details)


def option_id(value: Any) -> str:
    """The URL id of an option: strings as they are, numbers as ``%g``-like.

    >>> option_id("circle"), option_id(0.0001), option_id(3), option_id(True)
    ('circle', '0.0001', '3', '1')
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value) if abs(value) >= 1e16 else f"{value:.12g}"
    return str(value)


def encode(spec: Spec, value: Any) -> str:
    """``value`` as it is written in the URL."""
    if spec.kind in ("multi", "range"):
        return ",".join(option_id(v) for v in value)
    return option_id(value)


def _number(text: str, spec: Spec) -> float | int:
    try:
        number = float(text)
    except ValueError:
        raise BadValue("nan") from None
    if not math.isfinite(number):
        raise BadValue("finite")
    low = -math.inf if spec.low is None else spec.low
    high = math.inf if spec.high is None else spec.high
    if not low <= number <= high:
        raise BadValue("range", low=f"{low:g}", high=f"{high:g}")
    if spec.integer and not number.is_integer():
        raise BadValue("whole")
    if spec.step:
        base = spec.low if spec.low is not None else 0.0
        number = base + round((number - base) / spec.step) * spec.step
        number = min(max(number, low), high)
    if spec.integer:
        return round(number)
    return round(float(number), 10)


def _option(text: str, spec: Spec) -> Any:
    assert spec.options is not None
    for option in spec.options:
        if option_id(option) == text:
            return option
    numeric = [o for o in spec.options if isinstance(o, (int, float))]
    if numeric and not isinstance(numeric[0], bool):
        try:
            number = float(text)
        except ValueError:
            number = math.nan
        for option in numeric:
            if math.isclose(number, float(option), rel_tol=1e-9, abs_tol=1e-12):
                return option
    shown = ", ".join(option_id(o) for o in spec.options[:8])
    more = ", …" if len(spec.options) > 8 else ""
    raise BadValue("options", options=f"{shown}{more}")


def decode(spec: Spec, text: Any) -> Any:
    """The control value for URL text ``text``; :class:`BadValue` if invalid.

    >>> decode(Spec("n", "number", 1, low=0, high=4, step=1, integer=True), "3")
    3
    >>> decode(Spec("d", "select", "a", options=("a", "b")), "c")
    Traceback (most recent call last):
    ...
    ui.state.BadValue: expected one of a, b
    """
    if isinstance(text, list):
        text = text[-1] if text else ""
    text = str(text)
    if spec.kind == "text":
        if len(text) > _MAX_URL_VALUE:
            raise BadValue("long")
        return text
    if spec.kind == "multi":
        if text == "":
            return []
        values = list(dict.fromkeys(_option(part, spec) for part in text.split(",")))
        if spec.max_items is not None and len(values) > spec.max_items:
            raise BadValue("max_items", limit=spec.max_items)
        return values
    if text.strip() == "":
        raise BadValue("empty")
    if spec.kind == "range":
        parts = text.split(",")
        if len(parts) != 2:
            raise BadValue("pair")
        low, high = sorted(_number(part, spec) for part in parts)
        return (low, high)
    if spec.kind == "toggle":
        lowered = text.strip().lower()
        if lowered in ("1", "true", "yes", "on"):
            return True
        if lowered in ("0", "false", "no", "off"):
            return False
        raise BadValue("toggle")
    if spec.kind in ("select", "tab"):
        return _option(text, spec)
    return _number(text, spec)


def validate(spec: Spec, value: Any) -> Any:
    """A Python value (a preset's) checked by the same rules as URL values."""
    return decode(spec, encode(spec, value))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(text: str) -> str:
    """``text`` with every Markdown/HTML character escaped (user text shown in
    Markdown renders as the characters typed: no link, image or HTML).

    >>> plain("[x](http://a.b) ![i](y)")
    '\\\\[x\\\\]\\\\(http\\\\://a\\\\.b\\\\) \\\\!\\\\[i\\\\]\\\\(y\\\\)'
    """
    return _MARKDOWN.sub(r"\\\1", str(text))


# ----------------------------------------------------------------------------
# The page context (one per run)
# ----------------------------------------------------------------------------


def url_list(name: str) -> frozenset[str]:
    """The comma-separated ids of URL parameter ``name`` (``?hide=a,b``)."""
    raw = st.query_params.get(name, "")
    return frozenset(p.strip() for p in str(raw).split(",") if p.strip())


def begin(slug: str, lang: str) -> None:
    """Start a page run: called by ``shell.page`` before any control."""
    _run.slug, _run.lang = slug, lang
    _run.specs = {}
    st.session_state["_state_slug"] = slug  # for fragment reruns


def lang() -> str:
    """The page's language (also inside a fragment rerun, which skips ``begin``)."""
    return getattr(_run, "lang", None) or st.session_state.get("_lang", "en")


def specs() -> dict[str, Spec]:
    """The controls drawn so far in this run, by key."""
    if not hasattr(_run, "specs"):
        _run.specs = {}
    return _run.specs


def accepts(key: str, value: Any) -> bool:
    """Whether the control ``key`` would take ``value`` (``True`` for a control
    not drawn in this browser session yet)."""
    spec = {**st.session_state.get(_SPECS, {}), **specs()}.get(key)
    if spec is None:
        return True
    try:
        validate(spec, value)
    except (BadValue, TypeError, ValueError):
        return False
    return True


def is_fixed(key: str) -> bool:
    """Whether the teacher hid or locked control ``key`` (``?hide=``/``?lock=``).

    For inputs that change a control outside its widget (a click on a chart).
    """
    return key in url_list(HIDE) or key in url_list(LOCK)


def known_controls(slug: str) -> dict[str, str]:
    """Every control this session has seen on page ``slug``: key -> label."""
    return dict(st.session_state.get(_CONTROLS, {}).get(slug, {}))


def notice(name: str, value: Any, reason: str | BadValue) -> None:
    """A toast: URL parameter ``name`` was ignored (the value shown as text)."""
    if isinstance(reason, BadValue):
        reason = reason.message(lang())
    shown = str(value)
    if len(shown) > 40:
        shown = shown[:40] + "…"
    st.toast(
        plain(t("error.bad_param", lang(), name=name, value=shown, reason=reason)),
        icon=":material/warning:",
    )


# ----------------------------------------------------------------------------
# Controls
# ----------------------------------------------------------------------------


def _register(spec: Spec, label: str, *, url: bool = True) -> None:
    specs()[spec.key] = spec
    st.session_state.setdefault(_SPECS, {})[spec.key] = spec  # for preset callbacks
    if url:
        st.session_state.setdefault(_BOUND, set()).add(spec.key)
    slug = getattr(_run, "slug", None) or st.session_state.get("_state_slug", "")
    seen = st.session_state.setdefault(_CONTROLS, {}).setdefault(slug, {})
    seen[spec.key] = label


def _accepts(spec: Spec, value: Any) -> bool:
    try:
        validate(spec, value)
    except (BadValue, TypeError, ValueError):
        return False
    return True


def _seed(spec: Spec, *, url: bool) -> None:
    """Before the widget: take the URL value once, re-label after a switch."""
    key = spec.key
    seen = st.session_state.setdefault(_LANG_SEEN, {})
    if key in st.session_state and not _accepts(spec, st.session_state[key]):
        # Options that depend on other controls (a 5×5 kernel has no Sobel
        # preset, a 2-block CNN no conv3): a kept value that is no longer an
        # option falls back to the default.
        st.session_state[key] = spec.default
    if key not in st.session_state:
        value = st.session_state.get(_CANON, {}).get(key, spec.default)
        if not _accepts(spec, value):
            value = spec.default
        raw = st.query_params.get(key) if url else None
        if raw is not None:
            try:
                value = decode(spec, st.query_params.get_all(key) or raw)
            except BadValue as error:
                notice(key, raw, error)
                st.query_params.pop(key, None)
        st.session_state[key] = value
    elif seen.get(key) != lang():
        # Language switch: assigning the value again makes Streamlit send it
        # with the new labels (otherwise the old language's label stays).
        st.session_state[key] = st.session_state[key]
    seen[key] = lang()


def _publish(spec: Spec, value: Any, *, url: bool) -> None:
    st.session_state.setdefault(_CANON, {})[spec.key] = value
    if not url:
        return
    if value == spec.default or (
        spec.kind == "multi" and list(value) == list(spec.default)
    ):
        if spec.key in st.query_params:
            del st.query_params[spec.key]
    elif st.query_params.get(spec.key) != encode(spec, value):
        st.query_params[spec.key] = encode(spec, value)


def _control(
    spec: Spec,
    label: str,
    draw: Callable[..., Any],
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> Any:
    if spec.key in RESERVED:
        raise ValueError(f"{spec.key!r} is a reserved URL parameter")
    _register(spec, label, url=url)
    _seed(spec, url=url)
    if spec.key in url_list(HIDE):
        value = st.session_state[spec.key]
        _publish(spec, value, url=url)
        return value
    locked = spec.key in url_list(LOCK)
    # The current value also goes in as the widget's default, so a run that
    # lost the widget's state falls back to it rather than to the first option.
    value = draw(
        label,
        st.session_state[spec.key],
        key=spec.key,
        disabled=disabled or locked,
        persist_state="page",
        **kwargs,
    )
    if locked:
        st.caption(t("classroom.locked", lang()), help=None)
    _publish(spec, value, url=url)
    return value


def _fmt(format_func: Callable[[Any], str] | None) -> Callable[[Any], str]:
    return format_func or option_id


def select(
    key: str,
    label: str,
    options: Sequence[Any],
    default: Any = None,
    *,
    format_func: Callable[[Any], str] | None = None,
    widget: str = "selectbox",
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> Any:
    """One of ``options`` (``widget``: ``selectbox``, ``radio``, ``segmented``,
    ``pills`` or ``select_slider``); the URL holds the option id."""
    options = tuple(options)
    default = options[0] if default is None else default
    if default not in options:
        raise ValueError(f"{key}: default {default!r} is not an option")
    spec = Spec(key, "select", default, options=options)
    draw = {
        "selectbox": st.selectbox,
        "radio": st.radio,
        "select_slider": st.select_slider,
        "segmented": st.segmented_control,
        "pills": st.pills,
    }[widget]
    if widget in ("segmented", "pills"):
        kwargs.setdefault("required", True)

    def show(lab: str, current: Any, **kw: Any) -> Any:
        if widget in ("selectbox", "radio"):
            kw["index"] = options.index(current)
        elif widget == "select_slider":
            kw["value"] = current
        else:
            kw["default"] = current
        return draw(lab, options, format_func=_fmt(format_func), **kw, **kwargs)

    return _control(spec, label, show, url=url, disabled=disabled)


def multiselect(
    key: str,
    label: str,
    options: Sequence[Any],
    default: Sequence[Any] = (),
    *,
    format_func: Callable[[Any], str] | None = None,
    widget: str = "multiselect",
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> list[Any]:
    """Several of ``options`` (``multiselect`` or ``pills``); comma-separated ids."""
    options = tuple(options)
    limit = kwargs.get("max_selections")
    spec = Spec(key, "multi", list(default), options=options, max_items=limit)
    if widget == "pills":
        kwargs["selection_mode"] = "multi"
    draw = st.pills if widget == "pills" else st.multiselect
    value = _control(
        spec,
        label,
        lambda lab, current, **kw: draw(
            lab, options, default=current, format_func=_fmt(format_func), **kw, **kwargs
        ),
        url=url,
        disabled=disabled,
    )
    return list(value or [])


def _numeric(
    kind: str, key: str, low: float, high: float, default: Any, step: float | None
) -> Spec:
    """The spec of a numeric control; ints stay ints when every bound is one."""
    values = (low, high, *(default if kind == "range" else (default,)), step or 1)
    integer = all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return Spec(key, kind, default, low=low, high=high, step=step, integer=integer)


def _numeric_control(
    spec: Spec,
    label: str,
    draw: Callable[..., Any],
    *,
    url: bool,
    disabled: bool,
    **kwargs: Any,
) -> Any:
    low, high, step = spec.low, spec.high, spec.step
    return _control(
        spec,
        label,
        lambda lab, current, **kw: draw(
            lab, low, high, current, step=step, **kw, **kwargs
        ),
        url=url,
        disabled=disabled,
    )


def slider(
    key: str,
    label: str,
    low: float,
    high: float,
    default: float,
    step: float | None = None,
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> Any:
    """A number in ``[low, high]`` on a ``step`` grid (ints stay ints)."""
    spec = _numeric("number", key, low, high, default, step)
    return _numeric_control(
        spec, label, st.slider, url=url, disabled=disabled, **kwargs
    )


def range_slider(
    key: str,
    label: str,
    low: float,
    high: float,
    default: tuple[float, float],
    step: float | None = None,
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> tuple[Any, Any]:
    """A two-ended slider: ``(lo, hi)`` in ``[low, high]``; ``?key=lo,hi`` in URLs."""
    spec = _numeric("range", key, low, high, tuple(default), step)
    value = _numeric_control(
        spec, label, st.slider, url=url, disabled=disabled, **kwargs
    )
    return tuple(value)


def number(
    key: str,
    label: str,
    low: float,
    high: float,
    default: float,
    step: float | None = None,
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> Any:
    """A number input in ``[low, high]`` (ints stay ints)."""
    spec = _numeric("number", key, low, high, default, step)
    return _numeric_control(
        spec, label, st.number_input, url=url, disabled=disabled, **kwargs
    )


def toggle(
    key: str,
    label: str,
    default: bool = False,
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> bool:
    """On/off; ``1``/``0`` in the URL."""
    spec = Spec(key, "toggle", bool(default))
    return bool(
        _control(
            spec,
            label,
            lambda lab, current, **kw: st.toggle(lab, current, **kw, **kwargs),
            url=url,
            disabled=disabled,
        )
    )


def text(
    key: str,
    label: str,
    default: str = "",
    *,
    url: bool = True,
    disabled: bool = False,
    **kwargs: Any,
) -> str:
    """Free text (≤ 200 characters in the URL). Show it back only as plain text."""
    spec = Spec(key, "text", default)
    return str(
        _control(
            spec,
            label,
            lambda lab, current, **kw: st.text_input(lab, current, **kw, **kwargs),
            url=url,
            disabled=disabled,
        )
    )


def tabs(key: str, ids: Sequence[str], label: Callable[[str], str]) -> dict[str, Any]:
    """Lazy tabs whose open tab is ``?<key>=<id>``; returns ``{id: container}``.

    Only the open tab's ``.open`` is true, so a page runs only that tab's code.
    The open tab survives a language switch, a reload and a shared link.
    """
    ids = tuple(ids)
    spec = Spec(key, "tab", ids[0], options=ids)
    labels = [label(i) for i in ids]
    _register(spec, t("classroom.tabs", lang()))
    current = st.session_state.get(_CANON, {}).get(key)
    if current not in ids:
        current, raw = ids[0], st.query_params.get(key)
        if raw is not None:
            try:
                current = decode(spec, raw)
            except BadValue as error:
                notice(key, raw, error)
    chosen = st.session_state.get(key)  # the label of the tab the user opened
    if chosen in labels:
        current = ids[labels.index(chosen)]
    elif chosen != labels[ids.index(current)]:
        # first draw, a language switch or a preset: open ``current``
        st.session_state[key] = labels[ids.index(current)]
    containers = st.tabs(labels, key=key, on_change="rerun")
    _publish(spec, current, url=True)
    return dict(zip(ids, containers, strict=True))


# ----------------------------------------------------------------------------
# Presets and links
# ----------------------------------------------------------------------------


def apply(values: dict[str, Any], known: dict[str, Spec] | None = None) -> list[str]:
    """Set control values before the widgets are drawn (a preset's callback).

    Values of controls whose spec is known are validated like URL values;
    returns the keys that were rejected (their control keeps its value).
    """
    known = known if known is not None else st.session_state.get(_SPECS, {})
    rejected = []
    canon = st.session_state.setdefault(_CANON, {})
    for key, value in values.items():
        spec = known.get(key)
        try:
            value = validate(spec, value) if spec is not None else value
        except BadValue:
            rejected.append(key)
            continue
        canon[key] = value
        if spec is not None and spec.kind == "tab":
            st.session_state.pop(key, None)  # re-seeded from the canonical id
            st.session_state.setdefault(_LANG_SEEN, {}).pop(key, None)
        else:
            st.session_state[key] = value
    return rejected


def link(base: str, params: dict[str, Any]) -> str:
    """``base`` with ``params`` as a query string (ids, not labels)."""
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def current_params() -> dict[str, str]:
    """The URL parameters of this page right now (one value each)."""
    return {key: st.query_params.get(key) for key in st.query_params}
