"""Checks for 00_start_here's exercise.

The expected value is computed from the image the exercise cell passes, never typed in.
"""
from __future__ import annotations

import numpy as np

from checks import Exercise


def _largest_pixel_value(image) -> int:
    """The largest value one pixel of ``image`` (a PIL image) can hold: the top of its dtype."""
    return int(np.iinfo(np.asarray(image).dtype).max)


def _is_number(answer) -> bool:
    if isinstance(answer, (str, bool)):
        return False
    try:
        float(answer)
    except (TypeError, ValueError):
        return False
    return True


def _is(value):
    """A mistake test: the answer is the number ``value`` (or ``value`` computed from the expected one)."""
    return lambda a, e, o: _is_number(a) and float(a) == (value(e) if callable(value) else value)


EXERCISES = {
    "00.1": Exercise(
        expected=lambda image: _largest_pixel_value(image),
        form="a whole number (an int)",
        rtol=0.0, atol=0.0,  # a whole number exactly: 254.9999 is not a pixel value
        hints=("One byte is 8 bits, each 0 or 1: what is the largest whole number 8 bits can write?",
               "With 8 bits there are 2**8 different values, and the smallest of them is 0."),
        mistakes=((lambda a, e, o: isinstance(a, bool),
                   "expected a number, not True or False: give the largest value as a whole number."),
                  (_is(lambda e: e + 1),
                   "That is how many different values one pixel can hold. The question asks for the "
                   "largest of them."),
                  (_is(1),
                   "1 is the largest value once each pixel is divided by its maximum, as torchvision's "
                   "`to_tensor` does (section 3). Here the pixel is as stored: mode `L` keeps it in one byte."),
                  (lambda a, e, o: _is_number(a) and not float(a).is_integer(),
                   "A pixel holds a whole number: give one without a fractional part."),
                  (_is(lambda e: e - 1),
                   "254 is the brightest pixel in the crop of section 3. "
                   "The question asks for the largest value one byte can hold."),
                  (_is(127),
                   "127 is the largest value of a *signed* byte (-128 to 127). Mode `L`'s byte has no sign: "
                   "it starts at 0."),
                  (_is(9),
                   "9 is the largest label (the digit an image shows), not the value of a pixel."),),
    ),
}
