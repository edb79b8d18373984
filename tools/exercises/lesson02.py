"""The exercises of 02_lenet, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "02.1": {
        "kind": "predict",
        "minutes": 2,
        "title": 'what `-1` becomes',
        "misconception": 'drops the channels when flattening',
        "wrong": 'ex1_shape = (8, 32 * 32)',
        "right": 'ex1_shape = (8, 3 * 32 * 32)',
        "alternative": 'ex1_shape = torch.Size([8, 3072])',
    },
    "02.2": {
        "kind": "predict",
        "minutes": 4,
        "title": 'the older blitz on a bigger image',
        "misconception": 'rounds up when pooling halves an odd size (29 / 2 -> 15)',
        "wrong": 'ex2_features = 16 * 15 * 15',
        "right": 'ex2_features = 16 * ((((64 - 2) // 2) - 2) // 2) ** 2',
        "alternative": 'ex2_features = torch.tensor([16, 14, 14]).prod()',
    },
    "02.3": {
        "kind": "predict",
        "minutes": 5,
        "title": 'parameters by formula',
        "misconception": 'forgets the biases (the + 1)',
        "wrong": 'ex3_count = 6 * 1 * 5 * 5 + 16 * 6 * 3 * 3 + 120 * 576 + 84 * 120 + 10 * 84',
        "right": 'ex3_count = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 3 * 3 + 1) + 120 * (576 + 1) + 84 * (120 + 1) + 10 * (84 + 1)',
        "alternative": 'ex3_count = sum(o * (i + 1) for i, o in [(1 * 5 * 5, 6), (6 * 3 * 3, 16), (576, 120), (120, 84), (84, 10)])',
    },
    "02.4": {
        "kind": "write",
        "title": '`forward` for a given `__init__`',
        "minutes": 10,
        "misconception": 'puts a ReLU on the output layer too',
        "wrong": (
            "x = self.pool(F.relu(self.conv1(x)))\n"
            "x = self.pool(F.relu(self.conv2(x)))\n"
            "x = F.relu(self.fc1(x.flatten(1)))\n"
            "return F.relu(self.head(x))"),
        "right": (
            "x = F.relu(self.pool(self.conv1(x)))  # pooling and ReLU commute\n"
            "x = F.relu(self.pool(self.conv2(x)))\n"
            "x = x.view(x.shape[0], -1)\n"
            "return self.head(F.relu(self.fc1(x)))"),
        "alternative": (
            "steps = [self.conv1, F.relu, self.pool, self.conv2, F.relu, self.pool,\n"
            "         nn.Flatten(), self.fc1, F.relu, self.head]\n"
            "for step in steps:\n"
            "    x = step(x)\n"
            "return x"),
    },
    "02.5": {
        "kind": "debug",
        "title": 'scores stuck at zero',
        "minutes": 6,
        "misconception": 'removes every ReLU of the classifier, the hidden one too',
        "wrong": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.features = nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2))\n"
            "        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(4 * 12 * 12, 32),\n"
            "                                        nn.Linear(32, 10))\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.classifier(self.features(x))"),
        "right": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.features = nn.Sequential(nn.Conv2d(1, 4, 5), nn.ReLU(), nn.MaxPool2d(2))\n"
            "        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(4 * 12 * 12, 32), nn.ReLU(),\n"
            "                                        nn.Linear(32, 10), nn.ReLU())\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.classifier[:-1](self.features(x))"),
        "alternative": (
            "class SmallNet(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.conv, self.fc1, self.fc2 = nn.Conv2d(1, 4, 5), nn.Linear(4 * 12 * 12, 32), nn.Linear(32, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.max_pool2d(F.relu(self.conv(x)), 2)\n"
            "        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))"),
    },
}
