"""Text as every script needs it, laid out by fpdf2 itself: HarfBuzz shapes each run (joined Arabic,
Indic conjuncts, emoji), the bidirectional algorithm orders right-to-left runs, fpdf2's own line breaking
wraps what HarfBuzz measured, and a character the current font lacks is drawn in the first font that has
it (`fonts.fallback_family`), added to the document when first needed.

`ShapedText` adds to fpdf2 what our documents need: paragraphs made of runs in several styles (a bold
label, then the answer), heights measured without drawing, and two corrections to fpdf2 (see
`_render_styled_text_line` and `_preload_bidirectional_text`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate

from fpdf import FPDF, XPos, YPos
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import Align, MethodReturnValue, TextDirection
from fpdf.line_break import MultiLineBreak

from facilitate.takeaway.fonts import FAMILY, fallback_family, install_fallback, sanitize

PT = 25.4 / 72  # millimetres per point
LEADING = 1.45  # line height as a multiple of the type size
BODY = 12.0  # body text: 12 pt on paper and on the phone (15 CSS px at fit-width there)

# Characters that make the bidirectional algorithm matter: right-to-left scripts and explicit direction marks.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufb1d-\ufdff\ufe70-\ufefe"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


# Heights measured, by (runs, width, size), for every document of this process: the fonts are the same in
# all of them, and a workshop's words recur in every participant's takeaway.
_HEIGHTS: dict[tuple, float] = {}
_MAX_HEIGHTS = 20_000


def line_height(size: float) -> float:
    return size * PT * LEADING


class ShapedText(FPDF):
    """fpdf2 with text shaping on, fallback fonts per character, and paragraphs of styled runs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pending_runs: tuple[list[tuple[str, str]], float] | None = None  # see `_runs_cell`
        self._tag: str | None = None  # see `tagged`
        self._tag_elem = None
        self._in_artifact = False
        self._mcids: dict[int, int] = {}
        self.struct_builder.next_mcid_for_page = self._next_mcid  # fpdf2's images count with ours
        self.set_text_shaping(True)

    def _font_style(self, style: bool | str) -> str:
        if style is True or (isinstance(style, str) and "B" in style):
            return "B"  # there is no bold italic: bold wins
        if isinstance(style, str) and "I" in style and FAMILY + "I" in self.fonts:
            return "I"
        return ""

    def text_height(self, text: str, *, width: float, size: float = BODY, bold: bool | str = False) -> float:
        """How tall `text` will be, wrapped at `width`."""
        return self.runs_height([(text, bold)], width, size)

    def runs_height(self, runs: Sequence[tuple[str, bool | str]], width: float, size: float = BODY) -> float:
        """How tall a paragraph of (text, style) runs will be, wrapped at `width` (remembered: a layout
        asks again for what it measured before drawing it, and the next takeaway for the same words)."""
        key = (tuple((text, self._font_style(style)) for text, style in runs), round(width, 3), size)
        found = _HEIGHTS.get(key)
        if found is None:
            if len(_HEIGHTS) > _MAX_HEIGHTS:
                _HEIGHTS.clear()
            found = _HEIGHTS[key] = float(self._runs_cell(runs, width, size, dry_run=True))
        return found

    def text_lines(self, text: str, *, width: float, size: float, align: str = "L") -> None:
        """Write `text` wrapped at `width` from the current x in the current style, breaking pages as needed."""
        self._runs_cell([(text, self.font_style)], width, size, align=align)
        self.set_x(self.l_margin)

    def _runs_cell(
        self,
        runs: Sequence[tuple[str, bool | str]],
        width: float,
        size: float,
        *,
        align: str = "L",
        dry_run: bool = False,
        link: str | None = None,
    ) -> float:
        """One paragraph of (text, style) runs at `size`, shaped and wrapped by fpdf2's own line breaking
        (HarfBuzz measures what it draws: joined Arabic, Indic conjuncts, right-to-left runs). Returns its
        height; `dry_run` only measures it (the lines are broken, not drawn).

        A style is True/False for bold or a string ("", "B", "I"). fpdf2 takes one text in one style, so
        the runs are turned into its fragments here (`_preload_bidirectional_text`), each in its style."""
        prepared = [(sanitize(text), self._font_style(style)) for text, style in runs]
        prepared = [(text, style) for text, style in prepared if text] or [(" ", "")]
        text = "".join(text for text, _ in prepared)
        if (
            align == "L"
            and _RIGHT_TO_LEFT.search(text)
            and auto_detect_base_direction(text) == TextDirection.RTL
        ):
            align = "R"  # a paragraph that starts right to left is set from the right
        self._pending_runs = (prepared, size)
        try:
            if dry_run:
                fragments = self._preload_bidirectional_text(text, False)
                breaker = MultiLineBreak(
                    fragments, width, [self.c_margin, self.c_margin], align=Align.coerce(align)
                )
                lines = 0
                while breaker.get_line() is not None:
                    lines += 1
                return max(lines, 1) * line_height(size)
            left = self.x
            height = self.multi_cell(
                width,
                line_height(size),
                text,
                align=align,
                new_x=XPos.LEFT,
                new_y=YPos.NEXT,
                output=MethodReturnValue.HEIGHT,
                link=link or "",
            )
            if self.x != left:
                self.set_x(left)
            return height
        finally:
            self._pending_runs = None

    def _preload_bidirectional_text(self, text: str, markdown: bool):  # type: ignore[override]
        """fpdf2's, for our runs of styles, and without the bidirectional algorithm for text with nothing
        right-to-left in it (a third of a takeaway's time, for one left-to-right run it already knew)."""
        pending, self._pending_runs = self._pending_runs, None
        if pending is None:
            if self.text_shaping and not _RIGHT_TO_LEFT.search(text):
                self.text_shaping["paragraph_direction"] = TextDirection.LTR
                self.text_shaping["fragment_direction"] = TextDirection.LTR
                return self._preload_font_styles(text, markdown)
            return super()._preload_bidirectional_text(text, markdown)
        runs, size = pending
        joined = "".join(text for text, _ in runs)
        if _RIGHT_TO_LEFT.search(joined):  # the whole paragraph's directions, as fpdf2 finds them
            direction = self.text_shaping["direction"] or auto_detect_base_direction(joined)
            segments = BidiParagraph(text=joined, base_direction=direction, preserve_bn_chars=True)
            pieces = segments.get_bidi_fragments()
        else:
            direction = TextDirection.LTR
            pieces = ((joined, TextDirection.LTR),)
        self.text_shaping["paragraph_direction"] = direction
        ends = list(accumulate(len(text) for text, _ in runs))
        family, style, before, page = self.font_family, self.font_style, self.font_size_pt, self.page
        fragments: list = []
        self.page = 0  # so that set_font writes nothing to the page, as fpdf2 does for markdown
        try:
            position, run = 0, 0
            for piece, piece_direction in pieces:  # each directional piece, cut where a style starts
                self.text_shaping["fragment_direction"] = piece_direction
                while piece:
                    take = min(len(piece), ends[run] - position)
                    if take <= 0 and run < len(runs) - 1:
                        run += 1
                        continue
                    take = max(take, len(piece) if run == len(runs) - 1 else take)
                    self.set_font(FAMILY, runs[run][1], size)
                    fragments.extend(self._preload_font_styles(piece[:take], False))
                    piece, position = piece[take:], position + take
            self.set_font(family, style, before)
        finally:
            self.page = page
        return tuple(fragments)

    def _render_styled_text_line(self, text_line, *args, **kwargs):  # type: ignore[override]
        """fpdf2's, with the current font set on the page first. Otherwise, when a line starts with a
        fallback font (a Hindi or Arabic first word), fpdf2 sets the current font inside that line's
        q/Q, marks it as set on the page, and the next lines drew Latin text in whatever font the page
        had before: letters garbled."""
        if self.page > 0 and self.current_font is not None and not self.current_font_is_set_on_page:
            self._out(self._set_font_for_page(self.current_font, self.font_size_pt))
        if self._tag is None or self._in_artifact:
            return super()._render_styled_text_line(text_line, *args, **kwargs)
        self._open_tag()
        try:
            return super()._render_styled_text_line(text_line, *args, **kwargs)
        finally:
            self._out("EMC")

    # --- tags: the structure tree a screen reader follows ----------------------------------------------
    @contextmanager
    def tagged(self, struct_type: str) -> Iterator[None]:
        """Text drawn inside is one structure element (P, H1, H2…), in reading order. fpdf2 builds a flat
        tree (a Document with its elements): each line is marked content of its element, and an element
        split by a page break continues as a second one on the next page."""
        outer, self._tag, self._tag_elem = self._tag, struct_type, None
        try:
            yield
        finally:
            self._tag, self._tag_elem = outer, None

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """Page furniture (running title, page numbers): marked as an artifact, not read as text."""
        self._in_artifact = True
        self._out("/Artifact BMC")
        try:
            yield
        finally:
            self._out("EMC")
            self._in_artifact = False

    def _next_mcid(self, page: int) -> int:
        """Marked-content ids are counted per page, for our lines and fpdf2's images alike."""
        mcid = self._mcids.get(page, 0)
        self._mcids[page] = mcid + 1
        return mcid

    def _open_tag(self) -> None:
        page = self.page
        mcid = self._next_mcid(page)
        elem = self._tag_elem
        if elem is None or elem.page_number() != page:
            elem, spid = self.struct_builder.add_marked_content(
                page_number=page, struct_type="/" + self._tag, mcid=mcid
            )
            self.pages[page].struct_parents = spid
            self._tag_elem = elem
        else:  # another line of the same element on the same page
            elem.k.append(mcid)
            spid = self.struct_builder.spid_per_page_number[page]
            self.struct_builder.struct_tree_root.parent_tree.nums[spid].append(elem)
        self._out(f"/{self._tag} <</MCID {mcid}>> BDC")

    def get_fallback_font(self, char: str, style: str = "") -> str | None:
        """The font that draws a character the current one lacks, added to this document on first use
        (a takeaway in one script embeds no other script's font)."""
        family = fallback_family(ord(char), style)
        if family is None:
            return None
        key = install_fallback(self, family, style)
        if key not in self._fallback_font_ids:
            self._fallback_font_ids.append(key)
        return key
