"""Where bundled files live, in a wheel and in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_SOURCE_ROOT = _PACKAGE_DIR.parent.parent  # src/facilitate -> repository root


def _bundled(name: str) -> Path:
    """A bundled top-level folder: inside the wheel, or the repository root for an editable install."""
    in_wheel = _PACKAGE_DIR / "_bundled" / name
    if in_wheel.is_dir():
        return in_wheel
    return _SOURCE_ROOT / name


def bundled_workshops_dir() -> Path:
    return _bundled("workshops")


def assets_dir() -> Path:
    return _bundled("assets")
