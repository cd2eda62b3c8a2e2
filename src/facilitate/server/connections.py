"""Room for the room: how many phones this process can hold open, and the limits that keep one script
from spending it.

Every phone holds an event stream and makes requests, and each connection is a file descriptor. A laptop
with the usual limit on open files (256 on macOS) runs out long before a room of 300 is in, and then every
phone fails, not only the last. So: raise the soft limit as far as the hard limit allows, work out how many
phones fit, refuse a join with a sentence before the limit rather than failing the phones already in,
cap connections and event streams, and close connections that are slow or silent.
"""

from __future__ import annotations

import asyncio
import os
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from facilitate.messages import translate
from facilitate.session.session import Session

SLOW_SECONDS = 5.0  # a connection silent this long, or this slow with a request's headers or body, is closed
RESERVED_FILES = 48  # for the journal, SQLite's temporary files, the takeaway workers' pipes, the terminal
FILES_PER_PHONE = 2  # its event stream and one connection for its requests (the page, an answer)
JOIN_HOLD_SECONDS = 30.0  # a phone that joined keeps its place this long while its stream connects
_MACOS_OPEN_MAX = 10240  # macOS refuses a soft limit above OPEN_MAX even when the hard limit is "unlimited"


def raise_open_files_limit() -> int:
    """Raise this process's soft limit on open files as far as the hard limit allows; the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for candidate in (hard, _MACOS_OPEN_MAX):  # "unlimited" is refused on macOS: then its OPEN_MAX
        if soft == resource.RLIM_INFINITY or (candidate != resource.RLIM_INFINITY and candidate <= soft):
            break
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (candidate, hard))
        except (ValueError, OSError):
            continue
        break
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def open_files() -> int:
    """How many file descriptors this process has open now."""
    for folder in ("/proc/self/fd", "/dev/fd"):
        try:
            return len(os.listdir(folder))
        except OSError:
            continue
    return 0 if sys.platform == "win32" else 16


@dataclass
class Capacity:
    """How many phones fit in this process's open files, and who is taking a place now."""

    open_files_limit: int
    in_use: int  # files open before any phone connected
    phones: int  # phones that fit
    refused: int = 0  # joins turned away for want of room
    on_refused: Callable[[Capacity], None] | None = None  # the facilitator's screen listens here
    _joining: dict[object, float] = field(default_factory=dict)  # places held for joins: since when

    @classmethod
    def of_this_process(cls) -> Capacity:
        limit = raise_open_files_limit()
        in_use = open_files()
        return cls(limit, in_use, max(0, (limit - in_use - RESERVED_FILES) // FILES_PER_PHONE))

    @property
    def connections(self) -> int:
        """Open connections allowed at once: beyond this one is closed as soon as it is accepted."""
        return max(1, self.open_files_limit - self.in_use - RESERVED_FILES)

    def hold_place(self, streaming: int, now: float | None = None) -> object | None:
        """A place for a new phone (a ticket to `joined` or `release`), or None when the room is full:
        phones with a stream plus phones that have just joined and whose stream is on its way."""
        now = time.monotonic() if now is None else now
        for key, since in list(self._joining.items()):
            if now - since > JOIN_HOLD_SECONDS:
                del self._joining[key]
        if streaming + len(self._joining) >= self.phones:
            return None
        ticket = object()  # taken before the join is saved: joins in flight count too
        self._joining[ticket] = now
        return ticket

    def joined(self, ticket: object, token: str) -> None:
        """The phone's join is saved: its place is held under its token until its stream opens."""
        self._joining[token] = self._joining.pop(ticket, time.monotonic())

    def release(self, ticket: object) -> None:
        self._joining.pop(ticket, None)

    def streaming(self, token: str) -> None:
        self._joining.pop(token, None)

    def refuse(self) -> None:
        self.refused += 1
        if self.on_refused is not None:
            self.on_refused(self)

    def note(self, room_size: int | None = None) -> str | None:
        """What the facilitator's join screen says about room for phones, when there is anything to say."""
        if self.refused:
            phones = "1 phone" if self.refused == 1 else f"{self.refused} phones"
            return (
                f"{phones} could not join: this laptop has room for {self.phones} (its limit on open "
                "files; the README says how to raise it)."
            )
        if room_size is not None and self.phones < room_size:
            return (
                f"This laptop has room for {self.phones} phones, fewer than the {room_size} in the room "
                "(its limit on open files; the README says how to raise it)."
            )
        return None


CAPACITY_KEY = web.AppKey("capacity", Capacity)


def room_full_page(session: Session, capacity: Capacity) -> web.Response:
    """What a phone beyond this laptop's room is told (503: it may try again once someone leaves)."""
    from html import escape

    locale = session.workshop.locale
    text = escape(translate(locale, "page.room_full", n=capacity.phones))
    body = (
        f'<!doctype html><html lang="{escape((locale or "en").split("-")[0])}"><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(session.workshop.title)}</title><main><p>{text}</p></main></html>"
    )
    response = web.Response(status=503, text=body, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Retry-After"] = "60"
    return response


def cap_connections(server: web.Server, limit: int) -> None:
    """Close a connection as soon as it is accepted when `limit` are already open: a flood of them
    cannot take the file descriptors the phones already in need."""
    accept, lose = server.connection_made, server.connection_lost
    open_now = [0]  # counted here: `server.connections` copies the whole list on every call

    def connection_made(handler: web.RequestHandler, transport: asyncio.Transport) -> None:
        accept(handler, transport)
        open_now[0] += 1
        if open_now[0] > limit:
            transport.abort()

    def connection_lost(handler: web.RequestHandler, exc: BaseException | None = None) -> None:
        open_now[0] -= 1
        lose(handler, exc)

    server.connection_made = connection_made  # type: ignore[method-assign]
    server.connection_lost = connection_lost  # type: ignore[method-assign]


def runner_options(slow_seconds: float = SLOW_SECONDS) -> dict[str, float]:
    """aiohttp's own timeouts, set for a room: a connection that has not sent a complete request (silent,
    or its headers trickling in) is closed after `slow_seconds`, and so is one idle between requests; the
    unread rest of a refused body is waited for briefly, not for aiohttp's default 10 s."""
    return {"keepalive_timeout": slow_seconds, "lingering_time": min(2.0, slow_seconds)}


BODY_SECONDS_KEY = web.AppKey("body_seconds", float)


async def read_body(request: web.Request) -> bytes | None:
    """The request's body, or None when it did not arrive within SLOW_SECONDS (a slow sender: the reply
    then closes the connection)."""
    if request.content.is_eof():  # all there already (a phone's answer, nearly always): no timer
        return await request.read()
    try:
        async with asyncio.timeout(request.app.get(BODY_SECONDS_KEY, SLOW_SECONDS)):
            return await request.read()
    except TimeoutError:
        return None
