"""A URL fuzzer over every bound parameter of every page (issue 16).

The parameters are not a hand list: each page is opened once per tab (tabs
inside tabs too) and the controls ``ui.state`` bound during that run are the
ones fuzzed. Every parameter gets every hostile value of :data:`VALUES`:

- **spec level** (cheap): every (spec, value) pair through ``state.decode``:
  either a :class:`ui.state.BadValue` or a value the widget accepts (checked
  against the spec by an independent oracle, not by ``decode`` itself);
- **page level**: per page × tab × value, ONE AppTest run with all of that
  tab's bound parameters (and ``lang``, ``title``, ``hide``, ``lock``) set to
  the value: no exception, every rejected parameter is named in a notice, and
  no element renders a link or an image from a parameter (the hostile URL never
  reaches a Markdown field unescaped: :func:`ui.state.plain` escapes ``:``).

Memory-only cache and in-process training (``conftest``): hostile values fall
back to the defaults, whose trainings run once and are then served cached.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator

import pytest
from conftest import ROOT

from dlcore import topics
from ui import state

PAGES = [p.slug for p in topics.TOPICS if (ROOT / "pages" / f"{p.slug}.py").exists()]
EVIL = "http://evil.test"
VALUES = {
    "inf": "inf",
    "-inf": "-Infinity",
    "nan": "nan",
    "empty": "",
    "10kB": "9" * 10_240,  # a number that overflows float, a text too long
    "unicode": "１２圆\u202e🙂",  # full-width digits, CJK, RTL override, emoji
    "md_link": f"[Session expired - click to log in]({EVIL}/)",
    "md_image": f"1, ![x]({EVIL}/i.png)",  # also a token of a list of numbers
    "label": "Convolution",  # a translated label, not an id
}
#: Spec-level extras (no page run): spellings Python's parsers accept or choke on.
EXTRA = (
    "1e309",
    "-1e309",
    "1_0",
    " 3 ",
    "0x10",
    "\x00",
    "-0",
    ",",
    "1,2,3",
    "true",
    "9," * 5_120,
    f"<img src={EVIL}/h.png>",
    "a" * 201,
    "\u0663",  # ARABIC-INDIC DIGIT THREE: float() reads it as 3
)
#: Proto fields shown as raw text, never as Markdown (a code block, a text
#: box's content, a chart's JSON, a table's bytes).
RAW = {
    ("Code", "code_text"),
    ("TextInput", "value"),
    ("TextInput", "default"),
    ("TextArea", "value"),
    ("TextArea", "default"),
    ("Text", "body"),
    ("Json", "body"),
    ("PlotlyChart", "spec"),
}


# --- discovery ------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _lean_app_test_runs():
    """Two per-run costs of AppTest that say nothing about the app (~0.5 s a run).

    - AppTest scans every installed distribution for v2 components on every
      run (~0.27 s): scanned once here (the installed packages do not change).
    - Streamlit calls ``keras.backend.clear_session()`` after every run, whose
      ``gc.collect()`` walks TensorFlow's whole heap (~0.25 s): the objects
      alive after the first page load (and after each page's discovery) are
      frozen out of the collector's scans (``gc.freeze``); what a fuzzed run
      creates is still collected.
    """
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = functools.cache(manifest_scanner.scan_component_manifests)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        open_page(PAGES[0], {"lang": "en"})  # imports TensorFlow, Plotly, pages
        gc.freeze()
        yield
        gc.unfreeze()


def open_page(slug: str, params: dict[str, str]):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{slug}.py")
    return at.run()


def bound_specs(at) -> dict[str, state.Spec]:
    """The URL-bound controls ``ui.state`` drew in this (fresh) session's run."""
    bound = at.session_state["_state_bound"]
    return {k: s for k, s in at.session_state["_state_specs"].items() if k in bound}


def trains(at) -> bool:
    """Whether the run drew a training (``ui.training``'s "Retrain" button)."""
    return any(str(b.key or "").endswith("_retrain") for b in at.button)


def variants(spec: state.Spec) -> list[object]:
    """Values of a control that may reveal others (tabs, switches, named options)."""
    if spec.kind == "tab":
        return list(spec.options[1:])
    if spec.kind == "toggle":
        return [not spec.default]
    if spec.kind == "select" and all(isinstance(o, str) for o in spec.options):
        return [o for o in spec.options if o != spec.default]
    if spec.kind == "multi" and spec.max_items is None:
        return [list(spec.options)]
    return []


Setup = tuple[dict[str, str], dict[str, state.Spec], frozenset[str]]


def discover(slug: str) -> list[Setup]:
    """The page's URL-bound controls: (URL setup, controls bound there, to fuzz).

    Breadth first from the default view: every tab (tabs inside tabs too) and,
    where the view trains nothing, every switch, named option and full
    multi-selection of a newly seen control, kept when it reveals new controls
    (``loss_family=binary`` draws ``loss_label_binary``). Views that train are
    not swept (each setting would be a training): their defaults are fuzzed.
    A tab's setup fuzzes all its controls, a swept one those it revealed.
    """
    found, todo, tried, known = [], [{}], {frozenset()}, set()
    while todo:
        setup = todo.pop(0)
        at = open_page(slug, {"lang": "en", **setup})
        assert not at.exception, (setup, [e.message for e in at.exception])
        specs = bound_specs(at)
        new = [s for k, s in specs.items() if k not in known and k not in setup]
        if setup and not new:
            continue
        known.update(specs)
        tabs_only = all(specs[k].kind == "tab" for k in setup if k in specs)
        fuzz = set(specs) - set(setup) if tabs_only else {s.key for s in new}
        found.append((setup, specs, frozenset(fuzz)))
        sweep = not trains(at)
        for spec in new:
            for value in variants(spec) if sweep or spec.kind == "tab" else ():
                combo = {**setup, spec.key: state.encode(spec, value)}
                if frozenset(combo.items()) not in tried:
                    tried.add(frozenset(combo.items()))
                    todo.append(combo)
    return found


_DISCOVERED: dict[str, list[Setup]] = {}


def tab_runs(slug: str) -> list[Setup]:
    if slug not in _DISCOVERED:
        _DISCOVERED[slug] = discover(slug)
        gc.freeze()  # this page's modules, figures and trainings: see below
    return _DISCOVERED[slug]


# --- oracles --------------------------------------------------------------------------


def _in_range(number: object, spec: state.Spec) -> bool:
    if isinstance(number, bool) or not isinstance(number, (int, float)):
        return False
    if not math.isfinite(number):
        return False
    if spec.integer and not isinstance(number, int):
        return False
    low = -math.inf if spec.low is None else spec.low
    high = math.inf if spec.high is None else spec.high
    return low <= number <= high


def widget_accepts(spec: state.Spec, value: object) -> bool:
    """Whether the control's widget can take ``value`` (independent of decode)."""
    if spec.kind in ("select", "tab"):
        return any(value == o and type(value) is type(o) for o in spec.options)
    if spec.kind == "multi":
        return (
            isinstance(value, list)
            and all(v in spec.options for v in value)
            and len(set(map(repr, value))) == len(value)
            and (spec.max_items is None or len(value) <= spec.max_items)
        )
    if spec.kind == "number":
        return _in_range(value, spec)
    if spec.kind == "range":
        return (
            isinstance(value, tuple)
            and len(value) == 2
            and all(_in_range(v, spec) for v in value)
            and value[0] <= value[1]
        )
    if spec.kind == "toggle":
        return isinstance(value, bool)
    if spec.kind == "text":
        return isinstance(value, str) and len(value) <= 200
    raise AssertionError(f"unknown control kind {spec.kind!r}")


def _strings(message, path: str) -> Iterator[tuple[str, str]]:
    """Every string field of a protobuf message: (Type.field path, value)."""
    for field, value in message.ListFields():
        name = f"{type(message).__name__}.{field.name}"
        if field.message_type is not None and field.message_type.GetOptions().map_entry:
            items = list(value.values())
        elif field.is_repeated:
            items = list(value)
        else:
            items = [value]
        for item in items:
            if isinstance(item, str):
                if (type(message).__name__, field.name) not in RAW:
                    yield f"{path}/{name}", item
            elif hasattr(item, "ListFields"):
                yield from _strings(item, f"{path}/{name}")


def _nodes(node) -> Iterator[object]:
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _nodes(child)


def rendered_strings(at) -> Iterator[tuple[str, str]]:
    """Every string an element of the run may render (Markdown, labels, help…)."""
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "ListFields"):
            yield from _strings(proto, type(node).__name__)


def live_links(at) -> list[tuple[str, str]]:
    """Fields where the hostile URL would render (a link, an image, an autolink)."""
    return [(where, text[:160]) for where, text in rendered_strings(at) if EVIL in text]


def notices(at) -> str:
    return "\n".join(toast.value for toast in at.toast)


# --- the fuzzer -----------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("slug", PAGES)
def test_every_bound_parameter_decodes_to_a_widget_value_or_a_bad_value(slug):
    specs = {k: s for _, found, _ in tab_runs(slug) for k, s in found.items()}
    assert specs, slug
    for spec in specs.values():
        assert widget_accepts(spec, spec.default), (spec.key, spec.default)
        for text in (*VALUES.values(), *EXTRA):
            try:
                value = state.decode(spec, text)
            except state.BadValue as error:
                assert error.message("zh") and str(error), (spec.key, text)
                continue
            assert widget_accepts(spec, value), (spec.key, text[:40], value)
            assert state.decode(spec, state.encode(spec, value)) == value  # stable


def _rejects(spec: state.Spec, text: str) -> bool:
    try:
        state.decode(spec, text)
    except state.BadValue:
        return True
    return False


@pytest.mark.slow
@pytest.mark.parametrize("name", list(VALUES))
@pytest.mark.parametrize("slug", PAGES)
def test_hostile_value_in_every_parameter_of_every_tab(slug, name):
    """Per tab (and per setup that reveals controls) one run with every control
    set to the value. A swept setup (``loss_family=binary``) runs a value only
    when one of the controls it revealed accepts it, or it is Markdown: a value
    all of them reject draws the defaults and notices, as every tab's run does.
    """
    value = VALUES[name]
    failures = []
    for setup, specs, fuzzed in tab_runs(slug):
        swept = any(specs[k].kind != "tab" for k in setup if k in specs)
        markdown = name.startswith("md_")
        if swept and not markdown and all(_rejects(specs[k], value) for k in fuzzed):
            continue
        params = {k: value for k in fuzzed}
        params.update({p: value for p in sorted(state.RESERVED)}, **setup)
        at = open_page(slug, params)
        where = f"{slug} {setup or ''} {name}"
        if at.exception:
            failures.append(f"{where}: {[e.message for e in at.exception]}")
            continue
        for field, text in live_links(at):
            failures.append(
                f"{where}: a parameter renders as Markdown in {field}: {text}"
            )
        shown, drawn = notices(at), bound_specs(at)
        for key in (k for k in fuzzed if k in drawn):  # a control not drawn: not read
            try:
                state.decode(specs[key], value)
            except state.BadValue:
                if state.plain(key) not in shown:
                    failures.append(f"{where}: {key} rejected without a notice")
    assert not failures, "\n".join(failures)


# --- echo sites: user text shown in Markdown is escaped -----------------------------


def test_plain_leaves_no_markdown_or_url_live():
    specials = set("\\`*_{}[]()#+-.!|<>~$&:")
    for text in (*VALUES.values(), *EXTRA, "www.evil.test", "<a href='x'>y</a>"):
        shown = state.plain(text)
        assert EVIL not in shown and "www.evil" not in shown
        unescaped = [
            ch
            for i, ch in enumerate(shown)
            if ch in specials and ch != "\\" and (i == 0 or shown[i - 1] != "\\")
        ]
        assert not unescaped, (text[:40], unescaped)


def test_a_bad_language_link_is_named_in_the_notice_as_text():
    link = f"[Session expired - click to log in]({EVIL}/login)"
    for value in (link, f"![x]({EVIL}/img.png)"):
        at = open_page("home", {"lang": value})
        assert not at.exception
        assert state.plain("lang") in notices(at)
        assert not live_links(at), live_links(at)


def test_teacher_view_and_title_banner_show_hostile_text_as_text():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key in ("title", "hide", "lock", "pg_dataset"):
        at.query_params[key] = VALUES["md_link"]
    at.query_params["lang"] = VALUES["md_image"]
    at.session_state["_teacher_view"] = True
    at.switch_page("pages/playground.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.text_input(key="_teacher_title")  # the teacher view is open
    assert "\\[Session expired" in at.info[0].value  # the ?title= banner
    assert not live_links(at), live_links(at)


def test_softmax_logits_echo_a_bad_token_as_text():
    at = open_page("activations", {"act_tab": "softmax", "act_sm_logits": "1, x"})
    assert at.error[0].value.startswith("“x”")  # the echo site
    at = open_page(
        "activations", {"act_tab": "softmax", "act_sm_logits": VALUES["md_image"]}
    )
    assert at.error, "the bad token is reported"
    assert not live_links(at), live_links(at)
