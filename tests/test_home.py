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
    assert len(anim.frames) == 11 and anim.layout.sliders[0].active == 3
    assert anim.layout.updatemenus[0].buttons[0].args[0][0] == "3"  # plays from step 3
    assert "第 3 / 10 步" in anim.layout.sliders[0].steps[3].label
    assert all(
        frame.layout.to_plotly_json() == {} for frame in anim.frames
    )  # no flicker
    assert {trace.type for trace in anim.data} == {"scatter"}
    heat = figures.array_figure(
        tensors.example("images"), axis_names=tensors.AXES["images"]
    )
    assert len(heat.data) == 4 and heat.data[0].z.shape == (8, 8)


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
    assert at.slider(key="home_step").value == 2
    assert "**Step 3 of 50**" in " ".join(m.value for m in at.markdown)
    assert len(at.latex) == 4
    at.button(key="home_reset").click().run()
    assert at.slider(key="home_step").value == 0
    at.select_slider(key="home_batch").set_value(64).run()
    assert at.segmented_control(key="home_flavour").value == "batch"
    at.toggle(key="home_play").set_value(True).run()
    assert not at.exception
    assert any(
        c.proto.spec and '"frames"' in c.proto.spec for c in at.get("plotly_chart")
    )


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
