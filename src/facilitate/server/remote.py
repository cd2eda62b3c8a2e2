"""The facilitator's phone as a remote: next, back, the timer, blank, grounding, the current and next step,
the notes, the phone counts and pause requests.

It lives at `/remote/{remote secret}`: its own secret, never the phones' (`/j/{join secret}`), and each
refuses the other's with a bare 404. Every button sends the same session event as the keyboard, so the
journal, `--resume` and room views cannot tell a tap from a key. The page is the facilitator's: nothing
on it is ever shown to the room, and `c` shows its address only where the facilitator alone can see it.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import math
import time
from typing import Any

from aiohttp import web

from facilitate.paths import assets_dir
from facilitate.server.connections import read_body
from facilitate.server.http import (
    LIMITER_KEY,
    MAX_BODY_BYTES,
    ORIGINS_KEY,
    SESSION_KEY,
    error_response,
    refuse_cross_site,
    web_asset,
)
from facilitate.session.session import Outcome, Session
from facilitate.workshop.models import PollStep

HEARTBEAT_SECONDS = 15.0
REMOTE_STREAMS_KEY = web.AppKey("remote_streams", set)  # each open remote stream's wake-up Event
CLOSING_KEY = web.AppKey("remote_closing", list)  # [True] once the server is shutting down
REMOTE_FILES = {"remote.js": "text/javascript", "remote.css": "text/css"}


def session_of_remote(request: web.Request) -> Session:
    """The session, if the path carries the remote's secret (a bare 404 otherwise: the phones' too)."""
    session = request.app[SESSION_KEY]
    secret = session.journal.remote_secret
    given = request.match_info.get("secret", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        raise web.HTTPNotFound()
    return session


def _title_of(session: Session, index: int) -> str:
    slide = session.slides[index]
    if slide.kind == "title":
        return session.workshop.title
    if slide.kind == "module_note":
        module = next(m for m in session.workshop.modules if m.id == slide.module_id)
        return f"Before “{module.title}”: its content note"
    return session.workshop.step_by_id(slide.step_id).title


def remote_state(session: Session) -> dict[str, Any]:
    """What the remote shows now, as a whole. The facilitator's own view: notes included."""
    now = session.now()
    index = session.state.index
    step = session.current_step
    timer = session.current_timer
    poll: dict[str, Any] | None = None
    if isinstance(step, PollStep):
        poll = {
            "answered": session.results(step.id).current.answered,
            "open": session.poll_is_open(step.id),
            "revealed": step.id in session.state.revealed,
        }
    module = session.current_module
    return {
        "workshop": session.workshop.title,
        "position": {"index": index + 1, "count": len(session.slides)},
        "module": module.title if module else None,
        "current": _title_of(session, index),
        "kind": step.kind if step is not None else session.current_slide.kind,
        "next": _title_of(session, index + 1) if index + 1 < len(session.slides) else None,
        "notes": getattr(step, "notes", None) or "",
        "timer": None
        if timer is None
        else {
            # whole seconds left (negative: over time); the page counts down by itself while it runs
            "remaining": math.floor(timer.planned - timer.elapsed(now)),
            "planned": round(timer.planned),
            "running": timer.running,
        },
        "blank": session.state.blanked,
        "grounding": session.grounding,
        "ended": session.ended,
        "phones": session.joined,
        "poll": poll,
        "pauses": session.recent_pauses(),
        "questions_waiting": len(session.waiting_questions()),
    }


# --- actions: the same session calls as the keys ---------------------------------------------------------


def _toggle_blank(session: Session) -> Outcome:
    return session.unblank() if session.state.blanked else session.blank()


def _toggle_grounding(session: Session) -> Outcome:
    return session.leave_grounding() if session.grounding else session.enter_grounding()


ACTIONS = {
    "next": lambda session: session.next(),
    "back": lambda session: session.back(),
    "timer": lambda session: session.toggle_timer(),
    "plus": lambda session: session.adjust_timer(1),
    "minus": lambda session: session.adjust_timer(-1),
    "blank": _toggle_blank,
    "grounding": _toggle_grounding,
}


# --- handlers --------------------------------------------------------------------------------------------


async def page(request: web.Request) -> web.StreamResponse:
    session = session_of_remote(request)
    body = (assets_dir() / "web" / "remote.html").read_text(encoding="utf-8")
    body = body.replace("{{base}}", f"/remote/{session.journal.remote_secret}")
    response = web.Response(body=body.encode("utf-8"), content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


async def static(request: web.Request) -> web.StreamResponse:
    session_of_remote(request)
    return web_asset(request, REMOTE_FILES)


async def state(request: web.Request) -> web.StreamResponse:
    return web.json_response(remote_state(session_of_remote(request)))


async def action(request: web.Request) -> web.StreamResponse:
    session = session_of_remote(request)
    refused = refuse_cross_site(request, request.app[ORIGINS_KEY])
    if refused is not None:
        return refused
    if not request.app[LIMITER_KEY].allow("remote", time.monotonic()):
        return error_response(429, "Too many taps at once: please wait a moment")
    if request.content_type != "application/json":
        return error_response(415, "Send the action as JSON (Content-Type: application/json)")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return error_response(413, "That is too long to send")
    raw = await read_body(request)
    if raw is None:
        return error_response(408, "That arrived too slowly: please tap again")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error_response(400, "The action could not be read (not JSON)")
    name = payload.get("action") if isinstance(payload, dict) else None
    if not isinstance(payload, dict) or set(payload) != {"action"} or name not in ACTIONS:
        return error_response(400, f'Send {{"action": "<one of {", ".join(ACTIONS)}>"}}')
    outcome = ACTIONS[name](session)
    if not outcome.ok:
        status = 503 if outcome.journal_error else 409
        return error_response(status, outcome.reason or "That cannot be done now")
    return web.json_response({"ok": True, "state": remote_state(session)})


async def events(request: web.Request) -> web.StreamResponse:
    """Server-Sent Events: the remote's whole state after every change of the session."""
    session = session_of_remote(request)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
    changed = asyncio.Event()
    streams = request.app[REMOTE_STREAMS_KEY]
    streams.add(changed)
    unsubscribe = session.subscribe(lambda _session: changed.set())
    last = b""
    try:
        await response.prepare(request)
        changed.set()
        while True:
            try:
                async with asyncio.timeout(HEARTBEAT_SECONDS):
                    await changed.wait()
            except TimeoutError:
                await response.write(b": heartbeat\n\n")
                continue
            if request.app[CLOSING_KEY]:
                break
            changed.clear()
            data = f"data: {json.dumps(remote_state(session), ensure_ascii=False)}\n\n".encode()
            if data != last:
                last = data
                await response.write(data)
    except (ConnectionResetError, asyncio.CancelledError):
        pass
    finally:
        unsubscribe()
        streams.discard(changed)
    return response


async def _end_remote_streams(app: web.Application) -> None:
    app[CLOSING_KEY].append(True)
    for changed in app[REMOTE_STREAMS_KEY]:
        changed.set()


def add_remote_routes(app: web.Application) -> None:
    app[REMOTE_STREAMS_KEY] = set()
    app[CLOSING_KEY] = []
    app.on_shutdown.append(_end_remote_streams)
    app.router.add_get("/remote/{secret}", page)
    app.router.add_get("/remote/{secret}/api/state", state)
    app.router.add_post("/remote/{secret}/api/action", action)
    app.router.add_get("/remote/{secret}/api/events", events)
    app.router.add_get("/remote/{secret}/{name}", static)
