"""Checks for 00_start_here's exercise.

The expected value is computed from the image the exercise cell passes, never typed in.
"""
from __future__ import annotations

import numpy as np

from checks import Exercise


def _pixel_count(image) -> int:
    """How many pixel values ``image`` (a gray-scale PIL image) holds: one per pixel."""
    return int(np.asarray(image).size)


def _one_side(answer, image) -> bool:
    """The answer is the length of one side of the image (28), not the count of its pixels."""
    try:
        return float(answer) in {float(side) for side in image.size}
    except (TypeError, ValueError):
        return False


EXERCISES = {
    "00.1": Exercise(
        expected=lambda image: _pixel_count(image),
        form="a whole number (an int)",
        hints=("Section 3 printed the size of one image: how many pixels does a picture of that size have?",
               "The image is a grid of pixels, each holding one gray value: count the pixels of one row, "
               "then how many rows there are."),
        mistakes=((lambda a, e, o: _one_side(a, o["image"]),
                   "That is the length of one side. The image is a square grid: it has that many rows, "
                   "each of that many pixels."),
                  (lambda a, e, o: not isinstance(a, (str, bool)) and _is_number(a) and float(a) == 3 * e,
                   "MNIST is gray: one value per pixel, not three (red, green, blue)."),),
    ),
}


def _is_number(answer) -> bool:
    try:
        float(answer)
    except (TypeError, ValueError):
        return False
    return True
