"""`k`: the questions phones sent. The facilitator lists each (or sets it aside) before anyone else sees
it, marks listed ones answered, and chooses what the room's screen shows: one question, the list, or none.

Questions appear here exactly as typed (never as markup) and without anything about who asked. This is
the facilitator's screen: if it is mirrored to the projector, the room can read the waiting question, so
the overlay says so, as the moderation of written answers does.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitate.session.session import Outcome, Session

ROOM_SEES = {"off": "nothing (the step)", "one": "one question", "list": "the list of questions"}


class QuestionsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("y", "decide(True)", "List it", id="question-list"),
        Binding("x", "decide(False)", "Set aside", id="question-aside"),
        Binding("a", "answered", "Answered", id="question-answered"),
        Binding("1", "show('one')", "This one on screen", id="question-show-one"),
        Binding("l", "show('list')", "The list on screen", id="question-show-list"),
        Binding("o", "show('off')", "Back to the step", id="question-show-off"),
        Binding("escape,k,q", "dismiss", "Close", id="question-close"),
    ]
    DEFAULT_CSS = """
    QuestionsScreen { align: center middle; background: $background 80%; }
    QuestionsScreen > Vertical { width: 90%; max-width: 110; height: auto; max-height: 100%; padding: 1 2;
        background: $surface; border: thick $warning; }
    QuestionsScreen #question-waiting { margin: 0 0 1 0; padding: 0 1; background: $boost; text-style: bold; }
    QuestionsScreen OptionList { height: auto; max-height: 12; margin-bottom: 1; }
    QuestionsScreen .dialog-title { text-style: bold; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._unsubscribe = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Questions from phones", classes="dialog-title")
            yield Static(
                "If this screen is mirrored, the room can see this: mute the projector first.", classes="meta"
            )
            yield Label("", id="question-count")
            yield Static("", id="question-waiting", markup=False)
            yield Label("Listed, most upvoted first (↑/↓ to choose):", id="listed-title")
            yield OptionList(id="question-listed", markup=False)
            yield Label("", id="room-sees")
            yield Static(
                "y list it · x set aside · a answered · 1 this one on screen · l the list · o the step · Esc",
                classes="meta",
            )

    def on_mount(self) -> None:
        self._unsubscribe = self.session.subscribe(lambda _session: self.refresh_questions())
        self.refresh_questions()
        self.query_one(OptionList).focus()

    def on_unmount(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()

    def refresh_questions(self) -> None:
        session = self.session
        waiting = session.waiting_questions()
        count = self.query_one("#question-count", Label)
        count.update(f"{len(waiting)} waiting · {len(session.listed_questions())} listed")
        text = self.query_one("#question-waiting", Static)
        text.update(f"Waiting: “{waiting[0].text}”" if waiting else "Nothing waiting.")
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listed = session.listed_questions()
        listing.add_options(
            Option(f"{q.votes:>3} ▲  {q.text}{'  ✓ answered' if q.answered else ''}", id=q.id) for q in listed
        )
        if listed:
            listing.highlighted = min(highlighted or 0, len(listed) - 1)
        mode = session.state.questions_shown
        self.query_one("#room-sees", Label).update(f"The room's screen shows: {ROOM_SEES[mode]}")

    def _do(self, outcome: Outcome) -> None:
        if not outcome.ok:
            self.app.notify(outcome.reason or "That cannot be done now", severity="warning", timeout=4)

    def _highlighted(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None or not listing.option_count:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def action_decide(self, approved: bool) -> None:
        waiting = self.session.waiting_questions()
        if waiting:
            self._do(self.session.moderate_question(waiting[0].id, approved=approved))

    def action_answered(self) -> None:
        question_id = self._highlighted()
        if question_id is None:
            return
        answered = next(q.answered for q in self.session.listed_questions() if q.id == question_id)
        self._do(self.session.mark_question_answered(question_id, answered=not answered))

    def action_show(self, mode: str) -> None:
        self._do(self.session.show_questions(mode, self._highlighted() if mode == "one" else None))
