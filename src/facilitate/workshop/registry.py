"""Find workshops by name (bundled, or in ./workshops) or by path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from facilitate.paths import bundled_workshops_dir

if TYPE_CHECKING:  # the models (pydantic) load only to open a workshop, not to find one
    from facilitate.workshop.loader import LoadedWorkshop


class UnknownWorkshop(LookupError):
    """A name that is neither a bundled workshop, nor one in ./workshops, nor a file."""


@dataclass(frozen=True)
class WorkshopFile:
    name: str
    path: Path
    origin: str  # "bundled" or "local"


def available_workshops(cwd: Path | None = None) -> list[WorkshopFile]:
    """Bundled workshops first, then the `*.yaml` files in `./workshops` (a local file wins a name)."""
    found: dict[str, WorkshopFile] = {}
    for origin, folder in (
        ("bundled", bundled_workshops_dir()),
        ("local", (cwd or Path.cwd()) / "workshops"),
    ):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            existing = found.get(path.stem)
            if existing is not None and existing.path.resolve() == path.resolve():
                continue
            found[path.stem] = WorkshopFile(path.stem, path, origin)
    return list(found.values())


def resolve_workshop_path(name_or_path: str, cwd: Path | None = None) -> Path:
    """A path if it looks like one (or exists), else the workshop of that name."""
    candidate = Path(name_or_path)
    looks_like_path = candidate.suffix in (".yaml", ".yml") or "/" in name_or_path or "\\" in name_or_path
    if looks_like_path or candidate.exists():
        return candidate
    for workshop in reversed(available_workshops(cwd)):
        if workshop.name == name_or_path:
            return workshop.path
    names = ", ".join(w.name for w in available_workshops(cwd)) or "none"
    raise UnknownWorkshop(
        f"no workshop named {name_or_path!r} (available: {names}); or give the path of a .yaml file"
    )


def open_workshop(name_or_path: str, cwd: Path | None = None) -> LoadedWorkshop:
    from facilitate.workshop.loader import load_workshop

    return load_workshop(resolve_workshop_path(name_or_path, cwd))
