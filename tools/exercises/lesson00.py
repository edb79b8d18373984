"""Attempts at the exercise of 00_start_here (see tools/exercises/__init__.py)."""

ATTEMPTS = {
    "00.1": {
        "kind": "predict",
        "title": "the largest value one pixel of an MNIST image can hold",
        "minutes": 2,
        "misconception": "gives how many values a byte can hold (256), not the largest (counting from 0)",
        "wrong": 'ex1_largest = 256',
        "right": 'ex1_largest = 255',
        "alternative": 'ex1_largest = torch.tensor(2) ** 8 - 1',
    },
}
