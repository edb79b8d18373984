"""The workshop plans of docs/instructor_guide.md, as data.

Each plan is a list of ``(notebook number, mode, note)`` and ``("break", minutes, note)``.
Modes: "all" = the core path and every exercise in class (Going-deeper sections left for
later); "all except 02.5" = the same with the named exercises (comma-separated) left as homework;
"core" = the core path in class (read and run, code included), exercises as homework; "demo" = you run it on the projector and talk it through (run
+ reading time), students rerun it afterwards. The minutes come from docs/timings.json and the
notebooks themselves (lenetlab.minutes); lenetlab.tables lays the plans out.
"""
from __future__ import annotations

EXCEPT = "all except "  # the mode prefix that leaves some exercises as homework
SAVE_NOTE = ("Before it: *File → Download* the open notebook (Binder ends a session idle for 10 minutes; "
             "a sleeping laptop can lose unsaved work).")
PLANS = {
    "3-hour workshop": [
        ("00", "demo", "Everyone does *Run All* along with you: set-up problems surface now, not later. "
                       "Whoever finishes early does exercise 00.2 (01 §4 shows its answer)."),
        ("01", "core", "The slot's 21 minutes are reading and running; the three pauses and the no-batch error read aloud "
                       "take about 4 more, out of the plan's 20 minutes of slack. **Heart:** §7–§8, what a module registers: "
                       "§8's SGD step changes `head` and leaves the listed layers as they were, although they got a `.grad`. "
                       "Slow down there. **Read aloud:** §7's 'Training in brief' box (§8 and §9 rely on it; 04–06 build each "
                       "piece); §4's no-batch error with the (12, 16) printed above it; §5 in one sentence (the printout, and "
                       "`extra_repr()`, which exercise 01.4 needs). **Pauses:** §4 (shapes of `scores` and `scores4`: (1, 10), "
                       "(4, 10)), §8 (6 and 36), §9 (conv2's fan_in, weight count and bound: 150, 1,800, 0.0816). **Cut if "
                       "late:** §4's 36×36 refusal (run the cell; read only its last line, 432 against 192). If time allows, "
                       "exercise 01.1 (predict) together, as the note above 01's exercises says (3 minutes)."),
        ("02", "core", "If time allows (2 min beyond the 21), derive 576 and 400 on the board side by side from the shape traces of §1 and §2 "
                       "(01's `12 * 4 * 4` is the same kind of number; 03 gives the formula). Short of time: run §2's "
                       "`TutorialNet` cell without reading it (point only at its `view` line and the printed settings) "
                       "and skip §4.3 and its pause (nothing later needs them)."),
        ("03", "core", "§1–§10 as the note at its top plans them: two minutes with §7's explorer, "
                       "the pause's new net (`fc1` = 12 · 7 · 7 = 588) derived in pairs before running §8's two pause cells. If slack remains, "
                       "exercise 3.2 together (3 minutes)."),
        ("break", 10, SAVE_NOTE),
        ("04", "core", "Show §2's printed table beside `LeNet.forward`, not the loop; §3's figure is the drawing of the "
                       "graph. §6 is read at home by default. "
                       "Pauses at §4 (what arrives along `a`, along `b`, and what `w.grad` holds: 12, 24, then 36) "
                       "and §7 (a second `backward()`); for §5 say: one number at the top, "
                       "so one sweep down reaches every parameter."),
        ("05", "core", "§3 pause: of ∂L/∂r3's 6400 entries, how many are nonzero? 1600, one per window (why only 1079 "
                       "pass the ReLU gate: exercise 3, and the cell after it). §5 in one sentence: a central difference in float64 "
                       "matches autograd to 6 digits or more, float32 misses at ε = 10⁻⁶ (a larger ε rescues it only where no kink is near, as on fc3.bias, where the MSE is quadratic: Going deeper, *No good ε for float32 here*); in practice, "
                       "`gradcheck`, which passes |a − b| ≤ 10⁻⁵ + 10⁻³·|b|. §6: derive p − onehot, then the push "
                       "table's last column (confidently wrong ÷ unsure): cross-entropy's push holds (×1.1), MSE on "
                       "probabilities' falls about 1000× (×0.001) for this logit-10 digit, because it follows p_label (§6's "
                       "plot sweeps the wrong logit from 0 to 10); MSE on raw logits does not fade (×1.0) but pushes a "
                       "right, confident logit down (+8); a learning rate scales a loss's pushes alike, "
                       "so it cannot undo that fade."),
        ("06", "core", "The goal of the workshop: from `p -= lr * p.grad` to `torch.optim`. Talk through §1–§3 (the update, "
                       "`no_grad`, the loop, SGD equivalence); pause at §4's slider (2 min) and at §6's step-60 prediction "
                       "(1 min); read §6's counts aloud (μ = 0.5 needs 14 steps against 31) and its buffer cell "
                       "(at step 3 about twice the gradient along `w[1]`; at step 1 a fraction of it where the sign "
                       "flips along `w[0]`). "
                       "Short of time: cut §4's slider "
                       "first, then give §6's buffer cell in one sentence."),
        ("07", "demo", "Shut down every other kernel first (*Running* tab → *Shut Down All*), then *Run All* "
                       "on the projector: it trains while you talk through the core path."),
    ],
    "Full day": [
        ("00", "demo", "Before the start, as people arrive: everyone does *Run All* along with you, with exercise 00.1 "
                       "together as the note in 00 says; then exercises 00.2 (`first_batch`) and 00.3 while the room "
                       "catches up. 00.2 must come before 01 §4, which shows its answer."),
        ("01", "all", "If you have 5 spare minutes after the exercises, run Going deeper *initialisation*'s first cell "
                      "and read its two printed rows: two units started equal are still equal after 100 SGD steps, "
                      "two random ones are not. It completes §9's one-gradient check (the loss and SGD in it come in "
                      "05–06)."),
        ("02", EXCEPT + "02.5", "02.5 (15 min) is for fast students while the room finishes 02.4. Short of time: stop after "
                                "02.3 (02.1–02.3 in class); 02.4 as homework too."),
        ("break", 10, "Coffee. " + SAVE_NOTE),
        ("03", "all", "Before exercise 3.6, assign *Going deeper: pooling and small shifts*: it works out at S2 the "
                      "shift rule that 3.6 applies at S4."),
        ("04", "all", ""),
        ("break", 30, "Lunch. On Binder the session is gone after the break: download before, "
                      "launch again and *Upload* after."),
        ("05", "all", "Start with exercise 1 (a leaky ReLU's backward): it puts §2–§3 together."),
        ("06", "all", "Going deeper: start from its map; give the three marked ★ (momentum on the bowl, counted; noise "
                      "floors and schedules; Adam's step, weight decay and too large a rate) as homework: the "
                      "52 minutes hold the core and the exercises."),
        ("break", 10, "Coffee. " + SAVE_NOTE),
        ("07", "all", "Shut down every other kernel first (*Running* tab → *Shut Down All*)."),
        ("08", "demo", "The last slot of the day: demonstrate 08's core on the projector with the running "
                       "order in the notebook's instructor note (at its top); students work through it and its "
                       "exercises at home."),
    ],
}
SLACK = {"3-hour workshop": 20, "Full day": 0}  # minutes a plan keeps free for questions and set-up trouble
PLAN_LIMITS = {"3-hour workshop": 180, "Full day": 8 * 60}  # minutes, breaks included (full day: 9:00-17:00)
