"""Figures of 02_lenet: LeNet drawn from a real forward pass (every stage, ReLU and pooling), and
its parameter and multiply-add shares as two bars; and 00_start_here's digit beside a crop of its
pixels written as numbers.

``lenet_stages`` reads what a model does with ``helpers.record_forward``, the same record
``helpers.shape_trace`` reads, so the drawing and the shape table cannot disagree.
Unit tests: tests/test_lenet_figures.py.
"""
from __future__ import annotations

import math

import torch
from torch import nn

from figure_style import OKABE_ITO, PALE
from helpers import changes_shape, record_forward, shape_trace


PAPER_NAMES = {"conv1": "C1", "pool1": "S2", "conv2": "C3", "pool2": "S4", "fc1": "C5",
               "fc2": "F6", "fc3": "OUTPUT"}
"""The 1998 paper's names for ``helpers.LeNet``'s layers (the paper's C5 is our ``fc1``)."""



def _describe_call(name: str, args: tuple, kwargs: dict) -> str:
    if name == "max_pool2d":
        k = args[1] if len(args) > 1 else kwargs.get("kernel_size")
        k = k if isinstance(k, (tuple, list)) else (k, k)
        return f"max pool\n{k[0]}x{k[1]}"
    if name in ("view", "reshape", "flatten"):
        return "flatten"
    return name


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
    with torch.no_grad(), record_forward(model) as events:
        model(x)
    steps = []
    for event in events:
        name = getattr(event.func, "__name__", "")
        if isinstance(event.module, nn.ReLU) or name in ("relu", "relu_"):
            steps.append(("ReLU", None, None))
        elif event.module is not None:
            steps.append((event.name, _describe_module(event.module), tuple(event.output.shape)))
        elif changes_shape(event):
            steps.append((event.name, _describe_call(name, event.args, event.kwargs), tuple(event.output.shape)))
    stages, pending = [{"name": "input", "shape": tuple(x.shape[1:]), "ops": []}], []
    for name, op, shape in steps:
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
                 highlight: str | None = None, relu_lift: float = 0.04) -> float:
    """Draw ``stages`` left to right from ``x0`` on ``ax``; a map of height h is a square of side
    ``h * unit``, a vector of n units a bar of height ``0.0707 * sqrt(n)`` (400 units: 1.41), and
    "ReLU" ``relu_lift`` above its stage. Returns the x where the drawing ends."""
    from matplotlib.patches import Rectangle

    paper = set(PAPER_NAMES) <= {s["name"] for s in stages}
    step, x, edges = 0.07, x0, []
    for i, stage in enumerate(stages):
        shape = stage["shape"]
        if len(shape) == 3:
            channels, height, width = shape
            shown = min(channels, 4)
            w, h = width * unit, height * unit
            for j in reversed(range(shown)):
                ax.add_patch(Rectangle((x + step * j, -h / 2 + step * j), w, h, lw=0.9, ec=OKABE_ITO[0],
                                       fc=PALE["blue"] if j else "white", label="_map"))
            right, top = x + w + step * (shown - 1), h / 2 + step * (shown - 1)
        else:
            w, h = 0.16, 0.0707 * math.sqrt(shape[0])
            ax.add_patch(Rectangle((x, -h / 2), w, h, lw=0.9, ec="0.3", fc=OKABE_ITO[1], hatch="///",
                                   label="_vector"))
            right, top = x + w, h / 2
        bold = highlight is not None and stage["name"] == highlight
        ax.text((x + right) / 2, -0.85, _stage_label(stage, paper), ha="center", va="top", fontsize=9,
                fontweight="bold" if bold else "normal")
        # a ReLU is drawn on the stage whose output it rectifies, never on the next layer's arrow
        if "ops_after" in stage or (i + 1 < len(stages) and "ReLU" in stages[i + 1]["ops"]):
            ax.text((x + right) / 2, top + relu_lift, "ReLU", ha="center", va="bottom", fontsize=9,
                    color=OKABE_ITO[5], fontweight="bold")
        edges.append((x, right, top))
        x = right + gap
    for (_, right, _), (left, _, _), stage in zip(edges, edges[1:], stages[1:]):
        ax.annotate("", xy=(left - 0.04, 0), xytext=(right + 0.04, 0),
                    arrowprops=dict(arrowstyle="-|>", color="0.25", lw=1, mutation_scale=10))
        mid = (right + left) / 2
        layer = [op for op in stage["ops"] if op not in ("ReLU", "flatten")]
        if layer:  # "max pool" on two lines: one line is wider than the gap between two stacks
            ax.text(mid, 0.08, "\n".join(layer).replace("max pool", "max\npool"), ha="center",
                    va="bottom", fontsize=9)
    return edges[-1][1]


def draw_lenet(model: nn.Module | None = None, x: torch.Tensor | None = None, ax=None):
    """Draw ``model``'s architecture from the shapes it really produces on ``x``.

    Defaults: ``helpers.LeNet()`` on a ``(1, 1, 28, 28)`` batch of zeros. Each feature-map stage
    is a stack of squares (at most four shown) whose sides are proportional to the map's height
    and width, so pooling's halving shows; each vector stage is a hatched bar (height ∝ √units).
    Over each arrow: the layer that makes the next stage, read from the layer or the call; over
    a stage, "ReLU" (bold, vermillion) when a ReLU is applied to that stage's output (so a ReLU on
    the output layer shows on the last stage). Stages are named after the paper (C1 … OUTPUT)
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
    ax.set(xlim=(-0.1, end + 0.35), ylim=(-1.45, 1.4), aspect="equal")
    ax.axis("off")
    return ax


def draw_lenet_family(nets, axes=None):
    """Draw several LeNets one under the other on one scale, e.g. the three of 02_lenet §2.

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
        # rows are lower than the single diagram: "ReLU" a little higher clears the "linear" labels
        ends.append(_draw_stages(ax, stages, unit=1.4 / height, highlight=fed, relu_lift=0.14))
        ax.set_title(title, fontsize=10, loc="left")
        ax.axis("off")
    for ax in axes:
        ax.set(xlim=(-0.1, max(ends) + 0.35), ylim=(-1.45, 1.4), aspect="equal")
    return axes


def draw_digit_maps(digit: torch.Tensor, maps: torch.Tensor, title: str = "input", show_max: bool = False):
    """Draw one digit beside the feature maps a layer makes of it, in one row.

    ``digit`` is ``(H, W)`` (gray), ``maps`` is ``(C, H', W')`` (viridis, each map on its own
    scale, titled "C1 map k", with "(all 0)" under the title of a map that is 0 everywhere, since its
    own scale would draw it like a map that is low everywhere). ``show_max``: write each other map's
    maximum, to 2 decimals, under its title ("max 1.16"), so the figure shows its scales. Returns the
    axes. Introduced in 02_lenet §1.
    """
    import matplotlib.pyplot as plt

    _, axes = plt.subplots(1, 1 + len(maps), figsize=(7.2, 1.6))
    axes[0].imshow(digit.detach().numpy(), cmap="gray")
    axes[0].set_title(title)
    for k, (ax, fmap) in enumerate(zip(axes[1:], maps)):
        ax.imshow(fmap.detach().numpy(), cmap="viridis")  # detach: a map may still track its gradient
        under = f"\nmax {fmap.max().item():.2f}" if show_max else ""
        ax.set_title(f"C1 map {k}" + ("\n(all 0)" if not fmap.any() else under))
    for ax in axes:
        ax.set_axis_off()
    return axes


def draw_digit_crop(grid, rows: tuple[int, int], cols: tuple[int, int]):
    """Draw a digit's pixel grid with the crop ``grid[rows[0]:rows[1], cols[0]:cols[1]]`` boxed
    (left), beside that crop cell by cell with each pixel's value written in it (right).

    ``grid`` is the ``(H, W)`` array of whole-number pixels (0 to 255), both panels gray on the same
    scale; the right one's ticks are the grid's own row and column numbers. Returns the two axes.
    Introduced in 00_start_here §3.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Rectangle

    grid = np.asarray(grid)
    (r0, r1), (c0, c1) = rows, cols
    crop = grid[r0:r1, c0:c1]
    aspect = crop.shape[1] / crop.shape[0] * grid.shape[0] / grid.shape[1]
    _, (left, right) = plt.subplots(1, 2, figsize=(7.2, 2.1), width_ratios=(1, aspect))
    left.imshow(grid, cmap="gray", vmin=0, vmax=255)
    left.add_patch(Rectangle((c0 - 0.5, r0 - 0.5), c1 - c0, r1 - r0, fill=False, ec=OKABE_ITO[1], lw=2,
                             label="crop"))
    left.set(title="the digit, crop boxed", xticks=[], yticks=[])
    right.imshow(crop, cmap="gray", vmin=0, vmax=255,
                 extent=(c0 - 0.5, c1 - 0.5, r1 - 0.5, r0 - 0.5))
    for i in range(r0, r1):
        for j in range(c0, c1):
            v = int(grid[i, j])
            right.text(j, i, str(v), ha="center", va="center", fontsize=9,
                       color="black" if v > 127 else "white")
    right.set(title=f"grid[{r0}:{r1}, {c0}:{c1}]: rows {r0}-{r1 - 1}, columns {c0}-{c1 - 1}",
              xticks=range(c0, c1), yticks=range(r0, r1))
    right.tick_params(length=0)
    for spine in right.spines.values():
        spine.set_edgecolor(OKABE_ITO[1])
        spine.set_linewidth(2)
    return left, right


def draw_shares(params: dict[str, int], mults: dict[str, int]):
    """Draw two stacked bars, one per count (``params``, ``mults``: layer name -> count), each
    split by layer and scaled to 100 %; a segment over 7 % is labelled inside, and a bracket above
    each bar marks ``conv1`` + ``conv2`` with their share, so the thin parameter sliver is labelled
    too. Returns the figure. Introduced in 02_lenet §5.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 2.4))
    for row, counts in enumerate((mults, params)):
        total, left = sum(counts.values()), 0.0
        for color, (name, count) in zip(OKABE_ITO, counts.items()):
            share = 100 * count / total
            ax.barh(row, share, left=left, height=0.5, color=color, edgecolor="white",
                    label=name if row == 0 else None)
            if share > 7:  # room for a label
                ax.text(left + share / 2, row, f"{name}\n{share:.0f} %", ha="center", va="center", fontsize=8)
            left += share
        conv = 100 * sum(counts[name] for name in ("conv1", "conv2")) / total
        ax.plot([0, conv], [row + 0.3] * 2, color="black", lw=1, ls="-")
        ax.text(0, row + 0.33, f"conv1 + conv2: {conv:.0f} %", ha="left", va="bottom", fontsize=8)
    ax.set_yticks([0, 1], ["multiply-adds", "parameters"])
    ax.set(xlim=(0, 100), ylim=(-0.4, 1.65), xlabel="share of the total (%)")
    ax.legend(ncols=5, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    return fig


LENET_ALT = ("LeNet-5 drawn left to right from its real shapes: a 28x28 input, C1 6@28x28, S2 6@14x14, "
             "C3 16@10x10, S4 16@5x5, 400 flattened, C5 120, F6 84, OUTPUT 10; ReLU marked on C1, C3, "
             "C5 and F6 only.")
"""Alt text of 02_lenet §1's drawing of ``helpers.LeNet``."""

DIGIT_MAPS_ALT = ("The first MNIST test digit, a 7, and the six 28x28 maps the untrained C1 makes of it "
                  "after ReLU, each on its own colour scale with its maximum in its title: map 0 "
                  "lights the top bar, maps 2-4 the strokes, map 5 the bar's right end and dots down "
                  "the stem, maps 3 and 4 keep an even background (their positive bias), map 1 is 0 "
                  "everywhere.")
"""Alt text of 02_lenet §1's digit and its C1 maps."""

FAMILY_ALT = ("The three LeNets drawn one under the other on one scale, from the input through two "
              "convolutions and poolings: 576 features reach fc1 in TutorialNet, 400 in BlitzNet, "
              "192 in the Sequential.")
"""Alt text of 02_lenet's Going-deeper figure of the three tutorial LeNets."""

SHARES_ALT = ("Two stacked bars, each split by layer and scaled to 100 %: conv1 and conv2 make 4 % of "
              "LeNet's parameters but 86 % of its multiply-adds; fc1 holds 78 % of the parameters.")
"""Alt text of 02_lenet §5's bars of the parameter and multiply-add shares."""
