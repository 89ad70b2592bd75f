"""Helpers shared by the command-line tests."""

from __future__ import annotations

from pathlib import Path


def write_private(path: Path, text: str, mode: int = 0o600) -> Path:
    """Writes a file that holds secrets, with the given mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path
