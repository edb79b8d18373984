"""Checks for 02_lenet's exercises.

Each expected value is computed from the objects the exercise cell passes (the tensor, the
layers, the model and the input), never typed in: it cannot drift from the notebook.
"""
from __future__ import annotations

import torch
from torch import nn

from checks import Exercise


def _features_into_fc1(model: nn.Module, x: torch.Tensor) -> int:
    """How many features reach model.fc1 when model runs on x (a pre-hook reads them)."""
    seen = []

    class Stop(Exception):
        pass

    def grab(module, args):
        seen.append(args[0].shape[-1])
        raise Stop

    handle = model.fc1.register_forward_pre_hook(grab)
    try:
        with torch.no_grad():
            model(x)
    except Stop:
        pass
    finally:
        handle.remove()
    return seen[0]


def _flat_features(layers: nn.Module, x: torch.Tensor) -> int:
    with torch.no_grad():
        return layers(x).shape[1]


def _flat_features_by_hand(layers: nn.Module, x: torch.Tensor, ceil: bool = False,
                           size: int | None = None) -> int:
    """The side-by-side arithmetic for square inputs, pooling rounded up with ``ceil`` (a
    known mistake), or for another input ``size``."""
    side, channels = size or x.shape[-1], x.shape[1]
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            side = (side + 2 * layer.padding[0] - layer.kernel_size[0]) // layer.stride[0] + 1
            channels = layer.out_channels
        elif isinstance(layer, nn.MaxPool2d):
            side = -(-side // layer.kernel_size) if ceil else side // layer.kernel_size
    return channels * side * side


def _count_without(model: nn.Module, what: str) -> int:
    return sum(p.numel() for name, p in model.named_parameters() if not name.endswith(what))


def _conv2_as_5x5(model: nn.Module) -> int:
    conv2 = model.conv2
    full = sum(p.numel() for p in model.parameters())
    return full - conv2.weight.numel() + conv2.out_channels * conv2.in_channels * 5 * 5


EXERCISES = {
    "02.1": Exercise(
        expected=lambda images: tuple(images.view(len(images), -1).shape),
        form="a tuple of two ints (rows, columns)",
        hints=("A view keeps every number: the second size is what is left once the 8 rows are fixed.",
               "Each image holds channels x height x width numbers."),
        mistakes=((lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and a[0] == e[0]
                   and a[1] * o["images"].shape[1] == e[1],
                   "You dropped the channels: a colour image has 3 numbers per pixel, and view keeps them all."),),
    ),
    "02.2": Exercise(
        expected=_flat_features,
        form="an int: channels x height x width reaching fc1",
        hints=("Follow the side length step by step: a 3x3 convolution without padding takes 2 off, "
               "a 2x2 pooling halves.",
               "When pooling halves an odd size it rounds down; the last convolution has 16 channels."),
        mistakes=((lambda a, e, o: a == _flat_features_by_hand(o["layers"], o["x"], ceil=True),
                   "Pooling an odd size rounds down, not up: the last row and column are dropped."),
                  (lambda a, e, o: a == _flat_features_by_hand(o["layers"], o["x"], size=32),
                   "That is the number for a 32x32 image: this one is bigger, follow its sizes."),
                  (lambda a, e, o: a == 16 * 5 * 5,
                   "16 * 5 * 5 is the blitz's number for 5x5 kernels on 32x32: follow these sizes instead.")),
    ),
    "02.3": Exercise(
        expected=lambda model: sum(p.numel() for p in model.parameters() if p.requires_grad),
        form="an int",
        hints=("Add up out·(in·k·k + 1) for each convolution and out·(in + 1) for each linear layer, "
               "reading in, out and k from TutorialNet's own layers (print(tutorial_net) shows them).",
               "Check conv2's kernel size and fc1's in_features: they differ from helpers.LeNet's."),
        mistakes=((lambda a, e, o: a == _count_without(o["model"], ".bias"),
                   "You counted the weights only: each output channel or unit also has a bias (the + 1)."),
                  (lambda a, e, o: a == _conv2_as_5x5(o["model"]),
                   "TutorialNet's conv2 has 3x3 kernels, not 5x5."),
                  (lambda a, e, o: a == 61_706,
                   "That is helpers.LeNet's count: TutorialNet's conv2 and fc1 are different.")),
    ),
    "02.4": Exercise(
        expected=_features_into_fc1,
        form="an int: the number of features fc1 receives",
        hints=("fc1 receives channels x height x width of the last pooled maps: follow a 32x32 image "
               "through conv(5x5) and pooling twice.",
               "A 5x5 convolution without padding takes 4 off the side; a 2x2 pooling halves it; "
               "conv2 has 12 channels."),
        mistakes=((lambda a, e, o: a == o["model"].fc1.in_features,
                   "That is what fc1 expects (the number for 28x28 images): the question is what a 32x32 "
                   "image delivers."),),
    ),
}
