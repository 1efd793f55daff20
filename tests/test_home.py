"""Home page: tensors, the one-neuron training loop, its figures and the page itself.

Every check compares against an independent oracle: NumPy for reshape and
transpose, the closed-form MSE gradient and least-squares solution, and
``keras.losses.MeanSquaredError`` for the loss surface.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from dlcore import linreg, tensors
from dlcore.figures import home as figures
from dlcore.i18n import CATALOG, t

ROOT = Path(__file__).resolve().parents[1]


# --- tensors -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", tensors.KINDS)
def test_example_has_its_rank_shape_and_dtype(kind):
    x = tensors.example(kind)
    info = tensors.describe(x)
    assert info["ndim"] == tensors.KINDS.index(kind) == len(tensors.AXES[kind])
    assert info["shape"] == tensors.SHAPES[kind] == x.shape
    assert info["dtype"] == "float32"
    assert info["size"] == x.size == math.prod(x.shape)
    np.testing.assert_array_equal(x, tensors.example(kind))  # seeded
    assert not np.array_equal(x, tensors.example(kind, seed=1)) or kind == "scalar"


def test_image_batch_holds_real_digits():
    x = tensors.example("images")
    assert x.shape == (4, 8, 8, 1) and x.min() >= 0.0 and x.max() <= 1.0
    assert x.std() > 0.1  # real strokes, not zeros
    assert tensors.example_labels().shape == (4,)


@pytest.mark.parametrize(
    "shape", [(), (6,), (3, 4), (2, 5, 3), (4, 8, 8, 1), (12,), (7,)]
)
def test_valid_reshapes_all_have_the_same_size(shape):
    shapes = tensors.valid_reshapes(shape)
    size = math.prod(shape)
    assert shapes[0] == tuple(shape)
    assert len(set(shapes)) == len(shapes)
    for s in shapes:
        assert math.prod(s) == size
        assert len(s) <= 4
        np.zeros(shape).reshape(s)  # NumPy accepts it
    if size == 12:  # every ordered factorisation into factors > 1, up to 4 axes
        expected = {
            (12,),
            (2, 6),
            (6, 2),
            (3, 4),
            (4, 3),
            (2, 2, 3),
            (2, 3, 2),
            (3, 2, 2),
        }
        assert set(shapes) - {tuple(shape)} <= expected <= set(shapes)


@pytest.mark.parametrize("kind", ["vector", "matrix", "sequence", "images"])
def test_reshape_keeps_row_major_order_and_transpose_moves_axes(kind):
    x = tensors.example(kind)
    for shape in tensors.valid_reshapes(x.shape):
        y = x.reshape(shape)
        np.testing.assert_array_equal(y.ravel(), x.ravel())  # same order of elements
    for axes in tensors.permutations(x.ndim):
        y = tensors.transpose(x, axes)
        np.testing.assert_array_equal(y, np.transpose(x, axes))
        assert y.shape == tuple(x.shape[a] for a in axes)
        index = tuple(i % n for i, n in zip(range(1, x.ndim + 1), x.shape, strict=True))
        moved = tuple(index[a] for a in axes)
        assert y[moved] == x[index]  # result[i_axes[0], …] = x[i_0, …]
    assert tensors.DEFAULT_RESHAPE[kind] in tensors.valid_reshapes(x.shape)
    assert tensors.DEFAULT_PERMUTATION[kind] in tensors.permutations(x.ndim)


def test_transpose_rejects_a_non_permutation():
    with pytest.raises(ValueError, match="permutation"):
        tensors.transpose(np.zeros((2, 3)), (0, 0))


# --- the training loop ----------------------------------------------------------------


@pytest.fixture(scope="module")
def data():
    return linreg.make_data()


def test_first_step_is_the_closed_form_gradient_and_the_sgd_update(data):
    lr, m = 0.1, 8
    path = linreg.trajectory(data.x, data.y, learning_rate=lr, batch_size=m, steps=3)
    x, y = data.x.astype(np.float64), data.y.astype(np.float64)
    for step in range(3):
        w, b = float(path.w[step]), float(path.b[step])
        batch = path.batches[step]
        residual = w * x[batch] + b - y[batch]
        dw, db = 2 / m * np.sum(residual * x[batch]), 2 / m * np.sum(residual)
        np.testing.assert_allclose([path.dw[step], path.db[step]], [dw, db], rtol=1e-4)
        np.testing.assert_allclose(
            path.batch_loss[step], np.mean(residual**2), rtol=1e-5
        )
        np.testing.assert_allclose(
            path.loss[step], np.mean((w * x + b - y) ** 2), rtol=1e-5
        )
        np.testing.assert_allclose(
            [path.w[step + 1], path.b[step + 1]], [w - lr * dw, b - lr * db], atol=1e-5
        )
    assert (path.w[0], path.b[0]) == linreg.DEFAULT_START


def test_batch_order_is_one_seeded_permutation_per_epoch(data):
    n = len(data.x)
    order = linreg.batch_order(n, 8, steps=20, seed=3)
    assert order.shape == (20, 8)
    per_epoch = n // 8
    for epoch in range(2):
        chunk = order[epoch * per_epoch : (epoch + 1) * per_epoch].ravel()
        expected = np.random.default_rng([3, epoch]).permutation(n)
        np.testing.assert_array_equal(chunk, expected)
    with pytest.raises(ValueError):
        linreg.batch_order(n, n + 1, steps=1)


def test_full_batch_converges_to_least_squares(data):
    n = len(data.x)
    path = linreg.trajectory(data.x, data.y, learning_rate=0.3, batch_size=n, steps=300)
    w_star, b_star = linreg.least_squares(data.x, data.y)
    np.testing.assert_allclose([path.w[-1], path.b[-1]], [w_star, b_star], atol=1e-3)
    # the closed form is the minimiser: the normal equations hold
    x, y = data.x.astype(np.float64), data.y.astype(np.float64)
    residual = w_star * x + b_star - y
    assert abs(residual.mean()) < 1e-9 and abs((residual * x).mean()) < 1e-9
    assert np.all(np.diff(path.loss) <= 1e-6)  # full-batch GD never goes up here


def test_stochastic_path_is_noisier_than_full_batch(data):
    n, steps = len(data.x), 200
    full = linreg.trajectory(
        data.x, data.y, learning_rate=0.1, batch_size=n, steps=steps
    )
    sgd = linreg.trajectory(
        data.x, data.y, learning_rate=0.1, batch_size=1, steps=steps
    )
    tail = slice(-50, None)
    assert np.var(sgd.loss[tail]) > 100 * np.var(full.loss[tail])
    assert np.std(np.diff(sgd.w[tail])) > 10 * np.std(np.diff(full.w[tail]))
    assert sgd.loss[-1] > full.loss[-1]  # it jitters around the minimum


def test_same_seed_same_path_other_seed_other_batches(data):
    kwargs = dict(learning_rate=0.1, batch_size=4, steps=30)
    a = linreg.trajectory(data.x, data.y, seed=1, **kwargs)
    b = linreg.trajectory(data.x, data.y, seed=1, **kwargs)
    c = linreg.trajectory(data.x, data.y, seed=2, **kwargs)
    for name in ("w", "b", "loss", "batches", "dw", "db"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.batches, c.batches)
    assert not np.array_equal(a.w, c.w)


def test_loss_surface_equals_keras_mse(data):
    import keras

    grid = linreg.loss_surface(data.x, data.y, (-2.0, 4.0), (-3.0, 3.0), 7)
    mse = keras.losses.MeanSquaredError()
    for j, i in [(0, 0), (3, 3), (6, 2), (1, 5)]:
        w, b = grid.w[i], grid.b[j]
        expected = float(mse(data.y, (w * data.x + b).astype(np.float32)))
        assert grid.loss[j, i] == pytest.approx(expected, rel=1e-5)
    w_star, b_star = linreg.least_squares(data.x, data.y)
    assert linreg.mse(data.x, data.y, w_star, b_star) <= grid.loss.min() + 1e-12


def test_level_curves_are_exact_level_sets(data):
    curves = linreg.level_curves(data.x, data.y, [0.1, 1.0, 5.0], num=16)
    assert len(curves) == 2  # 0.1 is below the minimum loss
    for (w, b), level in zip(curves, [1.0, 5.0], strict=True):
        np.testing.assert_allclose(linreg.mse(data.x, data.y, w, b), level, rtol=1e-9)


def test_phases_show_the_numbers_of_the_step(data):
    path = linreg.trajectory(data.x, data.y, learning_rate=0.1, batch_size=8, steps=5)
    details = linreg.step_details(data, path, 2)
    latex = linreg.phase_latex(details)
    assert f"{details['dw']:.3f}" in latex["gradient"]
    assert f"{details['w_next']:.3f}" in latex["update"]
    assert f"{details['loss']:.3f}" in latex["loss"]
    np.testing.assert_allclose(
        details["y_hat"], details["w"] * details["x"] + details["b"]
    )


# --- figures --------------------------------------------------------------------------


def test_figures_follow_the_path(data):
    path = linreg.trajectory(data.x, data.y, learning_rate=0.1, batch_size=8, steps=10)
    grid = linreg.loss_surface(data.x, data.y, (-3.0, 4.0), (-3.0, 3.0), 21)
    optimum = linreg.least_squares(data.x, data.y)
    arrow = figures.surface_figure(grid, path, 4, optimum).layout.annotations[0]
    assert (arrow.ax, arrow.ay) == pytest.approx((path.w[4], path.b[4]))
    assert (arrow.x, arrow.y) == pytest.approx((path.w[5], path.b[5]), abs=1e-5)
    fit = figures.fit_figure(data, path, 4)
    assert len(fit.data[2].x) == 8  # the mini-batch of step 4
    anim = figures.animation_figure(data, grid, path, start_step=3, lang="zh")
    assert len(anim.frames) == 10 and anim.layout.sliders[0].active == 3
    assert [frame.name for frame in anim.frames] == [str(k) for k in range(1, 11)]
    assert anim.layout.updatemenus[0].buttons[0].args[0][0] == "4"  # index 3: step 4
    assert "第 4 / 10 步" in anim.layout.sliders[0].steps[3].label
    assert all(
        frame.layout.to_plotly_json() == {} for frame in anim.frames
    )  # no flicker
    assert {trace.type for trace in anim.data} == {"scatter"}
    heat = figures.array_figure(
        tensors.example("images"), axis_names=tensors.AXES["images"]
    )
    assert len(heat.data) == 4 and heat.data[0].z.shape == (8, 8)


def test_steps_are_counted_from_1_in_every_figure(data):
    """Index i (0-based, the data's and the URL's) is "step i + 1" everywhere:
    the loss chart's marker, the animation's frame and label, the phases."""
    n = 20
    path = linreg.trajectory(data.x, data.y, learning_rate=0.1, batch_size=8, steps=n)
    grid = linreg.loss_surface(data.x, data.y, (-3.0, 4.0), (-3.0, 3.0), 21)
    anim = figures.animation_figure(data, grid, path, start_step=n - 1)
    slider = anim.layout.sliders[0]
    assert len(slider.steps) == n and slider.active == n - 1
    assert slider.steps[0].label.split("<br>")[0] == "step 1 / 20"
    assert slider.steps[-1].label.split("<br>")[0] == f"step {n} / {n}"  # not 0…n-1
    for index in (0, 7, n - 1):
        details = linreg.step_details(data, path, index)
        marker = figures.loss_figure(path, index).data[-1]
        assert list(marker.x) == [index + 1]
        assert marker.y[0] == pytest.approx(details["loss"], abs=1e-5)  # phase ②
        frame = anim.frames[index]
        assert frame.name == str(index + 1)
        assert list(frame.data[-1].x) == [index + 1]
        assert f"{details['loss']:.4f}" in slider.steps[index].label
    # the loss of step k is its mini-batch loss before the update (as Keras logs
    # it); the loss on all data is after step k, from 0 (the start) to n
    batch, full = figures.loss_figure(path, 0).data[:2]
    assert list(batch.x) == list(range(1, n + 1))
    assert list(full.x) == list(range(n + 1))


@pytest.mark.parametrize(("lr", "batch"), [(0.1, 8), (0.1, 1), (0.3, 64), (3.0, 64)])
def test_loss_axes_are_log_with_full_value_labels(data, lr, batch):
    from dlcore.figures import theme

    path = linreg.trajectory(
        data.x, data.y, learning_rate=lr, batch_size=batch, steps=50
    )
    grid = linreg.loss_surface(data.x, data.y, (-3.0, 4.0), (-3.0, 3.0), 21)
    axes = [
        figures.loss_figure(path, 3).layout.yaxis,
        figures.animation_figure(data, grid, path).layout.yaxis3,
    ]
    for axis in axes:
        assert axis.type == "log"
        assert len(axis.ticktext) >= 2
        assert list(axis.ticktext) == theme.log_labels(list(axis.tickvals))
        # each label reads as its full value (never "5" for 0.5)
        assert [float(s) for s in axis.ticktext] == pytest.approx(list(axis.tickvals))
        low, high = 10 ** axis.range[0], 10 ** axis.range[1]
        assert all(low <= v <= high for v in axis.tickvals)
    full = path.loss[np.isfinite(path.loss)]
    assert 10 ** axes[0].range[0] <= full.min() and 10 ** axes[0].range[1] >= full.max()


def _font_sizes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            font = key in ("font", "tickfont", "textfont") and isinstance(value, dict)
            if font and isinstance(value.get("size"), (int, float)):
                yield value["size"]
            yield from _font_sizes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _font_sizes(value)


def test_every_home_figure_has_text_of_at_least_14_px(data):
    from dlcore.figures import theme

    path = linreg.trajectory(data.x, data.y, learning_rate=0.1, batch_size=8, steps=10)
    grid = linreg.loss_surface(data.x, data.y, (-3.0, 4.0), (-3.0, 3.0), 21)
    optimum = linreg.least_squares(data.x, data.y)
    figs = [
        figures.fit_figure(data, path, 2),
        figures.surface_figure(grid, path, 2, optimum),
        figures.loss_figure(path, 2),
        figures.animation_figure(data, grid, path),
        figures.array_figure(np.arange(12.0).reshape(3, 4)),  # numbers in cells
        figures.array_figure(np.zeros((12, 8, 8)), columns=2),  # "first 8 of 12"
    ]
    figs += [
        figures.array_figure(tensors.example(kind), panels=group)
        for kind in tensors.KINDS
        for group in figures.panel_groups(tensors.example(kind))
    ]
    for fig in figs:
        sizes = list(_font_sizes(fig.to_plotly_json()))
        assert sizes and min(sizes) >= theme.MIN_FONT_SIZE, sizes


def test_a_4d_batch_is_drawn_two_panels_per_chart_readable_on_a_phone():
    """Four 8×8 digits in one row were ~40 px wide on a 390 px phone; two per
    chart (the charts side by side in columns, stacked on a phone) are not."""
    x = tensors.example("images")
    groups = figures.panel_groups(x)
    assert groups == [(0, 2), (2, 4)]
    titles = []
    phone_plot_width = 390 - 2 * 16 - 60 - 20  # viewport − padding − margins
    for group in groups:
        fig = figures.array_figure(x, axis_names=tensors.AXES["images"], panels=group)
        assert len(fig.data) == 2
        np.testing.assert_array_equal(fig.data[0].z, x[group[0], :, :, 0])
        assert (fig.data[0].zmin, fig.data[0].zmax) == (0.0, float(x.max()))
        titles += [a.text for a in fig.layout.annotations]
        for axis in (fig.layout.xaxis, fig.layout.xaxis2):
            width = (axis.domain[1] - axis.domain[0]) * phone_plot_width
            assert width >= 120, width  # px per 8×8 panel: 15 px per pixel
    assert titles == ["x[0]", "x[1]", "x[2]", "x[3]"]


def test_phase_formulas_put_one_relation_per_line_to_fit_a_phone(data):
    """A line like "w ← w − η·∂L/∂w = −1.000 − 0.1 × (−12.573)" was cut at 390 px."""
    import re

    path = linreg.trajectory(data.x, data.y, learning_rate=0.3, batch_size=8, steps=3)
    latex = linreg.phase_latex(linreg.step_details(data, path, 2))
    for phase, text in latex.items():
        body = text.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}")
        for line in re.split(r"\\\\(?:\[4pt\])?", body):
            line = re.sub(r"[_^]\{[^{}]*\}", "", line)  # limits: i=1
            relations = len(re.findall(r"&?=|\\leftarrow", line))
            numbers = re.findall(r"-?\d+\.\d+", line)
            assert relations <= 1, (phase, line)
            assert len(numbers) <= 3, (phase, line)


# --- strings --------------------------------------------------------------------------


def test_every_page_has_a_description_in_both_languages():
    from dlcore import topics

    for spec in topics.TOPICS:
        en, zh = CATALOG[spec.about_key]
        assert en and zh and en != zh
    home = {k: v for k, v in CATALOG.items() if k.startswith("home.")}
    assert all(en.strip() and zh.strip() for en, zh in home.values())
    text = " ".join(zh for _, zh in home.values())
    terms = ("张量", "标量", "向量", "矩阵", "前向传播", "损失", "梯度", "参数更新")
    for term in (*terms, "小批量随机梯度下降", "批量大小", "学习率"):
        assert term in text, term
    assert t("home.fig.anim_title", "zh", step=1, steps=2, w=0.0, b=0.0, loss=1.0)


# --- the page -------------------------------------------------------------------------


def _app(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("DLCORE_EXECUTOR", "thread")
    monkeypatch.setenv("DLCORE_CACHE_DIR", "none")
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def test_home_page_runs_and_reacts(monkeypatch):
    at = _app(monkeypatch)
    at.run()
    assert not at.exception
    at.run()  # the second run settles widget ids (first run has no page hash yet)
    assert not at.exception
    assert at.title[0].value == t("home.title", "en")
    assert len(at.get("plotly_chart")) >= 4  # tensor heatmaps, fit, surface, loss
    assert len(at.get("page_link")) >= 2

    at.segmented_control(key="home_kind").set_value("sequence").run()
    at.selectbox(key="home_reshape_sequence").set_value((5, 6))
    at.selectbox(key="home_perm_sequence").set_value((2, 1, 0)).run()
    assert not at.exception
    codes = [c.value for c in at.code]
    x = tensors.example("sequence")
    assert tensors.to_text(x.reshape(5, 6)) in codes
    assert tensors.to_text(np.transpose(x, (2, 1, 0))) in codes
    at.segmented_control(key="home_kind").set_value("scalar").run()
    assert not at.exception and at.info

    at.segmented_control(key="home_flavour").set_value("stochastic").run()
    assert at.select_slider(key="home_batch").value == 1
    at.select_slider(key="home_lr").set_value(0.05).run()
    at.button(key="home_next").click().run()
    at.button(key="home_next").click().run()
    assert at.select_slider(key="home_step").value == 2  # index 2 …
    assert at.select_slider(key="home_step").options[2] == "3"  # … shown as step 3
    assert "**Step 3 of 50**" in " ".join(m.value for m in at.markdown)
    assert len(at.latex) == 4
    at.button(key="home_reset").click().run()
    assert at.select_slider(key="home_step").value == 0
    at.select_slider(key="home_batch").set_value(64).run()
    assert at.segmented_control(key="home_flavour").value == "batch"
    at.toggle(key="home_play").set_value(True).run()
    assert not at.exception
    assert any(
        c.proto.spec and '"frames"' in c.proto.spec for c in at.get("plotly_chart")
    )


def _spec(at, key: str) -> dict:
    import json

    for chart in at.get("plotly_chart"):
        if chart.proto.id.endswith(key) or key in chart.proto.id:
            return json.loads(chart.proto.spec)
    raise KeyError(key)


def test_slider_text_and_animation_agree_on_the_step(monkeypatch):
    """Was: slider 0 … 199, "Step 200 of 200", animation "step 199 / 200"."""
    at = _app(monkeypatch)
    at.query_params["home_steps"] = "200"
    at.query_params["home_step"] = "199"  # the URL holds the 0-based index (stable)
    at.run()
    assert not at.exception
    slider = at.select_slider(key="home_step")
    assert slider.value == 199 and slider.options[0] == "1"
    assert slider.options[-1] == "200" and len(slider.options) == 200
    assert "**Step 200 of 200**" in " ".join(m.value for m in at.markdown)
    loss = _spec(at, "home_fig_loss")
    assert loss["data"][-1]["x"] == [200]  # the marker of step 200
    at.toggle(key="home_play").set_value(True).run()
    anim = _spec(at, "home_fig_anim")["layout"]["sliders"][0]
    assert anim["active"] == 199
    assert anim["steps"][anim["active"]]["label"].startswith("step 200 / 200<br>")
    assert at.query_params["home_step"] == "199"
    at.select_slider(key="home_steps").set_value(50).run()  # fewer steps: clamped
    assert at.select_slider(key="home_step").value == 49
    assert "**Step 50 of 50**" in " ".join(m.value for m in at.markdown)


def test_curriculum_cards_come_in_registry_order_row_by_row(monkeypatch):
    """One st.columns(3) for all cards stacked 1, 4, 2, 5, 3, 6 on a phone."""
    from ui import shell

    at = _app(monkeypatch)
    at.run()
    pages = shell.available_pages()
    links = [link.label for link in at.get("page_link")]  # in the page's order
    assert links == [t(p.title_key, "en") for p in pages]


def test_the_image_batch_is_two_charts_of_two_panels(monkeypatch):
    at = _app(monkeypatch)
    at.run()
    first, second = _spec(at, "home_fig_tensor"), _spec(at, "home_fig_tensor_1")
    titles = [
        a["text"] for spec in (first, second) for a in spec["layout"]["annotations"]
    ]
    assert titles == ["x[0]", "x[1]", "x[2]", "x[3]"]


def test_home_page_in_chinese(monkeypatch):
    at = _app(monkeypatch)
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.title[0].value == t("home.title", "zh")
    assert any("张量" in h.value for h in at.header)
    assert len(at.get("plotly_chart")) >= 4


def test_home_links_are_language_independent_and_presets_apply(monkeypatch):
    at = _app(monkeypatch)
    at.query_params["lang"] = "zh"
    at.run()
    at.segmented_control(key="home_kind").set_value("sequence").run()
    at.select_slider(key="home_lr").set_value(0.05).run()
    link = {k: at.query_params[k] for k in at.query_params}
    assert link["home_kind"] == "sequence" and link["home_lr"] == "0.05"  # ids
    fresh = _app(monkeypatch)
    for key, value in {**link, "lang": "en"}.items():
        fresh.query_params[key] = value
    fresh.run()
    assert not fresh.exception
    assert fresh.segmented_control(key="home_kind").value == "sequence"
    assert fresh.select_slider(key="home_lr").value == 0.05
    fresh.selectbox(key="home_preset").set_value("noisy").run()
    assert fresh.select_slider(key="home_batch").value == 1
    assert fresh.select_slider(key="home_lr").value == 0.3
    assert fresh.segmented_control(key="home_flavour").value == "stochastic"


def test_home_modules_import_without_tensorflow():
    """The home page draws its text, tensors and controls before TensorFlow has
    loaded (~10 s on a fresh server): only the training loop's first run
    needs it."""
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, '.');"
        "import dlcore.linreg, dlcore.tensors, dlcore.figures.home, ui.views.home;"
        "from dlcore import linreg;"
        "data = linreg.make_data(); linreg.least_squares(data.x, data.y);"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-2:] == ["False", "False"], out.stdout
