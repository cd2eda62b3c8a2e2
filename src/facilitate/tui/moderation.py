"""`m` on a text poll: the facilitator decides, one written answer at a time, what the room may read.

Answers appear here exactly as typed (never as markup). A decision is about the answer on screen: if its
author changes or withdraws it meanwhile, the decision is refused and the current one is shown (the
overlay follows the queue as phones answer). Nothing reaches the projected poll view until it
is approved here *and* the results are revealed with `r`; a participant who changes or passes their answer
withdraws the old text, approved or not.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitate.session.session import Session


class ModerationScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("y,enter", "decide(True)", "Approve"),
        Binding("x,delete", "decide(False)", "Set aside"),
        Binding("s,down", "skip", "Later"),
        Binding("escape,m,q", "dismiss", "Close"),
    ]
    DEFAULT_CSS = """
    ModerationScreen { align: center middle; background: $background 80%; }
    ModerationScreen > Vertical { width: 80%; max-width: 100; height: auto; max-height: 100%; padding: 1 2;
        background: $surface; border: thick $warning; }
    ModerationScreen #moderation-scroll { height: auto; max-height: 100%; scrollbar-size-vertical: 1; }
    ModerationScreen #moderation-text { margin: 1 0; padding: 1 2; background: $boost; text-style: bold; }
    ModerationScreen .dialog-title { text-style: bold; }
    ModerationScreen #moderation-keys { dock: bottom; }
    """

    def __init__(self, session: Session, step_id: str) -> None:
        super().__init__()
        self.session = session
        self.step_id = step_id
        self.skipped: list[str] = []  # "later": back at the end of the queue, for this visit only
        self.shown: str | None = None  # the answer on screen: a decision is about this one, never another
        self._unsubscribe = lambda: None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Written answers waiting for you", classes="dialog-title")
            yield Static(  # a Static wraps at 80 columns, where a Label is cut off
                "If this screen is mirrored, the room can see this: mute the projector first.",
                classes="meta",
            )
            yield Label(
                "y approve · x set aside · s later · Escape close", classes="meta", id="moderation-keys"
            )
            # A 500-character answer at 80x24 scrolls (with the mouse: ↓ means "later" here); the keys stay.
            with VerticalScroll(id="moderation-scroll", can_focus=False):
                yield Label("", id="moderation-count")
                yield Static("", id="moderation-text", markup=False)

    def on_mount(self) -> None:
        self.show_next()
        # Phones change and withdraw answers while the overlay is open: follow the queue as it changes.
        self._unsubscribe = self.session.subscribe(lambda _session: self.call_later(self.show_next))

    def on_unmount(self) -> None:
        self._unsubscribe()

    def queue(self) -> list[str]:
        waiting = self.session.moderation_queue(self.step_id)
        fresh = [text for text in waiting if text not in self.skipped]
        return fresh + [text for text in self.skipped if text in waiting]

    def show_next(self) -> None:
        queue = self.queue()
        approved = len(self.session.approved_texts(self.step_id))
        count = self.query_one("#moderation-count", Label)
        text = self.query_one("#moderation-text", Static)
        if not queue:
            self.shown = None
            count.update(f"Nothing waiting · {approved} approved")
            text.update("All written answers so far have been decided.")
            return
        if self.shown not in queue:  # keep the one on screen while it is still waiting
            self.shown = queue[0]
        count.update(f"{len(queue)} waiting · {approved} approved")
        text.update(self.shown)

    def action_decide(self, approved: bool) -> None:
        seen = self.shown
        if seen is None:
            return
        outcome = self.session.moderate(self.step_id, seen, approved=approved)
        if not outcome.ok:
            self.app.notify(outcome.reason or "That could not be saved", severity="error", timeout=4)
        if seen in self.skipped:
            self.skipped.remove(seen)
        self.shown = None
        self.show_next()

    def action_skip(self) -> None:
        if self.shown is not None:
            if self.shown in self.skipped:
                self.skipped.remove(self.shown)
            self.skipped.append(self.shown)
            self.shown = None
        self.show_next()
