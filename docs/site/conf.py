"""Sphinx configuration of the LeNet Lab website (build it with `make site`, see PUBLISHING.md).

The source tree is build/site-src/, laid out by prepare.py from the notebooks, README.md and
docs/instructor_guide.md; this folder holds only the configuration, the extension and the
static files. Notebooks are rendered from their stored outputs, never executed.

Switches (environment variables, read at build time):
  LENET_SITE_MATHJAX=cdn      load MathJax from a CDN (the public deploy) instead of the copy
                              served from the build (default: local, works offline)
  LENET_SITE_JUPYTERHUB=URL   the JupyterHub of the nbgitpuller launch button (default: the
                              placeholder hub of tools/lenetlab/settings.py)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tools"))
from lenetlab import settings  # noqa: E402

project = "LeNet Lab"
author = "LeNet Lab contributors"
copyright = "LeNet Lab contributors; content CC BY 4.0, code MIT"
root_doc = "index"

extensions = ["myst_nb", "lenet_site"]
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# Notebooks: stored outputs only.
nb_execution_mode = "off"
nb_output_stderr = "show"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3  # README.md#the-notebooks style links resolve to headings
myst_dmath_double_inline = True

# MathJax 3.2.2 (npm package "mathjax", docs/site/package.json): copied into _static/mathjax by
# lenet_site, or from a CDN for the public deploy.
MATHJAX_VERSION = "3.2.2"
if os.environ.get("LENET_SITE_MATHJAX", "local") == "cdn":
    mathjax_path = f"https://cdn.jsdelivr.net/npm/mathjax@{MATHJAX_VERSION}/es5/tex-chtml.js"
else:
    mathjax_path = "mathjax/tex-chtml.js"  # relative to _static
mathjax3_config = {"chtml": {"displayAlign": "center"}}

html_theme = "sphinx_book_theme"
html_title = "LeNet Lab"
html_static_path = [str(HERE / "_static")]
html_css_files = ["lenet.css"]
html_js_files = ["lenet.js"]
html_copy_source = False  # the download button offers the repository's own .ipynb instead
html_show_sourcelink = False
html_last_updated_fmt = None
html_theme_options = {
    "repository_url": settings.github_url(),
    "repository_branch": settings.BRANCH,
    "path_to_docs": "",
    "use_repository_button": True,
    "use_download_button": False,  # lenet_site adds its own: the original .ipynb
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "launch_buttons": {},  # lenet_site adds Binder / Colab / JupyterHub from tools/lenetlab/settings.py
}
html_permalinks_icon = "#"
