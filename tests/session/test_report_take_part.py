"""The report of a session with questions, pauses, checked words, ranking and points: totals only."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from facilitate.session.clock import FakeClock
from facilitate.session.report import build_report, render_csv, render_text
from facilitate.session.session import Session
from facilitate.takeaway.report_pdf import render_report_pdf
from facilitate.workshop.loader import parse_workshop
from facilitate.workshop.starter import starter_text

SECRET_WORD = "Jordan Lee"


async def run(tmp_path: Path) -> Session:
    source = starter_text(Path("take-part.yaml")).replace("reveal_min: 5", "reveal_min: 2")
    session = Session.start(
        parse_workshop(source),
        data_dir=tmp_path,
        clock=FakeClock(1000.0),
        source_text=source,
        source_path=None,
    )
    phones = [session.join() for _ in range(3)]
    session.jump("what-first")
    for phone, order in zip(phones, ([1, 0, 2], [1, 2, 0], [0, 1, 2]), strict=True):
        session.submit(phone, "what-first", order)
    await session.request_pause_async(phones[0])
    session.jump("where-energy")
    for phone, spread in zip(phones, ([50, 50, 0], [100, 0, 0], [20, 30, 50]), strict=True):
        session.submit(phone, "where-energy", spread)
    session.jump("in-the-way")
    for phone, words in zip(phones, (["fear"], ["fear", SECRET_WORD], ["time"]), strict=True):
        session.submit(phone, "in-the-way", words)
    session.check_words("in-the-way", ["fear"], shown=True)
    session.check_words("in-the-way", [SECRET_WORD], shown=False)  # "time" never checked
    listed = await session.ask_question_async(phones[1], "Is it normal to freeze?")
    set_aside = await session.ask_question_async(phones[2], "Who is the man in row 2?")
    await session.ask_question_async(phones[2], "Still waiting?")
    session.moderate_question(listed, approved=True)
    session.moderate_question(set_aside, approved=False)
    await session.vote_question_async(phones[0], listed, True)
    await session.request_pause_async(phones[1])
    return session


async def test_report_has_ranks_points_questions_and_pauses_and_no_hidden_word(tmp_path: Path) -> None:
    session = await run(tmp_path)
    report = build_report(session)
    polls = {poll.step_id: poll for poll in report.polls}
    assert polls["what-first"].ranks == [
        ("Start smaller", 1.33, 2),
        ("Ask for help", 2.0, 1),
        ("Plan the time", 2.67, 0),
    ]
    assert polls["where-energy"].rows == [("Rest", 170), ("People", 80), ("Learning something new", 50)]
    assert polls["in-the-way"].rows == [("fear", 2)]
    assert report.questions == [("Is it normal to freeze?", 1, False)]
    assert report.pauses == [("The main part", 2)]
    text = render_text(report)
    assert "1. Start smaller" in text and "average rank 1.3 · first for 2" in text
    assert "170 points  57%" in text
    assert "PAUSE REQUESTS (counts only)" in text
    csv_text = render_csv(report)
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert ["question", "", "Is it normal to freeze?", "", "", "", "1"] in rows
    for rendered in (text, csv_text, report.to_json()):
        assert SECRET_WORD not in rendered and "time" not in json.dumps(polls["in-the-way"].rows)
        assert "row 2" not in rendered and "Still waiting" not in rendered
    session.close()


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (Debian poppler-utils) is not installed"
)
async def test_the_pdf_report_reads_back_the_same(tmp_path: Path) -> None:
    session = await run(tmp_path)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render_report_pdf(build_report(session)))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "average rank 1.3, first for 2" in text and "Is it normal to freeze?" in text
    assert "The main part: 2" in text
    assert SECRET_WORD not in text and "row 2" not in text
    session.close()
