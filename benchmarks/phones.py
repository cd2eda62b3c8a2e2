"""Phones under load: simulated phones over loopback while the app runs the bundled workshop.

Three servers, one after the other with the same client, each in its own process (`phones_servers.py`):
the real Textual app, headless, with its phone server and an extra 10 ms timer whose lateness is "the
facilitator's screen stall"; the fair ceiling, a bare aiohttp server on the same URLs that counts answers
in memory and sends each answering phone its own small state message, as the app must; and the bare
ceiling without that message (what earlier runs compared with). Every phone joins, holds its event stream
open and answers, in two patterns:

- room: the phones answer one poll spread evenly over 10 seconds;
- burst: the phones answer another poll at the same instant, five times (the median is reported).

Reported: answers per second, p50/p99 latency from request to acknowledged (for the app: durable in the
journal), how long a step change takes to reach every phone, the longest screen stall, peak memory, and
whether every acknowledged answer is counted.

    python benchmarks/phones.py [--phones 300 1000] [--room-seconds 10] [--bursts 5] [--json out.json]
    python benchmarks/phones.py --quick          # 50 phones, a 2 s room, one burst: a smoke test
    python benchmarks/phones.py --phones 1000 --profile burst.txt   # py-spy samples of the app's bursts
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import socket
import statistics
import subprocess
import sys
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


# --- the load client ------------------------------------------------------------------------------------


class Server:
    """A server process and its command pipe."""

    def __init__(self, kind: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--serve", kind, str(self.port)],
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
        self.saved: set[str] = set()  # polls this phone was told its answer was saved to

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
            if r.status == 200:
                self.saved.add(step)
        return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def answer_all(
    client, server: Server, crowd: list[Phone], poll: str, spread: float, round_: int
) -> dict:
    """Every phone answers `poll` once, spread over `spread` seconds (0: the same instant)."""
    before = await server.ask("reset")
    latencies: list[float] = []

    async def one(phone: Phone, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        latencies.append(await phone.answer(client, server.base, poll, (phone.index + round_) % 11))

    started = time.perf_counter()
    await asyncio.gather(*(one(phone, spread * i / len(crowd)) for i, phone in enumerate(crowd)))
    elapsed = time.perf_counter() - started
    stats = await server.ask("stats")
    return {
        "answers_per_s": round(len(crowd) / elapsed, 1),  # a room is paced by its spread
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "stall_ms": stats["stall_ms"],
        "gc_longest_ms": stats["gc_longest_ms"],
        "gc_total_ms": stats["gc_total_ms"],
        "gc_generation": stats["gc_generation"],
        "cpu_ms": stats["cpu_ms"] - before["cpu_ms"],  # the server's own CPU time: what load cannot inflate
    }


def median_round(rounds: list[dict]) -> dict:
    """Each figure's median over the bursts (the machine's noise moves single runs by ±30 %)."""
    return {key: round(statistics.median(r[key] for r in rounds), 1) for key in rounds[0]} | {
        "runs": len(rounds)
    }


async def measure(
    kind: str, phones: int, room_seconds: float, polls: tuple[str, str], bursts: int, profile: Path | None
) -> dict:
    import aiohttp

    server = Server(kind)
    room_poll, burst_poll = polls
    # a connection idle for 3 s is not reused: the app closes idle ones after 5 s, and a request sent on
    # one it is closing would fail (browsers retry those; this client does not)
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=3.0)
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
            await asyncio.sleep(0.5)  # let the step change settle before measuring answers
            if pattern == "room":
                result["room"] = await answer_all(client, server, crowd, poll, room_seconds, 0)
                continue
            spy = start_profile(server, profile) if profile else None
            rounds = [await answer_all(client, server, crowd, poll, 0.0, r) for r in range(bursts)]
            if spy is not None:
                stop_profile(spy)
            result["burst"] = median_round(rounds)
            result["burst_rounds"] = rounds
        acknowledged = {poll: sum(1 for phone in crowd if poll in phone.saved) for poll in polls}
        counted = {poll: (await server.ask(f"count {poll}"))["count"] for poll in polls}
        result["uncounted"] = sum(acknowledged[poll] - counted[poll] for poll in polls)
        result["fanout_ms"] = round(max(fanouts), 1)
        result["rss_mb"] = (await server.ask("stats"))["rss_mb"]
        result["errors"] = sum(1 for phone in crowd for status in phone.statuses if status != 200)
        for phone in crowd:
            if phone.stream is not None:
                phone.stream.cancel()
        await asyncio.gather(*(phone.stream for phone in crowd if phone.stream), return_exceptions=True)
    await server.close()
    return result


def start_profile(server: Server, path: Path) -> subprocess.Popen:
    """py-spy (from PyPI) sampling the server's process during the bursts only."""
    spy = subprocess.Popen(
        ["py-spy", "record", "-p", str(server.process.pid), "-o", str(path), "--format", "raw", "-r", "250"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # py-spy attaches
    return spy


def stop_profile(spy: subprocess.Popen) -> None:
    spy.send_signal(signal.SIGINT)
    spy.wait(30)


def polls_of_the_workshop() -> tuple[str, str]:
    from facilitate.workshop.registry import open_workshop

    ids = [
        s.id
        for _, s in open_workshop("self-efficacy").workshop.steps()
        if s.kind == "poll" and s.type == "scale"
    ]
    return ids[0], ids[1]


SERVERS = {"app": "facilitate (durable)", "ceiling": "fair ceiling", "bare": "bare ceiling (old)"}


def table(results: list[dict]) -> str:
    lines = [
        "| phones | server | room: answers/s | room p50 / p99 | burst: answers/s | burst p50 / p99 | step change to all | screen stall (room / burst) | peak RSS |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for entry in results:
        for kind, name in SERVERS.items():
            r = entry[kind]
            lines.append(
                f"| {r['phones']} | {name} | "
                f"{r['room']['answers_per_s']} | {r['room']['p50_ms']} / {r['room']['p99_ms']} ms | "
                f"{r['burst']['answers_per_s']} | {r['burst']['p50_ms']} / {r['burst']['p99_ms']} ms | "
                f"{r['fanout_ms']} ms | {r['room']['stall_ms']} / {r['burst']['stall_ms']} ms | {r['rss_mb']} MB |"
            )
    return "\n".join(lines)


def ratios(entry: dict) -> str:
    app = entry["app"]["burst"]["answers_per_s"]
    fair, bare = entry["ceiling"]["burst"]["answers_per_s"], entry["bare"]["burst"]["answers_per_s"]
    return (
        f"burst against the fair ceiling {app / fair:.2f}×, against the bare (old) ceiling {app / bare:.2f}×"
    )


def verdicts(entry: dict) -> dict[str, bool]:
    app, ceiling = entry["app"], entry["ceiling"]
    return {
        "room p99 < 20 ms": app["room"]["p99_ms"] < GOALS["room_p99_ms"],
        "burst ≥ 0.8× fair ceiling": app["burst"]["answers_per_s"]
        >= GOALS["burst_ratio"] * ceiling["burst"]["answers_per_s"],
        "burst p99 ≤ 2× fair ceiling's": app["burst"]["p99_ms"]
        <= GOALS["burst_p99_factor"] * ceiling["burst"]["p99_ms"],
        "step change < 250 ms": app["fanout_ms"] < GOALS["fanout_ms"],
        "screen stall < 50 ms": max(app["room"]["stall_ms"], app["burst"]["stall_ms"]) < GOALS["stall_ms"],
        "RSS < 200 MB": app["rss_mb"] < RSS_GOAL_MB,
        "no errors": app["errors"] == 0,
        "every acknowledged answer counted": app["uncounted"] == 0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--room-seconds", type=float, default=10.0)
    parser.add_argument("--bursts", type=int, default=5, help="bursts per server (the median is reported)")
    parser.add_argument("--quick", action="store_true", help="50 phones, a 2 s room, one burst")
    parser.add_argument("--profile", type=Path, help="py-spy's raw samples of the app during its bursts")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--serve", nargs=2, metavar=("KIND", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    raise_fd_limit()
    if args.serve:
        import phones_servers

        kind, port = args.serve[0], int(args.serve[1])
        if kind == "app":
            asyncio.run(phones_servers.serve_app(port))
        else:
            asyncio.run(phones_servers.serve_ceiling(port, fair=kind == "ceiling"))
        return 0
    if args.quick:
        args.phones, args.room_seconds, args.bursts = [50], 2.0, 1
    polls = polls_of_the_workshop()
    results = []
    for phones in args.phones:
        entry: dict = {"phones": phones}
        for kind in SERVERS:  # one after the other, so each sees the same machine
            profile = args.profile if kind == "app" and phones == max(args.phones) else None
            entry[kind] = asyncio.run(measure(kind, phones, args.room_seconds, polls, args.bursts, profile))
        entry["goals"] = verdicts(entry)
        entry["ratios"] = ratios(entry)
        results.append(entry)
    print(table(results))
    for entry in results:
        summary = ", ".join(f"{goal}: {'met' if ok else 'MISSED'}" for goal, ok in entry["goals"].items())
        print(f"\n{entry['phones']} phones: {summary}")
        print(f"{entry['phones']} phones, {entry['ratios']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
