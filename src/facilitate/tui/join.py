"""The join overlay: a QR code drawn with half-block characters, the address as text, and who joined."""

from __future__ import annotations

import qrcode
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def qr_text(url: str) -> str:
    """The QR code of `url` in half blocks: two modules per character cell, with the quiet zone."""
    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    matrix = code.get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(True, True): "█", (True, False): "▀", (False, True): "▄", (False, False): " "}
    return "\n".join(
        "".join(glyphs[top, bottom] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(matrix[::2], matrix[1::2], strict=True)
    )


class JoinScreen(ModalScreen[None]):
    """`j` from any step: scan to join. Dark modules on a light ground, as phone cameras expect."""

    BINDINGS = [Binding("escape,j,q", "dismiss", "Close")]
    DEFAULT_CSS = """
    JoinScreen { align: center middle; background: $background 70%; }
    JoinScreen > Vertical { width: auto; height: auto; max-height: 100%; padding: 0 2; background: $surface;
        border: thick $primary; }
    JoinScreen #qr { width: auto; background: white; color: black; }
    JoinScreen .join-title { text-style: bold; }
    """

    def __init__(self, url: str, joined: int, warning: str | None) -> None:
        super().__init__()
        self.url, self.joined, self.warning = url, joined, warning

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Join on your phone: scan the code or type the address", classes="join-title")
            yield Static(qr_text(self.url), id="qr", markup=False)
            yield Static(self.url, id="join-url", markup=False)
            yield Label(f"{self.joined} joined · no name asked · every question can be passed", id="joined")
            if self.warning:
                yield Static(self.warning, markup=False, id="join-warning")
