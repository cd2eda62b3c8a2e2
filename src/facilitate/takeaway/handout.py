"""The printable handout, for people without phones (or who prefer paper): the key ideas, each private
prompt with room to write by hand, the if-then plan as a card to fill in, resources and help lines."""

from __future__ import annotations

from facilitate.takeaway import practices, sections
from facilitate.takeaway.document import MUTED, Document
from facilitate.takeaway.locales import paper_for
from facilitate.takeaway.takeaway import author_of
from facilitate.workshop.models import PlanStep, ReflectionStep, Workshop

_INTRO = (
    "This handout is yours: nobody collects it. Write as much or as little as you like; every prompt "
    "can be skipped."
)


def render_handout(workshop: Workshop, *, paper: str | None = None, facilitator: str | None = None) -> bytes:
    doc = Document(
        paper=paper_for(workshop.locale, paper),
        title=workshop.title,
        author=author_of(workshop, facilitator),
        lang=workshop.locale,
        subject="Workshop handout",
    )
    doc.title_block(workshop.title, [workshop.summary.strip()])
    doc.paragraph(_INTRO, color=MUTED, after=3)
    sections.key_ideas(doc, workshop)

    prompts = [step for _, step in workshop.steps() if isinstance(step, ReflectionStep)]
    if prompts:
        doc.heading("For you to think about", keep=70)
        doc.paragraph("Private: these are only for you.", color=MUTED, after=2)
        for step in prompts:
            doc.heading(step.title, level=2, keep=60, outline=False)
            doc.paragraph(step.prompt.strip(), after=1)
            doc.ruled_lines(5)

    for _, step in workshop.steps():
        if isinstance(step, PlanStep):
            doc.heading("Your if-then plan", keep=90)
            doc.paragraph(step.prompt.strip(), after=1)
            if step.examples:
                doc.paragraph("For example:", color=MUTED, after=0.5)
                doc.bullets(step.examples)
            doc.rich([(f"{step.if_label} …", True)], after=0)
            doc.ruled_lines(2)
            doc.rich([(f"{step.then_label} …", True)], after=0)
            doc.ruled_lines(2)
            doc.paragraph(
                "Copy it somewhere you will see it when the moment comes. If it does not happen the first "
                "time, make the step smaller and try again.",
                color=MUTED,
                after=3,
            )
    practices.practices(doc, workshop, on_paper=True)
    sections.resources(doc, workshop, on_paper=True)
    sections.help_lines(doc, workshop)
    practices.local_service(doc, workshop, on_paper=True)
    return doc.finish()
