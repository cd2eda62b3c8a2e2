"""Phones ask anonymous questions, upvote listed ones, and say "I need a pause".

`POST /j/{secret}/api/questions` `{"text"}`, `POST /j/{secret}/api/questions/{id}/vote` `{"vote": bool}`,
`POST /j/{secret}/api/pause` (no body, or `{}`). Same rules as answers: a joined phone's cookie, the
workshop's own page only, a rate limit per phone, JSON bodies only, saved before the reply.
"""

from __future__ import annotations

import json
import time
from typing import Any

from aiohttp import web

from facilitate.server.connections import read_body
from facilitate.server.http import (
    LIMITER_KEY,
    MAX_BODY_BYTES,
    ORIGINS_KEY,
    device_of,
    error_response,
    refuse_cross_site,
    session_of,
)
from facilitate.session.answers import AnswerRefused
from facilitate.session.session import Session


async def _phone_write(
    request: web.Request, fields: frozenset[str], *, body_optional: bool = False
) -> tuple[Session, str, dict[str, Any]] | web.Response:
    """The session, this phone's token and the JSON body, or the response that refuses the request."""
    session = session_of(request)
    token = device_of(request, session)
    if token is None:
        return error_response(400, "This phone has not joined yet: please reload the page")
    refused = refuse_cross_site(request, request.app[ORIGINS_KEY])
    if refused is not None:
        return refused
    if not request.app[LIMITER_KEY].allow(token, time.monotonic()):
        return error_response(429, "Too much at once: please wait a moment")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return error_response(413, "That is too long to send: please shorten it")
    raw = await read_body(request)
    if raw is None:  # a body trickling in: the connection is closed rather than held
        response = error_response(408, "That arrived too slowly: please send it again")
        response.force_close()
        return response
    if not raw and body_optional:
        return session, token, {}
    if request.content_type != "application/json":
        return error_response(415, "Send it as JSON (Content-Type: application/json)")
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return error_response(400, "That could not be read (not JSON)")
    if not isinstance(payload, dict):
        return error_response(400, "Send a JSON object")
    unknown = sorted(set(payload) - fields)
    if unknown:
        return error_response(400, f"Unknown field: {unknown[0]}")
    return session, token, payload


def _refusal(refused: AnswerRefused) -> web.Response:
    return error_response(refused.status, refused.message[:1].upper() + refused.message[1:])


async def ask(request: web.Request) -> web.StreamResponse:
    checked = await _phone_write(request, frozenset({"text"}))
    if isinstance(checked, web.Response):
        return checked
    session, token, payload = checked
    if "text" not in payload:
        return error_response(400, 'Send {"text": "<your question>"}')
    try:
        await session.ask_question_async(token, payload["text"])  # durable before we reply
    except AnswerRefused as refused:
        return _refusal(refused)
    return web.json_response({"ok": True})


async def vote(request: web.Request) -> web.StreamResponse:
    checked = await _phone_write(request, frozenset({"vote"}))
    if isinstance(checked, web.Response):
        return checked
    session, token, payload = checked
    if "vote" not in payload:
        return error_response(400, 'Send {"vote": true} or {"vote": false}')
    try:
        await session.vote_question_async(token, request.match_info["question"], payload["vote"])
    except AnswerRefused as refused:
        return _refusal(refused)
    return web.json_response({"ok": True})


async def pause(request: web.Request) -> web.StreamResponse:
    checked = await _phone_write(request, frozenset(), body_optional=True)
    if isinstance(checked, web.Response):
        return checked
    session, token, _ = checked
    try:
        sent = await session.request_pause_async(token)
    except AnswerRefused as refused:
        return _refusal(refused)
    return web.json_response({"ok": True, "counted": sent.counted, "again_in": sent.again_in})


def add_question_routes(app: web.Application) -> None:
    app.router.add_post("/j/{secret}/api/questions", ask)
    app.router.add_post("/j/{secret}/api/questions/{question}/vote", vote)
    app.router.add_post("/j/{secret}/api/pause", pause)
