"""Anonymous means anonymous: a demo session with a room of simulated phones and a load client sending
distinctive user agents and forwarding headers; afterwards nothing of them (nor an IP address) is in any
file of the data directory or in what the app wrote to the terminal."""

from __future__ import annotations

import asyncio
import os
import random
import re
import socket
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.test_crash_loop import journal_file, read_meta, wait_for_server
from tests.test_crash_resume import Terminal, journal_row
from tests.waiting import until

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
AGENT = "PrivacyProbe/7.7 (Distinctive; Phone 42)"
FORWARDED = "203.0.113.199"
REAL_IP = "198.51.100.23"
IPV4 = re.compile(rb"\b(?:\d{1,3}\.){3}\d{1,3}\b")


def exited(pid: int) -> bool:
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_no_user_agent_header_or_ip_address_is_kept(tmp_path: Path) -> None:
    port = free_port()
    loop = asyncio.get_running_loop()
    terminal = Terminal(
        "run", "check-in", "--demo-room", "12", "--speed", "20", "--port", str(port), "--host", "127.0.0.1",
        data_dir=tmp_path,
    )  # fmt: skip

    def drain() -> None:
        try:
            terminal.seen += os.read(terminal.fd, 65536)
        except OSError:
            loop.remove_reader(terminal.fd)

    loop.add_reader(terminal.fd, drain)
    try:
        await until(None, lambda: list((tmp_path / "sessions").glob("*.sqlite")), timeout=20)
        path = journal_file(tmp_path)
        base = f"http://127.0.0.1:{port}/j/{read_meta(path)}"
        await wait_for_server(base)
        headers = {
            "User-Agent": AGENT,
            "X-Forwarded-For": FORWARDED,
            "X-Real-IP": REAL_IP,
            "Forwarded": f"for={FORWARDED}",
            "Referer": "http://tracker.example/profile?id=42",
        }
        rng = random.Random(7)
        saved = 0
        for slide in range(1, 6):  # through the first polls, answering each
            terminal.press("\x1b[C")
            await until(
                None, lambda slide=slide: journal_row(path, "SELECT COUNT(*) FROM events") >= slide + 1
            )
            for _ in range(5):
                async with aiohttp.ClientSession(
                    headers=headers, cookie_jar=aiohttp.CookieJar(unsafe=True)
                ) as phone:
                    async with phone.get(base) as page:
                        await page.read()
                    async with phone.get(f"{base}/api/state") as reply:
                        state = await reply.json()
                    poll = state.get("poll")
                    if poll and poll["open"]:
                        value = {
                            "single": 0, "multiple": [0], "scale": rng.randint(0, 10), "words": ["probe"], "text": "probe",
                        }[poll["type"]]  # fmt: skip
                        async with phone.post(
                            f"{base}/api/answer", json={"step": poll["id"], "answer": value}
                        ) as r:
                            assert r.status in (200, 409), await r.text()
                            saved += r.status == 200
        assert saved >= 10, "the probe's answers never reached the journal: the test would prove nothing"
        terminal.press("q")
        await until(None, lambda: b"(y)" in terminal.seen)  # the dialog asks first
        terminal.press("y")
        await until(None, lambda: exited(terminal.pid), timeout=20)  # it quits and writes what it writes
    finally:
        loop.remove_reader(terminal.fd)
        terminal.kill()

    needles = [
        AGENT.encode(),
        b"PrivacyProbe",
        FORWARDED.encode(),
        REAL_IP.encode(),
        b"tracker.example",
        b"Python/",
    ]
    for file in tmp_path.rglob("*"):
        if file.is_file():
            blob = file.read_bytes()
            for needle in needles:
                assert needle not in blob, f"{needle!r} found in {file}"
            assert not IPV4.search(blob.replace(b"0.0.0.0", b"")), f"an IP address in {file}"
    for needle in needles:
        assert needle not in terminal.seen, f"{needle!r} was written to the terminal"
    assert FORWARDED.encode() not in terminal.seen and b"127.0.0.1" not in terminal.seen
