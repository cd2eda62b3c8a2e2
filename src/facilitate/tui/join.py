"""The join overlay: a QR code drawn with half-block characters, the address as text, and who joined."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

if TYPE_CHECKING:
    from facilitate.server.joins import JoinGate


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


class JoinScreen(ModalScreen[None]):
    """`j` from any step: scan to join. Dark modules on a light ground, as phone cameras expect.

    Below the code: how many joined, the room size (asked here when `--room-size` was not given; phones
    beyond it and a small margin wait for a yes), phones waiting (`y` lets them in) and a burst warning."""

    BINDINGS = [
        Binding("escape,j,q", "dismiss", "Close"),
        Binding("y", "let_in", "Let waiting phones in", id="join-let-in"),
    ]
    DEFAULT_CSS = """
    JoinScreen { align: center middle; background: $background 70%; }
    JoinScreen > Vertical { width: auto; height: auto; max-height: 100%; padding: 0 2; background: $surface;
        border: thick $primary; }
    JoinScreen #qr { width: auto; background: white; color: black; }
    JoinScreen .join-title { text-style: bold; }
    JoinScreen #room-size { width: 40; }
    JoinScreen #join-burst { text-style: bold; color: $warning; }
    """

    def __init__(
        self,
        url: str,
        joined: Callable[[], int],
        warning: str | None,
        room_note: Callable[[], str | None] | None = None,
        gate: JoinGate | None = None,
    ) -> None:
        super().__init__()
        self.url, self.joined, self.warning, self.gate = url, joined, warning, gate
        self.room_note = room_note or (lambda: None)  # room for phones, when this laptop is short of it

    def compose(self) -> ComposeResult:
        columns, rows = qr_size(self.url, 2)
        # As large as the screen allows: twice the size when it fits beside the text and the frame.
        scale = 2 if columns + 8 <= self.app.size.width and rows + 10 <= self.app.size.height else 1
        with Vertical():
            yield Label("Join on your phone: scan the code or type the address", classes="join-title")
            yield Static(qr_text(self.url, scale), id="qr", markup=False)
            yield Static(self.url, id="join-url", markup=False)
            yield Label(self.joined_text(), id="joined")
            if self.gate is not None:
                yield Label(self.gate_text(), id="join-gate")
                yield Label("", id="join-burst")
                if self.gate.room_size is None:
                    yield Input(
                        placeholder="How many people are in the room? (a number, then Enter)",
                        type="integer",
                        id="room-size",
                    )
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
        if self.gate is not None:
            self.query_one("#join-gate", Label).update(self.gate_text())
            self.query_one("#join-burst", Label).update(self.gate.burst or "")
        note = self.room_note()
        self.query_one("#room-note", Static).update(note or "")
        self.query_one("#room-note", Static).display = bool(note)

    def joined_text(self) -> str:
        return f"{self.joined()} joined · no name asked · every question can be passed"

    def gate_text(self) -> str:
        gate = self.gate
        if gate is None:
            return ""
        if gate.room_size is None:
            return "Room size not set: any number of phones can join."
        text = f"Room of {gate.room_size}: up to {gate.limit} phones join without asking."
        if gate.waiting:
            text += f" {gate.waiting} waiting: press y to let them in."
        return text

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.gate is None or event.input.id != "room-size":
            return
        try:
            size = int(event.value)
        except ValueError:
            size = 0
        if size < 1:
            self.app.notify("Type how many people are in the room, e.g. 20", severity="warning", timeout=4)
            return
        self.gate.room_size = size
        event.input.remove()
        self.refresh_counts()

    def action_let_in(self) -> None:
        if self.gate is not None and self.gate.waiting:
            count = self.gate.let_in()
            self.app.notify(f"{count} waiting phone(s) may join now.", timeout=4)
            self.refresh_counts()


class JoinNews:
    """What the facilitator hears about joins on any screen: bursts, and phones waiting for a yes."""

    def __init__(self, gate: JoinGate) -> None:
        self.gate = gate
        self._waiting_told = 0

    def lines(self) -> list[str]:
        news = [f"Warning: {burst}. A room scanning a code joins more slowly." for burst in self.gate.news()]
        waiting = self.gate.waiting
        if waiting > self._waiting_told:
            news.append(
                f"{waiting} phone(s) waiting to join beyond the room size of {self.gate.room_size}: "
                "press j, then y to let them in."
            )
        self._waiting_told = waiting
        return news


class JoinCard(Vertical):
    """The join screen as the room sees it in a room view (`facilitate room`): the QR code (as large as
    the screen allows), the address and how many joined; none of the facilitator's lines below it."""

    DEFAULT_CSS = """
    JoinCard { width: auto; height: auto; max-height: 100%; padding: 0 2; background: $surface;
        border: thick $primary; }
    JoinCard #qr { width: auto; background: white; color: black; }
    JoinCard .join-title { text-style: bold; }
    """

    def __init__(self, url: str, joined: Callable[[], int]) -> None:
        super().__init__()
        self.url, self.joined = url, joined

    def compose(self) -> ComposeResult:
        columns, rows = qr_size(self.url, 2)
        scale = 2 if columns + 8 <= self.app.size.width and rows + 10 <= self.app.size.height else 1
        yield Label("Join on your phone: scan the code or type the address", classes="join-title")
        yield Static(qr_text(self.url, scale), id="qr", markup=False)
        yield Static(self.url, id="join-url", markup=False)
        yield Label(self.joined_text(), id="joined")

    def on_mount(self) -> None:
        self.set_interval(0.5, lambda: self.query_one("#joined", Label).update(self.joined_text()))

    def joined_text(self) -> str:
        return f"{self.joined()} joined · no name asked · every question can be passed"
