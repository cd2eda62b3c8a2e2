"""The browser room view and what phones add: only listed questions, only shown words, no pause request;
ranking and points results once revealed (real HTTP, and headless Chromium drawing them)."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.presence import room_secret
from facilitate.session.session import Session
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text
from tests.server.browser import CHROMIUM, Browser
from tests.server.test_room_view import free_port


@pytest.fixture
async def served(tmp_path: Path):
    source = starter_text(Path("room.yaml")).replace("reveal_min: 5", "reveal_min: 0")
    session = Session.start(
        parse_workshop(source),
        data_dir=tmp_path,
        clock=FakeClock(1000.0),
        source_text=source,
        source_path=None,
    )
    server = await start_phone_server(
        session, host="127.0.0.1", port=free_port(), room_secret=room_secret(tmp_path, session.id)
    )
    try:
        yield session, server
    finally:
        await server.stop()


async def room_state(server) -> dict:
    async with aiohttp.ClientSession() as client, client.get(server.room_url + "/api/state") as response:
        return await response.json()


async def test_the_browser_room_sees_only_what_the_facilitator_let_through(served) -> None:
    session, server = served
    phones = [session.join() for _ in range(3)]
    session.jump("in-the-way")
    for phone, words in zip(phones, (["fear", "Jo Smith"], ["fear"], ["unchecked"]), strict=True):
        session.submit(phone, "in-the-way", words)
    session.check_words("in-the-way", ["fear"], shown=True)
    session.check_words("in-the-way", ["jo smith"], shown=False)
    session.toggle_reveal("in-the-way")
    waiting = await session.ask_question_async(phones[0], "Is Jo here today?")
    listed = await session.ask_question_async(phones[1], "Is it normal to freeze?")
    await session.request_pause_async(phones[2])
    text = json.dumps(await room_state(server))
    assert '"fear"' in text and "Jo Smith" not in text and "unchecked" not in text
    assert "Jo here" not in text and "freeze" not in text and "pause" not in text.lower()
    session.moderate_question(listed, approved=True)
    session.show_questions("list")
    slide = (await room_state(server))["slide"]
    assert slide["kind"] == "questions"
    assert slide["items"] == [{"text": "Is it normal to freeze?", "votes": 0, "answered": False}]
    assert "Jo here" not in json.dumps(slide)
    session.moderate_question(waiting, approved=False)
    session.show_questions("off")
    session.jump("what-first")
    for phone, order in zip(phones, ([1, 0, 2], [1, 2, 0], [0, 1, 2]), strict=True):
        session.submit(phone, "what-first", order)
    session.toggle_reveal("what-first")
    ranks = (await room_state(server))["slide"]["results"]["phones"]
    assert ranks["kind"] == "ranks" and ranks["rows"][0] == {
        "label": "Start smaller",
        "rank": 1.33,
        "firsts": 2,
    }


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)")
async def test_a_browser_draws_questions_ranks_and_points(served, tmp_path: Path) -> None:
    session, server = served
    phones = [session.join() for _ in range(3)]
    question = await session.ask_question_async(phones[0], "<b>Why</b> now?")
    session.moderate_question(question, approved=True)
    session.show_questions("one", question)
    async with Browser(tmp_path / "profile", width=1024, height=768) as page:
        await page.goto(server.room_url)
        await page.wait_for("document.body.innerText.includes('“<b>Why</b> now?”')")
        session.show_questions("off")
        session.jump("where-energy")
        for phone, spread in zip(phones, ([50, 50, 0], [100, 0, 0], [20, 30, 50]), strict=True):
            session.submit(phone, "where-energy", spread)
        session.toggle_reveal("where-energy")
        await page.wait_for(
            "document.body.innerText.includes('300 answers in the chart') || "
            "document.body.innerText.includes('170')"
        )
        session.jump("what-first")
        for phone, order in zip(phones, ([1, 0, 2], [1, 2, 0], [0, 1, 2]), strict=True):
            session.submit(phone, "what-first", order)
        session.toggle_reveal("what-first")
        await page.wait_for(
            "document.body.innerText.includes('Start smaller · average rank 1.3 · first for 2')"
        )
