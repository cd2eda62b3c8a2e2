"""Durations as workshop authors write them: "5m", "90s", "1h 15m"."""

from __future__ import annotations

import re

_TOKEN = re.compile(r"(\d+)\s*(h|m|s)", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:\d+\s*[hms]\s*)+$", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600, "m": 60, "s": 1}
DURATION_PATTERN = r"^\s*(\d+\s*[hmsHMS]\s*)+$"
MAX_DURATION_SECONDS = 24 * 3600


def parse_duration(value: object) -> int:
    """Seconds in a duration string. Raises ValueError with a message an author can act on."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f'a duration is text such as "5m", "90s" or "1h 15m", not {value!r}')
    if isinstance(value, int):
        raise ValueError(
            f'add a unit to the duration: write "{value}m" for minutes or "{value}s" for seconds'
        )
    if not _WHOLE.match(value):
        raise ValueError(f'cannot read the duration {value!r}: write it like "5m", "90s" or "1h 15m"')
    units = [unit.lower() for _, unit in _TOKEN.findall(value)]
    if len(set(units)) != len(units):
        raise ValueError(f"the duration {value!r} names a unit twice")
    seconds = sum(int(amount) * _UNIT_SECONDS[unit.lower()] for amount, unit in _TOKEN.findall(value))
    if seconds <= 0:
        raise ValueError(f"the duration {value!r} is zero: give every step some time")
    if seconds > MAX_DURATION_SECONDS:
        raise ValueError(f"the duration {value!r} is longer than a day")
    return seconds


def format_duration(seconds: int) -> str:
    """The author's notation for a number of seconds: 4500 -> "1h 15m"."""
    hours, rest = divmod(int(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h"] if hours else []
    if minutes:
        parts.append(f"{minutes}m")
    if secs or not parts:
        parts.append(f"{secs}s")
    return " ".join(parts)


def format_minutes(seconds: float) -> str:
    """Minutes for people: 90 -> "1.5 min", 300 -> "5 min"."""
    minutes = seconds / 60
    if abs(minutes - round(minutes)) < 1e-9:
        return f"{round(minutes)} min"
    return f"{minutes:.1f} min"
