"""Personal takeaway PDFs over HTTP, drawn in worker processes."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from aiohttp import web

from facilitate.server.http import LIMITER_KEY, device_of, error_response, session_of
from facilitate.session.session import Session


@dataclass(frozen=True)
class TakeawayOptions:
    """What the personal takeaways say beyond the session itself (from `facilitate run`)."""

    facilitator: str | None = None
    paper: str | None = (
        None  # the printable version the closing screen links to (?paper=…); None: the locale's
    )


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

    async def render(self, session: Session, token: str | None, paper: str = "phone") -> bytes:
        """`paper`: "phone" (narrow pages for the screen it was downloaded on), "A4" or "Letter"."""
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
            paper=paper,
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


class TakeawayQueue:
    """Who may have a takeaway drawn now: one at a time per device, and a bounded number waiting in all,
    so 400 requests at once cannot queue 400 renderings (the workers draw two at a time)."""

    # A room of a hundred pressing "download" together is served (about 10 s of work at two workers);
    # beyond this many in progress, a phone is asked to try again in a moment.
    MAX_WAITING = 150

    def __init__(self) -> None:
        self.devices: set[str] = set()

    def refusal(self, token: str) -> web.Response | None:
        if token in self.devices:
            return error_response(429, "Your takeaway is already being made: it will download in a moment")
        if len(self.devices) >= self.MAX_WAITING:
            response = error_response(
                503, "Many takeaways are being made right now: please try again in a minute"
            )
            response.headers["Retry-After"] = "30"
            return response
        return None


async def takeaway(request: web.Request) -> web.StreamResponse:
    """This device's own takeaway PDF. Only for a device that joined: the cookie is what finds its answers,
    and a request without one is a script's, not a participant's (the handout is for people without a
    phone)."""
    session = session_of(request)
    token = device_of(request, session)
    if token is None:
        return error_response(
            403, "Open the workshop page on the phone you used in the workshop, then download from there"
        )
    if not request.app[LIMITER_KEY].allow(token, time.monotonic()):
        return error_response(429, "Too many downloads at once: please wait a moment")
    asked = request.query.get("paper", "").strip().lower()
    if asked and asked not in PRINT_PAPERS:
        return error_response(
            400, "Ask for ?paper=a4 or ?paper=letter (or no paper for the phone's own layout)"
        )
    queue = request.app[TAKEAWAY_QUEUE_KEY]
    refused = queue.refusal(token)
    if refused is not None:
        return refused
    queue.devices.add(token)
    try:
        pdf = await request.app[TAKEAWAY_KEY].render(session, token, PRINT_PAPERS.get(asked, "phone"))
    finally:
        queue.devices.discard(token)
    response = web.Response(body=pdf, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{session.workshop.id}-takeaway.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


TAKEAWAY_QUEUE_KEY = web.AppKey("takeaway_queue", TakeawayQueue)
TAKEAWAY_KEY = web.AppKey("takeaway", TakeawayRenderer)
PRINT_PAPERS = {"a4": "A4", "letter": "Letter"}  # ?paper=…: the printable takeaway, with its QR codes
