"""Checks for 01_modules_and_layers's exercises.

Each expected value is computed from the objects the exercise cell passes (the layers'
arguments) or from modules the check builds itself, never typed in: it cannot drift from the
notebook, and an answer copied from an earlier output does not pass.
"""
from __future__ import annotations

import inspect
import math
from numbers import Real
import re
from dataclasses import dataclass, field

import torch
from torch import nn

import checks as _checks
from checks import Exercise, Refused


def _weight_shapes(conv_args: dict, linear_args: dict) -> tuple:
    """The weight shapes of nn.Conv2d(**conv_args) and nn.Linear(**linear_args), built on the
    meta device: shapes only, no numbers drawn, so the global random state is left alone."""
    conv = nn.Conv2d(**conv_args, device="meta")
    linear = nn.Linear(**linear_args, device="meta")
    return tuple(conv.weight.shape), tuple(linear.weight.shape)


def _init_bound(conv_args: dict) -> float:
    """1 / sqrt(fan_in) of nn.Conv2d(**conv_args): fan_in = in_channels x kernel height x width."""
    conv = nn.Conv2d(**conv_args, device="meta")
    return 1 / math.sqrt(conv.weight[0].numel())


_TOWER_SIZES = ((5, 3), (4, 1))  # (width, depth) of the towers the check builds


def _fan_in_bound(objects: dict, k_power: int, channels: bool) -> float:
    """1/sqrt of a wrong fan_in, for the mistakes of 01.2: kernel_size ** k_power, times
    in_channels if channels."""
    args = objects["conv_args"]
    return 1 / math.sqrt(args["kernel_size"] ** k_power * (args["in_channels"] if channels else 1))


def _fc1_in_features(network, image_size: int) -> int:
    """What reaches fc1 for one gray image of image_size × image_size: the numbers in one sample of
    network.features' output, from the notebook's own layers (zeros in: no random numbers drawn)."""
    with torch.no_grad():
        return network.features(torch.zeros(1, 1, image_size, image_size))[0].numel()


def _fc1_guess(a, objects: dict, *, skip: tuple = (), channels: int | None = None, side: bool = False) -> bool:
    """01.5's answer equals a wrong count: section 4's four steps (0 conv1 and 2 conv2 take 4 off
    each side, 1 and 3 the poolings halve it) without the steps in ``skip``, times conv2's channels
    (or ``channels``), for the whole square or, if ``side``, one side only."""
    if not _is_whole(a):
        return False
    n = objects["image_size"]
    for step in range(4):
        if step not in skip:
            n = n - 4 if step in (0, 2) else n // 2
    c = objects["network"].conv2.out_channels if channels is None else channels
    return int(_number(a)) == c * (n if side else n * n)


def _is_whole(answer) -> bool:
    """One number (int, float or one-number tensor) with no fractional part."""
    return _is_one_number(answer) and float(_number(answer)).is_integer()


def _number(answer) -> float:
    """A float from a Python number or a one-number tensor (detached: no autograd warning)."""
    return float(answer.detach() if isinstance(answer, torch.Tensor) else answer)


def _is_one_number(answer) -> bool:
    """An int, a float or a one-number tensor (what 01.2 asks for), not a list or a string."""
    if isinstance(answer, torch.Tensor):
        return answer.numel() == 1
    return isinstance(answer, Real) and not isinstance(answer, bool)


def _bound_given(answer, expected: float, objects: dict) -> bool:
    """01.2's answer, to 4 decimals or more: for 1/6 = 0.16666…, anything from 0.1666 (cut after 4
    decimals) to 0.1668 passes, 0.16667 too; 0.167 does not. What the exercise tests is fan_in, not
    rounding; an answer measured from a real layer (not predicted) lies lower, and is told so."""
    if not _is_one_number(answer):
        return False
    cut = math.floor(expected * 1e4) / 1e4
    return cut - 1e-9 <= _number(answer) <= cut + 2e-4 + 1e-9


def _looks_measured(answer, expected: float) -> bool:
    """Just below the bound (2 % below, or less), as the largest |weight| of a real layer almost always is."""
    return 0.98 * expected <= _number(answer) < expected


def _too_coarse(answer, expected: float) -> bool:
    """The bound rounded to 2 or 3 decimals."""
    return any(math.isclose(_number(answer), round(expected, d), abs_tol=1e-9) for d in (2, 3))


@dataclass(frozen=True)
class _TowerCount:
    """What the check measures of one Tower(width, depth), in words when it is shown. ``calls``:
    how many times one forward pass runs each distinct layer in ``hidden``; ``relu_each``: whether
    the output is last(relu(… relu(first(t)) …)), computed with the tower's own layers;
    ``hidden_type``: the type of ``hidden`` (for a hint only, not compared)."""
    width: int
    depth: int
    numbers: int
    output: tuple
    calls: tuple
    relu_each: bool = True
    hidden_type: str = field(default="", compare=False)

    def __repr__(self) -> str:
        runs = ("runs each hidden layer once" if self.calls and set(self.calls) == {1}
                else f"runs its one hidden layer {self.calls[0]} times" if len(self.calls) == 1
                else f"runs its hidden layers {', '.join(map(str, self.calls))} times" if self.calls
                else "runs no hidden layer")
        relu = "" if self.relu_each else ", but its output is not last(relu(… relu(first(t)) …))"
        return (f"Tower({self.width}, {self.depth}): parameters() holds {self.numbers} numbers, "
                f"its output has shape {self.output}, forward {runs}{relu}")


@dataclass(frozen=True)
class _TowerCounts:
    """The counts of every tower the check builds."""
    towers: tuple

    def __repr__(self) -> str:
        return "; ".join(map(repr, self.towers))


def _tower_counts(cls) -> _TowerCounts:
    """Numbers in parameters(), output shape, and how often forward runs each distinct hidden
    layer (forward hooks count the calls), of cls(width, depth) on 2 inputs of 8 features, for
    each size in _TOWER_SIZES (two depths, so that a depth written into the class fails)."""
    counts = []
    for width, depth in _TOWER_SIZES:
        model = cls(width=width, depth=depth)
        hidden = getattr(model, "hidden", None)
        if hidden is None:
            raise Refused("your Tower has no attribute hidden: keep the hidden layers in self.hidden, as the "
                          "given class does (its forward loops over self.hidden).")
        try:
            layers = list(hidden)
        except TypeError:  # one module, not a container
            layers = [hidden]
        distinct = list({id(layer): layer for layer in layers if isinstance(layer, nn.Module)}.values())
        calls = [0] * len(distinct)

        def counter(k):
            def hook(module, inputs, output):
                calls[k] += 1
            return hook

        handles = [layer.register_forward_hook(counter(k)) for k, layer in enumerate(distinct)]
        try:
            out = model(torch.zeros(2, 8))
        finally:
            for handle in handles:
                handle.remove()
        counts.append(_TowerCount(width, depth, sum(p.numel() for p in model.parameters()), tuple(out.shape),
                                  tuple(calls), _relu_each(model, layers), type(hidden).__name__))
    return _TowerCounts(tuple(counts))


def _relu_each(model, layers: list) -> bool:
    """Whether model's output on random inputs is last(relu(… relu(first(t)) …)), through each of
    ``layers`` in order, as the given forward computes it: a forward that drops a ReLU (or runs the
    layers in another order) runs each layer once and still fails. True when the tower has no
    first or last module to compare with (other counts then tell what is wrong)."""
    first, last = getattr(model, "first", None), getattr(model, "last", None)
    if not all(isinstance(m, nn.Module) for m in (first, last, *layers)):
        return True
    x = torch.randn(2, 8, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        t = torch.relu(first(x))
        for layer in layers:
            t = torch.relu(layer(t))
        given, out = last(t), model(x)
    return tuple(out.shape) == tuple(given.shape) and torch.allclose(out, given, atol=1e-5)


def _tower_numbers(width: int, hidden: int) -> int:
    """Numbers in a Tower of this width whose `hidden` hidden layers have weights of their own."""
    return (8 * width + width) + hidden * (width * width + width) + (width * 3 + 3)


def _tower_expected() -> _TowerCounts:
    return _TowerCounts(tuple(_TowerCount(w, d, _tower_numbers(w, d), (2, 3), (1,) * d) for w, d in _TOWER_SIZES))


_named: set = set()  # the 01.3 mistakes whose first hint was given since the last fresh start


def _tiered(test, hint: str, stronger: str) -> tuple:
    """Two entries of ``mistakes`` for one mistake: ``hint`` the first time this mistake is made,
    ``stronger`` when the same mistake comes again (another mistake starts with its own hint)."""
    key = object()

    def again(a, e, o) -> bool:
        if _checks._wrong_tries.get("01.3", 0) <= 1:  # a first wrong try (fresh, or after a ✓)
            _named.clear()
        return key in _named and test(a, e, o)

    def first(a, e, o) -> bool:
        if test(a, e, o):
            _named.add(key)
            return True
        return False

    return ((again, stronger), (first, hint))


def _same_layers(a, e) -> bool:
    """Every tower registers the right numbers and gives the right shape (forward aside)."""
    return all((t.numbers, t.output) == (x.numbers, x.output) for t, x in zip(a.towers, e.towers))


# The methods of the exercise cell as given: the untouched cell says "not answered yet"; a class
# with either method changed is checked (and gets a hint if it is still wrong).
_GIVEN_TOWER_INIT = """
    def __init__(self, width, depth):
        super().__init__()
        self.first = nn.Linear(8, width)
        self.hidden = nn.ModuleList([nn.Linear(width, width)] * depth)
        self.last = nn.Linear(width, 3)
"""
_GIVEN_TOWER_FORWARD = """
    def forward(self, t):
        t = F.relu(self.first(t))
        for layer in self.hidden:
            t = F.relu(layer(t))
        return self.last(t)
"""


def _code_only(source: str) -> str:
    """Source without comments and whitespace, to compare two versions of a cell."""
    return "".join(re.sub(r"#.*", "", line).replace(" ", "") for line in source.splitlines())


def _given_tower_code(method: str):
    """The code object of a given method, compiled here: compared with the student's when no
    source can be read (a class defined through exec)."""
    namespace = {"nn": nn}
    exec(compile("class Tower(nn.Module):" + _GIVEN_TOWER_INIT + _GIVEN_TOWER_FORWARD, "<given>", "exec"),
         namespace)
    return getattr(namespace["Tower"], method).__code__


def _tower_untouched(cls, objects) -> bool:
    """Whether both __init__ and forward are still the given ones."""
    for method, given_source in (("__init__", _GIVEN_TOWER_INIT), ("forward", _GIVEN_TOWER_FORWARD)):
        function = getattr(cls, method, None)
        try:
            source = inspect.getsource(function)
        except (OSError, TypeError):  # no source to read: compare the compiled code instead
            code, given = getattr(function, "__code__", None), _given_tower_code(method)
            if code is None or not all(getattr(code, name) == getattr(given, name)
                                       for name in ("co_code", "co_names", "co_consts", "co_varnames")):
                return False
            continue
        if _code_only(source) != _code_only(given_source):
            return False
    return True


def _raises_not_implemented(call, cls) -> bool:
    """Whether call(a bare cls instance, whose __init__ has not run) raises NotImplementedError: a
    method still the stub does; a written one fails otherwise (no parameters yet) or returns."""
    try:
        call(cls.__new__(cls))
    except NotImplementedError:
        return True
    except Exception:
        return False
    return False


# 01.4's steps 2 and 3, called on a bare instance to tell a written method from the stub
_LATER_STEPS = (("forward", lambda layer: type(layer).forward(layer, torch.zeros(1, 7))),
                ("extra_repr", lambda layer: type(layer).extra_repr(layer)))


# 01.4's stronger hint, keyed to the step whose requirement failed (not to the number of tries)
_STRONGER = {
    "init": "Section 7's Scale registers an nn.Parameter: after super().__init__(), assign self.weight and "
            "self.bias as nn.Parameter(…) of shapes (out_features, in_features) and (out_features,), and "
            "keep the two sizes as self.in_features and self.out_features.",
    "range": "torch.rand(shape) draws numbers uniformly from [0, 1), and in_features ** -0.5 is "
             "1/√in_features: scale them to the width of the range, shift them so that it is centred on 0, "
             "then wrap the result in nn.Parameter(…).",
    "forward": "Section 1's cell computes x @ fc.weight.T + fc.bias: do the same with self.weight and self.bias.",
    "repr": "Step 3 returns one f-string of the two sizes step 1 keeps in self, in the words nn.Linear(7, 3) "
            "prints inside its brackets.",
}
_FIRST_HINT = "Fix what the message names, then run the cell again."
_STEP = {"init": "step 1, __init__", "range": "step 1, the random start", "forward": "step 2, forward",
         "repr": "step 3, extra_repr"}  # the prompt's step that each stage checks
# 01.4's one hint, set before each ✗: the generic one, or from a second miss at the same step that
# step's stronger hint (check() reads hints[0], so the list is filled in place)
_HINTS = [_FIRST_HINT]
_stage = ["init"]  # the step _my_linear is checking; set as it goes
_step_misses: dict[str, int] = {}


def _my_linear_keyed(cls) -> bool:
    """_my_linear, with the stronger hint of the failing step added from its second miss on."""
    if "01.4" not in _checks._wrong_tries:  # a fresh start (or a right answer): forget earlier misses
        _step_misses.clear()
    _stage[0] = "init"
    try:
        result = _my_linear(cls)
    except Refused as why:
        stage = _stage[0]
        _step_misses[stage] = _step_misses.get(stage, 0) + 1
        _HINTS[0] = (_STRONGER[stage] if _step_misses[stage] >= 2
                     else f"Fix what the message names (the prompt's {_STEP[stage]}), then run the cell again.")
        raise
    except Exception:  # the student's code raised: the generic hint
        _HINTS[0] = _FIRST_HINT
        raise
    _step_misses.clear()
    return result


class _SeesLinear(torch.overrides.TorchFunctionMode):
    """Notes whether F.linear runs inside it, whatever name the code calls it by."""

    def __init__(self):
        super().__init__()
        self.seen = False

    def __torch_function__(self, func, types, args=(), kwargs=None):
        if func is nn.functional.linear:
            self.seen = True
        return func(*args, **(kwargs or {}))


def _my_linear(cls) -> bool:
    """Builds cls(7, 3) and cls(40, 1000) and checks what a linear layer must be: registered
    parameters of the right shapes, PyTorch's default random start, the formula, the printout."""
    if isinstance(cls, type) and issubclass(cls, nn.Linear):
        raise Refused("your class extends nn.Linear, so it is already a linear layer: the exercise asks "
                      "for an nn.Module with your own two parameters, and @ and +.")
    for method, what in (("forward", "your forward calls"), ("__init__", "your __init__ builds")):
        _stage[0] = "forward" if method == "forward" else "init"  # a second miss gets that step's stronger hint
        code = getattr(getattr(cls, method, None), "__code__", None)
        if code is not None and {"linear", "Linear"} & set(code.co_names):
            raise Refused(f"{what} a linear layer (nn.Linear or F.linear): the exercise asks for your "
                          "own two parameters, and @ and +.")
    _stage[0] = "init"
    try:
        layer = cls(7, 3)
    except AttributeError as error:
        if "before Module.__init__() call" not in str(error):
            raise
        raise Refused(f"your __init__ raised AttributeError: {error}. Its first line must be "
                      "super().__init__(): nn.Module's own __init__ sets up the records of parameters "
                      "and layers.") from None
    except NotImplementedError:
        done = [step for step, call in _LATER_STEPS if not _raises_not_implemented(call, cls)]
        if done:  # forward or extra_repr written, __init__ not yet
            raise Refused(f"step 1 (__init__) still raises NotImplementedError, although you wrote "
                          f"{' and '.join(done)}: the other steps need its parameters.") from None
        raise
    inner = [name for name, module in layer.named_modules() if isinstance(module, nn.Linear)]
    if inner:  # an nn.Linear kept as a child, reached under another name (Linear as L, getattr)
        raise Refused(f"your module holds an nn.Linear ({', '.join(inner)}): the exercise asks for your "
                      "own two parameters, and @ and +, with no linear layer inside.")
    params = dict(layer.named_parameters())
    computed = [name for name in ("weight", "bias") if name not in params
                and isinstance(getattr(layer, name, None), torch.Tensor) and getattr(layer, name).grad_fn is not None]
    if computed:  # nn.Parameter(...) * 2 * b - b, or torch.rand(..., requires_grad=True) * 2 * b - b
        one = len(computed) == 1
        verb, has, it, an = ("is", "it has", "it", "an nn.Parameter") if one else \
            ("are", "they have", "them", "nn.Parameters")
        raise Refused(f"your {' and '.join(computed)} {verb} the result of a computation ({has} a grad_fn), "
                      f"not {an}, so the module does not register {it} (section 7): do the arithmetic "
                      "first, then wrap the result in nn.Parameter(…).")
    if set(params) != {"weight", "bias"}:
        found = f"registers {sorted(params)} as parameters" if params else "registers no parameters"
        plain = [name for name in ("weight", "bias") if name not in params
                 and isinstance(getattr(layer, name, None), torch.Tensor)]
        fix = (f" Your {' and '.join(plain)}: a plain tensor, even with requires_grad, is not registered; "
               "wrap it in nn.Parameter(…) (section 7).") if plain else ""
        raise Refused(f"the module {found}; a linear layer registers exactly two, weight and bias.{fix}")
    weight, bias = params["weight"], params["bias"]
    if tuple(weight.shape) != (3, 7) or tuple(bias.shape) != (3,):
        raise Refused(f"for in_features=7, out_features=3 your weight is {tuple(weight.shape)} and your "
                      f"bias {tuple(bias.shape)}; they should be (out_features, in_features) = (3, 7) "
                      "and (out_features,) = (3,).")
    if not (weight.requires_grad and bias.requires_grad):
        raise Refused("a parameter has requires_grad=False: it would never learn.")
    _stage[0] = "repr"
    if cls.__repr__ is not nn.Module.__repr__:
        raise Refused("your class replaces __repr__: the exercise asks for extra_repr, the part that "
                      "nn.Module's own printout asks each module for (section 5).")
    _stage[0] = "range"
    wide = cls(40, 1000)
    bound = 1 / math.sqrt(40)
    for module, fan_in in ((layer, 7), (wide, 40)):
        if any(p.detach().abs().max() > 1 / math.sqrt(fan_in) + 1e-6 for p in module.parameters()):
            raise Refused("some numbers lie outside ±1/√in_features: draw weight and bias uniformly in "
                          "that range, as nn.Linear does.")
    if len(torch.unique(wide.weight.detach())) < wide.weight.numel() // 2:
        raise Refused("many weights are equal: the start must be random, or the outputs learn the same thing.")
    for name in ("weight", "bias"):
        numbers = getattr(wide, name).detach()
        # uniform over ±bound: about a quarter lie below -bound/2, and a quarter above +bound/2
        below = (numbers < -bound / 2).float().mean().item()
        above = (numbers > bound / 2).float().mean().item()
        largest = numbers.abs().max().item()
        if len(torch.unique(numbers)) > 1 and largest < bound / 2:
            why = ("Is your bound 1/in_features, without the square root?" if largest < 1.2 / 40 else
                   "That is half the width: scale numbers drawn from [0, 1) by 2 × bound (from −bound to "
                   "+bound), then shift them by −bound." if largest > 0.4 * bound else
                   "Check your bound, and the width your numbers are scaled to.")
            raise Refused(f"for in_features=40 your {name} lies within ±{largest:.3g}, "
                          f"much narrower than ±1/√40 ≈ {bound:.3f}. {why}")
        if not (0.17 < below < 0.33 and 0.17 < above < 0.33):
            shift = (" None is below 0: scale numbers drawn from [0, 1) to the width of the range, then "
                     "shift them so that the range is centred on 0." if above > 0.4 and not (numbers < 0).any() else "")
            yours = (f"all of yours are equal ({numbers[0].item():.4g})" if len(torch.unique(numbers)) == 1
                     else f"yours: {below:.0%} below, {above:.0%} above")
            raise Refused(f"for in_features=40 your {name} is not spread evenly between −1/√40 and +1/√40: "
                          f"drawn uniformly, about 25% of its numbers lie below −0.5/√40 and 25% above "
                          f"+0.5/√40; {yours}.{shift}")
    again = cls(40, 1000)
    if torch.equal(again.weight.detach(), wide.weight.detach()):
        raise Refused(f"two {cls.__name__}(40, 1000) built one after the other start with the same weights: "
                      "draw them at random (torch.rand), so that every new layer starts differently.")
    x = torch.randn(4, 7, generator=torch.Generator().manual_seed(1))
    _stage[0] = "forward"
    try:
        with _SeesLinear() as watch:  # F.linear under another name (lin = F.linear) or passed in
            out = layer(x)
    except NotImplementedError:
        raise Refused("step 1 (__init__) passes; step 2 (forward) still raises NotImplementedError.") from None
    except RuntimeError as error:
        if "cannot be multiplied" not in str(error):
            raise
        # the weight is (out, in), checked above: x @ weight without .T does not fit
        raise Refused(f"your forward raised RuntimeError: {error}. weight is (out_features, in_features): one row "
                      "per output, so multiply by weight.T (section 1).") from None
    if watch.seen:
        raise Refused("your forward calls F.linear (under another name): the exercise asks for your own "
                      "computation, with @ and +.")
    if tuple(out.shape) != (4, 3) or not torch.allclose(out, x @ weight.T + bias, atol=1e-5):
        raise Refused("forward on a batch of 4 inputs of 7 features does not give x @ W.T + b, shape (4, 3).")
    if out.grad_fn is None:
        raise Refused("forward's output has no history: compute it from the parameters (no torch.no_grad()).")
    _stage[0] = "repr"
    try:
        text = repr(layer)
    except NotImplementedError:
        raise Refused("steps 1–2 (__init__ and forward) pass; step 3 (extra_repr) still raises "
                      "NotImplementedError.") from None
    except AttributeError as error:
        if "_features" not in str(error):
            raise
        raise Refused(f"your extra_repr raised AttributeError: {error}. Step 1 keeps in_features and "
                      "out_features as attributes of self, so that extra_repr can read them.") from None
    if text != f"{cls.__name__}(in_features=7, out_features=3)":
        no_bias = " (no bias=…: the prompt asks for the two sizes only)" if "bias" in text else ""
        raise Refused(f"print(layer) shows {text!r}; extra_repr should give "
                      f"'in_features=7, out_features=3'{no_bias} (nn.Module adds the class name and brackets).")
    for module, sizes in ((layer, (7, 3)), (wide, (40, 1000))):
        kept = tuple(getattr(module, name, None) for name in ("in_features", "out_features"))
        if kept != sizes:
            raise Refused(f"step 1 keeps in_features and out_features as attributes of self; "
                          f"{cls.__name__}{sizes} has in_features={kept[0]!r}, out_features={kept[1]!r}.")
    wide_text = repr(wide)
    if wide_text != f"{cls.__name__}(in_features=40, out_features=1000)":
        raise Refused(f"print({cls.__name__}(40, 1000)) shows {wide_text!r}: extra_repr should read the two "
                      "sizes from the attributes step 1 keeps, whatever they are.")
    return True


EXERCISES = {
    "01.1": Exercise(
        expected=_weight_shapes,
        form="a pair of tuples of ints: (conv weight shape, linear weight shape)",
        hints=("A weight has one slice per output: out_channels / out_features come first.",
               "Conv2d: one filter per output channel, each with a slice per input channel and kernel "
               "height x width; Linear: one row per output feature."),
        mistakes=((lambda a, e, o: isinstance(a, (tuple, list))
                   and (len(a) != 2 or not all(isinstance(s, (tuple, list)) for s in a)),
                   "Give two shapes, one per layer, as a pair of tuples: (conv weight shape, linear weight "
                   "shape)."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2
                   and tuple(a[0]) == tuple(e[1]) and tuple(a[1]) == tuple(e[0]),
                   "Both shapes are right, in the wrong order: the pair is (conv weight shape, linear "
                   "weight shape), the conv layer first."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and len(a[0]) != 4,
                   "A Conv2d weight has four dimensions: (out, in, kH, kW)."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and len(a[1]) != 2,
                   "A Linear weight has two dimensions: (out_features, in_features)."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2
                   and (tuple(a[1]) == tuple(reversed(e[1]))
                        or tuple(a[0]) == (e[0][1], e[0][0], *e[0][2:]) != e[0]),
                   "The order of the constructor's arguments (in, out) is not the order of the weight's "
                   "dimensions: a weight is stored output first, (out, in, …)."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and len(a[0]) == 4
                   and tuple(a[0][2:]) != e[0][2:],
                   "kernel_size=3 means a 3 × 3 window: the last two dimensions, kH and kW, are the kernel's "
                   "height and width."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and len(a[0]) == 4
                   and a[0][0] == e[0][0] and a[0][1] != e[0][1],
                   "The second dimension is in_channels: one kH × kW slice per input channel. How many "
                   "channels does this layer read?"),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2
                   and [len(s) for s in a] == [4, 2]
                   and sum(x != y for s, t in zip(a, e) for x, y in zip(s, t)) == 1,
                   "The order of the dimensions is right; one number is not: compare each with the layer's "
                   "arguments."),),
    ),
    "01.2": Exercise(
        expected=_init_bound,
        same=_bound_given,
        form="a number (a float, to 4 decimals)",
        hints=("The bound is 1/√fan_in, and fan_in is how many inputs one output number adds up.",
               "One output number of a convolution reads a window of every input channel: count the "
               "numbers in one filter."),
        mistakes=((lambda a, e, o: isinstance(a, str),
                   "Expected a number, got str: remove the quotes."),
                  (lambda a, e, o: not _is_one_number(a),
                   "Expected one number, written alone (no brackets), to 4 decimals."),
                  (lambda a, e, o: math.isclose(_number(a), 1 / e ** 2, rel_tol=1e-3),
                   "That is fan_in itself, and your fan_in is right: the bound is 1/√fan_in."),
                  (lambda a, e, o: math.isclose(_number(a), 1 / e, rel_tol=1e-2),
                   "That is √fan_in, and your fan_in is right: the bound is one over it, 1/√fan_in."),
                  (lambda a, e, o: _number(a) < 0 and math.isclose(-_number(a), e, abs_tol=5e-4),
                   "The weights lie between −bound and +bound: the bound is the positive end of the range."),
                  (lambda a, e, o: _too_coarse(a, e),
                   "Right idea: now give the bound to 4 decimals."),
                  (lambda a, e, o: _looks_measured(a, e),
                   "That looks measured from a real layer: its largest weight lies a little below the "
                   "bound, and changes with the seed. Predict the bound itself from fan_in, rounded to 4 decimals."),
                  (lambda a, e, o: abs(_number(a) - e) < 5e-4,
                   "Close: your fan_in is right; check the 4th decimal."),
                  (lambda a, e, o: math.isclose(float(a), 1 / math.sqrt(o["conv_args"]["out_channels"]
                                                                     * o["conv_args"]["kernel_size"] ** 2), rel_tol=1e-2),
                   "out_channels counts the outputs, not the inputs that one output reads."),
                  (lambda a, e, o: math.isclose(float(a), _fan_in_bound(o, k_power=2, channels=False), rel_tol=1e-2),
                   "1/√(kH × kW) counts one channel's window: one output of a convolution reads that window "
                   "in every input channel."),
                  (lambda a, e, o: math.isclose(float(a), _fan_in_bound(o, k_power=0, channels=True), rel_tol=1e-2),
                   "1/√in_channels counts the channels only: one output of a convolution reads a whole "
                   "kernel-sized window of each channel."),
                  (lambda a, e, o: math.isclose(float(a), _fan_in_bound(o, k_power=1, channels=True), rel_tol=1e-2)
                   or math.isclose(float(a), _fan_in_bound(o, k_power=1, channels=False), rel_tol=1e-2),
                   "kernel_size=3 means a 3 × 3 window: count both its height and its width."),
                  (lambda a, e, o: math.isclose(float(a), e * e, rel_tol=1e-2),
                   "That is 1/fan_in: the bound is one over its square root."),
                  (lambda a, e, o: math.isclose(float(a), 1 / 5, rel_tol=1e-3),
                   "0.2 is conv1's bound (fan_in 1 × 5 × 5 = 25, section 9). This layer has its own "
                   "in_channels and kernel_size: count the numbers in one of its filters.")),
    ),
    "01.3": Exercise(
        expected=lambda: _tower_expected(),
        run=lambda cls: _tower_counts(cls),
        unanswered=_tower_untouched,
        form="the fixed class",
        hints=("parameters() yields each tensor once, however often the model uses it. Count Tower(5, 3)'s "
               "parameters layer by layer and compare: which hidden layers have weights of their own?",
               "[x] * 3 is a list holding the same object x three times; a layer listed three times is "
               "one layer, with one set of weights."),
        mistakes=(*_tiered(lambda a, e, o: a.towers[0].numbers == _tower_numbers(5, 0)
                           and a.towers[0].hidden_type in ("list", "tuple"),
                           "No hidden layer is registered now: a plain Python list is not a module, so the "
                           "module does not look inside it (section 8).",
                           "Your hidden layers sit in a plain Python list, which nn.Module does not look "
                           "inside. Section 8's ModuleListChain keeps its layers in nn.ModuleList(…), a list "
                           "that registers what it holds: do the same."),
                  *_tiered(lambda a, e, o: a.towers[0].numbers == _tower_numbers(5, 0),
                           "No hidden layer's weights are registered: what does your code put in "
                           "self.hidden?",
                           "Print Tower(5, 3).hidden and list(Tower(5, 3).named_parameters()): the hidden "
                           "layers must be modules held by an nn.ModuleList (section 8)."),
                  *_tiered(lambda a, e, o: a.towers[0].numbers == _tower_numbers(5, 1),
                           "Only one hidden layer's weights are registered, although Tower(5, 3) has three "
                           "hidden layers: are they three layers, or one layer object listed three times?",
                           "[layer] * depth holds ONE layer object depth times: one set of weights. Call "
                           "nn.Linear(width, width) once per hidden layer (a loop, or a list comprehension), "
                           "so that each is a new layer."),
                  *_tiered(lambda a, e, o: a.towers[0].numbers in (_tower_numbers(5, 2), _tower_numbers(5, 4)),
                           "Tower(5, 3) should have 3 hidden layers between first and last; yours registers "
                           "the weights of 2 or 4: count how many layers your code puts in hidden.",
                           "Print len(Tower(5, 3).hidden): it should be 3, the depth. Check the range or "
                           "the count your code uses to build hidden."),
                  *_tiered(lambda a, e, o: (a.towers[0].numbers, a.towers[0].output)
                           == (e.towers[0].numbers, e.towers[0].output) and not _same_layers(a, e),
                           "Tower(5, 3) is right now, Tower(4, 1) is not: does the number of hidden layers "
                           "follow the argument depth?",
                           "Look for a number written into your __init__: the count of hidden layers must "
                           "come from the argument depth (range(depth)), whatever it is."),
                  *_tiered(lambda a, e, o: _same_layers(a, e)
                           and all(t.calls == x.calls for t, x in zip(a.towers, e.towers)),
                           "The hidden layers are right now, and forward runs each once, but its output is not "
                           "the given forward's: keep F.relu after first and after each hidden layer.",
                           "Go back to the given forward: `t = F.relu(self.first(t))`, then `for layer in "
                           "self.hidden: t = F.relu(layer(t))`, then `return self.last(t)`."),
                  *_tiered(lambda a, e, o: _same_layers(a, e),
                           "The hidden layers are right now, but forward does not run each of them once: "
                           "it should call every layer of self.hidden, in order, on t.",
                           "Go back to the given forward: `for layer in self.hidden: t = F.relu(layer(t))` "
                           "runs each hidden layer once, in order, between first and last.")),
    ),
    "01.4": Exercise(
        expected=lambda: True,
        run=lambda cls: _my_linear_keyed(cls),
        form="the class MyLinear",
        # one hint, set by _my_linear_keyed: a second miss at the same step gives that step's stronger hint
        hints=_HINTS,
    ),
    "01.5": Exercise(
        expected=lambda network, image_size: _fc1_in_features(network, image_size),
        same=lambda a, e, o: _is_whole(a) and int(_number(a)) == e,
        form="a whole number",
        hints=("Follow a 32×32 image through section 4's steps: conv1, pooling, conv2, pooling. fc1 receives "
               "conv2's channels × the height × the width that are left.",
               "Each 5×5 convolution takes 4 off the height and the width, and each pooling halves them: "
               "32 → 28 → 14 → … Then multiply by conv2's 12 channels."),
        mistakes=((lambda a, e, o: isinstance(a, str),
                   "Expected a number, got str: remove the quotes."),
                  (lambda a, e, o: not _is_whole(a),
                   "Expected one whole number: fc1's in_features counts values."),
                  (lambda a, e, o: _is_whole(a) and int(_number(a)) == o["network"].fc1.in_features,
                   "That is fc1's in_features for 28×28 images (section 4). A 32×32 image leaves more: "
                   "follow it through the same four steps."),
                  (lambda a, e, o: _is_whole(a) and int(_number(a)) == o["image_size"] ** 2,
                   "That is the image's pixels. fc1 receives what the convolutions and poolings leave of them."),
                  (lambda a, e, o: _is_whole(a) and o["image_size"] != 36
                   and int(_number(a)) == _fc1_in_features(o["network"], 36),
                   "That is section 4's count for a 36×36 image (12 × 6 × 6). Follow a 32×32 image through "
                   "the same four steps: conv1, pooling, conv2, pooling."),
                  (lambda a, e, o: any(_fc1_guess(a, o, skip=k) for k in ((0,), (2,), (0, 2))),
                   "Both convolutions shrink the image: a 5×5 convolution takes 4 off the height and the "
                   "width (section 4's table: 28 → 24)."),
                  (lambda a, e, o: any(_fc1_guess(a, o, skip=k) for k in ((1,), (3,), (1, 3))),
                   "Both poolings halve the height and the width: there is one after each convolution."),
                  (lambda a, e, o: _fc1_guess(a, o, side=True),
                   "That is conv2's channels × one side. Each channel is a square: count height × width."),
                  (lambda a, e, o: _fc1_guess(a, o, channels=1),
                   "Your height and width are right. Each of conv2's 12 channels holds that many values: "
                   "multiply by the channels."),
                  (lambda a, e, o: _fc1_guess(a, o, channels=o["network"].conv1.out_channels),
                   "Your height and width are right, but the last convolution is conv2: count its channels.")),
    ),
}
