"""Sphinx configuration for the roboverify documentation.

Build with ``sphinx-build -W --keep-going -b html docs docs/_build/html``; the pages are MyST
Markdown, the API pages come from the docstrings (Google style, read by napoleon).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the harness and the built-in plugins import from the checkout

project = "roboverify"
author = "The roboverify maintainers"
copyright = "the roboverify maintainers"

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.viewcode",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "images", "render_scenarios.py", "Thumbs.db", ".DS_Store"]

highlight_language = "text"  # unlabelled blocks are commands, output and diagrams

myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3  # links such as statistics.md#sequential-plans

napoleon_google_docstring = True
napoleon_numpy_docstring = False

autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"members": True, "show-inheritance": True}

html_theme = "furo"
html_title = "roboverify"
