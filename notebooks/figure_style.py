"""The one figure style of the LeNet Lab notebooks, and ``show``, which every figure goes through.

Colours, line styles and markers (a colour-blind reader tells lines apart by the second cue), the
colour map for signed values, the figure sizes JupyterLab shows without shrinking labels, and
``show(fig, alt)``: a sharp PNG with alt text, the figure freed at once. Every figure module
(``conv_figures``, ``lenet_figures``, ``graph_figures``, ``layer_figures``, ``training_figures``) draws with these
names and defines no colours of its own. Unit tests: tests/test_figure_style.py.
"""
from __future__ import annotations

import torch


OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""A colour-blind-safe palette (Okabe & Ito); pair colours with line styles or markers."""
PALE = {"blue": "#a6d8f5", "green": "#8fd6bd"}
"""Pale tints of ``OKABE_ITO``'s blue and green, for areas filled under dark lines and text."""
LINESTYLES = ["-", "--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)), (0, (1, 3))]
"""The second cue for lines: the style cycle pairs ``OKABE_ITO[i]`` with ``LINESTYLES[i]``."""
MARKERS = ["o", "s", "^", "D", "v", "P"]
"""The second cue for points (scatter plots, markers on short lines), in the same order."""
DIVERGING = "RdBu_r"
"""The colour map for signed values (weights, gradients): blue negative, white 0, red positive."""
DISPLAY_DPI = 100
"""Pixels per inch of a figure as displayed: a 7-inch figure shows 700 px wide."""
PIXEL_SCALE = 2
"""Stored pixels per displayed pixel ("retina"): sharp on HiDPI screens and projectors."""
MAX_WIDTH_PX = 780
"""Widest figure ``show`` accepts, in displayed pixels. JupyterLab shrinks a wider image to
its output area (~700 px on a laptop), and 10-pt tick labels must stay >= 9 pt: 700 * 10 / 9."""


def use_style() -> None:
    """Set the collection's figure style: fonts of 10 pt and more (titles 11-12 pt), constrained
    layout, nearest-neighbour images, the Okabe-Ito colours each paired with its own line style,
    figures at ``DISPLAY_DPI``, and retina inline output for a figure not shown with ``show``.
    Called once by each notebook's setup cell, after ``import figure_style``.
    Introduced in 00_start_here.
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "font.size": 11, "axes.titlesize": 11, "axes.labelsize": 11, "xtick.labelsize": 10,
        "ytick.labelsize": 10, "legend.fontsize": 10, "figure.titlesize": 12,
        "figure.labelsize": 11, "figure.dpi": DISPLAY_DPI, "figure.constrained_layout.use": True,
        "image.interpolation": "nearest", "image.cmap": "viridis", "lines.linewidth": 1.8,
        "axes.prop_cycle": cycler(color=OKABE_ITO[:6]) + cycler(linestyle=LINESTYLES),
    })
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and "inline" in str(mpl.get_backend()).lower():
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['retina']")


def signed_scale(*tensors) -> dict:
    """``imshow`` arguments for signed values: ``DIVERGING`` with ONE scale centred on 0 shared
    by all ``tensors`` (``vmin=-m, vmax=m``, m the largest absolute value among them), so that
    white means 0 and equal colours mean equal values in every panel.

    Use: ``scale = figure_style.signed_scale(w)`` then ``ax.imshow(w[i, 0], **scale)`` for each
    filter, and ``fig.colorbar(im, ax=axes)`` once. Introduced in 00_start_here.
    """
    if not tensors:
        raise ValueError("signed_scale needs at least one tensor or array")
    m = max(float(torch.as_tensor(t).detach().abs().max()) for t in tensors)
    m = m if m > 0 else 1.0  # all zeros: any symmetric scale shows white
    return {"cmap": DIVERGING, "vmin": -m, "vmax": m}


def figure_png(fig) -> tuple[bytes, int, int]:
    """The PNG ``show`` stores for ``fig`` and its displayed width and height in pixels.

    Rendered at ``PIXEL_SCALE`` times the figure's dpi, cropped to what is drawn (as the inline
    backend does), then reduced to a palette of at most 256 colours when that is smaller: a
    plot has few colours, and the palette makes a retina PNG smaller than a plain 100-dpi one.
    Introduced in 00_start_here.
    """
    import io

    from PIL import Image

    buffer = io.BytesIO()
    # At DISPLAY_DPI, not fig.dpi: a kernel can hand a figure a higher dpi (seen in JupyterLab,
    # about 1.4 times), which would make the same figure look wider than it is shown.
    fig.savefig(buffer, format="png", dpi=PIXEL_SCALE * DISPLAY_DPI, bbox_inches="tight",
                facecolor=fig.get_facecolor(), edgecolor=fig.get_edgecolor(),
                pil_kwargs={"compress_level": 1})  # read back at once: fast beats small here
    image = Image.open(buffer).convert("RGB")
    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", optimize=True)
    data = buffer.getvalue()
    if len(data) > image.width * image.height // 2:  # many colours (a photo): a full-colour PNG may be smaller
        buffer = io.BytesIO()
        image.save(buffer, format="png", optimize=True)
        data = min(data, buffer.getvalue(), key=len)
    width, height = image.size
    return data, width // PIXEL_SCALE, height // PIXEL_SCALE


def show(fig, alt: str) -> None:
    """Show ``fig`` in the notebook with ``alt`` as its alt text, then close it.

    ``alt`` is one sentence saying what the figure shows, for a screen reader and for pages
    that render the notebook. The output holds ``figure_png(fig)`` as ``image/png`` with
    metadata ``{"width", "height", "alt"}`` (nbconvert's classic HTML template and the site read
    ``alt`` there; it is the key Jupyter's proposed convention and ``IPython.display.Image(alt=)``
    use; JupyterLab 4.6 shows output images without alt text) and ``alt`` as its ``text/plain``
    (what a text-only view or a screen reader on the plain text gets).
    Raises ``ValueError`` for a missing alt text (under three words) or a figure wider than
    ``MAX_WIDTH_PX``.
    Outside IPython the figure is shown with ``plt.show()``. Introduced in 00_start_here.
    """
    import base64

    import matplotlib.pyplot as plt

    if not isinstance(alt, str) or len(alt.strip()) < 10 or len(alt.split()) < 3:
        raise ValueError("show(fig, alt) needs alt text: one sentence saying what the figure shows, "
                         f"got {alt!r}")
    try:
        from IPython import get_ipython
        from IPython.display import display
        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is None:
        plt.show()
        return
    data, width, height = figure_png(fig)
    if width > MAX_WIDTH_PX:
        outside = _sticking_out(fig)
        plt.close(fig)
        raise ValueError(f"this figure is {width} px wide as displayed ({width / DISPLAY_DPI:.1f} in): "
                         f"JupyterLab would shrink it and its labels below 9 pt; at most {MAX_WIDTH_PX} px: "
                         "a figsize width of 7.5 in or less is safe (or move what sticks out, e.g. a legend)"
                         + (f"; sticking out of the {fig.get_figwidth():.1f}-in figure: {outside}" if outside else ""))
    display({"image/png": base64.b64encode(data).decode("ascii"), "text/plain": alt.strip()}, raw=True,
            metadata={"image/png": {"width": width, "height": height, "alt": alt.strip()}})
    fig.clear()  # drop the artists now: the figure is shown, and nothing draws on it again
    plt.close(fig)
    _free_cycles()


def _sticking_out(fig, most: int = 3) -> str:
    """The texts, legends and axes of ``fig`` that reach past its left or right edge, farthest first,
    as "Text 'label' (120 px past the edge)"; empty when none does (the figure itself is too wide)."""
    from matplotlib.axes import Axes
    from matplotlib.legend import Legend
    from matplotlib.text import Text

    renderer = fig.canvas.get_renderer()
    left, right = 0, fig.bbox.width
    found = []
    for artist in fig.findobj(lambda a: isinstance(a, (Text, Legend, Axes)) and a.get_visible()):
        try:
            box = artist.get_window_extent(renderer)
        except (TypeError, AttributeError, RuntimeError, ValueError):
            continue
        if box.width <= 0 or box.width > 10 * right or not (box.x0 < left - 1 or box.x1 > right + 1):
            continue
        if isinstance(artist, Text) and artist.get_clip_on() and artist.get_clip_box() is not None:
            continue  # clipped to its axes: it cannot widen the saved figure
        past = max(left - box.x0, box.x1 - right) * DISPLAY_DPI / fig.dpi
        text = getattr(artist, "get_text", lambda: "")()
        name = type(artist).__name__ + (f" {text[:40]!r}" if text else "")
        found.append((past, name))
    found.sort(reverse=True)
    return ", ".join(f"{name} ({past:.0f} px past the edge)" for past, name in found[:most])


def _free_cycles() -> None:
    """Free the closed figure's memory now rather than at some later garbage collection.

    A figure's objects refer to each other in cycles, which only Python's cyclic collector frees,
    and left to itself it runs a full collection rarely: in 07 the kernel's peak memory grew by
    some 20-40 MB of dead figures. A full collection scans every object, torch's included (about
    0.2 s), so after the first one the objects still alive — the imported libraries, for the most
    part — are moved out of its way with ``gc.freeze()`` (they are still freed as usual when
    nothing refers to them); later collections take tens of milliseconds.
    """
    import gc

    gc.collect()
    if not gc.get_freeze_count():
        gc.freeze()
