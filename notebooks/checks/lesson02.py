"""Checks for 02_lenet's exercises.

Each expected value is computed, never typed in: from a model built here (02.2: one the notebook does
not build; tests may pass others as ``model``), or from the layers built here (02.1: the exercise cell
holds no object whose shape would hand over the answer; tests may pass others as ``layers`` and ``x``).
The write exercise 02.5 runs the student's recorder on a nested model of the check's own. The write
and debug exercises (02.4, 02.3) run the student's class with weights and digits of the check's
own and compare its scores with the right computation from the class's own layers.
"""
from __future__ import annotations

import inspect
import io
import linecache
import re
import sys
import textwrap
import tokenize

import torch
import torch.nn.functional as F
from torch import nn

from checks import Exercise, Refused
from checks import same as _same


def _flat_features(layers: nn.Module, x: torch.Tensor) -> int:
    with torch.no_grad():
        return layers(x).shape[1]


def _flat_features_by_hand(layers: nn.Module, x: torch.Tensor, ceil: bool = False,
                           size: int | None = None, unrounded: bool = False,
                           minus_k: bool = False, conv_keeps: bool = False) -> float:
    """The side-by-side arithmetic for square inputs, pooling rounded up with ``ceil`` or not
    rounded at all with ``unrounded``, a convolution taking k (not k - 1) off with ``minus_k``
    or keeping the side with ``conv_keeps`` (four known mistakes), or for another input ``size``."""
    side, channels = size or x.shape[-1], x.shape[1]
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            if not conv_keeps:
                side = (side + 2 * layer.padding[0] - layer.kernel_size[0]) // layer.stride[0] + (0 if minus_k else 1)
            channels = layer.out_channels
        elif isinstance(layer, nn.MaxPool2d):
            if unrounded:
                side = side / layer.kernel_size
            else:
                side = -(-side // layer.kernel_size) if ceil else side // layer.kernel_size
    return channels * side * side


def _older_blitz() -> nn.Sequential:
    """Exercise 02.1's layers, built here rather than in the exercise cell: the older blitz's two
    3x3 convolutions, each followed by ReLU and 2x2 max pooling, then the flatten."""
    return nn.Sequential(nn.Conv2d(1, 6, 3), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(6, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())


def _ex1(objects: dict) -> tuple[nn.Module, torch.Tensor]:
    """The layers and the image of exercise 02.1: those passed to ``check`` (tests pass others),
    else the older blitz on one 64x64 image."""
    layers = objects.get("layers")
    layers = _older_blitz() if layers is None else layers
    x = objects.get("x")
    return layers, (torch.zeros(1, 1, 64, 64) if x is None else x)


def _last_channels(layers: nn.Module) -> int:
    return [m for m in layers.modules() if isinstance(m, nn.Conv2d)][-1].out_channels


def _first_channels(layers: nn.Module) -> int:
    return next(m for m in layers.modules() if isinstance(m, nn.Conv2d)).out_channels


def _count_without(model: nn.Module, what: str) -> int:
    return sum(p.numel() for name, p in model.named_parameters() if not name.endswith(what))


def _one_layer_without_bias(model: nn.Module, count: int) -> bool:
    """Whether ``count`` is the full count less one layer's biases (a + 1 forgotten in one term)."""
    full = sum(p.numel() for p in model.parameters())
    return any(count == full - layer.bias.numel() for layer in model.modules()
               if isinstance(layer, (nn.Conv2d, nn.Linear)) and layer.bias is not None)


def _one_layer_left_out(model: nn.Module, count: int) -> bool:
    """Whether ``count`` is the full count less one whole layer (a layer forgotten, often fc3)."""
    full = sum(p.numel() for p in model.parameters())
    return any(count == full - sum(p.numel() for p in layer.parameters()) for layer in model.modules()
               if isinstance(layer, (nn.Conv2d, nn.Linear)))


def _conv2_as_5x5(model: nn.Module) -> int:
    conv2 = model.conv2
    full = sum(p.numel() for p in model.parameters())
    return full - conv2.weight.numel() + conv2.out_channels * conv2.in_channels * 5 * 5


def _fc1_as(model: nn.Module, in_features: int) -> int:
    """The count with ``fc1`` taking ``in_features`` (helpers.LeNet's 400: a known mix-up)."""
    fc1 = model.fc1
    full = sum(p.numel() for p in model.parameters())
    return full - fc1.weight.numel() + fc1.out_features * in_features


def _count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def _whole(answer):
    """``answer`` as an int if it is a whole number (151290, 151290.0, tensor(151290)), else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return None
    return int(answer) if float(answer).is_integer() else None


def _same_count(answer, expected) -> bool:
    """A count is right only as that exact integer: 151290.4 is not a parameter count."""
    return _whole(answer) is not None and _whole(answer) == expected and _same(answer, expected)[0]


def _as_float(answer) -> float | None:
    """``answer`` as a float if it is a number (or a one-number tensor), else None."""
    if isinstance(answer, torch.Tensor) and answer.numel() == 1:
        answer = answer.item()
    if isinstance(answer, bool) or not isinstance(answer, (int, float)):
        return None
    return float(answer)


def _tutorial_net(conv2_filters: int) -> nn.Module:
    """Building Models' TutorialNet with ``conv2_filters`` in conv2 and fc1 sized to what reaches it
    (a 32x32 image through the two convolutions and poolings)."""
    model = nn.Module()
    model.conv1, model.conv2 = nn.Conv2d(1, 6, 5), nn.Conv2d(6, conv2_filters, 3)
    features = nn.Sequential(model.conv1, nn.ReLU(), nn.MaxPool2d(2), model.conv2, nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten())
    with torch.no_grad():
        in_features = features(torch.zeros(1, 1, 32, 32)).shape[1]
    model.fc1, model.fc2, model.fc3 = nn.Linear(in_features, 120), nn.Linear(120, 84), nn.Linear(84, 10)
    return model


def _ex2_model(objects: dict) -> nn.Module:
    """Exercise 02.2's model: the one passed to ``check`` (tests pass others), else TutorialNet with 32
    filters in conv2, a model the notebook does not build (so no count of its parameters is on screen)."""
    model = objects.get("model")
    return _tutorial_net(32) if model is None else model


class _RecorderProbe(nn.Module):
    """Exercise 02.5's test model: layers nested two levels deep in ``nn.Sequential`` containers, made
    in an order other than the one they run in, and a flatten that is a function call no hook sees."""

    def __init__(self):
        super().__init__()
        self.head = nn.Linear(36, 3)
        self.features = nn.Sequential(nn.Conv2d(2, 4, 3), nn.ReLU(),
                                      nn.Sequential(nn.MaxPool2d(2), nn.Conv2d(4, 1, 1)))

    def forward(self, x):
        return self.head(torch.flatten(self.features(x), 1))


RECORDER_RIGHT = [("features.0", (5, 4, 12, 12)), ("features.1", (5, 4, 12, 12)), ("features.2.0", (5, 4, 6, 6)),
                  ("features.2.1", (5, 1, 6, 6)), ("head", (5, 3))]
"""What exercise 02.5's recorder returns on the probe and a batch of 5 images of 2x14x14."""


def _names_used(fn) -> set[str]:
    """The global and attribute names ``fn``'s code (and the functions defined in it) refers to."""
    names, codes = set(), [getattr(fn, "__code__", None)]
    while codes:
        code = codes.pop()
        if code is not None:
            names.update(code.co_names + code.co_freevars)
            codes += [c for c in code.co_consts if hasattr(c, "co_names")]
    return names


def _recorder_verdict(fn) -> bool | str:
    """True when ``fn(model, x)`` returns each leaf module's (dotted name, output shape) in the order
    they ran and leaves no hook behind, on a nested model and two batches of the check's own (5, then
    3 images: a recorder that returns a fixed list fails the second); else a word naming what is wrong."""
    verdict = _recorder_run(fn, 5, RECORDER_RIGHT)
    if verdict is not True:
        return verdict
    return _recorder_run(fn, 3, [(name, (3, *shape[1:])) for name, shape in RECORDER_RIGHT])


def _recorder_run(fn, batch: int, right: list) -> bool | str:
    """``_recorder_verdict`` on a fresh probe and ``batch`` images of 2x14x14."""
    model, x = _RecorderProbe(), torch.zeros(batch, 2, 14, 14)
    helpers = sys.modules.get("helpers")  # the notebook's helpers, if imported: its recorders are barred
    barred = {name: getattr(helpers, name) for name in ("shape_trace", "record_forward") if hasattr(helpers, name)}

    def refuse(*args, **kwargs):
        raise Refused("barred")

    if _names_used(fn) & set(barred or ("shape_trace", "record_forward")):  # also `from helpers import …`
        return "barred"
    try:
        for name in barred:
            setattr(helpers, name, refuse)
        with torch.no_grad():
            got = fn(model, x)
    except Refused:  # called under another name
        return "barred"
    except KeyError as error:  # a names dictionary built from another model (section 1's, of net)
        if error.args and isinstance(error.args[0], nn.Module):
            return "foreign names"
        raise
    finally:
        for name, function in barred.items():
            setattr(helpers, name, function)
    if not isinstance(got, (list, tuple)) or not all(isinstance(r, (list, tuple)) and len(r) == 2 for r in got):
        return "not a list"
    if not got:
        return "empty"
    got = [(name, tuple(shape)) for name, shape in got]
    names, right_names = [name for name, _ in got], [name for name, _ in right]
    if names != right_names:
        if len(set(names)) == 1 and len(got) > 1:
            return "last name"
        if names == ["features", "head"]:
            return "children only"
        containers = {"", "features", "features.2"}
        if set(right_names) <= set(names) and set(names) - set(right_names) and set(names) - set(right_names) <= containers:
            return "containers"
        if sorted(names) == sorted(right_names):
            return "order"
        return "names"
    if got != right:
        return "shapes"
    if any(len(m._forward_hooks) for m in model.modules()):  # what register_forward_hook fills
        return "hooks left"
    return True


def _seeded(model: nn.Module, seed: int) -> nn.Module:
    """``model`` with weights of the check's own, drawn in the order its parameters are listed."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        if any(isinstance(p, nn.parameter.UninitializedParameter) for p in model.parameters()):
            model(torch.zeros(1, 1, 28, 28))  # lazy layers (nn.LazyLinear) get their shapes from a digit
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    return model


def _layers(model: nn.Module, names: tuple[str, ...]) -> tuple[list[nn.Conv2d], list[nn.Linear]]:
    """The model's convolutions and linear layers in the order the exercise lists them: by the
    exercise's ``names`` (conv1, conv2, fc1, …) when the model has them all, else the convolutions
    by growing ``out_channels`` and the linear layers by shrinking ``out_features``, so the order in
    which ``__init__`` made them does not matter."""
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    named = [getattr(model, name, None) for name in names]
    if all(isinstance(m, (nn.Conv2d, nn.Linear)) for m in named) and len(convs) + len(linears) == len(names):
        return [m for m in named if isinstance(m, nn.Conv2d)], [m for m in named if isinstance(m, nn.Linear)]
    return sorted(convs, key=lambda m: m.out_channels), sorted(linears, key=lambda m: -m.out_features)


def _conv_config(conv: nn.Conv2d) -> tuple:
    return conv.in_channels, conv.out_channels, conv.kernel_size, conv.padding, conv.stride


DIGITNET_CONVS = [(1, 8, (3, 3), (1, 1), (1, 1)), (8, 20, (3, 3), (0, 0), (1, 1))]
"""Exercise 02.4's convolutions: 8 filters 3x3 padded by 1, then 20 filters 3x3 unpadded."""


def _two_stages(convs: list[nn.Conv2d], x: torch.Tensor, relus: tuple[bool, bool] = (True, True),
                pools: tuple = (F.max_pool2d, F.max_pool2d)) -> torch.Tensor:
    """``x`` through both convolutions, each followed by a ReLU (unless ``relus`` says no) and 2x2
    pooling (max unless ``pools`` says otherwise), flattened per image."""
    for conv, relu, pool in zip(convs, relus, pools):
        x = pool(F.relu(conv(x)) if relu else conv(x), 2)
    return torch.flatten(x, 1)


def _batch_from_view(model: nn.Module, batch: int = 36) -> bool:
    """True when ``model`` turns ``batch`` images of 32x32 (not the size it was written for) into
    another number of rows of scores without an error: a ``view(-1, n)`` flattening, which §3 calls
    unsafe. (36 suits 02.4's DigitNet, 25 suits 02.3's SmallNet: both make a whole number of rows.)"""
    with torch.no_grad():
        try:
            scores = model(torch.zeros(batch, 1, 32, 32))
        except Exception:  # any refusal of the wrong size is fine: only a silent change is noted
            return False
    return isinstance(scores, torch.Tensor) and scores.dim() > 0 and scores.shape[0] != batch


def _note_view(batch: int) -> None:
    """Print the note for a flattening that passes the check but does not keep the batch."""
    print(f"Works, but: your flattening does not keep the batch. {batch} images of another size (32x32) "
          "come out as another number of rows, with no error. Prefer torch.flatten(x, 1).")


def _digitnet_verdict(cls) -> bool | str:
    """True when ``cls()`` builds exercise 02.4's network and computes its scores (with the check's
    weights, on 3 digits of its own); else a word naming what it builds or computes instead."""
    calls = _CallNames()
    with torch.no_grad(), calls:
        made = cls()
    if any(isinstance(m, nn.modules.lazy.LazyModuleMixin) for m in made.modules()):
        return "lazy"  # nn.LazyLinear and kin: PyTorch works in_features out, the exercise asks you to
    if {"conv2d", "linear"} & set(calls.names):
        return "dummy pass"  # __init__ runs a digit through the layers to read in_features off its shape
    model = _seeded(cls(), 24)
    convs, linears = _layers(model, ("conv1", "conv2", "fc1", "head"))
    if len(convs) != 2 or len(linears) != 2:
        return "layers"
    if [_conv_config(c) for c in convs] != DIGITNET_CONVS:
        return "convs"
    if (linears[0].out_features, linears[1].in_features, linears[1].out_features) != (64, 64, 10):
        return "linears"
    x = torch.rand(3, 1, 28, 28, generator=torch.Generator().manual_seed(25))
    with torch.no_grad():
        flat = _two_stages(convs, x)
        if linears[0].in_features != flat.shape[1]:
            return "no second pool" if linears[0].in_features == 4 * flat.shape[1] else "in_features"
        reached = []  # the shape of what reaches fc1
        hook = linears[0].register_forward_pre_hook(lambda module, args: reached.append(tuple(args[0].shape)))
        try:
            scores = model(x)
        except RuntimeError:
            if reached and len(reached[-1]) == 1:
                return "batch flattened"  # torch.flatten(x) without the 1: the 3 digits in one row
            raise
        finally:
            hook.remove()
        hidden = linears[0](flat)
        right = linears[1](F.relu(hidden))
        without_conv_relu = [linears[1](F.relu(linears[0](_two_stages(convs, x, relus))))
                             for relus in ((False, True), (True, False), (False, False))]
        with_avg_pool = [linears[1](F.relu(linears[0](_two_stages(convs, x, pools=pools))))
                         for pools in ((F.avg_pool2d, F.max_pool2d), (F.max_pool2d, F.avg_pool2d),
                                       (F.avg_pool2d, F.avg_pool2d))]
    if scores is None:
        return "returned None"  # forward without a return
    if not isinstance(scores, torch.Tensor) or scores.shape != right.shape:
        return "shape"
    if torch.allclose(scores, right, atol=1e-5):
        if _batch_from_view(model):
            _note_view(36)
        return True
    if torch.allclose(scores, F.relu(right), atol=1e-5):
        return "relu on scores"
    if any(torch.allclose(scores, f(right, 1), atol=1e-5) for f in (F.softmax, F.log_softmax)):
        return "softmax"
    if torch.allclose(scores, linears[1](hidden), atol=1e-5):
        return "no hidden relu"
    if any(torch.allclose(scores, other, atol=1e-5) for other in without_conv_relu):
        return "no conv relu"
    if any(torch.allclose(scores, other, atol=1e-5) for other in with_avg_pool):
        return "avg pool"
    if (scores.gather(1, right.argsort(1)).diff(dim=1) >= -1e-6).all():  # same order: a squashing after head
        return "squashed"
    return "other"


SMALLNET_CONVS = [(1, 6, (3, 3), (0, 0), (1, 1)), (6, 12, (3, 3), (0, 0), (1, 1))]
"""Exercise 02.3's convolutions, which the fix keeps."""


def _smallnet_run(cls, batch: int) -> str | None:
    """What ``cls()`` does with ``batch`` centred digits of the check's own, with its weights: None
    when it gives the right row of scores for each digit, else a word naming what goes wrong.

    The right scores come from its own layers on the digits. Scores right for the digits padded to
    32x32 (fc1 left as it was) are "padded": a fix of the data, which the prompt rules out, since
    the exercise is about making the flattening fit the digits."""
    model = _seeded(cls(), 26)
    convs, (fc1, fc2) = _layers(model, ("conv1", "conv2", "fc1", "fc2"))
    x = torch.randn(batch, 1, 28, 28, generator=torch.Generator().manual_seed(27))
    reached = []  # the shape of what reaches fc1
    hook = fc1.register_forward_pre_hook(lambda module, args: reached.append(tuple(args[0].shape)))
    with torch.no_grad():
        try:
            scores = model(x)
        except RuntimeError as error:
            if re.search(r"shape '\[\d+, -1\]' is invalid", str(error)):
                return "batch typed in"  # view(72, -1): right for one batch size only
            if "mat1 and mat2" not in str(error) or not reached:
                raise
            scores = None
        finally:
            hook.remove()
        per_digit = _two_stages(convs, x).shape[1]
        if reached and len(reached[-1]) == 1:
            return "batch flattened"  # torch.flatten(x) without the 1: all the digits in one row
        if scores is None:  # fc1 refused the rows it got: which side is wrong?
            if reached[-1] == (batch, _two_stages(convs, F.pad(x, (2, 2, 2, 2))).shape[1]):
                return "padded"  # the digits padded to 32x32, whatever fc1 takes
            if reached[-1][0] == batch:
                return "fc1 does not fit"
            return "rows of the old length" if fc1.in_features == per_digit else "other"
        if scores.shape[0] != batch:
            return "rows"
        for digits, verdict in ((x, None), (F.pad(x, (2, 2, 2, 2)), "padded")):
            flat = _two_stages(convs, digits)
            if fc1.in_features == flat.shape[1]:
                right = fc2(F.relu(fc1(flat)))
                if scores.shape == right.shape and torch.allclose(scores, right, atol=1e-5):
                    return verdict
        if reached and reached[-1][1] != per_digit:  # fc1 takes another count than the 2x2 poolings leave
            return "poolings changed"
        if reached and reached[-1] == (batch, per_digit) and scores.shape == (batch, fc2.out_features):
            right = fc2(F.relu(fc1(_two_stages(convs, x))))  # the shapes are right: only the values differ
            return "relu on scores" if torch.allclose(scores, F.relu(right), atol=1e-5) else "scores differ"
    return "other"


def _smallnet_verdict(cls) -> bool | str:
    """True when ``cls()`` gives one right row of scores per digit for batches of 72 and of 5; else
    a word naming what goes wrong."""
    calls = _CallNames()
    with torch.no_grad(), calls:
        made = cls()
    if any(isinstance(m, nn.modules.lazy.LazyModuleMixin) for m in made.modules()):
        return "lazy"  # as in 02.4: PyTorch works in_features out, the exercise asks you to
    if {"conv2d", "linear"} & set(calls.names):
        return "dummy pass"  # __init__ runs a digit through the layers to read in_features off its shape
    convs, linears = _layers(cls(), ("conv1", "conv2", "fc1", "fc2"))
    if [_conv_config(c) for c in convs] != SMALLNET_CONVS or len(linears) != 2:
        return "layers changed"
    if _fifty_rows(cls):  # changed (else check says "not answered yet"), but rows cut as before
        return "still 50 rows" + {"view": " (view)", "reshape": " (reshape)"}.get(_row_cutter(cls), "")
    for batch in (72, 5):
        wrong = _smallnet_run(cls, batch)
        if wrong == "rows of the old length":
            return wrong + {"reshape": " (reshape)"}.get(_row_cutter(cls), "")
        if wrong is not None:
            return wrong
    if _batch_from_view(_seeded(cls(), 26), 25):  # view(-1, 300): 25 images of 32x32 give 36 rows
        _note_view(25)
    return True


def _cut_rows_messages() -> tuple:
    """(answer, hint) for a flattening that still cuts rows of 432, named by the call used."""
    cutter = {"view": "view(-1, 432)", "reshape": "reshape(-1, 432), like view(-1, 432),"}
    old_length = ("fc1 is right now, but the flattening still cuts the numbers into rows of the old "
                  "length ({}(-1, 432) makes rows of 432): give fc1 one row per digit.")
    fifty = ("Your class still gives 50 rows of scores for 72 digits, as the one handed out did: "
             "{} cuts the numbers into rows of 432 whatever the batch. Flatten per image, keeping "
             "the batch dimension.")
    return (("rows of the old length", old_length.format("view")),
            ("rows of the old length (reshape)", old_length.format("reshape")),
            *((f"still 50 rows ({call})", fifty.format(words)) for call, words in cutter.items()),
            ("still 50 rows", fifty.format("its flattening")))


_CUT_ROWS = _cut_rows_messages()


SMALLNET_AS_GIVEN = """
class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 12, 3)
        self.fc1 = nn.Linear(12 * 6 * 6, 84)
        self.fc2 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(-1, 12 * 6 * 6)
        return self.fc2(F.relu(self.fc1(x)))
"""
"""Exercise 02.3's class as the notebook hands it out (a test holds it to the notebook's cell): an
attempt compiled to the same code, whatever its comments and blank lines, is not answered yet."""


def _code_key(code):
    """What a code object computes, without its line numbers and file: comments do not change it."""
    consts = tuple(_code_key(c) if hasattr(c, "co_code") else (type(c).__name__, repr(c)) for c in code.co_consts)
    return code.co_code, code.co_names, code.co_varnames, code.co_argcount, consts


def _source_key(f) -> tuple | None:
    """The tokens of ``f``'s source without comments and blank lines, or None when Python cannot
    find its source (a class made by exec, as in the tests)."""
    try:
        source = textwrap.dedent(inspect.getsource(f))
        return tuple(t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
                     if t.type not in (tokenize.COMMENT, tokenize.NL))
    except Exception:
        return None


def _methods_key(cls, by_source: bool) -> dict | None:
    try:
        return {name: _source_key(f) if by_source else _code_key(f.__code__)
                for name, f in vars(cls).items() if hasattr(f, "__code__")}
    except Exception:
        return None


def _given_class():
    """SMALLNET_AS_GIVEN made into a class whose source inspect can find, as a notebook cell's."""
    filename = "<02.3 as given>"
    linecache.cache[filename] = (len(SMALLNET_AS_GIVEN), None, SMALLNET_AS_GIVEN.splitlines(True), filename)
    namespace = {"nn": nn, "F": F, "torch": torch}
    exec(compile(SMALLNET_AS_GIVEN, filename, "exec", dont_inherit=True), namespace)
    return namespace["SmallNet"]


def _smallnet_as_given(cls) -> bool:
    """The snippet as handed out: the same source (comments and blank lines aside; the same code
    when the source cannot be found), and 72 digits give 50 rows of scores. A changed class that
    still gives 50 rows is answered: it gets a hint naming that."""
    given = _given_class()
    student = _methods_key(cls, by_source=True)
    by_source = student is not None and None not in student.values()
    return _methods_key(cls, by_source) == _methods_key(given, by_source) and _fifty_rows(cls)


def _fifty_rows(cls) -> bool:
    """72 digits give 50 rows of scores, as with the snippet handed out."""
    model = _seeded(cls(), 26)
    with torch.no_grad():
        try:
            scores = model(torch.zeros(72, 1, 28, 28))
        except RuntimeError:
            return False
    return tuple(scores.shape) == (50, 10)


class _CallNames(torch.overrides.TorchFunctionMode):
    """Records the name of every torch function and tensor method called while it is active."""

    def __init__(self):
        super().__init__()
        self.names = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        self.names.append(getattr(func, "__name__", ""))
        return func(*args, **(kwargs or {}))


def _row_cutter(cls) -> str | None:
    """"view" or "reshape": the last of the two that ``cls()``'s forward calls on 72 digits (the
    call that cut the rows, for the hint to name what the student wrote), or None."""
    calls = _CallNames()
    with torch.no_grad(), calls:
        try:
            _seeded(cls(), 26)(torch.zeros(72, 1, 28, 28))
        except RuntimeError:  # fc1 refuses the rows: the calls before it are recorded
            pass
    return next((name for name in reversed(calls.names) if name in ("view", "reshape")), None)


EXERCISES = {
    "02.1": Exercise(
        expected=lambda **o: _flat_features(*_ex1(o)),
        form="a whole number: channels x height x width reaching fc1",
        hints=("Follow the side length step by step: a 3x3 convolution without padding takes 2 off, "
               "a 2x2 pooling halves.",
               "When pooling halves an odd size it rounds down; the last convolution has 16 channels."),
        mistakes=((lambda a, e, o: a == _flat_features_by_hand(*_ex1(o), ceil=True),
                   "Pooling an odd size rounds down, not up: the last row and column are dropped."),
                  (lambda a, e, o: a != e and isinstance(a, (int, float)) and not isinstance(a, bool)
                   and abs(a - _flat_features_by_hand(*_ex1(o), unrounded=True)) < 1e-6,
                   "A side length is a whole number: when pooling halves an odd size it rounds down "
                   "(the last row and column are dropped)."),
                  (lambda a, e, o: _whole(a) is None and isinstance(_as_float(a), float),
                   "fc1 receives a whole number of features: your answer has a fractional part. Follow "
                   "the side lengths as whole numbers (pooling an odd size rounds down)."),
                  (lambda a, e, o: a == _flat_features_by_hand(*_ex1(o), minus_k=True),
                   "A k x k convolution without padding fits k - 1 fewer positions, not k: a 3x3 one "
                   "takes 2 off each side length."),
                  (lambda a, e, o: a == _flat_features_by_hand(*_ex1(o), conv_keeps=True),
                   "A convolution without padding does not keep the side length: a k x k one takes k - 1 "
                   "off, so a 3x3 one takes 2 off (64 becomes 62)."),
                  (lambda a, e, o: a == _flat_features_by_hand(*_ex1(o), size=32),
                   "That is the number for a 32x32 image: this one is bigger, follow its sizes."),
                  (lambda a, e, o: a * a * _last_channels(_ex1(o)[0]) == e,
                   "That is the side length of one map: fc1 receives every channel's map, each height x width."),
                  (lambda a, e, o: a * _last_channels(_ex1(o)[0]) == e,
                   "That is one map: how many channels does the last convolution make?"),
                  (lambda a, e, o: a * _last_channels(_ex1(o)[0]) == e * _first_channels(_ex1(o)[0]),
                   "Those are the first convolution's channels: the maps that reach fc1 come from the "
                   "last convolution."),
                  (lambda a, e, o: a == 16 * 5 * 5,
                   "16 * 5 * 5 is the blitz's number for 5x5 kernels on 32x32: follow these sizes instead.")),
    ),
    "02.2": Exercise(
        expected=lambda **o: _count(_ex2_model(o)),
        same=lambda a, e, o: _same_count(a, e),
        form="an int",
        hints=("Add up out·(in·k·k + 1) for each convolution and out·(in + 1) for each linear layer, "
               "reading the sizes from section 2's TutorialNet code and changing what 32 filters change.",
               "32 filters change two layers: conv2, and fc1, which takes channels x height x width of the "
               "last pooled maps (32 filters change the channels, not the sides)."),
        mistakes=((lambda a, e, o: _whole(a) is None and isinstance(_as_float(a), float),
                   "A parameter count is a whole number: your answer has a fractional part. Give an int."),
                  (lambda a, e, o: _as_float(a) is None,
                   "Give the count as a number, an int."),
                  (lambda a, e, o: a == _count_without(_ex2_model(o), ".bias"),
                   "You counted the weights only: each output channel or unit also has a bias (the + 1)."),
                  (lambda a, e, o: _one_layer_without_bias(_ex2_model(o), a),
                   "One term lacks its biases: every layer adds out of them (the + 1)."),
                  (lambda a, e, o: _one_layer_left_out(_ex2_model(o), a),
                   "One layer is missing from your sum: count every convolution and every linear "
                   "layer, fc3 included."),
                  (lambda a, e, o: a == _fc1_as(_ex2_model(o), 16 * 6 * 6),
                   "fc1 still takes 576 = 16 x 6 x 6 there: with 32 filters in conv2, 32 maps reach fc1."),
                  (lambda a, e, o: a == _conv2_as_5x5(_ex2_model(o)),
                   "TutorialNet's conv2 has 3x3 kernels, not 5x5."),
                  (lambda a, e, o: a == _count(_tutorial_net(16)),
                   "That is TutorialNet as section 2 built it, with 16 filters in conv2: this one has 32."),
                  (lambda a, e, o: a == 61_706,
                   "That is helpers.LeNet's count: TutorialNet's conv2 and fc1 are different.")),
    ),
    "02.3": Exercise(
        expected=lambda: True,
        run=lambda cls: _smallnet_verdict(cls),
        same=lambda a, e, o: a is True,
        unanswered=lambda cls, objects: _smallnet_as_given(cls),
        form="the fixed class",
        hints=("How many numbers does each 28x28 digit really hand to fc1? helpers.shape_trace on a "
               "batch shows what the flattening makes of them; so does one digit, whose error names the "
               "count that really arrives.",
               "A view with -1 fills the rows with whatever count it is given: flatten per image, "
               "keeping the batch dimension, and make fc1 take what each image really has."),
        mistakes=((lambda a, e, o: a == "lazy",
                   "A lazy layer (nn.LazyLinear) works in_features out for you; the exercise asks you to work "
                   "out what each 28x28 digit hands to fc1: give fc1 an nn.Linear with that number."),
                  (lambda a, e, o: a == "dummy pass",
                   "Your __init__ runs an input through the layers to read fc1's in_features off its shape: "
                   "that works, but like nn.LazyLinear it lets PyTorch do the exercise. Work the number out "
                   "from the sizes and give fc1 an nn.Linear with it."),
                  (lambda a, e, o: a == "fc1 does not fit",
                   "The flattening keeps the batch now, and fc1 cannot take those rows: its in_features "
                   "was worked out for 32x32 images. What do 28x28 digits give?"),
                  *((lambda a, e, o, said=said: a == said, message) for said, message in _CUT_ROWS),
                  (lambda a, e, o: a == "batch flattened",
                   "fc1 receives one long row: the flattening flattened the batch too (torch.flatten(x) "
                   "without the 1 starts at dimension 0). Start at dimension 1, so each digit keeps its "
                   "own row."),
                  (lambda a, e, o: a == "rows",
                   "For some batch size the rows of scores still differ from the digits: the flattening "
                   "must keep the batch dimension whatever its size."),
                  (lambda a, e, o: a == "batch typed in",
                   "Your flattening fits one batch size only: with another it cannot make its rows. "
                   "The flattening must keep the batch dimension whatever its size: take it from x, "
                   "not from a typed number."),
                  (lambda a, e, o: a == "padded",
                   "Padding the digits to 32x32 makes the old sizes right again, but the exercise asks "
                   "SmallNet to take the 28x28 digits as they are: make the flattening and fc1 fit the "
                   "maps those give."),
                  (lambda a, e, o: a == "layers changed",
                   "Keep both convolutions as they are (and the two linear layers): make the flattening "
                   "and fc1 fit the maps they produce."),
                  (lambda a, e, o: a == "relu on scores",
                   "The shapes are right now: one row of 10 scores per digit. But your scores are never "
                   "negative: a ReLU on the output (section 4.1). Return fc2's output as it is."),
                  (lambda a, e, o: a == "scores differ",
                   "The shapes are right now: one row of 10 scores per digit, and fc1 gets what each digit "
                   "has. But the scores differ from SmallNet's: did forward change elsewhere (a ReLU added, "
                   "moved or left out)?"),
                  (lambda a, e, o: a == "poolings changed",
                   "fc1 does not receive what the two 2x2 max poolings leave of each 28x28 digit: keep the "
                   "poolings as they are, and the digits' size too (no resizing, no padding); change only "
                   "the flattening and fc1.")),
    ),
    "02.4": Exercise(
        expected=lambda: True,
        run=lambda cls: _digitnet_verdict(cls),
        same=lambda a, e, o: a is True,
        form="the class with its __init__ and forward written",
        hints=("Follow the list of stages in order: every layer with weights is made in __init__, and "
               "forward takes x through them, with a ReLU and the pooling where the list says.",
               "Compare forward with the list, stage by stage: each layer, each ReLU, each 2x2 max pooling, "
               "in the list's order, and nothing else."),
        mistakes=((lambda a, e, o: a == "returned None",
                   "forward returned None: it computes the scores but does not return them. End it with "
                   "return and the head's output."),
                  (lambda a, e, o: a == "layers",
                   "DigitNet has two convolutions and two linear layers, made in __init__ (pooling and "
                   "ReLU have no weights: use them as functions or as one module each)."),
                  (lambda a, e, o: a == "lazy",
                   "A lazy layer (nn.LazyLinear) works in_features out for you; the exercise asks you to work "
                   "it out from the sizes: give fc1 an nn.Linear with the number."),
                  (lambda a, e, o: a == "dummy pass",
                   "Your __init__ runs an input through the layers to read fc1's in_features off its shape: "
                   "that works, but like nn.LazyLinear it lets PyTorch do the exercise. Work the number out "
                   "from the sizes and give fc1 an nn.Linear with it."),
                  (lambda a, e, o: a == "convs",
                   "Check the convolutions against the list: channels in and out, kernel size, padding."),
                  (lambda a, e, o: a == "no second pool",
                   "conv2's maps are pooled too before flattening: 8@14x14 -> conv2 -> ? -> pooled -> ?"),
                  (lambda a, e, o: a == "batch flattened",
                   "fc1 receives the whole batch as one long row: torch.flatten(x) without the 1 starts at "
                   "dimension 0 and flattens the batch too. Flatten from dimension 1: torch.flatten(x, 1)."),
                  (lambda a, e, o: a == "in_features",
                   "Check fc1: fc1's in_features is channels x height x width of the last pooled maps "
                   "(follow the side length through each convolution and pooling)."),
                  (lambda a, e, o: a == "linears",
                   "Check the linear layers: fc1 gives 64 units, head takes them and gives 10."),
                  (lambda a, e, o: a == "relu on scores",
                   "Your scores are the right ones with the negatives cut to 0: head gives logits, "
                   "which get no ReLU."),
                  (lambda a, e, o: a == "softmax",
                   "A softmax turns the scores into probabilities; the loss (05) applies it itself and "
                   "wants the raw scores. Nothing goes after head."),
                  (lambda a, e, o: a == "squashed",
                   "The scores are in the right order but squashed by something after head: nothing goes "
                   "after the last Linear."),
                  (lambda a, e, o: a == "no conv relu",
                   "A ReLU follows each convolution, as the list says (before or after the pooling: "
                   "both give the same numbers)."),
                  (lambda a, e, o: a == "avg pool",
                   "fc1 is right, but the list asks for max pooling (nn.MaxPool2d or F.max_pool2d), "
                   "not average pooling."),
                  (lambda a, e, o: a == "no hidden relu",
                   "Almost: fc1's output goes through a ReLU before head (without it fc1 and head "
                   "collapse into one linear map)."),),
    ),
    "02.5": Exercise(
        expected=lambda: True,
        run=lambda fn: _recorder_verdict(fn),
        same=lambda a, e, o: a is True,
        form="the function record_shapes(model, x) written",
        hints=("Containers (the model, an nn.Sequential) run too, but the layers inside them are what you want: "
               "walk every level of the model, keep the modules that have no children, and hook those.",
               "model.named_modules() walks every level and gives the dotted names; a module is a leaf when "
               "list(module.children()) is empty. Remove the hooks before you return."),
        mistakes=((lambda a, e, o: a == "barred",
                   "Your recorder calls helpers.shape_trace (or helpers.record_forward), which does the job "
                   "for you: the exercise asks you to write the hooks yourself. Start from section 1's cell: "
                   "a register_forward_hook on each leaf module of model.named_modules(), run model(x), "
                   "remove the hooks."),
                  (lambda a, e, o: a == "hooks left",
                   "Your records are right, but the hooks are still on the model: each register_forward_hook "
                   "returns a handle; call .remove() on every one before returning."),
                  (lambda a, e, o: a == "last name",
                   "Every record has the same name: a function made in a loop looks the loop variable up when "
                   "it runs, after the loop. Freeze it with a default argument (name=name) or look the name up "
                   "from the module, as section 1 did."),
                  (lambda a, e, o: a == "foreign names",
                   "Your code raised KeyError with a module as the key: your names dictionary does not know "
                   "this module. Build it inside record_shapes from model.named_modules() of the model you are "
                   "given (section 1's `names` belongs to `net`)."),
                  (lambda a, e, o: a == "children only",
                   "You recorded the model's children, as section 1 did, but here one child is an nn.Sequential "
                   "with layers (and another Sequential) inside: record the layers inside, at every depth, "
                   "named as model.named_modules() names them ('features.0')."),
                  (lambda a, e, o: a == "containers",
                   "Your records include containers (the model itself, or an nn.Sequential): record only leaf "
                   "modules, those with no children of their own."),
                  (lambda a, e, o: a == "order",
                   "The right names, in the wrong order: append each record when its hook runs, so the list "
                   "follows the order in which the layers ran, not the order they were made in."),
                  (lambda a, e, o: a == "names",
                   "Record one (dotted name, shape) per leaf module that ran, named as model.named_modules() "
                   "names them: no input row and no function calls (torch.flatten is not a module)."),
                  (lambda a, e, o: a == "empty",
                   "Your list is empty: nothing was recorded. Each leaf module needs a forward hook that "
                   "appends its (name, output shape), registered before model(x) runs."),
                  (lambda a, e, o: a == "not a list",
                   "Return a list of (name, shape) pairs, the shape as a tuple of ints."),
                  (lambda a, e, o: a == "shapes",
                   "The names are right but not the shapes: record output.shape, the layer's output.")),
    ),
}
