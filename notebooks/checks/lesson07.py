"""Checks for 07_training_lenet_on_mnist's exercises."""
import math

import torch
import torch.nn.functional as F

from checks import Exercise, Range, Refused


def _loader_run(train_one_epoch, x, y) -> tuple[float, float, float]:
    """(first epoch's mean loss, second epoch's, accuracy after) of ``train_one_epoch`` on the
    check's own DataLoader: 2,048 training digits as normalized floats, batches of 64, a fresh
    seeded LeNet and Adam at 0.001. Refused if the function never reads the loader."""
    import helpers
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(7)
    pick = torch.randperm(len(x), generator=torch.Generator().manual_seed(7))[:2_048]
    images, labels = helpers.normalize_batch(x[pick].cpu()), y[pick].cpu()
    used = []

    class Counting(TensorDataset):
        def __getitem__(self, i):
            used.append(i)
            return super().__getitem__(i)

    loader = DataLoader(Counting(images, labels), batch_size=64, shuffle=True,
                        generator=torch.Generator().manual_seed(7))
    model = helpers.LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses = [train_one_epoch(model, loader, optimizer) for _ in range(2)]
    if len(used) < 2 * len(images):
        raise Refused("your function did not go through every batch of the loader it was given.")
    losses = [float(v.item() if isinstance(v, torch.Tensor) else v) for v in losses]
    with torch.no_grad():
        model.eval()
        accuracy = (model(images).argmax(dim=1) == labels).float().mean().item()
    return losses[0], losses[1], accuracy


def _learned(answer, expected, objects) -> bool:
    first, second, accuracy = answer
    return second < first and accuracy >= 0.6 and 0.0 < second < 2.0  # untrained: about 0.1


def _adam_averages(checkpoint) -> int:
    """How many numbers Adam's two running averages (exp_avg, exp_avg_sq) hold in ``checkpoint``."""
    return sum(state[key].numel() for state in checkpoint["optimizer"]["state"].values()
               for key in ("exp_avg", "exp_avg_sq"))


EXERCISES = {
    "07.1": Exercise(
        expected=lambda history, n, batch_size, epochs: len(history["step_loss"]),
        form="an int (the number of optimizer steps)",
        hints=("One optimizer step per batch. How many batches make one epoch, counting a short last one?",
               "The short last batch is a step too: when you divide the training digits into batches, "
               "which way must the division round?"),
        mistakes=(
            (lambda a, e, o: isinstance(a, (int, float)) and a != e
             and math.floor(a) in (o["epochs"] * o["n"] // o["batch_size"], o["epochs"] * (o["n"] // o["batch_size"])),
             "You rounded down: the last batch of each epoch is shorter, but it is still a step."),
        ),
    ),
    "07.2": Exercise(
        expected=lambda x, y: "a falling loss and a model that learns",
        run=lambda f, x, y: _loader_run(f, x, y),
        same=_learned,
        form="a function returning the mean batch loss of one epoch",
        hints=("For every (images, targets) pair of the loader: forward, loss, then the three optimizer "
               "lines of section 2's loop, in the same order; keep each batch's loss.item().",
               "Check the order: gradients are cleared before backward fills them, and step uses them "
               "after; the function returns the mean of the batch losses."),
        mistakes=(
            (lambda a, e, o: a[1] >= a[0] or a[2] < 0.5,
             "The loss did not go down over two epochs: do the parameters move? Look at the order of "
             "zero_grad, backward and step."),
            (lambda a, e, o: a[1] >= 2.0 or a[1] <= 0.0,
             "The number returned is not a mean batch loss: divide the sum of the losses by the number of batches."),
        ),
    ),
    "07.3": Exercise(
        expected=lambda confusion: (confusion[9, 9] / confusion[9].sum()).item(),
        form="a float between 0 and 1",
        hints=("Keep only the test digits whose label is 9, then ask how many of those were predicted 9.",
               "Two steps: pick out the predictions of the digits labelled 9, then ask what fraction of "
               "those predictions is 9."),
        mistakes=(
            (lambda a, e, o: isinstance(a, (int, float)) and 1 < a <= 100 and math.isclose(a / 100, e, abs_tol=6e-3),
             "That looks like a percentage: give a fraction between 0 and 1."),
            (lambda a, e, o: isinstance(a, (int, float)) and math.isclose(
                a, (o["confusion"][9, 9] / o["confusion"].sum()).item(), rel_tol=1e-4),
             "You divided by all 10,000 test digits; the question is about the true 9s only."),
            (lambda a, e, o: isinstance(a, (int, float)) and math.isclose(
                a, (o["confusion"][:, 9].sum() / o["confusion"].sum()).item(), rel_tol=1e-4),
             "That is the share of all test digits predicted 9. Keep only the digits that really are 9 "
             "first, then ask how many of those were predicted 9."),
            (lambda a, e, o: isinstance(a, (int, float)) and math.isclose(
                a, (o["confusion"][9, 9] / o["confusion"][:, 9].sum()).item(), rel_tol=1e-4),
             "You divided by the digits *predicted* 9 (a column of the matrix); the question divides by "
             "the digits that *are* 9 (a row)."),
        ),
    ),
    "07.4": Exercise(
        expected=lambda checkpoint: _adam_averages(checkpoint),
        form="an int (a number of numbers)",
        hints=("Adam keeps more than one number for every weight: which running averages did 06 show?",
               "For every parameter Adam stores exp_avg (m) and exp_avg_sq (v), each the parameter's shape."),
        mistakes=(
            (lambda a, e, o: isinstance(a, (int, float)) and a == e // 2,
             "That is one number per weight: Adam keeps two running averages for each weight, m and v."),
            (lambda a, e, o: isinstance(a, (int, float)) and a == e + len(o["checkpoint"]["optimizer"]["state"]),
             "You counted the step entries too: step is a counter, one number per parameter tensor, not a "
             "running average. Count exp_avg and exp_avg_sq only."),
        ),
    ),
    "07.5": Exercise(
        expected=lambda train: Range(0.93, 1.0, "93 % or more: a learning rate large enough for 48 big "
                                                "steps, and not so large that Adam's steps overshoot"),
        run=lambda lr, train: train(float(lr)),
        form="a learning rate (a positive number)",
        hints=("Batches of 512 give few steps: each step must go further. Try learning rates a factor of "
               "2 to 3 above 0.001, and print what ex5_train returns for each.",
               "Too large a learning rate fails too: try a few values between 0.001 and 0.03 and keep "
               "the one with the highest accuracy."),
    ),
}
