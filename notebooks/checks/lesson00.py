"""Checks for 00_start_here's exercise.

The expected value is computed from the image the exercise cell passes, never typed in. The
exercise asks for a prediction, so an answer read from the tensor (a tensor, or its float32 value
to every digit) is refused with a hint.
"""
from __future__ import annotations

import numpy as np
import torch
from torchvision.transforms.functional import to_tensor

from checks import Exercise, Refused

ROW, COLUMN = 8, 7  # the pixel the exercise names: 254 in the grid of test digit 0


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
    (``x[0, 8, 7].item()``, ``float(...)``, NumPy's copy): a typed 254 / 255 is a float64 and differs.
    """
    if isinstance(answer, torch.Tensor):
        raise Refused("You gave a tensor: type the number you predict, as a plain float like 0.5, "
                      "not code that reads it.")
    if _is_number(answer) and float(answer) == _as_tensor(image) != _stored(image) / 255:
        raise Refused("That is the value read from the tensor, to every digit: type the number you "
                      "predict, to 4 decimals, not code that reads it.")
    return answer


def _near(value):
    """A mistake test: the answer is ``value(objects)``, to 4 decimals."""
    return lambda a, e, o: _is_number(a) and abs(float(a) - value(o["image"])) < 1e-4


EXERCISES = {
    "00.1": Exercise(
        expected=lambda image: _as_tensor(image),
        form="a float between 0 and 1, to 4 decimals",
        run=_typed,  # a predict exercise: an answer read from the tensor does not pass
        rtol=0.0, atol=1e-4,  # "to 4 decimals": 0.9961 and 0.996 pass, 0.9922 does not
        hints=("`to_tensor` divides every pixel by the largest value one pixel can hold. Mode `L` keeps "
               "a pixel in one byte: what is the largest whole number 8 bits can write?",
               "`to_tensor` divides by the largest value one pixel can hold. Count small first: 2 bits write "
               "00, 01, 10 and 11, four whole numbers whose largest is 3. What is the largest for 8 bits?"),
        mistakes=((lambda a, e, o: isinstance(a, bool),
                   "expected a number, not True or False: give the tensor's value as a float."),
                  (lambda a, e, o: _is_number(a) and float(a) == _stored(o["image"]),
                   "That is the pixel as stored in the grid. `to_tensor` turns it into a float between 0 and 1 "
                   "(section 3): what does it divide by?"),
                  (_near(lambda image: _stored(image) / 256),
                   "You divided by 256, how many different values one byte holds. The largest of them is "
                   "smaller: counting starts at 0."),
                  (lambda a, e, o: _is_number(a) and float(a) == 1.0,
                   "1 would be the brightest white a pixel can hold. This pixel is a little below it."),
                  (lambda a, e, o: _is_number(a) and not 0 <= float(a) <= 1,
                   "`to_tensor` gives floats from 0 to 1 (section 3): your answer is outside."),),
    ),
}
