"""`c`: the facilitator's phone as a remote. Its address carries its own secret (never the phones'): whoever
has it can move the steps, so on a single screen, which the room may see, the code shows only after a
warning and a yes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from facilitate.tui.join import qr_size, qr_text
from facilitate.tui.screens import ConfirmScreen


def remote_url(join_url: str, join_secret: str, remote_secret: str) -> str:
    """The remote's address beside the phones' (same host and port, or the same --public-url)."""
    head, _, _ = join_url.rpartition(f"/j/{join_secret}")
    return f"{head}/remote/{remote_secret}"


class RemoteWarningScreen(ConfirmScreen):
    def __init__(self) -> None:
        super().__init__(
            "The room may see this",
            "The remote's code lets whoever scans it move the steps. If this screen is on the projector, "
            "mute or switch the projector first. Show the code now?",
            "Show it",
            "Not now",
        )


class RemoteScreen(ModalScreen[None]):
    """The remote's QR code and address: dark modules on a light ground, as phone cameras expect."""

    BINDINGS = [Binding("escape,c,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    RemoteScreen { align: center middle; background: $background 70%; }
    RemoteScreen > Vertical { width: auto; height: auto; max-height: 100%; padding: 0 2; background: $surface;
        border: thick $warning; }
    RemoteScreen #remote-qr { width: auto; background: white; color: black; }
    RemoteScreen .remote-title { text-style: bold; }
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def compose(self) -> ComposeResult:
        columns, rows = qr_size(self.url, 2)
        scale = 2 if columns + 8 <= self.app.size.width and rows + 10 <= self.app.size.height else 1
        with Vertical():
            yield Label("Your remote: scan with your own phone", classes="remote-title")
            yield Static(qr_text(self.url, scale), id="remote-qr", markup=False)
            yield Static(self.url, id="remote-url", markup=False)
            yield Static(
                "Next, back, the timer, blank, grounding, your notes and the room's counts. "
                "Only for you: whoever has this address can move the steps. Escape closes.",
                classes="meta",
            )
