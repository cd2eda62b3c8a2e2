"""The event stream (Server-Sent Events): each phone gets its whole state after every change it can see.

The work of a change is proportional to what changed, not to the phones in the room: one subscriber
(`OpenStreams`) hears every change of the session and wakes only the streams that can show something
new. A batch of answers wakes the streams of the devices that answered (their own `answered` and `mine`)
and, only when something every phone sees changed with it (results shown, a poll closing), every stream
once; anything else (a step, a reveal, the end) wakes every stream once. Each woken stream sends a message
from a `ViewCache`: one serialised state per distinct view, not one per phone.

Streams are capped: a few per device (a new one ends that device's oldest, which is what a reload leaves
behind) and a total, so a script cannot spend every file descriptor the room needs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web

from facilitate.server.connections import CAPACITY_KEY
from facilitate.server.http import SESSION_KEY, device_of, error_response, session_of
from facilitate.server.phone_state import PrivateCache, ViewCache, disk_facts_async
from facilitate.server.turns import TURNS_KEY
from facilitate.session.session import Session

HEARTBEAT_SECONDS = 15.0
WRITE_SECONDS = 10.0
STREAMS_PER_DEVICE = 3  # a phone with the page open in two tabs, and a reload's leftover


@dataclass(frozen=True)
class StreamLimits:
    per_device: int = STREAMS_PER_DEVICE
    total: int = 10_000  # the phone server sets it from the file descriptors this process may open


class Stream:
    """One open event stream: its device, and the Event its writer waits on."""

    __slots__ = ("beat", "changed", "dirty", "ended", "token", "wakes")

    def __init__(self, token: str) -> None:
        self.token = token
        self.changed = asyncio.Event()
        self.dirty = False  # its phone may have something new to see
        self.beat = False  # time for a heartbeat comment
        self.ended = False
        self.wakes = 0  # how often a change woke it (a test checks who wakes for one phone's answer)

    def wake(self) -> None:
        self.wakes += 1
        self.dirty = True
        self.changed.set()

    def heartbeat(self) -> None:
        self.beat = True
        self.changed.set()

    def end(self) -> None:
        self.ended = True
        self.changed.set()


class OpenStreams:
    """Every open event stream, by device, and the one session subscriber that decides which to wake."""

    def __init__(self, limits: StreamLimits | None = None) -> None:
        self.limits = limits or StreamLimits()
        self.by_device: dict[str, list[Stream]] = {}
        self.count = 0
        self.closing = False
        self.views = ViewCache()
        self._public = ""  # what every phone saw alike at the last change, serialised
        self._unsubscribe: list = []
        self._heartbeat: asyncio.TimerHandle | None = None

    def watch(self, session: Session) -> None:
        self._public = self.views.public_json(session)
        self._unsubscribe.append(session.subscribe(self._on_change))
        self._heartbeat = asyncio.get_running_loop().call_later(HEARTBEAT_SECONDS, self._beat)

    def _beat(self) -> None:
        """A comment on every stream every HEARTBEAT_SECONDS keeps Wi-Fi and proxies from closing it: one
        timer for all, rather than one per stream set again after every message."""
        for streams in self.by_device.values():
            for stream in streams:
                stream.heartbeat()
        self._heartbeat = asyncio.get_running_loop().call_later(HEARTBEAT_SECONDS, self._beat)

    def _on_change(self, session: Session) -> None:
        public = self.views.public_json(session)
        if session.last_change == "answers" and public == self._public:
            for token in session.changed_devices:  # only their own `answered` and `mine` changed
                for stream in self.by_device.get(token, ()):
                    stream.wake()
            return
        self._public = public
        for streams in self.by_device.values():
            for stream in streams:
                stream.wake()

    def open(self, token: str) -> Stream | None:
        """A new stream for `token`, or None when the server has as many as it can hold."""
        mine = self.by_device.setdefault(token, [])
        while mine and (len(mine) >= self.limits.per_device or self.count >= self.limits.total):
            self._drop(mine[0]).end()  # the oldest: what a reload or a lost connection left behind
            mine = self.by_device.setdefault(token, [])
        if self.count >= self.limits.total:
            if not mine:
                del self.by_device[token]
            return None
        stream = Stream(token)
        mine.append(stream)
        self.count += 1
        return stream

    def close(self, stream: Stream) -> None:
        mine = self.by_device.get(stream.token)
        if mine is not None and stream in mine:
            self._drop(stream)

    def _drop(self, stream: Stream) -> Stream:
        mine = self.by_device[stream.token]
        mine.remove(stream)
        if not mine:
            del self.by_device[stream.token]
        self.count -= 1
        return stream

    def end_all(self) -> None:
        self.closing = True
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        for streams in self.by_device.values():
            for stream in streams:
                stream.end()


STREAMS_KEY = web.AppKey("streams", OpenStreams)


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the whole phone state after every change it shows, and a heartbeat comment."""
    session = session_of(request)
    token = device_of(request, session)
    if token is None:  # a stream is for a phone that joined: a script without a cookie gets none
        return error_response(403, "This phone has not joined yet: please reload the page")
    streams, turns = request.app[STREAMS_KEY], request.app[TURNS_KEY]
    stream = None if streams.closing else streams.open(token)
    if stream is None:
        return error_response(503, "Too many phones are connected just now: please try again in a minute")
    capacity = request.app.get(CAPACITY_KEY)
    if capacity is not None:
        capacity.streaming(token)  # its place, held since it joined, is now this stream
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    private = PrivateCache()
    last = b""
    try:
        await response.prepare(request)
        stream.wake()
        while True:
            await stream.changed.wait()
            stream.changed.clear()
            if stream.ended:
                break
            if stream.beat:  # the heartbeat every stream gets (one timer for all, in `OpenStreams`)
                stream.beat = False
                await _send(request, response, b": heartbeat\n\n")
            if not stream.dirty:
                continue
            stream.dirty = False
            await turns.turn()  # a change wakes many streams at once: they take turns
            facts = await disk_facts_async(session, token, private)
            data = streams.views.message(session, token, facts)
            if data == last:  # nothing this phone shows has changed
                continue
            last = data
            await _send(request, response, data)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    except TimeoutError:  # it stopped reading: close the connection rather than wait on it
        if request.transport is not None:
            request.transport.abort()
    finally:
        streams.close(stream)
    return response


async def _send(request: web.Request, response: web.StreamResponse, data: bytes) -> None:
    """Write to a stream; a phone that stopped reading (its unsent bytes piling up) is given
    WRITE_SECONDS, then let go. Most writes go straight out: they set no timer."""
    transport = request.transport
    if transport is None:
        raise ConnectionResetError
    if transport.get_write_buffer_size() == 0:
        await response.write(data)
        return
    async with asyncio.timeout(WRITE_SECONDS):
        await response.write(data)


async def watch_session(app: web.Application) -> None:
    app[STREAMS_KEY].watch(app[SESSION_KEY])


async def end_streams(app: web.Application) -> None:
    """On shutdown, end every event stream now rather than at its next heartbeat (phones reconnect)."""
    app[STREAMS_KEY].end_all()
