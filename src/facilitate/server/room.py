"""The room view in a browser, served by the phone server at its own secret address.

`/r/{room secret}` is the page, `/r/{room secret}/api/state` the room's state as JSON and
`/r/{room secret}/api/events` an event stream of it (see docs/api.md). The room secret is not the phones'
join secret: a phone's address cannot open the room view, and the room's address opens no phone route
(those check the join secret). It is shown only on the facilitator's screen (`v`), never to the room.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from collections.abc import Callable

from aiohttp import web

from facilitate.paths import assets_dir
from facilitate.server.http import SESSION_KEY, web_asset
from facilitate.server.room_state import room_state
from facilitate.session.session import Session

HEARTBEAT_SECONDS = 15.0
MAX_VIEWERS = 20  # a few projectors and screen shares, never a file descriptor the phones need
ROOM_FILES = {"room.js": "text/javascript", "room.css": "text/css"}


class RoomViewers:
    """The browser room views following the session, and the one session subscriber that wakes them."""

    def __init__(self, secret: str, join_url: Callable[[], str | None]) -> None:
        self.secret = secret
        self.join_url = join_url
        self.waiting: set[asyncio.Event] = set()
        self.closing = False
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def count(self) -> int:
        return len(self.waiting)

    def watch(self, session: Session) -> None:
        self._unsubscribe = session.subscribe(lambda _session: self.wake())

    def wake(self) -> None:
        for changed in self.waiting:
            changed.set()

    def end_all(self) -> None:
        self.closing = True
        if self._unsubscribe is not None:
            self._unsubscribe()
        self.wake()


VIEWERS_KEY = web.AppKey("room_viewers", RoomViewers)


def _check(request: web.Request) -> Session:
    viewers = request.app[VIEWERS_KEY]
    if not hmac.compare_digest(request.match_info.get("room", "").encode(), viewers.secret.encode()):
        raise web.HTTPNotFound()
    return request.app[SESSION_KEY]


def state_json(request: web.Request, session: Session) -> bytes:
    viewers = request.app[VIEWERS_KEY]
    return json.dumps(room_state(session, viewers.join_url()), ensure_ascii=False).encode("utf-8")


async def room_page(request: web.Request) -> web.StreamResponse:
    session = _check(request)
    body = (assets_dir() / "web" / "room.html").read_text(encoding="utf-8")
    body = body.replace("{{base}}", f"/r/{request.app[VIEWERS_KEY].secret}")
    body = body.replace("{{title}}", _escape(session.workshop.title))
    body = body.replace("{{lang}}", _escape((session.workshop.locale or "en").split("-")[0]))
    response = web.Response(text=body, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


async def room_file(request: web.Request) -> web.StreamResponse:
    _check(request)
    return web_asset(request, ROOM_FILES)


async def room_state_route(request: web.Request) -> web.StreamResponse:
    session = _check(request)
    response = web.Response(body=state_json(request, session), content_type="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


async def room_events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the room's whole state after every change (nothing sent when it is unchanged)."""
    session = _check(request)
    viewers = request.app[VIEWERS_KEY]
    if viewers.closing or viewers.count >= MAX_VIEWERS:
        return web.json_response({"error": "Too many room views are open"}, status=503)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    changed = asyncio.Event()
    viewers.waiting.add(changed)
    last = b""
    try:
        await response.prepare(request)
        changed.set()
        while not viewers.closing:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await changed.wait()
            except TimeoutError:
                await response.write(b": heartbeat\n\n")
                continue
            changed.clear()
            data = state_json(request, session)
            if data == last:
                continue
            last = data
            await response.write(b"data: " + data + b"\n\n")
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        viewers.waiting.discard(changed)
    return response


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def add_room_routes(app: web.Application, secret: str, join_url: Callable[[], str | None]) -> None:
    """Serve the browser room view at `/r/{secret}` on the phone server."""
    viewers = RoomViewers(secret, join_url)
    app[VIEWERS_KEY] = viewers

    async def watch(app: web.Application) -> None:
        viewers.watch(app[SESSION_KEY])

    async def end(app: web.Application) -> None:
        viewers.end_all()

    app.on_startup.append(watch)
    app.on_shutdown.append(end)
    app.router.add_get("/r/{room}", room_page)
    app.router.add_get("/r/{room}/api/state", room_state_route)
    app.router.add_get("/r/{room}/api/events", room_events)
    app.router.add_get("/r/{room}/{name}", room_file)
