"""Checks for 07_training_lenet_on_mnist's exercises."""
import math

import torch
import torch.nn.functional as F

from checks import Exercise


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
        expected=lambda y: F.cross_entropy(torch.zeros(len(y), 10), y).item(),
        form="a number (a formula is fine, e.g. written with math.log)",
        rtol=0, atol=1e-3,  # "what loss": three decimals are an answer
        hints=("Equal logits: what probability does softmax give each of the 10 classes?",
               "Cross-entropy is minus the log of the probability the model gives the right class."),
        mistakes=(
            (lambda a, e, o: isinstance(a, (int, float)) and math.isclose(a, 0.1),
             "That is the probability of the right class; the loss is minus its logarithm."),
            (lambda a, e, o: isinstance(a, (int, float)) and math.isclose(a, -e),
             "Check the sign: a loss is never negative, and the log of a probability below 1 is."),
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
}
