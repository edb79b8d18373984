"""The exercises of 05_loss_and_backward, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "05.1": {
        "kind": "write",
        "title": 'the gradient of the summed error',
        "minutes": 3,
        "misconception": 'divides by N as for the mean',
        "wrong": 'ex1_grad = 2 * (ex1_out - target) / ex1_out.numel()',
        "right": 'ex1_grad = 2 * (ex1_out - target)',
        "alternative": 'ex1_grad = (2 * (ex1_out - target)).tolist()',
    },
    "05.2": {
        "kind": "write",
        "title": 'what `fc3` passes on',
        "minutes": 5,
        "misconception": 'sums over the batch, as for the bias',
        "wrong": 'ex2_dh = g.sum(dim=0) @ net.fc3.weight',
        "right": 'ex2_dh = g @ net.fc3.weight',
        "alternative": "ex2_dh = torch.einsum('ni,ik->nk', g, net.fc3.weight.detach())",
    },
    "05.3": {
        "kind": "write",
        "title": 'a batch in two pieces',
        "minutes": 10,
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
        "kind": "predict",
        "title": 'where the gradient goes',
        "minutes": 4,
        "misconception": 'one entry per window, forgetting that ReLU closes the gate of an all-negative window',
        "wrong": 'ex4_count = 4',
        "right": 'ex4_count = 3',
        "alternative": 'ex4_count = torch.tensor(3)',
    },
    "05.5": {
        "kind": "debug",
        "title": 'one gradient per batch',
        "minutes": 8,
        "misconception": 'clears .grad once, before the loop, so the batches still add up',
        "wrong": (
            'def ex5_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    net.zero_grad()\n'
            '    for images, target in batches:\n'
            '        loss = nn.MSELoss()(net(images), target)\n'
            '        loss.backward()\n'
            '        grads.append(net.conv1.bias.grad.clone())\n'
            '    return grads'),
        "right": (
            'def ex5_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    for images, target in batches:\n'
            '        net.zero_grad()\n'
            '        nn.MSELoss()(net(images), target).backward()\n'
            '        grads.append(net.conv1.bias.grad.clone())\n'
            '    return grads'),
        "alternative": (
            'def ex5_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    for images, target in batches:\n'
            '        for p in net.parameters():\n'
            '            p.grad = None\n'
            '        nn.MSELoss()(net(images), target).backward()\n'
            '        grads.append(net.conv1.bias.grad.clone())\n'
            '    return grads'),
    },
}
