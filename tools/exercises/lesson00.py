"""Attempts at the exercises of 00_start_here (see tools/exercises/__init__.py)."""

ATTEMPTS = {
    "00.1": {
        "kind": "predict",
        "title": "a pixel of the grid as a tensor value (what to_tensor divides by)",
        "minutes": 3,
        "misconception": "divides by 254, the crop's brightest pixel, or by 256, how many values a byte holds (counting from 0, the largest is 255); each gets its own hint",
        "wrong": 'ex1_pixel = 185 / 256',
        "right": 'ex1_pixel = 0.7255',
        "alternative": 'ex1_pixel = 1 - 70 / 255  # 70 steps below the brightest white',
        "loophole": 'ex1_pixel = x[0, 7, 7]  # read from the tensor section 3 made, not predicted',
    },
    "00.2": {
        "kind": "write",
        "title": "the first k training images as one batch (k, 1, 28, 28)",
        "minutes": 8,
        "misconception": "stacks the pixel grids as stored: no channel dimension, whole numbers from 0 to 255",
        "wrong": "return torch.stack([torch.tensor(np.asarray(dataset[i][0])) for i in range(k)])",
        "right": (
            "to_tensor = torchvision.transforms.functional.to_tensor\n"
            "tensors = [to_tensor(dataset[i][0]) for i in range(k)]\n"
            "return torch.stack(tensors)"),
        "alternative": (
            "grids = np.stack([np.asarray(dataset[i][0]) for i in range(k)])  # (k, 28, 28) bytes\n"
            "return torch.from_numpy(grids).float().div(255).unsqueeze(1)"),
        "loophole": (
            "to_tensor = torchvision.transforms.functional.to_tensor\n"
            "return torch.stack([to_tensor(dataset[i][0]) for i in range(5)])  # k ignored: tested with k = 5 only"),
    },
    "00.3": {
        "kind": "predict",
        "title": "which of W @ x.T + b.unsqueeze(1), x @ W.T + b, x @ W.T + b.unsqueeze(1) raise (@, .T and broadcasting)",
        "minutes": 3,
        "misconception": "thinks b.unsqueeze(1), (3, 1), fits any product because it fits (a): misses that against (5, 3) the first sizes 5 and 3 clash",
        "wrong": 'ex3_raises = (False, False, False)',
        "right": 'ex3_raises = (False, False, True)',
        "alternative": 'ex3_raises = [0, 0, 1]  # 1 and 0 are True and False',
    },
}
