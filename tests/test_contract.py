"""Contract tests, parametrized over the registry (``dlcore.topics.TOPICS``).

A new topic gets every check here for free: navigation and home map, catalogue
keys in both languages, presets that validate and apply, share links that mean
the same in every language, hidden/locked controls, hostile URL values, and
each training task's export reproducing its metrics.
"""

from __future__ import annotations

import ast
import dataclasses
import subprocess
import sys

import numpy as np
import pytest
from conftest import ROOT, exceptions

from dlcore import topics
from dlcore.i18n import CATALOG, t
from ui import shell

PAGES = [p for p in topics.TOPICS if (ROOT / "pages" / f"{p.slug}.py").exists()]
#: Each page's presets, each in one language: alternately English and Chinese
#: (a preset's values are ids, the same in both; both languages' labels and
#: format functions are drawn on every page). ~9 s a run, 72 runs, not 144.
PRESETS = [
    (p, preset, ("en", "zh")[i % 2])
    for p in PAGES
    for i, preset in enumerate(p.load_presets())
]
TASKS = [task for p in PAGES for task in p.tasks]
#: Widget accessors of AppTest whose elements carry a user key.
WIDGETS = (
    "selectbox",
    "slider",
    "select_slider",
    "number_input",
    "toggle",
    "multiselect",
    "button_group",
    "radio",
    "text_input",
    "checkbox",
)


def open_page(slug: str, params: dict[str, str] | None = None, *, runs: int = 1):
    """AppTest of ``/<slug>?params`` (in-process training, memory cache)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page(f"pages/{slug}.py")
    for _ in range(runs):
        at.run()
    return at


def widgets(at) -> dict[str, object]:
    """Every keyed widget the run drew: key -> element."""
    found = {}
    for kind in WIDGETS:
        for element in getattr(at, kind):
            if getattr(element, "key", None):
                found[element.key] = element
    return found


def canonical(at) -> dict[str, object]:
    """The controls' values (stable ids, not labels) after a run."""
    return dict(at.session_state["_state_value"])


def toasts(at) -> list[str]:
    return [toast.value for toast in at.toast]


# --- registry, navigation, catalogue --------------------------------------------------


def test_registry_is_consistent():
    slugs = [p.slug for p in topics.TOPICS]
    assert len(slugs) == len(set(slugs)) and slugs[0] == shell.HOME
    prefixes = [p.prefix for p in topics.TOPICS]
    assert len(prefixes) == len(set(prefixes))
    names = [task.name for task in topics.all_tasks()]
    assert len(names) == len(set(names))
    for page in topics.TOPICS:
        assert page.section in topics.SECTIONS
        for task in page.tasks:
            assert task.name.startswith(page.slug + ".")
            assert dataclasses.is_dataclass(task.config_type)
            task.default_config()  # the defaults validate
            assert callable(task.train_fn) and topics.task_for(task.train_fn) is task


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_catalogue_has_every_registry_key_in_both_languages(page):
    keys = [page.title_key, page.about_key, topics.SECTIONS[page.section]]
    if page.presets:
        keys.append(f"{page.prefix}.preset.none")
        keys += [f"{page.prefix}.preset.{p.name}" for p in page.load_presets()]
    for key in keys:
        assert key in CATALOG, key
        english, chinese = CATALOG[key]
        assert english.strip() and chinese.strip(), key


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_is_in_the_navigation_and_on_the_home_map(lang):
    at = open_page("home", {"lang": lang})
    assert not exceptions(at), exceptions(at)
    links = {link.label for link in at.get("page_link")}
    for page in PAGES:
        assert t(page.title_key, lang) in links, page.slug
    about = " ".join(c.value for c in at.caption)
    for page in PAGES:
        assert t(page.about_key, lang) in about, page.slug


# --- presets --------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("page", "preset", "lang"),
    PRESETS,
    ids=lambda v: getattr(v, "slug", getattr(v, "name", v)),
)
def test_every_preset_validates_and_applies(page, preset, lang):
    values = page.preset_values(preset)  # raises if the config is not a task's
    at = open_page(page.slug, {"lang": lang})
    at.selectbox(key=f"{page.prefix}_preset").set_value(preset.name).run()
    assert not exceptions(at), exceptions(at)
    assert not toasts(at), toasts(at)  # every value accepted by its control
    shown = canonical(at)
    drawn = [key for key in values if key in shown]
    assert drawn, f"no control of preset {preset.name} was drawn"
    for key in drawn:
        expected = values[key]
        if isinstance(expected, tuple):
            expected = list(expected) if isinstance(shown[key], list) else expected
        assert shown[key] == expected, (preset.name, key, shown[key], expected)


# --- share links, hidden and locked controls, hostile values --------------------------


def _first_preset_link(page) -> tuple[dict[str, str], dict[str, object]]:
    """The URL and control values after applying the page's first preset in zh."""
    at = open_page(page.slug, {"lang": "zh"})
    presets = page.load_presets()
    if presets:
        at.selectbox(key=f"{page.prefix}_preset").set_value(presets[0].name).run()
    assert not exceptions(at), exceptions(at)
    return {k: at.query_params[k] for k in at.query_params}, canonical(at)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_a_link_made_in_chinese_opens_the_same_setup_in_english(page):
    link, values = _first_preset_link(page)
    assert link.pop("lang") == "zh"
    for key, value in link.items():  # ids, never translated labels
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in str(value)), (key, value)
    english = open_page(page.slug, {**link, "lang": "en"})
    assert not exceptions(english), exceptions(english)
    assert not toasts(english), toasts(english)
    reopened = canonical(english)
    for key in link:
        assert reopened[key] == values[key], key
    assert {k: english.query_params[k] for k in english.query_params} == {
        **link,
        "lang": "en",
    }


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_hidden_controls_vanish_and_locked_ones_are_disabled(page):
    at = open_page(page.slug, {"lang": "en"})
    keys = [k for k in canonical(at) if k in widgets(at) and not k.endswith("_tab")]
    assert len(keys) >= 2, keys
    hidden, locked = keys[0], keys[1]
    at = open_page(page.slug, {"lang": "en", "hide": hidden, "lock": locked})
    assert not exceptions(at), exceptions(at)
    drawn = widgets(at)
    assert hidden not in drawn
    assert drawn[locked].disabled
    assert t("classroom.locked", "en") in [c.value for c in at.caption]


HOSTILE = (
    "inf",
    "-Infinity",
    "nan",
    "",
    "x" * 300,
    "[link](http://example.com)",
    "![img](http://example.com/a.png)",
    "圆环",
)


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_any_url_loads_bad_values_fall_back_with_a_notice(page):
    at = open_page(page.slug, {"lang": "en"})
    specs = at.session_state["_state_specs"]
    keys = [k for k in canonical(at) if k in specs]
    # Four loads, every control hostile in each (key i gets value 2·round + i):
    # the same (key, value) pairs as one load per value on alternate keys.
    for round_ in range(len(HOSTILE) // 2):
        params = {"lang": "en"}
        params.update(
            {k: HOSTILE[(2 * round_ + i) % len(HOSTILE)] for i, k in enumerate(keys)}
        )
        at = open_page(page.slug, params)
        assert not exceptions(at), (params, exceptions(at))
        shown = canonical(at)
        for key, value in params.items():
            if key == "lang":
                continue
            spec = specs[key]
            if spec.kind in ("multi", "text") and value in ("", "x" * 300):
                continue  # an empty list / free text may be valid
            if shown.get(key) != spec.default:
                continue  # accepted (e.g. "inf" clamps nowhere: it must be rejected)
            named = " ".join(toasts(at))
            assert key.replace("_", "\\_") in named, (key, value, toasts(at))
        for message in toasts(at):
            assert "](http" not in message.replace("\\]\\(", ""), message


# --- training tasks -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_every_task_export_reproduces_its_metrics(task, tmp_path):
    config = topics.resolve(task.smoke) if task.smoke else task.default_config()
    result = task.train_fn(config)
    assert result.status == "finished"
    script = tmp_path / "export.py"
    script.write_text(task.export_fn(config))
    assert "dlcore" not in script.read_text()
    out = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    final = _flat(
        ast.literal_eval(out.stdout.strip().splitlines()[-1].removeprefix("FINAL "))
    )
    metrics = _flat(result.metrics)
    checked = [k for k in final if k in metrics]
    assert checked, (final, result.metrics)
    for name in checked:
        np.testing.assert_allclose(
            final[name], metrics[name], rtol=1e-4, atol=1e-5, err_msg=name
        )


def _flat(values: dict, prefix: str = "") -> dict[str, float]:
    """Nested metric dicts as ``{"outer.inner": number}``."""
    flat: dict[str, float] = {}
    for key, value in values.items():
        if isinstance(value, dict):
            flat.update(_flat(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            flat[f"{prefix}{key}"] = float(value)
    return flat


# --- adding a page touches only its own files plus one registry line ------------------

SCRATCH_PAGE = '''"""A throw-away topic made by the contract test."""

import streamlit as st

from ui import shell, state

lang = shell.page("scratch")
st.title(shell.translator(lang)("nav.scratch"))
units = state.slider("scr_units", "units", 1, 64, 8, 1)
st.write(units * 2)
'''
SCRATCH_STRINGS = """STRINGS = {
    "nav.scratch": ("Scratch topic", "临时主题"),
    "home.about.scratch": ("A throw-away topic.", "一个临时主题。"),
    "scr.preset.none": ("(your own settings)", "（自定义设置）"),
    "scr.preset.wide": ("Wide", "宽"),
}
"""
SCRATCH_CORE = """from dlcore.topics import Preset

PRESETS = (Preset("wide", controls={"scr_units": 64}),)
"""
SCRATCH_LINE = """\
    Topic("scratch", "nets", "science", "scr", presets="dlcore.scratch:PRESETS"),
)
"""
SCRATCH_CHECK = """
import sys
from streamlit.testing.v1 import AppTest
sys.path.insert(0, ".")
at = AppTest.from_file("app.py", default_timeout=300)
at.query_params["scr_units"] = "32"
at.switch_page("pages/scratch.py")
at.run()
assert not at.exception, [e.message for e in at.exception]
assert at.title[0].value == "Scratch topic"
assert at.slider(key="scr_units").value == 32
at.selectbox(key="scr_preset").set_value("wide").run()
assert at.slider(key="scr_units").value == 64
home = AppTest.from_file("app.py", default_timeout=300)
home.query_params["lang"] = "zh"
home.run()
assert "临时主题" in [p.label for p in home.get("page_link")]
print("SCRATCH OK")
"""


@pytest.mark.slow
def test_adding_a_page_is_its_own_files_plus_one_registry_line(tmp_path):
    import shutil

    copy = tmp_path / "app"
    copy.mkdir()
    for name in ("app.py", "ui", "pages", "dlcore", ".streamlit"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, copy / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, copy / name)
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    # The recipe (README, "Adding a page"): the topic's own files …
    (copy / "pages" / "scratch.py").write_text(SCRATCH_PAGE)
    (copy / "dlcore" / "i18n" / "scratch.py").write_text(SCRATCH_STRINGS)
    (copy / "dlcore" / "scratch.py").write_text(SCRATCH_CORE)
    # … plus one registry line.
    registry = copy / "dlcore" / "topics.py"
    text = registry.read_text()
    end = text.index("\n)\n", text.index("TOPICS: tuple[Topic, ...] = ("))
    registry.write_text(text[: end + 1] + SCRATCH_LINE + text[end + 3 :])
    changed = sorted(
        str(p.relative_to(copy))
        for p in copy.rglob("*")
        if p.is_file() and before.get(p) != p.read_bytes()
    )
    assert changed == [
        "dlcore/i18n/scratch.py",
        "dlcore/scratch.py",
        "dlcore/topics.py",
        "pages/scratch.py",
    ]
    diff = set(registry.read_text().splitlines()) - set(text.splitlines())
    assert len(diff) == 1, diff  # exactly one registry line
    env = {"DLCORE_EXECUTOR": "thread", "DLCORE_CACHE_DIR": "none"}
    import os

    out = subprocess.run(
        [sys.executable, "-c", SCRATCH_CHECK],
        cwd=copy,
        text=True,
        capture_output=True,
        timeout=600,
        env={**os.environ, **env},
    )
    assert out.returncode == 0 and "SCRATCH OK" in out.stdout, out.stderr[-3000:]


# --- every chart readable from the back of a room -------------------------------------


def _font_sizes(node, path=""):
    """Every explicit font size in a Plotly figure spec: (path, size)."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key in ("font", "tickfont", "textfont", "titlefont") and isinstance(
                value, dict
            ):
                size = value.get("size")
                sizes = size if isinstance(size, list) else [size]
                yield from ((here, s) for s in sizes if isinstance(s, (int, float)))
            yield from _font_sizes(value, here)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _font_sizes(value, f"{path}[{i}]")


def _views(page) -> list[dict[str, str]]:
    """The default view and each training task's tab."""
    views = [{"lang": "en"}]
    for task in page.tasks:
        if task.tab:
            views.append({"lang": "en", f"{page.prefix}_tab": task.tab})
    return [dict(v) for v in {tuple(sorted(v.items())): v for v in views}.values()]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.slug)
def test_every_chart_has_large_text_and_labelled_log_axes(page):
    from conftest import plotly_specs

    from dlcore.figures import theme

    for params in _views(page):
        at = open_page(page.slug, params)
        assert not exceptions(at), exceptions(at)
        for spec in plotly_specs(at):
            title = (spec["layout"].get("title") or {}).get("text", "")
            small = [(p, s) for p, s in _font_sizes(spec) if s < theme.MIN_FONT_SIZE]
            assert not small, (params, title, small[:5])
            for name, axis in spec["layout"].items():
                if not name.startswith(("xaxis", "yaxis")) or not isinstance(
                    axis, dict
                ):
                    continue
                if axis.get("type") == "log":
                    labels = axis.get("ticktext") or []
                    assert len(labels) >= 2, (params, title, name, axis)


@pytest.mark.slow
@pytest.mark.parametrize("task", TASKS, ids=lambda task: task.name)
def test_every_training_task_can_be_pinned_and_compared(task):
    page = next(p for p in PAGES if task in p.tasks)
    params = {"lang": "zh"}
    if task.tab:
        params[f"{page.prefix}_tab"] = task.tab
    at = open_page(page.slug, params)
    assert not exceptions(at), exceptions(at)
    pin = [b for b in at.button if b.label == t("compare.pin", "zh")]
    assert pin, [b.label for b in at.button]
    pin[0].click().run()
    assert not exceptions(at), exceptions(at)
    captions = [c.value for c in at.caption]
    assert t("compare.pinned", "zh", n=1) in captions, captions
    assert at.dataframe, "the pinned-runs table"
    from conftest import plotly_specs

    names = [trace.get("name") or "" for s in plotly_specs(at) for trace in s["data"]]
    assert any(n.startswith("运行 1") for n in names), names  # the overlay chart
