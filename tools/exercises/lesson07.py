"""The exercises of 07_training_lenet_on_mnist, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "07.1": {
        "kind": "predict",
        "title": 'counting steps (predict, then check)',
        "misconception": 'divides the whole data set at once and drops the short last batch',
        "wrong": 'ex1_steps = 3 * 55_000 // 128',
        "right": 'ex1_steps = 3 * -(-55_000 // 128)',
        "alternative": 'ex1_steps = torch.tensor(3 * math.ceil(55_000 / 128))',
    },
    "07.2": {
        "kind": "predict",
        "title": 'where every loss curve starts (predict, then check)',
        "misconception": 'gives the probability instead of the loss',
        "wrong": 'ex2_loss = 1 / 10',
        "right": 'ex2_loss = -math.log(1 / 10)',
        "alternative": 'ex2_loss = 2.303  # three decimals',
    },
    "07.3": {
        "kind": "write",
        "title": 'accuracy of one class',
        "misconception": 'divides the 9s predicted by all test digits',
        "wrong": 'ex3_accuracy_9 = (predictions == 9).float().mean().item()',
        "right": 'ex3_accuracy_9 = ((predictions == 9) & (y_test == 9)).sum().item() / (y_test == 9).sum().item()',
        "alternative": 'ex3_accuracy_9 = (predictions[y_test == 9] == 9).float().mean()',
    },
    "07.4": {
        "kind": "write",
        "title": 'what a checkpoint holds (predict, then check)',
        "misconception": 'counts one number per weight: forgets that Adam keeps two running averages',
        "wrong": 'ex4_numbers = helpers.count_parameters(model)',
        "right": "ex4_numbers = sum(s['exp_avg'].numel() + s['exp_avg_sq'].numel() for s in checkpoint['optimizer']['state'].values())",
        "alternative": 'ex4_numbers = 2 * sum(p.numel() for p in model.parameters())',
    },
}
