"""The classroom layer: URL codec, teacher tools, projector mode, compare runs."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
import pytest
from conftest import exceptions

from dlcore import compare
from dlcore.figures import theme
from dlcore.figures import training as training_figures
from dlcore.playground import PlaygroundConfig
from ui import classroom, state

# --- the URL codec --------------------------------------------------------------------

NUMBER = state.Spec("n", "number", 0.1, low=0.0, high=0.5, step=0.05)
INTEGER = state.Spec("k", "number", 2, low=0, high=4, step=1, integer=True)
CHOICE = state.Spec("d", "select", "circle", options=("circle", "xor", "spiral"))
RATES = state.Spec("lr", "select", 0.03, options=(0.001, 0.003, 0.01, 0.03, 0.1))
MULTI = state.Spec("m", "multi", ["a"], options=("a", "b", "c"))
TOGGLE = state.Spec("t", "toggle", False)
RANGE = state.Spec("x", "range", (-5.0, 5.0), low=-10.0, high=10.0, step=0.5)


@pytest.mark.parametrize(
    ("spec", "text", "expected"),
    [
        (NUMBER, "0.3", 0.3),
        (NUMBER, "0.31", 0.3),  # snapped to the slider's step grid
        (INTEGER, "3", 3),
        (CHOICE, "xor", "xor"),
        (RATES, "0.01", 0.01),
        (RATES, "1e-2", 0.01),  # same number, other spelling
        (MULTI, "b,c", ["b", "c"]),
        (MULTI, "", []),
        (RANGE, "-2,3", (-2.0, 3.0)),
        (RANGE, "3,-2", (-2.0, 3.0)),  # read in order
        (TOGGLE, "1", True),
        (TOGGLE, "false", False),
    ],
)
def test_valid_url_values_decode_to_the_control_value(spec, text, expected):
    value = state.decode(spec, text)
    assert value == expected and type(value) is type(expected)
    assert state.decode(spec, state.encode(spec, value)) == value  # round trip


@pytest.mark.parametrize(
    ("spec", "text", "reason"),
    [
        (NUMBER, "inf", "finite"),
        (NUMBER, "-Infinity", "finite"),
        (NUMBER, "nan", "finite"),
        (NUMBER, "", "empty"),
        (NUMBER, "0.9", "outside"),
        (NUMBER, "abc", "not a number"),
        (INTEGER, "2.5", "whole"),
        (CHOICE, "圆环", "expected one of"),  # a translated label is not an id
        (CHOICE, "[x](http://e.com)", "expected one of"),
        (RATES, "0.02", "expected one of"),
        (MULTI, "a,zzz", "expected one of"),
        (
            state.Spec("m", "multi", [], options=("a", "b", "c"), max_items=2),
            "a,b,c",
            "more than 2",
        ),
        (TOGGLE, "maybe", "1 or 0"),
        (RANGE, "1", "two numbers"),
        (RANGE, "-20,3", "outside"),
        (RANGE, "inf,3", "finite"),
    ],
)
def test_bad_url_values_are_rejected_with_a_reason(spec, text, reason):
    with pytest.raises(state.BadValue, match=reason):
        state.decode(spec, text)


def test_option_ids_are_stable_and_language_free():
    assert state.option_id(0.0001) == "0.0001"
    assert state.option_id((5, 6)) == "(5, 6)"
    assert state.option_id(False) == "0"
    assert not math.isnan(float(state.option_id(3.0)))


def test_plain_escapes_markdown_links_images_and_html():
    text = state.plain("![x](http://e.com/a.png) [y](http://e.com) <b>z</b>")
    assert "](" not in text.replace("\\](", "").replace("\\]\\(", "")
    assert "<b>" not in text


def test_qr_code_is_a_png_that_encodes_the_link():
    png = classroom.qr_png("http://localhost:8501/cnn?lang=zh&cnn_tab=train")
    assert png.startswith(b"\x89PNG") and len(png) > 500


def test_link_carries_ids_and_drops_empty_values():
    link = state.link("http://h/p", {"lang": "zh", "pg_dataset": "xor", "hide": ""})
    assert link == "http://h/p?lang=zh&pg_dataset=xor"


# --- projector mode -------------------------------------------------------------------


def test_projector_mode_enlarges_text_lines_and_markers_without_touching_the_input():
    fig = theme.styled(go.Figure(), height=300, x_title="epoch", y_title="loss")
    fig.add_scatter(y=[1, 2], mode="lines+markers", marker={"size": 8})
    fig.add_heatmap(z=[[0, 1], [1, 0]])
    fig.add_annotation(text="note", font={"size": 12})
    big = theme.for_projector(fig)
    scale = theme.PROJECTOR_SCALE
    assert big.layout.font.size == round(theme.FONT_SIZE * scale) >= 20
    assert big.layout.xaxis.tickfont.size >= 20
    assert big.data[0].line.width == pytest.approx(2 * scale)
    assert big.data[0].marker.size == pytest.approx(8 * scale)
    assert big.layout.annotations[0].font.size == round(12 * scale)
    assert big.data[0].marker.colorbar.tickfont.size is None  # no stray colour bar
    assert fig.layout.font.size == theme.FONT_SIZE and fig.data[0].line.width is None


# --- compare runs ---------------------------------------------------------------------


def _history(values):
    import pandas as pd

    return pd.DataFrame(
        {"loss": values, "val_loss": [v * 1.1 for v in values]},
        index=range(1, len(values) + 1),
    )


def test_compare_table_lists_only_settings_that_differ_plus_final_metrics():
    pins = [
        compare.pin(PlaygroundConfig(), _history([0.9, 0.5]), {"val_accuracy": 0.8}),
        compare.pin(
            PlaygroundConfig(learning_rate=0.1, hidden_layers=(4,)),
            _history([0.8, 0.3, 0.2]),
            {"val_accuracy": 0.9},
        ),
    ]
    table = compare.table(pins)
    assert list(table.columns) == [
        "run",
        "hidden_layers",
        "learning_rate",
        "val_accuracy",
    ]
    assert table["learning_rate"].tolist() == [0.03, 0.1]
    assert table["hidden_layers"].tolist() == ["[8, 8]", "[4]"]
    assert compare.curve_metrics(pins) == ["loss", "val_loss"]
    fig = training_figures.compare_figure(pins, "val_loss")
    assert [trace.name for trace in fig.data] == ["run 1", "run 2"]
    np.testing.assert_allclose(fig.data[1].y, [0.88, 0.33, 0.22])
    assert list(fig.data[1].x) == [1, 2, 3]  # epochs aligned from 1
    assert fig.layout.yaxis.type == "log"


@pytest.mark.slow
def test_pin_two_runs_compare_download_and_clear(app_test):
    at = app_test("playground", lang="en")
    at.button(key="pg_pin").click().run()
    assert "Pinned as run 1" in [c.value for c in at.caption]
    at.select_slider(key="pg_lr").set_value(0.1).run()
    at.button(key="pg_pin").click().run()
    assert not exceptions(at), exceptions(at)
    assert "Pinned as run 2" in [c.value for c in at.caption]
    table = at.dataframe[0].value
    assert table["learning_rate"].tolist() == [0.03, 0.1]
    assert {"val_accuracy", "val_loss"} <= set(table.columns)
    charts = [c for c in at.get("plotly_chart") if '"run 2"' in c.proto.spec]
    assert charts, "overlay chart of both runs"
    at.selectbox(key="pg_pins_metric").set_value("val_loss").run()
    assert not exceptions(at)
    at.button(key="pg_pins_clear").click().run()
    assert not at.dataframe and "pg_pin" in [b.key for b in at.button]


@pytest.mark.slow
def test_language_switch_relabels_every_widget_at_once(app_test):
    at = app_test("playground", lang="en")
    at.selectbox(key="pg_dataset").set_value("xor").run()
    assert at.selectbox(key="pg_dataset").options[:2] == ["Circle", "XOR"]
    at.button_group(key="lang").set_value("zh").run()
    assert at.selectbox(key="pg_dataset").value == "xor"
    assert at.selectbox(key="pg_dataset").options[0] == "圆环"
    assert at.selectbox(key="pg_preset").options[0] == "（自定义设置）"
    assert at.query_params["pg_dataset"] == "xor"


@pytest.mark.slow
def test_teacher_view_builds_a_link_with_hidden_and_locked_controls(app_test):
    at = app_test("playground", lang="en")
    at.toggle(key=classroom.TEACHER_KEY).set_value(True).run()
    at.multiselect(key="_teacher_hide").set_value(["pg_optimizer", "pg_lr"]).run()
    at.multiselect(key="_teacher_lock").set_value(["pg_epochs"]).run()
    at.text_input(key="_teacher_title").input("XOR lesson").run()
    assert not exceptions(at), exceptions(at)
    links = [c.value for c in at.code if "hide=" in c.value]
    assert links, [c.value for c in at.code]
    assert "hide=pg_optimizer%2Cpg_lr" in links[0] and "lock=pg_epochs" in links[0]
    assert "title=XOR+lesson" in links[0]
    assert at.sidebar.get("image")  # the QR code of that link


@pytest.mark.slow
def test_named_setup_title_is_shown_as_plain_text(app_test):
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.query_params["title"] = "[click](http://evil.example) ![x](http://e/x.png)"
    at.switch_page("pages/playground.py")
    at.run()
    assert not exceptions(at)
    banner = at.info[0].value
    assert "\\[click\\]\\(http" in banner  # escaped: no link, no image


# --- multi-segment addresses (issue 16) -----------------------------------------------


def _visit(path: str, query: bytes = b"", *, navigate: bool = True) -> list[dict]:
    """What ``shell.OnePathSegment`` sends for a GET of ``path`` (ASGI messages)."""
    import asyncio

    from ui import shell

    sent: list[dict] = []

    async def app(scope, receive, send):  # Streamlit's server behind the middleware
        await send({"type": "http.response.start", "status": 200, "headers": []})

    async def send(message):
        sent.append(message)

    headers = [(b"sec-fetch-mode", b"navigate")] if navigate else []
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": headers,
    }
    asyncio.run(shell.OnePathSegment(app)(scope, None, send))
    return sent


def _location(sent: list[dict]) -> str | None:
    start = sent[0]
    if start["status"] == 200:
        return None
    assert start["status"] == 302
    return dict(start["headers"])[b"location"].decode()


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/a/b", b"", "/"),
        ("/pages/cnn.py", b"lang=zh", "/cnn?lang=zh"),
        ("/pages/home.py", b"", "/"),
        ("/playground/x/y/", b"lang=en&pg_lr=0.01", "/playground?lang=en&pg_lr=0.01"),
        ("/nope/x", b"", "/"),
        ("/cnn", b"lang=zh", None),  # one segment: Streamlit's own page
        ("/", b"", None),
        ("/_stcore/health", b"", None),  # the server's own routes pass through
        ("/static/js/index.js", b"", None),
        ("/media/abc.png", b"", None),
        ("/component/x/index.html", b"", None),
        ("//evil.test/x", b"", None),  # Streamlit answers 400 itself
    ],
)
def test_multi_segment_page_visits_are_redirected_to_their_page(path, query, expected):
    assert _location(_visit(path, query)) == expected


def test_only_page_visits_are_redirected_not_scripts_or_api_calls():
    assert _location(_visit("/a/b", navigate=False)) is None


def test_app_py_is_the_st_app_streamlit_run_serves():
    from streamlit.web.server.app_discovery import discover_asgi_app

    from ui import shell

    found = discover_asgi_app(shell.ROOT / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app", found
