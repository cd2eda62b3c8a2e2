"""The facilitator guide's safety protocol: one page that says who does what when someone is distressed,
discloses risk or abuse, or writes a worrying word anonymously, instead of a line repeated on every step.

Facilitator-facing (never shown to participants), so its words live here rather than in the participant
message catalogue. The workshop's `notes` (planning, adapting, cutting) are printed after it.
"""

from __future__ import annotations

from facilitate.takeaway.document import ACCENT, MUTED, SMALL, Document, line_height
from facilitate.takeaway.locales import emergency_line, helplines_for
from facilitate.takeaway.markdown import blocks
from facilitate.workshop.models import Workshop

PROTOCOL_TITLE = "Safety protocol"

INTRO = (
    "Agree this page with your co-facilitator; one of you is trained to ask about suicide. Your "
    "service's safeguarding policy comes first."
)

PROTOCOL: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Screening: who this is not for, yet",
        (
            "This is education and support, not therapy or crisis care. Talk with each person first: "
            "hopes, current support, is now a good time? Agree how to reach them after.",
            "Not now for someone at current risk of suicide or self-harm, in acute crisis, weeks after a "
            "trauma, needing trauma therapy first, or whose phone may be checked by someone who harms them. "
            "Offer one-to-one support or a later group, kindly.",
        ),
    ),
    (
        "The co-facilitator",
        (
            "Sits by the door, watches the room, goes out with anyone who leaves; the lead keeps the room "
            "going. No co-facilitator: at most 12 people, and a colleague on call.",
        ),
    ),
    (
        "Stepping out",
        (
            "No reason needed. If someone leaves upset, the co-facilitator follows after a minute: “Would "
            "you like company, or space?” Offer grounding, water, a seat; don't ask why. Not back in ten "
            "minutes: the co-facilitator checks. Gone and you fear for them: call them, then "
            "their emergency contact or emergency services.",
        ),
    ),
    (
        "A disclosure of current risk or abuse",
        (
            "In the room: thank them, ask for no details: “I'd like to talk about that with you, just us, "
            "in a moment.” Offer the room grounding (g); the co-facilitator stays with them. Past abuse: "
            "thank them, don't probe, check in after. In pairs, a partner told of risk fetches you.",
            "One to one, ask directly: “Are you thinking about ending your life?” (asking does not plant "
            "the idea); then plan, means, timing, and what keeps them safe.",
            "Immediate danger: call emergency services. Current risk: agree the next step together (their "
            "clinician, a crisis line) and stay until it is in place. Abuse of a child or an adult at "
            "risk: follow your safeguarding duty; say what you must pass on.",
        ),
    ),
    (
        "Risk words in anonymous answers",
        (
            "Words and texts wait for your check (m): set aside (x) anything suggesting current risk or "
            "identifying someone. Never try to find out who wrote it (no names are kept).",
            "Say to the room, pointing at no answer: “If today brought up something heavy, we are here "
            "after; the help lines are on your handout.” A worrying question or Pause: slow down, press g.",
        ),
    ),
    (
        "Following up",
        (
            "Stay fifteen minutes after; debrief with your co-facilitator that day. Contact anyone you "
            "worried about within two days; record it in your service's system.",
        ),
    ),
)


def safety_protocol(doc: Document, workshop: Workshop) -> None:
    """The protocol on a page of its own, with the help lines for the workshop's locale."""
    doc.add_page()
    doc.heading(PROTOCOL_TITLE)
    doc.paragraph(INTRO, size=SMALL, after=1.2)
    for title, items in PROTOCOL:  # compact sub-headings: the whole protocol fits on one page
        _subheading(doc, title)
        doc.bullets(items, size=SMALL, after=0.4)
    _subheading(doc, "Help lines to give out")
    lines = [f"{line.name}: {line.how}" for line in helplines_for(workshop.locale)]
    doc.paragraph(" · ".join([*lines, emergency_line(workshop.locale)]), size=SMALL, after=1)


def _subheading(doc: Document, title: str) -> None:
    doc.ensure_space(3 * line_height(SMALL + 1))
    doc.space(1.2)
    doc.paragraph(title, size=SMALL + 1, bold=True, color=ACCENT, after=0.6)


def planning_notes(doc: Document, workshop: Workshop) -> None:
    """The workshop's own notes for the facilitator: its shape, adapting for size, what to cut."""
    if not workshop.notes:
        return
    doc.heading("Planning and adapting", keep=40)
    for block in blocks(workshop.notes):
        if block.kind == "bullet":
            doc.list_item("•", block.runs, indent=2, after=0.6)
        elif block.kind == "number":
            doc.list_item(f"{block.number}.", block.runs, indent=2, after=0.6)
        elif block.kind == "heading":
            doc.rich([(run, True) for run, _ in block.runs], after=0.8)
        else:
            doc.rich(block.runs, after=1.5)
    doc.paragraph("Step notes below say only what a step needs beyond this page.", color=MUTED, after=2)
