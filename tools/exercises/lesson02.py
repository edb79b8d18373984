"""The exercises of 02_lenet, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "02.1": {
        "kind": "predict",
        "title": 'what `-1` becomes',
        "misconception": 'drops the channels when flattening',
        "wrong": 'ex1_shape = (8, 32 * 32)',
        "right": 'ex1_shape = (8, 3 * 32 * 32)',
        "alternative": 'ex1_shape = torch.Size([8, 3072])',
    },
    "02.2": {
        "kind": "predict",
        "title": 'the older blitz on a bigger image',
        "misconception": 'rounds up when pooling halves an odd size (29 / 2 -> 15)',
        "wrong": 'ex2_features = 16 * 15 * 15',
        "right": 'ex2_features = 16 * ((((64 - 2) // 2) - 2) // 2) ** 2',
        "alternative": 'ex2_features = torch.tensor([16, 14, 14]).prod()',
    },
    "02.3": {
        "kind": "predict",
        "title": 'parameters by formula',
        "misconception": 'forgets the biases (the + 1)',
        "wrong": 'ex3_count = 6 * 1 * 5 * 5 + 16 * 6 * 3 * 3 + 120 * 576 + 84 * 120 + 10 * 84',
        "right": 'ex3_count = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 3 * 3 + 1) + 120 * (576 + 1) + 84 * (120 + 1) + 10 * (84 + 1)',
        "alternative": 'ex3_count = sum(o * (i + 1) for i, o in [(1 * 5 * 5, 6), (6 * 3 * 3, 16), (576, 120), (120, 84), (84, 10)])',
    },
    "02.4": {
        "kind": "predict",
        "title": 'the Fashion-MNIST net on 32x32',
        "misconception": 'gives 192, the number fc1 expects for the 28x28 images the net was built for',
        "wrong": 'ex4_features = 12 * 4 * 4',
        "right": 'ex4_features = 12 * ((((32 - 4) // 2) - 4) // 2) ** 2',
        "alternative": 'ex4_features = 300.0',
    },
}
