"""Checks for 02_lenet's exercises.

Each expected value is computed from the objects the exercise cell passes (the tensor, the
layers, the model and the input), never typed in: it cannot drift from the notebook. The write
and debug exercises (02.4, 02.5) run the student's class with weights and digits of the check's
own and compare its scores with the right computation.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from checks import Exercise


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


class _DigitNetReference(nn.Module):
    """Exercise 02.4's layers (as in the exercise cell) with the forward the prompt describes."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, kernel_size=3)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 6 * 6, 64)
        self.head = nn.Linear(64, 10)

    def forward(self, x, relu_fc1: bool = True):
        x = F.max_pool2d(F.relu(self.conv2(F.max_pool2d(F.relu(self.conv1(x)), 2))), 2)
        hidden = self.fc1(x.reshape(len(x), -1))
        return self.head(F.relu(hidden) if relu_fc1 else hidden)


def _seeded(model: nn.Module, seed: int) -> nn.Module:
    """``model`` with weights of the check's own, drawn in the order its parameters are listed."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.3)
    return model


def _digitnet_scores(cls, **options) -> torch.Tensor:
    """The scores of ``cls()`` with the check's weights on 3 digits of its own (not the notebook's)."""
    model = _seeded(cls(), 24)
    x = torch.rand(3, 1, 28, 28, generator=torch.Generator().manual_seed(25))
    with torch.no_grad():
        return model(x, **options) if options else model(x)


def _smallnet_scores(cls):
    """(scores of ``cls()``, the right scores from its own layers, whether the scores are the right
    ones cut at 0, as the snippet given computes them), with the check's weights and digits."""
    model = _seeded(cls(), 25)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)]
    x = torch.rand(4, 1, 28, 28, generator=torch.Generator().manual_seed(26))
    with torch.no_grad():
        scores = model(x)
        maps = F.max_pool2d(F.relu(convs[0](x)), 2)
        right = linears[1](F.relu(linears[0](torch.flatten(maps, 1))))
    clipped = scores.shape == right.shape and torch.allclose(scores, F.relu(right), atol=1e-5)
    return scores, right, clipped, linears, maps


def _smallnet_matches(cls):
    """True when ``cls()`` gives the right scores; else a word naming what it computes instead."""
    scores, right, clipped, linears, maps = _smallnet_scores(cls)
    if scores.shape == right.shape and torch.allclose(scores, right, atol=1e-5):
        return True
    with torch.no_grad():
        no_hidden = linears[1](linears[0](torch.flatten(maps, 1)))
    if scores.shape == right.shape and torch.allclose(scores, no_hidden, atol=1e-5):
        return "no hidden ReLU"
    if scores.shape == right.shape and (torch.allclose(scores, right.softmax(1), atol=1e-5)
                                        or torch.allclose(scores, right.sigmoid(), atol=1e-5)):
        return "squashed"
    return "other"


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
        expected=lambda: _digitnet_scores(_DigitNetReference),
        run=lambda cls: _digitnet_scores(cls),
        form="the class with its forward written",
        hints=("Follow __init__ in order: what does each convolution's output go through before the next "
               "layer, and what shape must fc1 receive?",
               "The maps must become one row per image before fc1, keeping the batch dimension; which "
               "outputs get a ReLU, and which must stay free to be negative?"),
        mistakes=((lambda a, e, o: torch.allclose(a, F.relu(e), atol=1e-5),
                   "Your scores are the right ones with the negatives cut to 0: head gives logits, "
                   "which get no ReLU."),
                  (lambda a, e, o: torch.allclose(a, _digitnet_scores(_DigitNetReference, relu_fc1=False), atol=1e-5),
                   "Almost: fc1's output goes through a ReLU before head (without it fc1 and head "
                   "collapse into one linear map)."),),
    ),
    "02.5": Exercise(
        expected=lambda: True,
        run=lambda cls: _smallnet_matches(cls),
        same=lambda a, e, o: a is True,
        unanswered=lambda cls, objects: _smallnet_scores(cls)[2],
        form="the fixed class",
        hints=("Which layer's output are the ten scores, and what does the last module of the "
               "classifier do to a negative number?",
               "Logits must be free to be negative; every other layer stays as it was."),
        mistakes=((lambda a, e, o: a == "no hidden ReLU",
                   "The scores are free now, but the ReLU between the two linear layers belongs: "
                   "without it they collapse into one linear map. Remove only the one on the scores."),
                  (lambda a, e, o: a == "squashed",
                   "The scores are not free yet: a softmax or sigmoid squashes them as well. "
                   "F.cross_entropy wants the raw scores.")),
    ),
}
