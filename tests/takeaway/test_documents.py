"""The PDFs read back: each participant's takeaway holds their own words and nobody else's, results only
as revealed, help lines for the locale, metadata and paper size, Unicode intact, QR codes that scan."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from facilitate.cli import main
from facilitate.session.clock import FakeClock
from facilitate.session.session import Session
from facilitate.takeaway import render_guide, render_handout, render_takeaway
from facilitate.takeaway.collect import group_results, personal_answers
from facilitate.workshop.registry import open_workshop

A4 = (595, 842)
LETTER = (612, 792)


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def size_of(pdf: bytes) -> tuple[int, int]:
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    return round(float(box.width)), round(float(box.height))


def workshop(name: str = "check-in", **update):
    return open_workshop(name).workshop.model_copy(update=update)


@pytest.fixture
def session(tmp_path: Path) -> Session:
    return Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=FakeClock())


def step(session: Session, kind: str, poll_type: str | None = None):
    return next(
        s
        for _, s in session.workshop.steps()
        if s.kind == kind and (poll_type is None or s.type == poll_type)
    )


def test_each_takeaway_holds_its_own_words_and_no_one_elses(session: Session) -> None:
    reflection, plan = step(session, "reflection"), step(session, "plan")
    before = step(session, "poll", "scale")
    after = next(s for _, s in session.workshop.steps() if getattr(s, "compare_with", None))
    weather, words = step(session, "poll", "single"), step(session, "poll", "words")
    ana, ben, cleo = (session.join() for _ in range(3))
    session.submit(ana, reflection.id, "Ana: the summer I learned to swim")
    session.submit(ana, plan.id, {"if": "I feel stuck at 3 pm", "then": "I walk round the block"})
    session.submit(ben, reflection.id, "Ben: my first week at the bakery")
    session.jump(before.id)
    session.submit(ana, before.id, 3)
    session.jump(weather.id)
    for phone in (ana, ben, cleo):
        session.submit(phone, weather.id, 1)
    assert session.toggle_reveal(weather.id).ok
    session.jump(words.id)
    session.submit(ana, words.id, ["tired"])  # one answer: below the threshold, never revealed
    session.jump(after.id)
    session.submit(ana, after.id, 7)

    results = group_results(session)
    assert [summary.step_id for summary in results] == [weather.id]
    ana_pdf = text_of(
        render_takeaway(session.workshop, results=results, personal=personal_answers(session, ana))
    )
    ben_pdf = text_of(
        render_takeaway(session.workshop, results=results, personal=personal_answers(session, ben))
    )
    general = text_of(render_takeaway(session.workshop, results=results))
    assert "the summer I learned to swim" in ana_pdf and "I walk round the block" in ana_pdf
    assert "from 3 to 7" in ana_pdf  # her own before and after
    assert "bakery" not in ana_pdf
    assert "bakery" in ben_pdf and "swim" not in ben_pdf and "round the block" not in ben_pdf
    assert "swim" not in general and "bakery" not in general and "Just for you" not in general
    for text in (ana_pdf, ben_pdf, general):
        assert weather.question in text and "Partly cloudy" in text
        assert words.question not in text  # below its threshold
        for module in session.workshop.modules:
            for point in module.key_points:
                assert point in text


@pytest.mark.parametrize(
    ("locale", "expected", "paper"),
    [
        ("en-US", "988", LETTER),
        ("en-CA", "988", LETTER),
        ("en-GB", "116 123", A4),
        ("en-IE", "116 123", A4),
        ("en-AU", "13 11 14", A4),
        ("fr-FR", "findahelpline.com", A4),
    ],
)
def test_help_lines_and_paper_follow_the_locale(locale: str, expected: str, paper) -> None:
    pdf = render_takeaway(workshop(locale=locale))
    text = text_of(pdf)
    assert expected in text and "not therapy or crisis care" in text and "emergency" in text
    assert size_of(pdf) == paper
    assert size_of(render_takeaway(workshop(locale=locale), paper="Letter")) == LETTER


def test_metadata_names_the_document() -> None:
    pdf = render_takeaway(workshop(locale="en-GB"), facilitator="Sam Rivera")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Weekly check-in" and reader.metadata.author == "Sam Rivera"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_unicode_survives_and_a_character_no_font_has_shows_visibly(session: Session) -> None:
    reflection = step(session, "reflection")
    phone = session.join()
    typed = "Zoë’s “café” — Ελπίδα, Надежда, naïve résumé 🙂 \U00012000 end"  # a cuneiform sign: no font here
    session.submit(phone, reflection.id, typed)
    text = text_of(render_takeaway(session.workshop, personal=personal_answers(session, phone)))
    for part in ("Zoë’s", "“café”", "Ελπίδα", "Надежда", "naïve résumé", "🙂", "end"):
        assert part in text, part
    assert "\U00012000" not in text and "□" in text  # replaced visibly, the words around it kept


def test_handout_and_guide_contents() -> None:
    source = workshop("self-efficacy")
    handout = text_of(render_handout(source))
    for _, s in source.steps():
        if s.kind == "reflection":
            assert " ".join(s.prompt.split())[:40] in handout
        if s.kind == "plan":
            assert f"{s.if_label} …" in handout and f"{s.then_label} …" in handout
    assert "988" in handout and "not therapy" in handout
    guide = text_of(render_guide(source, start="09:30"))
    assert "Safety protocol" in guide and "Prepare" in guide and "09:30" in guide
    first = source.modules[0].steps[0]
    assert first.title in guide and " ".join(first.notes.replace("`", "").split())[:30] in guide
    for module in source.modules:
        assert module.goal.split()[0] in guide


def test_cli_handout_guide_and_report_pdf(tmp_path: Path, capsys) -> None:
    assert main(["handout", "check-in", "-o", str(tmp_path / "h.pdf")]) == 0
    assert main(["guide", "check-in", "-o", str(tmp_path / "g.pdf"), "--start", "14:00"]) == 0
    assert "14:00" in text_of((tmp_path / "g.pdf").read_bytes())
    assert main(["guide", "check-in", "-o", str(tmp_path / "x.pdf"), "--start", "25:99"]) == 2
    data = tmp_path / "data"
    session = Session.start_loaded(open_workshop("check-in"), data_dir=data, clock=FakeClock())
    session.end()
    session.close()
    out = tmp_path / "r.pdf"
    assert main(["report", session.id, "--data-dir", str(data), "--format", "pdf", "-o", str(out)]) == 0
    assert "session report" in text_of(out.read_bytes())


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("zbarimg") is None,
    reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools) to read the QR codes back",
)
def test_every_qr_code_scans_to_its_url(tmp_path: Path) -> None:
    source = workshop("self-efficacy")
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_takeaway(source))
    subprocess.run(["pdftoppm", "-r", "200", "-png", str(pdf), str(tmp_path / "page")], check=True)
    found: set[str] = set()
    for page in sorted(tmp_path.glob("page*.png")):
        result = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True)
        found.update(line.strip() for line in result.stdout.splitlines() if line.strip())
    assert {resource.url for resource in source.resources} <= found


def test_after_the_deadline_the_takeaway_says_where_the_reflection_went(tmp_path: Path) -> None:
    clock = FakeClock()
    session = Session.start_loaded(open_workshop("check-in"), data_dir=tmp_path, clock=clock)
    reflection, plan = step(session, "reflection"), step(session, "plan")
    ana = session.join()
    session.submit(ana, reflection.id, "the summer I learned to swim")
    session.submit(ana, plan.id, {"if": "I finish work on Friday.", "then": "I call my sister"})
    before = text_of(render_takeaway(session.workshop, personal=personal_answers(session, ana)))
    assert "the summer I learned to swim" in before
    assert "I finish work on Friday," in before and "Friday.," not in before  # one mark, not two
    assert "were deleted" not in before
    session.keep_private_seconds = 60
    session.end()
    clock.advance(61)
    assert session.expire_private()
    after = text_of(render_takeaway(session.workshop, personal=personal_answers(session, ana)))
    assert "the summer I learned to swim" not in after
    assert "were deleted a while after the session ended" in after


def test_a_before_and_after_pair_says_which_time_each_chart_is() -> None:
    from facilitate.takeaway.sample import sample_results

    workshop = open_workshop("self-efficacy").workshop
    text = text_of(render_takeaway(workshop, results=sample_results(workshop)))
    assert "Asked at the start:" in text and "Asked again at the end:" in text
    assert text.index("Asked at the start:") < text.index("Asked again at the end:")


def test_bars_and_columns_show_the_share_of_people_who_answered(session: Session) -> None:
    """Issue 12: a takeaway whose bars used a wrong percentage passed every test. Six people answered:
    the share is of them, not of the choices they made (9), nor of the largest count, nor of everyone
    who joined (9)."""
    multiple, scale = step(session, "poll", "multiple"), step(session, "poll", "scale")
    phones = [session.join() for _ in range(9)]  # three joined and never answered
    session.jump(multiple.id)
    choices = [[0, 1], [0, 1], [0, 1], [0], [0], [2]]  # A: 5, B: 3, C: 1 of 6 people
    for phone, chosen in zip(phones, choices, strict=False):
        session.submit(phone, multiple.id, chosen)
    assert session.toggle_reveal(multiple.id).ok
    session.jump(scale.id)
    low = scale.effective_scale.min
    for phone, value in zip(phones, [low, low, low + 1, low + 1, low + 1, low + 2], strict=False):
        session.submit(phone, scale.id, value)  # 2, 3 and 1 of 6 people
    assert session.toggle_reveal(scale.id).ok
    results = group_results(session)
    shown = {summary.step_id: summary for summary in results}
    assert shown[multiple.id].total == 6 and shown[scale.id].total == 6
    text = text_of(render_takeaway(session.workshop, results=results))
    for option, figure in zip(multiple.options, ["5 (83%)", "3 (50%)", "1 (17%)"], strict=False):
        assert f"{option} {figure}" in text, (option, figure)
    assert "33%" in text  # the scale's columns: 2 of 6 (and 3 of 6: 50%, 1 of 6: 17%)
    for wrong in ("100%", "67%", "56%", "60%", "20%"):  # of the largest count, of choices, of joined
        assert wrong not in text, wrong
