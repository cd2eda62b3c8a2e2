"""The agenda of a workshop: every module and step with its start time, kind and length."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time

from facilitate.workshop.durations import format_minutes
from facilitate.workshop.models import Workshop


@dataclass(frozen=True)
class AgendaStep:
    id: str
    title: str
    kind: str
    seconds: int
    offset: int  # seconds from the start of the workshop


@dataclass(frozen=True)
class AgendaModule:
    id: str
    title: str
    seconds: int
    offset: int
    steps: tuple[AgendaStep, ...]


def parse_clock_time(text: str) -> int:
    """Seconds after midnight for "09:30" or "9:30". Raises ValueError with a usable message."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes).hour * 3600 + minutes * 60
    except ValueError:
        raise ValueError(f"cannot read the start time {text!r}: write it as HH:MM, e.g. 09:30") from None


def build_agenda(workshop: Workshop) -> list[AgendaModule]:
    modules: list[AgendaModule] = []
    offset = 0
    for module in workshop.modules:
        module_start = offset
        steps: list[AgendaStep] = []
        for step in module.steps:
            steps.append(AgendaStep(step.id, step.title, step.kind, step.duration, offset))
            offset += step.duration
        modules.append(AgendaModule(module.id, module.title, module.duration, module_start, tuple(steps)))
    return modules


def clock_label(start: int, offset: int) -> str:
    total_minutes = ((start + offset) // 60) % (24 * 60)
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def _minutes(seconds: int) -> float | int:
    value = seconds / 60
    return int(value) if value.is_integer() else round(value, 2)


def agenda_json(workshop: Workshop, start: int = 0) -> str:
    modules = build_agenda(workshop)
    payload = {
        "id": workshop.id,
        "title": workshop.title,
        "start": clock_label(start, 0),
        "end": clock_label(start, workshop.duration),
        "total_minutes": _minutes(workshop.duration),
        "modules": [
            {
                "id": module.id,
                "title": module.title,
                "start": clock_label(start, module.offset),
                "minutes": _minutes(module.seconds),
                "steps": [
                    {
                        "id": step.id,
                        "title": step.title,
                        "kind": step.kind,
                        "minutes": _minutes(step.seconds),
                        "start": clock_label(start, step.offset),
                    }
                    for step in module.steps
                ],
            }
            for module in modules
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def agenda_text(workshop: Workshop, start: int = 0) -> str:
    lines = [
        workshop.title,
        f"{clock_label(start, 0)}–{clock_label(start, workshop.duration)} · {format_minutes(workshop.duration)}",
        "",
    ]
    for module in build_agenda(workshop):
        lines.append(
            f"{clock_label(start, module.offset)}  {module.title}  ({format_minutes(module.seconds)})"
        )
        for step in module.steps:
            lines.append(
                f"  {clock_label(start, step.offset)}  {step.title:<44.44} {step.kind:<10} {format_minutes(step.seconds):>8}"
            )
        lines.append("")
    lines.append(f"Total: {format_minutes(workshop.duration)}")
    return "\n".join(lines)


def agenda_markdown(workshop: Workshop, start: int = 0) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        f"# {workshop.title}",
        "",
        f"{clock_label(start, 0)}–{clock_label(start, workshop.duration)} · {format_minutes(workshop.duration)}",
    ]
    for module in build_agenda(workshop):
        lines += [
            "",
            f"## {clock_label(start, module.offset)} {module.title} ({format_minutes(module.seconds)})",
            "",
            "| Start | Step | Kind | Length |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {clock_label(start, s.offset)} | {cell(s.title)} | {s.kind} | {format_minutes(s.seconds)} |"
            for s in module.steps
        ]
    lines += ["", f"**Total: {format_minutes(workshop.duration)}**"]
    return "\n".join(lines)
