"""The exercises of 02_lenet, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "02.1": {
        "kind": "predict",
        "minutes": 4,
        "title": 'the older blitz on a bigger image',
        "misconception": 'rounds up when pooling halves an odd size (29 / 2 -> 15)',
        "wrong": 'ex1_features = 16 * 15 * 15',
        "right": 'ex1_features = 16 * ((((64 - 2) // 2) - 2) // 2) ** 2',
        "alternative": 'ex1_features = torch.tensor([16, 14, 14]).prod()',
    },
    "02.2": {
        "kind": "predict",
        "minutes": 5,
        "title": 'parameters by formula',
        "misconception": 'leaves fc1 at 576 when conv2 makes more maps',
        "wrong": 'ex2_count = 6 * (1 * 5 * 5 + 1) + 32 * (6 * 3 * 3 + 1) + 120 * (576 + 1) + 84 * (120 + 1) + 10 * (84 + 1)',
        "right": 'ex2_count = 156 + 32 * (6 * 9 + 1) + 120 * (32 * 36 + 1) + 84 * 121 + 10 * 85',
        "alternative": 'ex2_count = torch.tensor(sum(o * (i + 1) for i, o in [(25, 6), (54, 32), (1152, 120), (120, 84), (84, 10)]))',
        "loophole": 'ex2_count = sum(p.numel() for p in tutorial_net.parameters())',
    },
    "02.3": {
        "kind": "debug",
        "title": '72 digits, 50 rows of scores',
        "minutes": 8,
        "misconception": 'fixes the flattening but keeps fc1 sized for 32x32 images',
        "wrong": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 3)\n"
            "        self.conv2 = nn.Conv2d(6, 12, 3)\n"
            "        self.fc1 = nn.Linear(12 * 6 * 6, 84)\n"
            "        self.fc2 = nn.Linear(84, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
            "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
            "        x = torch.flatten(x, 1)\n"
            "        return self.fc2(F.relu(self.fc1(x)))"),
        "right": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 3)\n"
            "        self.conv2 = nn.Conv2d(6, 12, 3)\n"
            "        self.fc1 = nn.Linear(300, 84)  # 12 maps of 5x5 per 28x28 digit\n"
            "        self.fc2 = nn.Linear(84, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
            "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
            "        x = x.reshape(len(x), -1)\n"
            "        return self.fc2(F.relu(self.fc1(x)))"),
        "alternative": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 3)\n"
            "        self.conv2 = nn.Conv2d(6, 12, 3)\n"
            "        self.flatten = nn.Flatten()  # one row per digit, whatever the batch size\n"
            "        self.fc1 = nn.Linear(12 * 5 * 5, 84)\n"
            "        self.fc2 = nn.Linear(84, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
            "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
            "        return self.fc2(F.relu(self.fc1(self.flatten(x))))"),
        "loophole": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 6, 3)\n"
            "        self.conv2 = nn.Conv2d(6, 12, 3)\n"
            "        self.fc1 = nn.Linear(12 * 6 * 6, 84)\n"
            "        self.fc2 = nn.Linear(84, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.pad(x, (2, 2, 2, 2))  # the digits padded to the 32x32 the net was written for\n"
            "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
            "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
            "        x = x.view(-1, 12 * 6 * 6)  # right once every digit gives 432 numbers\n"
            "        return self.fc2(F.relu(self.fc1(x)))"),
    },
    "02.4": {
        "kind": "write",
        "title": 'a network from its list of stages',
        "minutes": 12,
        "misconception": 'puts a ReLU on the output layer too',
        "wrong": (
            "class DigitNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 8, kernel_size=3, padding=1)\n"
            "        self.conv2 = nn.Conv2d(8, 20, kernel_size=3)\n"
            "        self.fc1 = nn.Linear(20 * 6 * 6, 64)\n"
            "        self.head = nn.Linear(64, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.max_pool2d(F.relu(self.conv1(x)), 2)\n"
            "        x = F.max_pool2d(F.relu(self.conv2(x)), 2)\n"
            "        x = F.relu(self.fc1(x.flatten(1)))\n"
            "        return F.relu(self.head(x))"),
        "right": (
            "class DigitNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)\n"
            "        self.conv2 = nn.Conv2d(8, 20, 3)\n"
            "        side = ((28 // 2) - 2) // 2  # conv1 keeps 28, pool halves, conv2 takes 2 off, pool halves\n"
            "        self.fc1 = nn.Linear(20 * side * side, 64)\n"
            "        self.head = nn.Linear(64, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.relu(F.max_pool2d(self.conv1(x), 2))  # pooling and ReLU commute\n"
            "        x = F.relu(F.max_pool2d(self.conv2(x), 2))\n"
            "        x = x.view(x.shape[0], -1)\n"
            "        return self.head(F.relu(self.fc1(x)))"),
        "alternative": (
            "class DigitNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.features = nn.Sequential(nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),\n"
            "                                      nn.Conv2d(8, 20, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())\n"
            "        self.classifier = nn.Sequential(nn.Linear(720, 64), nn.ReLU(), nn.Linear(64, 10))\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.classifier(self.features(x))"),
    },
    "02.5": {
        "kind": "write",
        "minutes": 15,
        "title": 'a shape recorder for nested models',
        "misconception": 'named_children() sees only the top level of a nested model',
        "wrong": (
            "def record_shapes(model, x):\n"
            "    records, handles = [], []\n"
            "    for name, child in model.named_children():\n"
            "        handles.append(child.register_forward_hook(lambda m, args, out, name=name: records.append((name, tuple(out.shape)))))\n"
            "    model(x)\n"
            "    for h in handles:\n"
            "        h.remove()\n"
            "    return records"),
        "right": (
            "def record_shapes(model, x):\n"
            "    names = {m: n for n, m in model.named_modules() if len(list(m.children())) == 0}\n"
            "    seen = []\n"
            "    def hook(module, inputs, output):\n"
            "        seen.append((names[module], tuple(output.shape)))\n"
            "    handles = [m.register_forward_hook(hook) for m in names]\n"
            "    model(x)\n"
            "    for h in handles:\n"
            "        h.remove()\n"
            "    return seen"),
        "alternative": (
            "def record_shapes(model, x):\n"
            "    out, handles = [], []\n"
            "    def walk(module, prefix):\n"
            "        kids = list(module.named_children())\n"
            "        if not kids:\n"
            "            handles.append(module.register_forward_hook(lambda m, i, o, p=prefix: out.append([p, list(o.shape)])))\n"
            "        for n, kid in kids:\n"
            "            walk(kid, prefix + '.' + n if prefix else n)\n"
            "    walk(model, '')\n"
            "    try:\n"
            "        model(x)\n"
            "    finally:\n"
            "        [h.remove() for h in handles]\n"
            "    return out"),
        "loophole": 'record_shapes = lambda model, x: [(n, s) for n, s in helpers.shape_trace(model, x) if not n.endswith("()")]',
    },
}
