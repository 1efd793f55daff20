"""The Generalization page, tabs 3–4: training deep networks, the workflow."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import generalization as gen
from dlcore.figures import generalization as figures
from ui import charts, shell, state, training

DEEP_EPOCHS: tuple[int, ...] = (5, 10, 20)
BN_MOMENTA: tuple[float, ...] = (0.9, 0.99)
PROTOCOL_SIZES: tuple[int, ...] = (60, 150, 300)
FOLDS: tuple[int, ...] = (3, 5, 10)
POSITIVE_SHARES: tuple[float, ...] = (0.01, 0.05, 0.2, 0.5)
#: The seven steps of the workflow and the page that teaches each (or None).
STEPS: tuple[tuple[str, str | None], ...] = (
    ("problem", "playground"),
    ("measure", None),
    ("protocol", None),
    ("prepare", None),
    ("baseline", "losses"),
    ("scale", None),
    ("regularize", None),
)


# ----------------------------------------------------------------------------
# Tab 3: training deep networks
# ----------------------------------------------------------------------------


def deep(lang: str) -> None:
    """Batch normalization, plain vs residual networks, the classic architectures."""
    T = shell.translator(lang)
    st.subheader(T("gen.bn.title"))
    batch_norm(lang)
    st.subheader(T("gen.res.title"))
    st.markdown(T("gen.res.intro"))
    config = residual_controls(lang)
    training.run_task(
        gen.train_residual,
        config,
        lang=lang,
        key="gen_res",
        epochs=config.epochs,
        code=gen.code_residual(config),
        code_file="residual.py",
        run_names=lambda run: T(f"gen.run.{run}"),
        render=lambda c, result, tag: residual_result(c, result, tag, lang),
    )
    st.caption(T("gen.res.activations_link"))
    shell.page_link("activations", lang)
    st.subheader(T("gen.arch.title"))
    architectures(lang)


def architectures(lang: str) -> None:
    """LeNet-5, AlexNet, VGG-16, ResNet-50: a summary and the Keras layer table."""
    T = shell.translator(lang)
    st.markdown(T("gen.arch.intro"))
    name = state.select(
        "gen_arch",
        T("gen.arch.select"),
        gen.ARCHITECTURES,
        "lenet5",
        format_func=lambda a: T(f"gen.arch.name.{a}"),
        widget="segmented",
    )
    with st.spinner(T("gen.arch.name." + name)):
        arch = gen.architecture(name)  # built once per process, then cached
    st.markdown(T(f"gen.arch.summary.{name}", total=arch["total"]))
    with st.container(horizontal=True, gap="medium"):
        st.metric(T("gen.arch.total"), f"{arch['total']:,}", width="content")
        st.metric(T("gen.arch.layers"), arch["layers"], width="content")
        shape = " × ".join(str(d) for d in arch["input_shape"])
        st.metric(T("gen.arch.input"), shape, width="content")
    table = arch["table"].rename(
        columns={c: T(f"gen.arch.col.{c}") for c in arch["table"].columns}
    )
    st.dataframe(
        table,
        hide_index=True,
        key="gen_arch_table",
        height=35 * (min(len(table), 16) + 1) + 3,  # small nets whole, no scroll
        column_config={
            T("gen.arch.col.params"): st.column_config.NumberColumn(format="localized")
        },
    )
    st.caption(
        T(
            "gen.arch.dense_share",
            dense=arch["dense"],
            total=arch["total"],
            share=arch["dense"] / arch["total"],
            trainable=arch["trainable"],
        )
    )


def batch_norm(lang: str) -> None:
    """(x − μ_B)/√(σ²_B + ε)·γ + β by hand and by Keras, in both modes."""
    T = shell.translator(lang)
    st.latex(r"y = \gamma\,\frac{x-\mu_B}{\sqrt{\sigma_B^2+\varepsilon}} + \beta")
    st.latex(r"\mu_{\text{moving}} \leftarrow m\,\mu_{\text{moving}} + (1-m)\,\mu_B")
    left, middle, right = st.columns(3)
    with left:
        gamma = state.slider("gen_bn_gamma", "γ (gamma)", 0.5, 2.0, 1.0, 0.5)
    with middle:
        beta = state.slider("gen_bn_beta", "β (beta)", -1.0, 1.0, 0.0, 0.5)
    with right:
        momentum = state.select(
            "gen_bn_momentum", T("gen.bn.momentum"), BN_MOMENTA, 0.99
        )
    x = np.round(np.random.default_rng(0).normal(2.0, 3.0, (6, 1)), 2)
    demo = gen.batchnorm_demo(x, gamma=gamma, beta=beta, momentum=momentum)
    frame = pd.DataFrame(
        {
            "x": x[:, 0],
            T("gen.bn.by_hand"): demo["by_hand"][:, 0],
            T("gen.bn.training"): demo["training"][:, 0],
            T("gen.bn.inference"): demo["inference"][:, 0],
        }
    )
    st.dataframe(frame.style.format("{:.4f}"), hide_index=True, key="gen_bn_table")
    st.markdown(
        T(
            "gen.bn.stats",
            mean=demo["batch_mean"][0],
            var=demo["batch_var"][0],
            moving_mean=demo["moving_mean"][0],
            moving_var=demo["moving_var"][0],
            momentum=momentum,
            params=demo["params"],
            trainable=demo["trainable"],
        )
    )
    st.caption(T("gen.bn.debate"))


def residual_controls(lang: str) -> gen.ResidualConfig:
    """The residual experiment's controls (URL parameters ``gen_res_<field>``)."""
    T = shell.translator(lang)
    left, middle, right = st.columns(3)
    with left:
        depth = state.slider("gen_res_depth", T("gen.depth"), 2, 50, 20, 2)
        width = state.select("gen_res_width", T("gen.width"), gen.DEEP_WIDTHS, 32)
    with middle:
        activation = state.select(
            "gen_res_activation", T("gen.activation"), gen.DEEP_ACTIVATIONS
        )
        optimizer = state.select(
            "gen_res_optimizer",
            T("gen.optimizer"),
            gen.DEEP_OPTIMIZERS,
            "momentum",
            format_func=lambda o: T(f"gen.opt.{o}"),
        )
    with right:
        learning_rate = state.select(
            "gen_res_learning_rate",
            T("gen.learning_rate"),
            gen.DEEP_LEARNING_RATES,
            0.01,
        )
        epochs = state.select("gen_res_epochs", T("gen.epochs"), DEEP_EPOCHS, 10)
    return gen.ResidualConfig(
        depth=depth,
        width=width,
        activation=activation,
        optimizer=optimizer,
        learning_rate=learning_rate,
        epochs=epochs,
    )


def residual_result(
    config: gen.ResidualConfig, result: Any, tag: str, lang: str
) -> None:
    """Validation accuracy of both networks and their gradients at initialization."""
    T = shell.translator(lang)
    m = result.metrics
    with st.container(horizontal=True, gap="medium"):
        for run in gen.RESIDUAL_RUNS:
            value = m.get(f"{run}/val_accuracy")
            if value is not None:
                st.metric(
                    T("gen.res.val_acc", run=T(f"gen.run.{run}")),
                    f"{value:.1%}",
                    width="content",
                )
    flow = {
        T(f"gen.run.{run}"): table for run, table in result.artifacts["flow"].items()
    }
    charts.plotly(
        figures.flow_figure(flow, lang=lang),
        key=f"gen_res_flow_{tag}",
    )


# ----------------------------------------------------------------------------
# Tab 4: the workflow
# ----------------------------------------------------------------------------


def workflow(lang: str) -> None:
    """The seven steps, evaluation protocols, metrics, preprocessing."""
    T = shell.translator(lang)
    st.subheader(T("gen.flow.title"))
    for number, (step, page) in enumerate(STEPS, start=1):
        st.markdown(f"{number}. {T(f'gen.flow.{step}')}")
        if page:
            shell.page_link(page, lang)
    st.subheader(T("gen.eval.title"))
    protocols(lang)
    st.subheader(T("gen.metrics.title"))
    metrics(lang)
    st.subheader(T("gen.prep.title"))
    preprocessing(lang)


@st.cache_data(max_entries=16, show_spinner=False)
def _protocols(num_samples: int, k: int) -> pd.DataFrame:
    return gen.evaluation_protocols(num_samples, k=k)


def protocols(lang: str) -> None:
    """Hold-out vs K-fold vs iterated K-fold: the spread of the estimate."""
    T = shell.translator(lang)
    st.markdown(T("gen.eval.intro"))
    left, right = st.columns(2)
    with left:
        num_samples = state.select(
            "gen_eval_samples", T("gen.eval.samples"), PROTOCOL_SIZES, 150
        )
    with right:
        k = state.select("gen_eval_k", T("gen.eval.k"), FOLDS, 5)
    frame = _protocols(num_samples, k)
    charts.plotly(figures.protocols_figure(frame, lang=lang), key="gen_eval_fig")
    spread = frame.groupby("protocol")["score"].std() * 100
    st.markdown(
        T(
            "gen.eval.spread",
            holdout=spread["holdout"],
            kfold=spread["kfold"],
            iterated=spread["iterated"],
            k=k,
        )
    )


def metrics(lang: str) -> None:
    """Precision, recall, F1, ROC/AUC on a rare-positive set, threshold slider."""
    T = shell.translator(lang)
    left, right = st.columns(2)
    with left:
        share = state.select(
            "gen_met_share",
            T("gen.metrics.share"),
            POSITIVE_SHARES,
            0.05,
            format_func=lambda s: f"{s:.0%}",
        )
    with right:
        threshold = state.slider(
            "gen_met_threshold", T("gen.metrics.threshold"), 0.0, 1.0, 0.5, 0.01
        )
    y, scores = gen.imbalanced_scores(1000, share)
    m = gen.binary_metrics(y, scores, threshold)
    never = gen.binary_metrics(y, scores, 1.0)
    with st.container(horizontal=True, gap="medium"):
        for name in ("accuracy", "precision", "recall", "f1"):
            st.metric(T(f"gen.metrics.{name}"), f"{m[name]:.3f}", width="content")
        st.metric(T("gen.metrics.auc"), f"{gen.auc(y, scores):.3f}", width="content")
    st.markdown(
        T(
            "gen.metrics.confusion",
            tp=m["tp"],
            fp=m["fp"],
            fn=m["fn"],
            tn=m["tn"],
            never=never["accuracy"],
        )
    )
    negatives = max(int((y == 0).sum()), 1)
    positives = max(int(y.sum()), 1)
    point = (m["fp"] / negatives, m["tp"] / positives)
    charts.plotly(
        figures.roc_figure(gen.roc_curve(y, scores), point, lang=lang),
        key="gen_met_roc",
    )
    for formula in (
        r"\text{precision}\;P=\frac{TP}{TP+FP}",
        r"\text{recall}\;R=\frac{TP}{TP+FN}",
        r"F_1=\frac{2PR}{P+R}",
    ):
        st.latex(formula)


def preprocessing(lang: str) -> None:
    """Standardize with training statistics only; leakage shown."""
    T = shell.translator(lang)
    demo = gen.leakage_demo()
    charts.plotly(figures.leakage_figure(demo, lang=lang), key="gen_prep_fig")
    st.markdown(
        T(
            "gen.prep.result",
            honest=demo["honest_val_mean"],
            leaky=demo["leaky_val_mean"],
        )
    )
    st.code(
        "norm = keras.layers.Normalization()\n"
        "norm.adapt(x_train)        # statistics of the training split only\n"
        "x_val_scaled = norm(x_val)  # never adapt() on validation or test data",
        language="python",
    )
    st.markdown(T("gen.prep.missing"))
