"""Checks for 08_modular_cnns_and_inspection's exercises."""
from collections import OrderedDict

import torch
from torch import nn

from checks import Exercise, Range

def _stats_model() -> tuple[nn.Module, torch.Tensor]:
    """A model of the check's own (containers nested two deep, a Tanh, no ConvBlock) and its input."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(8)
        model = nn.Sequential(OrderedDict(
            block=nn.Sequential(nn.Conv2d(2, 4, kernel_size=3), nn.ReLU()),
            flatten=nn.Flatten(),
            head=nn.Sequential(nn.Linear(4 * 6 * 6, 5), nn.Tanh(), nn.Linear(5, 3)),
        ))
        x = torch.randn(6, 2, 8, 8)
    return model, x


def _hooks_left(model: nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())


def _run_stats(f):
    """(what ``f`` returns on the check's model, how many hooks it left on that model)."""
    model, x = _stats_model()
    return f(model, x), _hooks_left(model)


def _reference_stats() -> dict:
    """{leaf: (mean, std with correction 1, std with correction 0)}, computed without hooks (the
    leaves of this model run in the order named_modules lists them)."""
    model, out = _stats_model()
    stats = {}
    with torch.no_grad():
        for name, layer in model.named_modules():
            if not list(layer.children()):
                out = layer(out)
                stats[name] = (out.mean().item(), out.std().item(), out.std(correction=0).item())
    return stats


def _close(a, b) -> bool:
    return abs(float(a) - b) <= 1e-4 * (1 + abs(b))


def _stats_right(answer, expected, objects) -> bool:
    """Same leaves, each (mean, std) right (either std correction), and no hook left behind."""
    stats, left = answer
    return (left == 0 and isinstance(stats, dict) and set(stats) == set(expected)
            and all(len(stats[k]) == 2 and _close(stats[k][0], m) and (_close(stats[k][1], s1) or _close(stats[k][1], s0))
                    for k, (m, s1, s0) in expected.items()))


def _keys(answer):
    return set(answer[0]) if isinstance(answer[0], dict) else set()


def _kept_value(drop: nn.Dropout) -> float:
    """What a kept 1.0 becomes in train() mode, read from a real Dropout (global RNG untouched)."""
    with torch.random.fork_rng(devices=[]), torch.no_grad():
        was_training = drop.training
        drop.train()
        value = drop(torch.ones(1000)).max().item()
        drop.train(was_training)
    return value


def _reference_model(SmallCNN, images, widths):
    """The SmallCNN the question describes, built without touching the global random state."""
    with torch.random.fork_rng(devices=[]):
        return SmallCNN(in_channels=images.shape[1], num_classes=10, image_size=images.shape[-1], widths=widths)


def _runs_on(model, images) -> tuple | None:
    """The output shape of ``model`` on ``images`` (eval mode, no grad), or None if it fails."""
    if not isinstance(model, nn.Module):
        return None
    was_training = model.training
    try:
        model.eval()
        with torch.no_grad():
            return tuple(model(images).shape)
    except Exception:
        return None
    finally:
        model.train(was_training)


def _block_widths(model) -> list[int]:
    return [block.conv.out_channels for block in model.features]


def _same_model(answer, expected, objects) -> bool:
    """Right if ``answer`` runs on the images, gives 10 classes and has the asked blocks; the
    hidden width and the dropout are not part of the question."""
    images = objects["images"]
    return (_runs_on(answer, images) == (len(images), 10)
            and answer.features[0].conv.in_channels == images.shape[1]
            and _block_widths(answer) == list(objects["widths"]))


def _built_side(model) -> int:
    """Side of the feature maps for the image size ``model`` was built for (from fc1's in_features)."""
    channels = model.features[-1].conv.out_channels
    return round((model.classifier.fc1.in_features / channels) ** 0.5)


def _fc1_in(model):
    return model.classifier.fc1.in_features


EXERCISES = {
    "08.1": Exercise(
        expected=lambda: _reference_stats(),
        run=lambda f: _run_stats(f),
        same=_stats_right,
        form="a function returning a dict {leaf name: (mean, std)}",
        hints=("Walk model.named_modules(), keep the modules without children, and give each one a hook "
               "that stores what it sees under that module's name. Keep what register_forward_hook returns.",
               "A hook receives (module, inputs, output): the statistics are of output. After the forward "
               "pass, call .remove() on every handle you kept, then return the dict."),
        mistakes=(
            (lambda a, e, o: len(_keys(a)) == 1 and len(e) > 1,
             "All your hooks wrote under one name: a function defined in a loop reads the loop variable "
             "when it runs, after the loop has finished, so every hook sees the last name. Give each hook "
             "its own name when you create it (a function that makes the hook, or a default argument)."),
            (lambda a, e, o: a[1] > 0,
             "Your hooks are still on the model after your function returned: they would run at every "
             "later call. Keep the handles register_forward_hook returns and call .remove() on each."),
            (lambda a, e, o: _keys(a) > set(e),
             "Your dict has entries for containers too (the model itself, its Sequentials): hook only the "
             "leaves, the modules without children."),
            (lambda a, e, o: _keys(a) == set(e),
             "The right layers, but not the right numbers: the statistics are of each leaf's output "
             "(the hook's third argument), a mean and a standard deviation, as floats."),
        ),
    ),
    "08.2": Exercise(
        expected=lambda model, images: tuple(model.features(images).shape),
        form="a tuple (batch, channels, height, width) of ints",
        hints=("Follow one ConvBlock: what does its 3x3 convolution with padding=1 do to height and width, "
               "and what does its pool do?",
               "Each ConvBlock keeps the size in its convolution and halves it in its pool; the channels "
               "are the last block's width."),
        mistakes=(
            (lambda a, e, o: len(tuple(a)) != len(e),
             "features' output is still a batch of feature maps, four numbers (batch, channels, height, "
             "width): the flattening happens later, in the classifier."),
            (lambda a, e, o: tuple(a) == tuple(e[:2]) + (_built_side(o["model"]),) * 2,
             "That is the shape for the 32x32 images the model was built for. The convolutions and pools "
             "do not know image_size: they work on whatever size arrives. Only fc1 is tied to 32x32."),
            (lambda a, e, o: tuple(a)[:2] == tuple(e[:2]) and tuple(a)[2] != e[2] and tuple(a)[2] < e[2],
             "With padding=1 a 3x3 convolution keeps height and width; only the pools shrink the image."),
            (lambda a, e, o: tuple(a)[1] != e[1],
             "Count the channels again: they are the out_channels of the last ConvBlock."),
        ),
    ),
    "08.3": Exercise(
        expected=lambda drop: _kept_value(drop),
        form="a number",
        hints=("Dropout keeps the average of its output equal to its input. What fraction of the inputs "
               "survives?",
               "A fraction 1 - p survives; the survivors must carry the whole average on their own."),
        mistakes=(
            (lambda a, e, o: abs(a - (1 - o["drop"].p)) < 1e-6,
             "That is the fraction kept, not the value of a kept number: scale so the average stays 1."),
            (lambda a, e, o: abs(a - 1 / o["drop"].p) < 1e-6,
             "p is the probability of being dropped, not of being kept."),
            (lambda a, e, o: abs(a - 2) < 1e-6,
             "2 is the scale for p = 0.5; this Dropout has another p."),
            (lambda a, e, o: abs(a - 1) < 1e-6,
             "In eval() mode a kept 1.0 stays 1.0; the question is about train() mode."),
        ),
    ),
    "08.4": Exercise(
        expected=lambda SmallCNN, images, widths: _reference_model(SmallCNN, images, widths),
        form="a model built with SmallCNN(...)",
        same=_same_model,
        hints=("Which of SmallCNN's arguments describe the images, and which the blocks? Run your model on "
               "ex4_images to see what fails.",
               "Set in_channels and image_size from ex4_images' shape and widths from ex4_widths; "
               "num_classes stays 10."),
        mistakes=(
            (lambda a, e, o: not isinstance(a, nn.Module),
             "Give the model itself, built with SmallCNN(...), not a number or a shape."),
            (lambda a, e, o: a.features[0].conv.in_channels != o["images"].shape[1],
             "Your first convolution expects another number of channels than ex4_images has."),
            (lambda a, e, o: len(a.features) != len(e.features),
             "Count the ConvBlocks in model.features: widths makes one block per entry."),
            (lambda a, e, o: _block_widths(a) != list(o["widths"]),
             "Your blocks' widths are not ex4_widths in their order: the first entry is the first block's "
             "out_channels."),
            (lambda a, e, o: _fc1_in(a) != _fc1_in(e),
             "Your fc1 expects the features of another image size: SmallCNN computes fc1's in_features "
             "from image_size, so build it for the size of ex4_images (the default is 32)."),
        ),
    ),
    "08.5": Exercise(
        expected=lambda: Range(0.72, 0.87, "64 steps with widths (4, 8) reached 0.79 to 0.84 over three seeds, "
                                           "against 0.88 for (16, 32); below 0.72 it did not train, above 0.87 "
                                           "is what the wider (16, 32) blocks reach"),
        form="a fraction between 0 and 1 (what ex5_train returned)",
        hints=("Run ex5_train((4, 8)) and give the number it returns, as a fraction (0.9, not 90).",),
        mistakes=(
            (lambda a, e, o: isinstance(a, (int, float)) and 1 < a <= 100,
             "That looks like a percentage: give the accuracy as a fraction (0.9, not 90)."),
        ),
    ),
}
