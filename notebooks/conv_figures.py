"""Figures of 03_convolution_arithmetic: the convolution explorer, a window times a kernel,
max pooling and receptive fields.

Each function draws what the notebook has first computed in plain PyTorch. Sizes come from
``helpers.conv_output_size``, colours from ``figure_style``. Unit tests: tests/test_conv_figures.py.
"""
from __future__ import annotations

import torch
from torch import nn

from figure_style import OKABE_ITO, PALE
from helpers import check_conv_args, conv_output_size


def describe_conv(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                  dilation: int = 1) -> str:
    """The text the convolution explorer prints: the formula with the numbers filled in.

    Lines: the formula; its numbers and result; the padded input and the kernel's span; what
    the floor drops, if anything; the rows and columns dilation's gaps skip, if any; the shape a real ``nn.Conv2d`` gives for a ``(1, 1, size,
    size)`` input. An invalid combination gives a line ``invalid: <conv_output_size's reason>``
    right after the formula (before its meaningless number), and nn.Conv2d's own refusal. The global random state is left as it was.
    Introduced in 03_convolution_arithmetic.
    """
    n, k, s, p, d = size, kernel_size, stride, padding, dilation
    lines = ["output size = floor((n + 2p - d(k - 1) - 1) / s) + 1"]
    try:
        check_conv_args(n, k, s, p, d)
    except ValueError as exc:
        return "\n".join(lines + [f"invalid: {exc}"])
    top, span = n + 2 * p - d * (k - 1) - 1, d * (k - 1) + 1
    lines += [f"n={n}, k={k}, p={p}, s={s}, d={d}: floor(({n} + 2*{p} - {d}*({k} - 1) - 1) / {s}) + 1"
              f" = floor({top} / {s}) + 1 = {top // s + 1}",
              f"padded input n + 2p = {n + 2 * p}, kernel span d(k - 1) + 1 = {span}"]
    try:
        conv_output_size(n, k, s, p, d)
    except ValueError as exc:
        lines.insert(1, f"invalid: {exc}")  # first, before the formula's meaningless number
    else:
        read = _read_lines(n + 2 * p, k, s, d)
        if top % s:
            last = "row and column" if top % s == 1 else _rows_cols(top % s)
            lines.append(f"the floor drops {top % s}: the last {last} of "
                         "the padded input are never under the kernel")
        gaps = [i for i in range(n + 2 * p - top % s) if i not in read]
        if gaps:
            lines.append(f"the taps step over {_rows_cols(len(gaps))} inside the reach, never read: "
                         f"{', '.join(map(str, gaps))} ("
                         + ("dilation's gaps" if s <= span else "the stride is longer than the kernel's span") + ")")
    conv = f"nn.Conv2d(1, 1, kernel_size={k}, stride={s}, padding={p}, dilation={d})"
    with torch.random.fork_rng(devices=[]), torch.no_grad():  # the layer's init draws numbers
        try:
            shape = tuple(nn.Conv2d(1, 1, k, s, p, d)(torch.zeros(1, 1, n, n)).shape)
            lines.append(f"{conv} maps (1, 1, {n}, {n}) to {shape}")
        except RuntimeError as exc:
            lines.append(f"{conv} refuses it too: {str(exc).splitlines()[0]}")
    return "\n".join(lines)



def _rows_cols(m: int) -> str:
    """'1 row and column' or 'm rows and columns'."""
    return f"{m} row and column" if m == 1 else f"{m} rows and columns"


def _read_lines(full: int, k: int, s: int, d: int) -> set[int]:
    """Indices of the padded input's rows (or columns) that some kernel tap reads."""
    out = (full - d * (k - 1) - 1) // s + 1
    return {start * s + d * t for start in range(max(out, 0)) for t in range(k)}


def draw_conv(size: int, kernel_size: int, stride: int = 1, padding: int = 0, dilation: int = 1,
              out_row: int = 0, out_col: int = 0, axes=None):
    """Draw the padded input, the kernel's footprint for one output cell, and the output grid.

    Left image codes: 0 padding, 1 input, 2 kernel tap on padding, 3 kernel tap on input;
    right image: 1 marks the chosen output cell. Cells that no kernel tap reads (the rows and
    columns the formula's floor drops, and those between dilated taps) are crossed out. An ``out_row``/``out_col`` outside the output is
    moved to the nearest cell, and the output's title says so. If the kernel does not fit, its outline overflows in red and there is no output.
    Returns the two axes. Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Rectangle

    check_conv_args(size, kernel_size, stride, padding, dilation)
    if axes is None:
        # Fixed axes boxes, no layout engine: the figure keeps its 6-inch width whatever the sliders
        # set (the images keep their aspect inside the boxes), so it stays under 780 px as shown.
        fig = plt.figure(figsize=(6.0, 3.4), layout="none")
        axes = fig.add_axes((0.09, 0.25, 0.5, 0.66)), fig.add_axes((0.66, 0.25, 0.32, 0.6))
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
    ax_in.imshow(grid.numpy(), cmap=ListedColormap(["white", PALE["blue"], "#fdae6b", orange]), vmin=0, vmax=3)  # padding white, as in the GIFs
    read = _read_lines(full, kernel_size, stride, dilation)
    unread = [(r, c) for r in range(full) for c in range(full) if r not in read or c not in read] if out else []
    if unread:  # cells no kernel tap reads: past the last position (the floor) or between dilated taps
        ax_in.plot([c for _, c in unread], [r for r, _ in unread], "x", color="0.3", ms=5, mew=1,
                   label="never read")
    ax_in.add_patch(Rectangle((col * stride - 0.5, row * stride - 0.5), span, span, lw=2,
                              ec=orange if out else "red", fill=not out, fc=(1, 0, 0, 0.2),
                              hatch=None if out else "//"))
    edge = max(full, span) - 0.5
    ax_in.set(xlim=(-0.5, edge), ylim=(edge, -0.5), xlabel="column\n(pale blue: input; white: padding;\norange: taps, pale on padding"
              + ("; x: never read)" if unread else ")"),
              ylabel="row", title=f"padded input {full}x{full}" + ("" if out else f": kernel span {span} > {full}"))
    chosen = torch.zeros(max(out, 1), max(out, 1))
    chosen[row, col] = float(out > 0)
    ax_out.imshow(chosen.numpy(), cmap=ListedColormap(["white", orange]), vmin=0, vmax=1)
    title = f"output {out}x{out}, cell ({row}, {col})" if out else "no output"
    if out and (row, col) != (out_row, out_col):
        title += f"\n(asked ({out_row}, {out_col}) is outside:\nthe nearest cell)"
    ax_out.set(title=title,
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
    whole channel and the window under the kernel outlined on it, the window's values, the kernel's
    channel, and their elementwise products (each cell of the last three labelled with its value, to
    1 decimal); the title adds up all products and the bias, to the fewest decimals (3 or more) at
    which the two printed parts add up to the printed total.

    ``x`` is one image ``(C, H, W)``, ``w`` the filters ``(F, C, k, k)``, ``b`` the biases ``(F,)``.
    One diverging scale centred on 0 is shared by every panel. Returns the figure.
    Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    channels, k = x.shape[0], w.shape[-1]
    window = x[:, row:row + k, col:col + k]
    kernel = w[filter]
    products = window * kernel
    scale = float(max(x.abs().max(), kernel.abs().max(), products.abs().max()))
    cmap = plt.get_cmap("RdBu_r", 9)

    def write(ax, values, top, left):
        for i in range(values.shape[0]):
            for j in range(values.shape[1]):
                v = float(values[i, j])
                ax.text(left + j, top + i, f"{v:.1f}".replace("-0.0", "0.0"), ha="center", va="center",
                        fontsize=9, color="white" if abs(v) > 0.6 * scale else "black")

    fig, axes = plt.subplots(channels, 4, figsize=(7.2, 1.45 * channels + 0.45), squeeze=False)
    for c in range(channels):
        whole = axes[c][0]
        whole.imshow(x[c].detach().numpy(), cmap=cmap, vmin=-scale, vmax=scale)
        whole.add_patch(Rectangle((col - 0.5, row - 0.5), k, k, fill=False, ec="black", lw=2.5))
        whole.set(title=f"x[{c}], window outlined", xticks=[], yticks=[])
        whole.set_ylabel(f"channel {c}")
        panels = ((window[c], f"x[{c}, {row}:{row + k}, {col}:{col + k}]"), (kernel[c], f"× w[{filter}, {c}]"),
                  (products[c], "= products"))
        for ax, (values, title) in zip(axes[c][1:], panels):
            ax.imshow(values.detach().numpy(), cmap=cmap, vmin=-scale, vmax=scale)
            write(ax, values.detach(), 0, 0)
            ax.set(title=title, xticks=[], yticks=[])
    summed, bias = products.sum().item(), b[filter].item()
    digits = next(d for d in range(3, 8)  # the fewest decimals at which the printed parts add up as printed
                  if f"{round(summed, d) + round(bias, d):.{d}f}" == f"{summed + bias:.{d}f}")
    fig.suptitle(f"all {products.numel()} products add up to {summed:.{digits}f}; + bias {bias:.{digits}f}"
                 f" = {summed + bias:.{digits}f} = output ({filter}, {row}, {col})")
    return fig


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


def conv_explorer():
    """The convolution explorer: sliders for size, kernel, stride, padding, dilation and one output
    cell; each release prints ``describe_conv`` and shows ``draw_conv`` for the sliders' values.

    Returns the ``ipywidgets.interactive`` (show it as a cell's last value).
    Introduced in 03_convolution_arithmetic.
    """
    import ipywidgets as widgets

    import figure_style

    def explore(size, kernel, stride, padding, dilation, out_row, out_col):
        print(describe_conv(size, kernel, stride, padding, dilation))
        axes = draw_conv(size, kernel, stride, padding, dilation, out_row, out_col)
        figure_style.show(axes[0].figure, alt="The padded input with the kernel's taps for the chosen output cell "
                          "(left) and the output grid with that cell (right), for the sliders' values.")

    sliders = {"size": (7, 1, 32, "input size"), "kernel": (3, 1, 7, "kernel"), "stride": (2, 1, 4, "stride"),
               "padding": (1, 0, 3, "padding"), "dilation": (1, 1, 3, "dilation"), "out_row": (1, 0, 38, "out row"),
               "out_col": (2, 0, 38, "out col")}
    return widgets.interactive(explore, **{name: widgets.IntSlider(value=v, min=lo, max=hi, description=label,
                                                                   continuous_update=False)  # redraw on release
                                          for name, (v, lo, hi, label) in sliders.items()})


def draw_field_growth(layers: list, size: int = 28, unit: int = 2):
    """Draw, layer by layer, which units one unit of the last layer reads, along one dimension.

    ``layers`` is a list of ``(name, kernel, stride, padding)`` from the input up (no dilation);
    ``unit`` is the index of the unit of the last layer to follow. One row per layer, input at the
    bottom (padding white); each unit sits at the centre of its receptive field in input pixels, so
    its neighbours are ``j`` (the jump) pixels apart; the units the chosen one depends on are orange,
    joined by lines to the first and the last unit they read. Beside each row: its ``r`` and ``j``.
    Returns the figure. Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt

    rows = [("input", size, 1, 1, 0.0)]  # name, units, r, j, first field's start
    for name, k, s, p in layers:
        _, n, r, j, start = rows[-1]
        rows.append((name, conv_output_size(n, k, s, p), r + (k - 1) * j, j * s, start - p * j))
    used = [{unit}]  # the units of each layer (from the top) that the chosen unit depends on
    for (_, k, s, p), (_, n, *_) in zip(reversed(layers), reversed(rows[:-1])):
        used.append({i * s - p + u for i in used[-1] for u in range(k)})
    used = used[::-1]
    fig, ax = plt.subplots(figsize=(6.0, 2.2))
    orange, grey = OKABE_ITO[1], "0.75"
    centre = lambda level, i: rows[level][4] + i * rows[level][3] + (rows[level][2] - 1) / 2
    pad = layers[0][3]  # the input's padding, drawn white
    for level, (name, n, r, j, start) in enumerate(rows):
        units = range(-pad, n + pad) if level == 0 else range(n)
        ax.scatter([centre(level, i) for i in units], [level] * len(units), s=12, marker="s",
                   c=[grey if 0 <= i < n else "white" for i in units], edgecolors="0.5", linewidths=[
                       0 if 0 <= i < n else 0.6 for i in units], zorder=2)
        ax.scatter([centre(level, i) for i in sorted(used[level])], [level] * len(used[level]), s=22, marker="s",
                   c=orange, linewidths=0, zorder=3)
        ax.text(size + pad + 1, level, f"r = {r}, j = {j}", va="center", fontsize=9)
        ax.text(-pad - 1.5, level, name, va="center", ha="right", fontsize=9)
        if level:
            _, k, s, p = layers[level - 1]
            for i in used[level]:  # each unit to the first and the last of the k units it reads
                for u in (0, k - 1):
                    ax.plot([centre(level, i), centre(level - 1, i * s - p + u)], [level, level - 1],
                            color=orange, ls="-", lw=0.6, zorder=1)
    seen = sorted(used[0])
    ax.set(xlim=(-pad - 7, size + pad + 9), ylim=(-0.6, len(rows) - 0.4), yticks=[],
           xticks=sorted({-pad, 0, seen[0], seen[-1], size - 1}),
           xlabel="input column (white: padding)")
    for spine in ("left", "right", "top"):
        ax.spines[spine].set_visible(False)
    return fig


def draw_receptive_fields(digit: torch.Tensor | None, paths: torch.Tensor | None, fields: dict, padding: int = 0,
                          unit: str = "one unit"):
    """Draw receptive fields on a digit (left) and a map of path counts to one unit (right). With
    ``paths=None`` only the digit panel is drawn, with ``digit=None`` only the paths panel.

    ``fields`` maps a label to ``(first row, first column, width)`` in input pixels (it may start
    in the padding). The ``padding`` ring around the digit is drawn grey, as ``draw_conv`` draws
    padding. ``paths`` (28x28, for each pixel the unit's response to an image that is 1 at that pixel
    and 0 elsewhere, through all-positive weights) is drawn with viridis and a colour bar, titled
    "paths to ``unit``". Returns the figure.
    Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    if paths is None:
        fig, ax_digit = plt.subplots(figsize=(3.2, 3.8))
    elif digit is None:
        fig, ax_paths = plt.subplots(figsize=(3.6, 3.1))
    else:
        fig, (ax_digit, ax_paths) = plt.subplots(1, 2, figsize=(6.6, 3.7))
    if digit is not None:
        height, width = digit.shape
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
        fig.legend(handles=handles, loc="outside lower center", ncol=1 if paths is None else len(handles),
                   frameon=False)
    if paths is not None:
        image = ax_paths.imshow(torch.as_tensor(paths).numpy(), cmap="viridis")
        fig.colorbar(image, ax=ax_paths, shrink=0.8, label="response to a lone 1 (∝ paths)")
        ax_paths.set(title=f"paths to {unit}", xlabel="column", ylabel="row")
    return fig


def draw_shifted_maps(image: torch.Tensor, shifted: torch.Tensor, kernel: torch.Tensor, shift: int = 3,
                      guide: int | None = None):
    """One kernel on an image and on its copy ``shift`` pixels right, side by side: the two images
    (grey) above, the two output maps of ``F.conv2d(., kernel, padding=k // 2)`` below on ONE
    diverging scale centred on 0 (figure_style.signed_scale), with a colour bar. With ``guide``, a
    dashed vertical line marks that column on the left and column ``guide + shift`` on the right,
    each with its own x tick, so the shift is seen without counting. ``image`` and ``shifted`` are (1, 1, H, W),
    ``kernel`` is (k, k). Returns the figure. Introduced in 03_convolution_arithmetic.
    """
    import matplotlib.pyplot as plt
    import torch.nn.functional as F

    from figure_style import signed_scale

    weight = kernel.view(1, 1, *kernel.shape)
    maps = [F.conv2d(t, weight, padding=kernel.shape[-1] // 2)[0, 0] for t in (image, shifted)]
    fig, axes = plt.subplots(2, 2, figsize=(5.6, 5.5), layout="constrained")
    scale = signed_scale(*maps)
    for col, (picture, out, name) in enumerate(zip((image, shifted), maps, ("digit", f"digit, {shift} px right"))):
        axes[0, col].imshow(picture[0, 0].numpy(), cmap="gray", vmin=0, vmax=1)
        axes[0, col].set_title(name)
        im = axes[1, col].imshow(out.detach().numpy(), **scale)
        axes[1, col].set_title("vertical-edge map")
        if guide is not None:
            for ax in axes[:, col]:
                ax.axvline(guide + col * shift, color=OKABE_ITO[2], ls="--", lw=1.5)
    for col, ax_pair in enumerate(axes.T):
        ticks = list(range(0, 28, 7))
        if guide is not None:  # the guide's column gets a tick; a regular tick too close to it goes
            ticks = sorted([t for t in ticks if abs(t - guide - col * shift) > 2] + [guide + col * shift])
        for ax in ax_pair:
            ax.set(xticks=ticks, yticks=range(0, 28, 7))
        ax_pair[1].set_xlabel("column")
    for ax in axes[:, 0]:
        ax.set_ylabel("row")
    fig.colorbar(im, ax=axes[1], label="output (shared scale; white = 0)", shrink=0.8)
    return fig
