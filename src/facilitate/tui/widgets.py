"""Reusable widgets of the facilitator app: the countdown and text bar charts."""

from __future__ import annotations

import math
import textwrap

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Digits, Label, ProgressBar, Static

from facilitate.session.answers import percent
from facilitate.session.timer import Timer


def clock_text(seconds: float, *, up: bool = False) -> str:
    """Seconds as MM:SS for the big digits (hours roll into minutes: 75:00). Time left is rounded up, as
    countdowns do, so "00:00" appears only when the time is up; `up=True` rounds (an overrun)."""
    seconds = max(0.0, seconds)
    whole = round(seconds) if up else math.ceil(seconds - 1e-6)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def literal(text: str) -> Static:
    """Workshop or participant text exactly as written: never parsed as markup."""
    return Static(text, markup=False)


class Countdown(Vertical):
    """A big countdown. The last minute changes tone by words and border, not colour alone; time up is
    calm; an overrun counts up. `-compact` (when the step would not fit otherwise, see SlideView) puts
    the time beside the state, in the text's size, instead of the big digits."""

    DIGITS_HEIGHT = 3  # the rows that -compact gives back to the step

    DEFAULT_CSS = """
    Countdown { height: auto; width: auto; min-width: 30; padding: 0 2; border: round $primary; }
    Countdown #timer-head { width: 100%; height: 1; align-horizontal: center; }
    Countdown #timer-state { text-style: bold; }
    Countdown #timer-inline { display: none; text-style: bold; margin-left: 2; }
    Countdown Digits { width: 100%; text-align: center; }
    Countdown ProgressBar { width: 100%; }
    Countdown ProgressBar Bar { width: 1fr; }
    Countdown.-paused { border: dashed $secondary; }
    Countdown.-last-minute { border: heavy $warning; }
    Countdown.-up { border: double $primary; }
    Countdown.-over { border: double $primary; }
    Countdown.-compact { min-width: 36; }  /* "Paused · last minute  00:53" with its padding */
    Countdown.-compact Digits { display: none; }
    Countdown.-compact #timer-inline { display: block; }
    """

    def __init__(self, *, room: bool = False) -> None:
        super().__init__()
        self.room = room  # the room's view: time up stays "Time is up", the overrun is the facilitator's

    def compose(self) -> ComposeResult:
        with Horizontal(id="timer-head"):
            yield Label("", id="timer-state")
            yield Label("", id="timer-inline")
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
        if overrun >= 1 and self.room:
            overrun = 0.0
        if overrun >= 1:
            digits, state = "+" + clock_text(overrun, up=True), "Over time"
        elif up:
            digits, state = "00:00", "Time is up"
        else:
            digits, state = clock_text(remaining), "Last minute" if last_minute else "Remaining"
        if not timer.running:  # the state in words says what the digits show: "Paused · over time"
            state = f"Paused · {state.lower()}"
        try:
            label = self.query_one("#timer-state", Label)
            inline = self.query_one("#timer-inline", Label)
            shown_digits = self.query_one("#timer-digits", Digits)
            bar = self.query_one("#timer-bar", ProgressBar)
        except NoMatches:  # a tick between mounting and composing (or while removed): the next one draws
            return
        _set_sized(label, state)
        _set_sized(inline, digits)
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


def _set_sized(label: Label, text: str) -> None:
    """Update a label whose width follows its text (centred in the countdown): a new layout only when
    the length changes ("Remaining" -> "Last minute", "59:59" -> "+00:01"), not every second."""
    previous: str | None = getattr(label, "_facilitate_text", None)
    if previous != text:
        label._facilitate_text = text  # type: ignore[attr-defined]
        label.update(text, layout=previous is None or len(previous) != len(text))


def _widest(text: str) -> int:
    return max((len(line) for line in text.split("\n")), default=0)


def bar_lines(labels: list[str], counts: list[int], width: int = 24, people: int | None = None) -> str:
    """A text bar chart: label, bar, count and percent, so nothing depends on colour.

    A label longer than the label column wraps onto the lines below its bar: option labels are never cut.
    `people`: how many answered (phones), the base of the percentages, which for multiple choice add up to
    more than 100; without it (a show of hands) the base is the hands counted."""
    total = sum(counts) if people is None else people
    label_width = min(28, max((len(label) for label in labels), default=0))
    lines = []
    for label, count in zip(labels, counts, strict=True):
        share = min(count / total, 1.0) if total else 0.0
        filled = round(share * width)
        first, *rest = textwrap.wrap(label, label_width) or [""]
        lines.append(
            f"{first:<{label_width}}  {'█' * filled}{'░' * (width - filled)}  {count:>3}  {percent(count, total):>3}%"
        )
        lines += rest
    footer = f"{total} counted" if people is None else f"{people} answers in the chart"
    lines.append(f"{'':<{label_width}}  {footer}")
    return "\n".join(lines)


def word_cloud(counted: list[tuple[str, int]]) -> Text:
    """Words drawn by frequency: the most frequent first, bold and underlined, the next bold, the rest plain;
    each with its count, so nothing depends on the styling. Wraps to the width like any text."""
    text = Text()
    top = counted[0][1] if counted else 0
    for index, (word, count) in enumerate(counted):
        if index:
            text.append("   ")
        style = "bold underline" if count == top else ("bold" if count * 2 >= top else "")
        text.append(word, style=style)
        text.append(f"\u00a0×{count}", style="dim" if not style else "")  # never wraps from its word
    return text


_EIGHTHS = " ▁▂▃▄▅▆▇█"


def column_chart(labels: list[str], counts: list[int], rows: int = 4, people: int | None = None) -> list[str]:
    """A compact chart for a scale on a short screen: one column per point, its count above it and the
    point below, like a printed histogram.

    Eleven points take 32 columns and `rows` + 3 lines, where bars take one line per point. Columns are
    scaled to the largest count; every count is printed, so nothing depends on the bars (or on colour)."""
    width = max([2, *(len(label) for label in labels), *(len(str(count)) for count in counts)])
    top = max(counts, default=0)
    levels = [0 if not count or not top else max(1, round(count / top * rows * 8)) for count in counts]
    lines = [" ".join(f"{count:>{width}}" for count in counts)]
    for row in range(rows):
        floor = (rows - 1 - row) * 8
        lines.append(" ".join(_EIGHTHS[min(8, max(0, level - floor))] * width for level in levels))
    lines.append(" ".join(f"{label:>{width}}" for label in labels))
    lines.append(f"{sum(counts)} counted" if people is None else f"{people} in the chart")
    return lines
