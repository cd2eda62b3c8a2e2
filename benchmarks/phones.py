"""Phones under load: simulated phones over loopback while the app runs the bundled workshop.

The app under test runs in its own process: the real Textual app, headless, with its phone server and an
extra 10 ms timer whose lateness is "the facilitator's screen stall". Beside it, in the same run and with
the same client, a bare aiohttp server that counts answers in memory is the ceiling. Every phone joins,
holds the event stream open and answers, in two patterns:

- room: the phones answer one poll spread evenly over 10 seconds;
- burst: the phones answer another poll at the same instant.

Reported: answers per second, p50/p99 latency from request to acknowledged (for the app: durable in the
journal), how long a step change takes to reach every phone, the longest screen stall, and peak memory.

    python benchmarks/phones.py [--phones 300 1000] [--room-seconds 10] [--json out.json]
    python benchmarks/phones.py --quick          # 50 phones, a 2 s room: a smoke test
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {
    "room_p99_ms": 20.0,
    "burst_ratio": 0.8,
    "burst_p99_factor": 2.0,
    "fanout_ms": 250.0,
    "stall_ms": 50.0,
}
RSS_GOAL_MB = 200.0


def raise_fd_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the servers under test (each in its own process) -----------------------------------------------------


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
        await command_loop(session.join_secret, session, lateness, pilot)
    session.close()


async def serve_ceiling(port: int) -> None:
    """The ceiling: the same URLs, answers counted in memory, events fanned out, nothing else."""
    import secrets

    from aiohttp import web

    secret = "ceiling"
    answers: dict[str, object] = {}
    streams: set[asyncio.Queue[bytes]] = set()
    state = {"step": None}
    lateness = [0.0]

    async def page(request: web.Request) -> web.Response:
        response = web.Response(text="<!doctype html><title>ceiling</title>", content_type="text/html")
        if "facilitate_device" not in request.cookies:
            response.set_cookie("facilitate_device", secrets.token_urlsafe(16), path=f"/j/{secret}")
        return response

    async def answer(request: web.Request) -> web.Response:
        body = await request.json()
        answers[request.cookies.get("facilitate_device", "")] = body["answer"]
        return web.json_response({"ok": True})

    async def events(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        queue: asyncio.Queue[bytes] = asyncio.Queue()
        streams.add(queue)
        try:
            await response.write(b"data: " + json.dumps(state).encode() + b"\n\n")
            while (message := await queue.get()) != b"":  # b"": the server is stopping
                await response.write(message)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            streams.discard(queue)
        return response

    app = web.Application()
    app.router.add_get(f"/j/{secret}", page)
    app.router.add_post(f"/j/{secret}/api/answer", answer)
    app.router.add_get(f"/j/{secret}/api/events", events)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()

    class Jumper:
        def jump(self, step: str) -> None:
            state["step"] = {"id": step}
            message = b"data: " + json.dumps(state).encode() + b"\n\n"
            for queue in streams:
                queue.put_nowait(message)

    async def ticker() -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            lateness[0] = max(lateness[0], now - last - 0.01)
            last = now

    tick = asyncio.create_task(ticker())
    await command_loop(secret, Jumper(), lateness, None)
    tick.cancel()
    for queue in streams:
        queue.put_nowait(b"")
    await runner.cleanup()


async def command_loop(secret: str, target, lateness: list[float], pilot) -> None:
    """Commands from the benchmark on stdin, one per line; replies are JSON lines on stdout."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)

    def reply(**data: object) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    reply(ready=True, secret=secret)
    while line := (await reader.readline()).decode().strip():
        command, _, argument = line.partition(" ")
        if command == "jump":
            started = time.monotonic()
            target.jump(argument)
            reply(jumped=argument, at=started)
        elif command == "reset":
            lateness[0] = 0.0
            reply(reset=True)
        elif command == "stats":
            if pilot is not None:
                await pilot.pause()
            reply(stall_ms=round(lateness[0] * 1000, 1), rss_mb=round(peak_rss_mb(), 1))
        elif command == "quit":
            reply(bye=True)
            return


# --- the load client ------------------------------------------------------------------------------------


class Server:
    """A server process and its command pipe."""

    def __init__(self, kind: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, __file__, f"--serve-{kind}", str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        hello = self.read()
        self.base = f"http://127.0.0.1:{self.port}/j/{hello['secret']}"

    def read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the server under test exited")
        return json.loads(line)

    async def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return await asyncio.to_thread(self.read)

    async def close(self) -> None:
        await self.ask("quit")
        await asyncio.to_thread(self.process.wait, 30)


class Phone:
    def __init__(self, index: int) -> None:
        self.index = index
        self.cookie = ""
        self.seen: dict[str, float] = {}  # step id -> when this phone first heard of it
        self.stream: asyncio.Task[None] | None = None
        self.statuses: list[int] = []

    def headers(self) -> dict[str, str]:
        return {"Cookie": f"facilitate_device={self.cookie}"}

    async def join(self, client, base: str) -> None:
        async with client.get(base) as page:
            await page.read()
            self.cookie = page.cookies["facilitate_device"].value
        ready = asyncio.Event()
        self.stream = asyncio.create_task(self.follow(client, base, ready))
        await ready.wait()

    async def follow(self, client, base: str, ready: asyncio.Event) -> None:
        async with client.get(f"{base}/api/events", headers=self.headers(), timeout=None) as stream:
            async for line in stream.content:
                if line.startswith(b"data: "):
                    step = (json.loads(line[6:]).get("step") or {}).get("id")
                    if step and step not in self.seen:
                        self.seen[step] = time.monotonic()
                    ready.set()

    async def answer(self, client, base: str, step: str, value: object) -> float:
        started = time.perf_counter()
        async with client.post(
            f"{base}/api/answer", json={"step": step, "answer": value}, headers=self.headers()
        ) as r:
            await r.read()
            self.statuses.append(r.status)
        return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(kind: str, phones: int, room_seconds: float, polls: tuple[str, str]) -> dict:
    import aiohttp

    server = Server(kind)
    room_poll, burst_poll = polls
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout
    ) as client:
        crowd = [Phone(index) for index in range(phones)]
        for start in range(0, phones, 100):  # join in waves, as a room scanning the QR code would
            await asyncio.gather(*(phone.join(client, server.base) for phone in crowd[start : start + 100]))
        fanouts = []
        result: dict[str, object] = {"phones": phones}
        for pattern, poll in (("room", room_poll), ("burst", burst_poll)):
            jumped = await server.ask(f"jump {poll}")
            deadline = time.monotonic() + 10
            while any(poll not in phone.seen for phone in crowd) and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            reached = [phone.seen.get(poll) for phone in crowd]
            fanouts.append((max(reached) - jumped["at"]) * 1000 if all(reached) else float("inf"))
            await server.ask("reset")
            latencies: list[float] = []

            async def one(phone: Phone, delay: float, poll: str = poll, latencies: list = latencies) -> None:
                if delay:
                    await asyncio.sleep(delay)
                latencies.append(await phone.answer(client, server.base, poll, phone.index % 11))

            started = time.perf_counter()
            spread = room_seconds if pattern == "room" else 0.0
            await asyncio.gather(*(one(phone, spread * i / phones) for i, phone in enumerate(crowd)))
            elapsed = time.perf_counter() - started
            stats = await server.ask("stats")
            result[pattern] = {
                "answers_per_s": round(phones / elapsed, 1),  # a room is paced by its 10 s spread
                "p50_ms": round(statistics.median(latencies) * 1000, 1),
                "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
                "stall_ms": stats["stall_ms"],
            }
        result["fanout_ms"] = round(max(fanouts), 1)
        result["rss_mb"] = (await server.ask("stats"))["rss_mb"]
        result["errors"] = sum(1 for phone in crowd for status in phone.statuses if status != 200)
        for phone in crowd:
            if phone.stream is not None:
                phone.stream.cancel()
        await asyncio.gather(*(phone.stream for phone in crowd if phone.stream), return_exceptions=True)
    await server.close()
    return result


def polls_of_the_workshop() -> tuple[str, str]:
    from facilitate.workshop.registry import open_workshop

    ids = [
        s.id
        for _, s in open_workshop("self-efficacy").workshop.steps()
        if s.kind == "poll" and s.type == "scale"
    ]
    return ids[0], ids[1]


def table(results: list[dict]) -> str:
    lines = [
        "| phones | server | room: answers/s | room p50 / p99 | burst: answers/s | burst p50 / p99 | step change to all | screen stall | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for entry in results:
        for kind in ("app", "ceiling"):
            r = entry[kind]
            stall = max(r["room"]["stall_ms"], r["burst"]["stall_ms"])
            lines.append(
                f"| {r['phones']} | {'facilitate (durable)' if kind == 'app' else 'bare aiohttp (ceiling)'} | "
                f"{r['room']['answers_per_s']} | {r['room']['p50_ms']} / {r['room']['p99_ms']} ms | "
                f"{r['burst']['answers_per_s']} | {r['burst']['p50_ms']} / {r['burst']['p99_ms']} ms | "
                f"{r['fanout_ms']} ms | {stall} ms | {r['rss_mb']} MB |"
            )
    return "\n".join(lines)


def verdicts(entry: dict) -> dict[str, bool]:
    app, ceiling = entry["app"], entry["ceiling"]
    return {
        "room p99 < 20 ms": app["room"]["p99_ms"] < GOALS["room_p99_ms"],
        "burst ≥ 0.8× ceiling": app["burst"]["answers_per_s"]
        >= GOALS["burst_ratio"] * ceiling["burst"]["answers_per_s"],
        "burst p99 ≤ 2× ceiling": app["burst"]["p99_ms"]
        <= GOALS["burst_p99_factor"] * ceiling["burst"]["p99_ms"],
        "step change < 250 ms": app["fanout_ms"] < GOALS["fanout_ms"],
        "screen stall < 50 ms": max(app["room"]["stall_ms"], app["burst"]["stall_ms"]) < GOALS["stall_ms"],
        "RSS < 200 MB": app["rss_mb"] < RSS_GOAL_MB,
        "no errors": app["errors"] == 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--room-seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="50 phones and a 2 s room")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve-app", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-ceiling", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    raise_fd_limit()
    if args.serve_app:
        asyncio.run(serve_app(args.serve_app))
        return 0
    if args.serve_ceiling:
        asyncio.run(serve_ceiling(args.serve_ceiling))
        return 0
    if args.quick:
        args.phones, args.room_seconds = [50], 2.0
    polls = polls_of_the_workshop()
    results = []
    for phones in args.phones:
        app = asyncio.run(measure("app", phones, args.room_seconds, polls))
        ceiling = asyncio.run(measure("ceiling", phones, args.room_seconds, polls))
        entry = {"phones": phones, "app": app, "ceiling": ceiling}
        entry["goals"] = verdicts(entry)
        results.append(entry)
    print(table(results))
    for entry in results:
        summary = ", ".join(f"{goal}: {'met' if ok else 'MISSED'}" for goal, ok in entry["goals"].items())
        print(f"\n{entry['phones']} phones: {summary}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
