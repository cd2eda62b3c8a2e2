"""The command palette (Ctrl+P): steps in running order, timer, views, themes, ending and quitting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from facilitate.tui.themes import HIGH_CONTRAST

if TYPE_CHECKING:
    from facilitate.tui.app import FacilitateApp


def system_commands(app: FacilitateApp) -> Iterable[SystemCommand]:
    """The command palette's entries, built from the session as it stands."""
    run = app.run_screen
    session = app.session
    live = not session.ended  # after the end: no steps, timers or grounding to offer
    # The steps come from StepCommands (tui/commands.py): in running order, not alphabetically.
    if live:
        yield SystemCommand("timer: start/pause", "Start or pause this step's timer", run.action_toggle_timer)
        yield SystemCommand(
            "timer: +1 minute", "Give this step a minute more", lambda: run.action_adjust_timer(1)
        )
        yield SystemCommand("timer: −1 minute", "Take a minute off", lambda: run.action_adjust_timer(-1))
    yield SystemCommand(
        "view: projector mode", "Only the step: no notes, status or keys", run.action_toggle_projector
    )
    yield SystemCommand("view: agenda", "Planned against actual time", run.action_agenda)
    yield SystemCommand("view: facilitator notes", "Show or hide your notes", run.action_toggle_notes)
    if live:
        yield SystemCommand(
            "grounding: start", "The grounding exercise, on top of this step", run.action_grounding
        )
    if getattr(app.phone_server, "room_url", None):
        yield SystemCommand(
            "view: room view in a browser",
            "Its secret address and QR code (never shown to the room)",
            run.action_room_address,
        )
    yield SystemCommand("screen: blank", "A black screen; any key returns", run.action_blank)
    for label, name in (
        ("dark", "textual-dark"),
        ("light", "textual-light"),
        ("high contrast", HIGH_CONTRAST.name),
    ):
        yield SystemCommand(
            f"theme: {label}",
            f"Switch to the {label} theme",
            lambda name=name: setattr(app, "theme", name),
        )
    if not session.ended:
        yield SystemCommand(
            "session: end",
            "End the session (it stays listed in `facilitate sessions`)",
            run.action_end_session,
        )
    yield SystemCommand("quit", "Quit; the session is saved and can be resumed", run.action_quit_session)
