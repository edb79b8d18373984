"""The exercises of 03_convolution_arithmetic, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "03.1": {
        "kind": "write",
        "title": 'one output number by hand',
        "misconception": 'forgets the bias',
        "wrong": 'ex1_value = (ex1_x[:, 1:4, 0:3] * ex1_w[2]).sum()',
        "right": 'ex1_value = torch.sum(ex1_x[:, 1:1 + 3, 0:0 + 3] * ex1_w[2]) + ex1_b[2]',
        "alternative": 'ex1_value = (ex1_x[:, 1:4, :3] * ex1_w[2]).sum().item() + ex1_b[2].item()',
        "loophole": 'ex1_value = out[2, 1, 0]',
    },
    "03.2": {
        "kind": "predict",
        "title": 'predict, then check',
        "misconception": 'divides without rounding down',
        "wrong": 'ex2_size = ((32 + 2 * 1 - (3 - 1) - 1) / 2 + 1, (24 + 2 * 1 - (3 - 1) - 1) / 2 + 1)',
        "right": 'ex2_size = (16, 12)',
        "alternative": 'ex2_size = torch.Size([(32 + 2 - 2 - 1) // 2 + 1, (24 + 2 - 2 - 1) // 2 + 1])',
    },
    "03.3": {
        "kind": "predict",
        "title": '"same" padding for a dilated kernel',
        "misconception": 'pads for an ordinary 3x3 kernel and ignores the dilation',
        "wrong": 'ex3_padding = (3 - 1) // 2',
        "right": 'ex3_padding = 3',
        "alternative": 'ex3_padding = (3 * (3 - 1) + 1 - 1) // 2',
    },
    "03.4": {
        "kind": "predict",
        "title": 'predict, then check — one layer more',
        "misconception": 'adds k - 1 pixels, as if neighbouring S4 units were 1 pixel apart',
        "wrong": 'ex4_field = 16 + (3 - 1)',
        "right": 'ex4_field = 16 + (3 - 1) * 4',
        "alternative": 'ex4_field = field + (3 - 1) * jump',
    },
    "03.5": {
        "kind": "predict",
        "title": 'dilation instead of a big kernel',
        "misconception": 'takes the dilation for the number of pixels skipped',
        "wrong": 'ex5_dilation = 3',
        "right": 'ex5_dilation = 4',
        "alternative": 'ex5_dilation = (9 - 1) // (3 - 1)',
    },
}
