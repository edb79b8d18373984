"""Checks for 01_modules_and_layers's exercises.

Each expected value is computed from the objects the exercise cell passes (the layers'
arguments) or from modules the check builds itself, never typed in: it cannot drift from the
notebook, and an answer copied from an earlier output does not pass.
"""
from __future__ import annotations

import math

import torch
from torch import nn

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


def _tower_counts(cls) -> tuple:
    """(numbers in parameters(), output shape) of cls(width=5, depth=3) on 2 inputs of 8 features."""
    model = cls(width=5, depth=3)
    out = model(torch.zeros(2, 8))
    return sum(p.numel() for p in model.parameters()), tuple(out.shape)


def _tower_expected() -> tuple:
    return (8 * 5 + 5) + 3 * (5 * 5 + 5) + (5 * 3 + 3), (2, 3)


def _tower_untouched(cls, objects) -> bool:
    return _tower_counts(cls)[0] == (8 * 5 + 5) + (5 * 3 + 3)


def _my_linear(cls) -> bool:
    """Builds cls(7, 3) and cls(40, 2) and checks what a linear layer must be: registered
    parameters of the right shapes, PyTorch's default random start, the formula, the printout."""
    for method, what in (("forward", "your forward calls"), ("__init__", "your __init__ builds")):
        code = getattr(getattr(cls, method, None), "__code__", None)
        if code is not None and {"linear", "Linear"} & set(code.co_names):
            raise Refused(f"{what} a linear layer (nn.Linear or F.linear): the exercise asks for your "
                          "own two parameters, and @ and +.")
    layer = cls(7, 3)
    params = dict(layer.named_parameters())
    if set(params) != {"weight", "bias"}:
        raise Refused(f"the module registers {sorted(params)} as parameters; a linear layer registers "
                      "exactly two, weight and bias.")
    weight, bias = params["weight"], params["bias"]
    if tuple(weight.shape) != (3, 7) or tuple(bias.shape) != (3,):
        raise Refused(f"for in_features=7, out_features=3 your weight is {tuple(weight.shape)} and your "
                      f"bias {tuple(bias.shape)}.")
    if not (weight.requires_grad and bias.requires_grad):
        raise Refused("a parameter has requires_grad=False: it would never learn.")
    wide = cls(40, 2)
    for module, fan_in in ((layer, 7), (wide, 40)):
        if any(p.detach().abs().max() > 1 / math.sqrt(fan_in) + 1e-6 for p in module.parameters()):
            raise Refused("some numbers lie outside ±1/√in_features: draw weight and bias uniformly in "
                          "that range, as nn.Linear does.")
    if len(torch.unique(wide.weight.detach())) < wide.weight.numel() // 2:
        raise Refused("many weights are equal: the start must be random, or the outputs learn the same thing.")
    if wide.weight.detach().abs().max() < 0.5 / math.sqrt(40):
        raise Refused("the weights are all much smaller than 1/√in_features: use the whole range ±1/√in_features.")
    x = torch.randn(4, 7, generator=torch.Generator().manual_seed(1))
    out = layer(x)
    if tuple(out.shape) != (4, 3) or not torch.allclose(out, x @ weight.T + bias, atol=1e-5):
        raise Refused("forward on a batch of 4 inputs of 7 features does not give x @ W.T + b, shape (4, 3).")
    if out.grad_fn is None:
        raise Refused("forward's output has no history: compute it from the parameters (no torch.no_grad()).")
    if repr(layer) != f"{cls.__name__}(in_features=7, out_features=3)":
        raise Refused(f"print(layer) shows {repr(layer)!r}; extra_repr should give "
                      "'in_features=7, out_features=3' (nn.Module adds the class name and brackets).")
    return True


EXERCISES = {
    "01.1": Exercise(
        expected=_weight_shapes,
        form="a pair of tuples of ints: (conv weight shape, linear weight shape)",
        hints=("A weight has one slice per output: out_channels / out_features come first.",
               "Conv2d: one filter per output channel, each with a slice per input channel and kernel "
               "height x width; Linear: one row per output feature."),
        mistakes=((lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2
                   and tuple(a[1]) == tuple(reversed(e[1])),
                   "The order of the constructor's arguments (in, out) is not the order of the weight's "
                   "dimensions: a weight is stored output first, (out, in, …)."),),
    ),
    "01.2": Exercise(
        expected=_init_bound,
        rtol=2e-3, atol=1e-4,
        form="a number (a float, to three decimals or more)",
        hints=("The bound is 1/√fan_in, and fan_in is how many inputs one output number adds up.",
               "One output number of a convolution reads a window of every input channel: count the "
               "numbers in one filter."),
        mistakes=((lambda a, e, o: math.isclose(float(a), 1 / math.sqrt(o["conv_args"]["in_channels"]), rel_tol=1e-2),
                   "1/√in_channels counts the channels only: one output of a convolution reads a whole "
                   "kernel-sized window of each channel."),
                  (lambda a, e, o: math.isclose(float(a), e * e, rel_tol=1e-2),
                   "That is 1/fan_in: the bound is one over its square root.")),
    ),
    "01.3": Exercise(
        expected=lambda: _tower_expected(),
        run=lambda cls: _tower_counts(cls),
        unanswered=_tower_untouched,
        form="the fixed class",
        hints=("Count Tower(5, 3)'s parameters by layer: which layers does parameters() miss, and where "
               "does the class keep them?",
               "A module registers the layers it holds as attributes, and those inside a container "
               "module (section 7); a plain Python list is not one."),
        mistakes=((lambda a, e, o: a[0] == (8 * 5 + 5) + (5 * 5 + 5) + (5 * 3 + 3),
                   "Only one hidden layer is registered, although Tower(5, 3) has three: did you repeat one "
                   "layer object ([layer] * depth), so that all hidden layers share its weights?"),),
    ),
    "01.4": Exercise(
        expected=lambda: True,
        run=lambda cls: _my_linear(cls),
        form="the class MyLinear",
        hints=("Go through the requirements one at a time: two nn.Parameters, the shapes of section 8, "
               "the range of section 9, the formula of section 1, the text of section 4.",
               "torch.empty(shape).uniform_(-bound, bound) draws numbers uniformly in a range; wrap the "
               "tensor in nn.Parameter."),
    ),
}
