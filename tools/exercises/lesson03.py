"""The exercises of 03_convolution_arithmetic, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "03.1": {
        "kind": "write",
        "title": 'a convolution with stride and padding',
        "minutes": 15,
        "misconception": 'slides the window one pixel at a time whatever the stride',
        "wrong": (
            "padded = F.pad(x, (padding, padding, padding, padding))\n"
            "k = weight.shape[-1]\n"
            "rows = (padded.shape[1] - k) // stride + 1\n"
            "cols = (padded.shape[2] - k) // stride + 1\n"
            "out = torch.zeros(weight.shape[0], rows, cols)\n"
            "for o in range(weight.shape[0]):\n"
            "    for i in range(rows):\n"
            "        for j in range(cols):\n"
            "            out[o, i, j] = (padded[:, i:i + k, j:j + k] * weight[o]).sum() + bias[o]\n"
            "return out"),
        "right": (
            "k = weight.shape[-1]\n"
            "h, w = x.shape[1] + 2 * padding, x.shape[2] + 2 * padding\n"
            "big = x.new_zeros(x.shape[0], h, w)\n"
            "big[:, padding:h - padding, padding:w - padding] = x\n"
            "rows = []\n"
            "for top in range(0, h - k + 1, stride):\n"
            "    row = []\n"
            "    for left in range(0, w - k + 1, stride):\n"
            "        window = big[:, top:top + k, left:left + k]\n"
            "        row.append((window.unsqueeze(0) * weight).sum(dim=(1, 2, 3)) + bias)\n"
            "    rows.append(torch.stack(row, dim=-1))\n"
            "return torch.stack(rows, dim=1)"),
        "alternative": (
            "k = weight.shape[-1]\n"
            "padded = F.pad(x, [padding] * 4)\n"
            "rows = (padded.shape[1] - k) // stride + 1\n"
            "cols = (padded.shape[2] - k) // stride + 1\n"
            "out = bias[:, None, None].repeat(1, rows, cols)\n"
            "for o in range(weight.shape[0]):\n"
            "    for c in range(x.shape[0]):  # one channel at a time, added up\n"
            "        for i in range(rows):\n"
            "            for j in range(cols):\n"
            "                top, left = i * stride, j * stride\n"
            "                out[o, i, j] += (padded[c, top:top + k, left:left + k] * weight[o, c]).sum()\n"
            "return out"),
        "loophole": (
            "conv = torch.nn.functional.__dict__['conv2d']  # F.conv2d under another name\n"
            "return conv(x[None], weight, bias, stride=stride, padding=padding)[0]"),
    },
    "03.2": {
        "kind": "predict",
        "title": 'the size of a strided layer',
        "minutes": 3,
        "misconception": 'divides without rounding down',
        "wrong": 'ex2_size = ((32 + 2 * 1 - (5 - 1) - 1) / 2 + 1, (25 + 2 * 1 - (5 - 1) - 1) / 2 + 1)',
        "right": 'ex2_size = (15, 12)',
        "alternative": 'ex2_size = [(32 + 2 - 4 - 1) // 2 + 1, (25 + 2 - 4 - 1) // 2 + 1]  # a list is a pair too',
        "loophole": 'ex2_size = ex2_conv(ex2_x).shape[-2:]  # measured by running the layer, not predicted',
    },
    "03.3": {
        "kind": "predict",
        "title": '"same" padding for a dilated kernel',
        "minutes": 3,
        "misconception": 'pads for an ordinary 5x5 kernel and ignores the dilation',
        "wrong": 'ex3_padding = (5 - 1) // 2',
        "right": 'ex3_padding = 6',
        "alternative": 'ex3_padding = torch.tensor(3 * (5 - 1) // 2)',
    },
    "03.4": {
        "kind": "debug",
        "title": 'a downsampler that does not halve',
        "minutes": 8,
        "misconception": 'asks for padding="same", which PyTorch refuses with a stride',
        "wrong": (
            "class Downsampler(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.down1 = nn.Conv2d(1, 8, kernel_size=3, stride=2, padding=\"same\")\n"
            "        self.down2 = nn.Conv2d(8, 8, kernel_size=3, stride=2, padding=\"same\")\n"
            "        self.fc = nn.Linear(8 * 7 * 7, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.relu(self.down1(x))\n"
            "        x = F.relu(self.down2(x))\n"
            "        return self.fc(x.flatten(1))"),
        "right": (
            "class Downsampler(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.down1 = nn.Conv2d(1, 8, 3, 2, 1)\n"
            "        self.down2 = nn.Conv2d(8, 8, 3, 2, 1)\n"
            "        self.fc = nn.Linear(392, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        return self.fc(F.relu(self.down2(F.relu(self.down1(x)))).flatten(1))"),
        "alternative": (
            "class Downsampler(nn.Module):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.down1 = nn.Conv2d(1, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))\n"
            "        self.down2 = nn.Conv2d(8, 8, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))\n"
            "        self.fc = nn.Linear(8 * 7 * 7, 10)\n"
            "\n"
            "    def forward(self, x):\n"
            "        x = F.relu(self.down1(x))\n"
            "        x = F.relu(self.down2(x))\n"
            "        return self.fc(x.flatten(1))"),
    },
    "03.5": {
        "kind": "predict",
        "title": 'one layer more',
        "minutes": 4,
        "misconception": 'adds k - 1 pixels, as if neighbouring S4 units were 1 pixel apart',
        "wrong": 'ex5_field = 16 + (3 - 1)',
        "right": 'ex5_field = 16 + (3 - 1) * 4',
        "alternative": 'ex5_field = 16 + 2 * 4',
    },
    "03.6": {
        "kind": "predict",
        "title": 'which shifts survive two pools?',
        "minutes": 3,
        "misconception": 'applies S4\'s jump of 4 and forgets the border (the 8-pixel shift pushes ink out of the frame)',
        "wrong": 'ex6_moves = {4: 1, 8: 2}',
        "right": 'ex6_moves = {4: 1}',
        "alternative": 'ex6_moves = dict([(4, 4 // 4)])',
    },
}
