"""axe-core (from the npm registry) finds no accessibility violation on the phone page, on every kind of
step, in light and dark mode. Set FACILITATE_AXE to axe.min.js (`.ci/run` installs it); without it these
tests skip."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop
from tests.server.browser import CHROMIUM, Browser

AXE = os.environ.get("FACILITATE_AXE", "")

pytestmark = [
    pytest.mark.skipif(
        CHROMIUM is None, reason="headless Chromium is not installed (Debian package `chromium`)"
    ),
    pytest.mark.skipif(
        not (AXE and Path(AXE).is_file()),
        reason="axe-core is not installed: `npm install --prefix DIR axe-core` and set "
        "FACILITATE_AXE=DIR/node_modules/axe-core/axe.min.js",
    ),
]

VIOLATIONS = (
    "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => "
    "v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')))"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
async def test_no_violations_on_any_kind_of_step(tmp_path: Path, dark: bool) -> None:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path / "data", clock=FakeClock())
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    source = Path(AXE).read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    try:
        async with Browser(tmp_path / "profile", dark=dark) as page:
            await page.goto(f"http://127.0.0.1:{server.port}/j/{session.join_secret}")
            await page.wait_for("document.getElementById('step-title').textContent !== 'Connecting…'")
            await page.evaluate(source)
            found["title slide"] = await page.evaluate(VIOLATIONS, await_promise=True)
            seen: set[str] = set()
            for _, step in session.workshop.steps():
                what = step.kind + (f" ({step.type})" if step.kind == "poll" else "")
                if what in seen:
                    continue
                seen.add(what)
                session.jump(step.id)
                await page.wait_for(f"document.getElementById('step-title').textContent === {step.title!r}")
                if step.kind == "poll":
                    for index in range(session.workshop.reveal_threshold(step)):
                        session.submit(session.join(), step.id, _answer(step, index))
                    session.toggle_reveal(step.id)
                    await page.wait_for("!document.getElementById('results').hidden")
                found[what] = await page.evaluate(VIOLATIONS, await_promise=True)
            session.end()
            await page.wait_for("!document.getElementById('help').hidden")
            found["ended"] = await page.evaluate(VIOLATIONS, await_promise=True)
    finally:
        await server.stop()
        session.close()
    assert len(found) >= 10, sorted(found)  # every step kind was looked at
    assert {what: problems for what, problems in found.items() if problems} == {}


def _answer(step, index: int):
    if step.type in ("single",):
        return index % len(step.options)
    if step.type == "multiple":
        return [index % len(step.options)]
    if step.type == "scale":
        return step.effective_scale.min
    if step.type == "words":
        return ["calm"]
    if step.type == "text":
        return "A short written answer."
    if step.type == "ranking":
        return [(i + index) % len(step.options) for i in range(len(step.options))]
    if step.type == "points":
        return [step.point_budget, *([0] * (len(step.options) - 1))]
    return None
