"""Checks for 01_modules_and_layers's exercises.

Each expected value is computed from the objects the exercise cell passes (the layer and its
input, the layers' arguments, the network, the module), never typed in: it cannot drift from
the notebook.
"""
from __future__ import annotations

import torch
from torch import nn

from checks import Exercise, Refused


def _weight_shapes(conv_args: dict, linear_args: dict) -> tuple:
    """The weight shapes of nn.Conv2d(**conv_args) and nn.Linear(**linear_args), built on the
    meta device: shapes only, no numbers drawn, so the global random state is left alone."""
    conv = nn.Conv2d(**conv_args, device="meta")
    linear = nn.Linear(**linear_args, device="meta")
    return tuple(conv.weight.shape), tuple(linear.weight.shape)


def _linear_numbers(network: nn.Module) -> int:
    """Weights and biases of every nn.Linear in network, found through the layer objects."""
    return sum(p.numel() for layer in network.modules() if isinstance(layer, nn.Linear)
               for p in layer.parameters())


def _linear_weights_only(network: nn.Module) -> int:
    return sum(layer.weight.numel() for layer in network.modules() if isinstance(layer, nn.Linear))


def _not_by_the_layer(answer, layer, x):
    """``answer``, refused if its history shows the layer's own kernel (addmm/linear) or none at all."""
    made_by = type(getattr(answer, "grad_fn", None)).__name__
    if made_by in ("AddmmBackward0", "LinearBackward0"):
        raise Refused("your tensor was made by the layer itself (or F.linear): the exercise asks for @ and +.")
    if isinstance(answer, torch.Tensor) and answer.grad_fn is None:
        raise Refused("your tensor has no history, so the check cannot see how it was made: compute it "
                      "from ex1_layer.weight and ex1_layer.bias as they are (no .detach(), no torch.no_grad()).")
    return answer


def _registered_scale(answer, expected, objects) -> bool:
    """Right if the module registers `scale` as a learnable parameter holding three 2.0s."""
    registered = dict(objects["model"].named_parameters())
    scale = registered.get("scale")
    return (scale is not None and scale is answer and scale.requires_grad and tuple(scale.shape) == (3,)
            and bool(torch.all(scale.detach() == 2.0)))


def _is_plain_tensor(answer, expected, objects) -> bool:
    return isinstance(answer, torch.Tensor) and not isinstance(answer, nn.Parameter)


EXERCISES = {
    "01.1": Exercise(
        expected=lambda layer, x: layer(x).detach(),
        run=_not_by_the_layer,
        form="a tensor of shape (3, 2): one row of outputs per input",
        hints=("A linear layer computes x @ W.T + b: which two attributes of the layer hold W and b?",
               "Transpose the weight (.T), multiply with @, then add the bias: section 1 does it for fc."),
        mistakes=((lambda a, e, o: torch.is_tensor(a) and a.shape == e.shape and torch.allclose(
            a.detach(), (o["x"] @ o["layer"].weight.T).detach(), atol=1e-6),
                   "Close, but you forgot the bias: nn.Linear adds b after the product."),),
    ),
    "01.2": Exercise(
        expected=_weight_shapes,
        form="a pair of tuples of ints: (conv weight shape, linear weight shape)",
        hints=("A weight has one slice per output: out_channels / out_features come first.",
               "Conv2d: (out_channels, in_channels, kernel height, kernel width); Linear: "
               "(out_features, in_features)."),
        mistakes=((lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2
                   and tuple(a[1]) == tuple(reversed(e[1])),
                   "The order of the constructor's arguments (in, out) is not the order of the weight's "
                   "dimensions: a weight is stored output first, (out, in, …)."),),
    ),
    "01.3": Exercise(
        expected=_linear_numbers,
        form="an int",
        hints=("Loop over network.named_parameters(): keep a parameter if its name starts with the name "
               "of a linear layer, and add up p.numel().",
               "Every layer has two parameters: count the bias as well as the weight."),
        mistakes=((lambda a, e, o: a == _linear_weights_only(o["network"]),
                   "These are the weight matrices only: each linear layer also has a bias, and it is a "
                   "parameter too."),
                  (lambda a, e, o: a == sum(p.numel() for p in o["network"].parameters()),
                   "That is every parameter of the network: the convolutions' are not in linear layers.")),
    ),
    "01.4": Exercise(
        expected=lambda model: ["scale"],
        same=_registered_scale,
        form="an nn.Parameter holding three 2.0s, assigned to self.scale",
        hints=("The module must *register* scale: named_parameters() lists only what it registered. "
               "Which class makes a tensor a module's weight?",
               "named_parameters() lists the module's nn.Parameter attributes: which of those does Linear "
               "keep its weight in, and what did you store in self.scale?"),
        mistakes=((lambda a, e, o: isinstance(a, nn.Parameter) and not a.requires_grad,
                   "scale is registered, but with requires_grad=False no gradient ever reaches it: the "
                   "question asks for a weight that learns."),
                  (lambda a, e, o: isinstance(a, nn.Parameter) and dict(o["model"].named_parameters()).get("scale") is a,
                   "scale is registered now: make it start at three 2.0s, as the question says."),
                  (lambda a, e, o: "scale" in dict(o["model"].named_buffers()),
                   "register_buffer registers scale as a buffer: saved in state_dict and moved with .to(), "
                   "but not a parameter, so no optimizer would ever update it. A learnable weight is a "
                   "parameter."),
                  (_is_plain_tensor,
                   "A plain tensor is stored but not registered: named_parameters() does not list it, so "
                   "no gradient or optimizer would ever reach it (requires_grad=True does not register "
                   "it either). Wrap it in nn.Parameter."),),
    ),
}
