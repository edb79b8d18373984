"""LeNet Lab's own tooling, shared by the scripts in tools/, the tests and the website build.

    settings   the repository's address and branches, the files the tools write, link builders
    notebooks  the ONE lesson list (``NN_name.ipynb``), notebook reading and writing (nbformat)
    minutes    docs/timings.json and the minutes model (run + read + code + exercises)
    plans      the workshop plans, as data
    tables     the README and instructor-guide sections `make nav` generates
    runner     one way to execute a notebook in a fresh kernel (nbclient)
"""
