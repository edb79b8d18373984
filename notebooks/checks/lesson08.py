"""Checks for 08_modular_cnns_and_inspection's exercises."""
import torch
from torch import nn

from checks import Exercise


def _parameter_count(layer: nn.Module) -> int:
    return sum(p.numel() for p in layer.parameters())


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
        expected=lambda layer: _parameter_count(layer),
        form="an int",
        hints=("A parameter is a weight or a bias. How many numbers does one filter hold, and how many "
               "filters are there?",
               "One filter spans every input channel with a k x k window, and each output channel has one "
               "filter and one bias."),
        mistakes=(
            (lambda a, e, o: a == o["layer"].weight.numel(),
             "You counted the weights only: every output channel also has a bias."),
            (lambda a, e, o: a in (o["layer"].out_channels * (o["layer"].kernel_size[0] * o["layer"].kernel_size[1] + 1),
                                   o["layer"].out_channels * o["layer"].kernel_size[0] * o["layer"].kernel_size[1]),
             "A filter is not one k x k window: it spans all the input channels (the colours), "
             "one k x k window per input channel."),
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
}
