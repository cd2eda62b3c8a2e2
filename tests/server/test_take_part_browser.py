"""Ranking, points, questions and the pause button in headless Chromium, with the keyboard only.

Keys go through the DevTools protocol as a keyboard would send them (Tab, Enter, Space, typed text): no
click and no script reaches into the page's controls, so a test passes only if a keyboard (and so a
switch or a screen reader's virtual cursor) can do it all.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text
from tests.server.browser import CHROMIUM, Browser, Page

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)"
)

KEYS = {
    "Tab": {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
    "Space": {"key": " ", "code": "Space", "windowsVirtualKeyCode": 32, "text": " "},
    "Backspace": {"key": "Backspace", "code": "Backspace", "windowsVirtualKeyCode": 8},
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def served(tmp_path: Path):
    source = starter_text(Path("take-part.yaml")).replace("reveal_min: 5", "reveal_min: 0")
    session = Session.start(
        parse_workshop(source), data_dir=tmp_path, clock=FakeClock(), source_text=source, source_path=None
    )
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    try:
        yield session, f"http://127.0.0.1:{server.port}/j/{session.join_secret}"
    finally:
        await server.stop()


async def press(page: Page, name: str, times: int = 1) -> None:
    for _ in range(times):
        key = KEYS[name]
        await page.send("Input.dispatchKeyEvent", type="keyDown", **key)
        await page.send(
            "Input.dispatchKeyEvent", type="keyUp", **{k: v for k, v in key.items() if k != "text"}
        )


async def type_text(page: Page, text: str) -> None:
    await page.send("Input.insertText", text=text)


async def tab_to(page: Page, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes `test` (JavaScript on `el`)."""
    for _ in range(limit):
        if await page.evaluate(f"(el => !!el && ({test}))(document.activeElement)"):
            return
        await press(page, "Tab")
    raise AssertionError(f"Tab never reached an element where {test}")


async def test_a_ranking_answered_with_the_keyboard_only(served, tmp_path: Path) -> None:
    session, url = served
    session.jump("what-first")  # options: Ask for help, Start smaller, Plan the time
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("document.querySelectorAll('.rank-item').length === 3")
        # "Plan the time" to the top: two presses of its Up button; focus stays on the moved button
        await tab_to(page, "el.getAttribute('aria-label') === 'Move Plan the time up'")
        await press(page, "Enter")
        await press(page, "Space")
        live = await page.wait_for("document.getElementById('ranking-live').textContent")
        assert live == "Plan the time is now number 1 of 3."
        assert await page.evaluate("document.activeElement.getAttribute('aria-label')") in (
            "Move Plan the time up",
            "Move Plan the time down",
        )
        # "Ask for help" (now second) down to the bottom
        await tab_to(page, "el.getAttribute('aria-label') === 'Move Ask for help down'")
        await press(page, "Enter")
        order = await page.evaluate("[...document.querySelectorAll('.rank-label')].map(e => e.textContent)")
        assert order == ["Plan the time", "Start smaller", "Ask for help"]
        await tab_to(page, "el.id === 'send'")
        await press(page, "Enter")
        assert (await page.wait_for("document.getElementById('status').textContent")).startswith("Saved")
    assert session.device_answer(next(iter(session._devices)), "what-first") == [2, 1, 0]


async def test_points_spread_with_the_keyboard_only_and_a_live_total(served, tmp_path: Path) -> None:
    session, url = served
    session.jump("where-energy")  # 100 points over Rest, People, Learning something new
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("document.querySelectorAll('.points-input').length === 3")
        hint = "document.getElementById('form-hint').textContent"
        assert "100 points left" in await page.evaluate(hint)
        await tab_to(page, "el.id === 'points-0'")
        await press(page, "Backspace")
        await type_text(page, "60")
        assert "40 points left" in await page.wait_for(f"{hint}.includes('40') && {hint}")
        await tab_to(page, "el.getAttribute('aria-label') === 'Add 5 points to People'")
        await press(page, "Enter", times=6)  # 30
        assert "10 points left" in await page.evaluate(hint)
        await tab_to(page, "el.id === 'send'")
        await press(page, "Enter")  # 90 of 100: refused on the phone, with what is left
        status = await page.wait_for("document.getElementById('status').textContent")
        assert status == "Spread exactly 100 points before sending, or pass. " + (
            "Spread 100 points over these as you like: 0 is fine. 10 points left."
        )
        await tab_to(page, "el.getAttribute('aria-label') === 'Add 5 points to Learning something new'")
        await press(page, "Space", times=3)  # + stops at what is left: 10, not 15
        assert await page.evaluate("document.getElementById('points-2').value") == "10"
        assert await page.evaluate(hint) == "All 100 points are spread."
        await tab_to(page, "el.id === 'send'")
        await press(page, "Enter")
        await page.wait_for("document.getElementById('status').textContent.startsWith('Saved')")
    assert session.results("where-energy").current.counts == (60, 30, 10)


async def test_a_question_and_a_pause_from_the_keyboard(served, tmp_path: Path) -> None:
    session, url = served
    session.jump("welcome")
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for("!document.getElementById('questions').hidden")
        await tab_to(page, "el.tagName === 'SUMMARY' && el.parentNode.id === 'question-ask'")
        await press(page, "Enter")  # opens "Ask a question"
        await tab_to(page, "el.id === 'question-text'")
        await type_text(page, "Is it <b>normal</b> to freeze?")
        await tab_to(page, "el.id === 'question-send'")
        await press(page, "Enter")
        sent = await page.wait_for("document.getElementById('question-status').textContent")
        assert sent.startswith("Sent. The facilitator reads it first")
        [question] = session.waiting_questions()
        assert question.text == "Is it <b>normal</b> to freeze?"
        assert await page.evaluate("document.getElementById('questions-list').children.length") == 0
        session.moderate_question(question.id, approved=True)
        await page.wait_for("document.querySelectorAll('#questions-list .question').length === 1")
        assert await page.evaluate("document.querySelector('.question-text').textContent") == question.text
        assert await page.evaluate("document.querySelector('.question-text b')") is None  # text, not markup
        await tab_to(page, "el.classList.contains('upvote')")
        await press(page, "Enter")
        await page.wait_for("document.querySelector('.upvote').getAttribute('aria-pressed') === 'true'")
        assert await page.evaluate("document.querySelector('.votes').textContent") == "1 upvote"
        await tab_to(page, "el.id === 'pause-button'")
        await press(page, "Enter")
        pause = await page.wait_for("document.getElementById('pause-status').textContent")
        assert pause.startswith("Sent. The facilitator sees that someone would like a pause, not who.")
        await press(page, "Enter")
        await page.wait_for("document.getElementById('pause-status').textContent.startsWith('Your request')")
    assert session.recent_pauses() == 1
    assert session.listed_questions()[0].votes == 1


AXE = os.environ.get("FACILITATE_AXE", "")
VIOLATIONS = (
    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
    "v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))"
)


async def axe_violations(page: Page) -> list[str]:
    result = await page.send("Runtime.evaluate", expression=VIOLATIONS, awaitPromise=True, returnByValue=True)
    assert "exceptionDetails" not in result, result
    return result["result"]["value"]


@pytest.mark.skipif(
    not (AXE and Path(AXE).is_file()),
    reason="axe-core is not installed: set FACILITATE_AXE to axe.min.js (`.ci/run` installs it)",
)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
async def test_axe_finds_no_violation_on_the_new_phone_screens(served, tmp_path: Path, dark: bool) -> None:
    session, url = served
    phone_answers = {"what-first": [[1, 0, 2], [2, 1, 0]], "where-energy": [[50, 50, 0], [10, 20, 70]]}
    found: dict[str, list[str]] = {}
    async with Browser(tmp_path / "profile", dark=dark) as page:
        await page.goto(url)
        await page.wait_for("document.getElementById('step-title').textContent !== 'Connecting…'")
        await page.evaluate(Path(AXE).read_text(encoding="utf-8"))
        for step_id, answers in phone_answers.items():
            session.jump(step_id)
            await page.wait_for("document.querySelectorAll('.rank-item, .points-row').length === 3")
            found[step_id] = await axe_violations(page)
            for value in answers:
                session.submit(session.join(), step_id, value)
            session.toggle_reveal(step_id)
            await page.wait_for("!document.getElementById('results').hidden")
            found[f"{step_id} results"] = await axe_violations(page)
        await page.evaluate("document.getElementById('question-ask').open = true")
        phone = session.join()
        question = await session.ask_question_async(phone, "Is it normal to freeze?")
        session.moderate_question(question, approved=True)
        await session.vote_question_async(phone, question, True)
        await page.wait_for("document.querySelectorAll('#questions-list .question').length === 1")
        await page.evaluate("document.getElementById('pause-button').click()")
        await page.wait_for("document.getElementById('pause-status').textContent")
        found["questions and pause"] = await axe_violations(page)
    assert {what: problems for what, problems in found.items() if problems} == {}


@pytest.mark.skipif(
    not (AXE and Path(AXE).is_file()),
    reason="axe-core is not installed: set FACILITATE_AXE to axe.min.js (`.ci/run` installs it)",
)
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
async def test_axe_finds_no_violation_on_the_remote(served, tmp_path: Path, dark: bool) -> None:
    session, url = served
    remote = url.replace(f"/j/{session.join_secret}", f"/remote/{session.journal.remote_secret}")
    session.jump("what-first")  # a timed poll with notes: every part of the remote shows
    phone = session.join()
    await session.request_pause_async(phone)
    await session.ask_question_async(phone, "Why?")
    found: dict[str, list[str]] = {}
    async with Browser(tmp_path / "profile", dark=dark) as page:
        await page.goto(remote)
        await page.wait_for("document.getElementById('current').textContent === 'What to try first'")
        await page.evaluate(Path(AXE).read_text(encoding="utf-8"))
        assert "would like a pause" in await page.evaluate("document.getElementById('pauses').textContent")
        found["poll"] = await axe_violations(page)
        await tab_to(page, "el.id === 'blank'")
        await press(page, "Enter")  # the keyboard works the remote too
        await page.wait_for("document.getElementById('blank').getAttribute('aria-pressed') === 'true'")
        assert session.state.blanked
        found["blank"] = await axe_violations(page)
    assert {what: problems for what, problems in found.items() if problems} == {}
