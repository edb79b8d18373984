"""Build the LeNet Lab website: `make site`, or python docs/site/build.py [--out DIR].

Lays out the source tree (prepare.py), then runs Sphinx with warnings as errors (-W
--keep-going: every warning is listed, then the build fails). Offline: nothing is downloaded or
executed. Prints the build time and the size of the site. With --out DIR, everything goes under
DIR (DIR/site-src, DIR/doctrees, DIR/site), as the tests do; by default build/site-src,
build/site-doctrees and build/site.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import prepare  # noqa: E402


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def build(out: Path | None = None) -> Path:
    """Build the site; return its folder. Raises CalledProcessError when Sphinx fails.

    Always from a fresh environment (-E): an incremental build re-reads only changed pages, so a
    warning of an unchanged page would not be raised again and -W would let it pass.
    """
    if out is None:
        source, doctrees, site = ROOT / "build" / "site-src", ROOT / "build" / "site-doctrees", ROOT / "build" / "site"
    else:
        source, doctrees, site = out / "site-src", out / "doctrees", out / "site"
    prepare.prepare(source)
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-E", "-W", "--keep-going", "-q", "-n",
           "-c", str(HERE), "-d", str(doctrees), str(source), str(site)]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="build under this folder instead of build/")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        site = build(args.out.resolve() if args.out else None)
    except subprocess.CalledProcessError as exc:
        print(f"site build FAILED (sphinx exit code {exc.returncode}): see the warnings above", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    pages = len(list(site.rglob("*.html")))
    print(f"site built in {seconds:.1f} s: {site} ({pages} HTML files, {size_of(site) / 1e6:.1f} MB)"
          f" - open {site / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
