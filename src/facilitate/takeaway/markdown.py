"""The little Markdown workshop authors write in slides and notes, read into blocks of styled runs.

Paragraphs, bullet and numbered lists, `#` headings; inline **bold**, *italic*, `code` (shown bold) and
[links](url) (shown as "text (url)"). Anything else stays as written: nothing is ever dropped, and the
PDF never interprets the text again (runs are drawn as plain text in their style).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Run = tuple[str, str]  # (text, font style: "" regular, "B" bold, "I" italic)

_BULLET = re.compile(r"^\s*[-*+•]\s+(.*)$")
_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]\s+(.*)$")
_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_INLINE = re.compile(
    r"\\(?P<escaped>[\\`*_\[\]()#+\-.!{}])"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|(?<![\w_])__(?P<bold2>.+?)__(?![\w_])"
    r"|(?<![*\w])\*(?P<italic>[^\s*](?:.*?[^\s*])?)\*(?![*\w])"
    r"|(?<![\w_])_(?P<italic2>[^\s_](?:.*?[^\s_])?)_(?![\w_])"
    r"|`(?P<code>[^`]+)`"
    r"|\[(?P<link>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph", "bullet", "number", "heading"
    runs: list[Run]
    number: int = 0  # for "number"; heading level for "heading"


def inline(text: str, base: str = "") -> list[Run]:
    """Styled runs of one block's text; markers that do not pair up stay as they are."""
    runs: list[Run] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            runs.append((text[position : match.start()], base))
        groups = match.groupdict()
        if groups["escaped"] is not None:
            runs.append((groups["escaped"], base))
        elif groups["bold"] is not None or groups["bold2"] is not None:
            runs.extend(inline(groups["bold"] or groups["bold2"] or "", _add(base, "B")))
        elif groups["italic"] is not None or groups["italic2"] is not None:
            runs.extend(inline(groups["italic"] or groups["italic2"] or "", _add(base, "I")))
        elif groups["code"] is not None:
            runs.append((groups["code"], _add(base, "B")))
        else:
            runs.extend(inline(groups["link"], base))
            runs.append((f" ({groups['url']})", base))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], base))
    return _merge(runs)


def _add(base: str, style: str) -> str:
    return "".join(sorted(set(base + style)))


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for text, style in runs:
        if merged and merged[-1][1] == style:
            merged[-1] = (merged[-1][0] + text, style)
        elif text:
            merged.append((text, style))
    return merged


def blocks(text: str) -> list[Block]:
    """The blocks of a Markdown text: lines of one paragraph or list item are joined with spaces."""
    result: list[Block] = []
    current: tuple[str, list[str], int] | None = None  # (kind, lines, number)

    def flush() -> None:
        nonlocal current
        if current is not None:
            kind, lines, number = current
            joined = " ".join(line.strip() for line in lines).strip()
            if joined:
                result.append(Block(kind, inline(joined), number))
        current = None

    for line in (text or "").splitlines():
        if not line.strip():
            flush()
            continue
        if heading := _HEADING.match(line):
            flush()
            result.append(Block("heading", inline(heading.group(2)), len(heading.group(1))))
            continue
        if bullet := _BULLET.match(line):
            flush()
            current = ("bullet", [bullet.group(1)], 0)
            continue
        if number := _NUMBER.match(line):
            flush()
            current = ("number", [number.group(2)], int(number.group(1)))
            continue
        if current is None:
            current = ("paragraph", [line], 0)
        else:
            current[1].append(line)
    flush()
    return result


def plain(text: str) -> str:
    """The text of Markdown without its markers, e.g. for a one-line summary."""
    return " ".join("".join(run for run, _ in block.runs) for block in blocks(text))
