"""Checks for 03_convolution_arithmetic's exercises.

Each expected value is computed from the objects the exercise cell passes (a real layer, a real
input, the layers of a net), never typed in: it cannot drift from the notebook.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from checks import Exercise


def _conv_value(x, w, b, filter, row, col):
    """Output (filter, row, col) of F.conv2d(x, w, b) for one unbatched image x."""
    return F.conv2d(x.unsqueeze(0), w, b)[0, filter, row, col]


def _same_padding(size, kernel_size, dilation=1):
    """The padding p with which an nn.Conv2d(kernel_size, dilation, stride 1) keeps size x size."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():  # a layer's init draws random numbers
        return _first_padding(size, kernel_size, dilation)


def _first_padding(size, kernel_size, dilation):
    for p in range(dilation * kernel_size):
        out = nn.Conv2d(1, 1, kernel_size, padding=p, dilation=dilation)(torch.zeros(1, 1, size, size)).shape[-1]
        if out == size:
            return p
    raise ValueError(f"no padding keeps {size} with kernel_size={kernel_size}, dilation={dilation}")


def _matching_dilation(kernel_size, big_kernel, size=28):
    """The dilation with which a kernel_size kernel gives the output size of a big_kernel one."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        return _first_dilation(kernel_size, big_kernel, size)


def _first_dilation(kernel_size, big_kernel, size):
    target = nn.Conv2d(1, 1, big_kernel)(torch.zeros(1, 1, size, size)).shape
    for d in range(1, big_kernel):
        if nn.Conv2d(1, 1, kernel_size, dilation=d)(torch.zeros(1, 1, size, size)).shape == target:
            return d
    raise ValueError(f"no dilation gives a {kernel_size}x{kernel_size} kernel the span of {big_kernel}")


def _field_width(layers, size=28):
    """Width in input pixels of the receptive field of the central unit of the last layer,
    measured with autograd through an all-ones probe with the layers' geometry."""
    with torch.random.fork_rng(devices=[]):  # a layer's init draws random numbers
        return _measure_field(layers, size)


def _measure_field(layers, size):
    probe = []
    for layer in layers:
        if isinstance(layer, nn.Conv2d):
            probe.append(nn.Conv2d(1, 1, layer.kernel_size, layer.stride, layer.padding, layer.dilation, bias=False))
            nn.init.ones_(probe[-1].weight)
        else:
            probe.append(nn.AvgPool2d(layer.kernel_size, layer.stride, layer.padding))
    image = torch.zeros(1, 1, size, size, requires_grad=True)
    y = nn.Sequential(*probe)(image)[0, 0]
    y[y.shape[0] // 2, y.shape[1] // 2].backward()
    cols = (image.grad[0, 0] != 0).any(dim=0).nonzero().flatten()
    return int(cols.max() - cols.min() + 1)


def _is_int(a) -> bool:
    return isinstance(a, int) and not isinstance(a, bool)


EXERCISES = {
    "03.1": Exercise(
        expected=lambda x, w, b: _conv_value(x, w, b, 2, 1, 0),
        form="a number (a 0-d tensor or a float)",
        hints=("Which window of x lies under the kernel for output row 1, column 0? It takes all "
               "channels, and as many rows and columns as the kernel has.",
               "Multiply that window elementwise by filter 2's weights, sum every product, then "
               "add filter 2's bias."),
        mistakes=(
            (lambda a, e, o: abs(float(a) - float(e - o["b"][2])) < 1e-4,
             "Close: the sum of the products is right, but each output number also gets its filter's bias."),
            (lambda a, e, o: abs(float(a) - float(_conv_value(o["x"], o["w"], o["b"], 2, 0, 1))) < 1e-4,
             "That is output row 0, column 1: the first index of a window is its row, the second its column."),
            (lambda a, e, o: any(abs(float(a) - float(_conv_value(o["x"], o["w"], o["b"], f, 1, 0))) < 1e-4
                                 for f in range(len(o["b"])) if f != 2),
             "That is the right position but another filter: the filter is the first index of w and of b."),
        ),
    ),
    "03.2": Exercise(
        expected=lambda conv, x: tuple(conv(x).shape[-2:]),
        form="a tuple (height, width) of ints",
        hints=("Which of n, k, p, s, d does this layer set? The formula of section 2 takes all five, "
               "once for the height and once for the width.",
               "Division in the formula rounds down (Python's //), and the padding is added on both sides."),
        mistakes=(
            (lambda a, e, o: isinstance(a, tuple) and len(a) == 4,
             "That is the whole output shape; the question asks for its height and width only."),
            (lambda a, e, o: isinstance(a, tuple) and any(isinstance(v, float) and v != int(v) for v in a),
             "A size is a whole number: the division in the formula rounds down (the floor)."),
            (lambda a, e, o: isinstance(a, tuple) and tuple(a) == (e[0] + 1, e[1] + 1),
             "You rounded up: the floor drops a last step that does not fit."),
            (lambda a, e, o: isinstance(a, tuple) and tuple(a) == (e[1], e[0]) and e[0] != e[1],
             "Height comes first: a tensor's shape is (batch, channels, height, width)."),
        ),
    ),
    "03.3": Exercise(
        expected=lambda size, kernel_size, dilation: _same_padding(size, kernel_size, dilation),
        form="an int (the padding on each side)",
        hints=("Without padding, by how many pixels does the kernel shrink the image? It depends on the "
               "kernel's span, not on its number of taps. Padding adds p pixels on each side.",
               "The padding must give back what the kernel's span takes away, split evenly between the two sides."),
        mistakes=(
            (lambda a, e, o: _is_int(a) and a == 2 * e,
             "That much padding on each side grows the image: padding=p adds p pixels on both sides."),
            (lambda a, e, o: _is_int(a) and a == (o["kernel_size"] - 1) // 2 and o["dilation"] > 1,
             "That keeps the size for an ordinary kernel of this size; dilation spreads its taps over a wider span."),
        ),
    ),
    "03.4": Exercise(
        expected=lambda layers: _field_width(layers),
        form="an int (the width of the field in input pixels)",
        hints=("Start from what section 10 found for an S4 unit, its field and its jump, and apply the "
               "recurrence once more for the new layer.",
               "A new layer widens the field by (k − 1) times the jump of the layer before it: neighbouring "
               "S4 units are not 1 pixel apart."),
        mistakes=(
            (lambda a, e, o: _is_int(a) and a == _field_width(o["layers"][:-1]) + o["layers"][-1].kernel_size[0] - 1,
             "You added k − 1 input pixels, as if neighbouring S4 units were 1 pixel apart: after two "
             "poolings they are further apart (the jump)."),
            (lambda a, e, o: _is_int(a) and a == o["layers"][-1].kernel_size[0],
             "That is the kernel's width in S4 units; the question asks how many input pixels the unit sees."),
        ),
    ),
    "03.5": Exercise(
        expected=lambda kernel_size, big_kernel: _matching_dilation(kernel_size, big_kernel),
        form="an int (the dilation d)",
        hints=("The output size depends on the kernel only through its span: what is the span of the big "
               "kernel, and of a small kernel with dilation d?",
               "Dilation d puts d − 1 gaps between neighbouring taps; count the pixels from the first tap "
               "to the last."),
        mistakes=(
            (lambda a, e, o: _is_int(a) and a == e - 1,
             "d is not the number of pixels skipped: dilation d leaves d − 1 gaps between neighbouring taps."),
            (lambda a, e, o: isinstance(a, float) and a != int(a),
             "The span of a dilated kernel is d(k − 1) + 1, not d · k: a whole number of steps between taps."),
        ),
    ),
}
