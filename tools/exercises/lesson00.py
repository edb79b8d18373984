"""Attempts at the exercise of 00_start_here (see tools/exercises/__init__.py)."""

ATTEMPTS = {
    "00.1": {
        "kind": "predict",
        "title": "how many pixel values one MNIST image holds",
        "minutes": 2,
        "misconception": "gives the length of one side of the image, not the number of its pixels",
        "wrong": 'ex1_pixels = 28',
        "right": 'ex1_pixels = 784',
        "alternative": 'ex1_pixels = torch.tensor(28) ** 2',
    },
}
