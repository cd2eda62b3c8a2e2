"""What the attack tests share: the security headers they look for, and a phone's moves."""

from __future__ import annotations

import json
from pathlib import Path

from aiohttp.test_utils import TestClient

from facilitate.server.app import COOKIE
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

SECURITY_HEADERS = ("Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options")


def new_session(data_dir: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=FakeClock())


def step_of(session: Session, kind: str, poll_type: str | None = None) -> str:
    return next(
        s.id
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


async def join(client: TestClient, session: Session) -> None:
    response = await client.get(f"/j/{session.join_secret}")
    assert response.status == 200 and COOKIE in response.cookies


async def post(client: TestClient, session: Session, data: bytes, **headers: str):
    headers = {"Content-Type": "application/json", **headers}
    return await client.post(f"/j/{session.join_secret}/api/answer", data=data, headers=headers)


def answer(step: str, value: object) -> bytes:
    return json.dumps({"step": step, "answer": value}).encode()
