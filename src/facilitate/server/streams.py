"""The event stream (Server-Sent Events): each phone gets its whole state after every change it can see."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from aiohttp import web

from facilitate.server.http import device_of, session_of
from facilitate.server.phone_state import PrivateCache, phone_state_async
from facilitate.session.session import Session

HEARTBEAT_SECONDS = 15.0


class OpenStreams:
    """The wake-up Event of every open event stream, so shutdown can end them all at once."""

    def __init__(self) -> None:
        self.wake: set[asyncio.Event] = set()
        self.closing = False


STREAMS_KEY = web.AppKey("streams", OpenStreams)


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the whole phone state after every change, and a heartbeat comment."""
    session = session_of(request)
    token = device_of(request, session)
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


async def end_streams(app: web.Application) -> None:
    """On shutdown, end every event stream now rather than at its next heartbeat (phones reconnect)."""
    streams = app[STREAMS_KEY]
    streams.closing = True
    for changed in streams.wake:
        changed.set()
