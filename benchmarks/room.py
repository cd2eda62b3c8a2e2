"""Room views: how long from a key press in the facilitator's app to the room view showing its effect.

Three processes, as on a facilitator's laptop: the real app (headless, its phone server on loopback, a
room view attached so it runs the presenter view), a terminal room view (`RoomApp`, headless, following
the journal), and this driver, which presses keys in the app, follows the browser room view's event
stream, and plays 300 phones answering the poll on screen. A press of `t` (the timer) is measured to:

- terminal: the room view's screen refreshed with the timer's new state (it polls the journal every
  40 ms, then redraws);
- browser: the event-stream message with the new state received (the page draws it in a few ms more).

Both idle and while the phones answer (each phone every few seconds, about 60 answers a second). The
clock is CLOCK_MONOTONIC, shared by every process on the machine.

    python benchmarks/room.py [--presses 40] [--phones 300] [--json out.json]
    python benchmarks/room.py --quick          # 10 presses, 50 phones: a smoke test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_P99_MS = 150.0


def reply(**data: object) -> None:
    """One JSON line to the driver, on the real stdout (a running Textual app captures `sys.stdout`)."""
    out = sys.__stdout__ or sys.stdout
    out.write(json.dumps(data) + "\n")
    out.flush()


async def stdin_lines():
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().strip():
        yield line


# --- the facilitator's app (its own process) ------------------------------------------------------------


async def serve_app(port: int, data_dir: str) -> None:
    from facilitate.session.clock import SystemClock
    from facilitate.session.session import Session
    from facilitate.tui.app import PhoneOptions, make_app
    from facilitate.workshop.registry import open_workshop

    session = Session.start_loaded(
        open_workshop("self-efficacy"), data_dir=Path(data_dir), clock=SystemClock()
    )
    poll = next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "scale")
    session.jump(poll)
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port))
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        while app.phone_server is None:
            await pilot.pause(0.05)
        server = app.phone_server
        reply(ready=True, session=session.id, poll=poll, join=server.join_url, room=server.room_url)
        async for line in stdin_lines():
            command, _, argument = line.partition(" ")
            if command == "press":
                started = time.monotonic()
                await pilot.press(argument)
                reply(at=started, running=session.current_timer.running)
            elif command == "presenter":
                reply(presenter=app.run_screen.presenter)
            elif command == "quit":
                reply(bye=True)
                break
    session.close()


# --- the terminal room view (its own process) -------------------------------------------------------------


async def serve_room(data_dir: str, session_id: str) -> None:
    from facilitate.tui.room import RoomApp

    class MeasuredRoom(RoomApp):
        """Says when its screen shows a new timer state (after the refresh that draws it)."""

        shown: object = None

        def _changed(self) -> None:
            super()._changed()
            self.call_after_refresh(self._report)

        def _report(self) -> None:
            follower = self.follower
            if follower is None or follower.session.current_timer is None:
                return
            key = follower.session.current_timer.running
            if key != self.shown:
                self.shown = key
                reply(at=time.monotonic(), running=key)

    app = MeasuredRoom(Path(data_dir), session_id)
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        reply(ready=True)
        while True:
            await pilot.pause(0.5)


# --- the driver -----------------------------------------------------------------------------------------


class Process:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self.lines: asyncio.Queue[dict] = asyncio.Queue()

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{self.process.args[2]} exited")
        return json.loads(line)

    async def pump(self) -> None:
        while self.process.poll() is None:
            try:
                await self.lines.put(await asyncio.to_thread(self.read))
            except RuntimeError:
                return

    async def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return await asyncio.to_thread(self.read)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(10)


async def browser_follow(client, room_url: str, seen: asyncio.Queue) -> None:
    last = None
    async with client.get(f"{room_url}/api/events", timeout=None) as stream:
        async for line in stream.content:
            if line.startswith(b"data: "):
                timer = json.loads(line[6:]).get("timer") or {}
                running = timer.get("running")
                if running != last:
                    last = running
                    await seen.put({"at": time.monotonic(), "running": running})


async def phones_answering(client, join_url: str, poll: str, phones: int, stop: asyncio.Event) -> int:
    """`phones` phones join, then each answers the poll every few seconds until `stop`."""
    cookies = []
    for start in range(0, phones, 50):

        async def join() -> str:
            async with client.get(join_url) as page:
                await page.read()
                return page.cookies["facilitate_device"].value

        cookies += await asyncio.gather(*(join() for _ in range(min(50, phones - start))))
    answered = 0

    async def phone(cookie: str) -> None:
        nonlocal answered
        await asyncio.sleep(random.uniform(0, 5))
        while not stop.is_set():
            async with client.post(
                f"{join_url}/api/answer",
                json={"step": poll, "answer": random.randint(0, 10)},
                headers={"Cookie": f"facilitate_device={cookie}"},
            ) as response:
                await response.read()
                answered += response.status == 200
            await asyncio.sleep(random.uniform(3, 7))

    tasks = [asyncio.create_task(phone(cookie)) for cookie in cookies]
    await stop.wait()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return answered


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def wait_for(queue: asyncio.Queue, running: bool, timeout: float = 5.0) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            item = await asyncio.wait_for(queue.get(), deadline - time.monotonic())
        except TimeoutError:
            return None
        if item.get("running") == running:
            return item["at"]
    return None


async def measure(presses: int, phones: int) -> dict:
    import aiohttp

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data_dir = tempfile.mkdtemp(prefix="facilitate-room-bench-")
    app = Process("--serve-app", str(port), data_dir)
    hello = app.read()
    room = Process("--serve-room", data_dir, hello["session"])
    room.read()
    pump = asyncio.create_task(room.pump())
    results: dict[str, object] = {"presses": presses, "phones": phones}
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as client:
        browser: asyncio.Queue[dict] = asyncio.Queue()
        follow = asyncio.create_task(browser_follow(client, hello["room"], browser))
        for _ in range(100):  # the room view's presence: the app switches to the presenter view
            if (await app.ask("presenter"))["presenter"]:
                break
            await asyncio.sleep(0.1)
        for pattern in ("idle", "loaded"):
            stop = asyncio.Event()
            load = None
            if pattern == "loaded":
                load = asyncio.create_task(
                    phones_answering(client, hello["join"], hello["poll"], phones, stop)
                )
                await asyncio.sleep(6)  # every phone joined and answering
            await asyncio.sleep(0.5)
            while not room.lines.empty():
                room.lines.get_nowait()
            while not browser.empty():
                browser.get_nowait()
            terminal_ms, browser_ms, missed = [], [], 0
            for _ in range(presses):
                pressed = await app.ask("press t")
                shown_terminal = await wait_for(room.lines, pressed["running"])
                shown_browser = await wait_for(browser, pressed["running"])
                if shown_terminal is None or shown_browser is None:
                    missed += 1
                    continue
                terminal_ms.append((shown_terminal - pressed["at"]) * 1000)
                browser_ms.append((shown_browser - pressed["at"]) * 1000)
                await asyncio.sleep(random.uniform(0.15, 0.35))
            answered = 0
            if load is not None:
                stop.set()
                answered = await load
            results[pattern] = {
                "terminal_p50_ms": round(statistics.median(terminal_ms), 1) if terminal_ms else None,
                "terminal_p99_ms": round(percentile(terminal_ms, 0.99), 1) if terminal_ms else None,
                "browser_p50_ms": round(statistics.median(browser_ms), 1) if browser_ms else None,
                "browser_p99_ms": round(percentile(browser_ms, 0.99), 1) if browser_ms else None,
                "missed": missed,
                "answers": answered,
            }
        follow.cancel()
    await app.ask("quit")
    app.stop()
    room.stop()
    pump.cancel()
    return results


def met(entry: dict) -> bool:
    values = [entry[k] for k in ("terminal_p99_ms", "browser_p99_ms")]
    return entry["missed"] == 0 and all(v is not None and v < GOAL_P99_MS for v in values)


def table(result: dict) -> str:
    lines = [
        "| room view (`room.py`) | terminal p50 / p99 | browser p50 / p99 | goal: p99 < 150 ms |",
        "| --- | --- | --- | --- |",
    ]
    for pattern, label in (("idle", "idle"), ("loaded", f"{result['phones']} phones answering")):
        entry = result[pattern]
        extra = f" ({entry['answers']} answers during the run)" if entry["answers"] else ""
        lines.append(
            f"| key press → room view, {label}{extra} | {entry['terminal_p50_ms']} / {entry['terminal_p99_ms']} ms "
            f"| {entry['browser_p50_ms']} / {entry['browser_p99_ms']} ms | {'met' if met(entry) else 'MISSED'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--quick", action="store_true", help="10 presses, 50 phones")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve-app", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--serve-room", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_app:
        asyncio.run(serve_app(int(args.serve_app[0]), args.serve_app[1]))
        return 0
    if args.serve_room:
        asyncio.run(serve_room(*args.serve_room))
        return 0
    presses, phones = (10, 50) if args.quick else (args.presses, args.phones)
    result = asyncio.run(measure(presses, phones))
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
