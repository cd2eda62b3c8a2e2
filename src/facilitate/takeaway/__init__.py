"""Takeaways, handouts and the facilitator guide as PDFs: plain data in, PDF bytes out.

    render_takeaway(workshop, date=..., results=[PollSummary, ...], personal=PersonalAnswers(...))
    render_handout(workshop)            # printable, for people without phones
    render_guide(workshop, start="09:00")

`qr_matrix` and `qr_image` (in `facilitate.takeaway.qr`) draw the same QR codes for the terminal. Names
are loaded on first use, so importing this package (or its `qr` module) does not load the PDF library.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from facilitate.takeaway.fonts import sanitize, warm_up
    from facilitate.takeaway.guide import render_guide
    from facilitate.takeaway.handout import render_handout
    from facilitate.takeaway.locales import HelpLine, helplines_for, paper_for
    from facilitate.takeaway.models import ConfidenceAnswer, PersonalAnswers, PlanAnswer, PollSummary
    from facilitate.takeaway.qr import qr_image, qr_matrix
    from facilitate.takeaway.takeaway import render_takeaway

_EXPORTS = {
    "render_takeaway": "takeaway",
    "render_handout": "handout",
    "render_guide": "guide",
    "PollSummary": "models",
    "PersonalAnswers": "models",
    "PlanAnswer": "models",
    "ConfidenceAnswer": "models",
    "HelpLine": "locales",
    "helplines_for": "locales",
    "paper_for": "locales",
    "qr_matrix": "qr",
    "qr_image": "qr",
    "sanitize": "fonts",
    "warm_up": "fonts",
}

__all__ = [
    "ConfidenceAnswer",
    "HelpLine",
    "PersonalAnswers",
    "PlanAnswer",
    "PollSummary",
    "helplines_for",
    "paper_for",
    "qr_image",
    "qr_matrix",
    "render_guide",
    "render_handout",
    "render_takeaway",
    "sanitize",
    "warm_up",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
