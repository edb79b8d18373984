"""The exercises of 06_manual_weight_updates, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "06.1": {
        "kind": "write",
        "title": "SGD with momentum, by hand",
        "minutes": 12,
        "misconception": "recomputes the buffer but never stores it, so every step is plain SGD",
        "wrong": (
            "with torch.no_grad():\n"
            "    for k, p in enumerate(params):\n"
            "        b = p.grad.clone() if buffers[k] is None else mu * buffers[k] + p.grad\n"
            "        p -= lr * b"),
        "right": (
            "with torch.no_grad():\n"
            "    for k in range(len(params)):\n"
            "        g = params[k].grad\n"
            "        buffers[k] = g.clone() if buffers[k] is None else mu * buffers[k] + g\n"
            "        params[k].sub_(lr * buffers[k])"),
        "alternative": (
            "for k, p in enumerate(params):\n"
            "    if buffers[k] is None:\n"
            "        buffers[k] = torch.zeros_like(p)\n"
            "    buffers[k] = mu * buffers[k] + p.grad.detach()\n"
            "    p.data -= lr * buffers[k]"),
        "loophole": (
            "optimizer = torch.optim.SGD(params, lr=lr, momentum=mu)\n"
            "optimizer.step()"),
    },
    "06.2": {
        "kind": "predict",
        "title": "predict, then check — one feature doubled",
        "minutes": 4,
        "misconception": "expects any steeper feature to lower the limit, when only the most curved direction sets it",
        "wrong": "ex2_factor = 4",
        "right": "ex2_factor = 1",
        "alternative": "ex2_factor = torch.tensor(1.0)",
    },
    "06.3": {
        "kind": "debug",
        "title": "momentum that never builds",
        "minutes": 8,
        "misconception": "drops zero_grad(), taking momentum's memory to be the accumulated .grad",
        "wrong": (
            "def train(net, x, y, steps, lr):\n"
            "    losses = []\n"
            "    for _ in range(steps):\n"
            "        optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)\n"
            "        loss = F.cross_entropy(net(x), y)\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return losses"),
        "right": (
            "def train(net, x, y, steps, lr):\n"
            "    optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)\n"
            "    losses = []\n"
            "    for _ in range(steps):\n"
            "        optimizer.zero_grad()\n"
            "        loss = F.cross_entropy(net(x), y)\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return losses"),
        "alternative": (
            "def train(net, x, y, steps, lr):\n"
            "    optimizer = None\n"
            "    losses = []\n"
            "    for _ in range(steps):\n"
            "        if optimizer is None:\n"
            "            optimizer = torch.optim.SGD(net.parameters(), lr=lr, momentum=0.9)\n"
            "        net.zero_grad(set_to_none=True)\n"
            "        loss = F.cross_entropy(net(x), y)\n"
            "        loss.backward()\n"
            "        optimizer.step()\n"
            "        losses.append(loss.item())\n"
            "    return losses"),
    },
    "06.4": {
        "kind": "write",
        "title": "one epoch of mini-batch SGD",
        "minutes": 6,
        "misconception": "splits the data in index order, without shuffling",
        "wrong": (
            "losses = []\n"
            "for batch in torch.arange(len(x)).split(16):\n"
            "    net.zero_grad()\n"
            "    loss = F.cross_entropy(net(x[batch]), y[batch])\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        for p in net.parameters():\n"
            "            p -= lr * p.grad\n"
            "    losses.append(loss.item())"),
        "right": (
            "losses = []\n"
            "order = torch.randperm(len(x), generator=generator)\n"
            "for k in range(0, len(x), 16):\n"
            "    rows = order[k:k + 16]\n"
            "    net.zero_grad()\n"
            "    loss = F.cross_entropy(net(x[rows]), y[rows])\n"
            "    loss.backward()\n"
            "    with torch.no_grad():\n"
            "        for p in net.parameters():\n"
            "            p.sub_(lr * p.grad)\n"
            "    losses.append(loss.item())"),
        "alternative": (
            "losses = []\n"
            "optimizer = torch.optim.SGD(net.parameters(), lr=lr)\n"
            "for batch in torch.randperm(len(x), generator=generator).split(16):\n"
            "    optimizer.zero_grad()\n"
            "    loss = F.cross_entropy(net(x[batch]), y[batch])\n"
            "    loss.backward()\n"
            "    optimizer.step()\n"
            "    losses.append(loss.item())"),
    },
}
