"""The participants' web server: the phone page and its JSON API, inside the app's own asyncio loop.

Everything lives under `/j/{secret}`; a wrong secret is a bare 404. A device is a random token in a
cookie scoped to that path. No IP address, user agent or other request detail is stored or logged.
Shared pieces live beside this file: `http` (headers, secret, cookie, limits), `phone_state` (what a
phone is shown), `streams` (the event stream) and `takeaways` (the PDFs).
"""

from __future__ import annotations

import asyncio
import html
import json
import re
import time

from aiohttp import web

from facilitate.messages import messages_for, translate
from facilitate.paths import assets_dir
from facilitate.server.connections import CAPACITY_KEY, Capacity, read_body, room_full_page
from facilitate.server.http import (
    COOKIE,
    LIMITER_KEY,
    MAX_BODY_BYTES,
    ORIGINS_KEY,
    SESSION_KEY,
    RateLimiter,
    device_of,
    error_response,
    notice_page,
    plain_errors,
    refuse_cross_site,
    security_headers_on_prepare,
    session_of,
    set_device_cookie,
    web_asset,
)
from facilitate.server.joins import JoinGate
from facilitate.server.phone_state import phone_state, phone_state_async
from facilitate.server.questions import add_question_routes
from facilitate.server.remote import add_remote_routes
from facilitate.server.streams import (
    STREAMS_KEY,
    OpenStreams,
    StreamLimits,
    end_streams,
    events,
    watch_session,
)
from facilitate.server.takeaways import (
    TAKEAWAY_KEY,
    TAKEAWAY_QUEUE_KEY,
    TakeawayOptions,
    TakeawayQueue,
    TakeawayRenderer,
    takeaway,
)
from facilitate.server.turns import TURNS_KEY, TurnTaking, take_turns
from facilitate.session.answers import AnswerRefused
from facilitate.session.session import Session
from facilitate.takeaway.locales import paper_for

__all__ = ["COOKIE", "TakeawayOptions", "create_app", "phone_state"]

JOINS_KEY = web.AppKey("joins", JoinGate)
PAGE_KEY = web.AppKey("page", list)  # [bytes] once the page has been made
STATIC_FILES = {
    "app.js": "text/javascript",
    "page.js": "text/javascript",
    "follow.js": "text/javascript",
    "app.css": "text/css",
    "take-part.js": "text/javascript",  # ranking and points, questions, "I need a pause"
    "take-part.css": "text/css",
}
_MESSAGE_SLOT = re.compile(r"\{\{t:([a-z0-9_.]+)\}\}")  # {{t:page.send}}: a message
_VALUE_SLOT = re.compile(r"\{\{([a-z_]+)\}\}")  # {{title}}: a value of this session


async def page(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    response = web.Response(body=_page_bytes(request.app, session), content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    if device_of(request, session) is not None or request.method != "GET":
        return response  # a phone that joined; or HEAD (link previews, scanners), which never joins
    if session.ended:
        return notice_page(session, "page.ended_no_join", 403)
    gate = request.app[JOINS_KEY]
    waiting = request.cookies.get(COOKIE)
    if gate.is_waiting(waiting):
        if not gate.was_let_in(waiting):
            return notice_page(session, "page.join_waiting", 200, refresh_seconds=5)
    else:
        decision = gate.decide(request.remote, session.joined)
        if decision == "too_many_from_address":
            return notice_page(session, "page.join_too_many", 429)
        if decision == "full":
            return notice_page(session, "page.join_too_many", 503)
        if decision == "wait":
            notice = notice_page(session, "page.join_waiting", 200, refresh_seconds=5)
            set_device_cookie(notice, session, gate.wait(request.remote))  # in memory until let in
            return notice
    capacity = request.app.get(CAPACITY_KEY)
    ticket = None if capacity is None else capacity.hold_place(len(request.app[STREAMS_KEY].by_device))
    if capacity is not None and ticket is None:
        capacity.refuse()  # before the open files run out, not after: the phones in keep working
        return room_full_page(session, capacity)
    if gate.is_waiting(waiting):
        gate.joined_from_waiting(waiting)
    else:
        gate.note_new_device(request.remote)  # before the await: a flood of GETs at once counts too
    try:
        token = await session.join_async()
    except BaseException:
        if capacity is not None:
            capacity.release(ticket)  # not saved (a full disk): the place is free again
        raise
    set_device_cookie(response, session, token)  # durable before the cookie
    if capacity is not None:
        capacity.joined(ticket, token)
    return response


def reveal_sentence(threshold: int, locale: str | None = None) -> str:
    """The privacy notice's line about when results show (the page's script says the same per poll)."""
    if threshold <= 0:
        return translate(locale, "page.reveal.none")
    key = "page.reveal.min_one" if threshold == 1 else "page.reveal.min_other"
    return translate(locale, key, n=threshold)


def page_messages(locale: str | None) -> dict[str, str]:
    """The messages the page's script uses (`t("page.…")`), in the workshop's language."""
    return {key: text for key, text in messages_for(locale).items() if key.startswith("page.")}


def _page_bytes(app: web.Application, session: Session) -> bytes:
    """The page with this session's values and its language's words filled in, made once per server."""
    cached = app[PAGE_KEY]
    if not cached:
        locale = session.workshop.locale
        messages = messages_for(locale)
        body = (assets_dir() / "web" / "index.html").read_text(encoding="utf-8")
        body = _MESSAGE_SLOT.sub(lambda match: html.escape(messages[match.group(1)]), body)
        script_data = json.dumps(page_messages(locale), ensure_ascii=False, sort_keys=True)
        values = {
            "lang": html.escape(locale or "en"),
            "title": html.escape(session.workshop.title),
            # a JSON data block, never run: only "<" could end it early, so "<" is written as \u003c
            "messages": script_data.replace("<", "\\u003c"),
            "reveal_min": str(session.workshop.reveal_min),
            "reveal_sentence": html.escape(reveal_sentence(session.workshop.reveal_min, locale)),
            "base": f"/j/{session.join_secret}",  # the page's path: no trailing slash
            # the printable takeaway the closing screen offers: `--paper`, else the locale's paper
            "print_paper": paper_for(locale, app[TAKEAWAY_KEY].options.paper).lower(),
        }
        body = _VALUE_SLOT.sub(lambda match: values[match.group(1)], body)
        cached.append(body.encode("utf-8"))
    return cached[0]


async def static(request: web.Request) -> web.StreamResponse:
    session_of(request)
    return web_asset(request, STATIC_FILES, cache="max-age=300")


async def state(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    return web.json_response(await phone_state_async(session, device_of(request, session)))


async def answer(request: web.Request) -> web.StreamResponse:
    session = session_of(request)
    token = device_of(request, session)
    if token is None:
        return error_response(400, "This phone has not joined yet: please reload the page")
    refused = refuse_cross_site(request, request.app[ORIGINS_KEY])
    if refused is not None:
        return refused
    if not request.app[LIMITER_KEY].allow(token, time.monotonic()):
        return error_response(429, "Too many answers at once: please wait a moment")
    if request.content_type != "application/json":
        return error_response(415, "Send the answer as JSON (Content-Type: application/json)")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return error_response(413, "That is too long to send: please shorten it")
    raw = await read_body(request)
    if raw is None:  # a body trickling in: the connection is closed rather than held
        response = error_response(408, "Your answer arrived too slowly: please send it again")
        response.force_close()
        return response
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: nested a thousand deep
        return error_response(400, "The answer could not be read (not JSON)")
    if not isinstance(payload, dict) or not isinstance(payload.get("step"), str) or "answer" not in payload:
        return error_response(400, 'Send {"step": "<step id>", "answer": <value>}')
    if set(payload) - {"step", "answer"}:
        return error_response(400, f"Unknown field: {sorted(set(payload) - {'step', 'answer'})[0]}")
    try:
        await session.submit_async(token, payload["step"], payload["answer"])  # durable before we reply
    except AnswerRefused as refused:
        return error_response(refused.status, refused.message[:1].upper() + refused.message[1:])
    await request.app[TURNS_KEY].turn()  # a whole batch was saved at once: its replies take turns
    # characters no font of the takeaway can draw: the phone says so now, not the PDF later (as "□")
    return web.json_response({"ok": True, "missing": await unprintable(payload["answer"])})


async def unprintable(answer: object) -> list[str]:
    """The characters of an answer's text that the PDFs cannot draw (each once). Checked off the loop:
    the first check reads every font's character map."""
    texts = [answer] if isinstance(answer, str) else []
    if isinstance(answer, list):
        texts = [item for item in answer if isinstance(item, str)]
    elif isinstance(answer, dict):
        texts = [item for item in answer.values() if isinstance(item, str)]
    text = "\n".join(texts)
    if not text or (text.isascii() and text.isprintable()):
        return []
    from facilitate.takeaway.fonts import missing

    return await asyncio.to_thread(missing, text)


def create_app(
    session: Session,
    takeaway_options: TakeawayOptions | None = None,
    *,
    public_url: str | None = None,
    capacity: Capacity | None = None,
    joins: JoinGate | None = None,
) -> web.Application:
    """The phone server. `public_url`: the address phones use when the laptop sits behind a proxy (its
    origin is then the page's own, too, and limits per network address are off). `capacity`: how many
    phones this process has room for (joins beyond it are refused with a sentence; event streams are
    capped to it). `joins`: the gate the facilitator's screen shares (room size, waiting phones)."""
    app = web.Application(client_max_size=MAX_BODY_BYTES, middlewares=[plain_errors, take_turns])
    app.on_response_prepare.append(security_headers_on_prepare)
    app[SESSION_KEY] = session
    app[ORIGINS_KEY] = frozenset({_origin(public_url)} if public_url else ())
    app[JOINS_KEY] = joins if joins is not None else JoinGate(per_address=public_url is None)
    app[LIMITER_KEY] = RateLimiter()
    app[TURNS_KEY] = TurnTaking()
    app[STREAMS_KEY] = OpenStreams(StreamLimits(total=capacity.phones) if capacity else None)
    if capacity is not None:
        app[CAPACITY_KEY] = capacity
    app[PAGE_KEY] = []
    renderer = TakeawayRenderer(takeaway_options or TakeawayOptions())
    app[TAKEAWAY_KEY] = renderer
    app[TAKEAWAY_QUEUE_KEY] = TakeawayQueue()
    app.on_cleanup.append(renderer.close)
    app.on_startup.append(watch_session)
    app.on_shutdown.append(end_streams)
    app.router.add_get("/j/{secret}", page)
    app.router.add_get("/j/{secret}/api/state", state)
    app.router.add_post("/j/{secret}/api/answer", answer)
    add_question_routes(app)  # questions, votes, "I need a pause"
    add_remote_routes(app)  # the facilitator's phone: /remote/{its own secret}
    app.router.add_get("/j/{secret}/api/events", events)
    app.router.add_get("/j/{secret}/takeaway.pdf", takeaway)
    app.router.add_get("/j/{secret}/{name}", static)
    return app


def _origin(url: str) -> str:
    """`scheme://host[:port]` of a URL, as a browser sends it in `Origin`."""
    from yarl import URL

    parsed = URL(url)
    return str(parsed.origin()) if parsed.is_absolute() else url
