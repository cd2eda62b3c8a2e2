"""End to end: rehearse the whole bundled workshop at high speed with a simulated room of 30.

The room is the real thing over loopback (HTTP, cookies, event streams, takeaway downloads); the
facilitator is Pilot pressing the keys. Checks what the issue promises: every step visited, every
revealed poll has results, nothing shown below its threshold, 30 takeaways each with its own
reflections and nobody else's, and the report's totals equal what the room sent.
"""

from __future__ import annotations

import asyncio
import io
import socket
import time
from pathlib import Path

from pypdf import PdfReader

from facilitate.session.clock import SystemClock
from facilitate.session.report import build_report
from facilitate.session.session import Session
from facilitate.tui.app import PhoneOptions, make_app
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep
from facilitate.workshop.registry import open_workshop

ROOM = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def until(condition, timeout: float, pilot) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def test_rehearse_the_bundled_workshop_with_a_room_of_30(tmp_path: Path) -> None:
    session = Session.start_loaded(
        open_workshop("self-efficacy"), data_dir=tmp_path, clock=SystemClock(), demo=True
    )
    options = PhoneOptions("127.0.0.1", free_port(), demo_room=ROOM, speed=1000)
    app = make_app(session, phones=options)
    async with app.run_test(size=(120, 40)) as pilot:
        assert await until(lambda: session.joined == ROOM, 30, pilot), f"only {session.joined} joined"
        room = app.demo_room
        visited: set[str] = set()
        while True:
            step = session.current_step
            if step is not None:
                visited.add(step.id)
            if isinstance(step, PollStep):
                # Wait until everyone answered or passed (their last word counts), then reveal if allowed.
                await until(lambda s=step: len(room.answers_for(s.id)) >= ROOM - 1, 10, pilot)
                if session.results(step.id).revealable:
                    await pilot.press("r")
                    assert step.id in session.state.revealed
                else:
                    await pilot.press("r")
                    assert step.id not in session.state.revealed
            elif isinstance(step, ReflectionStep | PlanStep):
                await until(lambda s=step: len(room.answers_for(s.id)) >= ROOM - 3, 10, pilot)
            if session.current_slide.kind == "step" and step.kind == "closing":
                break
            await pilot.press("right")
        await pilot.press("e", "y")  # ending asks first
        assert session.ended
        assert await until(lambda: len(room.takeaways) == ROOM, 90, pilot), f"{len(room.takeaways)} takeaways"

        every_step = {s.id for _, s in session.workshop.steps()}
        assert visited == every_step
        for poll_id in session.state.revealed:
            results = session.results(poll_id)
            assert results.shown is not None and results.shown.answered >= results.threshold
        for index, pdf in room.takeaways.items():
            text = " ".join(pdf_text(pdf).split())  # words, whatever the line breaks
            assert "DEMO" in text
            mine = f"(participant {index + 1})"
            wrote = any(
                isinstance(sent.answer, str | dict) and sent.status == 200 and sent.participant == index
                for sent in room.sent
                if sent.step
                in {s.id for _, s in session.workshop.steps() if s.kind in ("reflection", "plan")}
            )
            if wrote:
                assert mine in text, f"participant {index + 1}'s own words missing"
            others = [f"(participant {other + 1})" for other in range(ROOM) if other != index]
            assert not any(other in text for other in others), f"another's words in {index + 1}'s takeaway"

        report = build_report(session)
        for poll in report.polls:
            sent = room.answers_for(poll.step_id)
            assert poll.answered == sum(1 for value in sent.values() if value is not None)
            assert poll.passed == sum(1 for value in sent.values() if value is None)
        assert report.devices == ROOM and report.demo
    await asyncio.sleep(0)
