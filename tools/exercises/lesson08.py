"""The exercises of 08_modular_cnns_and_inspection, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "08.1": {
        "kind": "predict",
        "title": 'parameters by formula',
        "misconception": 'forgets the biases',
        "wrong": 'ex1_count = 3 * 16 * 5 * 5',
        "right": 'ex1_count = 16 * (3 * 5 * 5 + 1)',
        "alternative": 'ex1_count = torch.tensor(3 * 16 * 5 * 5 + 16)',
    },
    "08.2": {
        "kind": "predict",
        "title": 'bigger images (predict, then check)',
        "misconception": 'gives the shape for the 32x32 images the model was built for',
        "wrong": 'ex2_shape = (2, 32, 8, 8)',
        "right": 'ex2_shape = (2, 32, 16, 16)',
        "alternative": 'ex2_shape = torch.Size([2, 32, 64 // 4, 64 // 4])',
    },
    "08.3": {
        "kind": "predict",
        "title": "Dropout's scale (predict, then check)",
        "misconception": 'gives the fraction kept instead of the scale',
        "wrong": 'ex3_kept = 1 - ex3_drop.p',
        "right": 'ex3_kept = 1.25',
        "alternative": 'ex3_kept = torch.tensor(1 / 0.8)',
    },
    "08.4": {
        "kind": "write",
        "title": 'a model for bigger images',
        "misconception": 'builds it for the default 32x32 images',
        "wrong": 'ex4_model = SmallCNN(widths=ex4_widths)',
        "right": 'ex4_model = SmallCNN(in_channels=3, num_classes=10, image_size=96, widths=(16, 32, 64))',
        "alternative": 'ex4_model = SmallCNN(3, 10, ex4_images.shape[-1], ex4_widths, hidden=64)',
        "loophole": 'ex4_model = SmallCNN(in_channels=3, image_size=96, widths=ex4_widths[::-1])',
    },
}
