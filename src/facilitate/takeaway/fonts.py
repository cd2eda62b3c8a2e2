"""DejaVu Sans for every PDF: parsed once per process, shared by every document, subset into each.

Most of a one-page PDF's time used to go into fonts: fpdf2 parses the whole TTF for each document
(`FPDF.add_font`), then fontTools decodes every table again to cut the subset out of it. Both are the same
work for every takeaway, so this module does it once:

* `_Template` holds what fpdf2 computes from a TTF (widths, cmap, glyph ids, the font descriptor) and
  hands each new document a copy of fpdf2's font object that shares those read-only parts;
* each copy gets a fresh fontTools `TTFont` to subset, because subsetting changes the font in place. The
  big tables are not decoded again for it: the glyph outlines are raw byte slices cut once, turned into
  fontTools glyphs only for the glyphs the document uses, and the metrics, cmap and glyph order are
  copied from the template. Tables fpdf2 drops from the subset anyway (layout, kerning) are left out.

If fontTools or fpdf2 ever change the internals this leans on, `new_document_fonts` falls back to a
plain per-document font (slower, same PDF); `tests/takeaway/test_fonts.py` checks the fast path's glyphs
against the plain path's.

Text the fonts cannot show is made visible, never dropped: `sanitize` replaces any character without a
glyph (emoji, CJK, ...) with "□", keeping the text around it.
"""

from __future__ import annotations

import copy
import logging
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from functools import cache
from io import BytesIO
from pathlib import Path

from fontTools.ttLib import TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont

from facilitate.paths import assets_dir

log = logging.getLogger(__name__)

FAMILY = "dejavu"
FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
REPLACEMENT = "\u25a1"  # □ WHITE SQUARE: what a character the font lacks becomes

# Tables fpdf2 drops from every subset (fpdf/output.py), plus `kern`, which fpdf2 keeps but no PDF viewer
# reads from an embedded font (without text shaping fpdf2 does not kern either).
_DROPPED_TABLES = (
    "FFTM", "GDEF", "GPOS", "GSUB", "MATH", "hdmx", "meta", "sbix", "CBDT", "CBLC",
    "EBDT", "EBLC", "EBSC", "SVG ", "CPAL", "COLR", "kern",
)  # fmt: skip

# Invisible characters that only join or modify their neighbours (emoji sequences, flags): dropped when
# they follow a replaced character, so "👍🏽" or "👨‍👩‍👧" becomes one "□", not a row of them.
_JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones
_TAGS = range(0xE0020, 0xE0080)  # subdivision flags
_REGIONAL = range(0x1F1E6, 0x1F200)  # flag letters: two make one flag
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\t": " ", "\v": "\n", "\f": "\n"}


def fonts_dir() -> Path:
    return assets_dir() / "fonts"


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
    """One font style, parsed once: fpdf2's font object plus what a fresh fontTools font needs."""

    def __init__(self, path: Path, style: str) -> None:
        self.path = path
        self.style = style
        self.data = path.read_bytes()
        probe = FPDF()
        probe.add_font(FAMILY, style, str(path))
        self.font: TTFFont = probe.fonts[FAMILY + style]
        self.coverage = frozenset(self.font.cmap)
        self.fast = False
        try:
            self._prepare_fast_path()
            self.fast = self.font.color_font is None
        except Exception:  # pragma: no cover - only if fontTools changes shape
            log.warning("font %s: using the slower plain subsetting", path.name, exc_info=True)

    def _prepare_fast_path(self) -> None:
        source = TTFont(BytesIO(self.data), lazy=True, recalcTimestamp=False)
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
        self.glyf_class_attrs = {"padding": getattr(source["glyf"], "padding", 1)}

    def fresh_ttfont(self) -> TTFont:
        """A fontTools font for one document to subset (and so to change) on its own."""
        font = TTFont(BytesIO(self.data), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
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

    def install(self, pdf: FPDF) -> None:
        """Add this style to `pdf` as fpdf2's `add_font` would, without parsing the file again."""
        key = FAMILY + self.style
        if key in pdf.fonts:
            return
        shared = TTFFont.__new__(TTFFont)
        for slot in TTFFont.__slots__:
            if hasattr(self.font, slot):
                setattr(shared, slot, getattr(self.font, slot))
        shared.i = len(pdf.fonts) + 1
        shared.ttfont = self.fresh_ttfont()
        shared.missing_glyphs = []
        shared.biggest_size_pt = 0
        shared.subset = SubsetMap(shared)
        pdf.fonts[key] = shared


_lock = threading.Lock()
_templates: dict[str, _Template] = {}


def _template(style: str) -> _Template:
    with _lock:
        template = _templates.get(style)
        if template is None:
            template = _templates[style] = _Template(fonts_dir() / FILES[style], style)
        return template


def install_fonts(pdf: FPDF, styles: str = "B") -> None:
    """Make the regular style and the given extra styles ("B", "I") available in `pdf` as `FAMILY`."""
    for style in ("", *styles):
        _template(style).install(pdf)


def warm_up(styles: str = "BI") -> None:
    """Parse the fonts now (e.g. when a session starts) rather than on the first PDF."""
    for style in ("", *styles):
        _template(style)


@cache
def coverage() -> frozenset[int]:
    """Code points every style can show: text is checked against these, whatever style it is set in."""
    sets = [_template(style).coverage for style in FILES]
    return frozenset.intersection(*sets)


def _is_joiner(code: int) -> bool:
    return code in _JOINERS or code in _MODIFIERS or code in _TAGS


def sanitize(text: str) -> str:
    """Text every style of the font can show, with nothing lost silently.

    Unicode is composed (NFC) so accents sit on their letters; line and paragraph separators become
    line breaks and tabs spaces; other control characters are dropped (they have no visible form). Any
    character the font lacks becomes "□", and the invisible joiners and modifiers of an emoji sequence
    after it are folded into that one square.
    """
    if not text:
        return ""
    covered = coverage()
    text = unicodedata.normalize("NFC", text)
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to check
    out: list[str] = []
    after_replacement = joined = pending_flag = False
    for char in text:
        code = ord(char)
        if after_replacement and _is_joiner(code):
            joined = joined or code == 0x200D
            continue  # part of the emoji sequence just replaced
        if joined:  # the next part of a zero-width-joined sequence: folded into its square
            joined = False
            continue
        if char == "\n":
            out.append(char)
            after_replacement = pending_flag = False
            continue
        category = unicodedata.category(char)
        if category == "Cc":
            continue  # control characters have no visible form
        if code in covered and category not in ("Cs", "Co", "Cn"):
            out.append(char)
            after_replacement = pending_flag = False
            continue
        if code in _REGIONAL:
            pending_flag = not pending_flag
            if not pending_flag:
                continue  # the second letter of a flag
        else:
            pending_flag = False
        out.append(REPLACEMENT)
        after_replacement = True
    return "".join(out)


def covers(text: str) -> bool:
    """Whether every character of `text` has a glyph in every style."""
    covered = coverage()
    return all(ord(char) in covered or char == "\n" for char in text)
