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


def use_style() -> None:
    """Set the collection's figure style: sharp inline output, fonts of 9 pt or more,
    constrained layout, the Okabe-Ito colour cycle. Called once by each notebook's setup cell
    (``import drawing`` calls it). Introduced in 00_start_here.
    """
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update({
        "font.size": 10, "axes.titlesize": 11, "axes.labelsize": 10, "xtick.labelsize": 9,
        "ytick.labelsize": 9, "legend.fontsize": 9, "figure.titlesize": 12,
        "figure.constrained_layout.use": True, "image.interpolation": "nearest",
        "axes.prop_cycle": cycler(color=OKABE_ITO[:6]) + cycler(linestyle=["-", "--", ":", "-.", "-", "--"]),
    })
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None and "inline" in str(mpl.get_backend()).lower():
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['retina']")


def show(fig, alt: str) -> None:
    """Show ``fig`` in the notebook with ``alt`` as its alt text, then close it.

    ``alt`` is one sentence saying what the figure shows, for a screen reader and for pages
    that render the notebook; it is stored in the output's metadata (``image/png`` → ``alt``,
    which nbconvert and the site read) and as its plain-text form. Outside IPython the figure
    is shown with ``plt.show()``. Introduced in 00_start_here.
    """
    import matplotlib.pyplot as plt

    if not isinstance(alt, str) or len(alt.strip()) < 10:
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
    data, metadata = shell.display_formatter.format(fig)
    images = [mime for mime in data if mime.startswith("image/")]
    for mime in images:
        metadata[mime] = {**metadata.get(mime, {}), "alt": alt}
    data["text/plain"] = alt
    display(data, raw=True, metadata=metadata)
    plt.close(fig)


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
        _, axes = plt.subplots(1, 2, figsize=(8, 4), width_ratios=(3, 2))
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
        ax.tick_params(which="both", length=0, labelsize=7)
    if not out:
        ax_out.set(xticks=[], yticks=[])
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
        fig, ax = plt.subplots(figsize=(1.9 * (hi - lo + 1), 0.42 * (depth + 1) + 0.3))
        fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - 0.3 / fig.get_figheight())
    boxes = []
    for i, node in enumerate(graph.nodes):
        leaf = node.name == "AccumulateGrad"
        text = f"{node.name}\n{node.label}" if node.label else node.name
        boxes.append(ax.text(col[i], -row[i], text, ha="center", va="center", fontsize=8, zorder=2,
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


def bowl_descent(lr: float, steps: int = LR_STEPS) -> tuple[list[float], torch.Tensor]:
    """Gradient descent on ``bowl_problem()`` from ``w = 0``: ``loss.backward()``, ``w -= lr * w.grad``.

    Returns the loss before each step and after the last (``steps + 1`` floats) and the weights
    visited, shape ``(steps + 1, 2)``. Introduced in 06_manual_weight_updates.
    """
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr < math.inf:
        raise ValueError(f"lr must be a positive number such as 0.1, got {lr!r}")
    X, y = bowl_problem()
    w = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    losses, path = [], [w.detach().clone()]
    for step in range(steps + 1):
        loss = ((X @ w - y) ** 2).mean()
        losses.append(loss.item())
        if step < steps:
            loss.backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad = None
            path.append(w.detach().clone())
    return losses, torch.stack(path)


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


