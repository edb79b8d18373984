"""A walk-through of every exercise, as a student would answer it: one typical wrong attempt and
one right answer per exercise, written from the prompt alone (not copied from the solution).

tests/test_student_build.py runs them in the student copy of each notebook, in place of the
exercise's `# TODO` line: the wrong attempt must get "✗" and the exercise's hint (a check that
accepted anything, or said nothing useful, would fail here), the right one "✓" (a check too
strict for an answer worded differently from the solution would fail here). The misconceptions
become the table "What the exercises catch" of docs/instructor_guide.md (`make nav`).

Each entry is (misconception, wrong attempt, right answer). An attempt replaces the whole TODO
line and may have several lines; it is indented like that line.
"""

ATTEMPTS = {
    "01_modules_and_layers": [
        ("forgets the bias",
         "ex1_answer = ex1_x @ ex1_layer.weight.T",
         "ex1_answer = ex1_x @ ex1_layer.weight.T + ex1_layer.bias"),
        ("writes weight shapes as (in, out), the order of the constructor's arguments",
         "ex2_shapes = ((3, 16, 3, 3), (256, 32))",
         "ex2_shapes = ((16, 3, 3, 3), (32, 256))"),
        ("counts the weight matrices and forgets the biases",
         "ex3_count = sum(p.numel() for n, p in network.named_parameters() if n.endswith('weight') and n.startswith(('fc', 'out')))",
         "ex3_count = sum(p.numel() for n, p in network.named_parameters() if n.split('.')[0] in ('fc1', 'fc2', 'out'))"),
        ("stores a plain tensor, which the module does not register",
         "self.scale = torch.full((3,), 2.0)",
         "self.scale = nn.Parameter(torch.full((3,), 2.0))"),
    ],
    "02_lenet": [
        ("drops the channels when flattening",
         "ex1_shape = (8, 32 * 32)",
         "ex1_shape = (8, 3 * 32 * 32)"),
        ("remembers 16 * 5 * 5, the 5x5-kernel number, whatever the kernels",
         "ex2_features = 16 * 5 * 5",
         "ex2_features = 16 * ((((32 - 2) // 2) - 2) // 2) ** 2"),
        ("forgets the biases (the + 1)",
         "ex3_count = 6 * 1 * 5 * 5 + 16 * 6 * 3 * 3 + 120 * 576 + 84 * 120 + 10 * 84",
         "ex3_count = 6 * (1 * 5 * 5 + 1) + 16 * (6 * 3 * 3 + 1) + 120 * (576 + 1) + 84 * (120 + 1) + 10 * (84 + 1)"),
        ("gives 192, the number for the image size the net was built for",
         "ex4_features = 12 * 4 * 4",
         "ex4_features = 12 * ((((32 - 4) // 2) - 4) // 2) ** 2"),
    ],
    "03_convolution_arithmetic": [
        ("forgets the bias",
         "ex1_value = (x[:, 1:4, 0:3] * w[2]).sum()",
         "ex1_value = torch.sum(x[:, 1:1 + 3, 0:0 + 3] * w[2]) + b[2]"),
        ("divides without rounding down",
         "ex2_size = (32 + 2 * 1 - 1 * (3 - 1) - 1) / 2 + 1",
         "ex2_size = (32 + 2 * 1 - 1 * (3 - 1) - 1) // 2 + 1"),
        ("takes k - 1, the padding of both sides together",
         "ex3_padding = 7 - 1",
         "ex3_padding = (7 - 1) // 2"),
        ("adds the kernel sizes and ignores that pooling doubles the jump",
         "ex4_field = 5 + 1 + 4",
         "ex4_field = 1 + 4 * 1 + 1 * 1 + 4 * 2"),
        ("takes the dilation for the number of pixels skipped",
         "ex5_dilation = 2",
         "ex5_dilation = (7 - 1) // (3 - 1)"),
    ],
    "04_autograd_graph": [
        ("thinks a detached copy of a result is still not a leaf",
         "ex1_leaves = (True, False, True, False)",
         "ex1_leaves = (True, False, True, True)"),
        ("takes input 0 of fc3's Addmm, which is fc3's own bias",
         "ex2_param = ex2_loss.grad_fn.next_functions[0][0].next_functions[0][0].variable",
         "ex2_param = ex2_loss.grad_fn.next_functions[0][0].next_functions[1][0].next_functions[0][0].next_functions[0][0].variable"),
        ("counts the doublings and forgets the first x * w2",
         "ex3_muls = 6",
         "import math\nex3_muls = 1 + math.ceil(math.log2(4 / math.hypot(0.05, 0.1)))  # x * w2, then the doublings"),
        ("backwards a vector of ones: the sum of all ten rows, not row 3",
         "ex4_out = net(ex4_x)\nex4_out.backward(torch.ones_like(ex4_out))\nex4_grad = ex4_x.grad",
         "net(ex4_x)[0, 3].backward()  # the same as backward(v) with a one-hot v\nex4_grad = ex4_x.grad"),
    ],
    "05_loss_and_backward": [
        ("divides by N as for the mean",
         "ex1_grad = 2 * (ex1_out - target).detach() / ex1_out.numel()",
         "ex1_grad = 2 * (ex1_out.detach() - target)"),
        ("sums over the batch, as for the bias",
         "ex2_dh = g.sum(dim=0) @ net.fc3.weight",
         "ex2_dh = torch.einsum('ni,ik->nk', g, net.fc3.weight.detach())"),
        ("backwards each half's mean as it is, doubling the gradient",
         "nn.MSELoss()(ex3_net(images[:2]), target[:2]).backward()\n"
         "nn.MSELoss()(ex3_net(images[2:]), target[2:]).backward()\n"
         "ex3_grad = ex3_net.conv1.weight.grad",
         "for half in (slice(0, 2), slice(2, 4)):\n"
         "    (nn.MSELoss()(ex3_net(images[half]), target[half]) / 2).backward()\n"
         "ex3_grad = ex3_net.conv1.weight.grad"),
        ("forgets the mean over the batch",
         "ex4_grad = F.softmax(ex4_logits.detach(), dim=1) - F.one_hot(labels, 10)",
         "ex4_grad = (F.softmax(ex4_logits.detach(), dim=1) - F.one_hot(labels, 10)) / len(labels)"),
    ],
    "06_manual_weight_updates": [
        ("steps up the gradient instead of down",
         "ex1_new = ex1_w.detach() + 0.1 * ex1_w.grad",
         "ex1_new = ex1_w.detach() - 0.1 * 2 * ex1_w.detach()"),
        ("takes Adam's step for an SGD step",
         "ex2_new = ex2_w.detach() - 0.01 * ex2_w.grad",
         "ex2_new = ex2_w.detach() - 0.01 * ex2_w.grad / (ex2_w.grad ** 2).sqrt().add(1e-8)"),
        ("expects doubling X to halve the largest learning rate",
         "ex3_lr = critical_lr / 2",
         "ex3_lr = 2 / torch.linalg.eigvalsh(2 * ex3_X2.T @ ex3_X2 / len(ex3_X2)).max().item()"),
        ("subtracts the decay without the learning rate",
         "ex4_new = ex4_w - 0.05 * ex4_g - 0.01 * ex4_w",
         "ex4_new = ex4_w - 0.05 * (ex4_g + 0.01 * ex4_w)"),
    ],
    "07_training_lenet_on_mnist": [
        ("divides the whole data set and drops the short last batch",
         "ex1_steps = 5 * 60_000 // 128",
         "ex1_steps = 5 * -(-60_000 // 128)"),
        ("gives the probability instead of the loss",
         "ex2_loss = 1 / 10",
         "ex2_loss = -math.log(1 / 10)"),
        ("divides the 9s predicted by all test digits",
         "ex3_accuracy_9 = (predictions == 9).float().mean().item()",
         "ex3_accuracy_9 = ((predictions == 9) & (y_test == 9)).sum().item() / (y_test == 9).sum().item()"),
        ("counts the entries of the state_dict, not their numbers",
         "ex4_numbers = len(state)",
         "ex4_numbers = sum(t.numel() for t in state.values())"),
    ],
    "08_modular_cnns_and_inspection": [
        ("forgets the biases",
         "ex1_count = 3 * 16 * 5 * 5",
         "ex1_count = 16 * (3 * 5 * 5 + 1)"),
        ("lets the padded 3x3 convolutions shrink the image too",
         "ex2_shape = (2, 32, 8, 8)",
         "ex2_shape = (2, 32, 64 // 2 // 2, 64 // 2 // 2)"),
        ("gives the fraction kept instead of the scale",
         "ex3_kept = 1 - ex3_p",
         "ex3_kept = 1 / (1 - ex3_p)"),
        ("builds the MNIST version (1 channel, 28x28)",
         "ex4_model = SmallCNN(in_channels=1, image_size=28)",
         "ex4_model = SmallCNN(in_channels=3, num_classes=10, image_size=32)"),
    ],
}
