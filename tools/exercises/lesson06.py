"""The exercises of 06_manual_weight_updates, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "06.1": {
        "kind": "write",
        "title": 'one step by hand',
        "misconception": 'steps up the gradient instead of down',
        "wrong": 'ex1_new = ex1_w.detach() + 0.1 * ex1_w.grad',
        "right": 'ex1_new = ex1_w.detach() - 0.1 * 2 * ex1_w.detach()',
        "alternative": 'ex1_new = [0.8, -1.6, 0.4]',
    },
    "06.2": {
        "kind": "write",
        "title": "Adam's first step",
        "misconception": "takes Adam's step for an SGD step",
        "wrong": 'ex2_new = ex2_w.detach() - 0.01 * ex2_w.grad',
        "right": 'ex2_new = ex2_w.detach() - 0.01 * ex2_w.grad / (ex2_w.grad ** 2).sqrt().add(1e-8)',
        "alternative": 'ex2_new = ex2_w.detach() - 0.01 * torch.sign(ex2_w.grad)',
    },
    "06.3": {
        "kind": "predict",
        "title": 'predict, then check — a steeper bowl',
        "misconception": 'expects doubling X to halve the largest learning rate',
        "wrong": 'ex3_lr = critical_lr / 2',
        "right": 'ex3_lr = critical_lr / 4',
        "alternative": 'ex3_lr = 2 / torch.linalg.eigvalsh(2 * ex3_X2.T @ ex3_X2 / len(ex3_X2)).max()',
    },
    "06.4": {
        "kind": "write",
        "title": 'weight decay by hand',
        "misconception": 'subtracts the decay without the learning rate',
        "wrong": 'ex4_new = ex4_w - 0.05 * ex4_g - 0.01 * ex4_w',
        "right": 'ex4_new = ex4_w - 0.05 * (ex4_g + 0.01 * ex4_w)',
        "alternative": 'ex4_new = (1 - 0.05 * 0.01) * ex4_w - 0.05 * ex4_g',
    },
}
