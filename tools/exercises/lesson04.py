"""The exercises of 04_autograd_graph, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "04.1": {
        "kind": "predict",
        "title": 'leaf or not?',
        "minutes": 3,
        "misconception": 'thinks a part of a leaf (indexing) is a leaf too, as if only arithmetic were recorded',
        "wrong": 'ex1_leaves = (True, False, True, True)',
        "right": 'ex1_leaves = (True, False, True, False)',
        "alternative": 'ex1_leaves = (1, 0, 1, 0)',
    },
    "04.2": {
        "kind": "write",
        "title": 'which leaves will `backward()` fill?',
        "minutes": 12,
        "misconception": 'walks without remembering the nodes visited: a tensor used twice comes back twice',
        "wrong": (
            'found, todo = [], [output.grad_fn]\n'
            'while todo:\n'
            '    node = todo.pop()\n'
            '    if node is None:\n'
            '        continue\n'
            '    if hasattr(node, "variable"):\n'
            '        found.append(node.variable)\n'
            '    todo += [child for child, _ in node.next_functions]\n'
            'return found'),
        "right": (
            'leaves = {}\n'
            '\n'
            'def visit(node):\n'
            '    if node is None:\n'
            '        return\n'
            '    if hasattr(node, "variable"):\n'
            '        leaves[id(node.variable)] = node.variable\n'
            '    for child, _ in node.next_functions:\n'
            '        visit(child)\n'
            '\n'
            'visit(output.grad_fn)\n'
            'return list(leaves.values())'),
        "alternative": (
            'from collections import deque\n'
            'queue, seen, leaves = deque([output.grad_fn]), set(), set()\n'
            'while queue:\n'
            '    node = queue.popleft()\n'
            '    if node is not None and node not in seen:\n'
            '        seen.add(node)\n'
            '        leaves |= {node.variable} if type(node).__name__ == "AccumulateGrad" else set()\n'
            '        queue.extend(child for child, _ in node.next_functions)\n'
            'return leaves  # a set of tensors'),
        "loophole": (
            'graph = graph_figures.autograd_graph(output)\n'
            'return [node.fn.variable for node in graph.nodes if node.name == "AccumulateGrad"]'),
    },
    "04.3": {
        "kind": "predict",
        "title": 'a dynamic graph',
        "minutes": 4,
        "misconception": 'counts the doublings and forgets the first x * w2',
        "wrong": 'ex3_muls = 1',
        "right": 'ex3_muls = 2',
        "alternative": (
            'import math\n'
            'ex3_muls = 1 + math.ceil(math.log2(4 / math.hypot(1.6, 1.7)))  # x * w2, then the doublings of h = (1.6, -1.7)'),
    },
    "04.4": {
        "kind": "write",
        "title": 'one row of the Jacobian',
        "minutes": 10,
        "misconception": 'backwards a vector of ones: the sum of all ten rows, not row i',
        "wrong": (
            'x = x.clone().requires_grad_()\n'
            'out = net(x)\n'
            'out.backward(torch.ones_like(out))\n'
            'return x.grad'),
        "right": (
            'x = x.detach().requires_grad_()\n'
            'net(x)[0, i].backward()  # the same as backward(v) with a one-hot v\n'
            'return x.grad'),
        "alternative": (
            'leaf = x.clone().requires_grad_()\n'
            '(grad,) = torch.autograd.grad(net(leaf)[0, i], leaf)\n'
            'return grad[0, 0]  # 28x28'),
        "loophole": 'return torch.autograd.functional.jacobian(net, x)[0, i]',
    },
    "04.5": {
        "kind": "debug",
        "title": 'a shift that breaks `backward()`',
        "minutes": 8,
        "misconception": 'thinks only an output is saved, or silences the error with .data so the gradient is wrong',
        "wrong": (
            'def two_terms(x, w):\n'
            '    h = x * w\n'
            '    square = h * h\n'
            '    h.data += 1  # no error any more\n'
            '    return (square + h).sum()'),
        "right": (
            'def two_terms(x, w):\n'
            '    h = x * w\n'
            '    return (h * h + h + 1).sum()'),
        "alternative": (
            'def two_terms(x, w):\n'
            '    h = x * w\n'
            '    square = h * h\n'
            '    h = h.clone()  # edit a copy; the product keeps its own h\n'
            '    h += 1\n'
            '    return (square + h).sum()'),
    },
}
