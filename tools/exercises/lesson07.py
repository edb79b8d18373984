"""The exercises of 07_training_lenet_on_mnist, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "07.1": {
        "kind": "predict",
        "title": "a schedule's length (predict, then check)",
        "misconception": 'counts the short last batch of every epoch, which drop_last=True drops',
        "wrong": 'ex1_steps = 4 * math.ceil(55_000 / 96)',
        "right": 'ex1_steps = 4 * (55_000 // 96)',
        "alternative": 'ex1_steps = torch.tensor(4 * math.floor(55_000 / 96))',
    },
    "07.2": {
        "kind": "write",
        "title": 'a training loop over a DataLoader, with its accuracy (write)',
        "minutes": 12,
        "misconception": 'clears the gradients after backward, so step never sees them',
        "wrong": (
            "model.train()\n"
            "total, right = 0.0, 0\n"
            "for images, targets in loader:\n"
            "    logits = model(images)\n"
            "    loss = F.cross_entropy(logits, targets)\n"
            "    loss.backward()\n"
            "    optimizer.zero_grad()\n"
            "    optimizer.step()\n"
            "    total += loss.item()\n"
            "    right += (logits.argmax(1) == targets).sum().item()\n"
            "return total / len(loader), right / len(loader.dataset)"),
        "right": (
            "losses, hits = [], []\n"
            "for xb, yb in loader:\n"
            "    optimizer.zero_grad()\n"
            "    out = model(xb)\n"
            "    loss = F.cross_entropy(out, yb)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    losses.append(loss.item())\n"
            "    hits.append(out.argmax(dim=1) == yb)\n"
            "return sum(losses) / len(losses), torch.cat(hits).float().mean().item()"),
        "alternative": (
            "total, n, right, seen = torch.tensor(0.0), 0, torch.tensor(0), 0\n"
            "for xb, yb in loader:\n"
            "    scores = F.log_softmax(model(xb), dim=1)\n"
            "    loss = F.nll_loss(scores, yb)\n"
            "    optimizer.zero_grad(set_to_none=False)\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    total, n = total + loss.detach(), n + 1\n"
            "    right, seen = right + (scores.argmax(dim=1) == yb).sum(), seen + len(yb)\n"
            "return [total / n, right / seen]"),
        "loophole": (
            "first = next(iter(loader))\n"
            "for _ in range(40):\n"
            "    logits = model(first[0])\n"
            "    loss = F.cross_entropy(logits, first[1])\n"
            "    optimizer.zero_grad()\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "return loss.item(), (logits.argmax(1) == first[1]).float().mean().item()"),
    },
    "07.3": {
        "kind": "write",
        "title": 'accuracy of every class (write)',
        "minutes": 8,
        "misconception": 'divides the right answers of class k by all digits instead of the digits labelled k',
        "wrong": "return torch.stack([((predictions == k) & (labels == k)).float().mean() for k in range(10)])",
        "right": "return torch.stack([(predictions[labels == k] == k).float().mean() for k in range(10)])",
        "alternative": (
            "confusion = torch.bincount(10 * labels + predictions, minlength=100).view(10, 10)\n"
            "return (confusion.diag() / confusion.sum(dim=1)).tolist()"),
    },
    "07.4": {
        "kind": "predict",
        "title": 'what a checkpoint holds (predict, then check)',
        "misconception": 'thinks a checkpoint is the weights plus a little: forgets that Adam keeps two running averages per weight',
        "wrong": 'ex4_kB = file_bytes / 1000',
        "right": 'ex4_kB = 3 * file_bytes / 1000',
        "alternative": 'ex4_kB = 3 * 4 * helpers.count_parameters(model) / 1000',
    },
    "07.5": {
        "kind": "experiment",
        "title": 'a learning rate for 48 steps (experiment)',
        "minutes": 8,
        "misconception": "keeps Adam's usual 0.001, too small for 48 big steps",
        "wrong": 'ex5_lr = 0.001',
        "right": 'ex5_lr = 1e-2',
        "alternative": 'ex5_lr = torch.tensor(0.01)',
    },
    "07.6": {
        "kind": "predict",
        "title": 'choosing on the test set (predict, then check)',
        "minutes": 2,
        "misconception": 'thinks a test accuracy stays fair when the epoch is chosen by it',
        "wrong": 'ex6_bias = "none"',
        "right": 'ex6_bias = "up"',
        "alternative": 'ex6_bias = " Up"',
    },
}
