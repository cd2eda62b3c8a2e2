"""Checked words: on a moderated word poll, only the words the facilitator has shown reach anyone else.

The facilitator sees every word with its count (in the presenter view) and shows or hides each; a word
that arrives later waits like the first ones did. Everything that leaves the presenter view (the room's
screen, the phones, the takeaways, the report) reads the poll's results through `checked_tally`, so a
hidden or unchecked word cannot reach it by another path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from facilitate.session.answers import Tally
from facilitate.session.state import SessionState
from facilitate.workshop.models import PollStep, Workshop

MAX_WORDS_PER_CHECK = 500

Payload = Mapping[str, object]


class WordCheckRefused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def word_key(word: str) -> str:
    """The form two spellings of one word share (the same key the tally groups words by)."""
    return " ".join(word.casefold().split())


@dataclass(frozen=True)
class WordToCheck:
    word: str  # the most common spelling
    key: str
    count: int
    shown: bool | None  # None: not checked yet


def words_to_check(
    state: SessionState, step_id: str, words: tuple[tuple[str, int], ...]
) -> list[WordToCheck]:
    """Every word of the live tally with its count and the facilitator's decision, most frequent first
    (the order stays put while the facilitator works down the list)."""
    return [
        WordToCheck(word, word_key(word), count, state.word_checks.get((step_id, word_key(word))))
        for word, count in words
    ]


def checked_tally(state: SessionState, poll: PollStep, tally: Tally) -> Tally:
    """The tally with only the words the facilitator has shown (unchanged for other polls)."""
    if poll.type != "words" or not poll.is_moderated:
        return tally
    kept = tuple(
        (word, count) for word, count in tally.words if state.word_checks.get((poll.id, word_key(word)))
    )
    return replace(tally, words=kept)


def check_words(workshop: Workshop, state: SessionState, payload: Payload) -> SessionState:
    """Show or hide words of a moderated word poll (reducer handler for WORD_CHECK)."""
    step_id = payload.get("step")
    try:
        poll = workshop.step_by_id(step_id) if isinstance(step_id, str) else None
    except KeyError:
        poll = None
    if not isinstance(poll, PollStep) or poll.type != "words" or not poll.is_moderated:
        raise WordCheckRefused("Checking words is for word polls that are checked before they are shown")
    words, shown = payload.get("words"), payload.get("approved")
    if (
        not isinstance(words, list | tuple)
        or not words
        or len(words) > MAX_WORDS_PER_CHECK
        or not all(isinstance(word, str) and word for word in words)
        or not isinstance(shown, bool)
    ):
        raise WordCheckRefused("Say which words to show or hide")
    decided = {(poll.id, word_key(word)): shown for word in words}
    return replace(state, word_checks=MappingProxyType({**state.word_checks, **decided}))
