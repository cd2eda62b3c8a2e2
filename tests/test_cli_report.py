"""`facilitate report` and `facilitate purge`: totals only, nothing private, and deletion that asks first."""

from __future__ import annotations

import csv
import io
import json
import time
from pathlib import Path

import pytest

from facilitate.cli import main
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.workshop.registry import open_workshop

REFLECTION = "the night my father left"


def run_session(data_dir: Path, *, end: bool = True, start: float | None = None) -> Session:
    clock = FakeClock(start if start is not None else time.time() - 3600)
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data_dir, clock=clock)
    steps = {(s.kind, getattr(s, "type", None)): s for _, s in session.workshop.steps()}
    phones = [session.join() for _ in range(5)]
    session.submit(phones[0], steps["reflection", None].id, REFLECTION)
    session.submit(phones[0], steps["plan", None].id, {"if": "I wake at 4", "then": "I read"})
    single = steps["poll", "single"]
    session.jump(single.id)
    clock.advance(75)
    for index, phone in enumerate(phones):
        session.submit(phone, single.id, index % 2 if index < 4 else None)
    words = steps["poll", "words"]
    session.jump(words.id)
    session.submit(phones[0], words.id, ["calm"])  # 1 answer: below the threshold of 3
    text = steps["poll", "text"]
    session.jump(text.id)
    for phone, answer in zip(
        phones, ["Rest", '=HYPERLINK("http://x")', "Hidden one", "Rest", None], strict=True
    ):
        session.submit(phone, text.id, answer)
    session.moderate(text.id, "Rest", approved=True)
    session.moderate(text.id, '=HYPERLINK("http://x")', approved=True)
    session.moderate(text.id, "Hidden one", approved=False)
    if end:
        session.keep_private_seconds = 24 * 3600  # keep private text: the report must not show it anyway
        session.end()
    session.close()
    return session


def test_report_gives_totals_and_nothing_private(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = run_session(tmp_path)
    assert main(["report", session.id, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out)
    polls = {poll["type"]: poll for poll in report["polls"]}
    assert polls["single"]["answered"] == 4 and polls["single"]["passed"] == 1
    assert [count for _, count in polls["single"]["rows"]][:2] == [2, 2]
    assert polls["words"]["shown"] is False and polls["words"]["rows"] == []
    assert polls["text"]["texts"] == ["Rest", '=HYPERLINK("http://x")']
    assert REFLECTION not in out and "I wake at 4" not in out and "Hidden one" not in out
    assert report["devices"] == 5 and report["ended"]
    step = next(row for row in report["times"] if row["id"] == polls["single"]["step_id"])
    assert step["planned_minutes"] == 1 and step["actual_minutes"] == 1.2


def test_report_text_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    session = run_session(tmp_path)
    assert main(["report", session.id, "--data-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "fewer than 3 answers" in text and "planned" in text and REFLECTION not in text
    assert "(asked at the start)" in text and "(asked again at the end)" in text  # a before/after pair
    assert main(["report", session.id, "--data-dir", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "section"
    cells = [cell for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells  # never a live formula in a spreadsheet
    assert not any(cell.startswith("=") for cell in cells)


def test_report_of_an_unknown_session_is_a_clear_error(tmp_path: Path, capsys) -> None:
    assert main(["report", "no-such-session", "--data-dir", str(tmp_path)]) == 2
    assert "facilitate sessions" in capsys.readouterr().err


def test_report_leaves_a_running_session_untouched(tmp_path: Path, capsys) -> None:
    session = run_session(tmp_path, end=False)
    path = tmp_path / "sessions" / f"{session.id}.sqlite"
    before = path.read_bytes()
    assert main(["report", session.id, "--data-dir", str(tmp_path)]) == 0
    resumed = Session.resume(tmp_path, session.id, clock=FakeClock(time.time()))
    assert resumed.private_answers  # nothing deleted, and it still resumes
    resumed.close()
    assert before  # the file was read, not replaced


def test_commands_delete_private_answers_past_their_deadline(tmp_path: Path) -> None:
    session = run_session(tmp_path, start=time.time() - 3 * 86400)
    path = tmp_path / "sessions" / f"{session.id}.sqlite"
    assert REFLECTION.encode() in path.read_bytes()  # ended 3 days ago with 24 h of grace: overdue
    assert main(["sessions", "--data-dir", str(tmp_path)]) == 0
    assert REFLECTION.encode() not in path.read_bytes()


def test_purge_asks_and_deletes_for_good(tmp_path: Path, capsys, monkeypatch) -> None:
    session = run_session(tmp_path)
    path = tmp_path / "sessions" / f"{session.id}.sqlite"
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["purge", session.id, "--data-dir", str(tmp_path)]) == 2
    assert "--yes" in capsys.readouterr().err and path.exists()
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["purge", session.id, "--data-dir", str(tmp_path)]) == 0 and path.exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "y")
    assert main(["purge", session.id, "--data-dir", str(tmp_path)]) == 0
    assert not path.exists() and not list((tmp_path / "sessions").glob("*"))


def test_purge_older_than_keeps_recent_and_unfinished(tmp_path: Path, capsys) -> None:
    old = run_session(tmp_path, start=time.time() - 40 * 86400)
    recent = run_session(tmp_path)
    unfinished = run_session(tmp_path, end=False, start=time.time() - 50 * 86400)
    assert main(["purge", "--older-than", "30d", "--yes", "--data-dir", str(tmp_path)]) == 0
    left = {p.name.removesuffix(".sqlite") for p in (tmp_path / "sessions").glob("*.sqlite")}
    assert left == {recent.id, unfinished.id} and old.id not in left
    assert "unfinished" in capsys.readouterr().out
    assert main(["purge", "--older-than", "soon", "--yes", "--data-dir", str(tmp_path)]) == 2


def test_report_says_a_session_that_has_not_ended_is_paused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not "ended not ended": a quit session is paused, and the report says how to continue it."""
    session = run_session(tmp_path, end=False)
    assert main(["report", session.id, "--data-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "not ended" in text and "ended not ended" not in text
    assert f"paused, not ended (`{session.resume_command}` continues it)" in text
    assert f"--data-dir {tmp_path}" in session.resume_command  # a command that works from any folder
    assert main(["report", session.id, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "paused" and report["ended"] is None
    ended = run_session(tmp_path)
    assert main(["report", ended.id, "--data-dir", str(tmp_path)]) == 0
    assert " · ended 20" in capsys.readouterr().out
