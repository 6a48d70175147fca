"""Fixtures for the command-line tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def plain_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Wide, colourless rich output (no hard wraps inside messages); cwd in tmp_path so the
    default ``reports/`` directory can never land in the repository."""
    monkeypatch.setenv("COLUMNS", "250")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
