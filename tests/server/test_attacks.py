"""A participant with a laptop and a script, against the running phone server over a real port: each
attack from issue 12, and what the server does instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.session.session import Session
from tests.server.attack_kit import SECURITY_HEADERS, answer, join, new_session, post, step_of


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return new_session(tmp_path)


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


# --- hostile bodies -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [
        b"[" * 1000 + b"]" * 1000,
        b'{"step": "x", "answer": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"a":' * 900 + b"1" + b"}" * 900,
    ],
    ids=["array-1000", "answer-5000", "object-900"],
)
async def test_deeply_nested_json_is_a_4xx_with_the_security_headers(
    client: TestClient, session: Session, body: bytes
) -> None:
    await join(client, session)
    response = await post(client, session, body)
    assert 400 <= response.status < 500, await response.text()
    for header in SECURITY_HEADERS:
        assert header in response.headers
    assert "error" in await response.json()


async def test_an_unexpected_error_still_carries_the_security_headers(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    await join(client, session)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("facilitate.server.app.phone_state_async", broken)
    response = await client.get(f"/j/{session.join_secret}/api/state")
    assert response.status == 500 and "a bug" not in await response.text()
    for header in SECURITY_HEADERS:
        assert header in response.headers


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", ""]
)
async def test_answers_only_as_json(client: TestClient, session: Session, content_type: str) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    response = await post(client, session, answer(step, "sent as a form"), **{"Content-Type": content_type})
    assert response.status == 415
    assert session.private_answers(next(iter(session._devices))) == {}


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://127.0.0.1:9999"},  # the same address, another port: another origin
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "same-site"},
        {"Sec-Fetch-Site": "cross-site"},
    ],
)
async def test_a_cross_site_write_is_refused(client: TestClient, session: Session, headers: dict) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    response = await post(client, session, answer(step, "planted by another page"), **headers)
    assert response.status == 403
    assert session.private_answers(next(iter(session._devices))) == {}


async def test_the_pages_own_origin_is_accepted(client: TestClient, session: Session) -> None:
    await join(client, session)
    step = step_of(session, "reflection")
    own = f"http://{client.server.host}:{client.server.port}"
    response = await post(
        client, session, answer(step, "mine"), Origin=own, **{"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status == 200


async def test_the_public_url_origin_is_accepted(session: Session) -> None:
    app = create_app(session, public_url="https://workshop.example.org/")
    async with TestClient(TestServer(app)) as client:
        await join(client, session)
        step = step_of(session, "reflection")
        ok = await post(client, session, answer(step, "mine"), Origin="https://workshop.example.org")
        assert ok.status == 200


# --- HEAD never joins -----------------------------------------------------------------------------------
async def test_head_never_joins(client: TestClient, session: Session) -> None:
    for _ in range(50):
        response = await client.head(f"/j/{session.join_secret}")
        assert response.status == 200 and COOKIE not in response.cookies
    assert session.joined == 0


# --- after the end --------------------------------------------------------------------------------------
async def test_after_the_end_nothing_private_comes_in(client: TestClient, session: Session) -> None:
    await join(client, session)
    reflection, plan = step_of(session, "reflection"), step_of(session, "plan")
    assert (await post(client, session, answer(reflection, "before the end"))).status == 200
    session.end()
    late = await post(client, session, answer(reflection, "after the end"))
    assert late.status == 409 and "ended" in (await late.json())["error"]
    late_plan = await post(client, session, answer(plan, {"if": "a", "then": "b"}))
    assert late_plan.status == 409
    token = next(iter(session._devices))
    assert session.private_answers(token) == {reflection: "before the end"}
    async with TestClient(TestServer(create_app(session))) as newcomer:
        refused = await newcomer.get(f"/j/{session.join_secret}")
        assert refused.status == 403 and COOKIE not in refused.cookies
        assert "has ended" in await refused.text() and "Content-Security-Policy" in refused.headers
    assert session.joined == 1
    again = await client.get(f"/j/{session.join_secret}")  # a phone that took part still gets its page
    assert again.status == 200


# --- answers without content ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "blank", ["\u3164", "\u115f\u3164", "\u2800\u2800", "\u200b\u200d", " \u3164\n\u2800 "]
)
async def test_invisible_answers_count_as_blank(client: TestClient, session: Session, blank: str) -> None:
    await join(client, session)
    text = step_of(session, "poll", "text")
    session.jump(text)
    response = await post(client, session, answer(text, blank))
    assert response.status == 422 and "empty" in (await response.json())["error"]
    assert session.results(text).current.answered == 0


async def test_line_breaks_in_a_written_answer_are_limited(client: TestClient, session: Session) -> None:
    await join(client, session)
    text = step_of(session, "poll", "text")
    session.jump(text)
    assert (await post(client, session, answer(text, "top" + "\n" * 300 + "bottom"))).status == 200
    assert (await post(client, session, answer(text, "\n".join("abcdefghij")))).status == 200
    assert session.moderation_queue(text)[-1].count("\n") <= 5
    queued = session.moderation_queue(text)
    assert queued[-1] == "a\nb\nc\nd\ne\nf g h i j"


# --- reveal rules that survive changes of mind ----------------------------------------------------------
async def test_one_phone_changing_its_answer_never_moves_a_revealed_chart(session: Session) -> None:
    """Issue 12: one real phone changing its own answer three times moved a revealed chart and exposed a
    third person's answer. The screen, every phone's copy and the takeaways stay as they were."""
    from facilitate.takeaway.collect import group_results

    scale = step_of(session, "poll", "scale")
    session.jump(scale)
    phones = [TestClient(TestServer(create_app(session))) for _ in range(5)]
    for phone in phones:
        await phone.start_server()
    try:
        for phone in phones:
            await join(phone, session)
        for phone in phones:
            assert (await post(phone, session, answer(scale, 5))).status == 200
        assert session.toggle_reveal(scale).ok
        watcher = phones[1]

        async def phone_copy() -> dict:
            return (await (await watcher.get(f"/j/{session.join_secret}/api/state")).json())["results"]

        shown, copy, takeaway = session.results(scale).shown, await phone_copy(), group_results(session)
        assert copy["answered"] == shown.answered
        for value in (0, 10, 3):  # and one phone changes its mind three times
            assert (await post(phones[0], session, answer(scale, value))).status == 200
        assert session.results(scale).shown == shown
        assert await phone_copy() == copy and group_results(session) == takeaway
    finally:
        for phone in phones:
            await phone.close()
