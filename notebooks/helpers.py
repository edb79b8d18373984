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
    """Remembers the shape of the last tensor with more than two dimensions that any op made."""

    last: tuple = ()

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        if isinstance(out, torch.Tensor) and out.dim() > 2:
            self.last = tuple(out.shape)
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

    Names are the qualified names of ``named_modules()``. When an ``nn.Linear`` receives the
    wrong number of features, raises ``ShapeError`` naming the layer, what it received (with
    the shape of the layer before) and what it expects, and the likely cause.
    Introduced in 02_lenet.
    """
    names = {m: n for n, m in model.named_modules()}
    trace: list[tuple[str, tuple]] = []

    def after(module, args, output):
        trace.append((names[module], tuple(output.shape)))

    def before(module, args):
        if args[0].shape[-1] != module.in_features:
            raise _Stop(module, args[0].shape[-1])

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_hook(after) for m in leaves]
    handles += [m.register_forward_pre_hook(before) for m in leaves if isinstance(m, nn.Linear)]
    msg, shapes = None, _LastShape()
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
    for name, value, low in (("size", size, 1), ("kernel_size", kernel_size, 1),
                             ("stride", stride, 1), ("padding", padding, 0),
                             ("dilation", dilation, 1)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(
            f"the kernel covers {span} pixels (kernel_size={kernel_size}, dilation={dilation}) but the "
            f"padded input has only {size + 2 * padding} (size={size}, padding={padding}): "
            "use a smaller kernel or dilation, or more padding"
        )
    return (size + 2 * padding - span) // stride + 1


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


def draw_autograd_graph(tensor: torch.Tensor, params: dict | None = None, ax=None):
    """Draw ``autograd_graph(tensor, params)`` with matplotlib: output on top, leaves below.

    Each node sits one row below its deepest parent. Returns the axes.
    Introduced in 04_autograd_graph.
    """
    import matplotlib.pyplot as plt

    graph = autograd_graph(tensor, params)
    depth = [0] * len(graph.nodes)
    for _ in graph.nodes:  # longest path from the root; the graph is a DAG
        for parent, child in graph.edges:
            depth[child] = max(depth[child], depth[parent] + 1)
    rows: dict[int, list[int]] = {}
    for i, d in enumerate(depth):
        rows.setdefault(d, []).append(i)
    width = max(len(r) for r in rows.values())
    if ax is None:
        _, ax = plt.subplots(figsize=(2.6 * width + 1, 0.75 * len(rows) + 1))
    pos = {i: ((k + 0.5) * width / len(r), -d) for d, r in rows.items() for k, i in enumerate(r)}
    for parent, child in graph.edges:
        ax.annotate("", xy=pos[child], xytext=pos[parent],
                    arrowprops=dict(arrowstyle="->", color="0.5", shrinkA=9, shrinkB=9))
    for i, node in enumerate(graph.nodes):
        leaf = node.name == "AccumulateGrad"
        text = f"{node.name}\n{node.label}" if node.label else node.name
        ax.text(*pos[i], text, ha="center", va="center", fontsize=8,
                bbox=dict(boxstyle="round", fc="#cfe8cf" if leaf else "#dde6f5", ec="0.4"))
    ax.set_xlim(0, width)
    ax.set_ylim(-max(rows) - 0.6, 0.6)
    ax.axis("off")
    return ax


def sgd_step(params, lr: float) -> None:
    """One plain SGD step, bit for bit what ``torch.optim.SGD(params, lr=lr).step()`` does.

    ``p.add_(p.grad, alpha=-lr)`` is SGD's own update: one fused operation, which is why
    ``p -= lr * p.grad`` (two roundings) can differ in the last bit.
    Introduced in 06_manual_weight_updates.
    """
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)


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
