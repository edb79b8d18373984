"""Attempts at the exercises of 01_modules_and_layers, one entry per exercise (see tools/exercises/__init__.py)."""

ATTEMPTS = {
    "01.1": {
        "kind": "predict",
        "title": "predict weight shapes",
        "minutes": 3,
        "misconception": "writes weight shapes as (in, out), the order of the constructor's arguments",
        "wrong": 'ex1_shapes = ((3, 16, 3, 3), (256, 32))',
        "right": 'ex1_shapes = ((16, 3, 3, 3), (32, 256))',
        "alternative": 'ex1_shapes = (torch.Size([16, 3, 3, 3]), [32, 256])',
    },
    "01.2": {
        "kind": "predict",
        "title": "the starting-weight bound of a convolution",
        "minutes": 4,
        "misconception": "takes fan_in to be in_channels, forgetting the kernel window",
        "wrong": 'ex2_bound = 1 / 4 ** 0.5',
        "right": 'ex2_bound = 0.1667',
        "alternative": 'ex2_bound = torch.tensor(1 / 36) ** 0.5',
    },
    "01.3": {
        "kind": "debug",
        "title": "hidden layers that are one layer listed depth times",
        "minutes": 6,
        "misconception": "fixes the shared layer with a plain Python list, which the module does not register",
        "wrong": (
            "class Tower(nn.Module):\n"
            "    def __init__(self, width, depth):\n"
            "        super().__init__()\n"
            "        self.first = nn.Linear(8, width)\n"
            "        self.hidden = [nn.Linear(width, width) for _ in range(depth)]\n"
            "        self.last = nn.Linear(width, 3)\n"
            "\n"
            "    def forward(self, t):\n"
            "        t = F.relu(self.first(t))\n"
            "        for layer in self.hidden:\n"
            "            t = F.relu(layer(t))\n"
            "        return self.last(t)"),
        "right": (
            "class Tower(nn.Module):\n"
            "    def __init__(self, width, depth):\n"
            "        super().__init__()\n"
            "        self.first = nn.Linear(8, width)\n"
            "        self.hidden = nn.ModuleList()\n"
            "        for _ in range(depth):\n"
            "            self.hidden.append(nn.Linear(width, width))\n"
            "        self.last = nn.Linear(width, 3)\n"
            "\n"
            "    def forward(self, t):\n"
            "        t = F.relu(self.first(t))\n"
            "        for layer in self.hidden:\n"
            "            t = F.relu(layer(t))\n"
            "        return self.last(t)"),
        "alternative": (
            "class Tower(nn.Module):\n"
            "    def __init__(self, width, depth):\n"
            "        super().__init__()\n"
            "        self.first = nn.Linear(8, width)\n"
            "        self.hidden = nn.Sequential(*[nn.Linear(width, width) for _ in range(depth)])\n"
            "        self.last = nn.Linear(width, 3)\n"
            "\n"
            "    def forward(self, t):\n"
            "        t = F.relu(self.first(t))\n"
            "        for layer in self.hidden:\n"
            "            t = F.relu(layer(t))\n"
            "        return self.last(t)"),
    },
    "01.4": {
        "kind": "write",
        "title": "your own linear layer, with its printout",
        "minutes": 15,
        "misconception": "starts the weights at zero (no random start), so every output computes the same",
        "wrong": (
            "class MyLinear(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        self.in_features, self.out_features = in_features, out_features\n"
            "        self.weight = nn.Parameter(torch.zeros(out_features, in_features))\n"
            "        self.bias = nn.Parameter(torch.zeros(out_features))\n"
            "\n"
            "    def forward(self, t):\n"
            "        return t @ self.weight.T + self.bias\n"
            "\n"
            "    def extra_repr(self):\n"
            "        return f\"in_features={self.in_features}, out_features={self.out_features}\""),
        "right": (
            "class MyLinear(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        self.in_features = in_features\n"
            "        self.out_features = out_features\n"
            "        bound = in_features ** -0.5\n"
            "        self.weight = nn.Parameter(2 * bound * torch.rand(out_features, in_features) - bound)\n"
            "        self.bias = nn.Parameter(2 * bound * torch.rand(out_features) - bound)\n"
            "\n"
            "    def forward(self, t):\n"
            "        return torch.matmul(t, self.weight.t()) + self.bias\n"
            "\n"
            "    def extra_repr(self):\n"
            "        return 'in_features=%d, out_features=%d' % (self.in_features, self.out_features)"),
        "alternative": (
            "class MyLinear(nn.Module):\n"
            "    def __init__(self, in_features, out_features):\n"
            "        super().__init__()\n"
            "        self.in_features, self.out_features = in_features, out_features\n"
            "        self.weight = nn.Parameter(torch.empty(out_features, in_features))\n"
            "        self.register_parameter('bias', nn.Parameter(torch.empty(out_features)))\n"
            "        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)\n"
            "        nn.init.uniform_(self.bias, -in_features ** -0.5, in_features ** -0.5)\n"
            "\n"
            "    def forward(self, t):\n"
            "        return t @ self.weight.T + self.bias\n"
            "\n"
            "    def extra_repr(self):\n"
            "        return f\"in_features={self.in_features}, out_features={self.out_features}\""),
        "loophole": (
            "class MyLinear(nn.Linear):\n"
            "    def forward(self, t):\n"
            "        return nn.functional.linear(t, self.weight, self.bias)"),
    },
    "01.5": {
        "kind": "predict",
        "title": "fc1's in_features for 32×32 images",
        "minutes": 3,
        "misconception": "keeps 192, the 28×28 count, or lets only one convolution shrink the image",
        "wrong": 'ex5_in_features = 12 * 4 * 4',
        "right": 'ex5_in_features = 300',
        "alternative": 'ex5_in_features = torch.tensor(12 * 5 * 5)',
    },
}
