"""Checks for 00_start_here's exercises.

00.1: the expected value is computed from the image the exercise cell passes, never typed in. The
exercise asks for a prediction, so an answer read from the tensor (a tensor, or its float32 value
to every digit) is refused with a hint.

00.2: the student's ``first_batch`` runs with two ``k`` of the check's own (so a fixed ``range(5)`` fails)
on a copy of the dataset the cell passes that starts a few images later (so a function reading a global dataset fails), against
``to_tensor`` and ``torch.stack``; the batch must be float32, as a network's weights are.
A batch of the right shape, type and range but other values is named: other images (a global
dataset, an off-by-one start), the right images transposed, inverted, scaled by another factor, or each
divided by its own brightest pixel (the check's first batch holds training image #10, whose brightest is 254).
A function that slices the dataset (``dataset[:k]``, which torchvision's MNIST refuses) is told so.

00.3: which of ``W @ x.T + b.unsqueeze(1)``, ``x @ W.T + b`` and ``x @ W.T + b.unsqueeze(1)`` raise, for the notebook's ``W`` (3, 4),
``b`` (3,) and ``x`` (5, 4), computed by running them on those objects. A predict exercise: each
wrong verdict gets a hint naming its expression, (a) first; letters or None instead of True/False are named.
"""
from __future__ import annotations

import copy
import math

import numpy as np
import torch
from torchvision.transforms.functional import to_tensor

from checks import Exercise, Refused

ROW, COLUMN = 7, 7  # the pixel the exercise names: 185 in the grid of test digit 0


def _stored(image) -> int:
    """The pixel as stored in the image (mode L: one byte)."""
    return int(np.asarray(image)[ROW, COLUMN])


def _as_tensor(image) -> float:
    """The pixel of ``to_tensor(image)``: the stored value divided by 255, the largest a byte holds."""
    return float(to_tensor(image)[0, ROW, COLUMN])


def _is_number(answer) -> bool:
    if isinstance(answer, (str, bool)):
        return False
    try:
        float(answer)
    except (TypeError, ValueError):
        return False
    return True


def _typed(answer, image):
    """The answer as typed, or ``Refused`` if it was read from a tensor: the prompt says predict.

    A tensor is refused, and so is a number equal, to every digit, to the float32 pixel
    (``x[0, 7, 7].item()``, ``float(...)``, NumPy's copy): a typed 185 / 255 is a float64 and differs.
    """
    if isinstance(answer, torch.Tensor):
        raise Refused("You gave a tensor: type the number you predict, as a plain float like 0.5, "
                      "not code that reads it.")
    if _is_number(answer) and float(answer) == _as_tensor(image) != _stored(image) / 255:
        raise Refused("That equals the float32 value in the tensor to every digit, as a value read from "
                      "the tensor does. Type the number you predict as a plain Python float (4 decimals, "
                      "or a division of plain numbers), not code that reads it or a float32.")
    return answer


EXPRESSIONS = (lambda x, W, b: W @ x.T + b.unsqueeze(1), lambda x, W, b: x @ W.T + b,
               lambda x, W, b: x @ W.T + b.unsqueeze(1))
"""00.3's expressions (a), (b), (c), in the prompt's order."""


def _raises(expression, x, W, b) -> bool:
    """Whether ``expression(x, W, b)`` raises PyTorch's size error."""
    try:
        expression(x, W, b)
    except RuntimeError:
        return True
    return False


def _answers(a) -> bool:
    """A tuple or list of three True/False (1 and 0 count)."""
    return isinstance(a, (tuple, list)) and len(a) == 3 and all(v in (True, False) for v in a)


def _near(value):
    """A mistake test: the answer is ``value(objects)``, to 4 decimals."""
    return lambda a, e, o: _is_number(a) and abs(float(a) - value(o["image"])) < 1e-4


def _rounded(a, value: float) -> bool:
    """``a`` is ``value`` rounded to 2 or 3 decimals (4 decimals: ``_near``)."""
    return _is_number(a) and float(a) in {round(value, 2), round(value, 3)}


def _rounds_to(value):
    """A mistake test: the answer is ``value(objects)``, to 4 decimals or rounded to 2 or 3."""
    return lambda a, e, o: _near(value)(a, e, o) or _rounded(a, value(o["image"]))


def _two_ways(a, e, objects) -> bool:
    """The pixel divided by 256 rounded to 2 decimals, which is also the pixel divided by 255 cut
    short (0.72 for 185: 0.72266 rounded, 0.72549 cut): too short to name either division."""
    stored = _stored(objects["image"])
    return _is_number(a) and float(a) == round(stored / 256, 2) == math.floor(stored / 255 * 100) / 100


def _another_pixel(a, e, objects) -> bool:
    """The answer is another pixel of the image divided by 255, to 4 decimals: the right division."""
    if not _is_number(a):
        return False
    values = set(np.asarray(objects["image"]).ravel().tolist()) - {0, 255, _stored(objects["image"])}  # 0, 1: own hints
    return any(abs(float(a) - v / 255) <= 5.1e-5 for v in values)  # v / 255 rounded to 4 decimals


def _close(a, e, *_) -> bool:
    """Near the right value (within 0.006: 0.73 for 0.7255) but not passing: the right idea."""
    return _is_number(a) and abs(float(a) - e) < 0.006


BATCH_K = 5  # the k the check gives first_batch first: not one the student tried
BATCH_K2 = 2  # then a second k: a function that ignores its k gives BATCH_K images again
_IGNORES_K = "right for one k, not for another"
SKIP = 7  # the check's dataset starts this many images later than the one the cell passes: its first
# BATCH_K images are training images #7 to #11, and #10's brightest pixel is 254, not 255, so dividing
# each image by its own brightest pixel fails


SLICED = ("A dataset gives one (image, label) pair per whole-number index, so `dataset[:k]` does not "
          "work on it: loop over `range(k)` and take `dataset[i]`.")


def _unsliceable(cls):
    """A subclass of ``cls`` whose slicing raises ``Refused(SLICED)``: torchvision's MNIST raises a
    ValueError a beginner cannot read ("only one element tensors can be converted ...")."""
    class Unsliceable(cls):
        def __getitem__(self, index):
            if isinstance(index, slice):
                raise Refused(SLICED)
            return super().__getitem__(index)
    Unsliceable.__name__, Unsliceable.__qualname__ = cls.__name__, cls.__qualname__
    return Unsliceable


def _later(dataset):
    """``dataset`` without its first ``SKIP`` images: not the global the exercise cell passes.

    torchvision's MNIST is copied with its ``.data`` and ``.targets`` cut, so a function that reads
    ``dataset.data`` still works, and slicing the copy itself is named (``SLICED``); a list (the
    tests) is sliced."""
    if hasattr(dataset, "data") and hasattr(dataset, "targets"):
        later = copy.copy(dataset)
        later.data, later.targets = dataset.data[SKIP:], dataset.targets[SKIP:]
        later.__class__ = _unsliceable(type(dataset))
        return later
    return dataset[SKIP:]


def _first_batch(dataset, k: int = BATCH_K) -> torch.Tensor:
    """The first ``k`` images of ``dataset`` as a float32 batch (k, 1, 28, 28), values 0 to 1."""
    return torch.stack([to_tensor(dataset[i][0]) for i in range(k)])


def _run_batch(f, dataset):
    """``f``'s batch for ``BATCH_K`` on the check's own dataset; if it is right, ``f`` runs again with
    ``BATCH_K2``, and a wrong second batch makes the answer ``_IGNORES_K`` (told by its own hint)."""
    later = _later(dataset)
    first = f(later, BATCH_K)
    if not _is_batch(first, _first_batch(later, BATCH_K), None):
        return first  # the mistakes below name what is wrong with it
    second = f(later, BATCH_K2)
    return first if _is_batch(second, _first_batch(later, BATCH_K2), None) else _IGNORES_K


def _is_batch(answer, expected, objects) -> bool:
    return (isinstance(answer, torch.Tensor) and answer.dtype == torch.float32
            and answer.shape == expected.shape and torch.allclose(answer, expected))


def _tensor_of(dims: int):
    """A mistake test: the answer is a tensor with ``dims`` dimensions."""
    return lambda a, e, o: isinstance(a, torch.Tensor) and a.dim() == dims


def _above_one(a) -> bool:
    return isinstance(a, torch.Tensor) and a.numel() > 0 and a.double().max() > 1


def _whole(a) -> bool:
    """Every value a whole number: pixels as stored (0 to 255), not divided."""
    return bool(torch.equal(a.double(), a.double().round()))


def _own_brightest(a, e, o) -> bool:
    """The right images, each divided by its own brightest pixel instead of by 255."""
    return _other_images(a, e, o) and torch.allclose(a, e / e.amax(dim=(1, 2, 3), keepdim=True), atol=1e-6)


def _other_images(a, e, o) -> bool:
    """Shape, dtype and range right, values not: other images than the first k of ``dataset``."""
    return (isinstance(a, torch.Tensor) and a.dtype == torch.float32 and a.shape == e.shape
            and a.numel() > 0 and 0 <= a.min() and a.max() <= 1)


EXERCISES = {
    "00.1": Exercise(
        expected=lambda image: _as_tensor(image),
        form="a float between 0 and 1, to 4 decimals",
        run=_typed,  # a predict exercise: an answer read from the tensor does not pass
        rtol=0.0, atol=1.1e-4,  # "to 4 decimals": one step of the 4th decimal either side of the rounded
        # value passes (0.7254, 0.7255 and 0.7256 for 185 / 255 = 0.72549), 0.725 does not
        hints=("`to_tensor` divides every pixel by the largest value one pixel can hold. Mode `L` keeps "
               "a pixel in one byte: what is the largest whole number 8 bits can write?",
               "`to_tensor` divides by the largest value one pixel can hold. Count small first: 2 bits write "
               "00, 01, 10 and 11, four whole numbers whose largest is 3. What is the largest for 8 bits?"),
        mistakes=((lambda a, e, o: isinstance(a, bool),
                   "expected a number, not True or False: give the tensor's value as a float."),
                  (_two_ways,
                   "Too few decimals to tell which number you divided by: two different divisions give this "
                   "number to 2 decimals. Give 4 decimals, or type the division itself."),
                  (_rounds_to(lambda image: _stored(image) / 256),
                   "You divided by 256, how many different values one byte holds. The largest of them is "
                   "smaller: counting starts at 0."),
                  (lambda a, e, o: _rounded(a, _stored(o["image"]) / 255),  # after the 256 test: 0.72 is 256's
                   "Right division: give it to 4 decimals, or type the division itself (185 / 255)."),
                  (lambda a, e, o: _near(lambda image: _stored(image) / 254)(a, e, o)  # 3 decimals at most:
                   or (_is_number(a) and float(a) == round(_stored(o["image"]) / 254, 3)),  # 0.73 is 255's too
                   "You divided by 254, the brightest pixel in the crop. `to_tensor` divides by the largest "
                   "value one byte can hold, not by an image's brightest pixel (section 3: #5's 254 becomes "
                   "0.9961, not 1)."),
                  (_close,
                   "Close, but not this value: check what you divide by, and round to 4 decimals."),
                  (_near(lambda image: 1 - _as_tensor(image)),
                   "That is 1 minus the value: 0 is black in the grid and stays 0 in the tensor, with no "
                   "inversion."),
                  (_another_pixel,
                   "Right division, but another pixel: row 7, column 7 of `grid` is 185, the second number of "
                   "the crop's first row."),
                  (lambda a, e, o: _is_number(a) and float(a) == 0,
                   "0 is black, and this pixel is not (185 in the grid). If you typed `185 // 255`: `//` is "
                   "whole-number division, which rounds down to 0; `/` divides."),
                  (lambda a, e, o: _is_number(a) and float(a) == _stored(o["image"]),
                   "That is the pixel as stored in the grid. `to_tensor` turns it into a float between 0 and 1 "
                   "(section 3): what does it divide by?"),
                  (lambda a, e, o: _is_number(a) and float(a) == 1.0,
                   "1 would be the brightest white a pixel can hold, 255 in the grid: this pixel is darker."),
                  (lambda a, e, o: _is_number(a) and not 0 <= float(a) <= 1,
                   "`to_tensor` gives floats from 0 to 1 (section 3): your answer is outside."),),
    ),
    "00.2": Exercise(
        expected=lambda dataset: _first_batch(_later(dataset)),
        run=_run_batch,  # the check's own two k and dataset
        same=_is_batch,
        form="a float32 tensor of shape (k, 1, 28, 28)",
        hints=("Indexing the dataset gives an (image, label) pair. Turn each of the first k images into a "
               "tensor as section 3 did, collect them in a list, then stack the list.",
               "Check the pieces one at a time in a new cell: print the shape of one image's tensor, then "
               "of first_batch(train_set, 2), which should be (2, 1, 28, 28)."),
        mistakes=((lambda a, e, o: isinstance(a, str) and a == _IGNORES_K,
                   f"Right for k = {BATCH_K}, but first_batch(dataset, {BATCH_K2}) is not the first {BATCH_K2} "
                   "images: use the argument k, not a fixed number."),
                  (lambda a, e, o: isinstance(a, (tuple, list)) and len(a) == 2 and _is_batch(a[0], e, o),
                   "Your function returns a pair whose first item is the right batch: return only the images, "
                   "not the labels."),
                  (lambda a, e, o: not isinstance(a, torch.Tensor),
                   "Your function does not return a tensor: `torch.stack` turns a list of tensors of one "
                   "shape into one tensor."),
                  (_tensor_of(5),
                   "Your batch has 5 dimensions: `to_tensor` already gives each image its channel, (1, 28, 28), "
                   "and `torch.stack` adds the batch dimension itself."),
                  (lambda a, e, o: _tensor_of(3)(a, e, o) and _above_one(a),
                   "You stacked the pixel grids as stored: whole numbers from 0 to 255, and no channel "
                   "dimension. `to_tensor` (section 3) makes each image what a network takes."),
                  (_tensor_of(3),
                   "Your batch has 3 dimensions: the images lost their channel dimension. A batch is "
                   "(N, C, H, W): keep each image's (1, 28, 28) whole and add a new first dimension "
                   "(`torch.cat` joins along a dimension the tensors have; `torch.stack` adds one)."),
                  (lambda a, e, o: _tensor_of(4)(a, e, o) and a.shape[0] != BATCH_K and a.shape[1:] == e.shape[1:],
                   "Your batch does not hold k images: the first k are dataset[0] to dataset[k - 1], and "
                   "the check calls your function with a k of its own."),
                  (lambda a, e, o: _tensor_of(4)(a, e, o) and a.shape != e.shape,
                   "Your batch has its 4 dimensions in another order: a batch is (N, C, H, W), the images "
                   "first, then channels, height and width."),
                  (lambda a, e, o: _above_one(a) and _whole(a),
                   "Your values are whole numbers above 1: those are the pixels as stored, 0 to 255. "
                   "`to_tensor` scales them to 0 to 1 (section 3)."),
                  (lambda a, e, o: _above_one(a) or (a.numel() > 0 and a.double().min() < 0),
                   "Your values go outside 0 to 1: they were shifted or scaled. Keep `to_tensor`'s values "
                   "from 0 to 1 (section 3), unchanged."),
                  (lambda a, e, o: a.dtype != torch.float32 and torch.allclose(a.double(), e.double(), atol=1e-3),
                   "The values are right, but your tensor is not float32: a network's weights are float32, "
                   "and it refuses input of another float type."),
                  (_own_brightest,
                   "Right images, but each divided by its own brightest pixel: `to_tensor` divides every pixel "
                   "by 255, the largest value one byte holds (section 3: test image #5's brightest pixel, 254, "
                   "becomes 0.9961, not 1)."),
                  (lambda a, e, o: _other_images(a, e, o) and a.max() > 0
                   and torch.allclose(a / a.max(), e / e.max(), atol=1e-6),
                   "Right images, but scaled by another factor: `to_tensor` divides every pixel by 255, the "
                   "largest value one byte holds (section 3)."),
                  (lambda a, e, o: _other_images(a, e, o) and torch.allclose(a, e.transpose(2, 3)),
                   "Right images, but transposed: height and width are swapped. Keep each image's (1, 28, 28) "
                   "as `to_tensor` gives it."),
                  (lambda a, e, o: _other_images(a, e, o) and torch.allclose(a, 1 - e, atol=1e-6),
                   "Right images, but inverted (1 minus each value): 0 is black in the image and stays 0 in "
                   "the tensor."),
                  (_other_images,
                   "Right shape, type and range, but these are not the first k images of `dataset`: start at "
                   "`dataset[0]`, and use the function's arguments, not a variable from outside it."),),
    ),
    "00.3": Exercise(
        expected=lambda x, W, b: tuple(_raises(f, x, W, b) for f in EXPRESSIONS),
        form="three True or False, one per expression, like (True, True, False)",
        hints=("Work out each shape as section 4 did. `A @ B` needs the inner sizes to match; `+ b` "
               "matches `b`'s sizes against the product's from the last one back: equal, or 1, which is stretched.",
               "`ex3_x.T` is (4, 5), so `W @ ex3_x.T` is (3, 5). In (a), `b.unsqueeze(1)` is (3, 1): compare "
               "sizes from the last one back, where a size of 1 is stretched. (b) is section 4's layer with 5 rows."),
        mistakes=((lambda a, e, o: isinstance(a, (tuple, list)) and any(v is None or isinstance(v, str) for v in a),
                   "Give one True or False per expression, in the order (a), (b), (c): True if it raises "
                   "an error."),
                  (lambda a, e, o: _answers(a) and a[0] != e[0],
                   "Look again at (a), `W @ ex3_x.T + b.unsqueeze(1)`: the product is (3, 4) @ (4, 5), and "
                   "`b.unsqueeze(1)` is (3, 1). Compare sizes from the last one back: a size of 1 is stretched "
                   "(\"non-singleton\" in section 4's message means a size other than 1)."),
                  (lambda a, e, o: _answers(a) and a[1] != e[1],
                   "Look again at (b), `ex3_x @ W.T + b`: section 4's layer with 5 rows instead of 1. "
                   "What shape does the product have, and how long is each of its rows?"),
                  (lambda a, e, o: _answers(a) and a[2] != e[2],
                   "Look again at (c), `ex3_x @ W.T + b.unsqueeze(1)`. The product (5, 4) @ (4, 3) is fine, "
                   "and `b.unsqueeze(1)` is (3, 1). Compare the sizes pair by pair from the last one back: is "
                   "each pair equal, or is one of them 1?"),),
    ),
}
