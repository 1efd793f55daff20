"""Sections of the GAN page: the 2-D lab and the losses.

Every training goes through :func:`ui.training.run_task`; the result views are
drawn by its ``render`` (keys use ``tag``). User text is shown as plain text.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from dlcore.gan import data as gdata
from dlcore.i18n import t
from ui import charts, state, training
from ui.shell import translator as _tr

TABS = ("lab", "losses", "digits")
UNITS = (1, 2, 4, 8, 16, 32, 64)
LEARNING_RATES = (0.0001, 0.0003, 0.001, 0.002, 0.005, 0.008, 0.01, 0.03, 0.1)
STEPS = (0, 250, 500, 1000, 2000, 3000, 4000, 6000, 8000, 10000)
EVERY = (10, 25, 50, 100, 200, 500)
BATCHES = (32, 64, 128, 256)
OPTIMIZERS = ("adam", "rmsprop", "sgd")
#: Shown in the points box until the teacher types their own (a smile).
EXAMPLE_POINTS = "\n".join(
    [f"{x:.2f}, {y:.2f}" for x, y in [(-0.8, 0.8), (0.8, 0.8)]]
    + [
        f"{1.2 * np.cos(a):.2f}, {1.2 * np.sin(a) - 0.2:.2f}"
        for a in np.linspace(np.pi * 1.15, np.pi * 1.85, 9)
    ]
)


def _key(key: str, tag: str) -> str:
    return key if tag == "final" else f"{key}_{tag}"


def _points(lang: str) -> tuple[tuple[float, float], ...] | None:
    """The teacher's points (text box or upload); ``None`` with a message."""
    T = _tr(lang)
    text = st.text_area(T("gan.points"), EXAMPLE_POINTS, key="gan_points_text")
    upload = st.file_uploader(
        T("gan.points_upload"), type=["csv", "txt"], key="upload_gan_csv"
    )
    if upload is not None:
        raw = upload.getvalue()[:200_001]
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            st.error(T("gan.points_bad", error="not UTF-8 text"))
            return None
    try:
        points = gdata.parse_points(text)
    except ValueError as error:
        st.error(state.plain(T("gan.points_bad", error=str(error))))
        return None
    st.caption(T("gan.points_ok", n=len(points)))
    return tuple((float(x), float(y)) for x, y in points)


def lab_controls(lang: str):
    """The lab's controls; returns a ``Gan2DConfig`` or ``None`` (message shown)."""
    from dlcore import gan

    D = gan.Gan2DConfig()
    T = _tr(lang)
    c1, c2, c3 = st.columns(3)
    with c1:
        dataset = state.select(
            "gan_dataset",
            T("gan.data"),
            gdata.DATASETS,
            D.dataset,
            format_func=lambda k: T(f"gan.data.{k}"),
        )
    with c2:
        noise_dim = state.select(
            "gan_noise_dim", T("gan.noise_dim"), (1, 2), D.noise_dim, widget="segmented"
        )
    with c3:
        noise = state.select(
            "gan_noise",
            T("gan.noise"),
            gan.NOISES,
            D.noise,
            format_func=lambda k: T(f"gan.noise.{k}"),
            widget="segmented",
        )
    points: tuple = ()
    if dataset == "custom":
        found = _points(lang)
        if found is None:
            return None
        points = found
    c4, c5, c6 = st.columns(3)
    with c4:
        loss = state.select(
            "gan_loss",
            T("gan.loss"),
            gan.LOSSES,
            D.loss,
            format_func=lambda k: T(f"gan.loss.{k}"),
        )
    with c5:
        steps = state.select(
            "gan_steps", T("gan.steps"), STEPS, D.num_steps, widget="select_slider"
        )
    with c6:
        every = state.select(
            "gan_every", T("gan.every"), EVERY, D.snapshot_every, widget="select_slider"
        )
    models = st.expander(T("gan.models"), icon=":material/tune:")
    g_col, d_col = models.columns(2)
    with g_col:
        st.markdown(f"**{T('gan.generator')}**")
        g_layers = state.slider("gan_g_layers", T("gan.layers"), 0, 4, D.g_layers, 1)
        g_units = state.select(
            "gan_g_units", T("gan.units"), UNITS, D.g_units, widget="select_slider"
        )
        g_opt = state.select(
            "gan_g_opt",
            T("gan.optimizer"),
            OPTIMIZERS,
            D.g_optimizer,
            widget="segmented",
        )
        g_lr = state.select(
            "gan_g_lr", T("gan.lr"), LEARNING_RATES, D.g_lr, widget="select_slider"
        )
    with d_col:
        st.markdown(f"**{T('gan.discriminator')}**")
        d_layers = state.slider("gan_d_layers", T("gan.layers"), 0, 4, D.d_layers, 1)
        d_units = state.select(
            "gan_d_units", T("gan.units"), UNITS, D.d_units, widget="select_slider"
        )
        d_opt = state.select(
            "gan_d_opt",
            T("gan.optimizer"),
            OPTIMIZERS,
            D.d_optimizer,
            widget="segmented",
        )
        d_lr = state.select(
            "gan_d_lr", T("gan.lr"), LEARNING_RATES, D.d_lr, widget="select_slider"
        )
    c7, c8, c9 = models.columns(3)
    with c7:
        k = state.slider("gan_k", T("gan.k"), 1, 5, D.d_steps, 1)
    with c8:
        batch = state.select(
            "gan_batch", T("gan.batch"), BATCHES, D.batch_size, widget="select_slider"
        )
    with c9:
        seed = state.number("gan_seed", T("common.seed"), 0, 9999, D.seed, 1)
    manual = _step_through(lang)
    try:
        return gan.Gan2DConfig(
            dataset=dataset,
            points=points,
            noise_dim=int(noise_dim),
            noise=noise,
            g_layers=int(g_layers),
            g_units=int(g_units),
            d_layers=int(d_layers),
            d_units=int(d_units),
            loss=loss,
            g_optimizer=g_opt,
            g_lr=float(g_lr),
            d_optimizer=d_opt,
            d_lr=float(d_lr),
            d_steps=int(k),
            num_steps=int(steps),
            snapshot_every=int(every),
            manual=manual,
            batch_size=int(batch),
            seed=int(seed),
        )
    except ValueError as error:
        st.error(state.plain(T("gan.bad_config", error=str(error))))
        return None


def _step_through(lang: str) -> str:
    """Buttons that append one D / G / both update to the run (``gan_manual``)."""
    T = _tr(lang)
    manual = state.text("gan_manual", T("gan.manual"), "")
    cleaned = "".join(ch for ch in manual.lower() if ch in "dgb")[:40]
    cols = st.columns(4)
    for col, (action, label) in zip(
        cols,
        (("d", "gan.step_d"), ("g", "gan.step_g"), ("b", "gan.step_both"), ("", "")),
        strict=True,
    ):
        if action:
            col.button(
                T(label),
                key=f"gan_step_{action}",
                on_click=state.apply,
                args=({"gan_manual": (cleaned + action)[-40:]},),
                disabled=len(cleaned) >= 40,
            )
        else:
            col.button(
                T("gan.step_clear"),
                key="gan_step_clear",
                on_click=state.apply,
                args=({"gan_manual": ""},),
                disabled=not manual,
            )
    st.caption(T("gan.manual_note"))
    return cleaned


def lab(lang: str) -> None:
    from dlcore.figures import gan as figures
    from dlcore.gan import configs

    T = _tr(lang)
    config = lab_controls(lang)
    layers = state.multiselect(
        "gan_show",
        T("gan.show"),
        figures.LAYERS,
        list(figures.LAYERS),
        format_func=lambda k: T(f"gan.layer.{k}"),
        widget="pills",
    )
    speed = state.select(
        "gan_speed",
        T("gan.play_speed"),
        tuple(figures.SPEEDS),
        "normal",
        format_func=lambda k: T(f"gan.speed.{k}"),
        widget="segmented",
    )
    if config is None:
        return
    # The first picture: the real distribution, before TensorFlow is imported.
    real = configs.real_data(config)
    picture = st.empty()
    with picture.container():
        charts.plotly(
            figures.real_figure(real[:1000], configs.plot_limit(real), lang=lang),
            key="gan_real",
        )
        st.caption(T("gan.first_picture"))
    from dlcore import gan

    def render(config, result, tag):
        picture.empty()
        _lab_result(config, result, tag, lang=lang, layers=layers, speed=speed)

    training.run_task(
        gan.train_gan_2d,
        config,
        lang=lang,
        key="gan_lab",
        code=gan.code_gan_2d(config),
        code_file="gan_2d.py",
        epochs=len(configs._plan(config)),
        show_curves=False,
        render=render,
    )


def _lab_result(config, result, tag, *, lang, layers, speed) -> None:
    from dlcore.figures import gan as figures

    T = _tr(lang)
    if result is None or not len(result.history):
        return
    metrics = result.metrics
    cols = st.columns(4)
    if "modes" in metrics:
        centers = len(result.artifacts.get("centers", ()))
        cols[0].metric(T("gan.metric.modes"), f"{metrics['modes']:.0f} / {centers}")
        cols[1].metric(T("gan.metric.quality"), f"{metrics['high_quality']:.0%}")
    cols[2].metric(T("gan.metric.js"), f"{metrics['js']:.3f}")
    cols[3].metric(T("gan.metric.kl"), f"{metrics['kl']:.3f}")
    fig = figures.lab_figure(result.artifacts, lang=lang, layers=layers, speed=speed)
    charts.plotly(fig, key=_key("gan_lab_fig", tag))
    frames = len(result.artifacts["steps"])
    st.caption(T("gan.frames_note", frames=frames))
    prob = config.loss in ("minimax", "nonsat")
    st.caption(T("gan.fig.heat_note" if prob else "gan.fig.critic_note"))
    history = result.history
    left, right = st.columns(2)
    charts.plotly(
        figures.curves_figure(
            history, ["loss", "g_loss"], lang=lang, title_key="gan.fig.losses"
        ),
        key=_key("gan_losses", tag),
        where=left,
    )
    charts.plotly(
        figures.curves_figure(
            history, ["kl", "js"], lang=lang, title_key="gan.fig.divergence"
        ),
        key=_key("gan_div", tag),
        where=right,
    )
    st.caption(T("gan.estimator"))
    if "modes" in history:
        left, right = st.columns(2)
        charts.plotly(
            figures.curves_figure(
                history, ["modes"], lang=lang, title_key="gan.fig.modes"
            ),
            key=_key("gan_modes", tag),
            where=left,
        )
        charts.plotly(
            figures.curves_figure(
                history, ["high_quality"], lang=lang, title_key="gan.fig.quality"
            ),
            key=_key("gan_quality", tag),
            where=right,
        )
        st.caption(T("gan.coverage_rule"))


def losses(lang: str) -> None:
    from dlcore.figures import gan as figures
    from dlcore.gan import core

    T = _tr(lang)
    st.markdown(T("gan.losses_intro"))
    at = state.slider("gan_at", T("gan.losses.at"), 0.01, 0.99, 0.05, 0.01)
    charts.plotly(figures.generator_losses_figure(lang=lang, at=at), key="gan_loss_fig")
    st.caption(
        T(
            "gan.losses.readout",
            at=f"{at:.2f}",
            minimax=f"{at:.3f}",
            nonsat=f"{1 - at:.3f}",
        )
    )
    st.subheader(T("gan.losses.formulas"))
    st.code(
        "# r, f = D's outputs (logits) on real / generated samples\n"
        "L_D = mean(softplus(-r)) + mean(softplus(f))   # BCE(real→1) + BCE(fake→0)\n"
        "L_G minimax  = -mean(softplus(f))               # mean(log(1 - sigmoid(f)))\n"
        "L_G nonsat   =  mean(softplus(-f))              # -mean(log(sigmoid(f)))\n"
        "L_D lsgan = 0.5*mean((r-1)**2) + 0.5*mean(f**2); L_G = 0.5*mean((f-1)**2)\n"
        "L_D wgan_gp = mean(f) - mean(r) + λ·mean((‖∇D(x̂)‖ - 1)**2); L_G = -mean(f)",
        language="python",
    )
    logits = np.linspace(-6, 6, 25, dtype=np.float32)
    bce = core.keras.losses.BinaryCrossentropy(from_logits=True)
    diff = 0.0
    for a in logits:
        ours = float(core.generator_loss("nonsat", np.array([a])))
        theirs = float(bce(np.ones((1, 1)), np.array([[a]])))
        diff = max(diff, abs(ours - theirs))
    st.caption(t("gan.losses.check", lang, diff=f"{diff:.1e}"))


# ----------------------------------------------------------------------------
# Tab 3: a DCGAN on digits
# ----------------------------------------------------------------------------

DG_STEPS = (100, 250, 500, 1000, 1500, 2000, 3000, 5000)
DG_FILTERS = (8, 16, 32, 64)
DG_NOISE = (2, 4, 8, 16, 32, 64)
DG_LR = (0.0002, 0.0005, 0.001, 0.002, 0.005)


def digits(lang: str) -> None:
    from dlcore import gan
    from dlcore.figures import gan as figures
    from dlcore.gan import configs

    T = _tr(lang)
    D = gan.DigitsGanConfig()
    st.markdown(T("gan.dg.intro"))
    c1, c2 = st.columns(2)
    with c1:
        source = state.select(
            "gan_dg_source",
            T("gan.dg.source"),
            configs.DIGIT_SOURCES,
            D.source,
            format_func=lambda k: T(f"gan.dg.source.{k}"),
            widget="segmented",
        )
    with c2:
        conditional = state.toggle(
            "gan_dg_conditional", T("gan.dg.conditional"), D.conditional
        )
    c3, c4, c5, c6, c7 = st.columns(5)
    with c3:
        noise = state.select(
            "gan_dg_noise",
            T("gan.dg.noise"),
            DG_NOISE,
            D.noise_dim,
            widget="select_slider",
        )
    with c4:
        filters = state.select(
            "gan_dg_filters",
            T("gan.dg.filters"),
            DG_FILTERS,
            D.filters,
            widget="select_slider",
        )
    with c5:
        steps = state.select(
            "gan_dg_steps",
            T("gan.dg.steps"),
            DG_STEPS,
            D.num_steps,
            widget="select_slider",
        )
    with c6:
        lr = state.select(
            "gan_dg_lr", T("gan.dg.lr"), DG_LR, D.learning_rate, widget="select_slider"
        )
    with c7:
        seed = state.number("gan_dg_seed", T("common.seed"), 0, 9999, D.seed, 1)
    digit = 0
    if conditional:
        digit = state.select(
            "gan_dg_digit", T("gan.dg.digit"), tuple(range(10)), 3, widget="segmented"
        )
    speed = state.select(
        "gan_speed",
        T("gan.play_speed"),
        tuple(figures.SPEEDS),
        "normal",
        format_func=lambda k: T(f"gan.speed.{k}"),
        widget="segmented",
    )
    config = gan.DigitsGanConfig(
        source=source,
        conditional=conditional,
        noise_dim=int(noise),
        filters=int(filters),
        num_steps=int(steps),
        learning_rate=float(lr),
        seed=int(seed),
    )
    if source == "mnist":
        from dlcore import datasets
        from dlcore.gan import tasks

        try:
            tasks.digits_images("mnist")
        except datasets.DatasetUnavailable as error:
            st.warning(state.plain(str(error)), icon=":material/cloud_off:")
            return

    def render(config, result, tag):
        _digits_result(config, result, tag, lang=lang, digit=int(digit), speed=speed)

    training.run_task(
        gan.train_digits_gan,
        config,
        lang=lang,
        key="gan_digits",
        code=gan.code_digits_gan(config),
        code_file="dcgan_digits.py",
        epochs=len(configs._digits_plan(config)),
        show_curves=False,
        render=render,
    )


def _digits_result(config, result, tag, *, lang, digit, speed) -> None:
    from dlcore.figures import gan as figures

    T = _tr(lang)
    if result is None or not len(result.history):
        return
    st.subheader(T("gan.dg.samples"))
    charts.plotly(
        figures.samples_figure(result.artifacts, lang=lang, speed=speed),
        key=_key("gan_dg_samples", tag),
    )
    st.subheader(T("gan.dg.interpolation"))
    strips = result.artifacts["interpolation"]
    row = digit if result.artifacts.get("conditional") else 0
    charts.plotly(
        figures.interpolation_figure(strips[row], lang=lang),
        key=_key("gan_dg_interp", tag),
    )
    history = result.history
    left, right = st.columns(2)
    charts.plotly(
        figures.curves_figure(
            history, ["loss", "g_loss"], lang=lang, title_key="gan.fig.losses"
        ),
        key=_key("gan_dg_losses", tag),
        where=left,
    )
    charts.plotly(
        figures.curves_figure(
            history,
            ["d_real_accuracy", "d_fake_accuracy"],
            lang=lang,
            title_key="gan.fig.d_accuracy",
        ),
        key=_key("gan_dg_acc", tag),
        where=right,
    )
    st.caption(T("gan.dg.accuracy_note"))
