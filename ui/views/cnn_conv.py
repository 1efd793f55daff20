"""The CNN page's first tab: convolution and pooling, step by step.

Every number is computed by :mod:`dlcore.cnn` and drawn by
:mod:`dlcore.figures.cnn`; controls go through :mod:`ui.state` (keys ``cnn_…``).
The shared helpers and cached data come from :mod:`ui.views.cnn`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from dlcore import cnn, images
from dlcore.figures import cnn as figures
from dlcore.i18n import t
from ui import charts, state
from ui.views.cnn import (
    UPLOAD_SIZES,
    _fallback,
    _segmented,
    _square,
    _tr,
    digit_images,
)


def _input_image(lang: str) -> np.ndarray | None:
    T = _tr(lang)
    source = _segmented(
        "cnn_source",
        T("cnn.image_source"),
        ["digit", "upload"],
        "digit",
        format_func=lambda s: T(f"cnn.source.{s}"),
    )
    if source == "digit":
        x, y = digit_images()
        index = state.slider("cnn_digit", T("cnn.digit_index"), 0, len(x) - 1, 0, 1)
        image, title = x[index], T("cnn.digit_title", label=int(y[index]))
    else:
        size = _segmented(
            "cnn_upload_size",
            T("cnn.upload_size"),
            UPLOAD_SIZES,
            8,
            format_func=_square,
        )
        upload = st.file_uploader(  # any file: a refused one is told why
            T("cnn.source.upload"),
            key="cnn_upload",
            max_upload_size=images.MAX_BYTES // 2**20,
        )
        if upload is None:
            st.info(T("cnn.upload_prompt"), icon=":material/upload:")
            return None
        try:  # decoded once per upload and size (cached by content hash)
            image = images.ink_on_dark(images.load_image(upload.getvalue(), size=size))
        except images.ImageError as error:
            st.error(
                upload_error(upload.name, error, lang), icon=":material/broken_image:"
            )
            return None
        title = T("cnn.upload_title", size=size)
    st.caption(title)  # the image itself is the first panel of the step-through
    return image


def upload_error(name: str, error: images.ImageError, lang: str) -> str:
    """``name: why`` for a refused upload, as Markdown that shows every
    character of the file name and of the decoder's reason as typed."""
    params = {
        k: state.plain(v) if isinstance(v, str) else v for k, v in error.params.items()
    }
    return f"{state.plain(name)}: {t(error.key, lang, **params)}"


def _kernel(lang: str) -> np.ndarray | None:
    T = _tr(lang)
    size = _segmented(
        "cnn_ksize",
        T("cnn.kernel_size"),
        cnn.KERNEL_SIZES,
        3,
        format_func=_square,
    )
    names = [*cnn.kernel_names(size), "custom"]
    _fallback("cnn_kernel", names, "sobel_x")  # no 5×5 version of that preset
    name = state.select(
        "cnn_kernel",
        T("cnn.kernel"),
        names,
        "sobel_x",
        format_func=lambda k: (
            T(f"cnn.k.{k}") if k != "custom" else T("cnn.custom_kernel")
        ),
    )
    if name != "custom":
        st.session_state.cnn_custom_base = name
        return cnn.kernel_preset(name, size)
    base = st.session_state.get("cnn_custom_base", "identity")
    base = base if base in cnn.kernel_names(size) else "identity"
    columns = [str(c) for c in range(size)]
    edited = st.data_editor(
        pd.DataFrame(cnn.kernel_preset(base, size).astype(float), columns=columns),
        key=f"cnn_custom_{size}_{base}",
        hide_index=True,
        column_config={
            c: st.column_config.NumberColumn(c, format="%.3g") for c in columns
        },
    )
    st.caption(T("cnn.custom_note"))
    try:
        return cnn.validate_kernel(edited)
    except cnn.KernelError as error:
        st.error(error.message(lang), icon=":material/grid_off:")
        return None


def _step_slider(label: str, steps: cnn.StepThrough, key: str, lang: str) -> int:
    """A slider over the output cells, labelled (row, col), with a Next button
    (plain Streamlit, not in the URL: its range follows the other controls)."""
    count, width = len(steps), steps.output.shape[1]
    if st.session_state.get(key, 0) >= count:
        st.session_state[key] = count - 1

    def advance() -> None:
        st.session_state[key] = (st.session_state.get(key, 0) + 1) % count

    left, right = st.columns([6, 1], vertical_alignment="bottom")
    index = left.select_slider(
        label,
        list(range(count)),
        value=0,
        key=key,
        format_func=lambda i: f"({i // width}, {i % width})",
    )
    right.button(
        t("cnn.next", lang),
        key=f"{key}_next",
        on_click=advance,
        icon=":material/skip_next:",
        width="stretch",
    )
    return int(index)


def _step_figures(draw, steps, index: int, key: str, lang: str, groups, title_key):
    """The step's sum as a line, then its panels in columns (they stack on a phone).

    A column of two panels (kernel and products) is wider, so that the numbers
    in a 5×5 grid fit their cells at 14 px.
    """
    step = steps.steps[index]
    heading = t(title_key, lang, row=step.row, col=step.col, value=step.value)
    st.markdown(f"**{heading}**")
    widths = [1.3 if len(panels) > 1 else 1.0 for panels in groups]
    for column, panels in zip(st.columns(widths), groups, strict=True):
        fig = draw(steps, index, lang=lang, panels=panels, title=False)
        charts.plotly(fig, where=column, key=f"{key}_fig_{'_'.join(panels)}")


def _size_line(n: int, k: int, s: int, padding: str, lang: str) -> int | None:
    """The output-size formula with the numbers filled in; None if it does not fit."""
    try:
        out = cnn.output_size(n, k, s, padding)
    except ValueError:
        st.warning(t("cnn.err.no_fit", lang, k=k, n=n), icon=":material/warning:")
        return None
    left, right = st.columns([4, 1], vertical_alignment="center")
    left.latex(cnn.output_size_formula(n, k, s, padding))
    right.metric(t("cnn.output_size", lang), f"{out} × {out}")
    return out


def _pool_controls(lang: str) -> tuple[str, str, int, int, str]:
    """Mode, input (``relu``/``image``), size, stride and padding of the pooling."""
    T = _tr(lang)
    cols = st.columns([1.1, 1.3, 1.1, 1.1, 1.5])
    with cols[0]:
        mode = _segmented(
            "cnn_pool",
            T("cnn.pool_mode"),
            cnn.POOL_MODES,
            "max",
            format_func=lambda m: T(f"cnn.pool.{m}"),
        )
    with cols[1]:
        source = _segmented(
            "cnn_pool_input",
            T("cnn.pool_input"),
            ["relu", "image"],
            "relu",
            format_func=lambda s: T(f"cnn.pool_input.{s}"),
        )
    with cols[2]:
        size = _segmented(
            "cnn_pool_size",
            T("cnn.pool_size"),
            [2, 3],
            2,
            format_func=_square,
        )
    with cols[3]:
        stride = _segmented("cnn_pool_stride", T("cnn.pool_stride"), [1, 2, 3], 2)
    with cols[4]:
        padding = _segmented(
            "cnn_pool_padding",
            T("cnn.padding"),
            cnn.PADDINGS,
            "valid",
            format_func=lambda p: T(f"cnn.padding.{p}"),
        )
    return mode, source, size, stride, padding


def convolution(lang: str) -> None:
    """Tab 1: a convolution and a pooling, one output cell at a time."""
    T = _tr(lang)
    c_image, c_kernel, c_geometry = st.columns(3, gap="large")
    with c_image:
        image = _input_image(lang)
    with c_kernel:
        kernel = _kernel(lang)
    with c_geometry:
        stride = _segmented("cnn_stride", T("cnn.stride"), [1, 2, 3], 1)
        padding = _segmented(
            "cnn_padding",
            T("cnn.padding"),
            cnn.PADDINGS,
            "valid",
            format_func=lambda p: T(f"cnn.padding.{p}"),
        )
        st.caption(T("cnn.formula.symbols"))
        if padding == "same":
            st.caption(T("cnn.formula.same_note"))
    if image is None or kernel is None:
        return
    n, k = image.shape[0], kernel.shape[0]
    st.subheader(T("cnn.section.step"))
    if _size_line(n, k, stride, padding, lang) is None:
        return
    steps = cnn.conv_steps(image, kernel, stride, padding)
    index = _step_slider(T("cnn.step"), steps, "cnn_step", lang)
    _step_figures(
        figures.conv_step_figure,
        steps,
        index,
        "cnn_conv",
        lang,
        (("input",), ("kernel", "products"), ("output",)),
        "cnn.fig.conv_step",
    )
    st.caption(T("cnn.cross_correlation"))
    with st.expander(T("cnn.fig.windows_1d"), icon=":material/straighten:"):
        fig = figures.windows_1d_figure(n, k, stride, padding, lang=lang)
        charts.plotly(fig, key="cnn_windows_fig")

    st.subheader(T("cnn.section.pool"))
    mode, source, size, pool_stride, pool_padding = _pool_controls(lang)
    pool_input = np.maximum(steps.output, 0.0) if source == "relu" else image
    if _size_line(pool_input.shape[0], size, pool_stride, pool_padding, lang) is None:
        return
    pooled = cnn.pool_steps(pool_input, size, pool_stride, pool_padding, mode)
    index = _step_slider(T("cnn.step"), pooled, "cnn_pool_step", lang)
    key = "cnn.fig.max_step" if mode == "max" else "cnn.fig.average_step"
    _step_figures(
        figures.pool_step_figure,
        pooled,
        index,
        "cnn_pool",
        lang,
        (("input",), ("window",), ("output",)),
        key,
    )
    if pool_padding == "same":
        st.caption(T("cnn.pool_same_note"))
