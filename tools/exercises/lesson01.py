"""The exercises of 01_modules_and_layers, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "01.1": {
        "kind": "write",
        "title": 'a linear layer by hand',
        "misconception": 'forgets the bias',
        "wrong": 'ex1_answer = ex1_x @ ex1_layer.weight.T',
        "right": 'ex1_answer = ex1_x @ ex1_layer.weight.T + ex1_layer.bias',
        "alternative": 'ex1_answer = (ex1_layer.weight @ ex1_x.T).T + ex1_layer.bias',
        "loophole": 'ex1_answer = ex1_layer(ex1_x)',
    },
    "01.2": {
        "kind": "predict",
        "title": 'predict weight shapes',
        "misconception": "writes weight shapes as (in, out), the order of the constructor's arguments",
        "wrong": 'ex2_shapes = ((3, 16, 3, 3), (256, 32))',
        "right": 'ex2_shapes = ((16, 3, 3, 3), (32, 256))',
        "alternative": 'ex2_shapes = (torch.Size([16, 3, 3, 3]), [32, 256])',
    },
    "01.3": {
        "kind": "write",
        "title": 'where are the weights?',
        "misconception": 'counts the weight matrices and forgets the biases',
        "wrong": "ex3_count = sum(p.numel() for n, p in network.named_parameters() if n.endswith('weight') and n.startswith(('fc', 'out')))",
        "right": "ex3_count = sum(p.numel() for n, p in network.named_parameters() if n.split('.')[0] in ('fc1', 'fc2', 'out'))",
        "alternative": 'ex3_count = torch.tensor(sum(p.numel() for layer in (network.fc1, network.fc2, network.out) for p in layer.parameters()))',
    },
    "01.4": {
        "kind": "write",
        "title": 'a weight that never learns',
        "misconception": 'stores a plain tensor, which the module does not register',
        "wrong": 'self.scale = torch.full((3,), 2.0)',
        "right": 'self.scale = nn.Parameter(torch.full((3,), 2.0))',
        "alternative": "self.register_parameter('scale', nn.Parameter(2 * torch.ones(3)))",
        "loophole": 'self.scale = nn.Parameter(torch.full((3,), 2.0), requires_grad=False)',
    },
}
