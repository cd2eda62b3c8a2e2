"""Property-based fuzzing of the phone API over a real port: random paths (with traversal, encoded or
not), methods, bodies, content types, cookies and header values. Never a 5xx, never a crash, and nothing
refused changes the session.

`FACILITATE_FUZZ_EXAMPLES` sets how many examples each property runs (default 150; the long run in
`.ci/run`-style soak uses more).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facilitate.server.runner import start_phone_server
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

EXAMPLES = int(os.environ.get("FACILITATE_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@dataclass
class Served:
    session: Session
    port: int
    device: str  # a cookie value of a device that has joined

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            if response.getheader("Content-Type", "").startswith("text/event-stream"):
                return response.status, b""  # a live stream: the status is what matters here
            return response.status, response.read()
        finally:
            connection.close()

    def snapshot(self) -> tuple:
        session = self.session
        polls = [s.id for _, s in session.workshop.steps() if s.kind == "poll"]
        return (
            session.joined,
            tuple(len(session._submissions.get(p, [])) for p in polls),
            len(session._private_answered),
            session.state,
        )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The server in its own thread and loop, as in the app; the tests speak plain HTTP to it."""
    data_dir = tmp_path_factory.mktemp("fuzz")
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=FakeClock())
    poll = next(s for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "multiple")
    session.jump(poll.id)
    loop = asyncio.new_event_loop()
    port = free_port()
    started = threading.Event()
    holder: dict = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        holder["server"] = loop.run_until_complete(start_phone_server(session, host="127.0.0.1", port=port))
        started.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert started.wait(10)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/j/{session.join_secret}")
    response = connection.getresponse()
    response.read()
    cookie = response.getheader("Set-Cookie").split(";")[0].split("=", 1)[1]
    connection.close()
    yield Served(session, port, cookie)
    asyncio.run_coroutine_threadsafe(holder["server"].stop(), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    session.close()


_SEGMENTS = st.sampled_from(
    [
        "", "api", "state", "answer", "events", "app.js", "app.css", "takeaway.pdf", "..", "%2e%2e", "%2E%2E%2F",
        "..%2f", "%252e%252e", "etc", "passwd", "index.html", ".", "//", "%00", "j", "%ff", "ü", "\u202e",
    ]
)  # fmt: skip


@st.composite
def paths(draw, secret: str) -> str:
    prefix = draw(st.sampled_from([f"/j/{secret}", "/j/wrong-secret", "/j", "/", f"/j/{secret}/api", ""]))
    tail = draw(st.lists(_SEGMENTS | st.text(max_size=12), max_size=5))
    path = (prefix + "/" + "/".join(tail)).replace("\n", "").replace("\r", "").replace(" ", "%20")
    if draw(st.booleans()):
        path += "?" + draw(st.text(max_size=20)).replace("\n", "").replace(" ", "+")
    try:
        path.encode("ascii")
    except UnicodeEncodeError:
        path = path.encode("utf-8").decode("latin-1")
        from urllib.parse import quote

        path = quote(path, safe="/?%=&+")
    return path or "/"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=8), inner, max_size=5),
    max_leaves=20,
)


@st.composite
def answer_bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["json", "shaped", "bytes", "huge"]))
    if kind == "json":
        return json.dumps(draw(json_values)).encode()
    if kind == "shaped":
        body = {
            "step": draw(
                st.sampled_from(["weather", "week-words", "energy-before", "drain", "x", ""])
                | st.text(max_size=10)
            )
        }
        body["answer"] = draw(json_values)
        if draw(st.booleans()):
            body[draw(st.text(max_size=5))] = draw(json_values)
        return json.dumps(body, ensure_ascii=draw(st.booleans())).encode("utf-8", "surrogatepass")
    if kind == "huge":
        return b'{"step": "weather", "answer": "' + b"x" * draw(st.integers(3000, 20000)) + b'"}'
    return draw(st.binary(max_size=600))


header_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=60)


@given(data=st.data())
@FUZZ
def test_any_request_gets_an_answer_below_500(served: Served, data: st.DataObject) -> None:
    method = data.draw(st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"]))
    path = data.draw(paths(served.session.join_secret))
    headers = {}
    if data.draw(st.booleans()):
        headers["Cookie"] = data.draw(
            st.sampled_from([f"facilitate_device={served.device}", "facilitate_device=forged"]) | header_text
        )
    if data.draw(st.booleans()):
        headers["Content-Type"] = data.draw(
            st.sampled_from(["application/json", "text/plain", "multipart/form-data"]) | header_text
        )
    if data.draw(st.booleans()):
        headers[
            data.draw(st.sampled_from(["User-Agent", "X-Forwarded-For", "Accept", "Range", "If-None-Match"]))
        ] = data.draw(header_text)
    body = data.draw(answer_bodies()) if method in ("POST", "PUT", "PATCH") else None
    before = served.snapshot()
    try:
        status, reply = served.request(method, path, body, headers)
    except (ValueError, http.client.InvalidURL):
        return  # the client itself refused to send it: nothing reached the server
    assert status < 500, (method, path, status, reply[:200])
    accepted = status == 200 and method in ("GET", "POST")  # a join or a saved answer may change things
    if not accepted:
        assert served.snapshot() == before, (method, path, status)
    if status == 200 and method == "GET" and "/app." not in path and path.rstrip("/").count("/") > 2:
        assert b"root:" not in reply  # no file outside the fixed list, however the path is spelled


@given(body=answer_bodies(), cookie=st.booleans())
@FUZZ
def test_answer_bodies_are_refused_cleanly_or_saved(served: Served, body: bytes, cookie: bool) -> None:
    headers = {"Content-Type": "application/json"}
    if cookie:
        headers["Cookie"] = f"facilitate_device={served.device}"
    before = served.snapshot()
    status, reply = served.request("POST", f"/j/{served.session.join_secret}/api/answer", body, headers)
    assert status in (200, 400, 404, 409, 413, 422, 429), (status, reply[:200])
    payload = json.loads(reply)
    if status == 200:
        assert payload == {"ok": True}
    else:
        assert isinstance(payload["error"], str) and payload["error"]
        assert served.snapshot() == before


def test_the_server_still_serves_after_the_fuzzing(served: Served) -> None:
    status, body = served.request("GET", f"/j/{served.session.join_secret}/api/state")
    assert status == 200 and json.loads(body)["poll"]["type"] == "multiple"


def test_static_files_cannot_be_reached_by_traversal(served: Served, tmp_path: Path) -> None:
    secret = served.session.join_secret
    for path in (
        f"/j/{secret}/../../etc/passwd",
        f"/j/{secret}/%2e%2e/%2e%2e/etc/passwd",
        f"/j/{secret}/..%2f..%2fpyproject.toml",
        f"/j/{secret}/app.js/../../../README.md",
        f"/j/{secret}/%252e%252e%252fapp.js",
        f"/j/{secret}/index.html",
    ):
        status, body = served.request("GET", path)
        assert status == 404 or (status == 200 and b"root:" not in body and b"[project]" not in body), path
