"""Figures of the Activations topic: functions, properties, softmax, gradient flow.

Builders take names and plain arrays / DataFrames (from
:mod:`dlcore.activations`) and return a styled ``go.Figure``; every title and
axis label goes through the i18n catalogue.

>>> fig = activation_figure(["relu", "tanh"])
>>> [trace.name for trace in fig.data]
['relu(x)', 'relu′(x)', 'tanh(x)', 'tanh′(x)']
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dlcore import activations
from dlcore.figures import theme
from dlcore.i18n import t

#: At most this many activations are overlaid in one chart (readability).
MAX_OVERLAY = 4


def activation_figure(
    names: Sequence[str],
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    x_range: tuple[float, float] = (-5.0, 5.0),
    num_points: int = 801,
    show_derivative: bool = True,
    lang: str = "en",
) -> go.Figure:
    """Each activation ``f`` (solid) and its derivative ``f′`` (dashed, same colour).

    Values come from :func:`dlcore.activations.evaluate`, i.e. Keras and
    autodiff.

    Args:
        names: Up to :data:`MAX_OVERLAY` activation names.
        params: Optional parameters per name, e.g. ``{"elu": {"alpha": 0.5}}``.
        x_range: The plotted input interval.
        num_points: Sample points.
        show_derivative: Add the dashed ``f′`` traces.
        lang: ``"en"`` or ``"zh"``.
    """
    names = list(names)
    if not 1 <= len(names) <= MAX_OVERLAY:
        raise ValueError(
            f"Choose between 1 and {MAX_OVERLAY} activations, got {len(names)}"
        )
    params = params or {}
    x = np.linspace(x_range[0], x_range[1], int(num_points))
    fig = go.Figure()
    for i, name in enumerate(names):
        y, dy = activations.evaluate(name, x, **params.get(name, {}))
        color = theme.color(i)
        fig.add_scatter(
            x=x,
            y=y,
            name=t("act.legend.function", lang, name=name),
            mode="lines",
            line={"color": color, "width": 3},
            legendgroup=name,
        )
        if show_derivative:
            fig.add_scatter(
                x=x,
                y=dy,
                name=t("act.legend.derivative", lang, name=name),
                mode="lines",
                line={"color": color, "dash": "dash", "width": 2},
                legendgroup=name,
            )
    fig.add_hline(y=0, line={"color": "#9aa5b1", "width": 1})
    fig.add_vline(x=0, line={"color": "#9aa5b1", "width": 1})
    title = "act.fig.functions" if show_derivative else "act.fig.function_only"
    theme.styled(
        fig,
        title=t(title, lang),
        height=theme.TALL_HEIGHT,
        x_title=t("act.axis.x", lang),
        y_title=t("act.axis.y", lang),
    )
    return _legend_below(fig)  # up to 8 entries: never over the title


_PROPERTY_COLUMNS = (
    "range",
    "zero_centred",
    "monotonic",
    "saturating",
    "max_grad",
    "max_grad_at",
    "zero_grad_at",
)


def properties_frame(
    names: Sequence[str] | None = None,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """:func:`dlcore.activations.properties_table` with translated headers and values.

    ``params`` holds optional parameters per name (as in :func:`activation_figure`).

    >>> properties_frame(["sigmoid"], lang="zh").columns[0]
    '值域'
    """
    table = activations.properties_table(names, params)[list(_PROPERTY_COLUMNS)]
    table = table.copy()
    yes, no = t("act.yes", lang), t("act.no", lang)
    for column in ("zero_centred", "monotonic"):
        table[column] = [yes if v else no for v in table[column]]
    table["saturating"] = [t(f"act.sat.{v}", lang) for v in table["saturating"]]
    table["max_grad"] = [
        "∞" if np.isinf(v) else f"{v:.4g}" for v in table["max_grad"].astype(float)
    ]
    table.index.name = t("act.props.name", lang)
    return table.rename(
        columns={c: t(f"act.props.{c}", lang) for c in _PROPERTY_COLUMNS}
    )


def properties_figure(
    names: Sequence[str] | None = None,
    *,
    params: Mapping[str, Mapping[str, Any]] | None = None,
    lang: str = "en",
) -> go.Figure:
    """The properties table (:func:`properties_frame`) as a Plotly table."""
    frame = properties_frame(names, params=params, lang=lang).reset_index()
    fig = go.Figure(
        go.Table(
            header={
                "values": list(frame.columns),
                "fill_color": theme.COLORS[0],
                "font": {"color": "white"},
                "align": "left",
            },
            cells={
                "values": [frame[c].tolist() for c in frame.columns],
                "align": "left",
            },
        )
    )
    height = min(theme.TALL_HEIGHT * 2, 90 + 32 * len(frame))
    return theme.styled(
        fig, title=t("act.props.title", lang), height=height, legend=False
    )


def softmax_figure(
    logits: Sequence[float],
    temperatures: Sequence[float] = (1.0,),
    *,
    class_names: Sequence[str] | None = None,
    lang: str = "en",
) -> go.Figure:
    """Grouped bars of ``softmax(logits / T)`` for each temperature ``T``.

    >>> fig = softmax_figure([2.0, 1.0, 0.1], [0.5, 1.0, 5.0])
    >>> len(fig.data), round(float(sum(fig.data[0].y)), 6)
    (3, 1.0)
    """
    z = np.asarray(logits, np.float32)
    names = (  # z_1 … z_K, as in the formula
        list(class_names) if class_names else [str(i + 1) for i in range(len(z))]
    )
    fig = go.Figure()
    for i, temperature in enumerate(temperatures):
        probabilities = activations.softmax(z, temperature=float(temperature))
        fig.add_bar(
            x=names,
            y=probabilities,
            name=t("act.softmax.temperature", lang, temperature=float(temperature)),
            marker_color=theme.color(i),
            text=[probability_text(p) for p in probabilities],
            textposition="outside",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.1])
    return theme.styled(
        fig,
        title=t("act.softmax.title", lang),
        x_title=t("act.softmax.class", lang),
        y_title=t("act.softmax.probability", lang),
    )


def probability_text(p: float) -> str:
    """A bar label that never rounds a small probability to "0.00".

    >>> [probability_text(p) for p in (0.6381, 0.005, 4.5e-05, 0.0)]
    ['0.64', '0.005', '5e-05', '0']
    """
    p = float(p)
    if p == 0:
        return "0"
    return f"{p:.2f}" if p >= 0.01 else f"{p:.1g}"


def _legend_below(fig: go.Figure, *, lines: int | None = None) -> go.Figure:
    """Move the legend under the plot (long entries would cover the title).

    With ``lines`` (legend text lines, counted as if every entry wrapped onto
    its own row, as on a 390 px phone) the legend sits at the bottom of the
    figure with a bottom margin that fits it, so it never runs into the
    x-axis title.
    """
    if lines is None:
        fig.update_layout(
            legend={"y": -0.2, "yanchor": "top", "x": 0.0, "xanchor": "left"}
        )
        return fig
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0.0,
            "xanchor": "left",
        },
        margin={"b": 64 + 24 * lines},
    )
    return fig


def _legend_lines(fig: go.Figure) -> int:
    """Text lines of the legend entries (``<br>`` breaks an entry)."""
    return sum(
        1 + (trace.name or "").count("<br>")
        for trace in fig.data
        if trace.showlegend is not False
    )


def _layer_dtick(num_layers: int) -> int:
    """Tick every layer up to 20 layers, then every 5th (labels stay legible)."""
    return 1 if num_layers <= 20 else 5


def _as_frame(table: pd.DataFrame | Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    return table if isinstance(table, pd.DataFrame) else pd.DataFrame(dict(table))


def layers_text(layers: Sequence[int]) -> str:
    """Layer numbers as short ranges: ``[1, 2, 3, 7]`` -> ``"1–3, 7"``.

    >>> layers_text([1, 2, 3, 7, 9, 10]), layers_text([4])
    ('1–3, 7, 9–10', '4')
    """
    runs: list[list[int]] = []
    for n in sorted(int(v) for v in layers):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def gradient_flow_figure(
    tables: pd.DataFrame | Mapping[str, pd.DataFrame | Mapping[str, Sequence[Any]]],
    *,
    title_key: str = "act.flow.title",
    height: int = theme.HEIGHT,
    lang: str = "en",
) -> go.Figure:
    """Gradient norm ``‖∂L/∂W‖`` per hidden layer on a log scale.

    Nothing is dropped without a word: a layer whose float32 gradient
    underflowed to 0 (or overflowed to ∞/NaN) is drawn dotted at its float64
    value (``grad_norm_f64`` of :func:`dlcore.activations.probe_model`) and an
    annotation names the layers; a gradient that is exactly 0 (float64 too)
    is an ``×`` at the bottom of the axis; an all-zero table says so.

    Args:
        tables: One :func:`dlcore.activations.gradient_flow` table, or several
            by legend name (e.g. ``{"before training": ..., "after training":
            ...}``; dicts of lists as stored in task artifacts work too).
        height: Chart height in px.

    >>> table = pd.DataFrame({"layer": [1, 2], "grad_norm": [1e-6, 1e-2]})
    >>> fig = gradient_flow_figure(table)
    >>> fig.layout.yaxis.type, list(fig.layout.yaxis.ticktext)[:2]
    ('log', ['1e-06', '1e-05'])
    """
    if isinstance(tables, pd.DataFrame):
        tables = {"": tables}
    fig = go.Figure()
    drawn: list[np.ndarray] = []
    zeros: list[tuple[int, np.ndarray, str]] = []  # (colour index, layers, prefix)
    notes: dict[str, list[str]] = {}  # note -> the tables it is about
    all_zero = True
    lines: list[np.ndarray] = []  # what each table draws (for "they overlap")
    for i, (name, table) in enumerate(tables.items()):
        frame = _as_frame(table)
        layers = frame["layer"].to_numpy()
        norms = frame["grad_norm"].astype(float).to_numpy()
        exact = (
            frame["grad_norm_f64"].astype(float).to_numpy()
            if "grad_norm_f64" in frame
            else np.full(len(frame), np.nan)
        )
        with np.errstate(invalid="ignore"):
            all_zero &= bool(np.all(norms == 0) and not np.any(exact > 0))
            shown = np.isfinite(norms) & (norms > 0)
            rescued = ~shown & np.isfinite(exact) & (exact > 0)
        color = theme.color(i)
        fig.add_scatter(
            x=layers,
            y=np.where(shown, norms, np.nan),
            name=name or t("act.flow.float32", lang),
            mode="lines+markers",
            line={"color": color, "width": 3},
            marker={"size": 8},
            legendgroup=str(i),
            hovertemplate="%{x}: %{y:.3g}<extra></extra>",
        )
        drawn.append(norms[shown])
        lines.append(np.where(shown, norms, np.where(rescued, exact, np.nan)))
        prefix = f"{name}: " if name else ""
        if rescued.any():
            # The float64 values of the lost layers, joined to their neighbours.
            near = rescued.copy()
            near[1:] |= rescued[:-1]
            near[:-1] |= rescued[1:]
            keep = near & np.isfinite(exact) & (exact > 0)
            fig.add_scatter(
                x=layers,
                y=np.where(keep, exact, np.nan),
                name=t("act.flow.float64_named", lang, name=name)
                if name
                else t("act.flow.float64", lang),
                mode="lines+markers",
                line={"color": color, "width": 2, "dash": "dot"},
                marker={"size": 9, "symbol": "circle-open"},
                legendgroup=str(i),
                hovertemplate="%{x}: %{y:.3g} (float64)<extra></extra>",
            )
            drawn.append(exact[keep])
            for kind, lost in (
                ("underflow", layers[rescued & (norms == 0)]),
                ("overflow", layers[rescued & ~np.isfinite(norms)]),
            ):
                if lost.size:
                    note = t(
                        f"act.flow.{kind}_note",
                        lang,
                        layers=layers_text(lost),
                        count=int(lost.size),
                        tiny=theme.number_text(float(np.finfo(np.float32).tiny)),
                    )
                    notes.setdefault(note, []).append(name)
        exact_zero = (norms == 0) & ~rescued
        broken = ~np.isfinite(norms) & ~rescued
        if exact_zero.any() and not exact_zero.all():
            zeros.append((i, layers[exact_zero], prefix))
        if broken.any():
            note = t(
                "act.flow.nonfinite_note",
                lang,
                layers=layers_text(layers[broken]),
                count=int(broken.sum()),
            )
            notes.setdefault(note, []).append(name)
    positive = np.concatenate(drawn) if drawn else np.array([])
    texts = [  # a note about every table is said once, without a name
        note if len(names) == len(tables) else f"{names[0]}:<br>{note}"
        for note, names in notes.items()
        for names in [names if len(names) == len(tables) else names[:1]]
    ]
    if zeros and positive.size:
        bottom = 10.0 ** (math.floor(math.log10(float(positive.min()))) - 1)
        for i, layers, prefix in zeros:
            fig.add_scatter(
                x=layers,
                y=np.full(len(layers), bottom),
                name=prefix + t("act.flow.exact_zero", lang),
                mode="markers",
                marker={"size": 12, "symbol": "x", "color": theme.color(i)},
                legendgroup=str(i),
                hovertemplate="%{x}: 0<extra></extra>",
            )
        positive = np.append(positive, bottom)
        texts.append(t("act.flow.zero_layers_note", lang))
    if all_zero:
        texts.append(t("act.flow.zero_note", lang))
    overlap = _overlap(lines)
    if overlap is not None:
        texts.append(t("act.flow.overlap_note", lang, percent=overlap))
    theme.log_axis(fig, positive)
    num_layers = max(len(_as_frame(table)) for table in tables.values())
    fig.update_xaxes(dtick=_layer_dtick(num_layers), range=[0.5, num_layers + 0.5])
    theme.styled(
        fig,
        title=t(title_key, lang),
        height=height,
        x_title=t("act.flow.layer", lang),
        y_title=t("act.flow.grad_norm", lang),
        legend=len(tables) > 1,  # one table: the note names the lines
    )
    if texts:
        _note_above(fig, "<br>".join(texts))
    if len(tables) == 1:
        return fig
    legend = _legend_lines(fig)
    fig.update_layout(height=fig.layout.height + 24 * legend)  # plot keeps its size
    return _legend_below(fig, lines=legend)


#: Two gradient lines that differ by less than this (relative, every layer)
#: hide each other on a log axis: the chart says so.
OVERLAP = 0.05


def _overlap(lines: Sequence[np.ndarray]) -> int | None:
    """The largest difference in % when all lines lie on one another, else None.

    >>> a = np.array([1e-6, 1e-3])
    >>> _overlap([a, a * 1.02]), _overlap([a, a * 2]), _overlap([a])
    (2, None, None)
    """
    if len(lines) < 2:
        return None
    base = lines[0]
    drawn = np.isfinite(base) & (base > 0)
    worst = 0.0
    for other in lines[1:]:
        if not drawn.any() or not np.array_equal(
            drawn, np.isfinite(other) & (other > 0)
        ):
            return None
        worst = max(worst, float(np.max(np.abs(other[drawn] / base[drawn] - 1))))
    return max(1, math.ceil(round(worst * 100, 6))) if worst < OVERLAP else None


def _note_above(fig: go.Figure, text: str) -> None:
    """An annotation between the title and the plot, never over a line.

    The top margin and the height grow by the note's lines, so the plot keeps
    its size.
    """
    lines = text.count("<br>") + 1
    extra = NOTE_LINE * lines + 6
    fig.add_annotation(
        text=text,
        xref="paper",
        yref="paper",
        x=0.0,
        y=1.0,
        xanchor="left",
        yanchor="bottom",
        yshift=4,
        align="left",
        showarrow=False,
    )
    fig.update_layout(
        height=(fig.layout.height or theme.HEIGHT) + extra,
        margin_t=(fig.layout.margin.t or 50) + extra,
        # The title at the very top (by default it centres in the margin).
        title={"yref": "container", "y": 1.0, "yanchor": "top", "pad": {"t": 12}},
    )


#: Height of one line of a chart note (px, at the theme's font size).
NOTE_LINE = 24  # room for projector mode too (1.4× larger text)


def activation_histogram_figure(
    samples: Mapping[int, np.ndarray],
    *,
    num_bins: int = 40,
    value_range: tuple[float, float] | None = None,
    lang: str = "en",
) -> go.Figure:
    """Per-layer histograms of the activations as one heatmap (layer × value).

    Each row is a layer (1 at the bottom, nearest the input); the colour is
    the fraction of that layer's activations in each bin, so collapsing or
    saturating distributions are visible at a glance for any depth.

    >>> fig = activation_histogram_figure({1: np.zeros(10), 2: np.ones(10)}, num_bins=4)
    >>> fig.data[0].z.shape
    (2, 4)
    """
    layers = sorted(samples)
    values = [np.asarray(samples[k], np.float64).ravel() for k in layers]
    finite = np.concatenate([v[np.isfinite(v)] for v in values] or [np.zeros(1)])
    if value_range is None:
        lo, hi = (
            (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
        )
        value_range = (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)
    edges = np.linspace(value_range[0], value_range[1], int(num_bins) + 1)
    counts = np.stack([np.histogram(v[np.isfinite(v)], bins=edges)[0] for v in values])
    fractions = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig = go.Figure(
        go.Heatmap(
            x=0.5 * (edges[:-1] + edges[1:]),
            y=layers,
            z=fractions,
            colorscale=theme.SEQUENTIAL,
            colorbar={"title": {"text": t("act.hist.fraction", lang)}},
            hovertemplate="%{y}: %{x:.3g} → %{z:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(dtick=_layer_dtick(len(layers)))
    return theme.styled(
        fig,
        title=t("act.hist.title", lang),
        x_title=t("act.hist.value", lang),
        y_title=t("act.hist.layer", lang),
        legend=False,
    )


def unit_health_figure(
    table: pd.DataFrame | Mapping[str, Sequence[Any]], *, lang: str = "en"
) -> go.Figure:
    """Fractions of dead and saturated units per layer (grouped bars).

    Bars of height 0 are invisible, so an all-zero chart says so in words,
    and a legend entry whose bars are all 0 says "0 % in every layer".

    >>> table = pd.DataFrame(
    ...     {"layer": [1], "dead_fraction": [0.5], "saturated_fraction": [0.0]}
    ... )
    >>> [trace.name for trace in unit_health_figure(table).data]
    ['dead (f′ = 0 on every sample)', 'saturated: 0 % in every layer']
    """
    frame = _as_frame(table)
    fig = go.Figure()
    empty = []
    for i, column in enumerate(("dead_fraction", "saturated_fraction")):
        key = "act.health.dead" if column == "dead_fraction" else "act.health.saturated"
        values = frame[column].astype(float).to_numpy()
        none = bool(np.all(values == 0))
        empty.append(none)
        fig.add_bar(
            x=frame["layer"],
            y=values,
            name=t(f"{key}_none" if none else key, lang),
            marker_color=theme.CLASS_COLORS[i],
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(range=[0, 1.05], tickformat=".0%")
    fig.update_xaxes(dtick=_layer_dtick(len(frame)), range=[0.5, len(frame) + 0.5])
    if all(empty):
        fig.add_annotation(
            text=t("act.health.none", lang),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.55,
            showarrow=False,
            bgcolor="rgba(255, 255, 255, 0.85)",
        )
    theme.styled(
        fig,
        title=t("act.health.title", lang),
        height=theme.HEIGHT + 40,
        x_title=t("act.flow.layer", lang),
        y_title=t("act.health.fraction", lang),
    )
    return _legend_below(fig, lines=_legend_lines(fig))


def _number(value: float, spec: str = ".4g") -> str:
    """A number as text; ``nan`` and ``inf`` spelled out (they are the lesson)."""
    value = float(value)
    if np.isnan(value):
        return "nan"
    if np.isinf(value):
        return "inf" if value > 0 else "−inf"
    return format(value, spec)


def identities_markdown(x: Any | None = None, *, lang: str = "en") -> str:
    r"""A Markdown table of textbook identities and common mistakes, checked with Keras.

    Rows of :func:`dlcore.activations.identity_table` (they hold) followed by
    :func:`dlcore.activations.misconception_table` (they do not), each with
    the largest difference between its two sides over ``x`` (default: 121
    points in [−6, 6]). Formulas are inline LaTeX (``$…$``).

    >>> text = identities_markdown(lang="zh")
    >>> "2\\sigma(2x) - 1" in text and "✗" in text and "恒等式" in text
    True
    """
    x = np.linspace(-6.0, 6.0, 121) if x is None else x
    table = pd.concat(
        [activations.identity_table(x), activations.misconception_table(x)],
        ignore_index=True,
    )
    header = [
        t("act.identities.identity", lang),
        t("act.identities.max_abs_diff", lang),
        t("act.identities.verdict", lang),
    ]
    lines = [
        "| " + " | ".join(h.replace("|", r"\|") for h in header) + " |",
        "|---|---:|---|",
    ]
    for _, row in table.iterrows():
        verdict = "act.identities.true" if row["holds"] else "act.identities.false"
        lines.append(
            f"| $\\displaystyle {row['identity']}$ "
            f"| {_number(row['max_abs_diff'], '.1e')} "
            f"| {t(verdict, lang)} |"
        )
    return "\n".join(lines)


def softmax_overflow_frame(
    logits: Sequence[float], *, lang: str = "en"
) -> pd.DataFrame:
    """Naive, max-subtracted and Keras softmax side by side, as text, with a Σ row.

    >>> frame = softmax_overflow_frame([1000.0, 0.0])
    >>> frame.iloc[:, 1].tolist(), frame.iloc[:, 2].tolist()
    (['nan', '0', 'nan'], ['1', '0', '1'])
    """
    table = activations.softmax_overflow_table(logits)
    with np.errstate(invalid="ignore"):
        sums = table[["naive", "stable", "keras"]].astype(np.float64).sum(skipna=False)
    columns = {
        "logit": t("act.softmax.logit", lang),
        "naive": t("act.softmax.naive", lang),
        "stable": t("act.softmax.stable", lang),
        "keras": t("act.softmax.keras", lang),
    }
    frame = pd.DataFrame(
        {
            columns[c]: [_number(v) for v in table[c]]
            + ["" if c == "logit" else _number(sums[c])]
            for c in columns
        },
        index=[str(i + 1) for i in range(len(table))] + ["Σ"],  # z_1 … z_K
    )
    frame.index.name = t("act.softmax.class", lang)
    return frame


def lab_label(config: activations.GradientLabConfig, *, lang: str = "en") -> str:
    """A short name of a gradient-lab setting, in the user's language.

    >>> lab_label(activations.lab_preset("batch_norm"), lang="zh")
    'sigmoid · 20×32 · 随机正态 N(0, σ²)，σ = 1 · 批量规范化 · 随机梯度下降 0.1 · 15 轮'
    """
    c = config
    init = t(f"act.init.{c.initializer}", lang)
    if c.initializer == "random_normal":
        init += t("act.lab.label.sigma", lang, sigma=c.sigma)
    parts = [activations.get_spec(c.activation).name, f"{c.depth}×{c.width}", init]
    if c.batch_norm:
        parts.append(t("act.lab.batch_norm", lang))
    parts.append(f"{t(f'act.opt.{c.optimizer}', lang)} {c.learning_rate:g}")
    parts.append(t("act.lab.label.epochs", lang, count=c.epochs))
    if c.seed:
        parts.append(t("act.lab.label.seed", lang, seed=c.seed))
    return " · ".join(parts)


def ratio_parts(summary: Mapping[str, Any], *, lang: str = "en") -> tuple[str, str]:
    """The first/last gradient ratio as shown, and what it is if not plain float32.

    ``summary`` is :func:`dlcore.activations.flow_summary` (or a task's
    metrics with its ``underflow``/``overflow`` layers added). Returns
    ``(value, kind)``: ``kind`` is ``""`` (float32, as Keras trains),
    ``"float64"`` (float32 rounds a layer's gradient to 0, so the ratio is the
    float64 one) or ``"overflow"`` (∞/NaN in float32: no number is shown).

    >>> ratio_parts({"grad_ratio": 8.7e-57, "grad_ratio_f32": 0.0, "underflow": [1]})
    ('8.7e-57', 'float64')
    >>> ratio_parts({"grad_ratio": float("nan"), "overflow": [1]})
    ('∞/NaN', 'overflow')
    """
    ratio = float(summary["grad_ratio"])
    if len(summary.get("overflow", ())):
        return "∞/NaN", "overflow"
    if not np.isfinite(ratio):
        return t("act.lab.no_gradient", lang), ""
    if len(summary.get("underflow", ())) and summary.get("grad_ratio_f32") != ratio:
        return f"{ratio:.2g}", "float64"
    return f"{ratio:.2g}", ""


def ratio_text(summary: Mapping[str, Any], *, lang: str = "en") -> str:
    """:func:`ratio_parts` as one string, e.g. for a table cell.

    >>> ratio_text({"grad_ratio": 8.7e-57, "underflow": [1, 2]})
    '8.7e-57 (float64)'
    >>> ratio_text({"grad_ratio": float("nan"), "overflow": [1]}, lang="zh")
    '∞/NaN（float32 上溢）'
    """
    value, kind = ratio_parts(summary, lang=lang)
    if not kind:
        return value
    return t(
        "act.lab.ratio_tagged", lang, value=value, tag=t(f"act.lab.tag.{kind}", lang)
    )


def lab_runs_frame(
    runs: Mapping[activations.GradientLabConfig, Mapping[str, Any]],
    *,
    lang: str = "en",
) -> pd.DataFrame:
    """The gradient-lab settings trained so far: gradient ratio at init vs accuracy.

    Args:
        runs: Config -> metrics of :func:`dlcore.activations.train_gradient_lab`
            (``grad_ratio``, ``val_accuracy``), optionally with the
            ``underflow``/``overflow`` layers of its initial gradient picture
            (see :func:`ratio_text`).

    >>> config = activations.GradientLabConfig()
    >>> runs = {config: {"grad_ratio": 2e-9, "val_accuracy": 0.1}}
    >>> lab_runs_frame(runs).iloc[0, 1:].tolist()
    ['2e-09', '10.0%']
    """
    return pd.DataFrame(
        {
            t("act.lab.setting", lang): [lab_label(c, lang=lang) for c in runs],
            t("act.lab.grad_ratio", lang): [
                ratio_text(m, lang=lang) for m in runs.values()
            ],
            t("act.lab.val_accuracy", lang): [
                _number(m["val_accuracy"], ".1%") for m in runs.values()
            ],
        }
    )
