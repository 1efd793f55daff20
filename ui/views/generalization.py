"""The Generalization page, tabs 1–2: overfitting measured, every regularizer.

Every control goes through :mod:`ui.state` (URL parameters ``gen_*``), every
chart through :func:`ui.charts.plotly`, every training through
:func:`ui.training.run_task`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import generalization as gen
from dlcore.figures import generalization as figures
from ui import charts, shell, state, training

#: Tab ids in order (URL ``?gen_tab=<id>``).
TABS: tuple[str, ...] = ("overfit", "regularize", "deep", "workflow")
SWEEP_EPOCHS: tuple[int, ...] = (20, 40, 80)
REG_EPOCHS: tuple[int, ...] = (30, 60, 100)
REG_WIDTHS: tuple[int, ...] = (64, 128, 256, 512)
PENALTY_WEIGHTS: tuple[float, ...] = (0.5, -1.5, 0.0, 2.0)


def _pct(value: float) -> str:
    return f"{value:.1%}"


# ----------------------------------------------------------------------------
# Tab 1: overfitting, measured
# ----------------------------------------------------------------------------


def overfit(lang: str) -> None:
    """Capacity and data-size sweeps on the overfitting set-up."""
    T = shell.translator(lang)
    st.markdown(T("gen.overfit.intro"))
    left, right = st.columns(2)
    with left:
        sweep = state.select(
            "gen_sweep_sweep",
            T("gen.sweep"),
            ("width", "size"),
            format_func=lambda s: T(f"gen.sweep.{s}"),
            widget="segmented",
        )
        num_train = state.select(
            "gen_sweep_num_train",
            T("gen.num_train"),
            gen.NUM_TRAIN,
            300,
            disabled=sweep != "width",
        )
        width = state.select(
            "gen_sweep_width",
            T("gen.width"),
            gen.WIDTHS,
            256,
            disabled=sweep != "size",
        )
    with right:
        noise = state.select(
            "gen_sweep_label_noise",
            T("gen.label_noise"),
            gen.NOISES,
            0.3,
            format_func=_noise_label,
        )
        epochs = state.select("gen_sweep_epochs", T("gen.epochs"), SWEEP_EPOCHS, 40)
        learning_rate = state.select(
            "gen_sweep_learning_rate",
            T("gen.learning_rate"),
            gen.REG_LEARNING_RATES,
            0.003,
        )
    config = gen.SweepConfig(
        sweep=sweep,
        num_train=num_train,
        width=width,
        label_noise=noise,
        epochs=epochs,
        learning_rate=learning_rate,
    )
    st.caption(T(f"gen.sweep.what.{sweep}", runs=len(config.runs())))
    training.run_task(
        gen.train_sweep,
        config,
        lang=lang,
        key="gen_sweep",
        epochs=config.epochs,
        code=gen.code_sweep(config),
        code_file="overfitting_sweep.py",
        show_curves=False,  # one curve per run: the sweep figure says it better
        render=lambda c, result, tag: sweep_result(c, result, tag, lang),
    )
    st.info(T("gen.overfit.early_link"), icon=":material/timer:")


def _noise_label(value: float) -> str:
    return f"{value:.0%}"


def sweep_result(config: gen.SweepConfig, result: Any, tag: str, lang: str) -> None:
    """The sweep's U: final losses per run, best validation marked, the table."""
    T = shell.translator(lang)
    table = result.artifacts["table"]
    if not table:
        return
    charts.plotly(
        figures.sweep_figure(table, config.sweep, lang=lang), key=f"gen_sweep_fig_{tag}"
    )
    frame = pd.DataFrame(table)
    best = frame.loc[frame["val_loss"].idxmin()]
    st.markdown(
        T(
            f"gen.sweep.best.{config.sweep}",
            width=int(best["width"]),
            num_train=int(best["num_train"]),
            params=int(best["params"]),
            val_loss=best["val_loss"],
        )
    )
    shown = frame[
        [
            "width",
            "num_train",
            "params",
            "loss",
            "val_loss",
            "best_val_loss",
            "best_epoch",
        ]
    ].rename(columns=lambda c: T(f"gen.col.{c}"))
    st.dataframe(shown, hide_index=True, key=f"gen_sweep_table_{tag}")


# ----------------------------------------------------------------------------
# Tab 2: regularizers
# ----------------------------------------------------------------------------


def regularize(lang: str) -> None:
    """Penalties, weight decay vs L2 under Adam, dropout, then one training."""
    T = shell.translator(lang)
    st.markdown(T("gen.reg.intro"))
    with st.expander(T("gen.pen.title"), expanded=True, icon=":material/functions:"):
        penalties(lang)
    with st.expander(T("gen.decay.title"), expanded=False, icon=":material/compress:"):
        weight_decay(lang)
    with st.expander(T("gen.drop.title"), expanded=False, icon=":material/grain:"):
        dropout(lang)
    with st.expander(T("gen.more.title"), icon=":material/link:"):
        st.markdown(T("gen.more.augmentation"))
        shell.page_link("cnn", lang, T("gen.more.cnn_link"))
        st.markdown(T("gen.more.smoothing"))
        shell.page_link("losses", lang, T("gen.more.losses_link"))
    st.subheader(T("gen.reg.train"))
    st.markdown(T("gen.reg.train_intro"))
    config = regularize_controls(lang)
    training.run_task(
        gen.train_regularize,
        config,
        lang=lang,
        key="gen_reg",
        epochs=config.epochs,
        code=gen.code_regularize(config),
        code_file="regularization.py",
        render=lambda c, result, tag: regularize_result(c, result, tag, lang),
    )


def penalties(lang: str) -> None:
    """λΣ|w| and λΣw² by formula and as Keras' regularizer computes them."""
    T = shell.translator(lang)
    st.latex(
        r"\text{L1: } L + \lambda\sum_i |w_i|,\quad \nabla = \lambda\,\mathrm{sign}(w)"
    )
    st.latex(r"\text{L2: } L + \lambda\sum_i w_i^2,\quad \nabla = 2\lambda w")
    strength = state.select("gen_pen_strength", T("gen.strength"), gen.STRENGTHS, 0.01)
    w = np.asarray(PENALTY_WEIGHTS, np.float32)
    rows = []
    for kind in ("l1", "l2"):
        keras_value = float(gen.keras_regularizer(kind, strength)(w))
        rows.append(
            {
                T("gen.pen.kind"): kind.upper(),
                T("gen.pen.formula"): f"{gen.penalty(w, kind, strength):.6g}",
                T("gen.pen.keras"): f"{keras_value:.6g}",
                T("gen.pen.gradient"): ", ".join(
                    f"{g:.4g}" for g in gen.penalty_gradient(w, kind, strength)
                ),
            }
        )
    st.caption(T("gen.pen.weights", weights=", ".join(f"{v:g}" for v in w)))
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="gen_pen_table")
    st.markdown(T("gen.pen.note"))


def weight_decay(lang: str) -> None:
    """Decoupled weight decay beside an L2 penalty, same λ, SGD or Adam."""
    T = shell.translator(lang)
    st.markdown(T("gen.decay.intro"))
    left, right = st.columns(2)
    with left:
        optimizer = state.select(
            "gen_decay_optimizer",
            T("gen.optimizer"),
            ("adam", "sgd"),
            format_func=lambda o: T(f"gen.opt.{o}"),
            widget="segmented",
        )
    with right:
        strength = state.select(
            "gen_decay_strength", T("gen.strength"), (0.01, 0.05, 0.1, 0.5), 0.5
        )
    learning_rate = 0.05 if optimizer == "adam" else 0.01
    frame = _decay(optimizer, learning_rate, strength)
    minimum = gen.toy_minimum(strength)
    charts.plotly(figures.decay_figure(frame, minimum, lang=lang), key="gen_decay_fig")
    last = frame.iloc[-1]
    gap = max(
        abs(last["w1_l2"] - last["w1_decay"]), abs(last["w2_l2"] - last["w2_decay"])
    )
    st.markdown(
        T(
            f"gen.decay.result.{optimizer}",
            lr=learning_rate,
            wd=2 * strength,
            lam=strength,
            gap=gap,
            m1=minimum[0],
            m2=minimum[1],
        )
    )


@st.cache_data(max_entries=16, show_spinner=False)
def _decay(optimizer: str, learning_rate: float, strength: float) -> pd.DataFrame:
    return gen.decay_vs_l2(optimizer, learning_rate=learning_rate, strength=strength)


def dropout(lang: str) -> None:
    """The notes' vector through keras.layers.Dropout, in both modes."""
    T = shell.translator(lang)
    st.markdown(T("gen.drop.intro"))
    left, right = st.columns(2)
    with left:
        rate = state.slider("gen_drop_rate", T("gen.drop.rate"), 0.0, 0.9, 0.4, 0.1)
    with right:
        seed = state.number("gen_drop_seed", T("gen.seed"), 0, 999, 0, 1)
    demo = gen.dropout_demo(rate=float(rate), seed=int(seed))
    frame = pd.DataFrame(
        {
            "x": demo["x"],
            T("gen.drop.mask"): demo["mask"].astype(int),
            T("gen.drop.training"): demo["training"],
            T("gen.drop.by_hand"): demo["by_hand"],
            T("gen.drop.inference"): demo["inference"],
        }
    ).T
    frame.columns = [f"x{i + 1}" for i in range(len(demo["x"]))]
    st.dataframe(frame.style.format("{:.4g}"), key="gen_drop_table")
    left, right = st.columns(2)
    with left:
        st.caption(T("gen.drop.training"))
        st.latex(rf"y_i = \frac{{m_i\,x_i}}{{1-p}} = {demo['scale']:.4g}\,m_i x_i")
    with right:
        st.caption(T("gen.drop.inference"))
        st.latex(r"y_i = x_i")
    st.markdown(T("gen.drop.note"))


def regularize_controls(lang: str) -> gen.RegularizeConfig:
    """The training's controls (URL parameters ``gen_reg_<field>``)."""
    T = shell.translator(lang)
    left, middle, right = st.columns(3)
    with left:
        regularizer = state.select(
            "gen_reg_regularizer",
            T("gen.regularizer"),
            gen.REGULARIZERS,
            format_func=lambda r: T(f"gen.reg.{r}"),
        )
        strength = state.select(
            "gen_reg_strength",
            T("gen.strength"),
            gen.STRENGTHS,
            1e-3,
            disabled=regularizer not in ("l1", "l2", "weight_decay"),
        )
        rate = state.select(
            "gen_reg_dropout",
            T("gen.drop.rate"),
            gen.DROPOUTS,
            0.5,
            disabled=regularizer != "dropout",
        )
    with middle:
        patience = state.select(
            "gen_reg_patience",
            T("gen.patience"),
            gen.PATIENCES,
            10,
            format_func=lambda p: T("gen.patience.off") if p == 0 else str(p),
        )
        num_train = state.select(
            "gen_reg_num_train", T("gen.num_train"), gen.NUM_TRAIN, 300
        )
        noise = state.select(
            "gen_reg_label_noise",
            T("gen.label_noise"),
            gen.NOISES,
            0.3,
            format_func=_noise_label,
        )
    with right:
        width = state.select("gen_reg_width", T("gen.width"), REG_WIDTHS, 256)
        depth = state.slider("gen_reg_depth", T("gen.depth"), 1, 4, 2, 1)
        epochs = state.select("gen_reg_epochs", T("gen.epochs"), REG_EPOCHS, 60)
        learning_rate = state.select(
            "gen_reg_learning_rate",
            T("gen.learning_rate"),
            gen.REG_LEARNING_RATES,
            0.003,
        )
    return gen.RegularizeConfig(
        regularizer=regularizer,
        strength=strength,
        dropout=rate,
        patience=patience,
        num_train=num_train,
        label_noise=noise,
        width=width,
        depth=depth,
        epochs=epochs,
        learning_rate=learning_rate,
    )


def regularize_result(
    config: gen.RegularizeConfig, result: Any, tag: str, lang: str
) -> None:
    """Accuracy and gap, where early stopping stops, the weights, MC dropout."""
    T = shell.translator(lang)
    m = result.metrics
    with st.container(horizontal=True, gap="medium"):
        st.metric(T("gen.m.train_acc"), _pct(m["accuracy"]), width="content")
        st.metric(T("gen.m.val_acc"), _pct(m["val_accuracy"]), width="content")
        st.metric(T("gen.m.gap"), _pct(m["gap"]), width="content")
        if m["stop_epoch"]:
            st.metric(
                T("gen.m.restored", epoch=int(m["best_epoch"])),
                _pct(m["restored_val_accuracy"]),
                width="content",
            )
    stop = int(m["stop_epoch"]) or None
    best = int(m["best_epoch"]) if config.patience else None
    charts.plotly(
        figures.early_stopping_figure(
            result.history, best_epoch=best, stop_epoch=stop, lang=lang
        ),
        key=f"gen_reg_early_{tag}",
    )
    if config.patience:
        key = "gen.early.stopped" if stop else "gen.early.never"
        st.caption(T(key, patience=config.patience, stop=stop or 0, best=best or 0))
    else:
        st.caption(T("gen.early.off"))
    kernel = np.asarray(result.artifacts["kernel"])
    stats = gen.weight_stats(kernel)
    charts.plotly(
        figures.weight_histogram_figure(
            {T(f"gen.reg.{config.regularizer}"): kernel}, lang=lang
        ),
        key=f"gen_reg_weights_{tag}",
    )
    st.markdown(
        T(
            "gen.weights.stats",
            exact=stats["exact_zeros"],
            near=stats["near_zero"],
            mean=stats["mean_abs"],
        )
    )
    if config.regularizer == "l1":
        st.caption(T("gen.weights.l1_note"))
    mc = result.artifacts.get("mc")
    if mc:
        st.markdown(f"**{T('gen.mc.title')}**")
        st.markdown(T("gen.mc.intro", mc=mc["mc_accuracy"], det=mc["accuracy"]))
        charts.plotly(figures.mc_figure(mc, lang=lang), key=f"gen_reg_mc_{tag}")
