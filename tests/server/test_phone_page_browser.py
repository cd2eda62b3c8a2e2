"""The phone page in a real browser: headless Chromium against the running server.

What matters here is what only a browser shows: that the page's CSS and script load from the join path
(a relative URL once resolved to `/j/app.css`, a 404, and the page sat at "Connecting…"), that the script
turns the current step into a real form, and that tapping Send or Pass reaches the session.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop
from tests.server.browser import CHROMIUM, Browser

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def served(tmp_path: Path):
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    try:
        yield session, f"http://127.0.0.1:{server.port}/j/{session.join_secret}"
    finally:
        await server.stop()


def step_of(session: Session, kind: str, poll_type: str | None = None):
    return next(
        s
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def test_tapping_an_option_and_send_records_the_answer(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "single")
    session.jump(poll.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        question = await page.wait_for("document.getElementById('question').textContent")
        assert question == poll.question
        labels = await page.evaluate(
            "[...document.querySelectorAll('#fields label')].map(l => l.textContent)"
        )
        assert labels == poll.options
        await page.evaluate("document.querySelectorAll('input[name=choice]')[1].click()")
        await page.evaluate("document.getElementById('send').click()")
        status = await page.wait_for("document.getElementById('status').textContent")
        assert status.startswith("Saved")
    assert session.results(poll.id).current.counts[1] == 1 and session.joined == 1


async def test_pass_is_recorded_as_a_pass(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "scale")
    session.jump(poll.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("!document.getElementById('answer-form').hidden")
        await page.evaluate("document.getElementById('pass').click()")
        assert (await page.wait_for("document.getElementById('status').textContent")).startswith("Passed")
    assert session.results(poll.id).current.passed == 1


async def test_the_page_follows_the_facilitator_to_the_next_step(served, tmp_path: Path) -> None:
    session, url = served
    reflection = step_of(session, "reflection")
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("document.getElementById('step-title').textContent === 'Welcome'")
        session.jump(reflection.id)  # arrives over the event stream, no reload
        await page.wait_for(f"document.getElementById('step-title').textContent === {reflection.title!r}")
        assert await page.evaluate("!!document.querySelector('textarea')")


async def test_dark_mode_uses_the_pages_own_stylesheet(served, tmp_path: Path) -> None:
    """The stylesheet loaded from the join path and follows the phone's dark mode."""
    from PIL import Image  # Pillow comes with fpdf2

    session, url = served
    session.jump(step_of(session, "poll", "multiple").id)
    async with Browser(tmp_path / "profile", dark=True) as page:
        await page.goto(url)
        await page.wait_for("!document.getElementById('answer-form').hidden")
        shot = await page.screenshot(tmp_path / "phone.png")
    with Image.open(shot) as image:
        assert image.size == (360, 740)
        assert image.convert("RGB").getpixel((2, 2)) == (0x12, 0x12, 0x12)


async def test_revealed_results_and_a_closed_poll_reach_the_open_page(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "single")
    session.jump(poll.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("!document.getElementById('answer-form').hidden")
        assert await page.evaluate("document.getElementById('results').hidden")
        for index in range(session.workshop.reveal_threshold(poll)):
            session.submit(session.join(), poll.id, index % 2)
        assert session.toggle_reveal(poll.id).ok  # arrives over the event stream
        await page.wait_for("!document.getElementById('results').hidden")
        rows = await page.evaluate("[...document.querySelectorAll('#results li')].map(li => li.textContent)")
        assert rows[0].startswith(poll.options[0]) and "%" in rows[0]
        session.toggle_poll_open()
        await page.wait_for("document.getElementById('send').disabled")
        assert "closed" in await page.evaluate("document.getElementById('status').textContent")
