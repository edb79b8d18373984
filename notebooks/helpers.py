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
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

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
    """Decompress the shipped MNIST archives in ``root/MNIST/raw``, verify every file; the raw folder.

    Each ``<name>.gz`` goes to a temporary file, checked against the official MD5 of the uncompressed
    file, then renamed into place: a damaged file is never left behind, a good one never overwritten.
    A file failing its MD5 raises ``DataError`` naming it, the expected checksum and the fix. Absent
    archives are skipped (torchvision then downloads as usual). Introduced in 00_start_here.
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
                    f"(git checkout -- data/MNIST/raw/{archive.name}) or copy it again from a good clone of the repository."
                )
            os.chmod(tmp, 0o644)  # mkstemp makes it private (0600); others on a shared folder read it too
            os.replace(tmp, target)
        except (OSError, EOFError, gzip.BadGzipFile) as exc:
            raise DataError(
                f"{archive} cannot be decompressed ({exc}): it is truncated or damaged. Restore it "
                f"(git checkout -- data/MNIST/raw/{archive.name}) or copy it again from a good clone of the repository."
            ) from exc
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    return raw


def mnist(train: bool = True, transform=None, root: str | Path | None = None):
    """``torchvision.datasets.MNIST`` (60,000 train or 10,000 test digits), offline: ``prepare_mnist``
    first, so torchvision finds verified files and downloads nothing (without the archives it
    downloads the usual way). Introduced in 00_start_here."""
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
    """LeNet-5 for 1x28x28 digits: C1 conv5x5 (pad 2) → S2 pool → C3 conv5x5 → S4 pool → C5 → F6 → OUTPUT.

    Unlike the paper's: ReLU, max pooling, a C3 whose maps each read all 6 S2 maps, a linear OUTPUT
    (02_lenet, Going deeper: the paper's LeNet-5).
    Introduced in 02_lenet; trained in 07_training_lenet_on_mnist.
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, kernel_size=5, padding=2)   # C1: (N, 6, 28, 28)
        self.pool1 = nn.MaxPool2d(2)                              # S2: (N, 6, 14, 14)
        self.conv2 = nn.Conv2d(6, 16, kernel_size=5)              # C3: (N, 16, 10, 10)
        self.pool2 = nn.MaxPool2d(2)                              # S4: (N, 16, 5, 5)
        self.flatten = nn.Flatten()                               # (N, 400)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)                     # C5: (N, 120)
        self.fc2 = nn.Linear(120, 84)                             # F6: (N, 84)
        self.fc3 = nn.Linear(84, num_classes)                     # OUTPUT: (N, 10), no ReLU on logits

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
    """Number of trainable parameters (``numel`` of every parameter that requires grad). Introduced in 02_lenet."""
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


class ForwardEvent(NamedTuple):
    """One step of a forward pass as ``record_forward`` saw it: a leaf module that ran (``module``
    set, ``name`` its qualified name) or a torch call made outside every leaf module (``func`` set,
    ``name`` like ``"max_pool2d()"``), with the call's ``args``/``kwargs`` and its ``output``.
    Introduced in 02_lenet."""
    name: str
    module: nn.Module | None
    func: object
    args: tuple
    kwargs: dict
    output: object


class _CallsOutsideLeaves(torch.overrides.TorchFunctionMode):
    def __init__(self, events: list):
        super().__init__()
        self.events, self.depth = events, 0

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        if self.depth == 0 and isinstance(out, torch.Tensor):
            self.events.append(ForwardEvent(f"{getattr(func, '__name__', func)}()", None, func, args, kwargs, out))
        return out


@contextmanager
def record_forward(model: nn.Module):
    """Record what ``model``'s forward does while the ``with`` block runs: yields a list that fills
    with a ``ForwardEvent`` per leaf module run and per torch call made outside leaf modules
    (``F.relu``, ``F.max_pool2d``, ``x.view`` in a hand-written ``forward``), in order.

    One hook bookkeeping for every tool that reads a forward pass: ``shape_trace`` and the LeNet
    diagram. Hooks are removed on leaving, even after an error. Introduced in 02_lenet.
    """
    names = {m: n for n, m in model.named_modules()}
    events: list[ForwardEvent] = []
    mode = _CallsOutsideLeaves(events)

    def enter(module, args):
        mode.depth += 1

    def leave(module, args, output):
        mode.depth -= 1
        events.append(ForwardEvent(names[module], module, None, args, {}, output))

    leaves = [m for m in model.modules() if not list(m.children())]
    handles = [m.register_forward_pre_hook(enter) for m in leaves]
    handles += [m.register_forward_hook(leave) for m in leaves]
    try:
        with mode:
            yield events
    finally:
        for h in handles:
            h.remove()


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
    the shape of the layer before) and what it expects, then the smallest square image the
    layer fits and the two fixes. Introduced in 02_lenet.
    """
    names = {m: n for n, m in model.named_modules()}

    def before(module, args):
        if args[0].shape[-1] != module.in_features:
            raise _Stop(module, args[0].shape[-1])

    checks = [m.register_forward_pre_hook(before) for m in model.modules() if isinstance(m, nn.Linear)]
    msg = None
    try:
        with torch.no_grad(), record_forward(model) as events:
            model(x)
    except _Stop as stop:
        layer, got = stop.args
        maps = [tuple(e.output.shape) for e in events if isinstance(e.output, torch.Tensor) and e.output.dim() > 2]
        prev = maps[-1][1:] if maps else ()
        shape = f" ({' x '.join(map(str, prev))})" if prev and math.prod(prev) == got else ""
        msg = f"{names[layer]} expects {layer.in_features} input features but received {got}{shape}"
    finally:
        for h in checks:
            h.remove()
    if msg is not None:
        raise ShapeError(msg + _likely_cause(model, layer, x, names[layer], got)) from None
    trace = [(e.name, tuple(e.output.shape)) for e in events
             if e.module is not None or changes_shape(e)]
    return ShapeTrace(trace, tuple(x.shape))


def changes_shape(event: ForwardEvent) -> bool:
    """Whether ``event`` (from ``record_forward``) is a call whose output shape differs from its
    first tensor argument's (``F.max_pool2d``, ``x.view``); False for a leaf module's event.
    Introduced in 02_lenet."""
    if event.module is not None:
        return False
    first = event.args[0] if event.args else None
    first = first[0] if isinstance(first, (list, tuple)) and first else first
    return isinstance(first, torch.Tensor) and first.shape != event.output.shape


def _likely_cause(model, layer, x, name, got) -> str:
    """The end of ShapeError's message: the smallest square image that ``layer`` fits, and the
    two fixes (bring the image to that size, or make ``in_features`` what the layer received)."""
    if x.dim() == 4:
        for size in range(1, 257):
            if _features_at(model, layer, x.new_zeros(1, x.shape[1], size, size)) == layer.in_features:
                verb = "pad" if size >= max(x.shape[-2:]) else "resize"
                return (f": {name} fits a {size}x{size} image, this one is {x.shape[-2]}x{x.shape[-1]}. "
                        f"Either {verb} the image to {size}x{size} or set {name}'s in_features to {got}.")
    return ": check in_features against the output of the layer before (shape_trace shows it)."


# ---- Convolution arithmetic (03_convolution_arithmetic) -------------------------------------

def conv_output_size(size: int, kernel_size: int, stride: int = 1, padding: int = 0,
                     dilation: int = 1) -> int:
    """Output length of a convolution or pooling along one dimension:
    ``floor((size + 2*padding - dilation*(kernel_size - 1) - 1) / stride) + 1``; raises
    ``ValueError`` saying which argument is wrong. Introduced in 03_convolution_arithmetic."""
    check_conv_args(size, kernel_size, stride, padding, dilation)
    span = dilation * (kernel_size - 1) + 1
    if span > size + 2 * padding:
        raise ValueError(
            f"the kernel covers {span} pixels (kernel_size={kernel_size}, dilation={dilation}) but the "
            f"padded input has only {size + 2 * padding} (size={size}, padding={padding}): "
            "use a smaller kernel or dilation, or more padding"
        )
    return (size + 2 * padding - span) // stride + 1


def check_conv_args(size, kernel_size, stride, padding, dilation) -> None:
    """Raise ``ValueError`` naming the first argument that is not an int in its range."""
    for name, value, low in (("size", size, 1), ("kernel_size", kernel_size, 1),
                             ("stride", stride, 1), ("padding", padding, 0),
                             ("dilation", dilation, 1)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{name} must be an int, got {value!r}")
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")


# ---- Manual updates (06_manual_weight_updates) ----------------------------------------------

def sgd_step(params, lr: float) -> None:
    """One plain SGD step, bit for bit what ``torch.optim.SGD(params, lr=lr).step()`` does on any CPU.

    Both run ``p.add_(p.grad, alpha=-lr)``. Where the CPU kernels use fused multiply-add (x86 with
    AVX2 or AVX-512, ARM), ``add_`` rounds ``p - lr*grad`` once, while ``p -= lr * p.grad`` rounds twice
    and may differ in the last bit of a few weights; without FMA (baseline x86) both round twice and
    agree. Introduced in 06_manual_weight_updates."""
    with torch.no_grad():
        for p in params:
            if p.grad is not None:
                p.add_(p.grad, alpha=-lr)


# ---- Widgets: the digit slider (00_start_here) ----------------------------------------------

def digit_caption(dataset, index: int) -> str:
    """One stable line naming a digit and its label, e.g. ``"test digit 3: label 0"`` (the slider's).

    ``dataset`` comes from ``mnist`` (``dataset.train`` picks "training" or "test"); ``index`` is an int
    from 0 to ``len(dataset) - 1``, else ``IndexError`` says the range. Introduced in 00_start_here."""
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(dataset):
        raise IndexError(f"index must be an int from 0 to {len(dataset) - 1}, got {index!r}")
    split = "training" if getattr(dataset, "train", True) else "test"
    return f"{split} digit {index}: label {int(dataset[index][1])}"


# ---- Training (07_training_lenet_on_mnist) --------------------------------------------------

def mnist_tensors(train: bool = True, root: str | Path | None = None,
                  normalize: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """A whole MNIST split: images ``(N, 1, 28, 28)``, labels ``(N,)``. ``normalize=False`` keeps the
    ``uint8`` pixels (a quarter of float32's memory; ``train_epoch`` and ``evaluate`` normalize each
    batch), ``True`` gives ``normalize_batch`` of all of them. Introduced in 07_training_lenet_on_mnist."""
    ds = mnist(train=train, root=root)
    x = ds.data.unsqueeze(1)
    return (normalize_batch(x) if normalize else x), ds.targets


def normalize_batch(x: torch.Tensor) -> torch.Tensor:
    """``uint8`` pixels to float32 ``(x / 255 - MNIST_MEAN) / MNIST_STD``, the numbers of ``ToTensor()``
    + ``Normalize``; a float ``x`` is returned unchanged. Introduced in 07_training_lenet_on_mnist."""
    return x.float().div_(255).sub_(MNIST_MEAN).div_(MNIST_STD) if x.dtype == torch.uint8 else x


def batches(x: torch.Tensor, y: torch.Tensor, batch_size: int, shuffle: bool = True,
            generator: torch.Generator | None = None):
    """Yield ``(x[idx], y[idx])`` minibatches visiting every index once (the last may be short), in
    the order of ``torch.randperm(len(x), generator=generator)``. Introduced in 07_training_lenet_on_mnist."""
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} images and {len(y)} labels")
    order = torch.randperm(len(x), generator=generator) if shuffle else torch.arange(len(x))
    for start in range(0, len(x), batch_size):
        yield x[order[start:start + batch_size]], y[order[start:start + batch_size]]


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 1000) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy of ``model`` on ``(x, y)`` (``uint8`` or float images),
    in batches, in eval mode, without grad; the mode is restored. Introduced in 07_training_lenet_on_mnist."""
    if len(x) == 0:
        raise ValueError("evaluate needs at least one example, got an empty x")
    was_training, total_loss, correct = model.training, 0.0, 0
    model.eval()
    try:
        with torch.no_grad():
            for xb, yb in batches(x, y, batch_size, shuffle=False):
                logits = model(normalize_batch(xb))
                total_loss += F.cross_entropy(logits, yb, reduction="sum").item()
                correct += (logits.argmax(dim=1) == yb).sum().item()
    finally:
        model.train(was_training)
    return total_loss / len(x), correct / len(x)


def train_epoch(model: nn.Module, x: torch.Tensor, y: torch.Tensor, optimizer: torch.optim.Optimizer,
                batch_size: int = 128, generator: torch.Generator | None = None,
                scheduler=None, progress: int = 0) -> list[float]:
    """One epoch of training (forward, loss, zero_grad, backward, step; ``uint8`` ``x`` normalized per
    batch; ``scheduler`` steps after every batch); the batch losses. ``progress=k`` prints a dot every
    ``k`` steps (and a line break at the end); 0, the default, prints nothing. Introduced in
    07_training_lenet_on_mnist."""
    model.train()
    losses = []
    for xb, yb in batches(x, y, batch_size, generator=generator):
        loss = F.cross_entropy(model(normalize_batch(xb)), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if scheduler is not None:
            scheduler.step()
        losses.append(loss.item())
        if progress and len(losses) % progress == 0:
            print(".", end="", flush=True)
    if progress:
        print()
    return losses
