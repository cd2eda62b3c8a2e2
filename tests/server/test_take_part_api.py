"""Questions, votes, pauses, checked words, ranking and points over real HTTP against the running server."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text

JSON = {"Content-Type": "application/json"}


@pytest.fixture
def session(tmp_path: Path) -> Session:
    source = starter_text(Path("take-part.yaml")).replace("reveal_min: 5", "reveal_min: 0")
    return Session.start(
        parse_workshop(source),
        data_dir=tmp_path,
        clock=FakeClock(1000.0),
        source_text=source,
        source_path=None,
    )


@pytest.fixture
async def phones(session: Session) -> AsyncIterator[list[TestClient]]:
    clients = [TestClient(TestServer(create_app(session))) for _ in range(3)]
    for client in clients:
        await client.start_server()
        assert (await client.get(f"/j/{session.join_secret}")).status == 200
    yield clients
    for client in clients:
        await client.close()


def base(session: Session) -> str:
    return f"/j/{session.join_secret}"


async def post(client: TestClient, path: str, body: object) -> tuple[int, dict]:
    response = await client.post(path, data=json.dumps(body), headers=JSON)
    return response.status, await response.json()


async def state(client: TestClient, session: Session) -> dict:
    response = await client.get(f"{base(session)}/api/state")
    assert response.status == 200
    return await response.json()


async def test_a_question_reaches_phones_only_once_approved_and_takes_one_vote_per_phone(
    session: Session, phones: list[TestClient]
) -> None:
    status, _ = await post(
        phones[0], f"{base(session)}/api/questions", {"text": "<script>x</script> normal?"}
    )
    assert status == 200
    assert (await state(phones[1], session))["questions"] == {"enabled": True, "listed": []}
    [question] = session.waiting_questions()
    status, body = await post(phones[1], f"{base(session)}/api/questions/{question.id}/vote", {"vote": True})
    assert status == 404 and body["error"] == "There is no such question"  # not listed yet
    session.moderate_question(question.id, approved=True)
    for phone in phones[1:]:
        status, _ = await post(phone, f"{base(session)}/api/questions/{question.id}/vote", {"vote": True})
        assert status == 200
    await post(phones[1], f"{base(session)}/api/questions/{question.id}/vote", {"vote": True})
    seen = await state(phones[1], session)
    assert seen["questions"]["listed"] == [
        {"id": question.id, "text": "<script>x</script> normal?", "votes": 2, "answered": False}
    ]
    assert seen["voted"] == [question.id] and (await state(phones[0], session))["voted"] == []
    status, _ = await post(phones[1], f"{base(session)}/api/questions/{question.id}/vote", {"vote": False})
    assert status == 200 and (await state(phones[0], session))["questions"]["listed"][0]["votes"] == 1
    status, body = await post(phones[1], f"{base(session)}/api/questions/{question.id}/vote", {"vote": 1})
    assert status == 422


async def test_bad_question_requests_get_a_sentence(session: Session, phones: list[TestClient]) -> None:
    status, body = await post(phones[0], f"{base(session)}/api/questions", {"text": "  "})
    assert status == 422 and body["error"] == "The question is empty: write something first"
    status, body = await post(phones[0], f"{base(session)}/api/questions", {"text": "x", "device": "me"})
    assert status == 400 and body["error"] == "Unknown field: device"
    status, _ = await post(phones[0], f"{base(session)}/api/questions", ["not", "an", "object"])
    assert status == 400
    response = await phones[0].post(
        f"{base(session)}/api/questions",
        data=json.dumps({"text": "hi"}),
        headers={**JSON, "Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status == 403
    stranger = TestClient(TestServer(create_app(session)))
    await stranger.start_server()
    status, body = await post(stranger, f"{base(session)}/api/questions", {"text": "no cookie"})
    assert status == 400
    assert (await stranger.post("/j/wrong-secret/api/questions", json={"text": "x"})).status == 404
    await stranger.close()
    assert session.waiting_questions() == []


async def test_questions_off_in_the_workshop_are_refused(tmp_path: Path) -> None:
    source = starter_text(Path("quiet.yaml")).replace("questions: true", "questions: false")
    session = Session.start(
        parse_workshop(source), data_dir=tmp_path, clock=FakeClock(), source_text=source, source_path=None
    )
    async with TestClient(TestServer(create_app(session))) as phone:
        await phone.get(base(session))
        assert (await state(phone, session))["questions"] == {"enabled": False, "listed": []}
        status, _ = await post(phone, f"{base(session)}/api/questions", {"text": "Anyone?"})
        assert status == 404


async def test_a_pause_request_is_only_a_count(session: Session, phones: list[TestClient]) -> None:
    before = await state(phones[1], session)
    response = await phones[0].post(f"{base(session)}/api/pause")  # no body needed
    assert response.status == 200
    assert await response.json() == {"ok": True, "counted": True, "again_in": 180}
    again = await (await phones[0].post(f"{base(session)}/api/pause", json={})).json()
    assert again["counted"] is False and 0 < again["again_in"] <= 180
    assert session.recent_pauses() == 1
    assert await state(phones[1], session) == before  # nothing of it reaches a phone
    status, _ = await post(phones[0], f"{base(session)}/api/pause", {"why": "tired"})
    assert status == 400


async def test_ranking_and_points_answers_are_checked_with_a_sentence(
    session: Session, phones: list[TestClient]
) -> None:
    answer = f"{base(session)}/api/answer"
    session.jump("what-first")
    shape = await state(phones[0], session)
    assert shape["poll"]["type"] == "ranking" and len(shape["poll"]["options"]) == 3
    for value, sentence in (
        ([0, 1], "Put all 3 options in order: this answer lists 2"),
        ([0, 1, 1], "An option is in the order twice: each option goes in once"),
        ([0, 1, 2, 0], "Put all 3 options in order: this answer lists 4"),
    ):
        status, body = await post(phones[0], answer, {"step": "what-first", "answer": value})
        assert (status, body["error"]) == (422, sentence)
    for phone, order in zip(phones, ([2, 0, 1], [2, 1, 0], [0, 2, 1]), strict=True):
        assert (await post(phone, answer, {"step": "what-first", "answer": order}))[0] == 200
    session.toggle_reveal("what-first")
    results = (await state(phones[0], session))["results"]
    assert results["counts"] == [1, 0, 2] and results["average_rank"] == [2.0, 2.67, 1.33]
    session.jump("where-energy")
    assert (await state(phones[0], session))["poll"]["points"] == 100
    for value, sentence in (
        ([50, 40, 0], "The points add up to 90: spread exactly 100 (10 to go)"),
        ([50, 50, 50], "The points add up to 150: spread exactly 100 (50 too many)"),
        ([100, 0], "Give points to each of the 3 options (0 is fine): this answer has 2"),
        ([120, -20, 0], "Points are whole numbers from 0 up"),
    ):
        status, body = await post(phones[0], answer, {"step": "where-energy", "answer": value})
        assert (status, body["error"]) == (422, sentence)
    assert (await post(phones[0], answer, {"step": "where-energy", "answer": [60, 40, 0]}))[0] == 200


async def test_a_hidden_or_unchecked_word_never_reaches_a_phone(
    session: Session, phones: list[TestClient]
) -> None:
    session.jump("in-the-way")
    answer = f"{base(session)}/api/answer"
    for phone, words in zip(phones, (["hope", "Alex Doe"], ["hope"], ["late"]), strict=True):
        assert (await post(phone, answer, {"step": "in-the-way", "answer": words}))[0] == 200
    session.check_words("in-the-way", ["hope"], shown=True)
    session.check_words("in-the-way", ["alex doe"], shown=False)
    session.toggle_reveal("in-the-way")
    for phone in phones:
        seen = await state(phone, session)
        del seen["mine"]  # a phone's own answer is shown to that phone only
        assert "Alex Doe" not in json.dumps(seen) and "late" not in json.dumps(seen)
    assert (await state(phones[0], session))["results"]["words"] == [["hope", 2]]
    assert (await state(phones[0], session))["mine"] == [
        "hope",
        "Alex Doe",
    ]  # a phone's own answer, to itself


async def test_the_cookie_is_the_only_thing_that_ties_a_vote_to_a_phone(session: Session, phones) -> None:
    await post(phones[0], f"{base(session)}/api/questions", {"text": "Why?"})
    [question] = session.waiting_questions()
    session.moderate_question(question.id, approved=True)
    await post(phones[1], f"{base(session)}/api/questions/{question.id}/vote", {"vote": True})
    token = phones[1].session.cookie_jar.filter_cookies(phones[1].make_url("/j/x")).get(COOKIE)
    journal_text = " ".join(json.dumps(dict(event.payload)) for event in session.journal.events())
    assert token is None or token.value not in journal_text
