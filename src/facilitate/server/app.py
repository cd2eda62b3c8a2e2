"""The participants' web server: the phone page and its JSON API, inside the app's own asyncio loop.

Everything lives under `/j/{secret}`; a wrong secret is a bare 404. A device is a random token in a
cookie scoped to that path. No IP address, user agent or other request detail is stored or logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import math
import multiprocessing
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from aiohttp import web

from facilitate.paths import assets_dir
from facilitate.session.answers import AnswerRefused
from facilitate.session.journal import JournalError
from facilitate.session.session import Session
from facilitate.workshop.models import PlanStep, PollStep, ReflectionStep

MAX_BODY_BYTES = 4096
COOKIE = "facilitate_device"
HEARTBEAT_SECONDS = 15.0
RATE_PER_SECOND = 5.0
RATE_BURST = 20.0
SESSION_KEY = web.AppKey("session", Session)
LIMITER_KEY = web.AppKey("limiter", "RateLimiter")
STREAMS_KEY = web.AppKey("streams", "OpenStreams")
PAGE_KEY = web.AppKey("page", list)
TAKEAWAY_KEY = web.AppKey("takeaway", "TakeawayRenderer")  # [bytes] once the page has been made


class OpenStreams:
    """The wake-up Event of every open event stream, so shutdown can end them all at once."""

    def __init__(self) -> None:
        self.wake: set[asyncio.Event] = set()
        self.closing = False


STATIC_FILES = {"app.js": "text/javascript", "app.css": "text/css"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class RateLimiter:
    """A token bucket per device: a flood from one phone gets 429 and slows nobody else."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: float = RATE_BURST) -> None:
        self.rate, self.burst = rate, burst
        self._buckets: dict[str, tuple[float, float]] = {}

    def allow(self, key: str, now: float) -> bool:
        tokens, last = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        if tokens < 1:
            self._buckets[key] = (tokens, now)
            return False
        self._buckets[key] = (tokens - 1, now)
        return True


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPRequestEntityTooLarge:
        response = _error(413, "That is too long to send: please shorten it")
    except web.HTTPException as exc:
        response = web.Response(status=exc.status, text=exc.reason) if exc.status >= 400 else exc
    except JournalError:
        response = _error(503, "Your answer could not be saved just now: please try again")
    response.headers["Content-Security-Policy"] = CSP
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    if "/api/" in request.path or response.status >= 400:
        response.headers["Cache-Control"] = "no-store"
    return response


def _session(request: web.Request) -> Session:
    session = request.app[SESSION_KEY]
    if not hmac.compare_digest(request.match_info.get("secret", "").encode(), session.join_secret.encode()):
        raise web.HTTPNotFound()
    return session


def _device(request: web.Request, session: Session) -> str | None:
    token = request.cookies.get(COOKIE)
    return token if token and session.has_device(token) else None


def _set_device_cookie(response: web.StreamResponse, session: Session, token: str) -> None:
    response.set_cookie(
        COOKIE,
        token,
        path=f"/j/{session.join_secret}",
        httponly=True,
        samesite="Strict",
        max_age=7 * 24 * 3600,
    )


@dataclass(frozen=True)
class DiskFacts:
    """What `phone_state` reads from the journal on disk rather than from memory: this device's own
    reflection or plan (kept only there, never in memory)."""

    private: dict[str, Any]  # this device's own reflections and plan, by step


NO_DISK_FACTS = DiskFacts({})


class PrivateCache:
    """One event stream's last read of its own device's private answers, reused until they change
    (`Session.private_version`): a facilitator's event would otherwise read every answered phone's
    reflections from disk again."""

    def __init__(self) -> None:
        self.version: object = None
        self.facts = NO_DISK_FACTS


def _private_to_read(session: Session, token: str | None) -> str | None:
    """The token whose private answers a phone's state needs (its own, on a reflection or plan step it
    answered), or None. Decided on the loop, from memory."""
    step = session.current_step
    if token and isinstance(step, ReflectionStep | PlanStep) and session.has_answered(token, step.id):
        return token
    return None


def _read_disk_facts(session: Session, private_of: str | None) -> DiskFacts:
    """Journal reads only (safe in a worker thread: the journal serialises its connection)."""
    return DiskFacts(session.private_answers(private_of)) if private_of is not None else NO_DISK_FACTS


async def phone_state_async(
    session: Session, token: str | None, cache: PrivateCache | None = None
) -> dict[str, Any]:
    """`phone_state` for the handlers: a journal read runs in a worker thread, so a commit in progress
    never holds up the loop the facilitator's screen runs on."""
    for _ in range(3):  # the step may change while the read is in the thread: decide again after it
        private_of = _private_to_read(session, token)
        if private_of is None:
            return phone_state(session, token, NO_DISK_FACTS)
        version = (private_of, session.private_version(private_of))
        if cache is not None and cache.version == version:
            return phone_state(session, token, cache.facts)
        facts = await asyncio.to_thread(_read_disk_facts, session, private_of)
        if (
            _private_to_read(session, token) == private_of
            and session.private_version(private_of) == version[1]
        ):
            if cache is not None:
                cache.version, cache.facts = version, facts
            return phone_state(session, token, facts)
    return phone_state(session, token)  # still changing: read on the loop, once


def _clock_speed(session: Session) -> float:
    return float(getattr(session.clock, "speed", 1.0))


def _clock_time(at: float) -> str:
    """A time of day as the facilitator's laptop tells it (local time), HH:MM."""
    return datetime.fromtimestamp(at).strftime("%H:%M")


def phone_state(session: Session, token: str | None, facts: DiskFacts | None = None) -> dict[str, Any]:
    """What one phone shows now: absolute state, never a delta. `mine` is this device's own answer to
    the step on screen (its private text too: only ever to the device that wrote it)."""
    if facts is None:
        facts = _read_disk_facts(session, _private_to_read(session, token))
    step = session.current_step
    slide = session.current_slide
    module = session.current_module if slide.kind == "module_note" else None
    answered = bool(token and step is not None and session.has_answered(token, step.id))
    mine: Any = None
    if answered and token is not None:
        if isinstance(step, PollStep):
            mine = session.device_answer(token, step.id)
        elif isinstance(step, ReflectionStep | PlanStep):
            mine = facts.private.get(step.id)
    state: dict[str, Any] = {
        "step": None
        if step is None
        else {"id": step.id, "kind": step.kind, "title": step.title, "content_note": step.content_note},
        # the gentle card before a module: its title and what it touches on (step is null meanwhile)
        "note": None
        if module is None or not module.content_note
        else {"module": module.title, "text": module.content_note},
        "poll": None,
        "answered": answered,
        "mine": mine,
        "ended": session.ended,
        "retention": None,
    }
    if session.ended:
        deadline = session.private_deadline
        left = None if deadline is None else deadline - session.now()
        gone = session.private_deleted or (left is not None and left <= 0)
        state["retention"] = {
            "until": None if deadline is None or gone else _clock_time(deadline),
            # in real seconds (a rehearsal's clock runs faster): the page waits this long to ask again
            "seconds_left": None if left is None or gone else math.ceil(left / _clock_speed(session)),
            "deleted": gone,
        }
    if isinstance(step, PollStep):
        scale = step.effective_scale
        state["poll"] = {
            "id": step.id,
            "type": step.type,
            "question": step.question,
            "options": step.options,
            "max_choices": step.choice_limit() if step.type == "multiple" else None,
            "scale": None if scale is None else scale.model_dump(),
            "open": session.poll_is_open(step.id),
        }
        state["reveal_min"] = session.workshop.reveal_threshold(step)
        shown = session.results(step.id).shown if step.id in session.state.revealed else None
        if shown is not None:
            state["results"] = {
                "answered": shown.answered,
                "counts": list(shown.counts),
                "median": shown.median,
                "words": [list(pair) for pair in shown.words[:15]],
                # written answers: only those the facilitator approved (and whose authors kept them)
                "texts": session.approved_texts(step.id) if step.type == "text" else [],
            }
    elif isinstance(step, ReflectionStep):
        state["prompt"] = {"text": step.prompt}
    elif isinstance(step, PlanStep):
        state["prompt"] = {
            "text": step.prompt,
            "if_label": step.if_label,
            "then_label": step.then_label,
            "examples": list(step.examples),
        }
    return state


async def page(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    response = web.Response(body=_page_bytes(request.app, session), content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    token = _device(request, session)
    if token is None:
        _set_device_cookie(response, session, await session.join_async())  # durable before the cookie
    return response


def reveal_sentence(threshold: int) -> str:
    """The privacy notice's line about when results show (the page's script says the same per poll)."""
    if threshold <= 0:
        return "Results may be shown as answers come in."
    people = "1 person has" if threshold == 1 else f"{threshold} people have"
    return f"Results appear only once at least {people} answered."


def _page_bytes(app: web.Application, session: Session) -> bytes:
    """The page with this session's values filled in, made once per server."""
    cached = app[PAGE_KEY]
    if not cached:
        body = (assets_dir() / "web" / "index.html").read_text(encoding="utf-8")
        body = body.replace("{{reveal_min}}", str(session.workshop.reveal_min))
        body = body.replace("{{reveal_sentence}}", reveal_sentence(session.workshop.reveal_min))
        body = body.replace("{{base}}", f"/j/{session.join_secret}")  # the page's path: no trailing slash
        cached.append(body.encode("utf-8"))
    return cached[0]


async def static(request: web.Request) -> web.StreamResponse:
    _session(request)
    name = request.match_info["name"]
    if name not in STATIC_FILES:  # a fixed list: no path from the request ever reaches the file system
        raise web.HTTPNotFound()
    path: Path = assets_dir() / "web" / name
    response = web.Response(body=path.read_bytes(), content_type=STATIC_FILES[name], charset="utf-8")
    response.headers["Cache-Control"] = "max-age=300"
    return response


async def state(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    return web.json_response(await phone_state_async(session, _device(request, session)))


async def answer(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    token = _device(request, session)
    if token is None:
        return _error(400, "This phone has not joined yet: please reload the page")
    if not request.app[LIMITER_KEY].allow(token, time.monotonic()):
        return _error(429, "Too many answers at once: please wait a moment")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _error(413, "That is too long to send: please shorten it")
    raw = await request.read()
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _error(400, "The answer could not be read (not JSON)")
    if not isinstance(payload, dict) or not isinstance(payload.get("step"), str) or "answer" not in payload:
        return _error(400, 'Send {"step": "<step id>", "answer": <value>}')
    if set(payload) - {"step", "answer"}:
        return _error(400, f"Unknown field: {sorted(set(payload) - {'step', 'answer'})[0]}")
    try:
        await session.submit_async(token, payload["step"], payload["answer"])  # durable before we reply
    except AnswerRefused as refused:
        return _error(refused.status, refused.message[:1].upper() + refused.message[1:])
    return web.json_response({"ok": True})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the whole phone state after every change, and a heartbeat comment."""
    session = _session(request)
    token = _device(request, session)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    await response.prepare(request)
    changed = asyncio.Event()
    streams = request.app[STREAMS_KEY]
    streams.wake.add(changed)
    seen: list[tuple[Any, ...]] = [()]
    private = PrivateCache()

    def on_change(session: Session) -> None:
        others_answered = session.last_change == "answers" and token not in session.changed_devices
        if others_answered and session.public_key() == seen[0]:
            return  # other phones' answers, nothing this phone shows: do not wake
        changed.set()

    unsubscribe = session.subscribe(on_change)
    last = ""
    try:
        changed.set()
        while True:
            try:
                await asyncio.wait_for(changed.wait(), HEARTBEAT_SECONDS)
            except TimeoutError:
                await response.write(b": heartbeat\n\n")
                continue
            if streams.closing:
                break
            changed.clear()
            seen[0] = session.public_key()
            data = json.dumps(await phone_state_async(session, token, private), ensure_ascii=False)
            if data == last:  # another phone's answer: nothing this phone shows has changed
                continue
            last = data
            await response.write(f"data: {data}\n\n".encode())
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        unsubscribe()
        streams.wake.discard(changed)
    return response


async def _end_streams(app: web.Application) -> None:
    """On shutdown, end every event stream now rather than at its next heartbeat (phones reconnect)."""
    streams = app[STREAMS_KEY]
    streams.closing = True
    for changed in streams.wake:
        changed.set()


@dataclass(frozen=True)
class TakeawayOptions:
    """What the personal takeaways say beyond the session itself (from `facilitate run`)."""

    facilitator: str | None = None
    paper: str | None = None  # "A4" or "Letter"; None: from the workshop's locale


def _warm_worker() -> None:
    """Load the PDF code and fonts in a worker before the first real takeaway."""
    from facilitate.takeaway import warm_up

    warm_up()


class TakeawayRenderer:
    """Personal PDFs made in worker processes, two at a time (one per core on a small laptop).

    Not threads: drawing a PDF is pure Python and holds the GIL, so in a thread it froze the
    facilitator's screen for over 100 ms while a room downloaded; and two fpdf2 documents built at once
    in threads corrupted each other's object numbers. Processes share nothing. The workers start on the
    first download. Nothing is cached: a PDF with private text exists only while it is being sent.
    """

    WORKERS = 2

    def __init__(self, options: TakeawayOptions) -> None:
        self.options = options
        self._executor: ProcessPoolExecutor | None = None
        self._starting: asyncio.Future[ProcessPoolExecutor] | None = None

    async def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            if self._starting is None:  # the first download starts the workers; the rest wait for them
                # Starting processes blocks for a while: in a thread, not on the loop the screen uses.
                self._starting = asyncio.ensure_future(asyncio.to_thread(self._start_workers))
            executor = await asyncio.shield(self._starting)
            self._executor = executor
        return self._executor

    def _start_workers(self) -> ProcessPoolExecutor:
        # spawn, not fork: the app has threads (the journal's committer), which fork would copy badly
        executor = ProcessPoolExecutor(
            max_workers=self.WORKERS, mp_context=multiprocessing.get_context("spawn")
        )
        for future in [executor.submit(_warm_worker) for _ in range(self.WORKERS)]:
            future.result()
        return executor

    async def render(self, session: Session, token: str | None) -> bytes:
        from facilitate.takeaway import render_takeaway
        from facilitate.takeaway.collect import group_results, personal_answers

        # Read the session here, on the loop; only the drawing runs in a worker.
        results = group_results(session)
        personal = personal_answers(session, token) if token else None
        started = session.state.started_at or session.now()
        job = partial(
            render_takeaway,
            session.workshop,
            date=datetime.fromtimestamp(started).date(),
            results=results,
            personal=personal,
            facilitator=self.options.facilitator,
            paper=self.options.paper,
            demo=session.demo,
        )
        return await asyncio.get_running_loop().run_in_executor(await self._pool(), job)

    async def close(self, _app: web.Application | None = None) -> None:
        if self._starting is not None and self._executor is None:
            with contextlib.suppress(Exception):
                self._executor = await self._starting
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


async def takeaway(request: web.Request) -> web.StreamResponse:
    """This device's takeaway PDF; the general one for a device with no answers or no cookie."""
    session = _session(request)
    token = _device(request, session)
    if token is not None and not request.app[LIMITER_KEY].allow(token, time.monotonic()):
        return _error(429, "Too many downloads at once: please wait a moment")
    pdf = await request.app[TAKEAWAY_KEY].render(session, token)
    response = web.Response(body=pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{session.workshop.id}-takeaway.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


def create_app(session: Session, takeaway_options: TakeawayOptions | None = None) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[security_headers])
    app[SESSION_KEY] = session
    app[LIMITER_KEY] = RateLimiter()
    app[STREAMS_KEY] = OpenStreams()
    app[PAGE_KEY] = []
    renderer = TakeawayRenderer(takeaway_options or TakeawayOptions())
    app[TAKEAWAY_KEY] = renderer
    app.on_cleanup.append(renderer.close)
    app.on_shutdown.append(_end_streams)
    app.router.add_get("/j/{secret}", page)
    app.router.add_get("/j/{secret}/api/state", state)
    app.router.add_post("/j/{secret}/api/answer", answer)
    app.router.add_get("/j/{secret}/api/events", events)
    app.router.add_get("/j/{secret}/takeaway.pdf", takeaway)
    app.router.add_get("/j/{secret}/{name}", static)
    return app
