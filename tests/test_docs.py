"""The documentation keeps up with the code: every exported name, every page linked."""

from __future__ import annotations

import re
from pathlib import Path

import harness

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def test_the_facade_page_lists_every_exported_name() -> None:
    page = (DOCS / "api" / "harness.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`~harness\.[\w.]+\.(\w+)`", page))
    assert listed == set(harness.__all__)


def test_the_readme_links_every_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((docs/[\w/.-]+\.md)\)", readme))
    pages = {str(page.relative_to(ROOT)) for page in DOCS.rglob("*.md") if "_build" not in page.parts}
    assert pages - linked == set()
