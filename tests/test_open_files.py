"""A laptop with a low limit on open files (`ulimit -n 256`, macOS's default): `facilitate run` in a
terminal, 300 phones join, hold their event stream and answer. With room to raise the limit, all 300 are
in; when the hard limit is 256 too, the phones beyond what fits are told so in a sentence, the facilitator
is told, and every phone already in keeps working: it follows the steps and every answer it was told was
saved is in the journal."""

from __future__ import annotations

import asyncio
import os
import pty
import re
import resource
import select
import signal
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import aiohttp
import pytest

from facilitate.session.slides import build_slides
from facilitate.workshop.registry import open_workshop
from tests.test_crash_loop import free_port, journal_file, read_meta, wait_for_server

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
PHONES = 300
_ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]")


class LimitedTerminal:
    """`facilitate run` in a pseudo-terminal, started as if after `ulimit -n` (soft and hard)."""

    def __init__(self, *args: str, data_dir: Path, soft: int, hard: int) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "30"}
        env["FACILITATE_DATA_DIR"] = str(data_dir)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
            os.execvpe(sys.executable, [sys.executable, "-m", "facilitate", *args], env)
        self.seen = b""

    def pump(self) -> None:
        while select.select([self.fd], [], [], 0)[0]:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk

    def screen_text(self) -> bytes:
        self.pump()
        return _ANSI.sub(b"", self.seen).replace(b" ", b"")

    async def wait_for(self, text: str, timeout: float = 30.0) -> None:
        wanted = text.replace(" ", "").encode()
        deadline = time.monotonic() + timeout
        while wanted not in self.screen_text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; screen ended {self.screen_text()[-600:]!r}")
            await asyncio.sleep(0.05)

    def press(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def kill(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


class Phone:
    """One phone with its own connections (a real phone shares none with its neighbours)."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookie: str | None = None
        self.refusal: str | None = None
        self.steps: list[str | None] = []
        self.saved: list[int] = []
        self.client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, force_close=True),
            cookie_jar=aiohttp.DummyCookieJar(),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
        )
        self.stream: asyncio.Task[None] | None = None

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"facilitate_device={self.cookie}"}

    async def join(self) -> None:
        async with self.client.get(self.base) as page:
            body = await page.text()
            if page.status == 200:
                self.cookie = page.cookies["facilitate_device"].value
                return
            assert page.status == 503, (page.status, body[:300])
            self.refusal = body

    async def follow(self) -> None:
        async with self.client.get(f"{self.base}/api/events", headers=self.headers()) as stream:
            assert stream.status == 200, await stream.text()
            async for line in stream.content:
                if line.startswith(b"data: "):
                    import json

                    self.steps.append((json.loads(line[6:]).get("step") or {}).get("id"))

    async def answer(self, step: str, value: int) -> None:
        async with self.client.post(
            f"{self.base}/api/answer", json={"step": step, "answer": value}, headers=self.headers()
        ) as reply:
            assert reply.status == 200, await reply.text()
            self.saved.append(value)

    async def close(self) -> None:
        if self.stream is not None:
            self.stream.cancel()
            await asyncio.gather(self.stream, return_exceptions=True)
        await self.client.close()


async def until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout} s")
        await asyncio.sleep(0.05)


@pytest.mark.parametrize(("hard", "all_in"), [(4096, True), (256, False)], ids=["raised", "hard-256"])
async def test_300_phones_under_ulimit_256(tmp_path: Path, hard: int, all_in: bool) -> None:
    soft_here, hard_here = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard_here != resource.RLIM_INFINITY and hard_here < 4 * PHONES + 100:
        pytest.skip(
            f"the test's own phones need about {4 * PHONES} open files; the hard limit is {hard_here}"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft_here, min(hard_here, 4 * PHONES + 100)), hard_here))
    workshop = open_workshop("check-in").workshop
    slides = build_slides(workshop)
    target = next(
        i
        for i, slide in enumerate(slides)
        if slide.step_id
        and workshop.step_by_id(slide.step_id).kind == "poll"
        and workshop.step_by_id(slide.step_id).type == "scale"
    )
    poll = slides[target].step_id
    port = free_port()
    app = LimitedTerminal(
        "run", "check-in", "--host", "127.0.0.1", "--port", str(port), data_dir=tmp_path, soft=256, hard=hard
    )
    phones: list[Phone] = []
    try:
        await app.wait_for(workshop.summary[:20])  # the title slide (the title alone shows while it opens)
        path = journal_file(tmp_path)
        base = f"http://127.0.0.1:{port}/j/{read_meta(path)}"
        await wait_for_server(base)
        phones = [Phone(base) for _ in range(PHONES)]
        for start in range(0, PHONES, 50):  # a room arrives in waves as people scan the code
            wave = phones[start : start + 50]
            await asyncio.gather(*(phone.join() for phone in wave))
            for phone in wave:
                if phone.cookie is not None:
                    phone.stream = asyncio.create_task(phone.follow())
            await until(lambda wave=wave: all(p.steps for p in wave if p.cookie), 30, "every first state")
        joined = [phone for phone in phones if phone.cookie is not None]
        refused = [phone for phone in phones if phone.cookie is None]
        if all_in:
            assert not refused, refused[0].refusal
        else:
            assert 50 <= len(joined) < PHONES
            assert all("room for" in phone.refusal for phone in refused)
            await app.wait_for("could not join")  # the facilitator is told
        for _ in range(target):
            app.press(" ")
            await asyncio.sleep(0.05)
        await until(lambda: all(poll in phone.steps for phone in joined), 30, "the poll reaching every phone")
        await asyncio.gather(*(phone.answer(poll, index % 11) for index, phone in enumerate(joined)))
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
            devices = conn.execute("SELECT COUNT(*) FROM devices").fetchone()[0]
            answers = conn.execute("SELECT COUNT(*) FROM submissions WHERE step_id = ?", (poll,)).fetchone()[
                0
            ]
        assert devices == len(joined)
        assert answers == sum(len(phone.saved) for phone in joined) == len(joined)
        assert all(phone.stream is not None and not phone.stream.done() for phone in joined)  # still in
    finally:
        await asyncio.gather(*(phone.close() for phone in phones))
        app.kill()
