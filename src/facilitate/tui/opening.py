"""The first screen, painted before the workshop is validated and the session is set up.

Validating a workshop loads pydantic and builds the models (about 90 ms), and setting up a session creates
its journal; with Textual's own start that was 2.4-2.6× a bare Textual app. So `facilitate run NAME`
paints this screen first and does both in a worker thread: the workshop's title, read from its file, and
that the session is opening. Nothing else is shown until it is known: the title is read only when its
line leaves no doubt (else left out), so it is the title the workshop will have, and "opening" is true whatever comes next
(a mistake in the file ends the app and is printed as before, exit status 2).

This module imports nothing but Textual: it is what the first screen waits for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from facilitate.session.session import Session


@dataclass
class Opening:
    """What the app needs to open the session itself, after its first screen: `start()` validates the
    workshop and sets up the session (in a worker thread), and returns the session and anything the
    caller must release when the app ends (its lock)."""

    title: str | None
    start: Callable[[], tuple[Session, Any]]


def read_title(path: Path) -> str | None:
    """The workshop's title as its file gives it: a top-level `title:` line with a one-line value, plain
    or quoted without escapes. Anything else (a value over several lines, escapes, a flow mapping) is
    None, and the first screen then says only that the session is opening: what this returns is what
    the YAML loader will read, or nothing. (No YAML parser here: importing one took 10-35 ms.)"""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):  # opening it says what is wrong, in full
        return None
    found = [i for i, line in enumerate(lines) if line.startswith("title:")]
    if len(found) != 1:
        return None
    index = found[0]
    value = lines[index][len("title:") :].strip()
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if following[:1] in (" ", "\t") and following.strip() and not following.strip().startswith("#"):
        return None  # a value that goes on over the next line
    return _scalar(value)


def _scalar(value: str) -> str | None:
    if value[:1] == "'" and value.endswith("'") and len(value) > 1:
        inner = value[1:-1]
        return inner.replace("''", "'").strip() or None if "'" not in inner.replace("''", "") else None
    if value[:1] == '"' and value.endswith('"') and len(value) > 1:
        inner = value[1:-1]
        return inner.strip() or None if "\\" not in inner and '"' not in inner else None
    if " #" in value:
        value = value[: value.index(" #")].rstrip()
    plain_start = value[:1] not in ("", "&", "*", "!", "|", ">", "[", "{", "@", "`", "%", "'", '"', "#")
    if not plain_start or ": " in value or value.endswith(":"):
        return None
    return value


class OpeningScreen(Screen[None]):
    """The workshop's title, centred, and that the session is opening."""

    DEFAULT_CSS = """
    OpeningScreen { align: center middle; }
    OpeningScreen #opening-title { text-style: bold; width: auto; }
    OpeningScreen #opening-note { color: $text-muted; width: auto; }
    """

    def __init__(self, title: str | None) -> None:
        super().__init__()
        self.workshop_title = title
        self.typed: list[tuple[str, str | None]] = []  # keys pressed while opening: the app replays them

    def on_key(self, event: events.Key) -> None:
        """A clicker pressed at once is not lost: the key goes to the session once it is on screen."""
        self.typed.append((event.key, event.character))
        event.stop()
        event.prevent_default()

    def compose(self) -> ComposeResult:
        with Middle():
            if self.workshop_title:
                with Center():
                    yield Static(self.workshop_title, id="opening-title", markup=False)
            with Center():
                yield Static("Opening the session…", id="opening-note")
