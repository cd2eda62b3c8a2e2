"""The join overlay: a QR code drawn with half-block characters, the address as text, and who joined."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def _matrix(url: str) -> list[list[bool]]:
    import qrcode  # here, not at the top: the first screen has no QR code (about 13 ms at start-up)

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.get_matrix()


def qr_size(url: str, scale: int = 1) -> tuple[int, int]:
    """(columns, rows) the code takes on screen at `scale`."""
    modules = len(_matrix(url))
    return (modules, (modules + 1) // 2) if scale == 1 else (2 * modules, modules)


def qr_text(url: str, scale: int = 1) -> str:
    """The QR code of `url` with its quiet zone. Scale 1: half blocks, two modules per character cell.
    Scale 2: each module a full block two cells wide, so the code is twice as large on a big screen
    (terminal cells are about twice as tall as wide, so both are square)."""
    matrix = _matrix(url)
    if scale == 2:
        return "\n".join("".join("██" if dark else "  " for dark in row) for row in matrix)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return "\n".join(
        "".join(glyphs[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    )


class JoinCard(Vertical):
    """Scan to join: the QR code (as large as the screen allows), the address and how many joined. Dark
    modules on a light ground, as phone cameras expect. Shown by the join screen and by room views;
    `room_note` (the facilitator's screen only) says when this laptop is short of room for phones."""

    DEFAULT_CSS = """
    JoinCard { width: auto; height: auto; max-height: 100%; padding: 0 2; background: $surface;
        border: thick $primary; }
    JoinCard #qr { width: auto; background: white; color: black; }
    JoinCard .join-title { text-style: bold; }
    """

    def __init__(
        self,
        url: str,
        joined: Callable[[], int],
        warning: str | None = None,
        room_note: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.url, self.joined, self.warning = url, joined, warning
        self.room_note = room_note or (lambda: None)

    def compose(self) -> ComposeResult:
        columns, rows = qr_size(self.url, 2)
        # As large as the screen allows: twice the size when it fits beside the text and the frame.
        scale = 2 if columns + 8 <= self.app.size.width and rows + 10 <= self.app.size.height else 1
        yield Label("Join on your phone: scan the code or type the address", classes="join-title")
        yield Static(qr_text(self.url, scale), id="qr", markup=False)
        yield Static(self.url, id="join-url", markup=False)
        yield Label(self.joined_text(), id="joined")
        if self.warning:
            yield Static(self.warning, markup=False, id="join-warning")
        note = self.room_note()
        room_note = Static(note or "", markup=False, id="room-note")
        room_note.display = bool(note)
        yield room_note

    def on_mount(self) -> None:
        self.set_interval(0.5, self.refresh_counts)

    def refresh_counts(self) -> None:
        self.query_one("#joined", Label).update(self.joined_text())
        note = self.room_note()
        self.query_one("#room-note", Static).update(note or "")
        self.query_one("#room-note", Static).display = bool(note)

    def joined_text(self) -> str:
        return f"{self.joined()} joined · no name asked · every question can be passed"


class JoinScreen(ModalScreen[None]):
    """`j` from any step: scan to join (room views show the same card, without the room note, while this
    is open)."""

    BINDINGS = [Binding("escape,j,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    JoinScreen { align: center middle; background: $background 70%; }
    """

    def __init__(
        self,
        url: str,
        joined: Callable[[], int],
        warning: str | None,
        room_note: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.url, self.joined, self.warning, self.room_note = url, joined, warning, room_note

    def compose(self) -> ComposeResult:
        yield JoinCard(self.url, self.joined, self.warning, self.room_note)
