"""What `facilitate list` prints: single workshops, then each series with its parts in order.

A workshop joins a series with `series: {id, part, title}`; the parts are shown under the series' title,
numbered, with any gap or clash said in words (a facilitator planning a series should see it at once).
"""

from __future__ import annotations

from dataclasses import dataclass

from facilitate.workshop.durations import format_minutes
from facilitate.workshop.loader import WorkshopLoadError, load_workshop
from facilitate.workshop.models import Workshop
from facilitate.workshop.registry import WorkshopFile


@dataclass(frozen=True)
class Listed:
    file: WorkshopFile
    workshop: Workshop | None  # None: the file does not load
    problems: int = 0


def load_all(found: list[WorkshopFile]) -> list[Listed]:
    listed = []
    for item in found:
        try:
            listed.append(Listed(item, load_workshop(item.path).workshop))
        except WorkshopLoadError as exc:
            listed.append(Listed(item, None, len(exc.errors)))
    return listed


def _detail(entry: Listed) -> str:
    if entry.workshop is None:
        return f"(invalid: {entry.problems} problem(s); run `facilitate validate {entry.file.path}`)"
    return f"{entry.workshop.title} · {format_minutes(entry.workshop.duration)}"


def list_lines(listed: list[Listed]) -> list[str]:
    """Single workshops first, then one block per series (parts in order)."""
    single = [entry for entry in listed if entry.workshop is None or entry.workshop.series is None]
    series: dict[str, list[Listed]] = {}
    for entry in listed:
        if entry.workshop is not None and entry.workshop.series is not None:
            series.setdefault(entry.workshop.series.id, []).append(entry)
    width = max((len(entry.file.name) for entry in listed), default=0)
    lines = [f"{entry.file.name:<{width}}  {_detail(entry)}  [{entry.file.origin}]" for entry in single]
    for series_id, parts in series.items():
        parts.sort(key=lambda entry: (entry.workshop.series.part, entry.file.name))  # type: ignore[union-attr]
        title = next((p.workshop.series.title for p in parts if p.workshop.series.title), None)  # type: ignore[union-attr]
        numbers = [p.workshop.series.part for p in parts]  # type: ignore[union-attr]
        if lines:
            lines.append("")
        lines.append(
            f"Series: {title or series_id} ({len(parts)} {'session' if len(parts) == 1 else 'sessions'})"
        )
        for entry, number in zip(parts, numbers, strict=True):
            lines.append(f"  {number}. {entry.file.name:<{width}}  {_detail(entry)}  [{entry.file.origin}]")
        missing = sorted(set(range(1, max(numbers) + 1)) - set(numbers))
        twice = sorted({n for n in numbers if numbers.count(n) > 1})
        if missing:
            lines.append(f"  (no workshop for part {', '.join(map(str, missing))} of this series)")
        if twice:
            lines.append(f"  (part {', '.join(map(str, twice))} is claimed by more than one workshop)")
    return lines
