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
        assert "closed" in await page.evaluate("document.getElementById('closed-note').textContent")


def text_of(element_id: str) -> str:
    return f"document.getElementById({element_id!r}).textContent"


def visible(element_id: str) -> str:
    return f"!document.getElementById({element_id!r}).hidden"


async def test_long_words_and_links_wrap_on_a_narrow_phone(served, tmp_path: Path) -> None:
    """One participant's 30-letter word, or an approved answer with a long link, made the page wider
    than the phone (616 px, 1056 px at 320), so the whole view zoomed out."""
    session, url = served
    words = step_of(session, "poll", "words")
    text = step_of(session, "poll", "text")
    long_answer = "Read https://example.org/" + "a" * 120 + "/page?x=1\nthen <b>rest</b>"
    session.jump(words.id)
    for index in range(3):
        session.submit(session.join(), words.id, ["W" * 30, f"calm{index}"])
    assert session.check_words(words.id, ["W" * 30, "calm0", "calm1", "calm2"], shown=True).ok
    assert session.toggle_reveal(words.id).ok
    async with Browser(tmp_path / "profile", width=320) as page:
        await page.goto(url)
        await page.wait_for(visible("results"))
        assert "W" * 30 in await page.evaluate(text_of("results-list"))
        assert await page.evaluate("document.documentElement.scrollWidth") <= 320
        session.jump(text.id)
        await page.wait_for(f"document.getElementById('step-title').textContent === {text.title!r}")
        label = await page.evaluate("document.querySelector('#fields label').textContent")
        assert "big screen" in label and "without your name" in label
        for index in range(3):
            session.submit(session.join(), text.id, long_answer if index == 0 else f"Tea {index}")
        assert session.toggle_reveal(text.id).ok
        assert session.moderate(text.id, long_answer, approved=True).ok
        await page.wait_for("!!document.querySelector('#results .text-answer')")
        answer = await page.evaluate("document.querySelector('#results .text-answer').textContent")
        assert answer == long_answer  # as text: the participant's line break kept, no HTML made
        assert not await page.evaluate("document.querySelector('#results b')")
        assert await page.evaluate(
            "getComputedStyle(document.querySelector('#results .text-answer')).whiteSpace"
        ) in ("pre-wrap", "break-spaces", "pre-line")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 320


async def test_percentages_are_of_the_people_who_answered(served, tmp_path: Path) -> None:
    from facilitate.session.answers import percent

    session, url = served
    poll = step_of(session, "poll", "multiple")
    session.jump(poll.id)
    # 9 phones: 8 answer (one picks two options, two others pick two), one passes
    choices = [[0, 1], [1, 2], [1, 2], [1, 2], [1], [1], [1], [1], None]
    for choice in choices:
        session.submit(session.join(), poll.id, choice)
    assert session.toggle_reveal(poll.id).ok
    shown = session.results(poll.id).shown
    assert shown is not None and shown.answered == 8 and shown.counts[:3] == (1, 8, 3)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("results"))
        counts = await page.evaluate(
            "[...document.querySelectorAll('#results-list .count')].map(c => c.textContent)"
        )
        expected = [f"{count} ({percent(count, shown.answered)}%)" for count in shown.counts]
        assert counts == expected
        assert counts[:3] == ["1 (13%)", "8 (100%)", "3 (38%)"]  # 12.5 rounds up, as on the screen
        note = await page.evaluate(text_of("results-more"))
        assert note == "People could choose more than one, so the percentages add up to more than 100."
        widths = await page.evaluate(
            "[...document.querySelectorAll('#results-list li')].map(li => "
            "[li.querySelector('.bar').getBoundingClientRect().width, li.getBoundingClientRect().width])"
        )
        assert all(bar <= row + 0.5 for bar, row in widths)
        assert abs(widths[1][0] - widths[1][1]) < 1  # everyone chose it: the full width, no more


async def test_a_modules_content_note_slide_shows_the_module_and_its_note(served, tmp_path: Path) -> None:
    session, url = served
    module = next(m for m in session.workshop.modules if m.content_note)
    session.jump(module.steps[0].id)
    session.back()  # the gentle card before the module
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(f"{text_of('step-title')} === {module.title!r}")
        assert await page.evaluate(text_of("step-note")) == module.content_note
        assert await page.evaluate(visible("step-note"))
        assert await page.evaluate(text_of("step-text")) == "Look at the screen."
        reflection = step_of(session, "reflection")
        session.jump(reflection.id)
        await page.wait_for(f"{text_of('step-title')} === {reflection.title!r}")
        assert not await page.evaluate(visible("step-note"))  # this step has no note of its own


async def test_a_half_filled_plan_says_what_is_missing(served, tmp_path: Path) -> None:
    session, url = served
    plan = step_of(session, "plan")
    session.jump(plan.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        await page.evaluate("document.getElementById('plan-if').value = 'I get home'")
        await page.evaluate("document.getElementById('send').click()")
        assert await page.wait_for(text_of("status")) == "Fill in both parts, or pass."
        assert await page.evaluate("document.activeElement.id") == "plan-then"
        # the workshop's examples, as inspiration before Send (read before sending, not after)
        examples = await page.evaluate(
            "[...document.querySelectorAll('#examples li')].map(li => li.textContent)"
        )
        assert examples == list(plan.examples) and await page.evaluate(visible("examples"))
        assert await page.evaluate(
            "document.getElementById('examples').getBoundingClientRect().bottom"
            " <= document.getElementById('send').getBoundingClientRect().top"
        )
        # the plan's fields grow with what is written
        before = await page.evaluate("document.getElementById('plan-then').getBoundingClientRect().height")
        await page.evaluate(
            "const box = document.getElementById('plan-then'); box.focus();"
            "box.value = 'I will take one slow breath, then write down the smallest next step. '.repeat(3);"
            "box.dispatchEvent(new Event('input', {bubbles: true}))"
        )
        after = await page.evaluate("document.getElementById('plan-then').getBoundingClientRect().height")
        assert after > 2 * before
        await page.evaluate("document.getElementById('plan-then').value = 'I will rest'")
        await page.evaluate("document.getElementById('send').click()")
        await page.wait_for(f"{text_of('status')}.startsWith('Saved')")
    token = next(iter(session._devices))
    assert session.private_answers(token) == {plan.id: {"if": "I get home", "then": "I will rest"}}


async def test_a_reload_shows_what_this_phone_answered(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "single")
    reflection = step_of(session, "reflection")
    session.jump(poll.id)
    checked = "[...document.querySelectorAll('input[name=choice]')].map(i => i.checked)"
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        await page.evaluate("document.querySelectorAll('input[name=choice]')[2].click()")
        await page.evaluate("document.getElementById('send').click()")
        await page.wait_for(f"{text_of('status')}.startsWith('Saved')")
        await page.goto(url)  # a reload
        await page.wait_for(visible("answer-form"))
        assert await page.evaluate(checked) == [i == 2 for i in range(len(poll.options))]
        assert await page.evaluate(text_of("status")) == "Saved. You can change it while the poll is open."
        await page.evaluate("document.getElementById('pass').click()")
        await page.wait_for(f"{text_of('status')}.startsWith('Passed')")
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        assert not any(await page.evaluate(checked))
        assert (
            await page.evaluate(text_of("status"))
            == "You passed. You can still answer while the poll is open."
        )
        session.jump(reflection.id)
        await page.wait_for(f"{text_of('step-title')} === {reflection.title!r}")
        assert await page.evaluate(text_of("status")) == ""  # not answered yet: nothing to say
        await page.evaluate("document.getElementById('reflection').value = 'First line\\nsecond line'")
        await page.evaluate("document.getElementById('send').click()")
        await page.wait_for(f"{text_of('status')}.startsWith('Saved')")
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        assert await page.evaluate("document.getElementById('reflection').value") == "First line\nsecond line"
        assert (await page.evaluate(text_of("status"))).startswith("Saved")


async def test_the_privacy_notice_words_each_polls_threshold(tmp_path: Path) -> None:
    from tests.server.test_phone_state import small_workshop

    session = Session.start_loaded(
        open_workshop(str(small_workshop(tmp_path, 0))), data_dir=tmp_path / "data", clock=FakeClock()
    )
    server = await start_phone_server(session, host="127.0.0.1", port=free_port())
    url = f"http://127.0.0.1:{server.port}/j/{session.join_secret}"
    try:
        async with Browser(tmp_path / "profile") as page:
            await page.goto(url)
            await page.wait_for(f"{text_of('step-title')} === 'Welcome'")
            reveal = text_of("privacy-reveal")
            assert await page.evaluate(reveal) == "Results may be shown as answers come in."
            session.jump("usual")
            await page.wait_for(f"{text_of('step-title')} === 'Usual'")
            assert await page.evaluate(reveal) == "Results may be shown as answers come in."
            session.jump("own")  # this poll's own reveal_min: 4
            await page.wait_for(f"{text_of('step-title')} === 'Own threshold'")
            assert "at least 4 people have answered" in await page.evaluate(reveal)
    finally:
        await server.stop()


async def test_the_closing_step_says_until_when_private_answers_are_kept(served, tmp_path: Path) -> None:
    from datetime import datetime

    session, url = served
    session.jump(step_of(session, "closing").id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("takeaway"))
        assert not await page.evaluate(visible("retention"))  # not ended yet: no deadline to tell
        assert session.end().ok
        deadline = session.private_deadline
        assert deadline is not None
        at = datetime.fromtimestamp(deadline).strftime("%H:%M")
        await page.wait_for(visible("retention"))
        assert await page.evaluate(text_of("retention")) == (
            f"Your reflections and plan are kept for your takeaway until {at}, then deleted."
        )
        session.clock.advance(deadline - session.now() + 1)
        session.expire_private()
        await page.goto(url)
        await page.wait_for(f"{text_of('retention')}.includes('deleted')")
        said = await page.evaluate(text_of("retention"))
        assert "still holds the key ideas and the group's results" in said and said.endswith(".")


async def test_the_privacy_notice_folds_away_after_the_first_step(served, tmp_path: Path) -> None:
    """Shown in full at the first visit; after a step change it folds to one line, so Send and Pass stay
    in sight at 360×740; it can always be opened again, and stays folded after a reload."""
    session, url = served
    poll = step_of(session, "poll", "multiple")
    is_open = "document.getElementById('privacy').open"
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(f"{text_of('step-title')} === 'Welcome'")
        assert await page.evaluate(is_open)
        assert "No name is asked" in await page.evaluate(text_of("privacy"))
        session.jump(poll.id)
        await page.wait_for(visible("answer-form"))
        assert not await page.evaluate(is_open)
        for button in ("send", "pass"):
            bottom = await page.evaluate(
                f"document.getElementById({button!r}).getBoundingClientRect().bottom"
            )
            assert bottom <= 740, f"{button} is below the fold at {bottom}"
        summary = await page.evaluate("document.querySelector('#privacy summary').textContent")
        assert summary.startswith("Before you start")
        await page.evaluate("document.querySelector('#privacy summary').click()")
        assert await page.evaluate(is_open)  # opens again on a tap
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        assert not await page.evaluate(is_open)  # seen in this tab already


async def test_a_closed_poll_disables_its_options_and_says_so_at_the_top(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "single")
    session.jump(poll.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        await page.evaluate("document.querySelectorAll('input[name=choice]')[0].click()")
        await page.evaluate("document.getElementById('send').click()")
        await page.wait_for(f"{text_of('status')}.startsWith('Saved')")
        near = await page.evaluate(
            "document.getElementById('status').getBoundingClientRect().top"
            " - document.getElementById('send').getBoundingClientRect().bottom"
        )
        assert near < 120  # "Saved" shows by the Send button, not far below it
        session.toggle_poll_open()
        await page.wait_for(visible("closed-note"))
        assert await page.evaluate(text_of("closed-note")) == "This poll is closed for now."
        assert await page.evaluate(
            "[...document.querySelectorAll('input[name=choice]')].every(i => i.matches(':disabled'))"
        )
        assert await page.evaluate(
            "document.getElementById('closed-note').getBoundingClientRect().bottom"
            " <= document.querySelector('#fields label').getBoundingClientRect().top"
        )
        assert (
            await page.evaluate("document.getElementById('closed-note').getBoundingClientRect().bottom") < 740
        )
        session.toggle_poll_open()
        await page.wait_for("!document.querySelector('input[name=choice]').matches(':disabled')")
        assert not await page.evaluate(visible("closed-note"))


async def test_ticking_more_than_max_choices_stops_at_the_limit(served, tmp_path: Path) -> None:
    session, url = served
    poll = step_of(session, "poll", "multiple")
    limit = poll.choice_limit()
    session.jump(poll.id)
    async with Browser(tmp_path / "profile") as page:
        await page.goto(url)
        await page.wait_for(visible("answer-form"))
        assert await page.evaluate(text_of("form-hint")) == f"Choose up to {limit}."
        for index in range(limit + 1):
            await page.evaluate(f"document.querySelectorAll('input[name=choice]')[{index}].click()")
        ticked = await page.evaluate(
            "[...document.querySelectorAll('input[name=choice]')].map(i => i.checked)"
        )
        assert sum(ticked) == limit and not ticked[limit]
        message = await page.evaluate(text_of("form-hint"))
        assert message == f"You can choose up to {limit}. Untick one to choose another."
        await page.evaluate("document.querySelectorAll('input[name=choice]')[0].click()")  # untick one
        assert await page.evaluate(text_of("form-hint")) == f"Choose up to {limit}."
        await page.evaluate("document.getElementById('send').click()")
        status = await page.wait_for(text_of("status"))
        assert status == "Saved. You can change it while the poll is open."
        # the server's own refusals are shown as sentences too
        words = step_of(session, "poll", "words")
        session.jump(words.id)
        await page.wait_for("!!document.getElementById('word1')")
        await page.evaluate("document.getElementById('word1').value = 'x'.repeat(31)")  # past maxlength
        await page.evaluate("document.getElementById('send').click()")
        refused = await page.wait_for(text_of("status"))
        assert "30" in refused and refused.endswith(".") and not refused.endswith("..")
    assert session.results(poll.id).current.counts[: limit + 1] == (0,) + (1,) * (limit - 1) + (0,)


@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_message_the_page_shows_is_a_sentence(locale: str) -> None:
    """Every whole sentence the page shows ends with a full stop (titles, buttons and field labels are
    not sentences), in every language."""
    from facilitate.server.app import page_messages

    labels = {
        "page.download", "page.examples", "page.pass", "page.privacy.short", "page.privacy.title",
        "page.reflection_label", "page.results.title", "page.send", "page.welcome", "page.word",
        "page.word_optional", "page.connecting", "page.follow.title", "page.help.elsewhere", "page.help.title",
        "page.print",
        # take-part.js: buttons, titles, labels and result lines
        "page.pause.button", "page.pause.title", "page.points.less_label", "page.points.more_label",
        "page.points.result", "page.questions.answered", "page.questions.label", "page.questions.listed",
        "page.questions.send", "page.questions.title", "page.questions.upvote", "page.questions.upvoted",
        "page.questions.votes_one", "page.questions.votes_other", "page.ranking.down", "page.ranking.down_label",
        "page.ranking.result", "page.ranking.up", "page.ranking.up_label",
    }  # fmt: skip
    messages = {key: text for key, text in page_messages(locale).items() if key not in labels}
    assert len(messages) >= 15
    for key, message in messages.items():
        assert message.endswith("."), (key, message)
