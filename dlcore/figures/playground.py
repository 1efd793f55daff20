"""Figures of the MLP playground: boundary, network diagram, replay, confusion.

>>> import numpy as np
>>> from dlcore.playground import PlaygroundConfig, load_points
>>> config = PlaygroundConfig(dataset="xor", num_samples=40)
>>> axis = np.linspace(-6, 6, 5)
>>> fig = boundary_figure(config, load_points(config), axis, axis, np.full((5, 5), .5))
>>> len(fig.data)  # surface, 0.5 contour, 2 classes × (train, test)
6
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go

from dlcore.figures import theme
from dlcore.i18n import t

#: Colours of classes 0…4 (TF Playground's orange and blue first).
CLASSES = (*theme.CLASS_COLORS, "#2ca02c", "#9467bd", "#d62728")
NEURON = [[0.0, "#f59322"], [0.5, "#e8eaeb"], [1.0, "#0877bd"]]
#: Network diagram geometry (data units): neuron side, column and row pitch.
SIDE, COLUMN, ROW = 1.0, 4.0, 1.25


def _class_scale(k: int) -> list:
    """A discrete colour scale for class indices 0…k−1 (heatmap zmin −0.5)."""
    scale = []
    for i in range(k):
        scale += [[i / k, CLASSES[i]], [(i + 1) / k, CLASSES[i]]]
    return scale


def surface_trace(
    config: Any,
    grid_x: np.ndarray,
    surface: np.ndarray,
    *,
    lang: str,
    discretize: bool = False,
    colorbar: bool = True,
    xaxis: str = "x",
    yaxis: str = "y",
) -> go.Heatmap:
    """The background of a boundary plot: P(class 1), the class, or ŷ."""
    kind, k = config.kind, config.output_units
    bar = {
        "orientation": "h",
        "thickness": 12,
        "len": 0.8,
        "x": 0.5,
        "xanchor": "center",
        "y": -0.17,
        "yanchor": "top",
        "ypad": 0,
    }
    z = np.asarray(surface, np.float32)
    if kind == "regression":
        limit = float(max(np.abs(z).max(), 1e-6))
        if discretize:
            z = np.sign(z)
            limit = 1.0
        style = {"zmin": -limit, "zmax": limit, "colorscale": NEURON}
        bar["title"] = {"text": "ŷ", "side": "right"}
        hover = "ŷ=%{z:.2f}"
    elif kind == "multiclass":
        style = {"zmin": -0.5, "zmax": k - 0.5, "colorscale": _class_scale(k)}
        bar.update(tickvals=list(range(k)), title={"text": t("pg.class", lang)})
        hover = f"{t('pg.class', lang)} %{{z}}"
    else:
        if discretize:
            z = (z > 0.5).astype(np.float32)
        style = {"zmin": 0, "zmax": 1, "colorscale": theme.DIVERGING}
        bar.update(tickvals=[0, 0.5, 1], title={"text": t("pg.prob_blue", lang)})
        hover = "p=%{z:.2f}"
    return go.Heatmap(
        x=grid_x,
        y=grid_x,
        z=z,
        opacity=0.75,
        showscale=colorbar,
        colorbar=bar,
        hovertemplate=f"x1=%{{x:.2f}}<br>x2=%{{y:.2f}}<br>{hover}<extra></extra>",
        xaxis=xaxis,
        yaxis=yaxis,
        **style,
    )


def point_traces(
    config: Any, points: Any, *, lang: str, show_test: bool = True, **axes: str
) -> list[go.Scatter]:
    """Training points filled, test points hollow; coloured by class or target."""
    traces = []
    splits = [(points.x_train, points.y_train, 0)]
    if show_test:
        splits.append((points.x_val, points.y_val, 1))
    for x, y, split in splits:
        name = t("common.train" if split == 0 else "pg.test", lang)
        if config.kind == "regression":
            limit = float(max(np.abs(points.y_train).max(), 1e-6))
            groups = [(name, x, {"color": y, "cmin": -limit, "cmax": limit})]
        else:
            groups = [
                (f"{name} {c}", x[y == c], {"color": CLASSES[c]})
                for c in range(points.num_classes)
            ]
        for label, xs, colour in groups:
            line = colour["color"] if split and isinstance(colour["color"], str) else ""
            marker = {"size": 7, "line": {"color": line or "#333", "width": 1}}
            if split and isinstance(colour["color"], str):
                marker.update(
                    color="white", line={"color": colour["color"], "width": 2}
                )
            else:
                marker.update(colour)
                if config.kind == "regression":
                    marker["colorscale"] = NEURON
                    marker["symbol"] = "circle-open" if split else "circle"
            traces.append(
                go.Scatter(
                    x=xs[:, 0],
                    y=xs[:, 1],
                    mode="markers",
                    name=label,
                    marker=marker,
                    showlegend=False,
                    hoverinfo="skip",
                    **axes,
                )
            )
    return traces


def boundary_figure(
    config: Any,
    points: Any,
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    surface: np.ndarray,
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
    title: bool = True,
    show_test: bool = True,
    discretize: bool = False,
) -> go.Figure:
    """The model's output as a background, points on top.

    The colour bar lies under the plot (horizontal), so on a phone the square
    plot gets the whole width instead of sharing it with the bar.
    """
    fig = go.Figure(
        surface_trace(config, grid_x, surface, lang=lang, discretize=discretize)
    )
    if config.kind == "binary":
        fig.add_contour(
            x=grid_x,
            y=grid_y,
            z=surface,
            contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
            line={"color": "#333", "width": 2},
            showscale=False,
            hoverinfo="skip",
        )
    for trace in point_traces(config, points, lang=lang, show_test=show_test):
        fig.add_trace(trace)
    _square_axes(fig, grid_x)
    name = t("pg.boundary", lang) if title else None
    fig = theme.styled(fig, title=name, height=height, legend=False)
    return fig.update_layout(margin={"t": 40 if title else 10, "b": 95, "r": 20})


def _square_axes(fig: go.Figure, axis: np.ndarray, n: str = "") -> None:
    fig.update_layout(
        {
            f"xaxis{n}": {
                "range": [float(axis[0]), float(axis[-1])],
                "title": {"text": "x₁"},
                "constrain": "domain",
            },
            f"yaxis{n}": {
                "range": [float(axis[0]), float(axis[-1])],
                "title": {"text": "x₂"},
                "scaleanchor": f"x{n}",
                "scaleratio": 1,
            },
        }
    )


# --- the network diagram ---------------------------------------------------------


def neuron_display(config: Any, layer: int, values: np.ndarray) -> np.ndarray:
    """A neuron's output as shown, in [−1, 1]: features scaled by their largest
    value on the grid, probabilities p as 2p − 1, the rest clipped."""
    values = np.asarray(values, np.float64)
    if layer == 0:
        scale = np.abs(values).max(axis=(-2, -1), keepdims=True)
        return values / np.where(scale > 0, scale, 1)
    last = layer == len(config.hidden_layers) + 1
    if last and config.output in ("sigmoid_bce", "softmax_cce"):
        return 2 * values - 1
    return np.clip(values, -1, 1)


def layer_sizes(config: Any) -> list[int]:
    return [len(config.features), *config.hidden_layers, config.output_units]


def neuron_positions(config: Any) -> list[list[tuple[float, float]]]:
    """Centre of every neuron, layer by layer (columns; rows centred on 0)."""
    return [
        [(layer * COLUMN, ((n - 1) / 2 - i) * ROW) for i in range(n)]
        for layer, n in enumerate(layer_sizes(config))
    ]


def neuron_labels(config: Any, lang: str) -> list[list[str]]:
    from dlcore.playground import FEATURES

    names = {k: v.replace("np.", "").replace("**", "^") for k, v in FEATURES.items()}
    labels = [[names[f] for f in config.features]]
    for i, n in enumerate(config.hidden_layers):
        labels.append([t("pg.neuron", lang, layer=i + 1, i=j + 1) for j in range(n)])
    out = config.output_units
    labels.append([t("pg.output_neuron", lang, i=j + 1) for j in range(out)])
    return labels


def network_traces(
    config: Any, neurons: list[np.ndarray], weights: list[np.ndarray], lang: str
) -> list[dict]:
    """The traces of one diagram, as plain dicts (quick to build for many
    frames; float32 arrays travel as binary): a heatmap per neuron (its output
    on the grid, ``neurons[layer][unit]``), links by sign × width class (NaN
    between segments), the link weights and the biases as hover markers.
    Same trace count for any weights."""
    positions = neuron_positions(config)
    labels = neuron_labels(config, lang)
    traces: list[Any] = []
    half = SIDE / 2
    for layer, column in enumerate(positions):
        shown = neuron_display(config, layer, neurons[layer])
        for unit, (cx, cy) in enumerate(column):
            size = shown.shape[-1]
            traces.append(
                {
                    "type": "heatmap",
                    "z": np.round(shown[unit] * 100).astype(np.int8),
                    "x0": cx - half + SIDE / size / 2,
                    "dx": SIDE / size,
                    "y0": cy - half + SIDE / size / 2,
                    "dy": SIDE / size,
                    "zmin": -100,
                    "zmax": 100,
                    "colorscale": NEURON,
                    "showscale": False,
                    "name": labels[layer][unit],
                    "hovertemplate": f"{labels[layer][unit]}<extra></extra>",
                }
            )
    kernels, biases = weights[0::2], weights[1::2]
    biggest = max((float(np.abs(k).max()) for k in kernels), default=1.0) or 1.0
    groups: dict[tuple[int, int], tuple[list, list]] = {
        (s, b): ([], []) for s in (0, 1) for b in range(4)
    }
    mids_x, mids_y, mids_w = [], [], []
    for layer, kernel in enumerate(kernels):
        for i, (x0, y0) in enumerate(positions[layer]):
            for j, (x1, y1) in enumerate(positions[layer + 1]):
                w = float(kernel[i, j])
                width_class = min(3, int(4 * abs(w) / biggest))
                xs, ys = groups[(int(w >= 0), width_class)]
                xs += [x0 + half, x1 - half, np.nan]
                ys += [y0, y1, np.nan]
                mids_x.append((x0 + x1) / 2)
                mids_y.append((y0 + y1) / 2)
                mids_w.append(w)
    for (positive, width_class), (xs, ys) in groups.items():
        traces.append(
            {
                "type": "scatter",
                "x": np.array(xs or [np.nan], np.float32),
                "y": np.array(ys or [np.nan], np.float32),
                "mode": "lines",
                "line": {
                    "color": theme.CLASS_COLORS[positive],
                    "width": 0.6 + 1.6 * width_class,
                },
                "opacity": 0.7,
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    traces.append(
        {
            "type": "scatter",
            "x": np.array(mids_x or [np.nan], np.float32),
            "y": np.array(mids_y or [np.nan], np.float32),
            "mode": "markers",
            "marker": {"size": 6, "color": "rgba(0,0,0,0)"},
            "customdata": np.array(mids_w, np.float32),
            "hovertemplate": "w = %{customdata:.3f}<extra></extra>",
            "showlegend": False,
            "name": "weights",
        }
    )
    bx, by, bb = [], [], []
    for layer, bias in enumerate(biases):
        for unit, (cx, cy) in enumerate(positions[layer + 1]):
            bx.append(cx - half - 0.12)
            by.append(cy - half + 0.12)
            bb.append(float(bias[unit]))
    traces.append(
        {
            "type": "scatter",
            "x": bx,
            "y": by,
            "mode": "markers",
            "marker": {
                "size": 9,
                "symbol": "square",
                "color": bb,
                "cmin": -1,
                "cmax": 1,
                "colorscale": NEURON,
                "line": {"color": "#333", "width": 1},
            },
            "customdata": bb,
            "hovertemplate": "b = %{customdata:.3f}<extra></extra>",
            "showlegend": False,
            "name": "biases",
        }
    )
    return traces


def _diagram_axes(fig: go.Figure, config: Any, n: str = "") -> None:
    sizes = layer_sizes(config)
    tall = max(sizes) * ROW / 2 + 0.3
    fig.update_layout(
        {
            f"xaxis{n}": {
                "range": [-0.9, (len(sizes) - 1) * COLUMN + 0.7],
                "visible": False,
                "fixedrange": True,
            },
            f"yaxis{n}": {
                "range": [-tall, tall],
                "visible": False,
                "scaleanchor": f"x{n}",
                "fixedrange": True,
            },
        }
    )


def network_figure(
    config: Any,
    neurons: list[np.ndarray],
    weights: list[np.ndarray],
    *,
    lang: str = "en",
    title: str | None = None,
) -> go.Figure:
    """The network at one epoch: each neuron's output heatmap (blue +, orange −),
    links coloured by sign and sized by |w|, biases as small squares."""
    fig = go.Figure(network_traces(config, neurons, weights, lang))
    _diagram_axes(fig, config)
    height = int(100 + 34 * max(layer_sizes(config)))
    fig = theme.styled(fig, title=title, height=max(260, height), legend=False)
    annotations = [
        {
            "x": i * COLUMN,
            "y": max(layer_sizes(config)) * ROW / 2 + 0.15,
            "text": name,
            "showarrow": False,
            "font": {"size": 14},
        }
        for i, name in enumerate(layer_names(config, lang))
    ]
    return fig.update_layout(
        annotations=annotations, margin={"t": 40 if title else 30, "b": 10}
    )


def layer_names(config: Any, lang: str) -> list[str]:
    hidden = [t("pg.layer_n", lang, i=i + 1) for i in range(len(config.hidden_layers))]
    return [t("pg.inputs", lang), *hidden, t("pg.output", lang)]


def neuron_heatmap(
    config: Any,
    axis: np.ndarray,
    values: np.ndarray,
    label: str,
    *,
    lang: str = "en",
    points: Any = None,
    probability: bool = False,
) -> go.Figure:
    """One neuron's output on the grid, big, with its true values (a
    probability on [0, 1], anything else centred on 0)."""
    scale = {"zmin": 0, "zmax": 1} if probability else {"zmid": 0}
    fig = go.Figure(
        go.Heatmap(
            x=axis,
            y=axis,
            z=values,
            colorscale=NEURON,
            **scale,
            colorbar={"title": {"text": t("pg.activation_value", lang)}},
            hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>a=%{z:.3f}<extra></extra>",
        )
    )
    if points is not None:
        for trace in point_traces(config, points, lang=lang, show_test=False):
            fig.add_trace(trace)
    _square_axes(fig, axis)
    return theme.styled(fig, title=label, height=theme.HEIGHT, legend=False)


# --- the replay: boundary and network over the recorded epochs --------------------


def replay_figure(
    config: Any, points: Any, art: dict, history: Any = None, *, lang: str = "en"
) -> go.Figure:
    """ONE figure with a frame per recorded epoch (slider + play, animated in the
    browser): the decision boundary above, the network diagram below."""
    epochs = [int(e) for e in art["snap_epochs"]]
    rx = art["replay_x"]

    def traces(index: int) -> list[dict]:
        boundary = surface_trace(
            config, rx, art["snap_surface"][index], lang=lang, colorbar=False
        ).to_plotly_json()
        neurons = [layer[index] for layer in art["snap_neurons"]]
        net = network_traces(config, neurons, art["snap_weights"][index], lang)
        for trace in net:
            trace.update(xaxis="x2", yaxis="y2")
        return [boundary, *net]

    last = len(epochs) - 1
    fig = go.Figure(traces(last))
    for trace in point_traces(config, points, lang=lang, show_test=False):
        fig.add_trace(trace)
    count = len(fig.data) - len(
        point_traces(config, points, lang=lang, show_test=False)
    )

    def caption(index: int) -> str:
        text = t("pg.replay_epoch", lang, epoch=epochs[index])
        if history is not None and epochs[index] > 0:
            loss = float(history["loss"].iloc[epochs[index] - 1])
            text += f" · {t('common.loss', lang)} {loss:.3f}"
        return text

    # Frames as plain dicts, not validated one by one (60 frames × dozens of
    # traces took seconds); the same dicts as the validated first drawing.
    frames = [
        {
            "data": [_changing(tr) for tr in traces(i)],
            "traces": list(range(count)),
            "name": str(e),
            "layout": {"title": {"text": caption(i)}},
        }
        for i, e in enumerate(epochs)
    ]
    fig = go.Figure(fig.to_dict() | {"frames": frames}, _validate=False)
    _square_axes(fig, rx)
    _diagram_axes(fig, config, "2")
    sizes = layer_sizes(config)
    net_share = min(0.5, 0.22 + 0.02 * max(sizes))
    fig.update_layout(
        yaxis={"domain": [net_share + 0.08, 1.0]},
        xaxis={"anchor": "y"},
        xaxis2={"domain": [0, 1], "anchor": "y2"},
        yaxis2={"domain": [0, net_share], "anchor": "x2"},
    )
    play = t("pg.play", lang)
    fig.update_layout(
        updatemenus=[
            {
                "type": "buttons",
                "showactive": False,
                "x": 0.0,
                "y": -0.02,
                "xanchor": "left",
                "yanchor": "top",
                "buttons": [
                    {
                        "label": "▶ " + play,
                        "method": "animate",
                        "args": [
                            None,
                            {
                                "frame": {"duration": 120, "redraw": True},
                                "fromcurrent": True,
                                "transition": {"duration": 0},
                            },
                        ],
                    },
                    {
                        "label": "⏸",
                        "method": "animate",
                        "args": [
                            [None],
                            {"frame": {"duration": 0}, "mode": "immediate"},
                        ],
                    },
                ],
            }
        ],
        sliders=[
            {
                "active": last,
                "x": 0.25,
                "len": 0.75,
                "y": -0.02,
                "yanchor": "top",
                "currentvalue": {"prefix": t("pg.epoch", lang) + " "},
                "steps": [
                    {
                        "label": str(e),
                        "method": "animate",
                        "args": [
                            [str(e)],
                            {
                                "frame": {"duration": 0, "redraw": True},
                                "mode": "immediate",
                            },
                        ],
                    }
                    for e in epochs
                ],
            }
        ],
    )
    height = 560 + 40 * max(sizes)
    fig = theme.styled(fig, title=caption(last), height=height, legend=False)
    return fig.update_layout(margin={"t": 50, "b": 110, "l": 50, "r": 20})


#: What changes from frame to frame; plotly.js merges a frame's trace into the
#: drawn one, so colour scales, positions and hover templates are sent once.
_CHANGING = ("z", "x", "y", "customdata")


def _changing(trace: dict) -> dict:
    kept = {k: trace[k] for k in _CHANGING if k in trace}
    if trace.get("type") == "heatmap":
        kept.pop("x", None), kept.pop("y", None)
    if trace.get("name") == "weights":
        kept.pop("x", None), kept.pop("y", None)
    if trace.get("name") == "biases":
        kept = {
            "customdata": trace["customdata"],
            "marker": {"color": trace["customdata"]},
        }
    return {"type": trace["type"], **kept}


def confusion_figure(matrix: np.ndarray, *, lang: str = "en") -> go.Figure:
    """Counts of the test points: true class (rows) × predicted class (columns)."""
    k = len(matrix)
    names = [str(i) for i in range(k)]
    fig = go.Figure(
        go.Heatmap(
            z=matrix,
            x=names,
            y=names,
            colorscale="Blues",
            showscale=False,
            text=matrix,
            texttemplate="%{text}",
            textfont={"size": 16},
            hovertemplate=t("pg.confusion_hover", lang) + "<extra></extra>",
        )
    )
    fig.update_xaxes(title_text=t("pg.predicted", lang), type="category")
    fig.update_yaxes(
        title_text=t("pg.true", lang), type="category", autorange="reversed"
    )
    return theme.styled(
        fig, title=t("pg.confusion", lang), height=theme.SMALL_HEIGHT + 20, legend=False
    )
