"""Figures of the MLP playground.

>>> import numpy as np
>>> from dlcore import datasets
>>> data = datasets.load("xor", num_samples=40)
>>> axis = np.linspace(-6, 6, 5)
>>> fig = boundary_figure(data, axis, axis, np.full((5, 5), 0.5))
>>> len(fig.data)  # surface, 0.5 contour, 2 classes × (train, validation)
6
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from dlcore.datasets import Dataset
from dlcore.figures import theme
from dlcore.i18n import t


def boundary_figure(
    data: Dataset,
    grid_x: np.ndarray,
    grid_y: np.ndarray,
    surface: np.ndarray,
    *,
    lang: str = "en",
    height: int = theme.TALL_HEIGHT,
    title: bool = True,
) -> go.Figure:
    """The predicted probability of class 1 as a background, points on top.

    The colour bar lies under the plot (horizontal), so on a phone the square
    plot gets the whole width instead of sharing it with the bar.
    ``title=False`` leaves the title to the page (a line above the chart).
    """
    fig = go.Figure()
    fig.add_heatmap(
        x=grid_x,
        y=grid_y,
        z=surface,
        zmin=0,
        zmax=1,
        colorscale=theme.DIVERGING,
        opacity=0.75,
        colorbar={
            "title": {"text": t("pg.prob_blue", lang), "side": "right"},
            "orientation": "h",
            "thickness": 12,
            "len": 0.8,
            "x": 0.5,
            "xanchor": "center",
            "y": -0.17,
            "yanchor": "top",
            "ypad": 0,
            "tickvals": [0, 0.5, 1],
        },
        hovertemplate="x1=%{x:.2f}<br>x2=%{y:.2f}<br>p=%{z:.2f}<extra></extra>",
    )
    fig.add_contour(
        x=grid_x,
        y=grid_y,
        z=surface,
        contours={"start": 0.5, "end": 0.5, "size": 1, "coloring": "none"},
        line={"color": "#333", "width": 2},
        showscale=False,
        hoverinfo="skip",
    )
    for split, (x, y) in enumerate(
        ((data.x_train, data.y_train), (data.x_val, data.y_val))
    ):
        for label in (0, 1):
            points = x[y == label]
            fig.add_scatter(
                x=points[:, 0],
                y=points[:, 1],
                mode="markers",
                name=f"{t('common.train' if split == 0 else 'common.validation', lang)}"
                f" {label}",
                marker={
                    "size": 8,
                    "color": "white" if split else theme.CLASS_COLORS[label],
                    "line": {
                        "color": theme.CLASS_COLORS[label],
                        "width": 2 if split else 1,
                    },
                },
                showlegend=False,
            )
    fig.update_xaxes(range=[grid_x[0], grid_x[-1]], title_text="x₁", constrain="domain")
    fig.update_yaxes(
        range=[grid_y[0], grid_y[-1]], title_text="x₂", scaleanchor="x", scaleratio=1
    )
    name = t("pg.boundary", lang) if title else None
    fig = theme.styled(fig, title=name, height=height, legend=False)
    return fig.update_layout(margin={"t": 40 if title else 10, "b": 95, "r": 20})
