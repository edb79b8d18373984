"""The exercises of 08_modular_cnns_and_inspection, one entry per exercise, keyed by its id (see __init__.py)."""

ATTEMPTS = {
    "08.1": {
        "kind": "write",
        "title": "activation statistics with hooks",
        "minutes": 15,
        "misconception": "defines the hook in the loop, so every hook reads the last name",
        "wrong": (
            "stats, handles = {}, []\n"
            "for name, module in model.named_modules():\n"
            "    if not list(module.children()):\n"
            "        def hook(module, inputs, output):\n"
            "            stats[name] = (output.mean().item(), output.std().item())\n"
            "        handles.append(module.register_forward_hook(hook))\n"
            "with torch.no_grad():\n"
            "    model(x)\n"
            "for handle in handles:\n"
            "    handle.remove()\n"
            "return stats"),
        "right": (
            "leaves = {name: m for name, m in model.named_modules() if len(list(m.children())) == 0}\n"
            "outputs = {}\n"
            "handles = [m.register_forward_hook(lambda mod, inp, out, n=n: outputs.__setitem__(n, out))\n"
            "           for n, m in leaves.items()]\n"
            "with torch.no_grad():\n"
            "    model(x)\n"
            "for h in handles:\n"
            "    h.remove()\n"
            "return {n: (out.mean().item(), out.std().item()) for n, out in outputs.items()}"),
        "alternative": (
            "names = {m: n for n, m in model.named_modules() if not any(True for _ in m.children())}\n"
            "found = {}\n"
            "def record(module, inputs, output):\n"
            "    found[names[module]] = [output.mean(), output.std(correction=0)]\n"
            "handles = [m.register_forward_hook(record) for m in names]\n"
            "with torch.no_grad():\n"
            "    model(x)\n"
            "for h in handles:\n"
            "    h.remove()\n"
            "return found"),
        "loophole": (
            "stats = {}\n"
            "for name, module in model.named_modules():\n"
            "    if not list(module.children()):\n"
            "        module.register_forward_hook(\n"
            "            lambda mod, inp, out, name=name: stats.__setitem__(name, (out.mean().item(), out.std().item())))\n"
            "with torch.no_grad():\n"
            "    model(x)\n"
            "return stats"),
    },
    "08.2": {
        "kind": "predict",
        "title": 'bigger images',
        "minutes": 3,
        "misconception": 'gives the shape for the 32x32 images the model was built for',
        "wrong": 'ex2_shape = (2, 32, 8, 8)',
        "right": 'ex2_shape = (2, 32, 16, 16)',
        "alternative": 'ex2_shape = torch.Size([2, 32, 64 // 4, 64 // 4])',
    },
    "08.3": {
        "kind": "predict",
        "title": "Dropout's scale",
        "minutes": 3,
        "misconception": 'gives the fraction kept instead of the scale',
        "wrong": 'ex3_kept = 1 - ex3_drop.p',
        "right": 'ex3_kept = 1.25',
        "alternative": 'ex3_kept = torch.tensor(1 / 0.8)',
    },
    "08.4": {
        "kind": "write",
        "title": 'a model for bigger images',
        "minutes": 6,
        "misconception": 'builds it for the default 32x32 images',
        "wrong": 'ex4_model = SmallCNN(widths=ex4_widths)',
        "right": 'ex4_model = SmallCNN(in_channels=3, num_classes=10, image_size=96, widths=(16, 32, 64))',
        "alternative": 'ex4_model = SmallCNN(3, 10, ex4_images.shape[-1], ex4_widths, hidden=64)',
        "loophole": 'ex4_model = SmallCNN(in_channels=3, image_size=96, widths=ex4_widths[::-1])',
    },
    "08.5": {
        "kind": "experiment",
        "title": "how many channels does it need?",
        "minutes": 8,
        "misconception": "reports the accuracy as a percentage",
        "wrong": "ex5_acc = 100 * ex5_train((4, 8))",
        "right": "ex5_acc = ex5_train(widths=(4, 8))",
        "alternative": "ex5_acc = torch.tensor(ex5_train((4, 8)))",
    },
}
