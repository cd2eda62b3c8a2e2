"""Takeaway downloads kept in bounds, and the tests that catch issue 12's planted bugs (a route without the
secret check, a hash of the user agent stored), against the running phone server over a real port."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import COOKIE, create_app
from facilitate.session.session import Session
from tests.server.attack_kit import answer, join, new_session, step_of


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return new_session(tmp_path)


@pytest.fixture
async def client(session: Session) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(create_app(session))) as client:
        yield client


# --- takeaways: one at a time per device, a bounded queue, none without a device ------------------------
async def test_takeaway_renderings_are_bounded(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: 400 downloads at once, without cookies, were all rendered."""
    import asyncio
    from contextlib import AsyncExitStack

    import aiohttp

    from facilitate.server.takeaways import TakeawayQueue, TakeawayRenderer

    release = asyncio.Event()
    drawn: list[str | None] = []

    async def slow_render(self, session, token, paper="phone"):  # stands in for the worker processes
        drawn.append(token)
        await release.wait()
        return b"%PDF-1.4 stand-in"

    monkeypatch.setattr(TakeawayRenderer, "render", slow_render)
    limit = TakeawayQueue.MAX_WAITING
    async with TestServer(create_app(session)) as server, AsyncExitStack() as stack:
        page = server.make_url(f"/j/{session.join_secret}")
        pdf = server.make_url(f"/j/{session.join_secret}/takeaway.pdf")
        stranger = await stack.enter_async_context(aiohttp.ClientSession())
        refused = await stranger.get(pdf)
        assert refused.status == 403 and drawn == []
        phones = []
        for _ in range(limit + 1):
            phone = await stack.enter_async_context(
                aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
            )
            assert (await phone.get(page)).status == 200
            phones.append(phone)
        first = [asyncio.ensure_future(phone.get(pdf)) for phone in phones[:limit]]
        while len(drawn) < limit:
            await asyncio.sleep(0.01)
        again = await phones[0].get(pdf)  # the same device asks again while its own is being made
        assert again.status == 429 and "already being made" in (await again.json())["error"]
        over = await phones[-1].get(pdf)
        assert over.status == 503 and over.headers["Retry-After"] == "30"
        assert len(drawn) == limit
        release.set()
        assert [reply.status for reply in await asyncio.gather(*first)] == [200] * limit
        assert (await phones[-1].get(pdf)).status == 200  # room again


# --- the suite catches what it guards (issue 12 §11) ----------------------------------------------------
@pytest.mark.parametrize("path", ["api/events", "api/state", "takeaway.pdf", "app.js", ""])
async def test_every_route_checks_the_secret_even_with_a_real_cookie(
    client: TestClient, session: Session, path: str
) -> None:
    """A route without the secret check (the event stream, in a planted bug) would serve a script that
    guessed nothing: a wrong secret is a bare 404 even with a joined phone's cookie."""
    await join(client, session)
    token = next(iter(session._devices))
    for wrong in ("wrong", session.join_secret[:-1], session.join_secret.upper()):
        response = await client.get(f"/j/{wrong}/{path}".rstrip("/"), headers={"Cookie": f"{COOKIE}={token}"})
        assert response.status == 404, (wrong, path, response.status)
        assert session.join_secret not in await response.text()
    posted = await post_to(client, "wrong", answer("x", 1), token)
    assert posted == 404


async def post_to(client: TestClient, secret: str, data: bytes, token: str) -> int:
    headers = {"Content-Type": "application/json", "Cookie": f"{COOKIE}={token}"}
    return (await client.post(f"/j/{secret}/api/answer", data=data, headers=headers)).status


async def test_nothing_derived_from_the_user_agent_or_address_is_stored(
    session: Session, tmp_path: Path
) -> None:
    """A hash of the user agent (a planted bug) is as identifying as the user agent itself: no form of it,
    nor of the address, may reach any file. And two phones alike in every header still get tokens that
    have nothing in common."""
    import base64
    import hashlib

    import aiohttp

    agent = "Mozilla/5.0 (Linux; Android 14; Probe-42) Distinctive/9.9"
    headers = {"User-Agent": agent, "Accept-Language": "pt-BR,pt;q=0.9"}
    async with TestServer(create_app(session)) as server:
        tokens = []
        for _ in range(2):
            jar = aiohttp.CookieJar(unsafe=True)
            async with aiohttp.ClientSession(headers=headers, cookie_jar=jar) as phone:
                base = server.make_url(f"/j/{session.join_secret}")
                async with phone.get(base) as page:
                    assert page.status == 200
                    tokens.append(page.cookies[COOKIE].value)
                step = step_of(session, "reflection")
                async with phone.post(f"{base}/api/answer", json={"step": step, "answer": "mine"}) as reply:
                    assert reply.status == 200
    assert tokens[0] != tokens[1] and tokens[0][:8] != tokens[1][:8]
    session.close()
    needles: list[bytes] = []
    for secret in (agent, "127.0.0.1", "pt-BR,pt;q=0.9"):
        raw = secret.encode()
        needles.append(raw)
        for name in ("md5", "sha1", "sha224", "sha256", "sha512", "blake2b", "blake2s"):
            digest = hashlib.new(name, raw).digest()
            needles += [
                digest.hex().encode()[:16],
                digest.hex().upper().encode()[:16],
                base64.b64encode(digest)[:16],
                base64.urlsafe_b64encode(digest).rstrip(b"=")[:16],
                digest[:12],
            ]
    for file in tmp_path.rglob("*"):
        if file.is_file():
            blob = file.read_bytes()
            for needle in needles:
                assert needle not in blob, f"{needle!r} (from a request header) found in {file}"
