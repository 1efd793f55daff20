"""The CNN page readable on a projector and a phone, honest in every count (issue 10).

Figure checks read the Plotly specs the page sends: every font size, the log
axis of the transfer curve, whether the numbers written in heatmap cells fit
their cells at the page's widths (a laptop's third of ~960 px, a 390 px
phone), constant panels that say so. Counts are checked against the controls
(the transfer task's epochs), plurals against the catalogue, and the result
views against ``run_task``'s training slot.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from dlcore import cnn, datasets
from dlcore.figures import cnn as figures
from dlcore.figures import cnn_results as result_figures
from dlcore.figures import theme
from dlcore.i18n import CATALOG, t

#: Content width of the page on a 1440 px laptop (sidebar open) and a phone.
LAPTOP_PX, PHONE_PX = 960, 358
#: Streamlit's gap between columns (1 rem).
GAP_PX = 16


def _font_sizes(node, path=""):
    """Every explicit font size (and ``uniformtext.minsize``) in a figure spec."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if key in ("font", "tickfont", "textfont", "titlefont") and isinstance(
                value, dict
            ):
                size = value.get("size")
                sizes = size if isinstance(size, (list, tuple)) else [size]
                yield from ((here, s) for s in sizes if isinstance(s, (int, float)))
            if key == "minsize" and isinstance(value, (int, float)):
                yield here, value
            yield from _font_sizes(value, here)
    elif isinstance(node, (list, tuple)):
        for i, value in enumerate(node):
            yield from _font_sizes(value, f"{path}[{i}]")


def _all_figures(lang: str) -> dict:
    rng = np.random.default_rng(7)
    image = datasets.load("digits").x_val[0, ..., 0]
    table = cnn.layer_table(cnn.build_cnn(cnn.CNNConfig(filters=4), (8, 8, 1), 10))
    probabilities = rng.dirichlet(np.ones(10), 6)
    maps = rng.random((4, 4, 8))
    maps[..., 2] = 0.0  # a channel that is 0 everywhere
    return {
        "conv": figures.conv_step_figure(
            cnn.conv_steps(image, cnn.kernel_preset("sobel_x"), 1, "same"), 3, lang=lang
        ),
        "pool": figures.pool_step_figure(
            cnn.pool_steps(image, 2, 2, "valid"), 2, lang=lang
        ),
        "windows": figures.windows_1d_figure(8, 3, 2, "same", lang=lang),
        "image": figures.image_figure(image, lang=lang),
        "filters": figures.filters_figure(rng.normal(size=(8, 3, 3)), lang=lang),
        "maps": figures.feature_maps_figure(maps, "conv2", lang=lang),
        "vis": figures.filter_visualization_figure(
            np.stack([np.ones((8, 8)), 0.97 + 0.03 * rng.random((8, 8))]),
            [0, 1],
            "conv1",
            lang=lang,
        ),
        "cam": figures.grad_cam_figure(
            image, image, label="3", layer_name="conv1", lang=lang
        ),
        "confusion": result_figures.confusion_matrix_figure(
            rng.integers(0, 60, (10, 10)), list("0123456789"), lang=lang
        ),
        "wrong": result_figures.misclassified_figure(
            rng.random((3, 8, 8)), [1, 2, 3], probabilities[:3], list("0123456789")
        ),
        "cell": result_figures.misclassified_figure(
            rng.random((1, 8, 8)),
            [1],
            probabilities[:1],
            list("0123456789"),
            min_columns=5,
            pair_titles=False,
        ),
        "per_class": result_figures.per_class_figure(
            cnn.per_class_metrics(np.eye(3, dtype=int) + 1), lang=lang
        ),
        "translation": result_figures.translation_figure(
            {"shift": [-1, 0, 1], "cnn": [0.5, 1, 0.6], "dense": [0.3, 1, 0.2]},
            lang=lang,
        ),
        "transfer": result_figures.transfer_figure(
            {
                "train_size": [20, 50, 100, 300] * 3,
                "strategy": [s for s in cnn.TRANSFER_STRATEGIES for _ in range(4)],
                "accuracy": list(np.linspace(0.8, 0.96, 12)),
            },
            lang=lang,
        ),
        "params": result_figures.param_comparison_figure(table, table, lang=lang),
        "prediction": result_figures.prediction_figure(
            probabilities[0], list("0123456789"), true_class=2, lang=lang
        ),
    }


# --- projector: no chart text below 14 px, log axes with full values ------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_cnn_chart_text_is_smaller_than_14_px(lang):
    for name, fig in _all_figures(lang).items():
        spec = fig.to_plotly_json()
        small = [(p, s) for p, s in _font_sizes(spec) if s < theme.MIN_FONT_SIZE]
        assert not small, (name, small[:5])
        floor = (spec["layout"].get("uniformtext") or {}).get("minsize")
        for trace in spec["data"]:  # numbers in cells and on bars: ≥ 14 px
            if trace["type"] == "heatmap" and trace.get("texttemplate"):
                assert trace["textfont"]["size"] >= theme.MIN_FONT_SIZE, name
            if trace["type"] == "bar" and trace.get("text") is not None:
                # Plotly shrinks text to fit a bar unless told not to
                kept = trace.get("constraintext") == "none"
                assert kept or floor, name


def test_transfer_axis_is_log_with_the_trained_sizes_as_full_values():
    fig = _all_figures("en")["transfer"]
    axis = fig.layout.xaxis
    assert axis.type == "log"
    assert list(axis.ticktext) == ["20", "50", "100", "300"]  # never "5" for 50
    assert list(axis.tickvals) == [20, 50, 100, 300]
    low, high = axis.range
    assert low < np.log10(20) and high > np.log10(300)
    one = result_figures.transfer_figure(
        {"train_size": [40], "strategy": ["frozen"], "accuracy": [0.9]}
    )
    assert len(one.layout.xaxis.ticktext) >= 2  # one size: still two labels


# --- phone and laptop: the numbers in the cells fit their cells -----------------------


def _cell_px(fig, trace, width: float) -> float:
    """Pixel side of one cell of heatmap ``trace`` with ``fig`` drawn ``width`` wide."""
    margin = fig.layout.margin
    plot_w = width - margin.l - margin.r
    plot_h = fig.layout.height - margin.t - margin.b
    x_axis = fig.layout["xaxis" + (trace.xaxis or "x")[1:]]
    y_axis = fig.layout["yaxis" + (trace.yaxis or "y")[1:]]
    x_dom = x_axis.domain or (0, 1)
    y_dom = y_axis.domain or (0, 1)
    rows, cols = np.shape(trace.z)
    if x_axis.range is not None:  # a grid pinned to its final size
        cols = round(x_axis.range[1] - x_axis.range[0])
        rows = round(abs(y_axis.range[1] - y_axis.range[0]))
    # square cells (scaleanchor): the tighter side decides
    return min(
        (x_dom[1] - x_dom[0]) * plot_w / cols, (y_dom[1] - y_dom[0]) * plot_h / rows
    )


def _assert_labels_fit(fig, width: float, what) -> int:
    checked = 0
    for trace in fig.data:
        if trace.type != "heatmap" or not trace.texttemplate:
            continue
        assert trace.texttemplate == "%{text}", what  # the labels are known here
        cell = _cell_px(fig, trace, width)
        labels = [label for row in trace.text for label in row if label]
        widest = max(labels, key=figures.text_px, default="")
        assert trace.textfont.size >= theme.MIN_FONT_SIZE
        assert figures.text_px(widest) + 2 <= cell, (what, width, widest, cell)
        checked += 1
    return checked


def _page_widths(groups) -> list[list[float]]:
    """The column width of each panel group on a laptop and on a phone (stacked),
    as ``ui.views.cnn_conv._step_figures`` lays them out."""
    shares = [1.3 if len(group) > 1 else 1.0 for group in groups]
    usable = LAPTOP_PX - GAP_PX * (len(groups) - 1)
    return [[usable * s / sum(shares) for s in shares], [PHONE_PX] * len(groups)]


UPLOAD = np.random.default_rng(3).random((12, 12))


@pytest.mark.parametrize("size", cnn.KERNEL_SIZES)
@pytest.mark.parametrize("padding", cnn.PADDINGS)
@pytest.mark.parametrize("image", ["digit", "upload12"])
def test_convolution_cell_numbers_fit_their_cells_at_14_px(size, padding, image):
    picture = datasets.load("digits").x_val[5, ..., 0] if image == "digit" else UPLOAD
    groups = (("input",), ("kernel", "products"), ("output",))
    checked = 0
    for name in cnn.kernel_names(size):
        steps = cnn.conv_steps(picture, cnn.kernel_preset(name, size), 1, padding)
        index = len(steps.steps) // 2
        for widths in _page_widths(groups):
            for panels, width in zip(groups, widths, strict=True):
                fig = figures.conv_step_figure(steps, index, panels=panels, title=False)
                checked += _assert_labels_fit(fig, width, (name, panels))
    assert checked  # at least the kernel always shows its numbers
    if image == "digit" and padding == "valid":  # the default view: all numbers
        fig = figures.conv_step_figure(
            cnn.conv_steps(picture, cnn.kernel_preset("sobel_x"), 1, "valid"),
            0,
            panels=("input",),
        )
        assert fig.data[0].text is not None


@pytest.mark.parametrize("mode", cnn.POOL_MODES)
def test_pooling_cell_numbers_fit_their_cells_at_14_px(mode):
    image = datasets.load("digits").x_val[5, ..., 0]
    relu = np.maximum(
        cnn.conv_steps(image, cnn.kernel_preset("laplacian"), 1).output, 0
    )
    groups = (("input",), ("window",), ("output",))
    for source in (image, relu, UPLOAD):
        for size, padding in ((2, "valid"), (3, "same")):
            steps = cnn.pool_steps(source, size, 1, padding, mode)
            for widths in _page_widths(groups):
                for panels, width in zip(groups, widths, strict=True):
                    fig = figures.pool_step_figure(steps, 3, panels=panels, title=False)
                    _assert_labels_fit(fig, width, (mode, panels))


def test_fewer_digits_on_larger_grids_never_smaller_text():
    image = datasets.load("digits").x_val[5, ..., 0]
    assert figures.cell_decimals(image) == 2  # 8×8: "0.94"
    assert figures.cell_decimals(np.pad(image, 2)) == 1  # 12×12 padded: "0.9"
    assert figures.cell_decimals(np.zeros((16, 16))) is None  # colours only
    steps = cnn.conv_steps(image, cnn.kernel_preset("sobel_x"), 1, "valid")
    first = figures.conv_step_figure(steps, 0, panels=("output",))
    last = figures.conv_step_figure(steps, len(steps.steps) - 1, panels=("output",))
    # the format of the output is the whole output's, not the filled part's
    assert first.data[0].text[0][0] == last.data[0].text[0][0]
    assert np.isclose(float(last.data[0].text[0][0]), steps.output[0, 0], atol=0.01)


def test_confusion_matrix_is_readable_on_a_phone():
    matrix = np.random.default_rng(0).integers(0, 60, (10, 10))
    fig = result_figures.confusion_matrix_figure(matrix, list("0123456789"))
    heatmap = fig.data[0]
    assert heatmap.showscale is False  # the counts are written: no colour bar
    assert heatmap.textfont.size >= theme.MIN_FONT_SIZE
    margin = fig.layout.margin
    cell = (PHONE_PX - margin.l - margin.r) / 10
    assert figures.text_px("59", heatmap.textfont.size) + 8 <= cell, cell


def test_misclassified_titles_fit_three_per_phone_row():
    fig = _all_figures("en")["wrong"]
    titles = [a.text for a in fig.layout.annotations if a.text]
    assert titles and all("<br>" in title for title in titles)  # "3 → 5" over "42%"
    width = (PHONE_PX - fig.layout.margin.l - fig.layout.margin.r) / 3
    for title in titles:
        for line in title.split("<br>"):
            assert len(line) * 0.6 * theme.MIN_FONT_SIZE <= width, line


# --- empty or invisible data says so --------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_filter_pictures_are_contrast_stretched_and_flat_ones_say_so(lang):
    fig = _all_figures(lang)["vis"]
    flat, nearly_white = fig.data
    assert (flat.zmin, flat.zmax) == (0.0, 1.0)  # drawn as what it is: white
    z = np.asarray(nearly_white.z, dtype=float)
    assert (nearly_white.zmin, nearly_white.zmax) == (z.min(), z.max())  # stretched
    notes = [a.text for a in fig.layout.annotations]
    assert t("cnn.fig.flat", lang, value=1.0) in notes
    assert any(n.startswith("#1 · 0.97") for n in notes), notes  # its range


def test_all_zero_feature_maps_are_labelled_and_keep_their_values():
    fig = _all_figures("en")["maps"]
    notes = [a for a in fig.layout.annotations if a.text == "all 0"]
    assert len(notes) == 1
    assert notes[0].xref == "x3" and notes[0].font.color == "#ffffff"  # on black
    np.testing.assert_array_equal(np.asarray(fig.data[2].z), 0.0)


# --- formulas fit a phone -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "result"),
    [((8, 3, 1, "valid"), 6), ((28, 5, 2, "valid"), 12), ((8, 5, 1, "same"), 8)],
)
def test_output_size_formula_puts_each_step_on_its_own_line(args, result):
    latex = cnn.output_size_formula(*args)
    assert latex.startswith(r"\begin{aligned}") and latex.endswith(r"\end{aligned}")
    lines = latex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
    lines = lines.split(r"\\")
    assert len(lines) >= 2
    assert f"= {result}" in lines[0] + lines[1]  # the answer, not scrolled away
    for line in lines:  # each line short enough for ~330 px at KaTeX's size
        visible = re.sub(r"\\[a-zA-Z]+|[{}&]", "", line)
        assert len(visible.replace(" ", "")) <= 24, line


# --- counts agree with the controls; real plurals -------------------------------------


def test_plurals_have_a_one_form_and_no_s_in_brackets():
    assert t("cnn.fig.cell_images", "en", true="1", pred="6", count=1).endswith(
        ": 1 image"
    )
    assert t("cnn.fig.cell_images", "en", true="1", pred="6", count=3).endswith(
        ": 3 images"
    )
    one = t("cnn.inspecting", "en", count=1, filters=4, accuracy=0.9)
    assert "1 convolution block " in one
    assert "2 convolution blocks" in t(
        "cnn.inspecting", "en", count=2, filters=4, accuracy=0.9
    )
    assert t("cnn.total_params", "en", count=1) == "1 parameter"
    for key, (english, _) in CATALOG.items():
        if key.startswith("cnn."):
            assert "(s)" not in english, key


@pytest.mark.slow
def test_transfer_epochs_agree_with_the_pretraining_control():
    config = cnn.SMOKE_TRANSFER
    result = cnn.train_transfer(config)
    epochs = result.history.groupby("run").size()
    # what the shared status line reports ("Trained N epochs") …
    assert int(epochs.max()) == config.pretrain_epochs
    assert epochs["pretrain"] == config.pretrain_epochs
    # … and every target run is one pass of exactly num_steps batches
    assert (epochs.drop("pretrain") == 1).all()
    sizes = pd.DataFrame(result.artifacts["curves"])["train_size"]
    assert set(sizes) == set(config.train_sizes)
    text = t(
        "cnn.transfer_runs",
        "en",
        pretrain=config.pretrain_epochs,
        source="0–4",
        count=len(sizes),
        strategies=3,
        sizes=2,
        steps=config.num_steps,
    )
    assert text.startswith("Pretrained for 2 epochs") and "6 runs" in text


def test_transfer_config_needs_steps_that_cover_the_largest_size():
    with pytest.raises(ValueError, match="num_steps"):
        cnn.TransferConfig(train_sizes=(20, 400), num_steps=10, batch_size=32)


# --- results drawn in the training slot, never greyed under the live chart ------------


def _paths(node, path=()):
    """``(path, node)`` of every element below ``node`` (an AppTest tree)."""
    children = getattr(node, "children", None)
    if children:
        for index, child in children.items():
            yield from _paths(child, (*path, index))
    else:
        yield path, node


def _path_of(at, key: str) -> tuple:
    for path, node in _paths(at._tree):
        if getattr(node, "key", None) == key or (
            getattr(node, "proto", None) is not None
            and getattr(node.proto, "id", "").endswith(key)
        ):
            return path
    raise AssertionError(f"no element {key}")


@pytest.mark.slow
def test_results_are_drawn_in_the_training_slot():
    from conftest import ROOT
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    tiny = {"cnn_blocks": "1", "cnn_filters": "4", "cnn_epochs": "1"}
    at.query_params.update({"lang": "en", "cnn_tab": "train", **tiny})
    at.switch_page("pages/cnn.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    retrain = _path_of(at, "cnn_train_retrain")
    slot = (*retrain[:-1], retrain[-1] + 1)  # run_task's slot, after the button
    for key in ("cnn_confusion", "cnn_per_class_fig", "cnn_download_model"):
        path = _path_of(at, key)
        assert path[: len(slot)] == slot, (key, path, slot)
    table = next(p for p, n in _paths(at._tree) if n.type == "dataframe")
    assert table[: len(slot)] != slot  # the layer tables: config only, outside


def _both_views(kind, config, result):
    """A script drawing a result view twice in one rerun, as ``run_task`` does
    while a new run trains: the last finished one, then the new one."""
    import streamlit as st

    from ui.views import cnn as views

    draw = {
        "train": lambda c, r, tag: (
            views._metrics(c, r, "en", tag),
            views.results(r, "en", tag),
        ),
        "inside": lambda c, r, tag: views._inside_views(c, r, "en", tag),
        "transfer": lambda c, r, tag: views._transfer_views(c, r, "en", tag),
    }[kind]
    st.caption("previous")
    draw(config, result, "previous")
    st.caption("final")
    draw(config, result, "final")


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["train", "inside", "transfer"])
def test_the_last_finished_run_and_the_new_one_can_share_a_rerun(kind):
    from streamlit.testing.v1 import AppTest

    if kind == "transfer":
        config = cnn.SMOKE_TRANSFER
        result = cnn.train_transfer(config)
    else:
        config = cnn.CNNConfig(num_blocks=1, filters=4, epochs=1)
        result = cnn.train_cnn(config)
    at = AppTest.from_function(
        _both_views, args=(kind, config, result), default_timeout=300
    )
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    keys = [chart.key for chart in at.get("plotly_chart")]
    assert len(keys) == len(set(keys))
    assert any(k.endswith("_previous") for k in keys), keys
    if kind == "transfer":
        caption = t(
            "cnn.transfer_runs",
            "en",
            pretrain=config.pretrain_epochs,
            source="0–4",
            count=6,
            strategies=3,
            sizes=2,
            steps=config.num_steps,
        )
        assert caption in [c.value for c in at.caption]
    if kind == "inside":
        assert "1 convolution block with 4 filters" in " ".join(
            m.value for m in at.markdown
        )


def _title_px(text: str, size: float) -> float:
    """Estimated width of a one-line title: Latin 0.48 em, CJK 1 em."""
    plain = re.sub(r"<[^>]+>", "", text)
    return (
        sum(
            1.0 if "\u2e80" <= ch <= "\u9fff" or ch in "：（）、，" else 0.48
            for ch in plain
        )
        * size
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_cnn_figure_title_fits_a_phone(lang):
    figs = _all_figures(lang)
    figs["cell"] = result_figures.misclassified_figure(
        np.zeros((1, 8, 8)),
        [1],
        np.full((1, 10), 0.1),
        list("0123456789"),
        lang=lang,
        title=t("cnn.fig.cell_images", lang, true="1", pred="6", count=12),
        pair_titles=False,
    )
    del figs["conv"], figs["pool"]  # the page writes their sum as a heading
    too_long = []
    for name, fig in figs.items():
        title = fig.layout.title.text
        size = fig.layout.title.font.size or fig.layout.font.size * 1.4
        for line in (title or "").split("<br>"):
            if _title_px(line, size) > PHONE_PX - 10:
                too_long.append((name, line))
    assert not too_long
