"""The printable handout, for people without phones (or who prefer paper): the key ideas, each private
prompt with room to write by hand, the if-then plan as a card to fill in, resources and help lines."""

from __future__ import annotations

from facilitate.messages import translate
from facilitate.takeaway import practices, sections
from facilitate.takeaway.document import MUTED, Document
from facilitate.takeaway.locales import paper_for
from facilitate.takeaway.takeaway import author_of
from facilitate.workshop.models import PlanStep, ReflectionStep, Workshop


def render_handout(workshop: Workshop, *, paper: str | None = None, facilitator: str | None = None) -> bytes:
    doc = Document(
        paper=paper_for(workshop.locale, paper),
        title=workshop.title,
        author=author_of(workshop, facilitator),
        lang=workshop.locale,
        subject=translate(workshop.locale, "handout.subject"),
    )
    doc.title_block(workshop.title, [workshop.summary.strip()])
    doc.paragraph(doc.t("handout.intro"), color=MUTED, after=3)
    sections.key_ideas(doc, workshop)

    prompts = [step for _, step in workshop.steps() if isinstance(step, ReflectionStep)]
    if prompts:
        doc.heading(doc.t("handout.think"), keep=70)
        doc.paragraph(doc.t("handout.private"), color=MUTED, after=2)
        for step in prompts:
            doc.heading(step.title, level=2, keep=60, outline=False)
            doc.paragraph(step.prompt.strip(), after=1)
            doc.ruled_lines(5)

    for _, step in workshop.steps():
        if isinstance(step, PlanStep):
            doc.heading(doc.t("handout.plan"), keep=90)
            doc.paragraph(step.prompt.strip(), after=1)
            if step.examples:
                doc.paragraph(doc.t("handout.example"), color=MUTED, after=0.5)
                doc.bullets(step.examples)
            doc.rich([(f"{step.if_label} …", True)], after=0)
            doc.ruled_lines(2)
            doc.rich([(f"{step.then_label} …", True)], after=0)
            doc.ruled_lines(2)
            doc.paragraph(doc.t("handout.copy_tip"), color=MUTED, after=3)
    practices.practices(doc, workshop, on_paper=True)
    sections.resources(doc, workshop, on_paper=True)
    sections.help_lines(doc, workshop)
    practices.local_service(doc, workshop, on_paper=True)
    return doc.finish()
