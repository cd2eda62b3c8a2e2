"""The command palette's steps, in running order.

Textual's system commands are listed alphabetically, which put "Closing — Thank you" before "Opening —
Welcome"; a facilitator looks for a step where it comes in the workshop. This provider offers every step
in the order it runs, numbered as in the status line ("step 3/13").
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class StepCommands(Provider):
    """ "step: <module> — <step>" for every step, in running order; nothing once the session has ended."""

    def _steps(self) -> Iterator[tuple[str, str, Callable[[], None]]]:
        app = self.app
        session = getattr(app, "session", None)
        run = getattr(app, "run_screen", None)
        if session is None or run is None or session.ended:
            return
        steps = list(session.workshop.steps())
        for number, (module, step) in enumerate(steps, start=1):
            jump = partial(_jump, run, session, step.id)
            yield (
                f"step: {module.title} — {step.title}",
                f"Step {number} of {len(steps)}: jump to this {step.kind} step",
                jump,
            )

    async def discover(self) -> Hits:
        for name, help_text, jump in self._steps():
            yield DiscoveryHit(name, jump, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, jump in self._steps():  # equal scores keep this order in the palette
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), jump, help=help_text)


def _jump(run, session, step_id: str) -> None:  # type: ignore[no-untyped-def]
    """Go to a step; from another module, its content note comes first (see `Session.jump`)."""
    run._do(session.jump(step_id, note_first=True))
