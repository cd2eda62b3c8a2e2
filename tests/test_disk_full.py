"""A full disk: phones get 503 "try again", the facilitator is told, nothing acknowledged is lost, and
saving recovers by itself when space returns. Once with an injected ENOSPC (always), once on a real
tiny tmpfs (when this machine lets the tests mount one)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer

from facilitate.server.app import create_app
from facilitate.session.clock import FakeClock
from facilitate.session.journal import Journal, JournalError
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop


async def phone(client: TestClient, session: Session) -> None:
    assert (await client.get(f"/j/{session.join_secret}")).status == 200


async def answer(client: TestClient, session: Session, step: str, value) -> tuple[int, dict]:
    reply = await client.post(
        f"/j/{session.join_secret}/api/answer",
        data=json.dumps({"step": step, "answer": value}),
        headers={"Content-Type": "application/json"},
    )
    return reply.status, await reply.json()


def scale_poll(session: Session) -> str:
    return next(s.id for _, s in session.workshop.steps() if s.kind == "poll" and s.type == "scale")


async def test_injected_enospc_is_a_503_then_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())
    step = scale_poll(session)
    session.jump(step)
    real_write = Journal.write_batch
    async with (
        TestClient(TestServer(create_app(session))) as first,
        TestClient(TestServer(create_app(session))) as second,
    ):
        await phone(first, session)
        await phone(second, session)
        assert (await answer(first, session, step, 4))[0] == 200

        def full(self, records):
            raise JournalError(
                f"Could not save to the session journal {self.path}: {os.strerror(errno.ENOSPC)}."
            )

        monkeypatch.setattr(Journal, "write_batch", full)
        status, body = await answer(second, session, step, 7)
        assert status == 503 and "try again" in body["error"]
        assert session.journal_problem and "No space left" in session.journal_problem
        assert session.results(step).current.answered == 1  # the refused one is not counted either

        monkeypatch.setattr(Journal, "write_batch", real_write)
        assert (await answer(second, session, step, 7))[0] == 200  # the phone's retry
        assert session.journal_problem is None
    session.close()
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock())
    assert resumed.results(step).current.answered == 2


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {result.stderr.strip() or result.returncode}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * 65536)
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


async def test_a_real_full_disk(tiny_disk: Path) -> None:
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tiny_disk, clock=FakeClock())
    step = scale_poll(session)
    session.jump(step)
    jar = aiohttp.CookieJar(unsafe=True)
    acknowledged = 0
    async with TestClient(TestServer(create_app(session)), cookie_jar=jar) as client:
        await phone(client, session)
        assert (await answer(client, session, step, 1))[0] == 200
        acknowledged += 1
        filler = fill(tiny_disk)
        statuses = []
        for value in range(2, 10):  # SQLite may still fit a few in pages it has: keep going until it cannot
            status, body = await answer(client, session, step, value)
            statuses.append(status)
            if status == 200:
                acknowledged += 1
            else:
                assert status == 503 and "try again" in body["error"]
        assert 503 in statuses, "the disk never filled up"
        assert session.journal_problem
        filler.unlink()
        status, _ = await answer(client, session, step, 10)
        assert status == 200 and session.journal_problem is None
        acknowledged += 1
    session.close()
    resumed = Session.resume(tiny_disk, session.id, clock=FakeClock())
    submissions = [sub for sub in resumed._submissions[step]]
    assert len(submissions) == acknowledged and submissions[-1].value == 10
    resumed.close()
