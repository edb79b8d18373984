"""The exercises of 05_loss_and_backward, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "05.1": {
        "kind": "write",
        "title": 'backward through a leaky ReLU layer',
        "minutes": 10,
        "misconception": "reuses the plain ReLU's gate, blocking the gradient where the input was negative, "
                         "where a leaky ReLU passes slope times it",
        "wrong": (
            'g = dr * (r > 0)\n'
            'return g.T @ x, g.sum(dim=0), g @ W'),
        "right": (
            'local = (r > 0).to(dr.dtype) + slope * (r < 0).to(dr.dtype)\n'
            'g = dr * local\n'
            'dW = g.T @ x\n'
            'db = g.sum(dim=0)\n'
            'dx = g @ W\n'
            'return dW, db, dx'),
        "alternative": (
            "g = torch.where(r < 0, slope * dr, dr)\n"
            "dW = torch.einsum('ni,nk->ik', g, x)\n"
            "db = torch.einsum('ni->i', g)\n"
            "dx = torch.einsum('ni,ik->nk', g, W)\n"
            "return [dW, db, dx]"),
        "loophole": 'return torch.autograd.grad((r * dr).sum(), (W, x), allow_unused=True)',
    },
    "05.2": {
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
    "05.3": {
        "kind": "predict",
        "title": 'where the gradient goes',
        "minutes": 4,
        "misconception": 'one entry per window, forgetting that ReLU closes the gate of a window with no positive entry',
        "wrong": 'ex3_count = 4',
        "right": 'ex3_count = 3',
        "alternative": 'ex3_count = torch.tensor(3)',
    },
    "05.4": {
        "kind": "debug",
        "title": 'one gradient per batch',
        "minutes": 8,
        "misconception": 'fixes one bug of two: moves the in-place clearing before backward() but keeps .grad '
                         'itself, not a copy, so every entry is one tensor holding the last batch',
        "wrong": (
            'def ex4_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    for images, target in batches:\n'
            '        net.zero_grad(set_to_none=False)\n'
            '        loss = nn.MSELoss()(net(images), target)\n'
            '        loss.backward()\n'
            '        grads.append(net.conv1.bias.grad)\n'
            '    return grads'),
        "right": (
            'def ex4_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    for images, target in batches:\n'
            '        for p in net.parameters():\n'
            '            if p.grad is not None:\n'
            '                p.grad.zero_()\n'
            '        nn.MSELoss()(net(images), target).backward()\n'
            '        grads.append(net.conv1.bias.grad.detach().clone())\n'
            '    return grads'),
        "alternative": (
            'def ex4_batch_grads(net, batches):\n'
            '    grads = []\n'
            '    for images, target in batches:\n'
            '        net.zero_grad(set_to_none=False)\n'
            '        nn.MSELoss()(net(images), target).backward()\n'
            '        grads.append(net.conv1.bias.grad.tolist())\n'
            '    return grads'),
    },
    "05.5": {
        "kind": "predict",
        "title": "cross-entropy's push",
        "minutes": 3,
        "misconception": "flips the sign, giving onehot − p: raising the label's logit lowers the loss, so the "
                         "gradient at the label is negative",
        "wrong": 'ex5_grad = [-0.6, 0.8, -0.2]',
        "right": 'ex5_grad = [0.6, -0.8, 0.2]',
        "alternative": 'ex5_grad = torch.tensor([3 / 5, 1 / 5 - 1, 1 / 5])',
    },
}
