"""Our own line breaking (document.wrap and the styled-run layout): no word lost or reordered, every line
fits its width, the author's line breaks kept, and a word wider than the line broken, not dropped."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from facilitate.takeaway.document import BODY, Document

WIDTH = 60.0  # millimetres: a narrow column, so wrapping happens often


def document() -> Document:
    return Document(paper="A4", title="t", author="a", lang="en")


DOC = document()
words = st.text(
    alphabet=st.characters(codec="latin-1", exclude_categories=("Cc", "Zs")), min_size=1, max_size=40
)
paragraphs = st.lists(words, min_size=0, max_size=40).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(paragraphs, min_size=1, max_size=3).map("\n".join))
def test_wrap_keeps_every_character_and_fits_the_width(text: str) -> None:
    DOC.style(BODY)
    lines = DOC.wrap(text, WIDTH)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert len(lines) >= text.count("\n") + 1
    room = WIDTH - 2 * DOC.c_margin
    for line in lines:
        assert DOC.get_string_width(line) <= room + 0.01 or len(line) == 1


def test_short_text_is_one_line_and_a_long_word_is_broken() -> None:
    DOC.style(BODY)
    assert DOC.wrap("When I notice it, I will pause.", 150) == ["When I notice it, I will pause."]
    long_word = "x" * 200
    lines = DOC.wrap(f"before {long_word} after", WIDTH)
    assert lines[0] == "before"
    assert "".join(lines[1:-1]) + lines[-1].removesuffix(" after") == long_word
    assert lines[-1].endswith("after")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(paragraphs, st.sampled_from(["", "B", True, False])), min_size=1, max_size=5))
def test_styled_runs_keep_their_text_in_order_within_the_width(runs) -> None:
    lines = DOC._rich_lines(runs, BODY, WIDTH)
    laid_out = "".join(text for line in lines for text, _, _ in line)
    assert laid_out.replace(" ", "") == "".join(text for text, _ in runs).replace(" ", "")
    for line in lines:
        assert sum(width for _, _, width in line) <= WIDTH + 0.01 or sum(len(t) for t, _, _ in line) == 1


def test_a_bold_label_and_its_text_share_a_line_in_two_styles() -> None:
    lines = DOC._rich_lines([("When ", True), ("I feel stuck,", False)], BODY, 150)
    assert [(text, style) for text, style, _ in lines[0]] == [("When", "B"), (" I feel stuck,", "")]
    assert len(lines) == 1


@settings(max_examples=100, deadline=None)
@given(words, st.sampled_from(["", "B"]), st.sampled_from([10.0, 11.5, 16.0]))
def test_measure_agrees_with_fpdf2(text: str, style: str, size: float) -> None:
    DOC.style(size, style)
    assert abs(DOC.measure(text) - DOC.get_string_width(text)) < 1e-9
