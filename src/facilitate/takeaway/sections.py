"""Sections every participant document ends with: key ideas, resources, help lines, what this was."""

from __future__ import annotations

from facilitate.messages import translate
from facilitate.takeaway.document import BODY, MUTED, Document
from facilitate.takeaway.locales import emergency_line, helplines_for, phone_numbers
from facilitate.workshop.models import Workshop


def key_ideas(doc: Document, workshop: Workshop, *, heading: str | None = None) -> None:
    modules = [module for module in workshop.modules if module.key_points]
    if not modules:
        return
    doc.heading(heading or doc.t("takeaway.key_ideas"))
    for module in modules:
        doc.heading(module.title, level=2, keep=14)
        doc.bullets(module.key_points)


def resources(
    doc: Document, workshop: Workshop, *, extra: list[tuple[str, str, str]] = (), on_paper: bool = False
) -> None:
    """The workshop's resources, each with a QR code and its address as text (on paper, for people who
    may have no phone: the address first)."""
    items = [(r.title, r.why, r.url) for r in workshop.resources] + list(extra)
    if not items:
        return
    doc.heading(doc.t("takeaway.read_later"), keep=40)
    doc.paragraph(
        translate(workshop.locale, "handout.resources.intro")
        if on_paper
        else doc.t("takeaway.tap" if doc.phone else "takeaway.point_camera"),
        color=MUTED,
        after=4,
    )
    column = doc.qr_column(url for _, _, url in items)
    for title, why, url in items:
        doc.link_row(title, [why] if why else [], url, column=column)


def help_lines(doc: Document, workshop: Workshop) -> None:
    lines = helplines_for(workshop.locale)
    doc.heading(doc.t("takeaway.help.title"), keep=45)
    has_local = any(not line.international for line in lines)
    for line in lines:
        name = line.name
        if line.international and has_local:
            name = doc.t("takeaway.help.elsewhere", name=line.name)
        doc.rich([(name, True)], after=0.3)
        numbers = phone_numbers(line.how)  # "Call 116 123": tapped, it calls
        doc.rich([(line.how, False)], indent=0, after=0.3, link=numbers[0][1] if numbers else None)
        if line.note:
            doc.paragraph(line.note, color=MUTED, after=0.3)
        doc.paragraph(line.url, size=BODY - 0.5, color=MUTED, after=3, link=line.url)
    doc.rich([(emergency_line(workshop.locale), True)], after=4)
    doc.paragraph(doc.t("takeaway.not_therapy"), after=2)
