"""A small Flesch-Kincaid grade for participant-facing text (no dependency: the formula and a syllable
count by vowel groups, good to about a grade either way, which is what a ceiling of 8 needs)."""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n+")


def syllables(word: str) -> int:
    word = word.lower().strip("'’-")
    if len(word) <= 3:
        return 1
    word = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", word)
    word = re.sub(r"^y", "", word)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", word)))


def grade(text: str) -> float:
    """Flesch-Kincaid grade level: 0.39 × words per sentence + 11.8 × syllables per word − 15.59.
    Each line counts as a sentence (slides and lists are written in lines)."""
    sentences = [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]
    words = _WORD.findall(text)
    if not words:
        return 0.0
    count = sum(syllables(word) for word in words)
    return 0.39 * len(words) / max(1, len(sentences)) + 11.8 * count / len(words) - 15.59
