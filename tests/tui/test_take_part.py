"""Checked words, ranking and points on the facilitator's screen (Pilot)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from facilitate.session.session import Session
from facilitate.tui.app import make_app
from facilitate.tui.word_check import WordCheckScreen
from facilitate.workshop.starter import starter_text
from tests.waiting import until

SIZE = (100, 30)


def starter(start_session: Callable[..., Session]) -> Session:
    return start_session(source=starter_text(Path("take-part.yaml")))


def shown(app) -> str:
    return str(app.run_screen.view.query_one(".phone-results").render())


async def test_words_are_checked_one_by_one_before_the_screen_shows_them(
    start_session: Callable[..., Session],
) -> None:
    session = starter(start_session)
    session.jump("in-the-way")
    for answer in (["Fear", "money"], ["fear"], ["Sam Smith"], ["tired"], ["fear", "tired"]):
        session.submit(session.join(), "in-the-way", answer)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert "in-the-way" in session.state.revealed
        assert "fear" not in shown(app) and "Sam Smith" not in shown(app)
        await pilot.press("m")
        assert isinstance(app.screen, WordCheckScreen)
        listing = [str(option.prompt) for option in app.screen.query_one("#word-list").options]
        assert listing[0] == "new     fear  ×3" and "new     Sam Smith  ×1" in listing
        await pilot.press("y")  # fear (most frequent first, in its most common spelling)
        await pilot.press("y")  # tired
        await pilot.press("x")  # money: hidden
        await pilot.press("x")  # Sam Smith: hidden
        await pilot.press("escape")
        await pilot.pause()
        on_screen = shown(app)
        assert "fear\u00a0×3" in on_screen and "tired\u00a0×2" in on_screen
        assert "money" not in on_screen and "Sam Smith" not in on_screen
    assert [(w.word, w.shown) for w in session.words_to_check("in-the-way")] == [
        ("fear", True),
        ("tired", True),
        ("money", False),
        ("Sam Smith", False),
    ]


async def test_ranking_and_points_results_on_screen(start_session: Callable[..., Session]) -> None:
    session = starter(start_session)
    session.jump("what-first")
    for order in ([1, 0, 2], [1, 2, 0], [0, 1, 2], [1, 0, 2], [2, 1, 0]):
        session.submit(session.join(), "what-first", order)
    session.toggle_reveal("what-first")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "put these in order" in str(app.run_screen.view.query_one(".meta").render())
        lines = shown(app).splitlines()
        assert lines[1].startswith("1. Start smaller") and "average rank 1.4 · first for 3" in lines[1]
        assert "5 rankings in the chart" in shown(app)
    session.jump("where-energy")
    for spread in ([50, 50, 0], [100, 0, 0], [20, 30, 50], [0, 0, 100], [30, 30, 40]):
        session.submit(session.join(), "where-energy", spread)
    session.toggle_reveal("where-energy")
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Learning something new" in text and "190 points   38%" in text
        assert "5 people spread 500 points" in text


def stage_text(app) -> str:
    return " ".join(str(widget.render()) for widget in app.run_screen.query_one("#stage").query("Static"))


async def test_questions_wait_for_the_facilitator_and_only_listed_ones_reach_the_stage(
    start_session: Callable[..., Session],
) -> None:
    from facilitate.tui.questions_screen import QuestionsScreen

    session = starter(start_session)
    session.jump("welcome")
    phone = session.join()
    await session.ask_question_async(phone, "Is it [b]normal[/b] to freeze?")
    await session.ask_question_async(phone, "Is Sam from accounts here?")
    await session.request_pause_async(phone)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        status = str(app.run_screen.query_one("#status").render())
        assert "1 person would like a pause" in status and "2 questions wait (k)" in status
        assert "freeze" not in stage_text(app) and "Sam" not in stage_text(app)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, QuestionsScreen)
        assert "Is it [b]normal[/b] to freeze?" in str(app.screen.query_one("#question-waiting").render())
        await pilot.press("y", "x", "1", "escape")
        await pilot.pause()
        shown = stage_text(app)
        assert "Your questions" in shown and "“Is it [b]normal[/b] to freeze?”" in shown
        assert "Sam" not in shown and "0 upvotes" in shown
        await session.vote_question_async(phone, session.listed_questions()[0].id, True)
        await until(pilot, lambda: "1 upvote" in stage_text(app))
        await pilot.press("k", "a", "l", "escape")
        await pilot.pause()
        assert "✓ Is it [b]normal[/b] to freeze?  (1 upvote · answered)" in stage_text(app)
        await pilot.press("k", "o", "escape")
        await pilot.pause()
        assert "Your questions" not in stage_text(app) and session.state.questions_shown == "off"
        await pilot.press("p")  # projector mode: the room's view, no status line, no questions overlay
        assert not app.run_screen.query_one("#status").display or "pause" not in stage_text(app)
        await pilot.press("k")
        assert not isinstance(app.screen, QuestionsScreen)
