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
        "kind": "write",
        "title": 'a training loop over a DataLoader (write)',
        "minutes": 10,
        "misconception": 'clears the gradients after backward, so step never sees them',
        "wrong": (
            "model.train()\n"
            "total = 0.0\n"
            "for images, targets in loader:\n"
            "    loss = F.cross_entropy(model(images), targets)\n"
            "    loss.backward()\n"
            "    optimizer.zero_grad()\n"
            "    optimizer.step()\n"
            "    total += loss.item()\n"
            "return total / len(loader)"),
        "right": (
            "losses = []\n"
            "for xb, yb in loader:\n"
            "    optimizer.zero_grad()\n"
            "    loss = F.cross_entropy(model(xb), yb)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    losses.append(loss.item())\n"
            "return sum(losses) / len(losses)"),
        "alternative": (
            "total, n = torch.tensor(0.0), 0\n"
            "for xb, yb in loader:\n"
            "    loss = F.nll_loss(F.log_softmax(model(xb), dim=1), yb)\n"
            "    optimizer.zero_grad(set_to_none=False)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total, n = total + loss.detach(), n + 1\n"
            "return total / n"),
        "loophole": (
            "first = next(iter(loader))\n"
            "for _ in range(40):\n"
            "    loss = F.cross_entropy(model(first[0]), first[1])\n"
            "    optimizer.zero_grad()\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "return loss.item()"),
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
        "kind": "predict",
        "title": 'what a checkpoint holds (predict, then check)',
        "misconception": 'counts one number per weight: forgets that Adam keeps two running averages',
        "wrong": 'ex4_numbers = helpers.count_parameters(model)',
        "right": "ex4_numbers = sum(s['exp_avg'].numel() + s['exp_avg_sq'].numel() for s in checkpoint['optimizer']['state'].values())",
        "alternative": 'ex4_numbers = 2 * sum(p.numel() for p in model.parameters())',
    },
    "07.5": {
        "kind": "experiment",
        "title": 'big batches need a bigger step (experiment)',
        "minutes": 8,
        "misconception": "keeps Adam's usual 0.001, too small for 48 big steps",
        "wrong": 'ex5_lr = 0.001',
        "right": 'ex5_lr = 1e-2',
        "alternative": 'ex5_lr = torch.tensor(0.01)',
    },
}
