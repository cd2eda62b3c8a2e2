"""`m` on a checked word poll: every word with its count, to show or hide before the room sees any.

Words appear here exactly as typed (never as markup). Only the words shown here reach the room's screen,
the phones, the takeaways and the report; a hidden word stays on this screen only. A word that arrives
later waits, marked "new", until it is decided.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from facilitate.session.session import Session

_MARKS = {None: "new   ", True: "shown ", False: "hidden"}


class WordCheckScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("y", "decide(True)", "Show", id="word-show"),
        Binding("x,delete", "decide(False)", "Hide", id="word-hide"),
        Binding("a", "show_new", "Show all new", id="word-show-new"),
        Binding("escape,m,q", "dismiss", "Close", id="word-close"),
    ]
    DEFAULT_CSS = """
    WordCheckScreen { align: center middle; background: $background 80%; }
    WordCheckScreen > Vertical { width: 80%; max-width: 100; height: auto; max-height: 100%; padding: 1 2;
        background: $surface; border: thick $warning; }
    WordCheckScreen OptionList { height: auto; max-height: 16; margin: 1 0; }
    WordCheckScreen .dialog-title { text-style: bold; }
    """

    def __init__(self, session: Session, step_id: str) -> None:
        super().__init__()
        self.session = session
        self.step_id = step_id

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Check the words before the room sees them", classes="dialog-title")
            yield Static(
                "If this screen is mirrored, the room can see this: mute the projector first.", classes="meta"
            )
            yield Label("", id="word-count")
            yield OptionList(id="word-list", markup=False)  # words as typed, never markup
            yield Label("y or Enter show · x hide · a show all new · Escape close", classes="meta")

    def on_mount(self) -> None:
        self.refresh_words()
        self.query_one(OptionList).focus()

    def refresh_words(self) -> None:
        words = self.session.words_to_check(self.step_id)
        listing = self.query_one(OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        listing.add_options(
            Option(f"{_MARKS[word.shown]}  {word.word}  ×{word.count}", id=word.key) for word in words
        )
        if words:
            listing.highlighted = min(highlighted or 0, len(words) - 1)
        new = sum(1 for word in words if word.shown is None)
        hidden = sum(1 for word in words if word.shown is False)
        self.query_one("#word-count", Label).update(
            f"{new} new · {hidden} hidden · {len(words) - new - hidden} shown" if words else "No words yet."
        )

    def _decide(self, keys: list[str], shown: bool) -> None:
        if not keys:
            return
        outcome = self.session.check_words(self.step_id, keys, shown=shown)
        if not outcome.ok:
            self.app.notify(outcome.reason or "That could not be saved", severity="error", timeout=4)
        self.refresh_words()

    def action_decide(self, shown: bool) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        key = listing.get_option_at_index(listing.highlighted).id
        self._decide([key] if key else [], shown)
        if listing.highlighted is not None and listing.highlighted + 1 < listing.option_count:
            listing.highlighted += 1

    def action_show_new(self) -> None:
        self._decide([w.key for w in self.session.words_to_check(self.step_id) if w.shown is None], True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter (the list's own key) is "show"
        self.action_decide(True)
