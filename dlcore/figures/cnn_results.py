"""Figures of the CNN page's results: confusion matrix, mistakes, predictions,
per-class metrics, translation and transfer curves, parameter counts.

The step-throughs and pictures of the network's insides are in
:mod:`dlcore.figures.cnn`; both share its heatmap helpers and colours.

>>> import numpy as np
>>> fig = confusion_matrix_figure(np.eye(3, dtype=int), ["a", "b", "c"])
>>> fig.data[0].texttemplate
'%{z}'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dlcore.figures import theme
from dlcore.figures.cnn import HIGHLIGHT, _axis_name, _grid_heatmap
from dlcore.i18n import t


def _legend_below(fig: go.Figure, *, bottom: int = 120) -> go.Figure:
    """Move the legend under the x-axis title: at the top right it ran into a
    long title on a 390 px phone (entries wrap onto several lines there)."""
    fig.update_layout(
        legend={
            "orientation": "h",
            "yref": "container",
            "y": 0.0,
            "yanchor": "bottom",
            "x": 0.0,
            "xanchor": "left",
        },
        margin={"b": bottom},
    )
    return fig


def confusion_matrix_figure(
    matrix: np.ndarray,
    class_names: Sequence[str],
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
    highlight: tuple[int, int] | None = None,
) -> go.Figure:
    """Counts of (true, predicted) classes; a cell can be clicked on the page.

    Each cell's ``customdata`` is ``[true_index, predicted_index]`` so that a
    selection event (``st.plotly_chart(on_select=...)``) can find the images.
    Plotly.js does not select heatmap cells on click, so an invisible marker
    sits on every cell (trace 1, same ``customdata``): clicking a cell selects
    its marker.

    Args:
        matrix: ``C[true, predicted]`` counts.
        class_names: Names on both axes.
        lang: ``"en"`` or ``"zh"``.
        height: Figure height.
        highlight: ``(true, predicted)`` cell to outline (the one shown).

    Example:
        >>> fig = confusion_matrix_figure(np.array([[3, 1], [0, 4]]), ["a", "b"])
        >>> fig.data[0].texttemplate, len(fig.data[1].x)
        ('%{z}', 4)
    """
    matrix = np.asarray(matrix)
    names = [str(c) for c in class_names]
    num = len(names)
    index = np.stack(np.meshgrid(np.arange(num), np.arange(num), indexing="ij"), -1)
    true_label, predicted_label = t("cnn.fig.true", lang), t("cnn.fig.predicted", lang)
    hover = (
        f"{true_label}: %{{y}}<br>{predicted_label}: %{{x}}<br>"
        f"{t('cnn.fig.count', lang)}: %{{meta}}<extra></extra>"
    )
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=names,
            y=names,
            customdata=index,
            colorscale="Blues",
            texttemplate="%{z}",
            textfont={"size": theme.FONT_SIZE},
            xgap=1,
            ygap=1,
            showscale=False,  # every cell is written: the width goes to the cells
            hovertemplate=hover.replace("%{meta}", "%{z}"),
        )
    )
    cells = index.reshape(-1, 2)
    fig.add_scatter(
        x=[names[p] for p in cells[:, 1]],
        y=[names[r] for r in cells[:, 0]],
        customdata=cells,
        mode="markers",
        showlegend=False,
        marker={"symbol": "square", "size": 28, "opacity": 0},
        selected={"marker": {"opacity": 0}},
        unselected={"marker": {"opacity": 0}},
        hovertemplate=[hover.replace("%{meta}", str(matrix[r, p])) for r, p in cells],
    )
    if highlight is not None:
        row, col = (int(v) for v in highlight)
        fig.add_shape(
            type="rect",
            x0=col - 0.5,
            x1=col + 0.5,
            y0=row - 0.5,
            y1=row + 0.5,
            line={"color": HIGHLIGHT, "width": 3},
        )
    fig.update_yaxes(
        autorange="reversed", type="category", scaleanchor="x", constrain="domain"
    )
    fig.update_xaxes(type="category", side="bottom", constrain="domain")
    fig.update_xaxes(showgrid=False, zeroline=False)
    fig.update_yaxes(showgrid=False, zeroline=False)
    theme.styled(
        fig,
        title=t("cnn.fig.confusion", lang),
        height=height,
        x_title=predicted_label,
        y_title=true_label,
        legend=False,
    )
    # narrow side margins: on a 390 px phone the 10 × 10 cells get ~30 px each
    fig.update_layout(margin={"l": 50, "r": 10})
    return fig


def misclassified_figure(
    images: np.ndarray,
    y_true: np.ndarray,
    probabilities: np.ndarray,
    class_names: Sequence[str],
    *,
    lang: str = "en",
    max_images: int = 6,
    height: int = theme.TALL_HEIGHT,
    title: str | None = None,
    min_columns: int = 1,
    pair_titles: bool = True,
) -> go.Figure:
    """Misclassified images with their predicted probabilities underneath.

    Args:
        images: The misclassified images, ``(n, H, W[, 1])``.
        y_true: Their true labels ``(n,)``.
        probabilities: Their predicted probabilities ``(n, classes)``.
        class_names: Names of the classes.
        lang: ``"en"`` or ``"zh"``.
        max_images: At most this many are drawn (one column each).
        height: Figure height.
        title: Replaces the default title (e.g. for the images of one
            confusion-matrix cell, which may be classified correctly); ``""``
            draws none (the page writes it above several figures).
        min_columns: Draw at least this many columns (so that one image is
            not stretched over the whole width).
        pair_titles: Title each image "3 → 8" over "72%" (true → predicted,
            probability); ``False``: only "72%" (the figure title already
            names the pair, e.g. one cell of the confusion matrix).

    Returns:
        Two rows: the images, and a bar chart of the probabilities below each
        (true class green, prediction red). The default title says how to
        read the image titles.
    """
    count = min(len(images), max_images)
    if count == 0:
        fig = go.Figure()
        fig.add_annotation(
            text=t("cnn.fig.no_mistakes", lang),
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return theme.styled(
            fig, title=title or t("cnn.fig.mistakes", lang), height=height
        )
    names = [str(c) for c in class_names]
    titles = []
    for i in range(count):
        predicted = int(np.argmax(probabilities[i]))
        prob = float(probabilities[i, predicted])
        titles.append(
            t(
                "cnn.fig.true_pred",
                lang,
                true=names[int(y_true[i])],
                pred=names[predicted],
                prob=prob,
            )
            if pair_titles
            else f"{prob:.0%}"
        )
    cols = max(count, int(min_columns))
    titles += [""] * (cols - count)
    fig = make_subplots(
        rows=2,
        cols=cols,
        row_heights=[0.6, 0.4],
        vertical_spacing=0.12,
        horizontal_spacing=0.03,
        subplot_titles=titles + [""] * cols,
    )
    for i in range(count):
        image = np.asarray(images[i], dtype=float).squeeze()
        fig.add_trace(
            _grid_heatmap(image, signed=False, limit=1.0, text=False), 1, i + 1
        )
        predicted = int(np.argmax(probabilities[i]))
        colors = ["#bbb"] * len(names)
        colors[predicted] = HIGHLIGHT
        colors[int(y_true[i])] = theme.COLORS[2]
        fig.add_trace(
            go.Bar(
                x=names,
                y=probabilities[i],
                marker_color=colors,
                showlegend=False,
                hovertemplate="%{x}: %{y:.1%}<extra></extra>",
            ),
            row=2,
            col=i + 1,
        )
        fig.update_yaxes(range=[0, 1], showticklabels=i == 0, row=2, col=i + 1)
        fig.update_xaxes(type="category", row=2, col=i + 1)
    for i in range(1, cols + 1):
        fig.layout[_axis_name(i, "yaxis")].update(
            autorange="reversed", scaleanchor=_axis_name(i, "x"), showticklabels=False
        )
        fig.layout[_axis_name(i, "xaxis")].update(
            showticklabels=False, showgrid=False, zeroline=False
        )
    for i in range(count + 1, cols + 1):  # empty columns: no axes at all
        fig.layout[_axis_name(i, "xaxis")].update(visible=False)
        fig.layout[_axis_name(i, "yaxis")].update(visible=False)
        fig.layout[_axis_name(cols + i, "xaxis")].update(visible=False)
        fig.layout[_axis_name(cols + i, "yaxis")].update(visible=False)
    fig.update_annotations(font_size=theme.MIN_FONT_SIZE)
    heading = t("cnn.fig.mistakes", lang) if title is None else title
    theme.styled(fig, title=heading or None, height=height, legend=False)
    # two-line image titles need room above the first row
    top = (90 if heading else 50) if pair_titles else (50 if heading else 30)
    fig.update_layout(margin={"l": 40, "r": 10, "t": top})
    return fig


def prediction_figure(
    probabilities: np.ndarray,
    class_names: Sequence[str],
    *,
    true_class: int | None = None,
    lang: str = "en",
    height: int = theme.SMALL_HEIGHT,
) -> go.Figure:
    """The predicted probability of every class for one image.

    The predicted class is red, the true class green (both green when right).

    Example:
        >>> fig = prediction_figure(np.array([0.1, 0.7, 0.2]), ["a", "b", "c"],
        ...                         true_class=2)
        >>> fig.data[0].marker.color
        ('#bbb', '#d62728', '#2ca02c')
    """
    probabilities = np.asarray(probabilities, dtype=float)
    names = [str(c) for c in class_names]
    predicted = int(np.argmax(probabilities))
    colors = ["#bbb"] * len(names)
    colors[predicted] = HIGHLIGHT
    if true_class is not None:
        colors[int(true_class)] = theme.COLORS[2]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=probabilities,
            marker_color=colors,
            text=[f"{p:.0%}" if p >= 0.01 else "" for p in probabilities],
            textposition="outside",
            # never shrunk to fit a narrow bar (it was ~7 px on a phone)
            constraintext="none",
            textfont={"size": theme.MIN_FONT_SIZE},
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    fig.update_yaxes(range=[0, 1.1], tickformat=".0%")
    fig.update_xaxes(type="category")
    title = t(
        "cnn.fig.prediction",
        lang,
        pred=names[predicted],
        prob=float(probabilities[predicted]),
    )
    if true_class is not None:
        title += " · " + t("cnn.fig.true_is", lang, true=names[int(true_class)])
    return theme.styled(
        fig,
        title=title,
        height=height,
        x_title=t("cnn.class", lang),
        y_title=t("cnn.fig.probability", lang),
        legend=False,
    )


def per_class_figure(
    per_class: Mapping[str, Sequence] | pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Precision and recall of every class as grouped bars.

    Args:
        per_class: :func:`dlcore.cnn.per_class_metrics` (or its ``to_dict("list")``).
    """
    table = pd.DataFrame(per_class)
    classes = [str(c) for c in table["class"]]
    fig = go.Figure()
    for i, column in enumerate(("precision", "recall")):
        label = t(f"cnn.fig.{column}", lang)
        fig.add_bar(
            x=classes,
            y=table[column],
            name=label,
            marker_color=theme.color(i),
            hovertemplate=f"%{{x}}: {label} %{{y:.1%}}<extra></extra>",
        )
    low = float(min(table["precision"].min(), table["recall"].min()))
    fig.update_yaxes(range=[min(0.8, max(0.0, low - 0.05)), 1.0], tickformat=".0%")
    fig.update_xaxes(type="category")
    theme.styled(
        fig,
        title=t("cnn.fig.per_class", lang),
        height=height,
        x_title=t("cnn.class", lang),
    )
    return _legend_below(fig, bottom=100)


def translation_figure(
    curve: Mapping[str, Sequence] | pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Test accuracy vs horizontal shift, CNN against the Dense network.

    Example:
        >>> fig = translation_figure({"shift": [-1, 0, 1], "cnn": [0.7, 0.98, 0.7],
        ...                           "dense": [0.4, 0.97, 0.5]})
        >>> [trace.name for trace in fig.data]
        ['CNN', 'Dense network']
    """
    table = pd.DataFrame(curve)
    fig = go.Figure()
    for i, column in enumerate(("cnn", "dense")):
        fig.add_scatter(
            x=table["shift"],
            y=table[column],
            name=t(f"cnn.fig.{column}", lang),
            mode="lines+markers",
            line={"color": theme.color(i), "width": 3},
            hovertemplate="%{x:+d} px: %{y:.1%}<extra></extra>",
        )
    fig.update_yaxes(range=[0, 1.02], tickformat=".0%")
    fig.update_xaxes(dtick=1, zeroline=True)
    theme.styled(
        fig,
        title=t("cnn.fig.translation", lang),
        height=height,
        x_title=t("cnn.fig.shift", lang),
        y_title=t("common.accuracy", lang),
    )
    return _legend_below(fig, bottom=100)


def transfer_figure(
    curves: Mapping[str, Sequence] | pd.DataFrame,
    *,
    target: str = "5–9",
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
) -> go.Figure:
    """Accuracy vs number of training images for each transfer strategy.

    Args:
        curves: ``artifacts["curves"]`` of :func:`dlcore.cnn.train_transfer`.
        target: The target digits, as shown in the title.
    """
    table = pd.DataFrame(curves)
    fig = go.Figure()
    for i, strategy in enumerate(("frozen", "fine_tune", "scratch")):
        rows = table[table["strategy"] == strategy].sort_values("train_size")
        if rows.empty:
            continue
        fig.add_scatter(
            x=rows["train_size"],
            y=rows["accuracy"],
            name=t(f"cnn.fig.{strategy}", lang),
            mode="lines+markers",
            line={
                "color": theme.color(i),
                "width": 3,
                "dash": "dot" if strategy == "scratch" else None,
            },
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    sizes = sorted(set(table["train_size"])) if len(table) else []
    theme.log_axis(fig, sizes, axis="x")
    if len(sizes) >= 2:  # label the sizes trained (full values, never "5" for 50)
        fig.update_xaxes(tickvals=sizes, ticktext=[theme.number_text(s) for s in sizes])
    fig.update_yaxes(tickformat=".0%")
    theme.styled(
        fig,
        title=t("cnn.fig.transfer", lang, target=target),
        height=height,
        x_title=t("cnn.fig.train_size", lang),
        y_title=t("common.accuracy", lang),
    )
    return _legend_below(fig)


def param_comparison_figure(
    cnn_table: pd.DataFrame,
    dense_table: pd.DataFrame,
    *,
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """Stacked bars: how each network's parameters split over its layers.

    Args:
        cnn_table: :func:`dlcore.cnn.layer_table` of the CNN.
        dense_table: :func:`dlcore.cnn.layer_table` of the Dense baseline.
    """
    fig = go.Figure()
    networks = [t("cnn.fig.cnn", lang), t("cnn.fig.dense", lang)]
    color = 0
    for network, table in zip(networks, (cnn_table, dense_table), strict=True):
        for row in table[table["params"] > 0].itertuples():
            fig.add_bar(
                x=[network],
                y=[row.params],
                name=row.layer,
                marker_color=theme.color(color),
                text=f"{row.layer}<br>{row.params:,}",
                textposition="inside",
                hovertemplate=(
                    f"{row.layer} ({row.type}): {row.params:,}<extra></extra>"
                ),
            )
            color += 1
    totals = [int(cnn_table["params"].sum()), int(dense_table["params"].sum())]
    for network, total in zip(networks, totals, strict=True):
        fig.add_annotation(
            x=network,
            y=total,
            text=f"{total:,}",
            showarrow=False,
            yshift=12,
            font={"size": 15},
        )
    # segments too thin for their label stay unlabelled (hover still tells)
    fig.update_layout(
        barmode="stack", uniformtext={"minsize": theme.MIN_FONT_SIZE, "mode": "hide"}
    )
    return theme.styled(
        fig,
        title=t("cnn.fig.params", lang),
        height=height,
        y_title=t("cnn.fig.param_count", lang),
        legend=False,
    )


def layer_table_figure(
    table: pd.DataFrame,
    *,
    network: str = "cnn",
    lang: str = "en",
    height: int = theme.HEIGHT,
) -> go.Figure:
    """A :func:`dlcore.cnn.layer_table` as a Plotly table with a total row."""
    columns = ["layer", "type", "output_shape", "params"]
    cells = [list(table[c]) for c in columns]
    for cell, extra in zip(
        cells,
        [t("cnn.col.total", lang), "", "", int(table["params"].sum())],
        strict=True,
    ):
        cell.append(extra)
    cells[3] = [f"{v:,}" if isinstance(v, int | np.integer) else v for v in cells[3]]
    fig = go.Figure(
        go.Table(
            header={
                "values": [t(f"cnn.col.{c}", lang) for c in columns],
                "fill_color": theme.COLORS[0],
                "font": {"color": "white"},
                "align": "left",
            },
            cells={
                "values": cells,
                "align": ["left", "left", "left", "right"],
                "height": 26,
            },
        )
    )
    title = t("cnn.fig.layer_table", lang, network=t(f"cnn.fig.{network}", lang))
    return theme.styled(fig, title=title, height=height, legend=False)
