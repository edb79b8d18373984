"""The workshop plans of docs/instructor_guide.md, as data.

Each plan is a list of ``(notebook number, mode, note)`` and ``("break", minutes, note)``.
Modes: "all" = read, run and do every exercise in class; "core" = read and run in class (code
included), exercises as homework; "demo" = you run it on the projector and talk it through (run
+ reading time), students rerun it afterwards. The minutes come from docs/timings.json and the
notebooks themselves (lenetlab.minutes); lenetlab.tables lays the plans out.
"""
from __future__ import annotations

SAVE_NOTE = ("Before it: *File → Download* the open notebook (Binder ends a session idle for 10 minutes; "
             "a sleeping laptop can lose unsaved work).")
PLANS = {
    "3-hour workshop": [
        ("00", "demo", "Everyone does *Run All* along with you: set-up problems surface now, not later."),
        ("01", "core", ""),
        ("02", "core", "The heart of the workshop: shapes and the batch dimension. Do exercises 1 and 2 together "
                       "if the room is on time."),
        ("break", 10, SAVE_NOTE),
        ("03", "core", "Derive 576 / 400 / 192 together; five minutes with the explorer. With 25 minutes to "
                       "spare, end by running 07 on the projector (shut down the other kernels first)."),
    ],
    "Full day": [
        ("00", "core", "Before the start, as people arrive."),
        ("01", "core", ""),
        ("02", "all", ""),
        ("break", 15, "Coffee. " + SAVE_NOTE),
        ("03", "all", ""),
        ("break", 45, "Lunch. On Binder the session is gone after the break: download before, "
                      "launch again and *Upload* after."),
        ("04", "demo", "Walk the graph by hand on the projector; the students rerun it afterwards."),
        ("05", "all", ""),
        ("break", 15, "Coffee. " + SAVE_NOTE),
        ("06", "core", ""),
        ("07", "core", "Shut down every other kernel first (*Running* tab → *Shut Down All*). Run All at the "
                       "start: the training of §5 runs while the room reads §1–§4."),
    ],
}
PLAN_LIMITS = {"3-hour workshop": 180, "Full day": 8 * 60}  # minutes, breaks included (full day: 9:00-17:00)
