"""The exercises of 04_autograd_graph, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "04.1": {
        "kind": "predict",
        "title": 'predict, then check — leaf or not?',
        "misconception": 'thinks a detached copy of a result is still not a leaf',
        "wrong": 'ex1_leaves = (True, False, True, False)',
        "right": 'ex1_leaves = (True, False, True, True)',
        "alternative": 'ex1_leaves = (1, 0, 1, 1)',
    },
    "04.2": {
        "kind": "write",
        "title": 'walk to `fc2.bias`',
        "misconception": "takes input 0 of fc3's Addmm, which is fc3's own bias",
        "wrong": 'ex2_node = ex2_loss.grad_fn.next_functions[0][0].next_functions[0][0]',
        "right": 'ex2_node = ex2_loss.grad_fn.next_functions[0][0].next_functions[1][0].next_functions[0][0].next_functions[0][0]',
        "alternative": (
            'node = ex2_loss.grad_fn\n'
            "for i in (0, 1, 0, 0):  # fc3's Addmm, its ReLU, fc2's Addmm, its bias\n"
            '    node = node.next_functions[i][0]\n'
            'ex2_node = node'),
    },
    "04.3": {
        "kind": "predict",
        "title": 'predict a dynamic graph',
        "misconception": 'counts the doublings and forgets the first x * w2',
        "wrong": 'ex3_muls = 6',
        "right": 'ex3_muls = 7',
        "alternative": (
            'import math\n'
            'ex3_muls = 1 + math.ceil(math.log2(4 / math.hypot(0.05, 0.1)))  # x * w2, then the doublings'),
    },
    "04.4": {
        "kind": "write",
        "title": 'one row of the Jacobian',
        "misconception": 'backwards a vector of ones: the sum of all ten rows, not row 3',
        "wrong": (
            'ex4_out = net(ex4_x)\n'
            'ex4_out.backward(torch.ones_like(ex4_out))\n'
            'ex4_grad = ex4_x.grad'),
        "right": (
            'net(ex4_x)[0, 3].backward()  # the same as backward(v) with a one-hot v\n'
            'ex4_grad = ex4_x.grad'),
        "alternative": (
            'ex4_v = torch.zeros(1, 10)\n'
            'ex4_v[0, 3] = 1\n'
            'net(ex4_x).backward(ex4_v)\n'
            'ex4_grad = ex4_x.grad[0, 0]  # 28x28'),
        "loophole": 'ex4_grad = J[0, 3]',
    },
}
