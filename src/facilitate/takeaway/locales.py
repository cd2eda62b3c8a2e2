"""What a workshop's locale decides in its PDFs: the help lines, the paper size and how dates read.

The help lines are data (`assets/helplines.yaml`), checked before each release, not code.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

import yaml

from facilitate.messages import translate
from facilitate.paths import assets_dir

PAPER_SIZES = {"a4": "A4", "letter": "Letter"}


@dataclass(frozen=True)
class HelpLine:
    name: str
    how: str  # what to do, e.g. "Call or text 988"
    url: str
    note: str = ""
    international: bool = False  # the worldwide directory, not a line for this region


def region_of(locale: str | None) -> str:
    """The region part of a locale, upper case: "en-GB" -> "GB", "en_ie" -> "IE", "de" -> ""."""
    if not locale:
        return ""
    parts = locale.replace("_", "-").split("-")
    return parts[-1].upper() if len(parts) > 1 else ""


@cache
def _data() -> dict[str, Any]:
    with (assets_dir() / "helplines.yaml").open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    return data


def _text(value: Any, language: str) -> str:
    """A text, or a mapping of texts by language: the workshop's language, else English."""
    if isinstance(value, dict):
        value = value.get(language, value.get("en", ""))
    return str(value or "")


def _language(locale: str | None) -> str:
    return (locale or "en").replace("_", "-").split("-")[0].lower()


def _line(entry: dict[str, Any], language: str, *, international: bool = False) -> HelpLine:
    return HelpLine(
        name=_text(entry["name"], language),
        how=_text(entry["how"], language),
        url=str(entry["url"]),
        note=_text(entry.get("note"), language),
        international=international,
    )


def helplines_for(locale: str | None) -> list[HelpLine]:
    """The region's own help lines first, then the international directory (alone if none), worded in the
    locale's language where the file has it."""
    data, language = _data(), _language(locale)
    lines = [_line(entry, language) for entry in data.get("regions", {}).get(region_of(locale), [])]
    lines.append(_line(data["directory"], language, international=True))
    return lines


def emergency_line(locale: str | None = None) -> str:
    return _text(_data()["emergency"], _language(locale))


def paper_for(locale: str | None, paper: str | None = None) -> str:
    """ "A4" or "Letter": `paper` if given (any case), else Letter in the US and Canada, A4 elsewhere."""
    if paper:
        try:
            return PAPER_SIZES[paper.strip().lower()]
        except KeyError:
            raise ValueError(f"unknown paper size {paper!r}: use A4 or Letter") from None
    return "Letter" if region_of(locale) in set(_data().get("letter_paper", [])) else "A4"


def format_date(date: dt.date | dt.datetime | str | None, locale: str | None) -> str:
    """A date people read without doubt, in the locale's language: "November 25, 2026" in the US,
    "25 November 2026" elsewhere, "25 de noviembre de 2026" in Spanish.

    A string is printed as given (the caller has already written it for people).
    """
    if date is None:
        return ""
    if isinstance(date, str):
        return date.strip()
    month = translate(locale, f"takeaway.month.{date.month}")
    key = "takeaway.date_us" if region_of(locale) == "US" else "takeaway.date"
    return translate(locale, key, day=date.day, month=month, year=date.year)


_PHONE_NUMBER = re.compile(r"(?<![\w/.])\+?\d(?:[ \-]?\d){1,14}(?![\w/])")


def phone_numbers(text: str) -> list[tuple[str, str]]:
    """The phone numbers written in `text` ("Call 116 123"), each as (as written, `tel:` address)."""
    return [
        (match.group(0), "tel:" + re.sub(r"[ \-]", "", match.group(0)))
        for match in _PHONE_NUMBER.finditer(text)
    ]
