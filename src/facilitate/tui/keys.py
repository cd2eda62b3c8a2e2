"""The facilitator's keys: one list shared by the single screen and the presenter view, so the footer, the
help overlay and the README never drift apart."""

from __future__ import annotations

from textual.binding import Binding

FACILITATOR_BINDINGS: list[Binding] = [
    # key_display: the footer names the arrow whichever of the keys is free, so it never flips
    Binding("right,space,pagedown", "next_step", "Next", id="next-step", key_display="→"),
    Binding("left,pageup", "previous_step", "Back", id="previous-step", key_display="←", show=False),
    Binding(
        "down",
        "scroll_step(1)",
        "More",
        id="scroll-down",
        key_display="↓",
        tooltip="scroll the step down when it does not fit the screen",
    ),
    Binding("up", "scroll_step(-1)", "Scroll up", id="scroll-up", key_display="↑", show=False),
    Binding("home", "scroll_step_edge(-1)", "Top of the step", id="scroll-top", show=False),
    Binding("end", "scroll_step_edge(1)", "End of the step", id="scroll-end", show=False),
    Binding("t", "toggle_timer", "Timer", id="toggle-timer"),
    Binding("plus,equals_sign", "adjust_timer(1)", "+1 min", id="add-minute", key_display="+", show=False),
    Binding("minus", "adjust_timer(-1)", "−1 min", id="remove-minute", key_display="-", show=False),
    Binding("n", "toggle_notes", "Notes", id="toggle-notes"),
    Binding(
        "shift+down",
        "scroll_notes(1)",
        "Scroll notes down",
        id="notes-down",
        key_display="shift+↓",
        show=False,
    ),
    Binding(
        "shift+up",
        "scroll_notes(-1)",
        "Scroll notes up",
        id="notes-up",
        key_display="shift+↑",
        show=False,
    ),
    Binding("a", "agenda", "Agenda", id="agenda"),
    Binding("p", "toggle_projector", "Projector", id="projector", show=False),
    Binding("b,full_stop", "blank", "Blank", id="blank", show=False),
    Binding("g", "grounding", "Grounding", id="grounding"),
    Binding("escape", "leave_grounding", "Back to the step", id="leave-grounding"),
    Binding("h", "hand_count", "Hands", id="hand-count", show=False),
    Binding("j", "join", "Join", id="join"),
    Binding("c", "remote", "Remote", id="remote", show=False),
    Binding("k", "questions", "Questions", id="questions", show=False),
    Binding(
        "v",
        "room_address",
        "Room view in a browser",
        id="room-address",
        show=False,
        tooltip="its secret address and QR code, for a projector driven by another computer",
    ),
    Binding("r", "reveal", "Reveal results", id="reveal", show=False),
    Binding("o", "toggle_poll_open", "Open/close poll", id="toggle-poll-open", show=False),
    Binding("m", "moderate", "Moderate answers", id="moderate", show=False),
    Binding(
        "right_square_bracket", "show_text(1)", "Next answer", id="next-text", key_display="]", show=False
    ),
    Binding(
        "left_square_bracket",
        "show_text(-1)",
        "Previous answer",
        id="previous-text",
        key_display="[",
        show=False,
    ),
    Binding("e", "end_session", "End session", id="end-session", show=False),
    Binding("question_mark", "help", "Help", id="help", key_display="?"),
    Binding("q", "quit_session", "Quit", id="quit"),
    # Last, so they act only when the keys above cannot (no timer here, not a poll, the session ended):
    # they say why, instead of nothing (tui/why_not.py). Not keys of their own: not in help or footer.
    *(
        Binding(keys, f"why_not('{group}')", "Why not", id=f"why-not-{group}", show=False, system=True)
        for group, keys in (
            ("timer", "t,plus,equals_sign,minus"),
            ("move", "right,space,pagedown,left,pageup"),
            ("poll", "h,r,o"),
            ("moderate", "m"),
            ("text", "left_square_bracket,right_square_bracket"),
            ("grounding", "g"),
            ("end", "e"),
        )
    ),
]


_KEY_NAMES = {
    "right": "→",
    "left": "←",
    "space": "space",
    "pagedown": "PageDown",
    "pageup": "PageUp",
    "plus": "+",
    "equals_sign": "=",
    "minus": "-",
    "full_stop": ".",
    "question_mark": "?",
    "escape": "Escape",
    "home": "Home",
    "end": "End",
    "right_square_bracket": "]",
    "left_square_bracket": "[",
}


def binding_keys(binding: Binding) -> str:
    """The keys of a binding as people know them: its key_display for the first ("]", not
    "right_square_bracket"), then the others by name ("→, space, PageDown")."""
    keys = [key.strip() for key in binding.key.split(",")]
    names = [_KEY_NAMES.get(key, key) for key in keys]
    if binding.key_display:
        names[0] = binding.key_display
    return ", ".join(dict.fromkeys(names))
