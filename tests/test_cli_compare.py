"""`facilitate report ID1 ID2 ID3`: a series' shared before/after question, compared at group level only,
and `facilitate list` showing the series in order."""

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

SERIES = ("self-efficacy", "small-wins-and-models", "voice-values-self-trust")


def run_series_session(
    data_dir: Path, name: str, before: list[int | None], after: list[int | None], start: float
) -> str:
    """A session of `name` whose phones answer the confidence question at the start and at the end."""
    session = Session.start_loaded(open_workshop(name), data_dir=data_dir, clock=FakeClock(start))
    phones = [session.join() for _ in range(max(len(before), len(after)))]
    for step_id, answers in (("confidence-before", before), ("confidence-after", after)):
        session.jump(step_id)
        for phone, value in zip(phones, answers, strict=False):
            session.submit(phone, step_id, value)
    session.end()
    session.close()
    return session.id


@pytest.fixture
def series(tmp_path: Path) -> list[str]:
    day = 7 * 24 * 3600
    now = time.time() - 30 * day
    return [
        run_series_session(tmp_path, SERIES[0], [2, 3, 3, 4, 5, 6], [4, 4, 5, 5, 6, 7], now),
        run_series_session(tmp_path, SERIES[1], [4, 5, 5, 6, 6, None], [5, 6, 6, 7, 8, 8], now + day),
        run_series_session(tmp_path, SERIES[2], [5, 6, 7], [6, 7, 7, 8, 8], now + 2 * day),
    ]


def test_the_confidence_question_is_the_same_in_every_part_of_the_series() -> None:
    asked = set()
    for name in SERIES:
        workshop = open_workshop(name).workshop
        before, after = workshop.step_by_id("confidence-before"), workshop.step_by_id("confidence-after")
        assert after.compare_with == before.id
        asked.add((before.question, before.effective_scale, after.question, after.effective_scale))
    assert len(asked) == 1


def test_report_compares_the_group_across_the_series(
    tmp_path: Path, series: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # Given out of order: the comparison reads forwards in time, as the series ran.
    ids = [series[2], series[0], series[1]]
    assert main(["report", *ids, "--data-dir", str(tmp_path), "--format", "json"]) == 0
    comparison = json.loads(capsys.readouterr().out)
    assert [column["session_id"] for column in comparison["sessions"]] == series
    assert [column["series_part"] for column in comparison["sessions"]] == [1, 2, 3]
    first, second, third = comparison["sessions"]
    assert first["start"]["answered"] == 6 and dict(first["start"]["counts"])["3"] == 2
    assert first["start"]["median"] == 3.5 and first["end"]["median"] == 5
    assert second["start"]["answered"] == 5 and second["start"]["passed"] == 1
    # Three answers are below the threshold of five: totals only, never the distribution.
    assert third["start"]["shown"] is False and third["start"]["counts"] == []
    assert third["start"]["median"] is None and third["end"]["shown"] is True
    assert "nobody is followed" in comparison["note"]

    assert main(["report", *ids, "--data-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "The same question in 3 sessions" in text and "Think of one part of your life" in text
    assert "fewer than 5 answers: not shown" in text
    assert text.index("Small wins and models") < text.index("Voice, values, self-trust")

    out = tmp_path / "series.txt"
    assert main(["report", *ids, "--data-dir", str(tmp_path), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text and f"Wrote {out}" in capsys.readouterr().out

    assert main(["report", *ids, "--data-dir", str(tmp_path), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["session_id"] for row in rows} == set(series)
    assert not any(
        row["session_id"] == series[2] and row["moment"] == "start" and row["count"] for row in rows
    )
    # No column could link a person's answers: only sessions, moments and points.
    assert set(rows[0]) == {
        "session_id", "workshop_id", "series_part", "started", "moment", "answered", "passed", "median",
        "point", "count",
    }  # fmt: skip


def test_sessions_without_the_same_question_are_refused(
    tmp_path: Path, series: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    other = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock(time.time()))
    other.close()
    assert main(["report", series[0], other.id, "--data-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"session {other.id} (check-in) does not ask the same before/after question" in err
    assert main(["report", series[0], series[0], "--data-dir", str(tmp_path)]) == 2
    assert "named twice" in capsys.readouterr().err
    assert main(["report", series[0], "nope", "--data-dir", str(tmp_path)]) == 2
    assert main(["report", *series, "--data-dir", str(tmp_path), "--format", "pdf"]) == 2
    assert "a PDF report is for one session" in capsys.readouterr().err


def test_list_shows_the_series_in_order(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Series: Trusting yourself to act (3 sessions)" in out
    lines = out.splitlines()
    start = lines.index("Series: Trusting yourself to act (3 sessions)")
    assert [line.split()[1] for line in lines[start + 1 : start + 4]] == list(SERIES)
    assert [line.split()[0] for line in lines[start + 1 : start + 4]] == ["1.", "2.", "3."]


def test_list_says_when_a_part_is_missing_or_claimed_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "workshops"
    folder.mkdir()
    source = open_workshop("small-wins-and-models").path.read_text(encoding="utf-8")
    (folder / "part-four.yaml").write_text(
        source.replace("id: small-wins-and-models", "id: part-four").replace("part: 2", "part: 4"),
        encoding="utf-8",
    )
    (folder / "another-two.yaml").write_text(
        source.replace("id: small-wins-and-models", "id: another-two"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "Series: Trusting yourself to act (5 sessions)" in out
    assert "  (part 2 is claimed by more than one workshop)" in out
    assert "  (no workshop for part 3" not in out
    assert "4. part-four" in out
