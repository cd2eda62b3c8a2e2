"""A poll step on screen: the question, its options, live counts and, once revealed, the results.

Two audiences: the facilitator (single screen, presenter view) sees the counts, what is waiting and the keys;
the room (room views, projector mode) sees only the question, its options and the revealed results, with
the title and question kept at the top and nothing that scrolls.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult

from facilitate.session.answers import Tally
from facilitate.session.machine import hand_count_labels
from facilitate.session.session import Session
from facilitate.tui.priority_charts import how_to_answer, points_lines, ranking_lines
from facilitate.tui.views import COMPACT_SCALE_POINTS, StepView, compact_charts, words
from facilitate.tui.widgets import bar_lines, column_chart, word_cloud


class PollView(StepView):
    timed = True

    def __init__(self, session: Session, *, room: bool = False) -> None:
        super().__init__(session, room=room)
        self._results_shown: dict[str, object] = {}  # per results widget: what it showed last

    def body(self) -> ComposeResult:
        poll = self.step
        yield words(poll.question, "lead")
        if poll.type in ("single", "multiple"):
            lines = [f"{index}.  {option}" for index, option in enumerate(poll.options or [], start=1)]
            if poll.type == "multiple":
                lines.append(f"(choose up to {poll.choice_limit()})")
            yield words("\n".join(lines), "options")
        elif poll.type in ("ranking", "points"):
            lines = [f"{index}.  {option}" for index, option in enumerate(poll.options or [], start=1)]
            yield words("\n".join(lines), "options")
            yield words(how_to_answer(poll), "meta")
        elif poll.type == "scale":
            scale = poll.effective_scale
            low = f"{scale.min} = {scale.min_label}" if scale.min_label else str(scale.min)
            high = f"{scale.max} = {scale.max_label}" if scale.max_label else str(scale.max)
            yield words(f"{low}   …   {high}", "options")
        else:
            kind = "one to three words" if poll.type == "words" else "a few sentences"
            yield words(f"Answer on your phone with {kind}.", "meta")
        yield words("You are welcome to pass.", "gentle")
        yield words("", "phone-results")
        yield words("", "results")
        if self.room:
            return
        if hand_count_labels(poll) is not None:
            yield words("h: count a show of hands · r: reveal phone results", "facilitator-only hint")
        elif poll.type == "words" and poll.is_moderated:
            yield words("m: check the words · r: reveal the checked ones", "facilitator-only hint")
        elif poll.type == "text":  # the keys are for the facilitator: hidden in projector mode
            yield words(
                "m: moderate · r: reveal approved answers · [ and ]: one at a time", "facilitator-only hint"
            )

    def on_mount(self) -> None:
        super().on_mount()
        self.show_results()

    def show_results(self) -> None:
        self.show_phone_results()
        self.show_hand_counts()
        if self.room:  # the chart carries the options' labels: the list would push it off the screen
            charted = (
                self.step.id in self.session.state.revealed or self.step.id in self.session.state.hand_counts
            )
            for options in self.query(".options"):
                options.display = not (charted and self.step.type in ("single", "multiple"))

    def _bring_into_view(self, selector: str, key: object) -> None:
        """When results appear (a reveal, a show of hands), scroll them into view on a short screen: the
        facilitator should not have to scroll. Nothing moves when the view first shows, nor ever in the
        room's view, whose title and question stay at the top."""
        previous, self._results_shown[selector] = self._results_shown.get(selector), key
        if self.room or previous is None or key == previous or not key:
            return
        for widget in self.query(selector):
            self.call_after_refresh(widget.scroll_visible, animate=False)

    def _chart_width(self, label_width: int) -> int:
        """Bars use the width the screen has (the labels, counts and percentages beside them)."""
        width = self.size.width or self.app.size.width
        return max(10, min(100, width - label_width - 26))

    def show_phone_results(self) -> None:
        """Phone answers: live totals for the facilitator, results only once revealed (never below the
        threshold)."""
        session, poll = self.session, self.step
        if not session.joined:
            self._set(".phone-results", "", hide_empty=True)
            return
        revealed = poll.id in session.state.revealed
        results = session.results(poll.id)
        shown = results.shown
        lines: list[str | Text] = []
        if self.room:
            if not revealed or shown is None:
                lines.append(f"{results.current.answered} answered")
        else:
            state = "open" if session.poll_is_open(poll.id) else "closed"
            lines.append(f"Phones: {results.current.answered} answered · {session.joined} joined · {state}")
            if poll.type == "text" and (waiting := len(session.moderation_queue(poll.id))):
                lines[0] += f" · {waiting} to moderate (m)"
            elif poll.type == "words" and poll.is_moderated:
                unchecked = sum(1 for word in session.words_to_check(poll.id) if word.shown is None)
                lines[0] += f" · {unchecked} words to check (m)" if unchecked else ""
            if shown is None:
                lines.append(f"Waiting for at least {results.threshold} answers before showing results.")
            elif not revealed:
                lines.append("Results are ready: r reveals them.")
        if revealed and shown is not None:
            lines.append(self.results_text(shown))
        self._show(".phone-results", lines)
        self._bring_into_view(".phone-results", revealed and shown is not None)

    def _show(self, selector: str, lines: list[str | Text]) -> None:
        if all(isinstance(line, str) for line in lines):
            self._set(selector, "\n".join(lines), hide_empty=True)  # type: ignore[arg-type]
            return
        text = Text("\n").join(line if isinstance(line, Text) else Text(line) for line in lines)
        for widget in self.query(selector):
            widget.update(text)
            widget.display = bool(text.plain)
            widget._facilitate_text = None  # type: ignore[attr-defined]

    def results_text(self, shown: Tally) -> str | Text:
        poll = self.step
        if poll.compare_with and poll.type == "scale":
            return self.before_and_after(shown)
        if poll.type in ("single", "multiple"):
            labels = list(poll.options or [])
            label_width = min(28, max((len(label) for label in labels), default=0))
            width = self._chart_width(label_width)
            return bar_lines(labels, list(shown.counts), width=width, people=shown.answered)
        if poll.type == "scale":
            chart = self.scale_chart(list(shown.counts), people=shown.answered)
            if self.compact_scale():
                chart[-1] += f" · median {shown.median:g}"
            else:
                chart.append(f"Median: {shown.median:g}")
            return "\n".join(chart)
        if poll.type == "ranking":
            return ranking_lines(poll, shown)
        if poll.type == "points":
            return points_lines(poll, shown)
        if poll.type == "words":
            return word_cloud(shown.words[:24])
        return self.approved_text()

    def scale_points(self) -> list[str]:
        scale = self.step.effective_scale
        return [str(point) for point in range(scale.min, scale.max + 1)]

    def compact_scale(self) -> bool:
        """A long scale on a short screen is charted in columns, so its median stays on screen."""
        return len(self.scale_points()) > COMPACT_SCALE_POINTS and compact_charts(self)

    def scale_chart(
        self, counts: list[int], people: int | None = None, width: int | None = None
    ) -> list[str]:
        if self.compact_scale():
            return column_chart(self.scale_points(), counts, people=people)
        if width is None:
            width = self._chart_width(max(len(point) for point in self.scale_points()))
        return bar_lines(self.scale_points(), counts, width=width, people=people).splitlines()

    def before_and_after(self, after: Tally) -> str:
        """Two aggregate charts side by side: the earlier poll's shown results and this one's."""
        before_results = self.session.results(self.step.compare_with)
        before = before_results.shown
        after_chart = self.scale_chart(list(after.counts), people=after.answered, width=16)
        if before is None:
            median = f"Median: {after.median:g}"
            if self.compact_scale():
                after_chart[-1] += f" · {median.lower()}"
            return "\n".join(
                [
                    "After",
                    *after_chart,
                    *([] if self.compact_scale() else [median]),
                    "(too few answers at the start to compare)",
                ]
            )
        before_chart = self.scale_chart(list(before.counts), people=before.answered, width=16)
        if self.compact_scale():  # the medians go on the charts' last line: one line less
            before_chart[-1] += f" · median {before.median:g}"
            after_chart[-1] += f" · median {after.median:g}"
        width = max(len(line) for line in before_chart) + 4
        rows = [f"{'Before':<{width}}After"]
        rows += [f"{b:<{width}}{a}".rstrip() for b, a in zip(before_chart, after_chart, strict=True)]
        if not self.compact_scale():
            rows.append(f"{f'Median: {before.median:g}':<{width}}Median: {after.median:g}")
        return "\n".join(rows)

    def approved_text(self) -> str:
        texts = self.session.approved_texts(self.step.id)
        if not texts:
            return "" if self.room else "No written answer approved yet (m to moderate)."
        index = self.session.shown_text_index(self.step.id)
        return f"Answer {index + 1} of {len(texts)}\n\n“{texts[index]}”"

    def show_hand_counts(self) -> None:
        poll = self.step
        counts = self.session.state.hand_counts.get(poll.id)
        labels = hand_count_labels(poll)
        if counts is None or labels is None:
            self._set(".results", "", hide_empty=True)
            self._bring_into_view(".results", ())
            return
        threshold = self.session.workshop.reveal_threshold(poll)
        if sum(counts) < threshold:
            waiting = f"Show of hands: waiting for at least {threshold} answers before showing results."
            self._set(".results", "" if self.room else waiting, hide_empty=True)
        elif poll.type == "scale":
            self._set(
                ".results", "\n".join(["Show of hands", *self.scale_chart(list(counts))]), hide_empty=True
            )
        else:
            label_width = min(28, max((len(label) for label in labels), default=0))
            chart = bar_lines(labels, list(counts), width=self._chart_width(label_width))
            self._set(".results", "Show of hands\n" + chart, hide_empty=True)
        self._bring_into_view(".results", counts)
