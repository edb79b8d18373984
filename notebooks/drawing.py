"""Drawing code and the interactive explorers of the LeNet Lab notebooks.

The lessons show an idea in plain PyTorch first, then call a function from here to draw it.
`helpers.py` holds the small functions the lessons compute with; this module holds what they
draw with, so that `helpers.py` stays short enough to read. Unit tests: tests/test_drawing*.py
and tests/test_helpers*.py.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch
from torch import nn

from helpers import _check_conv_args, conv_output_size

# ---- One figure style for every notebook (00_start_here) -----------------------------------

OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
"""A colour-blind-safe palette (Okabe & Ito); pair colours with line styles or markers."""
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
    Called once by each notebook's setup cell, after ``import drawing``.
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

    Use: ``scale = drawing.signed_scale(w)`` then ``ax.imshow(w[i, 0], **scale)`` for each
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
    fig.savefig(buffer, format="png", dpi=PIXEL_SCALE * fig.dpi, bbox_inches="tight",
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
        plt.close(fig)
        raise ValueError(f"this figure is {width} px wide as displayed ({width / DISPLAY_DPI:.1f} in): "
                         f"JupyterLab would shrink it and its labels below 9 pt; at most {MAX_WIDTH_PX} px: "
                         "a figsize width of 7.5 in or less is safe (or move what sticks out, e.g. a legend)")
    display({"image/png": base64.b64encode(data).decode("ascii"), "text/plain": alt.strip()}, raw=True,
            metadata={"image/png": {"width": width, "height": height, "alt": alt.strip()}})
    fig.clear()  # drop the artists now: the figure is shown, and nothing draws on it again
    plt.close(fig)
    _free_cycles()


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


# ---- Convolution explorer (03_convolution_arithmetic) --------------------------------------

def describe_conv(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                  dilation: int = 1) -> str:
    """The text the convolution explorer prints: the formula with the numbers filled in.

    Lines: the formula; its numbers and result; the padded input and the kernel's span; what
    the floor drops, if anything; the shape a real ``nn.Conv2d`` gives for a ``(1, 1, size,
    size)`` input. An invalid combination gives a line ``invalid: <conv_output_size's reason>``
    (and nn.Conv2d's own refusal). The global random state is left as it was.
    Introduced in 03_convolution_arithmetic.
    """
    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    lines = ["output size = floor((n + 2p - d(k - 1) - 1) / s) + 1"]
    try:
        _check_conv_args(n, k, s, p, d)
    except ValueError as exc:
        return "\n".join(lines + [f"invalid: {exc}"])
    top, span = n + 2 * p - d * (k - 1) - 1, d * (k - 1) + 1
    lines += [f"n={n}, k={k}, p={p}, s={s}, d={d}: floor(({n} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1"
              f" = floor({top} / {s}) + 1 = {top // s + 1}",
              f"padded input n + 2p = {n + 2 * p}, kernel span d(k - 1) + 1 = {span}"]
    try:
        conv_output_size(n, k, s, p, d)
    except ValueError as exc:
        lines.append(f"invalid: {exc}")
    else:
        if top % s:
            lines.append(f"the floor drops {top % s}: the last {top % s} row(s) and column(s) of "
                         "the padded input are never under the kernel")
    conv = f"nn.Conv2d(1, 1, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
    with torch.random.fork_rng(devices=[]), torch.no_grad():  # the layer's init draws numbers
        try:
            shape = tuple(nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, n, n)).shape)
            lines.append(f"{conv} maps (1, 1, {n}, {n}) to {shape}")
        except RuntimeError as exc:
            lines.append(f"{conv} refuses it too: {str(exc).splitlines()[0]}")
    return "\n".join(lines)



def draw_conv(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1,
              out_row: int = 0, out_col: int = 0, axes=None):
    """Draw the padded input, the kernel's footprint for one output cell, and the output grid.

    Left image codes: 0 padding, 1 input, 2 kernel tap on padding, 3 kernel tap on input;
    right image: 1 marks the chosen output cell. ``out_row``/``out_col`` are clamped to the
    output. If the kernel does not fit, its outline overflows in red and there is no output.
    Returns the two axes. Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    _check_conv_args(size, kernel_size, stride, padding, dilation)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(6.8, 3.4), width_ratios=(3, 2))
    ax_in, ax_out = axes
    full, span = size + 2 * padding, dilation * (kernel_size - 1) + 1
    out = (full - span) // stride + 1 if span <= full else 0
    row, col = (min(max(v, 0), max(out - 1, 0)) for v in (out_row, out_col))
    grid = torch.zeros(full, full, dtype=torch.long)
    grid[padding:padding + size, padding:padding + size] = 1
    taps = range(0, span, dilation)
    for i in taps:
        for j in taps:
            if row * stride + i < full and col * stride + j < full:
                grid[row * stride + i, col * stride + j] += 2
    orange = "#e6550d"
    ax_in.imshow(grid.numpy(), cmap=ListedColormap(["#bdbdbd", "white", "#fdae6b", orange]), vmin=0, vmax=3)
    ax_in.add_patch(Rectangle((col * stride - 0.5, row * stride - 0.5), span, span, lw=2,
                              ec=orange if out else "red", fill=not out, fc=(1, 0, 0, 0.2),
                              hatch=None if out else "//"))
    edge = max(full, span) - 0.5
    ax_in.set(xlim=(-0.5, edge), ylim=(edge, -0.5), xlabel="column (grey: padding, orange: kernel taps)",
              ylabel="row", title=f"padded input {full}x{full}" + ("" if out else f": kernel span {span} > {full}"))
    chosen = torch.zeros(max(out, 1), max(out, 1))
    chosen[row, col] = float(out > 0)
    ax_out.imshow(chosen.numpy(), cmap=ListedColormap(["white", orange]), vmin=0, vmax=1)
    ax_out.set(title=f"output {out}x{out}, cell ({row}, {col})" if out else "no output",
               xlabel="column", ylabel="row")
    for ax, n in ((ax_in, full), (ax_out, max(out, 1))):
        ax.set_xticks(range(0, n, 1 + n // 12), minor=False)
        ax.set_yticks(range(0, n, 1 + n // 12), minor=False)
        ax.set_xticks([t - 0.5 for t in range(1, n)], minor=True)
        ax.set_yticks([t - 0.5 for t in range(1, n)], minor=True)
        ax.grid(which="minor", color="0.6", lw=0.5)
        ax.tick_params(which="both", length=0, labelsize=9)
    if not out:
        ax_out.set(xticks=[], yticks=[])
    return axes


def draw_window_times_kernel(x: torch.Tensor, w: torch.Tensor, b: torch.Tensor, filter: int = 0,
                             row: int = 0, col: int = 0):
    """Draw how one output number of a convolution is made: one row per input channel with the
    window of that channel under the kernel, the kernel's channel, and their elementwise products,
    each cell labelled with its value; the title adds up all products and the bias.

    ``x`` is one image ``(C, H, W)``, ``w`` the filters ``(F, C, k, k)``, ``b`` the biases ``(F,)``.
    One diverging scale centred on 0 is shared by every panel. Returns the figure.
    Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt

    channels, k = x.shape[0], w.shape[-1]
    window = x[:, row:row + k, col:col + k]
    kernel = w[filter]
    products = window * kernel
    total = products.sum() + b[filter]
    scale = float(max(window.abs().max(), kernel.abs().max(), products.abs().max()))

    def write(ax, values, top, left):
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = float(values[i, j])
                ax.text(left + j, top + i, f"{v:.1f}".replace("-0.0", "0.0"), ha="center", va="center",
                        fontsize=9, color="white" if abs(v) > 0.6 * scale else "black")

    fig, axes = plt.subplots(channels, 3, figsize=(5.4, 1.45 * channels + 0.45), squeeze=False)
    for c in range(channels):
        panels = ((window[c], f"x[{c}, {row}:{row + k}, {col}:{col + k}]"), (kernel[c], f"× w[{filter}, {c}]"),
                  (products[c], f"= products: sum {products[c].sum().item():.2f}"))
        for ax, (values, title) in zip(axes[c], panels):
            ax.imshow(values.detach().numpy(), cmap=plt.get_cmap("RdBu_r", 9), vmin=-scale, vmax=scale)
            write(ax, values.detach(), 0, 0)
            ax.set(title=title, xticks=[], yticks=[])
        axes[c][0].set_ylabel(f"channel {c}")
    fig.suptitle(f"sum of all {products.numel()} products + bias {b[filter].item():.2f} = {total.item():.2f}"
                 f" = output ({filter}, {row}, {col})")
    return fig


def draw_stride(size: int, kernel_size: int, stride: int):
    """Draw the positions of a kernel sliding along one row of ``size`` pixels with ``stride``:
    one bar per position under the row of pixels, the pixels no position reads hatched.

    Returns the axes; its title gives the number of positions and the columns never read.
    Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    out = conv_output_size(size, kernel_size, stride)
    starts = [i * stride for i in range(out)]
    unread = list(range(starts[-1] + kernel_size, size))
    fig, ax = plt.subplots(figsize=(7.0, 0.8 + 0.16 * (out + 2)))
    for c in range(size):
        never = c in unread
        ax.add_patch(Rectangle((c, 0), 1, 1, fc=OKABE_ITO[5] if never else "white", ec="0.3",
                               hatch="//" if never else None, label="never read" if never and c == unread[0] else None))
    for i, start in enumerate(starts):
        ax.add_patch(Rectangle((start + 0.1, -1.2 - 0.8 * i), kernel_size - 0.2, 0.6, fc=OKABE_ITO[0], ec="none",
                               label="kernel positions" if i == 0 else None))
    ax.set(xlim=(-0.2, size + 0.2), ylim=(-1.2 - 0.8 * out, 1.2), yticks=[], xlabel="column",
           title=f"n={size}, k={kernel_size}, s={stride}: {out} positions; "
                 + (f"column(s) {', '.join(map(str, unread))} never read" if unread else "every column read"))
    ax.set_xticks([c + 0.5 for c in range(0, size, 1 + size // 15)], [str(c) for c in range(0, size, 1 + size // 15)])
    ax.legend(loc="lower left", frameon=False)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax


def draw_max_pool(grid: torch.Tensor, kernel_size: int = 2):
    """Draw a max pool with kernel and stride ``kernel_size`` on one 2-D ``grid``: the input with
    each window in its own colour and its maximum in bold, and the output grid in the same colours.

    Returns the two axes. Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    k = kernel_size
    pooled = torch.nn.functional.max_pool2d(grid[None, None].float(), k)[0, 0]
    colours = ["#cfe3f1", "#fbe3b4", "#c6ebdf", "#ecd3e3", "#d7eefb", "#f4d0b8"]
    fig, (ax_in, ax_out) = plt.subplots(1, 2, figsize=(5.2, 2.6), width_ratios=(grid.shape[1], pooled.shape[1]))
    for ax, values, cell in ((ax_in, grid, 1), (ax_out, pooled, k)):
        rows, cols = values.shape
        for i in range(rows):
            for j in range(cols):
                r, c = (i // k, j // k) if cell == 1 else (i, j)
                colour = colours[(r * pooled.shape[1] + c) % len(colours)]
                ax.add_patch(Rectangle((j, i), 1, 1, fc=colour, ec="0.6", lw=0.5))
                v = values[i, j].item()
                win = cell == 1 and i // k < pooled.shape[0] and j // k < pooled.shape[1] and v == pooled[i // k, j // k]
                ax.text(j + 0.5, i + 0.5, f"{v:g}", ha="center", va="center", fontsize=11,
                        fontweight="bold" if win or cell == k else "normal")
        if cell == 1:
            for r in range(pooled.shape[0]):
                for c in range(pooled.shape[1]):
                    ax.add_patch(Rectangle((c * k, r * k), k, k, fill=False, ec="black", lw=2))
        ax.set(xlim=(0, cols), ylim=(rows, 0), aspect="equal", xticks=[], yticks=[])
    ax_in.set(title=f"input {grid.shape[0]}x{grid.shape[1]}, {k}x{k} windows", xlabel="bold: the maximum")
    ax_out.set(title=f"output {pooled.shape[0]}x{pooled.shape[1]}", xlabel="the maxima")
    return ax_in, ax_out


def draw_receptive_fields(digit: torch.Tensor, paths: torch.Tensor, fields: dict, padding: int = 0):
    """Draw receptive fields on a digit (left) and a map of path counts to one unit (right).

    ``fields`` maps a label to ``(first row, first column, width)`` in input pixels (it may start
    in the padding). The ``padding`` ring around the digit is drawn grey, as ``draw_conv`` draws
    padding. ``paths`` (28x28) is drawn with viridis and a colour bar. Returns the figure.
    Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    height, width = digit.shape
    fig, (ax_digit, ax_paths) = plt.subplots(1, 2, figsize=(6.6, 3.7))
    ax_digit.add_patch(Rectangle((-padding - 0.5, -padding - 0.5), width + 2 * padding, height + 2 * padding,
                                 fc="#bdbdbd", ec="none", zorder=0))  # the padding, under the digit
    ax_digit.imshow(torch.as_tensor(digit).numpy(), cmap="gray", extent=(-0.5, width - 0.5, height - 0.5, -0.5))
    handles = [Patch(fc="#bdbdbd", ec="none", label=f"padding ({padding} pixels)")]
    styles = [(OKABE_ITO[1], "-"), (OKABE_ITO[4], "--"), (OKABE_ITO[3], ":")]
    for (label, (top, left, size)), (colour, style) in zip(fields.items(), styles):
        handles.append(ax_digit.add_patch(Rectangle((left - 0.5, top - 0.5), size, size, fill=False, ec=colour,
                                                    lw=2.5, ls=style, label=label)))
    ax_digit.set(xlim=(-padding - 1.5, width + padding + 0.5), ylim=(height + padding + 0.5, -padding - 1.5),
                 title="receptive fields on a test digit", xlabel="column", ylabel="row")
    fig.legend(handles=handles, loc="outside lower center", ncol=len(handles), frameon=False)
    image = ax_paths.imshow(torch.as_tensor(paths).numpy(), cmap="viridis")
    fig.colorbar(image, ax=ax_paths, shrink=0.8, label="gradient (∝ number of paths)")
    ax_paths.set(title="paths to one unit", xlabel="column", ylabel="row")
    return fig



# ---- LeNet diagram (02_lenet) -------------------------------------------------------------

PAPER_NAMES = {"conv1": "C1", "pool1": "S2", "conv2": "C3", "pool2": "S4", "fc1": "C5",
               "fc2": "F6", "fc3": "OUTPUT"}
"""The 1998 paper's names for ``helpers.LeNet``'s layers (the paper's C5 is our ``fc1``)."""

_MAP_FILL, _MAP_EDGE, _VECTOR_FILL, _RELU_COLOUR = "#9ecae1", "#0072B2", "#E69F00", "#D55E00"


class _StageRecorder(torch.overrides.TorchFunctionMode):
    """Records, in order, what ``forward`` does outside leaf modules (``depth == 0``): ReLU calls,
    and calls that change the shape (``F.max_pool2d``, ``torch.flatten``, ``x.view``)."""

    def __init__(self, events: list):
        super().__init__()
        self.events, self.depth = events, 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        name = getattr(func, "__name__", "")
        first = args[0] if args else None
        if self.depth == 0 and isinstance(out, torch.Tensor):
            if name in ("relu", "relu_"):
                self.events.append(("ReLU", None, None))
            elif isinstance(first, torch.Tensor) and first.shape != out.shape:
                if name == "max_pool2d":
                    k = args[1] if len(args) > 1 else kwargs.get("kernel_size")
                    k = k if isinstance(k, (tuple, list)) else (k, k)
                    op = f"max pool\n{k[0]}x{k[1]}"
                elif name in ("view", "reshape", "flatten"):
                    op = "flatten"
                else:
                    op = name
                self.events.append((f"{name}()", op, tuple(out.shape)))
        return out


def _describe_module(module: nn.Module) -> str:
    if isinstance(module, nn.Conv2d):
        (kh, kw), (ph, pw) = module.kernel_size, module.padding if not isinstance(module.padding, str) else (0, 0)
        return f"conv\n{kh}x{kw}" + (f"\npad {ph}" if ph or pw else "")
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        k = module.kernel_size if isinstance(module.kernel_size, tuple) else (module.kernel_size,) * 2
        return f"{'max' if isinstance(module, nn.MaxPool2d) else 'avg'} pool\n{k[0]}x{k[1]}"
    if isinstance(module, nn.Flatten):
        return "flatten"
    if isinstance(module, nn.Linear):
        return "linear"
    return type(module).__name__


def lenet_stages(model: nn.Module, x: torch.Tensor) -> list[dict]:
    """The stages ``model`` takes the batch ``x`` through, as ``draw_lenet`` draws them.

    A list of dicts, the input first: ``name`` (the row name of ``helpers.shape_trace``),
    ``shape`` (without the batch dimension) and ``ops``, the steps from the stage before: any
    ReLU applied in between (``F.relu`` or ``nn.ReLU``: they keep the shape, so the trace has no
    row for them), then the layer (``"conv\\n5x5, pad 2"``, ``"max pool\\n2x2"``, ``"flatten"``,
    ``"linear"``), read from the layer object or the call's arguments. The shapes are checked
    against ``helpers.shape_trace(model, x)``. Introduced in 02_lenet.
    """
    from helpers import shape_trace

    names = {m: n for n, m in model.named_modules()}
    events: list[tuple] = []
    recorder = _StageRecorder(events)

    def enter(module, args):
        recorder.depth += 1

    def leave(module, args, output):
        recorder.depth -= 1
        if isinstance(module, nn.ReLU):
            events.append(("ReLU", None, None))
        else:
            events.append((names[module], _describe_module(module), tuple(output.shape)))

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_pre_hook(enter) for m in leaves]
    handles += [m.register_forward_hook(leave) for m in leaves]
    try:
        with torch.no_grad(), recorder:
            model(x)
    finally:
        for h in handles:
            h.remove()
    stages, pending = [{"name": "input", "shape": tuple(x.shape[1:]), "ops": []}], []
    for name, op, shape in events:
        if name == "ReLU":
            pending.append("ReLU")
        else:
            stages.append({"name": name, "shape": shape[1:], "ops": pending + [op]})
            pending = []
    if pending:  # a ReLU after the last layer
        stages[-1]["ops_after"] = pending
    modules = dict(model.named_modules())
    traced = [(name, tuple(shape)) for name, shape in shape_trace(model, x)
              if not isinstance(modules.get(name), nn.ReLU)]
    drawn = [(s["name"], (len(x),) + s["shape"]) for s in stages[1:]]
    if drawn != traced:
        raise RuntimeError(f"the stages {drawn} do not match helpers.shape_trace's {traced}")
    return stages


def _stage_label(stage: dict, paper: bool) -> str:
    shape, name = stage["shape"], stage["name"]
    title = PAPER_NAMES.get(name, name) if paper else name
    title = "pool" if title.endswith("pool2d()") else title  # short: the labels sit close
    if len(shape) == 3:
        return f"{title}\n{shape[0]}@{shape[1]}x{shape[2]}"
    return f"{title}\n{shape[0]}"


def _draw_stages(ax, stages: list[dict], unit: float, gap: float = 1.55, x0: float = 0.0,
                 highlight: str | None = None) -> float:
    """Draw ``stages`` left to right from ``x0`` on ``ax``; a map of height h is a square of side
    ``h * unit``, a vector of n units a bar of height ``0.0707 * sqrt(n)`` (400 units: 1.41).
    Returns the x where the drawing ends."""
    from matplotlib.patches import Rectangle

    paper = set(PAPER_NAMES) <= {s["name"] for s in stages}
    step, x, edges = 0.07, x0, []
    for stage in stages:
        shape = stage["shape"]
        if len(shape) == 3:
            channels, height, width = shape
            shown = min(channels, 4)
            w, h = width * unit, height * unit
            for j in reversed(range(shown)):
                ax.add_patch(Rectangle((x + step * j, -h / 2 + step * j), w, h, lw=0.9, ec=_MAP_EDGE,
                                       fc=_MAP_FILL if j else "#c6dbef", label="_map"))
            right, top = x + w + step * (shown - 1), h / 2 + step * (shown - 1)
        else:
            w, h = 0.16, 0.0707 * math.sqrt(shape[0])
            ax.add_patch(Rectangle((x, -h / 2), w, h, lw=0.9, ec="0.3", fc=_VECTOR_FILL, hatch="///",
                                   label="_vector"))
            right, top = x + w, h / 2
        bold = highlight is not None and stage["name"] == highlight
        ax.text((x + right) / 2, -0.85, _stage_label(stage, paper), ha="center", va="top", fontsize=9,
                fontweight="bold" if bold else "normal")
        edges.append((x, right, top))
        x = right + gap
    for (_, right, _), (left, _, _), stage in zip(edges, edges[1:], stages[1:]):
        ax.annotate("", xy=(left - 0.04, 0), xytext=(right + 0.04, 0),
                    arrowprops=dict(arrowstyle="-|>", color="0.25", lw=1, mutation_scale=10))
        mid = (right + left) / 2
        layer = [op for op in stage["ops"] if op not in ("ReLU", "flatten")]
        if layer:
            ax.text(mid, 0.08, "\n".join(layer), ha="center", va="bottom", fontsize=9)
        if "ReLU" in stage["ops"]:  # applied before the layer: written under the arrow
            ax.text(mid, -0.08, "ReLU", ha="center", va="top", fontsize=9, color=_RELU_COLOUR,
                    fontweight="bold")
    return edges[-1][1]


def draw_lenet(model: nn.Module | None = None, x: torch.Tensor | None = None, ax=None):
    """Draw ``model``'s architecture from the shapes it really produces on ``x``.

    Defaults: ``helpers.LeNet()`` on a ``(1, 1, 28, 28)`` batch of zeros. Each feature-map stage
    is a stack of squares (at most four shown) whose sides are proportional to the map's height
    and width, so pooling's halving shows; each vector stage is a hatched bar (height ∝ √units).
    Over each arrow: the layer that makes the next stage, read from the layer or the call, and
    "ReLU" (bold, vermillion) where one is applied. Stages are named after the paper (C1 … OUTPUT)
    when the model has ``helpers.LeNet``'s layer names. Returns the axes.
    Introduced in 02_lenet; draws imgs/lenet5.png.
    """
    import matplotlib.pyplot as plt
    import helpers

    model = helpers.LeNet() if model is None else model
    x = torch.zeros(1, 1, 28, 28) if x is None else x
    stages = lenet_stages(model, x)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 2.0))
    height = max(s["shape"][1] for s in stages if len(s["shape"]) == 3)
    end = _draw_stages(ax, stages, unit=1.4 / height)
    ax.set(xlim=(-0.1, end + 0.35), ylim=(-1.45, 1.2), aspect="equal")
    ax.axis("off")
    return ax


def draw_lenet_family(nets, axes=None):
    """Draw several LeNets one under the other on one scale, e.g. the three of 02_lenet §4.

    ``nets`` is a list of ``(title, model, x)``. The stage that feeds ``fc1`` (the flattened
    features) is labelled in bold. Map squares share one scale across the rows (a 32x32 input is
    drawn larger than a 28x28 one). Returns the axes. Introduced in 02_lenet.
    """
    import matplotlib.pyplot as plt

    all_stages = [lenet_stages(model, x) for _, model, x in nets]
    if axes is None:
        _, axes = plt.subplots(len(nets), 1, figsize=(7, 1.75 * len(nets)))
    axes = list(axes) if hasattr(axes, "__len__") else [axes]
    height = max(s["shape"][1] for stages in all_stages for s in stages if len(s["shape"]) == 3)
    ends = []
    for ax, (title, model, _), stages in zip(axes, nets, all_stages):
        fed = next((s["name"] for s, nxt in zip(stages, stages[1:]) if nxt["name"] == "fc1"), None)
        ends.append(_draw_stages(ax, stages, unit=1.4 / height, highlight=fed))
        ax.set_title(title, fontsize=10, loc="left")
        ax.axis("off")
    for ax in axes:
        ax.set(xlim=(-0.1, max(ends) + 0.35), ylim=(-1.45, 1.2), aspect="equal")
    return axes


# ---- Autograd graph (04_autograd_graph) ---------------------------------------------------

@dataclass
class GraphNode:
    name: str                 # grad_fn class name, e.g. "AddmmBackward0", "AccumulateGrad"
    label: str | None = None  # parameter name for AccumulateGrad leaves, when known
    fn: object = field(default=None, repr=False)


@dataclass
class AutogradGraph:
    nodes: list[GraphNode]
    edges: list[tuple[int, int]]  # (parent, child): child is in parent.next_functions


def autograd_graph(tensor: torch.Tensor, params: dict | None = None) -> AutogradGraph:
    """The backward graph of ``tensor``: every grad_fn once, edges from ``next_functions``.

    ``params`` maps names to parameters (``dict(net.named_parameters())``) to label the
    ``AccumulateGrad`` leaves. Introduced in 04_autograd_graph.
    """
    if tensor.grad_fn is None:
        raise ValueError("this tensor has no grad_fn: it is a leaf, or it was computed under "
                         "torch.no_grad() or from detached tensors, so no graph was recorded")
    names = {id(p): n for n, p in (params or {}).items()}
    index, nodes, edges, todo = {}, [], [], [tensor.grad_fn]

    def visit(fn) -> int:
        if fn not in index:
            variable = getattr(fn, "variable", None)
            index[fn] = len(nodes)
            nodes.append(GraphNode(type(fn).__name__, names.get(id(variable)), fn))
            todo.append(fn)
        return index[fn]

    visit(todo.pop())
    while todo:
        fn = todo.pop(0)
        for child, _ in fn.next_functions:
            if child is not None:
                edges.append((index[fn], visit(child)))
    return AutogradGraph(nodes, edges)


def _child_offsets(heights: list[int]) -> list[float]:
    """Columns of a node's children relative to it, given how deep each child's graph goes: the
    deepest sits straight below (the spine), the others in order on both sides; ties centred."""
    top = max(heights, default=0)
    if heights.count(top) > 1:
        return [j - (len(heights) - 1) / 2 for j in range(len(heights))]
    sides = iter(sorted((k // 2 + 1) * (-1) ** k for k in range(len(heights) - 1)))  # -1, 1, ...
    return [0 if h == top else next(sides) for h in heights]


def _graph_layout(graph: AutogradGraph) -> tuple[list[int], list[float]]:
    """Row and column of each node: one row below its deepest parent, placed where its parents
    want it (``_child_offsets``), nodes in a row pushed at least one column apart."""
    n = len(graph.nodes)
    kids: list[list[int]] = [[] for _ in range(n)]
    for parent, child in graph.edges:
        if child not in kids[parent]:
            kids[parent].append(child)
    waiting = [0] * n
    for k in kids:
        for c in k:
            waiting[c] += 1
    order = [0]  # parents before children (Kahn's algorithm: a node once all its parents are in)
    for i in order:
        for c in kids[i]:
            waiting[c] -= 1
            if waiting[c] == 0:
                order.append(c)
    row, height, col = [0] * n, [0] * n, [0.0] * n
    for i in order:
        for c in kids[i]:
            row[c] = max(row[c], row[i] + 1)
    for i in reversed(order):
        height[i] = max((height[c] + 1 for c in kids[i]), default=0)
    wish: list[list[float]] = [[] for _ in range(n)]  # columns the parents want for each node
    for r in range(max(row) + 1):
        members = [i for i in order if row[i] == r]
        want = sorted((sum(wish[i]) / len(wish[i]) if wish[i] else 0.0, i) for i in members)
        left, right = [w for w, _ in want], [w for w, _ in want]
        for k in range(1, len(want)):  # push apart rightwards, leftwards, then take the average
            left[k] = max(left[k], left[k - 1] + 1)
            right[-k - 1] = min(right[-k - 1], right[-k] - 1)
        for k, (_, i) in enumerate(want):
            col[i] = (left[k] + right[k]) / 2
            for c, offset in zip(kids[i], _child_offsets([height[c] for c in kids[i]])):
                wish[c].append(col[i] + offset)
    return row, col


def draw_autograd_graph(tensor: torch.Tensor, params: dict | None = None, ax=None):
    """Draw ``autograd_graph(tensor, params)`` with matplotlib: the output on top, arrows pointing
    the way the gradient flows, down to the ``AccumulateGrad`` leaves (green).

    The longest chain runs straight down the middle, side branches beside it. Without ``ax`` a
    figure sized to the graph is made. Returns the axes. Introduced in 04_autograd_graph.
    """
    import matplotlib.pyplot as plt

    graph = autograd_graph(tensor, params)
    row, col = _graph_layout(graph)
    lo, hi, depth = min(col), max(col), max(row)
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.9 * (hi - lo + 1), 0.42 * (depth + 1) + 0.3), layout="none")
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - 0.3 / fig.get_figheight())
    boxes = []
    for i, node in enumerate(graph.nodes):
        leaf = node.name == "AccumulateGrad"
        text = f"{node.name}\n{node.label}" if node.label else node.name
        boxes.append(ax.text(col[i], -row[i], text, ha="center", va="center", fontsize=9, zorder=2,
                             bbox=dict(boxstyle="round,pad=0.25", ec="0.4",
                                       fc="#cfe8cf" if leaf else "#dde6f5")))
    seen: dict[tuple[int, int], int] = {}
    for parent, child in graph.edges:
        k = seen[parent, child] = seen.get((parent, child), -1) + 1
        bend = 0.25 * k * (-1) ** k  # a repeated edge fans out
        between = [col[i] for i in range(len(col)) if row[parent] < row[i] < row[child]]
        if between:  # an edge skipping rows bows away from the nodes it passes
            bend += 0.3 if sum(between) / len(between) > (col[parent] + col[child]) / 2 else -0.3
        ax.annotate("", xy=(col[child], -row[child]), xytext=(col[parent], -row[parent]), zorder=3,
                    arrowprops=dict(arrowstyle="-|>", color="0.45", lw=0.9, mutation_scale=9,
                                    shrinkA=0, shrinkB=0, connectionstyle=f"arc3,rad={bend}",
                                    patchA=boxes[parent].get_bbox_patch(),
                                    patchB=boxes[child].get_bbox_patch()))
    ax.set_xlim(lo - 0.5, hi + 0.5)
    ax.set_ylim(-depth - 0.5, 0.5)
    ax.axis("off")
    return ax



# ---- Loss and backward (05_loss_and_backward) ---------------------------------------------

def draw_fd_errors(eps, errors: dict, ax=None):
    """Log-log plot of a finite-difference estimate's error against the nudge ``eps``.

    ``errors`` maps a label (e.g. ``"float64"``) to the errors ``|estimate - autograd|``, one
    per value of ``eps``; each label gets its own colour, marker and line style. An error of
    exactly 0 cannot be drawn on a log scale and is left out. Returns the axes.
    Introduced in 05_loss_and_backward.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    eps = [float(e) for e in eps]
    for k, (label, errs) in enumerate(errors.items()):
        points = [(e, float(r)) for e, r in zip(eps, errs) if float(r) > 0]
        ax.loglog(*zip(*points), marker="os^D"[k % 4], markersize=4, color=OKABE_ITO[k % 6],
                  linestyle=["-", "--", ":", "-."][k % 4], label=label)
    ax.set_xlabel("nudge ε")
    ax.set_ylabel("|finite difference − autograd|")
    ax.legend()
    return ax


def draw_softmax_bars(logits: torch.Tensor, label: int, axes=None):
    """Two bar charts for one digit: its 10 logits, and the softmax probabilities they become.

    The right class ``label`` is drawn in another colour and hatched; a dotted line marks 1/10,
    what a network that cannot tell the classes apart gives each. Returns the two axes.
    Introduced in 05_loss_and_backward.
    """
    import matplotlib.pyplot as plt

    logits = logits.detach().double().flatten()
    probs = torch.softmax(logits, dim=0)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(7, 2.6))
    classes = range(len(logits))
    for ax, values, name in zip(axes, (logits, probs), ("logit z", "probability p = softmax(z)")):
        bars = ax.bar(classes, values.tolist(), color=OKABE_ITO[0], edgecolor="black", linewidth=0.6)
        bars[label].set(facecolor=OKABE_ITO[5], hatch="//", edgecolor="black")
        ax.set_xticks(list(classes))
        ax.set_xlabel(f"class (hatched: the label, {label})")
        ax.set_ylabel(name)
    axes[0].axhline(0, color="0.4", linewidth=0.8)
    axes[1].axhline(1 / len(logits), color="0.3", linestyle=":", label="1/10")
    axes[1].set_ylim(0, 1.35 * max(probs.max().item(), 1 / len(logits)))
    axes[1].legend(loc="upper right")
    return axes


# ---- Learning-rate explorer (06_manual_weight_updates) -------------------------------------

LR_STEPS = 30  # steps of gradient descent the learning-rate explorer runs


def bowl_problem() -> tuple[torch.Tensor, torch.Tensor]:
    """A least-squares problem small enough to understand fully: ``X`` (64, 2), ``y`` (64,), float64.

    The loss ``((X @ w - y)**2).mean()`` is a narrow bowl over the two weights ``w`` (features
    scaled by 2 and 0.5). Always the same numbers: own generator, seed 0.
    Introduced in 06_manual_weight_updates.
    """
    gen = torch.Generator().manual_seed(0)
    X = torch.randn(64, 2, generator=gen, dtype=torch.float64) * torch.tensor([2.0, 0.5], dtype=torch.float64)
    noise = torch.randn(64, generator=gen, dtype=torch.float64)
    return X, X @ torch.tensor([1.5, -2.0], dtype=torch.float64) + 0.3 * noise


def bowl_descent(lr: float, steps: int = LR_STEPS, momentum: float = 0.0) -> tuple[list[float], torch.Tensor]:
    """Gradient descent on ``bowl_problem()`` from ``w = 0``: ``loss.backward()``, ``w -= lr * w.grad``.

    With ``momentum`` μ > 0 it steps along a buffer instead, PyTorch's form: ``b = g`` at the first
    step, then ``b = μ·b + g``; ``w -= lr * b``. Returns the loss before each step and after the
    last (``steps + 1`` floats) and the weights visited, shape ``(steps + 1, 2)``.
    Introduced in 06_manual_weight_updates.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number such as 0.1, got {lr!r}")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum < 1:
        raise ValueError(f"momentum must be a number in [0, 1) such as 0.9, got {momentum!r}")
    X, y = bowl_problem()
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    losses, path, buffer = [], [w.detach().clone()], None
    for step in range(steps + 1):
        loss = ((X @ w - y) ** 2).mean()
        losses.append(loss.item())
        if step < steps:
            loss.backward()
            with torch.no_grad():
                if momentum:
                    buffer = w.grad.clone() if buffer is None else buffer.mul_(momentum).add_(w.grad)
                    w -= lr * buffer
                else:
                    w -= lr * w.grad
            w.grad = None
            path.append(w.detach().clone())
    return losses, torch.stack(path)


def bowl_minimum() -> tuple[torch.Tensor, float]:
    """The bottom of ``bowl_problem()``'s bowl: the least-squares weights and the lowest possible loss.

    Introduced in 06_manual_weight_updates.
    """
    X, y = bowl_problem()
    best_w = torch.linalg.solve(X.T @ X, X.T @ y)
    return best_w, ((X @ best_w - y) ** 2).mean().item()


def steps_to_close(losses: list[float], fraction: float = 0.99) -> int | None:
    """The first step at which ``losses`` (from ``bowl_descent``) closed ``fraction`` of the gap
    between the start and ``bowl_minimum()``'s lowest loss; None if it never does.
    Introduced in 06_manual_weight_updates.
    """
    _, best = bowl_minimum()
    return next((k for k, loss in enumerate(losses) if loss - best <= (1 - fraction) * (losses[0] - best)), None)


_RUN_MARKERS = ("o", "s", "^", "D")
_RUN_LINES = ("-", "--", ":", "-.")


def draw_bowl_runs(runs: dict, shown: int = 15, steps: int = LR_STEPS,
                   limits: tuple = ((-2.5, 5.5), (-3.5, 0.5)), figsize: tuple = (5.2, 3.2),
                   loss_height: float = 1.1):
    """Gradient descent on the bowl for each run: the loss curves on top, and below, one panel per
    run with its first ``shown`` steps over the bowl's contour lines (equal scales on both axes,
    a cross at the bottom; its title the run's label, broken before a parenthesis or after a comma),
    so that no path hides another; the legend sits above the loss curves, not on them.

    ``runs`` maps a label to ``bowl_descent``'s keyword arguments (``lr``, optionally
    ``momentum``). Each run keeps its colour, marker and line style in every panel. ``limits``
    are the panels' ``(w[0] range, w[1] range)``; ``loss_height`` the loss row's height relative to
    the panels'. Returns the figure (``figsize`` inches). Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    X, y = bowl_problem()
    best_w, best = bowl_minimum()
    fig = plt.figure(figsize=figsize)
    grid = fig.add_gridspec(2, len(runs), height_ratios=(loss_height, 1))
    ax_loss = fig.add_subplot(grid[0, :])
    w0, w1 = torch.meshgrid(torch.linspace(-2.5, 5.5, 161, dtype=torch.float64),
                            torch.linspace(-3.5, 0.5, 81, dtype=torch.float64), indexing="xy")
    surface = ((torch.stack([w0, w1], dim=-1) @ X.T - y) ** 2).mean(dim=-1)
    for k, (label, options) in enumerate(runs.items()):
        losses, path = bowl_descent(steps=steps, **options)
        style = dict(color=OKABE_ITO[k % 6], marker=_RUN_MARKERS[k % 4], linestyle=_RUN_LINES[k % 4])
        ax_loss.semilogy(losses, markersize=3, label=label, **style)
        ax = fig.add_subplot(grid[1, k])
        ax.contour(w0, w1, surface, levels=torch.logspace(-0.5, 1.8, 5).tolist(), colors="0.7", linewidths=0.6)
        ax.plot(path[:shown + 1, 0], path[:shown + 1, 1], markersize=3.5, linewidth=1.1, **style)
        ax.plot(*best_w.tolist(), "kx", markersize=7)
        ax.set(xlim=limits[0], ylim=limits[1], xlabel="w[0]", title=label.replace(" (", "\n(").replace(", ", ",\n"))
        ax.set_aspect("equal")
        ax.set_ylabel("w[1]" if k == 0 else "")
        if k:
            ax.tick_params(labelleft=False)
    ax_loss.axhline(best, color="0.3", linestyle=(0, (1, 3)), label=f"lowest possible ({best:.4f})")
    ax_loss.set(xlabel="step", ylabel="loss (log scale)")
    fig.legend(*ax_loss.get_legend_handles_labels(), loc="outside upper center", ncols=2, fontsize=9)
    return fig


def draw_lr_curve(lr: float, ax=None):
    """The learning-rate slider's figure: the loss over ``LR_STEPS`` steps of ``bowl_descent(lr)``
    on a fixed log scale (so that moving the slider does not rescale it), with a dashed line at the
    lowest possible loss; a diverging run leaves through the top. Returns the axes.
    Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(4.2, 2.2))
    losses, _ = bowl_descent(lr)
    _, best = bowl_minimum()
    ax.semilogy(losses, color=OKABE_ITO[0], marker="o", markersize=3, label="loss")
    ax.axhline(best, color=OKABE_ITO[5], linestyle="--", label=f"lowest possible {best:.4f}")
    ax.set(xlim=(0, LR_STEPS), ylim=(0.05, 1000), xlabel="step", ylabel="loss (log scale)",
           title=f"Gradient descent on the bowl, lr = {lr:.3g}")
    ax.legend(loc="upper right", fontsize=9)
    return ax


def draw_loss_curves(curves: dict, ax=None, ylim=None):
    """Loss curves on a log scale, each with its own colour, line style and marker (every 10th
    step), and its label at its right end as well as in the legend. ``curves`` maps a label to
    the losses, one per step. Returns the axes. Introduced in 06_manual_weight_updates.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=(5, 3))
    for k, (label, losses) in enumerate(curves.items()):
        ax.semilogy(losses, label=label, color=OKABE_ITO[k % 6], linestyle=_RUN_LINES[k % 4],
                    marker=_RUN_MARKERS[k % 4], markevery=10, markersize=4)
    ax.set(xlabel="step", ylabel="cross-entropy loss (log scale)")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.legend(fontsize=9)
    return ax


def lr_summary(lr: float) -> str:
    """The learning-rate slider's text: loss at the start and after ``LR_STEPS`` steps, and a verdict.

    Runs ``bowl_descent(lr)``: "diverges" if the loss ends higher than it started (or overflows),
    "converges" if it closed 99% of the gap to the lowest possible loss, else "converges slowly".
    Introduced in 06_manual_weight_updates.
    """
    losses, _ = bowl_descent(lr)
    X, y = bowl_problem()
    best = ((X @ torch.linalg.solve(X.T @ X, X.T @ y) - y) ** 2).mean().item()
    first, last = losses[0], losses[-1]
    if not last <= first:  # also catches inf and nan
        verdict = "diverges"
    elif last - best <= 0.01 * (first - best):
        verdict = "converges"
    else:
        verdict = "converges slowly"
    return (f"lr={lr:.3g}: loss {first:.4f} at the start, {last:.4g} after {LR_STEPS} steps "
            f"(lowest possible {best:.4f}): {verdict}")




# ---- Pictures for imgs/ (tools/make_imgs.py) -----------------------------------------------
# Convolution drawn the way vdumoulin's conv_arithmetic draws it: the (padded) input below left,
# the kernel's footprint shaded on it, the output grid beside it, one frame per output cell.
# Plain PIL rectangles and text in a fixed palette: small GIFs, the same bytes on every run.

GIF_CELL = 28
"""Side of one grid cell in the convolution GIFs, in pixels."""
_GIF_PALETTE = {"background": "#ffffff", "text": "#000000", "grid": "#7f7f7f", "input": "#a6d8f5",
                "tap": "#0072B2", "done": "#8fd6bd", "current": "#009E73", "todo": "#ffffff",
                "max": "#D55E00", "grey1": "#404040", "grey2": "#9f9f9f", "grey3": "#dfdfdf",
                "tap_text": "#ffffff", "unused": "#cfcfcf"}


@dataclass
class ConvLayout:
    """Where ``conv_gif_frames`` put things: the padded input's and the output's top-left
    corners and sides in cells, the cell size, and per frame the output cell and its taps."""
    input_xy: tuple[int, int]
    output_xy: tuple[int, int]
    padded: int
    out: int
    cell: int
    frames: list[dict] = field(default_factory=list)
    unused: list[tuple[int, int]] = field(default_factory=list)  # (row, col) never under the kernel

    def input_centre(self, row: int, col: int) -> tuple[int, int]:
        return (self.input_xy[0] + col * self.cell + self.cell // 2, self.input_xy[1] + row * self.cell + self.cell // 2)

    def output_centre(self, row: int, col: int) -> tuple[int, int]:
        return (self.output_xy[0] + col * self.cell + self.cell // 2, self.output_xy[1] + row * self.cell + self.cell // 2)


def conv_formula(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                 dilation: int = 1) -> tuple[str, str, int]:
    """The output-size formula, the same with the numbers filled in, and its result, e.g.
    ``("floor((n + 2p − d(k − 1) − 1) / s) + 1", "floor((4 + 2·0 − 1·(3 − 1) − 1) / 1) + 1 = 2", 2)``.
    Raises ``ValueError`` as ``helpers.conv_output_size`` does. Introduced in 03_convolution_arithmetic.
    """
    from helpers import conv_output_size

    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    out = conv_output_size(n, k, s, p, d)
    return ("output size = floor((n + 2p − d(k − 1) − 1) / s) + 1",
            f"= floor(({n} + 2·{p} − {d}·({k} − 1) − 1) / {s}) + 1 = {out}", out)


def _gif_font(size: int, bold: bool = False):
    """DejaVu Sans from matplotlib's own fonts: the same glyphs on every machine."""
    from pathlib import Path

    import matplotlib
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name), size)


def conv_gif_frames(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1,
                    title: str = "", values: torch.Tensor | None = None, cell: int = GIF_CELL):
    """The frames of a convolution (or, with ``values``, max-pool) animation and their layout.

    One frame per output cell, row by row: the input (light blue, ``size`` x ``size``) with its
    padding (white, dashed) below left; the kernel's taps on it in dark blue (with dilation, the
    cells between taps stay light) inside the outline of its span; thin lines to the output grid
    on the right, where finished cells are light green, the current one dark green and the rest
    white. Above: ``title``, the output-size formula and the formula with the numbers filled in.
    With ``values`` (a ``size`` x ``size`` integer tensor) each input cell shows its number, the
    window's largest is ringed in vermillion and each finished output cell shows its maximum.
    Input cells the kernel never reaches (the floor in the formula drops them) are grey, crossed.
    The heading is ``title`` followed by the five numbers (n, k, p, s, d).
    Returns ``(frames, layout)``: palette ("P") PIL images and a ``ConvLayout``.
    Introduced in 03_convolution_arithmetic; draws imgs/*.gif.
    """
    from PIL import Image, ImageDraw

    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    formula, filled, out = conv_formula(n, k, s, p, d)
    if values is not None:
        values = torch.as_tensor(values)
        if tuple(values.shape) != (n, n) or p:
            raise ValueError(f"values must be {n}x{n} and padding 0 for a pooling picture")
    full, span = n + 2 * p, d * (k - 1) + 1
    covered = {(r * s + i, c * s + j) for r in range(out) for c in range(out)
               for i in range(span) for j in range(span)}
    layout_unused = sorted({(r, c) for r in range(p, p + n) for c in range(p, p + n)} - covered)
    colour = {name: tuple(int(h[i:i + 2], 16) for i in (1, 3, 5)) for name, h in _GIF_PALETTE.items()}
    big, small, bold = _gif_font(15), _gif_font(13), _gif_font(15, bold=True)
    margin, gap, top = 16, 3 * cell, 16 + 3 * 22 + 14
    heading = f"{title}: n={n}, k={k}, p={p}, s={s}, d={d}" if title else f"n={n}, k={k}, p={p}, s={s}, d={d}"
    width = max(margin * 2 + (full + out) * cell + gap, 20 + int(big.getlength(filled)) + 2 * margin,
                8 + int(big.getlength(formula)) + 2 * margin, 8 + int(bold.getlength(heading)) + 2 * margin)
    height = top + full * cell + 40 + (17 if layout_unused else 0)
    layout = ConvLayout(input_xy=(margin, top), output_xy=(margin + full * cell + gap, top + (full - out) * cell // 2),
                        padded=full, out=out, cell=cell)
    layout.unused = layout_unused
    unused = set(layout_unused)
    pal = Image.new("P", (1, 1))
    flat = [v for c in colour.values() for v in c]
    pal.putpalette(flat + flat[:3] * (256 - len(colour)))
    frames = []
    for index in range(out * out):
        row, col = divmod(index, out)
        taps = [(row * s + i, col * s + j) for i in range(0, span, d) for j in range(0, span, d)]
        image = Image.new("RGB", (width, height), colour["background"])
        draw = ImageDraw.Draw(image)
        draw.text((margin, 12), heading, font=bold, fill=colour["text"])
        draw.text((margin, 12 + 24), formula, font=big, fill=colour["text"])
        draw.text((margin + 12, 12 + 46), filled, font=big, fill=colour["text"])
        x0, y0 = layout.input_xy
        for r in range(full):
            for c in range(full):
                box = [x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell]
                inside = p <= r < p + n and p <= c < p + n
                fill = colour["tap"] if (r, c) in taps else colour["input"] if inside else colour["background"]
                draw.rectangle(box, fill=colour["unused"] if (r, c) in unused else fill)
                if (r, c) in unused:  # never under the kernel: grey, crossed out
                    draw.line([box[0] + 6, box[1] + 6, box[2] - 6, box[3] - 6], fill=colour["grey1"], width=2)
                    draw.line([box[0] + 6, box[3] - 6, box[2] - 6, box[1] + 6], fill=colour["grey1"], width=2)
                if inside:
                    draw.rectangle(box, outline=colour["grid"])
                else:  # padding: a dashed outline
                    for t in range(0, cell, 6):
                        draw.line([box[0] + t, box[1], min(box[0] + t + 3, box[2]), box[1]], fill=colour["grid"])
                        draw.line([box[0] + t, box[3], min(box[0] + t + 3, box[2]), box[3]], fill=colour["grid"])
                        draw.line([box[0], box[1] + t, box[0], min(box[1] + t + 3, box[3])], fill=colour["grid"])
                        draw.line([box[2], box[1] + t, box[2], min(box[1] + t + 3, box[3])], fill=colour["grid"])
                if values is not None:
                    v = int(values[r - p, c - p])
                    window = [int(values[i - p, j - p]) for i, j in taps]
                    ring = (r, c) in taps and v == max(window) and [(i, j) for i, j in taps
                                                                    if int(values[i - p, j - p]) == v][0] == (r, c)
                    if ring:
                        draw.ellipse([box[0] + 3, box[1] + 3, box[2] - 3, box[3] - 3], outline=colour["max"], width=3)
                    draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), str(v), font=big, anchor="mm",
                              fill=colour["tap_text"] if (r, c) in taps else colour["text"])
        fx0, fy0 = x0 + col * s * cell, y0 + row * s * cell
        draw.rectangle([fx0, fy0, fx0 + span * cell, fy0 + span * cell], outline=colour["text"], width=2)
        ox, oy = layout.output_xy
        for r in range(out):
            for c in range(out):
                box = [ox + c * cell, oy + r * cell, ox + (c + 1) * cell, oy + (r + 1) * cell]
                state = "current" if (r, c) == (row, col) else "done" if r * out + c < index else "todo"
                draw.rectangle(box, fill=colour[state], outline=colour["grid"])
                if values is not None and state != "todo":
                    rr, cc = r * s, c * s
                    v = max(int(values[rr + i - p, cc + j - p]) for i in range(0, span, d) for j in range(0, span, d))
                    draw.text(((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), str(v), font=big, anchor="mm",
                              fill=colour["tap_text"] if state == "current" else colour["text"])
        cx = ox + col * cell
        draw.rectangle([cx, oy + row * cell, cx + cell, oy + (row + 1) * cell], outline=colour["text"], width=2)
        for fy, cy in ((fy0, oy + row * cell), (fy0 + span * cell, oy + (row + 1) * cell)):
            draw.line([fx0 + span * cell, fy, cx, cy], fill=colour["grey2"], width=1)
        below = y0 + full * cell + 8
        notes = [f"input {n}x{n}" + (f", padding {p} (dashed)" if p else "")]
        notes += ["crossed: never under the kernel"] if unused else []
        for i, note in enumerate(notes):
            draw.text((x0, below + 17 * i), note, font=small, fill=colour["text"])
        draw.text((ox, max(below, oy + out * cell + 8)), f"output {out}x{out}", font=small, fill=colour["text"])
        frames.append(image.quantize(palette=pal, dither=Image.Dither.NONE))
        layout.frames.append({"out": (row, col), "taps": taps})
    return frames, layout


def save_gif(frames, path, ms: int = 700, last_ms: int = 1800) -> None:
    """Write ``frames`` as a looping GIF: ``ms`` per frame, ``last_ms`` on the last one.
    Introduced in 03_convolution_arithmetic; used by tools/make_imgs.py."""
    durations = [ms] * (len(frames) - 1) + [last_ms]
    frames[0].save(path, format="GIF", save_all=True, append_images=frames[1:], duration=durations,
                   loop=0, optimize=False, disposal=1)


# ---- Training curves and results (07_training_lenet_on_mnist) -----------------------------

def draw_training_curves(history: dict, steps_per_epoch: int, chunks_per_epoch: int = 5, axes=None):
    """Two panels from a training ``history``: left, the training loss (mean of every
    ``steps_per_epoch / chunks_per_epoch`` steps, and each epoch's mean) and the validation loss on a
    log scale; right, the validation accuracy after each epoch against a dashed 99 % line.

    ``history`` holds ``step_loss`` (one per step) and, one per epoch, ``train_loss``, ``val_loss``
    and ``val_acc``. Returns the figure. Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(1, 2, figsize=(7.2, 2.6))
    ax1, ax2 = axes
    steps = torch.tensor(history["step_loss"])
    bounds = torch.linspace(0, len(steps), len(history["train_loss"]) * chunks_per_epoch + 1).round().long()
    means = [steps[a:b].mean().item() for a, b in zip(bounds[:-1], bounds[1:])]
    centres = [(a + b) / 2 / steps_per_epoch for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    epochs = range(1, len(history["train_loss"]) + 1)
    ax1.plot(centres, means, color=OKABE_ITO[0], ls="-", lw=1.2, label="train (running)")
    ax1.plot([e - 0.5 for e in epochs], history["train_loss"], color=OKABE_ITO[0], ls="--", marker="o",
             label="train (epoch mean)")
    ax1.plot(epochs, history["val_loss"], color=OKABE_ITO[1], ls=":", marker="s", label="validation")
    ax1.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="Loss", xticks=list(range(len(epochs) + 1)))
    ax1.legend()
    ax2.plot(epochs, [100 * a for a in history["val_acc"]], color=OKABE_ITO[1], ls=":", marker="s",
             label="validation")
    ax2.axhline(99, color="grey", ls="--", lw=1, label="99 %")
    ax2.set(xlabel="epoch", ylabel="accuracy (%)", title="Validation accuracy", xticks=list(epochs))
    ax2.legend(loc="lower right")
    return ax1.figure


def draw_one_cycle(lr: list[float], beta1: list[float], steps_per_epoch: int, axes=None):
    """The one-cycle schedule as recorded at every step: the learning rate (top) and Adam's β1
    (bottom) against the epoch, with a dotted line where the learning rate peaks.
    Returns the figure. Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        fig, axes = plt.subplots(2, 1, figsize=(5.6, 2.9), sharex=True)
    x = [i / steps_per_epoch for i in range(len(lr))]
    peak = x[max(range(len(lr)), key=lr.__getitem__)]
    axes[0].plot(x, lr, color=OKABE_ITO[0], ls="-")
    axes[0].set(ylabel="learning rate", title="One cycle: the learning rate rises, then anneals; β1 mirrors it")
    axes[1].plot(x, beta1, color=OKABE_ITO[5], ls="--")
    axes[1].set(xlabel="epoch", ylabel="Adam's β1")
    for ax in axes:
        ax.axvline(peak, color="grey", ls=":", lw=1)
    return axes[0].figure


def draw_confusion(confusion: torch.Tensor, ax=None):
    """A 10x10 confusion matrix (rows true, columns predicted) on a logarithmic colour scale, with
    every non-zero count written in its cell at 9 pt or more (dark text on the bright diagonal).
    Returns the figure. Introduced in 07_training_lenet_on_mnist.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    if ax is None:
        fig, ax = plt.subplots(figsize=(4.8, 4.4))
    ax.imshow((confusion + 1).numpy(), cmap="viridis", norm=LogNorm())
    for t in range(confusion.shape[0]):
        for p in range(confusion.shape[1]):
            n = int(confusion[t, p])
            if n:
                ax.text(p, t, str(n), ha="center", va="center", fontsize=9 if t == p else 10,
                        color="black" if t == p else "white")
    mistakes = int(confusion.sum() - confusion.trace())
    ax.set(xticks=range(10), yticks=range(10), xlabel="predicted digit", ylabel="true digit",
           title=f"Confusion matrix ({mistakes} mistakes)")
    return ax.figure
