"""Phones with the app running: the join overlay, live counts, the threshold and reveal (real HTTP)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from PIL import Image

from facilitate.session.session import Session
from facilitate.tui.app import PhoneOptions, make_app
from facilitate.tui.join import JoinScreen, qr_text
from tests.waiting import until

SIZE = (100, 30)


def phone_results_of(app) -> str:
    return str(app.run_screen.view.query_one(".phone-results").render())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_join_overlay_and_answers_arrive_on_the_poll_screen(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "single")
    session.jump(poll.id)
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.phone_server is not None)
        await pilot.press("j")
        assert isinstance(app.screen, JoinScreen)
        url = str(app.screen.query_one("#join-url").render())
        assert url == f"http://127.0.0.1:{port}/j/{session.join_secret}"
        await pilot.press("escape")
        threshold = session.workshop.reveal_threshold(poll)
        for index in range(threshold):
            async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as phone:
                async with phone.get(url) as page:
                    assert page.status == 200
                async with phone.post(
                    f"{url}/api/answer", json={"step": poll.id, "answer": index % 2}
                ) as reply:
                    assert reply.status == 200
            counted = f"{index + 1} answered · {index + 1} joined"  # redrawn at most twice a second
            await until(pilot, lambda counted=counted: counted in phone_results_of(app))
            shown = phone_results_of(app)
            if index + 1 < threshold:
                assert f"Waiting for at least {threshold} answers" in shown
                await pilot.press("r")
                assert poll.id not in session.state.revealed
        await pilot.press("r")
        await until(pilot, lambda: "%" in phone_results_of(app))
        shown = phone_results_of(app)
        assert poll.options[0] in shown and "%" in shown
        assert f"{threshold} joined" in str(app.run_screen.query_one("#status").render())


async def test_no_phones_says_so(start_session: Callable[..., Session]) -> None:
    app = make_app(start_session("check-in"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        assert not isinstance(app.screen, JoinScreen)
        assert "Phones are off" in app._notifications.__iter__().__next__().message


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (Debian zbar-tools) is not installed")
def test_the_terminal_qr_code_scans(tmp_path: Path) -> None:
    url = "http://192.168.1.23:8765/j/abcdefghijklmnop"
    rows = qr_text(url).splitlines()
    modules = []
    for row in rows:  # each character holds two modules, one above the other
        modules.append([ch in "█▀" for ch in row])
        modules.append([ch in "█▄" for ch in row])
    scale = 8
    image = Image.new("L", (len(modules[0]) * scale + 80, len(modules) * scale + 80), 255)
    for y, line in enumerate(modules):
        for x, dark in enumerate(line):
            if dark:
                image.paste(0, (40 + x * scale, 40 + y * scale, 40 + (x + 1) * scale, 40 + (y + 1) * scale))
    image.save(tmp_path / "qr.png")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "qr.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == url


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg (Debian zbar-tools) is not installed")
def test_the_double_size_qr_code_scans(tmp_path: Path) -> None:
    url = "http://192.168.1.23:8765/j/abcdefghijklmnop"
    rows = qr_text(url, 2).splitlines()
    assert all(len(row) == 2 * len(rows) for row in rows)  # square: two cells wide per module, one tall
    modules = [[row[x] == "█" for x in range(0, len(row), 2)] for row in rows]
    scale = 8
    image = Image.new("L", (len(modules[0]) * scale + 80, len(modules) * scale + 80), 255)
    for y, line in enumerate(modules):
        for x, dark in enumerate(line):
            if dark:
                image.paste(0, (40 + x * scale, 40 + y * scale, 40 + (x + 1) * scale, 40 + (y + 1) * scale))
    image.save(tmp_path / "qr2.png")
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "qr2.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == url


async def test_join_screen_uses_the_big_code_on_a_big_screen_and_counts_live(
    start_session: Callable[..., Session],
) -> None:
    session = start_session("check-in")
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=(160, 60)) as pilot:
        await until(pilot, lambda: app.phone_server is not None)
        await pilot.press("j")
        code = str(app.screen.query_one("#qr").render())
        assert "██" in code and "▀" not in code and "▄" not in code
        assert "0 joined" in str(app.screen.query_one("#joined").render())
        session.join()
        await until(pilot, lambda: "1 joined" in str(app.screen.query_one("#joined").render()))
    small = make_app(start_session("check-in"), phones=PhoneOptions("127.0.0.1", free_port()))
    async with small.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: small.phone_server is not None)
        await pilot.press("j")
        assert any(ch in str(small.screen.query_one("#qr").render()) for ch in "▀▄")


async def test_a_session_resumed_on_its_closing_step_shows_the_takeaway_code(
    start_session: Callable[..., Session],
) -> None:
    """The phone server starts just after the first screen; a closing step drawn before it must be
    drawn again with the takeaway QR code once there is an address (after a crash, people still need it)."""
    session = start_session("check-in")
    closing = next(s for _, s in session.workshop.steps() if s.kind == "closing")
    session.jump(closing.id)
    assert session.end().ok
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.phone_server is not None)
        await pilot.pause()
        codes = list(app.run_screen.view.query(".qr"))
        assert codes, "no takeaway QR code on the closing step"


async def test_the_join_screen_asks_the_room_size_and_lets_waiting_phones_in(
    start_session: Callable[..., Session],
) -> None:
    from textual.widgets import Input

    session = start_session("check-in")
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.phone_server is not None)
        await pilot.press("j")
        assert "Room size not set" in str(app.screen.query_one("#join-gate").render())
        app.screen.query_one("#room-size", Input).focus()
        await pilot.press("2", "enter")
        gate = app.phone_server.joins
        assert gate.room_size == 2 and not app.screen.query("#room-size")
        url = app.phone_server.join_url
        statuses = []
        for _ in range(5):
            async with aiohttp.ClientSession() as phone, phone.get(url) as page:
                statuses.append((page.status, 'http-equiv="refresh"' in await page.text()))
        assert statuses == [(200, False)] * 4 + [(200, True)]  # 2 people + a margin of 2; then a wait
        await until(pilot, lambda: "1 waiting: press y" in str(app.screen.query_one("#join-gate").render()))
        await until(pilot, lambda: any("waiting to join" in n.message for n in app._notifications))
        await pilot.press("y")
        assert gate.waiting == 0 and gate.was_let_in(next(iter(gate._waiting)))


async def test_ending_before_the_closing_step_brings_up_its_qr_code_and_deadline(
    start_session: Callable[..., Session],
) -> None:
    """`e` on a step before the closing step: the room must get the takeaway QR code and the time until
    which takeaways can be downloaded, not stay on that step."""
    session = start_session("check-in")
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll")
    session.jump(poll.id)
    port = free_port()
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}"))
    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: app.phone_server is not None)
        await pilot.press("e")
        dialog = str(app.screen.query_one("#quit-text").render())
        assert "closing step" in dialog and "comes on screen" in dialog
        await pilot.press("y")
        await pilot.pause()
        assert session.ended
        assert session.current_step.kind == "closing"
        view = app.run_screen.view
        assert list(view.query(".qr")), "no takeaway QR code after ending"
        note = str(view.query_one(".takeaway-note").render())
        assert "Takeaways can be downloaded until 09:30" in note


async def test_a_show_of_hands_is_bounded_by_the_room_size_given(
    start_session: Callable[..., Session],
) -> None:
    from facilitate.tui.screens import HandCountScreen

    session = start_session("check-in")
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "single")
    session.jump(poll.id)
    port = free_port()
    options = PhoneOptions("127.0.0.1", port, f"http://127.0.0.1:{port}", room_size=12)
    app = make_app(session, phones=options)
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(50):
            if app.phone_server is not None:
                break
            await pilot.pause(0.05)
        await pilot.press("h")
        assert isinstance(app.screen, HandCountScreen)
        assert str(app.screen.query_one("#count-rule").render()).startswith("Up to 12 hands in all")
        await pilot.press("1", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, HandCountScreen)
        error = str(app.screen.query_one("#count-error").render())
        assert (
            error
            == "At most 12 hands in all: each person raises one hand, and the room has 12 people (these add up to 13)"
        )
        assert dict(session.state.hand_counts) == {}
