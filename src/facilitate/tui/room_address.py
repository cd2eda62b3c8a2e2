"""`v` in the presenter view: the browser room view's secret address, for this screen only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitate.tui.join import qr_size, qr_text


class RoomAddressScreen(ModalScreen[None]):
    """The address of the room view in a browser (a projector driven by another computer, a screen share).
    It is a secret of its own, not the phones' join address; it is never shown to the room."""

    BINDINGS = [Binding("escape,v,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    RoomAddressScreen { align: center middle; background: $background 70%; }
    RoomAddressScreen > Vertical { width: auto; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 2; background: $surface; border: thick $warning; }
    RoomAddressScreen #room-qr { width: auto; background: white; color: black; }
    RoomAddressScreen .room-title { text-style: bold; }
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        columns, rows = qr_size(self.url, 1)
        with Vertical():
            yield Label(
                "Room view in a browser: open this on the computer at the projector", classes="room-title"
            )
            if columns + 8 <= self.app.size.width and rows + 8 <= self.app.size.height:
                yield Static(qr_text(self.url), id="room-qr", markup=False)
            yield Static(self.url, id="room-url", markup=False)
            yield Label("Keep it private: anyone with it sees the room's screen. Escape closes.")
