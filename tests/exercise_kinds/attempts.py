"""Attempts of the worked example's exercises, in the format of tools/exercises/lessonNN.py."""

ATTEMPTS = {
    "99.1": {
        "kind": "write",
        "title": "a convolution with loops",
        "minutes": 15,
        "misconception": "flips the kernel, as in a textbook convolution",
        "wrong": (
            "out_channels, _, k, _ = weight.shape\n"
            "out = torch.zeros(out_channels, x.shape[1] - k + 1, x.shape[2] - k + 1)\n"
            "for o in range(out_channels):\n"
            "    for i in range(out.shape[1]):\n"
            "        for j in range(out.shape[2]):\n"
            "            out[o, i, j] = (x[:, i:i + k, j:j + k] * weight[o].flip(-1, -2)).sum()\n"
            "return out"),
        "right": (
            "k = weight.shape[-1]\n"
            "rows = []\n"
            "for i in range(x.shape[1] - k + 1):\n"
            "    row = [(x[:, i:i + k, j:j + k] * weight).sum(dim=(1, 2, 3)) for j in range(x.shape[2] - k + 1)]\n"
            "    rows.append(torch.stack(row, dim=-1))\n"
            "return torch.stack(rows, dim=1)"),
        "alternative": (
            "k = weight.shape[-1]\n"
            "windows = x.unfold(1, k, 1).unfold(2, k, 1)  # (C, H', W', k, k)\n"
            "return torch.einsum('chwij,ocij->ohw', windows, weight)"),
    },
    "99.2": {
        "kind": "debug",
        "title": "layers in a plain list",
        "minutes": 8,
        "misconception": "registers the weights only",
        "wrong": (
            "class TwoLayers(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.layers = [nn.Linear(4, 8), nn.Linear(8, 2)]\n"
            "        self.weights = nn.ParameterList([layer.weight for layer in self.layers])\n"
            "\n"
            "    def forward(self, x):\n"
            "        for layer in self.layers:\n"
            "            x = layer(x)\n"
            "        return x"),
        "right": (
            "class TwoLayers(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.layers = nn.ModuleList([nn.Linear(4, 8), nn.Linear(8, 2)])\n"
            "\n"
            "    def forward(self, x):\n"
            "        for layer in self.layers:\n"
            "            x = layer(x)\n"
            "        return x"),
        "alternative": (
            "class TwoLayers(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.first, self.second = nn.Linear(4, 8), nn.Linear(8, 2)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.second(self.first(x))"),
    },
    "99.3": {
        "kind": "experiment",
        "title": "a learning rate that trains in 50 steps",
        "minutes": 6,
        "misconception": "keeps a step too small to get anywhere in 50 steps",
        "wrong": "ex3_lr = 0.001",
        "right": "ex3_lr = 0.5",
        "alternative": "ex3_lr = torch.tensor(1.0)",
    },
}
