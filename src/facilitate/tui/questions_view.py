"""The listed questions on the room's screen: one at a time, or all of them, most upvoted first.

Only questions the facilitator listed ever reach this view (`Session.listed_questions`,
`Session.question_on_screen`); a waiting or set-aside question cannot, whatever the mode. Text is shown
exactly as typed (never as markup), with its upvotes and whether it has been answered; never who asked.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from facilitate.session.participation import ListedQuestion
from facilitate.tui.views import SlideView, words


def _votes(question: ListedQuestion) -> str:
    votes = f"{question.votes} {'upvote' if question.votes == 1 else 'upvotes'}"
    return f"{votes} · answered" if question.answered else votes


def questions_text(mode: str, listed: list[ListedQuestion], shown: ListedQuestion | None) -> str:
    """What the room's screen says: the question on screen, or the list (most upvoted first)."""
    if mode == "one" and shown is not None:
        return f"“{shown.text}”\n\n{_votes(shown)}"
    lines = [f"{'✓' if q.answered else '•'} {q.text}  ({_votes(q)})" for q in listed]
    return "\n".join(lines) or "No questions yet."


class QuestionsView(SlideView):
    """Shown instead of the step while the facilitator puts the questions up (`k`, then `1` or `l`)."""

    def body(self) -> ComposeResult:
        yield Static("Your questions", markup=False, classes="step-title")
        yield words("Asked anonymously from phones.", "meta")
        yield Static("", markup=False, classes="questions-shown big-prompt")

    def tick(self, now: float) -> None:
        super().tick(now)
        session = self.session
        listed = session.listed_questions()
        self._set(
            ".questions-shown",
            questions_text(session.state.questions_shown, listed, session.question_on_screen()),
        )
