"""What people take home to use: the workshop's `practices` (grounding scripts, one action for each
source, kind words for setbacks), the window-of-tolerance picture, and a line for a local service.

The content is the workshop's (YAML); the fixed words around it come from the message catalogue. Shared by
the handout (on paper: with lines to write on) and the takeaway (read on a phone or printed).
"""

from __future__ import annotations

import math

from facilitate.messages import translate
from facilitate.takeaway.document import ACCENT, INK, MUTED, SMALL, Document, line_height
from facilitate.takeaway.fonts import FAMILY, sanitize
from facilitate.workshop.models import Practice, Workshop

# Light fills behind near-black text (all well above 7:1), and a shape that does not rely on colour:
# the bands are labelled in words, and the line's crossings are marked.
_ABOVE = (250, 226, 214)
_INSIDE = (214, 238, 232)
_BELOW = (221, 228, 240)


def practices(doc: Document, workshop: Workshop, *, on_paper: bool) -> None:
    """The workshop's practices under one heading; nothing when it has none."""
    if not workshop.practices:
        return
    locale = workshop.locale
    first = (
        _block_height(doc, workshop.practices[0], on_paper=on_paper) + 20
    )  # the heading never ends a page alone
    doc.heading(translate(locale, "takeaway.practices.heading"), keep=min(first, 120.0))
    doc.paragraph(translate(locale, "takeaway.practices.intro"), color=MUTED, after=2)
    for practice in workshop.practices:
        _practice(doc, practice, locale, on_paper=on_paper)


def _block_height(doc: Document, practice: Practice, *, on_paper: bool) -> float:
    """About how tall a practice is below its title (a little generous: better a new page than a split)."""
    height = sum(doc.text_height(text, width=doc.epw - 8) + 1.5 for text in practice.steps) + 4
    if practice.when:
        height += doc.text_height(practice.when, width=doc.epw) + 1.2
    if on_paper and practice.write_lines:
        height += (
            practice.write_lines * 9
            + 3
            + (doc.text_height(practice.write_prompt, width=doc.epw) if practice.write_prompt else 0)
        )
    return height + (WINDOW_HEIGHT + 4 if practice.picture else 0)


def _practice(doc: Document, practice: Practice, locale: str, *, on_paper: bool) -> None:
    # Kept on one page when it is short (a script split over a page break is hard to follow).
    keep = min(_block_height(doc, practice, on_paper=on_paper), 120.0)
    doc.heading(practice.title, level=2, keep=keep, outline=False)
    if practice.when:
        doc.paragraph(practice.when, color=MUTED, after=1.2)
    if practice.picture == "window-of-tolerance":
        window_of_tolerance(doc, locale)
    for text in practice.steps:
        doc.list_item("•", text, indent=2, after=0.8)
    if on_paper and practice.write_lines:  # on a phone there is nothing to write on: no prompt either
        if practice.write_prompt:
            doc.paragraph(practice.write_prompt, after=0)
        doc.ruled_lines(practice.write_lines)
    doc.space(2)


WINDOW_HEIGHT = 62.0


def window_of_tolerance(doc: Document, locale: str) -> None:
    """Three labelled bands (too much, the window, too little) and a line of one day's ups and downs that
    leaves the window and comes back, with "settle" marked where it returns."""
    doc.ensure_space(WINDOW_HEIGHT + 4)
    left, top, width = doc.l_margin, doc.y + 1, doc.epw
    band = (WINDOW_HEIGHT - 6) / 3
    labels = (
        (_ABOVE, translate(locale, "takeaway.window.above")),
        (_INSIDE, translate(locale, "takeaway.window.inside")),
        (_BELOW, translate(locale, "takeaway.window.below")),
    )
    label_w = width * 0.42
    for index, (fill, label) in enumerate(labels):
        y = top + index * band
        doc.set_fill_color(*fill)
        doc.rect(left, y, width, band, style="F")
        bold = index == 1  # the window itself
        text_h = doc.text_height(label, width=label_w - 4, size=SMALL, bold=bold)
        doc.style(SMALL, bold, INK)
        doc.set_xy(left + 2, y + (band - text_h) / 2)
        doc.text_lines(sanitize(label), width=label_w - 4, size=SMALL)
    doc.set_draw_color(*ACCENT)
    doc.set_line_width(0.5)
    doc.line(left, top + band, left + width, top + band)
    doc.line(left, top + 2 * band, left + width, top + 2 * band)
    # One day's ups and downs, right of the labels: out above the window and back, out below and back.
    x0, x1 = left + label_w + 2, left + width - 4
    middle = top + 1.5 * band
    samples = [index / 80 for index in range(81)]
    values = [_arousal(t) for t in samples]  # in bands: +-0.5 is the window's edge
    points = [(x0 + t * (x1 - x0), middle - value * band) for t, value in zip(samples, values, strict=True)]
    doc.set_draw_color(*INK)
    doc.set_line_width(0.7)
    doc.polyline(points)
    settle = sanitize(translate(locale, "takeaway.window.settle"))
    doc.set_font(FAMILY, "B", SMALL - 1)
    doc.set_text_color(*INK)
    for index in _returns(values):  # where the line comes back inside: a dot, and what brought it back
        x, y = points[index]
        doc.set_fill_color(*INK)
        doc.ellipse(x - 1.3, y - 1.3, 2.6, 2.6, style="F")
        # To the left, on the window's side: the line arrived from outside, so the space there is clear.
        label_w = doc.get_string_width(settle) + 1
        above = values[index - 1] > 0
        doc.set_xy(x - label_w - 2, y + (0.6 if above else -line_height(SMALL - 1) - 0.6))
        doc.cell(label_w, line_height(SMALL - 1), settle)
    doc.set_text_color(*INK)
    doc.set_xy(left, top + 3 * band + 2)
    doc.paragraph(translate(locale, "takeaway.window.caption"), size=SMALL, color=MUTED, after=2)


def _arousal(t: float) -> float:
    """A made-up day, in bands from the window's middle: a rise above the window, then a dip below."""

    def bump(centre: float, height: float, spread: float) -> float:
        return height * math.exp(-(((t - centre) / spread) ** 2))

    return bump(0.27, 1.3, 0.11) - bump(0.72, 1.3, 0.11) + 0.12 * math.sin(t * 18)


def _returns(values: list[float]) -> list[int]:
    """Indexes where the line crosses back inside the window (|value| falls through 0.5)."""
    return [i for i in range(1, len(values)) if abs(values[i - 1]) > 0.5 >= abs(values[i])]


def local_service(doc: Document, workshop: Workshop, *, on_paper: bool) -> None:
    """A place to write down a service near the reader (help lines are national; support is local)."""
    locale = workshop.locale
    doc.heading(translate(locale, "takeaway.local_service.heading"), level=2, keep=40, outline=False)
    if on_paper:
        doc.paragraph(translate(locale, "takeaway.local_service.write"), after=0)
        for key in ("takeaway.local_service.name", "takeaway.local_service.contact"):
            doc.paragraph(translate(locale, key), size=SMALL, color=MUTED, after=0)
            doc.ruled_lines(1, gap=6)
    else:
        doc.paragraph(translate(locale, "takeaway.local_service.ask"), after=3)
