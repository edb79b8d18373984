"""The exercises of 05_loss_and_backward, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "05.1": {
        "kind": "write",
        "title": 'the gradient of the summed error',
        "misconception": 'divides by N as for the mean',
        "wrong": 'ex1_grad = 2 * (ex1_out - target) / ex1_out.numel()',
        "right": 'ex1_grad = 2 * (ex1_out - target)',
        "alternative": 'ex1_grad = (2 * (ex1_out - target)).tolist()',
    },
    "05.2": {
        "kind": "write",
        "title": 'what `fc3` passes on',
        "misconception": 'sums over the batch, as for the bias',
        "wrong": 'ex2_dh = g.sum(dim=0) @ net.fc3.weight',
        "right": 'ex2_dh = g @ net.fc3.weight',
        "alternative": "ex2_dh = torch.einsum('ni,ik->nk', g, net.fc3.weight.detach())",
    },
    "05.3": {
        "kind": "write",
        "title": 'a batch in two pieces',
        "misconception": "backwards each half's mean as it is, doubling the gradient",
        "wrong": (
            'nn.MSELoss()(net(images[:2]), target[:2]).backward()\n'
            'nn.MSELoss()(net(images[2:]), target[2:]).backward()'),
        "right": (
            'for half in (slice(0, 2), slice(2, 4)):\n'
            '    (nn.MSELoss()(net(images[half]), target[half]) / 2).backward()'),
        "alternative": (
            "(nn.MSELoss(reduction='sum')(net(images[:2]), target[:2]) / 40).backward()\n"
            "(nn.MSELoss(reduction='sum')(net(images[2:]), target[2:]) / 40).backward()"),
        "loophole": 'nn.MSELoss()(net(images), target).backward()',
    },
    "05.4": {
        "kind": "write",
        "title": 'derive, then check — the gradient of cross-entropy',
        "misconception": 'forgets the mean over the batch',
        "wrong": 'ex4_grad = F.softmax(ex4_logits, dim=1) - F.one_hot(labels, 10)',
        "right": 'ex4_grad = (F.softmax(ex4_logits, dim=1) - F.one_hot(labels, 10)) / len(labels)',
        "alternative": 'ex4_grad = (ex4_logits.exp() / ex4_logits.exp().sum(dim=1, keepdim=True) - torch.eye(10)[labels]) / 4',
    },
}
