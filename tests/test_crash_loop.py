"""Crash loop: while simulated phones answer, `kill -9` the real app at a random moment, `--resume`, and
check that every answer a phone saw acknowledged is in the journal, the step is the same, and the phones
carry on by themselves.

The issue asks for 20 crashes under 300 phones; that is the soak form
(`FACILITATE_CRASH_CYCLES=20 FACILITATE_CRASH_PHONES=300 pytest -m slow`). By default (and in CI) the same
test runs in a shortened form: 3 crashes, 40 phones.
"""

from __future__ import annotations

import asyncio
import os
import random
import socket
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

import aiohttp
import pytest

from tests.test_crash_resume import Terminal

CYCLES = int(os.environ.get("FACILITATE_CRASH_CYCLES", "3"))
PHONES = int(os.environ.get("FACILITATE_CRASH_PHONES", "40"))
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def journal_file(data_dir: Path) -> Path:
    files = list((data_dir / "sessions").glob("*.sqlite"))
    assert len(files) == 1, files
    return files[0]


def read_meta(path: Path, wait: float = 10.0) -> str:
    """The session's join secret, once the app has written it: the file appears a moment before its
    details do (the app creates it, then fills it in one transaction)."""
    deadline = time.monotonic() + wait
    while True:
        try:
            with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
                row = conn.execute("SELECT join_secret FROM meta").fetchone()
        except sqlite3.OperationalError:  # no tables yet
            row = None
        if row is not None:
            return row[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} has no session details after {wait} s")
        time.sleep(0.05)


def stored_answers(path: Path, step: str) -> set[tuple[str, int | None]]:
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT device, value FROM submissions WHERE step_id = ?", (step,)).fetchall()
    return {(device, None if value is None else int(value)) for device, value in rows}


class Phone:
    def __init__(self, client: aiohttp.ClientSession, base: str, rng: random.Random) -> None:
        self.client, self.base, self.rng = client, base, rng
        self.cookie: str | None = None
        self.acknowledged: list[int] = []
        self.reconnects = 0
        self.states: list[str] = []

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"facilitate_device={self.cookie}"} if self.cookie else {}

    async def run(self, step: str, stop: asyncio.Event) -> None:
        while self.cookie is None and not stop.is_set():
            try:
                async with self.client.get(self.base) as page:
                    await page.read()
                    if "facilitate_device" in page.cookies:
                        self.cookie = page.cookies["facilitate_device"].value
            except aiohttp.ClientError:
                await asyncio.sleep(0.1)
        listener = asyncio.create_task(self.follow(stop))
        value = self.rng.randint(0, 5)
        while not stop.is_set():
            value = (value + 1) % 11
            try:
                async with self.client.post(
                    f"{self.base}/api/answer", json={"step": step, "answer": value}, headers=self.headers()
                ) as reply:
                    await reply.read()
                    if reply.status == 200:
                        self.acknowledged.append(value)
            except aiohttp.ClientError:
                pass  # the app is down: like a phone, try again in a moment
            await asyncio.sleep(self.rng.uniform(0.25, 0.6))
        listener.cancel()

    async def follow(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                async with self.client.get(f"{self.base}/api/events", headers=self.headers()) as stream:
                    async for line in stream.content:
                        if line.startswith(b"data: "):
                            self.states.append(line.decode())
            except aiohttp.ClientError:
                pass
            self.reconnects += 1
            await asyncio.sleep(0.2)


async def wait_for_server(base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as probe:
        while time.monotonic() < deadline:
            try:
                async with probe.get(f"{base}/api/state") as reply:
                    if reply.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)
    raise AssertionError("the phone server never came up")


async def test_kill_9_under_load_loses_no_acknowledged_answer(tmp_path: Path) -> None:
    rng = random.Random(20261125)
    port = free_port()
    args = ["--port", str(port), "--host", "127.0.0.1"]
    loop = asyncio.get_running_loop()

    def start(*extra: str) -> Terminal:
        terminal = Terminal("run", "check-in", *extra, *args, data_dir=tmp_path)
        loop.add_reader(terminal.fd, drain, terminal)  # keep reading the screen so the app never blocks
        return terminal

    def drain(terminal: Terminal) -> None:
        try:
            terminal.seen = (terminal.seen + os.read(terminal.fd, 65536))[-200_000:]
        except OSError:
            loop.remove_reader(terminal.fd)

    terminal = start()
    await asyncio.sleep(0.5)
    for _ in range(60):
        if list((tmp_path / "sessions").glob("*.sqlite")):
            break
        await asyncio.sleep(0.1)
    path = journal_file(tmp_path)
    base = f"http://127.0.0.1:{port}/j/{read_meta(path)}"
    await wait_for_server(base)
    for _ in range(2):  # title → welcome → the first poll (a scale)
        terminal.press("\x1b[C")
        await asyncio.sleep(0.3)
    step = "energy-before"

    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as client:
        phones = [Phone(client, base, random.Random(rng.random())) for _ in range(PHONES)]
        tasks = [asyncio.create_task(phone.run(step, stop)) for phone in phones]
        try:
            for _cycle in range(CYCLES):
                await asyncio.sleep(rng.uniform(0.8, 2.5))
                loop.remove_reader(terminal.fd)
                terminal.kill()
                await asyncio.sleep(rng.uniform(0.0, 0.5))
                terminal = start("--resume")
                await wait_for_server(base)
            await asyncio.sleep(1.5)  # the phones carry on after the last resume
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)
            loop.remove_reader(terminal.fd)
            terminal.kill()

    stored = stored_answers(path, step)
    missing = [
        (phone.cookie, value)
        for phone in phones
        for value in phone.acknowledged
        if (phone.cookie, value) not in stored
    ]
    assert not missing, f"{len(missing)} acknowledged answers are not in the journal: {missing[:5]}"
    assert all(phone.cookie for phone in phones)
    assert sum(len(phone.acknowledged) for phone in phones) > PHONES  # they kept answering across crashes
    answered_after_last_resume = sum(1 for phone in phones if phone.reconnects >= CYCLES)
    assert answered_after_last_resume >= PHONES * 0.9, "phones did not reconnect by themselves"
    assert all(f'"id": "{step}"' in phone.states[-1] for phone in phones if phone.states)  # the same step
