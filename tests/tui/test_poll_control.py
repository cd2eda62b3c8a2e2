"""Facilitator keys for polls with phones: o closes and opens, m moderates written answers one at a time,
[ and ] step through approved answers, and a before/after poll shows both charts side by side."""

from __future__ import annotations

from collections.abc import Callable

from textual.widgets import Static

from facilitate.session.session import Session
from facilitate.tui.app import make_app
from facilitate.tui.moderation import ModerationScreen

SIZE = (110, 40)
HOSTILE = "[bold red]hi[/] [@click=app.quit]x[/]"


def poll(session: Session, poll_type: str, *, compared: bool = False) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == "poll" and s.type == poll_type and (not compared or s.compare_with)
    )


def phone_results(app) -> str:
    return str(app.run_screen.view.query_one(".phone-results", Static).render())


async def test_o_closes_and_reopens_the_poll_on_screen(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    step = poll(session, "single")
    session.jump(step)
    session.join()
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "· open" in phone_results(app)
        await pilot.press("o")
        assert not session.poll_is_open(step) and "· closed" in phone_results(app)
        await pilot.press("o")
        assert session.poll_is_open(step)


async def test_moderation_then_reveal_shows_approved_answers_one_at_a_time(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    step = poll(session, "text")
    session.jump(step)
    texts = ["A long walk", HOSTILE, "Not this one"]
    for text in texts:
        session.submit(session.join(), step, text)
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "3 to moderate (m)" in phone_results(app)
        await pilot.press("p", "m")  # projected: unapproved answers never go on the room's screen
        assert not isinstance(app.screen, ModerationScreen)
        await pilot.press("p", "m")
        assert isinstance(app.screen, ModerationScreen)
        assert str(app.screen.query_one("#moderation-text", Static).render()) == "A long walk"
        await pilot.press("y")
        assert str(app.screen.query_one("#moderation-text", Static).render()) == HOSTILE  # typed, inert
        await pilot.press("y", "x")
        assert "Nothing waiting · 2 approved" in str(app.screen.query_one("#moderation-count").render())
        await pilot.press("escape")
        await pilot.pause()
        assert "Results are ready" in phone_results(app)
        assert "A long walk" not in phone_results(app)  # nothing before reveal
        await pilot.press("r")
        assert "Answer 1 of 2" in phone_results(app) and "A long walk" in phone_results(app)
        assert "[ and ]" not in phone_results(app)  # the keys are in a hint projector mode hides
        await pilot.press("right_square_bracket")
        assert "Answer 2 of 2" in phone_results(app) and HOSTILE in phone_results(app)
        assert app.is_running  # the [@click=app.quit] text did nothing
        assert "Not this one" not in phone_results(app)


async def test_before_and_after_side_by_side(start_session: Callable[..., Session]) -> None:
    session = start_session("check-in")
    after = poll(session, "scale", compared=True)
    before = session.workshop.step_by_id(after).compare_with
    phones = [session.join() for _ in range(6)]
    session.jump(before)
    for index, phone in enumerate(phones):
        session.submit(phone, before, 3 + index % 2)
    session.jump(after)
    for index, phone in enumerate(phones):
        session.submit(phone, after, 6 + index % 3)
    assert session.toggle_reveal(after).ok
    app = make_app(session)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        shown = phone_results(app)
        header = next(line for line in shown.splitlines() if line.startswith("Before"))
        assert "After" in header
        assert "Median: 3.5" in shown and "Median: 7" in shown


async def test_a_decision_is_about_the_answer_on_screen(start_session: Callable[..., Session]) -> None:
    """Issue 12: with the overlay open, a phone withdrew the answer shown and `y` approved whatever was
    now first in the queue, unseen. Now the decision names the answer seen: refused when it changed, and
    the overlay follows the queue. The phones are real ones, over the app's own phone server."""
    import socket

    import aiohttp

    from facilitate.tui.app import PhoneOptions
    from tests.waiting import until

    session = start_session("check-in")
    step = poll(session, "text")
    session.jump(step)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with (
        app.run_test(size=SIZE) as pilot,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as author,
        aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as other,
    ):
        await until(pilot, lambda: app.phone_server is not None)
        url = app.phone_server.join_url

        async def send(phone: aiohttp.ClientSession, text: str) -> None:
            async with phone.post(f"{url}/api/answer", json={"step": step, "answer": text}) as reply:
                assert reply.status == 200, await reply.text()

        for phone in (author, other):
            async with phone.get(url) as page:
                assert page.status == 200
        await send(author, "What I first wrote")
        await until(pilot, lambda: session.moderation_queue(step) == ["What I first wrote"])
        await pilot.press("m")
        shown = app.screen.query_one("#moderation-text", Static)
        count = app.screen.query_one("#moderation-count")
        assert str(shown.render()) == "What I first wrote"
        await send(other, "An answer nobody has read")  # arrives: the shown one stays
        await until(pilot, lambda: "2 waiting" in str(count.render()))
        assert str(shown.render()) == "What I first wrote"
        await send(author, "Changed my mind")  # the author withdraws the one on screen
        outcome = session.moderate(step, "What I first wrote", approved=True)  # what `y` would name
        assert not outcome.ok and "changed or withdrawn" in outcome.reason
        await until(pilot, lambda: str(shown.render()) == "An answer nobody has read")  # moved on itself
        app.screen.shown = "What I first wrote"  # as if the key came before the screen caught up
        await pilot.press("y")
        assert session.approved_texts(step) == []  # nothing unseen was approved
        assert session.moderation_queue(step) == ["An answer nobody has read", "Changed my mind"]
        assert str(shown.render()) == "An answer nobody has read"
        await pilot.press("y")
        assert session.approved_texts(step) == ["An answer nobody has read"]
