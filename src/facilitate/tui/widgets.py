"""Reusable widgets of the facilitator app: the countdown and text bar charts."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.widgets import Digits, Label, ProgressBar, Static

from facilitate.session.answers import percent
from facilitate.session.timer import Timer


def clock_text(seconds: float) -> str:
    """Seconds as MM:SS for the big digits (hours roll into minutes: 75:00)."""
    whole = round(max(0.0, seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def literal(text: str) -> Static:
    """Workshop or participant text exactly as written: never parsed as markup."""
    return Static(text, markup=False)


class Countdown(Vertical):
    """A big countdown. The last minute changes tone by words and border, not colour alone; time up is
    calm; an overrun counts up."""

    DEFAULT_CSS = """
    Countdown { height: auto; width: auto; min-width: 30; padding: 0 2; border: round $primary; }
    Countdown #timer-state { width: 100%; text-align: center; text-style: bold; }
    Countdown Digits { width: auto; }
    Countdown ProgressBar { width: 100%; }
    Countdown ProgressBar Bar { width: 1fr; }
    Countdown.-paused { border: dashed $secondary; }
    Countdown.-last-minute { border: heavy $warning; }
    Countdown.-up { border: double $primary; }
    Countdown.-over { border: double $primary; }
    """

    def compose(self) -> ComposeResult:
        yield Label("", id="timer-state")
        yield Digits("00:00", id="timer-digits")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="timer-bar")

    def show(self, timer: Timer | None, now: float) -> None:
        if timer is None:
            self.display = False
            return
        self.display = True
        remaining, overrun = timer.remaining(now), timer.overrun(now)
        up = timer.is_up(now)
        last_minute = timer.in_last_minute(now) and not up
        if overrun >= 1:
            digits, state = "+" + clock_text(overrun), "Over time"
        elif up:
            digits, state = "00:00", "Time is up"
        else:
            digits, state = clock_text(remaining), "Last minute" if last_minute else "Remaining"
        if not timer.running:
            state = f"Paused · {state.lower()}" if not up else "Paused · time is up"
        try:
            label = self.query_one("#timer-state", Label)
            shown_digits = self.query_one("#timer-digits", Digits)
            bar = self.query_one("#timer-bar", ProgressBar)
        except NoMatches:  # a tick between mounting and composing (or while removed): the next one draws
            return
        set_text(label, state)
        shown_digits.update(digits)
        planned = max(timer.planned, 1.0)
        bar.update(total=planned, progress=min(planned, timer.elapsed(now)))
        self.set_class(not timer.running, "-paused")
        self.set_class(last_minute, "-last-minute")
        self.set_class(up and overrun < 1, "-up")
        self.set_class(overrun >= 1, "-over")


def set_text(widget: Static, text: str) -> None:
    """Update a text widget, asking Textual for a new layout only when the text's shape changed.

    A layout pass costs tens of milliseconds on a small laptop and a repaint almost nothing; with a
    room answering, the counts change several times a second while their shape stays the same.
    """
    previous: str | None = getattr(widget, "_facilitate_text", None)
    if previous == text:
        return
    width = widget.content_size.width
    same_shape = (
        previous is not None
        and previous.count("\n") == text.count("\n")
        and _widest(previous) <= width
        and _widest(text) <= width  # no line wraps, before or after: the height cannot change
    )
    widget._facilitate_text = text  # type: ignore[attr-defined]
    widget.update(text, layout=not same_shape)


def _widest(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def bar_lines(labels: list[str], counts: list[int], width: int = 24, people: int | None = None) -> str:
    """A text bar chart: label, bar, count and percent, so nothing depends on colour.

    `people`: how many answered (phones), the base of the percentages, which for multiple choice add up to
    more than 100; without it (a show of hands) the base is the hands counted."""
    total = sum(counts) if people is None else people
    label_width = min(28, max((len(label) for label in labels), default=0))
    lines = []
    for label, count in zip(labels, counts, strict=True):
        share = min(count / total, 1.0) if total else 0.0
        filled = round(share * width)
        shown = label if len(label) <= label_width else label[: label_width - 1] + "…"
        lines.append(
            f"{shown:<{label_width}}  {'█' * filled}{'░' * (width - filled)}  {count:>3}  {percent(count, total):>3}%"
        )
    footer = f"{total} counted" if people is None else f"{people} answers in the chart"
    lines.append(f"{'':<{label_width}}  {footer}")
    return "\n".join(lines)
