"""`c` and the remote page with the app running: a warning first, then the code; a tap on the phone moves
the facilitator's screen exactly as a key would (real HTTP, Pilot)."""

from __future__ import annotations

import socket
from collections.abc import Callable

import aiohttp

from facilitate.session.session import Session
from facilitate.tui.app import PhoneOptions, make_app
from facilitate.tui.remote_screen import RemoteScreen, RemoteWarningScreen
from facilitate.tui.screens import BlankScreen
from tests.waiting import until

SIZE = (100, 34)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_remote_code_comes_after_a_warning_and_taps_move_the_screen(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):
            if app.phone_server is not None:
                break
            await pilot.pause(0.05)
        await pilot.press("c")
        assert isinstance(app.screen, RemoteWarningScreen)
        await pilot.press("n")  # not now: no code
        assert not isinstance(app.screen, RemoteWarningScreen | RemoteScreen)
        await pilot.press("c", "y")
        assert isinstance(app.screen, RemoteScreen)
        url = str(app.screen.query_one("#remote-url").render())
        assert url == f"http://127.0.0.1:{port}/remote/{session.journal.remote_secret}"
        assert session.join_secret not in url
        await pilot.press("escape")
        async with aiohttp.ClientSession() as phone:
            async with phone.get(url) as page:
                assert page.status == 200
            for action in ("next", "next", "blank"):
                async with phone.post(f"{url}/api/action", json={"action": action}) as reply:
                    assert reply.status == 200
            await until(pilot, lambda: isinstance(app.screen, BlankScreen))
            assert isinstance(app.screen, BlankScreen) and session.state.index == 2
            async with phone.post(f"{url}/api/action", json={"action": "blank"}) as reply:
                assert reply.status == 200
            await until(pilot, lambda: not isinstance(app.screen, BlankScreen))
            assert not isinstance(app.screen, BlankScreen)
            assert str(app.run_screen.view.query_one(".step-title").render()) == session.current_step.title
            async with phone.get(url.replace(session.journal.remote_secret, session.join_secret)) as page:
                assert page.status == 404
        await pilot.press("b")  # the key still blanks, and any key returns
        assert isinstance(app.screen, BlankScreen)
        await pilot.press("x")
        assert not isinstance(app.screen, BlankScreen) and not session.state.blanked


async def test_no_remote_without_phones(start_session: Callable[..., Session]) -> None:
    app = make_app(start_session("check-in"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        assert not isinstance(app.screen, RemoteWarningScreen)


async def test_in_the_presenter_view_the_code_shows_without_the_warning(
    start_session: Callable[..., Session],
) -> None:
    from pathlib import Path

    from facilitate.session.presence import RoomPresence

    session = start_session("check-in")
    port = free_port()
    room = RoomPresence(Path(session.journal.path).parent.parent, session.id)
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(100):
                if app.phone_server is not None and app.run_screen.presenter:
                    break
                await pilot.pause(0.05)
            assert app.run_screen.presenter
            await pilot.press("c")
            assert isinstance(app.screen, RemoteScreen)
    finally:
        room.close()
