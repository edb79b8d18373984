"""The exercises of 08_modular_cnns_and_inspection, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "08.1": {
        "kind": "write",
        "title": "switch one channel off with a hook",
        "minutes": 10,
        "misconception": "changes a copy of the output inside the hook and returns None, so the layer's output goes on unchanged",
        "wrong": (
            "def zero_channel(module, inputs, output):\n"
            "    output = output.clone()\n"
            "    output[:, channel] = 0\n"
            "handle = model.get_submodule(layer_name).register_forward_hook(zero_channel)\n"
            "with torch.no_grad():\n"
            "    outputs = model(x)\n"
            "handle.remove()\n"
            "return outputs"),
        "right": (
            "layer = dict(model.named_modules())[layer_name]\n"
            "def hook(module, inputs, output):\n"
            "    mask = torch.ones(output.shape[1])\n"
            "    mask[channel] = 0\n"
            "    return output * mask.view(1, -1, 1, 1)\n"
            "h = layer.register_forward_hook(hook)\n"
            "try:\n"
            "    out = model(x)\n"
            "finally:\n"
            "    h.remove()\n"
            "return out"),
        "alternative": (
            "def hook(module, inputs, output):\n"
            "    output[:, channel] = 0  # in place: the tensor passed on is changed itself\n"
            "handle = model.get_submodule(layer_name).register_forward_hook(hook)\n"
            "with torch.no_grad():\n"
            "    logits = model(x)\n"
            "handle.remove()\n"
            "return logits"),
        "loophole": (
            "twin = copy.deepcopy(model)\n"
            "layer = twin.get_submodule(layer_name)\n"
            "with torch.no_grad():\n"
            "    layer.weight[channel] = 0\n"
            "    layer.bias[channel] = 0\n"
            "    return twin(x)"),
    },
    "08.2": {
        "kind": "predict",
        "title": "BatchNorm's running statistics after two calls",
        "minutes": 5,
        "misconception": "adds the first call's step again, forgetting that the second call keeps only 0.9 of what the first left",
        "wrong": 'ex2_stats = (0.5 + 0.5, 1.8 + 0.8)',
        "right": 'ex2_stats = (0.9 * 0.5 + 0.5, 0.9 * 1.8 + 0.9)',
        "alternative": 'ex2_stats = torch.tensor([0.19 * 5, 0.81 + 0.19 * 9])',
    },
    "08.3": {
        "kind": "predict",
        "title": "Dropout's scale",
        "minutes": 4,
        "misconception": "scales eval() up as train() does, instead of matching the average train() passes on",
        "wrong": 'ex3_kept = 1.25\nex3_eval_factor = 1.25',
        "right": 'ex3_kept = 1.25\nex3_eval_factor = 0.8',
        "alternative": 'ex3_kept = torch.tensor(1 / 0.8)\nex3_eval_factor = 1 - ex3_drop.p',
    },
    "08.4": {
        "kind": "debug",
        "title": "the block that never learns",
        "minutes": 8,
        "misconception": "registers the second block in __init__ but forward still builds a new one at every call",
        "wrong": (
            "class TwoBlockCNN(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.block1 = ConvBlock(3, 16)\n"
            "        self.block2 = ConvBlock(16, 32)\n"
            "        self.fc = nn.Linear(32 * 8 * 8, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = self.block1(x)\n"
            "        x = ConvBlock(16, 32)(x)\n"
            "        return self.fc(x.flatten(1))"),
        "right": (
            "class TwoBlockCNN(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.blocks = nn.Sequential(ConvBlock(3, 16), ConvBlock(16, 32))\n"
            "        self.fc = nn.Linear(2048, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.fc(self.blocks(x).flatten(1))"),
        "alternative": (
            "class TwoBlockCNN(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.block1 = ConvBlock(3, 16)\n"
            "        self.fc = nn.Linear(32 * 8 * 8, 10)\n"
            "        self.extra = nn.ModuleList([ConvBlock(16, 32)])\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = self.extra[0](self.block1(x))\n"
            "        return self.fc(x.flatten(1))"),
        "loophole": (
            "class TwoBlockCNN(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.block1 = ConvBlock(3, 16)\n"
            "        self.fc = nn.Linear(32 * 8 * 8, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = self.block1(x)\n"
            "        torch.manual_seed(0)\n"
            "        x = ConvBlock(16, 32)(x)\n"
            "        return self.fc(x.flatten(1))"),
    },
    "08.5": {
        "kind": "experiment",
        "title": "what do fewer channels cost after 64 steps?",
        "minutes": 8,
        "misconception": "narrows the widths by the factor the weights should shrink by (16), not its square root",
        "wrong": "ex5_widths = (1, 2)\nex5_drop = ex5_train((16, 32)) - ex5_train(ex5_widths)",
        "right": "ex5_widths = (4, 8)\nwide, narrow = ex5_train((16, 32)), ex5_train((4, 8))\nex5_drop = wide - narrow",
        "alternative": "ex5_widths = [16 // 4, 32 // 4]\nex5_drop = round(ex5_train([16, 32]) - ex5_train(ex5_widths), 2)",
        "loophole": "ex5_widths = (4, 8)\nex5_drop = 0.12",
    },
}
