"""The phone page tells the truth as things change: without JavaScript, while the laptop cannot be
reached and after, when a poll closes or its results appear, in a second tab, and on steps where the
room only looks at the screen (the slide's words, the activity's phases, when a break ends, help lines)."""

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


def text_of(element_id: str) -> str:
    return f"document.getElementById({element_id!r}).textContent"


def visible(element_id: str) -> str:
    return f"!document.getElementById({element_id!r}).hidden"


def shown(selector: str) -> str:
    """Whether an element takes up room on the page (not hidden, not display: none)."""
    return f"!!(document.querySelector({selector!r}) && document.querySelector({selector!r}).offsetParent)"


@pytest.fixture
async def served(tmp_path: Path):
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path / "data", clock=FakeClock())
    port = free_port()
    server = await start_phone_server(session, host="127.0.0.1", port=port)
    holder = {"server": server}
    try:
        yield session, f"http://127.0.0.1:{port}/j/{session.join_secret}", holder
    finally:
        await holder["server"].stop()


def step_of(session: Session, kind: str, poll_type: str | None = None):
    return next(
        s
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def test_without_javascript_the_page_says_what_to_do(served, tmp_path: Path) -> None:
    _, url, _ = served
    async with Browser(tmp_path / "profile", javascript=False) as page:
        await page.goto(url)
        words = await page.evaluate("document.body.innerText")
        assert "needs JavaScript" in words and "printed handout" in words
        assert "Connecting" not in words  # never a promise the page cannot keep
        assert await page.evaluate(shown("#privacy"))  # what is stored is still said


async def test_reconnecting_is_said_and_an_unsent_answer_goes_when_the_laptop_is_back(
    served, tmp_path: Path
) -> None:
    session, url, holder = served
    reflection = step_of(session, "reflection")
    session.jump(reflection.id)
    port = int(url.split(":")[2].split("/")[0])
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        assert not await page.evaluate(visible("connection"))
        await holder["server"].stop()  # the laptop's Wi-Fi drops
        await page.wait_for(f"{visible('connection')} && {text_of('connection')}.startsWith('Reconnecting')")
        assert "Reconnecting" in await page.wait_for(text_of("announce"))
        await page.evaluate("document.getElementById('reflection').value = 'Written while offline'")
        await page.evaluate("document.getElementById('send').click()")
        assert (await page.wait_for(text_of("status"))).startswith("Not sent yet")
        holder["server"] = await start_phone_server(session, host="127.0.0.1", port=port)
        await page.wait_for(f"{text_of('status')}.startsWith('Saved')", timeout=30)
        assert not await page.evaluate(visible("connection"))  # the stale warning went with the problem
    token = next(iter(session._devices))
    assert session.private_answers(token) == {reflection.id: "Written while offline"}


async def test_closing_and_revealing_a_poll_are_announced_and_results_come_into_view(
    served, tmp_path: Path
) -> None:
    session, url, _ = served
    poll = step_of(session, "poll", "single")
    session.jump(poll.id)
    async with Browser(tmp_path / "profile", height=640) as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        session.toggle_poll_open()
        await page.wait_for(f"{text_of('announce')} === 'The poll is now closed.'")
        session.toggle_poll_open()
        await page.wait_for(f"{text_of('announce')} === 'The poll is open again.'")
        for index in range(session.workshop.reveal_threshold(poll)):
            session.submit(session.join(), poll.id, index % 2)
        assert session.toggle_reveal(poll.id).ok
        await page.wait_for(f'{text_of("announce")} === "The group\'s results are shown below."')
        top = await page.evaluate("document.getElementById('results').getBoundingClientRect().top")
        assert 0 <= top < 640  # scrolled into view, not left below the fold
        assert (
            await page.evaluate("document.getElementById('announce').getAttribute('aria-live')") == "polite"
        )


async def test_a_second_tab_follows_the_answer_given_in_the_first(served, tmp_path: Path) -> None:
    session, url, _ = served
    poll = step_of(session, "poll", "single")
    session.jump(poll.id)
    checked = "[...document.querySelectorAll('input[name=choice]')].findIndex(i => i.checked)"
    async with Browser(tmp_path / "profile") as first:
        await first.goto(url)
        await first.wait_for(visible("answer-form"))
        second = await first.browser.open_tab()
        await second.goto(url)
        await second.wait_for(visible("answer-form"))
        for option in (1, 0):
            await first.evaluate(f"document.querySelectorAll('input[name=choice]')[{option}].click()")
            await first.evaluate("document.getElementById('send').click()")
            await first.wait_for(f"{text_of('status')}.startsWith('Saved')")
            await second.wait_for(f"{checked} === {option}")
            assert (await second.evaluate(text_of("status"))).startswith("Saved")
    assert session.joined == 1


async def test_the_phone_follows_the_room_in_words_and_never_shows_notes(served, tmp_path: Path) -> None:
    session, url, _ = served
    steps = {kind: step_of(session, kind) for kind in ("content", "activity", "break", "closing")}
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        session.jump(steps["content"].id)
        await page.wait_for(f"{text_of('follow-body')}.includes('Every question can be passed')")
        session.jump(steps["activity"].id)
        activity = steps["activity"]
        await page.wait_for(f"{text_of('follow-phases')}.includes({activity.phases[0].title!r})")
        now = await page.wait_for(text_of("follow-now"))
        assert now.startswith(f"Now: {activity.phases[0].title}")
        assert await page.evaluate("document.querySelector('#follow-phases li.current') !== null")
        session.jump(steps["break"].id)
        assert (await page.wait_for(text_of("follow-back"))).startswith("Back at ")
        session.jump(steps["closing"].id)
        await page.wait_for(visible("help"))
        links = await page.evaluate("[...document.querySelectorAll('#help a')].map(a => a.href)")
        assert "tel:988" in links and any(link.startswith("https://") for link in links)
        assert await page.evaluate(visible("takeaway"))
        words = await page.evaluate("document.body.innerText")
    for _, step in session.workshop.steps():
        for line in (step.notes or "").splitlines():
            if len(line.strip()) > 20:
                assert line.strip() not in words


CONTRAST = """(() => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const page = getComputedStyle(document.body).backgroundColor;
  const box = document.querySelector('textarea');
  box.focus();
  const style = getComputedStyle(box);
  return {border: ratio(style.borderTopColor, page), focus: ratio(style.outlineColor, page),
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
})()"""


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
async def test_field_borders_and_the_focus_ring_reach_three_to_one(
    served, tmp_path: Path, dark: bool
) -> None:
    """WCAG 1.4.11 (non-text contrast), which axe-core does not check: text-field borders and the focus
    indicator against the page, in light and dark."""
    session, url, _ = served
    session.jump(step_of(session, "reflection").id)
    async with Browser(tmp_path / "profile", dark=dark) as page:
        await page.goto(url)
        await page.wait_for("!!document.querySelector('textarea')")
        await page.send("Input.dispatchKeyEvent", type="keyDown", key="Tab")  # keyboard focus: focus-visible
        measured = await page.evaluate(CONTRAST)
    assert measured["border"] >= 3.0, measured
    assert measured["focus"] >= 3.0 and measured["outline"] != "none" and measured["width"] >= 2, measured
