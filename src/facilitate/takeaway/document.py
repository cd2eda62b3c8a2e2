"""The page layout every PDF shares: type sizes, colours, headings, lists, bars, cards and QR rows.

Readable first: real text, body 12 pt, near-black on white, wide margins, headings kept with what
follows them, page numbers in the footer. All text passes through `fonts.sanitize`, so a character the
font lacks shows as "□" instead of vanishing, and nothing is ever read as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from fpdf.prefs import ViewerPreferences

from facilitate.messages import translate
from facilitate.session.answers import percent
from facilitate.takeaway.fonts import FAMILY, install_fonts, sanitize
from facilitate.takeaway.qr import QUIET_ZONE, qr_image, qr_matrix
from facilitate.takeaway.shaped import BODY, LEADING, PT, ShapedText, line_height

__all__ = ["BODY", "LEADING", "PT", "Document", "line_height"]

INK = (26, 26, 26)  # near-black: 17:1 on white
MUTED = (66, 66, 66)  # secondary text: 10:1 on white
ACCENT = (12, 78, 94)  # headings and rules: 9:1 on white
BAR = (28, 110, 128)
TRACK = (222, 233, 236)
CARD = (242, 247, 248)
RULE = (150, 150, 150)

TITLE = 22.0
H1 = 16.0
H2 = 13.0
SMALL = 11.0  # chart figures, captions: still at least 11 pt
FOOTER = 10.0

MARGIN_SIDE = 20.0
MARGIN_TOP = 18.0
MARGIN_BOTTOM = 22.0
# A page for the phone that downloaded it: 100 mm wide, so at 360 CSS px fitted to the width one point is
# 1.27 px and 12 pt body text reads at 15 px; as tall as a phone screen shows at once.
PHONE = "phone"
PHONE_PAGE = (100.0, 178.0)
PHONE_MARGINS = (7.0, 9.0, 15.0)  # side, top, bottom
QR_MODULE = 0.62  # millimetres per module: a phone reads it from arm's length
QR_MIN, QR_MAX = 22.0, 34.0

_PAGES_ALIAS = "\ue000\ue000"  # two characters wide: room for up to 99 pages


class Document(ShapedText):
    """An A4 or Letter page with the shared styles; `finish()` numbers the pages and returns bytes."""

    def __init__(
        self,
        *,
        paper: str,
        title: str,
        author: str,
        lang: str,
        subject: str = "",
        running_title: str = "",
        styles: str = "B",
    ) -> None:
        super().__init__(orientation="portrait", unit="mm", format=PHONE_PAGE if paper == PHONE else paper)
        self.phone = paper == PHONE  # laid out for a phone screen: no QR codes (links instead)
        self.locale = lang  # the workshop's: its language picks the fixed words (`t`)
        self._running: str | None = None  # the footer's running title, shortened to fit
        install_fonts(self, styles)
        # The page count goes where this private-use character stands: `sanitize` turns every such
        # character in the text into "□", so no one's "{nb}" ever turns into a number.
        self.alias_nb_pages(_PAGES_ALIAS)
        side, top, self.bottom_margin = (
            PHONE_MARGINS if self.phone else (MARGIN_SIDE, MARGIN_TOP, MARGIN_BOTTOM)
        )
        self.set_margins(side, top, side)
        self.set_auto_page_break(True, margin=self.bottom_margin)
        self.c_margin = 0
        self.set_title(sanitize(title))
        self.set_author(sanitize(author))
        self.set_subject(sanitize(subject))
        self.set_creator("facilitate")
        self.set_lang(lang)
        self.set_creation_date(datetime.now(UTC))
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)
        self.running_title = sanitize(running_title or title)
        self.set_text_color(*INK)
        self.set_draw_color(*ACCENT)
        self.set_font(FAMILY, "", BODY)
        self.add_page()

    # --- basics -------------------------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        """A fixed word of the document in the workshop's language (the message catalogue)."""
        return translate(self.locale, key, **values)

    def style(self, size: float = BODY, bold: bool | str = False, color: tuple[int, int, int] = INK) -> None:
        """Set type size, colour and style: `bold` is True/False or a style string ("", "B", "I")."""
        self.set_font(FAMILY, self._font_style(bold), size)
        self.set_text_color(*color)

    def space(self, mm: float) -> None:
        if self.y + mm < self.page_break_trigger:
            self.y += mm

    def room_left(self) -> float:
        return self.page_break_trigger - self.y

    def ensure_space(self, mm: float) -> None:
        """Start a new page unless `mm` fits on this one (and would fit on an empty page at all)."""
        usable = self.page_break_trigger - self.t_margin
        if mm > self.room_left() and mm <= usable and self.y > self.t_margin + 0.1:
            self.add_page()

    def paragraph(
        self,
        text: str,
        *,
        size: float = BODY,
        bold: bool | str = False,
        color: tuple[int, int, int] = INK,
        indent: float = 0.0,
        after: float = 2.0,
        align: str = "L",
        link: str | None = None,
        tag: str = "P",
    ) -> None:
        """A paragraph; `link`: the address it opens when tapped; `tag`: its structure type (P, H1…)."""
        text = sanitize(text).strip("\n")
        if not text:
            return
        self.style(size, bold, color)
        self.set_x(self.l_margin + indent)
        with self.tagged(tag):
            self._runs_cell([(text, self.font_style)], self.epw - indent, size, align=align, link=link)
        self.set_x(self.l_margin)
        self.space(after)

    def quote(self, text: str, *, after: float = 2.0) -> None:
        """Someone's own words, set in from the left with a rule beside them."""
        top_page, top = self.page, self.y
        self.paragraph(text, indent=5, after=0)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.8)
        current = self.page
        for page in range(top_page, current + 1):
            start = top if page == top_page else self.t_margin
            end = self.y if page == current else self.page_break_trigger
            self.page = page
            if page != current:  # an earlier page ended in another stroke colour and width: set them
                red, green, blue = (part / 255 for part in ACCENT)
                self._out(f"{red:.3f} {green:.3f} {blue:.3f} RG {0.8 * self.k:.2f} w")
            self.line(self.l_margin + 1, start + 0.8, self.l_margin + 1, end - 0.8)
        self.page = current
        self.space(after)

    def rich(
        self,
        runs: Iterable[tuple[str, bool | str]],
        *,
        size: float = BODY,
        indent: float = 0.0,
        after: float = 2.0,
        color: tuple[int, int, int] = INK,
        width: float | None = None,
        link: str | None = None,
    ) -> None:
        """One paragraph of (text, style) runs that wraps as a whole, e.g. a bold label then its text;
        `width` from the indent (to the right margin unless given); `link`: the address it opens."""
        self.style(size, False, color)
        self.set_x(self.l_margin + indent)
        with self.tagged("P"):
            self._runs_cell(list(runs), self.epw - indent if width is None else width, size, link=link)
        self.space(after)

    # --- headings -----------------------------------------------------------------------------------------
    def title_block(self, title: str, lines: Sequence[str]) -> None:
        self.start_section(sanitize(title)[:200], level=0)
        self.paragraph(title, size=TITLE, bold=True, color=ACCENT, after=1.5, tag="H1")
        for line in lines:
            if line:
                self.paragraph(line, size=BODY + 0.5, color=MUTED, after=0.5)
        self.space(3)
        self.rule()
        self.space(4)

    def rule(self, color: tuple[int, int, int] = ACCENT, width: float = 0.4) -> None:
        self.set_draw_color(*color)
        self.set_line_width(width)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)

    def heading(self, text: str, *, level: int = 1, keep: float = 22.0, outline: bool = True) -> None:
        """A section (level 1) or sub-section (level 2) heading, kept on a page with `keep` mm after it."""
        size = H1 if level == 1 else H2
        height = self.text_height(text, width=self.epw, size=size, bold=True)
        before = 6.0 if level == 1 else 3.5
        self.ensure_space(before + height + keep)
        if self.y > self.t_margin + 0.1:
            self.space(before)
        if outline:
            self.start_section(sanitize(text)[:200], level=level, strict=False)
        color, tag = (ACCENT, "H2") if level == 1 else (INK, "H3")
        self.paragraph(text, size=size, bold=True, color=color, after=1.5, tag=tag)

    # --- lists --------------------------------------------------------------------------------------------
    def bullets(self, items: Iterable[str], *, indent: float = 0.0, size: float = BODY, after: float = 1.2):
        for item in items:
            self.list_item("•", item, indent=indent, size=size, after=after)

    def numbered(self, items: Iterable[str], *, indent: float = 0.0, size: float = BODY) -> None:
        for number, item in enumerate(items, start=1):
            self.list_item(f"{number}.", item, indent=indent, size=size)

    def list_item(
        self,
        marker: str,
        text: str | Sequence[tuple[str, bool | str]],
        *,
        indent: float = 0.0,
        size: float = BODY,
        after: float = 1.2,
    ) -> None:
        hang = 6.0 if len(marker) <= 2 else 8.0
        self.ensure_space(line_height(size) * 2)
        top_page, top_y = self.page, self.y
        self.style(size)
        self.set_xy(self.l_margin + indent, top_y)
        self.cell(hang, line_height(size), marker)
        self.page, self.y = top_page, top_y
        runs: list[tuple[str, bool | str]] = [(text, False)] if isinstance(text, str) else list(text)
        self.rich(runs, size=size, indent=indent + hang, after=after)

    # --- shapes -------------------------------------------------------------------------------------------
    def bar_height(self, label: str) -> float:
        """The height `bar` will take for this label."""
        return max(self.text_height(label, width=self._bar_label_w() - 3), line_height(BODY)) + 2.4

    def _bar_label_w(self) -> float:
        return self.epw * 0.44

    def bar(self, label: str, count: int, total: int, *, scale_to: int | None = None) -> None:
        """A row: the label (wrapping in its column), a horizontal bar, and "count (percent%)" as text.

        The bar's length is relative to `scale_to` (the largest count, so small results stay visible);
        the percent is of `total`, the people who answered. The figures are text, not colour alone.
        """
        height = self.bar_height(label)
        self.ensure_space(height)
        label_w = self._bar_label_w()
        figure = f"{count} ({percent(count, total)}%)"
        self.style(SMALL, bold=True)
        figure_w = max(self.get_string_width("000 (100%)"), self.get_string_width(figure)) + 3
        track_w = self.epw - label_w - figure_w
        top = self.y
        self.style(BODY)
        self.set_xy(self.l_margin, top)
        self.text_lines(sanitize(label), width=label_w - 3, size=BODY)
        bar_h = 4.2
        y = top + (line_height(BODY) - bar_h) / 2
        x = self.l_margin + label_w
        self.set_fill_color(*TRACK)
        self.rect(x, y, track_w, bar_h, style="F")
        length = track_w * (count / scale_to if scale_to else 0)
        if length > 0:
            self.set_fill_color(*BAR)
            self.rect(x, y, max(length, 0.8), bar_h, style="F")
        self.style(SMALL, bold=True)
        self.set_xy(x + track_w + 2.5, top)
        self.cell(figure_w - 2.5, line_height(BODY), figure)
        self.set_xy(self.l_margin, top + height)

    def columns_height(self) -> float:
        return 3 * line_height(SMALL) + 26.0 + 5

    def columns(self, items: Sequence[tuple[str, int]], total: int, *, height: float = 26.0) -> None:
        """A column per point of a scale: the count and percent above each column, the point below."""
        count_h = line_height(SMALL)
        label_h = line_height(SMALL) + 1
        self.ensure_space(2 * count_h + height + label_h + 4)
        largest = max((count for _, count in items), default=0)
        column_w = self.epw / max(1, len(items))
        bar_w = min(10.0, column_w * 0.62)
        top = self.y
        base = top + 2 * count_h + height
        for index, (label, count) in enumerate(items):
            left = self.l_margin + index * column_w
            bar_x = left + (column_w - bar_w) / 2
            self.set_fill_color(*TRACK)
            self.rect(bar_x, base - height, bar_w, height, style="F")
            bar_h = height * count / largest if largest else 0
            if count:
                self.set_fill_color(*BAR)
                self.rect(bar_x, base - max(bar_h, 0.8), bar_w, max(bar_h, 0.8), style="F")
            share = percent(count, total)
            self.style(SMALL, bold=True)
            self.set_xy(left, top)
            self.cell(column_w, count_h, str(count), align="C")
            self.style(SMALL, color=MUTED)
            self.set_xy(left, top + count_h)
            self.cell(column_w, count_h, f"{share}%", align="C")
            self.style(SMALL, bold=True)
            self.set_xy(left, base + 1)
            self.cell(column_w, label_h, sanitize(label), align="C")
        self.set_draw_color(*MUTED)
        self.set_line_width(0.3)
        self.line(self.l_margin, base, self.l_margin + self.epw, base)
        self.set_xy(self.l_margin, base + label_h + 2)

    def scale_bar(self, label: str, value: int, low: int, high: int) -> None:
        """One answer on a scale as a bar from `low` to `high`, with "6 on a scale of 0 to 10" as text."""
        row = line_height(BODY) + 1.5
        self.ensure_space(row + 2)
        self.style(BODY, bold=True)
        label_w = (
            max(self.get_string_width(self.t("takeaway.at_start")), self.get_string_width(sanitize(label)))
            + 4
        )
        self.style(SMALL)
        figure = self.t("takeaway.on_scale", value=value, low=low, high=high)
        figure_w = self.get_string_width(self.t("takeaway.on_scale", value=high, low=low, high=high)) + 4
        track_w = self.epw - label_w - figure_w
        top = self.y
        self.style(BODY, bold=True)
        self.set_xy(self.l_margin, top)
        self.cell(label_w, line_height(BODY), sanitize(label))
        bar_h = 4.2
        y = top + (line_height(BODY) - bar_h) / 2
        self.set_fill_color(*TRACK)
        self.rect(self.l_margin + label_w, y, track_w, bar_h, style="F")
        share = (value - low) / (high - low) if high > low else 0
        share = min(1.0, max(0.0, share))
        if share > 0:
            self.set_fill_color(*BAR)
            self.rect(self.l_margin + label_w, y, max(track_w * share, 0.8), bar_h, style="F")
        self.style(SMALL)
        self.set_xy(self.l_margin + label_w + track_w + 3, top)
        self.cell(figure_w - 3, line_height(BODY), figure)
        self.set_xy(self.l_margin, top + row)

    def card(self, paragraphs: Sequence[Sequence[tuple[str, bool | str]]], *, padding: float = 6.0) -> None:
        """A bordered box around short paragraphs of (text, style) runs; plain text if it cannot fit."""
        inner = self.epw - 2 * padding
        heights = [self._runs_height(runs, inner) for runs in paragraphs]
        gap = 2.5
        height = sum(heights) + gap * (len(paragraphs) - 1) + 2 * padding
        if height > self.page_break_trigger - self.t_margin:  # longer than a page: no box
            for runs in paragraphs:
                self.rich(runs)
            return
        self.ensure_space(height + 2)
        top = self.y
        self.set_fill_color(*CARD)
        self.set_draw_color(*ACCENT)
        self.set_line_width(0.6)
        self.rect(self.l_margin, top, self.epw, height, style="DF")
        self.y = top + padding
        for runs in paragraphs:
            self.rich(runs, indent=padding, after=gap, width=inner)
        self.y = top + height + 3

    def _runs_height(self, runs: Sequence[tuple[str, bool | str]], width: float) -> float:
        return self.runs_height(runs, width, BODY)

    def ruled_lines(self, count: int, *, gap: float = 9.0, indent: float = 0.0) -> None:
        """Lines to write on by hand."""
        self.set_draw_color(*RULE)
        self.set_line_width(0.25)
        for _ in range(count):
            self.ensure_space(gap + 1)
            self.y += gap
            self.line(self.l_margin + indent, self.y, self.w - self.r_margin, self.y)
        self.space(3)

    def qr_size(self, url: str) -> float:
        modules = len(qr_matrix(url, border=QUIET_ZONE))
        return min(QR_MAX, max(QR_MIN, modules * QR_MODULE))

    def qr_column(self, urls: Iterable[str]) -> float:
        """Where the text beside a list of QR codes starts, so it lines up down the list."""
        return max((self.qr_size(url) * (1 - QUIET_ZONE / self._modules(url)) for url in urls), default=0) + 4

    def _modules(self, url: str) -> int:
        return len(qr_matrix(url, border=QUIET_ZONE))

    def link_row(
        self, title: str, lines: Sequence[str], url: str, *, qr: bool = True, column: float | None = None
    ) -> None:
        """A resource: its QR code on the left (on paper), the title, a line or two and the URL as a link."""
        qr = qr and not self.phone
        size = self.qr_size(url) if qr else 0.0
        # The image carries its own white quiet zone: it reaches into the left margin so the code's
        # dark modules line up with the text above, and the text beside starts level with them.
        shift = size * QUIET_ZONE / self._modules(url) if qr else 0.0
        offset = (column if column is not None else self.qr_column([url])) if qr else 0.0
        text_w = self.epw - offset
        height = shift + self.text_height(title, width=text_w, bold=True)
        for line in lines:
            height += self.text_height(line, width=text_w) + 0.6
        height += self.text_height(url, width=text_w, size=SMALL) + 1
        self.ensure_space(max(size, height) + 3)
        top_page, top = self.page, self.y
        if qr:
            self.image(
                qr_image(url),
                x=self.l_margin - shift,
                y=top,
                w=size,
                h=size,
                alt_text=self.t("takeaway.qr_alt", url=url),
            )
        left = self.l_margin
        self.set_left_margin(left + offset)
        try:
            self.set_xy(self.l_margin, top + shift - 0.8)
            self.paragraph(title, bold=True, after=0.6)
            for line in lines:
                self.paragraph(line, after=0.6)
            self.paragraph(url, size=SMALL, color=ACCENT, after=0, link=url)
        finally:
            self.set_left_margin(left)
        if self.page == top_page:
            self.y = max(self.y, top + size - shift)
        self.set_x(self.l_margin)
        self.space(5)

    # --- output -------------------------------------------------------------------------------------------
    def footer(self) -> None:
        """The running title and "Page 2 of 3" under a thin rule, on every page."""
        y = self.h - self.bottom_margin + (6 if self.phone else 8)
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        self.line(self.l_margin, y - 2, self.w - self.r_margin, y - 2)
        self.style(FOOTER, color=MUTED)
        number = self.t("takeaway.page_of", page=self.page_no(), total=_PAGES_ALIAS)
        width = self.epw - self.get_string_width(self.t("takeaway.page_of", page="000", total="000")) - 8
        if self._running is None:  # shortened once: the same on every page
            running = self.running_title
            while running and self.get_string_width(running) > width:
                running = running[: max(0, len(running) - 4)].rstrip() + "…"
                if len(running) <= 2:
                    running = ""
            self._running = running
        running = self._running
        self.set_xy(self.l_margin, y)
        with self.artifact():  # page furniture: not read out as part of the text
            self.cell(width, line_height(FOOTER), running)
            self.set_xy(self.l_margin, y)
            self.cell(self.epw, line_height(FOOTER), number, align="R")

    def finish(self) -> bytes:
        return bytes(self.output())
