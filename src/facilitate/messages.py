"""The participant-facing fixed words (page, takeaway, handout), from a message catalogue per language.

The workshop file gives the content; `assets/locales/<language>.json` gives every fixed word around it
("Send", "Pass", the privacy notice, "Your plan"). Keys are dotted (`page.send`); values may hold
`{name}` placeholders. A language is chosen by the workshop's `locale` (`es-MX` → `es`); anything
missing falls back to English, and a test keeps every catalogue complete.
"""

from __future__ import annotations

import json
from functools import cache
from types import MappingProxyType
from typing import Any

from facilitate.paths import assets_dir

DEFAULT_LANGUAGE = "en"


def language_of(locale: str | None) -> str:
    """`es-MX` → `es`; a language with no catalogue → English."""
    language = (locale or DEFAULT_LANGUAGE).replace("_", "-").split("-")[0].lower()
    return language if language in available_languages() else DEFAULT_LANGUAGE


@cache
def available_languages() -> tuple[str, ...]:
    return tuple(sorted(path.stem for path in (assets_dir() / "locales").glob("*.json")))


@cache
def catalogue(language: str) -> MappingProxyType[str, str]:
    """Every message of one language, English filling any gap."""

    def load(name: str) -> dict[str, str]:
        return json.loads((assets_dir() / "locales" / f"{name}.json").read_text(encoding="utf-8"))

    merged = load(DEFAULT_LANGUAGE)
    if language != DEFAULT_LANGUAGE:
        merged.update(load(language))
    return MappingProxyType(merged)


def messages_for(locale: str | None) -> MappingProxyType[str, str]:
    return catalogue(language_of(locale))


def translate(locale: str | None, key: str, **values: Any) -> str:
    """One message, its `{placeholders}` filled in. An unknown key is a programming error: KeyError."""
    text = messages_for(locale)[key]
    return text.format(**values) if values else text
