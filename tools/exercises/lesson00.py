"""Attempts at the exercise of 00_start_here (see tools/exercises/__init__.py)."""

ATTEMPTS = {
    "00.1": {
        "kind": "predict",
        "title": "a pixel of the grid as a tensor value (what to_tensor divides by)",
        "minutes": 3,
        "misconception": "divides by 256, how many values a byte holds, not by the largest (counting from 0)",
        "wrong": 'ex1_pixel = 254 / 256',
        "right": 'ex1_pixel = 0.9961',
        "alternative": 'ex1_pixel = 1 - 1 / 255  # one step below the brightest white',
        "loophole": 'ex1_pixel = x[0, 8, 7]  # read from the tensor section 3 made, not predicted',
    },
}
