"""Checks of the worked example tests/exercise_kinds/99_exercise_kinds.ipynb: one exercise of
each kind that runs the student's code (write, debug, experiment). Copied beside
notebooks/checks/ as ``checks/lesson99.py`` by tests/test_student_build.py; a model for the
lessons' own ``lessonNN.py``."""
from __future__ import annotations

import torch
from torch import nn
import torch.nn.functional as F

from checks import Exercise, Range, Refused


def _conv_inputs() -> tuple[torch.Tensor, torch.Tensor]:
    """An input and weights of the check's own (not the notebook's): an answer copied from an
    earlier output, or F.conv2d called on the notebook's tensors, cannot pass."""
    g = torch.Generator().manual_seed(99)
    return torch.randn(3, 7, 6, generator=g), torch.randn(4, 3, 3, 3, generator=g)


def _reference_conv() -> torch.Tensor:
    x, weight = _conv_inputs()
    return F.conv2d(x[None], weight)[0]


def _flipped_conv(answer, expected, objects) -> bool:
    x, weight = _conv_inputs()
    return torch.allclose(answer, F.conv2d(x[None], weight.flip(-1, -2))[0], atol=1e-5)


def _by_loops(f):
    """``f`` on the check's inputs, refused if it calls conv2d (what the prompt forbids)."""
    if "conv2d" in getattr(getattr(f, "__code__", None), "co_names", ()):
        raise Refused("the exercise asks for loops: your function calls conv2d.")
    return f(*_conv_inputs())


def _registered(cls) -> tuple:
    """(numbers registered as parameters, output shape on 5 inputs) of a fresh ``cls()``."""
    model = cls()
    return sum(p.numel() for p in model.parameters()), tuple(model(torch.zeros(5, 4)).shape)


EXERCISES = {
    "99.1": Exercise(
        expected=lambda: _reference_conv(),
        run=_by_loops,
        form="a function returning a tensor of shape (O, H - k + 1, W - k + 1)",
        hints=("Each output number is one k x k window of x, all channels, times one filter, summed: "
               "which window does output (o, i, j) read?",
               "Loop over o, i and j; the window starting at row i and column j spans k rows and k columns."),
        mistakes=((_flipped_conv, "You flipped the kernel, as in a textbook convolution: PyTorch's conv2d "
                                  "multiplies each window with the filter as it is (a cross-correlation)."),),
    ),
    "99.2": Exercise(
        expected=lambda: (4 * 8 + 8 + 8 * 2 + 2, (5, 2)),
        run=lambda cls: _registered(cls),
        unanswered=lambda cls, objects: _registered(cls)[0] == 0,
        form="the fixed class",
        hints=("Print list(TwoLayers().parameters()): what does a module register, and what does it not see?",
               "A module registers the modules it holds as attributes, and those inside a container module."),
        mistakes=((lambda a, e, o: a[0] == 4 * 8 + 8 * 2,
                   "The weights are registered now, but not the biases: register the layers themselves."),),
    ),
    "99.3": Exercise(
        expected=lambda train: Range(0.9, 1.0, "90 % or more: a step large enough to get "
                                               "there in 50 steps"),
        run=lambda lr, train: train(lr),
        form="a learning rate (a positive number)",
        hints=("Try a few values a factor of 10 apart: how far does a step of yours move the weights, "
               "and how many steps are there?",),
    ),
}
