"""Paragraphs laid out by fpdf2's own line breaking with text shaping: every word kept and in order, the
measured height the height drawn, a word wider than the line broken rather than dropped, and the quick
width of unshaped Latin text within a kerning's breadth of what HarfBuzz draws."""

from __future__ import annotations

import io

from fpdf.enums import TextDirection
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from facilitate.takeaway.document import BODY, Document, line_height

WIDTH = 60.0  # millimetres: a narrow column, so wrapping happens often


def document() -> Document:
    return Document(paper="A4", title="t", author="a", lang="en")


words = st.text(alphabet=st.characters(codec="latin-1", categories=("L", "N", "P")), min_size=1, max_size=40)
paragraphs = st.lists(words, min_size=1, max_size=30).map(" ".join)


def drawn(doc: Document) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(doc.finish())).pages).split()
    )


@settings(max_examples=30, deadline=None)
@given(paragraphs, st.sampled_from(["", "B", True, False]))
def test_the_measured_height_is_the_height_drawn_and_every_word_is_kept(text: str, style) -> None:
    doc = document()
    doc.set_left_margin(20)
    measured = doc.runs_height([(text, style)], WIDTH)
    top = doc.y
    doc.rich([(text, style)], after=0, width=WIDTH)
    assert abs((doc.y - top) - measured) < 0.01
    assert measured >= line_height(BODY) - 0.01
    out = drawn(doc)
    position = 0
    for word in text.split():
        found = out.find(word, position)
        assert found >= 0 or word in out.replace(" ", ""), word
        position = max(position, found)


def test_a_bold_label_and_its_text_share_a_line() -> None:
    doc = document()
    assert doc.runs_height([("When ", True), ("I feel stuck,", False)], 150) == line_height(BODY)
    doc.rich([("When ", True), ("I feel stuck,", False)])
    assert "When I feel stuck," in drawn(doc)


def test_a_word_longer_than_the_line_is_broken_not_lost() -> None:
    doc = document()
    long_word = "x" * 200
    height = doc.runs_height([(f"before {long_word} after", False)], WIDTH)
    assert height >= 4 * line_height(BODY)
    doc.rich([(f"before {long_word} after", False)], width=WIDTH)
    assert drawn(doc).replace(" ", "").count("x") == 200


@settings(max_examples=60, deadline=None)
@given(words, st.sampled_from(["", "B"]), st.sampled_from([10.0, 11.5, 16.0]))
def test_the_quick_width_of_latin_text_is_harfbuzzs_within_kerning(
    text: str, style: str, size: float
) -> None:
    doc = document()
    doc.style(size, style)
    font = doc.current_font
    params = {"fragment_direction": TextDirection.LTR, "features": {}}
    quick = font.shaped_text_width(text, size, params)[1]
    shaped = type(font).__mro__[1].shaped_text_width(font, text, size, params)[1]
    assert abs(quick - shaped) <= 0.08 * size * len(text) ** 0.5 + 0.01
