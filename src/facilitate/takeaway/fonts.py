"""The fonts of every PDF: Noto Sans for the text, a Noto font per other script as a fallback, monochrome
Noto Emoji, DejaVu Sans for the symbols none of them has, and a system CJK font where one is installed.

Which font draws a character is decided per character (`fallback_family`), and a fallback font joins a
document only when its text needs it (`install_fallback`), so a takeaway in English embeds Noto Sans
alone. HarfBuzz shapes the text (fpdf2's `set_text_shaping`): Arabic joins, Devanagari conjuncts form,
right-to-left runs are ordered.

Each font file is parsed once per process and shared by every document (`font_cache`).

Text no font can show is made visible, never dropped: `sanitize` replaces such a character with "□",
keeping the text around it, and `missing` lists them for the phone to say before a download.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from fpdf import FPDF

from facilitate.paths import assets_dir
from facilitate.takeaway.font_cache import template

REPLACEMENT = "\u25a1"  # □ WHITE SQUARE: what a character no font has becomes


@dataclass(frozen=True)
class Face:
    """A family of font files by style ("", "B", "I"); `index` picks a font inside a collection (.ttc)."""

    family: str  # lower case, no "B"/"I" letters: fpdf2 reads a font key's style from its capitals
    files: Mapping[str, Path] = field(default_factory=dict)
    index: int = 0


def fonts_dir() -> Path:
    return assets_dir() / "fonts"


def _bundled(family: str, stem: str, styles: str = "") -> Face:
    names = {"": "Regular", "B": "Bold", "I": "Italic"}
    return Face(family, {style: fonts_dir() / f"{stem}-{names[style]}.ttf" for style in ("", *styles)})


FAMILY = "noto"
PRIMARY = _bundled(FAMILY, "NotoSans", "BI")
# In the order they are asked: a script's own font before DejaVu's broad but plainer coverage.
FALLBACKS: tuple[Face, ...] = (
    _bundled("noto-arabic", "NotoSansArabic", "B"),
    _bundled("noto-hebrew", "NotoSansHebrew", "B"),
    _bundled("noto-devanagari", "NotoSansDevanagari", "B"),
    _bundled("noto-bengali", "NotoSansBengali"),
    _bundled("noto-gurmukhi", "NotoSansGurmukhi"),
    _bundled("noto-gujarati", "NotoSansGujarati"),
    _bundled("noto-tamil", "NotoSansTamil"),
    _bundled("noto-telugu", "NotoSansTelugu"),
    _bundled("noto-kannada", "NotoSansKannada"),
    _bundled("noto-malayalam", "NotoSansMalayalam"),
    _bundled("noto-thai", "NotoSansThai"),
    _bundled("noto-armenian", "NotoSansArmenian"),
    _bundled("noto-georgian", "NotoSansGeorgian"),
    _bundled("noto-emoji", "NotoEmoji"),
    Face("dejavu", {"": fonts_dir() / "DejaVuSans.ttf"}),
)
CJK_FAMILY = "system-cjk"
# Too large to bundle (15-20 MB): looked for where systems keep them, then asked of fontconfig.
_CJK_PATHS = (
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),  # Debian/Ubuntu fonts-noto-cjk: SC
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),  # Fedora, Arch
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/Supplemental/Arial Unicode.ttf", 0),
    ("C:/Windows/Fonts/msyh.ttc", 0),
)

# Invisible characters that only join or modify their neighbours (emoji sequences, flags): dropped when
# they follow a replaced character, so an unknown sequence becomes one "□", not a row of them.
_JOINERS = frozenset({0x200D, 0xFE0E, 0xFE0F, 0x20E3})
_MODIFIERS = range(0x1F3FB, 0x1F400)  # skin tones
_TAGS = range(0xE0020, 0xE0080)  # subdivision flags
_REGIONAL = range(0x1F1E6, 0x1F200)  # flag letters: two make one flag
_LINE_BREAKS = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n", "\t": " ", "\v": "\n", "\f": "\n"}


def _fontconfig_cjk() -> tuple[str, int] | None:
    """A CJK sans-serif font fontconfig knows of (file, index in its collection), or None."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run(
            [fc_list, "--format", "%{file}|%{index}|%{family}|%{style}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = []
    for line in listing.splitlines():
        path, _, rest = line.partition("|")
        index, _, rest = rest.partition("|")
        if path.lower().endswith((".ttf", ".ttc", ".otf")) and index.isdigit():
            score = ("Sans" in rest) + ("Regular" in rest or "Book" in rest) + (" SC" in rest)
            found.append((-score, path, int(index)))
    return (min(found)[1], min(found)[2]) if found else None


@cache
def system_cjk() -> Face | None:
    """The CJK font of this computer (Chinese, Japanese, Korean), or None when it has none."""
    override = os.environ.get("FACILITATE_CJK_FONT")  # "PATH" or "PATH#INDEX"; "" for none
    if override is not None:
        path, _, index = override.partition("#")
        return Face(CJK_FAMILY, {"": Path(path)}, int(index or 0)) if path else None
    for path, index in _CJK_PATHS:
        if Path(path).is_file():
            return Face(CJK_FAMILY, {"": Path(path)}, index)
    found = _fontconfig_cjk()
    return Face(CJK_FAMILY, {"": Path(found[0])}, found[1]) if found else None


def _faces() -> tuple[Face, ...]:
    cjk = system_cjk()
    return (PRIMARY, *FALLBACKS, *((cjk,) if cjk else ()))


def _template(face: Face, style: str):
    return template(face.family, style, face.files[style], face.index)


def install_fonts(pdf: FPDF, styles: str = "B") -> None:
    """Make the text font's regular style and the given extra styles ("B", "I") available as `FAMILY`."""
    for style in ("", *styles):
        _template(PRIMARY, style).install(pdf)


def install_fallback(pdf: FPDF, family: str, style: str) -> str:
    """Add a fallback family to `pdf` in `style` if it has it (else its regular style); its font key."""
    face = next(face for face in _faces() if face.family == family)
    style = style if style in face.files else ""
    return _template(face, style).install(pdf)


@cache
def _cmap(path: Path, index: int) -> frozenset[int]:
    font = TTFont(path, lazy=True, fontNumber=index)
    try:
        return frozenset(font.getBestCmap() or {})
    finally:
        font.close()


@cache
def _bundled_families() -> dict[int, str]:
    """Code point -> the family that draws it when the text font's regular style lacks it."""
    families: dict[int, str] = {}
    for face in FALLBACKS:
        for code in _cmap(face.files[""], face.index):
            families.setdefault(code, face.family)
    return families


def fallback_family(code: int, style: str = "") -> str | None:
    """The family that draws `code` when the current font lacks it: the text font's regular style (for a
    character its bold or italic lacks), a bundled fallback, the system CJK font; None if none can."""
    if style and code in _cmap(PRIMARY.files[""], 0):
        return FAMILY
    family = _bundled_families().get(code)
    if family is not None:
        return family
    cjk = system_cjk()
    if cjk is not None and code in _cmap(cjk.files[""], cjk.index):
        return CJK_FAMILY
    return None


def warm_up(styles: str = "BI") -> None:
    """Parse the text font and learn every fallback's characters now rather than on the first PDF."""
    for style in ("", *styles):
        _template(PRIMARY, style)
    _bundled_families()


def can_draw(code: int) -> bool:
    return code in _cmap(PRIMARY.files[""], 0) or fallback_family(code) is not None


def _is_joiner(code: int) -> bool:
    return code in _JOINERS or code in _MODIFIERS or code in _TAGS


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    for old, new in _LINE_BREAKS.items():
        text = text.replace(old, new)
    return text


def sanitize(text: str) -> str:
    """Text the fonts can show, with nothing lost silently.

    Unicode is composed (NFC) so accents sit on their letters; line and paragraph separators become
    line breaks and tabs spaces; other control characters are dropped (they have no visible form). Any
    character no font has becomes "□", and the invisible joiners and modifiers of an emoji sequence
    after it are folded into that one square.
    """
    if not text:
        return ""
    text = _normalise(text)
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
        if category not in ("Cs", "Co", "Cn") and (can_draw(code) or (_is_joiner(code) and out)):
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


def missing(text: str) -> list[str]:
    """The characters of `text` no font here can draw, each once, in order (what "□" would stand for)."""
    seen: dict[str, None] = {}
    for char in _normalise(text or ""):
        code = ord(char)
        category = unicodedata.category(char)
        if char == "\n" or category == "Cc" or _is_joiner(code):
            continue
        if category in ("Cs", "Co", "Cn") or not can_draw(code):
            seen.setdefault(char, None)
    return list(seen)


def covers(text: str) -> bool:
    """Whether every character of `text` can be drawn."""
    return not missing(text)
