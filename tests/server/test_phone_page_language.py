"""The phone page in the workshop's language: every fixed word from the catalogue, the content from the YAML."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from facilitate.paths import bundled_workshops_dir
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


def spanish_check_in(folder: Path) -> Path:
    text = (bundled_workshops_dir() / "check-in.yaml").read_text(encoding="utf-8")
    assert "locale: en-US" in text
    path = folder / "check-in-es.yaml"
    path.write_text(text.replace("locale: en-US", "locale: es-MX"), encoding="utf-8")
    return path


async def test_the_spanish_page_speaks_spanish_and_keeps_the_workshops_own_words(tmp_path: Path) -> None:
    session = Session.start_loaded(
        open_workshop(str(spanish_check_in(tmp_path))), data_dir=tmp_path / "data", clock=FakeClock()
    )
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "multiple")
    try:
        async with Browser(tmp_path / "profile") as page:
            await page.goto(f"http://127.0.0.1:{server.port}/j/{session.join_secret}")
            assert await page.evaluate("document.documentElement.lang") == "es-MX"
            assert await page.evaluate("document.title") == session.workshop.title
            await page.wait_for("document.getElementById('step-title').textContent === 'Bienvenida'")
            assert await page.evaluate("document.getElementById('privacy-title').textContent") == (
                "Antes de empezar"
            )
            session.jump(poll.id)
            await page.wait_for(f"document.getElementById('question').textContent === {poll.question!r}")
            assert await page.evaluate("document.getElementById('send').textContent") == "Enviar"
            assert (await page.evaluate("document.getElementById('pass').textContent")).startswith("Pasar")
            hint = await page.evaluate("document.getElementById('form-hint').textContent")
            assert hint == f"Elige hasta {poll.choice_limit()}."
            await page.evaluate("document.getElementById('send').click()")  # nothing chosen
            status = await page.wait_for("document.getElementById('status').textContent")
            assert status == "Aún no has elegido nada. También puedes pasar."
            await page.evaluate("document.getElementById('pass').click()")
            await page.wait_for("document.getElementById('status').textContent.startsWith('Has pasado')")
    finally:
        await server.stop()
        session.close()
