"""Checks for 07_training_lenet_on_mnist's exercises."""
import math

import torch
import torch.nn.functional as F

from checks import Exercise, Range, Refused


def _loader_run(train_one_epoch, x, y) -> tuple[float, float, float, float, float, bool, int, bool,
                                                  bool, float, float, bool, bool]:
    """(first epoch's returned loss, second epoch's, accuracy after, largest gap between a returned
    loss and the true mean cross-entropy of that epoch's batches, the same gap had the loss been
    taken of softmax probabilities instead of logits, whether the model was ever fed something other
    than the loader's images, e.g. normalized twice, how many times ``optimizer.step()`` ran, whether
    a returned loss was a tensor that requires grad, e.g. a sum of loss tensors, whether every
    return was a pair (loss, accuracy), the largest gap between a returned accuracy and the fraction
    of that epoch's digits whose batch logits were right, the same gap had it been read as a
    percentage, whether the model ran more than once for some batch, whether one call went through the
    loader more than once) of ``train_one_epoch`` on the
    check's own DataLoader: 2,000 training digits as normalized floats, batches of 64 (the last holds
    16, so a mean over batches and a mean over digits differ), a fresh
    seeded LeNet and Adam at 0.001. Hooks record each batch's model input and logits, the loader each
    batch's images and targets. Refused if the function never reads the loader."""
    import helpers
    from torch.utils.data import DataLoader, TensorDataset

    torch.manual_seed(7)
    pick = torch.randperm(len(x), generator=torch.Generator().manual_seed(7))[:2_000]
    images, labels = helpers.normalize_batch(x[pick].cpu()), y[pick].cpu()
    used = []

    class Counting(TensorDataset):
        def __getitem__(self, i):
            used.append(i)
            return super().__getitem__(i)

    inner = DataLoader(Counting(images, labels), batch_size=64, shuffle=True,
                       generator=torch.Generator().manual_seed(7))
    targets, logits, fed, given, passes = [], [], [], [], []

    class Recording:
        """The DataLoader, recording the targets of every batch it yields."""
        def __iter__(self):
            passes.append(1)
            for xb, yb in inner:
                targets.append(yb)
                given.append(xb)
                yield xb, yb

        def __len__(self):
            return len(inner)

        def __getattr__(self, name):
            return getattr(inner, name)

    model = helpers.LeNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    handle = model.register_forward_hook(lambda module, inputs, output: logits.append(output.detach()))
    def pre_hook(module, inputs):
        if not isinstance(inputs[0], torch.Tensor):
            raise TypeError(f"the model was given a {type(inputs[0]).__name__}, not a tensor of images: "
                            "unpack each batch, `for images, labels in loader:`, and pass the images alone")
        fed.append(inputs[0].detach())

    pre_handle = model.register_forward_pre_hook(pre_hook)
    before = [p.detach().clone() for p in model.parameters()]
    steps = []
    step_handle = optimizer.register_step_post_hook(lambda opt, args, kwargs: steps.append(1))
    changed = graph = extra = twice = False
    losses, gaps, softmax_gaps = [], [], []
    pair, acc_gaps, percent_gaps = True, [], []
    try:
        for _ in range(2):
            targets.clear(), logits.clear(), fed.clear(), given.clear(), passes.clear()
            value = train_one_epoch(model, Recording(), optimizer)
            twice = twice or len(passes) > 1
            if isinstance(value, (tuple, list)) and len(value) == 2:
                value, epoch_acc = value
                epoch_acc = float(epoch_acc.item() if isinstance(epoch_acc, torch.Tensor) else epoch_acc)
            else:
                pair, epoch_acc = False, math.nan
            extra = extra or len(fed) > len(given)
            changed = changed or any(a.shape != b.shape or not torch.allclose(a.cpu().float(), b, atol=1e-6)
                                     for a, b in zip(fed, given))
            graph = graph or (isinstance(value, torch.Tensor) and value.requires_grad)
            value = float(value.item() if isinstance(value, torch.Tensor) else value)
            losses.append(value)
            if len(logits) != len(targets) or not targets:
                gaps.append(math.inf)
                softmax_gaps.append(math.inf)
                acc_gaps.append(math.inf)
                percent_gaps.append(math.inf)
            else:
                mean = sum(F.cross_entropy(z, t).item() for z, t in zip(logits, targets)) / len(targets)
                gaps.append(abs(value - mean))
                softmax_mean = sum(F.cross_entropy(F.softmax(z, dim=1), t).item()
                                   for z, t in zip(logits, targets)) / len(targets)
                softmax_gaps.append(abs(value - softmax_mean))
                right = sum((z.argmax(dim=1) == t).sum().item() for z, t in zip(logits, targets))
                true_acc = right / sum(len(t) for t in targets)
                acc_gaps.append(abs(epoch_acc - true_acc) if pair else math.inf)
                percent_gaps.append(abs(epoch_acc / 100 - true_acc) if pair else math.inf)
    finally:
        handle.remove()
        pre_handle.remove()
        step_handle.remove()
    if len(used) < 2 * len(images):
        raise Refused("your function did not go through every batch of the loader it was given.")
    with torch.no_grad():
        model.eval()
        accuracy = (torch.cat([model(xb) for xb in images.split(256)]).argmax(dim=1) == labels).float().mean().item()
    moved = any(not torch.equal(a, p.detach()) for a, p in zip(before, model.parameters()))
    return (losses[0], losses[1], accuracy, max(gaps), max(softmax_gaps), changed, len(steps), graph,
            pair, max(acc_gaps), max(percent_gaps), extra, twice, moved)


def _learned(answer, expected, objects) -> bool:
    first, second, accuracy, gap, _, changed, steps, graph, pair, acc_gap, _, extra, twice, _ = answer
    return (gap < 1e-4 and second < first and accuracy >= 0.6 and not changed and steps > 0 and not graph  # untrained: about 0.1
            and pair and acc_gap < 1e-6 and not extra and not twice)


def _per_class_run(per_class_accuracy):
    """``per_class_accuracy`` applied to the check's own predictions and labels (3,000 digits, a
    different accuracy for every class), as a float tensor of 10, with the right answer and two
    wrong denominators for comparison, the counts of digits right per class, and the overall
    accuracy repeated ten times."""
    g = torch.Generator().manual_seed(3)
    labels = torch.randint(0, 10, (3_000,), generator=g)
    right = torch.rand(3_000, generator=g) < (0.5 + 0.05 * labels)  # class k right about (50 + 5k) % of the time
    predictions = torch.where(right, labels, (labels + torch.randint(1, 10, (3_000,), generator=g)) % 10)
    answer = per_class_accuracy(predictions.clone(), labels.clone())
    answer = torch.as_tensor(answer, dtype=torch.float64).flatten()
    hits = ((predictions == labels) * 1.0)
    true_k = torch.bincount(labels, minlength=10).double()
    truth = torch.bincount(labels, weights=hits, minlength=10).double() / true_k
    precision = torch.bincount(labels, weights=hits, minlength=10).double() / torch.bincount(predictions, minlength=10).double()
    over_all = torch.bincount(labels, weights=hits, minlength=10).double() / len(labels)
    counts = torch.bincount(labels, weights=hits, minlength=10).double()
    overall = torch.full((10,), hits.mean().item(), dtype=torch.float64)
    return answer, truth, precision, over_all, counts, overall


def _close(answer, other) -> bool:
    return answer.shape == other.shape and torch.allclose(answer, other, atol=1e-6)


def _checkpoint_kB(checkpoint) -> float:
    """The size in kB (1,000 bytes) of ``checkpoint`` written by ``torch.save``."""
    import io

    buffer = io.BytesIO()
    torch.save(checkpoint, buffer)
    return len(buffer.getvalue()) / 1000


def _number(a) -> float | None:
    """``a`` as a float if it is one number (an int, a float, a one-element tensor), else None."""
    if isinstance(a, torch.Tensor) and a.numel() == 1:
        a = a.item()
    return float(a) if isinstance(a, (int, float)) and not isinstance(a, bool) else None


def _near(a, target, tolerance=0.05) -> bool:
    a = _number(a)
    return a is not None and abs(a - target) <= tolerance * target


def _bias_word(a) -> str | None:
    """``a`` as one of "up", "down", "none" (any case, spaces around), else None."""
    word = a.strip().lower() if isinstance(a, str) else None
    return word if word in ("up", "down", "none") else None


def _train_at(lr, train) -> float:
    return float(train(float(lr)))


EXERCISES = {
    "07.1": Exercise(
        expected=lambda n, batch_size, epochs: epochs * (n // batch_size),  # drop_last=True: full batches only
        form="an int (the schedule's total_steps)",
        hints=("One optimizer step per batch the loader yields. How many batches does one epoch yield when "
               "drop_last=True drops the short last one?",
               "With drop_last=True an epoch yields only full batches of 96: divide and round down, per "
               "epoch, then count the epochs."),
        mistakes=(
            (lambda a, e, o: isinstance(a, float) and not a.is_integer(),
             "A number of steps is a whole number: each full batch of 96 is one step."),
            (lambda a, e, o: isinstance(a, (int, float)) and a == o["epochs"] * math.ceil(o["n"] / o["batch_size"]),
             "That counts the short last batch of every epoch: drop_last=True drops it, so the loader "
             "never yields it and no step is taken for it."),
            (lambda a, e, o: isinstance(a, (int, float)) and a != e
             and math.floor(a) == o["epochs"] * o["n"] // o["batch_size"],
             "You divided all the epochs' digits at once: every epoch starts over and drops its own short "
             "batch, so count one epoch's steps first."),
            (lambda a, e, o: isinstance(a, (int, float)) and a in (o["n"] // o["batch_size"], math.ceil(o["n"] / o["batch_size"])),
             "That is one epoch's steps: the schedule covers every epoch."),
        ),
    ),
    "07.2": Exercise(
        expected=lambda x, y: "a falling loss and a model that learns",
        run=lambda f, x, y: _loader_run(f, x, y),
        same=_learned,
        form="a function returning (the mean batch loss, the training accuracy) of one epoch",
        hints=("For every (images, targets) pair of the loader: forward, loss, clear the gradients, "
               "backward, step. Keep each batch's loss.item(), and count the digits whose largest logit "
               "is their label.",
               "Check the order: gradients are cleared before backward fills them, and step uses them "
               "after. Return two floats: the mean of the batch losses, and the digits counted right "
               "divided by all the digits the loader gave."),
        mistakes=(
            (lambda a, e, o: a[12],
             "Your function went through the loader more than once in one epoch (a second pass after "
             "training, to count the digits right?). One pass is enough: count the digits right from the "
             "logits the loss already used, batch by batch, as you go."),
            (lambda a, e, o: a[11],
             "Your function runs the model more than once for a batch: one forward per batch is enough, "
             "and its logits serve both the loss and the count of digits right."),
            (lambda a, e, o: a[5],
             "The model was fed something other than the loader's images, batch by batch: they are "
             "normalized floats already, so pass each batch to the model as it is. Normalizing them again "
             "scales them wrongly; gathering and re-batching them (helpers.batches reshuffles) changes the order."),
            (lambda a, e, o: a[3] >= 1e-4 and a[4] < 1e-4,
             "Your loss is the cross-entropy of softmax probabilities: F.cross_entropy (and "
             "nn.CrossEntropyLoss) takes the raw logits and applies log-softmax itself, so a softmax "
             "before it is applied twice."),
            (lambda a, e, o: a[3] >= 1e-4,
             "The number returned is not the mean of this epoch's batch losses (the check recomputes it "
             "from the logits of every batch): add up each batch's loss.item() and divide by the number "
             "of batches."),
            (lambda a, e, o: a[7],
             "Add up loss.item(), not loss: a sum of loss tensors keeps every batch's graph in memory "
             "for the whole epoch (the returned value still requires grad)."),
            (lambda a, e, o: a[6] == 0,
             "The parameters never moved: optimizer.step() never ran. backward only fills every "
             "p.grad; step is what changes the weights."),
            (lambda a, e, o: not a[13],
             "optimizer.step() ran, but no parameter changed. step found no gradients: zero_grad ran "
             "between backward and step and cleared them first. The order: zero_grad, backward, step."),
            (lambda a, e, o: a[1] >= a[0] or a[2] < 0.6,
             "The loss did not go down over two epochs: are one batch's gradients cleared before the "
             "next backward? Look at the order of zero_grad, backward and step."),
            (lambda a, e, o: not a[8],
             "The loss is right; now return two numbers, mean_loss, accuracy: the accuracy is the "
             "fraction of this epoch's digits that the model got right."),
            (lambda a, e, o: a[9] >= 1e-6 and a[10] < 1e-6,
             "That accuracy looks like a percentage: give a fraction between 0 and 1."),
            (lambda a, e, o: a[9] >= 1e-6,
             "The loss is right, the accuracy is not: count, in every batch, the digits whose largest "
             "logit (the same logits the loss used) is their label, and divide the total by the number "
             "of digits the loader gave, not by the number of batches."),
        ),
    ),
    "07.3": Exercise(
        expected=lambda: "the fraction of each class's digits predicted as that class",
        run=lambda f: _per_class_run(f),
        same=lambda a, e, o: _close(a[0], a[1]),
        form="a function returning a tensor of 10 fractions between 0 and 1",
        hints=("For each digit k: keep only the digits whose label is k, then ask what fraction of them "
               "were predicted k.",
               "Entry k divides the digits labelled k and predicted k by all the digits labelled k "
               "(a row of the confusion matrix), not by all digits or by the digits predicted k."),
        mistakes=(
            (lambda a, e, o: a[0].shape != (10,),
             "Your function should return 10 numbers, one per digit 0 to 9."),
            (lambda a, e, o: _close(a[0], 100 * a[1]),
             "Those look like percentages: give fractions between 0 and 1."),
            (lambda a, e, o: _close(a[0], a[3]),
             "You divided by all the digits; divide by the digits labelled k only."),
            (lambda a, e, o: _close(a[0], a[2]),
             "You divided by the digits *predicted* k (a column of the confusion matrix); the question "
             "divides by the digits that *are* k (a row)."),
            (lambda a, e, o: _close(a[0], a[4]),
             "Those are counts, the digits labelled k and predicted k: divide each by the number of "
             "digits labelled k."),
            (lambda a, e, o: _close(a[0], a[5]),
             "All ten entries are the overall accuracy: for entry k, keep only the digits labelled k "
             "before counting how many were predicted right."),
        ),
    ),
    "07.4": Exercise(
        expected=lambda checkpoint: _checkpoint_kB(checkpoint),
        same=lambda a, e, o: _near(a, e),  # a prediction: right within 5 % of the real size
        form="a number of kB",
        hints=("That is more than 5 % away from the checkpoint's real size. What does the checkpoint hold "
               "besides the weights? How many numbers does Adam keep for each weight, and how many bytes is each?",
               "Still more than 5 % away. Adam keeps two running averages per weight, m and v, each a float32 "
               "like the weight: compare with the size of section 8's weights file."),
        mistakes=(
            (lambda a, e, o: _number(a) is None,
             "Give one number: the file's size in kB (an int or a float)."),
            (lambda a, e, o: _near(a, 1000 * _checkpoint_kB(o["checkpoint"]), 0.1),
             "That looks like bytes: give kB (1 kB = 1,000 bytes)."),
            (lambda a, e, o: _near(a, _checkpoint_kB(o["checkpoint"]) / 1000, 0.1),
             "That looks like MB: give kB (1 MB = 1,000 kB)."),
            (lambda a, e, o: _near(a, _checkpoint_kB(o["checkpoint"]) / 3, 0.1),
             "That is about the weights alone (section 8's file): the checkpoint holds Adam's running "
             "averages too."),
            (lambda a, e, o: _near(a, 2 * _checkpoint_kB(o["checkpoint"]) / 3, 0.1),
             "Two float32 numbers per weight is one too few: the weights, m and v."),
            (lambda a, e, o: _number(a) is not None and _number(a) > 1.05 * _checkpoint_kB(o["checkpoint"]),
             "Too high, by more than 5 %: count again the float32 numbers the checkpoint keeps per weight "
             "(the weight, and what Adam keeps for it); the rest is a few kB."),
        ),
    ),
    "07.5": Exercise(
        expected=lambda train: Range(0.93, 1.0, "the exercise asks for 93 % or more: a rate large enough "
                                                "for 48 big steps, not so large that Adam's steps overshoot"),
        run=lambda lr, train: _train_at(lr, train),
        form="a learning rate (a positive number)",
        hints=("Print what ex5_train returns for a few learning rates, a factor of about 3 apart: "
               "too small and too large both fail.",
               "Too small and too large both fail, so the rate you need lies between the largest that "
               "failed low and the smallest that failed high: try one in the middle (on a log scale) and repeat."),
        mistakes=(
            (lambda a, e, o: float(a) < 0.2,
             "About 1 in 10, chance: the model learned nothing usable. A rate far too large does this "
             "(the steps throw the weights about), and so does one far too small (in 48 steps the weights "
             "barely move). Which is yours? Compare with a rate 10 times smaller and one 10 times larger."),
            (lambda a, e, o: 0.2 <= float(a) < 0.93,
             "The model learns, but falls short of 93 %. A rate too small does this, and so can one too "
             "large. Run ex5_train at 3 times your rate and at a third of it, and move "
             "towards whichever does better."),
        ),
    ),
    "07.6": Exercise(
        expected=lambda: "up",
        same=lambda a, e, o: _bias_word(a) == e,
        form='one of the strings "up", "down" or "none"',
        hints=("Each epoch's test accuracy is one measurement with noise of about 0.1 point (section 4). "
               "The classmate keeps the highest of 20 such measurements: which way did the kept one's noise "
               "most likely go?",
               "Among 20 noisy measurements, the highest is most often one whose noise went its way. Fresh "
               "digits bring fresh noise, with no such luck."),
        mistakes=(
            (lambda a, e, o: _bias_word(a) is None,
             'Answer with one of the strings "up", "down" or "none".'),
            (lambda a, e, o: _bias_word(a) == "none",
             "Each epoch's test accuracy alone is fair: on average its noise is zero. But the "
             "classmate kept the highest of 20. Is the kept one's noise still zero on average?"),
            (lambda a, e, o: _bias_word(a) == "down",
             "Keeping the highest of 20 measurements favours the ones whose noise pushed them which way?"),
        ),
    ),
}
