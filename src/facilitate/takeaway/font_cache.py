"""Fonts parsed once per process and shared by every document: fpdf2's font objects, cheap copies of them
for each new PDF, and the widths its line breaking asks for, remembered.

fpdf2 parses a whole TTF for each document (`FPDF.add_font`), then fontTools decodes every table again
to cut the subset out of it. Both are the same work for every takeaway, so `_Template` holds what fpdf2
computes from a TTF (widths, cmap, glyph ids, the descriptor, the HarfBuzz font) and hands each new
document a copy of fpdf2's font object that shares those read-only parts; each copy gets a fresh
fontTools `TTFont` to subset, built from raw glyph slices cut once (the `glyf` fast path). A font the
fast path cannot take (CFF outlines, as in CJK collections) is subset the plain way.
"""

from __future__ import annotations

import copy
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

log = logging.getLogger(__name__)

# Tables fpdf2 drops from every subset (fpdf/output.py), plus `kern`: the shaping engine reads the
# original file, so the embedded subset needs only outlines and metrics.
_DROPPED_TABLES = (
    "FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC",
    "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR", "kern",
)  # fmt: skip


class _LazyGlyphs(Mapping[str, Glyph]):
    """The `glyf` table's glyphs, made from raw bytes only when the subsetter asks for one."""

    def __init__(self, raw: Mapping[str, bytes], order: list[str]) -> None:
        self._raw = raw
        self._order = order
        self._made: dict[str, Glyph] = {}

    def __getitem__(self, name: str) -> Glyph:
        glyph = self._made.get(name)
        if glyph is None:
            glyph = self._made[name] = Glyph(self._raw[name])
        return glyph

    def __contains__(self, name: object) -> bool:
        return name in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class _Template:
    """One font file, parsed once: fpdf2's font object plus what a fresh fontTools font needs."""

    def __init__(self, family: str, style: str, path: Path, index: int = 0) -> None:
        self.family, self.style, self.path, self.index = family, style, path, index
        self.data = path.read_bytes()
        probe = FPDF()
        probe.add_font(family, style, str(path), collection_font_number=index)
        self.font: TTFFont = probe.fonts[family + style]
        self.font.hbfont  # noqa: B018 - made once here and shared by every document (read-only)
        self.fast = False
        try:
            self._prepare_fast_path()
            self.fast = self.font.color_font is None
        except Exception:  # CFF outlines (most CJK fonts) or a fontTools change
            log.debug("font %s: plain subsetting", path.name, exc_info=True)

    def _prepare_fast_path(self) -> None:
        source = TTFont(BytesIO(self.data), lazy=True, recalcTimestamp=False, fontNumber=self.index)
        self.glyph_order: list[str] = list(source.getGlyphOrder())
        loca = source["loca"]
        glyf_data = source.reader["glyf"]
        self.raw_glyphs = {
            name: glyf_data[loca[index] : loca[index + 1]] for index, name in enumerate(self.glyph_order)
        }
        self.metrics = dict(source["hmtx"].metrics)
        self.cmap_tables = [
            table for table in source["cmap"].tables if table.isUnicode() and table.format != 0
        ]
        for table in self.cmap_tables:
            table.ensureDecompiled()
        post = copy.copy(source["post"])
        post.formatType = 3.0  # what the subsetter makes of it anyway (fpdf2 keeps no glyph names)
        for name in ("glyphOrder", "extraNames", "mapping"):
            post.__dict__.pop(name, None)
        self.post = post

    def fresh_ttfont(self) -> TTFont:
        """A fontTools font for one document to subset (and so to change) on its own."""
        font = TTFont(
            BytesIO(self.data), lazy=True, recalcTimestamp=False, recalcBBoxes=False, fontNumber=self.index
        )
        if not self.fast:
            return font
        for tag in _DROPPED_TABLES:
            if tag in font:
                del font[tag]
        font.setGlyphOrder(list(self.glyph_order))
        glyf = newTable("glyf")
        glyf.glyphOrder = list(self.glyph_order)
        glyf.glyphs = _LazyGlyphs(self.raw_glyphs, self.glyph_order)
        glyf._reverseGlyphOrder = {}
        font["glyf"] = glyf
        hmtx = newTable("hmtx")
        hmtx.metrics = dict(self.metrics)
        font["hmtx"] = hmtx
        cmap = newTable("cmap")
        cmap.tableVersion = 0
        cmap.tables = []
        for table in self.cmap_tables:
            clone = copy.copy(table)
            clone.cmap = dict(table.cmap)
            cmap.tables.append(clone)
        font["cmap"] = cmap
        font["post"] = copy.copy(self.post)
        return font

    def install(self, pdf: FPDF) -> str:
        """Add this font to `pdf` as fpdf2's `add_font` would, without parsing the file again."""
        key = self.family + self.style
        if key in pdf.fonts:
            return key
        shared = _SharedFont.__new__(_SharedFont)
        for slot in TTFFont.__slots__:
            if hasattr(self.font, slot):
                setattr(shared, slot, getattr(self.font, slot))
        shared.i = len(pdf.fonts) + 1
        shared.ttfont = self.fresh_ttfont()
        shared.missing_glyphs = []
        shared.biggest_size_pt = 0
        shared.subset = _SubsetMap(shared)
        pdf.fonts[key] = shared
        return key


# Text that HarfBuzz lays out exactly as the sum of its characters' advances, less kerning and ligatures
# (which only make it narrower, by a fraction of a point): Latin, Greek, Cyrillic without combining marks,
# and common punctuation. Anything else (Arabic, Indic scripts, emoji, combining marks) is shaped to measure.
_NEEDS_SHAPING = re.compile(
    "[^\u0020-\u007e\u00a0-\u02ff\u0370-\u0482\u048a-\u052f\u1e00-\u1fff\u2010-\u2027\u2030-\u205e\u20a0-\u20c0]"
)
_shaped_widths: dict[tuple[str, int, str, float, object], tuple[int, float]] = {}
_advance_widths: dict[tuple[str, int, float], dict[str, float]] = {}
_MAX_SHAPED_WIDTHS = 100_000


class _SharedFont(TTFFont):
    """fpdf2's font, measured faster for its line breaking, which asks for the width of every prefix of a
    paragraph (a character at a time): text that needs no shaping is measured from its advances, the
    rest is shaped once per process and remembered (a workshop's words recur in every takeaway). What
    is drawn is always shaped by HarfBuzz."""

    __slots__ = ()

    def shaped_text_width(self, text, font_size_pt, text_shaping_params):  # type: ignore[override]
        if not _NEEDS_SHAPING.search(text):
            return len(text), self._advance_width(text, font_size_pt)
        direction = (text_shaping_params or {}).get("fragment_direction")
        key = (str(self.ttffile), self.collection_font_number, text, font_size_pt, direction)
        found = _shaped_widths.get(key)
        if found is None:
            if len(_shaped_widths) > _MAX_SHAPED_WIDTHS:
                _shaped_widths.clear()
            found = _shaped_widths[key] = super().shaped_text_width(text, font_size_pt, text_shaping_params)
        return found

    def _advance_width(self, text: str, font_size_pt: float) -> float:
        """The sum of the advances, from the width of `text` less its last character when it is known:
        the line breaker asks for "W", "Wh", "Whe", ..., so each answer costs one addition."""
        widths = _advance_widths.setdefault(
            (str(self.ttffile), self.collection_font_number, font_size_pt), {}
        )
        found = widths.get(text)
        if found is None:
            if len(widths) > _MAX_SHAPED_WIDTHS:
                widths.clear()
            before = widths.get(text[:-1])
            if before is None:
                before = sum(self.cw[ord(char)] for char in text[:-1]) * font_size_pt * 0.001
            found = widths[text] = before + self.cw[ord(text[-1])] * font_size_pt * 0.001 if text else 0.0
        return found


class _SubsetMap(SubsetMap):
    """fpdf2's subset, where a glyph that HarfBuzz adds to a cluster (the second part of a split Tamil or
    Malayalam vowel sign) reads as a zero-width non-joiner: fpdf2 gives it no character, so text
    extraction and screen readers found its raw code, a control character, inside the word."""

    @cache  # noqa: B019 - as fpdf2's own (it clears this cache when the document is written)
    def get_glyph(self, glyph=None, unicode=None, glyph_name=None, glyph_width=None):  # type: ignore[override]
        if unicode == ():
            unicode = (0x200C,)
        return SubsetMap.get_glyph.__wrapped__(self, glyph, unicode, glyph_name, glyph_width)


_lock = threading.Lock()
_templates: dict[tuple[str, str], _Template] = {}


def template(family: str, style: str, path: Path, index: int = 0) -> _Template:
    """The parsed font for `family` in `style`, made on first use (from any thread) and then shared."""
    with _lock:
        found = _templates.get((family, style))
        if found is None:
            found = _templates[(family, style)] = _Template(family, style, path, index)
        return found
