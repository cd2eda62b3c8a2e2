"""The facilitator guide: what to prepare, the agenda with clock times, and for every step its purpose,
what to say and the facilitator notes, with the content notes, the safety protocol (protocol.py) and the
workshop's planning notes. Never projected."""

from __future__ import annotations

from facilitate.takeaway import protocol
from facilitate.takeaway.document import MUTED, SMALL, Document
from facilitate.takeaway.locales import paper_for
from facilitate.takeaway.markdown import blocks
from facilitate.takeaway.takeaway import author_of
from facilitate.workshop.agenda import build_agenda, clock_label, parse_clock_time
from facilitate.workshop.durations import format_duration, format_minutes
from facilitate.workshop.models import (
    ActivityStep,
    BreakStep,
    ClosingStep,
    ContentStep,
    GroundingStep,
    PlanStep,
    PollStep,
    ReflectionStep,
    Workshop,
)

_KIND = {
    "content": "Content",
    "activity": "Activity",
    "poll": "Poll",
    "reflection": "Private reflection",
    "grounding": "Grounding",
    "break": "Break",
    "plan": "If-then plan",
    "closing": "Closing",
}


def materials(workshop: Workshop) -> list[str]:
    kinds = {step.kind for _, step in workshop.steps()}
    items = [
        "A laptop with facilitate, and a projector or large screen (check the text is readable from the back).",
        "Wi-Fi that phones can join, or the laptop's own hotspot; test the join QR code (key j) from a phone.",
        "Printed handouts (facilitate handout) for people without a phone or who prefer paper.",
    ]
    if "plan" in kinds:
        items.append("Index cards and pens, for people to copy their if-then plan.")
    if "activity" in kinds:
        items.append("Space for people to turn to a neighbour or move into small groups.")
    items.append("Water, tissues, and a quiet spot someone can step out to.")
    items.append("The local help lines and your service's safeguarding contact, written down.")
    return items


def render_guide(
    workshop: Workshop, *, start: str | None = None, paper: str | None = None, facilitator: str | None = None
) -> bytes:
    start_seconds = parse_clock_time(start) if start else 0
    doc = Document(
        paper=paper_for(workshop.locale, paper),
        title=f"{workshop.title}: facilitator guide",
        author=author_of(workshop, facilitator),
        lang=workshop.locale,
        subject="Facilitator guide",
        styles="BI",
    )
    lines = [f"Facilitator guide · {format_minutes(workshop.duration)}"]
    if workshop.series is not None:
        lines.append(
            f"Session {workshop.series.part} of the series “{workshop.series.title or workshop.series.id}”"
        )
    if facilitator or workshop.facilitator:
        lines.append(f"Facilitator: {facilitator or workshop.facilitator}")
    doc.title_block(workshop.title, lines)
    doc.paragraph(workshop.summary.strip(), after=1.5)
    doc.rich([("Audience: ", True), (workshop.audience.strip(), False)], after=3)

    doc.heading("Prepare")
    doc.bullets(materials(workshop))

    doc.heading("Agenda", keep=40)
    agenda = build_agenda(workshop)
    for module in agenda:
        when = clock_label(start_seconds, module.offset) if start else _offset(module.offset)
        doc.rich(
            [(f"{when}  {module.title}", True), (f"  ({format_minutes(module.seconds)})", False)], after=0.8
        )
        for step in module.steps:
            when = clock_label(start_seconds, step.offset) if start else _offset(step.offset)
            doc.paragraph(
                f"{when}  {step.title} · {_KIND[step.kind].lower()} · {format_duration(step.seconds)}",
                size=SMALL,
                color=MUTED,
                indent=6,
                after=0.3,
            )
        doc.space(1.5)
    if start:
        end = clock_label(start_seconds, workshop.duration)
        doc.paragraph(f"{format_minutes(workshop.duration)} in all, ending at {end}.", after=3)
    else:
        doc.paragraph(
            f"{format_minutes(workshop.duration)} in all. Times are from the start; "
            "give --start 09:30 for clock times.",
            after=3,
        )

    protocol.safety_protocol(doc, workshop)
    protocol.planning_notes(doc, workshop)

    for module, timing in zip(workshop.modules, agenda, strict=True):
        doc.add_page()
        when = clock_label(start_seconds, timing.offset) if start else _offset(timing.offset)
        doc.heading(f"{module.title} · {when} · {format_minutes(module.duration)}")
        doc.rich([("Goal: ", True), (module.goal.strip(), False)], after=1.5)
        if module.content_note:
            doc.card(
                [[("Content note, shown before the module: ", True), (module.content_note.strip(), False)]]
            )
        if module.key_points:
            doc.paragraph("Key points (in everyone's takeaway):", bold=True, after=0.5)
            doc.bullets(module.key_points)
        for step, step_timing in zip(module.steps, timing.steps, strict=True):
            when = clock_label(start_seconds, step_timing.offset) if start else _offset(step_timing.offset)
            doc.heading(
                f"{when}  {step.title}",
                level=2,
                keep=35,
                outline=False,
            )
            doc.paragraph(f"{_KIND[step.kind]} · {format_duration(step.duration)}", color=MUTED, after=1)
            if step.content_note:
                doc.card([[("Content note: ", True), (step.content_note.strip(), False)]])
            _what_the_room_sees(doc, step)
            if step.notes:
                doc.paragraph("Notes (only you see these):", bold=True, after=0.5)
                _markdown(doc, step.notes)
            doc.space(2)
    return doc.finish()


def _offset(seconds: int) -> str:
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}"


def _what_the_room_sees(doc: Document, step) -> None:
    if isinstance(step, ContentStep):
        _markdown(doc, step.body)
    elif isinstance(step, ActivityStep):
        _markdown(doc, step.instructions)
        for phase in step.phases:
            doc.list_item(
                "–", [(f"{phase.title} ({format_duration(phase.duration)})", True)], indent=4, after=0.3
            )
            if phase.guidance:
                doc.paragraph(phase.guidance.strip(), indent=12, color=MUTED, after=0.6)
    elif isinstance(step, GroundingStep):
        if step.intro:
            doc.paragraph(step.intro.strip(), after=1)
        for phase in step.phases:
            doc.list_item(
                "–",
                [
                    (f"{phase.title} ({format_duration(phase.duration)}): ", True),
                    (phase.guidance or "", False),
                ],
                indent=4,
                after=0.4,
            )
    elif isinstance(step, PollStep):
        doc.rich([("Question: ", True), (step.question.strip(), False)], after=0.8)
        if step.options:
            doc.numbered(step.options, indent=4)
        if step.type == "scale":
            scale = step.effective_scale
            low = f"{scale.min} ({scale.min_label})" if scale.min_label else str(scale.min)
            high = f"{scale.max} ({scale.max_label})" if scale.max_label else str(scale.max)
            doc.paragraph(f"Scale from {low} to {high}.", after=0.8)
        doc.paragraph(
            f"Answered on phones, anonymously; {step.type} poll. Everyone may pass.", color=MUTED, after=1
        )
    elif isinstance(step, ReflectionStep):
        doc.rich([("Private prompt: ", True), (step.prompt.strip(), False)], after=1)
    elif isinstance(step, PlanStep):
        doc.rich([("Prompt: ", True), (step.prompt.strip(), False)], after=0.5)
        doc.paragraph(f"“{step.if_label} …, {step.then_label} …”", after=0.5)
        doc.bullets(step.examples)
    elif isinstance(step, BreakStep):
        if step.message:
            doc.paragraph(step.message.strip(), after=1)
    elif isinstance(step, ClosingStep) and step.body:
        _markdown(doc, step.body)


def _markdown(doc: Document, text: str) -> None:
    for block in blocks(text):
        if block.kind == "heading":
            doc.rich([(run, True) for run, _ in block.runs], after=0.8)
        elif block.kind == "bullet":
            doc.list_item("•", block.runs, indent=2, after=0.6)
        elif block.kind == "number":
            doc.list_item(f"{block.number}.", block.runs, indent=2, after=0.6)
        else:
            doc.rich(block.runs, after=1.2)
    doc.space(0.5)
