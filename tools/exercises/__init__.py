"""Every exercise of the collection, one entry per exercise, keyed by its id ("03.2").

``lessonNN.py`` holds ``ATTEMPTS = {"NN.k": {...}, ...}``, a plain literal (tools/nav.py reads it
without running it). Each entry:

- ``kind``: "write" | "predict" | "debug" | "experiment" (the exercise cell's
  ``metadata.exercise.kind`` says the same; a test compares them);
- ``title``: what it asks, a few words (the guide's table);
- ``minutes`` (optional): how long it takes a student, measured by doing it;
- ``misconception``: what the typical wrong attempt shows;
- ``wrong``: that typical wrong attempt; ``right``: a right answer written from the prompt alone
  (not copied from the solution); ``alternative``: a right answer in another form (a tuple for a
  torch.Size, another loop, another fix) that must pass too;
- ``loophole`` (optional): an answer that gives the right numbers by the route the prompt forbids
  (calling the layer, reading an earlier output) or that only looks right; it must get ✗.

An attempt replaces the exercise cell's TODO region: the ``… = None  # TODO: …`` line, or, in a
write/debug/experiment cell, the lines between ``# TODO: …`` and ``# END TODO`` (indented like the
``# TODO`` line; see notebooks/checks/__init__.py for the cell conventions).
tests/test_student_build.py replays them in the student copy: the untouched cell must say "not
answered yet", ``wrong`` (and ``loophole``) get ✗ with a hint, ``right``, ``alternative`` and the
solution cell ✓.
The expected values and hints live in notebooks/checks/lessonNN.py, which students import; the
attempts live here, under tools/, which the student copy does not include.
"""

KINDS = ("write", "predict", "debug", "experiment")
FIELDS = ("kind", "title", "misconception", "wrong", "right", "alternative")  # required
OPTIONAL = ("minutes", "loophole")
