"""Small helpers for the LeNet Lab notebooks.

Every function here is first shown as plain code in the notebook named in its docstring;
the notebooks call the helper only after that. Unit tests: tests/test_helpers*.py.
"""
from __future__ import annotations

import gzip
import hashlib
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

# ---- Data: MNIST shipped with the repository (00_start_here) -------------------------------

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
"""The repository's data/ folder, whatever the working directory. Introduced in 00_start_here."""

MNIST_MD5 = {  # official MD5 of each *uncompressed* file
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


class DataError(RuntimeError):
    """The MNIST files are missing or damaged; the message says which file and what to do."""


def _md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def prepare_mnist(root: str | Path | None = None) -> Path:
    """Decompress the shipped MNIST archives in ``root/MNIST/raw`` and verify every file.

    Each ``<name>.gz`` is decompressed to a temporary file, checked against the official MD5 of
    the uncompressed file, then renamed into place, so a damaged file is never left behind and
    an existing good file is never overwritten. An extracted file that fails its MD5 raises
    ``DataError`` naming the file, the expected checksum and the fix. Archives that are absent
    are skipped (torchvision then downloads as usual). Returns the raw folder.
    Introduced in 00_start_here.
    """
    raw = Path(root if root is not None else DATA_DIR) / "MNIST" / "raw"
    for name, expected in MNIST_MD5.items():
        target, archive = raw / name, raw / f"{name}.gz"
        if target.exists():
            got = _md5(target)
            if got != expected:
                raise DataError(
                    f"{target} is damaged: its MD5 is {got}, expected {expected}. "
                    f"Delete it and run again; it will be extracted anew from {archive.name}."
                )
            continue
        if not archive.exists():
            continue
        fd, tmp = tempfile.mkstemp(dir=raw, prefix=f".{name}.", suffix=".part")
        try:
            digest = hashlib.md5()
            with os.fdopen(fd, "wb") as out, gzip.open(archive, "rb") as src:
                for block in iter(lambda: src.read(1 << 20), b""):
                    digest.update(block)
                    out.write(block)
            if digest.hexdigest() != expected:
                raise DataError(
                    f"{archive} decompresses to data whose MD5 is {digest.hexdigest()}, expected "
                    f"{expected} for {name}. The archive is altered: restore it "
                    f"(git checkout -- data/MNIST/raw/{archive.name}) or copy it again from shared/data/mnist/."
                )
            os.replace(tmp, target)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise DataError(
                f"{archive} cannot be decompressed ({exc}): it is truncated or damaged. Restore it "
                f"(git checkout -- data/MNIST/raw/{archive.name}) or copy it again from shared/data/mnist/."
            ) from exc
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    return raw


def mnist(train: bool = True, transform=None, root: str | Path | None = None):
    """Return ``torchvision.datasets.MNIST`` (60,000 train or 10,000 test digits), offline.

    Prepares the shipped archives with ``prepare_mnist`` first; torchvision then finds the
    verified files and downloads nothing. Without the archives it downloads the usual way.
    Introduced in 00_start_here.
    """
    from torchvision import datasets

    root = Path(root if root is not None else DATA_DIR)
    raw = prepare_mnist(root)
    try:
        return datasets.MNIST(root, train=train, transform=transform, download=True)
    except RuntimeError as exc:
        raise DataError(
            f"MNIST is not in {raw} and could not be downloaded ({exc}). Copy the four "
            f"*-ubyte.gz archives into {raw} (the repository ships them) and run again."
        ) from exc


# ---- Models and shapes (02_lenet) -----------------------------------------------------------

class LeNet(nn.Module):
    """LeNet-5 for 1x28x28 digits: C1 conv5x5 (pad 2) → S2 pool → C3 conv5x5 → S4 pool → F5 → F6 → 10.

    ReLU and max pooling replace the paper's scaled tanh and trainable subsampling.
    Introduced in 02_lenet; trained in 07_training_lenet_on_mnist.
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)   # C1: (N, 6, 28, 28)
        self.pool1 = nn.MaxPool2d(2)                              # S2: (N, 6, 14, 14)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)              # C3: (N, 16, 10, 10)
        self.pool2 = nn.MaxPool2d(2)                              # S4: (N, 16, 5, 5)
        self.flatten = nn.Flatten()                               # (N, 400)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)                     # F5
        self.fc2 = nn.Linear(120, 84)                             # F6
        self.fc3 = nn.Linear(84, num_classes)                     # OUTPUT: no ReLU on logits

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            hint = " Add the batch dimension with x.unsqueeze(0)." if x.dim() == 3 else ""
            raise ValueError(f"LeNet expects a batch shaped (N, 1, 28, 28), got {tuple(x.shape)}.{hint}")
        x = self.pool1(F.relu(self.conv1(x)))
        x = self.pool2(F.relu(self.conv2(x)))
        x = F.relu(self.fc1(self.flatten(x)))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters (``numel`` of every parameter that requires grad).

    Introduced in 02_lenet.
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class ShapeError(ValueError):
    """An ``nn.Linear`` got the wrong number of input features (raised by ``shape_trace``)."""


class ShapeTrace(list):
    """A list of ``(name, shape)`` pairs that prints as a table."""

    def __init__(self, pairs, input_shape):
        super().__init__(pairs)
        self.input_shape = input_shape

    def __repr__(self) -> str:
        rows = [("input", self.input_shape)] + list(self)
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {tuple(shape)}" for name, shape in rows)


class _Stop(Exception):
    pass


class _LastShape(torch.overrides.TorchFunctionMode):
    """Remembers the shape of the last tensor with more than two dimensions that any op made.

    With a ``trace`` list, also records calls made outside leaf modules (``depth == 0``) that
    change the shape of their first tensor, e.g. ``F.max_pool2d`` or ``x.view`` in a forward.
    """

    def __init__(self, trace: list | None = None):
        super().__init__()
        self.last, self.trace, self.depth = (), trace, 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if isinstance(out, torch.Tensor):
            if out.dim() > 2:
                self.last = tuple(out.shape)
            first = args[0] if args else None
            first = first[0] if isinstance(first, (list, tuple)) and first else first
            if (self.trace is not None and self.depth == 0 and isinstance(first, torch.Tensor)
                    and first.shape != out.shape):
                self.trace.append((f"{func.__name__}()", tuple(out.shape)))
        return out


def _features_at(model: nn.Module, layer: nn.Module, x: torch.Tensor) -> int | None:
    """Features reaching ``layer`` when ``model`` runs on ``x`` (None if it fails before)."""
    seen = []

    def grab(module, args):
        seen.append(args[0].shape[-1])
        raise _Stop

    handle = layer.register_forward_pre_hook(grab)
    try:
        model(x)
    except _Stop:
        pass
    except Exception:
        return None
    finally:
        handle.remove()
    return seen[0] if seen else None


def shape_trace(model: nn.Module, x: torch.Tensor) -> ShapeTrace:
    """Run ``model(x)`` and list each leaf module, in the order it ran, with its output shape.

    Names are the qualified names of ``named_modules()``. Calls in ``forward`` that change the
    shape outside any leaf module (``F.max_pool2d``, ``x.view``, ``torch.flatten``) are listed
    too, as ``max_pool2d()``, ``view()``, ``flatten()``. When an ``nn.Linear`` receives the
    wrong number of features, raises ``ShapeError`` naming the layer, what it received (with
    the shape of the layer before) and what it expects, and the likely cause.
    Introduced in 02_lenet.
    """
    names = {m: n for n, m in model.named_modules()}
    trace: list[tuple[str, tuple]] = []
    shapes = _LastShape(trace)

    def enter(module, args):
        shapes.depth += 1

    def after(module, args, output):
        shapes.depth -= 1
        trace.append((names[module], tuple(output.shape)))

    def before(module, args):
        if args[0].shape[-1] != module.in_features:
            raise _Stop(module, args[0].shape[-1])

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(after) for m in leaves]
    handles += [m.register_forward_pre_hook(enter) for m in leaves]
    handles += [m.register_forward_pre_hook(before) for m in leaves if isinstance(m, nn.Linear)]
    msg = None
    try:
        with torch.no_grad(), shapes:
            model(x)
    except _Stop as stop:
        layer, got = stop.args
        prev = shapes.last[1:]
        shape = f" ({' x '.join(map(str, prev))})" if prev and math.prod(prev) == got else ""
        msg = f"{names[layer]} expects {layer.in_features} input features but received {got}{shape}"
    finally:
        for h in handles:
            h.remove()
    if msg is not None:
        raise ShapeError(msg + _likely_cause(model, layer, x, layer.in_features)) from None
    return ShapeTrace(trace, tuple(x.shape))


def _likely_cause(model, layer, x, want) -> str:
    if x.dim() != 4:
        return ": check in_features against the output of the layer before (shape_trace shows it)."
    h, w = x.shape[-2:]
    for size in range(1, 257):
        if _features_at(model, layer, x.new_zeros(1, x.shape[1], size, size)) == want:
            return f": the image is {h}x{w}, this model expects {size}x{size}."
    return ": check in_features against the output of the layer before (shape_trace shows it)."


# ---- Convolution arithmetic (03_convolution_arithmetic) -------------------------------------

def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> int:
    """Output length of a convolution or pooling along one dimension.

    ``floor((size + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``; raises
    ``ValueError`` saying which argument is wrong. Introduced in 03_convolution_arithmetic.
    """
    _check_conv_args(size, kernel_size, stride, padding, dilation)
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(
            f"the kernel covers {span} pixels (kernel_size={kernel_size}, dilation={dilation}) but the "
            f"padded input has only {size + 2 * padding} (size={size}, padding={padding}): "
            "use a smaller kernel or dilation, or more padding"
        )
    return (size + 2 * padding - span) // stride + 1


def _check_conv_args(size, kernel_size, stride, padding, dilation) -> None:
    """Raise ``ValueError`` naming the first argument that is not an int in its range."""
    for name, value, low in (("size", size, 1), ("kernel_size", kernel_size, 1),
                             ("stride", stride, 1), ("padding", padding, 0),
                             ("dilation", dilation, 1)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")


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


# ---- Autograd (04_autograd_graph, 06_manual_weight_updates) ---------------------------------

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


def sgd_step(params, lr: float) -> None:
    """One plain SGD step, bit for bit what ``torch.optim.SGD(params, lr=lr).step()`` does on CPU.

    On CPU, SGD without momentum runs ``p.add_(p.grad, alpha=-lr)`` for each parameter (the
    ``foreach`` path is for GPUs). With AVX2/AVX512 kernels, ``add_`` computes ``p - lr*grad`` as
    one fused multiply-add (one rounding); ``p -= lr * p.grad`` rounds ``lr * p.grad`` first (two
    roundings), so it can differ in the last bit; with ``ATEN_CPU_CAPABILITY=default`` they agree.
    Introduced in 06_manual_weight_updates.
    """
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)


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


# ---- Exercise checks (every lesson) ---------------------------------------------------------

def check(answer, expected, name: str = "answer", hint: str = "", rtol: float = 1e-5,
          atol: float = 1e-6) -> bool:
    """Tell the student whether ``answer`` matches ``expected``: exact, close, or wrong + hint.

    Works for tensors, numbers, shapes and other values compared with ``==``. Prints one line
    and returns True when the answer is right. ``None`` or ``...`` means "not answered yet".
    Introduced in 01_modules_and_layers.
    """
    if answer is None or answer is Ellipsis:
        print(f"… {name}: not answered yet — replace the TODO and run the cell again.")
        return False
    ok, detail = _compare(answer, expected, rtol, atol)
    if ok:
        print(f"✓ {name}: {detail}")
    else:
        print(f"✗ {name}: {detail}" + (f" Hint: {hint}" if hint else ""))
    return ok


def _compare(answer, expected, rtol, atol):
    if isinstance(expected, torch.Tensor):
        if not isinstance(answer, torch.Tensor):
            return False, f"expected a tensor, got {type(answer).__name__}."
        if answer.shape != expected.shape:
            return False, f"shape {tuple(answer.shape)}, expected {tuple(expected.shape)}."
        if torch.equal(answer, expected):
            return True, "exact."
        a, e = answer.double(), expected.double()
        diff = (a - e).abs().max().item()
        if torch.allclose(a, e, rtol=rtol, atol=atol):
            return True, f"close (max difference {diff:.1e})."
        return False, f"wrong (max difference {diff:.4g})."
    if isinstance(expected, float) or isinstance(answer, float):
        if not isinstance(answer, (int, float)):
            return False, f"expected a number, got {type(answer).__name__}."
        if answer == expected:
            return True, "exact."
        if math.isclose(answer, expected, rel_tol=rtol, abs_tol=atol):
            return True, f"close (difference {abs(answer - expected):.1e})."
        return False, f"wrong: got {answer:.6g}."
    if isinstance(expected, torch.Size):
        expected = tuple(expected)
    if isinstance(answer, torch.Size):
        answer = tuple(answer)
    if answer == expected:
        return True, "exact."
    return False, f"wrong: got {answer!r}."


# ---- Widgets: the digit slider (00_start_here) ----------------------------------------------

def digit_caption(dataset, index: int) -> str:
    """One stable line naming a digit and its label, e.g. ``"test digit 3: label 0"``.

    ``dataset`` is an MNIST dataset from ``mnist`` (``dataset.train`` picks "training" or
    "test"); ``index`` an int from 0 to ``len(dataset) - 1``, else ``IndexError`` says the range.
    The start-here slider prints this line. Introduced in 00_start_here.
    """
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(dataset):
        raise IndexError(f"index must be an int from 0 to {len(dataset) - 1}, got {index!r}")
    split = "training" if getattr(dataset, "train", True) else "test"
    return f"{split} digit {index}: label {int(dataset[index][1])}"


# ---- Training (07_training_lenet_on_mnist) --------------------------------------------------

def mnist_tensors(train: bool = True, root: str | Path | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """A whole MNIST split as one normalized tensor ``(N, 1, 28, 28)`` and its labels ``(N,)``.

    ``(pixel / 255 - MNIST_MEAN) / MNIST_STD`` on all images at once: the same numbers as
    ``ToTensor()`` + ``Normalize`` image by image. Introduced in 07_training_lenet_on_mnist.
    """
    ds = mnist(train=train, root=root)
    x = ds.data.unsqueeze(1).float().div_(255).sub_(MNIST_MEAN).div_(MNIST_STD)
    return x, ds.targets.clone()


def batches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = True,
            generator: torch.Generator | None = None):
    """Yield ``(x[idx], y[idx])`` minibatches that visit every index once (the last may be short).

    ``shuffle`` draws the order with ``torch.randperm(len(x), generator=generator)``: a seeded
    generator gives the same order every run. Introduced in 07_training_lenet_on_mnist.
    """
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} images and {len(y)} "
                         "labels: pass the labels that belong to these images")
    order = torch.randperm(len(x), generator=generator) if shuffle else torch.arange(len(x))
    for start in range(0, len(x), batch_size):
        idx = order[start:start + batch_size]
        yield x[idx], y[idx]


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
             batch_size: int = 1000) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy of ``model`` on ``(x, y)``, in eval mode, no grad.

    The model's train/eval mode is restored afterwards. Introduced in 07_training_lenet_on_mnist.
    """
    if len(x) == 0:
        raise ValueError("evaluate needs at least one example, got an empty x")
    was_training, total_loss, correct = model.training, 0.0, 0
    model.eval()
    try:
        with torch.no_grad():
            for xb, yb in batches(x, y, batch_size, shuffle=False):
                logits = model(xb)
                total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
                correct += (logits.argmax(dim=1) == yb).sum().item()
    finally:
        model.train(was_training)
    return total_loss / len(x), correct / len(x)


def train_epoch(model: nn.Module, x: torch.Tensor, y: torch.Tensor, optimizer: torch.optim.Optimizer,
                batch_size: int = 128, generator: torch.Generator | None = None,
                scheduler=None) -> list[float]:
    """One epoch of minibatch training (forward, loss, zero_grad, backward, step); batch losses.

    ``scheduler``, if given, steps after every batch (e.g. ``OneCycleLR``).
    Introduced in 07_training_lenet_on_mnist.
    """
    model.train()
    losses = []
    for xb, yb in batches(x, y, batch_size, generator=generator):
        loss = F.cross_entropy(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
    return losses
