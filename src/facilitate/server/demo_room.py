"""A simulated room for rehearsals (`facilitate run NAME --demo-room N`).

N participants join over the first minute through the real phone API on loopback, follow the event
stream, and answer like a real room would: most answer, some pass, some change their mind, words repeat,
a few write answers for moderation, reflections and plans get written, and at the end each downloads
its takeaway. Everything goes through HTTP, so a rehearsal exercises exactly what a room will.

Delays are in workshop time: with `--speed 10` the room answers ten times faster as well.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

_WORDS = (
    "fear", "time", "doubt", "tiredness", "other people", "perfectionism", "money", "shame", "habit",
    "comparison", "old voices", "stress", "worry", "being judged",
)  # fmt: skip
_TEXTS = (
    "A walk before work.",
    "Asking for help earlier in the week.",
    "Less time on my phone in the evening.",
    "Saying no to one extra thing.",
    "Writing down one thing that went well each day.",
)
_QUESTIONS = (
    "Is it normal to feel stuck even when things are going well?",
    "What if the small step doesn't work?",
    "How do I stop comparing myself to others?",
    "Can we talk about what to do when I freeze?",
)
_REFLECTIONS = (
    "When I started a new job and nobody explained anything, I stopped asking questions.",
    "Learning to swim as an adult: one length, then two. I had forgotten I did that.",
    "A teacher who said I was not a maths person. I believed it for twenty years.",
    "After my illness I had to relearn what I could do, one small thing at a time.",
)
_PLANS = (
    ("I notice I'm scrolling after 10 pm", "put the phone in the kitchen and read two pages"),
    ("I want to skip the walk", "put my shoes on and go to the end of the street"),
    ("I hear 'you can't do this'", "name one time I did something hard"),
    ("a meeting makes me anxious", "breathe out slowly three times before I speak"),
)


@dataclass
class Sent:
    """One request a simulated participant made, and what came back (for tests and the summary)."""

    participant: int
    step: str
    answer: Any
    status: int


@dataclass
class DemoRoom:
    base_url: str  # http://127.0.0.1:PORT/j/SECRET
    size: int
    speed: float = 1.0
    seed: int = 2026
    join_window: float = 60.0  # workshop seconds over which people arrive
    sent: list[Sent] = field(default_factory=list)
    takeaways: dict[int, bytes] = field(default_factory=dict)
    on_change: Callable[[], None] | None = None
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _participants: list[_Participant] = field(default_factory=list)
    _client: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        # One connection pool for the room; each participant keeps its own cookie.
        self._client = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0), cookie_jar=aiohttp.DummyCookieJar()
        )
        rng = random.Random(self.seed)
        for index in range(self.size):
            participant = _Participant(self, index, random.Random(rng.random()))
            self._participants.append(participant)
            self._tasks.append(asyncio.create_task(participant.run(), name=f"demo-participant-{index}"))

    async def stop(self) -> None:
        tasks = [*self._tasks, *(task for p in self._participants for task in p._pending)]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.close()

    async def sleep(self, workshop_seconds: float) -> None:
        await asyncio.sleep(max(0.0, workshop_seconds / self.speed))

    def answers_for(self, step: str) -> dict[int, Any]:
        """The last acknowledged answer of each participant for `step` (None = passed)."""
        latest: dict[int, Any] = {}
        for sent in self.sent:
            if sent.step == step and sent.status == 200:
                latest[sent.participant] = sent.answer
        return latest


class _Participant:
    def __init__(self, room: DemoRoom, index: int, rng: random.Random) -> None:
        self.room, self.index, self.rng = room, index, rng
        self.cookie: str | None = None
        self.done_steps: set[str] = set()
        self._pending: set[asyncio.Task[None]] = set()  # answers in progress (kept so they are not lost)
        self.temperament = rng.choice(("keen", "keen", "steady", "steady", "quiet"))
        # a few ask a question, one in a dozen asks for a pause once, most upvote a question or two
        self.question = rng.choice(_QUESTIONS) if rng.random() < 0.2 else None
        self.wants_pause = index % 12 == 5  # one in a dozen (so a rehearsal of six or more shows it)
        self.seen_questions: set[str] = set()

    async def run(self) -> None:
        room = self.room
        await room.sleep(self.rng.uniform(0, room.join_window))
        assert room._client is not None
        async with room._client.get(room.base_url) as page:
            await page.read()
            morsel = page.cookies.get("facilitate_device")
            self.cookie = morsel.value if morsel else None
        while True:  # follow the event stream, reconnecting as a phone would
            try:
                await self._follow()
            except (TimeoutError, aiohttp.ClientError, ConnectionError):
                await asyncio.sleep(0.5)

    def _headers(self) -> dict[str, str]:
        return {"Cookie": f"facilitate_device={self.cookie}"} if self.cookie else {}

    async def _follow(self) -> None:
        room = self.room
        assert room._client is not None
        async with room._client.get(f"{room.base_url}/api/events", headers=self._headers()) as stream:
            async for line in stream.content:
                if line.startswith(b"data: "):
                    state = json.loads(line[6:])
                    await self._react(state)

    async def _react(self, state: dict[str, Any]) -> None:
        self._take_part(state)
        step = state.get("step")
        if state.get("ended") or (step and step["kind"] == "closing"):
            if self.index not in self.room.takeaways:
                await self.room.sleep(self.rng.uniform(1, 20))
                await self._download()
            return
        if not step or step["id"] in self.done_steps:
            return
        poll, prompt = state.get("poll"), state.get("prompt")
        if poll is not None and poll.get("open"):
            self.done_steps.add(step["id"])
            self._spawn(self._answer_poll(poll))
        elif prompt is not None:
            self.done_steps.add(step["id"])
            self._spawn(self._write_private(step, prompt))

    def _spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    def _take_part(self, state: dict[str, Any]) -> None:
        """Questions, upvotes and a pause request, as a room would: now and then, never all at once."""
        questions = state.get("questions") or {}
        step = state.get("step")
        if self.question and questions.get("enabled") and step is not None:
            text, self.question = self.question, None
            self._spawn(self._send("/api/questions", {"text": text}, "question", delay=(5, 60)))
        for listed in questions.get("listed", []):
            if listed["id"] not in self.seen_questions:
                self.seen_questions.add(listed["id"])
                if self.rng.random() < 0.35:
                    path = f"/api/questions/{listed['id']}/vote"
                    self._spawn(self._send(path, {"vote": True}, "vote", delay=(2, 20)))
        if self.wants_pause and step is not None and step["kind"] in ("poll", "activity", "reflection"):
            self.wants_pause = False
            self._spawn(self._send("/api/pause", {}, "pause", delay=(5, 40)))

    async def _send(self, path: str, body: dict[str, Any], what: str, delay: tuple[float, float]) -> None:
        room = self.room
        assert room._client is not None
        await room.sleep(self.rng.uniform(*delay))
        try:
            async with room._client.post(
                f"{room.base_url}{path}", json=body, headers=self._headers()
            ) as reply:
                await reply.read()
                room.sent.append(Sent(self.index, what, body, reply.status))
        except aiohttp.ClientError:
            room.sent.append(Sent(self.index, what, body, 0))
        if room.on_change is not None:
            room.on_change()

    async def _post(self, step: str, answer: Any) -> None:
        room = self.room
        assert room._client is not None
        body = {"step": step, "answer": answer}
        try:
            async with room._client.post(
                f"{room.base_url}/api/answer", json=body, headers=self._headers()
            ) as reply:
                await reply.read()
                room.sent.append(Sent(self.index, step, answer, reply.status))
        except aiohttp.ClientError:
            room.sent.append(Sent(self.index, step, answer, 0))
        if room.on_change is not None:
            room.on_change()

    async def _answer_poll(self, poll: dict[str, Any]) -> None:
        delay = {"keen": (2, 8), "steady": (6, 20), "quiet": (15, 35)}[self.temperament]
        await self.room.sleep(self.rng.uniform(*delay))
        passes = self.rng.random() < (0.25 if self.temperament == "quiet" else 0.08)
        await self._post(poll["id"], None if passes else self._choose(poll))
        if not passes and self.rng.random() < 0.15:  # a change of mind
            await self.room.sleep(self.rng.uniform(3, 10))
            await self._post(poll["id"], self._choose(poll))

    def _choose(self, poll: dict[str, Any]) -> Any:
        rng, kind = self.rng, poll["type"]
        if kind == "single":
            count = len(poll["options"])
            weights = [count - i + rng.random() for i in range(count)]  # earlier options a little likelier
            return rng.choices(range(count), weights=weights)[0]
        if kind == "multiple":
            picks = rng.randint(1, poll.get("max_choices") or 1)
            return sorted(rng.sample(range(len(poll["options"])), picks))
        if kind == "scale":
            low, high = poll["scale"]["min"], poll["scale"]["max"]
            middle = low + (high - low) * (0.55 if "after" in poll["id"] else 0.4)
            return max(low, min(high, round(rng.gauss(middle, (high - low) / 5))))
        if kind == "words":
            return rng.sample(_WORDS[: 6 + self.index % 8], rng.randint(1, 3))
        if kind == "ranking":  # earlier options a little likelier to be put first
            count = len(poll["options"])
            return sorted(range(count), key=lambda i: i + rng.gauss(0, count / 2))
        if kind == "points":
            budget, count = poll["points"], len(poll["options"])
            cuts = sorted(rng.randint(0, budget) for _ in range(count - 1))
            return [b - a for a, b in zip([0, *cuts], [*cuts, budget], strict=True)]
        return rng.choice(_TEXTS)

    async def _write_private(self, step: dict[str, Any], prompt: dict[str, Any]) -> None:
        await self.room.sleep(self.rng.uniform(10, 40))
        if self.rng.random() < 0.1:
            await self._post(step["id"], None)
        elif step["kind"] == "plan":
            when, then = self.rng.choice(_PLANS)
            await self._post(step["id"], {"if": when, "then": f"{then} (participant {self.index + 1})"})
        else:
            text = f"{self.rng.choice(_REFLECTIONS)} (participant {self.index + 1})"
            await self._post(step["id"], text)

    async def _download(self) -> None:
        room = self.room
        assert room._client is not None
        try:
            async with room._client.get(f"{room.base_url}/takeaway.pdf", headers=self._headers()) as reply:
                body = await reply.read()
                if reply.status == 200:
                    room.takeaways[self.index] = body
        except aiohttp.ClientError:
            pass
        if room.on_change is not None:
            room.on_change()
