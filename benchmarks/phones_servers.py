"""The servers `phones.py` measures, each run in its own process and driven by commands on stdin.

- app: the real Textual app, headless, with its phone server, plus a 10 ms timer on its loop whose
  lateness is "the facilitator's screen stall";
- ceiling: a bare aiohttp server on the same URLs that counts answers in memory and, as the app must,
  sends each answering phone its own small state message on its event stream (the fair ceiling);
- bare: the same without that message (the ceiling earlier runs were compared with).

Commands, one per line: `jump STEP`, `reset` (the stall), `stats`, `count STEP` (devices whose answer
is counted), `quit`. Replies are JSON lines on stdout.
"""

from __future__ import annotations

import asyncio
import gc
import json
import resource
import sys
import tempfile
import time
from pathlib import Path


class GcPauses:
    """How long Python's cyclic garbage collector held the loop (the longest pause, and in all)."""

    def __init__(self) -> None:
        self.started = 0.0
        self.longest = self.total = 0.0
        self.generation = -1  # of the longest
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            pause = time.perf_counter() - self.started
            if pause > self.longest:
                self.longest, self.generation = pause, info["generation"]
            self.total += pause

    def reset(self) -> None:
        self.longest = self.total = 0.0
        self.generation = -1


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def serve_app(port: int) -> None:
    """The real app, headless, running the bundled workshop with its phone server on `port`."""
    from facilitate.session.clock import SystemClock
    from facilitate.session.session import Session
    from facilitate.tui.app import PhoneOptions, make_app
    from facilitate.workshop.registry import open_workshop

    data = tempfile.mkdtemp(prefix="facilitate-bench-")
    session = Session.start_loaded(open_workshop("self-efficacy"), data_dir=Path(data), clock=SystemClock())
    app = make_app(session, phones=PhoneOptions("127.0.0.1", port))
    lateness = [0.0]

    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        while app.phone_server is None:
            await pilot.pause(0.05)
        last = [time.perf_counter()]

        def tick() -> None:  # a timer on the app's own loop, like the countdown's
            now = time.perf_counter()
            lateness[0] = max(lateness[0], now - last[0] - 0.01)
            last[0] = now

        app.set_interval(0.01, tick)

        def count(step: str) -> int:
            return session.results(step).current.answered

        await command_loop(session.join_secret, session.jump, count, lateness, pilot)
    session.close()


async def serve_ceiling(port: int, *, fair: bool) -> None:
    """The ceiling: the same URLs, answers counted in memory, events fanned out, nothing else; when
    `fair`, each answering phone also gets its own small state message, as the app sends."""
    import secrets

    from aiohttp import web

    secret = "ceiling"
    answers: dict[str, dict[str, object]] = {}
    streams: dict[str, set[asyncio.Queue[bytes]]] = {}
    state: dict[str, object] = {"step": None}
    lateness = [0.0]

    async def page(request: web.Request) -> web.Response:
        response = web.Response(text="<!doctype html><title>ceiling</title>", content_type="text/html")
        if "facilitate_device" not in request.cookies:
            response.set_cookie("facilitate_device", secrets.token_urlsafe(16), path=f"/j/{secret}")
        return response

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        device = request.cookies.get("facilitate_device", "")
        answers.setdefault(body["step"], {})[device] = body["answer"]
        if fair:  # the phone's own state: it answered, and what
            own = {**state, "answered": True, "mine": body["answer"]}
            message = b"data: " + json.dumps(own).encode() + b"\n\n"
            for queue in streams.get(device, ()):
                queue.put_nowait(message)
        return web.json_response({"ok": True})

    async def events(request: web.Request) -> web.StreamResponse:
        device = request.cookies.get("facilitate_device", "")
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        streams.setdefault(device, set()).add(queue)
        try:
            await response.write(b"data: " + json.dumps(state).encode() + b"\n\n")
            while (message := await queue.get()) != b"":  # b"": the server is stopping
                await response.write(message)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            streams[device].discard(queue)
        return response

    app = web.Application()
    app.router.add_get(f"/j/{secret}", page)
    app.router.add_post(f"/j/{secret}/api/answer", answer)
    app.router.add_get(f"/j/{secret}/api/events", events)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    def jump(step: str) -> None:
        state["step"] = {"id": step}
        message = b"data: " + json.dumps(state).encode() + b"\n\n"
        for queues in streams.values():
            for queue in queues:
                queue.put_nowait(message)

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            lateness[0] = max(lateness[0], now - last - 0.01)
            last = now

    tick = asyncio.create_task(ticker())
    await command_loop(secret, jump, lambda step: len(answers.get(step, {})), lateness, None)
    tick.cancel()
    for queues in streams.values():
        for queue in queues:
            queue.put_nowait(b"")
    await runner.cleanup()


async def command_loop(secret: str, jump, count, lateness: list[float], pilot) -> None:
    """Commands from the benchmark on stdin, one per line; replies are JSON lines on stdout."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    def reply(**data: object) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    pauses = GcPauses()
    reply(ready=True, secret=secret)
    while line := (await reader.readline()).decode().strip():
        command, _, argument = line.partition(" ")
        if command == "jump":
            started = time.monotonic()
            jump(argument)
            reply(jumped=argument, at=started)
        elif command == "reset":
            lateness[0] = 0.0
            pauses.reset()
            reply(reset=True, cpu_ms=round(1000 * sum(resource.getrusage(resource.RUSAGE_SELF)[:2])))
        elif command == "stats":
            if pilot is not None:
                await pilot.pause()
            reply(
                stall_ms=round(lateness[0] * 1000, 1),
                rss_mb=round(peak_rss_mb(), 1),
                gc_longest_ms=round(pauses.longest * 1000, 1),
                gc_total_ms=round(pauses.total * 1000, 1),
                gc_generation=pauses.generation,
                cpu_ms=round(1000 * sum(resource.getrusage(resource.RUSAGE_SELF)[:2])),
            )
        elif command == "count":
            reply(count=count(argument))
        elif command == "quit":
            reply(bye=True)
            return
